"""What every public form shares: the honeypot field that bots fill in and people never see,
and per-address rate limits (django-ratelimit, counted in the shared cache by the visitor's
address as `website.http.client_address` finds it behind the trusted proxies). A window is
django-ratelimit's: a fixed period, staggered per address, so a limit reached lifts at most
SUBMISSION_RATE_WINDOW seconds later."""

from collections.abc import Mapping

from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage, is_ratelimited

from website.http import client_address

HONEYPOT_FIELD = "website"
DEFAULT_RATE_LIMIT = 5
DEFAULT_RATE_WINDOW = 3600
ATTEMPTS_PER_SUBMISSION = 6


def honeypot_field() -> forms.CharField:
    return forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


def honeypot_filled(data: Mapping) -> bool:
    """Whether the sent data fills the honeypot (read before, or without, validation)."""
    return bool(str(data.get(HONEYPOT_FIELD) or "").strip())


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS and marked for screen readers to skip); bots
    fill it in. A form that finds it filled thanks the sender and stores nothing."""

    required_css_class = "required"

    website = honeypot_field()

    def is_bot(self) -> bool:
        return honeypot_filled(self.data)


def client_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key: the visitor's address, never one a visitor wrote themselves."""
    return client_address(request)


def rate_window() -> int:
    return getattr(settings, "SUBMISSION_RATE_WINDOW", DEFAULT_RATE_WINDOW)


def submission_rate(group: str, request: HttpRequest) -> tuple[int, int]:
    """How many forms one address may send in the window (SUBMISSION_RATE_LIMIT)."""
    return getattr(settings, "SUBMISSION_RATE_LIMIT", DEFAULT_RATE_LIMIT), rate_window()


def attempt_rate(group: str, request: HttpRequest) -> tuple[int, int]:
    """How many times one address may try to send a form (sent or not) in the window."""
    sent, window = submission_rate(group, request)
    return sent * ATTEMPTS_PER_SUBMISSION, window


def count_attempt(request: HttpRequest, form_name: str) -> bool:
    """Count one try at sending the form, valid or not. True when this address may not send
    it now: it had already tried too often, or sent as many as it may, in the window."""
    tried_too_often = is_ratelimited(
        request,
        group=f"public-form:{form_name}:tried",
        key=client_key,
        rate=attempt_rate,
        increment=True,
    )
    # Peeked at, not counted: one more would exceed the limit once `limit` were sent.
    sent = get_usage(
        request, group=f"public-form:{form_name}:sent", key=client_key, rate=submission_rate
    )
    return tried_too_often or (sent is not None and sent["count"] >= sent["limit"])


def count_submission(request: HttpRequest, form_name: str) -> None:
    """Count one form accepted from this address."""
    is_ratelimited(
        request,
        group=f"public-form:{form_name}:sent",
        key=client_key,
        rate=submission_rate,
        increment=True,
    )


def over_limit(request: HttpRequest, group: str, limit: int, window: int) -> bool:
    """Count one use of `group` by this address; True once it has made more than `limit` in
    the window."""
    return is_ratelimited(
        request, group=group, key=client_key, rate=(limit, window), increment=True
    )


def rate_limited_message() -> str:
    return gettext(
        "You have sent several submissions in a short time. Please wait an hour and send "
        "this one again; what you typed is still here."
    )
