"""The public postcard form: each photo with its own description (its alt text). Photos are
checked and re-encoded in memory; a refused form stores nothing, keeps every description, and
asks the sender to choose the photos again."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from blog.forms import SubmissionFormMixin
from website.forms import FixedChoicesSelect

from .services import DescribedPhoto
from .uploads import clean_photo, max_files

PHOTO_TYPES = "image/jpeg,image/png,image/webp"

ALT_TEXT_GUIDANCE = _(
    "Each photo needs its own description, for people who cannot see it: screen readers read "
    "it aloud, and it is shown when the photo does not load. Say in a sentence what the photo "
    "shows that matters (the place, the people, what they are doing), not the file name and "
    "not “photo of”."
)


@dataclass(frozen=True)
class PhotoSlot:
    """One photo's file input and its description, numbered from 1."""

    number: int
    photo: BoundField
    description: BoundField
    choose_again: bool


class PostcardForm(SubmissionFormMixin):
    """The postcard, with one file input and one description per photo (as many as
    SUBMISSION_PHOTO_MAX_FILES): the first photo is required, a photo without its description
    is refused, and a description without its photo too (nothing is dropped unsaid)."""

    text = forms.CharField(
        label=_("Your postcard"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few lines about the place and your work there."),
    )
    place = forms.CharField(label=_("Place (library, town)"), max_length=150)
    country = CountryField().formfield(label=_("Country"), widget=FixedChoicesSelect)
    name = forms.CharField(label=_("Your name, as it should appear"), max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.numbers = range(1, max_files() + 1)
        for number in self.numbers:
            first = number == 1
            self.fields[f"photo_{number}"] = forms.FileField(
                label=_("Photo %(number)s") % {"number": number},
                required=first,
                widget=forms.FileInput(attrs={"accept": PHOTO_TYPES}),
                error_messages={"required": _("Add at least one photo.")},
            )
            self.fields[f"description_{number}"] = forms.CharField(
                label=_("Description of photo %(number)s") % {"number": number},
                max_length=250,
                required=first,
                help_text=_("What the photo shows, in a sentence, for people who cannot see it."),
                error_messages={"required": self.missing_description(number)},
            )
        self.order_fields(
            [
                *(f"{kind}_{n}" for n in self.numbers for kind in ("photo", "description")),
                *("text", "place", "country", "name", "email", "licence", "agreement"),
            ]
        )
        self.good_photos: set[int] = set()

    @staticmethod
    def missing_description(number: int) -> str:
        return _("Describe photo %(number)s for people who cannot see it.") % {"number": number}

    @property
    def photo_help(self) -> str:
        return _(
            "JPEG, PNG or WebP, up to %(count)s photos. We remove location and camera data."
        ) % {"count": max_files()}

    def photo_slots(self) -> list[PhotoSlot]:
        return [
            PhotoSlot(
                number,
                self[f"photo_{number}"],
                self[f"description_{number}"],
                self.photos_to_choose_again and number in self.good_photos,
            )
            for number in self.numbers
        ]

    @property
    def placed_fields(self) -> frozenset[str]:
        """The photo slots, placed by the postcard template (not the shared field list)."""
        return frozenset(
            f"{kind}_{number}" for number in self.numbers for kind in ("photo", "description")
        )

    @property
    def alt_text_guidance(self) -> str:
        return ALT_TEXT_GUIDANCE

    def clean(self):
        """The photos checked and re-encoded in memory, each with its description, as
        `photos`; nothing is stored before the whole form is accepted."""
        cleaned = super().clean()
        photos = []
        for number in self.numbers:
            upload = cleaned.get(f"photo_{number}")
            description = cleaned.get(f"description_{number}", "")
            if f"photo_{number}" in self.errors:
                continue
            if not upload:
                if description:
                    self.add_error(
                        f"photo_{number}",
                        _(
                            "You described photo %(number)s but did not choose it: choose "
                            "the photo, or clear its description."
                        )
                        % {"number": number},
                    )
                continue
            try:
                photo = clean_photo(upload)
            except ValidationError as error:
                self.add_error(f"photo_{number}", error)
                continue
            self.good_photos.add(number)
            if not description:
                if f"description_{number}" not in self.errors:
                    self.add_error(f"description_{number}", self.missing_description(number))
                continue
            photos.append(DescribedPhoto(photo, description))
        cleaned["photos"] = photos
        return cleaned

    @property
    def photos_to_choose_again(self) -> bool:
        """Good photos came with a form refused for another reason: they were not kept."""
        return self.is_bound and bool(self.errors) and bool(self.good_photos)
