"""A director schedules a discussion topic in the admin for the round's next topic date;
nothing shows until Celery beat runs past that time; then the topic is live, in the
archive and on the participants' pages, and each participant got it by email once."""

import re
from datetime import UTC, datetime, time, timedelta
from unittest.mock import patch
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from blog.models import DiscussionTopicPage
from mentoring.models import Application, Partnership
from tests.browser.admin import sign_in
from website.factories.blog import TopicIndexPageFactory
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory
from website.tasks import publish_scheduled_pages

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_scheduled_topic_goes_live_when_beat_runs_and_participants_get_it_once(
    page, home_page, requests_made
):
    archive = TopicIndexPageFactory(parent=home_page)
    archive.save_revision().publish()
    round_ = RoundFactory(name="Round 12", slug="round-12", opened_days_ago=60)
    partnership = Partnership.objects.create(round=round_)
    participants = [
        ApplicationFactory(round=round_, status=Application.Status.MATCHED, partnership=partnership)
        for _n in range(2)
    ]
    next_day = next(day for day in round_.topic_release_dates() if day > timezone.localdate())
    release_at = datetime.combine(next_day, time(9), tzinfo=UTC)
    UserFactory(username="director", groups=[settings.DIRECTORS_GROUP])

    sign_in(page, "director")
    page.goto(f"/admin/pages/add/blog/discussiontopicpage/{archive.pk}/")
    page.locator("#id_title").fill("Library advocacy")
    page.get_by_role("button", name=re.compile(r"Choose .*round", re.IGNORECASE)).click()
    page.get_by_role("dialog").get_by_role("link", name="Round 12").click()
    expect(page.locator("#id_round")).to_have_value(str(round_.pk))
    page.locator("#id_release_at").fill(release_at.strftime("%Y-%m-%d %H:%M"))
    page.locator("#id_intro").fill("How does your library tell people what it does?")
    page.get_by_role("button", name="Insert a block").first.click()
    page.get_by_role("option", name="Paragraph").click()
    editor = page.locator(".public-DraftEditor-content").first
    editor.focus()
    editor.press_sequentially("Compare notes with your partner.", delay=10)
    page.locator("#id_intro").focus()
    expect(page.locator("input[name='body-0-value']")).to_have_value(re.compile("Compare"))
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Library advocacy")
    topic = DiscussionTopicPage.objects.get(title="Library advocacy")
    assert not topic.live
    page.context.clear_cookies()

    assert page.request.get(topic.url).status == 404
    with patch("django.utils.timezone.now", return_value=release_at - timedelta(minutes=5)):
        publish_scheduled_pages()
    assert page.request.get(topic.url).status == 404
    assert mail.outbox == []

    with patch("django.utils.timezone.now", return_value=release_at + timedelta(seconds=40)):
        publish_scheduled_pages()
        publish_scheduled_pages()
    page.goto(archive.url)
    page.get_by_role("link", name="Library advocacy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Library advocacy")
    expect(page.get_by_text("Compare notes with your partner.")).to_be_visible()

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        person.email for person in participants
    )
    message = mail.outbox[0]
    assert message.subject == "New discussion topic: Library advocacy"
    personal_url = next(
        url for url in re.findall(r"https?://\S+", message.body) if "library-advocacy" not in url
    )
    page.goto(urlsplit(personal_url).path)
    expect(page.get_by_role("link", name="Library advocacy")).to_be_visible()
    assert requests_made.third_party() == []
