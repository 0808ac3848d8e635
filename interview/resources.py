"""Where the shipped question files and report templates are found."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _data_dir(name: str) -> Path:
    # An installed wheel carries them inside the package; a checkout has them at
    # the top level, beside the package.
    packaged = Path(str(files("interview"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / name


def questions_dir() -> Path:
    """The folder of the shipped question files."""
    return _data_dir("questions")


def reports_dir() -> Path:
    """The folder of the report templates and the string catalogue."""
    return _data_dir("reports")
