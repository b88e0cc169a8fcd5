"""The matching of a round, from the database to the engine and back: building the pool and
its rules, running the engine as a stored run, adjusting a run by hand, and approving it,
which makes the partnerships and sends each introduction once."""

import logging
import random
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mentoring import links
from mentoring.matching.engine import MatchResult, match
from mentoring.matching.features import encode
from mentoring.matching.hierarchy import Criterion, Hierarchy
from mentoring.matching.reasons import pair_reasons
from mentoring.matching.records import Applicant, Rules
from mentoring.matching.scoring import Scorer
from mentoring.models import (
    Application,
    Interest,
    MatchRun,
    PairRule,
    Partnership,
    ProposedPair,
    ProposedUnmatched,
    Round,
)
from mentoring.services.reasons import summary_lines
from website.outbox import queue_email

logger = logging.getLogger(__name__)


def hierarchy_of(weights: list[dict], hard: Iterable[str]) -> Hierarchy:
    return Hierarchy(
        weights=[(item["criterion"], float(item["weight"])) for item in weights],
        hard=frozenset(hard),
    )


def applicant_record(application: Application) -> Applicant:
    """The engine's view of an application."""
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


def pool_of(round: Round, applications: Iterable[Application] | None = None) -> list[Applicant]:
    if applications is None:
        applications = Application.objects.in_pool().filter(round=round)
    if hasattr(applications, "select_related"):
        applications = applications.select_related("round").prefetch_related("interests")
    return [applicant_record(application) for application in applications]


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


def start_run(
    round: Round, user=None, kind: str = MatchRun.Kind.ROUND, pool_ids: list[int] | None = None
) -> MatchRun:
    """Queue a run of the engine with the round's current hierarchy."""
    from mentoring.tasks import run_matching

    run = MatchRun.objects.create(
        round=round,
        kind=kind,
        created_by=user,
        seed=random.SystemRandom().randrange(2**31),
        hierarchy=round.hierarchy,
        hard_criteria=round.hard_criteria,
        odd_pool=round.odd_pool,
        requested_pool=pool_ids or [],
    )
    run_matching.delay_on_commit(run.pk)
    return run


def rematch_pool(round: Round) -> list[int]:
    """People whose partnership is flagged and who are still in: they reported, answered
    "no", or their partner left; the silent partner is not in it."""
    flagged = Partnership.objects.filter(
        round=round, flagged_at__isnull=False, ended_at__isnull=True
    )
    candidates = Application.objects.filter(
        partnership__in=flagged, status=Application.Status.MATCHED
    )
    silent = {
        application.pk
        for application in candidates
        if application.check_ins.filter(answered_at__isnull=False).count() == 0
        and not application.reports_made.exists()
    }
    return [application.pk for application in candidates if application.pk not in silent]


def _set_progress(run_id: int, fraction: float, message: str) -> None:
    MatchRun.objects.filter(pk=run_id).update(progress=round(fraction, 3), message=message[:200])


def execute_run(run_id: int) -> None:
    """Run the engine for a queued run (or one whose worker died) and store its result whole.
    The run's lease, renewed by a heartbeat while the engine works, tells beat's recovery
    (services.recovery) that a worker is on it; a run another live worker holds is left alone.
    """
    from mentoring.services import recovery

    token = recovery.new_token()
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("round").get(pk=run_id)
        if run.status not in {MatchRun.Status.QUEUED, MatchRun.Status.RUNNING}:
            return
        if run.status == MatchRun.Status.RUNNING and not recovery.lease_lapsed(run):
            return
        run.status = MatchRun.Status.RUNNING
        run.started_at = timezone.now()
        run.progress = 0
        run.message = "Building the pool"
        run.attempts += 1
        run.lease_token = token
        run.lease_expires_at = recovery.lease_until()
        run.save()
    try:
        with recovery.Heartbeat(run_id, token):
            result, applications = _compute(run)
    except Exception as error:
        logger.exception("Matching run %s failed", run_id)
        MatchRun.objects.filter(pk=run_id, lease_token=token).update(
            status=MatchRun.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
            lease_token="",
            lease_expires_at=None,
        )
        return
    _store(run, result, applications)


def _compute(run: MatchRun) -> tuple[MatchResult, dict[int, Application]]:
    queryset = Application.objects.in_pool().filter(round=run.round)
    if run.kind == MatchRun.Kind.REMATCH:
        queryset = Application.objects.filter(pk__in=run.requested_pool)
    applications = {
        application.pk: application
        for application in queryset.select_related("round").prefetch_related("interests")
    }
    pool = [applicant_record(application) for application in applications.values()]
    rules = rules_of(run.round, set(applications))
    MatchRun.objects.filter(pk=run.pk).update(pool_size=len(pool))
    result = match(
        pool,
        hierarchy_of(run.hierarchy, run.hard_criteria),
        rules,
        seed=run.seed,
        odd=run.odd_pool,
        progress=lambda fraction, message: _set_progress(run.pk, fraction, message),
    )
    return result, applications


def _store(run: MatchRun, result: MatchResult, applications: dict[int, Application]) -> None:
    with transaction.atomic():
        locked = MatchRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != MatchRun.Status.RUNNING:
            return
        locked.pairs.all().delete()
        locked.unmatched.all().delete()
        ProposedPair.objects.bulk_create(
            [
                ProposedPair(
                    run=locked,
                    first_id=pair.a,
                    second_id=pair.b,
                    score=pair.score,
                    reasons=pair.reasons,
                    pinned=pair.pinned,
                )
                for pair in result.pairs
            ]
            + [
                ProposedPair(
                    run=locked,
                    first_id=triad.members[0],
                    second_id=triad.members[1],
                    third_id=triad.members[2],
                    score=triad.score,
                    reasons={"links": [link.reasons for link in triad.links]},
                )
                for triad in result.triads
            ],
            batch_size=1000,
        )
        ProposedUnmatched.objects.bulk_create(
            [
                ProposedUnmatched(run=locked, application_id=u.id, reason=u.reason)
                for u in result.unmatched
            ],
            batch_size=1000,
        )
        timings = {phase: round(seconds, 3) for phase, seconds in result.timings.items()}
        locked.status = MatchRun.Status.DONE
        locked.progress = 1
        locked.message = "Done"
        locked.total = result.total
        locked.upper_bound = result.upper_bound
        locked.ratio = result.ratio
        locked.worst_pair = result.worst_pair
        locked.pairs_below_50 = result.pairs_below_50
        locked.unmatched_count = result.unmatched_count
        locked.timings = timings
        locked.finished_at = timezone.now()
        locked.save()


def is_stalled(run: MatchRun) -> bool:
    """Running, but its worker stopped renewing the lease: it may be restarted at once."""
    from mentoring.services.recovery import lease_lapsed

    return lease_lapsed(run)


# Adjusting a run by hand


@dataclass(frozen=True)
class Check:
    score: float
    reasons: dict
    warnings: list[str]


def check_pair(run: MatchRun, first: Application, second: Application) -> Check:
    """Score a pair the way the engine would, and say which rules it breaks."""
    hierarchy = hierarchy_of(run.hierarchy, run.hard_criteria)
    records = [applicant_record(first), applicant_record(second)]
    scorer = Scorer(encode(records), hierarchy, rules=False)
    i, j = np.array([0]), np.array([1])
    score = float(scorer.pairs(i, j)[0]) / 10
    reasons = pair_reasons(scorer, records, i, j)[0]
    warnings = []
    if first.country == second.country:
        warnings.append(f"Both live in {first.country.name}.")
    rules = rules_of(run.round, {first.pk, second.pk})
    pair = frozenset((first.pk, second.pk))
    if pair in rules.forbidden:
        warnings.append("This pair is forbidden (a special request or a suspected duplicate).")
    if pair in rules.past_partners:
        warnings.append("They were partners in an earlier round.")
    for wish in reasons.get("wishes", []):
        if not wish["met"] and Criterion(wish["criterion"]) in hierarchy.hard:
            who = first.name if wish["who"] == "a" else second.name
            warnings.append(f"It breaks a hard criterion for {who}: {wish['criterion']}.")
    return Check(score=score, reasons=reasons, warnings=warnings)


def _editable(run: MatchRun) -> None:
    if run.status != MatchRun.Status.DONE:
        raise ValueError("Only a run ready for review can be changed.")


def unpair(pair: ProposedPair) -> None:
    with transaction.atomic():
        _editable(pair.run)
        for member in pair.members:
            ProposedUnmatched.objects.create(run=pair.run, application=member, reason="manual")
        pair.delete()


def make_pair(
    run: MatchRun, first: Application, second: Application, accept_warnings: bool
) -> Check:
    """Pair two unmatched people of the run; refused if it breaks a rule unless the director
    accepts the warnings."""
    with transaction.atomic():
        _editable(run)
        waiting = run.unmatched.filter(application__in=[first, second])
        if waiting.count() != 2:
            raise ValueError("Both people must be unmatched in this run.")
        check = check_pair(run, first, second)
        if check.warnings and not accept_warnings:
            return check
        waiting.delete()
        ProposedPair.objects.create(
            run=run,
            first=first,
            second=second,
            score=check.score,
            reasons=check.reasons,
            adjusted=True,
            warnings=check.warnings,
        )
    return check


def swap(first_pair: ProposedPair, second_pair: ProposedPair, accept_warnings: bool) -> list[Check]:
    """Exchange the second members of two pairs, rescoring both."""
    with transaction.atomic():
        _editable(first_pair.run)
        if first_pair.third_id or second_pair.third_id:
            raise ValueError("Triads cannot be swapped; unpair them instead.")
        checks = [
            check_pair(first_pair.run, first_pair.first, second_pair.second),
            check_pair(first_pair.run, second_pair.first, first_pair.second),
        ]
        if any(check.warnings for check in checks) and not accept_warnings:
            return checks
        first_pair.second, second_pair.second = second_pair.second, first_pair.second
        for pair, check in zip((first_pair, second_pair), checks, strict=True):
            pair.score, pair.reasons, pair.warnings = check.score, check.reasons, check.warnings
            pair.adjusted = True
            pair.save()
    return checks


def refresh_totals(run: MatchRun) -> None:
    """After hand changes: the total and the tail figures follow the pairs."""
    scores = [pair.score for pair in run.pairs.all()]
    run.total = round(sum(scores), 1)
    run.ratio = run.total / run.upper_bound if run.upper_bound else None
    run.worst_pair = min(scores) if scores else None
    run.pairs_below_50 = sum(score < 50 for score in scores)
    run.unmatched_count = run.unmatched.count()
    run.save(update_fields=["total", "ratio", "worst_pair", "pairs_below_50", "unmatched_count"])


# Approval


def approve(run: MatchRun, user=None) -> int:
    """Make the run's pairs the round's partnerships, publish them on each participant's
    page and send each introduction once. Returns how many partnerships were made."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("round").get(pk=run.pk)
        if run.status == MatchRun.Status.APPROVED:
            return 0
        _editable(run)
        now = timezone.now()
        interest_names = {
            code.lower(): name for code, name in Interest.objects.values_list("code", "name")
        }
        made = 0
        for pair in run.pairs.select_related("first", "second", "third"):
            members = pair.members
            for member in members:
                if member.partnership_id and member.partnership.ended_at is None:
                    Partnership.objects.filter(pk=member.partnership_id).update(ended_at=now)
            partnership = Partnership.objects.create(
                round=run.round,
                score=round(pair.score, 1),
                published_at=now,
                reasons={"engine": pair.reasons, "summary": summary_lines(pair, interest_names)},
            )
            Application.objects.filter(pk__in=[m.pk for m in members]).update(
                partnership=partnership, status=Application.Status.MATCHED
            )
            made += 1
            for member in members:
                introduce(member, [m for m in members if m.pk != member.pk], partnership)
        waitlist = Q(reason="waitlist")
        Application.objects.filter(
            pk__in=run.unmatched.filter(waitlist).values("application")
        ).update(status=Application.Status.WAITLISTED, waitlisted_at=now)
        if run.kind == MatchRun.Kind.ROUND:
            Application.objects.filter(
                pk__in=run.unmatched.exclude(waitlist).values("application")
            ).update(status=Application.Status.UNMATCHED)
        run.status = MatchRun.Status.APPROVED
        run.approved_at = now
        run.approved_by = user
        run.save(update_fields=["status", "approved_at", "approved_by"])
    return made


def introduce(member: Application, partners: list[Application], partnership: Partnership) -> None:
    queue_email(
        f"introduction:{partnership.pk}:{member.pk}",
        member.email,
        "introduction",
        {
            "name": member.name,
            "round": member.round.name,
            "partners": [
                {
                    "name": p.name,
                    "email": p.email,
                    "country": p.country.name,
                    "sector": p.get_sector_display(),
                    "role": p.role,
                    "city": p.city,
                }
                for p in partners
            ],
            "reasons": partnership.reasons.get("summary", []),
            "page_url": links.personal_page_url(member),
            "starts": member.round.starts_on.isoformat(),
        },
    )
