"""Arrange a Result for the people-facing reports (HTML, PDF, Markdown).

Everything here is pure: the same Result gives the same view. The view groups deviations
as a workshop reads them: one chapter per case, in it one section per baseline template
with the baseline and every region side by side, then the case's catalogue deviations
(keyword definitions, value lists, values, terms).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from cosmicdiff.model import InputNote
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.waiver_text import waiver_note_text
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.parts import RegionInfo, TemplateOutline, WaiverNote
from cosmicdiff.result.result import Result
from cosmicdiff.rules import find_rule
from cosmicdiff.vocabulary import Entity, Severity

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)
#: at most this many input notes per source, and resolved deviations, are listed (all: JSON)
NOTES_SHOWN = 50
RESOLVED_SHOWN = 50


def band(score: float) -> str:
    """Return the band of a harmonisation score, judged on the percentage as printed."""
    score = round(score * 100) / 100
    if score >= 0.95:
        return "good"
    if score >= 0.85:
        return "fair"
    return "poor"


@dataclass(slots=True)
class Cell:
    """A region's column in one row: its deviations (empty when it has the item as the baseline)."""

    region: str
    deviations: list[Finding] = field(default_factory=list)
    compared: bool = True

    @property
    def worst(self) -> str:
        """Return the CSS class of the worst unwaived severity ('same' when none)."""
        live = [d for d in self.deviations if not d.waived]
        if not self.deviations:
            return "same"
        if not live:
            return "waived"
        return max(live, key=lambda d: d.severity.rank).severity.value


@dataclass(slots=True)
class Row:
    """One line of a side-by-side table."""

    label: str
    ident: str
    depth: int = 0
    baseline: str = ""
    cells: list[Cell] = field(default_factory=list)
    kind: str = "item"  # item | template | extra | catalogue

    @property
    def expected(self) -> list[tuple[str, str]]:
        """Return the baseline's values the regions deviate from: (kind, value), distinct."""
        seen: dict[tuple[str, str], None] = {}
        for cell in self.cells:
            for d in cell.deviations:
                if d.expected is not None and d.kind.value not in ("missing", "extra"):
                    label = d.kind.value + (f":{d.field}" if d.field else "")
                    seen.setdefault((label, d.expected), None)
        return list(seen)

    @property
    def has_deviation(self) -> bool:
        """Return True if any region deviates on this row."""
        return any(c.deviations for c in self.cells)


@dataclass(slots=True)
class TemplateSection:
    """A baseline template with its rows."""

    outline: TemplateOutline
    rows: list[Row]
    deviation_count: int


@dataclass(slots=True)
class Chapter:
    """A case: its templates and its catalogue deviations."""

    id: str
    name: str
    templates: list[TemplateSection]
    catalogue: list[Row]
    counts: dict[str, int]


@dataclass(slots=True)
class MatrixCell:
    """Region x case overview cell."""

    counts: dict[str, int]
    score: float | None
    raw: float | None
    band: str


@dataclass(slots=True)
class NoteSource:
    """The input notes of one source (the baseline or a region), the first ``NOTES_SHOWN``."""

    label: str
    ident: str
    total: int
    #: (kind label, count), in the order of the kind names
    counts: list[tuple[str, int]]
    #: (kind label, note) of the notes shown, in the order they were read
    notes: list[tuple[str, InputNote]]
    more: int

    @property
    def summary(self) -> str:
        """Return the counts by kind as one line: 'kind: n, kind: n'."""
        return ", ".join(f"{label}: {n}" for label, n in self.counts)


@dataclass(slots=True)
class ScoreChange:
    """A region's harmonisation in one case then (in the reference) and now."""

    region: str
    case: str
    before: float | None
    after: float | None


@dataclass(slots=True)
class TrendView:
    """What changed since the reference result (compare --reference)."""

    source: str
    evaluated_on: str
    baseline_version: str
    fail_on_new: bool
    counts: dict[str, int]
    #: only the scores that changed (or that the reference does not have)
    scores: list[ScoreChange]
    #: the first ``RESOLVED_SHOWN`` resolved deviations, as the reference saved them
    resolved: list[Finding]
    more: int


@dataclass(slots=True)
class ReportView:
    """Everything a people-facing report template needs."""

    result: Result
    regions: list[RegionInfo]
    matrix: dict[str, dict[str, MatrixCell]]
    chapters: list[Chapter]
    rules: list[tuple[str, str, str, str]]
    totals: dict[str, int]
    filters: list[str]
    #: sources with at least one input note (the baseline first, then the regions)
    notes: list[NoteSource] = field(default_factory=list)
    trend: TrendView | None = None
    #: the waiver notes (expired, stale, mismatch, unpinned) with their sentences
    waivers: list[tuple[WaiverNote, str]] = field(default_factory=list)

    @property
    def note_total(self) -> int:
        """Return how many input notes all sources have."""
        return sum(s.total for s in self.notes)

    def region_label(self, region_id: str) -> str:
        """Return a region's name (its id when it has none or is not in the result)."""
        for r in self.regions:
            if r.id == region_id:
                return r.name or r.id
        return region_id

    def case_label(self, case_id: str | None) -> str:
        """Return a case's name (its id when the result does not have it, '' for none)."""
        if case_id is None:
            return ""
        return next((name for cid, name in self.result.cases if cid == case_id), case_id)


def _cells(regions: list[RegionInfo], devs: Iterable[Finding]) -> list[Cell]:
    by_region: dict[str, list[Finding]] = defaultdict(list)
    for d in devs:
        by_region[d.region].append(d)
    return [
        Cell(region=r.id, deviations=by_region.get(r.id, []), compared=r.compared) for r in regions
    ]


def _flags(mandatory: bool, repeatable: bool, t: Messages) -> str:
    flags = [t("flag.mandatory")] if mandatory else []
    if repeatable:
        flags.append(t("flag.repeatable"))
    return ", ".join(flags)


def _template_section(
    outline: TemplateOutline, devs: list[Finding], regions: list[RegionInfo], t: Messages
) -> TemplateSection:
    own = [d for d in devs if d.template == outline.id]
    header = [d for d in own if d.entity is Entity.TEMPLATE]
    by_keyword: dict[str, list[Finding]] = defaultdict(list)
    extras: dict[str, list[Finding]] = defaultdict(list)
    for d in own:
        if d.entity is Entity.TEMPLATE:
            continue
        if d.baseline_id is not None:
            by_keyword[d.baseline_id].append(d)
        else:
            extras[d.local_id or "?"].append(d)
    meta = [
        outline.note_type and f"{t('note_type')} {outline.note_type}",
        outline.version and f"{t('version')} {outline.version}",
    ]
    rows = [
        Row(
            label=outline.name,
            ident=outline.id,
            kind="template",
            baseline=", ".join(m for m in meta if m),
            cells=_cells(regions, header),
        )
    ]
    for item in outline.items:
        rows.append(
            Row(
                label=item.name,
                ident=item.keyword,
                depth=item.depth + 1,
                baseline=_flags(item.mandatory, item.repeatable, t),
                cells=_cells(regions, by_keyword.get(item.keyword, [])),
            )
        )
    for local_id, group in sorted(extras.items()):
        name = next((d.name or d.actual for d in group if d.name or d.actual), None) or local_id
        rows.append(
            Row(
                label=name,
                ident=local_id,
                depth=1,
                kind="extra",
                baseline=t("not_in_baseline"),
                cells=_cells(regions, group),
            )
        )
    return TemplateSection(outline=outline, rows=rows, deviation_count=len(own))


def _catalogue_rows(devs: list[Finding], regions: list[RegionInfo], t: Messages) -> list[Row]:
    groups: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for d in devs:
        groups[(d.entity.value, d.baseline_id or "+" + (d.local_id or ""))].append(d)
    rows = []
    for (entity, ident), group in sorted(groups.items()):
        name = (
            next((d.name for d in group if d.name), None)
            or next((d.expected or d.actual for d in group if d.expected or d.actual), "")
            or ""
        )
        shown = ident[1:] if ident.startswith("+") else ident
        rows.append(
            Row(
                label=f"{t('entity.' + entity)} {name}".strip(),
                ident=shown,
                kind="catalogue",
                baseline=t("not_in_baseline") if ident.startswith("+") else "",
                cells=_cells(regions, group),
            )
        )
    return rows


def _counts(devs: Iterable[Finding]) -> dict[str, int]:
    out = {s.value: 0 for s in SEVERITY_ORDER}
    for d in devs:
        out[(d.severity or Severity.INFO).value] += 1
    return out


def _note_kind(kind: str, t: Messages) -> str:
    """Return the label of a note kind; a kind without one (a newer result) as it is."""
    try:
        return t("note_kind." + kind)
    except KeyError:
        return kind


def _note_source(label: str, ident: str, notes: tuple[InputNote, ...], t: Messages) -> NoteSource:
    counts: dict[str, int] = defaultdict(int)
    for n in notes:
        counts[n.kind] += 1
    return NoteSource(
        label=label,
        ident=ident,
        total=len(notes),
        counts=[(_note_kind(k, t), counts[k]) for k in sorted(counts)],
        notes=[(_note_kind(n.kind, t), n) for n in notes[:NOTES_SHOWN]],
        more=max(0, len(notes) - NOTES_SHOWN),
    )


def _note_sources(result: Result, t: Messages) -> list[NoteSource]:
    sources = [_note_source(result.baseline_name, result.baseline_id, result.baseline_notes, t)]
    sources += [_note_source(r.name or r.id, r.id, r.notes, t) for r in result.regions]
    return [s for s in sources if s.total]


def _trend_view(result: Result) -> TrendView | None:
    trend = result.trend
    if trend is None:
        return None
    # a report narrowed to some regions or cases shows what was resolved there only
    regions = {r.id for r in result.regions}
    cases = {c for c, _ in result.cases}
    resolved = sorted(
        (d for d in trend.resolved if d.region in regions and (d.case is None or d.case in cases)),
        key=lambda d: (-(d.severity or Severity.INFO).rank, d.sort_key()),
    )
    counts = trend.counts(result)
    counts["resolved"] = len(resolved)
    changes = trend.score_changes(result)
    scores = []
    for r in result.regions:
        for case_id, _ in result.cases:
            change = changes.get(r.id, {}).get(case_id)
            if change is None:
                continue
            before, after = change["before"], change["after"]
            if before is not None and after is not None and abs(after - before) < 0.0005:
                continue
            scores.append(ScoreChange(region=r.id, case=case_id, before=before, after=after))
    return TrendView(
        source=trend.source,
        evaluated_on=trend.evaluated_on,
        baseline_version=trend.baseline_version,
        fail_on_new=result.fail_on_new,
        counts=counts,
        scores=scores,
        resolved=resolved[:RESOLVED_SHOWN],
        more=max(0, len(resolved) - RESOLVED_SHOWN),
    )


def build_view(result: Result, lang: str, filters: list[str] | None = None) -> ReportView:
    """Arrange the result into chapters, sections and rows for a report."""
    t = Messages(lang)
    regions = list(result.regions)
    matrix: dict[str, dict[str, MatrixCell]] = {}
    for r in regions:
        matrix[r.id] = {}
        for case_id, _ in result.cases:
            s = result.scores.get(r.id, {}).get(case_id)
            devs = [d for d in result.deviations if d.region == r.id and d.case == case_id]
            matrix[r.id][case_id] = MatrixCell(
                counts=_counts(devs),
                score=s.after_waivers if s else None,
                raw=s.raw if s else None,
                band=band(s.after_waivers) if s else "none",
            )
    outlines = {o.id: o for o in result.templates}
    chapters = []
    case_ids = [c for c, _ in result.cases]
    for case_id, case_name in [*result.cases, ("", t("no_case"))]:
        in_case = [
            d
            for d in result.deviations
            if (d.case == case_id) or (not case_id and d.case not in case_ids)
        ]
        sections = [
            _template_section(o, list(result.deviations), regions, t)
            for o in result.templates
            if case_id and case_id in o.cases
        ]
        # findings shown in a template section stay there; the rest is the case's catalogue
        rest = [d for d in in_case if d.template not in outlines]
        if not case_id and not rest:
            continue
        chapters.append(
            Chapter(
                id=case_id,
                name=case_name,
                templates=sections,
                catalogue=_catalogue_rows(rest, regions, t),
                counts=_counts(in_case),
            )
        )
    used = sorted({d.rule for d in result.deviations if d.rule})
    rules = []
    for code in used:
        rule = find_rule(code)
        if rule is not None:
            rules.append(
                (rule.code, rule.name, rule.default_severity.value, t("rule." + rule.code))
            )
    return ReportView(
        result=result,
        regions=regions,
        matrix=matrix,
        chapters=chapters,
        rules=rules,
        totals=result.counts()["by_severity"],
        filters=filters or [],
        notes=_note_sources(result, t),
        trend=_trend_view(result),
        waivers=[(n, waiver_note_text(n, t)) for n in result.waiver_notes],
    )
