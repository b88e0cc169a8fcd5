"""Public views: a participant's survey from their personal link (answers editable until the
survey closes) and a standalone public survey at its address (anonymous, with the honeypot
and the per-address rate limit of every public form)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentoring import links as mentoring_links
from mentoring.views import link_error, private
from surveys import links
from surveys.forms import SurveyForm, initial_for
from surveys.models import Survey
from surveys.services import responses
from website.public_forms import count_attempt, count_submission, rate_limited_message

RATE_LIMIT_NAME = "survey"


@private
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        survey, application = links.read_token(token)
    except mentoring_links.LinkError as error:
        return link_error(request, error)
    if not responses.may_answer(survey, application):
        return link_error(request, mentoring_links.LinkError())
    existing = responses.response_of(survey, application)
    is_open = survey.is_open()
    context = {
        "not_yet": bool(survey.opens_at and timezone.now() < survey.opens_at),
        "application": application,
        "existing": existing,
        "personal_url": application.personal_page_url(),
    }
    if not is_open:
        return render(
            request,
            "surveys/closed.html",
            {"survey": survey, **context},
            status=403 if request.method == "POST" else 200,
        )
    form = SurveyForm(
        survey.definition,
        request.POST or None,
        initial=initial_for(existing.answers) if existing else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = responses.save_answers(survey, application, form.given())
        except responses.SurveyClosed:
            return render(request, "surveys/closed.html", {"survey": survey, **context}, status=403)
        if saved.created:
            messages.success(request, _("Thank you: your answers are saved."))
        else:
            messages.success(request, _("Your changed answers are saved."))
        return redirect(request.path)
    return render(request, "surveys/answer.html", {"survey": survey, "form": form, **context})


@require_http_methods(["GET", "POST"])
def public(request: HttpRequest, slug: str) -> HttpResponse:
    survey = get_object_or_404(Survey, slug=slug, kind=Survey.Kind.PUBLIC, is_template=False)
    if not survey.is_open():
        return render(request, "surveys/closed.html", {"survey": survey})
    form = SurveyForm(survey.definition, request.POST or None, public=True)
    if request.method == "POST":
        if form.is_bot():
            return redirect("surveys:thanks", slug=survey.slug)
        if count_attempt(request, RATE_LIMIT_NAME):
            form.add_error(None, rate_limited_message())
        elif form.is_valid():
            try:
                responses.save_public_answers(survey, form.given())
            except responses.SurveyClosed:
                return render(request, "surveys/closed.html", {"survey": survey}, status=403)
            count_submission(request, RATE_LIMIT_NAME)
            return redirect("surveys:thanks", slug=survey.slug)
    return render(request, "surveys/answer.html", {"survey": survey, "form": form})


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    survey = Survey.objects.filter(slug=slug, kind=Survey.Kind.PUBLIC).first()
    if survey is None:
        raise Http404
    return render(
        request,
        "surveys/thanks.html",
        {"survey": survey, "again_url": reverse("surveys:public", kwargs={"slug": slug})},
    )
