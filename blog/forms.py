"""The public form for a guest article, and the parts every community submission form shares
(sender, licence, agreement to the guidelines)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from website.licences import DEFAULT_LICENCE, LICENCE_CHOICES
from website.public_forms import HoneypotMixin

MAX_ARTICLE_CHARACTERS = 20_000


class SubmissionFormMixin(HoneypotMixin):
    """Sender, licence and agreement fields, beside the honeypot a person never sees."""

    email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We write to you when it arrives and when it is published. Never shown."),
    )
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=LICENCE_CHOICES,
        initial=DEFAULT_LICENCE,
        help_text=_("The Creative Commons licence you publish it under."),
    )
    agreement = forms.BooleanField(
        label=_(
            "I have read the submission guidelines, the work is mine to share, and I agree to "
            "its publication under the licence chosen above."
        ),
        error_messages={"required": _("Please confirm that you agree before sending.")},
    )
    # Fields the form's own template places (the shared field list leaves them out).
    placed_fields: frozenset[str] = frozenset()


class GuestArticleForm(SubmissionFormMixin):
    title = forms.CharField(label=_("Title"), max_length=150)
    text = forms.CharField(
        label=_("Your article"),
        max_length=MAX_ARTICLE_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Plain text; leave an empty line between paragraphs."),
    )
    author_name = forms.CharField(label=_("Your name, as it should appear"), max_length=150)
    bio = forms.CharField(
        label=_("A short biography"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    field_order = ["title", "text", "author_name", "bio", "email", "licence", "agreement"]
