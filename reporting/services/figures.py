"""The program's figures, from the database by aggregate queries: counts per round and per
country, sector and career stage, waitlists, match quality, failed partnerships, check-in
replies, campaign delivery. Nothing here reads a person's name or address.

A round's figures are one JSON-ready dict (`compute`); the figures of any number of rounds
come from a fixed number of grouped queries, so the dashboard's query count does not grow with
rounds or people. A finished round's figures no longer change: they are stored in
`RoundFigures` the first time they are needed and read back from there (`figures_for`).

Satisfaction and NPS come from the surveys' partner-satisfaction questions
(`surveys.services.analysis`); a round without answers shows no satisfaction section.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_countries import countries as country_names

from campaigns.models import Campaign
from mentoring.choices import CareerStage, Sector
from mentoring.models import (
    Application,
    CheckIn,
    MatchRun,
    Partnership,
    Round,
    RoundStatus,
    UnresponsiveReport,
)
from reporting.cohorts import MIN_COHORT, shown, shown_rows, shown_share
from reporting.models import RoundFigures
from surveys.models import MatchingMethod
from surveys.services.analysis import satisfaction_by_round as survey_satisfaction

FIGURES_VERSION = 2
"""Bump when `compute` changes what it stores: stored figures of another version are redone."""

NOT_APPLICANTS = (Application.Status.UNVERIFIED, Application.Status.DUPLICATE)
CAMPAIGNS_SHOWN = 12
SENT_CAMPAIGNS = (Campaign.Status.SENDING, Campaign.Status.IN_DOUBT, Campaign.Status.SENT)


def _empty() -> dict[str, Any]:
    return {
        "applicants": 0,
        "participants": 0,
        "partnerships": 0,
        "failed": 0,
        "waitlisted": 0,
        "waitlisted_by_country": {},
        "countries": {},
        "participant_countries": {},
        "sectors": {},
        "participant_sectors": {},
        "career_stages": {},
        "participant_career_stages": {},
        "mean_score": None,
        "wishes": 0,
        "wishes_met": 0,
        "gap_percent": None,
        "check_ins_asked": 0,
        "check_ins_answered": 0,
        "satisfaction": None,
    }


def _count_by(queryset, field_name: str, into: dict[int, dict], key: str) -> None:
    """One grouped query: per round, the number of rows for each value of `field_name`."""
    rows = queryset.values_list("round_id", field_name).annotate(n=Count("id")).order_by()
    for round_id, value, n in rows:
        into[round_id][key][str(value)] = n


def compute(round_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The figures of these rounds, in a fixed number of queries."""
    result: dict[int, dict[str, Any]] = {round_id: _empty() for round_id in round_ids}
    if not round_ids:
        return result
    applications = Application.objects.filter(round_id__in=round_ids)
    applicants = applications.exclude(status__in=NOT_APPLICANTS)
    participants = applications.filter(partnership__isnull=False)

    for round_id, status, n in (
        applications.values_list("round_id", "status").annotate(n=Count("id")).order_by()
    ):
        figures = result[round_id]
        if status not in NOT_APPLICANTS:
            figures["applicants"] += n
        if status == Application.Status.WAITLISTED:
            figures["waitlisted"] += n
    for round_id, n in participants.values_list("round_id").annotate(n=Count("id")).order_by():
        result[round_id]["participants"] = n

    _count_by(applicants, "country", result, "countries")
    _count_by(applicants, "sector", result, "sectors")
    _count_by(applicants, "career_stage", result, "career_stages")
    _count_by(participants, "country", result, "participant_countries")
    _count_by(participants, "sector", result, "participant_sectors")
    _count_by(participants, "career_stage", result, "participant_career_stages")
    _count_by(
        applications.filter(status=Application.Status.WAITLISTED),
        "country",
        result,
        "waitlisted_by_country",
    )

    partnerships = Partnership.objects.filter(round_id__in=round_ids)
    for round_id, n, mean in (
        partnerships.values_list("round_id").annotate(n=Count("id"), mean=Avg("score")).order_by()
    ):
        result[round_id]["partnerships"] = n
        result[round_id]["mean_score"] = round(float(mean), 1) if mean is not None else None
    reported = UnresponsiveReport.objects.filter(partnership=OuterRef("pk"))
    for round_id, n in (
        partnerships.filter(Q(flagged_at__isnull=False) | Exists(reported))
        .values_list("round_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        result[round_id]["failed"] = n
    # Wishes live in each partnership's reasons (JSON): read them, count them, keep nothing.
    for round_id, reasons in partnerships.values_list("round_id", "reasons").iterator():
        for wish in (reasons or {}).get("wishes", []):
            result[round_id]["wishes"] += 1
            result[round_id]["wishes_met"] += bool(wish.get("met"))

    runs = (
        MatchRun.objects.filter(
            round_id__in=round_ids, kind=MatchRun.Kind.ROUND, status=MatchRun.Status.APPROVED
        )
        .order_by("round_id", "approved_at", "pk")
        .values_list("round_id", "ratio")
    )
    for round_id, ratio in runs:  # the last approved run of each round wins
        if ratio is not None:
            result[round_id]["gap_percent"] = round((1 - ratio) * 100, 2)

    for round_id, asked, answered in (
        CheckIn.objects.filter(application__round_id__in=round_ids)
        .values_list("application__round_id")
        .annotate(asked=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
        .order_by()
    ):
        result[round_id]["check_ins_asked"] = asked
        result[round_id]["check_ins_answered"] = answered

    # Satisfaction is stored with the other figures, so the dashboard reads a finished
    # round's survey answers once, not on every load.
    for round_id, answers in survey_satisfaction(round_ids).items():
        if round_id in result:
            result[round_id]["satisfaction"] = {
                "responses": answers.responses,
                "mean": answers.mean_satisfaction,
                "nps": answers.nps,
                "by_method": {m: list(values) for m, values in answers.by_method.items()},
            }
    return result


def figures_for(rounds: list[Round], now: datetime | None = None) -> dict[int, dict[str, Any]]:
    """Every round's figures: finished rounds' from storage (stored on first use), the others
    computed now."""
    now = now or timezone.now()
    finished = {r.pk for r in rounds if r.status_at(now) == RoundStatus.FINISHED}
    stored = dict(
        RoundFigures.objects.filter(round_id__in=finished, version=FIGURES_VERSION).values_list(
            "round_id", "figures"
        )
    )
    missing = [r.pk for r in rounds if r.pk not in stored]
    computed = compute(missing)
    to_store = [round_id for round_id in computed if round_id in finished]
    if to_store:
        # Two first visitors may store the same round at once: the second updates the row
        # the first made instead of failing on the unique round.
        with transaction.atomic():
            RoundFigures.objects.bulk_create(
                [
                    RoundFigures(
                        round_id=round_id, version=FIGURES_VERSION, figures=computed[round_id]
                    )
                    for round_id in to_store
                ],
                update_conflicts=True,
                unique_fields=["round"],
                update_fields=["version", "figures", "computed_at"],
            )
    return {**stored, **computed}


def forget(round_id: int) -> None:
    """Drop a round's stored figures (its data was corrected after it finished)."""
    RoundFigures.objects.filter(round_id=round_id).delete()


# Satisfaction, from the surveys

SATISFACTION_LABELS = {
    "responses": gettext_lazy("Survey responses"),
    "satisfaction": gettext_lazy("Mean satisfaction (1 to 5)"),
    "satisfaction_automatic": gettext_lazy("Mean satisfaction, matched automatically"),
    "satisfaction_by_hand": gettext_lazy("Mean satisfaction, placed by hand"),
    "nps": gettext_lazy("Net promoter score"),
    "nps_automatic": gettext_lazy("Net promoter score, matched automatically"),
    "nps_by_hand": gettext_lazy("Net promoter score, placed by hand"),
}
"""The satisfaction figures of a round, by key, in the order they are shown."""
METHOD_SUFFIX = {
    MatchingMethod.AUTOMATIC.value: "automatic",
    MatchingMethod.BY_HAND.value: "by_hand",
}


def satisfaction_by_round(
    figures_by_round: dict[int, dict[str, Any]], *, directors: bool = True
) -> dict[int, dict[str, Any]]:
    """Satisfaction (mean of 1 to 5) and NPS per round and by matching method (automatic or
    placed by hand), keyed as `SATISFACTION_LABELS`, for the rounds with answers, from the
    rounds' figures (`figures_for`). Outside the directors' view a figure made of fewer than
    five responses is left out, and the figures by method unless both methods have five."""
    result: dict[int, dict[str, Any]] = {}
    for round_id, round_figures in figures_by_round.items():
        answers = round_figures.get("satisfaction")
        if not answers or not answers["responses"]:
            continue
        if not directors and answers["responses"] < MIN_COHORT:
            continue
        row: dict[str, Any] = {
            "responses": answers["responses"],
            "satisfaction": answers["mean"],
            "nps": answers["nps"],
        }
        by_method = answers["by_method"]
        # Outside the directors' view, by method only when both methods are large enough:
        # otherwise the small one could be worked out from the round's figure and the other.
        if not directors and not all(
            (by_method.get(method) or [0])[0] >= MIN_COHORT for method in METHOD_SUFFIX
        ):
            by_method = {}
        for method, (count, mean, nps) in by_method.items():
            suffix = METHOD_SUFFIX.get(method)
            if suffix and count:
                row[f"satisfaction_{suffix}"] = mean
                row[f"nps_{suffix}"] = nps
        result[round_id] = {key: row[key] for key in SATISFACTION_LABELS if key in row}
    return result


def satisfaction_rows(figures: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(key, label, value) for a round's satisfaction figures, in their order."""
    return [(key, SATISFACTION_LABELS[key], value) for key, value in (figures or {}).items()]


# Labels


def country_label(code: str) -> str:
    return str(country_names.name(code) or code)


SECTOR_LABELS = dict(Sector.choices)
STAGE_LABELS = dict(CareerStage.choices)


def _labelled(counts: dict[str, int], labels) -> list[tuple[str, str, int]]:
    """(code, label, count), largest first."""
    rows = [(code, str(labels(code)), n) for code, n in counts.items() if n]
    return sorted(rows, key=lambda row: (-row[2], row[1]))


def by_country(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return _labelled(counts, country_label)


def by_sector(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return _labelled(counts, lambda code: SECTOR_LABELS.get(code, code))


def by_stage(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    return _labelled(counts, lambda code: STAGE_LABELS.get(code, code))


def add_up(dicts) -> dict[str, int]:
    total: Counter = Counter()
    for counts in dicts:
        total.update(counts)
    return dict(total)


# The dashboard


@dataclass
class RoundRow:
    round: Round
    figures: dict[str, Any]

    @property
    def failure_rate(self) -> float | None:
        return shown_share(self.figures["failed"], self.figures["partnerships"], directors=True)

    @property
    def reply_rate(self) -> float | None:
        f = self.figures
        return shown_share(f["check_ins_answered"], f["check_ins_asked"], directors=True)

    @property
    def wishes_met_share(self) -> float | None:
        f = self.figures
        return shown_share(f["wishes_met"], f["wishes"], directors=True)


@dataclass
class CampaignRow:
    name: str
    finished_at: datetime | None
    recipients: int
    delivered: int
    opened: int
    clicked: int
    bounced: int

    @property
    def delivery_rate(self) -> float | None:
        return shown_share(self.delivered, self.recipients, directors=True)

    @property
    def open_rate(self) -> float | None:
        return shown_share(self.opened, self.delivered, directors=True)

    @property
    def click_rate(self) -> float | None:
        return shown_share(self.clicked, self.delivered, directors=True)


@dataclass
class Dashboard:
    rows: list[RoundRow]
    chosen: Round | None
    countries: list[tuple[str, str, int]]
    sectors: list[tuple[str, str, int]]
    stages: list[tuple[str, str, int]]
    waitlists: list[tuple[Round, list[tuple[str, str, int]]]]
    campaigns: list[CampaignRow]
    satisfaction: dict[int, dict[str, Any]] = field(default_factory=dict)


def campaign_rows(limit: int = CAMPAIGNS_SHOWN) -> list[CampaignRow]:
    """The latest campaigns that went out, with their delivery, open and click counts."""
    rows = (
        Campaign.objects.filter(status__in=SENT_CAMPAIGNS)
        .order_by("-started_at", "-pk")
        .annotate(
            n_recipients=Count("deliveries"),
            n_delivered=Count("deliveries", filter=Q(deliveries__delivered_at__isnull=False)),
            n_opened=Count("deliveries", filter=Q(deliveries__opened_at__isnull=False)),
            n_clicked=Count("deliveries", filter=Q(deliveries__clicked_at__isnull=False)),
            n_bounced=Count("deliveries", filter=Q(deliveries__bounced_at__isnull=False)),
        )
        .values_list(
            "name",
            "finished_at",
            "n_recipients",
            "n_delivered",
            "n_opened",
            "n_clicked",
            "n_bounced",
        )[:limit]
    )
    return [CampaignRow(*row) for row in rows]


def dashboard(round_id: int | None = None, now: datetime | None = None) -> Dashboard:
    """The directors' dashboard: every round that has opened, oldest first, and the
    breakdowns of one round (`round_id`) or of all of them."""
    now = now or timezone.now()
    rounds = list(
        Round.objects.filter(application_opens_at__lte=now).order_by("application_opens_at", "pk")
    )
    figures = figures_for(rounds, now)
    rows = [RoundRow(r, figures[r.pk]) for r in rounds]
    chosen = next((r for r in rounds if r.pk == round_id), None)
    picked = [row for row in rows if chosen is None or row.round == chosen]
    waitlists = [
        (row.round, by_country(row.figures["waitlisted_by_country"]))
        for row in rows
        if row.figures["waitlisted"]
    ]
    return Dashboard(
        rows=rows,
        chosen=chosen,
        countries=by_country(add_up(row.figures["countries"] for row in picked)),
        sectors=by_sector(add_up(row.figures["sectors"] for row in picked)),
        stages=by_stage(add_up(row.figures["career_stages"] for row in picked)),
        waitlists=waitlists,
        campaigns=campaign_rows(),
        satisfaction=satisfaction_by_round(figures),
    )


# Public statistics: finished rounds, small cohorts suppressed


def public_rounds(now: datetime | None = None) -> list[Round]:
    now = now or timezone.now()
    rounds = Round.objects.filter(ends_on__lt=now.date()).order_by("-starts_on", "-pk")
    return [r for r in rounds if r.status_at(now) == RoundStatus.FINISHED]


@dataclass
class PublicView:
    """A finished round's figures as anyone may see them."""

    round: Round
    applicants: Any
    participants: Any
    country_count: int
    countries: list[tuple[str, str, Any]]
    sectors: list[tuple[str, str, Any]]
    stages: list[tuple[str, str, Any]]
    satisfaction: dict[str, Any] | None = None

    @property
    def satisfaction_rows(self) -> list[tuple[str, Any, Any]]:
        return satisfaction_rows(self.satisfaction)


def public_view(round_: Round) -> PublicView:
    all_figures = figures_for([round_])
    figures = all_figures[round_.pk]
    countries = by_country(figures["participant_countries"])
    return PublicView(
        round=round_,
        applicants=shown(figures["applicants"]),
        participants=shown(figures["participants"]),
        country_count=len(countries),
        countries=shown_rows(countries),
        sectors=shown_rows(by_sector(figures["participant_sectors"])),
        stages=shown_rows(by_stage(figures["participant_career_stages"])),
        satisfaction=satisfaction_by_round(all_figures, directors=False).get(round_.pk),
    )
