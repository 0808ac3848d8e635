"""Strings in Dutch and English, from the catalogue beside the report templates."""

from __future__ import annotations

from functools import lru_cache

import yaml

from .resources import reports_dir

LANGUAGES = ("nl", "en")


CATALOGUES = ("strings.yaml", "errors.yaml")


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every string of the interface, the report and the errors, by key and language."""
    merged: dict[str, dict[str, str]] = {}
    for name in CATALOGUES:
        path = reports_dir() / name
        # Our own files: libyaml's loader where PyYAML has it, as it is fast.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        merged.update(yaml.load(path.read_text(encoding="utf-8"), Loader=loader))  # noqa: S506
    return merged


def t(key: str, language: str = "nl", **values: object) -> str:
    """The string `key` in `language`, with `values` filled in."""
    entry = catalogue()[key]
    text = entry.get(language) or entry["nl"]
    return text.format(**values) if values else text


class Explained(ValueError):
    """An error whose message exists in every language: `text(language)`.

    `str()` of it is the English message, for logs and the command line.
    Values that are themselves Explained errors are rendered in the same
    language.
    """

    def __init__(self, key: str, **values: object):
        self.key = key
        self.values = values
        super().__init__(self.text("en"))

    def text(self, language: str) -> str:
        values = {
            name: value.text(language) if isinstance(value, Explained) else value
            for name, value in self.values.items()
        }
        values.setdefault("accepted", t("error.accepted", language))
        return t(f"error.{self.key}", language, **values)


def explain(error: BaseException, language: str) -> str:
    """An exception's message in `language` where it has one, else its text."""
    return error.text(language) if isinstance(error, Explained) else str(error)


def kind_label(kind: str, language: str = "nl") -> str:
    return t(f"kind.{kind}", language)
