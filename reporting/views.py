"""The statistics screens: the directors' dashboard and the partner reports in the admin,
and the partner report a liaison opens from their signed link (public, GET only)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from mentoring.models import PartnerOrganisation
from mentoring.views import private
from reporting import figure_charts
from reporting.services import exports, figures, partner_reports
from reporting.services.partner_reports import ReportLinkError

dashboard_permission = permission_required("reporting.view_dashboard", raise_exception=True)
reports_permission = permission_required("reporting.send_partner_reports", raise_exception=True)
LARGEST_ID = 2**63 - 1  # beyond it, SQLite refuses the query instead of finding nothing
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@require_GET
@dashboard_permission
def dashboard(request: HttpRequest) -> TemplateResponse:
    round_id = request.GET.get("round", "")
    chosen = int(round_id) if round_id.isascii() and round_id.isdigit() else None
    data = figures.dashboard(round_id=chosen)
    return TemplateResponse(
        request,
        "reporting/admin/dashboard.html",
        {
            "data": data,
            "charts": figure_charts.dashboard_charts(data),
            "rounds": [row.round for row in data.rows],
        },
    )


class PeriodForm(forms.Form):
    starts = forms.DateField(
        label=gettext_lazy("Rounds starting from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends = forms.DateField(
        label=gettext_lazy("until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts"), cleaned.get("ends")
        if starts and ends and ends < starts:
            raise forms.ValidationError(_("The period must end on or after the day it starts."))
        return cleaned


def _period(request: HttpRequest) -> tuple[PeriodForm, date, date]:
    starts, ends = partner_reports.default_period()
    form = PeriodForm(request.GET if "starts" in request.GET else None)
    if form.is_bound and form.is_valid():
        starts, ends = form.cleaned_data["starts"], form.cleaned_data["ends"]
    elif not form.is_bound:
        form = PeriodForm(initial={"starts": starts, "ends": ends})
    return form, starts, ends


@require_GET
@reports_permission
def partner_index(request: HttpRequest) -> TemplateResponse:
    return TemplateResponse(
        request,
        "reporting/admin/partner_index.html",
        {"organisations": PartnerOrganisation.objects.order_by("name")},
    )


def _organisation(pk: int) -> PartnerOrganisation:
    if pk > LARGEST_ID:
        raise Http404
    return get_object_or_404(PartnerOrganisation, pk=pk)


def _download(report, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    body = exports.report_xlsx(report) if fmt == "xlsx" else exports.report_pdf(report)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    name = f"{slugify(report.organisation.name)}-{report.starts}-{report.ends}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@reports_permission
@private
def partner_report(request: HttpRequest, pk: int) -> TemplateResponse:
    organisation = _organisation(pk)
    form, starts, ends = _period(request)
    report = partner_reports.build(organisation, starts, ends)
    token = partner_reports.make_token(organisation, starts, ends)
    link = request.build_absolute_uri(reverse("reporting:partner_report", args=[token]))
    return TemplateResponse(
        request,
        "reporting/admin/partner_report.html",
        {
            "organisation": organisation,
            "form": form,
            "report": report,
            "charts": figure_charts.partner_charts(report),
            "link": link,
            "link_days": partner_reports.link_days(),
            "query": request.GET.urlencode(),
        },
    )


@require_POST
@reports_permission
def partner_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the organisation's report key: every link sent to its liaison stops working."""
    organisation = _organisation(pk)
    partner_reports.revoke_links(organisation)
    messages.success(
        request,
        _("Every report link sent to %(name)s so far no longer works.")
        % {"name": organisation.name},
    )
    return redirect("statistics:partner_report", pk=organisation.pk)


@require_GET
@reports_permission
@private
def partner_report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    organisation = _organisation(pk)
    _form, starts, ends = _period(request)
    return _download(partner_reports.build(organisation, starts, ends), fmt)


# The liaison's link


def _from_link(request: HttpRequest, token: str):
    """(organisation, starts, ends), or a page that says what is wrong with the link: 410 for
    an expired one, 404 for one altered or cut short."""
    try:
        return partner_reports.read_token(token), None
    except ReportLinkError as error:
        return None, TemplateResponse(
            request,
            "reporting/link_problem.html",
            {"message": str(error)},
            status=410 if error.expired else 404,
        )


@require_GET
@private
def public_partner_report(request: HttpRequest, token: str) -> TemplateResponse:
    found, problem = _from_link(request, token)
    if problem:
        return problem
    organisation, starts, ends = found
    report = partner_reports.build(organisation, starts, ends)
    return TemplateResponse(
        request,
        "reporting/partner_report_page.html",
        {
            "report": report,
            "charts": figure_charts.partner_charts(report),
            "token": token,
        },
    )


@require_GET
@private
def public_partner_report_download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    found, problem = _from_link(request, token)
    if problem:
        return problem
    organisation, starts, ends = found
    return _download(partner_reports.build(organisation, starts, ends), fmt)
