"""JSON: the contract of report-json.md (``cosmicdiff/result/1``).

Laid out for people and diffs as well as machines, and fast: every top-level key on its own
line, every element of a top-level list (deviations, regions, …) on a line of its own, each
encoded compactly by msgspec (``json_records.ENCODER``) and written as UTF-8 bytes. The
output is deterministic.

Sample::

    {
      "schema": "cosmicdiff/result/1",
      "baseline": {"id":"espir","name":"…","version":"2026.1",…},
      "deviations": [
        {"id":"3f2a…","region":"kalmar","case":"psychiatry","kind":"renamed",…},
        …
      ],
      …
    }
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result.json_records import ENCODER
from cosmicdiff.result.result import Result

#: top-level list items encoded per chunk when the document is streamed
CHUNK_ITEMS = 2000

_ITEM_SEPARATOR = b",\n    "


def dumps_layout(doc: dict[str, Any]) -> str:
    """Return ``doc`` as JSON with one line per top-level key and per top-level list item."""
    return b"".join(iter_layout(doc)).decode("utf-8")


def iter_layout(doc: dict[str, Any]) -> Iterator[bytes]:
    """Yield ``doc`` as UTF-8 JSON in chunks, laid out as :func:`dumps_layout` describes.

    A top-level value may be an iterator: its items are encoded a chunk at a time, so neither
    the whole document nor its text ever exists at once (a result at regional scale is
    ≈ 50 MB of JSON).
    """
    encode = ENCODER.encode
    yield b"{\n"
    last = len(doc) - 1
    for i, (key, value) in enumerate(doc.items()):
        end = b",\n" if i < last else b"\n"
        head = b"  " + encode(key) + b": "
        if isinstance(value, list | Iterator):
            yield head
            yield from _iter_list(value, encode)
            yield end
        else:
            yield head + encode(value) + end
    yield b"}\n"


def _iter_list(items: Iterable[Any], encode: Callable[[Any], bytes]) -> Iterator[bytes]:
    """Yield a top-level list, one item per line, a chunk of items at a time."""
    it = iter(items)
    first = True
    while chunk := list(islice(it, CHUNK_ITEMS)):
        yield (b"[\n    " if first else _ITEM_SEPARATOR) + _ITEM_SEPARATOR.join(map(encode, chunk))
        first = False
    yield b"[]" if first else b"\n  ]"


class JsonReporter(Reporter):
    """Write the Result as key-stable UTF-8 JSON."""

    media_type = "application/json"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the JSON document with a final newline."""
        return b"".join(self.chunks(result, ctx)).decode("utf-8")

    def chunks(self, result: Result, ctx: RenderContext) -> Iterator[bytes]:
        """Yield the JSON document in pieces of UTF-8 (written to a file as they come)."""
        return iter_layout(result.to_json(lazy=True))
