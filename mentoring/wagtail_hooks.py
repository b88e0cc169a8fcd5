"""Registers the mentoring admin screens and the applications' bulk actions."""

from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet

from mentoring import admin_views
from mentoring.models import Application, BarredEmail, Round
from mentoring.services import applications
from mentoring.viewsets import MentoringViewSetGroup

register_snippet(MentoringViewSetGroup)


@hooks.register("register_admin_urls")
def register_matching_urls():
    return [
        path(
            "matching/round/<int:round_id>/",
            admin_views.round_matching,
            name="mentoring_matching_round",
        ),
        path(
            "matching/round/<int:round_id>/rematch/",
            admin_views.start_rematch,
            name="mentoring_matching_rematch",
        ),
        path("matching/run/<int:run_id>/", admin_views.run_review, name="mentoring_matching_run"),
        path(
            "matching/run/<int:run_id>/progress/",
            admin_views.run_progress,
            name="mentoring_matching_progress",
        ),
        path(
            "matching/run/<int:run_id>/adjust/",
            admin_views.adjust_run,
            name="mentoring_matching_adjust",
        ),
        path(
            "matching/run/<int:run_id>/approve/",
            admin_views.approve_run,
            name="mentoring_matching_approve",
        ),
        path(
            "matching/run/<int:run_id>/restart/",
            admin_views.restart_run,
            name="mentoring_matching_restart",
        ),
        path(
            "matching/run/<int:run_id>/export.<str:fmt>",
            admin_views.export_run,
            name="mentoring_matching_export",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def matching_button(snippet, user, next_url=None):
    if isinstance(snippet, Round) and user.has_perm("mentoring.change_round"):
        yield ListingButton(
            _("Matching"),
            reverse("mentoring_matching_round", args=[snippet.pk]),
            icon_name="group",
            priority=5,
        )


class ApplicationBulkAction(SnippetBulkAction):
    """A bulk action on applications with a confirmation page that asks `question`."""

    models = [Application]
    template_name = "mentoring/admin/bulk_confirm.html"
    question = ""

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "question": self.question,
            "action_label": self.display_name,
        }

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", snippet
        )


@hooks.register("register_bulk_action")
class WithdrawApplicationsBulkAction(ApplicationBulkAction):
    display_name = _("Withdraw")
    action_type = "withdraw"
    aria_label = _("Withdraw the selected applications")
    question = _(
        "Withdraw these applications? The people leave the round; partnerships they "
        "were in are flagged for re-matching."
    )
    action_priority = 40

    @classmethod
    def execute_action(cls, objects, **kwargs):
        done = sum(applications.withdraw(application) for application in objects)
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d application withdrawn",
            "%(count)d applications withdrawn",
            num_parent_objects,
        ) % {"count": num_parent_objects}


@hooks.register("register_bulk_action")
class BarApplicantsBulkAction(ApplicationBulkAction):
    """Remove people under the code of conduct: their applications leave the round and
    their addresses cannot apply again."""

    display_name = _("Remove under the code of conduct")
    action_type = "bar"
    aria_label = _("Remove the selected applicants under the code of conduct")
    question = _(
        "Remove these people under the code of conduct? Their applications in every "
        "round are closed and their addresses are barred from applying again."
    )
    action_priority = 50
    classes = {"serious"}

    def check_perm(self, snippet):
        return self.request.user.has_perm("mentoring.add_barredemail")

    @classmethod
    def execute_action(cls, objects, **kwargs):
        count = 0
        for application in objects:
            BarredEmail.objects.get_or_create(
                email_normalised=application.email_normalised,
                defaults={"reason": _("Removed from %(round)s") % {"round": application.round}},
            )
            count += (
                Application.objects.filter(person=application.person)
                .exclude(status=Application.Status.REMOVED)
                .update(status=Application.Status.REMOVED, withdrawn_at=timezone.now())
            )
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d person removed and barred",
            "%(count)d people removed and barred",
            num_parent_objects,
        ) % {"count": num_parent_objects}
