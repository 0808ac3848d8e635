"""SVG snapshots of the main screens at 80x24, reviewed by eye once.

Update them after a deliberate change with
`uv run pytest tests/test_tui_snapshots.py --snapshot-update`, then look at
the SVG files in tests/snapshots/ before committing them.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from interview.engine import Answer
from interview.questionnaire import load_questionnaire
from interview.session import Session
from interview.store import Store
from interview.tui.app import MassabalansApp

from .test_tui import SMALL

snapshot_plugin = pytest.importorskip("pytest_textual_snapshot")


def _snapshot_dir(cls, *, test_location) -> str:  # type: ignore[no-untyped-def]
    tests = Path(test_location.filepath).parent
    return str(tests / "snapshots" / test_location.basename)


# Snapshots as .svg files under tests/snapshots/: with syrupy 5 and later the
# plugin's own choice of file extension is no longer read.
snapshot_plugin.SVGImageExtension.file_extension = "svg"
snapshot_plugin.SVGImageExtension.dirname = classmethod(_snapshot_dir)

SIZE = (80, 24)
STAMP = "2025-03-14T09:30:00+00:00"


@pytest.fixture
def questionnaire():
    return load_questionnaire(SMALL)


def _app(db: Path, questionnaire) -> MassabalansApp:
    return MassabalansApp(Store(db), questionnaire, None)


def _fixed_times(db: Path) -> None:
    """Every interview changed at one moment, so the screens do not drift."""
    store = Store(db)
    store.db.conn.execute(
        "UPDATE interviews SET updated = ?, created = ?", (STAMP, STAMP)
    )
    store.close()


def _purchases_done(db: Path, questionnaire) -> int:
    session = Session.start(Store(db), questionnaire, "nl")
    for question_id, answer in (
        ("company_name", Answer("Meubelmakerij Eik")),
        ("period", Answer("2024")),
        (
            "raw_materials",
            Answer(
                [
                    {"name": "eikenhout", "quantity": "12.5", "unit": "t"},
                    {"name": "lijm", "quantity": "unknown"},
                ]
            ),
        ),
        ("buys_composite", Answer("yes")),
        (
            "composite_materials",
            Answer([{"name": "MDF", "quantity": "2", "unit": "t"}]),
        ),
    ):
        session.answer(questionnaire.question(question_id), answer)
    return session.interview_id


def test_the_first_question(snap_compare, tmp_path, questionnaire):
    assert snap_compare(_app(tmp_path / "a.db", questionnaire), terminal_size=SIZE)


def test_a_flow_list_offering_a_table_density(snap_compare, tmp_path, questionnaire):
    keys = [*"Acme BV", "enter", *"2024", "enter", *"12,5 t eikenhout", "enter"]
    keys += [*"200 l diesel", "enter"]
    assert snap_compare(
        _app(tmp_path / "b.db", questionnaire), press=keys, terminal_size=SIZE
    )


def test_a_step_summary_beside_the_balance(snap_compare, tmp_path, questionnaire):
    db = tmp_path / "c.db"
    _purchases_done(db, questionnaire)
    # Continue, then "no" to the composition: the purchases step is done.
    keys = ["enter", "_", "down", "enter"]
    assert snap_compare(_app(db, questionnaire), press=keys, terminal_size=SIZE)


def test_the_review_of_all_answers(snap_compare, tmp_path, questionnaire):
    db = tmp_path / "d.db"
    _purchases_done(db, questionnaire)
    assert snap_compare(
        _app(db, questionnaire), press=["enter", "_", "f4"], terminal_size=SIZE
    )


@pytest.fixture
def utc(monkeypatch):
    """Times shown in UTC, whatever the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_interviews_screen(snap_compare, tmp_path, questionnaire, utc):
    db = tmp_path / "e.db"
    _purchases_done(db, questionnaire)
    other = Session.start(Store(db), questionnaire, "en")
    other.answer(questionnaire.question("company_name"), Answer("Bakery Bread"))
    other.answer(questionnaire.question("period"), Answer("2023"))
    other.finish()
    _fixed_times(db)
    # From the offer to continue: "see all interviews".
    keys = ["down", "down", "enter"]
    assert snap_compare(_app(db, questionnaire), press=keys, terminal_size=SIZE)
