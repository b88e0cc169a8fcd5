"""The figures as files: a partner report as XLSX and PDF, a finished round's public figures as
CSV. They carry exactly what the HTML shows, small cohorts already suppressed."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from reporting.cohorts import FEWER
from reporting.services.figures import PublicView
from reporting.services.partner_reports import PartnerReport
from website.spreadsheets import safe_cell


def cell(value: Any) -> Any:
    """A value for a file: numbers stay numbers, "fewer than 5" (in the reader's language) and
    empty become text, and text cannot start a spreadsheet formula (`safe_cell`)."""
    if value is FEWER:
        return str(FEWER)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_cell(str(value))


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:g} %"


def report_title(report: PartnerReport) -> str:
    return _("%(organisation)s: participants from %(start)s to %(end)s") % {
        "organisation": report.organisation.name,
        "start": date_format(report.starts),
        "end": date_format(report.ends),
    }


def report_tables(report: PartnerReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    """The report's tables: (title, headers, rows), the same for every format."""
    rounds = [
        [
            line.round.name,
            cell(line.applicants),
            cell(line.participants),
            cell(line.completed) if line.finished else _("still running"),
            _percent(line.completion_rate),
        ]
        for line in report.lines
    ]
    rounds.append(
        [
            _("All rounds"),
            cell(report.applicants),
            cell(report.participants),
            cell(report.completed),
            _percent(report.completion_rate),
        ]
    )
    tables = [
        (
            _("Rounds"),
            [_("Round"), _("Applicants"), _("Participants"), _("Completed"), _("Completion")],
            rounds,
        ),
        (
            _("Participants by country"),
            [_("Country"), _("Participants")],
            [[label, cell(n)] for _code, label, n in report.countries],
        ),
        (
            _("Participants by library sector"),
            [_("Sector"), _("Participants")],
            [[label, cell(n)] for _code, label, n in report.sectors],
        ),
    ]
    if report.satisfaction:
        tables.append(
            (
                _("Satisfaction"),
                [_("Figure"), _("Value")],
                [
                    [_("End-of-round survey answers"), report.satisfaction.responses],
                    [_("Mean satisfaction (1 to 5)"), cell(report.satisfaction.mean_satisfaction)],
                    [_("Net promoter score"), cell(report.satisfaction.nps)],
                ],
            )
        )
    if report.quotes:
        tables.append(
            (_("In their words"), [_("Quote")], [[cell(quote)] for quote in report.quotes])
        )
    return tables


def report_notes() -> list[str]:
    return [
        _(
            "Only people who came through your organisation's pathway are counted. Groups of "
            "fewer than 5 people are not shown, so that nobody can be recognised."
        ),
        _(
            "Completed: placed with a partner, and the partnership ran to the end of the round "
            "without being reported as silent or ended."
        ),
    ]


def report_xlsx(report: PartnerReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Report")[:31]
    sheet.append([cell(report_title(report))])
    sheet["A1"].font = Font(bold=True, size=13)
    for note in report_notes():
        sheet.append([cell(note)])
    for title, headers, rows in report_tables(report):
        sheet.append([])
        sheet.append([cell(title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.append([cell(header) for header in headers])
        for row in rows:
            sheet.append([cell(value) for value in row])  # every text cell is safe_cell'd
    sheet.column_dimensions["A"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_pdf(report: PartnerReport) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=report_title(report),
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )

    def text(value: Any) -> str:
        return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    story = [Paragraph(text(report_title(report)), styles["Title"])]
    for note in report_notes():
        story.append(Paragraph(text(note), styles["BodyText"]))
    for title, headers, rows in report_tables(report):
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(text(title), styles["Heading2"]))
        data = [[Paragraph(text(h), styles["BodyText"]) for h in headers]] + [
            [Paragraph(text(value), styles["BodyText"]) for value in row] for row in rows
        ]
        table = Table(data, repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef6")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    document.build(story)
    return out.getvalue()


def public_csv(view: PublicView) -> str:
    """A finished round's public figures, one row a figure: section, code, label, value."""
    out = io.StringIO()
    writer = csv.writer(out)

    def write(row: list[Any]) -> None:  # every cell through `cell`: no text starts a formula
        writer.writerow([cell(value) for value in row])

    write(["section", "code", "label", "value"])
    write(["round", view.round.slug, view.round.name, ""])
    write(["totals", "applicants", _("Applicants"), cell(view.applicants)])
    write(["totals", "participants", _("Participants"), cell(view.participants)])
    write(["totals", "countries", _("Countries"), view.country_count])
    for section, rows in (
        ("country", view.countries),
        ("sector", view.sectors),
        ("career_stage", view.stages),
    ):
        for code, label, value in rows:
            write([section, code, label, cell(value)])
    for key, label, value in view.satisfaction_rows:
        write(["satisfaction", key, label, cell(value)])
    return out.getvalue()
