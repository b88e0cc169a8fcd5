"""The kit of the public forms: the honeypot, and the per-address rate limits counted by
django-ratelimit in the cache, by the address the trusted-proxy rule gives."""

import time

import pytest
from django import forms
from django.core.cache import cache
from django.test import RequestFactory
from django_ratelimit.core import get_usage

from website.public_forms import (
    HoneypotMixin,
    client_key,
    count_attempt,
    count_submission,
    over_limit,
    submission_rate,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def post(address: str = "203.0.113.7", forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().post("/form/", REMOTE_ADDR=address, **extra)


def send(address: str = "203.0.113.7", form_name: str = "article", **extra) -> bool:
    """One valid form sent: False when it was refused."""
    request = post(address, **extra)
    if count_attempt(request, form_name):
        return False
    count_submission(request, form_name)
    return True


class NameForm(HoneypotMixin):
    name = forms.CharField()


@pytest.mark.parametrize(
    ("trap", "is_bot"), [("http://spam.example", True), ("   ", False), ("", False)]
)
def test_the_honeypot_is_read_before_validation(trap, is_bot):
    assert NameForm({"name": "Ana", "website": trap}).is_bot() is is_bot
    assert NameForm({"name": "Ana"}).is_bot() is False
    assert NameForm().is_bot() is False


def test_an_address_may_send_the_limit_in_the_window_and_another_is_not_held(settings):
    settings.SUBMISSION_RATE_LIMIT = 2
    assert [send() for _ in range(3)] == [True, True, False]
    assert send("198.51.100.9")
    assert send(form_name="postcard"), "each form counts apart"


def test_attempts_sent_or_not_are_limited_to_six_times_the_sends(settings):
    settings.SUBMISSION_RATE_LIMIT = 1
    assert [count_attempt(post(), "article") for _ in range(7)] == [False] * 6 + [True]
    assert not count_attempt(post("198.51.100.9"), "article")


def test_the_window_is_submission_rate_window(settings, monkeypatch):
    settings.SUBMISSION_RATE_LIMIT = 1
    settings.SUBMISSION_RATE_WINDOW = 60
    assert send() and not send()
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    assert send()


def test_the_counts_are_django_ratelimits(settings):
    send()
    send()
    usage = get_usage(
        post(), group="public-form:article:sent", key=client_key, rate=submission_rate
    )
    assert usage["count"] == 2
    settings.SUBMISSION_RATE_LIMIT = 1
    settings.RATELIMIT_ENABLE = False
    assert send() and send()


def test_behind_the_trusted_proxy_the_address_it_saw_counts(settings):
    """Everyone arrives from the proxy; what a visitor writes into X-Forwarded-For stands left
    of what the proxy appended and resets nothing."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SUBMISSION_RATE_LIMIT = 1
    proxy = "10.0.0.2"
    assert send(proxy, forwarded="198.51.100.1, 203.0.113.7")
    assert not send(proxy, forwarded="198.51.100.2, 203.0.113.7")
    assert send(proxy, forwarded="192.0.2.44")


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.SUBMISSION_RATE_LIMIT = 1
    assert send(forwarded="198.51.100.1")
    assert not send(forwarded="192.0.2.44")


def test_over_limit_counts_every_use():
    assert [over_limit(post(), "contact", 2, 3600) for _ in range(3)] == [False, False, True]
    assert not over_limit(post("198.51.100.9"), "contact", 2, 3600)
