"""A worker that dies while posting leaves the post POSTING. Nothing posts it again blindly:
on networks that recognise a repeat it goes again (and cannot double); on the others it is
marked in doubt, and a coordinator marks it posted (with its link) or posts it again."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from social import services
from social.models import SocialPost
from social.networks import ADAPTERS
from website.factories.website import StandardPageFactory, UserFactory

pytestmark = pytest.mark.django_db
Status = SocialPost.Status


class WorkerKilled(BaseException):
    """What a SIGKILL looks like from inside: nothing after it runs."""


@pytest.fixture
def story(home_page):
    return StandardPageFactory(parent=home_page, title="Postcard from Lagos")


def crash_while_posting(story, network, monkeypatch, after_posting=False) -> SocialPost:
    """The worker dies in the adapter: before the network heard of the post, or after the
    network took it but before the row could say so."""
    post = SocialPost.objects.create(page=story, network=network)
    adapter = ADAPTERS[network]

    def killed(*args):
        if after_posting:
            adapter(*args)
        raise WorkerKilled

    monkeypatch.setitem(ADAPTERS, network, killed)
    with pytest.raises(WorkerKilled):
        services.publish(post.pk)
    monkeypatch.undo()
    post.refresh_from_db()
    assert post.status == Status.POSTING and post.claimed_at
    return post


def later(minutes: int):
    return timezone.now() + timedelta(minutes=minutes)


def test_a_redelivered_task_does_not_post_a_post_in_flight(
    social_settings, networks, story, monkeypatch
):
    post = crash_while_posting(story, "x", monkeypatch)
    assert services.publish(post.pk) is None
    assert networks.requests == []


def test_recent_attempts_are_left_alone(social_settings, networks, story, monkeypatch):
    crash_while_posting(story, "x", monkeypatch)
    assert services.recover_stuck(later(5)) == {"requeued": 0, "in_doubt": 0}


def test_on_x_a_stuck_post_is_in_doubt_until_a_coordinator_settles_it(
    social_settings, networks, story, monkeypatch, client
):
    post = crash_while_posting(story, "x", monkeypatch)
    assert services.recover_stuck(later(11)) == {"requeued": 0, "in_doubt": 1}
    post.refresh_from_db()
    assert post.status == Status.IN_DOUBT
    assert "not known whether this went out" in post.error
    assert networks.requests == []

    client.force_login(
        UserFactory(username="social", groups=[django_settings.SOCIAL_COORDINATORS_GROUP])
    )
    listing = client.get(reverse("wagtailsnippets_social_socialpost:list")).content.decode()
    mark = reverse("wagtailsnippets_social_socialpost:mark_posted", args=[post.pk])
    again = reverse("wagtailsnippets_social_socialpost:retry", args=[post.pk])
    assert "In doubt" in listing and mark in listing and again in listing
    assert "showing it twice" not in listing
    assert "would show it twice" in client.get(again).content.decode()

    refused = client.post(mark, {"link": "not a link"})
    assert refused.status_code == 200
    assert "Enter a valid URL" in refused.content.decode()
    assert "not a link" in refused.content.decode()
    client.post(mark, {"link": "https://x.com/iln/status/1445880548472328192"})
    post.refresh_from_db()
    assert post.status == Status.POSTED
    assert post.remote_url == "https://x.com/iln/status/1445880548472328192"
    assert services.publish(post.pk) is None
    assert client.post(again).status_code == 302
    assert networks.requests == []


def test_a_coordinator_posts_an_in_doubt_post_again_once(
    social_settings, networks, story, monkeypatch, client, django_capture_on_commit_callbacks
):
    post = crash_while_posting(story, "x", monkeypatch)
    services.recover_stuck(later(11))
    client.force_login(
        UserFactory(username="social", groups=[django_settings.SOCIAL_COORDINATORS_GROUP])
    )
    again = reverse("wagtailsnippets_social_socialpost:retry", args=[post.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(again)
        client.post(again)
    post.refresh_from_db()
    assert post.status == Status.POSTED
    assert len([r for r in networks.requests if r.path == "/2/tweets"]) == 1


def test_on_mastodon_a_stuck_post_goes_again_with_the_same_idempotency_key(
    social_settings, networks, story, monkeypatch, django_capture_on_commit_callbacks
):
    post = crash_while_posting(story, "mastodon", monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_stuck(later(11)) == {"requeued": 1, "in_doubt": 0}
    post.refresh_from_db()
    assert post.status == Status.POSTED and post.attempts == 2
    statuses = [r for r in networks.requests if r.path == "/api/v1/statuses"]
    assert [r.headers["idempotency-key"] for r in statuses] == [f"iln-social-{post.pk}"]


def test_on_mastodon_after_the_servers_memory_of_the_key_it_is_in_doubt(
    social_settings, networks, story, monkeypatch
):
    post = crash_while_posting(story, "mastodon", monkeypatch)
    assert services.recover_stuck(later(120)) == {"requeued": 0, "in_doubt": 1}
    post.refresh_from_db()
    assert post.status == Status.IN_DOUBT


def test_on_bluesky_a_post_that_got_through_is_found_not_posted_again(
    social_settings, networks, story, monkeypatch, django_capture_on_commit_callbacks
):
    post = crash_while_posting(story, "bluesky", monkeypatch, after_posting=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.recover_stuck(later(600)) == {"requeued": 1, "in_doubt": 0}
    post.refresh_from_db()
    assert post.status == Status.POSTED
    created = [r for r in networks.requests if r.path == "/xrpc/com.atproto.repo.createRecord"]
    assert len(created) == 1
    assert post.remote_url.endswith(f"/post/{created[0].json['rkey']}")


def test_the_beat_schedule_runs_recovery():
    schedule = django_settings.CELERY_BEAT_SCHEDULE.values()
    assert any(entry["task"] == "social.tasks.recover_stuck_posts" for entry in schedule)
