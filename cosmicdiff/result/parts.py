"""The parts of a Result besides its deviations: regions, baseline items and outlines, scores,
waiver notes and the trend.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from cosmicdiff.model import InputNote
from cosmicdiff.result.finding import Finding
from cosmicdiff.vocabulary import Entity, WaiverStatus

if TYPE_CHECKING:  # a Trend reads the Result it belongs to
    from cosmicdiff.result.result import Result


@dataclass(frozen=True, kw_only=True, slots=True)
class Trend:
    """What changed since a reference result (compare --reference PREVIOUS.json).

    ``resolved`` holds the reference's deviations (as saved) that are gone now;
    ``harmonisation`` the reference's scores after waivers, per region and case.
    """

    source: str
    evaluated_on: str
    baseline_version: str
    resolved: tuple[Finding, ...] = ()
    harmonisation: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    fail_on_new: bool = False

    def counts(self, result: Result) -> dict[str, int]:
        """Return how many deviations are new, unchanged, updated and resolved."""
        out = {"new": 0, "unchanged": 0, "updated": 0}
        for d in result.deviations:
            if d.trend in out:
                out[d.trend] += 1
        out["resolved"] = len(self.resolved)
        return out

    def score_changes(self, result: Result) -> dict[str, dict[str, dict[str, float | None]]]:
        """Return per region and case the score then and now (None where one is missing)."""
        out: dict[str, dict[str, dict[str, float | None]]] = {}
        for region, cases in result.scores.items():
            before = self.harmonisation.get(region, {})
            out[region] = {
                c: {"before": before.get(c), "after": s.after_waivers} for c, s in cases.items()
            }
        return out

    def to_json(self, result: Result) -> dict[str, Any]:
        """Return the JSON object of the trend."""
        return {
            "reference": {
                "source": self.source,
                "evaluated_on": self.evaluated_on,
                "baseline_version": self.baseline_version,
            },
            "fail_on_new": self.fail_on_new,
            "counts": self.counts(result),
            "harmonisation_change": self.score_changes(result),
            "resolved": [d.to_json() for d in self.resolved],
        }


#: The values a waiver can pin, in the order messages and the JSON name them.
PIN_KEYS = ("kind", "expected", "actual")


#: Pinned or found values: (key, value) pairs with keys from PIN_KEYS, in that order.
PinValues = tuple[tuple[str, str | None], ...]


@dataclass(frozen=True, kw_only=True, slots=True)
class WaiverNote:
    """A waiver that did not do its job, or cannot be trusted to.

    ``expired``: it no longer waives; ``stale``: it matches no deviation; ``mismatch``: it
    selects a deviation by its ids, but the deviation's values are not the ones it accepted
    (``accepted`` against ``found``; the deviation, ``deviation``, is not waived);
    ``unpinned``: it accepts any value (``found``: the values it waived, when it waived
    deviations with one set of values: what to pin).
    """

    waiver: str
    status: WaiverStatus
    region: str
    rule: str
    item: str
    path: str
    line: int | None
    expires: str | None = None
    matched: int = 0
    deviation: str | None = None
    accepted: PinValues = ()
    found: PinValues | None = None

    def differs(self) -> tuple[str, ...]:
        """Return the pinned keys whose found value is not the accepted one (mismatch)."""
        found = dict(self.found or ())
        return tuple(k for k, v in self.accepted if k in found and found[k] != v)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object for this note (mismatch and unpinned notes say more)."""
        out: dict[str, Any] = {
            "id": self.waiver,
            "status": self.status.value,
            "region": self.region,
            "rule": self.rule,
            "item": self.item,
            "expires": self.expires,
            "matched": self.matched,
            "location": {"path": self.path, "line": self.line},
        }
        if self.status in (WaiverStatus.MISMATCH, WaiverStatus.UNPINNED):
            out["deviation"] = self.deviation
            out["accepted"] = dict(self.accepted)
            out["found"] = None if self.found is None else dict(self.found)
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class RegionInfo:
    """A compared (or not compared) region and where its export came from."""

    id: str
    name: str | None
    source: str
    exported: str | None = None
    cosmic_version: str | None = None
    compared: bool = True
    error: str | None = None
    coverage: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    matches: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    #: the formats its files were read as, and what was read but not used as it stands
    formats: tuple[str, ...] = ()
    notes: tuple[InputNote, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object for this region."""
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "source": self.source,
            "exported": self.exported,
            "cosmic_version": self.cosmic_version,
            "compared": self.compared,
        }
        if self.error:
            out["error"] = self.error
        out["coverage"] = {k: dict(v) for k, v in self.coverage.items()}
        out["matched_by"] = {k: dict(v) for k, v in self.matches.items()}
        out["formats"] = sorted(set(self.formats))
        out["input_notes"] = [n.to_json() for n in self.notes]
        return out


class BaselineItem(NamedTuple):
    """A baseline item in scope: what harmonisation scores and JUnit testcases count."""

    entity: Entity
    id: str
    name: str
    cases: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object for this item."""
        return {
            "entity": self.entity.value,
            "id": self.id,
            "name": self.name,
            "cases": list(self.cases),
        }


class OutlineItem(NamedTuple):
    """One item of a baseline template, flattened for side-by-side reports."""

    depth: int
    keyword: str
    name: str
    path: str
    mandatory: bool = False
    repeatable: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object for this item."""
        return {
            "depth": self.depth,
            "keyword": self.keyword,
            "name": self.name,
            "path": self.path,
            "mandatory": self.mandatory,
            "repeatable": self.repeatable,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class TemplateOutline:
    """A baseline template in scope with its items in document order."""

    id: str
    name: str
    note_type: str | None
    version: str | None
    cases: tuple[str, ...]
    items: tuple[OutlineItem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object for this template."""
        return {
            "id": self.id,
            "name": self.name,
            "note_type": self.note_type,
            "version": self.version,
            "cases": list(self.cases),
            "items": [i.to_json() for i in self.items],
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Score:
    """Harmonisation of one region in one case."""

    items: int
    clean_raw: int
    clean: int

    @property
    def raw(self) -> float:
        """Return the share of baseline items without any deviation."""
        return round(self.clean_raw / self.items, 4) if self.items else 1.0

    @property
    def after_waivers(self) -> float:
        """Return the share of baseline items without an unwaived deviation."""
        return round(self.clean / self.items, 4) if self.items else 1.0
