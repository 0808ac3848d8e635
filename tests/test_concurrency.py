"""Two processes writing to one database lose nothing and never see it locked."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

import pytest

from interview.store import MIGRATIONS, Store

from .conftest import DATA


def start_run(db, answers):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "interview.cli",
            "run",
            "--answers",
            str(answers),
            "--db",
            str(db),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"MASSABALANS_RUN_DELAY": "0.001"},
    )


def test_two_interviews_written_at_once_both_finish_with_every_answer(tmp_path):
    db = tmp_path / "shared.db"
    Store(db).close()  # created first, as the app would have
    runs = [
        start_run(db, DATA / "bread.answers.yaml"),
        start_run(db, DATA / "sawmill.answers.yaml"),
        start_run(db, DATA / "bread.answers.yaml"),
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "locked" not in err.lower()

    reference_db = tmp_path / "alone.db"
    for answers in ("bread", "sawmill"):
        alone = start_run(reference_db, DATA / f"{answers}.answers.yaml")
        alone.communicate(timeout=300)
    alone_store = Store(reference_db)
    bread, sawmill = (alone_store.answers(i) for i in (1, 2))

    store = Store(db)
    stored = [store.answers(row.id) for row in store.interviews()]
    assert len(stored) == 3
    assert sorted(len(a) for a in stored) == sorted(
        [len(bread), len(sawmill), len(bread)]
    )
    assert stored.count(bread) == 2 and stored.count(sawmill) == 1


def test_two_processes_creating_a_new_database_at_once_both_succeed(tmp_path):
    db = tmp_path / "fresh.db"
    runs = [start_run(db, DATA / "apricot.answers.yaml") for _ in range(2)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    store = Store(db)
    assert [row.status for row in store.interviews()] == ["finished", "finished"]
    versions = store.db.conn.execute("SELECT COUNT(*) FROM migrations").fetchone()[0]
    assert versions == len(MIGRATIONS)


def _open_when_all_are_ready(path, barrier):
    barrier.wait()
    Store(path).close()  # an error ends the process with exit code 1


def test_processes_opening_one_new_file_at_the_same_moment_all_get_it(tmp_path):
    """Switching a new file to WAL mode races; every opener must wait its turn."""
    context = multiprocessing.get_context("fork")
    for round_ in range(40):
        path = tmp_path / f"new-{round_}.db"
        barrier = context.Barrier(4)
        openers = [
            context.Process(target=_open_when_all_are_ready, args=(path, barrier))
            for _ in range(4)
        ]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join(timeout=60)
        assert [opener.exitcode for opener in openers] == [0, 0, 0, 0]
        store = Store(path)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        store.close()


def test_a_database_being_written_by_another_process_can_still_be_read(tmp_path):
    import sqlite3

    db = tmp_path / "busy.db"
    store = Store(db)
    store.update_interview(store.create_interview(), company="Bakkerij")
    store.close()
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    try:
        reader = Store(db)
        assert [row.company for row in reader.interviews()] == ["Bakkerij"]
    finally:
        writer.execute("ROLLBACK")


def test_a_new_file_held_by_another_process_is_busy_not_damaged(tmp_path, monkeypatch):
    import sqlite3

    import interview.store as store_module
    from interview.store import StoreError

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    db = tmp_path / "held.db"
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE x (a)")
    try:
        with pytest.raises(StoreError) as caught:
            Store(db)
    finally:
        holder.execute("ROLLBACK")
    assert "is busy" in str(caught.value)
    assert "damaged" not in str(caught.value)
