"""Registers the mentoring admin screens and the applications' bulk actions."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet

from mentoring.models import Application, BarredEmail
from mentoring.services import applications
from mentoring.viewsets import MentoringViewSetGroup

register_snippet(MentoringViewSetGroup)


class ApplicationBulkAction(SnippetBulkAction):
    models = [Application]

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", snippet
        )


@hooks.register("register_bulk_action")
class WithdrawApplicationsBulkAction(ApplicationBulkAction):
    display_name = _("Withdraw")
    action_type = "withdraw"
    aria_label = _("Withdraw the selected applications")
    template_name = "mentoring/admin/bulk_withdraw.html"
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
    template_name = "mentoring/admin/bulk_bar.html"
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
