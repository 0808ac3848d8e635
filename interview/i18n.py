"""Strings in Dutch and English, from the catalogue beside the report templates."""

from __future__ import annotations

from functools import lru_cache

import yaml

from .resources import reports_dir

LANGUAGES = ("nl", "en")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every string of the interface and the report, by key and language."""
    path = reports_dir() / "strings.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def t(key: str, language: str = "nl", **values: object) -> str:
    """The string `key` in `language`, with `values` filled in."""
    entry = catalogue()[key]
    text = entry.get(language) or entry["nl"]
    return text.format(**values) if values else text


def kind_label(kind: str, language: str = "nl") -> str:
    return t(f"kind.{kind}", language)
