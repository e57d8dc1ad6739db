"""The ``matrix`` command: the item x region matrix of each case, with consensus and outliers.

Built from a comparison or from a saved JSON result; written as text, JSON, HTML, CSV or an
Excel workbook (the formats of ``vocabulary.MATRIX_FORMATS``).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cosmicdiff.cli import options as o
from cosmicdiff.cli.choices import input_format_name, output_format
from cosmicdiff.cli.common import (
    check_outputs,
    color,
    current_run,
    err,
    is_tty,
    not_compared,
    parse_date,
    run_settings,
    use_sheet,
    width,
)
from cosmicdiff.cli.emit import choose_format
from cosmicdiff.cli.paths import posix, refuse_folder_of_regions
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import MATRIX_FORMATS, ExitCode, OutputFormat

if TYPE_CHECKING:
    from cosmicdiff.cli.settings import Settings
    from cosmicdiff.result.result import Result
    from cosmicdiff.workshop.matrix import Matrix


def matrix(
    regions: o.Regions = None,
    baseline: o.Baseline = None,
    from_result: Annotated[
        Path | None,
        typer.Option(
            "--from-result",
            metavar="RESULT",
            help="Build the matrix from a saved JSON result instead of comparing.",
        ),
    ] = None,
    case: o.Cases = None,
    fmt: o.MatrixFormat = None,
    output: o.Output = None,
    lang: o.Lang = None,
    show_all: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Text and HTML: show the items where every region follows the baseline too "
            "(JSON, CSV and XLSX always have every item).",
        ),
    ] = False,
    waivers: o.Waivers = None,
    today: o.Today = None,
    terminology: o.Terminology = None,
    sheet: o.Sheet = None,
) -> ExitCode:
    """The item x region matrix of each case, with the regions' consensus and outliers."""
    use_sheet(sheet)
    from cosmicdiff.cli.settings import Overrides, merge
    from cosmicdiff.reports.i18n import report_language
    from cosmicdiff.workshop.matrix import build_matrix

    s = merge(
        run_settings(),
        Overrides(lang=lang, baseline=baseline, regions=tuple(str(r) for r in regions or ())),
    )
    language = report_language(s.lang)
    if from_result is not None:
        if regions or baseline:
            raise UsageError("give either --from-result or --baseline and regions, not both")
        result = _load(from_result, output)
    else:
        result = _compare(s, case or (), waivers, today, output, tuple(terminology or ()))
    result = _only_cases(result, case or ())
    m = build_matrix(result, case or ())
    chosen = choose_format(output_format(fmt), output, MATRIX_FORMATS)
    if chosen is OutputFormat.XLSX and output is None:
        raise UsageError("a spreadsheet is not written to a terminal; give --output FILE.xlsx")
    data = _render(m, chosen, language, output, show_all)
    if output is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode())
    else:
        from cosmicdiff.io.output import write_atomic

        write_atomic(output, data)
        if not current_run().quiet:
            err(f"cosmicdiff: wrote {posix(output)}: {_row_counts(m)}")
    failed = [r for r in result.regions if not r.compared]
    for region in failed:
        err(f"{not_compared(region.id, region.source)}: not compared: {region.error}")
    # like compare: a region that could not be read is never a clean column
    return ExitCode.INPUT if failed else ExitCode.OK


def _load(from_result: Path, output: Path | None) -> Result:
    """Return a saved JSON result (refusing an --output that is the result itself)."""
    from cosmicdiff.parsers import display_path
    from cosmicdiff.result.json_io import load_result

    if not from_result.is_file():
        raise UsageError(f"{posix(from_result)}: result file not found")
    check_outputs([("--output", output)] if output else [], result=from_result)
    return load_result(from_result, display_path(from_result))


def _compare(
    s: Settings,
    cases: Sequence[str],
    waivers: Path | None,
    today: str | None,
    output: Path | None,
    terminology: tuple[Path, ...] = (),
) -> Result:
    """Compare the regions with the baseline, going on past a region that cannot be read."""
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.pipeline import CompareOptions
    from cosmicdiff.pipeline import compare as run_compare

    if not s.baseline or not s.regions:
        raise UsageError("give --baseline and regions (or --from-result RESULT.json)")
    options = CompareOptions(
        cases=tuple(cases),
        waivers=waivers or (Path(s.waivers) if s.waivers else None),
        today=parse_date(today),
        keep_going=True,
        lang=s.lang,
        input_format=input_format_name(s.input_format),
        baseline_format=input_format_name(s.baseline_format),
        terminology=terminology,
    )
    base_path = resolve_baseline(s.baseline)
    region_paths = [Path(r) for r in s.regions]
    refuse_folder_of_regions(region_paths)
    check_outputs(
        [("--output", output)] if output else [],
        settings=s.path,
        baseline=base_path,
        regions=region_paths,
        waivers=options.waivers,
    )
    return run_compare(base_path, region_paths, options)


def _only_cases(result: Result, cases: Sequence[str]) -> Result:
    """Return the result narrowed to ``cases`` (all of them when none is given)."""
    if not cases:
        return result
    import dataclasses

    result.select(cases=cases)  # refuses an unknown case
    # only narrow the cases: a deviation counts in every case of its item, and select()
    # would keep it only under its first
    return dataclasses.replace(result, cases=tuple(c for c in result.cases if c[0] in cases))


def _render(
    m: Matrix, fmt: OutputFormat, language: str, output: Path | None, show_all: bool
) -> str | bytes:
    """Return the matrix in ``fmt`` (text in colour and at its width on a terminal)."""
    from cosmicdiff.reports import matrix as mr

    if fmt is OutputFormat.JSON:
        return mr.render_json(m)
    if fmt is OutputFormat.CSV:
        return mr.render_csv(m, language)
    if fmt is OutputFormat.XLSX:
        return mr.render_xlsx(m, language)
    if fmt is OutputFormat.HTML:
        return mr.render_html(m, language, show_all=show_all)
    to_tty = output is None and is_tty()
    return mr.render_text(
        m, language, width=width(to_tty), color=to_tty and color(), show_all=show_all
    )


def _row_counts(m: Matrix) -> str:
    """Return how many rows the matrix has, and how many in each consensus class."""
    counts = m.counts()
    total = {
        k: sum(c[k] for c in counts.values()) for k in ("baseline", "regions", "outlier", "none")
    }
    return f"{len(m.rows)} rows; " + ", ".join(f"{v} {k}" for k, v in total.items())
