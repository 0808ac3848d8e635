"""The advice report: the balance and the answers, rendered by a Jinja2 template."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2

from .advice import AdviceItem, advice_items
from .balance import Balance, compute
from .dataset import INPUT_KINDS, KINDS, OUTPUT_KINDS, Dataset
from .engine import Answer, Engine
from .i18n import catalogue, kind_label, t
from .mapping import replay_answers
from .numbers import format_number
from .questionnaire import Question, Questionnaire
from .resources import reports_dir

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def md(value: Any) -> str:
    """Text that Markdown shows literally, on one line, safe inside a table cell."""
    text = "" if value is None else str(value)
    text = " ".join(text.split())
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _ENTITY.sub(r"\\&", text)


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
    from_interview: bool = False

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
        cls, session: Any, tolerance_pct: Decimal | None = None
    ) -> ReportSource:
        """A report of a stored interview (an `interview.session.Session`)."""
        dataset = session.dataset()
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
    return env


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
        return ", ".join(labels) or "-"
    if question.type == "flow_list":
        return t("items", language, count=len(value or ()))
    if isinstance(value, Mapping):
        return " ".join(str(value[k]) for k in ("quantity", "unit") if value.get(k))
    return "" if value is None else str(value)


def build_context(source: ReportSource, language: str) -> dict[str, Any]:
    """The template's variables: plain values, numbers already formatted."""
    balance = source.balance
    data = source.dataset.data
    q = source.questionnaire

    def kg(value: Decimal | None) -> str:
        return "-" if value is None else format_number(value, language) + " kg"

    def pct(value: Decimal | None) -> str:
        return "-" if value is None else format_number(value, language, 1) + " %"

    flows_by_kind = []
    for kind in KINDS:
        rows = [
            {
                "name": f.flow.name,
                "quantity": _quantity(f, language),
                "kg": kg(f.kg),
                "party": f.flow.supplier or f.flow.processor or "",
                "treatment": t(f"treatment.{f.flow.treatment}", language)
                if f.flow.treatment
                else "",
                "basis": t(f"basis.{f.flow.basis}", language) if f.flow.basis else "",
            }
            for f in source.dataset.flows
            if f.flow.kind == kind
        ]
        if rows:
            flows_by_kind.append(
                {
                    "label": kind_label(kind, language),
                    "rows": rows,
                    "total": kg(balance.by_kind_kg[kind]),
                    "output": kind in OUTPUT_KINDS,
                }
            )

    themes: dict[str, list[dict[str, Any]]] = {}
    for question in q.questions:
        answer = source.answers.get(question.id)
        if answer is None or question.theme is None:
            continue
        choice = None if answer.unknown else question.choice(str(answer.value))
        advice = choice.advice(language) if choice and choice.advice else ""
        themes.setdefault(question.theme, []).append(
            {
                "question": question.text(language),
                "answer": _answer_text(question, answer, language),
                "note": answer.note or "",
                "advice": advice,
            }
        )

    answered_rows = [
        {
            "question": q.question(qid).text(language),
            "answer": _answer_text(q.question(qid), answer, language),
            "note": answer.note or "",
        }
        for qid, answer in source.answers.items()
        if q.question(qid).type not in ("flow_list",)
    ]

    items: list[AdviceItem] = advice_items(source.dataset, balance, language)
    gaps = _data_gaps(source, language)
    closure = balance.closure_pct
    return {
        "lang": language,
        "s": {
            key: entry.get(language, entry["nl"]) for key, entry in catalogue().items()
        },
        "company": data.company.name,
        "sector": t(f"sector.{data.company.sector}", language)
        if data.company.sector
        else "",
        "contact": data.company.contact or "",
        "period": data.period,
        "interviewer": (data.interview.interviewer if data.interview else None) or "",
        "questionnaire": (data.interview.questionnaire if data.interview else None)
        or source.questionnaire.label,
        "date": source.date or "",
        "inputs": kg(balance.inputs_kg),
        "outputs": kg(balance.outputs_kg),
        "difference": kg(balance.difference_kg),
        "stock_change": kg(balance.stock_change_kg),
        "has_stock": bool(source.dataset.stock),
        "gap": kg(balance.gap_kg),
        "gap_pct": pct(balance.gap_pct),
        "closure": pct(closure),
        "tolerance": format_number(balance.tolerance_pct, language),
        "within_tolerance": balance.within_tolerance,
        "input_kinds": [
            {"label": kind_label(k, language), "kg": kg(balance.by_kind_kg[k])}
            for k in INPUT_KINDS
            if balance.by_kind_kg[k]
        ],
        "output_kinds": [
            {"label": kind_label(k, language), "kg": kg(balance.by_kind_kg[k])}
            for k in OUTPUT_KINDS
            if balance.by_kind_kg[k]
        ],
        "flows_by_kind": flows_by_kind,
        "materials": [
            {
                "name": name,
                "in": kg(line.in_kg),
                "waste": kg(
                    sum(
                        (v for k, v in line.out_kg.items() if k != "product"),
                        Decimal(0),
                    )
                ),
                "product": kg(line.product_kg),
            }
            for name, line in sorted(
                balance.materials.items(), key=lambda item: -item[1].in_kg
            )
        ],
        "unassigned": kg(balance.unassigned_kg),
        "has_unassigned": bool(balance.unassigned_kg),
        "unconverted": balance.unconverted,
        "unknown": balance.unknown,
        "conversions": [
            {
                "flow": c["flow"],
                "value": c.get("density") or c.get("mass_per_piece"),
                "what": t(
                    "report.density" if "density" in c else "report.per_piece", language
                ),
                "source": t(f"report.source_{c['source']}", language),
            }
            for c in balance.conversions
        ],
        "warnings": [
            w.message
            for w in balance.warnings
            if w.code not in ("unconverted", "unknown_quantity")
        ],
        "themes": [
            {"label": t(f"theme.{theme}", language), "rows": themes[theme]}
            for theme in ("raw_materials", "auxiliaries", "waste", "product")
            if theme in themes
        ],
        "support": themes.get("support", []),
        "next_steps": themes.get("next_steps", []),
        "advice": [item.text for item in items],
        "gaps": gaps,
        "open_questions": [
            {"id": qq.id, "text": qq.text(language)} for qq in source.open_questions
        ],
        "answers": answered_rows,
        "orphaned": [
            {"id": qid, "answer": _plain_answer(a)}
            for qid, a in source.orphaned.items()
        ],
        "inactive": [
            {"question": q.question(qid).text(language), "answer": _plain_answer(a)}
            for qid, a in source.inactive.items()
            if q.has(qid)
        ],
    }


def _quantity(flow: Any, language: str) -> str:
    if flow.unknown:
        return "?"
    return f"{format_number(flow.amount, language, 3)} {flow.flow.unit or ''}".strip()


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
        if not answer.unknown:
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
                "what": f"{item['flow']}: {item['reason']}",
                "ask": _who_for_flow(None, language),
            }
        )
    return gaps


def _who_for_flow(kind: str | None, language: str) -> str:
    if kind in INPUT_KINDS:
        return t("ask_purchasing", language)
    if kind in OUTPUT_KINDS:
        return t("ask_processor", language)
    return t("ask_supplier_density", language)


def render_markdown(source: ReportSource, language: str = "nl") -> str:
    """The report as Markdown."""
    template = _environment().get_template("report.md.j2")
    return template.render(**build_context(source, language))


def write_report(
    session: Any, directory: Path | None = None, language: str | None = None
) -> Path:
    """Write a stored interview's report as Markdown and return its path."""
    from .locations import reports_dir as default_dir

    language = language or session.language
    directory = Path(directory) if directory is not None else default_dir()
    directory.mkdir(parents=True, exist_ok=True)
    text = render_markdown(ReportSource.from_session(session), language)
    path = directory / f"massabalans-{session.interview_id}.md"
    path.write_text(text, encoding="utf-8")
    return path


_HTML_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.5; color: #1d2a25; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #c9d3ce; padding: 0.25rem 0.6rem; vertical-align: top; }
th { background: #e8efe9; }
h1, h2, h3 { color: #24583f; }
"""


def render_html(source: ReportSource, language: str = "nl") -> str:
    """The report as one self-contained HTML file (nothing fetched to view it)."""
    from markdown_it import MarkdownIt

    body = (
        MarkdownIt("commonmark", {"html": False})
        .enable("table")
        .render(render_markdown(source, language))
    )
    title = md(source.dataset.data.company.name).replace("\\", "")
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_html_escape(title)}</title>\n<style>{_HTML_STYLE}</style>\n"
        f"</head>\n<body>\n{body}</body>\n</html>\n"
    )


def _html_escape(text: str) -> str:
    import html

    return html.escape(text)
