"""What every command shares: the run's state, messages on stderr, dates, the terminal.

The root callback in ``cli.app`` starts a run with the global options (:func:`start_run`);
commands read them with :func:`current_run`. Nothing here decides an exit status: commands
return one and ``cli.app`` maps exceptions to theirs.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cosmicdiff.errors import UsageError

if TYPE_CHECKING:
    from cosmicdiff.cli.settings import Settings


def use_sheet(name: str | None) -> None:
    """Read keyword list workbooks' sheet ``name`` (None: the first visible) in this run."""
    from cosmicdiff.parsers.registry import XLSX_SHEET

    XLSX_SHEET.set(name)


@dataclass(frozen=True, kw_only=True, slots=True)
class RunState:
    """The global options of one run (``cosmicdiff [OPTIONS] COMMAND``)."""

    debug: bool = False
    config: Path | None = None
    no_config: bool = False
    quiet: bool = False
    verbose: bool = False


_RUN: ContextVar[RunState] = ContextVar("cosmicdiff_run")


def start_run(state: RunState) -> None:
    """Make ``state`` the current run's global options (the root callback does this)."""
    _RUN.set(state)
    use_sheet(None)  # a command with --sheet sets it; nothing carries over between runs


def current_run() -> RunState:
    """Return the current run's global options (the defaults outside a run)."""
    return _RUN.get(RunState())


def run_settings() -> Settings:
    """Return the settings file's values for this run (``--config``, ``--no-config``)."""
    from cosmicdiff.cli.settings import settings_of_run

    state = current_run()
    return settings_of_run(state.config, state.no_config)


def err(text: str) -> None:
    """Write one line on standard error."""
    from cosmicdiff.io.stdio import write_error

    write_error(text)


def say(message: str) -> None:
    """Tell on stderr what is being done, with ``--verbose`` only."""
    if current_run().verbose:
        err(f"cosmicdiff: {message}")


def not_compared(region: str, source: str) -> str:
    """Return how a region that could not be compared is named: its source, and its id
    when that is not the source's last part (``exports/2026-11 (region kalmar)``)."""
    return (
        source if source.rstrip("/").rsplit("/", 1)[-1] == region else f"{source} (region {region})"
    )


def parse_date(text: str | None) -> dt.date:
    """Return the ``--today`` date (today when not given); refuse what is not YYYY-MM-DD."""
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today {text!r} is not a date YYYY-MM-DD") from None


def is_tty() -> bool:
    """Return True if standard output is a terminal."""
    return sys.stdout.isatty()


def color() -> bool:
    """Return True if output to the terminal may be coloured (NO_COLOR, TERM=dumb)."""
    return is_tty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def width(tty: bool) -> int:
    """Return the width to render for: the terminal's (at least 80), else 100."""
    if tty:
        try:
            return max(80, os.get_terminal_size().columns)
        except OSError:
            return 100
    return 100


def check_outputs(
    outputs: Sequence[tuple[str, Path]],
    *,
    settings: Path | None = None,
    baseline: Path | None = None,
    regions: Sequence[Path] = (),
    waivers: Path | None = None,
    reference: Path | None = None,
    result: Path | None = None,
) -> None:
    """Refuse outputs that are inputs of the run (or one file twice) before anything is written.

    ``outputs`` are (how the user set it, path); the inputs are the run's files, as
    :func:`cosmicdiff.io.output_check.run_inputs` takes them.
    """
    if not outputs:
        return
    from cosmicdiff.io.output_check import Output, check_outputs, run_inputs

    inputs = run_inputs(
        settings=settings,
        baseline=baseline,
        regions=regions,
        waivers=waivers,
        reference=reference,
        result=result,
    )
    check_outputs([Output(label, path) for label, path in outputs], inputs)
