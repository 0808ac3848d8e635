"""A stored interview as CSV, an Excel workbook, or a SankeyMatic diagram."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from .dataset import INPUT_KINDS, OUTPUT_KINDS, Dataset, ResolvedFlow
from .engine import Answer
from .numbers import canonical, parse_data_value
from .questionnaire import DONT_KNOW, Question

# The flow columns of the CSV and of the workbook's flow tables, in order.
COLUMNS = (
    "name",
    "kind",
    "quantity",
    "unit",
    "kg",
    "material",
    "composition",
    "density",
    "mass_per_piece",
    "supplier",
    "processor",
    "treatment",
    "destination",
    "origin",
    "cost_eur",
    "revenue_eur",
    "basis",
    "ewc_code",
    "hazardous",
    "units",
    "use_phase",
    "end_of_life",
    "note",
    "not_converted",
    "question",
)
_NUMBERS = ("quantity", "kg", "cost_eur", "revenue_eur", "units")


def _number_text(value: Decimal, decimal_sep: str) -> str:
    # canonical() never writes a value that reads two ways, in either convention.
    text = canonical(value)
    return text.replace(".", ",") if decimal_sep == "," else text


def _as_decimal(value: Any) -> Decimal | None:
    try:
        return parse_data_value(value)
    except (ValueError, TypeError):
        return None


def flow_record(resolved: ResolvedFlow) -> dict[str, Any]:
    """One flow as the export's columns, numbers as Decimal, codes as text."""
    flow = resolved.flow
    data = flow.model_dump(exclude_none=True)
    record: dict[str, Any] = {key: data.get(key) for key in COLUMNS}
    for key in ("quantity", "cost_eur", "revenue_eur", "units"):
        if record[key] is not None and record[key] != "unknown":
            record[key] = _as_decimal(record[key])
    record["kg"] = resolved.kg
    if resolved.conversion is not None and resolved.kg is None:
        record["not_converted"] = resolved.conversion.reason
    if flow.composition:
        record["composition"] = flow.composition
    return record


def _cell_text(key: str, value: Any, decimal_sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _number_text(value, decimal_sep)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if key == "composition":
        return "; ".join(
            f"{share.material} "
            f"{_number_text(parse_data_value(share.share_pct), decimal_sep)} %"
            for share in value
        )
    return str(value)


# The first characters by which a spreadsheet reads a cell as a formula.
FORMULA_STARTS = frozenset("=+-@\t\r")


def flows_csv(dataset: Dataset, language: str = "nl") -> str:
    """The flows as CSV for a spreadsheet of `language`'s convention.

    Dutch: semicolons and decimal commas, as Dutch Excel reads them; English:
    commas and decimal points. Numbers carry no thousands separator, so
    `massabalans import` reads the file back by either convention.
    """
    delimiter, decimal_sep = (";", ",") if language == "nl" else (",", ".")
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for resolved in dataset.flows:
        record = flow_record(resolved)
        writer.writerow(
            [
                _guarded(_cell_text(k, record[k], decimal_sep), record[k])
                for k in COLUMNS
            ]
        )
    return out.getvalue()


def _guarded(text: str, value: Any) -> str:
    """Text that a spreadsheet would run as a formula, kept text by a quote.

    A name typed in the interview ("=HYPERLINK(...)", "+31 ...") must never
    become a formula in the advisor's spreadsheet; `massabalans import` takes
    the quote off again. Numbers are left as they are.
    """
    if text[:1] in FORMULA_STARTS and not isinstance(value, Decimal):
        return "'" + text
    return text


_LABELS = {
    "nl": {
        "question": "vraag",
        "text": "tekst",
        "answer": "antwoord",
        "note": "notitie",
        "dont_know": "weet niet",
        "flows": "stromen",
        "balance": "balans",
        "all_flows": "Alle stromen",
        "unexplained": "niet verklaard",
        "stock_up": "voorraadtoename",
        "stock_down": "voorraadafname",
        "company": "het bedrijf",
    },
    "en": {
        "question": "question",
        "text": "text",
        "answer": "answer",
        "note": "note",
        "dont_know": "don't know",
        "flows": "flows",
        "balance": "balance",
        "all_flows": "All flows",
        "unexplained": "unexplained",
        "stock_up": "stock increase",
        "stock_down": "stock decrease",
        "company": "the company",
    },
}


def _answer_text(question: Question, answer: Answer, language: str) -> Any:
    labels = _LABELS[language]
    if answer.unknown or answer.value == DONT_KNOW:
        return labels["dont_know"]
    value = answer.value
    if question.type == "choice" and value is not None:
        choice = question.choice(str(value))
        return choice.label(language) if choice else value
    if question.type == "multi_choice":
        names = []
        for item in value or ():
            choice = question.choice(str(item))
            names.append(choice.label(language) if choice else str(item))
        return ", ".join(names)
    if question.type == "quantity" and isinstance(value, dict):
        return f"{value.get('quantity', '')} {value.get('unit', '')}".strip()
    if question.type == "number" and value is not None:
        return _as_decimal(value) if _as_decimal(value) is not None else value
    if question.type == "stock_list":
        return "; ".join(
            f"{s.get('name')}: {s.get('opening')} -> {s.get('closing')} {s.get('unit')}"
            for s in value or ()
        )
    if question.type == "flow_list":
        return len(value or ())
    return value


def _sheet_title(text: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text)
    title = " ".join(title.split())[:31] or "sheet"
    base, number = title, 2
    while title.casefold() in taken:
        suffix = f" {number}"
        title = base[: 31 - len(suffix)] + suffix
        number += 1
    taken.add(title.casefold())
    return title


def workbook(session: Any, language: str | None = None) -> bytes:
    """The interview as an .xlsx workbook.

    The first sheet holds every flow (so `massabalans import` reads the
    workbook back), then one sheet per interview step with its answers and
    the flows its questions gave, and a last sheet with the balance.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    language = language or session.language
    labels = _LABELS[language]
    dataset = session.dataset()
    balance = session.balance()
    active = session.active()
    questionnaire = session.questionnaire
    bold = Font(bold=True)
    book = Workbook()
    taken: set[str] = set()

    sheet = book.active
    sheet.title = _sheet_title(labels["flows"], taken)
    _flow_table(sheet, dataset.flows, bold)

    by_question: dict[str, list[ResolvedFlow]] = {}
    for resolved in dataset.flows:
        by_question.setdefault(resolved.flow.question or "", []).append(resolved)
    for step in questionnaire.steps:
        sheet = book.create_sheet(_sheet_title(step.title(language), taken))
        sheet.append(
            [labels["question"], labels["text"], labels["answer"], labels["note"]]
        )
        for cell in sheet[1]:
            cell.font = bold
        flows: list[ResolvedFlow] = []
        for question in step.questions:
            answer = active.get(question.id)
            if answer is None:
                continue
            sheet.append(
                [
                    question.id,
                    question.text(language),
                    _answer_text(question, answer, language),
                    answer.note,
                ]
            )
            flows += by_question.get(question.id, [])
        if flows:
            sheet.append([])
            _flow_table(sheet, flows, bold)
        sheet.column_dimensions["B"].width = 60

    sheet = book.create_sheet(_sheet_title(labels["balance"], taken))
    figures = balance.to_json()
    for key in (
        "inputs_kg",
        "outputs_kg",
        "difference_kg",
        "stock_change_kg",
        "gap_kg",
        "closure_pct",
        "unassigned_kg",
    ):
        sheet.append([key, figures[key]])
    sheet.append([])
    for kind, kg in figures["by_kind_kg"].items():
        sheet.append([kind, kg])

    out = io.BytesIO()
    # Text that starts like a formula ("=cmd|...") stays text: a name typed in
    # the interview must never run as a formula in the advisor's spreadsheet.
    for worksheet in book.worksheets:
        for cells in worksheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":
                    cell.data_type = "s"
    book.save(out)
    return out.getvalue()


def _flow_table(sheet: Any, flows: Iterable[ResolvedFlow], bold: Any) -> None:
    sheet.append(list(COLUMNS))
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for resolved in flows:
        record = flow_record(resolved)
        row = []
        for key in COLUMNS:
            value = record[key]
            if key == "composition" and value:
                value = _cell_text(key, value, ".")
            row.append(value)
        sheet.append(row)
        for cell, key in zip(sheet[sheet.max_row], COLUMNS, strict=False):
            if key in _NUMBERS:
                continue
            # Codes and names stay text: Excel shows "020304", not 20304.
            cell.number_format = "@"


def _node(name: str) -> str:
    # SankeyMatic reads "[" and "]" as the amount, ":" opens a node colour and
    # a line starting with "//" or "'" is a comment.
    text = " ".join(re.sub(r"[\[\]:]", " ", name).split()) or "?"
    return "· " + text if text.startswith(("//", "'")) else text


def _amount(kg: Decimal) -> str:
    rounded = kg.quantize(Decimal("0.001"))
    text = format(rounded, "f").rstrip("0").rstrip(".")
    return text or "0"


def sankeymatic(dataset: Dataset, balance: Any, language: str = "nl") -> str:
    """SankeyMatic text: inputs flow into the company, the company into outputs.

    Flows of one name and side are added together; a flow without a mass is
    left out and listed in a comment. A gap between inputs and outputs, and a
    change of stock, are drawn as flows of their own, so the diagram balances.
    """
    labels = _LABELS[language]
    name = dataset.data.company.name
    company = _node(labels["company"] if name == "?" else name)
    inputs: dict[str, Decimal] = {}
    outputs: dict[str, Decimal] = {}
    left_out: list[str] = []
    for resolved in dataset.flows:
        name = _node(resolved.flow.name)
        if resolved.kg is None:
            left_out.append(resolved.flow.name)
            continue
        if resolved.kg == 0:
            continue  # nothing to draw
        side = inputs if resolved.flow.kind in INPUT_KINDS else outputs
        assert resolved.flow.kind in INPUT_KINDS + OUTPUT_KINDS
        side[name] = side.get(name, Decimal(0)) + resolved.kg
    both = set(inputs) & set(outputs)
    if company in inputs or company in outputs:
        company = f"{company} ({labels['flows']})"

    lines = [
        f"// {dataset.data.company.name}, {dataset.data.period}: mass in kg",
        "// paste into https://sankeymatic.com/build/",
    ]
    for name, kg in inputs.items():
        shown = f"{name} (in)" if name in both else name
        lines.append(f"{shown} [{_amount(kg)}] {company}")
    stock = balance.stock_change_kg
    if stock < 0:
        lines.append(f"{labels['stock_down']} [{_amount(-stock)}] {company}")
    for name, kg in outputs.items():
        shown = f"{name} (out)" if name in both else name
        lines.append(f"{company} [{_amount(kg)}] {shown}")
    if stock > 0:
        lines.append(f"{company} [{_amount(stock)}] {labels['stock_up']}")
    gap = balance.gap_kg
    if gap > 0:
        lines.append(f"{company} [{_amount(gap)}] {labels['unexplained']}")
    elif gap < 0:
        lines.append(f"{labels['unexplained']} [{_amount(-gap)}] {company}")
    for name in left_out:
        lines.append(f"// left out, no mass: {name}")
    return "\n".join(lines) + "\n"
