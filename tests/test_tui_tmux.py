"""The real app in a real terminal: scripts/tmux_interview.sh, when tmux is here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "scripts" / "tmux_interview.sh"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_a_short_interview_in_tmux_shows_what_was_typed_and_is_stored():
    env = dict(os.environ, MASSABALANS_CMD=f"{sys.executable} -m interview.cli")
    result = subprocess.run(
        ["bash", str(SCRIPT)],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok: Samenvatting . Inkoop" in result.stdout
    assert "tmux interview passed" in result.stdout
