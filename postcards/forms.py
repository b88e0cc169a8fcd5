"""The public postcard form. Photos are checked and re-encoded in memory; a refused form
stores nothing, and the sender is asked to choose the photos again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField

from blog.forms import SubmissionFormMixin

from .uploads import CleanPhoto, clean_photo, max_files


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class PostcardForm(SubmissionFormMixin):
    photos = MultipleFileField(
        label=_("Photos of your library or workplace"),
        required=False,
    )
    photo_description = forms.CharField(
        label=_("Describe the photos for people who cannot see them"),
        max_length=250,
    )
    text = forms.CharField(
        label=_("Your postcard"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few lines about the place and your work there."),
    )
    place = forms.CharField(label=_("Place (library, town)"), max_length=150)
    country = CountryField().formfield(label=_("Country"))
    name = forms.CharField(label=_("Your name, as it should appear"), max_length=150)

    field_order = [
        "photos",
        "photo_description",
        "text",
        "place",
        "country",
        "name",
        "email",
        "licence",
        "agreement",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _(
            "JPEG, PNG or WebP, up to %(count)s photos. We remove location and camera data."
        ) % {"count": max_files()}

    def clean_photos(self) -> list[CleanPhoto]:
        """The photos checked and re-encoded in memory; nothing is stored before the whole
        form is accepted."""
        uploads = self.cleaned_data.get("photos") or []
        errors = []
        if len(uploads) > max_files():
            errors.append(
                ngettext(
                    "You can send at most %(count)s photo.",
                    "You can send at most %(count)s photos.",
                    max_files(),
                )
                % {"count": max_files()}
            )
            uploads = uploads[: max_files()]
        photos = []
        for upload in uploads:
            try:
                photos.append(clean_photo(upload))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        if not photos:
            raise ValidationError(_("Add at least one photo."))
        return photos

    @property
    def photos_to_choose_again(self) -> bool:
        """Good photos came with a form refused for another reason: they were not kept."""
        return self.is_bound and bool(self.errors) and bool(self.cleaned_data.get("photos"))
