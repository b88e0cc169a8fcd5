"""Form helpers for templates: where an error summary's link takes the reader."""

from django import template
from django.forms import BoundField, CheckboxSelectMultiple, RadioSelect

register = template.Library()


@register.filter
def error_target(field: BoundField) -> str:
    """The id of the control a link to the field should focus: the first choice of a list of
    checkboxes or radio buttons (their group has no focusable element of its own)."""
    if isinstance(field.field.widget, CheckboxSelectMultiple | RadioSelect):
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id
