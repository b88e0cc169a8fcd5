"""The outbox sends each message once: a repeated request, a rerun task or a retry after a
crash never sends twice."""

import pytest
from django.core import mail

from website.models import OutboundEmail
from website.outbox import deliver, queue_email
from website.tasks import send_outbound_email


@pytest.fixture
def email_templates(tmp_path, settings):
    folder = tmp_path / "email" / "hello"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text("Hello {{ name }}\n")
    (folder / "body.txt").write_text("Dear {{ name }}, welcome. {{ base_url }}\n")
    (folder / "body.html").write_text("<p>Dear {{ name }}, welcome.</p>\n")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    return folder


@pytest.mark.django_db
def test_same_key_makes_one_message_and_one_email(
    email_templates, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_email("hello:1", "ana@example.org", "hello", {"name": "Ana"})
        again = queue_email("hello:1", "ana@example.org", "hello", {"name": "Ana"})
    assert first.pk == again.pk
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Hello Ana"
    assert message.to == ["ana@example.org"]
    assert "Dear Ana" in message.body
    assert message.alternatives[0][1] == "text/html"
    first.refresh_from_db()
    assert first.status == OutboundEmail.Status.SENT
    assert first.sent_at is not None


@pytest.mark.django_db
def test_rerunning_the_task_sends_nothing_more(email_templates, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email("hello:2", "ben@example.org", "hello", {"name": "Ben"})
    send_outbound_email.apply(args=[message.pk])
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_message_interrupted_mid_send_is_marked_in_doubt_not_resent(email_templates):
    message = OutboundEmail.objects.create(
        key="hello:3",
        to="cy@example.org",
        template="hello",
        context={"name": "Cy"},
        status=OutboundEmail.Status.SENDING,
        attempts=1,
    )
    assert deliver(message.pk) is None
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.IN_DOUBT
    assert mail.outbox == []


@pytest.mark.django_db
def test_refused_message_is_retried_and_then_sent_once(email_templates, monkeypatch):
    message = OutboundEmail.objects.create(
        key="hello:4", to="di@example.org", template="hello", context={"name": "Di"}
    )
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages
    calls = {"n": 0}

    def flaky(self, messages):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionRefusedError("server busy")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    send_outbound_email.apply(args=[message.pk], throw=False)
    message.refresh_from_db()
    assert message.status == OutboundEmail.Status.SENT
    assert message.attempts == 2
    assert len(mail.outbox) == 1
