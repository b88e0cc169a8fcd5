"""Twelve-month terms: the recommit-or-resign email a month before the end, once; the signed
link's page, where only a POST changes anything; bad and used links get a clear page."""

import time
from datetime import date, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from ambassadors.models import Ambassador, one_term_after
from ambassadors.services import terms
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_a_term_lasts_twelve_months(spanish_ambassador):
    assert one_term_after(date(2026, 3, 1)) == date(2027, 2, 28)
    assert one_term_after(date(2028, 2, 29)) == date(2029, 2, 27)
    assert spanish_ambassador.term_ends_on == one_term_after(spanish_ambassador.term_starts_on)


def ending_soon(ambassador: Ambassador, days: int = 20) -> Ambassador:
    ambassador.term_ends_on = timezone.localdate() + timedelta(days=days)
    ambassador.save()
    return ambassador


def test_reminder_goes_once_a_month_before_the_end(spanish_ambassador, french_ambassador):
    ending_soon(spanish_ambassador)
    assert terms.send_reminders() == 1
    assert terms.send_reminders() == 1
    emails = OutboundEmail.objects.filter(template="ambassador_recommit")
    assert [email.to for email in emails] == [spanish_ambassador.email]
    assert "/ambassador-term/" in emails[0].context["link"]


def test_the_link_page_changes_nothing_until_a_button_is_pressed(client, spanish_ambassador):
    ambassador = ending_soon(spanish_ambassador)
    url = f"/ambassador-term/{terms.make_token(ambassador)}/"
    response = client.get(url)
    assert response.status_code == 200
    assert 'value="recommit"' in response.content.decode()
    assert 'value="resign"' in response.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.recommitted_at is None and ambassador.resigned_on is None


def test_recommit_extends_the_term_and_the_link_is_spent(client, spanish_ambassador):
    ambassador = ending_soon(spanish_ambassador)
    old_end = ambassador.term_ends_on
    url = f"/ambassador-term/{terms.make_token(ambassador)}/"
    response = client.post(url, {"choice": "recommit"})
    assert response.status_code == 200
    ambassador.refresh_from_db()
    assert ambassador.term_ends_on == one_term_after(old_end + timedelta(days=1))
    assert ambassador.recommitted_at is not None
    again = client.post(url, {"choice": "resign"})
    assert again.status_code == 400
    assert "already been recorded" in again.content.decode()
    ambassador.refresh_from_db()
    assert ambassador.resigned_on is None


def test_resign_ends_the_term_and_the_access(client, spanish_ambassador):
    ambassador = ending_soon(spanish_ambassador)
    response = client.post(
        f"/ambassador-term/{terms.make_token(ambassador)}/", {"choice": "resign"}
    )
    assert response.status_code == 200
    ambassador.refresh_from_db()
    assert ambassador.resigned_on == timezone.localdate()
    assert not ambassador.user.groups.exists()
    assert not Ambassador.objects.active().filter(pk=ambassador.pk).exists()


def test_tampered_and_expired_links_get_a_clear_page(client, spanish_ambassador):
    token = terms.make_token(spanish_ambassador)
    response = client.get(f"/ambassador-term/{token[:-3]}abc/")
    assert response.status_code == 400
    assert "incomplete or has been changed" in response.content.decode()

    much_later = time.time() + terms.LINK_MAX_AGE.total_seconds() + 86400
    with mock.patch("django.core.signing.time.time", return_value=much_later):
        response = client.post(f"/ambassador-term/{token}/", {"choice": "resign"})
    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    spanish_ambassador.refresh_from_db()
    assert spanish_ambassador.resigned_on is None


def test_a_lapsed_term_ends_the_access(spanish_ambassador):
    from ambassadors.tasks import send_term_reminders

    Ambassador.objects.filter(pk=spanish_ambassador.pk).update(
        term_ends_on=timezone.localdate() - timedelta(days=1)
    )
    assert spanish_ambassador.user.groups.exists()
    send_term_reminders()
    assert not spanish_ambassador.user.groups.exists()
    assert not OutboundEmail.objects.filter(template="ambassador_recommit").exists()
