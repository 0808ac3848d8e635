"""The interview in a web browser, through textual-serve.

Each browser tab gets its own copy of the app, started as a subprocess with
the same database, questions and language as the `serve` command was given.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

# Our own page instead of textual-serve's, which loads its font from a CDN.
TEMPLATES = Path(__file__).parent / "web"


def app_command(
    db: Path | None = None, questions: Path | None = None, language: str | None = None
) -> str:
    """The shell command that starts the interview for one browser tab."""
    words = [sys.executable, "-m", "interview.cli"]
    if db is not None:
        words += ["--db", str(Path(db).resolve())]
    if questions is not None:
        words += ["--questions", str(Path(questions).resolve())]
    if language is not None:
        words += ["--lang", language]
    return shlex.join(words)


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    db: Path | None = None,
    questions: Path | None = None,
    language: str | None = None,
) -> None:
    """Serve the interview on http://HOST:PORT until interrupted."""
    from textual_serve.server import Server

    # An IPv6 address goes in brackets in a URL: http://[::1]:8000.
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    server = Server(
        app_command(db, questions, language),
        host=host,
        port=port,
        title="massabalans",
        public_url=f"http://{shown}:{port}",
        templates_path=TEMPLATES,
    )
    server.serve()
