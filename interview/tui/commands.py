"""The interview's actions in the command palette (ctrl+p)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.command import Hit, Hits, Provider

from .strings import tr

# What the command palette offers: (string key of its name, action).
COMMANDS = [
    ("help", "help"),
    ("back", "back"),
    ("review", "review"),
    ("report", "report"),
    ("interviews", "interviews"),
    ("panel", "panel"),
    ("language", "language"),
    ("quit", "stop"),
]


class InterviewCommands(Provider):
    """The interview's actions in the command palette (ctrl+p)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        language = getattr(app, "language", "nl")
        matcher = self.matcher(query)
        for key, action in COMMANDS:
            name = tr(f"key.{key}", language)
            tip = tr(f"tip.{key}", language)
            score = max(matcher.match(name), matcher.match(tip) * 0.5)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    _runner(app, f"{action}('{language}')"),
                    help=tip,
                )

    async def discover(self) -> Hits:
        app = self.app
        language = getattr(app, "language", "nl")
        for key, action in COMMANDS:
            yield Hit(
                1,
                tr(f"key.{key}", language),
                _runner(app, f"{action}('{language}')"),
                help=tr(f"tip.{key}", language),
            )


def _runner(app: App, action: str) -> Any:
    async def run() -> None:
        await app.run_action(action)

    return run
