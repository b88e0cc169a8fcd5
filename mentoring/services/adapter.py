"""The one place where the database meets the matching engine: stored applications and pair
rules become engine records, the engine's result becomes proposal rows, and a pair a director
forms by hand is scored and checked through the engine's public API."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from mentoring.matching import (
    Applicant,
    Criterion,
    Hierarchy,
    Rules,
    explain_pairs,
    score_pairs,
)
from mentoring.models import (
    Application,
    MatchRun,
    PairRule,
    ProposedPair,
    ProposedUnmatched,
    Round,
)

if TYPE_CHECKING:
    from mentoring.matching import MatchResult

# Rows to records


def hierarchy_of(weights: list[dict], hard: Iterable[str]) -> Hierarchy:
    """The engine's hierarchy from the weights and hard criteria stored on a round or run."""
    return Hierarchy(
        weights=[(item["criterion"], float(item["weight"])) for item in weights],
        hard=frozenset(hard),
    )


def applicant_record(application: Application) -> Applicant:
    """The engine's view of an application (its round and interests are read from it)."""
    at = application.round.start_datetime
    offset = application.time_zone.utcoffset(at.replace(tzinfo=None))
    hours = max(-12.0, min(14.0, offset.total_seconds() / 3600 if offset else 0.0))
    wanted = frozenset(application.wanted_sectors) or application.wants_sector
    return Applicant(
        id=application.pk,
        country=application.country.code,
        sector=application.sector,
        career_stage=application.career_stage,
        years_experience=application.years_experience,
        utc_offset_hours=hours,
        availability=frozenset(application.availability),
        languages=frozenset(application.languages),
        interests=frozenset(interest.code for interest in application.interests.all()),
        wants_sector=wanted,
        wants_career_stage=application.wants_career_stage,
        preferred_regions=frozenset(application.preferred_regions),
        role=application.role,
    )


def pool_applications(run: MatchRun) -> dict[int, Application]:
    """The applications a run matches, by id, with what their records need loaded."""
    queryset = Application.objects.in_pool().filter(round=run.round)
    if run.kind == MatchRun.Kind.REMATCH:
        queryset = Application.objects.filter(pk__in=run.requested_pool)
    return {
        application.pk: application
        for application in queryset.select_related("round").prefetch_related("interests")
    }


def rules_of(round: Round, pool_ids: set[int]) -> Rules:
    """Pins and forbids from the directors' pair rules, suspected duplicates (never paired
    with each other), and every earlier partnership of the people in the pool."""
    pinned, forbidden = [], set()
    for rule in PairRule.objects.filter(round=round):
        pair = (rule.first_id, rule.second_id)
        if not set(pair) <= pool_ids:
            continue
        if rule.kind == PairRule.Kind.PINNED:
            pinned.append(pair)
        else:
            forbidden.add(frozenset(pair))
    for application in Application.objects.filter(
        pk__in=pool_ids, suspected_duplicate_of__in=pool_ids
    ):
        forbidden.add(frozenset((application.pk, application.suspected_duplicate_of_id)))
    return Rules(
        pinned=tuple(pinned),
        forbidden=frozenset(forbidden),
        past_partners=frozenset(past_partner_pairs(round, pool_ids)),
    )


def past_partner_pairs(round: Round, pool_ids: set[int]) -> set[frozenset[int]]:
    """Pairs of this round's applications whose people were partners in an earlier round."""
    application_of_person = dict(
        Application.objects.filter(pk__in=pool_ids).values_list("person_id", "pk")
    )
    earlier = (
        Application.objects.filter(person_id__in=application_of_person, partnership__isnull=False)
        .exclude(round=round)
        .values_list("partnership_id", "person_id")
    )
    people_of_partnership: dict[int, list[int]] = {}
    for partnership_id, person_id in earlier:
        people_of_partnership.setdefault(partnership_id, []).append(person_id)
    members = Application.objects.filter(partnership_id__in=people_of_partnership).values_list(
        "partnership_id", "person_id"
    )
    pairs = set()
    for partnership_id, person_id in members:
        for other in people_of_partnership.get(partnership_id, []):
            if other != person_id and person_id in application_of_person:
                pairs.add(
                    frozenset((application_of_person[person_id], application_of_person[other]))
                )
    return pairs


# Result to rows


def proposal_rows(
    run: MatchRun, result: MatchResult
) -> tuple[list[ProposedPair], list[ProposedUnmatched]]:
    """The engine's pairs, triads and unmatched people as unsaved rows of the run."""
    pairs = [
        ProposedPair(
            run=run,
            first_id=pair.a,
            second_id=pair.b,
            score=pair.score,
            reasons=pair.reasons,
            pinned=pair.pinned,
        )
        for pair in result.pairs
    ] + [
        ProposedPair(
            run=run,
            first_id=triad.members[0],
            second_id=triad.members[1],
            third_id=triad.members[2],
            score=triad.score,
            reasons={"links": [link.reasons for link in triad.links]},
        )
        for triad in result.triads
    ]
    unmatched = [
        ProposedUnmatched(run=run, application_id=u.id, reason=u.reason) for u in result.unmatched
    ]
    return pairs, unmatched


def run_figures(result: MatchResult) -> dict:
    """The run's summary fields from the engine's result."""
    return {
        "total": result.total,
        "upper_bound": result.upper_bound,
        "ratio": result.ratio,
        "worst_pair": result.worst_pair,
        "pairs_below_50": result.pairs_below_50,
        "unmatched_count": result.unmatched_count,
        "timings": {phase: round(seconds, 3) for phase, seconds in result.timings.items()},
    }


# A pair formed by hand


WISH_FIELDS: dict[Criterion, tuple[str, object]] = {
    Criterion.SECTOR_WISH: ("wants_sector", "any"),
    Criterion.CAREER_STAGE_WISH: ("wants_career_stage", "any"),
    Criterion.REGION_WISH: ("preferred_regions", frozenset()),
}


@dataclass(frozen=True)
class RuleBreak:
    """One hard rule a pair breaks: `rule` is a stable code, `who` the record (if one)."""

    rule: str
    criterion: str = ""
    who: int | None = None


def rule_breaks(
    first: Applicant, second: Applicant, hierarchy: Hierarchy, rules: Rules
) -> list[RuleBreak]:
    """The hard rules the pair (first, second) breaks, checked with the engine's public
    pieces: its records, its rules and `score_pairs` on one criterion at a time (a wish is
    met for one side when its points stay full with the other side's wish removed)."""
    breaks = []
    if first.country == second.country:
        breaks.append(RuleBreak("same_country"))
    pair = frozenset((first.id, second.id))
    if pair in rules.forbidden:
        breaks.append(RuleBreak("forbidden"))
    if pair in rules.past_partners:
        breaks.append(RuleBreak("past_partners"))
    for criterion in hierarchy.hard:
        if criterion not in WISH_FIELDS:
            continue
        field, no_wish = WISH_FIELDS[criterion]
        alone = Hierarchy(weights=[(criterion, 1.0)])
        for own, other in ((first, second), (second, first)):
            if getattr(own, field) == no_wish:
                continue
            quiet = replace(other, **{field: no_wish})
            if score_pairs([own, quiet], alone, [0], [1])[0] < 100:
                breaks.append(RuleBreak("hard_wish", str(criterion), own.id))
    return breaks


def scored_pair(first: Applicant, second: Applicant, hierarchy: Hierarchy) -> tuple[float, dict]:
    """The pair's score from `score_pairs`, and the engine's reasons for it (the format the
    engine writes on its own pairs, so the review shows both alike)."""
    score = float(score_pairs([first, second], hierarchy, [0], [1])[0])
    return score, explain_pairs([first, second], hierarchy, [0], [1])[0]
