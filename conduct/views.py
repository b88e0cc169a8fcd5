"""A participant reports a code-of-conduct problem from their personal page; directors open
a complaint's evidence files (never on a public address)."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from wagtail.permissions import policy_registry

from conduct.forms import ReportForm
from conduct.models import Complaint, Evidence
from conduct.services import complaints
from mentoring.models import Application
from mentoring.views import with_application

REPORTS_PER_DAY = 3
"""Reports one application may send in 24 hours; a few more than anyone needs."""
FORM_MARGIN_BYTES = 256 * 1024
"""The report's text fields beside its one file."""

CANNOT_REPORT = {
    Application.Status.UNVERIFIED,
    Application.Status.DUPLICATE,
    Application.Status.REMOVED,
}


@require_http_methods(["GET", "POST"])
@with_application()
def report(request: HttpRequest, application: Application, token: str) -> HttpResponse:
    if application.status in CANNOT_REPORT or application.erased_at:
        return redirect("mentoring:personal_page", token=token)
    if request.method == "POST" and request_too_large(request):
        limit = settings.CONDUCT_EVIDENCE_MAX_BYTES + FORM_MARGIN_BYTES
        messages.error(
            request,
            _(
                "What you sent was too large to accept (more than %(limit)s in all); nothing "
                "was kept. Please send a smaller file."
            )
            % {"limit": filesizeformat(limit)},
        )
        return render(
            request,
            "conduct/report.html",
            {"form": ReportForm(reporter=application), "application": application, "token": token},
            status=413,
        )
    form = ReportForm(request.POST or None, request.FILES or None, reporter=application)
    if request.method == "POST" and rate_limited(application):
        form.is_valid()
        form.add_error(
            None,
            _(
                "You have sent %(count)s reports today, the most we accept in a day. Please "
                "try again tomorrow, or write to the directors."
            )
            % {"count": REPORTS_PER_DAY},
        )
        return render(
            request,
            "conduct/report.html",
            {"form": form, "application": application, "token": token},
            status=429,
        )
    if request.method == "POST" and form.is_valid():
        if not form.is_bot():
            complaints.report_from_participant(
                application,
                subject=form.subject,
                subject_description=form.cleaned_data["about_other"],
                what_happened=form.cleaned_data["what_happened"],
                happened_on=form.cleaned_data["happened_on"],
                evidence=form.cleaned_data["evidence"],
            )
        messages.success(
            request,
            _(
                "Thank you for telling us. The directors will read your report; we have "
                "emailed you an acknowledgement."
            ),
        )
        return redirect("mentoring:personal_page", token=token)
    return render(
        request,
        "conduct/report.html",
        {"form": form, "application": application, "token": token},
        status=400 if form.is_bound else 200,
    )


def request_too_large(request: HttpRequest) -> bool:
    """Refuse a body far beyond what the form can accept before Django reads it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.CONDUCT_EVIDENCE_MAX_BYTES + FORM_MARGIN_BYTES


def rate_limited(application: Application) -> bool:
    since = timezone.now() - timedelta(days=1)
    sent = Complaint.objects.filter(reporter_application=application, received_at__gte=since)
    return sent.count() >= REPORTS_PER_DAY


@require_GET
@never_cache
def evidence_file(request: HttpRequest, evidence_id: int) -> HttpResponse:
    """A director downloads a file of a complaint (the permission of complaints decides)."""
    policy = policy_registry.get_by_type(Complaint)
    if not policy.user_has_permission(request.user, "view"):
        raise PermissionDenied
    evidence = get_object_or_404(Evidence, pk=evidence_id)
    if not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.name or "evidence"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
