"""The JSON result's long lists as the encoder takes them: one record per finding, baseline
item and template, made without copies.

A record has the keys and values of the item's ``to_json()`` in the same order (the contract,
report-json.md), but holds enums and tuples where ``to_json()`` holds their values and lists:
msgspec (``io/json_out.ENCODER``) writes an enum as its value and a tuple as an array, so the
bytes are the same and a record costs a third of ``to_json()`` (no ``Enum.value`` look-ups,
no list copies). ``tests/test_json_records.py`` checks that the written result parses to
``Result.to_json()``.
"""

from __future__ import annotations

from typing import Any

from cosmicdiff.result.deviation import Location
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.parts import BaselineItem, TemplateOutline


def _location(loc: Location | None) -> dict[str, Any] | None:
    """Return a location as ``location_json`` does (the cell only where there is one)."""
    if loc is None:
        return None
    if loc.cell:
        return {"path": loc.path, "line": loc.line, "cell": loc.cell}
    return {"path": loc.path, "line": loc.line}


def finding_record(f: Finding) -> dict[str, Any]:
    """Return ``f.to_json()`` for the encoder: the same keys, order and encoded values."""
    d = f.deviation
    out: dict[str, Any] = {
        "id": f.id,
        "region": d.region,
        "case": d.case,
        "kind": d.kind,
        "rule": f.rule,
        "severity": f.severity,
        "entity": d.entity,
        "baseline_id": d.baseline_id,
        "local_id": d.local_id,
        "path": d.path,
        "field": d.field,
        "expected": d.expected,
        "actual": d.actual,
        "message": f.message,
        "waived": f.waiver is not None,
        "name": d.name,
        "template": d.template,
        "cases": d.cases,
        "matched_by": d.matched_by,
        "allowed_extension": f.allowed,
        "units": d.units,
        "location": _location(d.location),
        "baseline_location": _location(d.baseline_location),
    }
    # the optional keys: left out when empty, as to_json() leaves them out
    if d.label_path:
        out["label_path"] = d.label_path
    if d.grouped:
        out["grouped"] = [g.to_json() for g in d.grouped]
    if d.expected_label is not None:
        out["expected_label"] = d.expected_label
    if d.actual_label is not None:
        out["actual_label"] = d.actual_label
    if f.waiver is not None:
        w = f.waiver
        out["waiver"] = {"id": w.id, "reason": w.reason, "expires": w.expires}
    if f.trend is not None:
        out["trend"] = f.trend
    return out


def item_record(i: BaselineItem) -> dict[str, Any]:
    """Return ``i.to_json()`` for the encoder."""
    return {"entity": i.entity, "id": i.id, "name": i.name, "cases": i.cases}


def template_record(t: TemplateOutline) -> dict[str, Any]:
    """Return ``t.to_json()`` for the encoder, its items with it."""
    return {
        "id": t.id,
        "name": t.name,
        "note_type": t.note_type,
        "version": t.version,
        "cases": t.cases,
        "items": [
            {
                "depth": i.depth,
                "keyword": i.keyword,
                "name": i.name,
                "path": i.path,
                "mandatory": i.mandatory,
                "repeatable": i.repeatable,
            }
            for i in t.items
        ],
    }
