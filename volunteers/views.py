"""Public views: the "express interest in volunteering" form (a route of the positions index
page) and the recommit-or-resign page reached from the term email."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from volunteers.forms import InterestForm
from volunteers.services import interest, terms
from website.public_forms import count_attempt, count_submission, rate_limited_message

FORM_NAME = "volunteer-interest"


def interest_view(request: HttpRequest, index) -> HttpResponse:
    form = InterestForm(request.POST or None, initial={"roles": request.GET.getlist("role")})
    if request.method == "POST":
        if form.is_bot():
            messages.success(request, _("Thank you: the directors will write to you."))
            return redirect(index.get_url(request))
        if count_attempt(request, FORM_NAME):
            form.add_error(None, rate_limited_message())
        elif form.is_valid():
            count_submission(request, FORM_NAME)
            data = form.cleaned_data
            interest.express_interest(
                data["name"], data["email"], data["country"], data["roles"], data["message"]
            )
            messages.success(request, _("Thank you: the directors will write to you."))
            return redirect(index.get_url(request))
    return index.render(
        request,
        template="volunteers/interest_page.html",
        context_overrides={"form": form},
    )


@require_http_methods(["GET", "POST"])
def term_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the two buttons; only a POST changes anything."""
    choice = request.POST.get("choice") if request.method == "POST" else None
    try:
        record = terms.read_token(token)
        if choice == "recommit":
            record = terms.recommit(record)
        elif choice == "resign":
            record = terms.resign(record)
        else:
            return TemplateResponse(
                request, "volunteers/term_choice.html", {"record": record, "token": token}
            )
    except terms.TermLinkError as error:
        return TemplateResponse(
            request, "volunteers/term_link_error.html", {"reason": error.reason}, status=400
        )
    return TemplateResponse(
        request, "volunteers/term_done.html", {"record": record, "choice": choice}
    )
