"""Text where the export schema allows none: how it is quoted and where it stands.

The XML reader refuses text outside ``<display>`` and ``<description>`` (the XSD does too);
these helpers give its message a short excerpt and the line of the text itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: how every message about text where the schema allows none begins
STRAY_TEXT = "unexpected text "


def split_space(text: str) -> tuple[str, str]:
    """Return the white space before the first other character, and the rest."""
    rest = text.lstrip()
    return text[: len(text) - len(rest)], rest


def end_line(el: Any, tag_end_line: Callable[[Any], int] | None = None) -> int:
    """Return the line of an element's end tag (its subtree must still be there).

    libxml2 gives an element the line where its start tag ends; the end follows after the
    newlines of its text, of its last descendants and of their tails. ``tag_end_line``
    gives that line exactly where libxml2's 16 bits do not reach.
    """
    extra = 0
    while len(el):
        el = el[-1]
        extra += (el.tail or "").count("\n")
    line = tag_end_line(el) if tag_end_line is not None else int(el.sourceline or 0)
    return line + (el.text or "").count("\n") + extra
