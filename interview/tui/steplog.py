"""A finished step of the transcript drawn as one widget.

Each turn of the conversation is a widget while its step is open. Once the
step is done its turns are drawn by one `StepLog`, so that the screen's
layout, redone after every answer, does not grow with the interview. The
questions and answers still read as separate messages, and a click on an
answer still opens it for a change.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widget import Widget


@dataclass(frozen=True)
class Turn:
    question_id: str
    question: str
    answer: str
    changed: bool = False


def _blend(colours: dict[str, str], name: str, amount: float) -> str:
    """`$name amount%` as the CSS writes it: the colour over the background."""
    background = Color.parse(colours.get("background", "#000000"))
    return background.blend(Color.parse(colours[name]), amount).hex


class Message:
    """One message of a finished step: wrapped text on a tint, with a bar.

    Drawn like the open step's bubbles: a question to the left with its bar
    on the left, an answer to the right with its bar on the right.
    """

    def __init__(
        self,
        text: Text,
        bar: Style,
        tint: Style,
        right: bool,
        share: float,
        click: Style | None = None,
    ) -> None:
        self.text = text
        self.bar = bar
        self.tint = tint
        self.right = right
        self.share = share
        # Added to each segment: Text.render does not keep a style's meta.
        self.click = click

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        room = max(int(options.max_width * self.share) - 3, 8)
        lines = self.text.wrap(console, room)
        widest = max((line.cell_len for line in lines), default=0)
        indent = options.max_width - widest - 3 if self.right else 0
        tint = self.tint + self.click if self.click else self.tint
        for line in lines:
            line.pad_right(widest - line.cell_len)
            if indent:
                yield Segment(" " * indent)
            if not self.right:
                yield Segment("▌", self.bar)
            yield Segment(" ", tint)
            yield from Segment.apply_style(
                line.render(console), self.tint, post_style=self.click
            )
            yield Segment(" ", tint)
            if self.right:
                yield Segment("▐", self.bar)
            yield Segment.line()


class StepLog(Widget):
    """The title, questions, answers and summary of one finished step."""

    DEFAULT_CSS = """
    StepLog { height: auto; margin-top: 1; }
    """

    def __init__(
        self, title: str, turns: list[Turn], summary: str | None, tooltip: str
    ) -> None:
        super().__init__(classes="step-log")
        self.title = title
        self.turns = turns
        self.summary = summary
        self.tooltip = tooltip

    @property
    def question_ids(self) -> list[str]:
        return [turn.question_id for turn in self.turns]

    def render(self) -> RenderableType:
        colours = self.app.get_css_variables()
        accent = Style(color=colours.get("accent", "#ffa62b"))
        question_tint = Style(bgcolor=_blend(colours, "primary", 0.15))
        answer_tint = Style(bgcolor=_blend(colours, "success", 0.15))
        summary_tint = Style(bgcolor=_blend(colours, "accent", 0.10))
        primary = Style(color=colours.get("primary", "#0178d4"))
        success = Style(color=colours.get("success", "#4ebf71"))
        warning = Style(color=colours.get("warning", "#ffa62b"))

        parts: list[RenderableType] = [
            Text(f"── {self.title} ──", style=accent + Style(bold=True))
        ]
        for turn in self.turns:
            question = Text(turn.question, style=question_tint)
            click = Style(meta={"@click": f"app.pick('{turn.question_id}')"})
            answer = Text(turn.answer, style=answer_tint)
            bar = warning if turn.changed else success
            parts += [
                Text(""),
                Message(question, primary, question_tint, right=False, share=0.9),
                Text(""),
                Message(answer, bar, answer_tint, True, 0.85, click=click),
            ]
        if self.summary:
            summary = Text(self.summary, style=summary_tint)
            parts += [
                Text(""),
                Message(summary, accent, summary_tint, right=False, share=0.95),
            ]
        return Group(*parts)
