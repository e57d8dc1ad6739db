"""Waivers: accepted deviations, scoped to region x rule x item, pinned to the accepted
values, with an expiry date.

A waived deviation is still reported (``waived: true``) but does not gate. A waiver
selects deviations by ids (region, rule, item and, optionally, the template occurrence
``path``) and accepts them only with the values it pins: ``expected`` and ``actual`` (text,
or ``null`` for "no value") and, optionally, ``kind``. A selected deviation with other
values is not waived: it gates like any other, and the waiver is reported as a
``mismatch`` with what it accepted and what was found. An unpinned waiver (no ``expected``
and no ``actual``) waives whatever the value is; it still works but is reported as
``unpinned``, with the values to pin. An expired waiver stops waiving and is itself
reported; a waiver that matches nothing is reported as stale. Waivers run after the rules
and never delete a finding.

```yaml
waivers:
  - id: ESPIR-W-2026-007
    region: kalmar
    rule: CD202                 # code or name
    item: ESP-SO-00228          # baseline or local id; a value is VL#code
    path: RKL-JM-21/RKL-SO-21169  # optional: only this template occurrence
    kind: unit_changed          # optional: the deviation's kind
    expected: mmol/L            # the baseline's value the waiver accepts (null: none)
    actual: mmol/l              # the region's value the waiver accepts (null: none)
    reason: Laboratoriesystemet skickar mmol/l; rättas vid uppgradering av LIS-integrationen.
    owner: Förvaltningsobjekt Vårdtjänster, Region Kalmar län
    approver: eSPiR styrgrupp
    decision: eSPiR-styrgruppen 2026-09-14 §12
    expires: 2027-06-30
```
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cosmicdiff.errors import ConfigError, ExportError, excerpt, quoted
from cosmicdiff.io.safe_yaml import line_of, load_yaml
from cosmicdiff.result.finding import AppliedWaiver, Finding
from cosmicdiff.result.parts import PIN_KEYS, PinValues, WaiverNote
from cosmicdiff.rules import find_rule
from cosmicdiff.vocabulary import Kind, WaiverStatus

_KEYS = {
    "id",
    "region",
    "rule",
    "item",
    "path",
    "reason",
    "owner",
    "approver",
    "decision",
    "expires",
    "kind",
    "expected",
    "actual",
}
_REQUIRED = ("region", "rule", "item", "reason", "owner", "expires")


@dataclass(frozen=True, kw_only=True, slots=True)
class Waiver:
    """One waiver entry, validated.

    ``pins`` holds the values it accepts, ``(key, value)`` for each of ``kind``,
    ``expected`` and ``actual`` the entry names (a value may be None: "no value").
    """

    id: str
    region: str
    rule: str
    item: str
    reason: str
    owner: str
    expires: dt.date
    path: str | None = None
    approver: str | None = None
    decision: str | None = None
    pins: PinValues = ()
    file: str = ""
    line: int | None = None

    @property
    def pinned(self) -> bool:
        """Return True when the waiver names the value(s) it accepts (expected or actual)."""
        return any(k in ("expected", "actual") for k, _ in self.pins)

    def selects(self, d: Finding) -> bool:
        """Return True when the deviation is the one this waiver names (by ids, never by line)."""
        return (
            d.region == self.region
            and d.rule == self.rule
            and self.item in (d.baseline_id, d.local_id)
            and (self.path is None or self.path == d.path)
        )

    def misfits(self, d: Finding) -> tuple[str, ...]:
        """Return the pinned keys whose value the deviation does not have (empty: it fits)."""
        found = dict(values_of(d))
        return tuple(k for k, v in self.pins if found[k] != v)

    def matches(self, d: Finding) -> bool:
        """Return True when this waiver covers the deviation: selected, with the pinned values."""
        return self.selects(d) and not self.misfits(d)


def values_of(d: Finding) -> PinValues:
    """Return a deviation's values a waiver can pin, in PIN_KEYS order."""
    return (("kind", d.kind.value), ("expected", d.expected), ("actual", d.actual))


def load_waivers(path: Path, display: str) -> list[Waiver]:
    """Read and validate a waiver file; raise ConfigError with file:line on any problem."""
    try:
        data = load_yaml(path, display)
    except ExportError as exc:  # not YAML at all: the same problem, of a waiver file
        raise ConfigError(exc.message, path=exc.path, line=exc.line, context=exc.context) from None
    if data is None:
        return []

    def fail(container: Any, key: Any, message: str) -> ConfigError:
        return ConfigError(message, path=display, line=line_of(container, key))

    if not isinstance(data, dict) or set(data) - {"waivers"}:
        raise fail(data, None, "a waiver file holds one key, 'waivers', with a list of entries")
    entries = data.get("waivers") or []
    if not isinstance(entries, list):
        raise fail(data, "waivers", "'waivers' must be a list")
    out: list[Waiver] = []
    seen: dict[str, int | None] = {}
    for index, raw in enumerate(entries):
        if not isinstance(raw, dict):
            raise fail(entries, index, "each waiver must be a mapping")
        for key in raw:
            if key not in _KEYS:
                raise fail(
                    raw,
                    key,
                    f"unknown key {excerpt(key)} in a waiver; allowed: {', '.join(sorted(_KEYS))}",
                )
        for key in _REQUIRED:
            if raw.get(key) in (None, ""):
                raise fail(raw, None, f"waiver needs {key!r}")
        rule = find_rule(str(raw["rule"]))
        if rule is None:
            raise fail(raw, "rule", f"unknown rule {excerpt(raw['rule'])}; run 'cosmicdiff rules'")
        expires = raw["expires"]
        if isinstance(expires, str):
            with contextlib.suppress(ValueError):
                expires = dt.date.fromisoformat(expires)
        if not isinstance(expires, dt.date) or isinstance(expires, dt.datetime):
            raise fail(raw, "expires", f"expires must be a date YYYY-MM-DD, not {excerpt(expires)}")
        pins = _pins(raw, sorted(k.value for k in rule.kinds), rule.code, fail)
        wid = str(raw.get("id") or f"W{index + 1}")
        if wid in seen:
            raise fail(
                raw, "id", f"waiver id {quoted(wid)} is used twice (first on line {seen[wid]})"
            )
        seen[wid] = line_of(raw)
        out.append(
            Waiver(
                id=wid,
                region=str(raw["region"]),
                rule=rule.code,
                item=str(raw["item"]),
                reason=str(raw["reason"]),
                owner=str(raw["owner"]),
                expires=expires,
                path=str(raw["path"]) if raw.get("path") else None,
                approver=str(raw["approver"]) if raw.get("approver") else None,
                decision=str(raw["decision"]) if raw.get("decision") else None,
                pins=pins,
                file=display,
                line=line_of(raw),
            )
        )
    return out


def _pins(
    raw: dict[str, Any], kinds: list[str], code: str, fail: Callable[[Any, Any, str], ConfigError]
) -> PinValues:
    """Return the validated ``kind``, ``expected`` and ``actual`` an entry names."""
    pins: list[tuple[str, str | None]] = []
    for key in PIN_KEYS:
        if key not in raw:
            continue
        value = raw[key]
        if key == "kind":
            if value not in {k.value for k in Kind}:
                raise fail(
                    raw, key, f"unknown kind {excerpt(value)}; {code} reports: {', '.join(kinds)}"
                )
            if value not in kinds:
                raise fail(
                    raw,
                    key,
                    f"rule {code} never reports kind {excerpt(value)}; "
                    f"it reports: {', '.join(kinds)}",
                )
        elif isinstance(value, bool):
            value = "true" if value else "false"  # the words cosmicdiff writes for yes/no
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = value.isoformat()
        elif value is not None and not isinstance(value, str):
            raise fail(
                raw,
                key,
                f"{key} must be one value as text (quote it: {key}: "
                f"'...') or null for no value, not {excerpt(value)}",
            )
        pins.append((key, value))
    return tuple(pins)


def apply_waivers(
    deviations: list[Finding], waivers: list[Waiver], today: dt.date, regions: set[str]
) -> tuple[list[Finding], list[WaiverNote]]:
    """Mark waived deviations; return them with notes on the waivers to look at.

    A note says a waiver expired, is stale (matches nothing), mismatches (selects a
    deviation it is not pinned to: the deviation stays unwaived and gates) or is unpinned.
    Waivers for regions not compared in this run are neither applied nor reported.
    """
    by_key: dict[tuple[str, str], list[Waiver]] = {}
    for w in waivers:
        by_key.setdefault((w.region, w.rule), []).append(w)
    hits = {w.id: 0 for w in waivers}
    waived_values: dict[str, set[PinValues]] = {w.id: set() for w in waivers}
    misfits: dict[str, list[tuple[str, PinValues]]] = {w.id: [] for w in waivers}
    out = []
    for d in deviations:
        unfit: list[Waiver] = []
        for w in by_key.get((d.region, d.rule), ()):
            if not w.selects(d):
                continue
            if w.misfits(d):
                unfit.append(w)
                continue
            hits[w.id] += 1
            waived_values[w.id].add(values_of(d))
            if w.expires >= today and not d.waived:
                d = d._replace(
                    waiver=AppliedWaiver(id=w.id, reason=w.reason, expires=w.expires.isoformat())
                )
        if not d.waived:  # when another waiver waives it, these are merely stale
            for w in unfit:
                misfits[w.id].append((d.id, _picked(values_of(d), w.pins)))
        out.append(d)
    notes = []
    for w in waivers:
        if w.region not in regions:
            continue
        if w.expires < today:
            notes.append(_note(w, WaiverStatus.EXPIRED, hits[w.id]))
        elif misfits[w.id]:
            notes += [
                _note(
                    w,
                    WaiverStatus.MISMATCH,
                    hits[w.id],
                    deviation=dev_id,
                    accepted=w.pins,
                    found=found,
                )
                for dev_id, found in misfits[w.id]
            ]
        elif hits[w.id] == 0:
            notes.append(_note(w, WaiverStatus.STALE, 0))
        if not w.pinned:
            values = waived_values[w.id]
            missing = tuple((k, None) for k in PIN_KEYS if k not in dict(w.pins))
            notes.append(
                _note(
                    w,
                    WaiverStatus.UNPINNED,
                    hits[w.id],
                    accepted=w.pins,
                    found=_picked(next(iter(values)), missing) if len(values) == 1 else None,
                )
            )
    return out, notes


def _picked(values: PinValues, keys: PinValues) -> PinValues:
    """Return the ``values`` of the keys that ``keys`` names, in PIN_KEYS order."""
    wanted = {k for k, _ in keys}
    return tuple((k, v) for k, v in values if k in wanted)


def _note(
    w: Waiver,
    status: WaiverStatus,
    matched: int,
    deviation: str | None = None,
    accepted: PinValues = (),
    found: PinValues | None = None,
) -> WaiverNote:
    return WaiverNote(
        waiver=w.id,
        status=status,
        region=w.region,
        rule=w.rule,
        item=w.item,
        path=w.file,
        line=w.line,
        expires=w.expires.isoformat(),
        matched=matched,
        deviation=deviation,
        accepted=accepted,
        found=found,
    )


# --- messages for the command line (reports use their own, translated texts) ---------------


def quote(value: str | None) -> str:
    """Return a value as YAML would take it back: 'text' (or "text" with escapes), null."""
    if value is None:
        return "null"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
        return json.dumps(value, ensure_ascii=False)
    return "'" + value.replace("'", "''") + "'"


def describe_values(values: Iterable[tuple[str, str | None]], keys: Sequence[str]) -> str:
    """Return values for a message: just the value when only ``actual`` is meant."""
    chosen = [(k, v) for k, v in values if k in keys]
    if [k for k, _ in chosen] == ["actual"]:
        return quote(chosen[0][1])
    return ", ".join(f"{k} {v if k == 'kind' else quote(v)}" for k, v in chosen)


def pin_suggestion(found: PinValues | None, matched: int) -> str:
    """Return what to add to an unpinned waiver: the YAML keys with the values it waived."""
    if found:
        return ", ".join(f"{k}: {v if k == 'kind' else quote(v)}" for k, v in found)
    if matched > 1:
        return (
            f"expected: and actual: (it waives {matched} deviations with different "
            "values: give each its own waiver, with path, pinned to its values)"
        )
    return "expected: and actual: with the values it accepts"


def describe(note: WaiverNote) -> str:
    """Return a note as one English line (without the file:line prefix)."""
    if note.status is WaiverStatus.MISMATCH:
        keys = note.differs()
        return (
            f"waiver {note.waiver} no longer fits: it accepted "
            f"{describe_values(note.accepted, keys)}, found "
            f"{describe_values(note.found or (), keys)} (deviation "
            f"{(note.deviation or '')[:8]}: {note.region} / {note.rule} / {note.item}); "
            "the deviation is not waived"
        )
    if note.status is WaiverStatus.UNPINNED:
        return (
            f"waiver {note.waiver} is not pinned to a value: it waives {note.rule} for "
            f"{note.item} in {note.region} whatever the value; add "
            f"{pin_suggestion(note.found, note.matched)}"
        )
    if note.status is WaiverStatus.EXPIRED:
        return f"waiver {note.waiver} expired on {note.expires}"
    return f"waiver {note.waiver} matches no deviation"
