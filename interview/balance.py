"""The mass balance of a dataset: totals, the gap, and the material layer."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson

from . import analysis
from .dataset import INPUT_KINDS, KINDS, OUTPUT_KINDS, Dataset, ResolvedFlow
from .gcpause import gc_paused
from .units import Conversion

ZERO = Decimal(0)
DEFAULT_TOLERANCE_PCT = Decimal(5)


@dataclass
class MaterialLine:
    """One material: what came in, what left per kind, the estimate in the product."""

    in_kg: Decimal = ZERO
    out_kg: dict[str, Decimal] = field(default_factory=dict)

    @property
    def product_kg(self) -> Decimal:
        """What came in minus what left as anything but product."""
        left = sum((kg for kind, kg in self.out_kg.items() if kind != "product"), ZERO)
        return self.in_kg - left


@dataclass
class Warning:
    code: str
    message: str
    flow: str | None = None


@dataclass
class Balance:
    """Everything the balance JSON, the advice and the report read."""

    inputs_kg: Decimal
    outputs_kg: Decimal
    stock_change_kg: Decimal
    by_kind_kg: dict[str, Decimal]
    materials: dict[str, MaterialLine]
    unassigned_kg: Decimal
    unconverted: list[dict[str, Any]]
    unknown: list[dict[str, Any]]
    warnings: list[Warning]
    tolerance_pct: Decimal
    conversions: list[dict[str, Any]]
    """Every density and mass per piece used, and where it came from."""
    water: dict[str, Any] = field(default_factory=dict)
    passport: dict[str, Any] = field(default_factory=dict)
    lansink: dict[str, Any] = field(default_factory=dict)
    indicators: dict[str, Any] = field(default_factory=dict)
    waste_cost: dict[str, Any] = field(default_factory=dict)
    causes: list[Any] = field(default_factory=list)
    """Likely causes of the gap, ranked (analysis.Cause)."""

    @property
    def difference_kg(self) -> Decimal:
        return self.inputs_kg - self.outputs_kg

    @property
    def gap_kg(self) -> Decimal:
        return self.difference_kg - self.stock_change_kg

    @property
    def closure_pct(self) -> Decimal | None:
        if self.inputs_kg == 0:
            return None
        return self.outputs_kg / self.inputs_kg * 100

    @property
    def gap_pct(self) -> Decimal | None:
        if self.inputs_kg == 0:
            return None
        return self.gap_kg / self.inputs_kg * 100

    @property
    def within_tolerance(self) -> bool:
        """The absolute gap compared with the tolerance: a negative gap is no pass."""
        if self.inputs_kg == 0:
            return self.outputs_kg == 0 and self.stock_change_kg == 0
        return abs(self.gap_kg) <= self.inputs_kg * self.tolerance_pct / 100

    def to_json(self) -> dict[str, Any]:
        """The balance JSON of the command line, figures in kg as plain numbers."""
        with gc_paused():
            return _plain(self._json_data())

    def to_json_text(self, indent: int | None = 1) -> str:
        """The balance JSON as indented text: what `to_json` gives, not copied first.

        The encoder meets the Decimals as they are and writes each as `float`
        would (anything else it cannot write is a mistake, and `float` says so).
        """
        with gc_paused():
            return json.dumps(
                self._json_data(), ensure_ascii=False, indent=indent, default=float
            )

    def to_json_bytes(self) -> bytes:
        """The balance JSON compact, as UTF-8: the fast way for a large balance."""
        with gc_paused():
            return orjson.dumps(self._json_data(), default=float)

    def _json_data(self) -> dict[str, Any]:
        """The balance JSON's structure, figures still as Decimals."""
        closure = self.closure_pct
        return {
            "inputs_kg": float(self.inputs_kg),
            "outputs_kg": float(self.outputs_kg),
            "difference_kg": float(self.difference_kg),
            "stock_change_kg": float(self.stock_change_kg),
            "gap_kg": float(self.gap_kg),
            "closure_pct": None if closure is None else float(closure),
            "by_kind_kg": {kind: float(kg) for kind, kg in self.by_kind_kg.items()},
            "materials": {
                name: {
                    "in_kg": float(line.in_kg),
                    "product_kg": float(line.product_kg),
                    "out_kg": {k: float(v) for k, v in line.out_kg.items()},
                }
                for name, line in self.materials.items()
            },
            "unassigned_kg": float(self.unassigned_kg),
            "unconverted": self.unconverted,
            "unknown": self.unknown,
            "warnings": [
                {"code": w.code, "message": w.message}
                | ({"flow": w.flow} if w.flow is not None else {})
                for w in self.warnings
            ],
            "conversions": self.conversions,
            "tolerance_pct": float(self.tolerance_pct),
            "gap_pct": None if self.gap_pct is None else float(self.gap_pct),
            "within_tolerance": self.within_tolerance,
            "gap_causes": [
                {"code": c.code, "kg": c.kg} | c.details for c in self.causes
            ],
            "water": self.water,
            "passport": self.passport,
            "lansink": self.lansink,
            "indicators": self.indicators,
            "waste_cost": self.waste_cost,
        }


def _conversion_used(flow: ResolvedFlow, conversion: Conversion) -> dict[str, Any]:
    """The density or mass per piece a conversion used, with its source."""
    base = {"flow": flow.flow.name, "index": flow.index}
    if conversion.density is not None:
        if conversion.density_is_default:
            source = "water"
        else:
            source = flow.flow.density_source or "given"
        return base | {
            "density": conversion.density.text,
            "kg_per_l": conversion.density.kg_per_l,
            "source": source,
        }
    return base | {
        "mass_per_piece": str(flow.flow.mass_per_piece),
        "kg_per_piece": conversion.mass_per_piece_kg,
        "source": "given",
    }


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _plain(value: Any) -> Any:
    """Decimals as JSON numbers, recursively.

    Exact type checks and scalars handled in place: for 100 000 flows this
    runs over a million values.
    """
    kind = type(value)
    if kind is Decimal:
        return float(value)
    if kind is dict:
        return {
            key: item if type(item) in _SCALARS else _plain(item)
            for key, item in value.items()
        }
    if kind is list or kind is tuple:
        return [item if type(item) in _SCALARS else _plain(item) for item in value]
    return value


def compute(
    dataset: Dataset, tolerance_pct: Decimal = DEFAULT_TOLERANCE_PCT
) -> Balance:
    """The balance of a dataset; pure, and never drops a flow without saying so."""
    with gc_paused():
        return _compute(dataset, tolerance_pct)


def _compute(dataset: Dataset, tolerance_pct: Decimal) -> Balance:
    by_kind: dict[str, Decimal] = {kind: ZERO for kind in KINDS}
    materials: dict[str, MaterialLine] = defaultdict(MaterialLine)
    unassigned = ZERO
    unconverted: list[dict[str, Any]] = []
    unknown: list[dict[str, Any]] = []
    warnings: list[Warning] = []
    conversions: list[dict[str, Any]] = []

    for flow in dataset.flows:
        kg = flow.kg
        if kg is None:
            name = flow.flow.name
            if flow.unknown:
                unknown.append({"flow": name, "index": flow.index})
                continue
            conversion = flow.conversion
            unconverted.append(
                {
                    "flow": name,
                    "index": flow.index,
                    "reason": conversion.reason if conversion else "not converted",
                    "code": conversion.reason_code if conversion else None,
                    "unit": flow.unit.symbol if flow.unit else None,
                }
            )
            continue
        conversion = flow.conversion
        if conversion is not None and (
            conversion.density is not None or conversion.mass_per_piece_kg is not None
        ):
            conversions.append(_conversion_used(flow, conversion))
        kind = flow.flow.kind
        by_kind[kind] += kg
        parts = flow.by_material()
        if kind in INPUT_KINDS:
            for material, part in parts or ():
                materials[material].in_kg += part
        elif parts is None:
            if kind != "product":
                unassigned += kg
        else:
            for material, part in parts:
                line = materials[material]
                line.out_kg[kind] = line.out_kg.get(kind, ZERO) + part

    stock_change = ZERO
    for item in dataset.stock:
        if item.change_kg is None:
            unconverted.append(
                {"flow": item.stock.name, "index": None, "reason": item.reason}
            )
        else:
            stock_change += item.change_kg

    inputs = sum((by_kind[k] for k in INPUT_KINDS), ZERO)
    outputs = sum((by_kind[k] for k in OUTPUT_KINDS), ZERO)
    balance = Balance(
        inputs_kg=inputs,
        outputs_kg=outputs,
        stock_change_kg=stock_change,
        by_kind_kg=by_kind,
        materials=dict(materials),
        unassigned_kg=unassigned,
        unconverted=unconverted,
        unknown=unknown,
        warnings=warnings,
        tolerance_pct=tolerance_pct,
        conversions=conversions,
    )
    warnings.extend(_plausibility(balance))
    balance.water = analysis.water_balance(dataset)
    balance.causes = analysis.gap_causes(dataset, balance, balance.water)
    balance.passport = analysis.passport(dataset, balance)
    balance.lansink = analysis.lansink(dataset)
    balance.indicators = analysis.indicators(dataset, balance)
    balance.waste_cost = analysis.waste_cost(dataset, balance)
    for row in balance.passport["materials"]:
        if row.get("differs"):
            warnings.append(
                Warning(
                    "passport_mismatch",
                    f"{row['material']}: the product's stated content "
                    f"({row['stated_kg']:.2f} kg) differs from the estimate from "
                    f"the balance ({row['estimated_kg']:.2f} kg) by more than the "
                    "tolerance",
                    row["material"],
                )
            )
    return balance


def _plausibility(balance: Balance) -> list[Warning]:
    found = []
    if balance.inputs_kg and not balance.within_tolerance:
        pct = balance.gap_pct or ZERO
        if balance.gap_kg < 0:
            found.append(
                Warning(
                    "outputs_exceed_inputs",
                    f"outputs exceed inputs by {-balance.gap_kg:.2f} kg "
                    f"({-pct:.1f} %): look for double counting, a unit mistake or "
                    "a stock decrease",
                )
            )
        else:
            found.append(
                Warning(
                    "gap_above_tolerance",
                    f"{balance.gap_kg:.2f} kg ({pct:.1f} %) of the inputs is not "
                    "accounted for: look for evaporation, emissions or waste not "
                    "entered",
                )
            )
    if not balance.inputs_kg and balance.outputs_kg:
        found.append(
            Warning("no_inputs", "there are outputs but no inputs with a known mass")
        )
    for name, line in balance.materials.items():
        if line.product_kg < 0:
            found.append(
                Warning(
                    "negative_material",
                    f"more {name} leaves than comes in "
                    f"({-line.product_kg:.2f} kg): check the quantities and "
                    "materials of the flows",
                    name,
                )
            )
    for item in balance.unconverted:
        found.append(
            Warning("unconverted", f"{item['flow']}: {item['reason']}", item["flow"])
        )
    for item in balance.unknown:
        found.append(
            Warning(
                "unknown_quantity", f"{item['flow']}: quantity unknown", item["flow"]
            )
        )
    return found
