"""How harmonisation developed over saved results (``cosmicdiff trend``), for a steering group.

The input is a row of saved JSON results, oldest first (CI artefacts, or results kept in the
configuration repository), in the order given. For each result (a *point*): every region's
score per case after waivers, and how many deviations are open (neither waived nor an
allowed local extension) by severity. All results must compare with the same baseline (its
version may change); regions and cases may come and go, and a point without one is a gap,
reported in ``differences``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cosmicdiff.errors import UsageError
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Severity

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One saved result as the trend shows it."""

    label: str
    source: str
    evaluated_on: str
    baseline_version: str
    #: region -> case -> score after waivers (0..1); only the regions that were compared
    scores: dict[str, dict[str, float]]
    #: severity -> number of open deviations
    open: dict[str, int]


@dataclass(frozen=True, slots=True)
class TrendSeries:
    """Every point, and the regions and cases any of them has (first seen first)."""

    baseline_id: str
    baseline_name: str
    regions: list[tuple[str, str]]
    cases: list[tuple[str, str]]
    points: list[TrendPoint]
    #: sentences about regions or cases that not every result has (empty when all agree)
    differences: list[str] = field(default_factory=list)

    def score(self, point: TrendPoint, region: str, case: str) -> float | None:
        """Return a region's score in a case at a point (None: not there)."""
        return point.scores.get(region, {}).get(case)

    def change(self, region: str, case: str) -> tuple[float, float] | None:
        """Return the score at the first point that has it and at the last (None: fewer
        than two points have it)."""
        values = [v for p in self.points if (v := self.score(p, region, case)) is not None]
        return (values[0], values[-1]) if len(values) >= 2 else None


def open_counts(result: Result) -> dict[str, int]:
    """Return the open deviations (not waived, not an allowed extension) by severity."""
    out = {s.value: 0 for s in SEVERITIES}
    for d in result.deviations:
        if not d.waived and not d.allowed:
            out[(d.severity or Severity.INFO).value] += 1
    return out


def _labels(results: Sequence[tuple[str, Result]], labels: Sequence[str]) -> list[str]:
    if labels:
        if len(labels) != len(results):
            raise UsageError(
                f"give one --label per result: {len(labels)} labels for {len(results)} results"
            )
        return list(labels)
    dates = [r.evaluated_on or "?" for _, r in results]
    # two results of the same day: the file names tell them apart
    return [
        d if dates.count(d) == 1 else f"{d} ({source.rsplit('/', 1)[-1]})"
        for d, (source, _) in zip(dates, results, strict=True)
    ]


def build_trend(results: Sequence[tuple[str, Result]], labels: Sequence[str] = ()) -> TrendSeries:
    """Return the trend of ``results`` ((display path, result), oldest first)."""
    if not results:
        raise UsageError("give at least one saved JSON result")
    first_source, first = results[0]
    for source, r in results[1:]:
        if r.baseline_id != first.baseline_id:
            raise UsageError(
                f"{source}: compares with baseline {r.baseline_id!r}, but {first_source} with "
                f"{first.baseline_id!r}; a trend needs results of the same baseline"
            )
    regions: dict[str, str] = {}
    cases: dict[str, str] = {}
    points = []
    for label, (source, r) in zip(_labels(results, labels), results, strict=True):
        for region in r.regions:
            regions.setdefault(region.id, region.name or region.id)
        for cid, name in r.cases:
            cases.setdefault(cid, name)
        compared = {region.id for region in r.regions if region.compared}
        points.append(
            TrendPoint(
                label=label,
                source=source,
                evaluated_on=r.evaluated_on,
                baseline_version=r.baseline_version,
                scores={
                    rid: {c: s.after_waivers for c, s in cs.items()}
                    for rid, cs in r.scores.items()
                    if rid in compared
                },
                open=open_counts(r),
            )
        )
    return TrendSeries(
        baseline_id=first.baseline_id,
        baseline_name=first.baseline_name,
        regions=list(regions.items()),
        cases=list(cases.items()),
        points=points,
        differences=_differences(results, regions, cases),
    )


def _differences(
    results: Sequence[tuple[str, Result]], regions: dict[str, str], cases: dict[str, str]
) -> list[str]:
    """Return one sentence per result that lacks a region or case another result has."""
    out = []
    for source, r in results:
        has_cases = {c for c, _ in r.cases}
        has_regions = {x.id for x in r.regions if x.compared}
        lacks = [c for c in cases if c not in has_cases]
        lacks_r = [x for x in regions if x not in has_regions]
        parts = []
        if lacks:
            parts.append("case " + ", ".join(lacks))
        if lacks_r:
            parts.append("region " + ", ".join(lacks_r))
        if parts:
            out.append(f"{source}: has no {' and no '.join(parts)} (a gap in the trend)")
    return out
