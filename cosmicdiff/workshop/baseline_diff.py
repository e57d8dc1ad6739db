"""What a new baseline version changes, and which regions it helps or hurts.

The new version is compared with the old as a region would be; for each region given, its
harmonisation under each version is scored, and each change is said to help a region (it
deviated before and follows now) or hurt it. :func:`diff_baselines` returns the whole of it
as a :class:`BaselineDiff`; :func:`render_text` shows it on a terminal, ``to_json`` in the
``cosmicdiff/baseline-diff/1`` document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cosmicdiff.model import Baseline, CaseId, Export
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.result import Result


@dataclass(frozen=True, kw_only=True, slots=True)
class VersionChange:
    """One difference between two baseline versions and how each region fares with it."""

    kind: str
    entity: str
    old_id: str | None
    new_id: str | None
    field: str | None
    old: str | None
    new: str | None
    helps: tuple[str, ...] = ()
    hurts: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of the change."""
        return {
            "kind": self.kind,
            "entity": self.entity,
            "old_id": self.old_id,
            "new_id": self.new_id,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "helps": list(self.helps),
            "hurts": list(self.hurts),
        }


def _items_hit(result: Result | None, region: str) -> set[str]:
    if result is None:
        return set()
    out: set[str] = set()
    for d in result.deviations:
        if d.region == region and not d.allowed:
            out.update(i for _, i in d.units)
            if d.baseline_id:
                out.add(d.baseline_id)
    return out


def version_changes(
    raw: Sequence[Deviation], regions: Sequence[str], before: Result | None, after: Result | None
) -> list[VersionChange]:
    """Turn the new-vs-old deviations into changes, with who each change helps or hurts."""
    hit_before = {r: _items_hit(before, r) for r in regions}
    hit_after = {r: _items_hit(after, r) for r in regions}
    seen = set()
    out = []
    for d in sorted(raw, key=Deviation.sort_key):
        key = (
            d.kind,
            d.entity,
            d.baseline_id,
            d.local_id,
            d.field,
            d.path if d.is_item_level() else None,
        )
        if key in seen:
            continue
        seen.add(key)
        item = d.baseline_id or d.local_id or ""
        new_item = d.local_id or item
        helps = tuple(r for r in regions if item in hit_before[r] and new_item not in hit_after[r])
        hurts = tuple(r for r in regions if item not in hit_before[r] and new_item in hit_after[r])
        out.append(
            VersionChange(
                kind=d.kind.value,
                entity=d.entity.value,
                old_id=d.baseline_id,
                new_id=d.local_id,
                field=d.field,
                old=d.expected,
                new=d.actual,
                helps=helps,
                hurts=hurts,
            )
        )
    return out


def baseline_as_region(new: Baseline) -> Export:
    """Return a baseline's items as a region export (to compare it with another version)."""
    cases: dict[str, list[str]] = defaultdict(list)
    for c in new.cases:
        for t in c.templates:
            cases[t].append(c.id)
    templates = {
        tid: dataclasses.replace(t, cases=tuple(CaseId(c) for c in cases.get(tid, ())) or t.cases)
        for tid, t in new.export.templates.items()
    }
    return dataclasses.replace(
        new.export,
        region=f"{new.id}@{new.version}",
        name=f"{new.name} {new.version}",
        templates=templates,
    )


@dataclass(frozen=True, kw_only=True, slots=True)
class ScoreChange:
    """A region's harmonisation in one case under the old and the new version (None: no score)."""

    old: float | None
    new: float | None


@dataclass(frozen=True, kw_only=True, slots=True)
class BaselineDiff:
    """Two baseline versions, the changes between them and the regions' scores under each."""

    old_id: str
    old_version: str
    new_id: str
    new_version: str
    changes: tuple[VersionChange, ...]
    #: region -> case -> score under each version, in the order the results list them
    scores: Mapping[str, Mapping[str, ScoreChange]]

    def to_json(self) -> dict[str, Any]:
        """Return the ``cosmicdiff/baseline-diff/1`` document."""
        return {
            "schema": "cosmicdiff/baseline-diff/1",
            "old": {"id": self.old_id, "version": self.old_version},
            "new": {"id": self.new_id, "version": self.new_version},
            "changes": [c.to_json() for c in self.changes],
            "scores": {
                rid: {case: {"old": sc.old, "new": sc.new} for case, sc in per_case.items()}
                for rid, per_case in self.scores.items()
            },
        }


def score_table(
    before: Result, after: Result, regions: Sequence[str]
) -> dict[str, dict[str, ScoreChange]]:
    """Return each region's harmonisation per case before and after (after waivers)."""
    table: dict[str, dict[str, ScoreChange]] = {}
    for rid in regions:
        old, new = before.scores.get(rid, {}), after.scores.get(rid, {})
        table[rid] = {
            case: ScoreChange(
                old=old[case].after_waivers if case in old else None,
                new=new[case].after_waivers if case in new else None,
            )
            for case in dict.fromkeys([*old, *new])
        }
    return table


def diff_baselines(
    old_path: Path,
    new_path: Path,
    regions: Sequence[Path],
    today: dt.date,
    terminology: tuple[Path, ...] = (),
) -> BaselineDiff:
    """Compare two baseline versions, and score the regions under each (intensional value
    sets expanded from either's code systems and ``terminology``)."""
    from cosmicdiff.diff.region import diff_region
    from cosmicdiff.match.identity import match_region
    from cosmicdiff.match.scope import build_scope
    from cosmicdiff.parsers.fhir.expand import expand_baseline_for, expand_value_sets
    from cosmicdiff.pipeline import (
        CompareOptions,
        compare,
        load_checked_baseline,
        load_terminology,
    )

    terms = load_terminology(terminology)
    b_old, b_new = (
        load_checked_baseline(old_path, terminology=terms),
        load_checked_baseline(new_path, terminology=terms),
    )
    as_region = expand_value_sets(baseline_as_region(b_new), (b_old.export, *terms))
    b_old, as_region = expand_baseline_for(b_old, as_region, terms)
    raw = diff_region(
        b_old, build_scope(b_old), as_region, match_region(as_region, b_old)
    ).deviations
    options = CompareOptions(today=today, fail_on=None, terminology=terminology)
    before = compare(old_path, regions, options) if regions else None
    after = compare(new_path, regions, options) if regions else None
    ids = [r.id for r in before.regions if r.compared] if before is not None else []
    changes = version_changes(raw, ids, before, after)
    scores = score_table(before, after, ids) if before is not None and after is not None else {}
    return BaselineDiff(
        old_id=b_old.id,
        old_version=b_old.version,
        new_id=b_new.id,
        new_version=b_new.version,
        changes=tuple(changes),
        scores=scores,
    )


def _change_line(c: VersionChange) -> str:
    what = c.kind if c.field is None else f"{c.kind} [{c.field}]"
    vals = f": {c.old!r} -> {c.new!r}" if (c.old or c.new) else ""
    who = (f"  helps {', '.join(c.helps)}" if c.helps else "") + (
        f"  hurts {', '.join(c.hurts)}" if c.hurts else ""
    )
    return f"  {c.entity} {c.old_id or c.new_id} {what}{vals}{who}"


def _percent(score: float | None) -> str:
    return "–" if score is None else f"{score:.0%}"


def render_text(diff: BaselineDiff) -> str:
    """Return the diff as terminal lines: the changes, then each region's scores."""
    lines = [
        f"{diff.old_id} {diff.old_version} -> {diff.new_id} {diff.new_version}: "
        f"{len(diff.changes)} change(s)"
    ]
    lines += [_change_line(c) for c in diff.changes]
    lines += [
        f"  {rid}: "
        + ", ".join(
            f"{case} {_percent(sc.old)} -> {_percent(sc.new)}" for case, sc in per_case.items()
        )
        for rid, per_case in diff.scores.items()
    ]
    return "\n".join(lines) + "\n"
