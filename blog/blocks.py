"""The blog's StreamField: the shared blocks plus a video shown as a link card, which loads
nothing from the video's host until the reader clicks through."""

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from website.blocks import BaseStreamBlock


class VideoLinkBlock(blocks.StructBlock):
    url = blocks.URLBlock(label=_("Video address"))
    title = blocks.CharBlock(max_length=200, label=_("Title"))
    description = blocks.TextBlock(required=False, max_length=400, label=_("Description"))
    poster = ImageChooserBlock(
        required=False,
        label=_("Still image"),
        help_text=_("A still from the video, stored on this site. Nothing loads from the host."),
    )

    class Meta:
        icon = "media"
        label = _("Video (link card)")
        template = "blog/blocks/video_link_block.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["host"] = (urlsplit(value["url"]).hostname or "").removeprefix("www.")
        return context


class BlogStreamBlock(BaseStreamBlock):
    video = VideoLinkBlock()
