"""The dialogue as a Mermaid flowchart, for question-file authors and advisors."""

from __future__ import annotations

from .questionnaire import Questionnaire


def _label(text: str) -> str:
    # Mermaid labels are quoted; quotes inside become the HTML entity.
    return '"' + " ".join(text.split()).replace('"', "#quot;") + '"'


def mermaid(questionnaire: Questionnaire, language: str = "nl") -> str:
    """Steps as subgraphs, questions in order, conditions on the edges."""
    lines = ["flowchart TD"]
    previous: str | None = None
    for step in questionnaire.steps:
        lines.append(f"  subgraph {step.id}[{_label(step.title(language))}]")
        for question in step.questions:
            lines.append(f"    {question.id}[{_label(question.text(language))}]")
        lines.append("  end")
    for question in questionnaire.questions:
        condition = questionnaire.conditions.get(question.id)
        if condition is not None:
            for name in sorted(condition.names):
                lines.append(
                    f"  {name} -- {_label(condition.source)} --> {question.id}"
                )
        if previous is not None:
            lines.append(f"  {previous} --> {question.id}")
        previous = question.id
    return "\n".join(lines) + "\n"
