"""The public "express interest in volunteering" form, the acceptance form of the admin, and
the admin form of a volunteer record."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from volunteers.roles import Role
from volunteers.services.agreements import Pending
from website.forms import FixedChoicesSelect
from website.public_forms import HoneypotMixin


class InterestForm(HoneypotMixin):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email address"), help_text=_("The directors write to you here. Never shown.")
    )
    country = CountryField(blank=True, blank_label=_("Choose a country")).formfield(
        label=_("Country you live in"), required=False, widget=FixedChoicesSelect
    )
    roles = forms.MultipleChoiceField(
        label=_("Roles you are interested in"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Please choose at least one role.")},
    )
    message = forms.CharField(
        label=_("Tell us a little about yourself"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_message(self) -> str:
        return self.cleaned_data["message"].replace("\x00", "").strip()


class AcceptForm(forms.Form):
    """One box to tick for each document waiting for the volunteer's acceptance."""

    def __init__(self, *args, pending: list[Pending], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pending = pending
        for item in pending:
            self.fields[item.document] = forms.BooleanField(
                label=_("I have read and accept: %(document)s (version %(version)s)")
                % {"document": item.label, "version": item.version},
                error_messages={"required": _("Please tick this box to accept the document.")},
            )
