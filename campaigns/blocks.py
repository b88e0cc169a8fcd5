"""The blocks a campaign's body is built from. Every block renders to email-safe HTML (inline
styles, no remote content needed to read it) and to plain text."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class EmailImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        max_length=250,
        label=_("Description for people who cannot see the image"),
        help_text=_("Shown in place of the image when images are not loaded."),
    )
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))

    class Meta:
        icon = "image"
        label = _("Image")


class EmailButtonBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=60, label=_("Label"))
    url = blocks.URLBlock(required=False, label=_("Address"))
    personal_link = blocks.BooleanBlock(
        required=False,
        label=_("Link each person to their own personal page"),
        help_text=_(
            "Instead of an address: each applicant's signed link to their page (in text, "
            "write {personal_link})."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        if not value.get("url") and not value.get("personal_link"):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(
                        _("Give an address, or link each person to their personal page.")
                    )
                }
            )
        return value

    class Meta:
        icon = "link"
        label = _("Button")


class EmailVideoBlock(blocks.StructBlock):
    """A video as a thumbnail that links to it: email clients do not play embedded video."""

    url = blocks.URLBlock(label=_("Address of the video"))
    title = blocks.CharBlock(max_length=150, label=_("Title"))
    thumbnail = ImageChooserBlock(label=_("Thumbnail"))
    alt = blocks.CharBlock(
        max_length=250, label=_("Description for people who cannot see the thumbnail")
    )

    class Meta:
        icon = "media"
        label = _("Video")


class CampaignStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=TEXT_FEATURES, icon="pilcrow", label=_("Text"))
    image = EmailImageBlock()
    button = EmailButtonBlock()
    video = EmailVideoBlock()
