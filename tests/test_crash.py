"""A killed interview loses nothing that was saved before the kill."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from interview.engine import Engine
from interview.questionnaire import load_questionnaire
from interview.store import Store

from .conftest import DATA

SMALL = DATA / "questions_small"


@pytest.mark.parametrize("kill_after", [1, 3, 6, 9])
def test_every_answer_saved_before_a_sigkill_is_there_after_it(tmp_path, kill_after):
    db = tmp_path / "kill.db"
    env = os.environ | {"MASSABALANS_RUN_DELAY": "0.05"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "interview.cli",
            "run",
            "--answers",
            str(DATA / "small.answers.yaml"),
            "--db",
            str(db),
            "--questions",
            str(SMALL),
            "--verbose",
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    saved = []
    assert process.stderr is not None
    for line in process.stderr:
        if line.endswith(": saved\n"):
            saved.append(line.split(":")[0])
        if len(saved) == kill_after:
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    store = Store(db)
    interview = store.latest_open()
    assert interview is not None
    answers = store.answers(interview.id)
    assert set(saved) <= set(answers)
    # The interview continues at the first question not yet answered.
    engine = Engine(load_questionnaire(SMALL))
    visible = [q.id for q in engine.visible(answers)]
    assert engine.next_question(answers).id == visible[len(answers)]
