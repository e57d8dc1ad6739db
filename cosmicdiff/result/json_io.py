"""Read a saved JSON result (``cosmicdiff/result/1``) back into a Result.

``cosmicdiff report result.json --format html`` renders any format from the JSON alone, so
CI can keep the JSON and people can render it later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cosmicdiff import RESULT_SCHEMA
from cosmicdiff.errors import ExportError, ReportError
from cosmicdiff.io.safe_json import parse_json
from cosmicdiff.model import InputNote
from cosmicdiff.result.deviation import Deviation, GroupedItem, Location
from cosmicdiff.result.finding import AppliedWaiver, Finding
from cosmicdiff.result.parts import (
    PIN_KEYS,
    BaselineItem,
    OutlineItem,
    PinValues,
    RegionInfo,
    Score,
    TemplateOutline,
    Trend,
    WaiverNote,
)
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod, Severity, TrendState, WaiverStatus


def _loc(raw: Any) -> Location | None:
    if not raw:
        return None
    return Location(path=raw["path"], line=raw.get("line"), cell=raw.get("cell"))


def _text_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


def _finding(raw: dict[str, Any]) -> Finding:
    """Return a saved finding as it was saved: its id, classification, waiver and trend."""
    deviation = Deviation(
        region=raw["region"],
        kind=Kind(raw["kind"]),
        entity=Entity(raw["entity"]),
        baseline_id=raw.get("baseline_id"),
        local_id=raw.get("local_id"),
        path=raw.get("path"),
        field=raw.get("field"),
        expected=raw.get("expected"),
        actual=raw.get("actual"),
        case=raw.get("case"),
        cases=tuple(raw.get("cases") or ()),
        name=raw.get("name"),
        template=raw.get("template"),
        matched_by=MatchMethod(raw["matched_by"]) if raw.get("matched_by") else None,
        location=_loc(raw.get("location")),
        baseline_location=_loc(raw.get("baseline_location")),
        case_only=raw.get("rule") == "CD106",
        units=tuple((str(u[0]), str(u[1])) for u in raw.get("units") or ()),
        label_path=tuple(str(label) for label in raw.get("label_path") or ()),
        expected_label=_text_or_none(raw.get("expected_label")),
        actual_label=_text_or_none(raw.get("actual_label")),
        grouped=tuple(
            GroupedItem(
                local_id=str(g["local_id"]),
                path=str(g["path"]),
                name=g.get("name"),
                value_list=g.get("value_list"),
            )
            for g in raw.get("grouped") or ()
        ),
    )
    waiver = raw.get("waiver") or {}
    return Finding(
        deviation=deviation,
        id=str(raw["id"]),
        rule=str(raw["rule"]),
        severity=Severity(raw["severity"]),
        message=raw.get("message") or "",
        allowed=bool(raw.get("allowed_extension")),
        waiver=AppliedWaiver(
            id=str(waiver.get("id") or ""),
            reason=waiver.get("reason"),
            expires=waiver.get("expires"),
        )
        if raw.get("waived")
        else None,
        trend=TrendState(raw["trend"]) if raw.get("trend") else None,
    )


def _trend(raw: Any) -> Trend | None:
    if not raw:
        return None
    ref = raw.get("reference") or {}
    before = {
        r: {c: s["before"] for c, s in cases.items() if s.get("before") is not None}
        for r, cases in (raw.get("harmonisation_change") or {}).items()
    }
    return Trend(
        source=ref.get("source") or "",
        evaluated_on=ref.get("evaluated_on") or "",
        baseline_version=ref.get("baseline_version") or "",
        resolved=tuple(_finding(d) for d in raw.get("resolved") or ()),
        harmonisation=before,
        fail_on_new=bool(raw.get("fail_on_new")),
    )


def _scores(doc: dict[str, Any]) -> dict[str, dict[str, Score]]:
    out: dict[str, dict[str, Score]] = {}
    for region, cases in (doc.get("harmonisation_items") or {}).items():
        out[region] = {
            c: Score(items=v["items"], clean=v["clean"], clean_raw=v["clean_raw"])
            for c, v in cases.items()
        }
    return out


def _outline(raw: dict[str, Any]) -> TemplateOutline:
    return TemplateOutline(
        id=raw["id"],
        name=raw["name"],
        note_type=raw.get("note_type"),
        version=raw.get("version"),
        cases=tuple(raw.get("cases") or ()),
        items=tuple(
            OutlineItem(
                depth=i["depth"],
                keyword=i["keyword"],
                name=i["name"],
                path=i["path"],
                mandatory=i.get("mandatory", False),
                repeatable=i.get("repeatable", False),
            )
            for i in raw.get("items") or ()
        ),
    )


def result_from_json(doc: dict[str, Any]) -> Result:
    """Build a Result from a parsed JSON result document."""
    base = doc["baseline"]
    fail_on = doc.get("fail_on", "error")
    return Result(
        baseline_id=base["id"],
        baseline_name=base.get("name") or base["id"],
        baseline_version=base.get("version") or "",
        baseline_source=base.get("source") or "",
        baseline_digest=base.get("digest") or "",
        cases=tuple((c["id"], c["name"]) for c in doc.get("cases") or ()),
        regions=tuple(
            RegionInfo(
                id=r["id"],
                name=r.get("name"),
                source=r.get("source") or "",
                exported=r.get("exported"),
                cosmic_version=r.get("cosmic_version"),
                compared=r.get("compared", True),
                error=r.get("error"),
                coverage=r.get("coverage") or {},
                matches=r.get("matched_by") or {},
                formats=tuple(r.get("formats") or ()),
                notes=_notes(r.get("input_notes")),
            )
            for r in doc.get("regions") or ()
        ),
        deviations=tuple(_finding(d) for d in doc.get("deviations") or ()),
        scores=_scores(doc),
        items=tuple(
            BaselineItem(
                entity=Entity(i["entity"]),
                id=i["id"],
                name=i["name"],
                cases=tuple(i.get("cases") or ()),
            )
            for i in doc.get("baseline_items") or ()
        ),
        templates=tuple(_outline(t) for t in doc.get("baseline_templates") or ()),
        waiver_notes=tuple(_waiver_note(w) for w in doc.get("waivers") or ()),
        expected_suppressed=(doc.get("summary") or {}).get("expected_suppressed", 0),
        fail_on=None if fail_on == "never" else Severity(fail_on),
        evaluated_on=doc.get("evaluated_on") or "",
        tool_version=(doc.get("tool") or {}).get("version") or "",
        baseline_formats=tuple(base.get("formats") or ()),
        baseline_notes=_notes(base.get("input_notes")),
        trend=_trend(doc.get("trend")),
        fail_on_new=bool((doc.get("trend") or {}).get("fail_on_new")),
    )


def _waiver_note(w: dict[str, Any]) -> WaiverNote:
    found = w.get("found")
    return WaiverNote(
        waiver=w["id"],
        status=WaiverStatus(w["status"]),
        region=w["region"],
        rule=w["rule"],
        item=w["item"],
        path=(w.get("location") or {}).get("path", ""),
        line=(w.get("location") or {}).get("line"),
        expires=w.get("expires"),
        matched=w.get("matched", 0),
        deviation=w.get("deviation"),
        accepted=_pin_values(w.get("accepted")),
        found=None if found is None else _pin_values(found),
    )


def _pin_values(raw: Any) -> PinValues:
    """Return pinned or found values in PIN_KEYS order (the JSON object's order may vary)."""
    raw = raw or {}
    return tuple((k, raw[k]) for k in PIN_KEYS if k in raw)


def _notes(raw: Any) -> tuple[InputNote, ...]:
    return tuple(
        InputNote(
            kind=n["kind"],
            path=n.get("file") or "",
            line=n.get("line"),
            message=n["message"],
            subject=n.get("subject"),
            cell=n.get("cell"),
        )
        for n in raw or ()
    )


def load_result(path: Path, display: str) -> Result:
    """Read a saved JSON result; refuse anything that is not a cosmicdiff result."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"cannot read file: {exc.strerror or exc}", path=display) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ReportError("not a JSON result (not UTF-8 text)", path=display, line=line) from None
    try:
        doc = parse_json(text, display)
    except ExportError as exc:
        raise ReportError(exc.message, path=exc.path, line=exc.line) from None
    if not isinstance(doc, dict) or doc.get("schema") != RESULT_SCHEMA:
        raise ReportError(
            'not a cosmicdiff result (expected "schema": '
            f'"{RESULT_SCHEMA}"); write one with compare --format json',
            path=display,
        )
    try:
        return result_from_json(doc)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise ReportError(
            f"incomplete or damaged cosmicdiff result ({exc!r})", path=display
        ) from None
