"""The public postcard form. Photos that pass the checks are stored (privately) at once, so
that a mistake in another field never makes the sender upload them again."""

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries.fields import CountryField

from blog.forms import SubmissionFormMixin

from .models import SubmittedPhoto
from .uploads import CleanPhoto, clean_photo, max_files

KEPT_PHOTOS_SALT = "postcards.kept-photos"
KEPT_PHOTOS_MAX_AGE = 24 * 3600


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
        self.kept: list[SubmittedPhoto] = self.load_kept()

    def load_kept(self) -> list[SubmittedPhoto]:
        token = self.data.get("kept_photos", "") if self.is_bound else ""
        if not token:
            return []
        try:
            pks = signing.loads(token, salt=KEPT_PHOTOS_SALT, max_age=KEPT_PHOTOS_MAX_AGE)
        except signing.BadSignature:
            return []
        removed = set(self.data.getlist("remove_photo")) if hasattr(self.data, "getlist") else set()
        by_pk = SubmittedPhoto.objects.in_bulk([pk for pk in pks if str(pk) not in removed])
        return [by_pk[pk] for pk in pks if pk in by_pk and by_pk[pk].file]

    @property
    def kept_token(self) -> str:
        return signing.dumps([photo.pk for photo in self.kept], salt=KEPT_PHOTOS_SALT)

    def clean_photos(self) -> list[SubmittedPhoto]:
        uploads = self.cleaned_data.get("photos") or []
        room = max_files() - len(self.kept)
        errors = []
        if len(uploads) > room:
            errors.append(
                ngettext(
                    "You can send at most %(count)s photo.",
                    "You can send at most %(count)s photos.",
                    max_files(),
                )
                % {"count": max_files()}
            )
            uploads = uploads[: max(room, 0)]
        for upload in uploads:
            try:
                photo = clean_photo(upload)
            except ValidationError as error:
                errors.extend(error.messages)
                continue
            self.kept.append(store_private_photo(photo))
        if errors:
            raise ValidationError(errors)
        if not self.kept:
            raise ValidationError(_("Add at least one photo."))
        return self.kept


def store_private_photo(photo: CleanPhoto) -> SubmittedPhoto:
    stored = SubmittedPhoto(
        width=photo.width, height=photo.height, original_name=photo.original_name
    )
    stored.file.save("photo.jpg", ContentFile(photo.content), save=False)
    stored.save()
    return stored
