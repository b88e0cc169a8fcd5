"""The form renderer of the site (settings.FORM_RENDERER).

Django renders a choice widget through one template include per option: a time zone select
of 600 options, a country select of 250 and the application form's checkbox lists cost about
100 ms a request that way, and each field's group (label, help text, errors, input) about a
millisecond more. `FormRenderer` writes the standard choice widgets (select, checkbox and
radio lists), the plain inputs and text areas, labels and the field group in Python
instead, character for character what Django's templates write (`tests/website/test_forms.py`
compares them); every other template, and an option with a template of its own, is rendered
as before. Django's own widget templates cannot be overridden with this renderer (its template
folder comes before the apps'), so the Python version always stands for the template Django
would have used.

`SharedChoicesMixin` spares a long fixed list of choices the copy Django makes of it for
every form; `FixedChoicesSelect` writes such a list's options once per language.
"""

import copy

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template.base import render_value_in_context
from django.utils.choices import normalize_choices
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

WIDGETS = "django/forms/widgets/"
SELECT_TEMPLATES = {WIDGETS + "select.html"}
MULTIPLE_INPUT_TEMPLATES = {
    WIDGETS + name for name in ("multiple_input.html", "checkbox_select.html", "radio.html")
}
SELECT_OPTION_TEMPLATES = {WIDGETS + "select_option.html"}
INPUT_OPTION_TEMPLATE = WIDGETS + "input_option.html"
# Templates that include input_option.html and add their own line end.
INPUT_OPTION_INCLUDES = {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html"}
# Inputs written by input.html alone.
INPUT_TEMPLATES = {
    WIDGETS + f"{name}.html"
    for name in (
        "input", "text", "email", "number", "url", "password", "hidden", "checkbox", "search",
        "tel", "date", "datetime", "time", "color",
    )
}  # fmt: skip
TEXTAREA_TEMPLATE = WIDGETS + "textarea.html"
FIELD_TEMPLATE = "django/forms/field.html"
LABEL_TEMPLATE = "django/forms/label.html"


class _AutoescapeContext:
    """What `render_value_in_context` reads of a template context: autoescaping on, the
    active language's formats and the current time zone, as in a widget template."""

    autoescape = True
    use_l10n = None
    use_tz = None


_CONTEXT = _AutoescapeContext()


def _text(value) -> str:
    """`{{ value }}`."""
    if type(value) is str:
        return escape(value)
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """`{{ value|stringformat:"s" }}` (the filter keeps a safe string safe)."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value)
    return _text(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_string(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with the field group, labels, plain inputs and standard
    choice widgets written in Python."""

    def render(self, template_name, context, request=None):
        if template_name == FIELD_TEMPLATE:
            return self._field(context["field"])
        if template_name == LABEL_TEMPLATE:
            return self._label(context)
        if template_name in INPUT_TEMPLATES:
            return self._input(context["widget"])
        if template_name == TEXTAREA_TEMPLATE:
            return self._textarea(context["widget"])
        if template_name in SELECT_TEMPLATES:
            return self._select(context["widget"])
        if template_name in MULTIPLE_INPUT_TEMPLATES:
            return self._multiple_input(context["widget"])
        return super().render(template_name, context, request=request)

    def _field(self, field) -> str:
        """django/forms/field.html (a field's label or legend, help text, errors and widget)."""
        fieldset = field.use_fieldset
        if fieldset:
            described = field.aria_describedby
            html = f' aria-describedby="{_text(described)}"' if described else ""
            html = f"<fieldset{html}>\n  {_text(field.legend_tag()) if field.label else ''}\n"
        else:
            html = f"{_text(field.label_tag()) if field.label else ''}\n"
        html += "\n"
        if field.help_text:
            help_id = f' id="{_text(field.auto_id)}_helptext"' if field.auto_id else ""
            html += f'<div class="helptext"{help_id}>{_text(mark_safe(str(field.help_text)))}</div>'
        html += f"\n{_text(field.errors)}\n{_text(field)}"
        return (html + "</fieldset>" if fieldset else html).strip()

    @staticmethod
    def _label(context: dict) -> str:
        """django/forms/label.html (a label or a legend)."""
        if not context["use_tag"]:
            return _text(context["label"]).strip()
        tag = _text(context["tag"])
        attrs = _attrs(context["attrs"]) if context["attrs"] else ""
        return f"<{tag}{attrs}>{_text(context['label'])}</{tag}>"

    @staticmethod
    def _input(widget: dict) -> str:
        """django/forms/widgets/input.html, and the inputs that include it."""
        value = widget["value"]
        html = f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        if value != None:  # noqa: E711 (as the template compares)
            html += f' value="{_string(value)}"'
        return f"{html}{_attrs(widget['attrs'])}>"

    @staticmethod
    def _textarea(widget: dict) -> str:
        """django/forms/widgets/textarea.html."""
        value = _text(widget["value"]) if widget["value"] else ""
        html = f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        return f"{html}{value}</textarea>".strip()

    def _option(self, option: dict) -> str:
        """`{% include option.template_name with widget=option %}`."""
        name = option["template_name"]
        if name in SELECT_OPTION_TEMPLATES:
            return (
                f'<option value="{_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if name == INPUT_OPTION_TEMPLATE or name in INPUT_OPTION_INCLUDES:
            attrs = option["attrs"]
            value = option["value"]
            html = f'<input type="{_text(option["type"])}" name="{_text(option["name"])}"'
            if value is not None:
                html += f' value="{_string(value)}"'
            html += f"{_attrs(attrs)}>\n"
            if option["wrap_label"]:
                label_for = f' for="{_text(attrs["id"])}"' if attrs.get("id") else ""
                html = f"<label{label_for}>{html} {_text(option['label'])}</label>"
            return html + ("\n\n" if name in INPUT_OPTION_INCLUDES else "\n")
        return self.get_template(name).render({"widget": option})

    def _select(self, widget: dict) -> str:
        """django/forms/widgets/select.html."""
        parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{_text(group_name)}">')
            for option in options:
                parts.append("\n  ")
                parts.append(self._option(option))
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)

    def _multiple_input(self, widget: dict) -> str:
        """django/forms/widgets/multiple_input.html (checkbox and radio lists)."""
        attrs = widget["attrs"]
        parts = ["<div"]
        if attrs.get("id"):
            parts.append(f' id="{_text(attrs["id"])}"')
        if attrs.get("class"):
            parts.append(f' class="{_text(attrs["class"])}"')
        parts.append(">")
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f"\n  <div><label>{_text(group_name)}</label>")
            for option in options:
                parts.append("<div>\n    ")
                parts.append(self._option(option))
                parts.append("</div>")
            if group_name:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return "".join(parts)


class SharedChoicesMixin:
    """For a choice field with a long list of choices that no form changes in place (the
    600 time zones): the forms made from the field share the list. Django deep-copies a
    form's fields for each form, and the copy of this list alone took 1.4 ms a form."""

    def __deepcopy__(self, memo):
        memo[id(self._choices)] = self._choices
        return super().__deepcopy__(memo)


class FixedChoicesSelect(forms.Select):
    """A select over a long list that does not change while the site runs (the countries,
    the time zones). Building 600 options for each form and writing each one cost about
    8 ms a field; with FormRenderer, this widget writes the options once per language and
    then only marks the chosen one. Forms share the list (and the written options); setting
    new choices starts them afresh. Not for grouped choices (they are written as usual)."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self._written: dict[str | None, tuple[tuple[str, str, str], ...] | None] = {}

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = normalize_choices(value)
        self._written = {}

    def __deepcopy__(self, memo):
        widget = copy.copy(self)
        widget.attrs = self.attrs.copy()
        memo[id(self)] = widget
        return widget

    def render(self, name, value, attrs=None, renderer=None):
        renderer = renderer or get_default_renderer()
        options = self._options() if isinstance(renderer, FormRenderer) else None
        if options is None:
            return super().render(name, value, attrs, renderer)
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen = set(widget["value"])
        parts = [f'<select name="{_text(name)}"{_attrs(widget["attrs"])}>']
        for value_text, start, end in options:
            parts += ("\n  ", start)
            if value_text in chosen:
                parts.append(" selected")
                chosen = set()  # as Django: only the first option of a value is selected
            parts.append(end)
        parts.append("\n</select>")
        return mark_safe("".join(parts))

    def use_required_attribute(self, initial) -> bool:
        """As Django's: only when the first option is the empty one (read from the options
        written, not from the whole list again)."""
        options = self._options()
        if options is None:
            return super().use_required_attribute(initial)
        return forms.Widget.use_required_attribute(self, initial) and bool(
            options and options[0][0] == ""
        )

    def _options(self) -> tuple[tuple[str, str, str], ...] | None:
        """Per option: its value as the form compares it, and its HTML before and after
        where ` selected` goes; None for grouped choices."""
        language = get_language()
        if language not in self._written:
            written = []
            for option_value, label in self.choices:
                if isinstance(label, (list, tuple)):
                    written = None
                    break
                option_value = "" if option_value is None else option_value
                written.append(
                    (
                        str(option_value),
                        f'<option value="{_string(option_value)}"',
                        f">{_text(label)}</option>\n",
                    )
                )
            self._written[language] = None if written is None else tuple(written)
        return self._written[language]
