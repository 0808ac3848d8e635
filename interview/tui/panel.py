"""The balance beside the conversation: in, out, the gap and what is missing."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..balance import Balance
from .parsing import kg_text, shown
from .strings import tr


class BalancePanel(Static):
    """Redrawn after every saved answer, from the session's balance."""

    _shown: tuple[object, ...] | None = None

    def show_balance(self, balance: Balance | None, language: str) -> None:
        figures = (
            None
            if balance is None
            else (
                balance.inputs_kg,
                balance.outputs_kg,
                balance.gap_kg,
                len(balance.unconverted),
                len(balance.unknown),
            )
        )
        if (figures, language) == self._shown:
            return  # redrawing the same figures would lay out the screen again
        self._shown = (figures, language)
        self.border_title = tr("panel.title", language)
        self.border_subtitle = tr("panel.hint", language)
        if balance is None or not (
            balance.inputs_kg
            or balance.outputs_kg
            or balance.unconverted
            or balance.unknown
        ):
            self.update(Text(tr("panel.empty", language), style="dim"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column()
        table.add_column(justify="right")
        table.add_row(tr("panel.in", language), kg_text(balance.inputs_kg, language))
        table.add_row(tr("panel.out", language), kg_text(balance.outputs_kg, language))
        closes = balance.within_tolerance
        table.add_row(
            tr("panel.gap", language),
            Text(
                kg_text(balance.gap_kg, language),
                style="bold green" if closes else "bold yellow",
            ),
        )
        if balance.gap_pct is not None:
            table.add_row("", f"{shown(balance.gap_pct, language, digits=1)} %")
        table.add_row(tr("panel.unconverted", language), str(len(balance.unconverted)))
        table.add_row(tr("panel.unknown", language), str(len(balance.unknown)))
        self.update(table)
