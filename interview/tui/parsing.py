"""Reading what the user types into the interview: amounts, list items, shares.

Plain Python, no Textual: the widgets call these and show their errors.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from ..dataset import Flow, resolve_flow
from ..densities import lookup
from ..i18n import explain, t
from ..numbers import (
    AmbiguousNumber,
    NumberError,
    canonical,
    format_number,
    parse_number,
    read_interview_number,
)
from ..units import (
    COUNT,
    DENSITY_MAX_KG_PER_L,
    METRIC_TON,
    NORMAL_VOLUME,
    VOLUME,
    Unit,
    UnitError,
    known_unit_words,
    parse_unit,
)
from .strings import tr

# What people type when they do not know; compared after casefolding.
DONT_KNOW_WORDS = frozenset(
    {
        "?",
        "??",
        "weet niet",
        "weet ik niet",
        "geen idee",
        "onbekend",
        "don't know",
        "dont know",
        "do not know",
        "don’t know",
        "unknown",
        "not known",
        "no idea",
    }
)

# A number as typed, with spaces only before groups of three digits ("1 200").
_NUMBER = re.compile(r"[-+\u2212]?[0-9](?:[0-9.,]|[ \u00a0\u202f](?=[0-9]{3}\b))*")
_UNIT_WORDS = frozenset(word.casefold() for word in known_unit_words())


class EntryError(ValueError):
    """Input that cannot be read; the message is in the interview's language."""


class Ambiguous(Exception):
    """A number with two readings; the interface asks which one was meant."""

    def __init__(self, typed: str, readings: tuple[Decimal, ...], language: str):
        self.typed = typed
        self.readings = readings
        self.language = language
        super().__init__(typed)

    def replaced(self, text: str, reading: Decimal) -> str:
        """`text` with the ambiguous number written so it reads one way only."""
        return text.replace(self.typed, plain(reading, self.language), 1)


def is_dont_know(text: str) -> bool:
    return text.strip().rstrip(".!").casefold() in DONT_KNOW_WORDS


def plain(value: Decimal, language: str) -> str:
    """A number without grouping that the interview reads back the same way."""
    text = canonical(value)
    return text.replace(".", ",") if language == "nl" else text


def shown(value: Decimal | float | int, language: str, digits: int = 2) -> str:
    """A number for display, thousands grouped by spaces so it cannot mislead.

    Babel groups Dutch thousands with "." (1.500), the very notation that is
    ambiguous; a space reads the same in both languages.
    """
    text = format_number(value, language, digits)
    group = "." if language == "nl" else ","
    return text.replace(group, "\u00a0")


def kg_text(kg: Decimal, language: str) -> str:
    return f"{shown(kg, language)} kg"


def read_number(typed: str, language: str) -> Decimal:
    """One number as the interview reads it; raises Ambiguous or EntryError."""
    try:
        return parse_number(typed.strip())
    except AmbiguousNumber as exc:
        readings = read_interview_number(exc.typed, language).readings
        raise Ambiguous(exc.typed, readings, language) from None
    except NumberError as exc:
        raise EntryError(
            tr("not_a_number", language, detail=explain(exc, language))
        ) from None


def read_unit(word: str, language: str) -> Unit:
    # A bare "ton" passes here in both languages: the session settles what it
    # means in an English interview, and asks when it does not know yet.
    try:
        return parse_unit(word, ton=METRIC_TON)
    except UnitError as exc:
        raise EntryError(
            tr("bad_unit", language, detail=explain(exc, language))
        ) from None


@dataclass(frozen=True)
class Amount:
    """A quantity as typed: None for "don't know", and the unit word used."""

    quantity: Decimal | None
    unit: str | None


def parse_amount(text: str, language: str, default_unit: str | None) -> Amount:
    """Read "850 m3", "1,5 t" or "850" (the default unit) as an amount."""
    text = text.strip()
    if is_dont_know(text):
        return Amount(None, default_unit)
    match = _NUMBER.match(text)
    if not match:
        raise EntryError(tr("amount_needed", language))
    _refuse_glued(text, match, language)
    number = read_number(match.group().strip(), language)
    word = text[match.end() :].strip()
    if not word:
        if default_unit is None:
            raise EntryError(tr("unit_needed", language))
        word = default_unit
    read_unit(word, language)
    return Amount(number, word)


@dataclass(frozen=True)
class ItemLine:
    """One line of a flow list: its name and amount."""

    name: str
    quantity: Decimal | None
    unit: str | None


def parse_item_line(text: str, language: str, default_unit: str | None) -> ItemLine:
    """Read "12,5 t eikenhout", "eikenhout 12,5 t" or "PE 100 buis; 5 t"."""
    text = " ".join(text.split())
    if not text:
        raise EntryError(tr("item_empty", language))
    if ";" in text:
        parts = [part.strip() for part in text.split(";") if part.strip()]
        amounts = [p for p in parts if _starts_amount(p)]
        if len(amounts) != 1 or len(parts) < 2:
            raise EntryError(tr("item_semicolon", language))
        amount = parse_amount(amounts[0], language, default_unit)
        name = " ".join(p for p in parts if p is not amounts[0])
        return ItemLine(name, amount.quantity, amount.unit)

    words = text.split(" ")
    start = next((i for i, w in enumerate(words) if _starts_amount(w)), None)
    if start is None:
        raise EntryError(tr("item_no_amount", language, name=text))
    before = words[:start]
    rest = " ".join(words[start:])

    if is_dont_know(words[start]):
        quantity, after = None, words[start + 1 :]
    else:
        match = _NUMBER.match(rest)
        assert match is not None
        _refuse_glued(rest, match, language)
        quantity = read_number(match.group().strip(), language)
        after = rest[match.end() :].split()
    unit, after = _leading_unit(
        after, language, default_unit, guess=quantity is not None
    )
    if unit == default_unit and after and quantity is not None:
        _refuse_unit_slip(after, language, default_unit, words[start])
    if unit is None and quantity is not None:
        raise EntryError(tr("unit_needed", language))
    name = " ".join(before + after)
    if not name:
        raise EntryError(tr("item_no_name", language))
    return ItemLine(name, quantity, unit)


def _refuse_glued(text: str, match: re.Match[str], language: str) -> None:
    """Refuse a number run on into other characters ("1e5", "2-3", "0x10").

    Only a unit may follow a number without a space ("12kg"); anything else
    would be read as a shorter number and the rest taken for the name.
    """
    end = match.end()
    if end >= len(text) or text[end].isspace():
        return
    token = text[end:].split(" ", 1)[0]
    if token.casefold() in _UNIT_WORDS:
        return
    read_number(match.group() + token, language)  # raises with the reason
    raise EntryError(tr("amount_needed", language))


def completed_follow_up(text: str, needs: str, unit: Any) -> str:
    """A density or piece mass typed as a bare number, with the unit the
    question asks in: "1,05" for a litre is "1,05 kg/l", "0,6" a piece "0,6 kg".

    The prompt gives its example in that unit, so the bare number is read in
    it; the unit is written out, so the report shows what was taken.
    """
    text = text.strip()
    match = _NUMBER.fullmatch(text)
    if match is None:
        return text
    if needs == "mass_per_piece":
        return f"{text} kg"
    try:
        gas = parse_unit(str(unit)).dimension == NORMAL_VOLUME
    except UnitError:
        gas = False
    if gas:
        return f"{text} kg/Nm3"
    try:
        large = parse_number(text) > DENSITY_MAX_KG_PER_L
    except (NumberError, AmbiguousNumber):
        large = False
    # "840" for diesel is kg/m3: no material is 840 kg/l.
    return f"{text} {'kg/m3' if large else 'kg/l'}"


def _starts_amount(word: str) -> bool:
    word = word.strip()
    return bool(_NUMBER.match(word)) or is_dont_know(word.split(" ")[0])


def _leading_unit(
    words: list[str], language: str, default_unit: str | None, guess: bool
) -> tuple[str | None, list[str]]:
    """The unit at the start of `words` (up to three words) and what follows."""
    for size in (3, 2, 1):
        if len(words) >= size:
            candidate = " ".join(words[:size])
            if candidate.casefold() in _UNIT_WORDS:
                read_unit(candidate, language)
                return candidate, words[size:]
    if words and default_unit is None and guess:
        # Not one of our words: a unit pint knows ("lbs"), or a mistake to show.
        read_unit(words[0], language)
        return words[0], words[1:]
    return default_unit, words


def _refuse_unit_slip(
    name_words: list[str], language: str, default_unit: str | None, number: str
) -> None:
    """Refuse "40 kgg boter": a word after the number that is nearly a unit.

    Without this the word would become part of the name and the amount would
    silently be in the default unit. A word with several meanings ("dozen",
    "pond") is refused too. A material the density table knows ("pvc") is a
    name, however close to a unit it is.
    """
    word = name_words[0]
    try:
        parse_unit(word, ton=METRIC_TON)
        return  # a unit pint knows ("grain"): kept as part of the name
    except UnitError as exc:
        if lookup(word) is not None:
            return
        if exc.key == "unit.several_meanings":
            detail = explain(exc, language).rstrip(".") + "."
        else:
            folded = word.casefold()
            close = [
                match
                for match in difflib.get_close_matches(
                    folded, sorted(_UNIT_WORDS), n=3, cutoff=0.8
                )
                # "kgg" for kg, but not "pvc" for pc
                if len(match) > 2 or folded.startswith(match)
            ]
            if not close:
                return
            detail = t("error.unit.did_you_mean", language, word=close[0]).strip()
    rest = " ".join(name_words[1:]) or "…"
    raise EntryError(
        tr(
            "unit_slip",
            language,
            word=word,
            detail=detail,
            name=rest,
            number=number,
            unit=default_unit or "kg",
        )
    )


def parse_composition(text: str, language: str) -> list[dict[str, str]]:
    """Read "glasvezel 33,33; hars 33,33; vulstof 33,34" as material shares."""
    shares = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        match = re.fullmatch(r"(?P<m>.+?)\s*[:=]?\s*(?P<n>[0-9][0-9.,]*)\s*%?", part)
        if match is None:
            match = re.fullmatch(r"(?P<n>[0-9][0-9.,]*)\s*%?\s*(?P<m>.+)", part)
        if match is None:
            raise EntryError(tr("share_bad", language, part=part))
        pct = read_number(match.group("n"), language)
        shares.append({"material": match.group("m").strip(), "share_pct": str(pct)})
    if not shares:
        raise EntryError(tr("share_bad", language, part=text))
    return shares


def composition_text(shares: Any, language: str) -> str:
    """Shares written back the way the user types them."""
    if not isinstance(shares, list):
        return ""
    parts = []
    for share in shares:
        try:
            pct = shown(Decimal(str(share["share_pct"])), language)
        except (KeyError, ArithmeticError, TypeError, ValueError):
            pct = str(share.get("share_pct", ""))
        parts.append(f"{share.get('material', '')} {pct}")
    return "; ".join(parts)


@dataclass(frozen=True)
class Mass:
    """What a flow comes to in kilograms, or why it cannot be converted."""

    kg: Decimal | None
    reason: str | None = None
    needs: str | None = None  # "density" or "mass_per_piece"
    default_density: bool = False


def flow_mass(flow: Mapping[str, Any], language: str = "nl") -> Mass:
    """Convert a flow as the balance will, without raising; why not, in `language`."""
    try:
        model = Flow.model_validate(dict(flow))
    except ValidationError:
        return Mass(None)
    problems: list[str] = []
    resolved = resolve_flow(model, 0, problems, "", language=language)
    conversion = resolved.conversion
    if conversion is None:
        return Mass(None, "; ".join(problems) or None)
    if conversion.kg is not None:
        return Mass(conversion.kg, default_density=conversion.density_is_default)
    needs = None
    if resolved.unit is not None and resolved.unit.dimension == COUNT:
        needs = "mass_per_piece"
    elif resolved.unit is not None and resolved.unit.dimension in (
        VOLUME,
        NORMAL_VOLUME,
    ):
        needs = "density"
    return Mass(None, conversion.reason, needs)
