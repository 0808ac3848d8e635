"""Contracts of the code base: the core never imports the terminal UI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "interview"


def test_importing_every_core_module_does_not_import_textual():
    modules = sorted(
        f"interview.{p.stem}" for p in PACKAGE.glob("*.py") if p.stem != "__main__"
    )
    assert "interview.balance" in modules and "interview.cli" in modules
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print('textual' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "False"


def test_only_the_tui_package_mentions_textual_in_an_import():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import textual", "from textual")):
                offenders.append(f"{path}: {stripped}")
    assert offenders == []


def test_the_ci_script_runs_the_readme_test_command_and_the_static_checks():
    root = PACKAGE.parent
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "uv run pytest" in readme
    for step in (
        "uv run pytest",
        "ruff check",
        "ruff format --check",
        "uv run mypy",
        "uv build",
    ):
        assert step in ci, step
