"""JSON as cosmicdiff writes it: one msgspec encoder for every JSON output.

``ENCODER`` writes compact JSON (``{"a":1,"b":[2]}``) as UTF-8 bytes: text as it is (no
``\\u`` escapes for å, ä, ö; control characters escaped as JSON requires), keys in insertion
order, an enum as its value, a tuple as an array, and the result's scores (rounded to four
decimals) as Python's ``repr`` prints them. :func:`dumps_indented` gives the bytes of
``json.dumps(value, ensure_ascii=False, indent=2)`` for the reports people open in an editor
(SARIF, GitLab Code Quality, the JSON matrix), some ten times faster: the standard library
encodes indented JSON in Python, not in C.
"""

from __future__ import annotations

from typing import Any

import msgspec

#: the one JSON encoder of cosmicdiff's outputs (compact)
ENCODER = msgspec.json.Encoder()


def dumps_indented(value: Any) -> str:
    """Return ``value`` as JSON indented by two spaces, with a final newline."""
    return msgspec.json.format(ENCODER.encode(value), indent=2).decode("utf-8") + "\n"
