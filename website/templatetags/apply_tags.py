"""The way into the program shown on the home page, in the menu and on promotional pages:
the round whose applications are open, or else the interest list and the next round."""

from dataclasses import dataclass

from django import template
from django.http import HttpRequest
from django.utils import timezone

register = template.Library()


@dataclass(frozen=True)
class ApplyCall:
    round: object | None
    open: bool


def current_call(request: HttpRequest | None) -> ApplyCall:
    """The open round, or the next one to open; from the shared cache, else one query."""
    cached = getattr(request, "_apply_call", None)
    if cached is not None:
        return cached
    from mentoring.models import Round
    from website.pagecache import cached

    now = timezone.now()

    def next_round() -> tuple:
        found = (
            Round.objects.filter(application_closes_at__gt=now)
            .order_by("application_opens_at")
            .only("name", "application_opens_at", "application_closes_at", "starts_on", "ends_on")
            .first()
        )
        return (found,)

    # Kept until rounds change (a new content generation) or a round's applications close.
    (round,) = cached("apply-call", next_round)
    if round is not None and round.application_closes_at <= now:
        (round,) = next_round()
    call = ApplyCall(round=round, open=bool(round and round.application_opens_at <= now))
    if request is not None:
        request._apply_call = call
    return call


@register.inclusion_tag("includes/apply_call.html", takes_context=True)
def apply_call(context, variant: str = "banner") -> dict:
    """`variant` is "banner" (a paragraph) or "menu" (an item of the main menu)."""
    return {"call": current_call(context.get("request")), "variant": variant}
