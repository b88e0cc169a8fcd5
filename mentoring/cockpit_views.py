"""The directors' round cockpit and the partnerships screens in the Wagtail admin: thin views
over `mentoring.services.cockpit`."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied
from wagtail.admin.views.generic import IndexView, InspectView

from mentoring.models import Application, Partnership, Round, RoundStatus
from mentoring.services import cockpit
from mentoring.services.cockpit import CockpitError, Step

RUN_ROUNDS = "mentoring.change_round"


def forbidden(request: HttpRequest) -> HttpResponse:
    """A plain 403 (Wagtail's own check would redirect to the dashboard instead)."""
    return permission_denied(request, PermissionDenied())


def directors_only(view):
    """Only people who run rounds; everyone else gets a 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.has_perm(RUN_ROUNDS):
            return forbidden(request)
        return view(request, *args, **kwargs)

    return wrapped


class DirectorsOnlyMixin:
    """For the generic views: who may not see rounds gets a 403."""

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "view"):
            return forbidden(request)
        return super().dispatch(request, *args, **kwargs)


def cockpit_url(round: Round) -> str:
    return reverse("round_cockpit:round", args=[round.pk])


@directors_only
def cockpit_index(request: HttpRequest) -> TemplateResponse:
    """Every round with its status and next step, newest first."""
    now = timezone.now()
    rows = [
        (round, round.status_at(now), cockpit.next_step(round, now))
        for round in Round.objects.order_by("-application_opens_at")[:30]
    ]
    return TemplateResponse(
        request, "mentoring/admin/cockpit_index.html", {"rows": rows, "Step": Step}
    )


def _applications_url(round: Round, status: str = "") -> str:
    url = reverse("wagtailsnippets_mentoring_application:list") + f"?round={round.pk}"
    return url + (f"&status={status}" if status else "")


@directors_only
def round_cockpit(request: HttpRequest, round_id: int) -> HttpResponse:
    round = get_object_or_404(Round, pk=round_id)
    if request.method == "POST":
        return _act(request, round)
    now = timezone.now()
    step = cockpit.next_step(round, now)
    run = cockpit.latest_run(round)
    return TemplateResponse(
        request,
        "mentoring/admin/cockpit.html",
        {
            "round": round,
            "status": round.status_at(now),
            "stages": cockpit.pipeline(round),
            "step": step,
            "Step": Step,
            "run": run,
            "awaiting_request": cockpit.awaiting_request(round),
            "to_confirm_url": _applications_url(round, Application.Status.VERIFIED),
            "applications_url": _applications_url(round),
            "partnerships_url": reverse("mentoring_partnerships:index") + f"?round={round.pk}",
            "waiting": cockpit.waiting_for_partner(round)
            if round.status_at(now) == RoundStatus.RUNNING
            else [],
        },
    )


def _act(request: HttpRequest, round: Round) -> HttpResponse:
    action = request.POST.get("action", "")
    back = redirect(cockpit_url(round))
    try:
        if action == "apply_cap":
            over = cockpit.apply_cap(round)
            messages.success(
                request,
                ngettext(
                    "The country cap is applied: %(n)d applicant went to the waitlist.",
                    "The country cap is applied: %(n)d applicants went to the waitlist.",
                    over,
                )
                % {"n": over},
            )
        elif action == "ask_to_confirm":
            asked = cockpit.ask_to_confirm(round)
            messages.success(
                request,
                ngettext(
                    "%(n)d applicant asked to confirm.", "%(n)d applicants asked to confirm.", asked
                )
                % {"n": asked},
            )
        elif action == "send_check_ins":
            cockpit.send_check_ins(round)
            messages.success(request, _("The check-ins that are due have been sent."))
        elif action == "rematch":
            run = cockpit.start_rematch(round, request.user)
            return redirect("mentoring_matching:run", run_id=run.pk)
        else:
            messages.error(request, _("Unknown action."))
    except CockpitError as error:
        messages.error(request, str(error))
    return back


class PartnershipIndexView(DirectorsOnlyMixin, IndexView):
    """Partnerships with their state and reports, and above them the people waiting for a
    new partner in each running round, with the button that re-matches them."""

    template_name = "mentoring/admin/partnership_index.html"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        now = timezone.now()
        chosen = self.request.GET.get("round", "")
        rounds = Round.objects.not_finished(now.date())
        if chosen.isdigit():
            rounds = rounds.filter(pk=int(chosen))
        context["pools"] = [
            (round, people)
            for round in rounds
            if round.status_at(now) == RoundStatus.RUNNING
            and (people := cockpit.waiting_for_partner(round))
        ]
        context["min_pool"] = cockpit.MIN_REMATCH_POOL
        return context


class PartnershipInspectView(DirectorsOnlyMixin, InspectView):
    """One partnership: its members, their check-in answers, reports with the reporter's
    note, and the actions on it."""

    template_name = "mentoring/admin/partnership_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partnership = self.object
        members = list(
            Application.objects.filter(partnership=partnership)
            .select_related("person")
            .prefetch_related("check_ins")
            .order_by("name")
        )
        context["members"] = members
        context["reports"] = partnership.reports.select_related("reporter").order_by("created_at")
        context["summary"] = partnership.reasons.get("summary", [])
        context["can_act"] = self.request.user.has_perm(RUN_ROUNDS)
        context["act_url"] = reverse("mentoring_partnerships:act", args=[partnership.pk])
        return context


@require_POST
@directors_only
def act_on_partnership(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = get_object_or_404(Partnership, pk=pk)
    action = request.POST.get("action", "")
    try:
        if action == "rematch":
            cockpit.flag_for_rematch(partnership)
            messages.success(
                request, _("%(p)s: its members are waiting for a new partner.") % {"p": partnership}
            )
        elif action == "end":
            cockpit.end_partnership(partnership)
            messages.success(request, _("%(p)s has ended.") % {"p": partnership})
        elif action == "inactive":
            member_id = request.POST.get("member", "")
            member = get_object_or_404(
                Application,
                pk=int(member_id) if member_id.isdigit() else 0,
                partnership=partnership,
            )
            cockpit.mark_inactive(partnership, member)
            messages.success(
                request,
                _("%(name)s is marked as having left their partner without reply.")
                % {"name": member.name},
            )
        else:
            messages.error(request, _("Unknown action."))
    except CockpitError as error:
        messages.error(request, str(error))
    return redirect("mentoring_partnerships:inspect", pk=partnership.pk)
