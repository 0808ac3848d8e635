"""The interview as a chat in the terminal: one question at a time, saved at once."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.logging import TextualHandler
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Markdown, Static

from ..engine import Answer
from ..questionnaire import (
    Question,
    Questionnaire,
    Step,
)
from ..session import Session
from ..store import InterviewRow, Store
from .display import answer_text
from .parsing import kg_text
from .strings import LANGUAGES, STRINGS, tr
from .widgets import AnswerBox, AnswerRow, Bubble, Menu, answer_box

log = logging.getLogger(__name__)


def _bindings() -> list[Binding]:
    """Each key once per language; `check_action` enables the current one.

    Binding descriptions are fixed when the class is made, so the footer can
    only follow the language when both sets exist.
    """
    bindings = []
    for language in LANGUAGES:
        strings = STRINGS[language]
        bindings += [
            Binding(
                "f1",
                f"help('{language}')",
                strings["key.help"],
                tooltip=strings["tip.help"],
                id="help",
            ),
            # Not ctrl+b alone: that is the prefix key of tmux.
            Binding(
                "f3,ctrl+b",
                f"back('{language}')",
                strings["key.back"],
                tooltip=strings["tip.back"],
                id="back",
            ),
            Binding(
                "f2",
                f"language('{language}')",
                strings["key.language"],
                tooltip=strings["tip.language"],
                id="language",
            ),
            Binding(
                "ctrl+q",
                f"stop('{language}')",
                strings["key.quit"],
                tooltip=strings["tip.quit"],
                priority=True,
                id="quit",
            ),
        ]
    bindings.append(Binding("escape", "cancel", show=False))
    return bindings


class InterviewCommands(Provider):
    """The interview's actions in the command palette (ctrl+p)."""

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, MassabalansApp)
        matcher = self.matcher(query)
        language = app.language
        for key, action in (
            ("key.help", "help"),
            ("key.back", "back"),
            ("key.language", "language"),
            ("key.quit", "stop"),
        ):
            name = tr(key, language)
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    _runner(app, f"{action}('{language}')"),
                    help=tr(key.replace("key.", "tip."), language),
                )


def _runner(app: App, action: str) -> Any:
    async def run() -> None:
        await app.run_action(action)

    return run


class ReportScreen(Screen):
    """The written report, to read before closing the program."""

    BINDINGS = [Binding("escape", "app.pop_screen", show=False)]

    def __init__(self, text: str, hint: str) -> None:
        super().__init__()
        self._text = text
        self._hint = hint

    def compose(self) -> ComposeResult:
        yield Static(self._hint, markup=False, id="report-hint")
        with VerticalScroll(id="report-scroll"):
            yield Markdown(self._text)

    def on_mount(self) -> None:
        self.query_one("#report-scroll").focus()


class MassabalansApp(App[int]):
    """The interview: a transcript of questions and answers, and the answer box."""

    TITLE = "massabalans"
    COMMANDS = App.COMMANDS | {InterviewCommands}
    BINDINGS = _bindings()
    CSS = """
    Screen { layout: vertical; }
    #top { height: 1; background: $primary; color: $text; }
    #sub { height: 1; background: $panel; color: $text-muted; }
    #step, #company {
        width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    #step { text-style: bold; }
    #progress, #balance { width: auto; padding: 0 1; }
    #transcript { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    .bubble { height: auto; padding: 0 1; margin-top: 1; }
    .question {
        width: auto; max-width: 90%;
        background: $primary 15%; border-left: wide $primary;
    }
    .question.revisit { border-left: wide $warning; }
    .answer-row { height: auto; align-horizontal: right; }
    .answer {
        width: auto; max-width: 85%;
        background: $success 15%; border-right: wide $success;
    }
    .answer.changed { border-right: wide $warning; }
    .note { color: $text-muted; }
    .help { width: auto; max-width: 90%; border-left: wide $accent; }
    .done { color: $success; text-style: bold; }
    .failed { color: $error; }
    .step { height: auto; margin-top: 1; color: $accent; text-style: bold; }
    #answer {
        height: auto; max-height: 75%; overflow-y: auto;
        border-top: solid $primary; padding: 0 1;
    }
    .answer-box, .menu { height: auto; }
    .answer-box Input { margin: 0; }
    .hint { color: $text-muted; width: 1fr; height: auto; }
    .row { height: auto; }
    .row Button { margin-left: 1; min-width: 0; padding: 0 1; }
    .problems { display: none; color: $error; height: auto; }
    .problems.-shown { display: block; }
    .ask { height: auto; color: $warning; text-style: bold; }
    .follow-up { display: none; }
    .follow-up.-shown { display: block; }
    .ask-back { height: auto; }
    OptionList { height: auto; max-height: 10; }
    SelectionList { height: auto; max-height: 10; }
    DataTable { height: auto; max-height: 5; }
    #fields {
        grid-size: 4; grid-columns: 14 1fr 14 1fr; grid-rows: 1;
        grid-gutter: 0 1; height: auto;
    }
    #fields .wide { column-span: 3; }
    .field-label { color: $text-muted; }
    #report-hint { height: 1; background: $primary; padding: 0 1; }
    """

    def __init__(
        self,
        store: Store,
        questionnaire: Questionnaire,
        language: str | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.questionnaire = questionnaire
        self.requested_language = language
        self.language = language or "nl"
        self.session: Session | None = None
        self.current: Question | None = None
        self.revisiting = False
        self.mode = "start"
        self.report_path: Path | None = None
        self._offer: InterviewRow | None = None
        self._help: Widget | None = None
        self._revisit: list[Widget] = []
        self._last_step: str | None = None
        self._steps: dict[str, Step] = {s.id: s for s in questionnaire.steps}

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.language, **values)

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static("", markup=False, id="step")
            yield Static("", markup=False, id="progress")
        with Horizontal(id="sub"):
            yield Static("", markup=False, id="company")
            yield Static("", markup=False, id="balance")
        yield VerticalScroll(id="transcript")
        yield Vertical(id="answer")
        yield Footer()

    @property
    def transcript(self) -> VerticalScroll:
        return self.query_one("#transcript", VerticalScroll)

    @property
    def answer_area(self) -> Vertical:
        return self.query_one("#answer", Vertical)

    async def on_mount(self) -> None:
        self.transcript.anchor()
        self.transcript.can_focus = False
        row = self.store.latest_open()
        if row is None:
            await self._start_new()
        else:
            if self.requested_language is None and row.language in LANGUAGES:
                self.language = row.language
            await self._offer_resume(row)

    # Starting and resuming

    async def _offer_resume(self, row: InterviewRow) -> None:
        self.mode = "offer"
        self._offer = row
        answered = len(self.store.answers(row.id))
        text = self.t(
            "resume_offer",
            company=row.company or self.t("unnamed"),
            period=row.period or self.t("no_period"),
            updated=_local_time(row.updated),
            answered=answered,
        )
        await self.transcript.remove_children()
        bubbles = [Bubble(self.t("welcome"), "note"), Bubble(text, "question")]
        if row.questionnaire and row.questionnaire != self.questionnaire.label:
            bubbles.append(
                Bubble(
                    self.t(
                        "other_questionnaire",
                        label=row.questionnaire,
                        current=self.questionnaire.label,
                    ),
                    "note",
                )
            )
        await self.transcript.mount_all(bubbles)
        await self._show_box(
            Menu(
                [
                    ("continue", self.t("resume_continue")),
                    ("new", self.t("resume_new")),
                ],
                id="resume",
            )
        )
        self._refresh_header()

    async def _start_new(self) -> None:
        self.session = Session.start(self.store, self.questionnaire, self.language)
        self.mode = "ask"
        await self._rebuild(self.t("welcome"))
        await self._advance()

    async def _resume(self, row: InterviewRow) -> None:
        self.session = Session(self.store, self.questionnaire, row.id)
        if self.session.language != self.language:
            self.session.set_language(self.language)
        self.mode = "ask"
        await self._rebuild(self.t("welcome_back"))
        await self._advance()

    async def on_menu_picked(self, message: Menu.Picked) -> None:
        menu_id = message.menu.id
        if menu_id == "resume" and self._offer is not None:
            row, self._offer = self._offer, None
            if message.value == "continue":
                await self._resume(row)
            else:
                await self._start_new()
        elif menu_id == "end":
            if message.value == "view":
                self._view_report()
            elif message.value == "back":
                await self.action_back(self.language)
            else:
                self.exit(0)

    # The transcript

    def _step_widgets(self, question: Question) -> list[Widget]:
        step_id = self.questionnaire.step_of.get(question.id)
        if step_id is None or step_id == self._last_step:
            return []
        self._last_step = step_id
        step = self._steps[step_id]
        widgets: list[Widget] = [
            Static(f"── {step.title(self.language)} ──", markup=False, classes="step")
        ]
        if step.intro is not None:
            widgets.append(Bubble(step.intro(self.language), "note"))
        return widgets

    async def _rebuild(
        self, intro: str | None = None, changed: str | None = None
    ) -> None:
        """Draw the transcript again from the stored answers that count."""
        assert self.session is not None
        session = self.session
        await self.transcript.remove_children()
        self._last_step = None
        self._help = None
        self._revisit = []
        widgets: list[Widget] = []
        if intro:
            widgets.append(Bubble(intro, "note"))
        active = session.active()
        for question in session.engine.visible(session.answers):
            answer = active.get(question.id)
            if answer is None:
                continue
            widgets += self._step_widgets(question)
            widgets.append(Bubble(question.text(self.language), "question"))
            text = answer_text(question, answer, self.language)
            widgets.append(AnswerRow(text, changed=question.id == changed))
        await self.transcript.mount_all(widgets)
        self.transcript.scroll_end(animate=False)

    async def _say(self, *widgets: Widget) -> None:
        await self.transcript.mount_all(widgets)
        self.transcript.scroll_end(animate=False)

    async def _show_box(self, box: Widget) -> None:
        await self.answer_area.remove_children()
        await self.answer_area.mount(box)
        focus = getattr(box, "focus_first", None)
        if focus is not None:
            focus()

    # Asking

    async def _advance(self) -> None:
        assert self.session is not None
        question = self.session.next_question()
        if question is None:
            await self._finish()
        else:
            await self._ask(question)

    async def _ask(self, question: Question, revisit: bool = False) -> None:
        assert self.session is not None
        self.mode = "ask"
        self.current = question
        self._help = None
        kind = "question revisit" if revisit else "question"
        bubble = Bubble(question.text(self.language), kind)
        if revisit:
            self._revisit.append(bubble)
            # A step header for a question asked again would only repeat one.
            await self._say(bubble)
        else:
            await self._say(*self._step_widgets(question), bubble)
        earlier = self.session.answers.get(question.id)
        await self._show_box(
            answer_box(
                question,
                self.language,
                earlier,
                self._saver(question),
                getattr(self.session, "set_ton", None),
            )
        )
        self._refresh_header()

    def _saver(self, question: Question):  # type: ignore[no-untyped-def]
        def save(answer: Answer) -> Answer:
            assert self.session is not None
            checked = self.session.answer(question, answer)
            row = self.store.interview(self.session.interview_id)
            if row.status == "finished":
                # A changed answer reopens a finished interview until the end
                # is reached again and the report is rewritten.
                self.store.update_interview(row.id, status="open")
            return checked

        return save

    async def on_answer_box_answered(self, message: AnswerBox.Answered) -> None:
        message.stop()
        if self.session is None or message.question is not self.current:
            return
        if self.revisiting:
            # A changed answer can show or hide later questions: draw anew.
            self.revisiting = False
            await self._rebuild(changed=message.question.id)
        else:
            await self._say(
                AnswerRow(answer_text(message.question, message.answer, self.language))
            )
        await self._advance()

    def on_answer_box_saved(self, message: AnswerBox.Saved) -> None:
        message.stop()
        self._refresh_header()

    # The end

    async def _finish(self) -> None:
        assert self.session is not None
        session = self.session
        self.mode = "done"
        self.current = None
        session.finish()
        bubbles: list[Widget] = [Bubble(self.t("finished"), "done")]
        summary = self._summary()
        if summary:
            bubbles.append(Bubble(summary, "note"))
        try:
            from ..report import write_report

            self.report_path = write_report(session)
        except Exception as exc:  # a missing or failing report must not end the app
            log.exception("writing the report failed")
            self.report_path = None
            detail = str(exc) or type(exc).__name__
            bubbles.append(Bubble(self.t("report_failed", detail=detail), "failed"))
        else:
            bubbles.append(
                Bubble(self.t("report_written", path=self.report_path), "done")
            )
        await self._say(*bubbles)
        options = [("back", self.t("end.back")), ("quit", self.t("end.quit"))]
        if self.report_path is not None:
            options.insert(0, ("view", self.t("end.view")))
        await self._show_box(Menu(options, id="end"))
        self._refresh_header()

    def _summary(self) -> str:
        assert self.session is not None
        try:
            balance = self.session.balance()
        except Exception:  # the balance is a courtesy here; the report says more
            log.exception("computing the balance failed")
            return ""
        return self.t(
            "summary",
            inputs=kg_text(balance.inputs_kg, self.language),
            outputs=kg_text(balance.outputs_kg, self.language),
            gap=kg_text(balance.gap_kg, self.language),
        )

    def _view_report(self) -> None:
        if self.report_path is None:
            return
        try:
            text = self.report_path.read_text(encoding="utf-8")
        except OSError as exc:
            self.notify(str(exc), severity="error")
            return
        self.push_screen(ReportScreen(text, self.t("report_hint")))

    # The header

    def _refresh_header(self) -> None:
        step = self.t("title")
        progress = company = balance = ""
        session = self.session
        if session is not None:
            row = self.store.interview(session.interview_id)
            company = " · ".join(p for p in (row.company, row.period) if p)
            answered, visible = session.progress()
            if self.current is not None:
                step_id = self.questionnaire.step_of[self.current.id]
                ids = [s.id for s in self.questionnaire.steps]
                step = self._steps[step_id].title(self.language)
                progress = self.t(
                    "progress",
                    n=ids.index(step_id) + 1,
                    m=len(ids),
                    answered=answered,
                    visible=visible,
                )
            else:
                progress = self.t("progress_done", answered=answered, visible=visible)
            balance = self._balance_line()
        self.query_one("#step", Static).update(step)
        self.query_one("#progress", Static).update(progress)
        if session is not None and not company:
            company = self.t("title")
        self.query_one("#company", Static).update(company)
        self.query_one("#balance", Static).update(balance)

    def _balance_line(self) -> str:
        assert self.session is not None
        try:
            balance = self.session.balance()
        except Exception:  # an answer the balance cannot read yet
            log.debug("no balance yet", exc_info=True)
            return ""
        if not (balance.inputs_kg or balance.outputs_kg or balance.unconverted):
            return ""
        line = self.t(
            "balance",
            inputs=kg_text(balance.inputs_kg, self.language),
            outputs=kg_text(balance.outputs_kg, self.language),
            gap=kg_text(balance.gap_kg, self.language),
        )
        if balance.unconverted:
            line += " · " + self.t("balance_unconverted", n=len(balance.unconverted))
        if balance.unknown:
            line += " · " + self.t("balance_unknown", n=len(balance.unknown))
        return line

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if parameters and parameters[0] in LANGUAGES:
            if parameters[0] != self.language:
                return False
            if action in ("help", "back") and self.session is None:
                return None
        return True

    async def action_help(self, language: str = "nl") -> None:
        question = self.current
        if question is None:
            return
        if self._help is not None:
            await self._help.remove()
            self._help = None
            return
        text = f"{self.t('help_title')}\n{question.help(self.language)}"
        if question.who_to_ask is not None:
            text += "\n" + self.t("who_to_ask", who=question.who_to_ask(self.language))
        self._help = Bubble(text, "help")
        await self._say(self._help)

    async def action_back(self, language: str = "nl") -> None:
        session = self.session
        if session is None or self.mode not in ("ask", "done"):
            return
        current = self.current.id if self.current is not None else None
        target = session.previous(current)
        if target is None:
            self.notify(self.t("first_question"))
            return
        # Going back again replaces the last "back to" turn instead of
        # stacking them, and the help shown for the question left behind.
        stale = [*self._revisit, *([self._help] if self._help else [])]
        self._revisit = []
        for widget in stale:
            await widget.remove()
        self.revisiting = True
        note = Bubble(self.t("revisit"), "note")
        self._revisit.append(note)
        await self._say(note)
        await self._ask(target, revisit=True)

    async def action_cancel(self) -> None:
        if self.session is None or not self.revisiting:
            return
        self.revisiting = False
        await self._rebuild()
        await self._advance()

    async def action_language(self, language: str = "nl") -> None:
        self.language = "en" if self.language == "nl" else "nl"
        self.refresh_bindings()
        if self.mode == "offer" and self._offer is not None:
            await self._offer_resume(self._offer)
            return
        if self.session is None:
            return
        self.session.set_language(self.language)
        current, revisiting = self.current, self.revisiting
        await self._rebuild()
        if revisiting and current is not None:
            await self._ask(current, revisit=True)
        else:
            await self._advance()

    def action_stop(self, language: str = "nl") -> None:
        self.exit(0)

    def action_help_quit(self) -> None:
        self.notify(self.t("ctrl_c"))


def _local_time(stamp: str) -> str:
    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    return moment.strftime("%d-%m-%Y %H:%M")


def run_app(store: Store, questionnaire: Questionnaire, language: str | None) -> int:
    """Run the interview in the terminal; the exit code for the command line.

    The command line opens the store and loads the questionnaire first, so
    their problems are reported as one line each before the screen takes over.
    """
    app = MassabalansApp(store, questionnaire, language)
    with _logging_beside_the_screen() as kept:
        try:
            result = app.run()
        finally:
            store.close()
    for record in kept:
        sys.stderr.write(f"massabalans: {record}\n")
    if app.return_code:
        return app.return_code
    return result or 0


@contextmanager
def _logging_beside_the_screen() -> Iterator[list[str]]:
    """Keep log output off the screen while the app runs; report it after.

    A handler writing to the terminal would draw over the interface, so for
    the run the root logger sends records to Textual's devtools and keeps
    the warnings, which are printed once the screen is given back.
    """
    kept: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            kept.append(self.format(record))

    root = logging.getLogger()
    before = root.handlers[:]
    keep = Keep(logging.WARNING)
    keep.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.handlers = [TextualHandler(stderr=False), keep]
    try:
        yield kept
    finally:
        root.handlers = before
