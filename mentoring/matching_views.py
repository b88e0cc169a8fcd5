"""The directors' matching screens in the Wagtail admin, registered by `MatchingViewSet`:
the decision hierarchy, the runs with a live progress bar, the review of a run (paged, with
search and a filter) with hand adjustments, the streamed export and the approval. Refusals
are the typed errors of `mentoring.services.errors`, shown by their translated message."""

import tempfile
from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from openpyxl import Workbook
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from mentoring.choices import CRITERION_LABELS
from mentoring.cockpit_views import RUN_ROUNDS, forbidden
from mentoring.forms import HierarchyForm, ReviewSearchForm
from mentoring.models import Application, MatchRun, ProposedPair, Round, RoundStatus
from mentoring.services import approval, errors, recovery, review, rounds
from mentoring.services import runs as run_jobs
from website.spreadsheets import safe_cell

# Pairs per page of a run's review; its figures (count, histogram, wishes) cover every pair.
REVIEW_PAGE_SIZE = 100
# Rows read from the database at a time while an export streams.
EXPORT_CHUNK = 2000


def to_run(run: MatchRun) -> HttpResponse:
    return redirect("mentoring_matching:run", run_id=run.pk)


class DirectorsOnlyMixin:
    """Only people who run rounds; everyone else gets a 403, whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(RUN_ROUNDS):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


class RoundMatchingView(DirectorsOnlyMixin, WagtailAdminTemplateMixin, View):
    """A round's decision hierarchy, its runs, its pair rules and its re-match pool."""

    template_name = "mentoring/admin/round_matching.html"
    header_icon = "group"

    def get(self, request, round_id: int):
        self.round = get_object_or_404(Round, pk=round_id)
        return self.render_to_response(self.get_context_data(form=HierarchyForm(round=self.round)))

    def post(self, request, round_id: int):
        self.round = get_object_or_404(Round, pk=round_id)
        form = HierarchyForm(request.POST, round=self.round)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        rounds.save_hierarchy(self.round, *form.hierarchy())
        if "run" in request.POST and self.round.status in rounds.MATCHING_STATUSES:
            run = run_jobs.start_run(self.round, request.user)
            run.refresh_from_db(fields=["status"])
            if run.status in (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING):
                messages.success(request, _("The matching is running."))
            else:
                messages.success(request, _("The matching has run."))
            return to_run(run)
        messages.success(request, _("The decision hierarchy is saved."))
        return redirect("mentoring_matching:round", round_id=self.round.pk)

    def get_page_title(self):
        return _("Matching: %(round)s") % {"round": self.round.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        round = self.round
        runs = round.match_runs.all()[:20]
        return {
            **context,
            "round": round,
            "runs": runs,
            "pool_size": Application.objects.in_pool().filter(round=round).count(),
            "can_run": round.status in rounds.MATCHING_STATUSES,
            "can_rematch": round.status == RoundStatus.RUNNING,
            "rules": round.pair_rules.select_related("first", "second"),
            "rematch_pool": run_jobs.rematch_pool(round),
            "stalled": [run.pk for run in runs if run_jobs.is_stalled(run)],
        }


class StartRematchView(DirectorsOnlyMixin, View):
    """Match again the people of a running round who wait for a new partner."""

    def post(self, request, round_id: int):
        round = get_object_or_404(Round, pk=round_id)
        pool = run_jobs.rematch_pool(round)
        if round.status != RoundStatus.RUNNING or len(pool) < 2:
            messages.error(request, str(errors.RematchPoolTooSmall()))
            return redirect("mentoring_matching:round", round_id=round.pk)
        run = run_jobs.start_run(round, request.user, kind=MatchRun.Kind.REMATCH, pool_ids=pool)
        return to_run(run)


class RestartRunView(DirectorsOnlyMixin, View):
    """A failed or stalled run starts afresh as a new run (`recovery.restart`)."""

    def post(self, request, run_id: int):
        run = get_object_or_404(MatchRun, pk=run_id)
        try:
            new = recovery.restart(run.pk, request.user)
        except errors.MatchingError as error:
            messages.error(request, str(error))
            return to_run(run)
        messages.success(request, _("The run is restarted."))
        return to_run(new)


class RunProgressView(DirectorsOnlyMixin, View):
    """The run's progress as JSON, for the review page's progress bar."""

    def get(self, request, run_id: int):
        run = get_object_or_404(MatchRun, pk=run_id)
        return JsonResponse(
            {
                "status": run.status,
                "progress": run.progress,
                "message": run.message,
                "error": run.error,
            }
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


def _person_matches(prefix: str, query: str) -> Q:
    return Q(**{f"{prefix}name__icontains": query}) | Q(**{f"{prefix}email__icontains": query})


class RunReviewView(DirectorsOnlyMixin, WagtailAdminTemplateMixin, View):
    """A run's figures over all its pairs, then its pairs a page at a time, lowest score
    first, narrowed by a search (name or email of any member) and a filter."""

    template_name = "mentoring/admin/run_review.html"
    header_icon = "group"

    def get(self, request, run_id: int):
        self.run = get_object_or_404(MatchRun.objects.select_related("round"), pk=run_id)
        return self.render_to_response(self.get_context_data())

    def get_page_title(self):
        return str(self.run)

    def shown_pairs(self, pairs, query: str, show: str):
        if show == ReviewSearchForm.UNMATCHED:
            return pairs.none()
        if show == ReviewSearchForm.LOW_SCORE:
            pairs = pairs.filter(score__lt=50)
        elif show == ReviewSearchForm.ADJUSTED:
            pairs = pairs.filter(adjusted=True)
        elif show == ReviewSearchForm.TRIADS:
            pairs = pairs.filter(third__isnull=False)
        if query:
            pairs = pairs.filter(
                _person_matches("first__", query)
                | _person_matches("second__", query)
                | _person_matches("third__", query)
            )
        return pairs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.run
        search = ReviewSearchForm(self.request.GET)
        cleaned = search.cleaned_data if search.is_valid() else {}
        query, show = cleaned.get("q", "").strip(), cleaned.get("show", "")
        pairs = run.pairs.order_by("score", "pk")
        wishes_met, wishes = _wish_counts(pairs)
        scores = list(pairs.values_list("score", flat=True))
        shown = self.shown_pairs(pairs, query, show).select_related("first", "second", "third")
        page = Paginator(shown, REVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
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
        shown_unmatched = (
            unmatched.filter(_person_matches("application__", query)) if query else unmatched
        )
        kept = {key: value for key, value in (("q", query), ("show", show)) if value}
        return {
            **context,
            "run": run,
            "round": run.round,
            "page": page,
            "search": search,
            "searching": bool(kept),
            "page_query": urlencode(kept),
            "pair_count": len(scores),
            "triad_count": pairs.filter(third__isnull=False).count(),
            "unmatched": unmatched,
            "shown_unmatched": shown_unmatched,
            "histogram": _histogram(scores),
            "wishes_met": wishes_met,
            "wishes": wishes,
            "editable": run.status == MatchRun.Status.DONE,
            "stalled": run_jobs.is_stalled(run),
            "labels": CRITERION_LABELS,
        }


def _application(run: MatchRun, value: str) -> Application | None:
    if not str(value).isdigit():
        return None
    return Application.objects.filter(pk=int(value), round=run.round).first()


class AdjustRunView(DirectorsOnlyMixin, View):
    """The director's hand edits of a run under review: unpair, pair two unmatched, swap."""

    def post(self, request, run_id: int):
        self.run = run = get_object_or_404(MatchRun, pk=run_id)
        self.accept = request.POST.get("accept_warnings") == "1"
        action = {"unpair": self.unpair, "pair": self.pair, "swap": self.swap}.get(
            request.POST.get("action", "")
        )
        try:
            if action is None:
                raise errors.UnknownAction()
            action()
        except errors.MatchingError as error:
            messages.error(request, str(error))
        review.refresh_totals(run)
        return to_run(run)

    def _pair(self, name: str) -> ProposedPair:
        return get_object_or_404(ProposedPair, pk=self.request.POST.get(name), run=self.run)

    def unpair(self) -> None:
        pair = self._pair("pair")
        review.unpair(pair)
        messages.success(self.request, _("Unpaired: %(pair)s.") % {"pair": pair})

    def pair(self) -> None:
        first = _application(self.run, self.request.POST.get("first", ""))
        second = _application(self.run, self.request.POST.get("second", ""))
        if not first or not second or first == second:
            raise errors.UnknownApplicant()
        check = review.make_pair(self.run, first, second, self.accept)
        self._report(
            check.warnings,
            _("Paired %(a)s and %(b)s (score %(s)s).")
            % {"a": first.name, "b": second.name, "s": check.score},
        )

    def swap(self) -> None:
        pairs = [self._pair(name) for name in ("pair", "other")]
        if pairs[0].pk == pairs[1].pk:
            raise errors.SamePair()
        if pairs[0].third_id or pairs[1].third_id:
            raise errors.TriadNotSwappable()
        checks = review.swap(pairs[0], pairs[1], self.accept)
        self._report(
            [warning for check in checks for warning in check.warnings],
            _("Swapped; new scores %(a)s and %(b)s.")
            % {"a": checks[0].score, "b": checks[1].score},
        )

    def _report(self, warnings: list[str], success: str) -> None:
        if warnings and not self.accept:
            messages.warning(
                self.request,
                _(
                    "Not done, because it breaks a rule: %(w)s Tick “accept warnings” to do it "
                    "anyway."
                )
                % {"w": " ".join(warnings)},
            )
        else:
            messages.success(self.request, success)


class ApproveRunView(DirectorsOnlyMixin, View):
    """Queue the approval of a reviewed run, once the director ticked the confirmation."""

    def post(self, request, run_id: int):
        run = get_object_or_404(MatchRun, pk=run_id)
        try:
            if request.POST.get("confirm") != "approve":
                raise errors.ApprovalNotConfirmed()
            approval.start_approval(run, request.user)
        except errors.MatchingError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "The approval is under way: the partnerships are made and introduced in "
                    "batches."
                ),
            )
        return to_run(run)


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


def export_rows(run: MatchRun):
    """One row per member of each pair, best score first, then one per unmatched person;
    read from the database `EXPORT_CHUNK` rows at a time."""
    pairs = run.pairs.select_related("first", "second", "third").order_by("-score", "pk")
    for pair in pairs.iterator(chunk_size=EXPORT_CHUNK):
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
    unmatched = run.unmatched.select_related("application").order_by("pk")
    for item in unmatched.iterator(chunk_size=EXPORT_CHUNK):
        member = item.application
        yield [
            "",
            "",
            member.name,
            member.email,
            member.country.code,
            member.sector,
            member.career_stage,
            "",
            f"unmatched: {item.reason}",
        ]


class ExportRunView(DirectorsOnlyMixin, SpreadsheetExportMixin, View):
    """A run's pairs and unmatched as CSV, streamed row by row, or as XLSX, written row by
    row (openpyxl's write-only mode) to a temporary file that is then streamed. Text cells
    go through `safe_cell`, so nothing typed by an applicant runs as a formula."""

    list_export = EXPORT_COLUMNS
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        str: {
            SpreadsheetExportMixin.FORMAT_CSV: safe_cell,
            SpreadsheetExportMixin.FORMAT_XLSX: safe_cell,
        },
    }

    def get(self, request, run_id: int, fmt: str) -> HttpResponse:
        self.run = get_object_or_404(MatchRun.objects.select_related("round"), pk=run_id)
        if fmt == self.FORMAT_XLSX:
            return self.as_spreadsheet(export_rows(self.run), self.FORMAT_XLSX)
        response = self.as_spreadsheet(export_rows(self.run), self.FORMAT_CSV)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def get_filename(self) -> str:
        return f"{self.run.round.slug}-run-{self.run.pk}"

    def get_heading(self, queryset, field) -> str:
        return field

    def to_row_dict(self, item: list) -> dict:
        return dict(zip(EXPORT_COLUMNS, item, strict=True))

    def write_xlsx(self, queryset, output) -> None:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title="Pairs")
        sheet.append(EXPORT_COLUMNS)
        for item in queryset:
            sheet.append(self.generate_xlsx_row(sheet, self.to_row_dict(item)))
        book.save(output)

    def write_xlsx_response(self, queryset):
        """The workbook goes to a temporary file, not memory; the response streams it."""
        output = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output,
            as_attachment=True,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename=f"{self.get_filename()}.xlsx",
        )
