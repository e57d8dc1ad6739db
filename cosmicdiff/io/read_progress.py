"""How far the XML parser has read a large file, for a progress bar on the terminal.

A 200 MB export takes half a minute to read; a bar that advances once per export stands
still all that time. While :func:`reporting_bytes` is active (the command line sets it only
when it shows a bar), the XML readers of ``io/safe_xml.py`` hand lxml a
:class:`CountingReader` instead of the bytes, and it tells ``sink(display, done, total)``
every :data:`STEP` bytes or so. Outside it (tests, pipes, CI, library callers) nothing
changes: lxml reads the bytes directly.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, cast

#: sink(display, bytes parsed so far, file size)
BytesSink = Callable[[str, int, int], None]

#: files smaller than this are read without counting: they take a moment
MIN_BYTES = 4 << 20
#: about how many bytes pass between two reports (lxml reads in chunks of 32 KiB)
STEP = 1 << 20

_SINK: ContextVar[BytesSink | None] = ContextVar("cosmicdiff_bytes_sink", default=None)


@contextmanager
def reporting_bytes(sink: BytesSink) -> Iterator[None]:
    """Tell ``sink`` how far large XML files are read while the block runs."""
    token = _SINK.set(sink)
    try:
        yield
    finally:
        _SINK.reset(token)


class CountingReader:
    """Bytes in memory, read as a file, that report how far they have been read.

    Not a BytesIO: lxml would take a BytesIO's whole value at once (``getvalue``), unseen.
    """

    def __init__(self, data: bytes, display: str, sink: BytesSink) -> None:
        self._buffer = io.BytesIO(data)
        self._display = display
        self._sink = sink
        self._total = len(data)
        self._next = 0

    def read(self, size: int | None = -1, /) -> bytes:
        """Return up to ``size`` bytes, telling the sink when another step is done."""
        chunk = self._buffer.read(size)
        done = self._buffer.tell()
        if done >= self._next or not chunk:
            self._next = done + STEP
            self._sink(self._display, done, self._total)
        return chunk


def byte_stream(data: bytes, display: str) -> IO[bytes]:
    """Return what the XML parser reads ``data`` from: counted when a sink listens."""
    sink = _SINK.get()
    if sink is None or len(data) < MIN_BYTES:
        return io.BytesIO(data)
    return cast(IO[bytes], CountingReader(data, display, sink))  # read() is all lxml uses


def counting() -> bool:
    """Return True if a sink listens (the parser should read through :func:`byte_stream`)."""
    return _SINK.get() is not None
