"""The Outbox listing in the admin: who sees it, what it shows (recipient, purpose, state,
times, body), its filters and search, and settling a message in doubt by hand."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse

from website.factories.website import UserFactory
from website.models import OutboundEmail

pytestmark = pytest.mark.django_db

Status = OutboundEmail.Status
CONTEXT = {"name": "Ana Silva", "round": "Round 9", "page_url": "http://testserver/me/x/"}


@pytest.fixture
def clerk(client):
    """A volunteer holding the outbox model's own permissions, as directors and data
    officers do: view (the listing) and change (settling)."""
    user = UserFactory(username="outbox-clerk")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "view_outboundemail", "change_outboundemail"]
        )
    )
    client.force_login(user)
    return client


def row(status: str, to: str = "ana@example.org", template: str = "personal_link", **fields):
    return OutboundEmail.objects.create(
        key=f"{template}:{to}:{status}",
        to=to,
        template=template,
        context=CONTEXT,
        status=status,
        **fields,
    )


def test_listing_shows_recipient_purpose_and_state(clerk):
    row(Status.IN_DOUBT)
    row(Status.SENT, to="li.wei@example.org", template="check_in", subject="Day 7")
    response = clerk.get(reverse("outbox:index"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "ana@example.org" in text and "li.wei@example.org" in text
    assert "Personal link" in text and "Check in" in text
    assert "In doubt" in text
    assert ">None<" not in text  # an unsent row's empty "sent" time


def test_filters_by_state_and_purpose_and_searches_by_recipient(clerk):
    row(Status.IN_DOUBT)
    row(Status.SENT, to="li.wei@example.org", template="check_in")
    row(Status.SENT, to="ana@example.org", template="check_in")
    url = reverse("outbox:index")

    by_state = clerk.get(url, {"status": Status.IN_DOUBT})
    assert [m.to for m in by_state.context["object_list"]] == ["ana@example.org"]
    by_purpose = clerk.get(url, {"template": "check_in"})
    assert {m.to for m in by_purpose.context["object_list"]} == {
        "li.wei@example.org",
        "ana@example.org",
    }
    searched = clerk.get(url, {"q": "li.wei"})
    assert [m.to for m in searched.context["object_list"]] == ["li.wei@example.org"]
    # Bad filter values are refused with a message, never a server error.
    bad = clerk.get(url, {"status": "'; DROP", "template": "nope", "created_at_after": "31/31"})
    assert bad.status_code == 200


def test_inspect_view_shows_the_subject_and_body(clerk):
    message = row(Status.IN_DOUBT)
    response = clerk.get(reverse("outbox:inspect", args=[message.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Ana Silva" in text and "http://testserver/me/x/" in text
    assert "The link to your page" in text  # the subject: the row has none until sent
    assert reverse("outbox:edit", args=[message.pk]) not in text


def test_mark_sent_asks_then_settles(clerk):
    message = row(Status.IN_DOUBT)
    url = reverse("outbox:mark_sent", args=[message.pk])
    page = clerk.get(url)
    assert page.status_code == 200
    assert OutboundEmail.objects.get(pk=message.pk).status == Status.IN_DOUBT  # GET changes nothing

    clerk.post(url)
    stored = OutboundEmail.objects.get(pk=message.pk)
    assert stored.status == Status.SENT
    assert stored.sent_at is not None
    assert mail.outbox == []


def test_send_again_names_the_risk_then_sends_once(clerk, django_capture_on_commit_callbacks):
    message = row(Status.IN_DOUBT)
    url = reverse("outbox:send_again", args=[message.pk])
    page = clerk.get(url).content.decode()
    assert "twice" in page and "ana@example.org" in page
    assert OutboundEmail.objects.get(pk=message.pk).status == Status.IN_DOUBT

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(url)
    assert response.status_code == 302
    assert OutboundEmail.objects.get(pk=message.pk).status == Status.SENT
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]

    # Pressed again (a second tab): the message is no longer in doubt; nothing is sent.
    with django_capture_on_commit_callbacks(execute=True):
        again = clerk.post(url, follow=True)
    assert "no longer in doubt" in again.content.decode()
    assert len(mail.outbox) == 1


def test_only_rows_in_doubt_offer_settling(clerk):
    row(Status.SENT)
    text = clerk.get(reverse("outbox:index")).content.decode()
    assert "Mark sent" not in text and "Send again" not in text


def test_without_the_outbox_permissions_nothing_is_shown(client):
    user = UserFactory(username="someone-else")
    user.user_permissions.set(Permission.objects.filter(codename="access_admin"))
    client.force_login(user)
    message = row(Status.IN_DOUBT)
    assert client.get(reverse("outbox:index")).status_code in {302, 403}
    assert client.get(reverse("outbox:inspect", args=[message.pk])).status_code in {302, 403}
    assert client.post(reverse("outbox:send_again", args=[message.pk])).status_code in {302, 403}
    assert OutboundEmail.objects.get(pk=message.pk).status == Status.IN_DOUBT


def test_viewing_alone_cannot_settle(client):
    user = UserFactory(username="reader")
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["access_admin", "view_outboundemail"])
    )
    client.force_login(user)
    message = row(Status.IN_DOUBT)
    assert client.get(reverse("outbox:index")).status_code == 200
    assert "Send again" not in client.get(reverse("outbox:index")).content.decode()
    assert client.post(reverse("outbox:mark_sent", args=[message.pk])).status_code in {302, 403}
    assert OutboundEmail.objects.get(pk=message.pk).status == Status.IN_DOUBT


def test_nobody_edits_or_deletes_rows_by_hand(admin_client):
    message = row(Status.SENT)
    assert admin_client.get(reverse("outbox:edit", args=[message.pk])).status_code in {302, 403}
    assert admin_client.post(reverse("outbox:delete", args=[message.pk])).status_code in {302, 403}
    assert OutboundEmail.objects.filter(pk=message.pk).exists()
