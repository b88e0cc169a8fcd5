"""Reports for partner organisations: for a period, the aggregates of the people who came
through the organisation's own pathways, and nothing about anybody else; with the signed,
expiring link a director sends to the partner's liaison.

Every query starts from the organisation's pathways (`Application.pathway`), so a person who
came through another pathway, or none, cannot reach a report. Every count goes through the
small-cohort rule: the report is made to leave the network.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentoring.models import Application, PartnerOrganisation, Pathway, Round, RoundStatus
from reporting.cohorts import FEWER, MIN_COHORT, shown, shown_breakdown, shown_rows, shown_share
from reporting.models import PartnerReportKey
from reporting.services.figures import NOT_APPLICANTS, by_country, by_sector
from surveys.models import SurveyResponse
from surveys.services.analysis import SatisfactionFigures, satisfaction_for_pathways
from surveys.services.analysis import consented_quotes as survey_quotes

SALT = "reporting.partner-report"


class ReportLinkError(Exception):
    """A partner-report link that cannot be honoured; its message says why, for the reader."""

    def __init__(self, message, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


@dataclass
class RoundLine:
    round: Round
    applicants: Any
    participants: Any
    completed: Any
    completion_rate: float | None
    finished: bool


@dataclass
class PartnerReport:
    organisation: PartnerOrganisation
    starts: date
    ends: date
    lines: list[RoundLine]
    applicants: Any
    participants: Any
    completed: Any
    completion_rate: float | None
    country_count: int
    countries: list[tuple[str, str, Any]]
    sectors: list[tuple[str, str, Any]]
    quotes: list[str] = field(default_factory=list)
    satisfaction: SatisfactionFigures | None = None

    @property
    def empty(self) -> bool:
        return not self.lines


def pathway_satisfaction(pathway_ids: list[int]) -> SatisfactionFigures | None:
    """Mean satisfaction (1-5) and net promoter score of these pathways' participants, from
    their end-of-round surveys (`surveys.services.analysis.satisfaction_for_pathways`); None
    when fewer than five people answered, so that nobody's answer can be recognised."""
    figures = satisfaction_for_pathways(pathway_ids)
    return figures if figures is not None and figures.responses >= MIN_COHORT else None


def default_period(today: date | None = None) -> tuple[date, date]:
    """The rounds that started in the past year, and those that start in the next one."""
    today = today or timezone.localdate()
    return today - timedelta(days=365), today + timedelta(days=365)


def consented_quotes(pathway_ids: list[int]) -> list[str]:
    """What participants of these pathways said in their round's surveys and agreed to have
    quoted, without their names (`surveys.services.analysis.consented_quotes`)."""
    responses = SurveyResponse.objects.filter(pathway_id__in=pathway_ids, survey__is_template=False)
    return survey_quotes(responses)


def build(organisation: PartnerOrganisation, starts: date, ends: date) -> PartnerReport:
    """The report of the rounds that started within [starts, ends]."""
    pathways = Pathway.objects.filter(
        organisation=organisation, round__starts_on__gte=starts, round__starts_on__lte=ends
    )
    pathway_ids = list(pathways.values_list("pk", flat=True))
    rounds = {
        r.pk: r for r in Round.objects.filter(pathways__in=pathway_ids).order_by("starts_on", "pk")
    }
    members = Application.objects.filter(pathway_id__in=pathway_ids).exclude(
        status__in=NOT_APPLICANTS
    )
    participants = members.filter(partnership__isnull=False)
    completed_q = Q(
        partnership__isnull=False,
        status=Application.Status.MATCHED,
        partnership__flagged_at__isnull=True,
    )
    per_round = {
        round_id: (applicants, placed, completed)
        for round_id, applicants, placed, completed in members.values_list("round_id")
        .annotate(
            applicants=Count("id"),
            placed=Count("id", filter=Q(partnership__isnull=False)),
            completed=Count("id", filter=completed_q),
        )
        .order_by()
    }
    now = timezone.now()
    raw = []
    totals = {"applicants": 0, "participants": 0, "completed": 0, "finished_participants": 0}
    for round_id, round_ in rounds.items():
        applicants, placed, completed = per_round.get(round_id, (0, 0, 0))
        finished = round_.status_at(now) == RoundStatus.FINISHED
        totals["applicants"] += applicants
        totals["participants"] += placed
        if finished:
            totals["completed"] += completed
            totals["finished_participants"] += placed
        raw.append((round_, applicants, placed, completed if finished else None, finished))
    # Each column is a breakdown of the total below it (`shown_breakdown`).
    applicants_shown = shown_breakdown([line[1] for line in raw])
    placed_shown = shown_breakdown([line[2] for line in raw])
    completed_shown = shown_breakdown([line[3] for line in raw])
    lines = [
        RoundLine(
            round=round_,
            applicants=applicants_shown[i],
            participants=placed_shown[i],
            completed=completed_shown[i] if finished else None,
            completion_rate=(
                shown_share(completed, placed)
                if finished and FEWER not in (completed_shown[i], placed_shown[i])
                else None
            ),
            finished=finished,
        )
        for i, (round_, _applicants, placed, completed, finished) in enumerate(raw)
    ]
    countries = by_country(
        dict(participants.values_list("country").annotate(n=Count("id")).order_by())
    )
    sectors = by_sector(dict(participants.values_list("sector").annotate(n=Count("id")).order_by()))
    return PartnerReport(
        organisation=organisation,
        starts=starts,
        ends=ends,
        lines=lines,
        applicants=shown(totals["applicants"]),
        participants=shown(totals["participants"]),
        completed=shown(totals["completed"]),
        completion_rate=shown_share(totals["completed"], totals["finished_participants"]),
        country_count=len(countries),
        countries=shown_rows(countries),
        sectors=shown_rows(sectors),
        # Quotes only from a group large enough that a quote cannot be put to a name.
        quotes=consented_quotes(pathway_ids) if totals["participants"] >= MIN_COHORT else [],
        satisfaction=pathway_satisfaction(pathway_ids),
    )


# The signed link


def link_days() -> int:
    return settings.PARTNER_REPORT_LINK_DAYS


KEY_PART = 12
"""How much of the organisation's report key a link carries."""


def report_key(organisation: PartnerOrganisation) -> str:
    key, _created = PartnerReportKey.objects.get_or_create(organisation=organisation)
    return str(key.key)


def revoke_links(organisation: PartnerOrganisation) -> None:
    """Give the organisation a new report key: every link sent so far stops working."""
    PartnerReportKey.objects.update_or_create(
        organisation=organisation, defaults={"key": uuid.uuid4()}
    )


def make_token(organisation: PartnerOrganisation, starts: date, ends: date) -> str:
    payload = {
        "o": organisation.pk,
        "f": starts.isoformat(),
        "t": ends.isoformat(),
        "k": report_key(organisation)[:KEY_PART],
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> tuple[PartnerOrganisation, date, date]:
    """The organisation and period a link is for; `ReportLinkError` when it was altered,
    has expired, or its organisation is gone."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=timedelta(days=link_days()))
    except signing.SignatureExpired as error:
        raise ReportLinkError(
            _(
                "This report link has expired: links work for %(days)s days. Ask the network "
                "for a new one."
            )
            % {"days": link_days()},
            expired=True,
        ) from error
    except signing.BadSignature as error:
        raise ReportLinkError(
            _(
                "This report link is not valid: it may have been cut short or changed. Copy "
                "the whole link from the email, or ask the network for a new one."
            )
        ) from error
    try:
        organisation = PartnerOrganisation.objects.get(pk=payload["o"])
        found = organisation, date.fromisoformat(payload["f"]), date.fromisoformat(payload["t"])
        key = str(payload["k"])
    except (PartnerOrganisation.DoesNotExist, KeyError, TypeError, ValueError) as error:
        raise ReportLinkError(_("This report is no longer available.")) from error
    if len(key) != KEY_PART or not report_key(organisation).startswith(key):
        raise ReportLinkError(
            _("This report link has been withdrawn by the network. Ask the network for a new one."),
            expired=True,
        )
    return found
