"""The advice report: the balance and the answers, rendered by a Jinja2 template."""

from __future__ import annotations

import datetime
import html
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_currency,
    get_decimal_symbol,
    get_group_symbol,
    get_minus_sign_symbol,
)

from . import sankey
from .advice import AdviceItem, advice_items, cause_text
from .analysis import RESIDUAL_KINDS, RUNGS
from .balance import Balance, compute
from .dataset import INPUT_KINDS, KINDS, OUTPUT_KINDS, Dataset
from .engine import Answer, Engine
from .i18n import catalogue, kind_label, t
from .mapping import replay_answers
from .numbers import NumberError, parse_data_value
from .questionnaire import Question, Questionnaire
from .resources import reports_dir

LOCALES = {"nl": "nl_NL", "en": "en_GB"}
ZERO = Decimal(0)

# Answers that the report shows beside the figures they belong to, when the
# questionnaire has them (the shipped one does).
WHO_ANSWERS = "who_answers"
USE_PHASE = "use_phase_waste"
END_OF_LIFE = "end_of_life"

PROCESS_NODES = 4
"""Inputs and outputs named in the process flow diagram template."""
CHAIN_INPUTS = 3
NAMES_LISTED = 10

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# What would start a list, a heading underline or a block quote at a line start.
_LINE_START = re.compile(r"^(\d+)([.)])(?=\s|$)|^([-+=])")


def md(value: Any) -> str:
    """Text that Markdown shows literally, on one line, safe inside a table cell."""
    text = sankey.clean(value)  # one line, no control characters
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    return _LINE_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(1) else f"\\{m.group(3)}",
        text,
    )


def md_code(value: Any) -> str:
    """Text as inline code, with a fence longer than any backtick run inside."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def mermaid_label(value: Any) -> str:
    """A quoted Mermaid flowchart label: quotes and markup as entity codes."""
    text = sankey.clean(value)
    for char, code in (
        ("#", "#35;"),
        ('"', "#quot;"),
        ("<", "#lt;"),
        (">", "#gt;"),
        ("`", "#96;"),
    ):
        text = text.replace(char, code)
    return f'"{text}"'


class Formats:
    """Numbers, masses, money and dates as a reader of one language writes them.

    The symbols and the currency layout come from Babel's locale data; the
    digits are grouped by Python's own formatting, because Babel's pattern
    formatting costs tens of microseconds a number, which a report of
    thousands of flows notices. A test checks that both agree.
    """

    def __init__(self, language: str):
        self.language = language
        self.locale = Locale.parse(LOCALES.get(language, "nl_NL"))
        self._decimal = get_decimal_symbol(self.locale)
        self._group = get_group_symbol(self.locale)
        self._minus = get_minus_sign_symbol(self.locale)
        # The currency layout around a known amount, e.g. "€ 1,00" or "€1.00".
        one = "1" + self._decimal + "00"
        sample = format_currency(Decimal(1), "EUR", locale=self.locale)
        self._eur_prefix, _, self._eur_suffix = sample.partition(one)

    def number(self, value: Decimal | float | int | None, digits: int = 2) -> str:
        if value is None:
            return "–"
        value = Decimal(value) if not isinstance(value, Decimal) else value
        rounded = round(value, digits)
        text = format(abs(rounded), f",.{digits}f")
        if digits:
            text = text.rstrip("0").rstrip(".")
        text = text.replace(",", "\0").replace(".", self._decimal)
        text = text.replace("\0", self._group)
        return self._minus + text if rounded < 0 else text  # never "-0"

    def kg(self, value: Decimal | None) -> str:
        return "–" if value is None else self.number(value) + " kg"

    def pct(self, value: Decimal | None) -> str:
        return "–" if value is None else self.number(value, 1) + " %"

    def eur(self, value: Decimal | None) -> str:
        if value is None:
            return "–"
        rounded = round(value, 2) + 0
        if rounded < 0:
            return format_currency(rounded, "EUR", locale=self.locale)
        text = format(rounded, ",.2f").replace(",", "\0").replace(".", self._decimal)
        return self._eur_prefix + text.replace("\0", self._group) + self._eur_suffix

    def date(self, iso: str | None) -> str:
        if not iso:
            return ""
        try:
            day = datetime.date.fromisoformat(iso[:10])
        except ValueError:
            return iso
        return format_date(day, format="long", locale=self.locale)


@lru_cache(maxsize=4)
def formats(language: str) -> Formats:
    return Formats(language)


@dataclass
class ReportSource:
    """Everything a report is a pure function of."""

    dataset: Dataset
    balance: Balance
    questionnaire: Questionnaire
    answers: dict[str, Answer]
    """The active answers."""
    open_questions: list[Question] = field(default_factory=list)
    inactive: dict[str, Answer] = field(default_factory=dict)
    orphaned: dict[str, Answer] = field(default_factory=dict)
    date: str | None = None
    """The interview's date, ISO 8601 (only its first ten characters are read)."""
    from_interview: bool = False
    previous: ReportSource | None = None
    """An earlier period of the same company, to compare with."""

    @classmethod
    def from_dataset(
        cls,
        dataset: Dataset,
        questionnaire: Questionnaire,
        tolerance_pct: Decimal | None = None,
    ) -> ReportSource:
        """A report straight from a data file: its flows and any answers it has."""
        raw = dataset.data.model_dump(exclude_none=True)
        answers = replay_answers(questionnaire, raw)
        engine = Engine(questionnaire)
        balance = compute(dataset, *(() if tolerance_pct is None else (tolerance_pct,)))
        info = dataset.data.interview
        return cls(
            dataset,
            balance,
            questionnaire,
            engine.active(answers),
            open_questions=[
                q for q in engine.unanswered(answers) if q.type not in _FLOW_TYPES
            ],
            date=info.updated if info else None,
        )

    @classmethod
    def from_session(
        cls,
        session: Any,
        tolerance_pct: Decimal | None = None,
        language: str | None = None,
    ) -> ReportSource:
        """A report of a stored interview (an `interview.session.Session`), with
        the flows its questions name in the report's `language`."""
        dataset = session.dataset(language)
        balance = compute(dataset, *(() if tolerance_pct is None else (tolerance_pct,)))
        row = session.store.interview(session.interview_id)
        return cls(
            dataset,
            balance,
            session.questionnaire,
            session.active(),
            open_questions=session.engine.unanswered(session.answers),
            inactive=session.inactive(),
            orphaned=session.orphaned(),
            date=row.updated[:10],
            from_interview=True,
        )


_FLOW_TYPES = ("flow_list", "quantity", "stock_list")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(reports_dir())),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown, escaped by the md filter
    )
    env.filters["md"] = md
    env.filters["code"] = md_code
    env.filters["mermaid"] = mermaid_label

    # The number filters read the report's language from the template context.
    @jinja2.pass_context
    def kg(ctx: Any, value: Decimal | None) -> str:
        return formats(ctx["lang"]).kg(value)

    @jinja2.pass_context
    def pct(ctx: Any, value: Decimal | None) -> str:
        return formats(ctx["lang"]).pct(value)

    @jinja2.pass_context
    def eur(ctx: Any, value: Decimal | None) -> str:
        return formats(ctx["lang"]).eur(value)

    @jinja2.pass_context
    def num(ctx: Any, value: Decimal | None, digits: int = 2) -> str:
        return formats(ctx["lang"]).number(value, digits)

    env.filters.update(kg=kg, pct=pct, eur=eur, num=num)
    return env


def _number_text(value: Any, language: str, digits: int = 3) -> str:
    try:
        return formats(language).number(parse_data_value(value), digits)
    except NumberError:
        return str(value)


def _answer_text(question: Question, answer: Answer, language: str) -> str:
    if answer.unknown:
        return t("dont_know", language)
    value = answer.value
    if question.type == "choice":
        choice = question.choice(str(value))
        return choice.label(language) if choice else str(value)
    if question.type == "multi_choice":
        labels = []
        for v in value or ():
            choice = question.choice(str(v))
            labels.append(choice.label(language) if choice else str(v))
        return ", ".join(labels) or t("report.none_chosen", language)
    if question.type in ("flow_list", "stock_list"):
        count = len(value or ())
        if count == 1:
            return t("report.items_one", language)
        return t("report.items", language, count=count)
    if question.type == "number" and value not in (None, ""):
        return _number_text(value, language)
    if isinstance(value, Mapping):
        quantity = value.get("quantity")
        parts = [_number_text(quantity, language) if quantity else ""]
        parts.append(str(value.get("unit") or ""))
        return " ".join(p for p in parts if p)
    if value is None or value == "":
        return t("report.skipped", language)
    return str(value)


def _names(names: list[str], language: str) -> str:
    shown = ", ".join(names[:NAMES_LISTED])
    if len(names) > NAMES_LISTED:
        shown += " " + t("report.and_more", language, count=len(names) - NAMES_LISTED)
    return shown


def _answer_rows(
    source: ReportSource, language: str, theme: str
) -> list[dict[str, str]]:
    rows = []
    for question in source.questionnaire.questions:
        answer = source.answers.get(question.id)
        if answer is None or question.theme != theme:
            continue
        choice = None if answer.unknown else question.choice(str(answer.value))
        rows.append(
            {
                "question": question.text(language),
                "answer": _answer_text(question, answer, language),
                "note": answer.note or "",
                "advice": choice.advice(language) if choice and choice.advice else "",
            }
        )
    return rows


def build_context(
    source: ReportSource, language: str, picture: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The template's variables: plain values; the template formats the numbers.

    `picture` says how the Sankey picture is shown: `href` (a file beside the
    report) or `marker` (a paragraph the HTML report replaces by the SVG).
    """
    balance = source.balance
    items = advice_items(source.dataset, balance, language)
    return {
        "lang": language,
        "s": {
            key: entry.get(language, entry["nl"]) for key, entry in catalogue().items()
        },
        "company": source.dataset.data.company.name,
        "facts": _facts(source, language),
        **_summary(balance, items, language),
        **_totals(source, language),
        "warnings": _warnings(balance, language),
        "picture": _picture(source, language, picture or {}),
        **_causes(balance, language),
        **_flows(source, language),
        "passport": _passport(source, language),
        **_residual_streams(balance, language),
        "waste_cost": _waste_cost(balance, language),
        "indicators": _indicators(balance, language),
        "water": _water(balance),
        "comparison": _comparison(source, language),
        "advice": [
            {"text": item.text, "kg": item.kg, "eur": item.eur} for item in items
        ],
        # Without advice: say whether the figures are missing or simply show
        # no opportunity that stands out.
        "no_advice": t(
            "report.no_advice_numbers"
            if not (balance.inputs_kg or balance.outputs_kg)
            else "report.no_advice_standing_out",
            language,
        ),
        "themes": [
            {"label": t(f"theme.{theme}", language), "rows": rows}
            for theme in ("raw_materials", "auxiliaries", "waste", "product")
            if (rows := _answer_rows(source, language, theme))
        ],
        "support": _answer_rows(source, language, "support"),
        "next_steps": _answer_rows(source, language, "next_steps"),
        **_process_and_chain(source, language),
        "gaps": _data_gaps(source, language),
        "open_questions": [
            {"id": q.id, "text": q.text(language)} for q in source.open_questions
        ],
        **_appendix(source, language),
    }


def _answer_of(source: ReportSource, question_id: str, language: str) -> str:
    """The answer to one question as text, or "" when it has none."""
    q = source.questionnaire
    answer = source.answers.get(question_id)
    if answer is None or not q.has(question_id):
        return ""
    if not answer.unknown and answer.value in (None, ""):
        return ""
    return _answer_text(q.question(question_id), answer, language)


def _share(kg: Decimal | None, balance: Balance) -> Decimal | None:
    """A mass as a percentage of the inputs."""
    if kg is None or not balance.inputs_kg:
        return None
    return kg / balance.inputs_kg * 100


def _facts(source: ReportSource, language: str) -> list[dict[str, str]]:
    data = source.dataset.data
    info = data.interview
    facts = [(t("report.period", language), data.period)]
    if data.company.sector:
        sector = t(f"sector.{data.company.sector}", language)
        facts.append((t("report.sector", language), sector))
    if data.company.contact:
        facts.append((t("report.contact", language), data.company.contact))
    if who := _answer_of(source, WHO_ANSWERS, language):
        facts.append((t("report.who_answered", language), who))
    if info and info.interviewer:
        facts.append((t("report.interviewer", language), info.interviewer))
    if source.date:
        facts.append((t("report.date", language), formats(language).date(source.date)))
    questionnaire = (info.questionnaire if info else None) or source.questionnaire.label
    facts.append((t("report.questionnaire", language), questionnaire))
    return [{"label": label, "value": value} for label, value in facts]


def _summary(
    balance: Balance, items: list[AdviceItem], language: str
) -> dict[str, Any]:
    """The five key figures, whether the balance closes, and where to start."""
    f = formats(language)
    indicators = balance.indicators

    def indicator(key: str) -> dict[str, str]:
        value = indicators.get(key)
        return {
            "label": t(f"indicator.{key}", language),
            "value": t("report.not_computable", language)
            if value is None
            else f.pct(value),
            "why": t(f"indicator.{key}.why", language),
        }

    figures = [
        {
            "label": t("inputs", language),
            "value": f.kg(balance.inputs_kg),
            "why": t("report.key_inputs", language),
        },
        {
            "label": t("outputs", language),
            "value": f.kg(balance.outputs_kg),
            "why": t("report.key_outputs", language),
        },
        {
            "label": t("report.key_gap_label", language),
            "value": f.pct(balance.gap_pct),
            "why": t("report.key_gap", language),
        },
        indicator("material_efficiency_pct"),
        indicator("circular_outflow_pct"),
    ]
    tolerance = f.number(balance.tolerance_pct)
    if not balance.inputs_kg:
        verdict = t("report.no_inputs_yet", language)
    elif balance.within_tolerance:
        verdict = t("within_tolerance", language, pct=tolerance)
    else:
        verdict = t("outside_tolerance", language, pct=tolerance)
    return {
        "key_figures": figures,
        "verdict": verdict,
        "start_here": items[0].text if items else "",
    }


def _totals(source: ReportSource, language: str) -> dict[str, Any]:
    balance = source.balance

    def kinds(which: tuple[str, ...]) -> list[dict[str, Any]]:
        return [
            {"label": kind_label(k, language), "kg": balance.by_kind_kg[k]}
            for k in which
            if balance.by_kind_kg[k]
        ]

    return {
        "inputs": balance.inputs_kg,
        "outputs": balance.outputs_kg,
        "difference": balance.difference_kg,
        "stock_change": balance.stock_change_kg,
        "has_stock": bool(source.dataset.stock),
        "gap": balance.gap_kg,
        "gap_pct": balance.gap_pct,
        "closure": balance.closure_pct,
        "input_kinds": kinds(INPUT_KINDS),
        "output_kinds": kinds(OUTPUT_KINDS),
    }


def _picture(
    source: ReportSource, language: str, picture: Mapping[str, Any]
) -> dict[str, Any]:
    drawing = sankey.build(source.dataset, source.balance, language)
    return {
        "href": picture.get("href"),
        "marker": picture.get("marker"),
        "mermaid": sankey.to_mermaid(drawing),
        "has_gap": any(b.role == "gap" for b in drawing.inputs + drawing.outputs),
        "grouped": any(b.role == "other" for b in drawing.inputs + drawing.outputs),
        "notes": list(drawing.notes),
    }


def unconverted_reason(item: dict[str, Any], language: str) -> str:
    """Why a flow has no kilograms, in `language` where the reason has a code."""
    if item.get("code"):
        return t(f"unconverted.{item['code']}", language, unit=item.get("unit") or "")
    return str(item.get("reason") or "")


def _comparison(source: ReportSource, language: str) -> dict[str, Any] | None:
    """The change from an earlier period: per flow, per material, per indicator."""
    before = source.previous
    if before is None:
        return None
    now_b, old_b = source.balance, before.balance

    def by_flow(src: ReportSource) -> dict[tuple[str, str], Decimal]:
        totals: dict[tuple[str, str], Decimal] = {}
        for flow in src.dataset.flows:
            if flow.kg is not None:
                key = (flow.flow.kind, flow.flow.name)
                totals[key] = totals.get(key, Decimal(0)) + flow.kg
        return totals

    def change(
        old: Decimal | None, new: Decimal | None, absent_is_zero: bool = False
    ) -> dict[str, Any]:
        # A flow or material missing in one period changed from or to nothing;
        # an indicator that could not be computed has no change.
        delta: Decimal | None
        if absent_is_zero and (old is not None or new is not None):
            delta = (new or Decimal(0)) - (old or Decimal(0))
        else:
            delta = None if old is None or new is None else new - old
        pct = delta / old * 100 if delta is not None and old else None
        return {"before": old, "now": new, "delta": delta, "pct": pct}

    old_flows, new_flows = by_flow(before), by_flow(source)
    flows = [
        {"name": name, "kind": kind_label(kind, language)}
        | change(old_flows.get((kind, name)), new_flows.get((kind, name)), True)
        for kind, name in sorted(
            set(old_flows) | set(new_flows), key=lambda k: (KINDS.index(k[0]), k[1])
        )
    ]
    materials = [
        {"name": name}
        | change(
            old_b.materials[name].in_kg if name in old_b.materials else None,
            now_b.materials[name].in_kg if name in now_b.materials else None,
            True,
        )
        for name in sorted(set(old_b.materials) | set(now_b.materials))
    ]
    totals = [
        {"label": t("total_inputs", language)}
        | change(old_b.inputs_kg, now_b.inputs_kg),
        {"label": t("total_outputs", language)}
        | change(old_b.outputs_kg, now_b.outputs_kg),
        {"label": t("gap", language)} | change(old_b.gap_kg, now_b.gap_kg),
    ]
    indicators = []
    for key in (
        "material_efficiency_pct",
        "circular_inflow_pct",
        "circular_outflow_pct",
        "waste_per_product_kg",
    ):
        indicators.append(
            {"label": t(f"compare.{key}", language)}
            | change(old_b.indicators.get(key), now_b.indicators.get(key))
        )
    return {
        "period": before.dataset.data.period,
        "totals": totals,
        "flows": flows,
        "materials": materials,
        "indicators": indicators,
    }


def _causes(balance: Balance, language: str) -> dict[str, Any]:
    """Why the balance does not close: causes outside the tolerance, a note within."""
    causes = []
    for cause in balance.causes:
        causes.append({"text": cause_text(cause, language), "kg": cause.kg})
    if not balance.inputs_kg:
        mode = "no_inputs"
    elif not balance.within_tolerance:
        mode = "outside"
    else:
        mode = "within" if causes else "none"
    return {"causes_mode": mode, "causes": causes}


def _flows(source: ReportSource, language: str) -> dict[str, Any]:
    """The flows by kind with their basis, and the materials they carry."""
    balance = source.balance
    groups = []
    basis_kg: dict[str, Decimal] = {}
    for kind in KINDS:
        output = kind in OUTPUT_KINDS
        rows = []
        for flow in source.dataset.flows:
            if flow.flow.kind != kind:
                continue
            basis = flow.flow.basis
            if flow.kg:
                key = basis if basis and basis != "unknown" else "none"
                basis_kg[key] = basis_kg.get(key, ZERO) + flow.kg
            party = flow.flow.processor if output else flow.flow.supplier
            treatment = flow.flow.treatment
            rows.append(
                {
                    "name": flow.flow.name,
                    "quantity": _quantity(flow, language),
                    "kg": flow.kg,
                    "share": _share(flow.kg, balance),
                    "party": party or "–",
                    "treatment": t(f"treatment.{treatment}", language)
                    if treatment
                    else "–",
                    "basis": t(f"basis.{basis or 'none'}", language),
                }
            )
        if rows:
            groups.append(
                {
                    "label": kind_label(kind, language),
                    "rows": rows,
                    "total": balance.by_kind_kg[kind],
                    "share": _share(balance.by_kind_kg[kind], balance),
                    "output": output,
                }
            )

    f = formats(language)
    mass = sum(basis_kg.values(), ZERO)
    basis_parts = ", ".join(
        f"{t('basis.' + key, language)} {f.pct(basis_kg[key] / mass * 100)}"
        for key in ("measured", "invoice", "estimated", "none")
        if key in basis_kg and mass
    )
    materials = [
        {
            "name": name,
            "in": line.in_kg,
            "out": sum((v for k, v in line.out_kg.items() if k != "product"), ZERO),
            "product": line.product_kg,
        }
        for name, line in sorted(
            balance.materials.items(), key=lambda item: -item[1].in_kg
        )
    ]
    return {
        "flow_groups": groups,
        "basis_parts": basis_parts,
        "unconverted": [
            item | {"reason": unconverted_reason(item, language)}
            for item in balance.unconverted
        ],
        "unknown": balance.unknown,
        "materials": materials,
        "unassigned": balance.unassigned_kg,
    }


def _passport(source: ReportSource, language: str) -> dict[str, Any]:
    """The product's composition, stated or estimated, its use phase and end of life."""
    f = formats(language)
    passport = source.balance.passport
    units = passport.get("units")
    product_kg = passport.get("product_kg") or ZERO
    use_phase = list(passport.get("use_phase", []))
    end_of_life = list(passport.get("end_of_life", []))
    # The interview asks both as questions of their own, beside the product flows.
    if answer := _answer_of(source, USE_PHASE, language):
        use_phase.append(answer)
    if answer := _answer_of(source, END_OF_LIFE, language):
        end_of_life.append(answer)
    if units:
        summary = t(
            "report.passport_units",
            language,
            kg=f.kg(product_kg),
            units=f.number(units),
            per_unit=f.kg(product_kg / units),
        )
    else:
        summary = t("report.passport_product", language, kg=f.kg(product_kg))
    rows = [
        {
            "material": row["material"],
            "kg": row["kg"],
            "per_unit": row.get("per_unit_kg"),
            "source": t(f"report.{row['source']}", language),
            "remark": t("report.differs", language, kg=f.kg(row["estimated_kg"]))
            if row.get("differs")
            else "",
        }
        for row in passport.get("materials", [])
    ]
    # Each material's estimate is what came in minus what left otherwise, the
    # balance's gap included: when the estimates add up to more than the
    # product they are scaled down to it, and the report says so.
    listed = sum(
        (
            row["estimated_kg"] if row["source"] == "estimated" else row["kg"]
            for row in passport.get("materials", [])
        ),
        ZERO,
    )
    over = ""
    if product_kg and listed > product_kg:
        over = t(
            "report.passport_over",
            language,
            listed=f.kg(listed),
            excess=f.kg(listed - product_kg),
        )
    return {
        "has": bool(product_kg or rows),
        "summary": summary,
        "over": over,
        "units": bool(units),
        "rows": rows,
        "use_phase": use_phase,
        "end_of_life": end_of_life,
    }


def _residual_streams(balance: Balance, language: str) -> dict[str, Any]:
    """The residual streams on the Ladder van Lansink, worst first."""
    lansink = balance.lansink
    streams = [
        {
            "flow": s["flow"],
            "kg": s["kg"],
            "processor": s.get("processor") or "–",
            "treatment": t(f"treatment.{s['treatment']}", language)
            if s.get("treatment")
            else t("report.not_stated", language),
            "rung": t(f"rung.{s['rung'] or 'none'}", language),
        }
        for s in lansink.get("streams", [])
    ]
    shares = lansink.get("share_pct", {})
    return {
        "waste_streams": streams,
        "rung_shares": [
            {"rung": t(f"rung.{rung}", language), "share": shares[rung]}
            for rung in (*RUNGS, "none")
            if rung in shares
        ],
    }


def _waste_cost(balance: Balance, language: str) -> dict[str, Any]:
    cost = balance.waste_cost
    streams = cost.get("streams", [])
    without_cost = cost.get("inputs_without_cost", [])
    return {
        "has": any(
            s["purchase_value_eur"] or s["disposal_eur"] or s["revenue_eur"]
            for s in streams
        ),
        "rows": streams,
        "purchase": cost.get("purchase_value_eur", ZERO),
        "disposal": cost.get("disposal_eur", ZERO),
        "revenue": cost.get("revenue_eur", ZERO),
        "total": cost.get("total_eur", ZERO),
        "without_cost": t(
            "report.inputs_without_cost", language, names=_names(without_cost, language)
        )
        if without_cost
        else "",
    }


_INDICATOR_UNITS = (
    ("material_efficiency_pct", "pct"),
    ("waste_intensity_kg_per_unit", "unit.kg_per_unit"),
    ("waste_per_product_kg", "unit.kg_per_kg"),
    ("circular_inflow_pct", "pct"),
    ("unknown_origin_pct", "pct"),
    ("circular_outflow_pct", "pct"),
)


def _indicators(balance: Balance, language: str) -> list[dict[str, str]]:
    """Each indicator with a line that says what it means."""
    f = formats(language)
    rows = []
    for key, unit in _INDICATOR_UNITS:
        value = balance.indicators.get(key)
        if value is None:
            text = t("report.not_computable", language)
        elif unit == "pct":
            text = f.pct(value)
        else:
            text = f"{f.number(value, 3)} {t(unit, language)}"
        rows.append(
            {
                "label": t(f"indicator.{key}", language),
                "value": text,
                "why": t(f"indicator.{key}.why", language),
            }
        )
    mci = balance.indicators.get("mci") or {}
    if mci.get("value") is not None:
        value = f.number(mci["value"], 2)
    else:
        value = t(f"mci.{mci.get('reason', 'no_product_mass')}", language)
    rows.append(
        {
            "label": t("indicator.mci", language),
            "value": value,
            "why": t("indicator.mci.why", language),
        }
    )
    return rows


def _water(balance: Balance) -> dict[str, Any]:
    water = balance.water
    return {
        "has": bool(water.get("in_kg") or water.get("out_kg")),
        "sources": water.get("sources", []),
        "in": water.get("in_kg", ZERO),
        "wastewater": water.get("out_wastewater_kg", ZERO),
        "product": water.get("out_product_kg", ZERO),
        "other": water.get("out_other_kg", ZERO),
        "rest": water.get("evaporation_kg", ZERO),
    }


def _process_and_chain(source: ReportSource, language: str) -> dict[str, Any]:
    """The next steps: a process diagram to fill in, and the chain to start with."""
    converted = [f for f in source.dataset.flows if f.kg]
    inputs = sorted(
        (f for f in converted if f.flow.kind in INPUT_KINDS),
        key=lambda f: -(f.kg or 0),
    )
    residuals = sorted(
        (f for f in converted if f.flow.kind in RESIDUAL_KINDS),
        key=lambda f: -(f.kg or 0),
    )

    def names(flows: list[Any], rest: str) -> list[str]:
        shown = [f.flow.name for f in flows[:PROCESS_NODES]]
        return shown + ([t(rest, language)] if len(flows) > PROCESS_NODES else [])

    products = [f.flow.name for f in converted if f.flow.kind == "product"]
    return {
        "process": {
            "inputs": names(inputs, "report.other_inputs"),
            "products": products[:PROCESS_NODES],
            "residuals": names(residuals, "report.other_outputs"),
        },
        "chain": [
            {
                "name": f.flow.name,
                "kg": f.kg,
                "supplier": t(
                    "report.chain_supplier", language, supplier=f.flow.supplier
                )
                if f.flow.supplier
                else "",
            }
            for f in inputs[:CHAIN_INPUTS]
        ],
    }


_PLAIN_UNIT = re.compile(
    r"^\s*[0-9][0-9.,\s]*(kg/l|kg/m3|kg/Nm3|kg|g)\s*$", re.IGNORECASE
)
_PER_UNIT = {"kg/l": 1, "kg/m3": 1000, "kg/nm3": 1000, "kg": 1, "g": 1000}


def _conversion_value(used: dict[str, Any], f: Any) -> str:
    """A density or piece mass with its number as the report's language writes
    it ("0,4 kg", "1.05 kg/l"); typed otherwise ("0,92 kilo per liter"), it is
    given in kg/l or kg, with what was typed beside it."""
    typed = " ".join(
        str(used.get("density") or used.get("mass_per_piece") or "").split()
    )
    if used.get("kg_per_l") is not None:
        base = Decimal(str(used["kg_per_l"]))
        default = "kg/Nm3" if base < Decimal("0.02") else "kg/l"
    elif used.get("kg_per_piece") is not None:
        base, default = Decimal(str(used["kg_per_piece"])), "kg"
    else:
        return typed
    plain = _PLAIN_UNIT.match(typed)
    if plain is not None:
        unit = plain.group(1)
        return f"{f.number(base * _PER_UNIT[unit.casefold()], 4)} {unit}"
    shown = f"{f.number(base * _PER_UNIT[default.casefold()], 4)} {default}"
    return f"{shown} ({typed})" if typed else shown


def _appendix(source: ReportSource, language: str) -> dict[str, Any]:
    """Every answer, the conversions used, and answers that do not count."""
    q = source.questionnaire
    f = formats(language)

    def row(qid: str, answer: Answer) -> dict[str, str]:
        return {
            "question": q.question(qid).text(language),
            "answer": _answer_text(q.question(qid), answer, language),
            "note": answer.note or "",
        }

    return {
        "answers": [row(qid, a) for qid, a in source.answers.items() if q.has(qid)],
        "conversions": [
            {
                "flow": c["flow"],
                "value": _conversion_value(c, f),
                "what": t(
                    "report.density" if "density" in c else "report.per_piece", language
                ),
                "source": t(f"report.source_{c['source']}", language),
            }
            for c in source.balance.conversions
        ],
        "inactive": [row(qid, a) for qid, a in source.inactive.items() if q.has(qid)],
        "orphaned": [
            {"id": qid, "answer": _plain_answer(a), "note": a.note or ""}
            for qid, a in source.orphaned.items()
        ],
    }


# Warnings the report shows elsewhere: the gap in its own section, flows without
# a mass under "not counted" and in the data gaps.
_SHOWN_ELSEWHERE = (
    "unconverted",
    "unknown_quantity",
    "gap_above_tolerance",
    "outputs_exceed_inputs",
)


def _warnings(balance: Balance, language: str) -> list[str]:
    """The balance's warnings in the reader's language (its own words as a fallback)."""
    f = formats(language)
    stated = {row["material"]: row for row in balance.passport.get("materials", [])}
    found = []
    for warning in balance.warnings:
        code, name = warning.code, warning.flow
        if code in _SHOWN_ELSEWHERE:
            continue
        if code == "no_inputs":
            found.append(t("warning.no_inputs", language))
        elif code == "negative_material" and name in balance.materials:
            kg = -balance.materials[name].product_kg
            found.append(
                t("warning.negative_material", language, flow=name, kg=f.kg(kg))
            )
        elif code == "passport_mismatch" and name in stated:
            row = stated[name]
            found.append(
                t(
                    "warning.passport_mismatch",
                    language,
                    flow=name,
                    stated=f.kg(row["stated_kg"]),
                    estimated=f.kg(row["estimated_kg"]),
                )
            )
        else:
            found.append(warning.message)
    return found


def _quantity(flow: Any, language: str) -> str:
    if flow.unknown:
        return "?"
    amount = formats(language).number(flow.amount, 3)
    return f"{amount} {flow.flow.unit or ''}".strip()


def _plain_answer(answer: Answer) -> str:
    if answer.unknown:
        return "?"
    value = answer.value
    if isinstance(value, list):
        return f"{len(value)} ×"
    if isinstance(value, Mapping):
        return " ".join(str(v) for v in value.values())
    return str(value)


def _data_gaps(source: ReportSource, language: str) -> list[dict[str, str]]:
    """Every "don't know" and every flow without a usable quantity, with who to ask."""
    gaps = []
    q = source.questionnaire
    for qid, answer in source.answers.items():
        if not answer.unknown or not q.has(qid):
            continue
        question = q.question(qid)
        gaps.append(
            {
                "what": question.text(language),
                "ask": question.who_to_ask(language)
                if question.who_to_ask
                else question.help(language),
            }
        )
    for item in source.balance.unknown:
        flow = source.dataset.flows[item["index"]].flow
        gaps.append(
            {
                "what": t("gap_quantity", language, flow=flow.name),
                "ask": _who_for_flow(flow.kind, language),
            }
        )
    for item in source.balance.unconverted:
        gaps.append(
            {
                "what": f"{item['flow']}: {unconverted_reason(item, language)}",
                "ask": _who_for_flow(None, language),
            }
        )
    return gaps


def _who_for_flow(kind: str | None, language: str) -> str:
    if kind in INPUT_KINDS:
        return t("ask_purchasing", language)
    if kind == "emission":
        return t("ask_emission", language)
    if kind == "wastewater":
        return t("ask_wastewater", language)
    if kind == "product":
        return t("ask_production", language)
    if kind in OUTPUT_KINDS:
        return t("ask_processor", language)
    return t("ask_supplier_density", language)


def render_markdown(
    source: ReportSource, language: str = "nl", svg_href: str | None = None
) -> str:
    """The report as Markdown; `svg_href` links the Sankey picture written beside it.

    Without `svg_href` the picture is there as a Mermaid block only.
    """
    picture = {"href": quote(svg_href) if svg_href else None}
    return _render(source, language, picture)


def _render(source: ReportSource, language: str, picture: Mapping[str, Any]) -> str:
    template = _environment().get_template("report.md.j2")
    return template.render(**build_context(source, language, picture))


def sankey_svg(source: ReportSource, language: str = "nl") -> str:
    """The Sankey picture of the report as an SVG document."""
    return sankey.to_svg(sankey.build(source.dataset, source.balance, language))


def svg_path_for(path: Path) -> Path:
    """Where the picture of a report written to `path` goes: beside it."""
    svg = path.with_suffix(".svg")
    return svg if svg != path else path.with_name(path.stem + ".sankey.svg")


def write_markdown(
    source: ReportSource, path: Path, language: str = "nl"
) -> tuple[Path, Path]:
    """Write the Markdown report and its SVG picture beside it; return both paths."""
    path = Path(path)
    svg = svg_path_for(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    svg.write_text(sankey_svg(source, language), encoding="utf-8")
    path.write_text(render_markdown(source, language, svg.name), encoding="utf-8")
    return path, svg


def write_report(
    session: Any, directory: Path | None = None, language: str | None = None
) -> Path:
    """Write a stored interview's report and its picture; return the Markdown path."""
    from .locations import reports_dir as default_dir

    language = language or session.language
    directory = Path(directory) if directory is not None else default_dir()
    path = directory / f"massabalans-{session.interview_id}.md"
    write_markdown(ReportSource.from_session(session, None, language), path, language)
    return path


_HTML_STYLE = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
       max-width: 62rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5;
       color: #1d2a25; background: #ffffff; }
h1 { color: #24583f; border-bottom: 3px solid #24583f; padding-bottom: 0.3rem; }
h2 { color: #24583f; margin-top: 2.2rem; border-bottom: 1px solid #c9d3ce; }
h3 { color: #2f6b4f; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.95rem; }
th, td { border: 1px solid #c9d3ce; padding: 0.25rem 0.6rem; vertical-align: top; }
th { background: #e8efe9; text-align: left; }
td[style*="right"], th[style*="right"] { white-space: nowrap; }
tr:nth-child(even) td { background: #f6f9f7; }
figure.sankey { margin: 1rem 0; }
figure.sankey svg { max-width: 100%; height: auto; border: 1px solid #e1e8e4; }
pre { background: #f4f6f5; padding: 0.6rem 0.8rem; overflow-x: auto;
      font-size: 0.85rem; }
li > p { margin: 0.2rem 0; }
@media print { body { max-width: none; margin: 0; } h2 { break-after: avoid; } }
"""


def render_html(source: ReportSource, language: str = "nl") -> str:
    """The report as one self-contained HTML file (nothing fetched to view it)."""
    from markdown_it import MarkdownIt

    # A paragraph of its own that no user text can produce: the SVG goes there.
    marker = f"sankey-picture-{secrets.token_hex(8)}"
    body = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(_render(source, language, {"marker": marker}))
    )
    figure = f'<figure class="sankey">\n{sankey_svg(source, language)}</figure>'
    body = body.replace(f"<p>{marker}</p>", figure, 1)
    title = f"{t('report.title', language)}: {source.dataset.data.company.name}"
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(' '.join(title.split()))}</title>\n"
        f"<style>{_HTML_STYLE}</style>\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )
