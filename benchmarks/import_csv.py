"""Time the import of a 10 000-row CSV from Dutch Excel: reading and storing.

Run with `uv run python benchmarks/import_csv.py`; the target is under 3 s.
The parts are timed in-process with the cyclic garbage collector off, as the
`massabalans` command runs them; the whole `massabalans import` command
(interpreter start and imports included) is timed beside them.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 10_000
TARGET_S = 3.0


def write_csv(path: Path, rows: int) -> None:
    random.seed(1)
    kinds = ["grondstof", "hulpstof", "afval", "product"]
    lines = ["Artikelnummer;Omschrijving;Hoeveelheid;Eenheid;Leverancier;Kosten;Soort"]
    for i in range(rows):
        kg = random.randint(1, 999_999) / 10
        amount = f"{kg:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")
        cost = f"{kg * 1.7:.2f}".replace(".", ",")
        lines.append(
            f"{i:06d};artikel {i};{amount};kg;Leverancier {i % 37}, BV;{cost};"
            f"{kinds[i % len(kinds)]}"
        )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def main() -> int:
    from interview.gcpause import gc_paused
    from interview.importer import read_preview, store_preview
    from interview.questionnaire import load_questionnaire
    from interview.session import Session
    from interview.store import Store

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "inkoop.csv"
        write_csv(path, ROWS)
        questionnaire = load_questionnaire()

        with gc_paused():
            start = time.perf_counter()
            preview = read_preview(path, questionnaire)
            parsed = time.perf_counter()
            store = Store(Path(folder) / "bench.db")
            with store._transaction():
                session = Session.start(store, questionnaire)
                store_preview(session, preview)
            done = time.perf_counter()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["MASSABALANS_HOME"] = folder
        command = [sys.executable, "-m", "interview.cli", "import", str(path)]
        command += ["--db", str(Path(folder) / "command.db"), "--new", "--yes"]
        began = time.perf_counter()
        subprocess.run(command, check=True, env=env, capture_output=True)
        whole = time.perf_counter() - began

        assert len(preview.rows) == ROWS, preview.problems[:3]
        total = done - start
        print(
            f"import of {ROWS} CSV rows: {total:.2f} s "
            f"(parse and check {parsed - start:.2f} s, store {done - parsed:.2f} s; "
            f"target under {TARGET_S:.0f} s); the whole command {whole:.2f} s"
        )
        return 0 if total < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
