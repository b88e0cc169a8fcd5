"""Registers the survey screens and a "Results" button on the survey listing."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet

from surveys.models import Survey
from surveys.viewsets import RESULTS_PERMISSION, SurveyViewSet, survey_url

register_snippet(SurveyViewSet)


@hooks.register("register_snippet_listing_buttons")
def results_button(snippet, user, next_url=None):
    if (
        isinstance(snippet, Survey)
        and not snippet.is_template
        and user.has_perm(RESULTS_PERMISSION)
    ):
        yield ListingButton(_("Results"), survey_url("results", snippet), priority=5)
