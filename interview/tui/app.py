"""The interview as a chat in the terminal: one question at a time, saved at once."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.logging import TextualHandler
from textual.widget import Widget
from textual.widgets import Static

from ..engine import Answer
from ..questionnaire import Question, Questionnaire, Step
from ..session import Session
from ..store import InterviewRow, Store
from .commands import InterviewCommands
from .display import answer_text, local_time
from .keys import Key, KeysFooter, for_language, language_bindings
from .panel import BalancePanel
from .parsing import kg_text
from .steplog import StepLog, Turn
from .strings import LANGUAGES, tr
from .summary import summarise_step
from .widgets import AnswerBox, AnswerRow, Bubble, Menu, answer_box

if TYPE_CHECKING:
    from .screens import ListChoice

log = logging.getLogger(__name__)

# Below this width the balance panel would squeeze the conversation.
PANEL_MIN_WIDTH = 70

KEYS = [
    Key("f1", "help", "help"),
    # Not ctrl+b alone: that is the prefix key of tmux.
    Key("f3,ctrl+b", "back", "back"),
    Key("f4", "review", "review"),
    Key("f5", "report", "report"),
    Key("f6", "interviews", "interviews"),
    Key("f7", "panel", "panel", show=False),
    Key("f8", "note", "note", show=False),
    Key("f2", "language", "language"),
    Key("ctrl+q", "stop", "quit", priority=True),
]


class MassabalansApp(App[int]):
    """The interview: a transcript of questions and answers, and the answer box."""

    TITLE = "massabalans"
    COMMANDS = App.COMMANDS | {InterviewCommands}
    BINDINGS = [
        *language_bindings(KEYS),
        Binding("escape", "cancel", show=False),
    ]
    # Read here rather than named in CSS_PATH, which Textual resolves beside
    # the file of a subclass, so that subclasses (benchmarks, tests) work.
    CSS = (Path(__file__).parent / "app.tcss").read_text(encoding="utf-8")

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
        self.show_panel = True
        self._offer: InterviewRow | None = None
        self._help: Widget | None = None
        self._revisit: list[Widget] = []
        self._live: list[Widget] = []
        """The turns of the step that is open, each a widget of its own."""
        self._last_step: str | None = None
        self._steps: dict[str, Step] = {s.id: s for s in questionnaire.steps}
        self._said: set[str] = set()
        """Observations already made in the transcript, so none is made twice."""
        self._restored: dict[str, Question] = {}
        self._hidden: dict[str, Question] = {}
        self._walked: set[str] | None = None
        """While going through a copied interview: the questions asked so far."""
        self._first_painted = False
        self._first_balance_due = False

    def t(self, key: str, **values: object) -> str:
        return tr(key, self.language, **values)

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static("", markup=False, id="step")
            yield Static("", markup=False, id="progress")
        with Horizontal(id="sub"):
            yield Static("", markup=False, id="company")
            yield Static("", markup=False, id="balance")
        with Horizontal(id="middle"):
            yield VerticalScroll(id="transcript")
            yield BalancePanel(id="panel")
        yield Vertical(id="answer")
        yield KeysFooter(compact=True, show_command_palette=False)

    @property
    def transcript(self) -> VerticalScroll:
        return self.query_one("#transcript", VerticalScroll)

    @property
    def answer_area(self) -> Vertical:
        return self.query_one("#answer", Vertical)

    @property
    def panel(self) -> BalancePanel:
        return self.query_one("#panel", BalancePanel)

    async def on_mount(self) -> None:
        self.transcript.anchor()
        self.transcript.can_focus = False
        self._place_panel()
        row = self.store.latest_open()
        if row is None:
            await self._start_new()
        else:
            if self.requested_language is None and row.language in LANGUAGES:
                self.language = row.language
            await self._offer_resume(row)

    def on_resize(self) -> None:
        self._place_panel()

    def _place_panel(self) -> None:
        shown = self.show_panel and self.size.width >= PANEL_MIN_WIDTH
        self.panel.display = shown
        self._refresh_header()

    # Starting and resuming

    async def _offer_resume(self, row: InterviewRow) -> None:
        self.mode = "offer"
        self._offer = row
        answered = len(self.store.answers(row.id))
        text = self.t(
            "resume_offer",
            company=row.company or self.t("unnamed"),
            period=row.period or self.t("no_period"),
            updated=local_time(row.updated, self.language),
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
                    ("all", self.t("resume_all")),
                ],
                id="resume",
            )
        )
        self._refresh_header()

    def _reset(self) -> None:
        """Forget what belonged to the interview shown before."""
        self.current = None
        self.revisiting = False
        self.report_path = None
        self._offer = None
        self._walked = None
        self._said = set()
        self._restored, self._hidden = {}, {}

    async def _start_new(self) -> None:
        self._reset()
        self.session = Session.start(self.store, self.questionnaire, self.language)
        self.mode = "ask"
        await self._rebuild(self.t("welcome"))
        await self._advance()

    async def _resume(
        self, row: InterviewRow, walk: bool = False, source_period: str | None = None
    ) -> None:
        self._reset()
        self.session = Session(self.store, self.questionnaire, row.id)
        if self.session.language != self.language:
            self.session.set_language(self.language)
        self.mode = "ask"
        if walk:
            # A copy: go through every answer again instead of showing them.
            self._walked = set()
            await self.transcript.remove_children()
            self._last_step = None
            self._live = []
            # Mounted outside the open step, so it stays when the step closes.
            await self.transcript.mount(
                Bubble(
                    self.t(
                        "copy.intro",
                        company=row.company or self.t("unnamed"),
                        period=source_period or self.t("no_period"),
                    ),
                    "note",
                )
            )
        else:
            await self._rebuild(self.t("welcome_back"))
            await self._tell_unconverted()
        await self._advance()

    async def _tell_unconverted(self) -> None:
        """On coming back, name the flows that are not in kg yet (an import's
        litres without a density), so they are not missed."""
        assert self.session is not None
        try:
            unconverted = self.session.balance().unconverted
        except Exception:  # noqa: BLE001 - the panel shows balance problems itself
            log.exception("balance on resume")
            return
        names = list(dict.fromkeys(str(item["flow"]) for item in unconverted))
        if names:
            shown = ", ".join(names[:8]) + (", …" if len(names) > 8 else "")
            await self.transcript.mount(
                Bubble(self.t("resume_unconverted", flows=shown), "note")
            )

    async def _open(
        self, interview_id: int, walk: bool = False, source_period: str | None = None
    ) -> None:
        """Make `interview_id` the interview on screen, in its own language."""
        row = self.store.interview(interview_id)
        if row.language in LANGUAGES and row.language != self.language:
            self.language = row.language
            self.refresh_bindings()
        await self._resume(row, walk=walk, source_period=source_period)

    async def on_menu_picked(self, message: Menu.Picked) -> None:
        menu_id = message.menu.id
        if menu_id == "resume" and self._offer is not None:
            if message.value == "all":
                self.action_interviews(self.language)
                return
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

    def _answer_row(
        self, question: Question, answer: Answer, changed: bool = False
    ) -> AnswerRow:
        return AnswerRow(
            answer_text(question, answer, self.language),
            changed=changed,
            question_id=question.id,
            tooltip=self.t("tip.pick"),
        )

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
        self._live = []
        self._said = set()
        widgets: list[Widget] = []
        if intro:
            widgets.append(Bubble(intro, "note"))
        active = session.active()
        logged: set[str] = set()
        for question in session.engine.visible(session.answers):
            answer = active.get(question.id)
            if answer is None:
                continue
            step_id = self.questionnaire.step_of[question.id]
            if step_id in logged:
                continue
            if self._step_complete(step_id):
                logged.add(step_id)
                widgets.append(self._step_log(step_id, changed))
                self._last_step = step_id
                continue
            turn = [*self._step_widgets(question)]
            turn.append(Bubble(question.text(self.language), "question"))
            turn.append(
                self._answer_row(question, answer, changed=question.id == changed)
            )
            widgets += turn
            self._live += turn
        await self.transcript.mount_all(widgets)
        self.transcript.scroll_end(animate=False)

    async def _say(self, *widgets: Widget) -> None:
        """Add turns to the open step of the transcript."""
        self._live += widgets
        await self.transcript.mount_all(widgets)
        self.transcript.scroll_end(animate=False)

    async def _close_step(self, step_id: str) -> None:
        """Draw a finished step as one widget, in place of its turns."""
        log_widget = self._step_log(step_id)
        live = [w for w in self._live if w.is_attached]
        self._live = []
        if live:
            await self.transcript.mount(log_widget, before=live[0])
            await self.transcript.remove_children(live)
        else:
            await self.transcript.mount(log_widget)
        self.transcript.scroll_end(animate=False)

    async def _show_box(self, box: Widget) -> None:
        await self.answer_area.remove_children()
        await self.answer_area.mount(box)
        focus = getattr(box, "focus_first", None)
        if focus is not None:
            focus()

    # Step summaries

    def _step_complete(self, step_id: str) -> bool:
        assert self.session is not None
        session = self.session
        answers = session.answers
        return all(
            q.id in answers
            for q in session.engine.visible(answers)
            if self.questionnaire.step_of.get(q.id) == step_id
        )

    def _step_summary(self, step_id: str) -> str | None:
        """What a finished step comes to, with one observation."""
        assert self.session is not None
        try:
            dataset = self.session.dataset()
            balance = self.session.balance()
        except Exception:  # an answer the balance cannot read yet
            log.debug("no summary for step %s", step_id, exc_info=True)
            return None
        summary = summarise_step(
            self.questionnaire,
            step_id,
            self.session.active(),
            dataset,
            balance,
            self.language,
            self._said,
        )
        return summary.text(self.language)

    def _step_log(self, step_id: str, changed: str | None = None) -> StepLog:
        assert self.session is not None
        session = self.session
        active = session.active()
        step = self._steps[step_id]
        turns = [
            Turn(
                question.id,
                question.text(self.language),
                answer_text(question, active[question.id], self.language),
                changed=question.id == changed,
            )
            for question in session.engine.visible(session.answers)
            if question.id in active
            and self.questionnaire.step_of[question.id] == step_id
        ]
        return StepLog(
            step.title(self.language),
            turns,
            self._step_summary(step_id),
            self.t("tip.pick"),
        )

    # Asking

    def _next_question(self) -> Question | None:
        assert self.session is not None
        session = self.session
        if self._walked is not None:
            for question in session.engine.visible(session.answers):
                if question.id not in self._walked:
                    return question
            self._walked = None
        return session.next_question()

    async def _advance(self) -> None:
        assert self.session is not None
        question = self._next_question()
        if question is None:
            await self._finish()
        else:
            await self._ask(question)

    async def _ask(self, question: Question, revisit: bool = False) -> None:
        assert self.session is not None
        self.mode = "ask"
        self.current = question
        self._help = None
        self._restored, self._hidden = {}, {}
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
            session = self.session
            checked = session.answer(question, answer)
            self._note_branches(session.restored, session.hidden)
            row = self.store.interview(session.interview_id)
            if row.status == "finished":
                # A changed answer reopens a finished interview until the end
                # is reached again and the report is rewritten.
                self.store.update_interview(row.id, status="open")
            return checked

        return save

    def _note_branches(self, restored: list[Question], hidden: list[Question]) -> None:
        """Gather what the saves of one question made count again or no longer.

        A list saves after every item, so one item can hide what the next one
        shows again; only what is left at the end is reported.
        """
        for question in restored:
            if self._hidden.pop(question.id, None) is None:
                self._restored[question.id] = question
        for question in hidden:
            if self._restored.pop(question.id, None) is None:
                self._hidden[question.id] = question

    def _branch_widgets(self) -> list[Widget]:
        assert self.session is not None
        answers = self.session.answers
        widgets: list[Widget] = []
        for key, questions in (
            ("branch.restored", self._restored),
            ("branch.hidden", self._hidden),
        ):
            if not questions:
                continue
            lines = [self.t(key)]
            for question in questions.values():
                answer = answers.get(question.id)
                shown = (
                    answer_text(question, answer, self.language).splitlines()[0]
                    if answer is not None
                    else ""
                )
                lines.append(f"• {question.text(self.language)} → {shown}")
            widgets.append(Bubble("\n".join(lines), "note branch"))
        self._restored, self._hidden = {}, {}
        return widgets

    async def on_answer_box_answered(self, message: AnswerBox.Answered) -> None:
        message.stop()
        if self.session is None or message.question is not self.current:
            return
        # One layout for the answer, the remarks and the next question, not
        # one for every widget that comes and goes on the way.
        with self.batch_update():
            await self._answered(message)

    async def _answered(self, message: AnswerBox.Answered) -> None:
        question = message.question
        if self._walked is not None:
            self._walked.add(question.id)
        if self.revisiting:
            # A changed answer can show or hide later questions: draw anew.
            self.revisiting = False
            branches = self._branch_widgets()
            await self._rebuild(changed=question.id)
            await self._say(*branches)
        else:
            await self._say(self._answer_row(question, message.answer))
            branches = self._branch_widgets()
            step_id = self.questionnaire.step_of[question.id]
            following = self._next_question()
            if self._step_complete(step_id) and (
                following is None or self.questionnaire.step_of[following.id] != step_id
            ):
                await self._close_step(step_id)
            await self._say(*branches)
        await self._advance()

    def on_answer_box_saved(self, message: AnswerBox.Saved) -> None:
        message.stop()
        self._refresh_header()

    async def on_answer_row_picked(self, message: AnswerRow.Picked) -> None:
        message.stop()
        await self._go_to(message.question_id)

    async def action_pick(self, question_id: str) -> None:
        """A click on an answer in a finished step."""
        await self._go_to(question_id)

    async def _go_to(self, question_id: str) -> None:
        """Ask an earlier question again, to change its answer."""
        session = self.session
        if session is None or self.mode not in ("ask", "done"):
            return
        if not self.questionnaire.has(question_id):
            return
        target = self.questionnaire.question(question_id)
        if target.id not in {q.id for q in session.engine.visible(session.answers)}:
            return
        if self.current is not None and target.id == self.current.id:
            if not self.revisiting:
                return
        await self._revisit_question(target)

    async def _revisit_question(self, target: Question) -> None:
        # Going back again replaces the last "back to" turn instead of
        # stacking them, and the help shown for the question left behind.
        stale = [*self._revisit, *([self._help] if self._help else [])]
        self._revisit = []
        for widget in stale:
            if widget.is_attached:
                await widget.remove()
        self.revisiting = True
        note = Bubble(self.t("revisit"), "note")
        self._revisit.append(note)
        await self._say(note)
        await self._ask(target, revisit=True)

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
            self.report_path = self._write_report()
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

    def _write_report(self) -> Path:
        assert self.session is not None
        # Imported here: Jinja2 and the report's tables are not needed to start.
        from ..report import write_report

        return write_report(self.session)

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

    def _view_report(self, draft: bool = False) -> None:
        if self.report_path is None:
            return
        try:
            text = self.report_path.read_text(encoding="utf-8")
        except OSError as exc:
            self.notify(str(exc), severity="error")
            return
        # The screens are imported when first opened: the Markdown widget and
        # its highlighter take a third of a second to import.
        from .screens import ReportScreen

        self.push_screen(ReportScreen(text, self.report_path, self.language, draft))

    # The header and the balance panel

    def _refresh_header(self) -> None:
        step = self.t("title")
        progress = company = balance_line = ""
        session = self.session
        balance = None
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
            if self._first_painted:
                balance = self._balance()
            elif not self._first_balance_due:
                # The first screen goes up before the first balance, which
                # builds the data file's validators: that comes a moment later.
                self._first_balance_due = True
                self.call_after_refresh(self._first_balance)
            if not self.panel.display and balance is not None:
                balance_line = self._balance_line(balance)
        if session is not None and not company:
            company = self.t("title")
        for selector, text in (
            ("#step", step),
            ("#progress", progress),
            ("#company", company),
            ("#balance", balance_line),
        ):
            # An update lays the screen out again, even with the same text.
            widget = self.query_one(selector, Static)
            if str(widget.content) != text:
                widget.update(text)
        self.panel.show_balance(balance, self.language)

    def _first_balance(self) -> None:
        self._first_painted = True
        self._refresh_header()

    def _balance(self) -> Any:
        assert self.session is not None
        try:
            return self.session.balance()
        except Exception:  # an answer the balance cannot read yet
            log.debug("no balance yet", exc_info=True)
            return None

    def _balance_line(self, balance: Any) -> str:
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
        shown = for_language(parameters, self.language)
        if shown is False:
            return False
        if action == "stop":
            return True
        if len(self.screen_stack) > 1:
            # Another screen is open: its own keys, and quitting.
            return False
        if action in ("help", "back", "review", "report") and self.session is None:
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
        text += "\n" + self.t("help_keys")
        self._help = Bubble(text, "help")
        await self._say(self._help)

    def action_note(self, language: str = "nl") -> None:
        """A note to the answer of the question on the screen."""
        question = self.current
        boxes = self.query(AnswerBox)
        if question is None or not boxes:
            self.notify(self.t("note.none"))
            return
        box = boxes.first()

        def kept(note: str | None) -> None:
            if note is None:
                return
            box.note = note or None
            box.show_note()
            box.note_changed()
            box.focus_first()

        from .screens import NoteScreen

        self.push_screen(
            NoteScreen(
                self.t("note.prompt", question=question.text(self.language)),
                self.t("note.hint"),
                box.note,
            ),
            kept,
        )

    async def action_back(self, language: str = "nl") -> None:
        session = self.session
        if session is None or self.mode not in ("ask", "done"):
            return
        current = self.current.id if self.current is not None else None
        target = session.previous(current)
        if target is None:
            self.notify(self.t("first_question"))
            return
        await self._revisit_question(target)

    async def action_cancel(self) -> None:
        if self.session is None or not self.revisiting:
            return
        self.revisiting = False
        await self._rebuild()
        await self._advance()

    def action_review(self, language: str = "nl") -> None:
        if self.session is None:
            self.notify(self.t("no_interview"))
            return

        async def picked(question_id: str | None) -> None:
            if question_id:
                await self._go_to(question_id)

        from .screens import ReviewScreen

        self.push_screen(ReviewScreen(self.session, self.language), picked)

    def action_report(self, language: str = "nl") -> None:
        if self.session is None:
            self.notify(self.t("no_interview"))
            return
        try:
            self.report_path = self._write_report()
        except Exception as exc:  # a failing report must not end the app
            log.exception("writing the report failed")
            detail = str(exc) or type(exc).__name__
            self.notify(self.t("report_failed", detail=detail), severity="error")
            return
        self._view_report(draft=self.mode != "done")

    def action_interviews(self, language: str = "nl") -> None:
        current = self.session.interview_id if self.session is not None else None

        async def chosen(result: ListChoice | None) -> None:
            if result is None:
                return
            if result.what == "new":
                await self._start_new()
            elif result.interview_id is not None:
                await self._open(
                    result.interview_id,
                    walk=result.what == "copy",
                    source_period=result.source_period,
                )

        from .screens import InterviewsScreen

        self.push_screen(
            InterviewsScreen(self.store, self.questionnaire, self.language, current),
            chosen,
        )

    def action_panel(self, language: str = "nl") -> None:
        self.show_panel = not self.show_panel
        self._place_panel()

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
