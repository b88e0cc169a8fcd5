"""The rich text editor of the admin, with an accessible name and description.

Wagtail's Draftail editor in a StreamField block is a `role=textbox` with no name (the block's
label is a sibling Wagtail writes, not a `<label for>`), and Draft.js points its
`aria-describedby` at the placeholder's id even after the placeholder is gone. The editor's
props take `ariaLabelledBy` and `ariaDescribedBy`, but the ids they need are made in the
browser, per block; so the telepath class of this widget (website/static/js/draftail-names.js)
extends Wagtail's and passes them in. Made the default editor by WAGTAILADMIN_RICH_TEXT_EDITORS.
"""

from django.forms import Media
from django.utils.functional import cached_property
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.rich_text.editors.draftail import DraftailRichTextAreaAdapter
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.telepath import register


class NamedDraftailRichTextArea(DraftailRichTextArea):
    """Draftail, named by its block's label and described by its help and errors."""

    @cached_property
    def media(self) -> Media:
        return super().media + Media(js=[versioned_static("js/draftail-names.js")])


class NamedDraftailRichTextAreaAdapter(DraftailRichTextAreaAdapter):
    js_constructor = "website.widgets.NamedDraftailRichTextArea"


register(NamedDraftailRichTextAreaAdapter(), NamedDraftailRichTextArea)
