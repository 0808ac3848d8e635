"""Answers written out for the transcript, in the interview's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from ..engine import Answer
from ..mapping import item_flow, quantity_flow
from ..questionnaire import Question
from .parsing import Mass, composition_text, flow_mass, kg_text, shown
from .strings import field_label, kind_label, tr, value_label


def _number(text: Any, language: str) -> str:
    try:
        return shown(Decimal(str(text)), language, digits=6)
    except (InvalidOperation, ValueError):
        return str(text)


def amount_text(quantity: Any, unit: Any, language: str) -> str:
    """ "12,5 t" for a stored quantity; "?" when it is unknown."""
    if quantity is None or str(quantity).strip().casefold() == "unknown":
        return "?" + (f" {unit}" if unit else "")
    return f"{_number(quantity, language)} {unit or ''}".strip()


def mass_text(mass: Mass, language: str) -> str:
    """ "= 12 500 kg", or why there is no figure in kg."""
    if mass.kg is not None:
        extra = f" ({tr('default_density', language)})" if mass.default_density else ""
        return f"= {kg_text(mass.kg, language)}{extra}"
    if mass.needs:
        return f"({tr('missing.' + mass.needs, language)})"
    if mass.reason:
        return f"({tr('not_converted', language)}: {mass.reason})"
    return ""


def item_mass(
    question: Question, item: Mapping[str, Any], language: str = "nl"
) -> Mass:
    return flow_mass(item_flow(question, item), language)


def field_text(field: str, value: Any, language: str) -> str:
    if field == "composition":
        return composition_text(value, language)
    if field == "hazardous":
        return value_label(field, "yes" if value else "no", language)
    if field in ("cost_eur", "revenue_eur", "units"):
        return _number(value, language)
    return value_label(field, str(value), language)


def item_text(question: Question, item: Mapping[str, Any], language: str) -> str:
    """One flow-list item on one line: amount, name, kg and its fields."""
    amount = amount_text(item.get("quantity"), item.get("unit"), language)
    parts = [f"{amount} {item.get('name', '')}".strip()]
    mass = mass_text(item_mass(question, item, language), language)
    if mass:
        parts[0] += f" {mass}"
    kinds = question.kinds or ()
    if len(kinds) > 1 and item.get("kind"):
        parts.append(kind_label(str(item["kind"]), language))
    for field in question.fields:
        if field in ("density", "mass_per_piece") or item.get(field) in (None, ""):
            continue
        parts.append(
            f"{field_label(field, language)}: "
            f"{field_text(field, item[field], language)}"
        )
    for extra in ("density", "mass_per_piece"):
        if item.get(extra):
            parts.append(f"{field_label(extra, language)}: {item[extra]}")
    if item.get("density") and item.get("density_source") == "table":
        parts[-1] += f" ({tr('from_table', language)})"
    return " · ".join(parts)


def stock_text(item: Mapping[str, Any], language: str) -> str:
    unit = item.get("unit", "")
    opening = amount_text(item.get("opening"), unit, language)
    closing = amount_text(item.get("closing"), unit, language)
    return f"{item.get('name', '')}: {opening} → {closing}"


def answer_text(question: Question, answer: Answer, language: str) -> str:
    """An answer as the transcript shows it."""
    if answer.unknown:
        text = tr("dont_know", language)
    else:
        text = _value_text(question, answer, language)
    if answer.note:
        text += f"\n({answer.note})"
    return text


def _value_text(question: Question, answer: Answer, language: str) -> str:
    value = answer.value
    kind = question.type
    if kind == "choice":
        choice = question.choice(str(value))
        return choice.label(language) if choice else str(value)
    if kind == "multi_choice":
        labels = []
        for item in value or ():
            choice = question.choice(str(item))
            labels.append(choice.label(language) if choice else str(item))
        return ", ".join(labels) or tr("none", language)
    if kind == "number":
        return _number(value, language)
    if kind == "quantity":
        value = value if isinstance(value, Mapping) else {"quantity": value}
        text = amount_text(value.get("quantity"), value.get("unit"), language)
        if question.flow is not None:
            mass = mass_text(
                flow_mass(quantity_flow(question, answer, language), language), language
            )
            text = f"{text} {mass}".strip()
        for extra in ("density", "mass_per_piece"):
            if value.get(extra):
                text += f"\n{field_label(extra, language)}: {value[extra]}"
        if value.get("density") and value.get("density_source") == "table":
            text += f" ({tr('from_table', language)})"
        return text
    if kind == "flow_list":
        items = list(value or ())
        if not items:
            return tr("none", language)
        return "\n".join(f"• {item_text(question, item, language)}" for item in items)
    if kind == "stock_list":
        items = list(value or ())
        if not items:
            return tr("none", language)
        return "\n".join(f"• {stock_text(item, language)}" for item in items)
    text = "" if value is None else str(value)
    return text or tr("skipped", language)


def local_time(stamp: str, language: str = "nl") -> str:
    """A stored UTC time stamp as local day and time: 03-12-2026 in Dutch,
    2026-12-03 in English (where 03-12 could be read as March)."""
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%d-%m-%Y %H:%M" if language == "nl" else "%Y-%m-%d %H:%M")
