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
from pathlib import Path
from typing import Any

import yaml

MAX_DEPTH = 40
MAX_ALIASES = 1_000
MAX_NODES = 5_000_000


class LimitError(yaml.YAMLError):
    """A file beyond the limits; the message says which one."""


class TooLarge(Exception):
    """A file with more bytes than its reader's limit."""


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of a file, refused with TooLarge past `limit` bytes.

    The limit is counted while reading, not taken from the file's size: a
    device or a pipe (/dev/zero, a named pipe) has no size to look at first
    and could otherwise fill the memory. Raises OSError as open() does.
    """
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(path)
    return data


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
        self._open: set[str] = set()
        """Anchors of the lists and mappings being composed: an alias to one
        of them would make the document contain itself."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D102
        event = self.peek_event()
        opened = None
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise LimitError(
                    f"the file uses more than {MAX_ALIASES} YAML aliases (*name); "
                    "write the values out"
                )
            if event.anchor in self._open:
                mark = event.start_mark
                where = f"line {mark.line + 1}: " if mark is not None else ""
                raise LimitError(
                    f"{where}*{event.anchor} refers to the list or mapping it is "
                    "inside of; write the values out"
                )
        elif getattr(event, "anchor", None) is not None:
            opened = event.anchor
            if opened in self.anchors:
                first = self.anchors[opened].start_mark.line + 1
                mark = event.start_mark
                where = f"line {mark.line + 1}: " if mark is not None else ""
                raise LimitError(
                    f"{where}the anchor &{opened} is defined twice (first on line "
                    f"{first}); give each anchor its own name"
                )
            self._open.add(opened)
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
            if opened is not None:
                self._open.discard(opened)
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
    if not isinstance(node, yaml.MappingNode):
        raise LimitError(
            f"line {node.start_mark.line + 1}: the tag !!map stands on something "
            "that is not a mapping; remove the tag"
        )
    seen: set[Any] = set()
    for key_node, _ in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise LimitError(
                f"line {line}: a key must be a word or a number, not a list or a "
                "mapping; write the key as text"
            )
        key = loader.construct_object(key_node)
        if key is None:
            raise LimitError(f"line {line}: a key is empty (null or ~); give it a name")
        if key == "<<" and not key_node.style:  # plain, not quoted
            raise LimitError(
                f"line {line}: merge keys (<<) are not supported; write the keys out"
            )
        if isinstance(key, str) and key in seen:
            raise LimitError(
                f'line {line}: the key "{key}" appears twice in one mapping; keep one'
            )
        seen.add(key)
    return loader.construct_mapping(node)


def _scalar_as_text(loader: TextLoader, node: yaml.Node) -> str:
    """A scalar with an explicit tag (!!int, !!float, !!bool, !!timestamp):
    text like every other scalar, for our own rules to read."""
    if not isinstance(node, yaml.ScalarNode):
        raise LimitError(
            f"line {node.start_mark.line + 1}: the tag {node.tag} stands on a list "
            "or a mapping; remove the tag"
        )
    return str(loader.construct_scalar(node))


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
for _tag in ("int", "float", "bool", "timestamp", "binary"):
    TextLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _scalar_as_text)


def load_yaml(text: str) -> Any:
    """Parse YAML safely, every scalar as text; raises yaml.YAMLError."""
    return load_yaml_with_nodes(text)[0]


def compose_yaml(text: str) -> yaml.Node | None:
    """The YAML node tree (for line numbers), within the same limits."""
    return yaml.compose(text, Loader=TextLoader)


def load_yaml_with_nodes(text: str) -> tuple[Any, yaml.Node | None]:
    """The values of a YAML document and its node tree (for line numbers),
    read once; raises yaml.YAMLError."""
    loader = TextLoader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
        return value, node
    except RecursionError:
        raise LimitError(
            "the file refers to itself (an alias inside its own anchor) or nests too "
            "deeply to read; write the values out"
        ) from None
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        # A value PyYAML's constructors cannot make; say so, not a traceback.
        raise LimitError(
            f"a value cannot be read ({exc}); check the tags (!!...)"
        ) from None
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


def _whole_number(text: str) -> Any:
    if len(text.lstrip("-")) > 40:  # Python refuses ints past 4 300 digits
        raise ValueError(
            f"a number of {len(text)} digits ({text[:12]}...) is far beyond any "
            "quantity; check the file"
        )
    return int(text)


def load_json(text: str) -> Any:
    """Parse JSON; nesting beyond Python's recursion limit raises ValueError."""
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_int=_whole_number
        )
    except RecursionError:
        raise ValueError(
            "the file nests too deeply to read; no real data file does"
        ) from None
