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


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that records lines, rejects aliases and duplicate keys."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlError(
                "YAML aliases (*name) are not allowed in rule files",
                event.start_mark.line + 1,
            )
        return super().compose_node(parent, index)

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


def _construct_map(loader: _LineLoader, node: MappingNode) -> dict[Any, Any]:
    return loader.construct_mapping(node, deep=True)


def _construct_seq(loader: _LineLoader, node: SequenceNode) -> list[Any]:
    return loader.construct_sequence(node, deep=True)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)

# YAML 1.1 reads yes/no/on/off as booleans; curators write `hypoxia: yes` and mean the word.
# Keep only true/false as booleans (the YAML 1.2 rule).
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


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
    """Parse YAML text with the line-recording safe loader."""
    loader = _LineLoader(text)
    try:
        return loader.get_single_data()
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
