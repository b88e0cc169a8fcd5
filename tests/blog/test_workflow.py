"""The editorial workflow's emails: reviewers are told a page waits, the author is told the
decision with the reviewer's comment, each once, all through the outbox (Wagtail's own
workflow emails are replaced)."""

from datetime import timedelta
from unittest.mock import patch

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from website.factories.blog import BlogIndexPageFactory, BlogPageFactory
from website.factories.website import UserFactory
from website.models import OutboundEmail


@pytest.fixture
def people(db):
    return {
        "officer": UserFactory(username="officer", groups=[settings.CONTENT_OFFICERS_GROUP]),
        "editor": UserFactory(username="editor", groups=[settings.GUEST_EDITORS_GROUP]),
        "director": UserFactory(username="director", groups=[settings.DIRECTORS_GROUP]),
    }


@pytest.fixture
def draft(home_page, people):
    blog = BlogIndexPageFactory(parent=home_page)
    blog.save_revision().publish()
    post = BlogPageFactory(parent=blog, title="Budget season", live=False)
    post.save_revision(user=people["officer"])
    return post


def submit(page, user):
    return page.get_workflow().start(page, user)


def test_officer_cannot_publish_but_submits_and_reviewers_hear_of_it(
    draft, people, django_capture_on_commit_callbacks
):
    assert not draft.permissions_for_user(people["officer"]).can_publish()
    assert draft.permissions_for_user(people["director"]).can_publish()
    with django_capture_on_commit_callbacks(execute=True):
        submit(draft, people["officer"])
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["director@example.org", "editor@example.org"]
    assert all(message.subject == "For review: Budget season" for message in mail.outbox)
    assert OutboundEmail.objects.filter(template="review_requested").count() == 2


def test_approval_tells_the_author_with_the_comment_once(
    draft, people, django_capture_on_commit_callbacks
):
    workflow_state = submit(draft, people["officer"])
    mail.outbox.clear()
    task_state = workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(
            task_state, people["editor"], "approve", comment="Lovely piece."
        )
    draft.refresh_from_db()
    assert draft.live
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]
    assert mail.outbox[0].subject == "Approved: Budget season"
    assert "Lovely piece." in mail.outbox[0].body


def test_rejection_tells_the_author_with_the_comment(
    draft, people, django_capture_on_commit_callbacks
):
    workflow_state = submit(draft, people["officer"])
    mail.outbox.clear()
    task_state = workflow_state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        task_state.task.specific.on_action(
            task_state, people["editor"], "reject", comment="Add a photo, please."
        )
    draft.refresh_from_db()
    assert not draft.live
    assert [message.to for message in mail.outbox] == [["officer@example.org"]]
    assert mail.outbox[0].subject == "Changes requested: Budget season"
    assert "Add a photo, please." in mail.outbox[0].body
    assert "Add a photo, please." in mail.outbox[0].alternatives[0][0]


def test_scheduled_publishing_works_for_a_director(draft, people):
    later = timezone.now() + timedelta(hours=1)
    draft.go_live_at = later
    revision = draft.save_revision(user=people["director"])
    revision.publish(user=people["director"])
    draft.refresh_from_db()
    assert not draft.live
    call_command("publish_scheduled")
    draft.refresh_from_db()
    assert not draft.live
    with patch("django.utils.timezone.now", return_value=later + timedelta(minutes=1)):
        call_command("publish_scheduled")
    draft.refresh_from_db()
    assert draft.live
