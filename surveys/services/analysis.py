"""Figures from survey responses: per-question results for the admin, and the satisfaction
figures and consented quotes the dashboard and the partner reports use.

`satisfaction_by_round` and `consented_quotes` are the API other apps call; keep their names
and shapes."""

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from surveys.definition import Definition, Question
from surveys.models import MatchingMethod, SurveyResponse

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


@dataclass
class _Tally:
    responses: int = 0
    satisfaction: list[int] = field(default_factory=list)
    recommend: list[int] = field(default_factory=list)

    def add(self, satisfaction: int | None, recommend: int | None) -> None:
        self.responses += 1
        if satisfaction is not None:
            self.satisfaction.append(satisfaction)
        if recommend is not None:
            self.recommend.append(recommend)

    def figures(self) -> tuple[int, float | None, float | None]:
        return self.responses, mean(self.satisfaction), net_promoter_score(self.recommend)


def satisfaction_by_round(round_ids: Iterable[int] | None = None) -> dict[int, SatisfactionFigures]:
    """Per round: responses that answered `satisfaction` or `recommend` (in any of the
    round's surveys), their mean satisfaction (1-5) and net promoter score, overall and by
    matching method. One query, whatever the number of rounds."""
    responses = SurveyResponse.objects.filter(
        survey__round__isnull=False, survey__is_template=False
    )
    if round_ids is not None:
        responses = responses.filter(survey__round_id__in=list(round_ids))
    rows = responses.values_list("survey__round_id", "matching_method", "answers")
    overall: dict[int, _Tally] = defaultdict(_Tally)
    by_method: dict[int, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    for round_id, method, answers in rows.iterator(chunk_size=2000):
        answers = answers or {}
        satisfaction = _number(answers.get(SATISFACTION_KEY))
        recommend = _number(answers.get(RECOMMEND_KEY))
        if satisfaction is not None and not 1 <= satisfaction <= 5:
            satisfaction = None
        if recommend is not None and not 0 <= recommend <= 10:
            recommend = None
        if satisfaction is None and recommend is None:
            continue
        overall[round_id].add(satisfaction, recommend)
        if method in METHODS:
            by_method[round_id][method].add(satisfaction, recommend)
    result = {}
    for round_id, tally in overall.items():
        responses_count, mean_satisfaction, nps = tally.figures()
        result[round_id] = SatisfactionFigures(
            responses=responses_count,
            mean_satisfaction=mean_satisfaction,
            nps=nps,
            by_method={m: by_method[round_id][m].figures() for m in METHODS},
        )
    return result


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
