"""Small-cohort suppression, the one rule every figure shown outside the directors' own
dashboard goes through: a count of fewer than five people (but more than none) is replaced by
"fewer than 5", and a share is shown only when the count it is made of would be."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MIN_COHORT = 5
FEWER = _("fewer than %(n)s") % {"n": MIN_COHORT}


def shown(count: int | None, *, directors: bool = False) -> int | Promise | None:
    """The count as it may be shown: itself for directors, for none, or for five and more;
    otherwise the words "fewer than 5"."""
    if count is None or directors or count == 0 or count >= MIN_COHORT:
        return count
    return FEWER


def is_suppressed(value: object) -> bool:
    return value is FEWER


def shown_share(part: int, whole: int, *, directors: bool = False) -> float | None:
    """`part` out of `whole` as a percentage (one decimal), or None when either count is a
    small cohort outside the directors' view (or `whole` is zero)."""
    if not whole:
        return None
    if not directors and (shown(part) is FEWER or shown(whole) is FEWER):
        return None
    return round(100 * part / whole, 1)
