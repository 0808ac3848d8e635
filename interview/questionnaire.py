"""Question files: the whole dialogue as data, validated into frozen models."""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .conditions import Condition, ConditionError, parse_condition
from .dataset import KINDS, SECTORS, Kind
from .locations import cache_dir
from .resources import questions_dir
from .safeload import TooLarge, load_yaml_with_nodes, read_capped
from .units import UnitError, parse_unit

QuestionType = Literal[
    "text", "choice", "multi_choice", "quantity", "number", "flow_list", "stock_list"
]
# Where a text or choice answer goes in the data file.
MapsTo = Literal[
    "company.name",
    "company.sector",
    "company.contact",
    "period",
    "interview.interviewer",
]
Theme = Literal[
    "raw_materials", "auxiliaries", "waste", "product", "support", "next_steps"
]
FlowField = Literal[
    "material",
    "supplier",
    "processor",
    "treatment",
    "destination",
    "origin",
    "cost_eur",
    "revenue_eur",
    "basis",
    "ewc_code",
    "hazardous",
    "composition",
    "density",
    "mass_per_piece",
    "units",
    "use_phase",
    "end_of_life",
    "note",
]
MAX_FILE_BYTES = 5 * 2**20
# The value a "don't know" answer has in conditions.
DONT_KNOW = "dont_know"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """A text in both languages."""

    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def __call__(self, language: str) -> str:
        return self.en if language == "en" else self.nl


class Choice(_Model):
    value: str = Field(min_length=1)
    """What is stored and what conditions compare with."""
    label: Text
    advice: Text | None = None
    """Advice that the report gives when this choice is taken."""


class FlowTemplate(_Model):
    """The flow that a quantity question's answer becomes."""

    name: Text
    kind: Kind
    material: str | None = None


class Question(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    type: QuestionType
    text: Text
    help: Text
    """Where the figure is found: invoices, bill of materials, permits, ..."""
    when: str | None = None
    """A condition over earlier answers; the question is asked when it holds."""
    required: bool = True
    allow_unknown: bool = True
    """Whether "don't know" is an answer; it becomes a data gap in the report."""
    who_to_ask: Text | None = None
    """For a data gap: who can give the figure."""
    maps_to: MapsTo | None = None
    choices: tuple[Choice, ...] | None = None
    theme: Theme | None = None
    flow: FlowTemplate | None = None
    default_unit: str | None = None
    kinds: tuple[Kind, ...] | None = None
    """For flow lists: the kinds an item may have, the first is the default."""
    fields: tuple[FlowField, ...] = ()
    """For flow lists: the fields asked for each item beside name and quantity."""
    item_defaults: dict[str, str] | None = None
    words: tuple[str, ...] = ()
    """For flow lists: the starts of words in a flow's name or material that put
    an imported or replayed flow in this list ("karton" takes "kartonnen")."""

    def choice(self, value: str) -> Choice | None:
        for choice in self.choices or ():
            if choice.value == value:
                return choice
        return None


class Step(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    intro: Text | None = None
    questions: tuple[Question, ...]


class Meta(_Model):
    id: str
    version: str


class QuestionFile(_Model):
    questionnaire: Meta | None = None
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Questionnaire:
    """The combined, checked question files."""

    id: str
    version: str
    steps: tuple[Step, ...]
    questions: tuple[Question, ...]
    conditions: dict[str, Condition] = field(repr=False)
    step_of: dict[str, str] = field(repr=False)

    def question(self, question_id: str) -> Question:
        return self._by_id[question_id]

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        # Built once: question() is called for every answer shown or counted.
        return {q.id: q for q in self.questions}

    def has(self, question_id: str) -> bool:
        return question_id in self._by_id

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"


class QuestionFileError(Exception):
    """Question files with problems; `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def question_files(path: Path | None = None) -> list[Path]:
    """The files of a questionnaire: one file, or a folder's *.yaml by name."""
    path = questions_dir() if path is None else Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
    return [path]


def load_questionnaire(path: Path | None = None) -> Questionnaire:
    """Load and check a questionnaire; raise QuestionFileError with every problem."""
    files = question_files(path)
    if not files:
        raise QuestionFileError([f"{path}: no question files (*.yaml) found"])
    problems: list[str] = []
    parsed: list[tuple[Path, QuestionFile]] = []
    lines: dict[Path, dict[tuple, int]] = {}
    for file in files:
        loaded = _load_file(file, problems, lines)
        if loaded is not None:
            parsed.append((file, loaded))
    if problems:
        raise QuestionFileError(problems)
    questionnaire = _combine(parsed, problems, lines)
    if problems:
        raise QuestionFileError(problems)
    return questionnaire


def _line_map(node: yaml.Node | None) -> tuple[dict[tuple, int], bool]:
    """The 1-based line of every key and item of a composed YAML document, and
    whether any node appears twice (an alias), which is walked only once."""
    found: dict[tuple, int] = {}
    if node is None:
        return found, False
    seen: set[int] = set()
    shared = False
    todo: list[tuple[yaml.Node, tuple]] = [(node, ())]
    while todo:
        current, path = todo.pop()
        found.setdefault(path, current.start_mark.line + 1)
        if id(current) in seen:
            shared = True
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                child = (*path, key.value)
                found[child] = key.start_mark.line + 1
                todo.append((value, child))
        elif isinstance(current, yaml.SequenceNode):
            for index, item in enumerate(current.value):
                todo.append((item, (*path, index)))
    return found, shared


def _line(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of `path`, or of its nearest ancestor that has one."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _parsed(text: str) -> tuple[Any, dict[tuple, int]]:
    """A question file's values and line numbers, from the parse cache if the
    same text was read before; raises yaml.YAMLError."""
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cached = _read_cache(key)
    if cached is not None:
        return cached
    raw, node = load_yaml_with_nodes(text)
    lines, shared = _line_map(node)
    if not shared:
        # (With aliases the values would be written out in full: not cached.)
        _write_cache(key, raw, lines)
    return raw, lines


# Parsed question files are kept as JSON under the user's cache directory,
# named by the SHA-256 of their text: the app reads the same files at every
# start, and JSON reads many times faster than YAML. An entry that cannot be
# read is ignored, and one is only written when JSON gives back exactly the
# values the YAML had.
_CACHE_VERSION = 1


def _cache_file(key: str) -> Path:
    return cache_dir() / "questions" / f"{key}.json"


def _read_cache(key: str) -> tuple[Any, dict[tuple, int]] | None:
    try:
        entry = json.loads(_cache_file(key).read_text(encoding="utf-8"))
        if entry["version"] != _CACHE_VERSION:
            return None
        lines = {tuple(path): int(line) for path, line in entry["lines"]}
        return entry["raw"], lines
    except Exception:  # noqa: BLE001 - any unreadable entry is made again
        return None


def _write_cache(key: str, raw: Any, lines: dict[tuple, int]) -> None:
    entry = {
        "version": _CACHE_VERSION,
        "raw": raw,
        "lines": [[list(path), line] for path, line in lines.items()],
    }
    try:
        text = json.dumps(entry, ensure_ascii=False)
        back = json.loads(text)
        if back["raw"] != raw or any(
            tuple(path) not in lines for path, _ in back["lines"]
        ):
            return  # something JSON cannot say exactly (a key that is not text)
        target = _cache_file(key)
        target.parent.mkdir(parents=True, exist_ok=True)
    except (OSError, TypeError, ValueError, RecursionError):
        return
    partial = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)  # a full disk: leave nothing behind


def _load_file(
    file: Path, problems: list[str], lines: dict[Path, dict[tuple, int]]
) -> QuestionFile | None:
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            problems.append(
                f"{file}: the file is over {MAX_FILE_BYTES // 2**20} MiB; a question "
                "file is a few hundred kB at most"
            )
            return None
        text = read_capped(file, MAX_FILE_BYTES).decode("utf-8")
        raw, lines[file] = _parsed(text)
    except OSError as exc:
        problems.append(f"{file}: cannot read the file ({exc.strerror})")
        return None
    except TooLarge:
        problems.append(
            f"{file}: the file is over {MAX_FILE_BYTES // 2**20} MiB; a question "
            "file is a few hundred kB at most"
        )
        return None
    except UnicodeDecodeError:
        problems.append(f"{file}: the file is not UTF-8 text; save it as UTF-8")
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problems.append(
            f"{file}{where}: not valid YAML ({getattr(exc, 'problem', exc)})"
        )
        return None
    if not isinstance(raw, dict):
        problems.append(f"{file}: the file must be a mapping with a list of steps")
        return None
    try:
        return QuestionFile.model_validate(raw)
    except ValidationError as exc:
        for error in exc.errors():
            line = _line(lines[file], tuple(error["loc"]))
            at = f"{file}:{line}" if line else str(file)
            problems.append(f"{at}: {_where(raw, error['loc'])}{_rule(error)}")
        return None


def _where(raw: Any, loc: tuple) -> str:
    """'step x, question y: key' for a pydantic location in a question file."""
    parts: list[str] = []
    node = raw
    keys: list[str] = []
    for item in loc:
        if isinstance(node, dict):
            node = node.get(item)
            if item not in ("steps", "questions", "choices"):
                keys.append(str(item))
        elif isinstance(node, list) and isinstance(item, int) and item < len(node):
            node = node[item]
            if isinstance(node, dict) and "id" in node and "type" in node:
                parts.append(f"question {node['id']}")
            elif isinstance(node, dict) and "questions" in node:
                parts.append(f"step {node.get('id', item + 1)}")
            elif isinstance(node, dict) and "value" in node:
                parts.append(f"choice {node['value']}")
            else:
                keys.append(str(item + 1))
        else:
            keys.append(str(item))
    where = ", ".join(parts)
    key = ".".join(keys)
    return (f"{where}: " if where else "") + (f"{key}: " if key else "")


def _rule(error: Any) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is missing; add it"
    if kind == "extra_forbidden":
        return "is not a known key; remove it or check its spelling"
    if kind == "literal_error":
        return f"{error.get('input')!r} is not allowed; {error['msg'].lower()}"
    if kind == "string_pattern_mismatch":
        return (
            f"{error.get('input')!r} is not a valid id; use lowercase letters, "
            "digits and underscores, starting with a letter"
        )
    return error["msg"]


def _combine(
    parsed: list[tuple[Path, QuestionFile]],
    problems: list[str],
    lines: dict[Path, dict[tuple, int]],
) -> Questionnaire:
    meta = next((qf.questionnaire for _, qf in parsed if qf.questionnaire), None)
    if meta is None:
        problems.append(
            f"{parsed[0][0]}: no questionnaire id and version; add "
            "'questionnaire: {id: ..., version: ...}' to one file"
        )
        meta = Meta(id="unknown", version="0")
    steps: list[Step] = []
    questions: list[Question] = []
    step_of: dict[str, str] = {}
    step_ids: set[str] = set()
    places: dict[str, tuple[Path, tuple]] = {}

    def at(file: Path, path: tuple) -> str:
        line = _line(lines.get(file, {}), path)
        return f"{file}:{line}" if line else str(file)

    for file, qf in parsed:
        for i, step in enumerate(qf.steps):
            if step.id in step_ids:
                problems.append(
                    f"{at(file, ('steps', i, 'id'))}: step {step.id}: the step id is "
                    "used twice; give each step its own id"
                )
            step_ids.add(step.id)
            steps.append(step)
            for j, question in enumerate(step.questions):
                path = ("steps", i, "questions", j)
                if question.id in places:
                    first_file, first_path = places[question.id]
                    problems.append(
                        f"{at(file, (*path, 'id'))}: question {question.id}: the id "
                        f"is already used at {at(first_file, (*first_path, 'id'))}; "
                        "give each question its own id"
                    )
                    continue
                places[question.id] = (file, path)
                step_of[question.id] = step.id
                questions.append(question)

    conditions: dict[str, Condition] = {}
    earlier: dict[str, Question] = {}
    mapped: dict[str, str] = {}
    for question in questions:
        file, path = places[question.id]
        where = f"{at(file, path)}: question {question.id}"
        _check_question(question, where, problems)
        if question.maps_to:
            if question.maps_to in mapped:
                problems.append(
                    f"{where}: maps_to: {question.maps_to} is already filled by "
                    f"question {mapped[question.maps_to]}"
                )
            mapped[question.maps_to] = question.id
        if question.when is not None:
            where_when = f"{at(file, (*path, 'when'))}: question {question.id}"
            condition = _check_condition(question, earlier, where_when, problems)
            if condition is not None:
                conditions[question.id] = condition
        earlier[question.id] = question
    return Questionnaire(
        meta.id, meta.version, tuple(steps), tuple(questions), conditions, step_of
    )


def _check_question(question: Question, where: str, problems: list[str]) -> None:
    if question.type in ("choice", "multi_choice"):
        if not question.choices:
            problems.append(
                f"{where}: choices: a {question.type} question needs choices"
            )
        else:
            values = [c.value for c in question.choices]
            for value in sorted({v for v in values if values.count(v) > 1}):
                problems.append(
                    f"{where}: choices: the value {value!r} is used twice; give each "
                    "choice its own value"
                )
    elif question.choices:
        problems.append(f"{where}: choices: only choice questions have choices")
    if question.type == "flow_list" and not question.kinds:
        problems.append(
            f"{where}: kinds: a flow list needs the kinds of its items, e.g. "
            "[raw_material]"
        )
    if question.words and question.type != "flow_list":
        problems.append(f"{where}: words: only flow lists have words")
    if question.type == "quantity" and question.flow is None:
        problems.append(
            f"{where}: flow: a quantity question needs the flow its answer becomes, "
            "e.g. flow: {name: {nl: leidingwater, en: mains water}, kind: auxiliary}; "
            "use type number for a plain number"
        )
    if question.type == "quantity" and question.maps_to:
        problems.append(
            f"{where}: maps_to: a quantity question cannot fill {question.maps_to}"
        )
    if question.default_unit is not None:
        try:
            parse_unit(question.default_unit)
        except UnitError as exc:
            problems.append(f"{where}: default_unit: {exc}")
    if question.maps_to == "company.sector":
        allowed = set(SECTORS)
        for choice in question.choices or ():
            if choice.value not in allowed:
                problems.append(
                    f"{where}: choice {choice.value}: a sector is one of "
                    + ", ".join(SECTORS)
                )
    for kind in question.kinds or ():
        assert kind in KINDS


def _check_condition(
    question: Question, earlier: dict[str, Question], where: str, problems: list[str]
) -> Condition | None:
    try:
        condition = parse_condition(question.when or "")
    except ConditionError as exc:
        problems.append(f"{where}: when: {exc}")
        return None
    ok = True
    for name in sorted(condition.names):
        if name not in earlier:
            close = difflib.get_close_matches(name, list(earlier), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            later = " (conditions may only name earlier questions)"
            problems.append(
                f'{where}: when: "{name}" is not an earlier question{later}{hint}'
            )
            ok = False
    for name, literal in condition.compared:
        target = earlier.get(name)
        if target is None:
            continue
        mismatch = _literal_mismatch(target, literal)
        if mismatch:
            problems.append(f"{where}: when: {name} {mismatch}")
            ok = False
            continue
        if target.type not in ("choice", "multi_choice"):
            continue
        allowed = {c.value for c in target.choices or ()}
        if target.allow_unknown:
            allowed.add(DONT_KNOW)
        if literal not in allowed:
            close = difflib.get_close_matches(str(literal), sorted(allowed), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            problems.append(
                f"{where}: when: {name} is never {literal!r}; its values are "
                + ", ".join(sorted(allowed))
                + hint
            )
            ok = False
    if ok and _never_true(condition, earlier):
        problems.append(
            f"{where}: when: the condition can never be true, so the question is "
            "never asked; correct the condition or remove the question"
        )
        ok = False
    return condition if ok else None


def _literal_mismatch(target: Question, literal: Any) -> str | None:
    """What is wrong with comparing `target`'s answer with `literal`, if anything:
    a number never equals text, so such a condition silently never holds."""
    is_number = isinstance(literal, int | float) and not isinstance(literal, bool)
    if target.type in ("number", "quantity") and isinstance(literal, str):
        if literal == DONT_KNOW:
            return None
        return (
            f"is a number, and {literal!r} is text: compare it with a number "
            f"without quotes, e.g. {target.id} > 100"
        )
    if target.type == "text" and is_number:
        return (
            f"is text, and {literal!r} is a number: put the text in quotes, e.g. "
            f'{target.id} == "{literal}"'
        )
    return None


# Conditions over choice questions are checked exhaustively up to this many
# combinations of answers; larger ones are not checked for reachability.
_MAX_COMBINATIONS = 4096


def _never_true(condition: Condition, earlier: dict[str, Question]) -> bool:
    """True when no combination of possible answers makes the condition hold."""
    domains: list[list[Any]] = []
    names = sorted(condition.names)
    for name in names:
        question = earlier[name]
        if question.type == "choice":
            values: list[Any] = [c.value for c in question.choices or ()]
            values += [DONT_KNOW, None]
        elif question.type == "multi_choice":
            options = [c.value for c in question.choices or ()]
            values = [[], *([v] for v in options), options, DONT_KNOW, None]
        else:
            return False  # free answers: too many to try
        domains.append(values)
    total = 1
    for values in domains:
        total *= len(values)
    if total > _MAX_COMBINATIONS:
        return False
    return not any(
        condition.evaluate(dict(zip(names, combination, strict=True)))
        for combination in itertools.product(*domains)
    )
