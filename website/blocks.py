"""StreamField blocks shared by every page type. Each block renders with a template in
`website/templates/blocks/`; the other apps build on `BaseStreamBlock`."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr", "document-link"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Heading"))
    size = blocks.ChoiceBlock(
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))], default="h2", label=_("Size")
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


ALT_TEXT_HELP = _(
    "For people who cannot see the image: say what it shows that matters on this page, in a "
    'sentence (not the title, not "image of"). Each image needs its own words.'
)


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(max_length=250, label=_("Alt text"), help_text=ALT_TEXT_HELP)
    caption = blocks.CharBlock(required=False, max_length=250, label=_("Caption"))
    credit = blocks.CharBlock(
        required=False, max_length=250, label=_("Credit"), help_text=_("Photographer and licence.")
    )

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(required=False, max_length=150, label=_("Attribution"))

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"


class QuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(max_length=250, label=_("Question"))
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Answer"))

    class Meta:
        icon = "help"
        template = "blocks/question_block.html"


class ButtonBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=60, label=_("Label"))
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("Or an address"))

    class Meta:
        icon = "link"
        template = "blocks/button_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": _("Choose a page or give an address.")}
            )
        return value


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, icon="pilcrow", label=_("Paragraph")
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    question = QuestionBlock(label=_("Question and answer"))
    button = ButtonBlock()
