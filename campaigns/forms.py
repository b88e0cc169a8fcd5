from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from campaigns.segments import LANGUAGE_CHOICES, STATUS_CHOICES


class CampaignForm(WagtailAdminModelForm):
    statuses = forms.MultipleChoiceField(
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Application statuses"),
        help_text=_("Applicants only. None chosen: every status except unverified and removed."),
    )
    languages = forms.MultipleChoiceField(
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Speaks one of these languages"),
        help_text=_("Applicants only, besides English. None chosen: any."),
    )

    def clean(self):
        from campaigns.models import Campaign
        from campaigns.rendering import body_uses_personal_link

        cleaned = super().clean()
        if cleaned.get("audience") == Campaign.Audience.INTEREST_LIST and (
            body_uses_personal_link(cleaned.get("body"))
        ):
            self.add_error(
                "audience",
                _(
                    "People on the interest list have no personal page: remove the personal "
                    "link from the message, or send to applicants."
                ),
            )
        return cleaned


class TestSendForm(forms.Form):
    to = forms.EmailField(label=_("Send a test to"))


class ScheduleForm(forms.Form):
    when = forms.DateTimeField(
        label=_("Send at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
