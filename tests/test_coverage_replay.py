"""The shipped questionnaire, replayed headless so that every choice is taken."""

from __future__ import annotations

import random

import pytest

from interview.engine import Answer
from interview.questionnaire import load_questionnaire
from interview.report import ReportSource, render_markdown
from interview.session import Session
from interview.store import Store

ROUNDS = 24


def synthetic_answer(question, round_number, rng):
    """An answer for round `round_number`: choices drawn, figures varied."""
    unknown = question.allow_unknown and round_number == 1
    if question.type == "choice":
        values = [c.value for c in question.choices]
        return Answer(rng.choice(values), note=f"note {round_number}")
    if question.type == "multi_choice":
        values = [c.value for c in question.choices]
        if round_number == 0:
            return Answer(values)
        return Answer(rng.sample(values, rng.randint(0, len(values))))
    if unknown:
        return Answer(unknown=True)
    if question.type == "text":
        return Answer(
            "2025" if question.maps_to == "period" else f"text {round_number}"
        )
    if question.type == "number":
        return Answer(str(round_number + 1))
    if question.type == "quantity":
        return Answer({"quantity": str(round_number + 1), "unit": "kg"})
    if question.type == "flow_list":
        kind = question.kinds[round_number % len(question.kinds)]
        return Answer(
            [
                {
                    "name": f"{question.id} {round_number}",
                    "kind": kind,
                    "quantity": "12,5",
                    "unit": "kg",
                }
            ]
        )
    if question.type == "stock_list":
        return Answer(
            [{"name": "voorraad", "opening": "5", "closing": "3", "unit": "t"}]
        )
    raise AssertionError(question.type)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_choice_of_every_question_is_taken_and_each_replay_reports(
    tmp_path, language
):
    questionnaire = load_questionnaire()
    store = Store(tmp_path / "cover.db")
    taken = set()
    rng = random.Random(2026)
    for round_number in range(ROUNDS):
        session = Session.start(store, questionnaire, language)
        while (question := session.next_question()) is not None:
            answer = synthetic_answer(question, round_number, rng)
            session.answer(question, answer)
            if question.type == "choice":
                taken.add((question.id, answer.value))
            elif question.type == "multi_choice":
                taken.update((question.id, v) for v in answer.value)
        session.finish()
        report = render_markdown(ReportSource.from_session(session), language)
        assert report.startswith("# ")
        heading = "## De massabalans" if language == "nl" else "## The mass balance"
        assert heading in report
    offered = {
        (q.id, c.value)
        for q in questionnaire.questions
        if q.type in ("choice", "multi_choice")
        for c in q.choices
    }
    assert offered - taken == set()
