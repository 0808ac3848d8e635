"""Named parts: compositions that nest, resolved to kilograms of material.

A part's recipe is written per an amount of the part (`per`, default one
piece): "per 3 frames: 9 kg of tube and 12 screws". A component is a material
with a mass, or another part with a number of pieces. Resolving multiplies
through every level, so 2 frames of that recipe hold 6 kg of tube.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .numbers import NumberError, parse_data_value
from .units import COUNT, MASS, UnitError, parse_unit


@dataclass(frozen=True)
class PartMass:
    """One piece of a part (or one kg, for a recipe written per mass)."""

    per: str
    """"piece" or "kg": what one unit of the part is."""
    materials: tuple[tuple[str, Decimal], ...]
    """kg of each material in one unit of the part, in recipe order."""

    @property
    def kg(self) -> Decimal:
        return sum((kg for _, kg in self.materials), Decimal(0))


class _Resolver:
    def __init__(self, parts: list, problems: list[str], source: str):
        self.parts = {part.name: part for part in parts}
        self.problems = problems
        self.source = source
        self.done: dict[str, PartMass | None] = {}

    def resolve(self, name: str, trail: tuple[str, ...] = ()) -> PartMass | None:
        if name in self.done:
            return self.done[name]
        where = f"{self.source}: part {name}"
        if name in trail:
            cycle = " > ".join((*trail, name))
            self.problems.append(
                f"{where}: the part contains itself ({cycle}); break the cycle"
            )
            return None
        part = self.parts[name]
        totals: dict[str, Decimal] = {}
        ok = True
        for number, component in enumerate(part.components, start=1):
            at = f"{where}: component {number}"
            try:
                quantity = parse_data_value(component.quantity)
            except NumberError as exc:
                self.problems.append(f"{at}: quantity: {exc}")
                ok = False
                continue
            if component.part is not None:
                if component.part not in self.parts:
                    self.problems.append(
                        f"{at}: there is no part named {component.part!r}; add it "
                        "under parts or correct the name"
                    )
                    ok = False
                    continue
                inner = self.resolve(component.part, (*trail, name))
                if inner is None:
                    ok = False
                    continue
                amount = self._inner_amount(quantity, component.unit, inner, at)
                if amount is None:
                    ok = False
                    continue
                for material, kg in inner.materials:
                    totals[material] = totals.get(material, Decimal(0)) + kg * amount
            else:
                try:
                    unit = parse_unit(component.unit or "kg")
                except UnitError as exc:
                    self.problems.append(f"{at}: unit: {exc}")
                    ok = False
                    continue
                if unit.dimension != MASS:
                    self.problems.append(
                        f"{at}: a material component needs a mass (g, kg, t), not "
                        f"{component.unit}"
                    )
                    ok = False
                    continue
                material = component.material or ""
                totals[material] = (
                    totals.get(material, Decimal(0)) + quantity * unit.factor
                )
        per, per_kind = self._per(part, where)
        if per is None:
            ok = False
        result = None
        if ok and per is not None:
            result = PartMass(
                per_kind, tuple((m, kg / per) for m, kg in totals.items())
            )
        self.done[name] = result
        return result

    def _per(self, part, where: str) -> tuple[Decimal | None, str]:
        try:
            amount = parse_data_value(part.per)
            unit = parse_unit(part.per_unit)
        except (NumberError, UnitError) as exc:
            self.problems.append(f"{where}: per: {exc}")
            return None, "piece"
        if amount == 0:
            self.problems.append(f"{where}: per is 0; the recipe is for 1 or more")
            return None, "piece"
        if unit.dimension == COUNT:
            return amount * unit.factor, "piece"
        if unit.dimension == MASS:
            return amount * unit.factor, "kg"
        self.problems.append(f"{where}: per_unit must be pieces or a mass")
        return None, "piece"

    def _inner_amount(self, quantity, unit_word, inner: PartMass, at: str):
        """How many units of the inner part a component's quantity is."""
        try:
            unit = parse_unit(unit_word or "st")
        except UnitError as exc:
            self.problems.append(f"{at}: unit: {exc}")
            return None
        if unit.dimension == COUNT and inner.per == "piece":
            return quantity * unit.factor
        if unit.dimension == MASS and inner.per == "kg":
            return quantity * unit.factor
        if unit.dimension == MASS and inner.kg:
            return quantity * unit.factor / inner.kg
        self.problems.append(f"{at}: give the part in pieces (st) or as a mass (kg)")
        return None


def resolve_parts(parts: list, problems: list[str], source: str) -> dict[str, PartMass]:
    """Every part resolved to kg of material per unit; problems appended."""
    resolver = _Resolver(parts, problems, source)
    names = [part.name for part in parts]
    for name in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{source}: part {name}: the name is used twice")
    resolved = {}
    for part in parts:
        mass = resolver.resolve(part.name)
        if mass is not None:
            resolved[part.name] = mass
    return resolved
