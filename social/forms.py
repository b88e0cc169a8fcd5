from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from social.models import SocialPost


class PostNowForm(forms.Form):
    """An older page to post now, on every configured network it has not gone to."""

    page = forms.ModelChoiceField(queryset=Page.objects.none(), label=_("Page"))

    def __init__(self, *args, models: tuple[type, ...] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pages = Page.objects.live().type(*models) if models else Page.objects.none()
        posted = SocialPost.objects.values("page_id")
        self.fields["page"].queryset = pages.exclude(pk__in=posted).order_by("-first_published_at")


class MarkPostedForm(forms.Form):
    link = forms.URLField(
        label=_("Link to the post on the network"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Open the post on the network and copy its address."),
    )
