"""A safe YAML loader that keeps line numbers and refuses what would surprise a user.

* ``SafeLoader`` only (no Python objects), and no anchors or aliases (a YAML bomb needs them);
* duplicate keys are errors (PyYAML would silently keep the last one);
* only ``true``/``false`` are booleans: ``no``, ``N`` or ``on`` stay strings, as a Swedish
  value list with a code ``N`` must not turn into ``False``; numbers stay text as written;
* every mapping and sequence remembers the line of each of its entries.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import yaml

from cosmicdiff.errors import ExportError


class LineDict(dict[Any, Any]):
    """A mapping with the line of itself and of each key."""

    line: int
    key_lines: dict[Any, int]

    def line_of(self, key: Any) -> int:
        """Return the line of ``key`` (or of the mapping when the key is absent)."""
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence with the line of itself and of each item."""

    line: int
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases, with strict booleans and line-carrying containers."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed", problem_mark=event.start_mark
            )
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem="anchors (&name) are not allowed", problem_mark=event.start_mark
            )
        return super().compose_node(parent, index)


# Numbers stay text as written: YAML 1.1 would read code 010 as 8 and version 2026.10 as
# 2026.1. Nothing in cosmicdiff's files is a number.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag not in (
        "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _child(loader: Any, node: yaml.Node) -> Any:
    """Construct a child node, refusing one that was constructed before (an alias)."""
    if node in loader.constructed_objects:
        raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed",
                                   problem_mark=node.start_mark)
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    if any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
        raise yaml.MarkedYAMLError(problem="merge keys (<<) are not allowed",
                                   problem_mark=node.start_mark)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = _child(loader, key_node)
        if not isinstance(key, str | int | bool | dt.date):
            raise yaml.MarkedYAMLError(
                problem="a key must be a plain value", problem_mark=key_node.start_mark
            )
        if key in out:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r} (first on line {out.key_lines[key]})",
                problem_mark=key_node.start_mark,
            )
        out[key] = _child(loader, value_node)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: Any, node: yaml.SequenceNode) -> LineList:
    out = LineList(_child(loader, child) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as exc:
        raise yaml.MarkedYAMLError(problem=f"{node.value!r} is not a valid date ({exc})",
                                   problem_mark=node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)

_FastLoader: Any = None
if hasattr(yaml, "CSafeLoader"):
    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same loader on libyaml: composing in C, aliases caught at construction.

        Only the happy path runs here; any error is reported by re-reading the file with
        the pure-Python loader, so messages do not depend on whether libyaml is installed.
        """

    _FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    _FastLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    _FastLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(path: Path, display: str) -> Any:
    """Parse a YAML file; return None for an empty document; raise ExportError on problems."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        raise ExportError(display, bad_line, "YAML files must be UTF-8") from None
    if _FastLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a SafeLoader
        except yaml.YAMLError:
            pass  # report it as the pure-Python loader words it
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise ExportError(display, line, f"invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise ExportError(display, None, f"invalid YAML: {exc}") from None


def line_of(container: Any, key: Any = None) -> int | None:
    """Return the best-known line for ``container[key]`` (or the container itself)."""
    if isinstance(container, LineDict):
        return container.line_of(key) if key is not None else container.line
    if isinstance(container, LineList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return None
