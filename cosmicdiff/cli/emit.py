"""Choosing an output format and writing a rendered result (compare and report).

The report goes to ``--output`` (atomically) or standard output, the one-line human summary
to standard error.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from cosmicdiff.cli.choices import MinSeverity
from cosmicdiff.cli.common import color, current_run, err, is_tty, say, width
from cosmicdiff.cli.paths import posix, refuse_folder_output
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import Audience, OutputFormat, format_for_file

if TYPE_CHECKING:
    from cosmicdiff.result.result import Result


def choose_format(
    fmt: OutputFormat | None,
    output: Path | None,
    among: Sequence[OutputFormat],
    default: OutputFormat | None = None,
) -> OutputFormat:
    """Return the format asked for: ``--format``, else the ``--output`` file's name, else
    ``default`` (text on a terminal and json when piped, if not given).
    """
    shown = fmt or default or OutputFormat.JSON
    refuse_folder_output(output, "report" + (shown.traits.suffixes or (".txt",))[0])
    if fmt is not None:
        return fmt
    if output is not None:
        found = format_for_file(output.name, among)
        if found is None:
            raise UsageError(f"cannot tell the format from {output.name!r}; give --format")
        return found
    if default is not None:
        return default
    return OutputFormat.TEXT if is_tty() else OutputFormat.JSON


def people_view(
    result: Result,
    fmt: OutputFormat,
    *,
    min_severity: MinSeverity | None = None,
    regions: Sequence[str] = (),
    cases: Sequence[str] = (),
    filters: Sequence[str] = (),
) -> tuple[Result, list[str]]:
    """Return what a report in ``fmt`` shows, and the filters it names.

    Filters apply to reports for people only; machine formats stay complete.
    """
    notes = list(filters)
    if fmt.traits.audience is not Audience.PEOPLE or not (min_severity or regions or cases):
        return result, notes
    shown = result.select(
        cases=cases, regions=regions, min_severity=min_severity.severity if min_severity else None
    )
    notes += [f"--case {c}" for c in cases] + [f"--region {r}" for r in regions]
    if min_severity:
        notes.append(f"--min-severity {min_severity.value}")
    return shown, notes


def emit(
    result: Result,
    fmt: OutputFormat,
    output: Path | None,
    lang: str,
    *,
    min_severity: MinSeverity | None = None,
    regions: Sequence[str] = (),
    cases: Sequence[str] = (),
    filters: Sequence[str] = (),
    summary: bool = True,
    mkdir: bool = False,
) -> None:
    """Render ``result`` in ``fmt`` and write it to ``output`` or stdout.

    ``mkdir`` creates the output's folder (for outputs named in the settings file);
    ``summary`` says the counts on stderr (unless --quiet or text went to the terminal).
    """
    from cosmicdiff.reports import RenderContext, render_chunks
    from cosmicdiff.reports.i18n import report_language

    shown, notes = people_view(
        result, fmt, min_severity=min_severity, regions=regions, cases=cases, filters=filters
    )
    to_tty = output is None and is_tty()
    ctx = RenderContext(
        lang=report_language(lang),
        width=width(to_tty),
        color=to_tty and color(),
        filters=tuple(notes),
    )
    if fmt is OutputFormat.PDF and output is None and is_tty():
        raise UsageError("a PDF is not written to a terminal; give --output FILE.pdf")
    pieces = render_chunks(fmt, shown, ctx)
    if output is not None:
        _write_file(output, pieces, mkdir)
        say(f"wrote {fmt.value} report {posix(output)}")
    else:
        write_stdout(pieces)
    if summary and not current_run().quiet and (output is not None or fmt is not OutputFormat.TEXT):
        err(result_summary(result))


def _write_file(output: Path, pieces: Iterable[str | bytes], mkdir: bool) -> None:
    from cosmicdiff.io.output import write_atomic

    if mkdir:
        output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(output, pieces)


def write_stdout(pieces: Iterable[str | bytes]) -> None:
    """Write text and bytes to standard output, in order, and flush it."""
    for piece in pieces:
        if isinstance(piece, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(piece)
        else:
            sys.stdout.write(piece)
    sys.stdout.flush()


def result_summary(result: Result) -> str:
    """Return the one-line summary of a result: counts, gate, trend, exit status."""
    counts = result.counts()
    sev = counts["by_severity"]
    return (
        f"cosmicdiff: {counts['total']} deviations ({sev['error']} error, "
        f"{sev['warning']} warning, {sev['info']} info; {counts['waived']} waived); "
        f"{counts['gating']} at or above --fail-on {_fail_on(result)}"
        f"{' (new or updated ones only)' if result.fail_on_new else ''}"
        f"{_trend_summary(result)}; exit {int(result.exit_code())}"
    )


def _fail_on(result: Result) -> str:
    """Return the ``--fail-on`` level the result was gated at."""
    return result.fail_on.value if result.fail_on is not None else "never"


def _trend_summary(result: Result) -> str:
    if result.trend is None:
        return ""
    c = result.trend.counts(result)
    return (
        f"; since {result.trend.source}: {c['new']} new, {c['updated']} updated, "
        f"{c['unchanged']} unchanged, {c['resolved']} resolved"
    )
