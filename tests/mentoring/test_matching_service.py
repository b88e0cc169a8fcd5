"""The matching from the database: a run stored whole or not at all, hard rules kept,
adjustments by hand with warnings, approval that introduces each person once, check-ins and
re-matching."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from mentoring.models import (
    Application,
    CheckIn,
    Interest,
    MatchRun,
    PairRule,
    Partnership,
    Person,
)
from mentoring.services import approval, checkins, review, runs
from website.factories.mentoring import ApplicationFactory, RoundFactory

COUNTRIES = ["AU", "US", "GB", "KE", "BR", "IN", "JP", "FR", "NG", "MX"]
SECTORS = ["public", "academic", "school", "special"]


@pytest.fixture
def matching_round(db):
    """A round past its confirmation deadline, with 21 confirmed applicants (odd)."""
    round = RoundFactory(opened_days_ago=33)
    for index in range(21):
        ApplicationFactory(
            round=round,
            status=Application.Status.CONFIRMED,
            country=COUNTRIES[index % len(COUNTRIES)],
            sector=SECTORS[index % len(SECTORS)],
            wants_sector="different" if index % 3 == 0 else "any",
            years_experience=index,
            name=f"Person {index:02d}",
        )
    ApplicationFactory(round=round, status=Application.Status.VERIFIED, country="CL")
    return round


def run_now(round, capture, **kwargs) -> MatchRun:
    with capture(execute=True):
        run = runs.start_run(round, **kwargs)
    run.refresh_from_db()
    return run


def members(run):
    return [tuple(sorted(m.pk for m in pair.members)) for pair in run.pairs.all()]


@pytest.mark.django_db
def test_a_run_keeps_every_hard_rule(matching_round, django_capture_on_commit_callbacks):
    people = list(Application.objects.in_pool().filter(round=matching_round).order_by("pk"))
    pinned = (people[0], people[5])
    forbidden = (people[1], people[2])
    PairRule.objects.create(
        round=matching_round, first=pinned[0], second=pinned[1], kind=PairRule.Kind.PINNED
    )
    PairRule.objects.create(
        round=matching_round, first=forbidden[0], second=forbidden[1], kind=PairRule.Kind.FORBIDDEN
    )
    earlier = RoundFactory(opened_days_ago=400)
    old = Partnership.objects.create(round=earlier)
    for person in (people[3], people[4]):
        ApplicationFactory(
            round=earlier,
            person=person.person,
            email=person.email,
            status=Application.Status.MATCHED,
            partnership=old,
            country=person.country,
        )

    run = run_now(matching_round, django_capture_on_commit_callbacks)
    assert run.status == MatchRun.Status.DONE
    assert run.pool_size == 21
    groups = [pair.members for pair in run.pairs.select_related("first", "second", "third")]
    placed = [m.pk for group in groups for m in group]
    assert len(placed) == len(set(placed))
    assert len(placed) + run.unmatched.count() == 21
    for group in groups:
        assert len({m.country.code for m in group}) == len(group)
    pairs = {frozenset(m.pk for m in group) for group in groups if len(group) == 2}
    assert frozenset(p.pk for p in pinned) in pairs
    assert all(not {forbidden[0].pk, forbidden[1].pk} <= {m.pk for m in g} for g in groups)
    assert all(not {people[3].pk, people[4].pk} <= {m.pk for m in g} for g in groups)
    assert run.upper_bound >= run.total > 0
    assert run.pairs.filter(third__isnull=False).count() == 1


@pytest.mark.django_db
def test_a_crash_while_storing_leaves_nothing_and_a_rerun_completes(
    matching_round, monkeypatch, django_capture_on_commit_callbacks
):
    from mentoring.models import ProposedUnmatched

    original = ProposedUnmatched.objects.bulk_create

    def crash(*args, **kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(ProposedUnmatched.objects, "bulk_create", crash)
    run = MatchRun.objects.create(round=matching_round, hierarchy=matching_round.hierarchy)
    with pytest.raises(SystemExit):
        runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.RUNNING
    assert run.pairs.count() == 0

    monkeypatch.setattr(ProposedUnmatched.objects, "bulk_create", original)
    # A second delivery while the dead worker's lease still runs does nothing; once it
    # lapses, the rerun completes.
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.RUNNING and run.attempts == 1
    MatchRun.objects.filter(pk=run.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    assert run.pairs.count() == 10
    runs.execute_run(run.pk)
    assert run.pairs.count() == 10


@pytest.mark.django_db
def test_an_engine_error_fails_the_run_cleanly(matching_round, monkeypatch):
    monkeypatch.setattr(runs, "match", lambda *a, **k: 1 / 0)
    run = MatchRun.objects.create(round=matching_round, hierarchy=matching_round.hierarchy)
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.FAILED
    assert "ZeroDivisionError" in run.error
    assert run.pairs.count() == 0


@pytest.mark.django_db
def test_same_seed_same_pairs(matching_round):
    twins = [
        MatchRun.objects.create(round=matching_round, hierarchy=matching_round.hierarchy, seed=7)
        for _ in range(2)
    ]
    for run in twins:
        runs.execute_run(run.pk)
    assert sorted(members(twins[0])) == sorted(members(twins[1]))


@pytest.mark.django_db
def test_hand_adjustments_rescore_and_warn(matching_round, django_capture_on_commit_callbacks):
    run = run_now(matching_round, django_capture_on_commit_callbacks)
    pair = run.pairs.filter(third__isnull=True).first()
    a, b = pair.first, pair.second
    review.unpair(pair)
    assert run.unmatched.filter(application__in=[a, b]).count() == 2
    compatriot = (
        Application.objects.filter(round=matching_round, country=a.country).exclude(pk=a.pk).first()
    )
    same_country = ApplicationFactory(
        round=matching_round, country=a.country.code, status=Application.Status.CONFIRMED
    )
    run.unmatched.create(application=same_country, reason="manual")
    check = review.make_pair(run, a, same_country, accept_warnings=False)
    assert any("Both live in" in warning for warning in check.warnings)
    assert not run.pairs.filter(first=a).exists()
    check = review.make_pair(run, a, b, accept_warnings=False)
    assert check.warnings == []
    assert run.pairs.filter(first=a, second=b, adjusted=True).exists()
    assert compatriot is not None

    one, two = run.pairs.filter(third__isnull=True)[:2]
    before = {one.second_id, two.second_id}
    checks = review.swap(one, two, accept_warnings=True)
    one.refresh_from_db()
    two.refresh_from_db()
    assert {one.second_id, two.second_id} == before
    assert one.score == checks[0].score
    review.refresh_totals(run)
    assert run.total == pytest.approx(sum(p.score for p in run.pairs.all()), abs=0.05)


@pytest.mark.django_db
def test_approval_introduces_everyone_once(matching_round, django_capture_on_commit_callbacks):
    run = run_now(matching_round, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        made = approval.approve(run)
    assert made == run.pairs.count()
    matched = Application.objects.filter(round=matching_round, status=Application.Status.MATCHED)
    assert matched.count() == 21
    assert len(mail.outbox) == 21
    assert all(message.subject.startswith("Meet your") for message in mail.outbox)
    partnership = matched.first().partnership
    assert partnership.published_at is not None
    assert partnership.reasons["summary"]
    with django_capture_on_commit_callbacks(execute=True):
        assert approval.approve(run) == 0
    assert len(mail.outbox) == 21


@pytest.mark.django_db
def test_check_ins_flag_silence_and_rematch(django_capture_on_commit_callbacks):
    round = RoundFactory(opened_days_ago=60)
    people = [
        ApplicationFactory(round=round, status=Application.Status.MATCHED, country=country)
        for country in ["AU", "KE", "BR", "IN"]
    ]
    for first, second in [(people[0], people[1]), (people[2], people[3])]:
        partnership = Partnership.objects.create(round=round, published_at=round.start_datetime)
        Application.objects.filter(pk__in=[first.pk, second.pk]).update(partnership=partnership)
    day_8 = round.start_datetime + timedelta(days=8)
    checkins.send_check_ins(round, day_8)
    checkins.send_check_ins(round, day_8)
    assert CheckIn.objects.filter(day=7).count() == 4
    assert CheckIn.objects.filter(day=14).count() == 0

    people[0].refresh_from_db()
    checkins.answer(people[0], 7, heard_from_partner=False)
    people[2].refresh_from_db()
    checkins.answer(people[2], 7, heard_from_partner=True)
    assert Partnership.objects.filter(flagged_at__isnull=False).count() == 1

    later = round.start_datetime + timedelta(days=20)
    checkins.send_check_ins(round, later)
    silent = checkins.flag_silence(round, later)
    assert set(silent) == {people[1].pk, people[3].pk}
    assert Person.objects.get(pk=people[1].person_id).inactive_in_round == round
    next_time = ApplicationFactory(
        round=RoundFactory(opened_days_ago=1),
        email=people[1].email,
        person=Person.objects.get(pk=people[1].person_id),
    )
    assert next_time.previously_inactive
    assert not people[0].previously_inactive

    pool = runs.rematch_pool(round)
    assert set(pool) == {people[0].pk, people[2].pk}
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.start_run(round, kind=MatchRun.Kind.REMATCH, pool_ids=pool)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE
    with django_capture_on_commit_callbacks(execute=True):
        approval.approve(run)
    people[0].refresh_from_db()
    people[2].refresh_from_db()
    assert people[0].partnership_id == people[2].partnership_id
    assert Partnership.objects.filter(ended_at__isnull=False).count() == 2


@pytest.mark.django_db
def test_an_interest_directors_added_is_matched_on(django_capture_on_commit_callbacks):
    """Two people who share only an interest the directors added are paired for it, and
    their introduction names it."""
    round = RoundFactory(opened_days_ago=33)
    round.hierarchy = [{"criterion": "interests", "weight": 100}]
    round.hard_criteria = ["interests"]
    round.save()
    zines = Interest.objects.create(code="Zines", name="Zines and small press")
    people = []
    for index, (country, interests) in enumerate(
        [("AU", [zines]), ("KE", []), ("BR", [zines]), ("IN", [])]
    ):
        application = ApplicationFactory(
            round=round,
            status=Application.Status.CONFIRMED,
            country=country,
            sector="public",
            wants_sector="any",
            wants_career_stage="any",
            years_experience=5,
            name=f"Person {index}",
        )
        application.interests.set(interests)
        application.save()
        people.append(application)
    run = run_now(round, django_capture_on_commit_callbacks)
    assert run.status == MatchRun.Status.DONE
    pair = next(p for p in run.pairs.all() if people[0] in p.members)
    assert people[2] in pair.members
    assert pair.reasons["shared"]["interests"] == ["zines"]
    with django_capture_on_commit_callbacks(execute=True):
        approval.approve(run)
    people[0].refresh_from_db()
    summary = people[0].partnership.reasons["summary"]
    assert any("zines and small press" in line for line in summary), summary


@pytest.mark.django_db
def test_the_interest_list_stops_at_what_matching_can_compare():
    from django.core.exceptions import ValidationError

    from mentoring.matching.features import MAX_INTERESTS

    existing = Interest.objects.count()
    Interest.objects.bulk_create(
        Interest(code=f"extra-{k}", name=f"Extra {k}") for k in range(MAX_INTERESTS - existing)
    )
    with pytest.raises(ValidationError, match="at most 64 areas of interest"):
        Interest(code="one-more", name="One more").full_clean()
    Interest.objects.first().full_clean()
    with pytest.raises(ValidationError):
        Interest(code="EXTRA-1", name="Shouting").clean()
