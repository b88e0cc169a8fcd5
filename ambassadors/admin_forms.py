"""Admin forms of the ambassadors' models (kept apart from the models they serve so that the
models can name them as their base form)."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

from ambassadors.languages import language_choices

MANAGE_AMBASSADORS = "ambassadors.change_ambassador"


class AmbassadorAdminForm(WagtailAdminModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=language_choices,
        required=False,
        help_text=_(
            "The languages they speak. Those the site is translated into (Spanish, French, "
            "Portuguese, Arabic) are the ones whose pages they may translate."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.for_user
        countries = self.formsets.get("countries")
        if (
            user is not None
            and not user.has_perm(MANAGE_AMBASSADORS)
            and countries is not None
            and countries.has_changed()
        ):
            raise forms.ValidationError(
                _("Only a director can change the countries an ambassador covers.")
            )
        return cleaned_data


class PromoPageForm(WagtailAdminPageForm):
    """A translation's English-only statement is required to publish or to submit for review;
    a draft may be saved without it (Wagtail defers required fields when saving a draft)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("english_only_statement")
        locale = getattr(self.instance, "locale", None)
        if field is None or locale is None or locale.language_code == "en":
            return
        field.required = True
        if "round" in self.fields:
            self.fields["round"].disabled = True  # a translation belongs to its source's round
        field.error_messages["required"] = self.instance.missing_statement_message()
        from ambassadors.models import ENGLISH_ONLY_STATEMENT

        with translation.override(locale.language_code):
            field.widget.attrs["placeholder"] = str(ENGLISH_ONLY_STATEMENT)
