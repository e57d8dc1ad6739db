"""A progress bar on the terminal while exports are read (never in CI logs or pipes).

One row counts the inputs read (baseline and regions) and the records per second so far; a
second row follows a large XML file by the bytes the parser has read (see
``io/read_progress.py``), so the bar does not stand still for half a minute on a 200 MB
export. The bar is shown only when standard error is a terminal, not with ``--quiet`` or
``--verbose``, and not when ``CI`` is set unless ``COSMICDIFF_PROGRESS=1`` forces it;
``COSMICDIFF_PROGRESS=0`` turns it off.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from cosmicdiff.cli.common import color, current_run


def wanted() -> bool:
    """Return True if a progress bar should be shown on standard error."""
    forced = os.environ.get("COSMICDIFF_PROGRESS", "").strip().lower()
    if forced in ("0", "no", "false", "never"):
        return False
    state = current_run()
    if state.quiet or state.verbose or not sys.stderr.isatty():
        return False
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return not in_ci or forced in ("1", "yes", "true", "always")


def _megabytes(n: int) -> str:
    return f"{n / 1e6:,.1f}"


class ProgressBar:
    """Show inputs read and the records per second; the bytes of a large file being read."""

    def __init__(self, steps: int | None, color: bool) -> None:
        self._console = Console(stderr=True, no_color=not color, highlight=False)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=self._console,
            transient=True,
            # no refresh thread: compare forks its region workers only from a single thread
            auto_refresh=False,
        )
        self._steps = steps
        self._done = 0
        self._task = self._progress.add_task(
            "cosmicdiff", total=steps, count=self._count(), rate=""
        )
        self._file: TaskID | None = None
        self._file_started = 0.0
        self._records = 0
        self._started = time.monotonic()
        #: forked region workers inherit the bar: only this process draws it
        self._pid = os.getpid()
        self._progress.start()

    def __call__(self, message: str, records: int) -> None:
        """Advance when an export has been read; otherwise show what is being done."""
        if os.getpid() != self._pid:
            return
        if records:
            self._records += records
            self._done += 1
            elapsed = max(time.monotonic() - self._started, 1e-6)
            self._progress.update(
                self._task,
                advance=1,
                count=self._count(),
                rate=f"{self._records / elapsed:,.0f} records/s",
            )
        else:
            self._progress.update(self._task, description=message)
        self._progress.refresh()

    def _count(self) -> str:
        return f"{self._done}/{self._steps}" if self._steps is not None else ""

    def bytes_read(self, display: str, done: int, total: int) -> None:
        """Follow one large file by the bytes the XML parser has read of it."""
        if os.getpid() != self._pid:
            return
        name = "  " + display.rstrip("/").rsplit("/", 1)[-1]  # the file's name: room for the bar
        if self._file is None:
            self._file_started = time.monotonic()
            self._file = self._progress.add_task(name, total=total, count="", rate="")
        elapsed = max(time.monotonic() - self._file_started, 1e-6)
        self._progress.update(
            self._file,
            description=name,
            total=total,
            completed=done,
            count=f"{_megabytes(done)}/{_megabytes(total)} MB",
            rate=f"{done / elapsed / 1e6:,.1f} MB/s",
        )
        if done >= total:
            self._progress.remove_task(self._file)
            self._file = None
        self._progress.refresh()

    def close(self) -> None:
        """Remove the bar from the terminal."""
        self._progress.stop()


@contextmanager
def reading_progress(steps: int | None) -> Iterator[ProgressBar | None]:
    """Show a :class:`ProgressBar` while the block reads (when :func:`wanted`), else None.

    ``steps``: how many inputs the block reads (None: not known, the first row only pulses).
    """
    if not wanted():
        yield None
        return
    from cosmicdiff.io.read_progress import reporting_bytes

    bar = ProgressBar(steps, color=color())
    try:
        with reporting_bytes(bar.bytes_read):
            yield bar
    finally:
        bar.close()
