"""The data file `massabalans/1`: a company's flows for one period, validated."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .gcpause import gc_paused
from .i18n import explain, t
from .numbers import NumberError, canonical, parse_data_value
from .parts import PartMass, resolve_parts
from .safeload import TooLarge, load_json, load_yaml, read_capped
from .units import (
    MASS,
    WATER_NAMES,
    Conversion,
    Density,
    Unit,
    UnitError,
    parse_density,
    parse_mass_per_piece,
    parse_unit,
    to_kg,
)

FORMAT = "massabalans/1"

INPUT_KINDS = ("raw_material", "composite_material", "semi_finished", "auxiliary")
OUTPUT_KINDS = ("product", "by_product", "waste", "wastewater", "emission")
KINDS = INPUT_KINDS + OUTPUT_KINDS
Kind = Literal[
    "raw_material",
    "composite_material",
    "semi_finished",
    "auxiliary",
    "product",
    "by_product",
    "waste",
    "wastewater",
    "emission",
]
SECTORS = (
    "food",
    "wood",
    "metal",
    "plastics",
    "printing",
    "textile",
    "construction",
    "chemicals",
    "other",
)
TREATMENTS = (
    "reuse",
    "recycling",
    "composting",
    "digestion",
    "energy_recovery",
    "incineration",
    "landfill",
    "sewer",
    "unknown",
)
ORIGINS = ("virgin", "recycled", "renewable", "reused", "unknown")
BASES = ("measured", "invoice", "estimated", "unknown")

# Data files larger than this are far beyond any real company's flows.
MAX_FILE_BYTES = 200 * 1024 * 1024

# Text, or a JSON number; JSON true/false are not numbers (StrictInt refuses them).
Number = str | StrictInt | StrictFloat


class _Model(BaseModel):
    # Built on first use, not at import: the app's start needs none of these.
    model_config = ConfigDict(
        extra="forbid",
        coerce_numbers_to_str=True,
        str_strip_whitespace=True,
        defer_build=True,
    )


class Company(_Model):
    name: str = Field(min_length=1)
    """The company's trade name."""
    sector: Literal[SECTORS] | None = None  # type: ignore[valid-type]
    """One of the sectors, used for sector-typical waste streams."""
    contact: str | None = None
    """Who to ask about the figures."""


class Share(_Model):
    material: str = Field(min_length=1)
    share_pct: Number
    """Percentage of the flow's mass, the shares of a flow adding up to 100."""


class Component(_Model):
    material: str | None = Field(default=None, min_length=1)
    part: str | None = Field(default=None, min_length=1)
    """Another part, counted in pieces (or as a mass with a unit)."""
    quantity: Number
    unit: str | None = None
    """A mass for a material (default kg); pieces for a part (default st)."""

    @model_validator(mode="after")
    def _one_of(self) -> Component:
        if (self.material is None) == (self.part is None):
            raise ValueError("a component has either a material or a part")
        return self


class Part(_Model):
    name: str = Field(min_length=1)
    per: Number = 1
    """The amount of the part the components are written for."""
    per_unit: str = "st"
    """Pieces (st) or a mass (kg): what `per` counts."""
    components: list[Component] = Field(min_length=1)


class Flow(_Model):
    name: str = Field(min_length=1)
    kind: Kind
    quantity: Number
    """A number, text in Dutch or English notation, or the word unknown."""
    unit: str | None = None
    material: str | None = None
    composition: list[Share] | None = None
    density: Number | None = None
    mass_per_piece: Number | None = None
    supplier: str | None = None
    processor: str | None = None
    treatment: Literal[TREATMENTS] | None = None  # type: ignore[valid-type]
    origin: Literal[ORIGINS] | None = None  # type: ignore[valid-type]
    cost_eur: Number | None = None
    revenue_eur: Number | None = None
    basis: Literal[BASES] | None = None  # type: ignore[valid-type]
    ewc_code: str | None = None
    hazardous: bool | None = None
    note: str | None = None
    units: Number | None = None
    use_phase: str | None = None
    end_of_life: str | None = None
    # Additions to the agreed format, all optional.
    destination: str | None = None
    """What the processor makes of an output stream."""
    question: str | None = None
    """The interview question this flow answers, so a replay puts it back there."""
    density_source: Literal["given", "table"] | None = None
    """Whether the density was typed in or accepted from the density table."""
    part: str | None = None
    """A named part under `parts`: the flow is pieces (or a mass) of it."""
    eol_reuse_pct: Number | None = None
    """Product: share collected for reuse at end of life (for the MCI)."""
    eol_recycling_pct: Number | None = None
    """Product: share collected for recycling at end of life (for the MCI)."""


class Stock(_Model):
    name: str = Field(min_length=1)
    material: str | None = None
    opening: Number
    closing: Number
    unit: str
    density: Number | None = None
    mass_per_piece: Number | None = None


class InterviewInfo(_Model):
    language: Literal["nl", "en"] | None = None
    interviewer: str | None = None
    questionnaire: str | None = None
    updated: str | None = None
    status: str | None = None


class AnswerValue(_Model):
    value: Any = None
    note: str | None = None
    unknown: bool | None = None


class DataFile(_Model):
    format: Literal["massabalans/1"]
    company: Company
    period: str = Field(min_length=1)
    flows: list[Flow]
    stock: list[Stock] | None = None
    parts: list[Part] | None = None
    answers: dict[str, Any] | None = None
    interview: InterviewInfo | None = None


@dataclass(slots=True)
class ResolvedFlow:
    """A flow with its quantity read and converted: kg, or the reason it is not."""

    index: int
    flow: Flow
    amount: Decimal | None
    unit: Unit | None
    conversion: Conversion | None
    composition: list[tuple[str, Decimal]] | None  # (material, share as fraction)
    cost_eur: Decimal | None = None
    revenue_eur: Decimal | None = None
    material_kg: list[tuple[str, Decimal]] | None = None
    """For a flow of a part: kg of each material, resolved through every level."""
    water: bool | None = None
    """Whether the flow is water (by its kind, name or material); found if None."""
    kg: Decimal | None = field(init=False)
    """The flow's mass, or None when it could not be converted."""
    _by_material: list[tuple[str, Decimal]] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Read by every pass over the flows: computed once.
        self.kg = self.conversion.kg if self.conversion else None
        self._by_material = self._split()
        if self.water is None:
            self.water = _is_water(self.flow)

    @property
    def unknown(self) -> bool:
        return self.amount is None

    def by_material(self) -> list[tuple[str, Decimal]] | None:
        """The flow's kg per material; None for an output with no material.

        An input's material is its part, composition, material or name; an
        output's its part, composition or material. Composition shares are
        split so that the parts add up exactly to the flow's mass.
        """
        return self._by_material

    def _split(self) -> list[tuple[str, Decimal]] | None:
        kg = self.kg
        if kg is None:
            return None
        if self.material_kg is not None:
            return self.material_kg
        if self.composition:
            parts = [(material, kg * share) for material, share in self.composition]
            # The rounding remainder goes to the last part: the sum is exact.
            rest = kg - sum((part for _, part in parts[:-1]), Decimal(0))
            parts[-1] = (parts[-1][0], rest)
            return parts
        if self.flow.material:
            return [(self.flow.material, kg)]
        if self.flow.kind in INPUT_KINDS:
            return [(self.flow.name, kg)]
        return None


@dataclass
class ResolvedStock:
    stock: Stock
    change_kg: Decimal | None
    reason: str | None = None


@dataclass
class Dataset:
    """A validated data file with every quantity read.

    The flows are not changed once the dataset is made: the groups below are
    sorted out once, on first use, for every analysis that reads them.
    """

    data: DataFile
    flows: list[ResolvedFlow]
    stock: list[ResolvedStock] = field(default_factory=list)

    @cached_property
    def _groups(
        self,
    ) -> tuple[list[ResolvedFlow], list[ResolvedFlow], list[ResolvedFlow]]:
        inputs: list[ResolvedFlow] = []
        products: list[ResolvedFlow] = []
        residuals: list[ResolvedFlow] = []
        for flow in self.flows:
            kind = flow.flow.kind
            if kind in INPUT_KINDS:
                inputs.append(flow)
            elif kind == "product":
                products.append(flow)
            else:
                residuals.append(flow)
        return inputs, products, residuals

    @property
    def inputs(self) -> list[ResolvedFlow]:
        """The input flows, in their order."""
        return self._groups[0]

    @property
    def products(self) -> list[ResolvedFlow]:
        """The product flows, in their order."""
        return self._groups[1]

    @property
    def residuals(self) -> list[ResolvedFlow]:
        """Every output but the product (by-products, waste, wastewater,
        emissions), in their order."""
        return self._groups[2]


class DataFileError(Exception):
    """A data file that cannot be used; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_text_yaml(text: str) -> Any:
    """Parse YAML safely with every scalar kept as text, within the limits."""
    return load_yaml(text)


def read_file(path: Path) -> Any:
    """The raw structure of a YAML or JSON data file; raises DataFileError."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataFileError([f"{path}: cannot read the file ({exc.strerror})"]) from exc
    if size > MAX_FILE_BYTES:
        raise DataFileError(
            [
                f"{path}: the file is {size // 2**20} MiB, over the limit of "
                f"{MAX_FILE_BYTES // 2**20} MiB; split it per period or site"
            ]
        )
    try:
        text = read_capped(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except TooLarge:
        raise DataFileError(
            [
                f"{path}: the file is over the limit of {MAX_FILE_BYTES // 2**20} "
                "MiB; split it per period or site"
            ]
        ) from None
    except UnicodeDecodeError:
        raise DataFileError(
            [f"{path}: the file is not UTF-8 text; save it as UTF-8"]
        ) from None
    except OSError as exc:
        raise DataFileError([f"{path}: cannot read the file ({exc.strerror})"]) from exc
    if path.suffix.lower() == ".json":
        try:
            return load_json(text)
        except ValueError as exc:
            if not isinstance(exc, json.JSONDecodeError):
                raise DataFileError([f"{path}: {exc}"]) from None
            raise DataFileError(
                [f"{path}:{exc.lineno}: not valid JSON ({exc.msg})"]
            ) from None
    try:
        return read_text_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DataFileError([f"{path}{where}: not valid YAML ({problem})"]) from None


def load_dataset(path: Path | str) -> Dataset:
    """Read, validate and resolve a data file; raises DataFileError."""
    path = Path(path)
    with gc_paused():
        return parse_dataset(read_file(path), str(path), release=True)


@cache
def _flows_adapter() -> TypeAdapter[list[Flow]]:
    return TypeAdapter(list[Flow])


# Flows are validated in chunks: one call per chunk is fast, and a chunk's raw
# dicts can be let go as soon as it is done, which keeps the peak memory low.
_CHUNK = 4096


def _validated_flows(
    items: list[Any], raw: Any, source: str, release: bool = False
) -> list[tuple[int, Flow | list[str]]]:
    """Each flow validated, or the problem lines of a broken one, in order.

    A chunk with a broken flow is validated one flow at a time, so that every
    broken flow is listed, not only the first. With `release` the raw items
    are dropped from `items` once validated.
    """
    checked: list[tuple[int, Flow | list[str]]] = []
    shared: dict[frozenset[str], _SharedKeys] = {}
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        try:
            models: list[Flow | list[str]] = list(
                _flows_adapter().validate_python(chunk)
            )
            _share_fields_set(models, shared)
        except ValidationError:
            models = []
            for offset, item in enumerate(chunk):
                try:
                    models.append(Flow.model_validate(item))
                except ValidationError as exc:
                    where = ("flows", start + offset)
                    models.append(_describe(exc, raw, source, where))
        checked.extend(enumerate(models, start))
        if release:
            items[start : start + _CHUNK] = [None] * len(chunk)
    return checked


class _SharedKeys(set):
    """The keys a group of flows was given: one set for all of them, read-only.

    Pydantic keeps a set of the given keys per model, about 700 bytes, which
    for 100 000 flows is a fifth of the memory. Flows are not changed after
    validation, so flows with the same keys share one of these; changing a
    field of a validated flow in place raises an error instead of marking the
    field as given on its neighbours (make a new model instead).
    """

    def _refuse(self, *_args: Any) -> None:
        raise TypeError("a validated flow is not changed in place; make a new one")

    add = discard = remove = update = clear = pop = _refuse
    difference_update = intersection_update = symmetric_difference_update = _refuse
    __ior__ = __iand__ = __isub__ = __ixor__ = _refuse  # type: ignore[assignment]


def _share_fields_set(
    models: list[Any], shared: dict[frozenset[str], _SharedKeys]
) -> None:
    """Let the flows of a chunk with the same keys share one `_SharedKeys`."""
    for model in models:
        keys = frozenset(model.__pydantic_fields_set__)
        group = shared.get(keys)
        if group is None:
            group = shared[keys] = _SharedKeys(keys)
        object.__setattr__(model, "__pydantic_fields_set__", group)


def parse_dataset(raw: Any, source: str = "data", release: bool = False) -> Dataset:
    """Validate a parsed data file structure; raises DataFileError.

    With `release` the raw flows in `raw` are let go as they are validated
    (for a structure nobody else reads afterwards).
    """
    with gc_paused():
        return _parse_dataset(raw, source, release)


def _parse_dataset(raw: Any, source: str, release: bool) -> Dataset:
    if not isinstance(raw, dict):
        raise DataFileError(
            [
                f"{source}: the file must be a mapping with format, company, period "
                "and flows"
            ]
        )
    problems: list[str] = []
    parts: dict[str, PartMass] = {}
    parts_raw = raw.get("parts")
    if isinstance(parts_raw, list):
        models = []
        for index, item in enumerate(parts_raw):
            try:
                models.append(Part.model_validate(item))
            except ValidationError as exc:
                problems += _describe(exc, raw, source, ("parts", index))
        parts = resolve_parts(models, problems, source)
    flows_raw = raw.get("flows")
    resolved: list[ResolvedFlow] = []
    if isinstance(flows_raw, list):
        for index, flow in _validated_flows(flows_raw, raw, source, release):
            if isinstance(flow, list):
                problems += flow
                continue
            where = f"{source}: flow {index + 1} ({flow.name})"
            resolved.append(resolve_flow(flow, index, problems, where, parts))
    head = {**raw, "flows": []} if isinstance(flows_raw, list) else raw
    try:
        data = DataFile.model_validate(head)
    except ValidationError as exc:
        problems = _describe(exc, raw, source) + problems
        raise DataFileError(problems) from None
    data.flows = [r.flow for r in resolved]
    stock = [
        _resolve_stock(item, problems, f"{source}: stock {i + 1} ({item.name})")
        for i, item in enumerate(data.stock or [])
    ]
    if problems:
        raise DataFileError(problems)
    return Dataset(data, resolved, stock)


def _flow_label(raw: Any, index: int) -> str:
    name = None
    flows = raw.get("flows") if isinstance(raw, dict) else None
    if (
        isinstance(flows, list)
        and index < len(flows)
        and isinstance(flows[index], dict)
    ):
        name = flows[index].get("name")
    return f"flow {index + 1}" + (f" ({name})" if name else "")


_HINTS = {
    "kind": "use one of " + ", ".join(KINDS),
    "sector": "use one of " + ", ".join(SECTORS),
    "treatment": "use one of " + ", ".join(TREATMENTS),
    "origin": "use one of " + ", ".join(ORIGINS),
    "basis": "use one of " + ", ".join(BASES),
    "format": f"write format: {FORMAT}",
}


_UNION_MEMBERS = ("constrained-str", "str", "int", "float")


# What a value of the wrong type should have been, by pydantic's error type.
_EXPECTED = {
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys and values",
}


def _describe(
    exc: ValidationError, raw: Any, source: str, prefix: tuple = ()
) -> list[str]:
    problems = []
    for error in exc.errors():
        loc = [*prefix, *error["loc"]]
        if loc and loc[-1] in _UNION_MEMBERS:
            # A number field refused by each member of its union: say it once.
            loc = loc[:-1]
            error = {**error, "type": "number_or_text"}
        where = [source]
        if len(loc) >= 2 and loc[0] in ("flows", "stock") and isinstance(loc[1], int):
            if loc[0] == "flows":
                where.append(_flow_label(raw, loc[1]))
            else:
                where.append(f"stock {loc[1] + 1}")
            loc = loc[2:]
        key = ".".join(str(part) for part in loc)
        field_name = str(loc[-1]) if loc else ""
        if error["type"] == "missing":
            what = f"{key} is missing; add it"
        elif error["type"] == "extra_forbidden":
            what = f"{key} is not a known key; remove it or check its spelling"
        elif error["type"] == "literal_error":
            hint = _HINTS.get(field_name, error["msg"].lower())
            what = f"{key} {error.get('input')!r} is not allowed; {hint}"
        elif error["type"] == "string_too_short":
            what = f"{key} is empty; fill it in"
        elif error["type"] in _EXPECTED:
            expected = _EXPECTED[error["type"]]
            what = f"{key}: {error.get('input')!r} is not {expected}; give {expected}"
        elif error["type"] == "number_or_text":
            what = (
                f"{key}: {error.get('input')!r} is not a number; give a number or "
                'text such as "12,5" (true and false are not numbers)'
            )
        else:
            what = f"{key}: {error['msg']}" if key else error["msg"]
        line = ": ".join([*where, what])
        if line not in problems:
            problems.append(line)
    return problems


def _is_water(flow: Flow) -> bool:
    return (
        flow.kind == "wastewater"
        or flow.name.casefold() in WATER_NAMES
        or (flow.material is not None and flow.material.casefold() in WATER_NAMES)
    )


def _end_of_life_shares(
    flow: Flow, problems: list[str], where: str, language: str | None
) -> None:
    """Shares collected for reuse and recycling: each 0-100 %, together at most 100."""
    said = language or "en"
    total = Decimal(0)
    told = len(problems)
    for key in ("eol_reuse_pct", "eol_recycling_pct"):
        share = _optional_number(getattr(flow, key), problems, where, key, language)
        if share is None:
            continue
        if not 0 <= share <= 100:
            problems.append(
                f"{where}: {_field(key, language)}: "
                + t("error.flow.pct_range", said, value=canonical(share))
            )
        total += share
    if total > 100 and len(problems) == told:  # the sum, once each share is right
        problems.append(
            f"{where}: " + t("error.flow.eol_sum", said, total=canonical(total))
        )


def _field(key: str, language: str | None) -> str:
    """A flow's key as a message names it: the key itself for a data file
    (language None), a word in the interview's language otherwise."""
    return key if language is None else t(f"field.{key}", language)


def _problem(where: str, key: str, error: BaseException, language: str | None) -> str:
    label = _field(key, language)
    said = explain(error, language or "en")
    if said.startswith((label + " ", label + ":")):
        return f"{where}: {said}"  # the message names the field itself
    return f"{where}: {label}: {said}"


def _optional_number(
    value: Any, problems: list[str], where: str, key: str, language: str | None
):
    if value is None:
        return None
    try:
        return parse_data_value(value)
    except NumberError as exc:
        problems.append(_problem(where, key, exc, language))
        return None


def resolve_flow(
    flow: Flow,
    index: int,
    problems: list[str],
    where: str,
    parts: dict[str, PartMass] | None = None,
    language: str | None = None,
) -> ResolvedFlow:
    """Read one flow's quantity, unit, density and composition.

    Problems are told in `language` (the interview's), or in English with
    the data file's own keys when it is None.

    This runs once per flow of a data file (100 000 of them in a large one),
    so the common case of a plain number and a known unit is kept short.
    """
    amount: Decimal | None = None
    unit: Unit | None = None
    conversion: Conversion | None = None
    quantity = flow.quantity
    if not (
        isinstance(quantity, str)
        and quantity.strip().casefold() in ("unknown", "onbekend")
    ):
        try:
            amount = parse_data_value(quantity)
        except NumberError as exc:
            problems.append(_problem(where, "quantity", exc, language))
        if flow.unit is None:
            problems.append(
                f"{where}: {t('error.flow.unit_missing', language or 'en')}"
            )
        else:
            try:
                unit = parse_unit(flow.unit)
            except UnitError as exc:
                problems.append(_problem(where, "unit", exc, language))

    density: Density | None = None
    if flow.density is not None:
        try:
            density = parse_density(str(flow.density))
        except (UnitError, NumberError) as exc:
            problems.append(_problem(where, "density", exc, language))
    per_piece: Decimal | None = None
    if flow.mass_per_piece is not None:
        try:
            per_piece = parse_mass_per_piece(str(flow.mass_per_piece))
        except (UnitError, NumberError) as exc:
            problems.append(_problem(where, "mass_per_piece", exc, language))

    composition = None
    if flow.composition is not None:
        composition = _composition(flow.composition, problems, where)

    part = None
    if flow.part is not None:
        part = (parts or {}).get(flow.part)
        if part is None:
            no_part = t("error.flow.no_part", language or "en", part=flow.part)
            problems.append(f"{where}: {_field('part', language)}: {no_part}")
        elif per_piece is None and part.per == "piece":
            per_piece = part.kg
    water = _is_water(flow)
    if amount is not None and unit is not None:
        if unit.dimension == MASS:
            conversion = Conversion(amount * unit.factor)
        else:
            conversion = to_kg(
                amount,
                unit,
                density=density,
                mass_per_piece_kg=per_piece,
                is_water=water,
            )
    material_kg = None
    if part is not None and conversion is not None and conversion.kg is not None:
        scale = conversion.kg / part.kg if part.kg else Decimal(0)
        material_kg = [(material, kg * scale) for material, kg in part.materials]
    cost = revenue = None
    if flow.cost_eur is not None:
        cost = _optional_number(flow.cost_eur, problems, where, "cost_eur", language)
    if flow.revenue_eur is not None:
        revenue = _optional_number(
            flow.revenue_eur, problems, where, "revenue_eur", language
        )
    if flow.units is not None:
        _optional_number(flow.units, problems, where, "units", language)
    if flow.eol_reuse_pct is not None or flow.eol_recycling_pct is not None:
        _end_of_life_shares(flow, problems, where, language)
    return ResolvedFlow(
        index,
        flow,
        amount,
        unit,
        conversion,
        composition,
        cost,
        revenue,
        material_kg,
        water,
    )


def _composition(
    shares: list[Share], problems: list[str], where: str
) -> list[tuple[str, Decimal]] | None:
    read: list[tuple[str, Decimal]] = []
    for share in shares:
        try:
            read.append((share.material, parse_data_value(share.share_pct)))
        except NumberError as exc:
            problems.append(f"{where}: composition {share.material}: {exc}")
            return None
    total = sum((pct for _, pct in read), Decimal(0))
    if not read:
        problems.append(
            f"{where}: composition is empty; list the materials or remove it"
        )
        return None
    if abs(total - 100) > Decimal("0.01"):
        problems.append(
            f"{where}: composition shares add up to {total} %, not 100 %; correct "
            "the shares"
        )
        return None
    return [(material, pct / total) for material, pct in read]


def _resolve_stock(item: Stock, problems: list[str], where: str) -> ResolvedStock:
    try:
        opening = parse_data_value(item.opening)
        closing = parse_data_value(item.closing)
        unit = parse_unit(item.unit)
    except (NumberError, UnitError) as exc:
        problems.append(f"{where}: {exc}")
        return ResolvedStock(item, None, str(exc))
    density = parse_density(str(item.density)) if item.density is not None else None
    per_piece = (
        parse_mass_per_piece(str(item.mass_per_piece))
        if item.mass_per_piece is not None
        else None
    )
    names = {item.name.casefold(), (item.material or "").casefold()}
    conversion = to_kg(
        closing - opening,
        unit,
        density=density,
        mass_per_piece_kg=per_piece,
        is_water=bool(names & WATER_NAMES),
    )
    return ResolvedStock(item, conversion.kg, conversion.reason)
