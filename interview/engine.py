"""The dialogue engine: what to ask next, given the questionnaire and the answers.

Policy for answers that become hidden: an answer to a question whose condition
no longer holds stays in the store, but `active` leaves it out, and so does
everything computed from the active answers (balance, report, export). When
the condition holds again, the earlier answer is active again and the
interface shows it back. Conditions only read active answers, so hiding a
question also hides what it revealed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .numbers import NumberError, parse_data_value
from .questionnaire import DONT_KNOW, Question, Questionnaire


@dataclass(frozen=True)
class Answer:
    """One answer as stored: its value, a free note, or "don't know"."""

    value: Any = None
    note: str | None = None
    unknown: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "note": self.note, "unknown": self.unknown}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Answer:
        return cls(data.get("value"), data.get("note"), bool(data.get("unknown")))


def condition_value(question: Question, answer: Answer) -> Any:
    """What an answer is worth inside a condition."""
    if answer.unknown:
        return DONT_KNOW
    value = answer.value
    if question.type == "flow_list":
        # A flow list reads as the kinds of its items: `"waste" in waste_streams`.
        default = (question.kinds or ("raw_material",))[0]
        return [item.get("kind") or default for item in value or ()]
    if question.type == "stock_list":
        return [item.get("name") for item in value or ()]
    if question.type in ("number", "quantity"):
        # Stored as canonical text ("1234.5"); a condition compares numbers.
        if isinstance(value, Mapping):
            value = value.get("quantity")
        try:
            return parse_data_value(value, allow_negative=True)
        except NumberError:
            return value
    return value


class Engine:
    """Pure functions of a questionnaire and a mapping of answers by question id."""

    def __init__(self, questionnaire: Questionnaire):
        self.questionnaire = questionnaire

    def visible(self, answers: Mapping[str, Answer]) -> list[Question]:
        """The questions whose conditions hold, in order."""
        values: dict[str, Any] = {}
        shown = []
        for question in self.questionnaire.questions:
            condition = self.questionnaire.conditions.get(question.id)
            if condition is not None and not condition.evaluate(values):
                continue
            shown.append(question)
            if question.id in answers:
                values[question.id] = condition_value(question, answers[question.id])
        return shown

    def active(self, answers: Mapping[str, Answer]) -> dict[str, Answer]:
        """The answers that count: those to visible questions."""
        return {q.id: answers[q.id] for q in self.visible(answers) if q.id in answers}

    def inactive(self, answers: Mapping[str, Answer]) -> dict[str, Answer]:
        """Answers kept in the store but left out: hidden or no longer asked."""
        active = self.active(answers)
        return {qid: a for qid, a in answers.items() if qid not in active}

    def next_question(self, answers: Mapping[str, Answer]) -> Question | None:
        """The first visible question without an answer; None when finished."""
        for question in self.visible(answers):
            if question.id not in answers:
                return question
        return None

    def previous(
        self, answers: Mapping[str, Answer], current: str | None
    ) -> Question | None:
        """The visible question before `current` (or the last one when finished)."""
        shown = self.visible(answers)
        ids = [q.id for q in shown]
        if current is None:
            return shown[-1] if shown else None
        if current not in ids:
            return None
        position = ids.index(current)
        return shown[position - 1] if position > 0 else None

    def progress(self, answers: Mapping[str, Answer]) -> tuple[int, int]:
        """(answered, asked so far) over the visible questions."""
        shown = self.visible(answers)
        return sum(1 for q in shown if q.id in answers), len(shown)

    def unanswered(self, answers: Mapping[str, Answer]) -> list[Question]:
        """Visible questions without an answer: what is still open."""
        return [q for q in self.visible(answers) if q.id not in answers]

    def finished(self, answers: Mapping[str, Answer]) -> bool:
        return self.next_question(answers) is None
