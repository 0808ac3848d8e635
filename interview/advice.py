"""Advice derived from the numbers: the largest streams and the low rungs."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .balance import Balance
from .dataset import Dataset
from .i18n import t
from .numbers import format_number

# Treatments low on the waste hierarchy (Ladder van Lansink).
LOW_RUNGS = ("incineration", "landfill")
MAX_ITEMS = 8


@dataclass(frozen=True)
class AdviceItem:
    """One piece of advice, with the mass that makes it matter."""

    code: str
    text: str
    kg: Decimal


def advice_items(dataset: Dataset, balance: Balance, language: str) -> list[AdviceItem]:
    """Advice from the figures, the largest mass first."""
    items: list[AdviceItem] = []
    inputs = balance.inputs_kg

    def share(kg: Decimal) -> str:
        return format_number(kg / inputs * 100, language, 1) if inputs else "-"

    for flow in dataset.flows:
        kg, f = flow.kg, flow.flow
        if kg is None or kg == 0:
            continue
        values = {"flow": f.name, "kg": format_number(kg, language), "pct": share(kg)}
        if f.kind == "waste" and f.treatment in LOW_RUNGS:
            items.append(
                AdviceItem(
                    "low_rung",
                    t(
                        "advice.low_rung",
                        language,
                        treatment=t(f"treatment.{f.treatment}", language),
                        **values,
                    ),
                    kg,
                )
            )
        elif f.kind == "waste" and f.treatment in (None, "unknown"):
            items.append(
                AdviceItem(
                    "unknown_treatment",
                    t("advice.unknown_treatment", language, **values),
                    kg,
                )
            )
        elif f.kind in ("composite_material", "semi_finished") and not f.composition:
            items.append(
                AdviceItem(
                    "no_composition", t("advice.no_composition", language, **values), kg
                )
            )
    waste = [f for f in dataset.flows if f.kg and f.flow.kind == "waste"]
    if waste:
        largest = max(waste, key=lambda f: f.kg or 0)
        kg = largest.kg or Decimal(0)
        items.append(
            AdviceItem(
                "largest_waste",
                t(
                    "advice.largest_waste",
                    language,
                    flow=largest.flow.name,
                    kg=format_number(kg, language),
                    pct=share(kg),
                ),
                kg,
            )
        )
    if not balance.within_tolerance and balance.gap_kg > 0:
        items.append(
            AdviceItem(
                "gap",
                t("advice.gap", language, kg=format_number(balance.gap_kg, language)),
                balance.gap_kg,
            )
        )
    items.sort(key=lambda item: -item.kg)
    return items[:MAX_ITEMS]
