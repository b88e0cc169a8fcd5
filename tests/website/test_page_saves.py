"""Two saves of one page at once (website/page_saves.py): the editor's autosave, carrying the
revision it was loaded from, arrives while the same page's submission is being saved. It
must be refused as out of date, never stored on top of what was submitted."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from website.factories.website import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_until_a_query_waits_for_a_lock(seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    pytest.fail("the autosave never waited for the page")


def test_an_autosave_sent_during_a_submission_is_refused_not_stored_over_it(
    several_processes_database, home_page
):
    director = UserFactory(username="director-1", groups=[settings.DIRECTORS_GROUP])
    page = StandardPageFactory(parent=home_page, title="How it works", slug="how-it-works")
    loaded = page.save_revision(user=director)

    submission_saving, submission_saved = threading.Event(), threading.Event()

    def save_the_submission() -> None:
        try:
            with transaction.atomic():
                held = Page.objects.select_for_update().get(pk=page.pk).specific
                held.intro = "What was submitted."
                held.save_revision(user=director)
                submission_saving.set()
                submission_saved.wait(10)
        finally:
            connection.close()

    answers = []

    def autosave() -> None:
        client = Client()
        client.force_login(director)
        data = nested_form_data(
            {
                "title": "How it works",
                "slug": "how-it-works",
                "intro": "An older draft.",
                "body": streamfield([("paragraph", rich_text("<p>Older.</p>"))]),
            }
        )
        data["loaded_revision_id"] = str(loaded.pk)
        data["loaded_revision_created_at"] = loaded.created_at.isoformat()
        try:
            answers.append(
                client.post(f"/admin/pages/{page.pk}/edit/", data, HTTP_ACCEPT="application/json")
            )
        finally:
            connection.close()

    submission = threading.Thread(target=save_the_submission)
    submission.start()
    assert submission_saving.wait(10)
    autosaving = threading.Thread(target=autosave)
    autosaving.start()
    wait_until_a_query_waits_for_a_lock()
    submission_saved.set()
    submission.join(10)
    autosaving.join(20)

    [answer] = answers
    assert answer.json()["error_code"] == "invalid_revision"
    page.refresh_from_db()
    assert page.revisions.count() == 2
    assert page.get_latest_revision().as_object().intro == "What was submitted."
