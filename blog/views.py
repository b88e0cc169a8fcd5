"""The public form for guest articles, and the page a sender sees after sending."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from website.public_forms import count_attempt, count_submission, rate_limited_message

from .forms import GuestArticleForm
from .models import SubmissionGuidelinesPage
from .submissions import ArticleData, SubmissionsClosed, submit_article


def closed_message() -> str:
    return _("We are not accepting submissions at the moment. Please try again later.")


@require_http_methods(["GET", "POST"])
def submit_article_view(request: HttpRequest) -> HttpResponse:
    form = GuestArticleForm(request.POST or None)
    if request.method == "POST":
        if form.is_bot():
            return redirect("blog:submission_thanks")
        if count_attempt(request, "article"):
            form.add_error(None, rate_limited_message())
        elif form.is_valid():
            count_submission(request, "article")
            data = form.cleaned_data
            try:
                submit_article(
                    ArticleData(
                        title=data["title"],
                        text=data["text"],
                        author_name=data["author_name"],
                        bio=data["bio"],
                        email=data["email"],
                        licence=data["licence"],
                    )
                )
            except SubmissionsClosed:
                form.add_error(None, closed_message())
            else:
                messages.success(
                    request,
                    _("Thank you! Your article has arrived; we have sent you an email."),
                )
                return redirect("blog:submission_thanks")
    return TemplateResponse(
        request,
        "blog/submit_article.html",
        {"form": form, "guidelines": SubmissionGuidelinesPage.current()},
    )


def submission_thanks(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request, "blog/submission_thanks.html", {"guidelines": SubmissionGuidelinesPage.current()}
    )
