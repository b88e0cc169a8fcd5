"""Approval as a job: the director's click returns at once, the run shows its progress, the
job makes the partnerships in batches, and a job stopped half-way and run again goes on where
it stopped and introduces each person once."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from mentoring.models import (
    Application,
    CheckIn,
    MatchRun,
    Partnership,
    Person,
    ProposedPair,
    ProposedUnmatched,
    Round,
    UnresponsiveReport,
)
from mentoring.services import approval, runs
from tests.mentoring.test_admin import signed_in
from website.factories.mentoring import RoundFactory
from website.models import OutboundEmail

COUNTRIES = ["AU", "US", "GB", "KE", "BR", "IN", "JP", "FR", "NG", "MX", "CL", "NZ"]
REASONS = {
    "score": 72.5,
    "criteria": [{"criterion": "interests", "points": 20.0, "max_points": 25.0}],
    "wishes": [],
    "shared": {"interests": ["data"], "languages": [], "overlap_hours": 3},
}


def reviewed_run(pairs: int, unmatched: int = 0, round: Round | None = None) -> MatchRun:
    """A run ready for review with `pairs` pairs (and one triad) and `unmatched` people on
    the waiting list, written straight to the database."""
    round = round or RoundFactory(opened_days_ago=33)
    size = 2 * pairs + 3 + unmatched
    now = timezone.now()
    emails = [f"approve{round.pk}-{n:06d}@example.org" for n in range(size)]
    Person.objects.bulk_create([Person(email_normalised=email) for email in emails])
    people = dict(
        Person.objects.filter(email_normalised__in=emails).values_list("email_normalised", "pk")
    )
    Application.objects.bulk_create(
        [
            Application(
                round=round,
                person_id=people[email],
                name=f"Approved {n:06d}",
                email=email,
                email_normalised=email,
                status=Application.Status.CONFIRMED,
                country=COUNTRIES[n % len(COUNTRIES)],
                sector="public",
                role="Librarian",
                career_stage="mid",
                years_experience=n % 30,
                agreed_code_of_conduct_at=now,
                agreed_requirements_at=now,
                consent_version="test",
            )
            for n, email in enumerate(emails)
        ],
        batch_size=2000,
    )
    ids = list(Application.objects.filter(round=round).order_by("pk").values_list("pk", flat=True))
    run = MatchRun.objects.create(
        round=round, status=MatchRun.Status.DONE, hierarchy=round.hierarchy, pool_size=size
    )
    proposals = [
        ProposedPair(run=run, first_id=ids[2 * k], second_id=ids[2 * k + 1], score=72.5)
        for k in range(pairs)
    ]
    proposals.append(
        ProposedPair(
            run=run,
            first_id=ids[2 * pairs],
            second_id=ids[2 * pairs + 1],
            third_id=ids[2 * pairs + 2],
            score=70.0,
            reasons={"links": [REASONS, REASONS, REASONS]},
        )
    )
    for proposal in proposals[:-1]:
        proposal.reasons = REASONS
    ProposedPair.objects.bulk_create(proposals, batch_size=2000)
    ProposedUnmatched.objects.bulk_create(
        [
            ProposedUnmatched(run=run, application_id=pk, reason="waitlist")
            for pk in ids[2 * pairs + 3 :]
        ]
    )
    return run


def introductions(run: MatchRun) -> list[str]:
    return list(
        OutboundEmail.objects.filter(
            key__startswith="introduction:", to__startswith=f"approve{run.round_id}-"
        ).values_list("key", flat=True)
    )


@pytest.mark.django_db
def test_the_click_returns_at_once_and_the_job_approves_a_large_run(
    client, django_capture_on_commit_callbacks
):
    signed_in(client, settings.DIRECTORS_GROUP)
    run = reviewed_run(pairs=2500, unmatched=5)
    approve = reverse("mentoring_matching:approve", args=[run.pk])

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(approve, {"confirm": "approve"}, follow=True)
    assert response.status_code == 200
    assert "The approval is under way" in response.content.decode()
    assert "Approval in progress" in response.content.decode()
    assert MatchRun.objects.get(pk=run.pk).status == MatchRun.Status.APPROVING
    assert Partnership.objects.filter(round=run.round).count() == 0
    progress = client.get(reverse("mentoring_matching:progress", args=[run.pk])).json()
    assert progress["status"] == "approving" and progress["progress"] == 0

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()  # the queued job, run here as a worker would
    run.refresh_from_db()
    assert run.status == MatchRun.Status.APPROVED and run.progress == 1
    assert Partnership.objects.filter(round=run.round).count() == 2501
    assert not run.pairs.filter(partnership__isnull=True).exists()
    matched = Application.objects.filter(round=run.round, status=Application.Status.MATCHED)
    assert matched.count() == 5003
    assert matched.filter(partnership__isnull=True).count() == 0
    waiting = Application.objects.filter(round=run.round, status=Application.Status.WAITLISTED)
    assert waiting.count() == 5
    keys = introductions(run)
    assert len(keys) == len(set(keys)) == 5003
    assert len(mail.outbox) == 5003
    triad = run.pairs.get(third__isnull=False)
    assert triad.partnership.members.count() == 3

    response = client.post(approve, {"confirm": "approve"}, follow=True)
    assert "This run is already approved." in response.content.decode()
    assert len(introductions(run)) == 5003


class Killed(Exception):
    """The worker dies here."""


@pytest.mark.django_db
def test_a_job_stopped_half_way_goes_on_where_it_stopped(
    monkeypatch, django_capture_on_commit_callbacks
):
    run = reviewed_run(pairs=1200)
    approval.start_approval(run)
    real_batch = approval._approve_batch
    calls = {"n": 0}

    def dies_on_the_third_batch(*args, **kwargs):
        calls["n"] += 1
        real_batch(*args, **kwargs)
        if calls["n"] == 3:
            raise Killed

    monkeypatch.setattr(approval, "_approve_batch", dies_on_the_third_batch)
    with pytest.raises(Killed):
        approval.execute_approval(run.pk, batch=200)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.APPROVING
    assert run.pairs.filter(partnership__isnull=False).count() == 400
    assert Partnership.objects.filter(round=run.round).count() == 400
    assert len(introductions(run)) == 800
    assert run.progress == pytest.approx(400 / 1201, abs=0.001)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert approval.resume_approvals() == []  # its worker's lease still runs
    MatchRun.objects.filter(pk=run.pk).update(lease_expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert approval.resume_approvals() == [run.pk]
    assert len(queued) == 1

    monkeypatch.setattr(approval, "_approve_batch", real_batch)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        made = approval.execute_approval(run.pk, batch=200)
    assert made == 801
    run.refresh_from_db()
    assert run.status == MatchRun.Status.APPROVED
    assert Partnership.objects.filter(round=run.round).count() == 1201
    keys = introductions(run)
    assert len(keys) == len(set(keys)) == 2403
    assert len(mail.outbox) == 2403 - 800
    assert approval.execute_approval(run.pk) == 0
    assert len(introductions(run)) == 2403


@pytest.mark.django_db
def test_the_rematch_pool_is_one_query(django_assert_num_queries):
    run = reviewed_run(pairs=40)
    approval.approve(run)
    partnerships = list(Partnership.objects.filter(round=run.round).order_by("pk")[:10])
    Partnership.objects.filter(pk__in=[p.pk for p in partnerships]).update(
        flagged_at=timezone.now()
    )
    expected = []
    for index, partnership in enumerate(partnerships):
        first, second = partnership.members.order_by("pk")[:2]
        if index % 2:
            CheckIn.objects.create(
                application=first, day=7, heard_from_partner=False, answered_at=timezone.now()
            )
            expected.append(first.pk)
        elif index % 4 == 0:
            UnresponsiveReport.objects.create(reporter=second, partnership=partnership)
            expected.append(second.pk)
    with django_assert_num_queries(1):
        pool = runs.rematch_pool(run.round)
    assert pool == sorted(expected)
