"""Run a comparison: load, match, diff, classify, waive, score -> Result.

This is the one place that strings the rooms together; each step lives in its own module.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cosmicdiff import __version__
from cosmicdiff.diff import diff_region
from cosmicdiff.errors import ConfigError, CosmicdiffError, InputErrors, Problem, UsageError
from cosmicdiff.integrity import REFERENCE_KINDS, check_baseline_cases, check_export
from cosmicdiff.match import match_region
from cosmicdiff.model import Baseline, Export, IdMapping
from cosmicdiff.parallel import default_jobs, run_tasks, worker_count
from cosmicdiff.parsers import display_path, load_baseline, load_export
from cosmicdiff.parsers.folder import folder_file
from cosmicdiff.result import (
    BaselineItem,
    Deviation,
    RegionInfo,
    Result,
    Score,
    Severity,
    TemplateOutline,
    make_outline_item,
    replace_deviation,
)
from cosmicdiff.rules import RuleContext, rule_for
from cosmicdiff.rules.config import RuleSettings, load_rule_settings
from cosmicdiff.rules.waivers import Waiver, apply_waivers, load_waivers
from cosmicdiff.scope import Scope, build_scope


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


#: progress(message, records): a step starts (records 0) or an export was read (its records)
Progress = Callable[[str, int], None]


def load_checked_baseline(path: Path, fmt: str | None = None, lang: str = "sv") -> Baseline:
    """Load a baseline and refuse it if it has any integrity problem."""
    baseline = load_baseline(path, fmt=fmt, lang=lang)
    problems = [i.problem for i in check_export(baseline.export)]
    problems += check_baseline_cases(baseline)
    if problems:
        raise InputErrors(problems)
    return baseline


def load_checked_region(path: Path, fmt: str | None = None, lang: str = "sv") -> Export:
    """Load a region export and refuse it if it is unusable (dangling refs are findings)."""
    export = load_export(path, fmt=fmt, lang=lang)
    problems = [i.problem for i in check_export(export) if i.kind not in REFERENCE_KINDS]
    if problems:
        raise InputErrors(problems)
    return export


def pair_single_artefacts(region: Export, baseline: Baseline) -> Export:
    """Pair the one artefact of each side when a single-file baseline meets a single file.

    Comparing two files that each hold one template (two versions of an openEHR template,
    two forms with the same purpose) or one value list (two releases of a value set) is
    asking to compare those two, whatever their ids: they are paired as if a mapping file
    said so. Anything the region's own mapping file says comes first.
    """
    if not any(c.catalogue for c in baseline.cases) or not region.mapping.is_empty():
        return region
    base = baseline.export
    if len(base.templates) == 1 and len(region.templates) == 1:
        (bid,), (lid,) = base.templates, region.templates
        if bid != lid:
            return replace(region, mapping=IdMapping(
                templates={lid: bid}, path=f"{region.source} (one template on each side)"))
    elif not base.templates and not region.templates \
            and len(base.value_lists) == 1 and len(region.value_lists) == 1:
        (bid,), (lid,) = base.value_lists, region.value_lists
        if bid != lid:
            return replace(region, mapping=IdMapping(
                value_lists={lid: bid}, path=f"{region.source} (one value list on each side)"))
    return region


def load_baseline_config(baseline: Baseline, folder: Path,
                         waivers: Path | None = None) -> tuple[RuleSettings, list[Waiver]]:
    """Read what a baseline folder configures: its rules.yaml and its waivers.

    The waivers come from ``waivers`` when given, else from the folder's waivers.yaml.
    compare and validate both read them here, so validate refuses whatever compare would;
    the problems of both files are raised together.
    """
    problems: list[Problem] = []
    settings, found = RuleSettings(), []
    # the folder's own files: a link to outside the folder is not read (scan_folder notes it);
    # a --waivers file given on the command line is read wherever it points
    rules_file = folder_file(folder, "rules.yaml") if folder.is_dir() else None
    waiver_file = waivers if waivers is not None else \
        folder_file(folder, "waivers.yaml") if folder.is_dir() else None
    if waivers is not None and not waivers.is_file():
        raise UsageError(f"{waivers}: waiver file not found")
    if rules_file is not None:
        shown = display_path(rules_file)
        try:
            settings = load_rule_settings(rules_file, shown, {c.id for c in baseline.cases})
        except ConfigError as exc:
            problems.append(_problem(exc, shown))
    if waiver_file is not None and waiver_file.is_file():
        shown = display_path(waiver_file)
        try:
            found = load_waivers(waiver_file, shown)
        except ConfigError as exc:
            problems.append(_problem(exc, shown))
    if problems:
        raise InputErrors(problems)
    return settings, found


def _problem(exc: ConfigError, shown: str) -> Problem:
    """Return a config file's error (``file[:line]: message``) as a Problem of that file."""
    text = exc.message
    if text.startswith(shown + ":"):
        rest = text[len(shown) + 1:]
        line, sep, message = rest.partition(": ")
        if sep and line.isdigit():
            return Problem(shown, int(line), message)
        return Problem(shown, None, rest.lstrip())
    return Problem(shown, None, text)


def classify(raw: list[Deviation], settings: RuleSettings) -> tuple[list[Deviation], int]:
    """Give each deviation its rule, severity and message; drop expected differences."""
    ctx = RuleContext(policy=settings.policy)
    out: list[Deviation] = []
    suppressed = 0
    rules: dict[type, object] = {}
    for d in raw:
        rule_cls = rule_for(d)
        rule = rules.setdefault(rule_cls, rule_cls())
        d = rule.evaluate(d, ctx)  # type: ignore[attr-defined]
        if any(e.matches(d) for e in settings.expected):
            suppressed += 1
            continue
        ext = next((e for e in settings.extensions if e.matches(d)), None)
        if ext is not None:
            d = replace_deviation(d, severity=ext.severity, allowed=True)
        out.append(d)
    return out, suppressed


def baseline_items(baseline: Baseline, scope: Scope) -> list[BaselineItem]:
    """Return every baseline item in scope, in entity then id order."""
    base = baseline.export
    out: list[BaselineItem] = []
    for tid, cases in sorted(scope.templates.items()):
        out.append(BaselineItem(entity="template", id=tid, name=base.templates[tid].name,
                                cases=cases))
    for kid, cases in sorted(scope.keywords.items()):
        if kid in base.keywords:
            out.append(BaselineItem(entity="keyword", id=kid, name=base.keywords[kid].name,
                                    cases=cases))
    for vid, cases in sorted(scope.value_lists.items()):
        vl = base.value_lists.get(vid)
        if vl is None:
            continue
        out.append(BaselineItem(entity="valuelist", id=vid, name=vl.name, cases=cases))
        out.extend(BaselineItem(entity="value", id=f"{vid}#{v.code}", name=v.display,
                                cases=cases) for v in vl.values)
    for key, cases in sorted(scope.terms.items()):
        displays = base.terms[key].displays
        name = displays.get("sv") or next(iter(displays.values()), "")
        out.append(BaselineItem(entity="term", id=key, name=name, cases=cases))
    return out


def template_outlines(baseline: Baseline, scope: Scope) -> list[TemplateOutline]:
    """Return the baseline templates in scope, flattened, in case then baseline.yaml order."""
    base = baseline.export
    order: list[str] = [tid for c in baseline.cases for tid in c.templates]
    listed = set(order)
    order += sorted(t for t in scope.templates if t not in listed)
    out: list[TemplateOutline] = []
    keywords = base.keywords
    for tid in dict.fromkeys(order):
        if tid not in scope.templates:
            continue
        tpl = base.templates[tid]
        items = []
        for ancestors, item in tpl.walk():
            kw = keywords.get(item.keyword)
            path = "/".join([tid, *(a.keyword for a in ancestors), item.keyword])
            items.append(make_outline_item(len(ancestors), item.keyword, kw.name if kw else "",
                                           path, item.mandatory, item.repeatable))
        out.append(TemplateOutline(id=tid, name=tpl.name, note_type=tpl.note_type,
                                   version=tpl.version, cases=scope.templates[tid],
                                   items=tuple(items)))
    return out


def _units(items: Sequence[BaselineItem]) -> dict[str, list[tuple[str, str]]]:
    """Return per case every baseline item in scope as (entity, id)."""
    per_case: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        for c in item.cases:
            per_case[c].append((item.entity, item.id))
    return per_case


def score(deviations: Sequence[Deviation], units: dict[str, list[tuple[str, str]]],
          regions: Sequence[str], case_order: Sequence[str]) -> dict[str, dict[str, Score]]:
    """Return harmonisation scores per region and case, raw and after waivers."""
    hit_raw: dict[str, set[tuple[str, str]]] = defaultdict(set)
    hit: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for d in deviations:
        if d.allowed:
            continue
        hit_raw[d.region].update(d.units)
        if not d.waived:
            hit[d.region].update(d.units)
    out: dict[str, dict[str, Score]] = {}
    for region in regions:
        out[region] = {}
        for case in case_order:
            uniq = set(units.get(case, ()))
            out[region][case] = Score(items=len(uniq), clean_raw=len(uniq - hit_raw[region]),
                                      clean=len(uniq - hit[region]))
    return out


def compare(baseline_path: Path, region_paths: Sequence[Path], options: CompareOptions,
            progress: Progress | None = None) -> Result:
    """Compare each region with the baseline and return the classified Result.

    The cyclic garbage collector is paused meanwhile: the model is a large acyclic graph
    of small objects, and every collection would walk all of it again (at regional scale
    that costs a third of the run).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _compare(baseline_path, region_paths, options, progress)
    finally:
        if enabled:
            gc.enable()


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


@dataclass(frozen=True, slots=True)
class _RegionOutcome:
    """What comparing one region gives: its info, its classified deviations."""

    info: RegionInfo
    deviations: list[Deviation]
    suppressed: int
    records: int


def _compare_region(path: Path, baseline: Baseline, scope: Scope, settings: RuleSettings,
                    options: CompareOptions, flat_cache: dict[str, object]) -> _RegionOutcome:
    """Read one region export, match, diff and classify it (in a worker when there are several).

    ``flat_cache`` keeps the baseline templates flattened between regions compared in this
    process; a forked worker fills its own copy (sending it back would cost more).
    """
    region = load_checked_region(path, options.input_format, options.lang)
    region = pair_single_artefacts(region, baseline)
    result = diff_region(baseline, scope, region, match_region(region, baseline),
                         flat_cache)
    deviations, suppressed = classify(list(result.deviations), settings)
    info = RegionInfo(id=region.region, name=region.name, source=region.source,
                      exported=region.exported, cosmic_version=region.cosmic_version,
                      coverage=result.coverage, matches=result.matches,
                      formats=region.formats, notes=region.notes)
    return _RegionOutcome(info=info, deviations=deviations, suppressed=suppressed,
                          records=region.record_count())


def _compare(baseline_path: Path, region_paths: Sequence[Path], options: CompareOptions,
             progress: Progress | None = None) -> Result:
    say = progress or (lambda _msg, _n: None)
    say(f"loading baseline {display_path(baseline_path)}", 0)
    baseline = load_checked_baseline(baseline_path, options.baseline_format, options.lang)
    say(f"read baseline {baseline.id} {baseline.version}", baseline.export.record_count())
    settings, waivers = load_baseline_config(baseline, baseline_path, options.waivers)
    scope = build_scope(baseline, options.cases)
    jobs = options.jobs or default_jobs()
    if options.jobs is None and _input_bytes(region_paths) < WORKERS_FROM_BYTES:
        jobs = 1  # small exports: starting workers would cost more than it saves

    flat_cache: dict[str, object] = {}
    workers = worker_count(len(region_paths), jobs)

    def task(path: Path) -> Callable[[], _RegionOutcome]:
        def run() -> _RegionOutcome:
            if not workers:  # in this process: say what is being done
                say(f"comparing {display_path(path)}", 0)
            return _compare_region(path, baseline, scope, settings, options, flat_cache)
        return run

    items: list[BaselineItem] = []
    outlines: list[TemplateOutline] = []

    def baseline_side() -> None:  # done while the workers run (the parent is idle then)
        items.extend(baseline_items(baseline, scope))
        outlines.extend(template_outlines(baseline, scope))

    if workers:
        say(f"comparing {len(region_paths)} regions in {workers} worker processes", 0)
    outcomes = run_tasks([task(p) for p in region_paths], jobs, meanwhile=baseline_side,
                         stop_on_error=not options.keep_going)
    infos: list[RegionInfo] = []
    classified: list[Deviation] = []
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
                raise UsageError(f"region {info.id!r} is given twice: {seen[info.id]}"
                                 f" and {info.source}")
            seen[info.id] = info.source
        except CosmicdiffError as exc:
            if not options.keep_going:
                raise
            infos.append(RegionInfo(id=path.name, name=None, source=display_path(path),
                                    compared=False, error=exc.lines()[0]))
            continue
        infos.append(info)
        classified.extend(outcome.deviations)
        suppressed += outcome.suppressed
    compared = [i.id for i in infos if i.compared]
    waived, notes = apply_waivers(classified, waivers, options.today, set(compared))
    waived.sort(key=Deviation.sort_key)
    return Result(
        baseline_id=baseline.id, baseline_name=baseline.name, baseline_version=baseline.version,
        baseline_source=baseline.source, baseline_digest=baseline.digest,
        cases=tuple((c.id, c.name) for c in baseline.cases if c.id in scope.case_order),
        regions=tuple(infos), deviations=tuple(waived),
        scores=score(waived, _units(items), compared, scope.case_order), items=tuple(items),
        templates=tuple(outlines),
        waiver_notes=tuple(notes), expected_suppressed=suppressed, fail_on=options.fail_on,
        evaluated_on=options.today.isoformat(), tool_version=__version__,
        baseline_formats=baseline.export.formats, baseline_notes=baseline.export.notes)
