"""One raw deviation: what differs between a region item and the baseline, later classified by a
rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from cosmicdiff.model import SourceLocation, fast_constructor, fast_replacer
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod, Severity

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


def _loc_json(loc: Location | None) -> dict[str, Any] | None:
    return None if loc is None else {"path": loc.path, "line": loc.line}
