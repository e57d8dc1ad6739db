"""The ``cosmicdiff waivers`` commands.

``waivers check FILE`` validates a waiver file; it warns about expired and unpinned
waivers. With ``--result RESULT.json`` (a saved compare result) it also evaluates every
waiver against that result's deviations: which no longer fit (mismatch), match nothing
(stale) or expired. It exits 2 when a waiver mismatches, and with ``--strict`` also when
one is unpinned, stale or expired. The logic lives in ``cosmicdiff.rules.waivers``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cosmicdiff.cli.common import err, parse_date
from cosmicdiff.cli.paths import GLOB_HELP, expand_path, posix
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import ExitCode

if TYPE_CHECKING:
    from cosmicdiff.result.parts import WaiverNote
    from cosmicdiff.rules.waivers import Waiver

HELP = "Work with waiver files."
_ORDER = {"mismatch": 0, "expired": 1, "stale": 2, "unpinned": 3}


def waivers_check(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="The waiver file to check. " + GLOB_HELP, callback=expand_path
        ),
    ],
    today: Annotated[
        str | None, typer.Option("--today", metavar="DATE", help="Date for expiry checks.")
    ] = None,
    result_file: Annotated[
        Path | None,
        typer.Option(
            "--result",
            metavar="RESULT",
            help="A JSON result written by compare: evaluate every waiver against its "
            "deviations (mismatch, stale, expired).",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Also fail (exit 2) on unpinned, stale and expired waivers."),
    ] = False,
) -> ExitCode:
    """Validate a waiver file; with --result, check each waiver against a saved result.

    Exit 0, or 2 with file:line when the file is invalid, a waiver no longer fits the value
    it accepted (with --result), or with --strict a waiver is unpinned, stale or expired.
    """
    from cosmicdiff.parsers import display_path
    from cosmicdiff.rules.waivers import load_waivers

    if not file.is_file():
        raise UsageError(f"{posix(file)}: waiver file not found")
    display = display_path(file)
    waivers = load_waivers(file, display)
    day = parse_date(today)
    if result_file is None:
        notes = _file_notes(waivers, day)
        against, elsewhere = "", 0
    else:
        notes, elsewhere = _result_notes(waivers, result_file, day)
        against = f" against {display_path(result_file)}"
    from cosmicdiff.rules.waivers import describe

    for note in sorted(notes, key=lambda n: (n.line or 0, _ORDER[n.status])):
        err(f"{note.path}:{note.line}: {describe(note)}")
    count = {s: len({n.waiver for n in notes if n.status == s}) for s in _ORDER}
    summary = f"{len(waivers)} waiver(s), "
    if result_file is not None:
        summary += f"checked{against}: {count['mismatch']} no longer fit, {count['stale']} stale, "
    summary += f"{count['expired']} expired, {count['unpinned']} unpinned"
    if elsewhere:
        summary += f", {elsewhere} for regions the result does not compare"
    failing = count["mismatch"] + (
        count["unpinned"] + count["stale"] + count["expired"] if strict else 0
    )
    if failing:
        err(f"cosmicdiff: {display}: {summary}" + (" (--strict)" if strict else ""))
        return ExitCode.INPUT
    typer.echo(f"ok: {display}: {summary}")
    return ExitCode.OK


def _file_notes(waivers: list[Waiver], day: dt.date) -> list[WaiverNote]:
    """Return what the file alone tells: expired and unpinned waivers."""
    from cosmicdiff.rules.waivers import apply_waivers

    _, notes = apply_waivers([], waivers, day, {w.region for w in waivers})
    return [n for n in notes if n.status != "stale"]  # without deviations all would be stale


def _result_notes(
    waivers: list[Waiver], result_file: Path, day: dt.date
) -> tuple[list[WaiverNote], int]:
    """Evaluate the waivers against a saved result's deviations, as compare would.

    Return the notes and how many waivers name a region the result does not compare (for
    those, only what the file tells is checked).
    """

    from cosmicdiff.parsers import display_path
    from cosmicdiff.result.json_io import load_result
    from cosmicdiff.rules.waivers import apply_waivers

    if not result_file.is_file():
        raise UsageError(f"{posix(result_file)}: result file not found")
    result = load_result(result_file, display_path(result_file))
    regions = {r.id for r in result.regions if r.compared}
    fresh = [f._replace(waiver=None) for f in result.deviations]
    _, notes = apply_waivers(fresh, waivers, day, regions)
    others = [w for w in waivers if w.region not in regions]
    return notes + _file_notes(others, day), len(others)
