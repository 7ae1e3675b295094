"""Safe YAML loading for rule files, remembering the line of every mapping key and list item.

Rule files may come from a site (``--rules DIR``), so they are untrusted: the loader is a
``SafeLoader`` subclass (no Python object tags), refuses aliases (a "billion laughs" file
would otherwise expand exponentially when validated), refuses duplicate keys (YAML would keep
the last one silently) and refuses files above a size limit before parsing anything.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_FILE_BYTES = 2_000_000  # one rule file; the whole built-in set is ~100 kB
MAX_FILES_PER_DIR = 200
MAX_DEPTH = 64  # rules nest a handful of levels; deeper input is hostile or broken


class YamlError(Exception):
    """A file that is not acceptable YAML; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class LineDict(dict[Any, Any]):
    """A mapping that knows the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A sequence that knows the line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


class _LineConstructor(yaml.constructor.SafeConstructor):
    """Builds LineDict/LineList from nodes, rejecting duplicate and non-scalar keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        self.flatten_mapping(node)
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise YamlError("mapping keys must be plain scalars", line)
            if key in result:
                raise YamlError(f"duplicate key {key!r}", line)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = line
        return result

    def construct_sequence(self, node: SequenceNode, deep: bool = False) -> list[Any]:
        result = LineList(
            self.construct_object(child, deep=True)
            for child in node.value
        )
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


def _construct_map(loader: _LineConstructor, node: MappingNode) -> dict[Any, Any]:
    return loader.construct_mapping(node, deep=True)


def _construct_seq(loader: _LineConstructor, node: SequenceNode) -> list[Any]:
    return loader.construct_sequence(node, deep=True)


_LineConstructor.add_constructor("tag:yaml.org,2002:map", _construct_map)  # type: ignore[type-var]
_LineConstructor.add_constructor("tag:yaml.org,2002:seq", _construct_seq)  # type: ignore[type-var]


class _WordResolver(yaml.resolver.Resolver):
    """YAML 1.1 reads yes/no/on/off as booleans; curators write `hypoxia: yes` and mean the
    word. Keep only true/false as booleans (the YAML 1.2 rule)."""


_WordResolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_WordResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _LineLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
                  yaml.composer.Composer, _LineConstructor, _WordResolver):
    """Pure-Python safe loader: records lines, rejects aliases as they are parsed."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _LineConstructor.__init__(self)
        _WordResolver.__init__(self)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlError(f"nested deeper than {MAX_DEPTH} levels",
                                self.peek_event().start_mark.line + 1)
            return self._compose_checked(parent, index)
        finally:
            self._depth -= 1

    def _compose_checked(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError(
                "YAML aliases (*name) are not allowed in rule files",
                event.start_mark.line + 1,
            )
        return super().compose_node(parent, index)


def _check_tree(root: Node | None) -> None:
    """Refuse aliases and deep nesting before anything recursive touches the tree.

    An alias makes libyaml reuse a node object, so a node met twice (walking in document
    order) is an alias; its own mark is the anchor's, so the line reported is where it is
    used. The walk is iterative: neither a "billion laughs" file nor 5,000 nested brackets
    can exhaust it.
    """
    seen: set[int] = set()
    stack: list[tuple[Node, int, int]] = []
    if root is not None:
        stack.append((root, 1, root.start_mark.line + 1))
    while stack:
        node, depth, line = stack.pop()
        if id(node) in seen:
            raise YamlError("YAML aliases (*name) are not allowed in rule files", line)
        if depth > MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", line)
        seen.add(id(node))
        children: list[tuple[Node, int, int]] = []
        if isinstance(node, MappingNode):
            for key, value in node.value:
                key_line = key.start_mark.line + 1
                children += [(key, depth + 1, key_line), (value, depth + 1, key_line)]
        elif isinstance(node, SequenceNode):
            children = [(n, depth + 1, n.start_mark.line + 1) for n in node.value]
        stack.extend(reversed(children))


def _c_loader_class() -> type | None:
    """libyaml's parser with the same constructor and resolver (about 9x faster), if built."""
    try:
        from yaml.cyaml import CParser  # type: ignore[attr-defined]
    except ImportError:  # PyYAML built without libyaml
        return None

    class _CLineLoader(CParser, _LineConstructor, _WordResolver):
        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _LineConstructor.__init__(self)
            _WordResolver.__init__(self)

    return _CLineLoader


_C_LOADER = _c_loader_class()


def load_yaml_file(path: Path) -> Any:
    """Parse one YAML file safely; raises ``YamlError`` with a line where possible."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlError(f"cannot read file: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise YamlError(f"file is {size} bytes, above the {MAX_FILE_BYTES}-byte limit")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise YamlError(f"cannot read file as UTF-8 text: {exc}") from exc
    return load_yaml_text(text)


def load_yaml_text(text: str) -> Any:
    """Parse YAML text with the line-recording safe loader (libyaml's parser when present)."""
    loader = _C_LOADER(text) if _C_LOADER is not None else _LineLoader(text)
    try:
        node = loader.get_single_node()
        _check_tree(node)
        return None if node is None else loader.construct_document(node)
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise YamlError(f"invalid YAML: {exc.problem or exc}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from exc
    finally:
        loader.dispose()


def line_of(data: Any, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest part of ``loc`` (a pydantic error location) found in ``data``."""
    line: int | None = getattr(data, "line", None)
    node = data
    for step in loc:
        if isinstance(node, LineDict) and step in node:
            line = node.key_lines.get(step, line)
            node = node[step]
        elif isinstance(node, LineList) and isinstance(step, int) and 0 <= step < len(node):
            line = node.item_lines[step]
            node = node[step]
        else:
            break
    return line


def plain(data: Any) -> Any:
    """Strip the line bookkeeping: plain dicts and lists, for hashing and dumping."""
    if isinstance(data, dict):
        return {key: plain(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain(value) for value in data]
    return data
