"""The form renderer of the site (settings.FORM_RENDERER).

Django renders a choice widget through one template include per option: a time zone select
of 600 options, a country select of 250 and the application form's checkbox lists cost about
100 ms a request that way. `FormRenderer` writes the standard choice widgets (select, checkbox
and radio lists) in Python instead, character for character what Django's templates write
(`tests/website/test_forms.py` compares them); every other template, and an option with a
template of its own, is rendered as before. Django's own widget templates cannot be
overridden with this renderer (its template folder comes before the apps'), so the Python
version always stands for the template Django would have used.

`SharedChoicesMixin` spares a long fixed list of choices the copy Django makes of it for
every form.
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
SELECT_TEMPLATES = {WIDGETS + "select.html"}
MULTIPLE_INPUT_TEMPLATES = {
    WIDGETS + name for name in ("multiple_input.html", "checkbox_select.html", "radio.html")
}
SELECT_OPTION_TEMPLATES = {WIDGETS + "select_option.html"}
INPUT_OPTION_TEMPLATE = WIDGETS + "input_option.html"
# Templates that include input_option.html and add their own line end.
INPUT_OPTION_INCLUDES = {WIDGETS + "checkbox_option.html", WIDGETS + "radio_option.html"}


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
    """Django's template renderer, with the standard choice widgets written in Python."""

    def render(self, template_name, context, request=None):
        if template_name in SELECT_TEMPLATES:
            return self._select(context["widget"])
        if template_name in MULTIPLE_INPUT_TEMPLATES:
            return self._multiple_input(context["widget"])
        return super().render(template_name, context, request=request)

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
