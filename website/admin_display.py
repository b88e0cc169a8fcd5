"""How the project's admin inspect screens show a stored value to a person: an empty value as
a dash, structured values (JSON lists and mappings) as short readable text, never as Python."""

from typing import Any

EMPTY = "—"


def readable(value: Any) -> Any:
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, dict):
        return "; ".join(f"{key}: {readable(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(str(readable(item)) for item in value)
    return value


class ReadableInspectMixin:
    """For an InspectView: every field through `readable`."""

    def get_field_display_value(self, field_name, field):
        return readable(super().get_field_display_value(field_name, field))
