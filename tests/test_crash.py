"""A killed interview loses nothing that was saved before the kill, and continues."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading

from interview.engine import Engine
from interview.questionnaire import load_questionnaire
from interview.store import Store

from .conftest import DATA

ANSWERS = DATA / "bread.answers.yaml"
KILLS = 50


def start(db, *extra):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "interview.cli",
            "run",
            "--answers",
            str(ANSWERS),
            "--db",
            str(db),
            "--verbose",
            *extra,
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=os.environ | {"MASSABALANS_RUN_DELAY": "0.02"},
    )


def run_and_kill(db, after_seconds, *extra):
    """Run; once the first answer is saved, kill after `after_seconds` (None: never).

    Returns the questions the process reported saved, and its exit code.
    """
    process = start(db, *extra)
    saved: list[str] = []
    first = threading.Event()

    def read():
        assert process.stderr is not None
        for line in process.stderr:
            if line.endswith(": saved\n"):
                saved.append(line.split(":")[0])
                first.set()
        first.set()  # the process ended

    reader = threading.Thread(target=read)
    reader.start()
    if after_seconds is not None:
        first.wait(timeout=120)
        try:
            process.wait(timeout=after_seconds)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
    process.wait(timeout=120)
    reader.join(timeout=30)
    return list(saved), process.returncode


def test_fifty_kills_at_random_points_lose_no_saved_answer(tmp_path):
    rng = random.Random(7)
    questionnaire = load_questionnaire()
    engine = Engine(questionnaire)
    reference_db = tmp_path / "reference.db"
    saved, code = run_and_kill(reference_db, None)
    assert code == 0
    reference = Store(reference_db).answers(1)

    db = tmp_path / "killed.db"
    interview_id = None
    kills = finished = 0
    seen_saved: set[str] = set()
    done: set[int] = set()
    mid_interview = 0
    while kills < KILLS:
        extra = ("--resume", str(interview_id)) if interview_id else ()
        saved, code = run_and_kill(db, rng.uniform(0.0, 1.2), *extra)
        store = Store(db)
        if interview_id is None:
            fresh = [row.id for row in store.interviews() if row.id not in done]
            if not fresh:  # killed before the interview was created
                assert code == -signal.SIGKILL and not saved
                kills += 1
                continue
            interview_id = max(fresh)
        answers = store.answers(interview_id)
        seen_saved |= set(saved)
        # Every answer reported saved before the kill is in the database.
        assert set(saved) <= set(answers), set(saved) - set(answers)
        # The interview continues at the first question it has no answer for.
        upcoming = engine.next_question(answers)
        if code == -signal.SIGKILL:
            kills += 1
            mid_interview += bool(saved)
            assert upcoming is not None or len(answers) == len(reference)
        else:
            assert code == 0, code
            finished += 1
            assert answers == reference
            done.add(interview_id)
            interview_id = None  # start the next interview
        store.close()
    assert kills == KILLS
    # Most kills land while answers are being saved, and interviews do finish.
    assert mid_interview >= KILLS // 2, mid_interview
    assert finished >= 1
