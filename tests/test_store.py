"""The store: numbered migrations, and files it must not touch."""

from __future__ import annotations

import json
import sqlite3

import pytest

from interview.store import MIGRATIONS, Store, StoreError


def first_schema_database(path):
    """A database as the first schema made it, with an interview in it."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (version INTEGER PRIMARY KEY, applied TEXT)")
    MIGRATIONS[0](conn)
    conn.execute("INSERT INTO migrations VALUES (1, '2026-01-01T00:00:00+00:00')")
    conn.execute(
        "INSERT INTO interviews (company, period, language, status, created, updated) "
        "VALUES ('Oud BV', '2024', 'nl', 'open', '2026-01-01', '2026-01-01')"
    )
    for number, (question, value) in enumerate(
        [
            ("company_name", "Oud BV"),
            ("buys_composite", "yes"),
            ("raw_materials", [{"name": "staal", "quantity": "12.5", "unit": "t"}]),
        ]
    ):
        conn.execute(
            "INSERT INTO answers (interview_id, question_id, value, note, unknown, "
            "cleared, created) VALUES (1, ?, ?, ?, 0, 0, '2026-01-01')",
            (question, json.dumps(value), f"note {number}"),
        )
    conn.commit()
    conn.close()


def test_a_first_schema_database_is_upgraded_and_keeps_every_answer(tmp_path):
    path = tmp_path / "old.db"
    first_schema_database(path)
    store = Store(path)
    versions = [
        row[0] for row in store.db.conn.execute("SELECT version FROM migrations")
    ]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    answers = store.answers(1)
    assert answers["company_name"].value == "Oud BV"
    assert answers["raw_materials"].value[0]["quantity"] == "12.5"
    assert answers["buys_composite"].note == "note 1"
    assert store.interview(1).ton is None


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO migrations VALUES (99, 'later')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store(path)
    assert path.read_bytes() == before


def test_the_database_uses_write_ahead_logging(tmp_path):
    store = Store(tmp_path / "wal.db")
    mode = store.db.conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_another_programs_database_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="another program"):
        Store(path)
    assert path.read_bytes() == before


MOUNTS = """\
/dev/vda / ext4 rw 0 0
server:/export /mnt/share nfs4 rw 0 0
//nas/data /media/nas cifs rw 0 0
"""


def test_the_file_system_of_a_path_is_its_longest_mount():
    from pathlib import Path

    from interview.locations import filesystem_type

    assert filesystem_type(Path("/mnt/share/massabalans.db"), MOUNTS) == "nfs4"
    assert filesystem_type(Path("/media/nas/x/y.db"), MOUNTS) == "cifs"
    assert filesystem_type(Path("/home/user/m.db"), MOUNTS) == "ext4"
    assert filesystem_type(Path("/mnt/shared.db"), MOUNTS) == "ext4"


def test_a_database_on_a_network_share_gets_a_warning(tmp_path, monkeypatch):
    import interview.locations as locations

    monkeypatch.setattr(locations, "filesystem_type", lambda path, mounts=None: "nfs")
    store = Store(tmp_path / "share.db")
    assert store.warning and "network share" in store.warning
    monkeypatch.setattr(locations, "filesystem_type", lambda path, mounts=None: "ext4")
    assert Store(tmp_path / "local.db").warning is None


def test_the_flows_table_follows_the_active_answers_and_the_views_read_it(tmp_path):
    from interview.engine import Answer
    from interview.questionnaire import load_questionnaire
    from interview.session import Session

    from .conftest import DATA

    questionnaire = load_questionnaire(DATA / "questions_small")
    session = Session.start(Store(tmp_path / "v.db"), questionnaire)

    def give(qid, value):
        session.answer(questionnaire.question(qid), Answer(value))

    give("raw_materials", [{"name": "staal", "quantity": "2", "unit": "t"}])
    give("buys_composite", "yes")
    give("composite_materials", [{"name": "paneel", "quantity": "500", "unit": "kg"}])
    conn = sqlite3.connect(tmp_path / "v.db")
    rows = conn.execute("SELECT name, kind, kg FROM flows ORDER BY position").fetchall()
    assert rows == [
        ("staal", "raw_material", 2000.0),
        ("paneel", "composite_material", 500.0),
    ]
    give("buys_composite", "no")
    totals = conn.execute("SELECT inputs_kg FROM interview_totals").fetchone()
    assert totals == (2000.0,)
    current = dict(
        conn.execute(
            "SELECT question_id, value FROM current_answers WHERE interview_id = 1"
        )
    )
    assert json.loads(current["buys_composite"]) == "no"


def test_a_backup_is_a_complete_database_and_never_overwrites(tmp_path):
    from interview.engine import Answer

    store = Store(tmp_path / "live.db")
    interview = store.create_interview()
    store.save_answer(interview, "company_name", Answer("Kopie BV"))
    store.backup(tmp_path / "copy.db")
    assert Store(tmp_path / "copy.db").answers(interview)["company_name"].value == (
        "Kopie BV"
    )
    with pytest.raises(StoreError, match="exists already"):
        store.backup(tmp_path / "copy.db")


def test_answers_in_a_batch_fill_the_flows_table_once_at_its_end(tmp_path):
    from interview.engine import Answer
    from interview.questionnaire import load_questionnaire
    from interview.session import Session

    from .conftest import DATA

    questionnaire = load_questionnaire(DATA / "questions_small")
    store = Store(tmp_path / "b.db")
    session = Session.start(store, questionnaire)
    conn = sqlite3.connect(tmp_path / "b.db")

    def table():
        return conn.execute("SELECT name, kg FROM flows ORDER BY position").fetchall()

    with store._transaction(), session.batch():
        session.answer(
            questionnaire.question("raw_materials"),
            Answer([{"name": "staal", "quantity": "2", "unit": "t"}]),
        )
        session.answer(questionnaire.question("buys_composite"), Answer("yes"))
        session.answer(
            questionnaire.question("composite_materials"),
            Answer([{"name": "paneel", "quantity": "500", "unit": "kg"}]),
        )
        # Not yet computed, even as the transaction itself sees it.
        assert store.conn.execute("SELECT COUNT(*) FROM flows").fetchone() == (0,)
    assert table() == [("staal", 2000.0), ("paneel", 500.0)]
    # A batch that fails leaves the table, like the answers, as it was.
    try:
        with store._transaction(), session.batch():
            session.answer(questionnaire.question("buys_composite"), Answer("no"))
            raise RuntimeError("the import stops")
    except RuntimeError:
        pass
    assert table() == [("staal", 2000.0), ("paneel", 500.0)]
