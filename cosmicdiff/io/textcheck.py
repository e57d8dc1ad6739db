"""Limits every reader of structured text (YAML, JSON, TOML) applies the same way.

* :data:`MAX_NESTING`: no cosmicdiff file needs more levels of nested lists and mappings;
  a deeper document is refused with its line instead of exhausting Python's recursion;
* lone surrogates: an escape such as ``"\\ud800"`` (legal JSON and YAML syntax) stands for
  half a UTF-16 pair, not a character; such text cannot be written to any report, so it
  is refused where it is read. A complete escaped pair (``"\\ud83d\\ude00"``) is joined into
  the character it encodes.
"""

from __future__ import annotations

import re

#: How many levels of nested lists and mappings a YAML, JSON or TOML document may have.
MAX_NESTING = 100

_SURROGATE = re.compile("[\ud800-\udfff]")
_PAIR_OR_LONE = re.compile("[\ud800-\udbff][\udc00-\udfff]|([\ud800-\udfff])")


def join_surrogates(text: str) -> tuple[str, int | None]:
    """Return ``text`` with surrogate pairs joined, and the first lone surrogate's code.

    The code is None when there is no lone surrogate; the text is then safe to encode.
    """
    if _SURROGATE.search(text) is None:
        return text, None
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le"), None
    except UnicodeDecodeError:
        lone = next(m.group(1) for m in _PAIR_OR_LONE.finditer(text) if m.group(1))
        return text, ord(lone)
