"""The form a survey becomes: every question optional to Django, and required-ness decided in
`clean` from what the answers given make visible (see definition.visible_keys)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.blocks import Kind
from surveys.definition import Answer, Definition, Question
from website.public_forms import HONEYPOT_FIELD, honeypot_field, honeypot_filled

MAX_TEXT = 5000


def field_name(key: str) -> str:
    return f"q_{key}"


def _field(question: Question) -> forms.Field:
    common = {"label": question.text, "help_text": question.help_text, "required": False}
    if question.is_text:
        return forms.CharField(
            max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4}), **common
        )
    choices = [(option, question.option_label(option)) for option in question.options]
    if question.kind == Kind.MULTIPLE:
        return forms.MultipleChoiceField(
            choices=choices, widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)


class SurveyForm(forms.Form):
    required_css_class = "required"

    def __init__(self, definition: Definition, *args, public: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.definition = definition
        self.public = public
        for question in definition.questions:
            self.fields[field_name(question.key)] = _field(question)
        if public:
            self.fields[HONEYPOT_FIELD] = honeypot_field()

    def is_bot(self) -> bool:
        return self.public and honeypot_filled(self.data)

    def given(self) -> dict[str, Answer]:
        cleaned = getattr(self, "cleaned_data", {})
        answers: dict[str, Answer] = {}
        for question in self.definition.questions:
            value = cleaned.get(field_name(question.key))
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, "", []):
                answers[question.key] = list(value) if isinstance(value, list) else value
        return answers

    def clean(self):
        cleaned = super().clean()
        answers = self.given()
        visible = self.definition.visible_keys(answers)
        for question in self.definition.questions:
            if question.required and question.key in visible and question.key not in answers:
                self.add_error(field_name(question.key), _("Please answer this question."))
        return cleaned

    def sections(self):
        """The sections with their bound fields, for the template."""
        for section in self.definition.sections:
            yield section, [(q, self[field_name(q.key)]) for q in section.questions]


def initial_for(answers: dict[str, Answer]) -> dict:
    return {field_name(key): value for key, value in answers.items()}
