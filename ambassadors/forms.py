"""Public forms of the ambassadors app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from website.public_forms import HoneypotMixin


class ContactForm(HoneypotMixin):
    name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("The ambassador replies to this address."),
    )
    message = forms.CharField(
        label=_("Your message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 8})
    )
    field_order = ["name", "email", "message"]

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].replace("\x00", "").strip()
        if len(message) < 10:
            raise forms.ValidationError(_("Please write a little more (at least 10 characters)."))
        return message
