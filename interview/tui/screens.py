"""The screens beside the conversation: all answers, all interviews, the report."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..questionnaire import Questionnaire
from ..session import Session
from ..store import InterviewRow, Store, StoreError
from .display import answer_text, local_time
from .interviews import copy_for_next_period, export_data_file
from .keys import Key, KeysFooter, for_language, language_bindings
from .strings import tr

# Lines of an answer shown under its question in the review.
ANSWER_LINES = 3


class LanguageScreen(Screen):
    """A screen whose bindings follow the app's language."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.language, **values)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        shown = for_language(parameters, self.language)
        return True if shown is None else shown


class ReportScreen(LanguageScreen):
    """The report rendered as Markdown, with the path of the written file."""

    BINDINGS = language_bindings([Key("escape", "close", "list_back")])

    def __init__(self, text: str, path: Path, language: str, draft: bool) -> None:
        super().__init__(language)
        self._text = text
        self.path = path
        self.draft = draft

    def compose(self) -> ComposeResult:
        head = tr("report.written_at", self.language, path=self.path)
        if self.draft:
            head += "\n" + tr("report.draft", self.language)
        yield Static(head, markup=False, id="report-path")
        yield Static(tr("report_hint", self.language), markup=False, id="report-hint")
        from textual.widgets import Markdown

        with VerticalScroll(id="report-scroll"):
            yield Markdown(self._text, id="report")
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#report-scroll").focus()

    def action_close(self, language: str | None = None) -> None:
        self.dismiss(None)


class ReviewScreen(LanguageScreen):
    """Every answer by step; picking one returns its question id."""

    BINDINGS = language_bindings([Key("escape", "close", "list_back")])

    def __init__(self, session: Session, language: str) -> None:
        super().__init__(language)
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(
            f"{self.t('review.title')} · {self.t('review.hint')}",
            markup=False,
            id="review-title",
        )
        yield OptionList(*self._options(), id="review-list")
        yield KeysFooter(compact=True, show_command_palette=False)

    def _options(self) -> list[Option]:
        session = self.session
        questionnaire = session.questionnaire
        active = session.active()
        options: list[Option] = []
        for step in questionnaire.steps:
            answered = [q for q in step.questions if q.id in active]
            if not answered:
                continue
            options.append(
                Option(
                    Text(f"── {step.title(self.language)} ──", style="bold"),
                    disabled=True,
                )
            )
            for question in answered:
                options.append(
                    Option(self._prompt(question, active[question.id]), id=question.id)
                )
        inactive = session.inactive()
        hidden = [q for q in questionnaire.questions if q.id in inactive]
        if hidden:
            options.append(
                Option(
                    Text(f"── {self.t('review.inactive')} ──", "bold"), disabled=True
                )
            )
            for question in hidden:
                options.append(
                    Option(
                        self._prompt(question, inactive[question.id]),
                        id=f"hidden:{question.id}",
                        disabled=True,
                    )
                )
        if not options:
            options.append(Option(self.t("review.empty"), disabled=True))
        return options

    def _prompt(self, question, answer) -> Text:  # type: ignore[no-untyped-def]
        text = Text()
        text.append(question.text(self.language), style="bold")
        lines = answer_text(question, answer, self.language).splitlines()
        if len(lines) > ANSWER_LINES:
            more = len(lines) - ANSWER_LINES + 1
            lines = lines[: ANSWER_LINES - 1] + [f"… (+{more})"]
        for line in lines:
            text.append(f"\n  {line}", style="")
        return text

    def on_mount(self) -> None:
        options = self.query_one("#review-list", OptionList)
        options.focus()
        current = getattr(self.app, "current", None)
        # Start on the question being asked, or on the last answer.
        ids = [o.id for o in options.options]
        target = current.id if current is not None and current.id in ids else None
        if target is None:
            enabled = [i for i, o in enumerate(options.options) if not o.disabled]
            if enabled:
                options.highlighted = enabled[-1]
        else:
            options.highlighted = ids.index(target)

    @on(OptionList.OptionSelected, "#review-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.dismiss(event.option.id)

    def action_close(self, language: str | None = None) -> None:
        self.dismiss(None)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question before something that cannot be undone."""

    BINDINGS = [
        Binding("escape", "answer(False)", show=False),
        Binding("n", "answer(False)", show=False),
        Binding("y,j", "answer(True)", show=False),
    ]

    def __init__(self, question: str, yes: str, no: str) -> None:
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(self.question, markup=False, id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(self.no, id="no", variant="primary")
                yield Button(self.yes, id="yes", variant="error")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NoteScreen(ModalScreen[str | None]):
    """A note to the answer of one question: Enter keeps it, Esc leaves it."""

    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self, prompt: str, hint: str, note: str | None) -> None:
        super().__init__()
        self.prompt = prompt
        self.hint = hint
        self.note = note or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box"):
            yield Static(self.prompt, markup=False, id="note-prompt")
            yield Input(self.note, id="note-input")
            yield Static(self.hint, markup=False, classes="hint")

    def on_mount(self) -> None:
        self.query_one("#note-input", Input).focus()

    @on(Input.Submitted, "#note-input")
    def _kept(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_close(self) -> None:
        self.dismiss(None)


LIST_KEYS = [
    Key("c", "copy", "list_copy"),
    Key("e", "export", "list_export"),
    Key("d,delete", "delete", "list_delete"),
    Key("n", "new", "list_new"),
    Key("escape", "back", "list_back"),
]


@dataclass(frozen=True)
class ListChoice:
    """What was chosen on the interviews screen."""

    what: str
    """ "continue", "copy" (interview_id is the new copy) or "new"."""
    interview_id: int | None = None
    source_period: str | None = None
    """For a copy: the period of the interview it was copied from."""


class InterviewsScreen(LanguageScreen):
    """The stored interviews: continue one, copy it, export it or delete it.

    Dismissed with a `ListChoice`, or None to go back.
    """

    BINDINGS = language_bindings(LIST_KEYS)

    def __init__(
        self,
        store: Store,
        questionnaire: Questionnaire,
        language: str,
        current: int | None,
    ) -> None:
        super().__init__(language)
        self.store = store
        self.questionnaire = questionnaire
        self.current = current
        self.rows: list[InterviewRow] = []

    def compose(self) -> ComposeResult:
        yield Static(self.t("list.title"), markup=False, id="list-title")
        yield DataTable(id="interviews", cursor_type="row", zebra_stripes=True)
        yield Static("", markup=False, id="list-status")
        with Horizontal(id="list-buttons"):
            for name in ("continue", "copy", "export", "delete", "new", "back"):
                button = Button(self.t(f"list.{name}"), id=f"list-{name}", compact=True)
                if name != "continue":
                    button.tooltip = self.t(f"tip.list_{name}")
                yield button
        yield KeysFooter(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#interviews", DataTable).focus()

    def reload(self, select: int | None = None) -> None:
        table = self.query_one("#interviews", DataTable)
        table.clear(columns=True)
        columns = ("id", "company", "period", "status", "language", "updated")
        table.add_columns(*(self.t(f"list.col.{c}") for c in columns))
        self.rows = self.store.interviews()
        for row in self.rows:
            table.add_row(
                str(row.id),
                row.company or self.t("unnamed"),
                row.period or "-",
                self.t(f"status.{row.status}") if row.status else "-",
                row.language or "-",
                local_time(row.updated, self.language),
                key=str(row.id),
            )
        if not self.rows:
            self.say(self.t("list.empty"))
        elif select is not None:
            ids = [row.id for row in self.rows]
            if select in ids:
                table.move_cursor(row=ids.index(select))

    def say(self, text: str) -> None:
        self.query_one("#list-status", Static).update(text)

    def selected(self) -> InterviewRow | None:
        table = self.query_one("#interviews", DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # Actions

    @on(DataTable.RowSelected, "#interviews")
    def _row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_continue()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        name = (event.button.id or "").removeprefix("list-")
        handler = getattr(self, f"action_{name}", None)
        if handler is not None:
            handler()

    def action_continue(self, language: str | None = None) -> None:
        row = self.selected()
        if row is not None:
            self.dismiss(ListChoice("continue", row.id))

    def action_copy(self, language: str | None = None) -> None:
        row = self.selected()
        if row is None:
            return
        new_id = copy_for_next_period(self.store, self.questionnaire, row.id)
        self.dismiss(ListChoice("copy", new_id, row.period))

    def action_export(self, language: str | None = None) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            path = export_data_file(self.store, self.questionnaire, row.id)
        except (OSError, StoreError, ValueError) as exc:
            self.say(self.t("list.export_failed", detail=str(exc)))
            return
        message = self.t("list.exported", path=path)
        self.say(message)
        self.notify(message)

    def action_delete(self, language: str | None = None) -> None:
        row = self.selected()
        if row is None:
            return
        if row.id == self.current:
            self.say(self.t("list.is_current"))
            return
        question = self.t(
            "confirm.delete",
            id=row.id,
            company=row.company or self.t("unnamed"),
            period=row.period or self.t("no_period"),
        )

        def done(yes: bool | None) -> None:
            if yes:
                self.store.delete_interview(row.id)
                self.reload()
                self.say(self.t("list.deleted", id=row.id))
            self.query_one("#interviews", DataTable).focus()

        self.app.push_screen(
            ConfirmScreen(question, self.t("confirm.yes"), self.t("confirm.no")), done
        )

    def action_new(self, language: str | None = None) -> None:
        self.dismiss(ListChoice("new"))

    def action_back(self, language: str | None = None) -> None:
        self.dismiss(None)
