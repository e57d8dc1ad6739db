"""JSON: the contract of report-json.md (``cosmicdiff/result/1``).

Laid out for people and diffs as well as machines, and fast: every top-level key on its own
line, every element of a top-level list (deviations, regions, …) on a line of its own, each
encoded compactly by msgspec (``io/json_out.ENCODER``) and written as UTF-8 bytes. The
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

from collections.abc import Iterable, Iterator
from typing import Any

from cosmicdiff.io.json_out import ENCODER
from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result.result import Result

#: top-level list items encoded per chunk when the document is streamed
CHUNK_ITEMS = 2000

_ITEM_SEPARATOR = b",\n    "


def dumps_layout(doc: dict[str, Any]) -> str:
    """Return ``doc`` as JSON with one line per top-level key and per top-level list item."""
    return b"".join(iter_layout(doc)).decode("utf-8")


def iter_layout(doc: dict[str, Any]) -> Iterator[bytes]:
    """Yield ``doc`` as UTF-8 JSON in chunks, laid out as :func:`dumps_layout` describes.

    A top-level value may be an iterator: its items are encoded one by one as they come, so
    neither the whole document nor its text ever exists at once (a result at regional scale
    is ≈ 50 MB of JSON), and each item (a finding's record) is gone before the next is made.
    """
    encode = ENCODER.encode
    yield b"{\n"
    last = len(doc) - 1
    for i, (key, value) in enumerate(doc.items()):
        end = b",\n" if i < last else b"\n"
        head = b"  " + encode(key) + b": "
        if isinstance(value, list | Iterator):
            yield head
            yield from _iter_list(value)
            yield end
        else:
            yield head + encode(value) + end
    yield b"}\n"


def _iter_list(items: Iterable[Any]) -> Iterator[bytes]:
    """Yield a top-level list, one item per line, ``CHUNK_ITEMS`` items at a time."""
    encode_into = ENCODER.encode_into
    chunk = CHUNK_ITEMS
    buf = bytearray()
    n = 0
    for item in items:
        buf += _ITEM_SEPARATOR if n else b"[\n    "
        encode_into(item, buf, -1)  # appended at the end
        n += 1
        if n % chunk == 0:
            yield bytes(buf)
            buf.clear()
    buf += b"\n  ]" if n else b"[]"
    yield bytes(buf)


class JsonReporter(Reporter):
    """Write the Result as key-stable UTF-8 JSON."""

    media_type = "application/json"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the JSON document with a final newline."""
        return b"".join(self.chunks(result, ctx)).decode("utf-8")

    def chunks(self, result: Result, ctx: RenderContext) -> Iterator[bytes]:
        """Yield the JSON document in pieces of UTF-8 (written to a file as they come)."""
        return iter_layout(result.to_json(lazy=True))
