"""A safe YAML loader that keeps line numbers and refuses what would surprise a user.

* ``SafeLoader`` only (no Python objects), and no anchors or aliases (a YAML bomb needs them);
* no explicit tags (``!!int x``, ``!!binary``, ``!foo``): a tag asks for a conversion that
  either fails inside PyYAML or turns text into something no reader expects (``!!str`` on a
  scalar is allowed: it is what every value is anyway);
* nesting deeper than :data:`MAX_NESTING` levels, control characters and lone surrogate
  escapes (``"\\ud800"``, not a character) are refused with the line they are on;
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

from cosmicdiff.errors import ExportError, excerpt, library_message
from cosmicdiff.io.textcheck import MAX_NESTING, join_surrogates


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


_STD = "tag:yaml.org,2002:"
#: The implicit tags a plain scalar may resolve to: numbers stay text as written (YAML 1.1
#: would read code 010 as 8 and version 2026.10 as 2026.1; nothing in cosmicdiff's files is a
#: number), and only true/false are booleans.
_IMPLICIT_RESOLVERS = {
    k: [(tag, rx) for tag, rx in v if tag in (_STD + "null", _STD + "timestamp", _STD + "merge")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
for _first in "tTfF":
    _IMPLICIT_RESOLVERS.setdefault(_first, []).append((_STD + "bool", _BOOL))


def _tag_name(tag: str) -> str:
    """Return a tag as it is written (``!!int`` for the YAML types), escaped and short."""
    shown = "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag
    return shown if len(shown) <= 40 and shown.isprintable() else excerpt(shown)


def _fail(problem: str, mark: Any) -> yaml.MarkedYAMLError:
    return yaml.MarkedYAMLError(problem=problem, problem_mark=mark)


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases or explicit tags, with a nesting limit, strict booleans
    and line-carrying containers."""

    yaml_implicit_resolvers = _IMPLICIT_RESOLVERS
    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            raise _fail("aliases (*name) are not allowed", event.start_mark)
        if getattr(event, "anchor", None):
            raise _fail("anchors (&name) are not allowed", event.start_mark)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not (
            tag == _STD + "str" and isinstance(event, yaml.ScalarEvent)
        ):
            raise _fail(f"explicit tags ({_tag_name(tag)}) are not allowed", event.start_mark)
        if self._depth >= MAX_NESTING:
            raise _fail(
                f"nesting deeper than {MAX_NESTING} levels is not allowed", event.start_mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _child(loader: Any, node: yaml.Node) -> Any:
    """Construct a child node, refusing an alias and nesting deeper than the limit.

    The pure-Python loader has refused both while composing; libyaml composes up to 1000
    levels, so the fast loader is held to the same limit here.
    """
    if node in loader.constructed_objects:
        raise _fail("aliases (*name) are not allowed", node.start_mark)
    depth = loader.__dict__.get("_building", 0) + 1
    if depth >= MAX_NESTING:
        raise _fail(f"nesting deeper than {MAX_NESTING} levels is not allowed", node.start_mark)
    loader._building = depth
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader._building = depth - 1


def _construct_str(loader: Any, node: yaml.ScalarNode) -> str:
    """Construct text, joining escaped surrogate pairs and refusing a lone surrogate."""
    value: str = loader.construct_scalar(node)
    joined, lone = join_surrogates(value)
    if lone is not None:
        raise _fail(
            f"\\u{lone:04x} is a lone surrogate escape, not a character; write the "
            "character itself",
            node.start_mark,
        )
    return joined


def _construct_mapping(loader: Any, node: yaml.MappingNode) -> LineDict:
    if any(k.tag == _STD + "merge" for k, _ in node.value):
        raise _fail("merge keys (<<) are not allowed", node.start_mark)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = _child(loader, key_node)
        if not isinstance(key, str | int | bool | dt.date):
            raise _fail("a key must be a plain value", key_node.start_mark)
        if key in out:
            raise _fail(
                f"duplicate key {excerpt(key)} (first on line {out.key_lines[key]})",
                key_node.start_mark,
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
        raise _fail(f"{excerpt(node.value)} is not a valid date ({exc})", node.start_mark) from None


#: What each kind of node becomes; a tag not listed here cannot be constructed.
_CONSTRUCTORS: dict[str, Any] = {
    "str": _construct_str,
    "bool": yaml.SafeLoader.construct_yaml_bool,
    "null": yaml.SafeLoader.construct_yaml_null,
    "timestamp": _construct_timestamp,
    "map": _construct_mapping,
    "seq": _construct_sequence,
}
_Loader.yaml_constructors = {
    None: yaml.SafeLoader.construct_undefined,
    **{_STD + k: f for k, f in _CONSTRUCTORS.items()},
}
_Loader.yaml_multi_constructors = {}


class _TextDatesLoader(_Loader):
    """The same, with dates left as text (a decisions file checks them row by row)."""


_TextDatesLoader.yaml_constructors = {
    **_Loader.yaml_constructors,
    _STD + "timestamp": _construct_str,
}

#: The tags the fast loader resolves implicit nodes to: a node written with an explicit
#: standard tag keeps the standard tag, for which the fast loader has no constructor, so
#: it fails and the pure-Python loader reports the tag.
_IMPLICIT = "tag:cosmicdiff,2026:implicit:"
_PRIVATE = {_STD + k: _IMPLICIT + k for k in _CONSTRUCTORS if k != "str"}

_FastLoader: Any = None
_FastTextDatesLoader: Any = None
if hasattr(yaml, "CSafeLoader"):

    class _FastLoader(yaml.CSafeLoader):  # type: ignore[no-redef]
        """The same loader on libyaml: composing in C, aliases caught at construction.

        Only the happy path runs here; any failure at all (an explicit tag, a lone surrogate,
        nesting past Python's recursion limit, an anchor …) is reported by re-reading the
        text with the pure-Python loader, so messages do not depend on whether libyaml is
        installed.
        """

        yaml_implicit_resolvers = _IMPLICIT_RESOLVERS

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            """Resolve as SafeLoader does, to the private tag of an implicit node."""
            tag: str = super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call]
            return _PRIVATE.get(tag, tag)

    _FastLoader.yaml_constructors = {
        None: yaml.SafeLoader.construct_undefined,
        _STD + "str": _construct_str,
        **{_IMPLICIT + k: f for k, f in _CONSTRUCTORS.items() if k != "str"},
    }
    _FastLoader.yaml_multi_constructors = {}

    class _FastTextDatesLoader(_FastLoader):  # type: ignore[no-redef,misc]
        """The fast loader with dates left as text."""

    _FastTextDatesLoader.yaml_constructors = {
        **_FastLoader.yaml_constructors,
        _IMPLICIT + "timestamp": _construct_str,
    }


def _reader_error(text: str, exc: yaml.reader.ReaderError) -> tuple[int | None, str]:
    """Return the line and the wording of a character the YAML reader refuses."""
    line = text.count("\n", 0, exc.position) + 1 if isinstance(exc.position, int) else None
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    kind = "control character" if code < 0x20 or 0x7F <= code <= 0x9F else "character"
    return line, f"invalid YAML: {kind} U+{code:04X} is not allowed in a YAML file"


def parse_yaml(text: str, display: str, *, dates_as_text: bool = False) -> Any:
    """Parse YAML text; return None for an empty document; raise ExportError with the line."""
    fast = _FastTextDatesLoader if dates_as_text else _FastLoader
    if fast is not None:
        try:
            return yaml.load(text, Loader=fast)  # noqa: S506 - a SafeLoader
        except Exception:  # noqa: BLE001, S110 - reported as the pure-Python loader words it
            pass
    loader = _TextDatesLoader if dates_as_text else _Loader
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.reader.ReaderError as exc:
        line, message = _reader_error(text, exc)
        raise ExportError(display, line, message) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = library_message(" ".join(str(p) for p in (exc.context, exc.problem) if p))
        raise ExportError(display, line, f"invalid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise ExportError(display, None, f"invalid YAML: {library_message(str(exc))}") from None
    except RecursionError:
        raise ExportError(display, None, "invalid YAML: nested too deeply to read") from None


def load_yaml(path: Path, display: str, *, dates_as_text: bool = False) -> Any:
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
    return parse_yaml(text, display, dates_as_text=dates_as_text)


def line_of(container: Any, key: Any = None) -> int | None:
    """Return the best-known line for ``container[key]`` (or the container itself)."""
    if isinstance(container, LineDict):
        return container.line_of(key) if key is not None else container.line
    if isinstance(container, LineList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return None
