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
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result.result import Result

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": "))

#: top-level list items encoded per chunk when the document is streamed
CHUNK_ITEMS = 2000


def dumps_layout(doc: dict[str, Any]) -> str:
    """Return ``doc`` as JSON with one line per top-level key and per top-level list item."""
    return "".join(iter_layout(doc))


def iter_layout(doc: dict[str, Any]) -> Iterator[str]:
    """Yield ``doc`` as JSON text in chunks, laid out as :func:`dumps_layout` describes.

    A top-level value may be an iterator: its items are encoded a chunk at a time, so neither
    the whole document nor its text ever exists at once (a result at regional scale is
    ≈ 50 MB of JSON).
    """
    encode = _ENCODER.encode
    yield "{\n"
    last = len(doc) - 1
    for i, (key, value) in enumerate(doc.items()):
        yield f"  {encode(key)}: "
        if isinstance(value, list | Iterator):
            yield from _iter_list(value, encode)
        else:
            yield encode(value)
        yield ",\n" if i < last else "\n"
    yield "}\n"


def _iter_list(items: Iterable[Any], encode: Any) -> Iterator[str]:
    """Yield a top-level list, one item per line, a chunk of items at a time."""
    it = iter(items)
    first = True
    while chunk := list(islice(it, CHUNK_ITEMS)):
        body = ",\n".join(["    " + encode(item) for item in chunk])
        yield ("[\n" if first else ",\n") + body
        first = False
    yield "[]" if first else "\n  ]"


class JsonReporter(Reporter):
    """Write the Result as key-stable UTF-8 JSON."""

    media_type = "application/json"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the JSON document with a final newline."""
        return "".join(self.chunks(result, ctx))

    def chunks(self, result: Result, ctx: RenderContext) -> Iterator[str]:
        """Yield the JSON document in pieces (written to a file as they come)."""
        return iter_layout(result.to_json(lazy=True))
