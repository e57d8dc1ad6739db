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
from typing import NamedTuple

from cosmicdiff.reports.base import LABEL_SEPARATOR
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.notes_and_trend import NoteSource, TrendView, note_sources, trend_view
from cosmicdiff.reports.waiver_text import waiver_note_text
from cosmicdiff.result.finding import AppliedWaiver, Finding
from cosmicdiff.result.parts import RegionInfo, TemplateOutline, WaiverNote
from cosmicdiff.result.result import Result
from cosmicdiff.rules import find_rule
from cosmicdiff.vocabulary import Entity, Severity

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def band(score: float) -> str:
    """Return the band of a harmonisation score, judged on the percentage as printed."""
    score = round(score * 100) / 100
    if score >= 0.95:
        return "good"
    if score >= 0.85:
        return "fair"
    return "poor"


class Expected(NamedTuple):
    """A baseline value a region deviates from: its kind, field, value and people's words."""

    kind: str
    field: str | None
    value: str
    label: str | None


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

    @property
    def to_decide(self) -> list[Finding]:
        """Return the deviations the workshop decides on (not waived, not allowed)."""
        return [d for d in self.deviations if not d.waived and not d.allowed]

    @property
    def waivers(self) -> list[AppliedWaiver]:
        """Return the waivers that already cover deviations of this cell, distinct."""
        return list(dict.fromkeys(d.waiver for d in self.deviations if d.waiver is not None))

    @property
    def allowed(self) -> bool:
        """Return True when an unwaived deviation is an allowed local extension."""
        return any(d.allowed and not d.waived for d in self.deviations)


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
    def expected(self) -> list[Expected]:
        """Return the baseline's values the regions deviate from, distinct."""
        seen: dict[Expected, None] = {}
        for cell in self.cells:
            for d in cell.deviations:
                if d.expected is not None and d.kind.value not in ("missing", "extra"):
                    seen.setdefault(Expected(d.kind.value, d.field, d.expected, d.expected_label))
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
    # one row per extra item; per place for items of standard formats (a label path each)
    extras: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for d in own:
        if d.entity is Entity.TEMPLATE:
            continue
        if d.baseline_id is not None:
            by_keyword[d.baseline_id].append(d)
        else:
            extras[(d.local_id or "?", (d.path or "") if d.label_path else "")].append(d)
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
    for (local_id, _), group in sorted(extras.items()):
        name = next((d.name or d.actual for d in group if d.name or d.actual), None) or local_id
        # an item of a standard format: its labels below the template (the section's title)
        labels = next((d.label_path[1:] for d in group if len(d.label_path) > 1), ())
        if labels:
            name = LABEL_SEPARATOR.join(labels)
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


def filter_text(note: str, result: Result, t: Messages) -> str:
    """Return a selection (``--case ID``, ``--region ID``, ``--min-severity LEVEL``) in words.

    A handout names the case and the region, and the levels shown ("varningar och fel"),
    never a command-line flag; a note of another shape is shown as it is.
    """
    flag, _, value = note.partition(" ")
    if flag == "--case":
        name = next((n for cid, n in result.cases if cid == value), value)
        return t("filter.case", name=name)
    if flag == "--region":
        name = next((r.name or r.id for r in result.regions if r.id == value), value)
        return t("filter.region", name=name)
    if flag == "--min-severity":
        return t.level(value)
    return note


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
                (
                    rule.code,
                    t.rule_name(rule.code, rule.name),
                    rule.default_severity.value,
                    t("rule." + rule.code),
                )
            )
    return ReportView(
        result=result,
        regions=regions,
        matrix=matrix,
        chapters=chapters,
        rules=rules,
        totals=result.counts()["by_severity"],
        filters=[filter_text(f, result, t) for f in filters or ()],
        notes=note_sources(result, t),
        trend=trend_view(result, t.lang),
        waivers=[(n, waiver_note_text(n, t)) for n in result.waiver_notes],
    )
