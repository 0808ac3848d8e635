"""Conditions over earlier answers: parsed once, checked against a whitelist, walked.

A condition is a small Python-like expression such as
``buys_composite == "yes" and not (water_source == "dont_know")``. It is parsed
with `ast` in eval mode, and every node must be one of: a question id, a
literal (text, number, true/false/none), a list or tuple of literals,
a comparison (==, !=, <, <=, >, >=, in, not in), and/or/not. Anything else
(attributes, calls, subscripts, names starting with an underscore) is refused
when the question file loads; nothing is ever passed to `eval`.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_LENGTH = 500
MAX_DEPTH = 20

_COMPARE = {
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
    ast.Lt: lambda a, b: _ordered(a, b) and a < b,
    ast.LtE: lambda a, b: _ordered(a, b) and a <= b,
    ast.Gt: lambda a, b: _ordered(a, b) and a > b,
    ast.GtE: lambda a, b: _ordered(a, b) and a >= b,
    ast.In: lambda a, b: _contains(b, a),
    ast.NotIn: lambda a, b: not _contains(b, a),
}
_LITERAL_NAMES = {
    "true": True,
    "false": False,
    "none": None,
    "True": True,
    "False": False,
    "None": None,
}


def _ordered(a: Any, b: Any) -> bool:
    numbers = (int, float, Decimal)
    return (
        isinstance(a, numbers)
        and isinstance(b, numbers)
        and not (isinstance(a, bool) or isinstance(b, bool))
    )


def _contains(container: Any, item: Any) -> bool:
    if isinstance(container, (list, tuple, set, frozenset)):
        return item in container
    if isinstance(container, str) and isinstance(item, str):
        return item == container
    return False


class ConditionError(ValueError):
    """A condition that is not allowed; the message names the part and the rule."""


@dataclass(frozen=True)
class Condition:
    """A parsed, checked condition; `names` are the question ids it reads."""

    source: str
    tree: ast.Expression
    names: frozenset[str]
    # Literals each question id is compared with, for load-time checks.
    compared: tuple[tuple[str, Any], ...]

    def evaluate(self, values: Mapping[str, Any]) -> bool:
        """True when the condition holds; a missing answer is None."""
        return bool(_walk(self.tree.body, values))


def parse_condition(source: str) -> Condition:
    """Parse and check a condition; raise ConditionError with the reason."""
    if not isinstance(source, str) or not source.strip():
        raise ConditionError('the condition is empty; write e.g. has_well == "yes"')
    if len(source) > MAX_LENGTH:
        raise ConditionError(
            f"the condition is {len(source)} characters long, over {MAX_LENGTH}; "
            "split the question"
        )
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ConditionError(
            f"the condition is not a valid expression ({exc.msg}); write e.g. "
            'has_well == "yes" and buys_composite != "no"'
        ) from None
    names: set[str] = set()
    compared: list[tuple[str, Any]] = []
    _check(tree.body, names, compared, 0)
    return Condition(source, tree, frozenset(names), tuple(compared))


def _check(node: ast.AST, names: set[str], compared: list, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ConditionError(f"the condition nests deeper than {MAX_DEPTH} levels")
    if isinstance(node, ast.BoolOp):
        for value in node.values:
            _check(value, names, compared, depth + 1)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        _check(node.operand, names, compared, depth + 1)
    elif isinstance(node, ast.Compare):
        parts = [node.left, *node.comparators]
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise ConditionError(
                    f"the operator {type(op).__name__} is not allowed; use ==, !=, "
                    "<, <=, >, >=, in or not in"
                )
        for part in parts:
            _check(part, names, compared, depth + 1)
        for left, right in zip(parts, parts[1:], strict=False):
            for a, b in ((left, right), (right, left)):
                if isinstance(a, ast.Name) and a.id not in _LITERAL_NAMES:
                    for literal in _literals(b):
                        compared.append((a.id, literal))
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ConditionError(
                f'the name "{node.id}" starts with an underscore; conditions may '
                "only name questions"
            )
        if node.id not in _LITERAL_NAMES:
            names.add(node.id)
    elif isinstance(node, ast.Constant):
        if not isinstance(node.value, (str, int, float, bool, type(None))):
            raise ConditionError(f"the literal {node.value!r} is not allowed")
    elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        for element in node.elts:
            if not isinstance(element, ast.Constant):
                raise ConditionError("a list in a condition may only hold literals")
            _check(element, names, compared, depth + 1)
    elif isinstance(node, ast.Attribute):
        raise ConditionError(
            "attributes (a.b) are not allowed in conditions; compare a question id "
            "with a value"
        )
    elif isinstance(node, ast.Call):
        raise ConditionError(
            "calls (f(x)) are not allowed in conditions; compare a question id "
            "with a value"
        )
    elif isinstance(node, (ast.Subscript, ast.Slice)):
        raise ConditionError(
            "subscripts (a[b]) are not allowed in conditions; compare a question "
            "id with a value"
        )
    else:
        raise ConditionError(
            f"{type(node).__name__} is not allowed in conditions; use question "
            "ids, literals, comparisons, and, or, not"
        )


def _literals(node: ast.AST) -> list[Any]:
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant)]
    return []


def _walk(node: ast.AST, values: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.BoolOp):
        if isinstance(node.op, ast.And):
            return all(_walk(v, values) for v in node.values)
        return any(_walk(v, values) for v in node.values)
    if isinstance(node, ast.UnaryOp):
        return not _walk(node.operand, values)
    if isinstance(node, ast.Compare):
        left = _walk(node.left, values)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = _walk(right_node, values)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True
    if isinstance(node, ast.Name):
        if node.id in _LITERAL_NAMES:
            return _LITERAL_NAMES[node.id]
        return values.get(node.id)
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [_walk(e, values) for e in node.elts]
    raise ConditionError(f"{type(node).__name__} cannot be evaluated")  # unreachable
