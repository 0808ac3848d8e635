"""Reading numbers the way Dutch and English users and data files write them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_decimal

from .i18n import Explained

# Spaces that people (and spreadsheets) put between groups of thousands.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_SHAPE = re.compile(r"^[0-9.,]+$")


class NumberError(Explained):
    """A text that is not a number we accept; the message says what is accepted."""


class AmbiguousNumber(NumberError):
    """A text with two plausible readings, e.g. "1.200" (1.2 or 1 200)."""

    def __init__(self, text: str, readings: tuple[Decimal, Decimal]):
        self.typed = text
        self.readings = readings
        first, second = (_plain(r) for r in readings)
        super().__init__("number.ambiguous", text=text, first=first, second=second)


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _grouped(text: str, sep: str) -> Decimal | None:
    """Digits grouped by `sep` in threes after a first group of one to three."""
    groups = text.split(sep)
    if not (1 <= len(groups[0]) <= 3) or groups[0].startswith("0"):
        return None
    if any(len(g) != 3 for g in groups[1:]):
        return None
    return Decimal("".join(groups))


@lru_cache(maxsize=8192)
def parse_number(text: str, *, allow_negative: bool = False) -> Decimal:
    """Parse one number by the rule for data files and the interview.

    Digits alone are an integer. A single "." or "," is the decimal separator,
    unless the text could also be a thousands grouping (one to three digits,
    not starting with 0, then exactly three): that raises `AmbiguousNumber`
    with both readings. With both separators the last one is the decimal
    separator and the other groups thousands; one separator repeated groups
    thousands; spaces group thousands.
    """
    if "\n" in text or "\r" in text:
        raise NumberError("number.lines")
    raw = text.strip()
    if not raw:
        raise NumberError("number.empty")
    negative = False
    if raw[0] in "-\u2212":
        negative = True
        raw = raw[1:].strip()
    elif raw[0] == "+":
        raw = raw[1:].strip()
    compact = _SPACES.sub("", raw)
    if (
        not compact
        or not _SHAPE.match(compact)
        or not any(c.isdigit() for c in compact)
    ):
        raise NumberError("number.not_a_number", text=text.strip())
    if " " in raw or "\u00a0" in raw or "\u202f" in raw or "\u2009" in raw:
        # Spaces may only separate groups of three digits.
        head = re.split(r"[.,]", raw)[0] if re.search(r"[.,]", raw) else raw
        parts = _SPACES.split(head)
        if not (1 <= len(parts[0]) <= 3) or any(len(p) != 3 for p in parts[1:]):
            raise NumberError("number.spaces", text=text.strip())

    value = _read_separators(compact, text.strip())
    if negative and value != 0:
        if not allow_negative:
            raise NumberError("number.negative", text=text.strip())
        value = -value
    return _in_range(value, text.strip())


def _read_separators(compact: str, shown: str) -> Decimal:
    dots, commas = compact.count("."), compact.count(",")
    if dots == 0 and commas == 0:
        return Decimal(compact)
    if compact[0] in ".," or compact[-1] in ".,":
        raise NumberError("number.edge", text=shown)

    if dots and commas:
        decimal_sep = "." if compact.rfind(".") > compact.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, frac = compact.rpartition(decimal_sep)
        if decimal_sep in whole:
            raise NumberError("number.two_decimal", text=shown)
        grouped = _grouped(whole, group_sep)
        if grouped is None:
            raise NumberError("number.uneven", text=shown)
        return Decimal(f"{grouped}.{frac}")

    sep = "." if dots else ","
    if compact.count(sep) > 1:
        grouped = _grouped(compact, sep)
        if grouped is None:
            raise NumberError("number.repeat", text=shown, sep=sep)
        return grouped

    whole, _, frac = compact.partition(sep)
    as_decimal = Decimal(f"{whole}.{frac}")
    as_grouped = _grouped(compact, sep)
    if as_grouped is not None:
        raise AmbiguousNumber(shown, (as_decimal, as_grouped))
    return as_decimal


# Quantities far outside what any company handles are refused, so that no
# figure overflows the report's formatting: up to a trillion (10^12) units,
# and nothing finer than a billionth.
LARGEST = Decimal(10) ** 12
SMALLEST = Decimal(10) ** -9


def _in_range(value: Decimal, shown: str) -> Decimal:
    if value and not (SMALLEST <= abs(value) <= LARGEST):
        raise NumberError("number.out_of_range", text=shown)
    return value


def parse_data_value(value: object, *, allow_negative: bool = False) -> Decimal:
    """A number from a data file: JSON numbers as they are, text by `parse_number`."""
    if isinstance(value, float):
        # The common case in a JSON file: checked as a float, then converted.
        # (The shortest text of a float orders as the float does, so the
        # bounds give the same answer as on the Decimal.)
        if not -_LARGEST_FLOAT <= value <= _LARGEST_FLOAT:  # NaN fails this too
            if value != value or abs(value) == _INF:
                raise NumberError("number.not_finite")
        elif value and -_SMALLEST_FLOAT < value < _SMALLEST_FLOAT:
            pass
        elif value >= 0 or allow_negative:
            return Decimal(float.__repr__(value))
        number = Decimal(float.__repr__(value))
    elif isinstance(value, str):
        return parse_number(str(value), allow_negative=allow_negative)
    elif isinstance(value, bool):
        raise NumberError("number.not_a_number", text=repr(value))
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, Decimal):
        number = value
    else:
        raise NumberError("number.not_a_number", text=repr(value))
    if number < 0 and not allow_negative:
        raise NumberError("number.negative", text=str(value))
    if number and not (SMALLEST <= abs(number) <= LARGEST):
        raise NumberError("number.out_of_range", text=str(value))
    return number


_INF = float("inf")
_LARGEST_FLOAT = float(LARGEST)
_SMALLEST_FLOAT = float(SMALLEST)


@dataclass(frozen=True)
class Reading:
    """A number read in the interview, with the readings the user may pick from."""

    value: Decimal | None
    readings: tuple[Decimal, ...] = ()


def read_interview_number(text: str, language: str) -> Reading:
    """Read a number typed in the interview.

    The rule is the data-file rule; where it finds two readings the interview
    asks back, showing the reading of the user's language first.
    """
    try:
        return Reading(parse_number(text))
    except AmbiguousNumber as exc:
        decimal_reading, grouped_reading = exc.readings
        sep = "," if "," in text else "."
        # In Dutch "." groups thousands and "," is the decimal separator.
        locale_groups = (sep == ".") == (language == "nl")
        first, second = (
            (grouped_reading, decimal_reading)
            if locale_groups
            else (decimal_reading, grouped_reading)
        )
        return Reading(None, (first, second))


def format_number(value: Decimal | float | int, language: str, digits: int = 2) -> str:
    """A number as a reader of `language` writes it, at most `digits` decimals."""
    locale = "nl_NL" if language == "nl" else "en_GB"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=locale)


def canonical(value: Decimal) -> str:
    """A number as plain text that the data-file rule reads back unambiguously."""
    text = _plain(value)
    whole, _, frac = text.lstrip("-").partition(".")
    if len(frac) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
        text += "0"  # "1.234" could read as 1234; "1.2340" cannot
    return text


def column_convention(texts: list[str]) -> str | None:
    """The decimal separator a column of numbers uses, from its unambiguous values.

    Returns "," or ".", or None when no value settles it. Raises NumberError
    when values disagree (one reads "," as decimal, another "." as decimal).
    """
    votes: dict[str, str] = {}
    for text in texts:
        compact = _SPACES.sub("", text.strip()).lstrip("+-\u2212")
        dots, commas = compact.count("."), compact.count(",")
        if dots and commas:
            sep = "." if compact.rfind(".") > compact.rfind(",") else ","
        elif dots > 1 or commas > 1:
            sep = "," if dots > 1 else "."
        elif dots or commas:
            single = "." if dots else ","
            try:
                parse_number(compact)
            except AmbiguousNumber:
                continue
            except NumberError:
                continue
            sep = single
        else:
            continue
        votes.setdefault(sep, text.strip())
    if len(votes) > 1:
        raise NumberError("number.mixed_column", comma=votes[","], point=votes["."])
    return next(iter(votes), None)


def parse_with_convention(text: str, decimal_sep: str | None) -> Decimal:
    """Parse a value of a column whose decimal separator is known (or None)."""
    if decimal_sep is None:
        return parse_number(text)
    group_sep = "." if decimal_sep == "," else ","
    raw = text.strip()
    compact = _SPACES.sub("", raw)
    if group_sep in compact:
        whole, _, frac = compact.partition(decimal_sep)
        if _grouped(whole.lstrip("+-\u2212"), group_sep) is None:
            raise NumberError("number.uneven", text=raw)
        compact = compact.replace(group_sep, "")
    # Only the decimal separator is left: not ambiguous any more.
    plain = compact.replace(decimal_sep, ".")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", plain):
        return parse_number(raw)  # its message says what is wrong
    return Decimal(plain)
