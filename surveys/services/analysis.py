"""Figures from survey responses: per-question results for the admin, and the satisfaction
figures and consented quotes the dashboard and the partner reports use.

`satisfaction_by_round`, `satisfaction_for_pathways` and `consented_quotes` are the API
other apps call; keep their names and shapes."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Avg, Case, Count, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from surveys.definition import Definition, Question
from surveys.models import MatchingMethod, Survey, SurveyResponse

SATISFACTION_KEY = "satisfaction"
RECOMMEND_KEY = "recommend"
CONSENT_KEY = "quote_consent"
METHODS = (MatchingMethod.AUTOMATIC.value, MatchingMethod.BY_HAND.value)


@dataclass(frozen=True)
class SatisfactionFigures:
    responses: int
    mean_satisfaction: float | None
    nps: float | None
    by_method: dict[str, tuple[int, float | None, float | None]]


def _number(value) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def net_promoter_score(values: list[int]) -> float | None:
    """Promoters (9-10) minus detractors (0-6), in percent of everyone who answered."""
    if not values:
        return None
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return round(100 * (promoters - detractors) / len(values), 1)


def _scored(responses: QuerySet[SurveyResponse]) -> QuerySet[SurveyResponse]:
    """The responses with `sat` (1-5) and `rec` (0-10) read from their answers in the
    database: NULL when missing, not a whole number or out of range. The text is checked
    before the cast, so PostgreSQL never casts a word and SQLite never reads one as 0."""
    whole = r"^[0-9]{1,2}$"
    return (
        responses.annotate(
            _sat_text=KeyTextTransform(SATISFACTION_KEY, "answers"),
            _rec_text=KeyTextTransform(RECOMMEND_KEY, "answers"),
        )
        .annotate(
            _sat=Case(
                When(_sat_text__regex=whole, then=Cast("_sat_text", IntegerField())),
                default=Value(None),
                output_field=IntegerField(),
            ),
            _rec=Case(
                When(_rec_text__regex=whole, then=Cast("_rec_text", IntegerField())),
                default=Value(None),
                output_field=IntegerField(),
            ),
        )
        .annotate(
            sat=Case(
                When(_sat__gte=1, _sat__lte=5, then=F("_sat")),
                default=Value(None),
                output_field=IntegerField(),
            ),
            rec=Case(
                When(_rec__gte=0, _rec__lte=10, then=F("_rec")),
                default=Value(None),
                output_field=IntegerField(),
            ),
        )
        .filter(Q(sat__isnull=False) | Q(rec__isnull=False))
    )


def _counted(responses: QuerySet[SurveyResponse]) -> QuerySet[SurveyResponse]:
    """Only what the satisfaction figures count: each participant's answer to their round's
    end-of-round survey (one a round, one response a person), never a public survey's."""
    return responses.filter(
        survey__kind=Survey.Kind.ROUND,
        survey__is_template=False,
        survey__round__isnull=False,
        survey__moment=Survey.Moment.END_OF_ROUND,
    )


def _aggregates() -> dict:
    """Counts, mean and promoter/detractor counts, overall and by matching method."""
    parts: dict = {}
    for suffix, where in [("", Q())] + [
        (f"_{i}", Q(matching_method=m)) for i, m in enumerate(METHODS)
    ]:
        parts[f"n{suffix}"] = Count("pk", filter=where)
        parts[f"mean{suffix}"] = Avg("sat", filter=where)
        parts[f"nrec{suffix}"] = Count("rec", filter=where)
        parts[f"pro{suffix}"] = Count("pk", filter=where & Q(rec__gte=9))
        parts[f"det{suffix}"] = Count("pk", filter=where & Q(rec__lte=6))
    return parts


def _triple(row: dict, suffix: str) -> tuple[int, float | None, float | None]:
    rated = row[f"nrec{suffix}"]
    nps = round(100 * (row[f"pro{suffix}"] - row[f"det{suffix}"]) / rated, 1) if rated else None
    average = row[f"mean{suffix}"]
    return row[f"n{suffix}"], None if average is None else round(average, 2), nps


def _figures(row: dict) -> SatisfactionFigures:
    responses, mean_satisfaction, nps = _triple(row, "")
    return SatisfactionFigures(
        responses=responses,
        mean_satisfaction=mean_satisfaction,
        nps=nps,
        by_method={m: _triple(row, f"_{i}") for i, m in enumerate(METHODS)},
    )


def satisfaction_by_round(round_ids: Iterable[int] | None = None) -> dict[int, SatisfactionFigures]:
    """Per round: the people who answered `satisfaction` or `recommend` in the round's
    end-of-round survey, their mean satisfaction (1-5) and net promoter score, overall and by
    matching method. Mid-round check-ins and public surveys do not count (a person would be
    counted twice, or anyone could answer). One query, computed in the database."""
    responses = _counted(SurveyResponse.objects.all())
    if round_ids is not None:
        responses = responses.filter(survey__round_id__in=list(round_ids))
    rows = _scored(responses).values("survey__round_id").annotate(**_aggregates()).order_by()
    return {row["survey__round_id"]: _figures(row) for row in rows}


def satisfaction_for_pathways(pathway_ids: Iterable[int]) -> SatisfactionFigures | None:
    """The same figures for the people of the given pathways (a partner's report), over all
    rounds; None when nobody answered. One query."""
    responses = _counted(SurveyResponse.objects.filter(pathway_id__in=list(pathway_ids)))
    row = _scored(responses).aggregate(**_aggregates())
    return _figures(row) if row["n"] else None


def consented_quotes(responses_queryset: QuerySet[SurveyResponse]) -> list[str]:
    """The free-text answers of the people who said yes to `quote_consent`, in order."""
    quotes = []
    consenting = responses_queryset.filter(**{f"answers__{CONSENT_KEY}": "yes"}).select_related(
        "survey"
    )
    text_keys_of: dict[int, list[str]] = {}
    for response in consenting.order_by("submitted_at", "pk"):
        if response.survey_id not in text_keys_of:
            text_keys_of[response.survey_id] = [
                q.key for q in response.survey.definition.questions if q.is_text
            ]
        for key in text_keys_of[response.survey_id]:
            text = str(response.answers.get(key) or "").strip()
            if text:
                quotes.append(text)
    return quotes


# Results of one survey, for the admin


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: float  # of the people who answered the question, 0-100


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int
    bars: tuple[Bar, ...] = ()
    texts: tuple[str, ...] = ()
    mean: float | None = None
    nps: float | None = None


@dataclass(frozen=True)
class Results:
    responses: int
    questions: tuple[QuestionResult, ...]


def question_result(question: Question, answers: list[dict]) -> QuestionResult:
    given = [a[question.key] for a in answers if a.get(question.key) not in (None, "", [])]
    if question.is_text:
        return QuestionResult(question, len(given), texts=tuple(str(t) for t in given))
    counts: Counter = Counter()
    for value in given:
        for item in value if isinstance(value, list) else [value]:
            counts[str(item)] += 1
    total = len(given)
    bars = tuple(
        Bar(
            label=question.option_label(option),
            count=counts.get(option, 0),
            share=round(100 * counts.get(option, 0) / total, 1) if total else 0.0,
        )
        for option in question.options
    )
    numbers = [n for n in (_number(v) for v in given) if n is not None]
    return QuestionResult(
        question,
        total,
        bars=bars,
        mean=mean(numbers) if question.is_numeric else None,
        nps=net_promoter_score(numbers) if question.kind == "scale10" else None,
    )


def results(definition: Definition, responses: QuerySet[SurveyResponse]) -> Results:
    answers = list(responses.values_list("answers", flat=True))
    return Results(
        responses=len(answers),
        questions=tuple(question_result(q, answers) for q in definition.questions),
    )
