"""The ``compare`` command: region exports against the baseline, reported in any format.

Besides the report it says on stderr which regions could not be compared, what was read but
not used as it stands (input notes) and which waivers no longer fit or are unpinned.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cosmicdiff.cli import options as o
from cosmicdiff.cli.choices import (
    FailOn,
    MinSeverity,
    check_input_format,
    input_format_name,
    lang_tag,
    output_format,
)
from cosmicdiff.cli.common import (
    check_outputs,
    current_run,
    err,
    not_compared,
    parse_date,
    run_settings,
    say,
    use_sheet,
)
from cosmicdiff.cli.emit import choose_format, emit
from cosmicdiff.cli.paths import refuse_folder_of_regions
from cosmicdiff.cli.progress import reading_progress
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import REPORT_FORMATS, ExitCode, OutputFormat

if TYPE_CHECKING:
    from cosmicdiff.cli.settings import Settings
    from cosmicdiff.pipeline import CompareOptions, Progress
    from cosmicdiff.result.result import Result

#: how many input notes compare prints on stderr; all of them are in the JSON result
NOTES_SHOWN = 10
#: how many unpinned waivers compare names on stderr; all of them are in the JSON result
UNPINNED_SHOWN = 10


def compare(
    regions: o.Regions = None,
    baseline: o.Baseline = None,
    case: o.Cases = None,
    fmt: o.ReportFormat = None,
    output: o.Output = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(
            "--fail-on",
            help="Exit 1 if an unwaived deviation is at or above this severity [default: error].",
        ),
    ] = None,
    waivers: o.Waivers = None,
    lang: o.Lang = None,
    input_format: Annotated[
        str | None,
        typer.Option(
            "--input-format",
            metavar="FORMAT",
            callback=check_input_format,
            help="Format of the region files: auto (by extension and content) or one of "
            "`cosmicdiff formats` [default: auto].",
        ),
    ] = None,
    baseline_format: Annotated[
        str | None,
        typer.Option(
            "--baseline-format",
            metavar="FORMAT",
            callback=check_input_format,
            help="Format of the baseline's files [default: auto].",
        ),
    ] = None,
    terminology: o.Terminology = None,
    sheet: o.Sheet = None,
    min_severity: Annotated[
        MinSeverity | None,
        typer.Option(
            "--min-severity",
            help="Show only deviations at or above this severity in text, HTML, "
            "Markdown and PDF reports (machine formats stay complete).",
        ),
    ] = None,
    keep_going: Annotated[
        bool | None,
        typer.Option(
            "--keep-going/--no-keep-going",
            help="Compare the other regions when one cannot be read (exit 2).",
        ),
    ] = None,
    today: o.Today = None,
    reference: Annotated[
        Path | None,
        typer.Option(
            "--reference",
            metavar="RESULT",
            help="An earlier JSON result: mark each deviation new, unchanged or "
            "updated, list the resolved ones and the score changes.",
        ),
    ] = None,
    fail_on_new: Annotated[
        bool,
        typer.Option(
            "--fail-on-new",
            help="Gate only on deviations that are new or updated (the same "
            "item with another value or severity) since --reference (at or "
            "above --fail-on).",
        ),
    ] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            metavar="N",
            help="Regions compared at once, each in a worker process (Linux; the result is the "
            "same): 0 = automatic (workers from 1 MB of region files on, up to twice the CPU "
            "cores), 1 = all in this process. Default: COSMICDIFF_JOBS, else 0.",
        ),
    ] = 0,
) -> ExitCode:
    """Compare region exports with the baseline and report every deviation."""
    use_sheet(sheet)
    from cosmicdiff.cli.settings import Overrides, merge

    s = merge(
        run_settings(),
        Overrides(
            baseline=baseline,
            regions=tuple(str(r) for r in regions or ()),
            cases=tuple(case or ()),
            format=output_format(fmt),
            output=str(output) if output else None,
            fail_on=fail_on,
            lang=lang_tag(lang) if lang else None,
            input_format=input_format,
            baseline_format=baseline_format,
            waivers=str(waivers) if waivers else None,
            min_severity=min_severity,
            keep_going=keep_going,
        ),
    )
    baseline_name = _require_inputs(s)
    out = Path(s.output) if s.output else None
    chosen = choose_format(s.format, out, REPORT_FORMATS)
    s, merged = _without_the_main_report(s, chosen, out)
    options = _options(s, today, jobs, tuple(terminology or ()))
    if fail_on_new and reference is None:
        raise UsageError("--fail-on-new needs --reference PREVIOUS.json")
    result = _run(s, baseline_name, options, reference, fail_on_new)
    _report(result, s, chosen, out, mkdir=merged or not s.from_command_line("output"))
    return result.exit_code()


def _without_the_main_report(
    s: Settings, chosen: OutputFormat, out: Path | None
) -> tuple[Settings, bool]:
    """Return the settings without the ``[outputs]`` entry that is the main report itself.

    ``--output FILE`` in the format that the settings file's ``[outputs]`` writes to the same
    FILE (a CI line in a repository made by ``cosmicdiff init``) asks for one report: it is
    written once, its folder created as the settings file's would be (the True returned).
    Another format to that file is still two outputs in one file, refused by check_outputs.
    """
    from cosmicdiff.io.output_check import same_file

    target = s.outputs.get(chosen)
    if out is None or target is None or not s.from_command_line("output"):
        return s, False
    if not same_file(Path(target), out):
        return s, False
    outputs = {fmt: path for fmt, path in s.outputs.items() if fmt != chosen}
    return replace(s, outputs=outputs), True


def _require_inputs(s: Settings) -> str:
    """Return the baseline to compare with; refuse settings that leave nothing to compare."""
    if not s.baseline:
        raise UsageError(
            "no baseline: give --baseline DIR (or 'espir'), or set baseline in cosmicdiff.toml"
        )
    if not s.regions:
        raise UsageError(
            "no regions: give one or more region folders, or set regions in cosmicdiff.toml"
        )
    return s.baseline


def _options(
    s: Settings, today: str | None, jobs: int, terminology: tuple[Path, ...] = ()
) -> CompareOptions:
    """Return what the comparison is asked for besides its inputs."""
    from cosmicdiff.pipeline import CompareOptions

    return CompareOptions(
        cases=s.cases,
        fail_on=s.fail_on.severity,
        waivers=Path(s.waivers) if s.waivers else None,
        today=parse_date(today),
        keep_going=s.keep_going,
        input_format=input_format_name(s.input_format),
        baseline_format=input_format_name(s.baseline_format),
        lang=s.lang,
        jobs=jobs or None,
        terminology=terminology,
    )


def _run(
    s: Settings, baseline: str, options: CompareOptions, reference: Path | None, fail_on_new: bool
) -> Result:
    """Check the outputs against the inputs, compare, and mark the trend since --reference."""
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.pipeline import compare as run_compare

    region_paths = [Path(r) for r in s.regions]
    refuse_folder_of_regions(region_paths)
    base_path = resolve_baseline(baseline)
    label = "--output" if s.from_command_line("output") else "output"
    check_outputs(
        ([(label, Path(s.output))] if s.output else [])
        + [(f"[outputs] {name}", Path(path)) for name, path in sorted(s.outputs.items())],
        settings=s.path,
        baseline=base_path,
        regions=region_paths,
        waivers=options.waivers,
        reference=reference,
    )
    previous = None
    if reference is not None:
        from cosmicdiff.result.trend import load_reference

        previous = load_reference(reference)
    with reading_progress(1 + len(region_paths)) as bar:
        result = run_compare(base_path, region_paths, options, progress=_progress(bar))
    if reference is None or previous is None:
        return result
    from cosmicdiff.parsers import display_path
    from cosmicdiff.result.trend import apply_reference

    return apply_reference(result, previous, display_path(reference), fail_on_new)


def _progress(bar: Progress | None) -> Progress | None:
    """Return the progress callback: lines with --verbose, the bar on a terminal, else none."""
    if current_run().verbose:
        return lambda message, records: say(message + (f" ({records} records)" if records else ""))
    return bar


def _report(
    result: Result, s: Settings, chosen: OutputFormat, out: Path | None, *, mkdir: bool
) -> None:
    """Write the report and the settings file's [outputs]; say what else went wrong."""
    filters = [f"--case {c}" for c in s.cases]
    emit(
        result,
        chosen,
        out,
        s.lang,
        min_severity=s.min_severity,
        filters=filters,
        mkdir=mkdir,
    )
    for fmt, target in sorted(s.outputs.items()):
        emit(
            result,
            fmt,
            Path(target),
            s.lang,
            min_severity=s.min_severity,
            filters=filters,
            summary=False,
            mkdir=True,
        )
    for region in result.regions:
        if not region.compared:
            err(f"{not_compared(region.id, region.source)}: not compared: {region.error}")
    input_notes(result)
    waiver_warnings(result)


def input_notes(result: Result) -> None:
    """Say on stderr what was read but not used as it stands (all of it is in the JSON).

    First how many notes each source has, by kind; then the first ``NOTES_SHOWN`` notes.
    """
    sources = [(f"{result.baseline_id} (baseline)", result.baseline_notes)]
    sources += [(r.id, r.notes) for r in result.regions]
    notes = [n for _, group in sources for n in group]
    if not notes or current_run().quiet:
        return
    err(
        f"note: {len(notes)} input notes, read but not used as they stand (all of them are "
        "in the JSON result under input_notes):"
    )
    for label, group in sources:
        if group:
            kinds = Counter(n.kind for n in group)
            by_kind = ", ".join(f"{k.replace('_', ' ')} {kinds[k]}" for k in sorted(kinds))
            err(f"note:   {label}: {len(group)} ({by_kind})")
    for note in notes[:NOTES_SHOWN]:
        err(f"note: {note}")
    if len(notes) > NOTES_SHOWN:
        err(f"note: … and {len(notes) - NOTES_SHOWN} more input notes")


def waiver_warnings(result: Result) -> None:
    """Say on stderr which waivers no longer fit and which are unpinned."""
    from cosmicdiff.rules.waivers import describe

    if current_run().quiet:
        return
    unpinned = [n for n in result.waiver_notes if n.status == "unpinned"]
    for note in result.waiver_notes:
        if note.status == "mismatch":
            err(f"warning: {note.path}:{note.line}: {describe(note)}")
    for note in unpinned[:UNPINNED_SHOWN]:
        err(f"warning: {note.path}:{note.line}: {describe(note)}")
    if len(unpinned) > UNPINNED_SHOWN:
        err(
            f"warning: … and {len(unpinned) - UNPINNED_SHOWN} more unpinned waivers (all "
            "of them are in the JSON result under waivers; 'cosmicdiff waivers check' "
            "lists them)"
        )
