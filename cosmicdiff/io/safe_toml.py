"""A TOML reader whose every refusal names the file and the line (settings files).

``tomllib`` reports syntax errors as ``message (at line N, column M)``, lets an integer
longer than Python converts escape as a ValueError, and recurses once per nested array or
inline table. Here every problem is an :class:`ExportError` with the line: a syntax error
(lone surrogate escapes and control characters included: tomllib refuses those itself),
an integer of more digits than ``sys.get_int_max_str_digits()``, and nesting deeper than
:data:`~cosmicdiff.io.textcheck.MAX_NESTING` levels.
"""

from __future__ import annotations

import re
import sys
import tomllib
from typing import Any

from cosmicdiff.errors import ExportError, library_message
from cosmicdiff.io.textcheck import MAX_NESTING

__all__ = ["parse_toml"]

# The tokens that matter for nesting and numbers; strings and comments are matched whole
# so that what they hold is skipped.
_TOKEN = re.compile(
    r'"""(?:[^\\]|\\.)*?"""'
    r"|'''.*?'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'[^'\n]*'"
    r"|#[^\n]*"
    r"|(?<![\w.:+-])[+-]?\d(?:_?\d)*(?![\w.:])"
    r"|[\[\]{}\n]",
    re.DOTALL,
)
_WHERE = re.compile(
    r"^(?P<msg>.*?)\s*\((?:at line (?P<line>\d+), column (?P<col>\d+)"
    r"|at end of document)\)$",
    re.DOTALL,
)


def _scan(text: str, display: str, long_numbers: bool) -> None:
    """Refuse nesting deeper than the limit (and, when asked, an over-long integer)."""
    limit = sys.get_int_max_str_digits()
    depth, line = 0, 1
    for m in _TOKEN.finditer(text):
        token = m.group()
        first = token[0]
        if first in "[{":
            depth += 1
            if depth > MAX_NESTING:
                raise ExportError(
                    display, line, f"TOML nested deeper than {MAX_NESTING} levels is not allowed"
                )
        elif first in "]}":
            depth = max(0, depth - 1)
        elif first.isdigit() or first in "+-":
            digits = len(token.lstrip("+-").replace("_", ""))
            if long_numbers and limit and digits > limit:
                raise ExportError(
                    display,
                    line,
                    f"a number of {digits} digits is longer than the {limit} digits allowed",
                )
        else:
            line += token.count("\n")


def parse_toml(text: str, display: str) -> dict[str, Any]:
    """Parse TOML text; raise ExportError with the line on any problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _WHERE.match(str(exc))
        if found is None:
            raise ExportError(display, None, f"invalid TOML: {library_message(str(exc))}") from None
        line = int(found["line"]) if found["line"] else text.count("\n") + 1
        column = f" (column {found['col']})" if found["col"] else " (at the end of the file)"
        raise ExportError(
            display, line, f"invalid TOML: {library_message(found['msg'])}{column}"
        ) from None
    except RecursionError:
        _scan(text, display, long_numbers=False)
        raise ExportError(display, None, "TOML is nested too deeply to read") from None
    except ValueError:  # only int() raises it: a number longer than Python converts
        _scan(text, display, long_numbers=True)
        raise ExportError(display, None, "a number is longer than Python converts") from None
    _scan(text, display, long_numbers=False)
    return data
