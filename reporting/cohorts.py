"""Small-cohort suppression, the one rule every figure shown outside the directors' own
dashboard goes through: a count of fewer than five people (but more than none) is replaced by
"fewer than 5", and a share is shown only when the count it is made of would be.

A breakdown (rows that add up to a total shown beside them) hides one more row when exactly one
is hidden (`shown_breakdown`): otherwise the hidden count is the total minus the others."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext

MIN_COHORT = 5


class Suppressed:
    """The one "fewer than 5" value (compare with `is FEWER`); its words are translated
    when it is shown, in the reader's language."""

    _instance: Suppressed | None = None

    def __new__(cls) -> Suppressed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __str__(self) -> str:
        return gettext("fewer than %(n)s") % {"n": MIN_COHORT}

    def __repr__(self) -> str:
        return "FEWER"


FEWER = Suppressed()


def shown(count: int | None, *, directors: bool = False) -> int | Suppressed | None:
    """The count as it may be shown: itself for directors, for none, or for five and more;
    otherwise the words "fewer than 5"."""
    if count is None or directors or count == 0 or count >= MIN_COHORT:
        return count
    return FEWER


def shown_breakdown(counts: Sequence[int | None]) -> list[int | Suppressed | None]:
    """A breakdown's counts as they may be shown: small ones hidden, and when exactly one is
    hidden, the next smallest too, so that none can be worked out from the total."""
    result: list[Any] = [shown(n) for n in counts]
    hidden = [i for i, value in enumerate(result) if value is FEWER]
    if len(hidden) == 1:
        others = [i for i, n in enumerate(counts) if n and result[i] is not FEWER]
        if others:
            result[min(others, key=lambda i: counts[i])] = FEWER
    return result


def shown_rows(rows: Sequence[tuple[str, str, int]]) -> list[tuple[str, str, Any]]:
    """(code, label, count) rows of one breakdown, suppressed as `shown_breakdown`."""
    values = shown_breakdown([n for _code, _label, n in rows])
    return [(code, label, value) for (code, label, _n), value in zip(rows, values, strict=True)]


def shown_share(part: int, whole: int, *, directors: bool = False) -> float | None:
    """`part` out of `whole` as a percentage (one decimal), or None when either count is a
    small cohort outside the directors' view (or `whole` is zero)."""
    if not whole:
        return None
    if not directors and (shown(part) is FEWER or shown(whole) is FEWER):
        return None
    return round(100 * part / whole, 1)
