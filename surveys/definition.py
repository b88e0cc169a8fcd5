"""A survey's questions as plain values, and the one place its branching is decided.

The StreamField of sections and questions becomes a `Definition`; `visible_keys` walks it
in order against a set of answers (an answer counts only if its question is itself visible),
so the server alone decides what was asked: a hidden question is never required and an
answer to it is never stored."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from surveys.blocks import Kind

Answer = str | list[str]


@dataclass(frozen=True)
class Condition:
    question: str
    values: tuple[str, ...]

    def matches(self, answer: Answer | None) -> bool:
        if answer in (None, "", []):
            return False
        given = answer if isinstance(answer, list) else [answer]
        wanted = {value.casefold() for value in self.values}
        return any(str(item).casefold() in wanted for item in given)

    @property
    def description(self) -> str:
        return " / ".join(self.values)


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    kind: str
    help_text: str = ""
    choices: tuple[str, ...] = ()
    required: bool = True
    condition: Condition | None = None

    @property
    def options(self) -> tuple[str, ...]:
        """The answers one may give, in order (empty for a text question)."""
        if self.kind in Kind.WITH_CHOICES:
            return self.choices
        if self.kind == Kind.SCALE_5:
            return tuple(str(n) for n in range(1, 6))
        if self.kind == Kind.SCALE_10:
            return tuple(str(n) for n in range(0, 11))
        if self.kind == Kind.YES_NO:
            return ("yes", "no")
        return ()

    def option_label(self, option: str) -> str:
        if self.kind == Kind.YES_NO:
            return _("Yes") if option == "yes" else _("No")
        return option

    @property
    def is_text(self) -> bool:
        return self.kind == Kind.TEXT

    @property
    def is_numeric(self) -> bool:
        return self.kind in {Kind.SCALE_5, Kind.SCALE_10}


@dataclass(frozen=True)
class Section:
    heading: str
    intro: str
    questions: tuple[Question, ...]
    condition: Condition | None = None


@dataclass(frozen=True)
class Definition:
    sections: tuple[Section, ...] = field(default_factory=tuple)

    @property
    def questions(self) -> list[Question]:
        return [question for section in self.sections for question in section.questions]

    @property
    def keys(self) -> list[str]:
        return [question.key for question in self.questions]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    def visible_keys(self, answers: Mapping[str, Answer]) -> set[str]:
        """The questions shown to someone who gave `answers`: a condition looks only at
        answers to questions that were themselves shown."""
        visible: set[str] = set()
        for section in self.sections:
            if not _holds(section.condition, answers, visible):
                continue
            for question in section.questions:
                if _holds(question.condition, answers, visible):
                    visible.add(question.key)
        return visible

    def problems(self) -> list[str]:
        """What is wrong with the survey as built: repeated keys, conditions that look at a
        question that is not earlier, or at an answer it cannot have."""
        problems, seen = [], {}
        for section in self.sections:
            if section.condition:
                problems += _condition_problems(section.condition, seen, section.heading or "—")
            for question in section.questions:
                if question.key in seen:
                    problems.append(
                        _("The key “%(key)s” is used twice: each question needs its own.")
                        % {"key": question.key}
                    )
                if question.condition:
                    problems += _condition_problems(question.condition, seen, question.key)
                seen[question.key] = question
        return problems


def _holds(condition: Condition | None, answers: Mapping[str, Answer], visible: set[str]) -> bool:
    if condition is None:
        return True
    if condition.question not in visible:
        return False
    return condition.matches(answers.get(condition.question))


def _condition_problems(condition: Condition, earlier: dict[str, Question], where: str) -> list:
    target = earlier.get(condition.question)
    if target is None:
        return [
            _("“%(where)s” depends on “%(key)s”, which is not an earlier question.")
            % {"where": where, "key": condition.question}
        ]
    if not condition.values:
        return [_("“%(where)s”: say which answers show it.") % {"where": where}]
    if target.options:
        known = {option.casefold() for option in target.options}
        unknown = [value for value in condition.values if value.casefold() not in known]
        if unknown:
            return [
                _("“%(where)s”: “%(key)s” cannot have the answer %(values)s.")
                % {"where": where, "key": condition.question, "values": ", ".join(unknown)}
            ]
    return []


def _condition(raw: Mapping | None) -> Condition | None:
    if not raw or not (raw.get("question") or "").strip():
        return None
    values = tuple(v.strip() for v in (raw.get("values") or "").split(";") if v.strip())
    return Condition(question=raw["question"].strip(), values=values)


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def from_stream(stream: Iterable) -> Definition:
    """The definition of a StreamField value (its blocks' values are StructValues)."""
    sections = []
    for block in stream:
        if block.block_type != "section":
            continue
        value = block.value
        questions = tuple(
            Question(
                key=q["key"],
                text=q["text"],
                kind=q["kind"],
                help_text=q.get("help_text") or "",
                choices=_lines(q.get("choices")),
                required=bool(q.get("required")),
                condition=_condition(q.get("show_if")),
            )
            for q in value["questions"]
        )
        sections.append(
            Section(
                heading=value.get("heading") or "",
                intro=value.get("intro") or "",
                questions=questions,
                condition=_condition(value.get("show_if")),
            )
        )
    return Definition(sections=tuple(sections))
