"""From active answers to a data file, and from a data file back to answers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .dataset import FORMAT, Flow
from .engine import Answer, Engine
from .questionnaire import DONT_KNOW, Question, Questionnaire

# Keys of a flow-list item or quantity answer that are flow fields: every field
# of the data file's flow except `question`, which the mapping itself sets.
FLOW_KEYS = tuple(name for name in Flow.model_fields if name != "question")
STOCK_KEYS = (
    "name",
    "material",
    "opening",
    "closing",
    "unit",
    "density",
    "mass_per_piece",
)


def _clean(item: Mapping[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {k: item[k] for k in keys if item.get(k) not in (None, "", [])}


def item_flow(question: Question, item: Mapping[str, Any]) -> dict[str, Any]:
    """A flow-list item as a data-file flow.

    `item_defaults` are not applied here: they pre-fill a new item in the
    interview, and an item keeps only what it was given.
    """
    flow = _clean(item, FLOW_KEYS)
    flow.setdefault("kind", (question.kinds or ("raw_material",))[0])
    flow.setdefault("quantity", "unknown")
    flow["question"] = question.id
    return flow


def quantity_flow(question: Question, answer: Answer, language: str) -> dict[str, Any]:
    """A quantity answer as the flow its question's template describes."""
    assert question.flow is not None
    value = answer.value if isinstance(answer.value, Mapping) else {}
    flow: dict[str, Any] = {
        "name": question.flow.name(language),
        "kind": question.flow.kind,
    }
    if question.flow.material:
        flow["material"] = question.flow.material
    if answer.unknown:
        flow["quantity"] = "unknown"
    else:
        flow.update(_clean(value, FLOW_KEYS))
    if answer.note:
        flow["note"] = answer.note
    flow["question"] = question.id
    return flow


def to_data_file(
    questionnaire: Questionnaire,
    answers: Mapping[str, Answer],
    *,
    language: str = "nl",
    interview: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The data file of an interview, from its active answers only."""
    active = Engine(questionnaire).active(answers)
    company: dict[str, Any] = {}
    period = None
    interviewer = None
    flows: list[dict[str, Any]] = []
    stock: list[dict[str, Any]] = []
    other: dict[str, Any] = {}
    figures: set[Any] = set()
    for question in questionnaire.questions:
        answer = active.get(question.id)
        if answer is None:
            continue
        target = question.maps_to
        if target and not answer.unknown and answer.value not in (None, ""):
            if target.startswith("company."):
                company[target.split(".", 1)[1]] = answer.value
            elif target == "period":
                period = answer.value
            elif target == "interview.interviewer":
                interviewer = answer.value
            continue
        if question.type == "flow_list":
            flows += [item_flow(question, item) for item in answer.value or ()]
        elif question.type == "quantity" and question.flow is not None:
            # Questions with the same flow template ask the same figure: the
            # first one answered counts, so the figure is never doubled.
            if question.flow not in figures:
                figures.add(question.flow)
                flows.append(quantity_flow(question, answer, language))
        elif question.type == "stock_list":
            stock += [_clean(item, STOCK_KEYS) for item in answer.value or ()]
        else:
            value = DONT_KNOW if answer.unknown else answer.value
            other[question.id] = (
                {"value": value, "note": answer.note} if answer.note else value
            )
    company.setdefault("name", "?")
    data: dict[str, Any] = {
        "format": FORMAT,
        "company": company,
        "period": period or "?",
        "flows": flows,
    }
    if stock:
        data["stock"] = stock
    if other:
        data["answers"] = other
    meta = {"language": language, "questionnaire": questionnaire.label}
    if interviewer:
        meta["interviewer"] = interviewer
    meta.update({k: v for k, v in (interview or {}).items() if v is not None})
    data["interview"] = meta
    return data


def answer_from_data(question: Question, raw: Any) -> Answer:
    """An answer as a data file's `answers` section writes it."""
    note = None
    if isinstance(raw, Mapping) and raw and set(raw) <= {"value", "note", "unknown"}:
        # {value, note, unknown}; any other mapping is the value itself, for
        # the question's own check to refuse or take.
        note = raw.get("note")
        if raw.get("unknown") is True or str(raw.get("unknown")).casefold() == "true":
            return Answer(None, note, unknown=True)
        raw = raw.get("value")
    if raw == DONT_KNOW and question.choice(DONT_KNOW) is None:
        return Answer(None, note, unknown=True)
    if question.type == "multi_choice" and isinstance(raw, str):
        raw = [part.strip() for part in raw.split(",") if part.strip()]
    return Answer(raw, note)


_WORD = re.compile(r"\w+")


def flow_list_for(
    questionnaire: Questionnaire, flow: Mapping[str, Any]
) -> Question | None:
    """The flow list a flow goes to when nothing says which (an import, a replay).

    Of the lists that take the flow's kind: the one whose `item_defaults`
    material is the flow's material; else the first one with a word that a
    word of the flow's name or material starts with (`words` in the question
    file); else the last one without words, the catch-all (chemicals for an
    auxiliary, residual waste for waste); else the last one.
    """
    candidates = [
        q
        for q in questionnaire.questions
        if q.type == "flow_list" and flow.get("kind") in (q.kinds or ())
    ]
    if not candidates:
        return None
    material = str(flow.get("material") or "").casefold()
    if material:
        for question in candidates:
            default = (question.item_defaults or {}).get("material", "")
            if default.casefold() == material:
                return question
    text = f"{flow.get('name') or ''} {material}".casefold()
    tokens = _WORD.findall(text)
    for question in candidates:
        for word in question.words:
            start = word.casefold()
            if " " in start:
                if start in text:
                    return question
            elif any(token.startswith(start) for token in tokens):
                return question
    plain = [q for q in candidates if not q.words]
    return (plain or candidates)[-1]


def looks_like_template(flow: Mapping[str, Any], template: Any) -> bool:
    """Whether a flow is what a quantity question makes: its name (in either
    language) or its material. The answer keeps only the amount, so a flow of
    something else ("gas" keyed to the mains water) would be renamed."""
    names = {template.name(lang).casefold() for lang in ("nl", "en")}
    name = str(flow.get("name") or "").casefold()
    material = str(flow.get("material") or "").casefold()
    return name in names or (
        bool(template.material) and material == template.material.casefold()
    )


class Replay:
    """Feeds a data file's content to the engine, question by question."""

    def __init__(self, questionnaire: Questionnaire, data: Mapping[str, Any]):
        self.questionnaire = questionnaire
        self.data = data
        self.language = (data.get("interview") or {}).get("language") or "nl"
        self.raw_answers = dict(data.get("answers") or {})
        self.flows = [dict(f) for f in data.get("flows") or ()]
        self.taken: set[int] = set()
        for flow in self.flows:
            if not self._fits(flow):
                # No question key, or one naming a question that cannot take
                # this flow (not a list, another kind): placed by its words.
                flow["question"] = self._target(flow)

    def _fits(self, flow: Mapping[str, Any]) -> bool:
        """Whether the flow's question key names a question that takes it."""
        question_id = flow.get("question")
        if not isinstance(question_id, str) or not self.questionnaire.has(question_id):
            return False
        question = self.questionnaire.question(question_id)
        if question.type == "flow_list":
            return flow.get("kind") in (question.kinds or ())
        template = question.flow
        return (
            question.type == "quantity"
            and template is not None
            and template.kind == flow.get("kind")
            and looks_like_template(flow, template)
            and sum(1 for other in self.flows if other.get("question") == question_id)
            == 1
        )

    def unplaced(self) -> list[dict[str, Any]]:
        """Flows no question of the questionnaire can take: a replay would lose them."""
        return [flow for flow in self.flows if flow.get("question") is None]

    def unplaced_problems(self, source: Any) -> list[str]:
        """What to tell about the unplaced flows, one line each."""
        return [
            f"{source}: flow {flow.get('name')} (kind {flow.get('kind')}) fits no "
            "question of the questionnaire; give it a kind the questions ask for, "
            "or a question key naming a list of that kind. Nothing was stored"
            for flow in self.unplaced()
        ]

    def _target(self, flow: Mapping[str, Any]) -> str | None:
        """The flow list a flow without a question key belongs to."""
        question = flow_list_for(self.questionnaire, flow)
        return question.id if question is not None else None

    def _pending(self, question: Question) -> list[int]:
        ids = []
        for i, flow in enumerate(self.flows):
            if i in self.taken:
                continue
            if flow.get("question") == question.id:
                ids.append(i)
        return ids

    def _mapped(self, question: Question) -> Any:
        target = question.maps_to
        if target is None:
            return None
        if target.startswith("company."):
            return (self.data.get("company") or {}).get(target.split(".", 1)[1])
        if target == "period":
            return self.data.get("period")
        return (self.data.get("interview") or {}).get("interviewer")

    def answer_for(
        self, question: Question, answers: Mapping[str, Answer]
    ) -> Answer | None:
        """The answer the data file gives to `question`, or None."""
        if question.id in self.raw_answers:
            given = answer_from_data(question, self.raw_answers[question.id])
            if question.type == "flow_list" and self._pending(question):
                # Items under answers and flows for the same list: both count.
                pending = self._pending(question)
                self.taken.update(pending)
                items = given.value if isinstance(given.value, list) else []
                flows = [
                    {k: v for k, v in self.flows[i].items() if k != "question"}
                    for i in pending
                ]
                return Answer([*items, *flows], given.note)
            return given
        mapped = self._mapped(question)
        if mapped is not None:
            return Answer(str(mapped))
        if question.type == "flow_list":
            pending = self._pending(question)
            self.taken.update(pending)
            items = []
            for i in pending:
                item = {k: v for k, v in self.flows[i].items() if k != "question"}
                items.append(item)
            return Answer(items)
        if question.type == "quantity" and question.flow is not None:
            pending = self._pending(question)
            if pending:
                self.taken.add(pending[0])
                flow = self.flows[pending[0]]
                if str(flow.get("quantity", "")).strip().casefold() == "unknown":
                    return Answer(None, flow.get("note"), unknown=True)
                value = _clean(flow, ("quantity", "unit", "density", "mass_per_piece"))
                return Answer(value, flow.get("note"))
            return None
        if question.type == "stock_list" and self.data.get("stock") is not None:
            return Answer([dict(s) for s in self.data["stock"]])
        if question.type in ("choice", "multi_choice"):
            inferred = self._inferred_gate(question, answers)
            if inferred is not None:
                return inferred
        if not question.required:
            return Answer(None)
        return None

    def _inferred_gate(
        self, question: Question, answers: Mapping[str, Answer]
    ) -> Answer | None:
        """A choice the data file implies: the one that opens a list its flows need."""
        later = self.questionnaire.questions[
            self.questionnaire.questions.index(question) + 1 :
        ]
        opening = []
        for choice in question.choices or ():
            value = [choice.value] if question.type == "multi_choice" else choice.value
            trial = dict(answers)
            trial[question.id] = Answer(value)
            shown = {q.id for q in Engine(self.questionnaire).visible(trial)}
            if any(
                target.id in shown
                and self._has_content_for(target)
                and question.id in self._reads(target)
                for target in later
            ):
                opening.append(choice.value)
        if not opening:
            return None
        if question.type == "multi_choice":
            return Answer(opening)
        return Answer(opening[0])

    def _has_content_for(self, question: Question) -> bool:
        """Whether the file has flows (or stock) for `question` not yet given."""
        if question.type == "stock_list":
            return bool(self.data.get("stock"))
        return bool(self._pending(question))

    def _reads(self, question: Question) -> frozenset[str]:
        condition = self.questionnaire.conditions.get(question.id)
        return condition.names if condition else frozenset()

    def leftover(self) -> list[dict[str, Any]]:
        """Flows of the data file that no question took."""
        return [f for i, f in enumerate(self.flows) if i not in self.taken]


def replay_answers(
    questionnaire: Questionnaire, data: Mapping[str, Any]
) -> dict[str, Answer]:
    """Every answer a data file gives, walking the questions in order.

    Unlike a headless run, which stops at the first open question, this goes
    on past open questions, so a report of a data file shows all it knows.
    """
    replay = Replay(questionnaire, data)
    engine = Engine(questionnaire)
    answers: dict[str, Answer] = {}
    for question in questionnaire.questions:
        if question.id not in {q.id for q in engine.visible(answers)}:
            continue
        answer = replay.answer_for(question, answers)
        if answer is not None:
            answers[question.id] = answer
    return answers


def replay_differences(
    file_balance: Any, session_balance: Any, source: Any
) -> list[str]:
    """What a replayed interview counts differently from its data file.

    Once every flow of the file has its question, the interview must weigh
    what the file weighs; a difference means something was lost on the way
    (stock under a question answered no, a flow under a list that is hidden).
    """
    checks = (
        ("in", "inputs_kg"),
        ("out", "outputs_kg"),
        ("as stock change", "stock_change_kg"),
    )
    differ = [
        f"{getattr(session_balance, key):f} kg {label} (the file: "
        f"{getattr(file_balance, key):f} kg)"
        for label, key in checks
        if abs(getattr(session_balance, key) - getattr(file_balance, key))
        > Decimal("0.000001")
    ]
    if not differ:
        return []
    return [
        f"{source}: as an interview the file would count "
        + "; ".join(differ)
        + ". Its answers and its flows do not agree: a question answered no while "
        "the file has flows or stock for it, or items under answers beside the "
        "flows (only the flows count in a balance). Correct the file; nothing was "
        "stored"
    ]
