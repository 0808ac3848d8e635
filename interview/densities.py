"""Densities of liquids and gases that small companies commonly buy.

The interview offers these values for a matching material and the user
accepts or overrides them; a data file never gets one unless it says so. Gas
densities are per normal cubic metre (Nm3: 0 °C and 1.01325 bar, DIN 1343).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .numbers import canonical
from .units import Density


@dataclass(frozen=True)
class DensityEntry:
    """One row of the table: what it applies to, its value and where it is from."""

    key: str
    names: tuple[str, ...]
    """Dutch and English names, lowercase, matched as whole words."""
    value: Decimal
    unit: str
    """kg/l for liquids, kg/Nm3 for gases."""
    conditions: str
    source: str

    @property
    def text(self) -> str:
        # Written so the data-file number rule reads it one way: "1.2930", not
        # "1.293" (which could be 1 293).
        return f"{canonical(self.value)} {self.unit}"

    @property
    def density(self) -> Density:
        per_litre = self.value / 1000 if self.unit == "kg/Nm3" else self.value
        return Density(per_litre, self.unit == "kg/Nm3", self.text)


_HANDBOOK = "CRC Handbook of Chemistry and Physics"
_NORMAL = "0 °C, 1.01325 bar (normal cubic metre)"

TABLE: tuple[DensityEntry, ...] = (
    DensityEntry(
        "diesel",
        ("diesel", "gasolie", "dieselolie", "rode diesel"),
        Decimal("0.84"),
        "kg/l",
        "15 °C",
        "EN 590 (automotive diesel: 0.820-0.845 kg/l at 15 °C)",
    ),
    DensityEntry(
        "petrol",
        ("benzine", "petrol", "gasoline", "euro 95"),
        Decimal("0.745"),
        "kg/l",
        "15 °C",
        "EN 228 (petrol: 0.720-0.775 kg/l at 15 °C)",
    ),
    DensityEntry(
        "ethanol",
        ("ethanol", "ethylalcohol", "spiritus", "bio-ethanol"),
        Decimal("0.789"),
        "kg/l",
        "20 °C",
        _HANDBOOK,
    ),
    DensityEntry(
        "isopropanol",
        ("isopropanol", "isopropylalcohol", "ipa", "isopropyl alcohol", "2-propanol"),
        Decimal("0.786"),
        "kg/l",
        "20 °C",
        _HANDBOOK,
    ),
    DensityEntry(
        "acetone", ("aceton", "acetone"), Decimal("0.784"), "kg/l", "20 °C", _HANDBOOK
    ),
    DensityEntry(
        "caustic_soda_50",
        (
            "natronloog",
            "natronloog 50%",
            "caustic soda",
            "sodium hydroxide",
            "naoh",
            "loog",
            "lye",
        ),
        Decimal("1.52"),
        "kg/l",
        "20 °C, 50 % NaOH solution",
        "suppliers' safety data sheets for 50 % sodium hydroxide solution",
    ),
    DensityEntry(
        "sulphuric_acid",
        ("zwavelzuur", "sulphuric acid", "sulfuric acid", "h2so4", "accuzuur"),
        Decimal("1.84"),
        "kg/l",
        "20 °C, 96-98 %",
        _HANDBOOK,
    ),
    DensityEntry(
        "hydraulic_oil",
        ("hydraulische olie", "hydraulic oil", "hydraulic fluid", "hydrauliekolie"),
        Decimal("0.87"),
        "kg/l",
        "15 °C, ISO VG 46",
        "typical product data sheets for ISO VG 46 mineral hydraulic oil",
    ),
    DensityEntry(
        "lubricating_oil",
        ("smeerolie", "motorolie", "lubricating oil", "engine oil", "olie", "oil"),
        Decimal("0.88"),
        "kg/l",
        "15 °C",
        "typical product data sheets for mineral lubricating oil",
    ),
    DensityEntry(
        "liquid_propane",
        ("propaan vloeibaar", "lpg", "liquid propane"),
        Decimal("0.51"),
        "kg/l",
        "15 °C, liquid under pressure",
        "EN 589 (LPG) typical value",
    ),
    DensityEntry(
        "nitrogen",
        ("stikstof", "nitrogen", "n2"),
        Decimal("1.2506"),
        "kg/Nm3",
        _NORMAL,
        _HANDBOOK,
    ),
    DensityEntry(
        "oxygen",
        ("zuurstof", "oxygen", "o2"),
        Decimal("1.4290"),
        "kg/Nm3",
        _NORMAL,
        _HANDBOOK,
    ),
    DensityEntry(
        "argon", ("argon", "ar"), Decimal("1.7837"), "kg/Nm3", _NORMAL, _HANDBOOK
    ),
    DensityEntry(
        "carbon_dioxide",
        ("co2", "koolzuur", "kooldioxide", "koolstofdioxide", "carbon dioxide"),
        Decimal("1.9768"),
        "kg/Nm3",
        _NORMAL,
        _HANDBOOK,
    ),
    DensityEntry(
        "propane",
        ("propaan", "propane"),
        Decimal("2.0098"),
        "kg/Nm3",
        _NORMAL,
        _HANDBOOK,
    ),
    DensityEntry(
        "natural_gas",
        ("aardgas", "natural gas", "groningen gas", "g-gas"),
        Decimal("0.833"),
        "kg/Nm3",
        _NORMAL,
        "Dutch low-calorific (Groningen) natural gas, Gasunie specification",
    ),
    DensityEntry(
        "hydrogen",
        ("waterstof", "hydrogen", "h2"),
        Decimal("0.0899"),
        "kg/Nm3",
        _NORMAL,
        _HANDBOOK,
    ),
    DensityEntry(
        "air",
        ("perslucht", "lucht", "compressed air", "air"),
        Decimal("1.293"),
        "kg/Nm3",
        _NORMAL,
        _HANDBOOK,
    ),
)

_WORDS = re.compile(r"[\w%+-]+")


def _phrases(text: str) -> set[str]:
    """Every run of consecutive words in `text`, lowercase."""
    words = _WORDS.findall(text.casefold())
    return {
        " ".join(words[i:j])
        for i in range(len(words))
        for j in range(i + 1, min(len(words), i + 3) + 1)
    }


def lookup(*names: str | None, gas: bool | None = None) -> DensityEntry | None:
    """The table entry whose name appears as whole words in one of `names`.

    `gas` True looks only among gases (a quantity in Nm3), False only among
    liquids (litres, m3); None among both. Longer names win over shorter.
    """
    phrases: set[str] = set()
    for name in names:
        if name:
            phrases |= _phrases(name)
    best: tuple[int, DensityEntry] | None = None
    for entry in TABLE:
        if gas is not None and (entry.unit == "kg/Nm3") != gas:
            continue
        for candidate in entry.names:
            if candidate in phrases and (best is None or len(candidate) > best[0]):
                best = (len(candidate), entry)
    return best[1] if best else None
