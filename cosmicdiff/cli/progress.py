"""A progress bar on the terminal while exports are read (never in CI logs or pipes)."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class ProgressBar:
    """Show inputs read (baseline and regions) and the records per second so far."""

    def __init__(self, steps: int, color: bool) -> None:
        self._console = Console(stderr=True, no_color=not color, highlight=False)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=self._console,
            transient=True,
            # no refresh thread: compare forks its region workers only from a single thread
            auto_refresh=False,
        )
        self._task = self._progress.add_task("cosmicdiff", total=steps, rate="")
        self._records = 0
        self._started = time.monotonic()
        self._progress.start()

    def __call__(self, message: str, records: int) -> None:
        """Advance when an export has been read; otherwise show what is being done."""
        if records:
            self._records += records
            elapsed = max(time.monotonic() - self._started, 1e-6)
            self._progress.update(
                self._task, advance=1, rate=f"{self._records / elapsed:,.0f} records/s"
            )
        else:
            self._progress.update(self._task, description=message)
        self._progress.refresh()

    def close(self) -> None:
        """Remove the bar from the terminal."""
        self._progress.stop()
