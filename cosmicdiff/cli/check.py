"""The ``validate`` command: every problem of exports and baselines, with file:line."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cosmicdiff.cli import options as o
from cosmicdiff.cli.common import current_run, err, run_settings, use_sheet
from cosmicdiff.cli.paths import GLOB_HELP, expand_paths, refuse_folder_of_regions
from cosmicdiff.cli.progress import reading_progress
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import ExitCode

if TYPE_CHECKING:
    from cosmicdiff.checks.validate import Checked


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="INPUT",
            help="Export or baseline folders or files (default: the baseline and regions of the "
            "settings file). " + GLOB_HELP,
            show_default=False,
            callback=expand_paths,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Treat warnings (a region's references to undefined ids) as problems."
        ),
    ] = False,
    sheet: o.Sheet = None,
) -> ExitCode:
    """Check exports and baselines; list every problem with file:line (exit 0 or 2).

    Problems are what would make compare refuse an input (exit 2). A region's reference to
    a keyword or value list it does not define is a warning: compare reports it as an
    unresolved_reference deviation.
    """
    from cosmicdiff.checks.validate import validate_paths
    from cosmicdiff.io.shipped import shipped_baselines

    use_sheet(sheet)
    paths = paths or _settings_paths()
    refuse_folder_of_regions(paths)
    names = shipped_baselines()
    shipped = [names[str(p)] if not p.exists() and str(p) in names else p for p in paths]
    with reading_progress(None) as bar:
        if bar is not None:
            bar("cosmicdiff validate", 0)
        checked_all = validate_paths(shipped)
    failed = 0
    for checked in checked_all:
        _show(checked)
        if checked.problems or (strict and checked.warnings):
            failed += 1
        elif not checked.problems:
            typer.echo(
                f"ok: {checked.summary()}"
                + (f" ({len(checked.warnings)} warning(s))" if checked.warnings else "")
            )
    if failed and not current_run().quiet:
        err(f"cosmicdiff: {failed} of {len(paths)} input(s) have problems")
    return ExitCode.INPUT if failed else ExitCode.OK


def _settings_paths() -> list[Path]:
    """Return the baseline and regions of the settings file; refuse when there are none."""
    from cosmicdiff.cli.settings import resolve_baseline

    s = run_settings()
    paths = ([resolve_baseline(s.baseline)] if s.baseline else []) + [Path(r) for r in s.regions]
    if not paths:
        raise UsageError(
            "nothing to validate: give paths, or set baseline and regions in cosmicdiff.toml"
        )
    return paths


def _show(checked: Checked) -> None:
    """Print an input's problems and warnings, one per line."""
    for p in checked.problems:
        typer.echo(str(p))
    for w in checked.warnings:
        where = w.path if w.line is None else f"{w.path}:{w.line}"
        typer.echo(f"{where}: warning: {w.message}" + (f" ({w.context})" if w.context else ""))
