"""Key bindings whose footer text follows the interview's language."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from .strings import LANGUAGES, tr


@dataclass(frozen=True)
class Key:
    """One key: its keys, action, and the string keys of its label and tooltip."""

    keys: str
    action: str
    label: str
    show: bool = True
    priority: bool = False


def language_bindings(keys: list[Key]) -> list[Binding]:
    """Each key once per language, with the language as the action's argument.

    A binding's description is fixed when its class is made, so a footer that
    follows the language needs both sets; the owner's `check_action` keeps the
    set of the current language (see `for_language`).
    """
    bindings = []
    for language in LANGUAGES:
        for key in keys:
            bindings.append(
                Binding(
                    key.keys,
                    f"{key.action}('{language}')",
                    tr(f"key.{key.label}", language),
                    show=key.show,
                    priority=key.priority,
                    tooltip=tr(f"tip.{key.label}", language),
                    id=f"{key.label}-{language}",
                )
            )
    return bindings


def for_language(parameters: tuple[object, ...], language: str) -> bool | None:
    """False for a binding of the other language; None when not one of ours."""
    if parameters and parameters[0] in LANGUAGES:
        return parameters[0] == language
    return None


class KeysFooter(Footer):
    """A footer that is composed again only when the keys it shows change.

    Textual's footer recomposes on every change of focus; in the interview
    focus moves at every answer, while the keys shown mostly stay the same.
    """

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = tuple(
            (binding.key, binding.description, enabled)
            for _, binding, enabled, _ in screen.active_bindings.values()
            if binding.show
        )
        if shown == self._shown:
            return
        self._shown = shown
        super().bindings_changed(screen)
