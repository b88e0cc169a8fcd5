"""The directors' matching screens in the Wagtail admin: the decision hierarchy, the runs
with a live progress bar, the review of a run with hand adjustments, export and approval."""

import csv
import io
from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from mentoring.matching.hierarchy import Criterion
from mentoring.models import Application, MatchRun, ProposedPair, Round, RoundStatus
from mentoring.services import approval, review
from mentoring.services import runs as run_jobs

CRITERION_LABELS = {
    Criterion.SECTOR_WISH: gettext_lazy("Sector wish"),
    Criterion.INTERESTS: gettext_lazy("Shared interests"),
    Criterion.EXPERIENCE: gettext_lazy("Experience"),
    Criterion.TIME_ZONE: gettext_lazy("Time-zone and availability overlap"),
    Criterion.CAREER_STAGE_WISH: gettext_lazy("Career-stage wish"),
    Criterion.REGION_WISH: gettext_lazy("Region wish"),
    Criterion.LANGUAGES: gettext_lazy("Shared languages"),
}
HARD_ALLOWED = {Criterion.SECTOR_WISH, Criterion.CAREER_STAGE_WISH, Criterion.REGION_WISH}
directors_only = permission_required("mentoring.change_round", raise_exception=True)
RUNNABLE = {RoundStatus.CONFIRMING, RoundStatus.MATCHING}
# Pairs per page of a run's review; its figures (count, histogram, wishes) cover every pair.
REVIEW_PAGE_SIZE = 100


class HierarchyForm(forms.Form):
    """One row per criterion: its rank, its weight, and whether it is hard."""

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        current = {
            item["criterion"]: (rank, item["weight"])
            for rank, item in enumerate(round.hierarchy, start=1)
        }
        self.rows = []
        for criterion in Criterion:
            rank, weight = current.get(criterion.value, (len(Criterion), 0))
            self.fields[f"{criterion}_rank"] = forms.IntegerField(
                min_value=1, max_value=len(Criterion), initial=rank, label=_("Rank")
            )
            self.fields[f"{criterion}_weight"] = forms.FloatField(
                min_value=0, max_value=1000, initial=weight, label=_("Weight")
            )
            if criterion in HARD_ALLOWED:
                self.fields[f"{criterion}_hard"] = forms.BooleanField(
                    required=False, initial=criterion.value in round.hard_criteria, label=_("Hard")
                )
            self.rows.append((criterion, CRITERION_LABELS[criterion]))

    def bound_rows(self):
        for criterion, label in self.rows:
            yield (
                label,
                self[f"{criterion}_rank"],
                self[f"{criterion}_weight"],
                self[f"{criterion}_hard"] if f"{criterion}_hard" in self.fields else None,
            )

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(f"{c}_weight") or 0 for c in Criterion]
        if not any(weights):
            raise forms.ValidationError(_("At least one criterion needs a weight above 0."))
        ranks = [cleaned.get(f"{c}_rank") for c in Criterion]
        if None not in ranks and len(set(ranks)) != len(ranks):
            raise forms.ValidationError(_("Give each criterion a different rank."))
        return cleaned

    def hierarchy(self) -> tuple[list[dict], list[str]]:
        rows = sorted(Criterion, key=lambda c: self.cleaned_data[f"{c}_rank"])
        weights = [
            {"criterion": c.value, "weight": self.cleaned_data[f"{c}_weight"]}
            for c in rows
            if self.cleaned_data[f"{c}_weight"] > 0
        ]
        hard = [c.value for c in Criterion if self.cleaned_data.get(f"{c}_hard")]
        return weights, hard


@directors_only
def round_matching(request: HttpRequest, round_id: int) -> TemplateResponse:
    round = get_object_or_404(Round, pk=round_id)
    form = HierarchyForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        round.hierarchy, round.hard_criteria = form.hierarchy()
        round.save(update_fields=["hierarchy", "hard_criteria"])
        if "run" in request.POST and round.status in RUNNABLE:
            run = run_jobs.start_run(round, request.user)
            run.refresh_from_db(fields=["status"])
            if run.status in (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING):
                messages.success(request, _("The matching is running."))
            else:
                messages.success(request, _("The matching has run."))
            return redirect("mentoring_matching_run", run_id=run.pk)
        messages.success(request, _("The decision hierarchy is saved."))
        return redirect("mentoring_matching_round", round_id=round.pk)
    runs = round.match_runs.all()[:20]
    return TemplateResponse(
        request,
        "mentoring/admin/round_matching.html",
        {
            "round": round,
            "form": form,
            "runs": runs,
            "pool_size": Application.objects.in_pool().filter(round=round).count(),
            "can_run": round.status in RUNNABLE,
            "can_rematch": round.status == RoundStatus.RUNNING,
            "rules": round.pair_rules.select_related("first", "second"),
            "rematch_pool": run_jobs.rematch_pool(round),
            "stalled": [run.pk for run in runs if run_jobs.is_stalled(run)],
        },
    )


@require_POST
@directors_only
def start_rematch(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    pool = run_jobs.rematch_pool(round)
    if round.status != RoundStatus.RUNNING or len(pool) < 2:
        messages.error(request, _("Fewer than two people are waiting for a new partner."))
        return redirect("mentoring_matching_round", round_id=round.pk)
    run = run_jobs.start_run(round, request.user, kind=MatchRun.Kind.REMATCH, pool_ids=pool)
    return redirect("mentoring_matching_run", run_id=run.pk)


@require_POST
@directors_only
def restart_run(request: HttpRequest, run_id: int) -> HttpResponse:
    """A failed run, or one whose worker stopped (its lease lapsed), starts afresh as a new
    run; the stopped one is marked failed so that beat does not queue it as well."""
    with transaction.atomic():
        run = get_object_or_404(MatchRun.objects.select_for_update(), pk=run_id)
        if run.status != MatchRun.Status.FAILED and not run_jobs.is_stalled(run):
            messages.error(
                request, _("This run is still being worked on; it can be restarted if it stops.")
            )
            return redirect("mentoring_matching_run", run_id=run.pk)
        new = run_jobs.start_run(
            run.round, request.user, kind=run.kind, pool_ids=run.requested_pool or None
        )
        if run.status != MatchRun.Status.FAILED:
            run.status = MatchRun.Status.FAILED
            run.error = f"Its worker stopped; restarted as run #{new.pk}."
            run.finished_at = timezone.now()
            run.lease_token, run.lease_expires_at = "", None
            run.save()
    messages.success(request, _("The run is restarted."))
    return redirect("mentoring_matching_run", run_id=new.pk)


@directors_only
def run_progress(request: HttpRequest, run_id: int) -> JsonResponse:
    run = get_object_or_404(MatchRun, pk=run_id)
    return JsonResponse(
        {"status": run.status, "progress": run.progress, "message": run.message, "error": run.error}
    )


def _histogram(scores: list[float]) -> list[tuple[str, int, float]]:
    bins = Counter(min(int(score // 10), 9) for score in scores)
    most = max(bins.values(), default=1)
    return [
        (f"{b * 10} to {b * 10 + 10}", bins.get(b, 0), 100 * bins.get(b, 0) / most)
        for b in range(10)
    ]


def _wish_counts(pairs) -> tuple[int, int]:
    """Wishes met and wishes expressed over the run's pairs, read from their reasons only."""
    wishes = [
        wish for listed in pairs.values_list("reasons__wishes", flat=True) for wish in listed or []
    ]
    return sum(bool(wish.get("met")) for wish in wishes), len(wishes)


@directors_only
def run_review(request: HttpRequest, run_id: int) -> TemplateResponse:
    run = get_object_or_404(MatchRun.objects.select_related("round"), pk=run_id)
    pairs = run.pairs.order_by("score", "pk")
    wishes_met, wishes = _wish_counts(pairs)
    scores = list(pairs.values_list("score", flat=True))
    shown = pairs.select_related("first", "second", "third")
    page = Paginator(shown, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    for pair in page:
        pair.criteria_display = [
            (
                CRITERION_LABELS.get(item["criterion"], item["criterion"]),
                item["points"],
                item["max_points"],
            )
            for item in pair.reasons.get("criteria", [])
            if item["points"]
        ]
        pair.broken_wishes = [
            CRITERION_LABELS.get(wish["criterion"], wish["criterion"])
            for wish in pair.reasons.get("wishes", [])
            if not wish["met"]
        ]
    unmatched = run.unmatched.select_related("application").order_by("application__name")
    return TemplateResponse(
        request,
        "mentoring/admin/run_review.html",
        {
            "run": run,
            "round": run.round,
            "page": page,
            "pair_count": len(scores),
            "triad_count": pairs.filter(third__isnull=False).count(),
            "unmatched": unmatched,
            "histogram": _histogram(scores),
            "wishes_met": wishes_met,
            "wishes": wishes,
            "editable": run.status == MatchRun.Status.DONE,
            "stalled": run_jobs.is_stalled(run),
            "labels": CRITERION_LABELS,
        },
    )


def _application(run: MatchRun, value: str) -> Application | None:
    if not str(value).isdigit():
        return None
    return Application.objects.filter(pk=int(value), round=run.round).first()


@require_POST
@directors_only
def adjust_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(MatchRun, pk=run_id)
    action = request.POST.get("action")
    accept = request.POST.get("accept_warnings") == "1"
    try:
        if action == "unpair":
            pair = get_object_or_404(ProposedPair, pk=request.POST.get("pair"), run=run)
            review.unpair(pair)
            messages.success(request, _("Unpaired: %(pair)s.") % {"pair": pair})
        elif action == "pair":
            first = _application(run, request.POST.get("first", ""))
            second = _application(run, request.POST.get("second", ""))
            if not first or not second or first == second:
                raise ValueError(_("Choose two different unmatched people."))
            check = review.make_pair(run, first, second, accept)
            _report(
                request,
                check,
                accept,
                _("Paired %(a)s and %(b)s (score %(s)s).")
                % {"a": first.name, "b": second.name, "s": check.score},
            )
        elif action == "swap":
            pairs = [
                get_object_or_404(ProposedPair, pk=request.POST.get(name), run=run)
                for name in ("pair", "other")
            ]
            if pairs[0].pk == pairs[1].pk:
                raise ValueError(_("Choose two different pairs."))
            checks = review.swap(pairs[0], pairs[1], accept)
            warnings = [w for check in checks for w in check.warnings]
            if warnings and not accept:
                _warn(request, warnings)
            else:
                messages.success(
                    request,
                    _("Swapped; new scores %(a)s and %(b)s.")
                    % {"a": checks[0].score, "b": checks[1].score},
                )
        else:
            raise ValueError(_("Unknown action."))
    except (ValueError, review.MatchingError) as error:
        messages.error(request, str(error))
    review.refresh_totals(run)
    return redirect("mentoring_matching_run", run_id=run.pk)


def _warn(request, warnings: list[str]) -> None:
    messages.warning(
        request,
        _("Not done, because it breaks a rule: %(w)s Tick “accept warnings” to do it anyway.")
        % {"w": " ".join(warnings)},
    )


def _report(request, check, accept: bool, success: str) -> None:
    if check.warnings and not accept:
        _warn(request, check.warnings)
    else:
        messages.success(request, success)


@require_POST
@directors_only
def approve_run(request: HttpRequest, run_id: int) -> HttpResponse:
    run = get_object_or_404(MatchRun, pk=run_id)
    if request.POST.get("confirm") != "approve":
        messages.error(request, _("Tick the box to confirm the approval."))
        return redirect("mentoring_matching_run", run_id=run.pk)
    try:
        approval.start_approval(run, request.user)
    except review.MatchingError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The approval is under way: the partnerships are made and introduced in batches."),
        )
    return redirect("mentoring_matching_run", run_id=run.pk)


EXPORT_COLUMNS = [
    "pair",
    "score",
    "name",
    "email",
    "country",
    "sector",
    "career_stage",
    "adjusted",
    "warnings",
]


def _export_rows(run: MatchRun):
    for pair in run.pairs.select_related("first", "second", "third").order_by("-score"):
        for member in pair.members:
            yield [
                pair.pk,
                pair.score,
                member.name,
                member.email,
                member.country.code,
                member.sector,
                member.career_stage,
                pair.adjusted,
                " ".join(pair.warnings),
            ]
    for unmatched in run.unmatched.select_related("application"):
        member = unmatched.application
        yield [
            "",
            "",
            member.name,
            member.email,
            member.country.code,
            member.sector,
            member.career_stage,
            "",
            f"unmatched: {unmatched.reason}",
        ]


@directors_only
def export_run(request: HttpRequest, run_id: int, fmt: str) -> HttpResponse:
    run = get_object_or_404(MatchRun, pk=run_id)
    filename = f"{run.round.slug}-run-{run.pk}"
    if fmt == "xlsx":
        book = Workbook()
        sheet = book.active
        sheet.title = "Pairs"
        sheet.append(EXPORT_COLUMNS)
        for row in _export_rows(run):
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(_export_rows(run))
    return response
