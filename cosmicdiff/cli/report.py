"""The ``report`` command: a saved JSON result rendered in any format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cosmicdiff.cli import options as o
from cosmicdiff.cli.choices import MinSeverity, ReportChoice, check_lang, lang_tag, output_format
from cosmicdiff.cli.common import check_outputs
from cosmicdiff.cli.emit import choose_format, emit
from cosmicdiff.vocabulary import REPORT_FORMATS, ExitCode, OutputFormat


def report(
    result_file: o.ResultFile,
    fmt: Annotated[
        ReportChoice | None,
        typer.Option(
            "--format",
            "-f",
            help="Report format. Default: from the --output suffix, else html.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report here (atomically)."),
    ] = None,
    lang: Annotated[
        str,
        typer.Option(
            "--lang",
            metavar="LANG",
            callback=check_lang,
            help="Language of the report: sv or en (other languages get English).",
        ),
    ] = "sv",
    case: Annotated[
        list[str] | None,
        typer.Option("--case", metavar="CASE", help="Show only this case (repeatable)."),
    ] = None,
    region: Annotated[
        list[str] | None,
        typer.Option("--region", metavar="REGION", help="Show only this region (repeatable)."),
    ] = None,
    min_severity: Annotated[
        MinSeverity | None,
        typer.Option("--min-severity", help="Show only deviations at or above this severity."),
    ] = None,
) -> ExitCode:
    """Render a saved JSON result in any format (html, markdown, pdf, text, …).

    The exit status is the saved result's (0, 1 or 2), so a CI job can gate on it too.
    """
    from cosmicdiff.parsers import display_path
    from cosmicdiff.result.json_io import load_result

    chosen = choose_format(output_format(fmt), output, REPORT_FORMATS, default=OutputFormat.HTML)
    check_outputs([("--output", output)] if output else [], result=result_file)
    result = load_result(result_file, display_path(result_file))
    emit(
        result,
        chosen,
        output,
        lang_tag(lang),
        min_severity=min_severity,
        regions=region or (),
        cases=case or (),
    )
    return result.exit_code()
