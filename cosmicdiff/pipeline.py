"""Run a comparison: load, match, diff, classify, waive, score -> Result.

This is the one place that strings the stages together; each step lives in its own module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cosmicdiff import __version__
from cosmicdiff.checks.integrity import REFERENCE_KINDS, check_baseline_cases, check_export
from cosmicdiff.diff import diff_region
from cosmicdiff.errors import CosmicdiffError, InputErrors, UsageError
from cosmicdiff.match.identity import match_region, prepare_baseline
from cosmicdiff.match.scope import Scope, build_scope
from cosmicdiff.match.single import pair_single_artefacts
from cosmicdiff.model import Baseline, Export
from cosmicdiff.parallel import default_jobs, run_tasks, worker_count
from cosmicdiff.parsers import display_path, load_baseline, load_export
from cosmicdiff.parsers.fhir.expand import expand_baseline_for, expand_value_sets
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.parts import (
    BaselineItem,
    RegionInfo,
    TemplateOutline,
)
from cosmicdiff.result.result import Result
from cosmicdiff.result.scores import _units, baseline_items, score, template_outlines
from cosmicdiff.rules.classify import classify
from cosmicdiff.rules.config import RuleSettings
from cosmicdiff.rules.few_shared import soften, unlike_pairs
from cosmicdiff.rules.files import load_baseline_config
from cosmicdiff.rules.waivers import apply_waivers
from cosmicdiff.vocabulary import Severity


@dataclass(frozen=True, kw_only=True, slots=True)
class CompareOptions:
    """What the user asked for besides the inputs."""

    cases: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.ERROR
    waivers: Path | None = None
    today: dt.date = field(default_factory=dt.date.today)
    keep_going: bool = False
    #: input formats (None: chosen per file by extension and content)
    input_format: str | None = None
    baseline_format: str | None = None
    #: the language whose labels are compared as names, where a format carries several
    lang: str = "sv"
    #: regions compared at once in forked workers (None: automatic, workers only for region
    #: input from 1 MB on, up to twice the cores; 1: no workers)
    jobs: int | None = None
    #: code systems and value sets that intensional value sets are expanded from
    #: (``--terminology``), besides those either side's inputs hold
    terminology: tuple[Path, ...] = ()


#: progress(message, records): a step starts (records 0) or an export was read (its records)
Progress = Callable[[str, int], None]


def load_terminology(paths: Sequence[Path], lang: str = "sv") -> tuple[Export, ...]:
    """Read the ``--terminology`` files (code systems, value sets), each expanded from all."""
    read = tuple(load_export(p, fmt=None, lang=lang, as_baseline=True) for p in paths)
    return tuple(expand_value_sets(t, read, final=False) for t in read)


def load_checked_baseline(
    path: Path, fmt: str | None = None, lang: str = "sv", terminology: Sequence[Export] = ()
) -> Baseline:
    """Load a baseline, expand its value sets, and refuse it if it has any integrity problem."""
    baseline = load_baseline(path, fmt=fmt, lang=lang)
    among = "the baseline's files or --terminology"
    baseline = replace(
        baseline, export=expand_value_sets(baseline.export, terminology, among=among)
    )
    problems = [i.problem for i in check_export(baseline.export)]
    problems += check_baseline_cases(baseline)
    if problems:
        raise InputErrors(problems)
    return baseline


def load_checked_region(
    path: Path, fmt: str | None = None, lang: str = "sv", sources: Sequence[Export] = ()
) -> Export:
    """Load a region export, expand its value sets (also from ``sources``: the baseline,
    ``--terminology``), and refuse it if it is unusable (dangling refs are findings)."""
    export = expand_value_sets(load_export(path, fmt=fmt, lang=lang), sources)
    problems = [i.problem for i in check_export(export) if i.kind not in REFERENCE_KINDS]
    if problems:
        raise InputErrors(problems)
    return export


def compare(
    baseline_path: Path,
    region_paths: Sequence[Path],
    options: CompareOptions,
    progress: Progress | None = None,
) -> Result:
    """Compare each region with the baseline and return the classified Result.

    The command line runs with the cyclic garbage collector paused (``cli.app``); a library
    caller decides for itself.
    """
    return _compare(baseline_path, region_paths, options, progress)


#: with less region input than this (bytes, all regions), compare stays in one process
#: unless --jobs asks for workers: the shipped examples (≈0.3 MB) run faster without them
WORKERS_FROM_BYTES = 1 << 20


def _input_bytes(paths: Sequence[Path]) -> int:
    """Return the size of the files under ``paths`` (unreadable entries count as 0)."""
    total = 0
    todo = list(paths)
    while todo:
        path = todo.pop()
        try:
            if path.is_dir():
                todo.extend(path.iterdir())
            else:
                total += path.stat().st_size
        except OSError:
            continue  # reported when the export is read
        if total >= WORKERS_FROM_BYTES:
            break
    return total


def _declared_id(path: Path) -> str:
    """Return the id a region that could not be compared is named by: the id of its
    region.yaml when that file can be read, else its folder's (or file's) name."""
    from cosmicdiff.parsers.cosmic.folder_yaml import read_region_yaml

    region_yaml = path / "region.yaml"
    if path.is_dir() and region_yaml.is_file():
        try:
            return read_region_yaml(region_yaml, display_path(region_yaml)).id
        except CosmicdiffError:
            pass  # the region's error says what is wrong with it
    return path.name


@dataclass(frozen=True, slots=True)
class _RegionOutcome:
    """What comparing one region gives: its info, its findings."""

    info: RegionInfo
    findings: list[Finding]
    suppressed: int
    records: int


def _compare_region(
    path: Path,
    baseline: Baseline,
    scope: Scope,
    settings: RuleSettings,
    options: CompareOptions,
    flat_cache: dict[str, object],
    terminology: tuple[Export, ...] = (),
) -> _RegionOutcome:
    """Read one region export, match, diff and classify it (in a worker when there are several).

    ``flat_cache`` keeps the baseline templates flattened between regions compared in this
    process; a forked worker fills its own copy (sending it back would cost more).
    """
    region = load_checked_region(
        path, options.input_format, options.lang, (baseline.export, *terminology)
    )
    before = baseline.export
    baseline, region = expand_baseline_for(baseline, region, terminology)
    if baseline.export is not before:
        scope = build_scope(baseline, options.cases)
    region = pair_single_artefacts(region, baseline)
    matches = match_region(region, baseline)
    result = diff_region(baseline, scope, region, matches, flat_cache)
    findings, suppressed = classify(result.deviations, settings)
    unlike = unlike_pairs(baseline, region, matches, flat_cache)
    if unlike:  # two different forms: their unshared items at info, one note per pair
        findings = soften(findings, unlike)
        region = replace(region, notes=(*region.notes, *(p.note() for p in unlike)))
    info = RegionInfo(
        id=region.region,
        name=region.name,
        source=region.source,
        exported=region.exported,
        cosmic_version=region.cosmic_version,
        coverage=result.coverage,
        matches=result.matches,
        formats=region.formats,
        notes=region.notes,
    )
    return _RegionOutcome(
        info=info, findings=findings, suppressed=suppressed, records=region.record_count()
    )


def _compare(
    baseline_path: Path,
    region_paths: Sequence[Path],
    options: CompareOptions,
    progress: Progress | None = None,
) -> Result:
    say = progress or (lambda _msg, _n: None)
    say(f"loading baseline {display_path(baseline_path)}", 0)
    terminology = load_terminology(options.terminology, options.lang)
    baseline = load_checked_baseline(
        baseline_path, options.baseline_format, options.lang, terminology
    )
    say(f"read baseline {baseline.id} {baseline.version}", baseline.export.record_count())
    settings, waivers = load_baseline_config(baseline, baseline_path, options.waivers)
    scope = build_scope(baseline, options.cases)
    prepare_baseline(baseline)
    jobs = options.jobs or default_jobs()
    if options.jobs is None and _input_bytes(region_paths) < WORKERS_FROM_BYTES:
        jobs = 1  # small exports: starting workers would cost more than it saves

    flat_cache: dict[str, object] = {}
    workers = worker_count(len(region_paths), jobs)

    def task(path: Path) -> Callable[[], _RegionOutcome]:
        def run() -> _RegionOutcome:
            if not workers:  # in this process: say what is being done
                say(f"comparing {display_path(path)}", 0)
            return _compare_region(
                path, baseline, scope, settings, options, flat_cache, terminology
            )

        return run

    items: list[BaselineItem] = []
    outlines: list[TemplateOutline] = []

    def baseline_side() -> None:  # done while the workers run (the parent is idle then)
        items.extend(baseline_items(baseline, scope))
        outlines.extend(template_outlines(baseline, scope))

    if workers:
        say(f"comparing {len(region_paths)} regions in {workers} worker processes", 0)
    outcomes = run_tasks(
        [task(p) for p in region_paths],
        jobs,
        meanwhile=baseline_side,
        stop_on_error=not options.keep_going,
    )
    infos: list[RegionInfo] = []
    classified: list[Finding] = []
    suppressed = 0
    seen: dict[str, str] = {}
    # outcomes is shorter when a region failed and the rest were not compared (no --keep-going)
    for path, (ok, outcome) in zip(region_paths, outcomes, strict=False):
        try:
            if not ok:
                raise outcome
            info = outcome.info
            say(f"read region {info.id}", outcome.records)
            if info.id in seen:
                raise UsageError(
                    f"region {info.id!r} is given twice: {seen[info.id]} and {info.source}"
                )
            seen[info.id] = info.source
        except CosmicdiffError as exc:
            if not options.keep_going:
                raise
            infos.append(
                RegionInfo(
                    id=_declared_id(path),
                    name=None,
                    source=display_path(path),
                    compared=False,
                    error=exc.lines()[0],
                )
            )
            continue
        infos.append(info)
        classified.extend(outcome.findings)
        suppressed += outcome.suppressed
    compared = [i.id for i in infos if i.compared]
    waived, notes = apply_waivers(classified, waivers, options.today, set(compared))
    waived.sort(key=Finding.sort_key)
    return Result(
        baseline_id=baseline.id,
        baseline_name=baseline.name,
        baseline_version=baseline.version,
        baseline_source=baseline.source,
        baseline_digest=baseline.digest,
        cases=tuple((c.id, c.name) for c in baseline.cases if c.id in scope.case_order),
        regions=tuple(infos),
        deviations=tuple(waived),
        scores=score(waived, _units(items), compared, scope.case_order),
        items=tuple(items),
        templates=tuple(outlines),
        waiver_notes=tuple(notes),
        expected_suppressed=suppressed,
        fail_on=options.fail_on,
        evaluated_on=options.today.isoformat(),
        tool_version=__version__,
        baseline_formats=baseline.export.formats,
        baseline_notes=baseline.export.notes,
    )
