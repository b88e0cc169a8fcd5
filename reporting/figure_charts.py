"""Which charts each screen shows, made from the figures: the directors' dashboard (every
count as it is) and the public round page and partner report (small cohorts suppressed
before they get here). Adding a figure to a screen is one function here."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from reporting import charts
from reporting.charts import Chart
from reporting.services.figures import SATISFACTION_LABELS, Dashboard, PublicView


def _round_label(round_) -> str:
    return f"{round_.name} ({date_format(round_.starts_on, 'M Y')})"


def people_per_round(data: Dashboard) -> Chart:
    return charts.columns(
        "people-per-round",
        _("Applicants and participants per round"),
        [_round_label(row.round) for row in data.rows],
        [
            (_("Applicants"), [row.figures["applicants"] for row in data.rows]),
            (_("Participants"), [row.figures["participants"] for row in data.rows]),
        ],
    )


def applicants_map(data: Dashboard) -> Chart:
    return charts.world_map(
        "applicants-map", _("Applicants by country"), data.countries, _("Country")
    )


def sectors(rows, title: str, slug: str = "sectors") -> Chart:
    return charts.bars(slug, title, [(label, n) for _c, label, n in rows], _("Sector"))


def stages(rows, title: str, slug: str = "career-stages") -> Chart:
    return charts.bars(slug, title, [(label, n) for _c, label, n in rows], _("Career stage"))


def waitlists(data: Dashboard) -> Chart:
    return charts.bars(
        "waitlists",
        _("Waitlisted by the country cap, per round"),
        [(_round_label(row.round), row.figures["waitlisted"]) for row in data.rows],
        _("Round"),
    )


def match_quality(data: Dashboard) -> Chart:
    return charts.columns(
        "match-quality",
        _("Match quality per round"),
        [_round_label(row.round) for row in data.rows],
        [
            (_("Mean score (of 100)"), [row.figures["mean_score"] for row in data.rows]),
            (_("Wishes met (%)"), [row.wishes_met_share for row in data.rows]),
            (_("Gap to the bound (%)"), [row.figures["gap_percent"] for row in data.rows]),
        ],
        peak=100,
    )


def failure_rate(data: Dashboard) -> Chart:
    return charts.columns(
        "failure-rate",
        _("Partnerships reported or gone silent, per round"),
        [_round_label(row.round) for row in data.rows],
        [(_("Failed partnerships (%)"), [row.failure_rate for row in data.rows])],
        percent=True,
    )


def check_in_replies(data: Dashboard) -> Chart:
    return charts.columns(
        "check-in-replies",
        _("Check-in reply rate per round"),
        [_round_label(row.round) for row in data.rows],
        [(_("Check-ins answered (%)"), [row.reply_rate for row in data.rows])],
        percent=True,
    )


def campaigns(data: Dashboard) -> Chart:
    rows = list(reversed(data.campaigns))
    return charts.columns(
        "campaigns",
        _("Campaigns: delivery, open and click rates"),
        [row.name[:24] for row in rows],
        [
            (_("Delivered (%)"), [row.delivery_rate for row in rows]),
            (_("Opened (%)"), [row.open_rate for row in rows]),
            (_("Clicked (%)"), [row.click_rate for row in rows]),
        ],
        percent=True,
    )


def satisfaction(data: Dashboard) -> Chart | None:
    """Satisfaction and NPS per round and by matching method: drawn once the surveys give
    `figures.satisfaction_by_round` something to say; until then, no chart."""
    if not data.satisfaction:
        return None
    rows = [row for row in data.rows if row.round.pk in data.satisfaction]
    drawn = ["satisfaction", "satisfaction_automatic", "satisfaction_by_hand"]
    chart = charts.columns(
        "satisfaction",
        _("Satisfaction and NPS per round"),
        [_round_label(row.round) for row in rows],
        [
            (
                str(SATISFACTION_LABELS[key]),
                [data.satisfaction[row.round.pk].get(key) for row in rows],
            )
            for key in drawn
        ],
        peak=5,
    )
    # The net promoter score runs from -100 to 100: in the table, not drawn on the 1-5 axis.
    listed = ["responses", "nps", "nps_automatic", "nps_by_hand"]
    chart.headers += [str(SATISFACTION_LABELS[key]) for key in listed]
    for table_row, row in zip(chart.rows, rows, strict=True):
        table_row += [charts.number(data.satisfaction[row.round.pk].get(key)) for key in listed]
    chart.note = _("The net promoter score (from -100 to 100) is in the table.")
    return chart


def dashboard_charts(data: Dashboard) -> list[Chart]:
    made = []
    if data.rows:
        made += [
            people_per_round(data),
            applicants_map(data),
            sectors(data.sectors, _("Applicants by library sector")),
            stages(data.stages, _("Applicants by career stage")),
            waitlists(data),
            match_quality(data),
            failure_rate(data),
            check_in_replies(data),
            satisfaction(data),
        ]
    if data.campaigns:
        made.append(campaigns(data))
    return [chart for chart in made if chart is not None]


def public_charts(view: PublicView) -> list[Chart]:
    return [
        charts.world_map(
            "participants-map", _("Participants by country"), view.countries, _("Country")
        ),
        sectors(view.sectors, _("Participants by library sector")),
        stages(view.stages, _("Participants by career stage")),
    ]


def partner_charts(report) -> list[Chart]:
    return [
        charts.world_map(
            "partner-map", _("Participants by country"), report.countries, _("Country")
        ),
        sectors(report.sectors, _("Participants by library sector")),
    ]
