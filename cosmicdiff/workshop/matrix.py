"""The N-way view: for each case, every item x every region, and the regions' consensus.

Pairwise comparison says how each region differs from the baseline; harmonising three (or
twenty-one) regions needs the other direction too: where the regions agree with each other
against the baseline (a candidate baseline change), which region is the outlier, and where
nobody agrees. The matrix is computed from a Result alone, so it works on a saved JSON
result as well as on a fresh comparison.

Rows are the baseline items in scope (templates, keywords, value lists, terms), one per
case they belong to, plus one row per item that regions have and the baseline does not
(grouped across regions by entity and normalised name). A deviation belongs to the rows of
the baseline items it counts against (``Finding.units``: a keyword missing from a
template counts against the keyword and the template; a changed value against its list).

Each cell holds a state:

==============  =============================================================
``same``        no deviation on this item
``deviates``    deviations other than missing (their kinds are listed)
``missing``     the region lacks the item itself
``waived``      every deviation is waived or an allowed local extension
``extra``       (region-only rows) the region has this item
``absent``      (region-only rows) the region does not have it
``not_compared`` the region's export could not be read
==============  =============================================================

The consensus of a row compares the regions' *content*: two cells agree when they carry
the same deviations (kind, item, field and normalised actual value), waived or not.

- ``baseline``: every region agrees with the baseline;
- ``regions``: the regions agree with each other but not with the baseline: a candidate
  baseline change (for region-only rows: every region has the item);
- ``outlier``: all regions but one agree; ``outlier`` names the one (with two regions:
  the one that differs from the baseline);
- ``none``: no agreement.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cosmicdiff import __version__
from cosmicdiff.model import name_key, normalise_text
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Kind

MATRIX_SCHEMA = "cosmicdiff/matrix/1"
CONSENSUS = ("baseline", "regions", "outlier", "none")
STATES = ("same", "deviates", "missing", "waived", "extra", "absent", "not_compared")
#: entities that get rows (values belong to their list's row)
ROW_ENTITIES = ("template", "keyword", "valuelist", "term")


@dataclass(frozen=True, kw_only=True, slots=True)
class Cell:
    """One region's state for one row."""

    state: str
    kinds: tuple[str, ...] = ()
    deviations: tuple[Finding, ...] = ()
    local_id: str | None = None

    def summary(self) -> str:
        """Return a short text: the kinds and, for one renamed/changed value, what it is."""
        if not self.kinds:
            return ""
        parts = []
        for d in self.deviations:
            text = d.kind.value if d.field is None else f"{d.kind.value} [{d.field}]"
            if d.actual and d.kind is not Kind.MISSING and d.entity.value != "value":
                text += f": {d.actual}"
            elif d.entity.value == "value":
                text = f"{d.baseline_id or d.local_id} {text}"
            parts.append(text)
        return "; ".join(dict.fromkeys(parts))

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of the cell."""
        return {
            "state": self.state,
            "kinds": list(self.kinds),
            "local_id": self.local_id,
            "deviations": [d.id for d in self.deviations],
            "actual": sorted({d.actual for d in self.deviations if d.actual}),
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    """One item of one case across all regions, with the consensus."""

    case: str
    entity: str
    id: str | None
    name: str
    in_baseline: bool
    cells: dict[str, Cell]
    consensus: str
    outlier: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of the row."""
        return {
            "case": self.case,
            "entity": self.entity,
            "id": self.id,
            "name": self.name,
            "in_baseline": self.in_baseline,
            "consensus": self.consensus,
            "outlier": self.outlier,
            "cells": {r: c.to_json() for r, c in self.cells.items()},
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Matrix:
    """The item x region matrix of every case, with the result it came from."""

    result: Result
    regions: tuple[str, ...]
    compared: tuple[str, ...]
    rows: tuple[Row, ...]
    region_names: dict[str, str] = field(default_factory=dict)

    def case_rows(self, case: str) -> list[Row]:
        """Return the rows of one case, in matrix order."""
        return [r for r in self.rows if r.case == case]

    def counts(self) -> dict[str, dict[str, int]]:
        """Return per case how many rows fall in each consensus class."""
        out: dict[str, dict[str, int]] = {
            c: dict.fromkeys(CONSENSUS, 0) for c, _ in self.result.cases
        }
        for row in self.rows:
            out.setdefault(row.case, dict.fromkeys(CONSENSUS, 0))[row.consensus] += 1
        return out

    def outliers(self) -> dict[str, dict[str, int]]:
        """Return per case how often each region is the outlier."""
        out: dict[str, dict[str, int]] = {
            c: dict.fromkeys(self.regions, 0) for c, _ in self.result.cases
        }
        for row in self.rows:
            if row.outlier:
                out[row.case][row.outlier] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        """Return the matrix as its JSON document (schema ``cosmicdiff/matrix/1``)."""
        r = self.result
        counts, outliers = self.counts(), self.outliers()
        return {
            "schema": MATRIX_SCHEMA,
            "tool": {"name": "cosmicdiff", "version": r.tool_version or __version__},
            "evaluated_on": r.evaluated_on,
            "baseline": {
                "id": r.baseline_id,
                "name": r.baseline_name,
                "version": r.baseline_version,
            },
            "regions": [
                {"id": rid, "name": self.region_names.get(rid), "compared": rid in self.compared}
                for rid in self.regions
            ],
            "cases": [
                {
                    "id": cid,
                    "name": name,
                    "consensus": counts.get(cid, {}),
                    "outliers": outliers.get(cid, {}),
                }
                for cid, name in r.cases
            ],
            "rows": [row.to_json() for row in self.rows],
        }


def _signature(d: Finding) -> tuple[str, ...]:
    return (
        d.kind.value,
        d.entity.value,
        d.baseline_id or "",
        d.field or "",
        normalise_text(d.actual),
    )


def _row_keys(d: Finding) -> list[tuple[str, str]]:
    """Return the baseline rows (entity, id) a deviation belongs to."""
    keys = [(e, i) for e, i in d.units if e in ROW_ENTITIES]
    if not keys and d.baseline_id and d.entity.value in ROW_ENTITIES:
        keys = [(d.entity.value, d.baseline_id)]
    return keys


def _consensus(sigs: dict[str, frozenset[tuple[str, ...]]]) -> tuple[str, str | None]:
    """Return the consensus class and the outlier of one baseline row."""
    if not sigs:
        return "none", None
    if all(not s for s in sigs.values()):
        return "baseline", None
    groups = Counter(sigs.values())
    if len(sigs) == 1:
        (region,) = sigs
        return "outlier", region
    if len(groups) == 1:
        return "regions", None
    if len(groups) == 2:
        # the larger group first; between two single regions, the one that follows the
        # baseline (empty signature) counts as the larger: the other is the outlier
        (big, nbig), (small, nsmall) = sorted(groups.items(), key=lambda g: (-g[1], bool(g[0])))
        if nsmall == 1 and (nbig > 1 or not big):
            return "outlier", next(r for r, s in sigs.items() if s == small)
    return "none", None


def _presence_consensus(present: set[str], compared: Sequence[str]) -> tuple[str, str | None]:
    """Return the consensus of a region-only row from which regions have the item."""
    n = len(compared)
    if n >= 2 and len(present) == n:
        return "regions", None
    if len(present) == 1 and n >= 2:
        return "outlier", next(iter(present))
    if n >= 3 and len(present) == n - 1:
        return "outlier", next(r for r in compared if r not in present)
    if n == 1:
        return "outlier", next(iter(present))
    return "none", None


def _cell(devs: Sequence[Finding], entity: str, local_id: str | None) -> Cell:
    if not devs:
        return Cell(state="same", local_id=local_id)
    kinds = tuple(dict.fromkeys(d.kind.value for d in devs))
    if all(d.waived or d.allowed for d in devs):
        state = "waived"
    elif any(d.kind is Kind.MISSING and d.entity.value == entity for d in devs):
        state = "missing"
    else:
        state = "deviates"
    return Cell(state=state, kinds=kinds, deviations=tuple(devs), local_id=local_id)


def build_matrix(result: Result, cases: Iterable[str] = ()) -> Matrix:
    """Return the matrix of a result (all its cases, or the given ones)."""
    wanted = set(cases) or {c for c, _ in result.cases}
    regions = tuple(r.id for r in result.regions)
    compared = tuple(r.id for r in result.regions if r.compared)
    per_item: dict[tuple[str, str, str], dict[str, list[Finding]]] = defaultdict(
        lambda: defaultdict(list)
    )
    local_of: dict[tuple[str, str, str], str] = {}
    extras: dict[tuple[str, str, str], dict[str, list[Finding]]] = defaultdict(
        lambda: defaultdict(list)
    )
    extra_names: dict[tuple[str, str, str], str] = {}
    key: tuple[str, str, str]
    for d in result.deviations:
        for case in d.cases or ((d.case,) if d.case else ()):
            if case not in wanted:
                continue
            for entity, item in _row_keys(d):
                per_item[(case, entity, item)][d.region].append(d)
                if d.local_id and entity == d.entity.value and item == d.baseline_id:
                    local_of[(case, d.region, item)] = d.local_id
            if d.kind is Kind.EXTRA and d.baseline_id is None and d.entity.value in ROW_ENTITIES:
                label = d.actual or d.name or d.local_id or ""
                key = (case, d.entity.value, name_key(label) or (d.local_id or ""))
                extras[key][d.region].append(d)
                extra_names.setdefault(key, label)
    rows: list[Row] = []
    order = {c: i for i, (c, _) in enumerate(result.cases)}
    entity_order = {e: i for i, e in enumerate(ROW_ENTITIES)}
    items = sorted(
        (
            (case, bi)
            for bi in result.items
            for case in bi.cases
            if case in wanted and bi.entity in ROW_ENTITIES
        ),
        key=lambda ci: (order.get(ci[0], 99), entity_order[ci[1].entity], ci[1].id),
    )
    for case, bi in items:
        devs = per_item.get((case, bi.entity, bi.id), {})
        cells: dict[str, Cell] = {}
        sigs: dict[str, frozenset[tuple[str, ...]]] = {}
        for rid in regions:
            if rid not in compared:
                cells[rid] = Cell(state="not_compared")
                continue
            mine = devs.get(rid, [])
            cells[rid] = _cell(mine, bi.entity, local_of.get((case, rid, bi.id)))
            sigs[rid] = frozenset(_signature(d) for d in mine)
        consensus, outlier = _consensus(sigs)
        rows.append(
            Row(
                case=case,
                entity=bi.entity,
                id=bi.id,
                name=bi.name,
                in_baseline=True,
                cells=cells,
                consensus=consensus,
                outlier=outlier,
            )
        )
    for key in sorted(extras, key=lambda k: (order.get(k[0], 99), entity_order[k[1]], k[2])):
        case, entity, _ = key
        present = extras[key]
        cells = {}
        for rid in regions:
            if rid not in compared:
                cells[rid] = Cell(state="not_compared")
            elif rid in present:
                ds = present[rid]
                cells[rid] = Cell(
                    state="waived" if all(d.waived or d.allowed for d in ds) else "extra",
                    kinds=("extra",),
                    deviations=tuple(ds),
                    local_id=ds[0].local_id,
                )
            else:
                cells[rid] = Cell(state="absent")
        consensus, outlier = _presence_consensus(set(present), compared)
        rows.append(
            Row(
                case=case,
                entity=entity,
                id=None,
                name=extra_names[key],
                in_baseline=False,
                cells=cells,
                consensus=consensus,
                outlier=outlier,
            )
        )
    rows.sort(key=lambda r: order.get(r.case, 99))  # stable: keeps item order within a case
    return Matrix(
        result=result,
        regions=regions,
        compared=compared,
        rows=tuple(rows),
        region_names={r.id: r.name or r.id for r in result.regions},
    )
