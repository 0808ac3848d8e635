"""Transcript turns, and one answer box per question type."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import (
    Button,
    DataTable,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from .. import session as _session
from ..dataset import BASES, ORIGINS, TREATMENTS
from ..densities import DensityEntry, lookup
from ..engine import Answer
from ..mapping import quantity_flow
from ..numbers import canonical
from ..questionnaire import DONT_KNOW, Question
from ..session import AnswerError
from ..units import NORMAL_VOLUME, VOLUME
from .display import amount_text, field_text, item_mass
from .parsing import (
    Ambiguous,
    EntryError,
    Mass,
    completed_follow_up,
    composition_text,
    flow_mass,
    is_dont_know,
    parse_amount,
    parse_composition,
    parse_item_line,
    plain,
    read_number,
    read_unit,
    shown,
)
from .strings import (
    FIELD_PLACEHOLDERS,
    example_item,
    field_label,
    kind_label,
    one_piece,
    tr,
    value_label,
)

log = logging.getLogger(__name__)

# The core refuses a bare "ton" in English until the interview says which ton
# is meant; older cores have no such rule and take it as a metric tonne.
TON_UNSETTLED: type[AnswerError] | None = getattr(_session, "TonUnsettled", None)

Save = Callable[[Answer], Answer]

# Fields chosen from a fixed list, and the values of each.
CHOICE_FIELDS: dict[str, tuple[str, ...]] = {
    "treatment": TREATMENTS,
    "origin": ORIGINS,
    "basis": BASES,
    "hazardous": ("yes", "no"),
}
NUMBER_FIELDS = ("cost_eur", "revenue_eur", "units")
WIDE_FIELDS = ("composition", "note")


class Bubble(Static):
    """One turn of the transcript: a question, an answer or a note."""

    def __init__(self, text: str, kind: str) -> None:
        super().__init__(text, markup=False, classes=f"bubble {kind}")


class AnswerRow(Horizontal):
    """An answer, set to the right like the reply in a chat.

    With a question id it can be clicked, to go back and change it.
    """

    class Picked(Message):
        def __init__(self, question_id: str) -> None:
            super().__init__()
            self.question_id = question_id

    def __init__(
        self,
        text: str,
        changed: bool = False,
        question_id: str | None = None,
        tooltip: str | None = None,
    ) -> None:
        super().__init__(classes="answer-row")
        self._text = text
        self._changed = changed
        self.question_id = question_id
        if question_id is not None:
            self.add_class("-pickable")
        self._tooltip = tooltip

    def compose(self) -> ComposeResult:
        bubble = Bubble(self._text, "answer changed" if self._changed else "answer")
        if self._tooltip:
            bubble.tooltip = self._tooltip
        yield bubble

    def on_click(self, event: events.Click) -> None:
        if self.question_id is not None:
            event.stop()
            self.post_message(self.Picked(self.question_id))


def follow_up_example(needs: str, unit: Any, language: str) -> str:
    """An example density or mass per piece that fits the unit typed."""
    if needs == "density":
        try:
            gas = read_unit(str(unit), language).dimension == NORMAL_VOLUME
        except EntryError:
            gas = False
        if gas:
            return "1,25 kg/Nm3" if language == "nl" else "1.25 kg/Nm3"
    return FIELD_PLACEHOLDERS[language][needs]


def plain_value(value: Any, language: str) -> str:
    """A stored number as the user would type it again."""
    try:
        return plain(Decimal(str(value)), language)
    except (InvalidOperation, ValueError):
        return str(value)


def table_density(
    name: Any, material: Any, unit: Any, language: str
) -> DensityEntry | None:
    """The density table's entry for a volume of this liquid or gas, if any."""
    try:
        dimension = read_unit(str(unit), language).dimension
    except EntryError:
        return None
    if dimension not in (VOLUME, NORMAL_VOLUME):
        return None
    return lookup(str(name or ""), str(material or ""), gas=dimension == NORMAL_VOLUME)


def stored_density(entry: DensityEntry) -> str:
    """The entry's value as text that the data-file rule reads one way only.

    "1.293 kg/Nm3" could also be 1 293; a fourth decimal ("1.2930") cannot.
    """
    number = canonical(entry.value)
    whole, _, fraction = number.partition(".")
    if len(fraction) == 3 and whole.lstrip("-") != "0":
        number += "0"
    return f"{number} {entry.unit}"


def offered_density(entry: DensityEntry, language: str) -> str:
    """The entry's value as the user would type it."""
    return f"{plain(entry.value, language)} {entry.unit}"


class DensityOffer:
    """A table density put in the input; kept as the table's when left as it is."""

    def __init__(self, entry: DensityEntry, language: str) -> None:
        self.entry = entry
        self.typed = offered_density(entry, language)

    def prompt(self, name: Any, unit: Any, language: str) -> str:
        return tr(
            "ask.density_table",
            language,
            name=name,
            unit=unit,
            value=self.typed,
            conditions=self.entry.conditions,
            source=self.entry.source,
        )

    def apply(self, item: dict[str, Any], text: str) -> None:
        """Put the density in `item`: the table's, or what the user typed."""
        if " ".join(text.split()) == self.typed:
            item["density"] = stored_density(self.entry)
            item["density_source"] = "table"
        else:
            item["density"] = completed_follow_up(text, "density", item.get("unit"))
            item.pop("density_source", None)


def jump_target(labels: list[str], current: int | None, key: str) -> int | None:
    """The option a typed key moves to: a digit 1-9 the option of that number,
    a letter the next option after `current` whose label starts with it."""
    if len(key) == 1 and key in "123456789":
        number = int(key)
        return number - 1 if number <= len(labels) else None
    key = key.casefold()
    start = -1 if current is None else current
    for step in range(1, len(labels) + 1):
        index = (start + step) % len(labels)
        if labels[index].strip().casefold().startswith(key):
            return index
    return None


class _TypeToJump:
    """For option lists: typing a letter or number moves to an option.

    Mixed in before Textual's OptionList or SelectionList, whose options and
    highlight it reads.
    """

    def on_key(self: Any, event: events.Key) -> None:
        char = event.character
        if char == "?" and self.option_count:
            # "?" is "don't know" everywhere: here it moves to that option.
            for index in range(self.option_count):
                option = self.get_option_at_index(index)
                if getattr(option, "id", None) in ("dont-know", DONT_KNOW) or (
                    getattr(option, "value", None) == DONT_KNOW
                ):
                    event.stop()
                    self.highlighted = index
                    return
            return
        if not char or len(char) != 1 or not char.isalnum() or not self.option_count:
            return
        labels = [
            str(self.get_option_at_index(i).prompt) for i in range(self.option_count)
        ]
        target = jump_target(labels, self.highlighted, char)
        if target is not None:
            event.stop()
            self.highlighted = target


class TypedOptionList(_TypeToJump, OptionList):
    """An option list where typing a letter or number moves to an option."""


class TypedSelectionList(_TypeToJump, SelectionList[str]):
    """A selection list where typing a letter or number moves to an option."""


class AskBack(Vertical):
    """A short question back about what was typed, with its possible answers."""

    def __init__(
        self,
        prompt: str,
        options: list[tuple[str, str]],
        then: Callable[[str], None],
    ) -> None:
        super().__init__(classes="ask-back")
        self.prompt = prompt
        self.options = options
        self.then = then

    def compose(self) -> ComposeResult:
        yield Static(self.prompt, markup=False, classes="ask")
        yield TypedOptionList(
            *[Option(label, id=value) for value, label in self.options],
            id="ask-options",
            compact=True,
        )

    def on_mount(self) -> None:
        options = self.query_one("#ask-options", OptionList)
        options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#ask-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.remove()
        self.then(event.option.id or "")


class AnswerBox(Vertical):
    """The widget that takes the answer to one question.

    A box saves through `save` (the session) itself, so a list can save each
    item as it is added; when the question is answered it posts `Answered`.
    """

    class Answered(Message):
        def __init__(self, question: Question, answer: Answer) -> None:
            super().__init__()
            self.question = question
            self.answer = answer

    class Saved(Message):
        """Part of an answer was saved; the question stays open."""

    def __init__(
        self,
        question: Question,
        language: str,
        earlier: Answer | None,
        save: Save,
        settle_ton: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(classes=f"answer-box {question.type}")
        self.question = question
        self.language = language
        self.earlier = earlier
        self.save = save
        self.settle_ton = settle_ton
        """Records what a bare "ton" means in this interview, when asked."""
        self._again: Callable[[], object] | None = None
        self.note: str | None = earlier.note if earlier is not None else None
        """A note to the answer (F8), saved with it."""

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.language, **values)

    def compose(self) -> ComposeResult:
        yield from self.body()
        yield Static("", markup=False, classes="problems")
        yield from self.controls()

    def body(self) -> ComposeResult:  # pragma: no cover - every box has one
        raise NotImplementedError
        yield

    def controls(self) -> ComposeResult:
        """What comes under the problems: hints and buttons."""
        yield from ()

    def dont_know_row(self, hint: str, *buttons: Button) -> Horizontal:
        widgets: list[Widget] = [Static(hint, markup=False, classes="hint")]
        widgets += buttons
        if self.question.allow_unknown:
            widgets.append(
                Button(self.t("button.dont_know"), id="dont-know", compact=True)
            )
        return Horizontal(*widgets, classes="row")

    def focus_first(self) -> None:
        for widget in self.query("Input, OptionList, SelectionList"):
            if widget.focusable:
                widget.focus()
                return

    # Problems

    def note_changed(self) -> None:
        """Called when F8 changed the note; most answers save it when given."""

    def show_note(self) -> None:
        """The note under the inputs, so it is seen before the answer is given."""
        for old in self.query(".note-shown"):
            old.remove()
        if self.note:
            self.mount(
                Static(
                    self.t("note.shown", note=self.note),
                    markup=False,
                    classes="hint note-shown",
                ),
                before=self.query_one(".problems"),
            )

    def show_problems(self, problems: list[str]) -> None:
        lines = [self.t("problems"), *(f"• {p}" for p in problems)]
        box = self.query_one(".problems", Static)
        box.update("\n".join(lines))
        box.add_class("-shown")

    def clear_problems(self) -> None:
        box = self.query_one(".problems", Static)
        box.update("")
        box.remove_class("-shown")

    # Saving

    def store(self, answer: Answer) -> Answer | None:
        """Save through the session; on a refusal show why and return None."""
        if answer.note is None and self.note:
            answer = Answer(answer.value, self.note, answer.unknown)
        try:
            checked = self.save(answer)
        except AnswerError as exc:
            if TON_UNSETTLED is not None and isinstance(exc, TON_UNSETTLED):
                if self.settle_ton is not None:
                    self.ask_ton()
                    return None
            self.show_problems(exc.problems)
            return None
        except Exception as exc:  # the user must never see a traceback
            log.exception("saving the answer to %s failed", self.question.id)
            self.show_problems([self.t("internal_error", detail=type(exc).__name__)])
            return None
        self.clear_problems()
        return checked

    def submit(self, answer: Answer) -> bool:
        self._again = lambda: self.submit(answer)
        checked = self.store(answer)
        if checked is None:
            return False
        self.post_message(self.Answered(self.question, checked))
        return True

    def ask_back(
        self, prompt: str, options: list[tuple[str, str]], then: Callable[[str], None]
    ) -> None:
        """Ask about what was typed, under the inputs; `then` gets the pick."""
        self.clear_problems()
        for old in self.query(AskBack):
            old.remove()
        self.mount(AskBack(prompt, options, then), before=self.query_one(".problems"))

    def ask_reading(
        self, problem: Ambiguous, then: Callable[[Decimal], None], back: Widget
    ) -> None:
        """Show both readings of an ambiguous number; `then` gets the chosen one."""
        language = problem.language
        options = [
            (f"reading-{i}", shown(reading, language, digits=6))
            for i, reading in enumerate(problem.readings)
        ]
        options.append(("retype", tr("retype", language)))

        def chosen(value: str) -> None:
            back.focus()
            if value.startswith("reading-"):
                then(problem.readings[int(value.removeprefix("reading-"))])

        self.ask_back(tr("ambiguous", language, typed=problem.typed), options, chosen)

    def ask_ton(self) -> None:
        """Ask once per interview what a bare "ton" means, then try again."""
        again = self._again
        back = self.screen.focused

        def chosen(meaning: str) -> None:
            if back is not None and back.is_attached:
                back.focus()
            if meaning in ("metric", "short") and self.settle_ton is not None:
                self.settle_ton(meaning)
                if again is not None:
                    again()

        self.ask_back(
            self.t("ton_question"),
            [
                ("metric", self.t("ton_metric")),
                ("short", self.t("ton_short")),
                ("retype", self.t("retype")),
            ],
            chosen,
        )

    @on(Button.Pressed, "#dont-know")
    def _dont_know_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dont_know()

    def retype_button(self) -> Button:
        """Shown while a density or mass per piece is asked: back to the amount."""
        return Button(
            self.t("button.retype"), id="retype", compact=True, classes="follow-up"
        )

    @on(Button.Pressed, "#retype")
    def _retype_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.retype()

    def retype(self) -> None:
        pass

    def dont_know(self) -> None:
        self.submit(Answer(unknown=True))

    def refuse_unknown(self) -> bool:
        """Say so when "don't know" is no answer here; True when refused."""
        if self.question.allow_unknown:
            return False
        self.show_problems([self.t("unknown_not_allowed")])
        return True


class TextBox(AnswerBox):
    def body(self) -> ComposeResult:
        earlier = self.earlier
        value = "" if earlier is None or earlier.unknown else str(earlier.value or "")
        yield Input(value=value, placeholder=self.t("placeholder.text"), id="entry")

    def controls(self) -> ComposeResult:
        hint = "hint.text" if self.question.required else "hint.text_optional"
        yield self.dont_know_row(self.t(hint))

    @on(Input.Submitted, "#entry")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if is_dont_know(event.value):
            if not self.refuse_unknown():
                self.dont_know()
        elif self.question.required and not event.value.strip():
            self.show_problems([self.t("empty_answer")])
        else:
            self.submit(Answer(event.value))


class NumberBox(AnswerBox):
    def body(self) -> ComposeResult:
        earlier = self.earlier
        value = ""
        if earlier is not None and not earlier.unknown and earlier.value is not None:
            value = plain_value(earlier.value, self.language)
        yield Input(value=value, placeholder=self.t("placeholder.number"), id="entry")

    def controls(self) -> ComposeResult:
        yield self.dont_know_row(self.t("hint.number"))

    @on(Input.Submitted, "#entry")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.take(event.value)

    def take(self, text: str) -> None:
        if is_dont_know(text):
            if not self.refuse_unknown():
                self.dont_know()
            return
        entry = self.query_one("#entry", Input)
        try:
            value = read_number(text, self.language)
        except Ambiguous as problem:
            self.ask_reading(
                problem, lambda r: self.submit(Answer(canonical(r))), entry
            )
            return
        except EntryError as exc:
            self.show_problems([str(exc)])
            return
        self.submit(Answer(canonical(value)))


class QuantityBox(AnswerBox):
    """An amount with its unit; asks a density or mass per piece when needed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending: dict[str, Any] | None = None
        self.needs: str | None = None
        self.offer: DensityOffer | None = None

    def body(self) -> ComposeResult:
        earlier = self.earlier
        value = ""
        if earlier is not None and not earlier.unknown and earlier.value:
            stored = earlier.value if isinstance(earlier.value, Mapping) else {}
            quantity = stored.get("quantity")
            if quantity is not None:
                amount = plain_value(quantity, self.language)
                value = f"{amount} {stored.get('unit', '')}"
        unit = self.question.default_unit or "kg"
        yield Static("", markup=False, classes="ask follow-up")
        yield Input(
            value=value.strip(),
            placeholder=self.t("placeholder.quantity", unit=unit),
            id="entry",
        )

    def controls(self) -> ComposeResult:
        default = (
            self.t("hint.default_unit", unit=self.question.default_unit)
            if self.question.default_unit
            else ""
        )
        yield self.dont_know_row(
            self.t("hint.quantity", default=default), self.retype_button()
        )

    @on(Input.Submitted, "#entry")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        self.take(event.value)

    def take(self, text: str) -> None:
        if self.pending is not None:
            self._follow_up(text)
            return
        if is_dont_know(text):
            if not self.refuse_unknown():
                self.submit(Answer(unknown=True))
            return
        entry = self.query_one("#entry", Input)
        try:
            amount = parse_amount(text, self.language, self.question.default_unit)
        except Ambiguous as problem:
            self._ask_reading_again(problem, text, entry)
            return
        except EntryError as exc:
            self.show_problems([str(exc)])
            return
        assert amount.quantity is not None
        value: dict[str, Any] = {
            "quantity": canonical(amount.quantity),
            "unit": amount.unit,
        }
        mass = self._mass(value)
        if mass.needs:
            self._ask(value, mass.needs)
            return
        self.submit(Answer(value))

    def _ask_reading_again(self, problem: Ambiguous, text: str, entry: Input) -> None:
        def again(reading: Decimal) -> None:
            entry.value = problem.replaced(text, reading)
            self.take(entry.value)

        self.ask_reading(problem, again, entry)

    def _mass(self, value: dict[str, Any]) -> Mass:
        if self.question.flow is None:
            return Mass(None)
        return flow_mass(
            quantity_flow(self.question, Answer(value), self.language), self.language
        )

    def _ask(self, value: dict[str, Any], needs: str) -> None:
        self.pending, self.needs = value, needs
        flow = self.question.flow
        name = flow.name(self.language) if flow else ""
        prompt = self.query_one(".follow-up", Static)
        example = follow_up_example(needs, value["unit"], self.language)
        entry = self.query_one("#entry", Input)
        earlier = self.earlier.value if self.earlier else None
        entry.value = (
            str(earlier.get(needs) or "") if isinstance(earlier, Mapping) else ""
        )
        self.offer = None
        if needs == "density" and flow is not None:
            found = table_density(
                flow.name(self.language), flow.material, value["unit"], self.language
            )
            if found is not None:
                self.offer = DensityOffer(found, self.language)
        if self.offer is not None:
            prompt.update(self.offer.prompt(name, value["unit"], self.language))
            if not entry.value:
                entry.value = self.offer.typed
                entry.select_all()
        else:
            prompt.update(
                self.t(
                    f"ask.{needs}",
                    unit=value["unit"],
                    one=one_piece(value["unit"], self.language),
                    name=name,
                    example=example,
                )
            )
        for widget in self.query(".follow-up"):
            widget.add_class("-shown")
        entry.placeholder = example
        self.clear_problems()

    def _follow_up(self, text: str) -> None:
        assert self.pending is not None and self.needs is not None
        value = dict(self.pending)
        if text.strip() and not is_dont_know(text):
            if self.needs == "density" and self.offer is not None:
                self.offer.apply(value, text)
            else:
                value[self.needs] = completed_follow_up(
                    text, self.needs, value.get("unit")
                )
        self.submit(Answer(value))

    def retype(self) -> None:
        if self.pending is None:
            return
        entry = self.query_one("#entry", Input)
        entry.value = f"{plain_value(self.pending['quantity'], self.language)} " + (
            str(self.pending.get("unit") or "")
        )
        entry.placeholder = self.t(
            "placeholder.quantity", unit=self.question.default_unit or "kg"
        )
        self.pending = self.needs = None
        for widget in self.query(".follow-up"):
            widget.remove_class("-shown")
        self.clear_problems()
        entry.focus()

    def dont_know(self) -> None:
        if self.pending is not None:
            self._follow_up("?")
        else:
            self.submit(Answer(unknown=True))


class ChoiceBox(AnswerBox):
    def body(self) -> ComposeResult:
        options = [
            Option(choice.label(self.language), id=f"choice-{i}")
            for i, choice in enumerate(self.question.choices or ())
        ]
        if self.question.allow_unknown:
            options.append(Option(self.t("dont_know"), id="dont-know"))
        yield TypedOptionList(*options, id="choices")

    def controls(self) -> ComposeResult:
        yield Static(self.t("hint.choice"), markup=False, classes="hint")

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        index = 0
        earlier = self.earlier
        if earlier is not None:
            values = [c.value for c in self.question.choices or ()]
            if earlier.unknown and self.question.allow_unknown:
                index = len(values)
            elif earlier.value in values:
                index = values.index(earlier.value)
        choices.highlighted = index

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id or ""
        if chosen == "dont-know":
            self.dont_know()
            return
        choice = (self.question.choices or ())[int(chosen.removeprefix("choice-"))]
        self.submit(Answer(choice.value))


class ChoiceSelection(TypedSelectionList):
    """A selection list where space toggles and Enter confirms."""

    BINDINGS = [Binding("enter", "confirm", show=False)]

    class Confirmed(Message):
        pass

    def action_confirm(self) -> None:
        self.post_message(self.Confirmed())


class MultiChoiceBox(AnswerBox):
    def body(self) -> ComposeResult:
        earlier = self.earlier
        chosen = set()
        if earlier is not None and not earlier.unknown:
            chosen = {str(v) for v in earlier.value or ()}
        yield ChoiceSelection(
            *[
                Selection(c.label(self.language), c.value, c.value in chosen)
                for c in self.question.choices or ()
            ],
            id="choices",
        )

    def controls(self) -> ComposeResult:
        yield self.dont_know_row(
            self.t("hint.multi"),
            Button(self.t("button.done"), id="done", compact=True),
        )

    def on_mount(self) -> None:
        self.query_one("#choices", ChoiceSelection).highlighted = 0

    @on(ChoiceSelection.Confirmed)
    @on(Button.Pressed, "#done")
    def _done(self, event: Message) -> None:
        event.stop()
        self.submit(Answer(list(self.query_one("#choices", ChoiceSelection).selected)))


class ListBox(AnswerBox):
    """A list of items in a table, saved after every change.

    Each added or removed item is saved at once, so nothing typed is lost when
    the program stops; finishing the list only moves the interview on.
    """

    BINDINGS = [Binding("delete", "delete_item", show=False)]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        earlier = self.earlier
        self.items: list[dict[str, Any]] = []
        self.checked: Answer | None = None
        if earlier is not None and not earlier.unknown:
            self.items = [dict(item) for item in earlier.value or ()]
            self.checked = earlier
        self.editing: int | None = None
        self.pending: dict[str, Any] | None = None
        self.needs: str | None = None
        self.offer: DensityOffer | None = None
        self._typed = ""

    # What each kind of list fills in

    def columns(self) -> list[str]:
        raise NotImplementedError

    def row(self, item: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def read(self) -> dict[str, Any]:
        """The item in the inputs; raises EntryError, or Ambiguous with `target`."""
        raise NotImplementedError

    def load(self, item: dict[str, Any]) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    def has_input(self) -> bool:
        raise NotImplementedError

    def main_input(self) -> Input:
        return self.query_one("#line", Input)

    def example(self) -> str:
        return ""

    def set_titles(self, title: str | None = None, subtitle: str | None = None) -> None:
        """Label the item line's border: what it asks, and the table's keys."""
        line = self.main_input()
        if title is not None:
            line.border_title = title
        if subtitle is not None:
            line.border_subtitle = subtitle

    def follow_up_needed(self, item: dict[str, Any]) -> str | None:
        return None

    # Shared behaviour

    def table(self) -> DataTable:
        return self.query_one("#items", DataTable)

    def on_mount(self) -> None:
        self.refresh_table()

    def refresh_table(self) -> None:
        table = self.table()
        # Clearing the columns too lets them shrink to what is left.
        table.clear(columns=True)
        table.add_columns(*self.columns())
        for index, item in enumerate(self.items):
            table.add_row(*self.row(item), key=str(index))
        table.display = bool(self.items)
        self.set_titles(subtitle=self.t("hint.table") if self.items else "")

    def focus_first(self) -> None:
        self.main_input().focus()

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self.pending is not None:
            self._follow_up(self.main_input().value)
        elif not self.has_input():
            self.finish()
        else:
            self.add()

    def add(self) -> bool:
        """Add (or replace) the item in the inputs; True when it was saved."""
        try:
            item = self.read()
        except Ambiguous as problem:
            self._ask_reading_again(problem)
            return False
        except EntryError as exc:
            self.show_problems([str(exc)])
            return False
        needs = self.follow_up_needed(item)
        if needs:
            self._ask(item, needs)
            return False
        return self.put(item)

    def _ask_reading_again(self, problem: Ambiguous) -> None:
        target: Input = getattr(problem, "target", self.main_input())

        def again(reading: Decimal) -> None:
            target.value = problem.replaced(target.value, reading)
            self.add()

        self.ask_reading(problem, again, target)

    def _ask(self, item: dict[str, Any], needs: str) -> None:
        self.pending, self.needs = item, needs
        self._typed = self.main_input().value
        for widget in self.query(".follow-up"):
            widget.add_class("-shown")
        prompt = self.query_one(".follow-up", Static)
        unit = item.get("unit", "")
        self.offer = None
        if needs == "density":
            found = table_density(
                item.get("name"), item.get("material"), unit, self.language
            )
            if found is not None:
                self.offer = DensityOffer(found, self.language)
        if self.offer is not None:
            prompt.update(self.offer.prompt(item.get("name"), unit, self.language))
        else:
            prompt.update(
                self.t(
                    f"ask.{needs}",
                    unit=unit,
                    one=one_piece(unit, self.language),
                    name=item.get("name"),
                    example=follow_up_example(needs, unit, self.language),
                )
            )
        prompt.add_class("-shown")
        self.clear_problems()  # what was wrong with an earlier line is past
        line = self.main_input()
        line.value = self.offer.typed if self.offer is not None else ""
        line.placeholder = follow_up_example(needs, item.get("unit"), self.language)
        self.set_titles(title=field_label(needs, self.language))
        line.focus()
        # Selected, so that Enter takes the table's value and typing replaces it.
        line.select_all()

    def _follow_up(self, text: str) -> None:
        assert self.pending is not None and self.needs is not None
        item = dict(self.pending)
        if text.strip() and not is_dont_know(text):
            if self.needs == "density" and self.offer is not None:
                self.offer.apply(item, text)
            else:
                item[self.needs] = completed_follow_up(
                    text, self.needs, item.get("unit")
                )
        if self.put(item):
            self._end_follow_up()

    def retype(self) -> None:
        if self.pending is None:
            return
        self._end_follow_up()
        line = self.main_input()
        line.value = self._typed
        line.focus()

    def _end_follow_up(self) -> None:
        self.pending = self.needs = None
        self.offer = None
        for widget in self.query(".follow-up"):
            widget.remove_class("-shown")
        line = self.main_input()
        line.placeholder = self.t("placeholder.item", example=self.example())
        self.set_titles(
            title=self.t("item_edit" if self.editing is not None else "item_line")
        )

    def put(self, item: dict[str, Any]) -> bool:
        self._again = lambda: self.put(item)
        items = list(self.items)
        if self.editing is not None and self.editing < len(items):
            items[self.editing] = item
        else:
            items.append(item)
        if not self.commit(items):
            return False
        self.editing = None
        self.set_titles(title=self.t("item_line"))
        self.reset()
        self.main_input().focus()
        return True

    def commit(self, items: list[dict[str, Any]]) -> bool:
        checked = self.store(Answer(items))
        if checked is None:
            return False
        self.checked = checked
        self.items = [dict(item) for item in checked.value or ()]
        self.refresh_table()
        self.post_message(self.Saved())
        return True

    def note_changed(self) -> None:
        """The items are saved already: save the note with them at once."""
        if self.checked is not None and not self.checked.unknown:
            self.commit(self.items)

    def finish(self) -> None:
        if self.has_input() and not self.add():
            return
        if self.pending is not None:
            return
        if (
            self.checked is not None
            and not self.checked.unknown
            and self.checked.note == self.note
        ):
            self.post_message(self.Answered(self.question, self.checked))
        else:
            self.submit(Answer(self.items, self.note))

    def action_delete_item(self) -> None:
        table = self.table()
        if not self.items or not table.has_focus:
            return
        self._delete(table.cursor_row)

    def _delete(self, index: int) -> None:
        if not 0 <= index < len(self.items):
            return
        items = self.items[:index] + self.items[index + 1 :]
        if self.commit(items):
            self.editing = None
            table = self.table()
            if self.items:
                table.move_cursor(row=min(index, len(self.items) - 1))
                table.focus()
            else:
                self.main_input().focus()

    @on(DataTable.RowSelected, "#items")
    def _edit(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = event.cursor_row
        if not 0 <= index < len(self.items):
            return
        if self.pending is not None:
            self._end_follow_up()
        self.editing = index
        self.load(self.items[index])
        self.set_titles(title=self.t("item_edit"))
        self.main_input().focus()

    @on(Button.Pressed, "#add")
    def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if self.pending is not None:
            self._follow_up(self.main_input().value)
        else:
            self.add()

    @on(Button.Pressed, "#delete")
    def _delete_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._delete(self.table().cursor_row)

    @on(Button.Pressed, "#done")
    def _done_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.finish()

    def buttons(self) -> list[Button]:
        return [
            Button(self.t("button.add"), id="add", compact=True),
            Button(self.t("button.delete"), id="delete", compact=True),
            Button(self.t("button.done"), id="done", compact=True),
            self.retype_button(),
        ]


class FlowListBox(ListBox):
    """A flow list: one line per item, and the question's extra fields."""

    def body(self) -> ComposeResult:
        example = self.example()
        yield Static(self.t("hint.list", example=example), markup=False, classes="hint")
        yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
        yield Static("", markup=False, classes="ask follow-up")
        line = Input(placeholder=self.t("placeholder.item", example=example), id="line")
        line.border_title = self.t("item_line")
        yield line
        cells: list[Widget] = []
        kinds = self.question.kinds or ()
        if len(kinds) > 1:
            cells += [
                Label(field_label("kind", self.language), classes="field-label"),
                Select(
                    [(kind_label(k, self.language), k) for k in kinds],
                    value=kinds[0],
                    allow_blank=False,
                    id="f-kind",
                    compact=True,
                ),
            ]
        for field in self.question.fields:
            label = Label(field_label(field, self.language), classes="field-label")
            widget = self._field_widget(field)
            if field in WIDE_FIELDS:
                widget.add_class("wide")
            cells += [label, widget]
        if cells:
            yield Grid(*cells, id="fields")

    def controls(self) -> ComposeResult:
        yield Horizontal(*self.buttons(), *self._dont_know_button(), classes="row")

    @on(Select.Changed)
    def _picked(self, event: Select.Changed) -> None:
        # After a pick Enter would open the list again; move on instead, so
        # Enter on the Add button that follows adds the item.
        if event.select.has_focus_within:
            self.call_after_refresh(self.screen.focus_next)

    def example(self) -> str:
        kinds = self.question.kinds or ("raw_material",)
        return example_item(kinds[0], self.language)

    def _dont_know_button(self) -> list[Button]:
        if not self.question.allow_unknown:
            return []
        return [Button(self.t("button.dont_know"), id="dont-know", compact=True)]

    def _field_widget(self, field: str) -> Widget:
        if field in CHOICE_FIELDS:
            options = [
                (value_label(field, value, self.language), value)
                for value in CHOICE_FIELDS[field]
            ]
            return Select(options, prompt="-", id=f"f-{field}", compact=True)
        placeholder = FIELD_PLACEHOLDERS[self.language].get(field, "")
        return Input(placeholder=placeholder, id=f"f-{field}", compact=True)

    def on_mount(self) -> None:
        # Textual also runs ListBox.on_mount: handlers run for every class.
        self.reset()

    def columns(self) -> list[str]:
        columns = [self.t("col.name"), self.t("col.amount"), self.t("col.kg")]
        if len(self.question.kinds or ()) > 1:
            columns.append(self.t("col.kind"))
        return columns + [field_label(f, self.language) for f in self.question.fields]

    def row(self, item: dict[str, Any]) -> list[str]:
        mass = item_mass(self.question, item, self.language)
        kg = shown(mass.kg, self.language) if mass.kg is not None else "?"
        cells = [
            str(item.get("name", "")),
            amount_text(item.get("quantity"), item.get("unit"), self.language),
            kg,
        ]
        if len(self.question.kinds or ()) > 1:
            cells.append(kind_label(str(item.get("kind")), self.language))
        for field in self.question.fields:
            value = item.get(field)
            cells.append(
                "" if value in (None, "") else field_text(field, value, self.language)
            )
        return cells

    def _defaults(self) -> dict[str, str]:
        return dict(self.question.item_defaults or {})

    def read(self) -> dict[str, Any]:
        line = self.main_input()
        try:
            parsed = parse_item_line(
                line.value, self.language, self.question.default_unit
            )
        except Ambiguous as problem:
            problem.target = line  # type: ignore[attr-defined]
            raise
        item: dict[str, Any] = {
            "name": parsed.name,
            "quantity": "unknown"
            if parsed.quantity is None
            else canonical(parsed.quantity),
        }
        if parsed.unit:
            item["unit"] = parsed.unit
        kinds = self.question.kinds or ()
        if len(kinds) > 1:
            item["kind"] = self.query_one("#f-kind", Select).value
        for field in self.question.fields:
            value = self._field_value(field)
            if value is not None:
                item[field] = value
        return item

    def _field_value(self, field: str) -> Any:
        widget = self.query_one(f"#f-{field}")
        if isinstance(widget, Select):
            value = widget.value
            if value is Select.NULL:
                return None
            return value == "yes" if field == "hazardous" else value
        assert isinstance(widget, Input)
        text = widget.value.strip()
        if not text:
            return None
        try:
            if field == "composition":
                shares = parse_composition(text, self.language)
                total = sum((Decimal(s["share_pct"]) for s in shares), Decimal(0))
                if abs(total - 100) > Decimal("0.01"):
                    raise EntryError(
                        self.t("shares_sum", total=shown(total, self.language))
                    )
                return shares
            if field in NUMBER_FIELDS:
                return canonical(read_number(text, self.language))
        except Ambiguous as problem:
            problem.target = widget  # type: ignore[attr-defined]
            raise
        return text

    def follow_up_needed(self, item: dict[str, Any]) -> str | None:
        mass = item_mass(self.question, item, self.language)
        if mass.needs and not item.get(mass.needs):
            return mass.needs
        return None

    def load(self, item: dict[str, Any]) -> None:
        quantity = item.get("quantity")
        amount = (
            "?"
            if quantity in (None, "unknown")
            else plain_value(quantity, self.language)
        )
        unit = item.get("unit") or ""
        self.main_input().value = " ".join(
            part for part in (amount, unit, str(item.get("name", ""))) if part
        )
        if len(self.question.kinds or ()) > 1 and item.get("kind"):
            self.query_one("#f-kind", Select).value = item["kind"]
        for field in self.question.fields:
            self._set_field(field, item.get(field))

    def _set_field(self, field: str, value: Any) -> None:
        widget = self.query_one(f"#f-{field}")
        if isinstance(widget, Select):
            if value is None or value == "":
                widget.clear()
            elif field == "hazardous":
                widget.value = "yes" if value in (True, "true", "yes") else "no"
            elif value in CHOICE_FIELDS[field]:
                widget.value = value
            return
        assert isinstance(widget, Input)
        if value is None:
            widget.value = ""
        elif field == "composition":
            widget.value = composition_text(value, self.language)
        elif field in NUMBER_FIELDS:
            widget.value = plain_value(value, self.language)
        else:
            widget.value = str(value)

    def reset(self) -> None:
        self.main_input().value = ""
        defaults = self._defaults()
        kinds = self.question.kinds or ()
        if len(kinds) > 1:
            self.query_one("#f-kind", Select).value = kinds[0]
        for field in self.question.fields:
            self._set_field(field, defaults.get(field))

    def has_input(self) -> bool:
        if self.main_input().value.strip():
            return True
        defaults = self._defaults()
        for field in self.question.fields:
            widget = self.query_one(f"#f-{field}")
            if isinstance(widget, Input):
                if widget.value.strip() != str(defaults.get(field, "")).strip():
                    return True
        return False


class StockListBox(ListBox):
    """Stock at the start and end of the period, per material."""

    FIELDS = ("name", "opening", "closing", "unit")

    def body(self) -> ComposeResult:
        yield Static(self.t("hint.stock"), markup=False, classes="hint")
        yield DataTable(id="items", cursor_type="row", zebra_stripes=True)
        yield Static("", markup=False, classes="ask follow-up")
        cells: list[Widget] = []
        for field in self.FIELDS:
            cells.append(Label(self.t(f"stock.{field}"), classes="field-label"))
            cells.append(
                Input(
                    placeholder=self.t(f"placeholder.stock_{field}"),
                    id="line" if field == "name" else f"s-{field}",
                    compact=True,
                )
            )
        yield Grid(*cells, id="fields")

    def controls(self) -> ComposeResult:
        yield Horizontal(*self.buttons(), classes="row")

    def on_mount(self) -> None:
        # Textual also runs ListBox.on_mount: handlers run for every class.
        self.reset()

    def set_titles(self, title: str | None = None, subtitle: str | None = None) -> None:
        # The name input is one small field among four: no border to label.
        pass

    def columns(self) -> list[str]:
        return [self.t(f"col.{c}") for c in ("name", "opening", "closing", "unit")]

    def row(self, item: dict[str, Any]) -> list[str]:
        return [
            str(item.get("name", "")),
            amount_text(item.get("opening"), None, self.language),
            amount_text(item.get("closing"), None, self.language),
            str(item.get("unit", "")),
        ]

    def _input(self, field: str) -> Input:
        return self.query_one("#line" if field == "name" else f"#s-{field}", Input)

    def read(self) -> dict[str, Any]:
        name = self._input("name").value.strip()
        opening = self._input("opening").value.strip()
        closing = self._input("closing").value.strip()
        unit = self._input("unit").value.strip() or self.question.default_unit
        if not (name and opening and closing):
            raise EntryError(self.t("stock_incomplete"))
        if not unit:
            raise EntryError(self.t("unit_needed"))
        read_unit(unit, self.language)
        item: dict[str, Any] = {"name": name, "unit": unit}
        for field, text in (("opening", opening), ("closing", closing)):
            try:
                item[field] = canonical(read_number(text, self.language))
            except Ambiguous as problem:
                problem.target = self._input(field)  # type: ignore[attr-defined]
                raise
        return item

    def load(self, item: dict[str, Any]) -> None:
        self._input("name").value = str(item.get("name", ""))
        for field in ("opening", "closing"):
            self._input(field).value = plain_value(item.get(field), self.language)
        self._input("unit").value = str(item.get("unit", ""))

    def reset(self) -> None:
        for field in self.FIELDS:
            self._input(field).value = ""
        self._input("unit").value = self.question.default_unit or ""

    def has_input(self) -> bool:
        return any(
            self._input(field).value.strip() for field in ("name", "opening", "closing")
        )


BOXES: dict[str, type[AnswerBox]] = {
    "text": TextBox,
    "number": NumberBox,
    "quantity": QuantityBox,
    "choice": ChoiceBox,
    "multi_choice": MultiChoiceBox,
    "flow_list": FlowListBox,
    "stock_list": StockListBox,
}


def answer_box(
    question: Question,
    language: str,
    earlier: Answer | None,
    save: Save,
    settle_ton: Callable[[str], None] | None = None,
) -> AnswerBox:
    return BOXES[question.type](question, language, earlier, save, settle_ton)


class Menu(Vertical):
    """A short list of things to do: continue or start anew, view the report."""

    class Picked(Message):
        def __init__(self, menu: Menu, value: str) -> None:
            super().__init__()
            self.menu = menu
            self.value = value

    def __init__(self, options: list[tuple[str, str]], id: str) -> None:
        super().__init__(id=id, classes="menu")
        self.options = options

    def compose(self) -> ComposeResult:
        yield TypedOptionList(
            *[Option(label, id=value) for value, label in self.options],
            id="menu-options",
        )

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def focus_first(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected, "#menu-options")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(self, event.option.id or ""))
