"""The balance as a plain-text table for the terminal."""

from __future__ import annotations

from .balance import Balance
from .dataset import INPUT_KINDS, OUTPUT_KINDS, Dataset
from .i18n import kind_label, t
from .numbers import format_number


def balance_table(dataset: Dataset, balance: Balance, language: str = "nl") -> str:
    """Inputs, outputs, gap and the flows that could not be counted."""

    def kg(value) -> str:
        return format_number(value, language) + " kg"

    data = dataset.data
    rows: list[tuple[str, str]] = [(t("inputs", language), "")]
    rows += [
        ("  " + kind_label(k, language), kg(balance.by_kind_kg[k]))
        for k in INPUT_KINDS
        if balance.by_kind_kg[k]
    ]
    rows.append((t("total_inputs", language), kg(balance.inputs_kg)))
    rows.append((t("outputs", language), ""))
    rows += [
        ("  " + kind_label(k, language), kg(balance.by_kind_kg[k]))
        for k in OUTPUT_KINDS
        if balance.by_kind_kg[k]
    ]
    rows.append((t("total_outputs", language), kg(balance.outputs_kg)))
    rows.append((t("difference", language), kg(balance.difference_kg)))
    if balance.stock_change_kg:
        rows.append((t("stock_change", language), kg(balance.stock_change_kg)))
        rows.append((t("gap", language), kg(balance.gap_kg)))
    closure = balance.closure_pct
    rows.append(
        (
            t("closure", language),
            "-" if closure is None else format_number(closure, language, 1) + " %",
        )
    )
    width = max(len(label) for label, _ in rows)
    values = max(len(value) for _, value in rows)
    lines = [f"{data.company.name} - {data.period}", ""]
    lines += [f"{label.ljust(width)}  {value.rjust(values)}" for label, value in rows]
    verdict = "within_tolerance" if balance.within_tolerance else "outside_tolerance"
    lines += [
        "",
        t(verdict, language, pct=format_number(balance.tolerance_pct, language)),
    ]
    for item in balance.unconverted:
        lines.append(t("unconverted_line", language, **item))
    for item in balance.unknown:
        lines.append(t("unknown_line", language, **item))
    return "\n".join(lines) + "\n"
