"""The Result of a comparison and its JSON form (the contract in report-json.md).

Deviations are created raw by ``diff`` (no rule, no severity), classified by ``rules``
and marked by ``rules.waivers``. Reporters see only a Result.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from enum import IntEnum, StrEnum
from operator import attrgetter
from typing import Any

from cosmicdiff import RESULT_SCHEMA
from cosmicdiff.errors import UsageError
from cosmicdiff.model import InputNote, SourceLocation, fast_constructor, fast_replacer


class Kind(StrEnum):
    """What differs (the ``kind`` field of the contract)."""

    MISSING = "missing"
    EXTRA = "extra"
    RENAMED = "renamed"
    TYPE_CHANGED = "type_changed"
    UNIT_CHANGED = "unit_changed"
    BINDING_CHANGED = "binding_changed"
    VALUELIST_CHANGED = "valuelist_changed"
    ORDER_CHANGED = "order_changed"
    MOVED = "moved"
    MANDATORY_CHANGED = "mandatory_changed"
    STATUS_CHANGED = "status_changed"
    VISIBILITY_CHANGED = "visibility_changed"
    ATTRIBUTE_CHANGED = "attribute_changed"
    UNRESOLVED_REFERENCE = "unresolved_reference"


class Entity(StrEnum):
    """What kind of configuration item deviates."""

    TEMPLATE = "template"
    KEYWORD = "keyword"
    VALUELIST = "valuelist"
    VALUE = "value"
    TERM = "term"


class Severity(StrEnum):
    """How much a deviation matters; ``rank`` orders them for ``--fail-on``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Return 1 for info, 2 for warning, 3 for error."""
        return _RANK[self._value_]


_RANK = {"info": 1, "warning": 2, "error": 3}
#: With --fail-on-new, the trends that gate: a new deviation, and a known one whose values
#: changed (the same item, another value: e.g. a waived unit that changed again).
_GATING_TRENDS = frozenset({"new", "updated"})


class ExitCode(IntEnum):
    """Exit status of every command (report-json.md)."""

    OK = 0
    DEVIATIONS = 1
    INPUT = 2
    INTERNAL = 3


class MatchMethod(StrEnum):
    """How a region item was paired with a baseline item."""

    MAPPING = "mapping"
    ID = "id"
    BINDING = "binding"
    NAME = "name"
    CODE = "code"


#: Kinds that, for keywords, describe one occurrence in a template rather than the keyword.
_ITEM_KINDS = frozenset({Kind.MISSING, Kind.EXTRA, Kind.ORDER_CHANGED, Kind.MOVED,
                         Kind.MANDATORY_CHANGED, Kind.UNRESOLVED_REFERENCE})


#: A place in an input file (for SARIF and messages): the model's own SourceLocation.
Location = SourceLocation


@dataclass(frozen=True, kw_only=True, slots=True)
class Deviation:
    """One difference between a region item and the baseline, later classified by a rule."""

    region: str
    kind: Kind
    entity: Entity
    baseline_id: str | None
    local_id: str | None
    path: str | None
    field: str | None = None
    expected: str | None = None
    actual: str | None = None
    case: str | None = None
    cases: tuple[str, ...] = ()
    name: str | None = None
    template: str | None = None
    matched_by: MatchMethod | None = None
    location: Location | None = None
    baseline_location: Location | None = None
    case_only: bool = False
    units: tuple[tuple[str, str], ...] = ()
    occurrence: int = 1
    # set by rules
    rule: str | None = None
    severity: Severity | None = None
    message: str = ""
    allowed: bool = False
    # set by waivers
    waived: bool = False
    waiver: str | None = None
    waiver_reason: str | None = None
    waiver_expires: str | None = None
    # a deviation read back from a saved JSON result keeps the id it was saved with
    saved_id: str | None = None
    # set with --reference: new, unchanged or updated (same id, other values) since then
    trend: str | None = None

    @property
    def id(self) -> str:
        """Return the stable fingerprint of region, kind, rule and item identities."""
        if self.saved_id is not None:
            return self.saved_id
        parts = [self.region, self.kind._value_, self.rule or "", self.entity._value_,
                 self.baseline_id or "", self.local_id or "",
                 self.path or "" if self.is_item_level() else "", self.field or ""]
        if self.occurrence > 1:
            parts.append(str(self.occurrence))
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]

    def __reduce__(self) -> tuple[object, ...]:
        # pickled as one tuple of its values: a forked compare worker sends thousands back,
        # and the dataclass default (a list built field by field) is twice as slow
        return (_deviation_from_values, (_deviation_values(self),))

    def is_item_level(self) -> bool:
        """Return True for findings about one template occurrence (their path is identity)."""
        return self.entity is Entity.KEYWORD and self.kind in _ITEM_KINDS

    def sort_key(self) -> tuple[str, ...]:
        """Return the order reports use: region, case, entity, ids, rule."""
        return (self.region, self.case or "\uffff", self.entity._value_, self.baseline_id or "",
                self.local_id or "", self.path or "", self.field or "", self.rule or "",
                self.kind._value_, str(self.occurrence))

    def to_json(self) -> dict[str, Any]:
        """Return the contract's JSON object for this deviation."""
        out: dict[str, Any] = {
            "id": self.id, "region": self.region, "case": self.case, "kind": self.kind._value_,
            "rule": self.rule, "severity": self.severity._value_ if self.severity else None,
            "entity": self.entity._value_, "baseline_id": self.baseline_id,
            "local_id": self.local_id, "path": self.path, "field": self.field,
            "expected": self.expected, "actual": self.actual, "message": self.message,
            "waived": self.waived, "name": self.name, "template": self.template,
            "cases": list(self.cases),
            "matched_by": self.matched_by._value_ if self.matched_by else None,
            "allowed_extension": self.allowed,
            "units": [list(u) for u in self.units],
            "location": _loc_json(self.location),
            "baseline_location": _loc_json(self.baseline_location),
        }
        if self.waiver:
            out["waiver"] = {"id": self.waiver, "reason": self.waiver_reason,
                             "expires": self.waiver_expires}
        if self.trend:
            out["trend"] = self.trend
        return out


_DEVIATION_FIELDS = tuple(f.name for f in fields(Deviation))
_deviation_values = attrgetter(*_DEVIATION_FIELDS)


#: ``Deviation(...)`` without the dataclass __init__'s cost (the diff builds thousands)
make_deviation = fast_constructor(Deviation)

#: ``replace_deviation(d, **changes)``: dataclasses.replace, four times as fast (the rules
#: classify every deviation this way)
replace_deviation = fast_replacer(Deviation)


def _deviation_from_values(values: tuple[Any, ...]) -> Deviation:
    """Rebuild a pickled Deviation from its values, in field order."""
    return make_deviation(*values)


def _seq(items: Iterator[dict[str, Any]], lazy: bool) -> Iterator[dict[str, Any]] | list[Any]:
    """Return a list, or with ``lazy`` the iterator itself (a writer that streams the JSON)."""
    return items if lazy else list(items)


def _loc_json(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"path": loc.path, "line": loc.line}


@dataclass(frozen=True, kw_only=True, slots=True)
class Trend:
    """What changed since a reference result (compare --reference PREVIOUS.json).

    ``resolved`` holds the reference's deviations (as saved) that are gone now;
    ``harmonisation`` the reference's scores after waivers, per region and case.
    """

    source: str
    evaluated_on: str
    baseline_version: str
    resolved: tuple[Deviation, ...] = ()
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
            out[region] = {c: {"before": before.get(c), "after": s.after_waivers}
                           for c, s in cases.items()}
        return out

    def to_json(self, result: Result) -> dict[str, Any]:
        """Return the JSON object of the trend."""
        return {"reference": {"source": self.source, "evaluated_on": self.evaluated_on,
                              "baseline_version": self.baseline_version},
                "fail_on_new": self.fail_on_new, "counts": self.counts(result),
                "harmonisation_change": self.score_changes(result),
                "resolved": [d.to_json() for d in self.resolved]}


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
    status: str  # "expired" | "stale" | "mismatch" | "unpinned"
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
            "id": self.waiver, "status": self.status, "region": self.region,
            "rule": self.rule, "item": self.item, "expires": self.expires,
            "matched": self.matched, "location": {"path": self.path, "line": self.line}}
        if self.status in ("mismatch", "unpinned"):
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
        out: dict[str, Any] = {"id": self.id, "name": self.name, "source": self.source,
                               "exported": self.exported, "cosmic_version": self.cosmic_version,
                               "compared": self.compared}
        if self.error:
            out["error"] = self.error
        out["coverage"] = {k: dict(v) for k, v in self.coverage.items()}
        out["matched_by"] = {k: dict(v) for k, v in self.matches.items()}
        out["formats"] = sorted(set(self.formats))
        out["input_notes"] = [n.to_json() for n in self.notes]
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class BaselineItem:
    """A baseline item in scope: what harmonisation scores and JUnit testcases count."""

    entity: str
    id: str
    name: str
    cases: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object for this item."""
        return {"entity": self.entity, "id": self.id, "name": self.name,
                "cases": list(self.cases)}


@dataclass(frozen=True, kw_only=True, slots=True)
class OutlineItem:
    """One item of a baseline template, flattened for side-by-side reports."""

    depth: int
    keyword: str
    name: str
    path: str
    mandatory: bool = False
    repeatable: bool = False

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object for this item."""
        return {"depth": self.depth, "keyword": self.keyword, "name": self.name,
                "path": self.path, "mandatory": self.mandatory, "repeatable": self.repeatable}


make_outline_item = fast_constructor(OutlineItem)


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
        return {"id": self.id, "name": self.name, "note_type": self.note_type,
                "version": self.version, "cases": list(self.cases),
                "items": [i.to_json() for i in self.items]}


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


@dataclass(frozen=True, kw_only=True, slots=True)
class Result:
    """Everything one comparison found; reporters render it and the exit status comes from it."""

    baseline_id: str
    baseline_name: str
    baseline_version: str
    baseline_source: str
    baseline_digest: str
    cases: tuple[tuple[str, str], ...]
    regions: tuple[RegionInfo, ...]
    deviations: tuple[Deviation, ...]
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

    def select(self, cases: Sequence[str] = (), regions: Sequence[str] = (),
               min_severity: Severity | None = None) -> Result:
        """Return the result narrowed to some cases, regions and severities (for reports)."""
        known_cases = [c for c, _ in self.cases]
        known_regions = [r.id for r in self.regions]
        for c in cases:
            if c not in known_cases:
                raise UsageError(f"unknown case {c!r}; the result has: {', '.join(known_cases)}")
        for r in regions:
            if r not in known_regions:
                raise UsageError(f"unknown region {r!r}; the result has: "
                                 f"{', '.join(known_regions)}")
        keep_c = set(cases or known_cases)
        keep_r = set(regions or known_regions)
        rank = min_severity.rank if min_severity else 0
        devs = tuple(d for d in self.deviations if d.region in keep_r
                     and (d.case in keep_c or (d.case is None and not cases))
                     and (d.severity or Severity.INFO).rank >= rank)
        return replace(
            self, cases=tuple(c for c in self.cases if c[0] in keep_c),
            regions=tuple(r for r in self.regions if r.id in keep_r), deviations=devs,
            scores={r: {c: s for c, s in cs.items() if c in keep_c}
                    for r, cs in self.scores.items() if r in keep_r},
            items=tuple(i for i in self.items if set(i.cases) & keep_c),
            templates=tuple(t for t in self.templates if set(t.cases) & keep_c),
            waiver_notes=tuple(w for w in self.waiver_notes if w.region in keep_r))

    def gating(self) -> list[Deviation]:
        """Return the unwaived deviations at or above ``fail_on`` (new or updated ones only
        with ``fail_on_new``)."""
        return list(self._gating())

    def _gating(self) -> Iterator[Deviation]:
        if self.fail_on is None:
            return
        rank = _RANK[self.fail_on._value_]
        new_only = self.fail_on_new
        for d in self.deviations:
            severity = d.severity
            if (severity is not None and not d.waived and _RANK[severity._value_] >= rank
                    and (not new_only or d.trend in _GATING_TRENDS)):
                yield d

    def exit_code(self) -> ExitCode:
        """Return 2 if a region was not compared, 1 if deviations gate, else 0."""
        if any(not r.compared for r in self.regions):
            return ExitCode.INPUT
        return ExitCode.DEVIATIONS if next(self._gating(), None) else ExitCode.OK

    def counts(self) -> dict[str, Any]:
        """Return counts by severity, by region (and severity) and by case."""
        levels = [s.value for s in reversed(Severity)]
        sev = dict.fromkeys(levels, 0)
        by_region: dict[str, dict[str, int]] = {r.id: dict.fromkeys(levels, 0)
                                                for r in self.regions}
        by_case: dict[str, dict[str, int]] = {}
        waived = 0
        for d in self.deviations:
            s = d.severity._value_ if d.severity else "info"
            if d.waived:
                waived += 1
            sev[s] += 1
            region = by_region.get(d.region)
            if region is None:
                region = by_region[d.region] = dict.fromkeys(levels, 0)
            region[s] += 1
            key = d.case or "-"
            case = by_case.get(key)
            if case is None:
                case = by_case[key] = dict.fromkeys(levels, 0)
            case[s] += 1
        return {"total": len(self.deviations), "waived": waived, "by_severity": sev,
                "by_region": by_region, "by_case": by_case,
                "gating": sum(1 for _ in self._gating()),
                "expected_suppressed": self.expected_suppressed}

    def to_json(self, lazy: bool = False) -> dict[str, Any]:
        """Return the whole result as the contract's JSON document."""
        return {
            "schema": RESULT_SCHEMA,
            "tool": {"name": "cosmicdiff", "version": self.tool_version},
            "evaluated_on": self.evaluated_on,
            "baseline": {"id": self.baseline_id, "name": self.baseline_name,
                         "version": self.baseline_version, "source": self.baseline_source,
                         "digest": self.baseline_digest,
                         "formats": sorted(set(self.baseline_formats)),
                         "input_notes": [n.to_json() for n in self.baseline_notes]},
            "cases": [{"id": cid, "name": name} for cid, name in self.cases],
            "regions": [r.to_json() for r in self.regions],
            "fail_on": self.fail_on.value if self.fail_on else "never",
            "exit_status": int(self.exit_code()),
            "deviations": _seq((d.to_json() for d in self.deviations), lazy),
            "summary": self.counts(),
            "harmonisation": {r: {c: s.after_waivers for c, s in cs.items()}
                              for r, cs in self.scores.items()},
            "harmonisation_raw": {r: {c: s.raw for c, s in cs.items()}
                                  for r, cs in self.scores.items()},
            "harmonisation_items": {r: {c: {"items": s.items, "clean": s.clean,
                                            "clean_raw": s.clean_raw} for c, s in cs.items()}
                                    for r, cs in self.scores.items()},
            "waivers": [w.to_json() for w in self.waiver_notes],
            "baseline_items": _seq((i.to_json() for i in self.items), lazy),
            "baseline_templates": _seq((t.to_json() for t in self.templates), lazy),
            **({"trend": self.trend.to_json(self)} if self.trend else {}),
        }
