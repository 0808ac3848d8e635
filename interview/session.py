"""One interview in progress: the engine, the store and the answer rules together.

The terminal UI and the headless `run` command both drive a `Session`, so an
answer is checked, saved and counted the same way whichever way it arrives.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from .balance import Balance, compute
from .dataset import DataFileError, Dataset, Flow, Stock, parse_dataset, resolve_flow
from .engine import Answer, Engine
from .i18n import catalogue, t
from .mapping import FLOW_KEYS, item_flow, quantity_flow, to_data_file
from .numbers import NumberError, canonical, parse_data_value
from .questionnaire import DONT_KNOW, Question, Questionnaire
from .store import Store

FLOW_TYPES = ("flow_list", "quantity", "stock_list")


class AnswerError(ValueError):
    """An answer that does not fit its question; `problems` says what to change."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class TonUnsettled(AnswerError):
    """A bare "ton" in an English interview before its meaning was asked."""

    def __init__(self) -> None:
        super().__init__(
            [
                '"ton" can mean a metric tonne (1 000 kg) or a US short ton '
                "(907.18 kg); say which one this interview means"
            ]
        )


TON_MEANINGS = {"metric": "t", "short": "short ton"}


def _normalise_unit(unit: Any, language: str, ton: str | None) -> Any:
    """A bare "ton" written as the unit it means in this interview."""
    if not isinstance(unit, str) or unit.strip().casefold() not in ("ton", "tons"):
        return unit
    if language == "nl":
        return "t"  # Dutch: a ton is 1 000 kg
    if ton is None:
        raise TonUnsettled()
    return TON_MEANINGS[ton]


class Session:
    """An interview: its id, questionnaire, store and language."""

    def __init__(self, store: Store, questionnaire: Questionnaire, interview_id: int):
        self.store = store
        self.questionnaire = questionnaire
        self.engine = Engine(questionnaire)
        self.interview_id = interview_id
        self._batched = False
        self._flows_stale = False
        row = store.interview(interview_id)
        self.language = row.language or "nl"
        self.messages: str | None = None
        """The language problems with answers are told in, if not the
        interview's: the command line tells them in English."""
        self.ton = row.ton
        """What a bare "ton" means in English: "metric", "short" or not asked."""
        self._answers = store.answers(interview_id)
        self.restored: list[Question] = []
        """Questions whose earlier answers the last answer made count again."""
        self.hidden: list[Question] = []
        """Questions whose answers the last answer made stop counting."""

    @classmethod
    def start(
        cls, store: Store, questionnaire: Questionnaire, language: str = "nl"
    ) -> Session:
        interview_id = store.create_interview(
            language=language, questionnaire=questionnaire.label
        )
        return cls(store, questionnaire, interview_id)

    # Reading

    @property
    def answers(self) -> dict[str, Answer]:
        """Every stored answer, active or not."""
        return dict(self._answers)

    def active(self) -> dict[str, Answer]:
        return self.engine.active(self._answers)

    def inactive(self) -> dict[str, Answer]:
        return self.engine.inactive(self._answers)

    def orphaned(self) -> dict[str, Answer]:
        """Answers to questions the questionnaire no longer has."""
        return {q: a for q, a in self._answers.items() if not self.questionnaire.has(q)}

    def next_question(self) -> Question | None:
        return self.engine.next_question(self._answers)

    def previous(self, current: str | None) -> Question | None:
        return self.engine.previous(self._answers, current)

    def progress(self) -> tuple[int, int]:
        return self.engine.progress(self._answers)

    def finished(self) -> bool:
        return self.engine.finished(self._answers)

    # Writing

    def answer(self, question: Question, answer: Answer) -> Answer:
        """Check an answer, save it at once, and return it as stored."""
        checked = check_answer(question, answer, self.language, self.ton, self.messages)
        before = {q.id for q in self.engine.visible(self._answers)}
        answers = {**self._answers, question.id: checked}
        after = self.engine.visible(answers)
        after_ids = {q.id for q in after}
        # Answers that count again, or no longer: the interface shows both.
        self.restored = [q for q in after if q.id not in before and q.id in answers]
        self.hidden = [
            self.questionnaire.question(qid)
            for qid in sorted(before - after_ids)
            if qid in answers
        ]
        # The readable flows table follows every answer that can change it.
        flows = None
        if question.type in FLOW_TYPES or self.restored or self.hidden:
            if self._batched:
                self._flows_stale = True
            else:
                flows = self._flow_rows(answers)
        self.store.save_answer(self.interview_id, question.id, checked, flows=flows)
        self._answers = answers
        self._update_interview(question, checked)
        return checked

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Answers given in the block update the flows table once, at its end.

        For many answers given at once inside one transaction (an import), so
        that the flows are not computed again after each of them.
        """
        self._batched = True
        try:
            yield
        except BaseException:
            self._flows_stale = False  # the caller's transaction is undone
            raise
        finally:
            self._batched = False
        if self._flows_stale:
            self._flows_stale = False
            self.store.replace_flows(self.interview_id, self._flow_rows(self._answers))

    def _flow_rows(self, answers: Mapping[str, Answer]) -> list[dict[str, Any]]:
        """The active flows with their kg, for the database's flows table."""
        data = to_data_file(self.questionnaire, answers, language=self.language)
        try:
            dataset = parse_dataset(data, f"interview {self.interview_id}")
        except DataFileError:
            return []  # answers are checked one by one; keep the table as it was
        return [
            {
                "position": flow.index,
                "question_id": flow.flow.question,
                "name": flow.flow.name,
                "kind": flow.flow.kind,
                "quantity": None if flow.amount is None else str(flow.amount),
                "unit": flow.flow.unit,
                "kg": None if flow.kg is None else float(flow.kg),
                "material": flow.flow.material,
                "supplier": flow.flow.supplier,
                "processor": flow.flow.processor,
                "treatment": flow.flow.treatment,
                "cost_eur": None if flow.cost_eur is None else float(flow.cost_eur),
                "basis": flow.flow.basis,
            }
            for flow in dataset.flows
        ]

    def clear(self, question_id: str) -> None:
        self.store.clear_answer(self.interview_id, question_id)
        self._answers.pop(question_id, None)

    def set_ton(self, meaning: str) -> None:
        """Settle what a bare "ton" means in this interview: metric or short."""
        if meaning not in TON_MEANINGS:
            raise ValueError(f"a ton is metric or short, not {meaning!r}")
        self.ton = meaning
        self.store.update_interview(self.interview_id, ton=meaning)

    def set_language(self, language: str) -> None:
        self.language = language
        self.store.update_interview(self.interview_id, language=language)

    def finish(self) -> None:
        self.store.update_interview(self.interview_id, status="finished")

    def _update_interview(self, question: Question, answer: Answer) -> None:
        column = {
            "company.name": "company",
            "period": "period",
            "interview.interviewer": "interviewer",
        }.get(question.maps_to or "")
        if column and not answer.unknown:
            self.store.update_interview(self.interview_id, **{column: answer.value})

    # Computing

    def data_file(self, language: str | None = None) -> dict[str, Any]:
        """The interview as a data file; the names its questions give to flows
        (mains water) in `language`, the interview's by default."""
        row = self.store.interview(self.interview_id)
        return to_data_file(
            self.questionnaire,
            self._answers,
            language=language or self.language,
            interview={"updated": row.updated[:10], "status": row.status},
        )

    def dataset(self, language: str | None = None) -> Dataset:
        return parse_dataset(self.data_file(language), f"interview {self.interview_id}")

    def balance(self, tolerance_pct: Decimal | None = None) -> Balance:
        dataset = self.dataset()
        return (
            compute(dataset)
            if tolerance_pct is None
            else compute(dataset, tolerance_pct)
        )


def _number(
    text: Any, what: str, problems: list[str], language: str = "en"
) -> str | None:
    try:
        return canonical(parse_data_value(text))
    except NumberError as exc:
        problems.append(f"{what}: {exc.text(language)}")
    return None


def check_answer(
    question: Question,
    answer: Answer,
    language: str = "nl",
    ton: str | None = None,
    messages: str | None = None,
) -> Answer:
    """The answer in its stored form, or AnswerError saying what is wrong.

    `language` is the interview's, which reads units such as "ton";
    `messages` the language to tell problems in, the interview's by default.

    Numbers are stored as plain text the data-file rule reads back exactly,
    so a user's "1.234,5" is kept as "1234.5".
    """
    said = messages or language
    if answer.note is not None and not isinstance(answer.note, str):
        raise AnswerError([t("error.answer.note_not_text", said)])
    if answer.unknown:
        if not question.allow_unknown:
            raise AnswerError([t("error.answer.unknown_not_allowed", said)])
        return Answer(None, answer.note, unknown=True)
    value = answer.value
    kind = question.type
    problems: list[str] = []
    if value is None and not question.required:
        return Answer(None, answer.note)  # skipped
    if kind == "text":
        text = "" if value is None else str(value).strip()
        if not text and question.required:
            raise AnswerError([t("error.answer.empty", said)])
        return Answer(text, answer.note)
    if kind == "choice":
        if question.choice(str(value)) is None:
            allowed = ", ".join(c.value for c in question.choices or ())
            raise AnswerError(
                [t("error.answer.not_a_choice", said, value=value, allowed=allowed)]
            )
        return Answer(str(value), answer.note)
    if kind == "multi_choice":
        if not isinstance(value, list | tuple | None):
            raise AnswerError([t("error.answer.not_a_list", said)])
        values = list(value or [])
        wrong = [v for v in values if question.choice(str(v)) is None]
        if wrong:
            listed = ", ".join(map(str, wrong))
            raise AnswerError([t("error.answer.not_choices", said, values=listed)])
        return Answer([str(v) for v in values], answer.note)
    if kind == "number":
        number = _number(value, t("field.number", said), problems, said)
        if problems:
            raise AnswerError(problems)
        return Answer(number, answer.note)
    if kind == "quantity":
        if isinstance(value, Mapping) and "quantity" not in value:
            raise AnswerError([t("error.answer.no_quantity", said)])
        item = dict(value) if isinstance(value, Mapping) else {"quantity": value}
        if "unit" not in item and question.default_unit:
            item["unit"] = question.default_unit
        item["unit"] = _normalise_unit(item.get("unit"), language, ton)
        flow = quantity_flow(question, Answer(item), "nl")
        checked = _check_flow(flow, problems, "", said)
        if problems:
            raise AnswerError(problems)
        keep = {
            k: checked[k]
            for k in ("quantity", "unit", "density", "density_source", "mass_per_piece")
            if checked.get(k) is not None
        }
        return Answer(keep, answer.note)
    if kind == "flow_list":
        items = []
        for position, item in enumerate(value or [], start=1):
            if not isinstance(item, Mapping):
                item_at = t("error.flow.item_bare", said, position=position)
                problems.append(f"{item_at}: {t('error.flow.not_a_flow', said)}")
                continue
            flow = item_flow(question, item)
            if "unit" in flow:
                flow["unit"] = _normalise_unit(flow["unit"], language, ton)
            if flow["kind"] not in (question.kinds or ()):
                allowed = ", ".join(question.kinds or ())
                item_at = t("error.flow.item_bare", said, position=position)
                wrong_kind = t(
                    "error.flow.kind_not_allowed",
                    said,
                    kind=flow["kind"],
                    allowed=allowed,
                )
                problems.append(f"{item_at}: {wrong_kind}")
                continue
            item_at = t(
                "error.flow.item", said, position=position, name=item.get("name")
            )
            checked = _check_flow(flow, problems, f"{item_at}: ", said)
            items.append({k: v for k, v in checked.items() if k in FLOW_KEYS})
        if problems:
            raise AnswerError(problems)
        return Answer(items, answer.note)
    if kind == "stock_list":
        items = []
        for position, item in enumerate(value or [], start=1):
            stock_at = t("error.flow.stock", said, position=position)
            try:
                stock = Stock.model_validate(dict(item))
            except ValidationError as exc:
                problems.append(f"{stock_at}: {_first_error(exc, said)}")
                continue
            except (TypeError, ValueError):
                problems.append(f"{stock_at}: {t('error.flow.not_a_flow', said)}")
                continue
            opening = _number(
                stock.opening,
                f"{stock_at}, {t('field.opening', said)}",
                problems,
                said,
            )
            closing = _number(
                stock.closing,
                f"{stock_at}, {t('field.closing', said)}",
                problems,
                said,
            )
            items.append(
                stock.model_dump(exclude_none=True)
                | {"opening": opening, "closing": closing}
            )
        if problems:
            raise AnswerError(problems)
        return Answer(items, answer.note)
    raise AnswerError([t("error.answer.type", said, kind=kind)])


def _check_flow(
    flow: dict[str, Any], problems: list[str], prefix: str, language: str = "en"
) -> dict[str, Any]:
    """Validate one flow as a data file would; numbers made canonical."""
    flow = dict(flow)
    quantity = flow.get("quantity")
    if quantity is None or str(quantity).strip() == "":
        flow["quantity"] = "unknown"
    elif str(quantity).strip().casefold() not in ("unknown", DONT_KNOW):
        number = _number(
            quantity, f"{prefix}{t('field.quantity', language)}", problems, language
        )
        if number is None:
            return flow
        flow["quantity"] = number
    else:
        flow["quantity"] = "unknown"
    for key in ("cost_eur", "revenue_eur", "units"):
        if flow.get(key) not in (None, ""):
            number = _number(
                flow[key], f"{prefix}{t('field.' + key, language)}", problems, language
            )
            if number is None:
                del flow[key]  # told once, in the user's language
            else:
                flow[key] = number
    try:
        model = Flow.model_validate(flow)
    except ValidationError as exc:
        problems.append(f"{prefix}{_first_error(exc, language)}")
        return flow
    found: list[str] = []
    where = prefix.rstrip(": ") or t("field.quantity", language)
    resolve_flow(model, 0, found, where, language=language)
    problems.extend(found)
    if model.hazardous is not None:
        flow["hazardous"] = model.hazardous  # "false" from a YAML file: a yes/no
    return flow


def _first_error(exc: ValidationError, language: str) -> str:
    """Pydantic's first complaint about a flow, in the user's words."""
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    label = t(f"field.{field}", language) if f"field.{field}" in catalogue() else field
    kind = first["type"]
    if kind == "missing":
        said = t("error.flow.required", language)
    elif kind == "string_too_short":
        said = t("error.flow.empty", language)
    elif kind == "literal_error":
        allowed = first.get("ctx", {}).get("expected", "")
        said = t("error.flow.not_allowed", language, allowed=allowed)
    else:
        said = t("error.flow.invalid", language, detail=first["msg"])
    return f"{label}: {said}" if label else said


def replay_into(session: Session, replay: Any, pause: float = 0.0) -> Question | None:
    """Answer `session` from a data file's `Replay`, saving each answer as given.

    Every question the file answers is answered, in the interview's order,
    also past questions it leaves open (a data file usually has flows and no
    answer to "who answers?"). Returns the first question left open, or None
    when the interview is complete. Raises AnswerError (with the question id)
    for an answer that does not fit its question.
    """
    import logging
    import time

    log = logging.getLogger(__name__)
    skipped: set[str] = set()
    while True:
        # Visibility changes with each answer, so look again from the start.
        for question in session.engine.visible(session.answers):
            if question.id in session.answers or question.id in skipped:
                continue
            answer = replay.answer_for(question, session.answers)
            if answer is None:
                skipped.add(question.id)
                continue
            try:
                session.answer(question, answer)
            except AnswerError as exc:
                raise AnswerError(
                    [f"question {question.id}: {p}" for p in exc.problems]
                ) from None
            log.info("%s: saved", question.id)
            if pause:
                time.sleep(pause)
            break
        else:
            return session.next_question()
