"""Discussion topics: on the round's schedule, live by themselves when beat runs past their
release time, emailed once to each active participant, archived by round."""

from datetime import UTC, datetime, time, timedelta
from unittest.mock import patch
from xml.etree import ElementTree

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailPageTestCase

from blog.models import DiscussionTopicPage, TopicIndexPage
from blog.topics import send_topic
from mentoring.models import Application, Partnership
from website.factories.blog import (
    AuthorFactory,
    DiscussionTopicPageFactory,
    TopicIndexPageFactory,
)
from website.factories.images import IllustrationFactory
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.models import HomePage, OutboundEmail
from website.tasks import publish_scheduled_pages


def partnered(round, count: int = 2, **kwargs) -> list[Application]:
    partnership = Partnership.objects.create(round=round)
    return [
        ApplicationFactory(
            round=round, status=Application.Status.MATCHED, partnership=partnership, **kwargs
        )
        for _n in range(count)
    ]


@pytest.fixture
def archive(home_page) -> TopicIndexPage:
    page = TopicIndexPageFactory(parent=home_page)
    page.save_revision().publish()
    return page


@pytest.fixture
def round_(db):
    return RoundFactory(opened_days_ago=60, topic_frequency="fortnightly")


class TestTopicTree(WagtailPageTestCase):
    def test_topics_live_under_the_archive_under_home(self):
        self.assertAllowedParentPageTypes(TopicIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(TopicIndexPage, {DiscussionTopicPage})
        self.assertAllowedParentPageTypes(DiscussionTopicPage, {TopicIndexPage})


@pytest.mark.django_db
def test_release_must_fall_on_the_rounds_schedule_and_drives_go_live(archive, round_):
    topic = DiscussionTopicPageFactory.build(round=round_, release_number=1)
    topic.clean()
    assert topic.go_live_at == topic.release_at
    off_schedule = DiscussionTopicPageFactory.build(
        round=round_, release_at=topic.release_at + timedelta(days=3)
    )
    with pytest.raises(ValidationError) as error:
        off_schedule.clean()
    assert "release_at" in error.value.message_dict


@pytest.mark.django_db
def test_scheduled_topic_goes_live_when_beat_runs_and_is_emailed_once(
    archive, round_, django_capture_on_commit_callbacks
):
    participants = partnered(round_) + partnered(round_)
    ended = Partnership.objects.create(round=round_, ended_at=datetime.now(UTC))
    ApplicationFactory(round=round_, status=Application.Status.MATCHED, partnership=ended)
    ApplicationFactory(round=round_, status=Application.Status.WITHDRAWN)
    release_at = datetime.combine(round_.topic_release_dates()[2], time(8), tzinfo=UTC)
    topic = DiscussionTopicPageFactory(
        parent=archive, round=round_, release_number=2, title="Weeding the collection", live=False
    )
    topic.save_revision().publish()
    topic.refresh_from_db()
    assert not topic.live

    before = release_at - timedelta(minutes=1)
    with (
        django_capture_on_commit_callbacks(execute=True),
        patch("django.utils.timezone.now", return_value=before),
    ):
        publish_scheduled_pages()
    topic.refresh_from_db()
    assert not topic.live
    assert mail.outbox == []

    after = release_at + timedelta(seconds=30)
    with (
        django_capture_on_commit_callbacks(execute=True),
        patch("django.utils.timezone.now", return_value=after),
    ):
        publish_scheduled_pages()
        publish_scheduled_pages()
    topic.refresh_from_db()
    assert topic.live
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        person.email for person in participants
    )
    assert mail.outbox[0].subject == "New discussion topic: Weeding the collection"
    assert "/personal/" in mail.outbox[0].body or "http" in mail.outbox[0].body

    with django_capture_on_commit_callbacks(execute=True):
        topic.save_revision().publish()
        assert send_topic(topic.pk) == 0
    assert len(mail.outbox) == 4
    keys = set(OutboundEmail.objects.values_list("key", flat=True))
    assert {f"topic:{topic.pk}:application:{person.pk}" for person in participants} == keys


@pytest.mark.django_db
def test_archive_lists_live_topics_by_round_with_feeds(client, archive, round_):
    curator = AuthorFactory(name="Lecturers of the School of Information")
    released = DiscussionTopicPageFactory(
        parent=archive,
        round=round_,
        title="Open access",
        guest_curator=curator,
        hero_image=IllustrationFactory(),
        hero_image_alt="A padlock opening over a stack of journals",
    )
    released.save_revision().publish()
    DiscussionTopicPageFactory(
        parent=archive, round=round_, release_number=5, title="Unreleased", live=False
    )
    other = DiscussionTopicPageFactory(
        parent=archive, round=RoundFactory(opened_days_ago=200), title="From another round"
    )
    other.save_revision().publish()

    content = client.get(archive.url).content.decode()
    assert "Open access" in content and "From another round" in content
    assert "Unreleased" not in content
    by_round = client.get(f"{archive.url}round/{round_.slug}/")
    assert "Open access" in by_round.content.decode()
    assert "From another round" not in by_round.content.decode()
    assert client.get(f"{archive.url}round/no-such-round/").status_code == 404

    topic_html = client.get(released.url).content.decode()
    assert "This topic was curated by Lecturers of the School of Information." in topic_html
    assert round_.name in topic_html
    assert 'alt="A padlock opening over a stack of journals"' in topic_html

    rss = ElementTree.fromstring(client.get(archive.url + "feed/rss/").content)
    assert {item.findtext("title") for item in rss.iter("item")} == {
        "Open access",
        "From another round",
    }
    atom = client.get(archive.url + "feed/atom/")
    assert atom.status_code == 200
    assert round_.topics.live().count() == 1
