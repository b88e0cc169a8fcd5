"""Admin screens every volunteer uses: accepting the code of conduct and their position
descriptions, and the noticeboard (with the digest preference and, for directors, who has
read each announcement)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from volunteers.forms import AcceptForm
from volunteers.services import agreements, noticeboard
from website.signin.views import next_url


@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest) -> HttpResponse:
    pending = agreements.pending_for(request.user)
    if not pending:
        return HttpResponseRedirect(next_url(request))
    form = AcceptForm(request.POST or None, pending=pending)
    if request.method == "POST" and form.is_valid():
        agreements.accept(request.user, pending)
        messages.success(request, _("Thank you: your acceptance is recorded."))
        return HttpResponseRedirect(next_url(request))
    return TemplateResponse(
        request,
        "volunteers/admin/accept.html",
        {
            "form": form,
            "pending": pending,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


def may_see_receipts(user) -> bool:
    return user.has_perm("volunteers.change_announcement")


@require_http_methods(["GET", "POST"])
def noticeboard_index(request: HttpRequest) -> HttpResponse:
    """The announcements, newest first; POST sets the volunteer's own digest preference."""
    if request.method == "POST":
        enabled = request.POST.get("email_digest") == "on"
        if noticeboard.set_digest(request.user, enabled):
            messages.success(
                request,
                _("You will receive a weekly digest of unread announcements.")
                if enabled
                else _("You will not receive the weekly digest."),
            )
        else:
            messages.error(request, _("Only volunteers with a volunteer record receive digests."))
        return HttpResponseRedirect(reverse("volunteers_noticeboard"))
    return TemplateResponse(
        request,
        "volunteers/admin/noticeboard.html",
        {
            "announcements": noticeboard.for_user(request.user),
            "email_digest": noticeboard.digest_enabled(request.user),
            "show_counts": may_see_receipts(request.user),
        },
    )


def announcement(request: HttpRequest, pk: int) -> HttpResponse:
    """One announcement; opening it counts as reading it."""
    item = get_object_or_404(noticeboard.visible().select_related("author"), pk=pk)
    noticeboard.mark_read(item, request.user)
    show = may_see_receipts(request.user)
    return TemplateResponse(
        request,
        "volunteers/admin/announcement.html",
        {"item": item, "receipts": noticeboard.receipts(item) if show else None},
    )
