"""Bring your own data: flows from CSV, XLSX and massabalans/1 files.

Reading a file gives a `Preview` (the rows as flows, the rows that could not
be read, and what was detected) before anything is stored; `store_preview`
then saves the rows as items of the interview's flow-list questions, in one
transaction.
"""

from __future__ import annotations

import ast
import csv
import functools
import io
import logging
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from .dataset import KINDS, MAX_FILE_BYTES, OUTPUT_KINDS
from .engine import Answer, Engine
from .exporter import FORMULA_STARTS
from .i18n import t
from .mapping import flow_list_for, looks_like_template
from .numbers import (
    NumberError,
    canonical,
    column_convention,
    parse_data_value,
    parse_number,
    parse_with_convention,
)
from .questionnaire import Question, Questionnaire
from .safeload import TooLarge, read_capped
from .session import AnswerError, Session, check_answer
from .units import UnitError, parse_unit

log = logging.getLogger(__name__)

DATA_SUFFIXES = (".yaml", ".yml", ".json")

# The flow fields a column can fill; "note" may take several columns.
FIELDS = tuple(
    "name kind quantity unit material composition density mass_per_piece supplier "
    "processor treatment destination origin cost_eur revenue_eur basis ewc_code "
    "hazardous units use_phase end_of_life note question".split()
)
IGNORE = ("ignore", "-", "none")
NUMBER_FIELDS = ("quantity", "cost_eur", "revenue_eur", "units")

# Header words, folded: lower case, no accents, no spaces or punctuation.
_HEADERS = {
    "name": "naam omschrijving artikel artikelomschrijving artikelnaam benaming "
    "stroom afvalstroom name description item itemname flow flowname",
    "quantity": "hoeveelheid aantal gewicht massa verbruik jaarverbruik qty "
    "quantity weight mass consumption",
    "unit": "eenheid eenheden maateenheid eh unit units uom",
    "kind": "soort kind type categorie category stroomtype",
    "material": "materiaal materiaalsoort material stof",
    "composition": "samenstelling composition",
    "density": "dichtheid soortelijkgewicht density",
    "mass_per_piece": "gewichtperstuk massaperstuk stukgewicht massperpiece "
    "weightperpiece unitweight",
    "supplier": "leverancier leveranciersnaam supplier vendor",
    "processor": "verwerker afvalverwerker inzamelaar afnemer processor collector "
    "hauler",
    "treatment": "verwerking verwerkingswijze verwerkingsmethode behandeling treatment",
    "destination": "bestemming toepassing destination",
    "origin": "herkomst oorsprong origin",
    "cost_eur": "kosten prijs bedrag totaalprijs totaalbedrag inkoopbedrag "
    "inkoopwaarde cost costs price kosteneur costeur",
    "revenue_eur": "opbrengst vergoeding revenue proceeds revenueeur",
    "basis": "basis bepaling bron source",
    "ewc_code": "euralcode eural euralnummer ewc ewccode afvalcode wastecode",
    "hazardous": "gevaarlijk gevaarlijkafval hazardous",
    "units": "aantalproducten productieaantal unitsmade",
    "use_phase": "gebruiksfase usephase",
    # The interview's list, as massabalans's own CSV export names it.
    "question": "question",
    "end_of_life": "levenseinde eindelevensduur endoflife",
    "note": "opmerking opmerkingen toelichting notitie note notes comment comments "
    "remark remarks artikelnummer artikelnr artnr artikelcode articlenumber "
    "articleno itemnumber sku",
}
_HEADER_FIELD = {w: key for key, words in _HEADERS.items() for w in words.split()}
# Remarks are kept as written; other note columns (article numbers) get a label.
_REMARKS = set(
    "opmerking opmerkingen toelichting notitie note notes comment comments remark "
    "remarks".split()
)

# Cell values in Dutch and English, folded, for the fields with fixed choices.
_WORDS = {
    "kind": {
        "raw_material": "grondstof grondstoffen rawmaterial",
        "composite_material": "samengesteldmateriaal samengesteld compositematerial",
        "semi_finished": "halffabricaat halffabrikaat onderdeel semifinished",
        "auxiliary": "hulpstof hulpstoffen hulpmiddel auxiliary",
        "product": "product eindproduct",
        "by_product": "bijproduct byproduct",
        "waste": "afval afvalstroom waste",
        "wastewater": "afvalwater wastewater",
        "emission": "emissie uitstoot emission",
    },
    "treatment": {
        "reuse": "hergebruik reuse",
        "recycling": "recycling recyclen",
        "composting": "compostering composteren composting",
        "digestion": "vergisting vergisten digestion",
        "energy_recovery": "energieterugwinning energyrecovery",
        "incineration": "verbranding verbranden incineration",
        "landfill": "storten stort landfill",
        "sewer": "riool sewer",
        "unknown": "onbekend unknown",
    },
    "origin": {
        "virgin": "nieuw primair virgin",
        "recycled": "gerecycled gerecycleerd recycled",
        "renewable": "hernieuwbaar renewable",
        "reused": "hergebruikt reused",
        "unknown": "onbekend unknown",
    },
    "basis": {
        "measured": "gemeten measured",
        "invoice": "factuur facturen invoice",
        "estimated": "geschat schatting estimated",
        "unknown": "onbekend unknown",
    },
    "hazardous": {
        "yes": "ja j yes y true waar x 1",
        "no": "nee n no false onwaar 0",
    },
}
_VALUES = {
    name: {w: value for value, words in table.items() for w in words.split()}
    for name, table in _WORDS.items()
}
_UNKNOWN_WORDS = ("unknown", "onbekend", "?", "dont_know", "weet niet")
# A row with such a name sums other rows; importing it would count them twice.
_TOTAL_WORDS = ("totaal", "total", "subtotaal", "subtotal", "totalen", "totals", "som")
_NUMBER_UNIT = re.compile(
    r"^\s*([+\-\u2212]?\s*[0-9][0-9.,\s\u00a0\u202f]*?)\s*([^\d\s.,].*?)?\s*$"
)
_SHARE = re.compile(r"^(.*?)[\s:=]+([0-9][0-9.,]*)\s*%?$")
_CURRENCY = re.compile(r"€|\beur\b|\beuro\b", re.IGNORECASE)


class ImportFileError(Exception):
    """A file that cannot be imported at all; `problems` holds one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class Column:
    """A column of the file and the flow field it fills."""

    number: int
    """1-based position in the header row."""
    header: str
    field: str | None
    unit_hint: str | None = None
    """A unit written in the header, "Hoeveelheid (kg)", used where a row has none."""
    how: str = "guessed"
    """"guessed" from the header, "given" by --map, or "not recognised"."""


@dataclass
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportedRow:
    line: int
    flow: dict[str, Any]
    question: str | None = None
    """The flow-list question the row is stored under."""


@dataclass
class Preview:
    """What reading a file gave, before anything is stored."""

    path: Path
    format: str
    """"csv", "xlsx" or "data file"."""
    settings: dict[str, str] = field(default_factory=dict)
    """What was detected: encoding, delimiter, sheet, header line, numbers."""
    columns: list[Column] = field(default_factory=list)
    rows: list[ImportedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    line_word: str = "line"
    data: dict[str, Any] | None = None
    """For a massabalans/1 file: its parsed content."""
    opened: list[str] = field(default_factory=list)
    """Questions the import answered so that the lists of its rows are asked."""

    def problem_lines(self) -> list[str]:
        return [
            f"{self.path}: {self.line_word} {p.line}: {p.reason}" for p in self.problems
        ]

    def by_question(self) -> dict[str, list[ImportedRow]]:
        groups: dict[str, list[ImportedRow]] = {}
        for row in self.rows:
            groups.setdefault(row.question or "?", []).append(row)
        return groups


@dataclass
class _Table:
    """Cells as read: header candidates and data rows, each with its line."""

    records: list[tuple[int, list[Any]]]
    settings: dict[str, str]
    line_word: str = "line"
    missing: dict[tuple[int, int], str] = field(default_factory=dict)
    """(line, column) -> formula text, for formula cells with no saved result."""
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    """(line, column) -> number format, for numeric cells shown with zeros."""
    warnings: list[str] = field(default_factory=list)
    tons: int = 0
    """Rows whose unit "ton" was read as a metric tonne."""


# Headers


@functools.lru_cache(maxsize=4096)  # kinds, units and headers repeat row after row
def fold(text: str) -> str:
    """Lower case without accents, byte-order mark or surrounding space."""
    text = text.replace("\ufeff", "").strip()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", fold(text))


def guess_column(header: str) -> tuple[str | None, str | None]:
    """The flow field a header names, and a unit written in it ("Gewicht (kg)")."""
    if header.replace("\ufeff", "").strip() in FIELDS:
        return header.replace("\ufeff", "").strip(), None  # our own export's headers
    folded = fold(header)
    unit_hint = None
    bracketed = re.search(r"[(\[]\s*([^)\]]+?)\s*[)\]]", folded)
    if bracketed:
        inner = bracketed.group(1)
        folded = folded.replace(bracketed.group(0), " ")
        if not _CURRENCY.search(inner):
            try:
                parse_unit(inner)
                unit_hint = inner
            except UnitError:
                pass
    whole = _compact(folded)
    if whole in _HEADER_FIELD:
        return _HEADER_FIELD[whole], unit_hint
    words = [w for w in re.split(r"[^a-z0-9]+", folded) if w]
    found = [_HEADER_FIELD[w] for w in words if w in _HEADER_FIELD]
    # "Naam leverancier" is the supplier: a name qualifies the other field.
    specific = [f for f in found if f != "name"] or found
    if not specific:
        return None, unit_hint
    guess = specific[0]
    if guess == "cost_eur" and _is_unit_price(header):
        return None, unit_hint  # a price per kg or per piece is not the total paid
    if guess == "quantity" and unit_hint is None and len(words) > 1:
        for word in words[1:]:
            if word in ("in", "per"):
                break
            try:
                parse_unit(word)
            except UnitError:
                continue
            unit_hint = word
            break
    return guess, unit_hint


def _is_unit_price(header: str) -> bool:
    words = re.split(r"[^a-z0-9]+", fold(header))
    return "per" in words or "stuksprijs" in words or "kiloprijs" in words


def map_columns(
    headers: Sequence[Any], overrides: Mapping[str, str] | None = None
) -> tuple[list[Column], list[str]]:
    """Columns with their fields, guessed then overridden; also the warnings.

    An override's key is a header (compared case- and accent-insensitively),
    a column letter (A, B, ...) or a 1-based column number; its value a field
    or "ignore".
    """
    columns: list[Column] = []
    warnings: list[str] = []
    taken: dict[str, int] = {}
    for number, raw in enumerate(headers, start=1):
        header = _text(raw)
        guess, hint = guess_column(header) if header else (None, None)
        column = Column(number, header, guess, hint)
        if guess is None:
            column.how = "not recognised"
            if _is_unit_price(header):
                column.how = "a price per unit; cost_eur is the total paid"
        elif guess != "note" and guess in taken:
            first = columns[taken[guess]]
            warnings.append(
                f'column "{header}" also looks like {guess}, which column '
                f'"{first.header}" fills; it is not imported (choose with --map)'
            )
            column.field, column.how = None, "not recognised"
        else:
            taken.setdefault(guess, len(columns))
        columns.append(column)

    for key, target in (overrides or {}).items():
        found = _find_column(columns, key)
        if found is None:
            listed = ", ".join(f'"{c.header}"' for c in columns if c.header)
            raise ImportFileError(
                [
                    f'--map {key}={target}: there is no column "{key}"; the columns '
                    f"are {listed} (or give a column letter or number)"
                ]
            )
        column = found
        if target in IGNORE:
            column.field, column.how = None, "given"
            continue
        for other in columns:
            if other is not column and other.field == target and target != "note":
                other.field, other.how = None, "replaced by --map"
        column.field, column.how = target, "given"
        if target != "quantity":
            column.unit_hint = None
        elif column.unit_hint is None:
            column.unit_hint = guess_column(column.header)[1]
    return columns, warnings


def check_field(target: str) -> str:
    """A --map field, or ImportFileError naming the fields there are."""
    if target in FIELDS or target in IGNORE:
        return target
    import difflib

    close = difflib.get_close_matches(target, FIELDS, n=1)
    hint = f'did you mean "{close[0]}"? ' if close else ""
    raise ImportFileError(
        [
            f'--map: "{target}" is not a flow field; {hint}use one of '
            + ", ".join(FIELDS)
            + ", or ignore"
        ]
    )


def _find_column(columns: list[Column], key: str) -> Column | None:
    wanted = fold(key)
    for column in columns:
        if fold(column.header) == wanted:
            return column
    if key.isdigit() and 1 <= int(key) <= len(columns):
        return columns[int(key) - 1]
    if re.fullmatch(r"[A-Za-z]{1,3}", key):
        from openpyxl.utils import column_index_from_string

        index = column_index_from_string(key.upper())
        if index <= len(columns):
            return columns[index - 1]
    return None


# Reading files


def read_preview(
    path: Path | str,
    questionnaire: Questionnaire | None = None,
    *,
    kind: str | None = None,
    overrides: Mapping[str, str] | None = None,
    sheet: str | None = None,
    answers: Mapping[str, Answer] | None = None,
    language: str = "nl",
) -> Preview:
    """Read a CSV or XLSX file into flows; nothing is stored.

    With a questionnaire each row is checked as an item of the flow-list
    question it would be stored under (see `mapping.flow_list_for`), given the
    interview's current `answers`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in DATA_SUFFIXES:
        return _data_preview(path)
    if suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path, sheet)
        fmt = "xlsx"
    elif suffix in (".xls", ".ods", ".numbers"):
        raise ImportFileError(
            [
                f"{path}: {suffix} files cannot be read; save the sheet as .xlsx "
                "(Excel workbook) or as CSV and import that"
            ]
        )
    else:
        table = _read_csv(path)
        if sheet is not None:
            table.warnings.append(
                f"--sheet {sheet} is left aside: a CSV file has one sheet only"
            )
        fmt = "csv"
    preview = Preview(path, fmt, dict(table.settings), line_word=table.line_word)
    preview.warnings += table.warnings
    _build_rows(preview, table, kind, overrides)
    if questionnaire is not None:
        route_rows(preview, questionnaire, answers or {}, language)
    return preview


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ImportFileError(
                [f"{path}: the file is {size // 2**20} MiB; split it per period"]
            )
        return read_capped(path, MAX_FILE_BYTES)
    except TooLarge:
        raise ImportFileError(
            [
                f"{path}: the file is over {MAX_FILE_BYTES // 2**20} MiB; split it "
                "per period"
            ]
        ) from None
    except OSError as exc:
        raise ImportFileError(
            [f"{path}: cannot read the file ({exc.strerror})"]
        ) from exc


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding's name: UTF-8 (with or without BOM), else cp1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 with byte-order mark"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # Excel's "Unicode text" export.
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    return data.decode("cp1252"), "Windows-1252 (cp1252)"


_DELIMITERS = (";", "\t", ",")
_DELIMITER_NAMES = {";": "semicolon", ",": "comma", "\t": "tab"}


def detect_delimiter(text: str) -> tuple[str, str]:
    """The delimiter and how it was found: csv.Sniffer, else by counting."""
    lines = [line for line in text.splitlines() if line.strip()][:50]
    sample = "\n".join(lines)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS))
        if len(_split(lines[0], sniffed.delimiter)) > 1:
            return sniffed.delimiter, "detected"
    except (csv.Error, IndexError):
        pass
    best, best_score = None, (0, 0)
    for delimiter in _DELIMITERS:
        counts = [len(_split(line, delimiter)) for line in lines[:20]]
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = (counts.count(common), common)
        if score > best_score:
            best, best_score = delimiter, score
    if best is None:
        return ";", "assumed: the file has a single column"
    return best, "found by counting"


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return [line]


def _read_csv(path: Path) -> _Table:
    data = _read_bytes(path)
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        raise ImportFileError(
            [
                f"{path}: the file is neither UTF-8 nor Windows-1252 text; save it "
                'as "CSV UTF-8" and import that'
            ]
        ) from None
    if "\x00" in text:
        raise ImportFileError(
            [f"{path}: this is not a text file; give a CSV or an .xlsx file"]
        )
    delimiter, how = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
            if len(records) > MAX_ROWS:
                raise ImportFileError([_too_many_rows(path)])
    except csv.Error as exc:
        raise ImportFileError(
            [f"{path}: line {reader.line_num}: cannot be read as CSV ({exc})"]
        ) from None
    settings = {
        "encoding": encoding,
        "delimiter": f"{_DELIMITER_NAMES[delimiter]} ({how})",
    }
    return _Table(records, settings)


MAX_ROWS = 200_000
"""Rows of one sheet or CSV file: far more than any company's list."""
MAX_COLUMNS = 100
"""Columns of a sheet that are read; a list of flows has a dozen at most."""
MAX_UNPACKED_BYTES = 500 * 2**20
"""What the parts of a workbook may unpack to (a workbook is a zip archive:
a few kB can claim to unpack to gigabytes)."""


def _too_many_rows(path: Path) -> str:
    limit = f"{MAX_ROWS:,}".replace(",", " ")
    return (
        f"{path}: more than {limit} rows; no company's list is that long. Split "
        "the file, or remove what stands below the list"
    )


def _check_unpacked_size(path: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(
            [f"{path}: not an Excel workbook that can be read ({exc})"]
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            [
                f"{path}: the workbook unpacks to {unpacked // 2**20} MiB, over the "
                f"limit of {MAX_UNPACKED_BYTES // 2**20} MiB; save the list alone "
                "in a new workbook or as CSV"
            ]
        )


_ROW_NUMBER = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d+)\"")


def _check_row_order(worksheet: Any, path: Path) -> None:
    """Refuse a sheet whose rows repeat or go back ("row 3" after "row 5").

    openpyxl skips such rows without a word, so they would be lost. The
    sheet's XML is scanned for its row numbers, a megabyte at a time.
    """
    import zipfile

    member = str(getattr(worksheet, "_worksheet_path", "") or "")
    if not member:
        return
    last = 0
    tail = b""
    with zipfile.ZipFile(path) as archive, archive.open(member) as sheet:
        while chunk := sheet.read(2**20):
            text = tail + chunk
            cut = max(text.rfind(b"<"), 0)  # a tag cut in two is read next time
            for found in _ROW_NUMBER.finditer(text, 0, cut):
                number = int(found.group(1))
                if number <= last:
                    raise ImportFileError(
                        [
                            f"{path}: the sheet has row {number} after row {last}, "
                            "so a reader would skip it; open the workbook in Excel "
                            "or LibreOffice, save it, and import it again"
                        ]
                    )
                last = number
            tail = text[cut:]


def _sheet_rows(worksheet: Any, path: Path) -> list[tuple[int, Any]]:
    """The rows of a sheet that have a value, by row number, at most
    MAX_COLUMNS wide; a value below row MAX_ROWS is refused.

    A sheet's stated size can be anything (a single cell far out at XFD1048576
    makes it 17 billion cells), so the empty rows it implies are not kept.
    """
    # The stated size also hides rows: a writer that states A1:D2 over 300
    # rows would have the others left out. So it is not used at all.
    worksheet.reset_dimensions()
    _check_row_order(worksheet, path)
    rows = []
    for number, row in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), 1):
        if any(cell.value is not None for cell in row):
            if number > MAX_ROWS:
                raise ImportFileError([_too_many_rows(path)])
            rows.append((number, row))
    return rows


def _read_xlsx(path: Path, sheet: str | None) -> _Table:
    """A workbook's sheet as a table; a workbook that cannot be read, for any
    reason of its making, is one message, never a traceback."""
    try:
        return _read_workbook(path, sheet)
    except ImportFileError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl, zipfile and XML raise many
        log.info("reading %s failed", path, exc_info=True)
        raise ImportFileError(
            [
                f"{path}: not an Excel workbook that can be read "
                f"({type(exc).__name__}: {exc}); open it in Excel or LibreOffice, "
                "save it as .xlsx, and import it again"
            ]
        ) from None


def _read_workbook(path: Path, sheet: str | None) -> _Table:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    _read_bytes(path)  # size and readability
    _check_unpacked_size(path)
    try:
        values = load_workbook(path, data_only=True, read_only=True)
        formulas = load_workbook(path, data_only=False, read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            [f"{path}: not an Excel workbook that can be read ({exc})"]
        ) from None
    names = values.sheetnames
    if sheet is not None and sheet not in names:
        raise ImportFileError(
            [
                f'{path}: there is no sheet "{sheet}"; the sheets are '
                + ", ".join(f'"{n}"' for n in names)
            ]
        )
    chosen = [sheet] if sheet else names
    picked = None
    for name in chosen:
        rows = _sheet_rows(values[name], path)
        records = [(i, [c.value for c in row]) for i, row in rows]
        if picked is None:
            picked = (name, rows, records)
        if _header_index(records) is not None:
            picked = (name, rows, records)
            break
    assert picked is not None
    name, rows, records = picked
    table = _Table(records, {"sheet": name}, line_word="row")
    if len(names) > 1:
        others = ", ".join(f'"{n}"' for n in names[:6] if n != name)
        more = ", ..." if len(names) > 6 else ""
        table.settings["sheet"] = (
            f'"{name}" (of {len(names)} sheets; the others: {others}{more}; '
            "choose one with --sheet)"
        )
    for i, row in rows:
        for j, cell in enumerate(row, 1):
            fmt = getattr(cell, "number_format", None)
            if isinstance(cell.value, int | float) and fmt and re.fullmatch("0+", fmt):
                table.formats[(i, j)] = fmt
    cached_values = dict(records)
    for i, row in _sheet_rows(formulas[name], path):
        cached_row = cached_values.get(i, [])
        for j, cell in enumerate(row, 1):
            text = cell.value
            cached = cached_row[j - 1] if j <= len(cached_row) else None
            if isinstance(text, str) and text.startswith("="):
                if cached is None:
                    table.missing[(i, j)] = text
            elif text is not None and not isinstance(text, str | int | float):
                # ArrayFormula and the like: a formula object.
                if cached is None:
                    table.missing[(i, j)] = "(array formula)"
    if table.missing:
        first = sorted(table.missing)[0]
        table.warnings.append(
            f"{len(table.missing)} formula cells have no saved result (the first is "
            f"{get_column_letter(first[1])}{first[0]}): the workbook was written by "
            "a program that does not calculate formulas. Open it in Excel or "
            "LibreOffice, save it, and import it again"
        )
    values.close()
    formulas.close()
    return table


def _header_index(
    records: list[tuple[int, list[Any]]], overrides: Mapping[str, str] | None = None
) -> int | None:
    """The first of the opening records that names a name and a quantity column."""
    given = {fold(key): target for key, target in (overrides or {}).items()}
    for index, (_, cells) in enumerate(records[:20]):
        texts = [_text(c) for c in cells if _text(c)]
        fields = {given.get(fold(text)) or guess_column(text)[0] for text in texts}
        if {"name", "quantity"} <= fields:
            return index
    return None


# Cells to flows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value).strip()
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        return text[1:]  # our CSV export's guard against formulas, taken off
    return text


def _build_rows(
    preview: Preview,
    table: _Table,
    kind: str | None,
    overrides: Mapping[str, str] | None,
) -> None:
    records = [(line, cells) for line, cells in table.records if any(map(_text, cells))]
    if not records:
        raise ImportFileError([f"{preview.path}: the file has no rows"])
    header_at = _header_index(records, overrides)
    if header_at is None:
        header_at = 0
    header_line, headers = records[header_at]
    preview.settings["header"] = f"{table.line_word} {header_line}"
    columns, warnings = map_columns(headers, overrides)
    preview.columns = columns
    preview.warnings += warnings
    mapped = {c.field for c in columns if c.field}
    missing = [f for f in ("name", "quantity") if f not in mapped]
    if missing:
        listed = ", ".join(f'"{c.header}"' for c in columns if c.header) or "none"
        raise ImportFileError(
            [
                f"{preview.path}: no column for {' and '.join(missing)} was found "
                f"among the headers ({listed}) on {table.line_word} {header_line}; "
                f"name the column with --map, e.g. --map "
                f'"{columns[0].header or "A"}"={missing[0]}'
            ]
        )
    if "kind" not in mapped and kind is None:
        raise ImportFileError(
            [
                f"{preview.path}: the file has no column for the kind of flow; give "
                "one kind for every row with --kind (" + ", ".join(KINDS) + ")"
            ]
        )
    body = records[header_at + 1 :]
    conventions = _conventions(preview, columns, body)
    for line, cells in body:
        problems: list[str] = []
        flow = _row_flow(line, cells, columns, conventions, kind, table, problems)
        if problems:
            preview.problems.append(RowProblem(line, "; ".join(problems)))
        elif flow is not None:
            preview.rows.append(ImportedRow(line, flow))
    if table.tons:
        preview.warnings.append(
            f'"ton" in {table.tons} rows is read as a metric tonne (1 000 kg), as in '
            "data files"
        )


def _number_texts(column: Column, body: list[tuple[int, list[Any]]]) -> list[str]:
    texts = []
    for _, cells in body:
        if column.number <= len(cells) and isinstance(cells[column.number - 1], str):
            number, _ = _split_number(_strip_currency(cells[column.number - 1]))
            if number:
                texts.append(number)
    return texts


def _conventions(
    preview: Preview, columns: list[Column], body: list[tuple[int, list[Any]]]
) -> dict[int, str | None]:
    """The decimal separator per number column, read from its own values.

    A column none of whose values settles it takes the convention the other
    number columns agree on: one file comes from one spreadsheet's locale.
    """
    found: dict[int, str | None] = {}
    how: dict[int, str] = {}
    for column in columns:
        if column.field not in NUMBER_FIELDS:
            continue
        texts = _number_texts(column, body)
        found[column.number] = None
        if not texts:
            how[column.number] = "numbers stored as numbers"
            continue
        try:
            found[column.number] = column_convention(texts)
            how[column.number] = "from the column's values"
        except NumberError as exc:
            how[column.number] = "mixed, each value read on its own"
            preview.warnings.append(f'column "{column.header}": {exc}')
    decided = {sep for sep in found.values() if sep is not None}
    if len(decided) == 1:
        for number, sep in found.items():
            if sep is None and how[number] == "from the column's values":
                found[number] = next(iter(decided))
                how[number] = "from the file's other number columns"
    names = {",": "decimal comma", ".": "decimal point", None: "not settled"}
    parts = []
    for column in columns:
        if column.number not in found:
            continue
        if how[column.number] == "numbers stored as numbers":
            parts.append(f"{column.header}: numbers stored as numbers")
        else:
            sep = names[found[column.number]]
            parts.append(f"{column.header}: {sep} ({how[column.number]})")
    preview.settings["numbers"] = "; ".join(parts)
    return found


def _strip_currency(text: str) -> str:
    return _CURRENCY.sub("", text).strip()


def _same_unit(one: str, other: Any) -> bool:
    """Whether two unit words are one unit ("kg" and "kgs"); unknown ones are not."""
    if not isinstance(other, str):
        return False
    if one.strip().casefold() == other.strip().casefold():
        return True
    try:
        return parse_unit(one) == parse_unit(other)
    except UnitError:
        return False


def _split_number(text: str) -> tuple[str, str | None]:
    """ "1.234,5 kg" as ("1.234,5", "kg"); text that does not start with a number
    is given back whole."""
    match = _NUMBER_UNIT.match(text)
    if not match:
        return text.strip(), None
    return match.group(1).strip(), (match.group(2) or None)


def _read_number(
    value: Any, sep: str | None, what: str, problems: list[str]
) -> tuple[str | None, str | None]:
    """A cell as canonical number text, and a unit written after it."""
    if isinstance(value, bool) or isinstance(value, datetime | date):
        problems.append(f'{what}: "{_text(value)}" is not a number')
        return None, None
    if isinstance(value, int | float | Decimal):
        try:
            return canonical(parse_data_value(value)), None
        except NumberError as exc:
            problems.append(f"{what}: {exc}")
            return None, None
    text = _strip_currency(str(value))
    number, unit = _split_number(text)
    try:
        return canonical(parse_with_convention(number, sep)), unit
    except NumberError as exc:
        problems.append(f"{what}: {exc}")
        return None, None


def _choice(fieldname: str, value: str, problems: list[str]) -> str | None:
    key = re.sub(r"[^a-z0-9]+", "", fold(value))
    choices = _VALUES[fieldname]
    if key in choices:
        return choices[key]
    if fieldname == "kind" and value in KINDS:
        return value
    allowed = sorted(set(choices.values()))
    problems.append(
        f'{fieldname} "{value}" is not known; use one of ' + ", ".join(allowed)
    )
    return None


def _code(value: Any, fmt: str | None, fieldname: str) -> str:
    """A code as text: leading zeros kept, or put back where the sheet shows them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = _text(value)
        if fmt:
            return digits.zfill(len(fmt))
        if fieldname == "ewc_code" and digits.isdigit() and len(digits) < 6:
            return digits.zfill(6)  # European List of Waste codes have six digits
        return digits
    text = _text(value)
    if fieldname == "ewc_code" and re.fullmatch(r"[0-9 ]+\*?", text):
        text = text.replace(" ", "")  # "02 03 04" as written on consignment notes
    return text


def _composition(text: str, problems: list[str]) -> list[dict[str, str]] | None:
    shares = []
    for part in re.split(r"[;|\n]", text):
        if not part.strip():
            continue
        match = _SHARE.match(part.strip())
        if not match:
            problems.append(
                f'composition "{part.strip()}": write "material share%" parts '
                'separated by ";", e.g. "glasvezel 60 %; hars 40 %"'
            )
            return None
        try:
            pct = canonical(parse_number(match.group(2)))
        except NumberError as exc:
            problems.append(f"composition {match.group(1)}: {exc}")
            return None
        shares.append({"material": match.group(1).strip(), "share_pct": pct})
    return shares or None


def _row_flow(
    line: int,
    cells: list[Any],
    columns: list[Column],
    conventions: dict[int, str | None],
    default_kind: str | None,
    table: _Table,
    problems: list[str],
) -> dict[str, Any] | None:
    flow: dict[str, Any] = {}
    notes: list[str] = []
    uncalculated: list[str] = []
    written: tuple[str, str] | None = None  # a quantity cell with a unit in it
    hint = None
    for column in columns:
        name = column.field
        if name is None:
            continue
        if (line, column.number) in table.missing:
            from openpyxl.utils import get_column_letter

            formula = table.missing[(line, column.number)]
            uncalculated.append(
                f"{get_column_letter(column.number)}{line} ({column.header}) holds "
                f"{formula}"
            )
            continue
        value = cells[column.number - 1] if column.number <= len(cells) else None
        text = _text(value)
        if isinstance(value, str) and re.fullmatch(r"#[A-Z0-9/]+[!?]?|#N/A", text):
            problems.append(f"{column.header} shows the spreadsheet error {text}")
            continue
        if not text:
            continue
        if name == "quantity":
            hint = column.unit_hint
            if not text[0].isdigit() and fold(text) in _UNKNOWN_WORDS:
                flow["quantity"] = "unknown"
                continue
            number, unit = _read_number(
                value, conventions.get(column.number), "quantity", problems
            )
            if number is not None:
                flow["quantity"] = number
                if unit:
                    written = (text, unit)
                    flow.setdefault("unit", unit)
        elif name in NUMBER_FIELDS:
            number, _ = _read_number(
                value, conventions.get(column.number), name, problems
            )
            if number is not None:
                flow[name] = number
        elif name in ("kind", "treatment", "origin", "basis"):
            chosen = _choice(name, text, problems)
            if chosen is not None:
                flow[name] = chosen
        elif name == "hazardous":
            chosen = _choice(name, text, problems)
            if chosen is not None:
                flow[name] = chosen == "yes"
        elif name == "ewc_code":
            flow[name] = _code(value, table.formats.get((line, column.number)), name)
        elif name == "composition":
            shares = _composition(text, problems)
            if shares:
                flow[name] = shares
        elif name in ("density", "mass_per_piece"):
            if isinstance(value, int | float) and column.unit_hint:
                text = f"{text} {column.unit_hint}"
            flow[name] = text
        elif name == "unit":
            flow["unit"] = text
        elif name == "note":
            # A remark is kept as it is; an article number gets its header.
            code = _code(value, table.formats.get((line, column.number)), name)
            notes.append(code if _is_note(column) else f"{column.header}: {code}")
        else:
            flow[name] = _code(value, table.formats.get((line, column.number)), name)
    if written is not None and not _same_unit(written[1], flow.get("unit")):
        # "12 t" beside a unit column saying kg, or "1e5" read as 1 and "e5":
        # which one is meant cannot be guessed.
        problems.append(
            f'the quantity "{written[0]}" has "{written[1]}" after the number and '
            f'the unit column says "{flow.get("unit")}"; write only the number '
            "in the quantity column"
        )
    if uncalculated:
        problems.append(
            "formula without a saved result: "
            + ", ".join(uncalculated)
            + "; open the workbook in Excel or LibreOffice, save it, and import again"
        )
    if notes:
        flow["note"] = "; ".join(notes)
    if problems or not flow:
        return None
    if "name" not in flow:
        problems.append("the name is empty; fill in the name or remove the row")
        return None
    if fold(flow["name"]).split(" ")[0].rstrip(":") in _TOTAL_WORDS:
        problems.append(
            f'"{flow["name"]}" looks like a total of other rows; it is left out so '
            "nothing is counted twice (rename it to import it)"
        )
        return None
    if "kind" not in flow:
        if default_kind is None:
            problems.append("the kind is empty; fill it in or give --kind")
            return None
        flow["kind"] = default_kind
    if flow["kind"] in OUTPUT_KINDS and flow["kind"] != "product":
        # One "Leverancier" column for a list of purchases and waste: for a
        # stream that leaves, the party named is the one that takes it.
        if "supplier" in flow and "processor" not in flow:
            flow["processor"] = flow.pop("supplier")
    if "quantity" not in flow:
        flow["quantity"] = "unknown"
    elif flow["quantity"] != "unknown" and "unit" not in flow:
        if hint is None:
            problems.append(
                "the unit is missing; add a unit column, write the unit after the "
                'number ("120 kg"), or put it in the header ("Hoeveelheid (kg)")'
            )
            return None
        flow["unit"] = hint
    if str(flow.get("unit", "")).strip().casefold() in ("ton", "tons"):
        flow["unit"] = "t"  # the data-file rule: a ton is a metric tonne
        table.tons += 1
    return flow


def _is_note(column: Column) -> bool:
    """Whether the column is a remark (kept as is) rather than a labelled code."""
    return _compact(column.header) in _REMARKS


# Routing rows to the interview's questions


def _named_list(
    questionnaire: Questionnaire, named: Any, flow: Mapping[str, Any]
) -> Question | None:
    """The list a row's question column names, if it is one that takes the row."""
    if not isinstance(named, str) or not questionnaire.has(named):
        return None
    question = questionnaire.question(named)
    if question.type == "flow_list" and flow.get("kind") in (question.kinds or ()):
        return question
    return None


def _named_amount(
    questionnaire: Questionnaire,
    name: Any,
    flow: Mapping[str, Any],
    answers: Mapping[str, Answer],
    named: Counter[Any],
) -> Question | None:
    """The quantity question a row's question column names, if the row is its
    flow (same kind and name), the only row naming it, and it is not answered
    yet."""
    if not isinstance(name, str) or not questionnaire.has(name):
        return None
    question = questionnaire.question(name)
    if (
        question.type == "quantity"
        and question.flow is not None
        and question.flow.kind == flow.get("kind")
        and looks_like_template(flow, question.flow)
        and named[name] == 1
        and name not in answers
    ):
        return question
    return None


def _amount_answer(flow: Mapping[str, Any]) -> Answer:
    keys = ("quantity", "unit", "density", "mass_per_piece")
    return Answer({k: flow[k] for k in keys if flow.get(k) not in (None, "")})


def route_rows(
    preview: Preview,
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    language: str = "nl",
) -> None:
    """Give each row its question and check it as an item of that question."""
    visible = {q.id for q in Engine(questionnaire).visible(answers)}
    kept: list[ImportedRow] = []
    named = [row.flow.pop("question", None) for row in preview.rows]
    counted = Counter(named)
    for row, name in zip(preview.rows, named, strict=True):
        amount = _named_amount(questionnaire, name, row.flow, answers, counted)
        if amount is not None:
            # The answer to a quantity question (mains water), as exported.
            try:
                check_answer(amount, _amount_answer(row.flow), language, None, "en")
            except AnswerError as exc:
                preview.problems.append(RowProblem(row.line, "; ".join(exc.problems)))
                continue
            row.question = amount.id
            kept.append(row)
            continue
        question = _named_list(questionnaire, name, row.flow)
        if question is None:
            question = flow_list_for(questionnaire, row.flow)
        if question is None:
            preview.problems.append(
                RowProblem(
                    row.line,
                    f"no question of the interview takes flows of kind "
                    f"{row.flow['kind']}; give the row another kind",
                )
            )
            continue
        try:
            # Told in English, as every message of the import is.
            checked = check_answer(question, Answer([row.flow]), language, None, "en")
        except AnswerError as exc:
            item_at = t("error.flow.item", "en", position=1, name=row.flow.get("name"))
            reasons = [p.removeprefix(f"{item_at}: ") for p in exc.problems]
            preview.problems.append(RowProblem(row.line, "; ".join(reasons)))
            continue
        row.flow = checked.value[0]
        row.question = question.id
        kept.append(row)
        existing = answers.get(question.id)
        if existing is not None and row.flow in (existing.value or ()):
            preview.warnings.append(
                f"{preview.line_word} {row.line}: {row.flow['name']} is already in "
                f"question {question.id} with the same figures; importing it again "
                "counts it twice"
            )
    preview.rows = kept
    preview.problems.sort(key=lambda p: p.line)
    hidden = sorted(
        {
            r.question
            for r in kept
            if r.question is not None and r.question not in visible
        }
    )
    for qid in hidden:
        question = questionnaire.question(qid)
        gates = gate_answers(question, questionnaire, answers)
        if gates:
            given = "; ".join(
                f"{gate} {_answer_words(answer)}" for gate, answer in gates.items()
            )
            preview.warnings.append(
                f"question {qid} is not asked yet in this interview (it is asked when "
                f"{question.when}); the import answers {given}, so that its rows count"
            )
            continue
        preview.warnings.append(
            f"question {qid} is not asked yet in this interview (it is asked when "
            f"{question.when}); its rows are stored but count only once that holds: "
            "answer the question that opens it in the interview"
        )


def gate_answers(
    question: Question, questionnaire: Questionnaire, answers: Mapping[str, Answer]
) -> dict[str, Answer] | None:
    """The answers that would make `question` asked, or None if not known.

    Known for a condition of the plain forms `q == "v"` (q a choice question
    not answered yet) and `"v" in q` (q a multiple choice: v is added to its
    answer), and for several of those joined by `and`. Imported rows of a list
    that is not asked yet open it this way, so that they count.
    """
    condition = questionnaire.conditions.get(question.id)
    if condition is None:
        return {}
    tree = condition.tree.body
    parts = (
        tree.values
        if isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And)
        else [tree]
    )
    found: dict[str, Answer] = {}
    for part in parts:
        if not (isinstance(part, ast.Compare) and len(part.ops) == 1):
            return None
        left, op, right = part.left, part.ops[0], part.comparators[0]
        if (
            isinstance(op, ast.Eq)
            and isinstance(left, ast.Name)
            and isinstance(right, ast.Constant)
            and isinstance(right.value, str)
        ):
            gate = questionnaire.question(left.id)
            if gate.type != "choice" or left.id in answers:
                return None  # a choice already made is the user's, not ours
            found[gate.id] = Answer(right.value)
        elif (
            isinstance(op, ast.In)
            and isinstance(left, ast.Constant)
            and isinstance(left.value, str)
            and isinstance(right, ast.Name)
        ):
            gate = questionnaire.question(right.id)
            if gate.type != "multi_choice":
                return None
            earlier = found.get(gate.id) or answers.get(gate.id)
            values = (
                list(earlier.value)
                if earlier is not None
                and not earlier.unknown
                and isinstance(earlier.value, list)
                else []
            )
            if left.value not in values:
                values.append(left.value)
            found[gate.id] = Answer(values, earlier.note if earlier else None)
        else:
            return None
    return found


def _answer_words(answer: Answer) -> str:
    value = answer.value
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def open_gates(session: Session, question: Question, depth: int = 0) -> list[str]:
    """Answer what makes `question` asked, where `gate_answers` knows it, and
    the questions that ask those in turn; what was answered, as lines."""
    engine = session.engine
    if depth > 5 or question.id in {q.id for q in engine.visible(session.answers)}:
        return []
    gates = gate_answers(question, session.questionnaire, session.answers)
    if not gates:
        return []
    said: list[str] = []
    for gate_id, answer in gates.items():
        gate = session.questionnaire.question(gate_id)
        said += open_gates(session, gate, depth + 1)
        session.answer(gate, answer)
        said.append(f"{gate_id}: {_answer_words(answer)} (for {question.id})")
    return said


# Massabalans/1 data files


def _data_preview(path: Path) -> Preview:
    from .dataset import DataFileError, parse_dataset, read_file

    try:
        raw = read_file(path)
        dataset = parse_dataset(raw, str(path))
    except DataFileError as exc:
        raise ImportFileError(exc.problems) from None
    data = dataset.data
    preview = Preview(path, "data file", data=raw, line_word="flow")
    preview.settings = {
        "format": "massabalans/1",
        "company": data.company.name,
        "period": data.period,
        "flows": str(len(data.flows)),
        "answers": str(len(data.answers or {})),
    }
    for number, flow in enumerate(data.flows, start=1):
        item = flow.model_dump(exclude_none=True)
        preview.rows.append(ImportedRow(number, item, item.get("question")))
    return preview


# Storing


def store_preview(
    session: Session, preview: Preview, pause: float = 0.0
) -> dict[str, int]:
    """Add the preview's rows to the session's flow lists, all in one transaction.

    Rows are appended to what a list already holds. Returns the number of
    rows per question. `pause` (seconds between questions) lets a test kill
    the process in the middle.
    """
    added: dict[str, int] = {}
    with session.store._transaction(), session.batch():
        for question_id, rows in preview.by_question().items():
            question = session.questionnaire.question(question_id)
            if question.type == "quantity":
                session.answer(question, _amount_answer(rows[0].flow))
                added[question_id] = 1
                continue
            existing = session.answers.get(question_id)
            items = (
                list(existing.value or [])
                if existing is not None and not existing.unknown
                else []
            )
            items += [row.flow for row in rows]
            note = existing.note if existing is not None else None
            session.answer(question, Answer(items, note))
            for line in open_gates(session, question):
                log.info("answered %s", line)
                preview.opened.append(line)
            added[question_id] = len(rows)
            log.info("%s: %d rows saved, not yet committed", question_id, len(rows))
            if pause:
                time.sleep(pause)
    return added


def replay_data_file(session: Session, preview: Preview, pause: float = 0.0):
    """Replay a massabalans/1 file into a new session in one transaction.

    Returns the first question the file leaves open, or None when the
    interview is complete (it is then marked finished). A complete replay
    that leaves flows no question takes raises ImportFileError, and nothing
    is stored.
    """
    from .mapping import Replay
    from .session import replay_into

    assert preview.data is not None
    if preview.data.get("parts"):
        raise ImportFileError(
            [
                "the data file names parts; the interview does not ask for parts "
                "yet, so an import would lose them. Use balance or report --data "
                "with this file"
            ]
        )
    replay = Replay(session.questionnaire, preview.data)
    if replay.unplaced():
        raise ImportFileError(replay.unplaced_problems(preview.path))
    with session.store._transaction(), session.batch():
        question = replay_into(session, replay, pause)
        if not replay.leftover():
            from .balance import compute
            from .dataset import parse_dataset
            from .mapping import replay_differences

            differ = replay_differences(
                compute(parse_dataset(preview.data, str(preview.path))),
                session.balance(),
                preview.path,
            )
            if differ:
                raise ImportFileError(differ)
        left = replay.leftover() if question is None else []
        if left:
            raise ImportFileError(
                [
                    f"{preview.path}: flow {flow.get('name')} (kind {flow.get('kind')})"
                    " fits no question of the questionnaire; give it a kind the "
                    "questions ask for, or a question key"
                    for flow in left
                ]
            )
        if question is None:
            session.finish()
    return question


def iter_preview_lines(preview: Preview, limit: int = 20) -> Iterable[str]:
    """The preview as text lines for the terminal."""
    yield f"file: {preview.path} ({preview.format})"
    for key, value in preview.settings.items():
        yield f"  {key}: {value}"
    if preview.columns:
        yield "columns:"
        for column in preview.columns:
            if not column.header and column.field is None:
                continue
            target = column.field or "not imported"
            extra = ""
            if column.unit_hint and column.field == "quantity":
                extra = f", unit {column.unit_hint} from the header"
            how = f" ({column.how}{extra})"
            yield f"  {column.header or '(no header)'} -> {target}{how}"
    for warning in preview.warnings:
        yield f"warning: {warning}"
    word = preview.line_word
    total = len(preview.rows)
    noun = "flows" if preview.format == "data file" else "rows"
    yield (
        f"{total} {noun} read"
        + (
            f", {len(preview.problems)} not (listed on stderr)"
            if preview.problems
            else ""
        )
    )
    for row in preview.rows[:limit]:
        flow = row.flow
        quantity = flow.get("quantity")
        amount = quantity if quantity == "unknown" else f"{quantity} {flow.get('unit')}"
        details = ", ".join(
            f"{k} {v}"
            for k, v in flow.items()
            if k not in ("name", "kind", "quantity", "unit", "question")
        )
        target = f" -> {row.question}" if row.question else ""
        yield (
            f"  {word} {row.line}: {flow.get('name')} [{flow.get('kind')}] {amount}"
            + (f" ({details})" if details else "")
            + target
        )
    if total > limit:
        yield f"  ... and {total - limit} more"
