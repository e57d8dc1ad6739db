"""JSON: the contract of report-json.md (``cosmicdiff/result/1``).

Laid out for people and diffs as well as machines, and fast: every top-level key on its own
line, every element of a top-level list (deviations, regions, …) on a line of its own, each
written by the C JSON encoder. The output is deterministic.

Sample::

    {
      "schema": "cosmicdiff/result/1",
      "baseline": {"id": "espir", "name": "…", "version": "2026.1", …},
      "deviations": [
        {"id": "3f2a…", "region": "kalmar", "case": "psychiatry", "kind": "renamed", …},
        …
      ],
      …
    }
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from cosmicdiff.parallel import default_jobs, run_tasks
from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result import Deviation, Result

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))


def dumps_layout(doc: dict[str, Any]) -> str:
    """Return ``doc`` as JSON with one line per top-level key and per top-level list item.

    A top-level value may be an iterator: its items are encoded one at a time, so the
    whole document never exists as Python objects at once.
    """
    encode = _ENCODER.encode
    parts = ["{\n"]
    last = len(doc) - 1
    for i, (key, value) in enumerate(doc.items()):
        parts.append(f"  {encode(key)}: ")
        if isinstance(value, list | Iterator):
            body = ",\n".join("    " + encode(item) for item in value)
            parts.append(f"[\n{body}\n  ]" if body else "[]")
        elif isinstance(value, _Encoded):
            parts.append(f"[\n{value.text}\n  ]" if value.text else "[]")
        else:
            parts.append(encode(value))
        parts.append(",\n" if i < last else "\n")
    parts.append("}\n")
    return "".join(parts)


class _Encoded:
    """A top-level list already encoded (one item per line, indented)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


#: from this many deviations on, half of them are encoded in a forked worker
PARALLEL_FROM = 5000


def _encode_deviations(deviations: Sequence[Deviation]) -> _Encoded:
    """Encode the deviations, in two halves at once where a worker process is available."""
    encode = _ENCODER.encode

    def lines(part: Sequence[Deviation]) -> str:
        return ",\n".join("    " + encode(d.to_json()) for d in part)

    half = len(deviations) // 2
    halves = (deviations[:half], deviations[half:])
    jobs = 2 if len(deviations) >= PARALLEL_FROM and default_jobs() > 1 else 1
    outcomes = run_tasks([lambda: lines(halves[0]), lambda: lines(halves[1])], jobs)
    for ok, value in outcomes:
        if not ok:
            raise value
    return _Encoded(",\n".join(text for _, text in outcomes if text))


class JsonReporter(Reporter):
    """Write the Result as key-stable UTF-8 JSON."""

    media_type = "application/json"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the JSON document with a final newline."""
        doc = result.to_json(lazy=True)
        doc["deviations"] = _encode_deviations(result.deviations)
        return dumps_layout(doc)
