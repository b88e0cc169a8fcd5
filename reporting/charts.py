"""Charts drawn on the server as SVG: columns over rounds, horizontal bars, a world map.
No JavaScript and nothing from another host; each chart carries its numbers as a table (its
text alternative), and a value suppressed as a small cohort is drawn as no bar at all.

A chart is a `Chart`: a title, the SVG markup and the rows of its table;
`reporting/includes/chart.html` shows one."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from reporting.cohorts import FEWER

PALETTE = ["#1d4e89", "#e07a1f", "#2a9d8f", "#8e5ea2", "#c0392b"]
MAP_SCALE = ["#e8eef6", "#b7cbe4", "#7ea3cf", "#3f74b1", "#1d4e89"]
WIDTH = 720
MAP_FILE = Path(__file__).parent / "data" / "world_map.json"


@dataclass
class Chart:
    slug: str
    title: str
    svg: SafeString
    headers: list[str]
    rows: list[list[Any]]
    note: str = ""
    legend: list[tuple[str, str]] = field(default_factory=list)


def number(value: Any, percent: bool = False) -> str:
    if value is None:
        return "\N{EN DASH}"
    if value is FEWER:
        return str(FEWER)
    if percent:
        return f"{value:g} %"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _drawable(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _svg(width: int, height: int, label: str, body: str) -> SafeString:
    return format_html(
        '<svg class="chart-svg" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">{}</svg>',
        width,
        height,
        label,
        mark_safe(body),
    )


def columns(
    slug: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[Any]]],
    percent: bool = False,
    peak: float | None = None,
) -> Chart:
    """Grouped columns, one group per label (e.g. per round, oldest first); the axis runs to
    `peak`, or 100 for percentages, or the largest value."""
    height, top, bottom, left = 260, 16, 70, 44
    plot_h = height - top - bottom
    values = [v for _name, vals in series for v in map(_drawable, vals) if v is not None]
    peak = peak or (100.0 if percent else max(values, default=0) or 1)
    group_w = (WIDTH - left - 10) / max(len(labels), 1)
    bar_w = max(2.0, min(28.0, (group_w - 6) / max(len(series), 1)))
    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - 5}" y2="{top + plot_h}" '
        'stroke="#555" stroke-width="1"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="11">'
        f"{escape(number(peak, percent))}</text>",
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, label in enumerate(labels):
        x0 = left + i * group_w + 3
        for j, (name, vals) in enumerate(series):
            value = _drawable(vals[i])
            if value is None:
                continue
            h = plot_h * value / peak
            parts.append(
                f'<rect x="{x0 + j * bar_w:.1f}" y="{top + plot_h - h:.1f}" '
                f'width="{bar_w - 1:.1f}" height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}">'
                "<title>"
                f"{escape(label)}, {escape(name)}: {escape(number(vals[i], percent))}"
                "</title></rect>"
            )
        cx = x0 + group_w / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 14}" font-size="11" text-anchor="end" '
            f'transform="rotate(-35 {cx:.1f} {top + plot_h + 14})">{escape(label)}</text>'
        )
    rows = [
        [label, *(number(vals[i], percent) for _n, vals in series)]
        for i, label in enumerate(labels)
    ]
    return Chart(
        slug=slug,
        title=title,
        svg=_svg(WIDTH, height, title, "".join(parts)),
        headers=["", *(name for name, _vals in series)],
        rows=rows,
        legend=[(name, PALETTE[j % len(PALETTE)]) for j, (name, _v) in enumerate(series)],
    )


def bars(
    slug: str,
    title: str,
    rows: list[tuple[str, Any]],
    header: str,
    percent: bool = False,
    limit: int = 15,
) -> Chart:
    """Horizontal bars, one a row (label, value), in the order given; the table has them all,
    the drawing the first `limit`."""
    drawn = rows[:limit]
    left, bar_h, gap = 230, 18, 6
    height = max(len(drawn), 1) * (bar_h + gap) + 10
    values = [_drawable(v) for _label, v in drawn]
    peak = 100.0 if percent else max((v for v in values if v is not None), default=0) or 1
    parts = []
    for i, (label, value) in enumerate(drawn):
        y = 5 + i * (bar_h + gap)
        parts.append(
            f'<text x="{left - 8}" y="{y + bar_h - 5}" font-size="12" text-anchor="end">'
            f"{escape(label[:34])}</text>"
        )
        amount = values[i]
        if amount is not None:
            w = (WIDTH - left - 70) * amount / peak
            parts.append(
                f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{PALETTE[0]}">'
                f"<title>{escape(label)}: {escape(number(value, percent))}</title></rect>"
            )
        else:
            w = 0
        parts.append(
            f'<text x="{left + w + 6:.1f}" y="{y + bar_h - 5}" font-size="12">'
            f"{escape(number(value, percent))}</text>"
        )
    return Chart(
        slug=slug,
        title=title,
        svg=_svg(WIDTH, height, title, "".join(parts)),
        headers=[header, _("Share") if percent else _("Number")],
        rows=[[label, number(value, percent)] for label, value in rows],
    )


@cache
def _world() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def world_map(slug: str, title: str, rows: list[tuple[str, str, Any]], header: str) -> Chart:
    """A choropleth of (country code, country name, count): five shades by count; a
    suppressed count gets the palest shade and says "fewer than 5" in the table."""
    world = _world()
    values = {code: value for code, _name, value in rows}
    peak = max((v for v in map(_drawable, values.values()) if v is not None), default=0) or 1
    parts = []
    for code, country in world["countries"].items():
        value = values.get(code)
        if value is None:
            fill = "#f4f4f4"
        else:
            amount = _drawable(value)
            level = 0 if amount is None else min(4, int(4 * amount / peak + 0.999))
            fill = MAP_SCALE[level]
        # Only countries with a figure are named: the map names nobody's absence.
        named = (
            f"<title>{escape(country['name'])}: {escape(number(value))}</title>"
            if value is not None
            else ""
        )
        parts.append(
            f'<path d="{country["path"]}" fill="{fill}" stroke="#999" stroke-width=".3">'
            f"{named}</path>"
        )
    width, height = (int(float(n)) for n in world["viewBox"].split()[2:])
    return Chart(
        slug=slug,
        title=title,
        svg=_svg(width, height, title, "".join(parts)),
        headers=[header, _("Number")],
        rows=[[name, number(value)] for _code, name, value in rows],
        note=_("Map: @svg-maps/world by Victor Cazanave, CC BY 4.0."),
    )
