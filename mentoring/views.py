"""Public views of the mentoring journey. Links from emails open a page with one button:
a GET never changes anything; the button's POST does."""

import json
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import Site

from mentoring import links
from mentoring.forms import ApplicationForm, InterestForm, LostLinkForm
from mentoring.models import Application, ProgramSettings, Round, RoundStatus
from mentoring.normalise import normalise_email
from mentoring.services import applications, checkins, interest, participants


def private(view: Callable) -> Callable:
    """Personal pages: never stored by a browser or a proxy."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def link_error(request: HttpRequest, error: links.LinkError) -> HttpResponse:
    return render(
        request,
        "mentoring/link_invalid.html",
        {"expired": error.expired, "form": LostLinkForm()},
        status=400,
    )


def with_application(purpose: str = links.PERSONAL) -> Callable:
    """Resolve the signed token of the URL to its application, or show the invalid-link page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, token: str, *args, **kwargs):
            try:
                application = links.application_from_token(purpose, token)
            except links.LinkError as error:
                return link_error(request, error)
            return view(request, application, token, *args, **kwargs)

        return private(wrapped)

    return decorator


def program_settings(request: HttpRequest) -> ProgramSettings:
    return ProgramSettings.for_site(Site.find_for_request(request) or Site.objects.first())


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    round = Round.objects.applications_open().first()
    if round is None:
        return interest_list(request)
    initial = {}
    invitation = links.read_pathway_token(request.GET.get("invite", ""))
    if invitation:
        initial["pathway_code"] = invitation.code
    form = ApplicationForm(request.POST or None, round=round, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.is_bot():
            return redirect("mentoring:application_sent")
        consent_version = program_settings(request).consent_version()
        result = applications.submit_application(round, form.application_data(), consent_version)
        if result.outcome == applications.Outcome.BARRED:
            return render(request, "mentoring/application_declined.html", {"round": round})
        if result.outcome == applications.Outcome.CLOSED:
            return redirect("mentoring:apply")
        if result.outcome == applications.Outcome.ALREADY_VERIFIED:
            again = "sent" if result.link_sent else "recent"
            return redirect(f"{reverse('mentoring:application_sent')}?again={again}")
        return redirect("mentoring:application_sent")
    return render(
        request,
        "mentoring/apply.html",
        {
            "round": round,
            "form": form,
            "texts": program_settings(request),
        },
    )


def application_sent(request: HttpRequest) -> HttpResponse:
    """After a submission; `again` tells someone who had already applied what was sent."""
    again = request.GET.get("again")
    return render(
        request,
        "mentoring/application_sent.html",
        {"again": again if again in {"sent", "recent"} else None},
    )


def interest_list(request: HttpRequest) -> HttpResponse:
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_bot():
            interest.join_list(
                form.cleaned_data["name"], form.cleaned_data["email"], form.cleaned_data["country"]
            )
        return redirect("mentoring:interest_sent")
    upcoming = (
        Round.objects.filter(application_opens_at__gt=timezone.now())
        .order_by("application_opens_at")
        .first()
    )
    return render(request, "mentoring/interest.html", {"form": form, "upcoming": upcoming})


def interest_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "mentoring/interest_sent.html")


def _interest_action(request, token, purpose, action, template):
    try:
        person = links.interested_person_from_token(purpose, token)
    except links.LinkError as error:
        return link_error(request, error)
    done = False
    if request.method == "POST":
        action(person)
        done = True
    return render(request, template, {"person": person, "done": done})


@private
@require_http_methods(["GET", "POST"])
def interest_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _interest_action(
        request, token, links.INTEREST_CONFIRM, interest.confirm, "mentoring/interest_confirm.html"
    )


@private
@require_http_methods(["GET", "POST"])
def interest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return _interest_action(
        request,
        token,
        links.INTEREST_UNSUBSCRIBE,
        interest.unsubscribe,
        "mentoring/interest_unsubscribe.html",
    )


@require_http_methods(["GET", "POST"])
@with_application(links.VERIFY)
def verify_email(request, application: Application, token: str) -> HttpResponse:
    if application.status != Application.Status.UNVERIFIED:
        return redirect(_personal_path(application))
    if request.method == "POST":
        applications.verify_email(application)
        messages.success(request, _("Thank you: your email address is verified."))
        return redirect(_personal_path(application))
    return render(request, "mentoring/verify_email.html", {"application": application})


def _personal_path(application: Application) -> str:
    token = links.make_token(links.PERSONAL, application.pk, application.access_key)
    return reverse("mentoring:personal_page", kwargs={"token": token})


@require_http_methods(["GET"])
@with_application()
def personal_page(request, application: Application, token: str) -> HttpResponse:
    round = application.round
    partners = application.partners() if application.partnership_id else []
    published = bool(application.partnership_id and application.partnership.published_at)
    return render(
        request,
        "mentoring/personal_page.html",
        {
            "application": application,
            "round": round,
            "token": token,
            "can_confirm": (
                application.status == Application.Status.VERIFIED
                and round.status in {RoundStatus.APPLICATIONS_OPEN, RoundStatus.CONFIRMING}
            ),
            "can_withdraw": (
                application.status in applications.WITHDRAWABLE
                and round.status != RoundStatus.FINISHED
            ),
            "can_report": round.status == RoundStatus.RUNNING,
            "can_correct": applications.can_correct(application),
            "answers": ApplicationForm(
                round=round, correcting=True, initial=ApplicationForm.initial_for(application)
            ).answers(),
            "partners": partners if published else [],
            "partnership": application.partnership if published else None,
            "topic_dates": round.topic_release_dates(),
            "topics": _live_topics(round),
            "already_reported": application.reports_made.exists(),
        },
    )


def _live_topics(round: Round) -> list:
    topics = getattr(round, "topics", None)
    if topics is None:
        return []
    return list(topics.live().order_by("release_at"))


@require_http_methods(["GET", "POST"])
@with_application()
def confirm(request, application: Application, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            applications.confirm_participation(application)
            messages.success(
                request, _("Thank you for confirming. We will email you when you have a partner.")
            )
        except applications.ConfirmationError as error:
            messages.error(request, str(error))
        return redirect("mentoring:personal_page", token=token)
    return render(request, "mentoring/confirm.html", {"application": application, "token": token})


@require_http_methods(["GET", "POST"])
@with_application()
def correct_application(request, application: Application, token: str) -> HttpResponse:
    """The application form again, filled in with what the applicant sent, to correct it."""
    if not applications.can_correct(application):
        messages.error(request, str(applications.CorrectionClosed()))
        return redirect("mentoring:personal_page", token=token)
    form = ApplicationForm(
        request.POST or None,
        round=application.round,
        correcting=True,
        initial=ApplicationForm.initial_for(application),
    )
    if request.method == "POST" and form.is_valid():
        try:
            applications.correct_application(application, form.application_data())
        except applications.ApplicationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: your application is updated."))
        return redirect("mentoring:personal_page", token=token)
    return render(
        request,
        "mentoring/correct_application.html",
        {"application": application, "round": application.round, "form": form, "token": token},
    )


@require_http_methods(["GET", "POST"])
@with_application()
def withdraw(request, application: Application, token: str) -> HttpResponse:
    if request.method == "POST":
        if applications.withdraw(application):
            messages.success(request, _("You have left the round. Thank you for telling us."))
        return redirect("mentoring:personal_page", token=token)
    return render(request, "mentoring/withdraw.html", {"application": application, "token": token})


@require_POST
@with_application()
def report_partner(request, application: Application, token: str) -> HttpResponse:
    note = request.POST.get("note", "").replace("\x00", "")[:2000]
    if applications.report_unresponsive_partner(application, note):
        messages.success(
            request,
            _("Thank you. We will contact your partner and, if needed, find you a new one."),
        )
    else:
        messages.info(request, _("We already have your report."))
    return redirect("mentoring:personal_page", token=token)


@require_http_methods(["GET", "POST"])
@with_application()
def check_in(request, application: Application, token: str, day: int) -> HttpResponse:
    if day not in checkins.CHECK_IN_DAYS or not application.partnership_id:
        return render(
            request,
            "mentoring/check_in.html",
            {"application": application, "token": token, "invalid": True},
            status=404,
        )
    if request.method == "POST":
        heard = request.POST.get("answer") == "yes"
        checkins.answer(application, day, heard)
        if heard:
            messages.success(request, _("Wonderful. Thank you for telling us."))
        else:
            messages.info(
                request,
                _(
                    "Thank you for telling us. We will contact your partner and, "
                    "if needed, find you a new one."
                ),
            )
        return redirect("mentoring:personal_page", token=token)
    return render(
        request,
        "mentoring/check_in.html",
        {
            "application": application,
            "token": token,
            "day": day,
            "suggested": request.GET.get("answer", ""),
        },
    )


@require_http_methods(["GET"])
@with_application()
def download_data(request, application: Application, token: str) -> HttpResponse:
    data = participants.export_personal_data(application)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@require_http_methods(["GET", "POST"])
@with_application()
def erase_data(request, application: Application, token: str) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("confirm") != "erase":
            messages.error(request, _("Tick the box to confirm that you want your data erased."))
            return redirect("mentoring:erase_data", token=token)
        participants.erase_personal_data(application)
        return render(request, "mentoring/erased.html")
    return render(request, "mentoring/erase.html", {"application": application, "token": token})


@private
@require_http_methods(["GET", "POST"])
def lost_link(request: HttpRequest) -> HttpResponse:
    form = LostLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not form.is_bot():
            latest = (
                Application.objects.filter(
                    email_normalised=normalise_email(form.cleaned_data["email"]),
                    erased_at__isnull=True,
                )
                .select_related("round")
                .order_by("-created_at")
                .first()
            )
            if latest:
                applications.send_personal_link(latest)
        return render(request, "mentoring/lost_link_sent.html")
    return render(request, "mentoring/lost_link.html", {"form": form})
