"""Shared fixtures: the shipped cases and a data directory of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def _own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data directory at a temporary folder: never the user's data."""
    home = tmp_path / "home"
    monkeypatch.setenv("MASSABALANS_HOME", str(home))
    return home
