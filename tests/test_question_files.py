"""Question files: the shipped ones pass the checker, broken ones get exact messages."""

from __future__ import annotations

import subprocess
import sys

import pytest

from interview.questionnaire import QuestionFileError, load_questionnaire

from .conftest import DATA

BROKEN = sorted((DATA / "broken_questions").glob("*.yaml"))


def expected(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# expect: ")
    return first.removeprefix("# expect: ")


def test_the_corpus_has_at_least_fifteen_broken_files():
    assert len(BROKEN) >= 15


@pytest.mark.parametrize("path", BROKEN, ids=lambda p: p.stem)
def test_a_broken_question_file_gets_its_own_precise_message(path):
    with pytest.raises(QuestionFileError) as caught:
        load_questionnaire(path)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    assert expected(path) in problems[0]
    assert problems[0].startswith(f"{path}:")


def test_a_duplicate_id_names_the_line_of_the_first_use():
    path = DATA / "broken_questions" / "duplicate_id.yaml"
    with pytest.raises(QuestionFileError) as caught:
        load_questionnaire(path)
    assert caught.value.problems[0].startswith(f"{path}:14:")
    assert f"already used at {path}:7;" in caught.value.problems[0]


def test_the_messages_of_the_corpus_are_all_different():
    messages = set()
    for path in BROKEN:
        with pytest.raises(QuestionFileError) as caught:
            load_questionnaire(path)
        messages.add(caught.value.problems[0].split(": ", 1)[1])
    assert len(messages) == len(BROKEN)


def test_check_lists_every_problem_of_several_files_at_once_without_a_traceback():
    run = subprocess.run(
        [sys.executable, "-m", "interview.cli", "check", *map(str, BROKEN)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == len(BROKEN)


def test_the_shipped_questionnaire_passes_the_checker():
    run = subprocess.run(
        [sys.executable, "-m", "interview.cli", "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "no problems" in run.stdout


def test_the_shipped_questionnaire_covers_every_step_of_the_seed():
    questionnaire = load_questionnaire()
    kinds = {k for q in questionnaire.questions for k in (q.kinds or ())}
    assert {
        "raw_material",
        "composite_material",
        "semi_finished",
        "auxiliary",
        "waste",
        "wastewater",
        "emission",
        "product",
    } <= kinds
    themes = {q.theme for q in questionnaire.questions if q.theme}
    assert {
        "raw_materials",
        "auxiliaries",
        "waste",
        "product",
        "support",
        "next_steps",
    } <= themes
    for question in questionnaire.questions:
        assert question.help.nl.strip() and question.help.en.strip(), question.id
