"""The blocks a survey is built from: sections of questions, each of which may be shown only
when an earlier answer matches a condition."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class Kind:
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE_5 = "scale5"
    SCALE_10 = "scale10"
    TEXT = "text"
    YES_NO = "yesno"

    CHOICES = [
        (SINGLE, _("Single choice")),
        (MULTIPLE, _("Multiple choice")),
        (SCALE_5, _("Scale 1-5")),
        (SCALE_10, _("Scale 0-10 (would recommend)")),
        (TEXT, _("Text")),
        (YES_NO, _("Yes / no")),
    ]
    WITH_CHOICES = {SINGLE, MULTIPLE}


KEY_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]{0,49}$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
)


class ConditionBlock(blocks.StructBlock):
    question = blocks.CharBlock(
        label=_("Show only if the question with key"),
        required=False,
        max_length=50,
        help_text=_("The key of an earlier question; leave empty to always show."),
    )
    values = blocks.CharBlock(
        label=_("has one of these answers"),
        required=False,
        max_length=500,
        help_text=_(
            "Separate several answers with a semicolon, e.g. “yes” or “Weekly; Monthly”; "
            "for a scale, the numbers."
        ),
    )

    class Meta:
        label = _("Condition")
        form_classname = "survey-condition"


class QuestionBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        label=_("Key"),
        max_length=50,
        validators=[KEY_VALIDATOR],
        help_text=_("A short stable name for analysis and exports, e.g. “satisfaction”."),
    )
    text = blocks.CharBlock(label=_("Question"), max_length=300)
    help_text = blocks.CharBlock(label=_("Help text"), required=False, max_length=300)
    kind = blocks.ChoiceBlock(label=_("Kind"), choices=Kind.CHOICES, default=Kind.SINGLE)
    choices = blocks.TextBlock(
        label=_("Choices"),
        required=False,
        help_text=_("Single and multiple choice: one choice a line."),
    )
    required = blocks.BooleanBlock(label=_("Required (when shown)"), required=False, default=True)
    show_if = ConditionBlock()

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        lines = [line.strip() for line in (value.get("choices") or "").splitlines() if line.strip()]
        if value.get("kind") in Kind.WITH_CHOICES and len(lines) < 2:
            raise StructBlockValidationError(
                block_errors={
                    "choices": forms.ValidationError(_("Give at least two choices, one a line."))
                }
            )
        return value


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=200)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    show_if = ConditionBlock()
    questions = blocks.ListBlock(QuestionBlock(), label=_("Questions"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Section")
