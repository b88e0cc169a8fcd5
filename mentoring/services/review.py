"""A run's review: the director's hand edits to its proposals (unpair, pair, swap), each
pair rescored through the engine with the rules it breaks, and the run's totals after."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from mentoring.models import Application, MatchRun, ProposedPair, ProposedUnmatched
from mentoring.services import adapter, errors


@dataclass(frozen=True)
class Check:
    score: float
    reasons: dict
    warnings: list[str]


def _criterion_label(criterion: str) -> str:
    from mentoring.choices import CRITERION_LABELS

    return str(CRITERION_LABELS.get(criterion, criterion))


def _warning(rule_break: adapter.RuleBreak, first: Application, second: Application) -> str:
    if rule_break.rule == "same_country":
        return _("Both live in %(country)s.") % {"country": first.country.name}
    if rule_break.rule == "forbidden":
        return _("This pair is forbidden (a special request or a suspected duplicate).")
    if rule_break.rule == "past_partners":
        return _("They were partners in an earlier round.")
    who = first.name if rule_break.who == first.pk else second.name
    return _("It breaks a hard criterion for %(who)s: %(criterion)s.") % {
        "who": who,
        "criterion": _criterion_label(rule_break.criterion),
    }


def check_pair(run: MatchRun, first: Application, second: Application) -> Check:
    """Score a pair through the engine's public API, and say (translated) which rules it
    breaks."""
    hierarchy = adapter.hierarchy_of(run.hierarchy, run.hard_criteria)
    a, b = adapter.applicant_record(first), adapter.applicant_record(second)
    score, reasons = adapter.scored_pair(a, b, hierarchy)
    rules = adapter.rules_of(run.round, {first.pk, second.pk})
    breaks = adapter.rule_breaks(a, b, hierarchy, rules)
    return Check(
        score=score,
        reasons=reasons,
        warnings=[_warning(rule_break, first, second) for rule_break in breaks],
    )


def ensure_reviewable(run: MatchRun) -> None:
    """Refuse a change to a run that is not (or no longer) ready for review."""
    if run.status != MatchRun.Status.DONE:
        raise errors.RunNotEditable()


def unpair(pair: ProposedPair) -> None:
    with transaction.atomic():
        ensure_reviewable(pair.run)
        for member in pair.members:
            ProposedUnmatched.objects.create(run=pair.run, application=member, reason="manual")
        pair.delete()


def make_pair(
    run: MatchRun, first: Application, second: Application, accept_warnings: bool
) -> Check:
    """Pair two unmatched people of the run; refused if it breaks a rule unless the director
    accepts the warnings."""
    with transaction.atomic():
        ensure_reviewable(run)
        waiting = run.unmatched.filter(application__in=[first, second])
        if waiting.count() != 2:
            raise errors.NotUnmatched()
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
        ensure_reviewable(first_pair.run)
        if first_pair.third_id or second_pair.third_id:
            raise errors.TriadNotSwappable()
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
