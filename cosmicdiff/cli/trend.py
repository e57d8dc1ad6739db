"""The ``trend`` command: how harmonisation developed over saved JSON results.

Written as a self-contained HTML page (chart and tables), or the chart alone as SVG or PNG
for slides; the format comes from ``--format``, else the ``--output`` suffix, else HTML.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cosmicdiff.cli.choices import check_lang
from cosmicdiff.cli.common import current_run, err, is_tty
from cosmicdiff.cli.emit import write_stdout
from cosmicdiff.cli.paths import GLOB_HELP, expand_paths
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import ExitCode


class TrendChoice(StrEnum):
    """What ``trend`` writes."""

    HTML = "html"
    SVG = "svg"
    PNG = "png"


def trend(
    results: Annotated[
        list[Path],
        typer.Argument(
            metavar="RESULT",
            help="Saved JSON results of compare, oldest first (e.g. CI artefacts). " + GLOB_HELP,
            show_default=False,
            callback=expand_paths,
        ),
    ],
    fmt: Annotated[
        TrendChoice | None,
        typer.Option(
            "--format",
            "-f",
            help="html (page with chart and tables), svg or png (the chart, for slides). "
            "Default: from the --output suffix, else html.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write it here (atomically)."),
    ] = None,
    label: Annotated[
        list[str] | None,
        typer.Option(
            "--label",
            metavar="LABEL",
            help="Name of each result on the chart, one per result in the same order "
            "(default: its evaluation date).",
        ),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang", metavar="LANG", callback=check_lang, help="Language of the page: sv or en."
        ),
    ] = "sv",
) -> ExitCode:
    """Show how each region's score per case and the open deviations developed over time."""
    from cosmicdiff.parsers import display_path
    from cosmicdiff.reports.i18n import report_language
    from cosmicdiff.reports.trend_page import render_trend
    from cosmicdiff.result.json_io import load_result
    from cosmicdiff.workshop.trend import build_trend

    chosen = _format(fmt, output)
    if chosen is TrendChoice.PNG and output is None and is_tty():
        raise UsageError("a PNG is not written to a terminal; give --output FILE.png")
    _check_output(output, results)
    loaded = []
    for path in results:
        if not path.is_file():
            raise UsageError(f"{path}: result file not found")
        loaded.append((display_path(path), load_result(path, display_path(path))))
    series = build_trend(loaded, label or ())
    for sentence in series.differences:
        err(f"cosmicdiff: note: {sentence}")
    data = render_trend(series, report_language(lang), chosen.value)
    if output is None:  # a PNG as bytes, to a pipe or file
        write_stdout([data])
        return ExitCode.OK
    from cosmicdiff.io.output import write_atomic

    write_atomic(output, data)
    if not current_run().quiet:
        err(f"cosmicdiff: wrote {output}: {len(series.points)} results")
    return ExitCode.OK


def _format(fmt: TrendChoice | None, output: Path | None) -> TrendChoice:
    """Return the format: --format, else the output's suffix, else html."""
    if fmt is not None:
        return fmt
    if output is None:
        return TrendChoice.HTML
    suffix = output.suffix.lower().lstrip(".")
    if suffix == "htm":
        return TrendChoice.HTML
    try:
        return TrendChoice(suffix)
    except ValueError:
        raise UsageError(
            f"cannot tell the format from {output.name!r}; give --format html, svg or png"
        ) from None


def _check_output(output: Path | None, results: list[Path]) -> None:
    """Refuse an --output that is one of the results read."""
    if output is None:
        return
    from cosmicdiff.io.output_check import Output, check_outputs, run_inputs

    inputs = [i for path in results for i in run_inputs(result=path)]
    check_outputs([Output("--output", output)], inputs)
