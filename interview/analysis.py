"""What the balance means: passport, water, gap causes, indicators, cost of waste.

Every figure here is derived from the dataset and its balance totals; the
formulas are in the docstrings and in docs/balance.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .dataset import INPUT_KINDS, Dataset, ResolvedFlow
from .numbers import parse_data_value
from .units import COUNT, WATER_NAMES

if TYPE_CHECKING:
    from .balance import Balance


ZERO = Decimal(0)
RESIDUAL_KINDS = ("by_product", "waste", "wastewater", "emission")
CIRCULAR_TREATMENTS = ("reuse", "recycling", "composting", "digestion")
CIRCULAR_ORIGINS = ("recycled", "renewable", "reused")

# The Dutch waste hierarchy (Ladder van Lansink), best first.
RUNGS = (
    "prevention",
    "product_reuse",
    "material_reuse",
    "energy_recovery",
    "incineration",
    "landfill",
)
RUNG_OF_TREATMENT = {
    "reuse": "product_reuse",
    "recycling": "material_reuse",
    "composting": "material_reuse",
    "digestion": "material_reuse",
    "energy_recovery": "energy_recovery",
    "incineration": "incineration",
    "landfill": "landfill",
}

# Material Circularity Indicator defaults, stated in the report.
MCI_UTILITY = Decimal(1)
MCI_RECYCLING_EFFICIENCY = Decimal(1)  # of collection (Ec) and of feedstock (Ef)

# Words that mark packaging in names and materials: stems found inside compound
# words ("verpakkingsfolie"), and short words matched whole.
PACKAGING_STEMS = (
    "verpakking",
    "karton",
    "folie",
    "pallet",
    "emballage",
    "packaging",
    "cardboard",
    "carton",
    "crate",
    "kratten",
)
PACKAGING_WORDS = (
    "doos",
    "dozen",
    "krat",
    "zak",
    "zakken",
    "box",
    "boxes",
    "film",
    "wrap",
    "bag",
    "bags",
)
# Waste a sector usually has: (label, words that mark it in names or materials).
SECTOR_WASTE = {
    "food": (
        "organic",
        (
            "organisch",
            "gft",
            "swill",
            "voedselresten",
            "schillen",
            "organic",
            "food waste",
            "peels",
            "biologisch",
            "brood",
            "broodresten",
            "restbrood",
            "deeg",
            "deegresten",
            "bostel",
            "etensresten",
            "bread",
            "dough",
        ),
    ),
    "wood": (
        "wood",
        (
            "hout",
            "zaagsel",
            "spaanders",
            "krullen",
            "wood",
            "sawdust",
            "shavings",
            "chips",
        ),
    ),
    "metal": (
        "metal",
        (
            "metaal",
            "staal",
            "ijzer",
            "aluminium",
            "spanen",
            "metal",
            "steel",
            "iron",
            "swarf",
            "scrap",
            "schroot",
        ),
    ),
    "plastics": (
        "plastic",
        ("kunststof", "plastic", "regranulaat", "pe", "pp", "pvc", "polymer"),
    ),
    "printing": (
        "paper",
        ("papier", "karton", "snijafval", "paper", "board", "trimmings"),
    ),
    "textile": (
        "textile",
        (
            "textiel",
            "stof",
            "snijresten",
            "textile",
            "fabric",
            "offcuts",
            "garen",
            "yarn",
        ),
    ),
    "construction": (
        "rubble",
        (
            "puin",
            "steen",
            "beton",
            "rubble",
            "concrete",
            "bouwafval",
            "construction waste",
        ),
    ),
    "chemicals": (
        "chemical",
        ("chemisch", "oplosmiddel", "solvent", "chemical", "residu", "residue"),
    ),
}


# The shipped interview's list for each sector's usual waste: a stream
# entered there is that waste, whatever its name ("broodresten" in the list
# of organic waste). Other question files are recognised by the words above.
SECTOR_WASTE_LISTS = {
    "food": "organic_waste",
    "wood": "wood_waste",
    "metal": "metal_waste",
    "plastics": "plastic_waste",
    "printing": "paper_waste",
    "chemicals": "chemical_waste",
}


def is_water(flow: ResolvedFlow) -> bool:
    """Whether a flow is water: wastewater, or water by its name or material."""
    return bool(flow.water)


def _token_pattern(words: tuple[str, ...], stems: tuple[str, ...] = ()) -> re.Pattern:
    """Whole words (a phrase's words apart by anything but letters) or stems."""
    whole = "|".join(r"\W+".join(map(re.escape, w.split())) for w in words)
    inside = "|".join(map(re.escape, stems))
    return re.compile("|".join(filter(None, [inside, rf"(?<!\w)(?:{whole})(?!\w)"])))


# Stems match inside words, the short words only whole.
_PACKAGING = _token_pattern(PACKAGING_WORDS, PACKAGING_STEMS)
_SECTOR_WASTE = {
    sector: _token_pattern(words) for sector, (_, words) in SECTOR_WASTE.items()
}


def is_packaging(flow: ResolvedFlow) -> bool:
    # By its name and material only: a replayed data file may have put another
    # auxiliary in the packaging list.
    model = flow.flow
    text = f"{model.name} {model.material or ''}".casefold()
    return _PACKAGING.search(text) is not None


def _pct(part: Decimal, whole: Decimal) -> Decimal | None:
    return part / whole * 100 if whole else None


@dataclass
class Cause:
    """A likely reason for the gap, with the mass it could explain (if known)."""

    code: str
    kg: Decimal | None
    details: dict[str, Any] = field(default_factory=dict)


def product_units(products: list[ResolvedFlow]) -> Decimal:
    """Units of product made: `units` where given, else a count in pieces.

    Zero (no figure per unit) unless every product is counted: 45 000 loaves
    and 3,5 t of pastry are not 45 000 units of the whole 48,5 t.
    """
    total = ZERO
    for flow in products:
        if flow.flow.units is not None:
            total += parse_data_value(flow.flow.units)
        elif flow.unit is not None and flow.unit.dimension == COUNT and flow.amount:
            total += flow.amount * flow.unit.factor
        else:
            return ZERO
    return total


def water_balance(dataset: Dataset) -> dict[str, Any]:
    """Water in (mains, well, in raw materials) and out; evaporation the rest.

    In: water flows among the inputs, and the water share of inputs whose
    composition names water. Out: wastewater, water in the product and in
    other outputs (steam as an emission). Evaporation = in - out; a negative
    remainder means more water leaves than comes in.
    """
    sources: list[dict[str, Any]] = []
    water_in = ZERO
    out = {"wastewater": ZERO, "product": ZERO, "other": ZERO}
    for flow in dataset.flows:
        kg = flow.kg
        if kg is None:
            continue
        if flow.water or (flow.flow.kind not in INPUT_KINDS and _is_vapour(flow.flow)):
            water_kg = kg
        elif flow.material_kg or flow.composition:
            water_kg = _water_share(flow, kg)
        else:
            continue
        if not water_kg:
            continue
        if flow.flow.kind in INPUT_KINDS:
            water_in += water_kg
            sources.append({"flow": flow.flow.name, "kg": water_kg})
        elif flow.flow.kind == "wastewater":
            out["wastewater"] += kg
        elif flow.flow.kind == "product":
            out["product"] += water_kg
        else:
            out["other"] += water_kg
    water_out = sum(out.values(), ZERO)
    return {
        "in_kg": water_in,
        "sources": sources,
        "out_wastewater_kg": out["wastewater"],
        "out_product_kg": out["product"],
        "out_other_kg": out["other"],
        "out_kg": water_out,
        "evaporation_kg": water_in - water_out,
    }


# Water that leaves as vapour. Kept apart from the water names of the units:
# those also give a volume 1 kg/l, which steam in m3 is far from.
VAPOUR_NAMES = frozenset(
    {"waterdamp", "stoom", "damp", "steam", "water vapour", "water vapor", "vapour"}
)


def _is_vapour(flow: Any) -> bool:
    return any(
        text is not None and " ".join(text.casefold().split()) in VAPOUR_NAMES
        for text in (flow.name, flow.material)
    )


def _water_share(flow: ResolvedFlow, kg: Decimal) -> Decimal:
    if not flow.material_kg and not flow.composition:
        return ZERO
    parts = flow.material_kg or [
        (material, kg * share) for material, share in flow.composition or ()
    ]
    return sum(
        (part for material, part in parts if material.casefold() in WATER_NAMES), ZERO
    )


def gap_causes(
    dataset: Dataset, balance: Balance, water: dict[str, Any]
) -> list[Cause]:
    """The likely causes of the gap, the largest explainable mass first."""
    causes: list[Cause] = []
    gap = balance.gap_kg
    if gap > 0 and water["in_kg"] > 0:
        unaccounted_water = water["in_kg"] - water["out_kg"]
        if unaccounted_water > 0:
            causes.append(
                Cause(
                    "water_evaporation",
                    min(gap, unaccounted_water),
                    {"water_in_kg": water["in_kg"], "water_out_kg": water["out_kg"]},
                )
            )
    if gap < 0:
        causes.append(Cause("outputs_exceed_inputs", -gap, {}))
        if balance.stock_change_kg == 0 and not dataset.stock:
            causes.append(Cause("stock_decrease", None, {}))
    packaging_in = sum(
        (f.kg or ZERO for f in dataset.inputs if is_packaging(f)),
        ZERO,
    )
    packaging_out = packaging_in and any(is_packaging(f) for f in dataset.residuals)
    if packaging_in and not packaging_out:
        causes.append(
            Cause(
                "packaging_not_out",
                min(packaging_in, abs(gap)) if gap > 0 else None,
                {"packaging_in_kg": packaging_in},
            )
        )
    sector = dataset.data.company.sector
    if sector in SECTOR_WASTE:
        label = SECTOR_WASTE[sector][0]
        pattern = _SECTOR_WASTE[sector]
        listed = SECTOR_WASTE_LISTS.get(sector)
        if not any(
            f.flow.question == listed and listed is not None for f in dataset.residuals
        ) and not any(
            pattern.search(text.casefold())
            for f in dataset.residuals
            for text in (f.flow.name, f.flow.material)
            if text
        ):
            causes.append(
                Cause("sector_waste_missing", None, {"waste": label, "sector": sector})
            )
    if balance.unknown:
        causes.append(
            Cause("unknown_quantities", None, {"count": len(balance.unknown)})
        )
    if balance.unconverted:
        causes.append(
            Cause("unconverted_flows", None, {"count": len(balance.unconverted)})
        )
    # Quantified causes first, the largest first; the rest keep their order.
    return sorted(causes, key=lambda c: (c.kg is None, -(c.kg or ZERO)))


def _auxiliary_only(dataset: Dataset) -> set[str]:
    """Materials that come in only as auxiliary materials."""
    auxiliary: set[str] = set()
    other: set[str] = set()
    for flow in dataset.inputs:
        for material, _ in flow.by_material() or ():
            (auxiliary if flow.flow.kind == "auxiliary" else other).add(material)
    return auxiliary - other


def passport(dataset: Dataset, balance: Balance) -> dict[str, Any]:
    """The product's composition by material, stated or estimated.

    Stated: the materials of the product flows (their material, composition or
    part). Estimated: each material's in minus what left other than as
    product. Where both exist they are compared, and a difference above the
    tolerance (of the product's mass) is flagged.
    """
    products = dataset.products
    product_kg = sum((f.kg or ZERO for f in products), ZERO)
    units = product_units(products)
    stated = {
        name: line.out_kg["product"]
        for name, line in balance.materials.items()
        if "product" in line.out_kg
    }
    rows = []
    limit = product_kg * balance.tolerance_pct / 100
    # The estimated materials share what the stated ones leave of the
    # product's mass (all of it when none is stated), scaled down to fit when
    # their estimate (in minus out per material, any gap included) is larger:
    # the passport never holds more than the product.
    # Auxiliary materials (water, gases, chemicals, packaging) serve the process
    # or wrap the product; they are not estimated to be in it.
    auxiliary = _auxiliary_only(dataset)
    estimates = {
        name: line.product_kg
        for name, line in balance.materials.items()
        if name not in stated and name not in auxiliary and line.product_kg > 0
    }
    estimated_total = sum(estimates.values(), ZERO)
    scale = Decimal(1)
    unstated_kg = max(ZERO, product_kg - sum(stated.values(), ZERO))
    if estimated_total > unstated_kg:
        scale = unstated_kg / estimated_total
    for name, line in balance.materials.items():
        estimated = line.product_kg
        if name not in stated and name not in estimates:
            continue
        row: dict[str, Any] = {"material": name, "estimated_kg": estimated}
        if name in stated:
            row["stated_kg"] = stated[name]
            row["differs"] = abs(stated[name] - estimated) > limit
            chosen = stated[name]
        else:
            chosen = estimated * scale
            if not chosen:
                continue
        row["kg"] = chosen
        row["source"] = "stated" if name in stated else "estimated"
        row["per_unit_kg"] = chosen / units if units else None
        rows.append(row)
    rows.sort(key=lambda r: -r["kg"])
    return {
        "product_kg": product_kg,
        "units": units or None,
        "materials": rows,
        "use_phase": [f.flow.use_phase for f in products if f.flow.use_phase],
        "end_of_life": [f.flow.end_of_life for f in products if f.flow.end_of_life],
    }


_RUNG_NUMBER: dict[str | None, int] = {
    rung: number for number, rung in enumerate(RUNGS, 1)
}


def lansink(dataset: Dataset) -> dict[str, Any]:
    """Each residual stream's rung, and the share of residual mass per rung."""
    streams: list[dict[str, Any]] = []
    per_rung: dict[str, Decimal] = defaultdict(lambda: ZERO)
    total = ZERO
    for flow in dataset.residuals:
        if flow.kg is None or flow.flow.kind == "emission":
            continue
        rung = RUNG_OF_TREATMENT.get(flow.flow.treatment or "")
        if (
            rung is None
            and flow.flow.kind == "by_product"
            and (flow.flow.treatment in (None, "unknown"))
        ):
            # A by-product goes to another user as a material: material reuse,
            # as the circular outflow counts it, unless its treatment says else.
            rung = "material_reuse"
        streams.append(
            {
                "flow": flow.flow.name,
                "index": flow.index,
                "kg": flow.kg,
                "treatment": flow.flow.treatment,
                "rung": rung,
                "rung_number": _RUNG_NUMBER.get(rung),
                "processor": flow.flow.processor,
            }
        )
        per_rung[rung or "none"] += flow.kg
        total += flow.kg
    shares = {rung: _pct(kg, total) for rung, kg in per_rung.items()}
    # Worst first: the streams with the most room to move up the ladder (no
    # rung counts as 7), the largest first within a rung.
    by_rung: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for stream in streams:
        by_rung[stream["rung_number"] or 7].append(stream)
    ranked: list[dict[str, Any]] = []
    for number in sorted(by_rung, reverse=True):
        group = by_rung[number]
        group.sort(key=itemgetter("kg"), reverse=True)  # stable, as ascending is
        ranked += group
    return {"streams": ranked, "kg_per_rung": dict(per_rung), "share_pct": shares}


def indicators(dataset: Dataset, balance: Balance) -> dict[str, Any]:
    """Material efficiency, waste intensity, circular inflow and outflow, MCI.

    - material_efficiency_pct = product kg / input kg × 100
    - waste_intensity_kg_per_unit = (waste + wastewater) kg / product units
    - waste_per_product_kg = (waste + wastewater) kg / product kg
    - circular_inflow_pct = inputs of origin recycled, renewable or reused /
      inputs × 100 (origin not given counts as not circular)
    - circular_outflow_pct = residual streams treated by reuse, recycling,
      composting or digestion, plus by-products without another treatment /
      residual streams × 100 (residual: every output but the product)
    """
    inputs = balance.inputs_kg
    product = balance.by_kind_kg["product"]
    waste = balance.by_kind_kg["waste"] + balance.by_kind_kg["wastewater"]
    units = product_units(dataset.products)
    residual = sum((balance.by_kind_kg[k] for k in RESIDUAL_KINDS), ZERO)
    circular_in = unknown_origin = circular_out = ZERO
    for f in dataset.inputs:
        if f.kg is None:
            continue
        origin = f.flow.origin
        if origin in CIRCULAR_ORIGINS:
            circular_in += f.kg
        elif origin in (None, "unknown"):
            unknown_origin += f.kg
    for f in dataset.residuals:
        if f.kg is None:
            continue
        treatment = f.flow.treatment
        if treatment in CIRCULAR_TREATMENTS or (
            f.flow.kind == "by_product" and treatment in (None, "unknown")
        ):
            circular_out += f.kg
    return {
        "material_efficiency_pct": _pct(product, inputs),
        "waste_intensity_kg_per_unit": waste / units if units else None,
        "waste_per_product_kg": waste / product if product else None,
        "circular_inflow_pct": _pct(circular_in, inputs),
        "unknown_origin_pct": _pct(unknown_origin, inputs),
        "circular_outflow_pct": _pct(circular_out, residual),
        "mci": mci(dataset, balance),
    }


def mci(dataset: Dataset, balance: Balance) -> dict[str, Any]:
    """The Ellen MacArthur Foundation's Material Circularity Indicator (product level).

    M product mass; Fr, Fu recycled and reused shares of the inputs; Cr, Cu
    shares collected at end of life for recycling and reuse (the product
    flows' eol_recycling_pct and eol_reuse_pct, weighted by mass); Ec, Ef
    recycling efficiencies (default 1); utility X (default 1).
    V = M(1 - Fr - Fu); W0 = M(1 - Cr - Cu); Wc = M(1 - Ec)Cr;
    Wf = M(1 - Ef)Fr/Ef; W = W0 + (Wf + Wc)/2;
    LFI = (V + W) / (2M + (Wf - Wc)/2); MCI = max(0, 1 - LFI × 0.9/X).
    """
    products = [f for f in dataset.products if f.kg]
    mass = sum((f.kg or ZERO for f in products), ZERO)
    defaults = {
        "utility": MCI_UTILITY,
        "recycling_efficiency": MCI_RECYCLING_EFFICIENCY,
    }
    if not mass or not balance.inputs_kg:
        return {"value": None, "reason": "no_product_mass", "defaults": defaults}
    if any(
        f.flow.eol_recycling_pct is None and f.flow.eol_reuse_pct is None
        for f in products
    ):
        return {"value": None, "reason": "no_end_of_life_shares", "defaults": defaults}

    def share(flow: ResolvedFlow, key: str) -> Decimal:
        value = getattr(flow.flow, key)
        return parse_data_value(value) / 100 if value is not None else ZERO

    cr = sum((share(f, "eol_recycling_pct") * (f.kg or ZERO) for f in products), ZERO)
    cu = sum((share(f, "eol_reuse_pct") * (f.kg or ZERO) for f in products), ZERO)
    cr, cu = cr / mass, cu / mass
    inputs = [f for f in dataset.inputs if f.kg]
    fr = sum((f.kg or ZERO for f in inputs if f.flow.origin == "recycled"), ZERO)
    fu = sum((f.kg or ZERO for f in inputs if f.flow.origin == "reused"), ZERO)
    fr, fu = fr / balance.inputs_kg, fu / balance.inputs_kg
    ec = ef = MCI_RECYCLING_EFFICIENCY
    virgin = mass * (1 - fr - fu)
    w0 = mass * (1 - cr - cu)
    wc = mass * (1 - ec) * cr
    wf = mass * (1 - ef) * fr / ef
    waste = w0 + (wf + wc) / 2
    lfi = (virgin + waste) / (2 * mass + (wf - wc) / 2)
    value = max(ZERO, 1 - lfi * Decimal("0.9") / MCI_UTILITY)
    return {
        "value": value,
        "lfi": lfi,
        "inputs": {"Fr": fr, "Fu": fu, "Cr": cr, "Cu": cu, "M": mass},
        "defaults": defaults,
    }


def waste_cost(dataset: Dataset, balance: Balance) -> dict[str, Any]:
    """The cost of waste (material flow cost accounting, ISO 14051 in short).

    Per residual stream: the purchase value of its materials (each material's
    purchase cost per kg, from the input flows that carry it, times the mass
    of it in the stream) plus what was paid to dispose of it; revenue from
    outputs sold is shown beside it. Materials bought without a cost add
    nothing, and that is said.
    """
    cost_of: dict[str, Decimal] = defaultdict(lambda: ZERO)
    mass_with_cost: dict[str, Decimal] = defaultdict(lambda: ZERO)
    without_cost: list[str] = []
    for flow in dataset.inputs:
        if not flow.kg:
            continue
        cost = flow.cost_eur
        if cost is None:
            without_cost.append(flow.flow.name)
            continue
        for material, kg in flow.by_material() or ():
            cost_of[material] += cost * kg / flow.kg
            mass_with_cost[material] += kg
    per_kg = {m: cost_of[m] / mass_with_cost[m] for m in cost_of if mass_with_cost[m]}
    streams: list[dict[str, Any]] = []
    for flow in dataset.residuals:
        if flow.kg is None:
            continue
        purchase = ZERO
        if per_kg:
            for material, part in flow.by_material() or ():
                price = per_kg.get(material)
                if price is not None:
                    purchase += part * price
        disposal = flow.cost_eur or ZERO
        revenue = flow.revenue_eur or ZERO
        streams.append(
            {
                "flow": flow.flow.name,
                "index": flow.index,
                "kg": flow.kg,
                "purchase_value_eur": purchase,
                "disposal_eur": disposal,
                "revenue_eur": revenue,
                "total_eur": purchase + disposal - revenue,
            }
        )
    purchase_total = disposal_total = revenue_total = total = ZERO
    for stream in streams:
        purchase_total += stream["purchase_value_eur"]
        disposal_total += stream["disposal_eur"]
        revenue_total += stream["revenue_eur"]
        total += stream["total_eur"]
    streams.sort(key=itemgetter("total_eur"), reverse=True)
    return {
        "streams": streams,
        "purchase_value_eur": purchase_total,
        "disposal_eur": disposal_total,
        "revenue_eur": revenue_total,
        "total_eur": total,
        "cost_per_kg_eur": per_kg,
        "inputs_without_cost": without_cost,
    }
