"""The store: interviews and every answer ever given, in one SQLite file.

The answers table is an append-only log: giving, changing or clearing an
answer adds a row, and the current answer to a question is its newest row.
Each answer is committed the moment it is given.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine import Answer
from .locations import default_db, network_share_warning

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


BUSY_MESSAGE = (
    "{path} is busy: another massabalans (an import, or an interview saving "
    f"answers) has been writing to it for longer than {BUSY_TIMEOUT_MS // 1000} s. "
    "Nothing was changed; try again when it has finished"
)


def is_busy(error: sqlite3.Error) -> bool:
    """Whether SQLite refused because another connection holds the file."""
    text = str(error)
    return "locked" in text or "busy" in text


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _migration_1(conn: sqlite3.Connection) -> None:
    # Plain SQL, so the migration runs inside the caller's transaction.
    conn.execute(
        "CREATE TABLE interviews (id INTEGER PRIMARY KEY, company TEXT, period TEXT, "
        "language TEXT, interviewer TEXT, questionnaire TEXT, status TEXT, "
        "created TEXT, updated TEXT)"
    )
    conn.execute(
        "CREATE TABLE answers (id INTEGER PRIMARY KEY, "
        "interview_id INTEGER REFERENCES interviews(id), question_id TEXT, "
        "value TEXT, note TEXT, unknown INTEGER, cleared INTEGER, created TEXT)"
    )
    conn.execute(
        "CREATE INDEX answers_by_question ON answers (interview_id, question_id, id)"
    )


def _migration_2(conn: sqlite3.Connection) -> None:
    # What a bare "ton" means in an English interview, asked once: metric/short.
    conn.execute("ALTER TABLE interviews ADD COLUMN ton TEXT")


def _migration_3(conn: sqlite3.Connection) -> None:
    # Tables and views for a person with an SQLite browser or Datasette: the
    # current answers, and the active flows with their kilograms.
    conn.execute(
        "CREATE TABLE flows (interview_id INTEGER REFERENCES interviews(id), "
        "position INTEGER, question_id TEXT, name TEXT, kind TEXT, quantity TEXT, "
        "unit TEXT, kg REAL, material TEXT, supplier TEXT, processor TEXT, "
        "treatment TEXT, cost_eur REAL, basis TEXT)"
    )
    conn.execute("CREATE INDEX flows_by_interview ON flows (interview_id)")
    conn.execute(
        "CREATE VIEW current_answers AS SELECT interview_id, question_id, value, "
        "note, unknown, created FROM answers a WHERE cleared = 0 AND id = "
        "(SELECT MAX(id) FROM answers b WHERE b.interview_id = a.interview_id "
        "AND b.question_id = a.question_id)"
    )
    conn.execute(
        "CREATE VIEW interview_totals AS SELECT i.id AS interview_id, i.company, "
        "i.period, i.status, "
        "SUM(CASE WHEN f.kind IN ('raw_material', 'composite_material', "
        "'semi_finished', 'auxiliary') THEN f.kg END) AS inputs_kg, "
        "SUM(CASE WHEN f.kind IN ('product', 'by_product', 'waste', 'wastewater', "
        "'emission') THEN f.kg END) AS outputs_kg, "
        "SUM(CASE WHEN f.kg IS NULL THEN 1 ELSE 0 END) AS flows_without_kg "
        "FROM interviews i LEFT JOIN flows f ON f.interview_id = i.id GROUP BY i.id"
    )


# Numbered migrations: each runs once, in order, and is recorded.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
]


@dataclass(frozen=True)
class InterviewRow:
    id: int
    company: str | None
    period: str | None
    language: str
    interviewer: str | None
    questionnaire: str | None
    status: str
    created: str
    updated: str
    ton: str | None = None


_COLUMNS = (
    "id, company, period, language, interviewer, questionnaire, status, created, "
    "updated, ton"
)


class Store:
    """Interviews and answers in one database file (WAL mode, busy timeout)."""

    def __init__(self, path: Path | str | None = None):
        self.path = Path(path) if path is not None else default_db()
        self.warning = network_share_warning(self.path)
        """A problem worth telling the user, such as a database on a share."""
        if self.warning:
            log.warning("%s", self.warning)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.conn = conn
            self._migrate()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise StoreError(
                    f"{self.path} is not a massabalans database or is damaged "
                    f"({exc}); it was left untouched. Use --db to choose another "
                    "file, or restore a backup"
                ) from None
            raise StoreError(BUSY_MESSAGE.format(path=self.path)) from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a massabalans database or is damaged ({exc}); "
                "it was left untouched. Use --db to choose another file, or restore "
                "a backup"
            ) from None
        except OSError as exc:
            raise StoreError(f"cannot open {self.path}: {exc.strerror}") from None

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """The database through sqlite-utils, for table-level work and tools.

        Made on first use: importing sqlite-utils (with click and pluggy) takes
        a sixth of the app's start, and the interview itself needs only the
        plain SQL of this class.
        """
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def _migrate(self) -> None:
        conn = self.conn
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        if tables and "migrations" not in tables:
            raise StoreError(
                f"{self.path} is an SQLite database of another program; it was left "
                "untouched. Use --db to choose a file for massabalans"
            )
        _enter_wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        if tables and self._schema_is_current():
            return  # nothing to write: no lock taken, so a busy file can be read
        with self._transaction():
            conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations "
                "(version INTEGER PRIMARY KEY, applied TEXT)"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM migrations")}
            newest = max(done, default=0)
            if newest > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path} was made by a newer version of massabalans "
                    f"(schema {newest}, this version knows {len(MIGRATIONS)}); "
                    "update massabalans. The file was left untouched"
                )
            for version, migration in enumerate(MIGRATIONS, start=1):
                if version not in done:
                    migration(conn)
                    conn.execute(
                        "INSERT INTO migrations (version, applied) VALUES (?, ?)",
                        (version, now()),
                    )

    def _schema_is_current(self) -> bool:
        """Whether every migration is recorded; a newer schema is not current."""
        done = {row[0] for row in self.conn.execute("SELECT version FROM migrations")}
        return done == set(range(1, len(MIGRATIONS) + 1))

    def _transaction(self):
        return _Transaction(self.conn)

    def close(self) -> None:
        self.conn.close()

    # Interviews

    def create_interview(
        self,
        *,
        language: str = "nl",
        questionnaire: str | None = None,
        interviewer: str | None = None,
    ) -> int:
        stamp = now()
        with self._transaction():
            cursor = self.conn.execute(
                "INSERT INTO interviews (company, period, language, interviewer, "
                "questionnaire, status, created, updated) VALUES "
                "(NULL, NULL, ?, ?, ?, 'open', ?, ?)",
                (language, interviewer, questionnaire, stamp, stamp),
            )
        return int(cursor.lastrowid or 0)

    def interview(self, interview_id: int) -> InterviewRow:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM interviews WHERE id = ?",
            (interview_id,),
        ).fetchone()
        if row is None:
            raise StoreError(
                f"there is no interview {interview_id} in {self.path}; "
                "'massabalans list' shows the interviews"
            )
        return InterviewRow(*row)

    def interviews(self) -> list[InterviewRow]:
        rows = self.conn.execute(
            f"SELECT {_COLUMNS} FROM interviews ORDER BY updated DESC, id DESC"
        ).fetchall()
        return [InterviewRow(*row) for row in rows]

    def latest_open(self) -> InterviewRow | None:
        for row in self.interviews():
            if row.status == "open":
                return row
        return None

    def update_interview(self, interview_id: int, **fields: Any) -> None:
        allowed = {
            "company",
            "period",
            "language",
            "interviewer",
            "questionnaire",
            "status",
            "ton",
        }
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown interview fields: {sorted(unknown)}")
        fields["updated"] = now()
        columns = ", ".join(f"{name} = ?" for name in fields)
        with self._transaction():
            self.conn.execute(
                f"UPDATE interviews SET {columns} WHERE id = ?",
                (*fields.values(), interview_id),
            )

    def delete_interview(self, interview_id: int) -> None:
        self.interview(interview_id)
        with self._transaction():
            self.conn.execute(
                "DELETE FROM answers WHERE interview_id = ?", (interview_id,)
            )
            self.conn.execute(
                "DELETE FROM flows WHERE interview_id = ?", (interview_id,)
            )
            self.conn.execute("DELETE FROM interviews WHERE id = ?", (interview_id,))

    # Answers

    def save_answer(
        self,
        interview_id: int,
        question_id: str,
        answer: Answer,
        flows: list[dict[str, Any]] | None = None,
    ) -> None:
        """Record an answer and commit it at once (with the new flows, if given)."""
        stamp = now()
        with self._transaction():
            if flows is not None:
                self._replace_flows(interview_id, flows)
            self.conn.execute(
                "INSERT INTO answers (interview_id, question_id, value, note, unknown, "
                "cleared, created) VALUES (?, ?, ?, ?, ?, 0, ?)",
                (
                    interview_id,
                    question_id,
                    json.dumps(answer.value, ensure_ascii=False),
                    answer.note,
                    int(answer.unknown),
                    stamp,
                ),
            )
            self.conn.execute(
                "UPDATE interviews SET updated = ? WHERE id = ?", (stamp, interview_id)
            )

    def replace_flows(self, interview_id: int, flows: list[dict[str, Any]]) -> None:
        """Put the interview's current flows in the flows table, committed."""
        with self._transaction():
            self._replace_flows(interview_id, flows)

    def _replace_flows(self, interview_id: int, flows: list[dict[str, Any]]) -> None:
        self.conn.execute("DELETE FROM flows WHERE interview_id = ?", (interview_id,))
        self.conn.executemany(
            "INSERT INTO flows (interview_id, position, question_id, name, kind, "
            "quantity, unit, kg, material, supplier, processor, treatment, cost_eur, "
            "basis) VALUES (:interview_id, :position, :question_id, :name, :kind, "
            ":quantity, :unit, :kg, :material, :supplier, :processor, :treatment, "
            ":cost_eur, :basis)",
            [{"interview_id": interview_id, **row} for row in flows],
        )

    def backup(self, target: Path) -> None:
        """A consistent copy of the whole database, even while it is in use."""
        if target.exists():
            raise StoreError(f"{target} exists already; choose a new file name")
        copy = sqlite3.connect(target)
        try:
            with copy:
                self.conn.backup(copy)
        finally:
            copy.close()

    def clear_answer(self, interview_id: int, question_id: str) -> None:
        """Withdraw an answer (kept in the history)."""
        with self._transaction():
            self.conn.execute(
                "INSERT INTO answers (interview_id, question_id, value, note, unknown, "
                "cleared, created) VALUES (?, ?, 'null', NULL, 0, 1, ?)",
                (interview_id, question_id, now()),
            )

    def answers(self, interview_id: int) -> dict[str, Answer]:
        """The current answer per question: its newest row, unless cleared."""
        rows = self.conn.execute(
            "SELECT question_id, value, note, unknown, cleared FROM answers a "
            "WHERE interview_id = ? AND id = (SELECT MAX(id) FROM answers b "
            "WHERE b.interview_id = a.interview_id AND b.question_id = a.question_id)",
            (interview_id,),
        ).fetchall()
        return {
            qid: Answer(json.loads(value), note, bool(unknown))
            for qid, value, note, unknown, cleared in rows
            if not cleared
        }

    def history(self, interview_id: int, question_id: str) -> list[Answer]:
        rows = self.conn.execute(
            "SELECT value, note, unknown FROM answers WHERE interview_id = ? AND "
            "question_id = ? AND cleared = 0 ORDER BY id",
            (interview_id, question_id),
        ).fetchall()
        return [Answer(json.loads(v), n, bool(u)) for v, n, u in rows]


def _enter_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL mode, waiting while another process holds it.

    Changing the journal mode needs the file to itself, and SQLite answers
    "database is locked" at once, without its busy handler, when another
    process is creating or switching the same new file. So the switch is
    tried again for as long as the busy timeout allows.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, so writers queue on the busy timeout.

    Inside an open transaction it does nothing, so that several writes (an
    import: a new interview and all its rows) commit or roll back as one.
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.outer = False

    def __enter__(self) -> None:
        if self.conn.in_transaction:
            return
        self.outer = True
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: Any,
    ) -> None:
        if not self.outer:
            return
        if kind is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
