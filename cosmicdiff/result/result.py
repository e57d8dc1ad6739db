"""The Result of a comparison and its JSON form (the contract in report-json.md); the exit
status comes from it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from cosmicdiff import RESULT_SCHEMA
from cosmicdiff.errors import UsageError
from cosmicdiff.model import InputNote
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.json_records import item_record, template_record
from cosmicdiff.result.parts import (
    BaselineItem,
    RegionInfo,
    Score,
    TemplateOutline,
    Trend,
    WaiverNote,
)
from cosmicdiff.vocabulary import ExitCode, Severity, TrendState

#: With --fail-on-new, the trends that gate: a new deviation, and a known one whose values
#: changed (the same item, another value: e.g. a waived unit that changed again).
_GATING_TRENDS = frozenset({TrendState.NEW, TrendState.UPDATED})

_T = TypeVar("_T")


def _seq(
    items: Sequence[_T], to_json: Callable[[_T], Any], record: Callable[[_T], Any], lazy: bool
) -> Iterator[Any] | list[Any]:
    """Return the items' JSON objects as a list, or with ``lazy`` an iterator of their records
    for the encoder (``json_records``: the same bytes when encoded, made far more cheaply)."""
    return map(record, items) if lazy else [to_json(i) for i in items]


@dataclass(frozen=True, kw_only=True, slots=True)
class Result:
    """Everything one comparison found; reporters render it and the exit status comes from it.

    ``deviations`` are the classified findings, in report order (the contract's word for
    them is "deviations").
    """

    baseline_id: str
    baseline_name: str
    baseline_version: str
    baseline_source: str
    baseline_digest: str
    cases: tuple[tuple[str, str], ...]
    regions: tuple[RegionInfo, ...]
    deviations: tuple[Finding, ...]
    scores: Mapping[str, Mapping[str, Score]]
    items: tuple[BaselineItem, ...] = ()
    templates: tuple[TemplateOutline, ...] = ()
    waiver_notes: tuple[WaiverNote, ...] = ()
    expected_suppressed: int = 0
    fail_on: Severity | None = Severity.ERROR
    evaluated_on: str = ""
    tool_version: str = ""
    baseline_formats: tuple[str, ...] = ()
    baseline_notes: tuple[InputNote, ...] = ()
    #: set with --reference: what changed since an earlier result
    trend: Trend | None = None
    #: gate only on deviations that are new or updated since the reference (--fail-on-new)
    fail_on_new: bool = False

    def select(
        self,
        cases: Sequence[str] = (),
        regions: Sequence[str] = (),
        min_severity: Severity | None = None,
    ) -> Result:
        """Return the result narrowed to some cases, regions and severities (for reports)."""
        known_cases = [c for c, _ in self.cases]
        known_regions = [r.id for r in self.regions]
        for c in cases:
            if c not in known_cases:
                raise UsageError(f"unknown case {c!r}; the result has: {', '.join(known_cases)}")
        for r in regions:
            if r not in known_regions:
                raise UsageError(
                    f"unknown region {r!r}; the result has: {', '.join(known_regions)}"
                )
        keep_c = set(cases or known_cases)
        keep_r = set(regions or known_regions)
        rank = min_severity.rank if min_severity else 0
        devs = tuple(
            d
            for d in self.deviations
            if d.region in keep_r
            and (d.case in keep_c or (d.case is None and not cases))
            and (d.severity or Severity.INFO).rank >= rank
        )
        return replace(
            self,
            cases=tuple(c for c in self.cases if c[0] in keep_c),
            regions=tuple(r for r in self.regions if r.id in keep_r),
            deviations=devs,
            scores={
                r: {c: s for c, s in cs.items() if c in keep_c}
                for r, cs in self.scores.items()
                if r in keep_r
            },
            items=tuple(i for i in self.items if set(i.cases) & keep_c),
            templates=tuple(t for t in self.templates if set(t.cases) & keep_c),
            waiver_notes=tuple(w for w in self.waiver_notes if w.region in keep_r),
        )

    def gating(self) -> list[Finding]:
        """Return the unwaived deviations at or above ``fail_on`` (new or updated ones only
        with ``fail_on_new``)."""
        return list(self._gating())

    def _gating(self) -> Iterator[Finding]:
        if self.fail_on is None:
            return
        rank = self.fail_on.rank
        new_only = self.fail_on_new
        for f in self.deviations:
            if (
                f.waiver is None
                and f.severity.rank >= rank
                and (not new_only or f.trend in _GATING_TRENDS)
            ):
                yield f

    def exit_code(self) -> ExitCode:
        """Return 2 if a region was not compared, 1 if deviations gate, else 0."""
        if any(not r.compared for r in self.regions):
            return ExitCode.INPUT
        return ExitCode.DEVIATIONS if next(self._gating(), None) else ExitCode.OK

    def counts(self) -> dict[str, Any]:
        """Return counts by severity, by region (and severity) and by case."""
        levels = [s.value for s in reversed(Severity)]
        sev = dict.fromkeys(levels, 0)
        by_region: dict[str, dict[str, int]] = {
            r.id: dict.fromkeys(levels, 0) for r in self.regions
        }
        by_case: dict[str, dict[str, int]] = {}
        waived = 0
        for f in self.deviations:
            # the severity itself, no .value look-up: a StrEnum finds its value's key (and an
            # existing key is kept as it is, a plain str)
            s = f.severity
            if f.waiver is not None:
                waived += 1
            sev[s] += 1
            d = f.deviation
            region = by_region.get(d.region)
            if region is None:
                region = by_region[d.region] = dict.fromkeys(levels, 0)
            region[s] += 1
            key = d.case or "-"
            case = by_case.get(key)
            if case is None:
                case = by_case[key] = dict.fromkeys(levels, 0)
            case[s] += 1
        return {
            "total": len(self.deviations),
            "waived": waived,
            "by_severity": sev,
            "by_region": by_region,
            "by_case": by_case,
            "gating": sum(1 for _ in self._gating()),
            "expected_suppressed": self.expected_suppressed,
        }

    def to_json(self, lazy: bool = False) -> dict[str, Any]:
        """Return the whole result as the contract's JSON document.

        With ``lazy`` (the JSON writer) the deviations, baseline items and templates are
        iterators of records for ``io/json_out.ENCODER``: made as they are written, and with
        enums and tuples where the plain document has their values and lists.
        """
        return {
            "schema": RESULT_SCHEMA,
            "tool": {"name": "cosmicdiff", "version": self.tool_version},
            "evaluated_on": self.evaluated_on,
            "baseline": {
                "id": self.baseline_id,
                "name": self.baseline_name,
                "version": self.baseline_version,
                "source": self.baseline_source,
                "digest": self.baseline_digest,
                "formats": sorted(set(self.baseline_formats)),
                "input_notes": [n.to_json() for n in self.baseline_notes],
            },
            "cases": [{"id": cid, "name": name} for cid, name in self.cases],
            "regions": [r.to_json() for r in self.regions],
            "fail_on": self.fail_on.value if self.fail_on else "never",
            "exit_status": int(self.exit_code()),
            "deviations": _seq(self.deviations, Finding.to_json, Finding.record, lazy),
            "summary": self.counts(),
            "harmonisation": {
                r: {c: s.after_waivers for c, s in cs.items()} for r, cs in self.scores.items()
            },
            "harmonisation_raw": {
                r: {c: s.raw for c, s in cs.items()} for r, cs in self.scores.items()
            },
            "harmonisation_items": {
                r: {
                    c: {"items": s.items, "clean": s.clean, "clean_raw": s.clean_raw}
                    for c, s in cs.items()
                }
                for r, cs in self.scores.items()
            },
            "waivers": [w.to_json() for w in self.waiver_notes],
            "baseline_items": _seq(self.items, BaselineItem.to_json, item_record, lazy),
            "baseline_templates": _seq(
                self.templates, TemplateOutline.to_json, template_record, lazy
            ),
            **({"trend": self.trend.to_json(self)} if self.trend else {}),
        }
