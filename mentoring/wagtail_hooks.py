"""Registers the mentoring admin screens, the round cockpit on the dashboard, and the
applications' bulk actions."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.widgets import ListingButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet

from mentoring.models import Application, Partnership, Round
from mentoring.panels import RoundsPanel
from mentoring.services import applications
from mentoring.viewsets import (
    MatchingViewSet,
    MentoringViewSetGroup,
    PartnershipPermissionPolicy,
    RoundsInProgressViewSetGroup,
)

register_snippet(MentoringViewSetGroup)
register_permission_policy(Partnership, PartnershipPermissionPolicy(), exact_class=True)


@hooks.register("register_admin_viewset")
def register_rounds_in_progress():
    return RoundsInProgressViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_rounds_panel(request, panels):
    if request.user.has_perm("mentoring.change_round"):
        panels.append(RoundsPanel())


@hooks.register("register_admin_viewset")
def register_matching():
    return MatchingViewSet()


@hooks.register("register_snippet_listing_buttons")
def matching_button(snippet, user, next_url=None):
    if isinstance(snippet, Round) and user.has_perm("mentoring.change_round"):
        yield ListingButton(
            _("Matching"),
            reverse("mentoring_matching:round", args=[snippet.pk]),
            icon_name="group",
            priority=5,
        )
        yield ListingButton(
            _("Cockpit"),
            reverse("round_cockpit:round", args=[snippet.pk]),
            icon_name="tasks",
            priority=4,
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
        "round are closed, their addresses are barred from applying again, their partners "
        "are offered a new partner, and each gets a neutral notice by email. The decision "
        "is recorded as a complaint that only directors can read."
    )
    action_priority = 50
    classes = {"serious"}

    def check_perm(self, snippet):
        return self.request.user.has_perm(
            "mentoring.add_barredemail"
        ) and self.request.user.has_perm("conduct.add_complaint")

    def get_execution_context(self):
        return {"user": self.request.user}

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        """Through the code of conduct's removal service: the one way to remove someone
        (each removal is recorded as a decided complaint)."""
        from conduct.services.removal import remove_application

        for application in objects:
            remove_application(application, by=user)
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d person removed and barred",
            "%(count)d people removed and barred",
            num_parent_objects,
        ) % {"count": num_parent_objects}


class StatusBulkAction(ApplicationBulkAction):
    """Sets one status through a service; applications it does not apply to are left as
    they are, so doing it twice changes nothing more."""

    change = staticmethod(lambda application: False)
    done_message = ""

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return sum(cls.change(application) for application in objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return self.done_message % {"count": num_parent_objects}


@hooks.register("register_bulk_action")
class ConfirmApplicationsBulkAction(StatusBulkAction):
    display_name = _("Confirm")
    action_type = "confirm"
    aria_label = _("Confirm the selected applicants' places")
    question = _(
        "Confirm these applicants' places on their behalf? Confirmed applicants go to "
        "the matching. Applications that are withdrawn, removed or already matched stay "
        "as they are."
    )
    action_priority = 10
    change = staticmethod(applications.confirm_for_applicant)
    done_message = _("Applications confirmed: %(count)d")


@hooks.register("register_bulk_action")
class ExcludeApplicationsBulkAction(StatusBulkAction):
    display_name = _("Exclude from matching")
    action_type = "exclude"
    aria_label = _("Leave the selected applications out of the matching")
    question = _(
        "Leave these applications out of this round's matching? The people are not "
        "barred and can apply to later rounds."
    )
    action_priority = 20
    change = staticmethod(applications.exclude_from_matching)
    done_message = _("Applications excluded from the matching: %(count)d")


@hooks.register("register_bulk_action")
class WaitlistApplicationsBulkAction(StatusBulkAction):
    display_name = _("Waitlist")
    action_type = "waitlist"
    aria_label = _("Move the selected applications to the waitlist")
    question = _(
        "Move these applications to the waitlist? They roll into the next round when its "
        "applications open."
    )
    action_priority = 30
    change = staticmethod(applications.waitlist)
    done_message = _("Applications waitlisted: %(count)d")


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Each person gets it with a greeting by name and the link to their page."),
    )


@hooks.register("register_bulk_action")
class MessageApplicantsBulkAction(ApplicationBulkAction):
    display_name = _("Send a message")
    action_type = "message"
    aria_label = _("Email the selected applicants")
    question = _(
        "Email these people? Each message goes through the outbox; the same text is sent "
        "to the same person only once."
    )
    action_priority = 35
    form_class = MessageForm
    template_name = "mentoring/admin/bulk_message.html"

    def check_perm(self, snippet):
        return self.request.user.has_perm("mentoring.change_round")

    def get_execution_context(self):
        return {
            "subject": self.cleaned_form.cleaned_data["subject"],
            "body": self.cleaned_form.cleaned_data["body"],
        }

    @classmethod
    def execute_action(cls, objects, subject="", body="", **kwargs):
        sent = sum(applications.send_message(application, subject, body) for application in objects)
        return sent, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d message queued", "%(count)d messages queued", num_parent_objects
        ) % {"count": num_parent_objects}
