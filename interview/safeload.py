"""YAML and JSON from users, read safely and within documented limits.

Question files and data files travel between advisors and companies, so they
are untrusted. YAML is read with a SafeLoader (no Python objects), every
scalar stays text (our own rules read numbers), and three limits refuse
files no real company produces: nesting deeper than MAX_DEPTH, more than
MAX_ALIASES aliases, and more than MAX_NODES nodes once aliases are expanded
(an "alias bomb" of a few lines expands to billions).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

MAX_DEPTH = 40
MAX_ALIASES = 1_000
MAX_NODES = 5_000_000


class LimitError(yaml.YAMLError):
    """A file beyond the limits; the message says which one."""


# libyaml's parser in C, where PyYAML was built with it (its wheels are): it
# reads a file many times faster than the parser in Python. The nodes are
# still composed in Python, below, so that the limits are counted.
_Parser: Any = getattr(yaml.cyaml, "CParser", None) if yaml.__with_libyaml__ else None
_BASES: tuple[type, ...] = (
    (
        yaml.composer.Composer,
        _Parser,
        yaml.constructor.SafeConstructor,
        yaml.resolver.Resolver,
    )
    if _Parser is not None
    else (yaml.SafeLoader,)
)


class TextLoader(*_BASES):  # type: ignore[misc]
    """Safe YAML where every scalar stays text, within the limits above."""

    def __init__(self, stream: Any) -> None:
        if _Parser is None:
            yaml.SafeLoader.__init__(self, stream)
        else:
            _Parser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
        self._depth = 0
        self._aliases = 0
        self._nodes = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise LimitError(
                    f"the file uses more than {MAX_ALIASES} YAML aliases (*name); "
                    "write the values out"
                )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise LimitError(
                f"the file nests deeper than {MAX_DEPTH} levels; no real question or "
                "data file does"
            )
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        # The size of a node once aliases are expanded: an alias counts as the
        # whole node it refers to.
        key = id(node)
        if key not in self._sizes:
            size = 1
            if isinstance(node, yaml.SequenceNode):
                size += sum(self._sizes.get(id(child), 1) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                size += sum(
                    self._sizes.get(id(k), 1) + self._sizes.get(id(v), 1)
                    for k, v in node.value
                )
            self._sizes[key] = size
            if parent is None and size > MAX_NODES:
                raise LimitError(
                    f"the file expands to more than {MAX_NODES:,} values; it is far "
                    "beyond any real company (an alias bomb?)"
                )
        else:
            self._nodes += self._sizes[key]
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise LimitError(
                f"the file expands to more than {MAX_NODES:,} values; it is far "
                "beyond any real company (an alias bomb?)"
            )
        return node


def _mapping_without_duplicates(loader: TextLoader, node: yaml.MappingNode) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if isinstance(key, str) and key in seen:
            raise LimitError(
                f'line {key_node.start_mark.line + 1}: the key "{key}" appears twice '
                "in one mapping; keep one"
            )
        seen.add(key)
    return loader.construct_mapping(node)


TextLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)

TextLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.copy().items()
}
TextLoader.yaml_constructors = {
    **yaml.SafeLoader.yaml_constructors,
    **TextLoader.yaml_constructors,
}


def load_yaml(text: str) -> Any:
    """Parse YAML safely, every scalar as text; raises yaml.YAMLError."""
    return yaml.load(text, Loader=TextLoader)  # noqa: S506 - a SafeLoader subclass


def compose_yaml(text: str) -> yaml.Node | None:
    """The YAML node tree (for line numbers), within the same limits."""
    return yaml.compose(text, Loader=TextLoader)


def load_yaml_with_nodes(text: str) -> tuple[Any, yaml.Node | None]:
    """The values of a YAML document and its node tree (for line numbers),
    read once; raises yaml.YAMLError."""
    loader = TextLoader(text)
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ValueError(
                    f'the key "{key}" appears twice in one object; keep one'
                )
            seen.add(key)
    return result


def load_json(text: str) -> Any:
    """Parse JSON; nesting beyond Python's recursion limit raises ValueError."""
    try:
        return json.loads(text, object_pairs_hook=_object_without_duplicates)
    except RecursionError:
        raise ValueError(
            "the file nests too deeply to read; no real data file does"
        ) from None
