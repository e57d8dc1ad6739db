"""A classified deviation: the raw Deviation with its rule, severity and message, and what
waivers and the trend say of it.

The JSON contract (report-json.md) calls these "deviations"; in code a Finding wraps the
diff's raw :class:`~cosmicdiff.result.deviation.Deviation`. Its ``id`` is computed once, when
the rule classifies it (a finding read back from a saved result keeps the id it was saved with).
"""

from __future__ import annotations

from typing import Any, NamedTuple, cast

import msgspec

from cosmicdiff.io.json_out import ENCODER
from cosmicdiff.result.deviation import Deviation, GroupedItem, Location, location_json
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod, Severity, TrendState


class AppliedWaiver(NamedTuple):
    """The waiver that waives a finding: its id, reason and expiry date (YYYY-MM-DD)."""

    id: str
    reason: str | None = None
    expires: str | None = None


class Finding(NamedTuple):
    """A deviation classified by a rule; waived by a waiver; new, unchanged or updated.

    A typed named tuple like its Deviation: built with keyword arguments, changed with
    ``_replace``, cheap to send back from a forked worker.
    """

    deviation: Deviation
    id: str
    rule: str
    severity: Severity
    message: str
    #: an allowed local extension (rules.yaml): reported, but it spoils no score
    allowed: bool = False
    waiver: AppliedWaiver | None = None
    #: with --reference: new, unchanged or updated since then
    trend: TrendState | None = None

    @classmethod
    def of(cls, deviation: Deviation, *, rule: str, severity: Severity, message: str) -> Finding:
        """Return the finding of ``deviation`` classified by ``rule`` (its id computed here)."""
        return cls(
            deviation=deviation,
            id=deviation.fingerprint(rule),
            rule=rule,
            severity=severity,
            message=message,
        )

    @property
    def ref(self) -> str:
        """Return the short reference people write on paper: the id's first 8 characters
        (the workshop report prints it in a region's decision cell, the decisions sheet in
        its first column)."""
        return self.id[:8]

    @property
    def waived(self) -> bool:
        """Return True when a waiver waives this finding (it does not gate)."""
        return self.waiver is not None

    # the deviation's fields, read through the finding (reports and rules read them a lot)
    @property
    def region(self) -> str:
        """Return the region the deviation was found in."""
        return self.deviation.region

    @property
    def kind(self) -> Kind:
        """Return what differs."""
        return self.deviation.kind

    @property
    def entity(self) -> Entity:
        """Return what kind of item deviates."""
        return self.deviation.entity

    @property
    def baseline_id(self) -> str | None:
        """Return the baseline item's id (None for an extra item)."""
        return self.deviation.baseline_id

    @property
    def local_id(self) -> str | None:
        """Return the region item's id (None for a missing item)."""
        return self.deviation.local_id

    @property
    def path(self) -> str | None:
        """Return the item's path (template/heading/…/keyword, or the id)."""
        return self.deviation.path

    @property
    def field(self) -> str | None:
        """Return the attribute that differs, where the kind needs one."""
        return self.deviation.field

    @property
    def expected(self) -> str | None:
        """Return the baseline's value."""
        return self.deviation.expected

    @property
    def actual(self) -> str | None:
        """Return the region's value."""
        return self.deviation.actual

    @property
    def case(self) -> str | None:
        """Return the case a report shows the finding under."""
        return self.deviation.case

    @property
    def cases(self) -> tuple[str, ...]:
        """Return every case the deviating item belongs to."""
        return self.deviation.cases

    @property
    def name(self) -> str | None:
        """Return the item's display name."""
        return self.deviation.name

    @property
    def template(self) -> str | None:
        """Return the baseline template the finding is shown under."""
        return self.deviation.template

    @property
    def matched_by(self) -> MatchMethod | None:
        """Return how the region item was paired with the baseline item."""
        return self.deviation.matched_by

    @property
    def location(self) -> Location | None:
        """Return where the region item stands."""
        return self.deviation.location

    @property
    def baseline_location(self) -> Location | None:
        """Return where the baseline item stands."""
        return self.deviation.baseline_location

    @property
    def case_only(self) -> bool:
        """Return True for a rename in letter case only."""
        return self.deviation.case_only

    @property
    def units(self) -> tuple[tuple[str, str], ...]:
        """Return the units of harmonisation the deviation spoils."""
        return self.deviation.units

    @property
    def label_path(self) -> tuple[str, ...]:
        """Return the names from the template down to the item (empty: none given)."""
        return self.deviation.label_path

    @property
    def expected_label(self) -> str | None:
        """Return people's words for ``expected`` (a moved item's baseline heading), if any."""
        return self.deviation.expected_label

    @property
    def actual_label(self) -> str | None:
        """Return people's words for ``actual`` (a moved item's region heading), if any."""
        return self.deviation.actual_label

    @property
    def occurrence(self) -> int:
        """Return which occurrence of the keyword in its template this is."""
        return self.deviation.occurrence

    @property
    def grouped(self) -> tuple[GroupedItem, ...]:
        """Return the region items reported inside this finding (a slot fill's elements)."""
        return self.deviation.grouped

    def is_item_level(self) -> bool:
        """Return True for findings about one template occurrence."""
        return self.deviation.is_item_level()

    def sort_key(self) -> tuple[str, ...]:
        """Return the order reports use: region, case, entity, ids, rule."""
        return self.deviation.sort_key(self.rule)

    def record(self) -> dict[str, Any]:
        """Return the contract's JSON object for this finding as the encoder takes it: enums
        and tuples where :meth:`to_json` has their values and lists (msgspec writes them
        alike, and a record costs a third: no ``Enum.value`` look-ups, no list copies)."""
        d = self.deviation
        out: dict[str, Any] = {
            "id": self.id,
            "region": d.region,
            "case": d.case,
            "kind": d.kind,
            "rule": self.rule,
            "severity": self.severity,
            "entity": d.entity,
            "baseline_id": d.baseline_id,
            "local_id": d.local_id,
            "path": d.path,
            "field": d.field,
            "expected": d.expected,
            "actual": d.actual,
            "message": self.message,
            "waived": self.waiver is not None,
            "name": d.name,
            "template": d.template,
            "cases": d.cases,
            "matched_by": d.matched_by,
            "allowed_extension": self.allowed,
            "units": d.units,
            "location": location_json(d.location),
            "baseline_location": location_json(d.baseline_location),
        }
        # the optional keys: left out when empty
        if d.label_path:
            out["label_path"] = d.label_path
        if d.grouped:
            out["grouped"] = [g.to_json() for g in d.grouped]
        if d.expected_label is not None:
            out["expected_label"] = d.expected_label
        if d.actual_label is not None:
            out["actual_label"] = d.actual_label
        if self.waiver is not None:
            w = self.waiver
            out["waiver"] = {"id": w.id, "reason": w.reason, "expires": w.expires}
        if self.trend is not None:
            out["trend"] = self.trend
        return out

    def to_json(self) -> dict[str, Any]:
        """Return the contract's JSON object for this finding (plain values and lists): its
        :meth:`record` as the result file holds it, read back."""
        return cast(dict[str, Any], msgspec.json.decode(ENCODER.encode(self.record())))
