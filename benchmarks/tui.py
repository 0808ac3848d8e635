"""Time the terminal interface: an answer's round trip, and the cold start.

Run with `uv run python benchmarks/tui.py`. It prints two figures:

- the median round trip of an answer through the real app under Pilot:
  Enter pressed, the answer checked and saved in SQLite, the transcript and
  balance redrawn, the next question shown and focused (target under 50 ms);
- the cold start of `massabalans` to its first question on the screen,
  against a bare Textual app to its screen, started the same way in the same
  run (target within 1.5x): each child prints the clock once its screen is
  painted, and the time is counted from just before the child was started.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUND_TRIP_TARGET_MS = 50.0
START_TARGET_RATIO = 1.5
STARTS = 7


# The round trip


def _answer_keys(question) -> tuple[str | None, list[str]]:  # type: ignore[no-untyped-def]
    """What to put in the input, and the keys that answer `question`."""
    kind = question.type
    if kind == "text":
        return "Acme BV", ["enter"]
    if kind == "number":
        return "12", ["enter"]
    if kind == "quantity":
        return "3", ["enter"]
    if kind in ("flow_list", "stock_list"):
        return None, ["enter"]  # an empty line ends an empty list
    if kind == "multi_choice":
        return None, ["space", "enter"]
    return None, ["enter"]  # the first choice


async def _round_trips() -> list[float]:
    from textual import events
    from textual.widgets import Input

    from interview.questionnaire import load_questionnaire
    from interview.store import Store
    from interview.tui.app import MassabalansApp

    times: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["MASSABALANS_HOME"] = folder
        app = MassabalansApp(Store(Path(folder) / "bench.db"), load_questionnaire())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            while app.current is not None:
                question = app.current
                text, keys = _answer_keys(question)
                if text is not None:
                    entry = app.query("#entry").first(Input)
                    entry.value = text
                *before, last = keys
                if before:
                    await pilot.press(*before)
                await pilot.pause()
                # Timed without Pilot's waiting (which visits every widget and
                # waits for the CPU to be idle): from the key to the next
                # question's box painted.
                key = events.Key(last, "\r" if last == "enter" else None)
                key.set_sender(app)
                start = time.perf_counter()
                app._driver.send_message(key)
                while app.current is question:
                    await asyncio.sleep(0)
                painted = asyncio.Event()
                app.call_after_refresh(painted.set)
                await painted.wait()
                times.append((time.perf_counter() - start) * 1000)
                await pilot.pause()
    return times


async def _bare_round_trips(count: int) -> list[float]:
    """The same measure on a bare Textual chat: a question and an answer per
    turn, and a fresh input for each question. What this machine does anyway."""
    from textual import events
    from textual.app import App
    from textual.containers import Vertical, VerticalScroll
    from textual.widgets import Footer, Input, Static

    class BareChat(App):
        CSS = "#t { height: 1fr; } .turn { width: auto; margin-top: 1; }"

        def compose(self):  # type: ignore[no-untyped-def]
            yield Static("header")
            yield VerticalScroll(id="t")
            yield Vertical(id="a")
            yield Footer()

        async def on_mount(self) -> None:
            self.asked = 0
            await self.ask()

        async def ask(self) -> None:
            self.asked += 1
            await self.query_one("#t").mount(Static(f"Q {self.asked}?", classes="turn"))
            area = self.query_one("#a")
            await area.remove_children()
            entry = Input()
            await area.mount(entry)
            entry.focus()

        async def on_input_submitted(self, event: Input.Submitted) -> None:
            await self.query_one("#t").mount(Static(event.value, classes="turn"))
            await self.ask()

    times: list[float] = []
    app = BareChat()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(count):
            await pilot.pause()
            app.query_one(Input).value = "Acme BV"
            asked = app.asked
            key = events.Key("enter", "\r")
            key.set_sender(app)
            start = time.perf_counter()
            app._driver.send_message(key)
            while app.asked == asked:
                await asyncio.sleep(0)
            painted = asyncio.Event()
            app.call_after_refresh(painted.set)
            await painted.wait()
            times.append((time.perf_counter() - start) * 1000)
    return times


# The cold start

BARE = """
import sys
import time
from textual.app import App
from textual.widgets import Footer, Input, Static

class Bare(App):
    def compose(self):
        yield Static("Bedrijfsnaam?")
        yield Input(placeholder="Uw antwoord")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.shown)

    def shown(self):
        print(time.time(), flush=True)
        self.exit()

Bare().run(headless=True, size=(80, 24))
"""

# `massabalans` as the command line starts it, told to stop once the first
# question is on the screen. The app is swapped for one that stops when the
# command has done its imports, just before it runs the app.
OURS = """
import sys
import time
from functools import partialmethod
from interview import cli

started = cli._started

def swap_and_start():
    from interview.tui import app as tui

    class FirstQuestion(tui.MassabalansApp):
        async def _ask(self, question, revisit=False):
            await super()._ask(question, revisit)
            self.call_after_refresh(self.shown)

        def shown(self):
            print(time.time(), flush=True)
            self.exit()

    FirstQuestion.run = partialmethod(tui.App.run, headless=True, size=(80, 24))
    tui.MassabalansApp = FirstQuestion
    started()

cli._started = swap_and_start
sys.argv = ["massabalans", "--db", sys.argv[1]]
cli.script()
"""


# What `massabalans` does before Textual has anything to do with it: the
# core's imports, reading the question files and opening the database.
CORE = """
import sys
from interview import cli, session
from interview.questionnaire import load_questionnaire
from interview.store import Store

load_questionnaire()
Store(sys.argv[1]).close()
"""


def _start(code: str, *args: str) -> tuple[float, float]:
    """Seconds to the first screen shown (the child prints the clock then),
    and to the end of the process."""
    # The runs may write Python's bytecode cache, as an installed program has
    # its bytecode compiled (pip does it at install time).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    wall = time.time()
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    ended = time.perf_counter() - start
    lines = run.stdout.split()
    return (float(lines[-1]) - wall if lines else ended), ended


def _cold_starts() -> dict[str, float]:
    """Medians: each app to its first screen and to its end, and the core."""
    runs: dict[str, list[float]] = {
        "bare": [],
        "bare_end": [],
        "ours": [],
        "ours_end": [],
        "core": [],
    }
    with tempfile.TemporaryDirectory() as folder:
        env_home = os.environ.get("MASSABALANS_HOME")
        os.environ["MASSABALANS_HOME"] = folder
        try:
            # Alternate, so that a busy moment of the machine hits both.
            for run in range(STARTS):
                shown, ended = _start(BARE)
                runs["bare"].append(shown)
                runs["bare_end"].append(ended)
                db = Path(folder) / f"start-{run}.db"
                shown, ended = _start(OURS, str(db))
                runs["ours"].append(shown)
                runs["ours_end"].append(ended)
                runs["core"].append(_start(CORE, str(db))[1])
        finally:
            if env_home is None:
                os.environ.pop("MASSABALANS_HOME", None)
            else:
                os.environ["MASSABALANS_HOME"] = env_home
    return {name: statistics.median(times) for name, times in runs.items()}


def main() -> int:
    times = asyncio.run(_round_trips())
    bare_times = asyncio.run(_bare_round_trips(len(times)))
    median = statistics.median(times)
    print(
        f"answer round trip: median {median:.1f} ms over {len(times)} answers "
        f"(90th percentile {sorted(times)[int(len(times) * 0.9)]:.1f} ms; "
        f"target under {ROUND_TRIP_TARGET_MS:.0f} ms); a bare Textual chat "
        f"{statistics.median(bare_times):.1f} ms"
    )
    starts = _cold_starts()
    ratio = starts["ours"] / starts["bare"]
    print(
        f"cold start to the first question shown: {starts['ours']:.2f} s, a bare "
        f"Textual app to its screen {starts['bare']:.2f} s: {ratio:.2f}x (median "
        f"of {STARTS}; target within {START_TARGET_RATIO}x); to the end of the "
        f"process {starts['ours_end']:.2f} s against {starts['bare_end']:.2f} s; "
        f"the core alone, without Textual (its imports, the question files, the "
        f"database): {starts['core']:.2f} s"
    )
    return 0 if median < ROUND_TRIP_TARGET_MS and ratio <= START_TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
