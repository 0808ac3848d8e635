"""Advice derived from the numbers: hotspots, low rungs, quick wins, gaps in the data.

Each item carries the figure that triggered it and is ranked by the mass it
involves (the cost decides between equal masses), so the report can list the
largest opportunities first.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .analysis import Cause, is_packaging, is_water
from .balance import Balance
from .dataset import INPUT_KINDS, Dataset
from .i18n import t
from .numbers import format_number

# Rungs of the Ladder van Lansink with room to move up: energy recovery and below.
LOW_RUNGS = ("energy_recovery", "incineration", "landfill")
MAX_ITEMS = 12
ZERO = Decimal(0)


@dataclass(frozen=True)
class AdviceItem:
    """One piece of advice, with the mass (and cost) that makes it matter."""

    code: str
    text: str
    kg: Decimal
    eur: Decimal = ZERO
    flow: str | None = None


def cause_text(cause: Cause, language: str) -> str:
    """A likely cause of the gap, as a sentence in `language`."""
    details = dict(cause.details)
    if "waste" in details:
        details["waste"] = t(f"sector_waste.{details['waste']}", language)
    return t(f"cause.{cause.code}", language, **details)


def advice_items(dataset: Dataset, balance: Balance, language: str) -> list[AdviceItem]:
    """Advice from the figures, the largest mass first."""
    inputs = balance.inputs_kg
    items: list[AdviceItem] = []

    def number(value: Decimal, digits: int = 2) -> str:
        return format_number(value, language, digits)

    def share(kg: Decimal) -> str:
        return number(kg / inputs * 100, 1) if inputs else "-"

    def add(
        code: str,
        kg: Decimal,
        flow: str | None = None,
        eur: Decimal = ZERO,
        **values: str,
    ) -> None:
        text = t(
            f"advice.{code}",
            language,
            kg=number(kg),
            pct=share(kg),
            flow=flow or "",
            eur=number(eur, 0),
            **values,
        )
        items.append(AdviceItem(code, text, kg, eur, flow))

    for stream in balance.lansink.get("streams", ()):
        if stream["rung"] in LOW_RUNGS:
            add(
                "low_rung",
                stream["kg"],
                stream["flow"],
                treatment=t(f"treatment.{stream['treatment']}", language),
            )
        elif stream["treatment"] in (None, "unknown"):
            add("unknown_treatment", stream["kg"], stream["flow"])

    packaging = ZERO
    water = ZERO
    for flow in dataset.flows:
        kg, f = flow.kg, flow.flow
        if not kg:
            continue
        if f.kind in ("composite_material", "semi_finished") and not (
            f.composition or f.part or f.material
        ):
            add("no_composition", kg, f.name)
        if f.kind in INPUT_KINDS and is_packaging(flow):
            packaging += kg
        # Process water (mains, a well) is an auxiliary; water bought or
        # used as an ingredient is a raw material and goes into the product.
        if f.kind == "auxiliary" and is_water(flow):
            water += kg
        if f.kind == "auxiliary" and f.hazardous:
            add("hazardous", kg, f.name)
    if packaging:
        add("packaging", packaging)
    if water:
        add("water", water)

    residual = [
        f
        for f in dataset.flows
        if f.kg and f.flow.kind not in INPUT_KINDS and f.flow.kind != "product"
    ]
    if residual:
        largest = max(residual, key=lambda f: f.kg or ZERO)
        add("largest_residual", largest.kg or ZERO, largest.flow.name)
    costly = balance.waste_cost.get("streams", [])
    if costly and costly[0]["total_eur"] > 0:
        top = costly[0]
        add("costliest_waste", top["kg"], top["flow"], top["total_eur"])

    if not balance.within_tolerance and balance.causes:
        cause = balance.causes[0]
        add(
            "gap",
            abs(balance.gap_kg),
            cause=cause_text(cause, language),
        )

    items.sort(key=lambda item: (-item.kg, -item.eur))
    return items[:MAX_ITEMS]
