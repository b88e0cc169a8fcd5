"""Dates and times shown in a named time zone: the reader's own on personal pages; on
public pages UTC, which `js/local-time.js` rewrites to the browser's zone."""

import zoneinfo
from datetime import datetime, tzinfo

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html

register = template.Library()

DATETIME_FORMAT = "j F Y, H:i"


def zone_label(zone: tzinfo) -> str:
    """A zone as people read it: "America/New York", "UTC"."""
    return str(zone).replace("_", " ")


def in_zone(value: datetime, zone: tzinfo) -> str:
    """`value` as text in `zone`, the zone named: "2 December 2026, 05:00 (Asia/Kolkata)"."""
    shown = formats.date_format(timezone.localtime(value, zone), DATETIME_FORMAT)
    return f"{shown} ({zone_label(zone)})"


@register.simple_tag
def local_time(value: datetime | None, zone: tzinfo | str | None = None) -> str:
    """A `<time>` element for `value` in `zone`, the zone named. Without a zone the time is
    in UTC and marked for the browser to show in the reader's zone."""
    if value is None:
        return ""
    rewrite = zone is None or zone == ""
    if rewrite:
        zone = zoneinfo.ZoneInfo("UTC")
    elif isinstance(zone, str):
        try:
            zone = zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
    machine = timezone.localtime(value, zoneinfo.ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%MZ")
    text = in_zone(value, zone)
    if rewrite:
        return format_html('<time datetime="{}" data-local-time>{}</time>', machine, text)
    return format_html('<time datetime="{}">{}</time>', machine, text)
