"""One raw deviation: what differs between a region item and the baseline.

The diff produces these; the rules classify each into a :class:`~cosmicdiff.result.finding.
Finding` (rule, severity, message), which waivers and the trend then mark.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from cosmicdiff.model import SourceLocation
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod

#: Kinds that, for keywords, describe one occurrence in a template rather than the keyword.
_ITEM_KINDS = frozenset(
    {
        Kind.MISSING,
        Kind.EXTRA,
        Kind.ORDER_CHANGED,
        Kind.MOVED,
        Kind.MANDATORY_CHANGED,
        Kind.UNRESOLVED_REFERENCE,
    }
)


#: A place in an input file (for SARIF and messages): the model's own SourceLocation.
Location = SourceLocation


class GroupedItem(NamedTuple):
    """A region item reported inside another finding (an element of the archetype that
    fills a slot), not as a finding of its own: its id, path and name."""

    local_id: str
    path: str
    name: str | None = None
    #: the item's own value list (a code list), which comes with it
    value_list: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of a grouped item."""
        return {
            "local_id": self.local_id,
            "path": self.path,
            "name": self.name,
            "value_list": self.value_list,
        }


class Deviation(NamedTuple):
    """One difference between a region item and the baseline, before any rule looked at it.

    A typed named tuple (built with keyword arguments): the diff builds tens of thousands
    and forked workers send them back to the parent, where a tuple pickles cheaply.
    """

    region: str
    kind: Kind
    entity: Entity
    baseline_id: str | None
    local_id: str | None
    path: str | None
    field: str | None = None
    expected: str | None = None
    actual: str | None = None
    #: the first of ``cases`` (in baseline order): the case a report shows it under
    case: str | None = None
    cases: tuple[str, ...] = ()
    name: str | None = None
    #: the baseline template a finding is shown under (None for catalogue items)
    template: str | None = None
    matched_by: MatchMethod | None = None
    location: Location | None = None
    baseline_location: Location | None = None
    #: a rename that differs only in letter case
    case_only: bool = False
    #: the (entity, id) units of harmonisation this deviation spoils
    units: tuple[tuple[str, str], ...] = ()
    #: the n-th occurrence of the same keyword in one template
    occurrence: int = 1
    #: the names from the template down to the item, for people's reports (openEHR and
    #: FHIR template items; empty for COSMIC exports). Not part of the finding's identity.
    label_path: tuple[str, ...] = ()
    #: the region items this finding stands for, not reported on their own (a slot fill)
    grouped: tuple[GroupedItem, ...] = ()
    #: people's words for ``expected`` and ``actual`` where those are ids: the names of a
    #: moved item's heading in the baseline and in the region ('' for the top level). Not
    #: part of the finding's identity.
    expected_label: str | None = None
    actual_label: str | None = None

    def is_item_level(self) -> bool:
        """Return True for findings about one template occurrence (their path is identity)."""
        return self.entity is Entity.KEYWORD and self.kind in _ITEM_KINDS

    def sort_key(self, rule: str = "") -> tuple[str, ...]:
        """Return the order reports use: region, case, entity, ids, rule."""
        return (
            self.region,
            self.case or "\uffff",
            self.entity.value,
            self.baseline_id or "",
            self.local_id or "",
            self.path or "",
            self.field or "",
            rule,
            self.kind.value,
            str(self.occurrence),
        )

    def fingerprint(self, rule: str) -> str:
        """Return the stable id of this deviation classified by ``rule``.

        A hash of region, kind, rule and the items' identities (the path only where it is
        identity), never of values or lines: the same finding keeps its id from run to run.
        """
        parts = [
            self.region,
            self.kind.value,
            rule,
            self.entity.value,
            self.baseline_id or "",
            self.local_id or "",
            self.path or "" if self.is_item_level() else "",
            self.field or "",
        ]
        if self.occurrence > 1:
            parts.append(str(self.occurrence))
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def location_json(loc: Location | None) -> dict[str, Any] | None:
    """Return a location as the JSON contract writes it."""
    if loc is None:
        return None
    out: dict[str, Any] = {"path": loc.path, "line": loc.line}
    if loc.cell:
        out["cell"] = loc.cell  # a workbook's cell (Sökord!A12): only where there is one
    return out
