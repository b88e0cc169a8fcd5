"""The admin form of a volunteer record: roles as boxes to tick, and nobody but a superuser
gives, takes or changes a director's record (as with accounts). The person of a saved
record cannot be changed."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from volunteers.roles import Role

DIRECTORS_GROUP = settings.DIRECTORS_GROUP


class VolunteerRecordForm(WagtailAdminModelForm):
    roles = forms.TypedMultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Each role gives its group in the admin while the volunteer serves."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.fields and self.instance.pk:
            # A record belongs to one person: moving it would hand their roles to another
            # while the first keeps the groups.
            self.fields["user"].disabled = True
            self.fields["user"].help_text = _("A record stays with its volunteer.")
        user = self.for_user
        if "user" in self.fields and user is not None and not user.is_superuser:
            self.fields["user"].queryset = get_user_model().objects.filter(is_superuser=False)

    def clean(self):
        cleaned = super().clean()
        by = self.for_user
        if by is None or by.is_superuser:
            return cleaned
        old_roles = set(self.instance.roles or []) if self.instance.pk else set()
        user = cleaned.get("user") or getattr(self.instance, "user", None)
        is_director = user is not None and user.groups.filter(name=DIRECTORS_GROUP).exists()
        if is_director or Role.DIRECTOR in set(cleaned.get("roles") or []) | old_roles:
            self.add_error(
                "roles", _("Only a superuser may give, take or change a director's record.")
            )
        return cleaned
