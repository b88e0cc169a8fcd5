"""Matching runs recover by themselves: a run whose worker died (its lease lapsed) is queued
again by beat's check and completes with the same pairs; a run whose worker keeps dying
fails with a retry button; a director may restart a run as soon as its lease has lapsed,
never while a live worker holds it."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Application, MatchRun
from mentoring.services import recovery, runs
from website.factories.mentoring import ApplicationFactory, RoundFactory
from website.factories.website import UserFactory

pytestmark = pytest.mark.django_db
COUNTRIES = ["AU", "US", "GB", "KE", "BR", "IN", "JP", "FR"]


@pytest.fixture
def matching_round(db):
    round = RoundFactory(opened_days_ago=33)
    for index in range(12):
        ApplicationFactory(
            round=round,
            status=Application.Status.CONFIRMED,
            country=COUNTRIES[index % len(COUNTRIES)],
            years_experience=index,
        )
    return round


def killed_mid_run(round, capture, lapsed_seconds: float = 1) -> MatchRun:
    """What a worker SIGKILLed during the engine leaves: RUNNING, a lease nobody renews."""
    with capture(execute=False):
        run = runs.start_run(round)
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRun.Status.RUNNING,
        attempts=1,
        started_at=timezone.now() - timedelta(minutes=1),
        lease_token="dead-worker",
        lease_expires_at=timezone.now() - timedelta(seconds=lapsed_seconds),
    )
    return run


def pairs_of(run):
    return sorted(tuple(sorted(m.pk for m in pair.members)) for pair in run.pairs.all())


def test_beat_requeues_a_run_whose_worker_died_and_it_completes(
    matching_round, django_capture_on_commit_callbacks
):
    run = killed_mid_run(matching_round, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        result = recovery.recover()
    assert result == {"requeued": [run.pk], "failed": []}
    run = MatchRun.objects.get(pk=run.pk)
    assert run.status == MatchRun.Status.DONE
    assert run.attempts == 2 and run.pairs.count() == 6

    # The same seed, run whole once more elsewhere, gives the same pairs.
    with django_capture_on_commit_callbacks(execute=False):
        again = runs.start_run(matching_round)
    MatchRun.objects.filter(pk=again.pk).update(seed=run.seed)
    runs.execute_run(again.pk)
    assert pairs_of(MatchRun.objects.get(pk=again.pk)) == pairs_of(run)


def test_a_live_worker_is_left_alone(matching_round, django_capture_on_commit_callbacks):
    run = killed_mid_run(matching_round, django_capture_on_commit_callbacks, lapsed_seconds=-30)
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.recover() == {"requeued": [], "failed": []}
    # A second delivery of the task while the lease is held does nothing either.
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.RUNNING and run.lease_token == "dead-worker"


def test_a_run_whose_worker_keeps_dying_fails_with_a_retry(
    client, matching_round, django_capture_on_commit_callbacks
):
    run = killed_mid_run(matching_round, django_capture_on_commit_callbacks)
    MatchRun.objects.filter(pk=run.pk).update(attempts=settings.MATCHING_MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.recover() == {"requeued": [], "failed": [run.pk]}
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert "stopped 3 times" in run.error

    client.force_login(UserFactory(username="director", groups=[settings.DIRECTORS_GROUP]))
    page = client.get(reverse("mentoring_matching:run", args=[run.pk])).content.decode()
    assert "Run it again" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentoring_matching:restart", args=[run.pk]))
    new = MatchRun.objects.exclude(pk=run.pk).get()
    assert response.url == reverse("mentoring_matching:run", args=[new.pk])
    assert new.status == MatchRun.Status.DONE


def test_a_director_restarts_a_run_as_soon_as_its_lease_lapsed(
    client, matching_round, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(username="director", groups=[settings.DIRECTORS_GROUP]))
    live = killed_mid_run(matching_round, django_capture_on_commit_callbacks, lapsed_seconds=-30)
    page = client.get(reverse("mentoring_matching:run", args=[live.pk])).content.decode()
    assert "This run stalled" not in page
    response = client.post(reverse("mentoring_matching:restart", args=[live.pk]), follow=True)
    assert "still being worked on" in response.content.decode()
    assert MatchRun.objects.count() == 1

    MatchRun.objects.filter(pk=live.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    page = client.get(reverse("mentoring_matching:run", args=[live.pk])).content.decode()
    assert "This run stalled: run it again" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mentoring_matching:restart", args=[live.pk]))
    stopped, new = MatchRun.objects.get(pk=live.pk), MatchRun.objects.exclude(pk=live.pk).get()
    assert stopped.status == MatchRun.Status.FAILED and f"#{new.pk}" in stopped.error
    assert new.status == MatchRun.Status.DONE
    # Beat does not queue the stopped run as well.
    with django_capture_on_commit_callbacks(execute=True):
        assert recovery.recover() == {"requeued": [], "failed": []}


def test_the_heartbeat_renews_the_lease_while_the_engine_works(
    matching_round, django_capture_on_commit_callbacks, settings, monkeypatch
):
    import threading

    settings.MATCHING_LEASE_SECONDS = 0.4
    renewed = threading.Event()
    original = recovery.lease_until

    def noting():
        renewed.set()
        return original()

    monkeypatch.setattr(recovery, "lease_until", noting)
    with django_capture_on_commit_callbacks(execute=False):
        run = runs.start_run(matching_round)
    compute = runs._compute

    def slow(run):
        renewed.clear()
        assert renewed.wait(5), "no heartbeat while the engine worked"
        return compute(run)

    monkeypatch.setattr(runs, "_compute", slow)
    runs.execute_run(run.pk)
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.DONE
