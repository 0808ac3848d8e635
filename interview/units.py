"""Units as people type them, and the conversion of every quantity to kilograms."""

from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from .i18n import Explained
from .numbers import NumberError, parse_number

log = logging.getLogger(__name__)

MASS, VOLUME, NORMAL_VOLUME, COUNT = "mass", "volume", "normal_volume", "count"


@dataclass(frozen=True)
class Unit:
    """A unit of our vocabulary: its dimension and its factor to kg, l or piece."""

    symbol: str
    dimension: str
    factor: Decimal


class UnitError(Explained):
    """A unit we cannot use; the message says what to write instead."""


def _units(dimension: str, factor: str, symbol: str, *words: str) -> dict[str, Unit]:
    unit = Unit(symbol, dimension, Decimal(factor))
    return {word: unit for word in (symbol, *words)}


# Our own vocabulary, consulted before any unit library: pint reads "pcs" as
# parsec, "bag" as 94 lb of cement and a bare "ton" as a US short ton.
# Lookup is case-insensitive, except for the words in _CASE_SENSITIVE.
_VOCABULARY: dict[str, Unit] = {
    **_units(MASS, "0.000001", "mg", "milligram", "milligrams", "milligramme"),
    **_units(MASS, "0.001", "g", "gr", "gram", "grams", "gramme", "grammes"),
    **_units(
        MASS, "1", "kg", "kgs", "kilo", "kilos", "kilogram", "kilograms", "kilogramme"
    ),
    **_units(
        MASS,
        "1000",
        "t",
        "tonne",
        "tonnes",
        "tonnen",
        "metric ton",
        "metric tons",
        "Mg",
        "megagram",
    ),
    **_units(
        MASS,
        "907.18474",
        "short ton",
        "short tons",
        "us ton",
        "us tons",
        "US ton",
        "US tons",
    ),
    **_units(MASS, "0.1", "ons"),  # the Dutch ons: 100 g
    **_units(MASS, "0.45359237", "lb", "lbs", "pound", "pounds"),
    **_units(MASS, "0.028349523125", "oz", "ounce", "ounces"),
    **_units(
        VOLUME,
        "0.001",
        "ml",
        "milliliter",
        "millilitre",
        "milliliters",
        "millilitres",
        "cm3",
        "cm³",
        "cm^3",
        "cc",
    ),
    **_units(VOLUME, "0.01", "cl", "centiliter", "centilitre"),
    **_units(VOLUME, "0.1", "dl", "deciliter", "decilitre"),
    **_units(
        VOLUME,
        "1",
        "l",
        "ltr",
        "lt",
        "liter",
        "litre",
        "liters",
        "litres",
        "dm3",
        "dm³",
    ),
    **_units(VOLUME, "100", "hl", "hectoliter", "hectolitre"),
    **_units(
        VOLUME,
        "1000",
        "m3",
        "m³",
        "m^3",
        "kuub",
        "cubic metre",
        "cubic meter",
        "cubic metres",
        "cubic meters",
        "kubieke meter",
    ),
    **_units(
        NORMAL_VOLUME,
        "1000",
        "Nm3",
        "Nm³",
        "nm3",
        "normal cubic metre",
        "normal cubic meter",
        "normaal kubieke meter",
    ),
    **_units(
        COUNT,
        "1",
        "st",
        "stuk",
        "stuks",
        "pcs",
        "pc",
        "piece",
        "pieces",
        "zak",
        "zakken",
        "bag",
        "bags",
        "doos",
        "box",
        "boxes",
        "rol",
        "rollen",
        "roll",
        "rolls",
        "pallet",
        "pallets",
        "vat",
        "vaten",
        "drum",
        "drums",
        "ibc",
        "ibcs",
        "container",
        "containers",
        "emmer",
        "emmers",
        "bucket",
        "buckets",
        "fles",
        "flessen",
        "bottle",
        "bottles",
        "blik",
        "can",
        "cans",
    ),
}

# Where case changes the meaning: mg is a milligram, Mg a megagram (a tonne).
_CASE_SENSITIVE = {"mg", "Mg"}

# Words with several meanings: never guessed, always asked about. The value
# names the explanation in the error catalogue (error.unit.meaning.*).
_AMBIGUOUS = {
    "ton": "ton",
    "tons": "ton",
    "gal": "gallon",
    "gallon": "gallon",
    "gallons": "gallon",
    "pint": "pint",
    "pints": "pint",
    "bbl": "barrel",
    "barrel": "barrel",
    "barrels": "barrel",
    "dozen": "dozen",
    "pond": "pond",
    "ponden": "pond",
    "cwt": "cwt",
}

_FOLDED = {
    word.casefold(): unit
    for word, unit in _VOCABULARY.items()
    if word not in _CASE_SENSITIVE
}
_FOLDED_AMBIGUOUS = {word.casefold(): why for word, why in _AMBIGUOUS.items()}

# A metric "ton": in Dutch and in data files a bare "ton" is 1 000 kg.
METRIC_TON = Unit("t", MASS, Decimal(1000))
SHORT_TON = Unit("short ton", MASS, Decimal("907.18474"))


def known_unit_words() -> list[str]:
    """Every unit word of our vocabulary, for messages and documentation."""
    return sorted(set(_VOCABULARY) | {"ton"})


@lru_cache(maxsize=2048)
def parse_unit(text: str, *, ton: Unit | None = METRIC_TON) -> Unit:
    """Look a unit word up in our vocabulary, then in pint; raise `UnitError`.

    `ton` is what a bare "ton" means: a metric tonne in Dutch and in data
    files; None in an English interview that has not asked yet.
    """
    word = " ".join(text.strip().split())
    if not word:
        raise UnitError("unit.empty")
    if word in _VOCABULARY:
        return _VOCABULARY[word]
    folded = word.casefold()
    if folded in ("ton", "tons") and ton is not None:
        return ton
    if folded in _FOLDED_AMBIGUOUS:
        raise UnitError(
            "unit.several_meanings",
            word=word,
            meaning=Explained(f"unit.meaning.{_FOLDED_AMBIGUOUS[folded]}"),
        )
    if folded == "mg" and word not in _CASE_SENSITIVE:
        raise UnitError("unit.mg_case", word=word)
    if folded in _FOLDED:
        return _FOLDED[folded]
    unit = _pint_unit(word)
    if unit is not None:
        return unit
    close = difflib.get_close_matches(folded, list(_FOLDED), n=1, cutoff=0.75)
    hint = Explained("unit.did_you_mean", word=close[0]) if close else ""
    raise UnitError("unit.unknown", word=word, hint=hint)


@lru_cache(maxsize=256)
def _pint_unit(word: str) -> Unit | None:
    """A mass or volume unit outside our vocabulary, as pint reads it."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z_ ]*[A-Za-z0-9]?", word):
        return None
    try:
        import pint
    except ImportError:  # pragma: no cover - pint is a dependency
        return None
    registry = _registry(pint)
    try:
        quantity = registry.Quantity(1, word)
    except Exception:  # pint raises many types for an unknown word
        return None
    for dimension, target in ((MASS, "kilogram"), (VOLUME, "liter")):
        try:
            factor = quantity.to(target).magnitude
        except Exception:
            continue
        if not 1e-7 <= factor <= 1e7:
            # An electron mass or a cubic light year is no unit of a company's
            # flows: refused rather than read.
            return None
        log.debug("unit %r read by pint as %s", word, quantity.units)
        return Unit(str(quantity.units), dimension, Decimal(repr(float(factor))))
    return None


@lru_cache(maxsize=1)
def _registry(pint_module: Any) -> Any:
    return pint_module.UnitRegistry()


# A number followed by a unit, or a unit alone: "25 kg", "0,84 kg/l".
_RATIO = re.compile(r"^\s*(?P<mass>.+?)\s*(?:/|\bper\b)\s*(?P<per>.+?)\s*$", re.I)
_AMOUNT = re.compile(
    r"^\s*(?P<number>[-+\u2212]?[0-9][0-9 .,\u00a0\u202f]*)?\s*"
    r"(?P<unit>[^\d\s].*?)?\s*$"
)


def split_amount(text: str) -> tuple[Decimal | None, str]:
    """Split "2,5 kg" into (2.5, "kg"); a missing number gives None."""
    match = _AMOUNT.match(text)
    if not match:
        raise UnitError("unit.no_amount", text=text.strip())
    number = match.group("number")
    unit = (match.group("unit") or "").strip()
    return (parse_number(number) if number and number.strip() else None), unit


@dataclass(frozen=True)
class Density:
    """Kilograms per litre, or per normal litre for a gas in Nm3."""

    kg_per_l: Decimal
    normal: bool
    text: str


@lru_cache(maxsize=2048)
def parse_density(text: str) -> Density:
    """Read "0,84 kg/l", "500 kg/m3" or "1,25 kg per Nm3" as kg per litre."""
    match = _RATIO.match(text)
    if not match:
        raise UnitError("unit.density_shape", text=text.strip())
    try:
        amount, mass_word = split_amount(match.group("mass"))
        per_amount, per_word = split_amount(match.group("per"))
    except NumberError as exc:
        raise UnitError("unit.density_number", reason=exc) from exc
    mass_unit = parse_unit(mass_word or "kg")
    volume_unit = parse_unit(per_word)
    if (
        amount is None
        or mass_unit.dimension != MASS
        or volume_unit.dimension
        not in (
            VOLUME,
            NORMAL_VOLUME,
        )
    ):
        raise UnitError("unit.density_parts", text=text.strip())
    per = (Decimal(1) if per_amount is None else per_amount) * volume_unit.factor
    if per == 0:
        raise UnitError(
            "unit.divides_by_zero", what=Explained("unit.what_density"), text=text
        )
    if amount == 0:
        raise UnitError("unit.zero", what=Explained("unit.what_density"), text=text)
    return Density(
        amount * mass_unit.factor / per,
        volume_unit.dimension == NORMAL_VOLUME,
        text.strip(),
    )


@lru_cache(maxsize=2048)
def parse_mass_per_piece(text: str) -> Decimal:
    """Read "25 kg", "25 kg/st" or "2,5 kg per 100 stuks" as kg per piece."""
    match = _RATIO.match(text)
    mass_text, pieces = text, Decimal(1)
    try:
        if match:
            mass_text = match.group("mass")
            per_amount, per_word = split_amount(match.group("per"))
            if per_word and parse_unit(per_word).dimension != COUNT:
                raise UnitError("unit.per_piece_shape", text=text.strip())
            pieces = Decimal(1) if per_amount is None else per_amount
        amount, word = split_amount(mass_text)
    except NumberError as exc:
        raise UnitError("unit.per_piece_number", reason=exc) from exc
    unit = parse_unit(word or "kg") if word else None
    if amount is None or unit is None or unit.dimension != MASS:
        raise UnitError("unit.per_piece_parts", text=text.strip())
    if pieces == 0:
        raise UnitError(
            "unit.divides_by_zero", what=Explained("unit.what_per_piece"), text=text
        )
    if amount == 0:
        raise UnitError("unit.zero", what=Explained("unit.what_per_piece"), text=text)
    return amount * unit.factor / pieces


# Names under which a volume is water, so 1 kg/l applies without being written.
WATER_NAMES = frozenset(
    {
        "water",
        "leidingwater",
        "drinkwater",
        "grondwater",
        "proceswater",
        "afvalwater",
    }
)
WATER_DENSITY = Density(Decimal(1), False, "1 kg/l")
# No gas at normal conditions is denser than this (sulphur hexafluoride, among
# the heaviest in use, is 6.2 kg/Nm3): a larger density given for a quantity in
# Nm3 is a liquid's or a solid's, and would make the gas a thousand times heavier.
GAS_DENSITY_MAX_KG_PER_L = Decimal("0.02")
# Nothing a company buys or sells is denser than osmium (22.6 kg/l): a larger
# density for a volume is a typing slip ("840" meant kg/m3), not a material.
DENSITY_MAX_KG_PER_L = Decimal(25)


@dataclass(slots=True)
class Conversion:
    """The outcome of converting one quantity: kilograms, or why not."""

    kg: Decimal | None
    reason: str | None = None
    """Why there are no kilograms, in English (the code says it for translation)."""
    density: Density | None = None
    density_is_default: bool = False
    mass_per_piece_kg: Decimal | None = None
    reason_code: str | None = None
    """needs_mass_per_piece, needs_density, needs_gas_density,
    implausible_gas_density or implausible_density."""


def to_kg(
    amount: Decimal,
    unit: Unit,
    *,
    density: Density | None = None,
    mass_per_piece_kg: Decimal | None = None,
    is_water: bool = False,
) -> Conversion:
    """Convert an amount in `unit` to kilograms, using only what is given."""
    if unit.dimension == MASS:
        return Conversion(amount * unit.factor)
    if unit.dimension == COUNT:
        if mass_per_piece_kg is None:
            return Conversion(
                None,
                f"{unit.symbol} are pieces: give a mass per piece (e.g. 25 kg)",
                reason_code="needs_mass_per_piece",
            )
        return Conversion(
            amount * unit.factor * mass_per_piece_kg,
            mass_per_piece_kg=mass_per_piece_kg,
        )
    default = False
    if density is None and is_water and unit.dimension == VOLUME:
        density, default = WATER_DENSITY, True
    if density is None:
        gas = unit.dimension == NORMAL_VOLUME
        kind = "a gas volume in Nm3" if gas else "a volume"
        return Conversion(
            None,
            f"{unit.symbol} is {kind}: give a density (e.g. 0,84 kg/l)",
            reason_code="needs_gas_density" if gas else "needs_density",
        )
    if unit.dimension == NORMAL_VOLUME and density.kg_per_l > GAS_DENSITY_MAX_KG_PER_L:
        return Conversion(
            None,
            f"{unit.symbol} is a gas volume, and {density.text} is the density of a "
            "liquid or solid (a gas weighs at most about 20 kg per Nm3): give the "
            "gas's density in kg/Nm3",
            density=density,
            reason_code="implausible_gas_density",
        )
    if density.kg_per_l > DENSITY_MAX_KG_PER_L:
        return Conversion(
            None,
            f"{density.text} is denser than any material (osmium, the densest, is "
            "22.6 kg/l): check the density and its unit (kg/l or kg/m3)",
            density=density,
            reason_code="implausible_density",
        )
    return Conversion(
        amount * unit.factor * density.kg_per_l,
        density=density,
        density_is_default=default,
    )
