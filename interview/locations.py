"""One place for paths: the data directory and the default database."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_HOME = "MASSABALANS_HOME"


def data_dir() -> Path:
    """The data directory, created if needed; MASSABALANS_HOME moves it."""
    override = os.environ.get(ENV_HOME)
    path = (
        Path(override) if override else Path(platformdirs.user_data_dir("massabalans"))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db() -> Path:
    """The database file used when no --db is given."""
    return data_dir() / "massabalans.db"


def reports_dir() -> Path:
    """Where reports are written when the interview ends."""
    path = data_dir() / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path
