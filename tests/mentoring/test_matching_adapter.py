"""The adapter between the database and the engine: a fixed stored pool gives the same pairs
for the same seed (a golden run), hand edits are scored with the engine's `score_pairs` and
checked with the public rule check, and their warnings are the translated ones."""

import hashlib
import random

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from mentoring.matching import Hierarchy, Rules, score_pairs
from mentoring.models import Application, Interest, MatchRun, Person, Round
from mentoring.services import adapter, review, runs
from tests.mentoring.test_admin import signed_in
from website.factories.mentoring import RoundFactory

COUNTRIES = ["AU", "US", "GB", "KE", "BR", "IN", "JP", "FR", "NG", "MX", "CL", "NZ", "PH"]
SECTORS = ["public", "academic", "school", "special", "health"]
STAGES = ["student", "early", "mid", "senior"]
SLOTS = ["mon-am", "mon-eve", "tue-pm", "wed-am", "thu-eve", "fri-pm", "sat-am"]
LANGUAGES = ["es", "fr", "pt", "ar", "de"]
WISHES = ["any", "same", "different"]

GOLDEN_SIZE = 331
GOLDEN_SEED = 20261129
GOLDEN_PAIRS = 164
GOLDEN_TRIADS = 1
GOLDEN_TOTAL = 13372.7
GOLDEN_DIGEST = "95afc2c3d303739e"


def fixed_pool(round: Round, size: int) -> None:
    """`size` confirmed applications drawn from a fixed random stream (their ids vary from
    one database to the next; their names do not)."""
    rng = random.Random(4242)
    now = timezone.now()
    interests = list(Interest.objects.order_by("code"))
    emails = [f"golden{n:04d}@example.org" for n in range(size)]
    Person.objects.bulk_create([Person(email_normalised=email) for email in emails])
    people = dict(
        Person.objects.filter(email_normalised__in=emails).values_list("email_normalised", "pk")
    )
    made = Application.objects.bulk_create(
        [
            Application(
                round=round,
                person_id=people[email],
                name=f"Golden {n:04d}",
                email=email,
                email_normalised=email,
                status=Application.Status.CONFIRMED,
                country=rng.choice(COUNTRIES),
                sector=rng.choice(SECTORS),
                role="Librarian",
                career_stage=rng.choice(STAGES),
                years_experience=rng.randrange(0, 40),
                availability=sorted(rng.sample(SLOTS, rng.randrange(0, 4))),
                languages=sorted(rng.sample(LANGUAGES, rng.randrange(0, 2))),
                wants_sector=rng.choice(WISHES),
                wants_career_stage=rng.choice(WISHES),
                agreed_code_of_conduct_at=now,
                agreed_requirements_at=now,
                consent_version="test",
            )
            for n, email in enumerate(emails)
        ]
    )
    through = Application.interests.through
    through.objects.bulk_create(
        [
            through(application_id=application.pk, interest_id=interest.pk)
            for application in Application.objects.filter(round=round).order_by("name")
            for interest in rng.sample(interests, rng.randrange(0, 5))
        ]
    )
    assert len(made) == size


def named_pairs(run: MatchRun) -> list[str]:
    return sorted(
        " & ".join(sorted(member.name for member in pair.members))
        for pair in run.pairs.select_related("first", "second", "third")
    )


@pytest.mark.django_db
def test_a_fixed_pool_gives_the_same_pairs_for_the_same_seed():
    round = RoundFactory(opened_days_ago=33)
    fixed_pool(round, GOLDEN_SIZE)
    run = MatchRun.objects.create(
        round=round, hierarchy=round.hierarchy, seed=GOLDEN_SEED, odd_pool=round.odd_pool
    )
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    pairs = named_pairs(run)
    digest = hashlib.sha256("\n".join(pairs).encode()).hexdigest()[:16]
    found = (
        run.pairs.filter(third__isnull=True).count(),
        run.pairs.filter(third__isnull=False).count(),
        run.total,
        digest,
    )
    assert found == (GOLDEN_PAIRS, GOLDEN_TRIADS, GOLDEN_TOTAL, GOLDEN_DIGEST)


@pytest.fixture
def reviewed_run(db) -> MatchRun:
    round = RoundFactory(opened_days_ago=33)
    fixed_pool(round, 41)
    run = MatchRun.objects.create(
        round=round,
        hierarchy=round.hierarchy,
        hard_criteria=["sector_wish"],
        seed=3,
        odd_pool=round.odd_pool,
    )
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == MatchRun.Status.DONE, run.error
    return run


@pytest.mark.django_db
def test_review_rescoring_equals_score_pairs(reviewed_run):
    run = reviewed_run
    hierarchy = adapter.hierarchy_of(run.hierarchy, run.hard_criteria)
    applications = list(Application.objects.filter(round=run.round).order_by("name"))
    records = [adapter.applicant_record(application) for application in applications]
    i = [k for k in range(len(records)) for _ in range(3)]
    j = [(k * 7 + step * 11 + 1) % len(records) for k in range(len(records)) for step in range(3)]
    expected = score_pairs(records, hierarchy, i, j)
    for k, (a, b) in enumerate(zip(i, j, strict=True)):
        if a == b:
            continue
        check = review.check_pair(run, applications[a], applications[b])
        assert check.score == expected[k]
        assert check.reasons["score"] == pytest.approx(expected[k])
    for pair in run.pairs.filter(third__isnull=True).select_related("first", "second"):
        check = review.check_pair(run, pair.first, pair.second)
        assert check.score == pytest.approx(pair.score)
        assert check.warnings == []


@pytest.mark.django_db
def test_the_rule_check_names_each_broken_rule_translated(reviewed_run):
    run = reviewed_run
    people = list(Application.objects.filter(round=run.round).order_by("name"))
    first = people[0]
    compatriot = next(p for p in people[1:] if p.country == first.country)
    breaks = adapter.rule_breaks(
        adapter.applicant_record(first),
        adapter.applicant_record(compatriot),
        Hierarchy(),
        Rules(forbidden=[(first.pk, compatriot.pk)], past_partners=[(first.pk, compatriot.pk)]),
    )
    assert [b.rule for b in breaks] == ["same_country", "forbidden", "past_partners"]

    picky = Application.objects.filter(round=run.round, wants_sector="same").first()
    other = next(p for p in people if p.sector != picky.sector and p.country != picky.country)
    breaks = adapter.rule_breaks(
        adapter.applicant_record(picky),
        adapter.applicant_record(other),
        Hierarchy(hard={"sector_wish"}),
        Rules(),
    )
    assert adapter.RuleBreak("hard_wish", "sector_wish", picky.pk) in breaks
    with translation.override("en"):
        check = review.check_pair(run, picky, other)
    assert f"It breaks a hard criterion for {picky.name}: Sector wish." in check.warnings


@pytest.mark.django_db
def test_hand_edits_through_the_admin_show_translated_messages(reviewed_run, client):
    signed_in(client, settings.DIRECTORS_GROUP)
    run = reviewed_run
    adjust = reverse("mentoring_matching:adjust", args=[run.pk])
    pair = run.pairs.filter(third__isnull=True).select_related("first", "second").first()
    client.post(adjust, {"action": "unpair", "pair": pair.pk})
    assert not run.pairs.filter(pk=pair.pk).exists()
    assert run.unmatched.filter(application__in=[pair.first, pair.second]).count() == 2
    response = client.post(
        adjust,
        {"action": "pair", "first": pair.first.pk, "second": pair.first.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose two different unmatched people." in response.content.decode()
    MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.APPROVED)
    response = client.post(adjust, {"action": "unpair", "pair": run.pairs.first().pk}, follow=True)
    assert response.status_code == 200
    assert "Only a run ready for review can be changed." in response.content.decode()


@pytest.mark.django_db
def test_the_review_pages_its_pairs_while_its_figures_cover_them_all(
    reviewed_run, client, monkeypatch, django_assert_max_num_queries
):
    from mentoring import matching_views

    signed_in(client, settings.DIRECTORS_GROUP)
    run = reviewed_run
    monkeypatch.setattr(matching_views, "REVIEW_PAGE_SIZE", 4)
    url = reverse("mentoring_matching:run", args=[run.pk])
    wishes = [wish for pair in run.pairs.all() for wish in pair.reasons.get("wishes", [])]
    assert wishes, "the fixed pool expresses wishes"

    with django_assert_max_num_queries(40):
        page = client.get(url).content.decode()

    rows = page.split('id="pairs"')[1].split("<tbody>")[1].split("</tbody>")[0].count("<tr")
    assert rows == 4
    assert f'id="figure-pairs">{run.pairs.count()} ({run.pairs.exclude(third=None).count()}' in page
    met = sum(wish["met"] for wish in wishes)
    assert f"{met} / {len(wishes)}" in page
    last = client.get(f"{url}?page=last").content.decode()
    shown = last.split('id="pairs"')[1].split("<tbody>")[1].split("</tbody>")[0].count("<tr")
    assert shown == run.pairs.count() - 4 * ((run.pairs.count() - 1) // 4)
