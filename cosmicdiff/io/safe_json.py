"""A JSON reader that keeps lines and refuses what would surprise a user, with file:line.

Every JSON file cosmicdiff reads (FHIR resources, term catalogues, saved results) goes
through :func:`parse_json`:

* every object is a :class:`JsonObject` that knows the line its ``{`` is on;
* a key twice in one object is an error (``json`` would silently keep the last one);
* nesting deeper than :data:`~cosmicdiff.io.textcheck.MAX_NESTING` levels is refused at the
  line it goes too deep (a ``[[[[…`` file 100 000 levels deep fails at once, not in
  Python's recursion);
* an integer longer than Python converts (``sys.get_int_max_str_digits()``, 4300 digits)
  and a lone surrogate escape (``"\\ud800"``: half a character, which no report can
  write) are refused at their line;
* a file that is not UTF-8 is refused at the line of the first byte that is not.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cosmicdiff.errors import ExportError, excerpt
from cosmicdiff.io.textcheck import MAX_NESTING

__all__ = ["JsonObject", "parse_json", "read_json"]


class JsonObject(dict[str, Any]):
    """A JSON object that remembers the 1-based line its ``{`` is on."""

    __slots__ = ("line",)

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        super().__init__(pairs)
        self.line = 0


# Everything up to the next bracket or brace outside a string, then that character.
# Possessive, so a match never backtracks.
_UP_TO_BRACKET = re.compile(r'(?:[^"{}\[\]]++|"(?:[^"\\]++|\\.)*+")*+([{}\[\]])')
_OPENERS = frozenset("{[")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|.)", re.DOTALL)


class _LongNumber(Exception):
    """An integer literal longer than Python converts."""

    def __init__(self, digits: str) -> None:
        super().__init__(digits)
        self.digits = digits


def _parse_int(literal: str) -> int:
    limit = sys.get_int_max_str_digits()
    if limit and len(literal.lstrip("-")) > limit:
        raise _LongNumber(literal)
    return int(literal)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _scan(text: str, display: str, objects: list[JsonObject]) -> None:
    """Give each object (in the order the parser closed them) the line of its ``{``, and
    refuse nesting deeper than the limit at its line."""
    open_lines: list[int] = []
    closed = iter(objects)
    line, last = 1, 0
    for m in _UP_TO_BRACKET.finditer(text):
        char = m.group(1)
        if char in _OPENERS:
            line += text.count("\n", last, m.start(1))
            last = m.start(1)
            open_lines.append(line)
            if len(open_lines) > MAX_NESTING:
                raise ExportError(
                    display, line, f"JSON nested deeper than {MAX_NESTING} levels is not allowed"
                )
            continue
        opened = open_lines.pop() if open_lines else line
        if char == "}":
            obj = next(closed, None)
            if obj is not None:
                obj.line = opened


def lone_surrogate_escape(text: str) -> tuple[int, int] | None:
    """Return the offset and code of the first ``\\uD800``–``\\uDFFF`` escape that is not
    half of a pair, or None. Backslashes stand only in strings, so the whole text is read."""
    if _SURROGATE_ESCAPE.search(text) is None:
        return None
    high: tuple[int, int, int] | None = None  # offset, end, code of an unpaired high half
    for m in _ESCAPE.finditer(text):
        code = int(m.group(1), 16) if m.group(1) else -1
        if high is not None:
            if 0xDC00 <= code <= 0xDFFF and m.start() == high[1]:
                high = None
                continue
            return high[0], high[2]
        if 0xD800 <= code <= 0xDBFF:
            high = (m.start(), m.end(), code)
        elif 0xDC00 <= code <= 0xDFFF:
            return m.start(), code
    return (high[0], high[2]) if high is not None else None


def _long_number_line(text: str, digits: str) -> int | None:
    """Return the line of the number literal ``digits`` (outside strings, as json read it)."""
    found = re.search(r"(?<![\w.\"])" + re.escape(digits) + r"(?![\w.])", text)
    return _line(text, found.start()) if found else None


def parse_json(text: str, display: str) -> Any:
    """Parse JSON text; every object is a ``JsonObject`` carrying its line."""
    if not text.strip():
        raise ExportError(display, None, "file is empty; expected JSON")
    objects: list[tuple[JsonObject, list[str]]] = []

    def hook(pairs: list[tuple[str, Any]]) -> JsonObject:
        obj = JsonObject(pairs)
        twice = (
            [k for k, n in Counter(k for k, _ in pairs).items() if n > 1]
            if len(obj) != len(pairs)
            else []
        )
        objects.append((obj, twice))
        return obj

    try:
        doc = json.loads(text, object_pairs_hook=hook, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise ExportError(
            display, exc.lineno, f"malformed JSON: {exc.msg} (column {exc.colno})"
        ) from None
    except _LongNumber as exc:
        limit = sys.get_int_max_str_digits()
        raise ExportError(
            display,
            _long_number_line(text, exc.digits),
            f"a number of {len(exc.digits.lstrip('-'))} digits is longer than "
            f"the {limit} digits allowed",
        ) from None
    except RecursionError:
        _scan(text, display, [])  # raises at the line the nesting goes too deep
        raise ExportError(display, None, "JSON is nested too deeply to read") from None
    _scan(text, display, [obj for obj, _ in objects])
    lone = lone_surrogate_escape(text)
    if lone is not None:
        raise ExportError(
            display,
            _line(text, lone[0]),
            f"\\u{lone[1]:04x} is a lone surrogate escape, not a character; "
            "write the character itself",
        )
    for obj, twice in objects:
        if twice:
            raise ExportError(
                display, obj.line, f"key {excerpt(twice[0])} appears twice in one object"
            )
    return doc


def read_json(path: Path, display: str) -> Any:
    """Parse a UTF-8 JSON file; every object is a ``JsonObject`` carrying its line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ExportError(display, line, "not UTF-8 text; save the JSON file as UTF-8") from None
    return parse_json(text, display)
