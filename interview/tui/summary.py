"""What a finished step comes to, and one thing worth noting in its figures.

Plain Python, no Textual: the app shows the text after each step, and tests
read it without a screen.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..analysis import is_packaging
from ..balance import Balance
from ..dataset import INPUT_KINDS, OUTPUT_KINDS, Dataset, ResolvedFlow
from ..engine import Answer
from ..questionnaire import Questionnaire
from .parsing import kg_text, shown
from .strings import kind_label, tr

ZERO = Decimal(0)
# Packaging above this share of the inputs is worth a remark.
PACKAGING_SHARE_PCT = Decimal(10)
# How many flow names a line lists before it says "and n more".
NAMES_SHOWN = 4


@dataclass(frozen=True)
class Observation:
    """One remark about the figures; `code` keeps it from being made twice."""

    code: str
    text: str


@dataclass(frozen=True)
class StepSummary:
    lines: list[str]
    observation: Observation | None

    def text(self, language: str) -> str:
        lines = list(self.lines)
        if self.observation is not None:
            lines.append(tr("obs.prefix", language) + self.observation.text)
        return "\n".join(lines)


def _pct(part: Decimal, whole: Decimal, language: str) -> str:
    return f"{shown(part / whole * 100, language, digits=0)} %"


def _names(flows: Iterable[ResolvedFlow], language: str) -> str:
    names = [f.flow.name for f in flows]
    if len(names) > NAMES_SHOWN:
        rest = len(names) - NAMES_SHOWN
        names = names[:NAMES_SHOWN] + [tr("summary.more", language, n=rest)]
    return ", ".join(names)


def _by_kind(flows: list[ResolvedFlow], kinds: tuple[str, ...], language: str) -> str:
    """ "12 500 kg (grondstof 12 000 kg, hulpstof 500 kg)" over `kinds`."""
    totals: dict[str, Decimal] = {}
    for flow in flows:
        if flow.kg is not None and flow.flow.kind in kinds:
            totals[flow.flow.kind] = totals.get(flow.flow.kind, ZERO) + flow.kg
    total = sum(totals.values(), ZERO)
    text = kg_text(total, language)
    if len(totals) > 1 or (totals and len(kinds) > 1):
        parts = [
            f"{kind_label(kind, language)} {kg_text(kg, language)}"
            for kind, kg in totals.items()
        ]
        text += f" ({', '.join(parts)})"
    return text


def step_flows(dataset: Dataset, question_ids: set[str]) -> list[ResolvedFlow]:
    return [f for f in dataset.flows if f.flow.question in question_ids]


def summarise_step(
    questionnaire: Questionnaire,
    step_id: str,
    active: Mapping[str, Answer],
    dataset: Dataset,
    balance: Balance,
    language: str,
    said: set[str],
) -> StepSummary:
    """The summary of one step; records the observation it makes in `said`."""
    step = next(s for s in questionnaire.steps if s.id == step_id)
    ids = {q.id for q in step.questions}
    flows = step_flows(dataset, ids)
    lines = [tr("summary.head", language, step=step.title(language))]

    inputs = [f for f in flows if f.flow.kind in INPUT_KINDS]
    outputs = [f for f in flows if f.flow.kind in OUTPUT_KINDS]
    if inputs:
        lines.append(
            tr("summary.in", language, total=_by_kind(inputs, INPUT_KINDS, language))
        )
    if outputs:
        lines.append(
            tr("summary.out", language, total=_by_kind(outputs, OUTPUT_KINDS, language))
        )
    if not flows:
        answered = sum(1 for qid in ids if qid in active)
        key = "summary.answered_one" if answered == 1 else "summary.answered"
        lines.append(tr(key, language, n=answered))

    unknown = [f for f in flows if f.unknown]
    dont_know = [
        q
        for q in step.questions
        if q.id in active and active[q.id].unknown and q.type != "quantity"
    ]
    if unknown:
        lines.append(tr("summary.unknown", language, names=_names(unknown, language)))
    if dont_know:
        lines.append(tr("summary.dont_know", language, n=len(dont_know)))
    unconverted = [f for f in flows if not f.unknown and f.kg is None]
    if unconverted:
        lines.append(
            tr("summary.unconverted", language, names=_names(unconverted, language))
        )

    observation = observe(questionnaire, step_id, dataset, balance, language, said)
    if observation is not None:
        said.add(observation.code)
    return StepSummary(lines, observation)


def observe(
    questionnaire: Questionnaire,
    step_id: str,
    dataset: Dataset,
    balance: Balance,
    language: str,
    said: set[str],
) -> Observation | None:
    """The first remark not made before: about this step's flows, then overall."""
    for observation in _candidates(questionnaire, step_id, dataset, balance, language):
        if observation.code not in said:
            return observation
    return None


def _candidates(
    questionnaire: Questionnaire,
    step_id: str,
    dataset: Dataset,
    balance: Balance,
    language: str,
) -> Iterable[Observation]:
    step_ids = [s.id for s in questionnaire.steps]
    step = questionnaire.steps[step_ids.index(step_id)]
    flows = step_flows(dataset, {q.id for q in step.questions})

    # About this step's own flows first.
    for flow in flows:
        if not flow.unknown and flow.kg is None:
            yield Observation(
                f"unconverted:{flow.flow.name}",
                tr("obs.unconverted", language, name=flow.flow.name),
            )
    for flow in flows:
        if (
            flow.flow.kind == "composite_material"
            and not flow.flow.composition
            and not flow.flow.part
        ):
            yield Observation(
                f"composite:{flow.flow.name}",
                tr("obs.composite", language, name=flow.flow.name),
            )
    inputs = balance.inputs_kg
    if inputs and any(is_packaging(f) and f.flow.kind in INPUT_KINDS for f in flows):
        packaging = sum(
            (
                f.kg
                for f in dataset.flows
                if f.kg is not None and f.flow.kind in INPUT_KINDS and is_packaging(f)
            ),
            ZERO,
        )
        if packaging * 100 >= inputs * PACKAGING_SHARE_PCT:
            yield Observation(
                "packaging",
                tr(
                    "obs.packaging",
                    language,
                    pct=_pct(packaging, inputs, language),
                    kg=kg_text(packaging, language),
                ),
            )

    # Then the company as a whole, once the outputs have been asked.
    if step_ids.index(step_id) >= _outputs_asked_at(questionnaire, step_ids):
        water_in = balance.water.get("in_kg", ZERO) if balance.water else ZERO
        wastewater = any(f.flow.kind == "wastewater" for f in dataset.flows)
        if water_in > 0 and not wastewater:
            yield Observation(
                "water", tr("obs.water", language, kg=kg_text(water_in, language))
            )
        if inputs and balance.gap_kg < 0 and not balance.within_tolerance:
            yield Observation(
                "outputs_exceed",
                tr(
                    "obs.outputs_exceed",
                    language,
                    kg=kg_text(-balance.gap_kg, language),
                ),
            )
        elif inputs and not balance.within_tolerance:
            yield Observation(
                "gap",
                tr(
                    "obs.gap",
                    language,
                    inputs=kg_text(inputs, language),
                    gap=kg_text(balance.gap_kg, language),
                    pct=_pct(balance.gap_kg, inputs, language),
                ),
            )

    # Failing all else, the largest flow of the step.
    for group, key in (
        ([f for f in flows if f.flow.kind in INPUT_KINDS], "obs.largest_in"),
        ([f for f in flows if f.flow.kind in OUTPUT_KINDS], "obs.largest_out"),
    ):
        weighed = [f for f in group if f.kg is not None and f.kg > 0]
        if len(weighed) > 1:
            total = sum((f.kg for f in weighed if f.kg is not None), ZERO)
            largest = max(weighed, key=lambda f: f.kg or ZERO)
            assert largest.kg is not None
            yield Observation(
                f"largest:{step_id}",
                tr(
                    key,
                    language,
                    name=largest.flow.name,
                    pct=_pct(largest.kg, total, language),
                ),
            )


def _outputs_asked_at(questionnaire: Questionnaire, step_ids: list[str]) -> int:
    """The step after which every kind of output has been asked for.

    Before it, "no wastewater" or a large gap only means that the outputs
    have not come yet.
    """
    last = None
    for step in questionnaire.steps:
        for question in step.questions:
            kinds = set(question.kinds or ())
            if question.flow is not None:
                kinds.add(question.flow.kind)
            if kinds & set(OUTPUT_KINDS):
                last = step.id
    return step_ids.index(last) if last is not None else len(step_ids)
