"""Admin screens of surveys: directors build them (a StreamField of sections and questions
with conditions), copy the partner-satisfaction template for a round, and read the results
(counts, bars drawn as SVG on the server, free-text answers) with filters and exports."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.snippets.views.snippets import CopyView, InspectView, SnippetViewSet

from mentoring.choices import Sector
from mentoring.models import Pathway, Round
from surveys.models import Survey, SurveyResponse
from surveys.services import exports
from surveys.services.analysis import results

NAMESPACE = "wagtailsnippets_surveys_survey"
# The answers (free text included) and the exports: directors only (README, Roles).
RESULTS_PERMISSION = "surveys.view_survey_results"
BAR_WIDTH = 320


def survey_url(name: str, survey: Survey, *args) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=[survey.pk, *args])


class SurveyCopyView(CopyView):
    """Copying (the partner-satisfaction template, or last round's survey) makes a survey to
    be sent: not a template, no round yet chosen, no dates."""

    def get_initial_form_instance(self):
        original = super().get_initial_form_instance()
        copy = Survey.objects.get(pk=original.pk)
        copy.pk = None
        copy._state.adding = True
        copy.title = _("%(title)s (copy)") % {"title": original.title}
        copy.is_template = False
        copy.round = None
        copy.moment = ""
        copy.send_on = copy.closes_on = None
        copy.slug = ""
        return copy


class ResultsFilter(forms.Form):
    round = forms.ModelChoiceField(
        queryset=Round.objects.all(), required=False, label=gettext_lazy("Round")
    )
    pathway = forms.ModelChoiceField(
        queryset=Pathway.objects.select_related("round", "organisation"),
        required=False,
        label=gettext_lazy("Pathway"),
    )
    country = forms.ChoiceField(required=False, label=gettext_lazy("Country"))
    sector = forms.ChoiceField(
        choices=[("", "---------"), *Sector.choices], required=False, label=gettext_lazy("Sector")
    )

    def __init__(self, survey: Survey, *args, **kwargs):
        super().__init__(*args, **kwargs)
        given = survey.responses.exclude(country="").values_list("country", flat=True).distinct()
        names = dict(countries)
        self.fields["country"].choices = [
            ("", "---------"),
            *sorted(
                ((code, names.get(code, code)) for code in given), key=lambda pair: str(pair[1])
            ),
        ]
        rounds = survey.responses.values("round")
        self.fields["round"].queryset = Round.objects.filter(pk__in=rounds)
        self.fields["pathway"].queryset = Pathway.objects.filter(
            pk__in=survey.responses.values("pathway")
        ).select_related("organisation", "round")

    def apply(self, responses):
        if not self.is_valid():
            return responses
        data = self.cleaned_data
        if data.get("round"):
            responses = responses.filter(round=data["round"])
        if data.get("pathway"):
            responses = responses.filter(pathway=data["pathway"])
        if data.get("country"):
            responses = responses.filter(country=data["country"])
        if data.get("sector"):
            responses = responses.filter(sector=data["sector"])
        return responses


def _survey_for_results(request, pk: int) -> Survey:
    if not request.user.has_perm(RESULTS_PERMISSION):
        raise PermissionDenied
    return get_object_or_404(Survey, pk=pk)


def _filtered(request, survey: Survey):
    form = ResultsFilter(survey, request.GET or None)
    responses = form.apply(SurveyResponse.objects.filter(survey=survey))
    return form, responses


def results_view(request, pk: int) -> TemplateResponse:
    survey = _survey_for_results(request, pk)
    form, responses = _filtered(request, survey)
    figures = results(survey.definition, responses)
    query = request.GET.urlencode()
    exports_urls = {
        (kind, fmt): survey_url(f"export_{kind}", survey, fmt) + (f"?{query}" if query else "")
        for kind in ("raw", "summary")
        for fmt in ("csv", "xlsx")
    }
    return TemplateResponse(
        request,
        "surveys/admin/results.html",
        {
            "survey": survey,
            "form": form,
            "figures": figures,
            "bar_width": BAR_WIDTH,
            "export_raw_csv": exports_urls[("raw", "csv")],
            "export_raw_xlsx": exports_urls[("raw", "xlsx")],
            "export_summary_csv": exports_urls[("summary", "csv")],
            "export_summary_xlsx": exports_urls[("summary", "xlsx")],
            "header_title": _("Results: %(title)s") % {"title": survey.title},
            "page_title": _("Results: %(title)s") % {"title": survey.title},
            "inspect_url": survey_url("inspect", survey),
            "breadcrumbs_items": [
                {"url": reverse("wagtailadmin_home"), "label": _("Home")},
                {"url": reverse(f"{NAMESPACE}:list"), "label": _("Surveys")},
                {"url": "", "label": survey.title},
            ],
        },
    )


def _export(request, pk: int, fmt: str, kind: str) -> HttpResponse:
    survey = _survey_for_results(request, pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, responses = _filtered(request, survey)
    rows = (exports.raw_rows if kind == "raw" else exports.summary_rows)(survey, responses)
    name = f"{slugify(survey.title) or 'survey'}-{kind}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            exports.as_xlsx(rows, kind),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def export_raw(request, pk: int, fmt: str) -> HttpResponse:
    return _export(request, pk, fmt, "raw")


def export_summary(request, pk: int, fmt: str) -> HttpResponse:
    return _export(request, pk, fmt, "summary")


class SurveyInspectView(InspectView):
    template_name = "surveys/admin/survey_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        survey = self.object
        if self.request.user.has_perm(RESULTS_PERMISSION):
            context["results_url"] = survey_url("results", survey)
        context["response_count"] = survey.responses.count()
        context["definition"] = survey.definition
        return context


class SurveyViewSet(SnippetViewSet):
    model = Survey
    icon = "list-ul"
    menu_label = gettext_lazy("Surveys")
    menu_name = "surveys"
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "title",
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
        "round",
        Column("moment", label=gettext_lazy("Moment"), accessor="get_moment_display"),
        "send_on",
        BooleanColumn("is_template", label=gettext_lazy("Template")),
    ]
    list_filter = ["kind", "round", "is_template"]
    search_fields = ["title"]
    search_backend_name = None
    inspect_view_enabled = True
    inspect_view_class = SurveyInspectView
    copy_view_enabled = True
    copy_view_class = SurveyCopyView

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("results/<int:pk>/", results_view, name="results"),
            path("export-raw/<int:pk>/<str:fmt>/", export_raw, name="export_raw"),
            path("export-summary/<int:pk>/<str:fmt>/", export_summary, name="export_summary"),
        ]
