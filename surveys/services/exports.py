"""CSV and XLSX exports of a survey: the raw answers (one row a response, one column a
question key) and the summary (one row an answer option of a question)."""

import csv
import io

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from surveys.models import Survey, SurveyResponse
from surveys.services.analysis import results
from website.spreadsheets import safe_cell

RAW_FIXED = ["response", "submitted", "round", "pathway", "country", "sector", "matching_method"]
SUMMARY_HEADER = ["key", "question", "answer", "count", "share_percent", "answered", "mean", "nps"]


def raw_rows(survey: Survey, responses: QuerySet[SurveyResponse]) -> list[list]:
    keys = survey.definition.keys
    rows = [RAW_FIXED + keys]
    for response in responses.select_related("round", "pathway__organisation"):
        rows.append(
            [
                response.pk,
                response.submitted_at.strftime("%Y-%m-%d %H:%M"),
                response.round.name if response.round else "",
                str(response.pathway.organisation) if response.pathway else "",
                response.country,
                response.sector,
                response.matching_method,
                *[safe_cell(response.answers.get(key)) for key in keys],
            ]
        )
    return rows


def summary_rows(survey: Survey, responses: QuerySet[SurveyResponse]) -> list[list]:
    figures = results(survey.definition, responses)
    rows = [SUMMARY_HEADER]
    for result in figures.questions:
        question = result.question
        if question.is_text:
            rows.append(
                [question.key, question.text, _("(free text)"), result.answered, "", "", "", ""]
            )
            continue
        for bar in result.bars:
            rows.append(
                [
                    question.key,
                    question.text,
                    bar.label,
                    bar.count,
                    bar.share,
                    result.answered,
                    "" if result.mean is None else result.mean,
                    "" if result.nps is None else result.nps,
                ]
            )
    return rows


def as_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows: list[list], title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Sheet")
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
