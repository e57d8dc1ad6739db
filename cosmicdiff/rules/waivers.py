"""Waivers: accepted deviations, scoped to region x rule x item, with an expiry date.

A waived deviation is still reported (``waived: true``) but does not gate. An expired
waiver stops waiving and is itself reported; a waiver that matches nothing is reported
as stale. Waivers run after the rules and never delete a finding.

```yaml
waivers:
  - id: W-2026-003
    region: kalmar
    rule: CD206                 # code or name
    item: ESP-SO-00040          # baseline or local id; a value is VL#code
    path: RKL-JM-12/RKL-SO-1    # optional: only this template occurrence
    reason: Beslut om att visa sökordet för patienter, juridisk bedömning pågår
    owner: Förvaltningsobjekt Vårdtjänster, Region Kalmar län
    approver: eSPiR styrgrupp
    decision: eSPiR-styrgruppen 2026-09-14 §12
    expires: 2027-06-30
```
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cosmicdiff.errors import ConfigError, ExportError, excerpt, quoted
from cosmicdiff.parsers._yaml import line_of, load_yaml
from cosmicdiff.result import Deviation, WaiverNote, replace_deviation
from cosmicdiff.rules import find_rule

_KEYS = {"id", "region", "rule", "item", "path", "reason", "owner", "approver", "decision",
         "expires"}
_REQUIRED = ("region", "rule", "item", "reason", "owner", "expires")


@dataclass(frozen=True, kw_only=True, slots=True)
class Waiver:
    """One waiver entry, validated."""

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
    file: str = ""
    line: int | None = None

    def matches(self, d: Deviation) -> bool:
        """Return True when this waiver covers the deviation (by ids, never by line)."""
        return (d.region == self.region and d.rule == self.rule
                and self.item in (d.baseline_id, d.local_id)
                and (self.path is None or self.path == d.path))


def load_waivers(path: Path, display: str) -> list[Waiver]:
    """Read and validate a waiver file; raise ConfigError with file:line on any problem."""
    try:
        data = load_yaml(path, display)
    except ExportError as exc:
        raise ConfigError(str(exc)) from None
    if data is None:
        return []

    def fail(container: Any, key: Any, message: str) -> ConfigError:
        line = line_of(container, key)
        return ConfigError(f"{display}:{line}: {message}" if line else f"{display}: {message}")

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
                raise fail(raw, key, f"unknown key {excerpt(key)} in a waiver; allowed: "
                                     f"{', '.join(sorted(_KEYS))}")
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
        wid = str(raw.get("id") or f"W{index + 1}")
        if wid in seen:
            raise fail(raw, "id",
                       f"waiver id {quoted(wid)} is used twice (first on line {seen[wid]})")
        seen[wid] = line_of(raw)
        out.append(Waiver(
            id=wid, region=str(raw["region"]), rule=rule.code, item=str(raw["item"]),
            reason=str(raw["reason"]), owner=str(raw["owner"]), expires=expires,
            path=str(raw["path"]) if raw.get("path") else None,
            approver=str(raw["approver"]) if raw.get("approver") else None,
            decision=str(raw["decision"]) if raw.get("decision") else None,
            file=display, line=line_of(raw)))
    return out


def apply_waivers(deviations: list[Deviation], waivers: list[Waiver], today: dt.date,
                  regions: set[str]) -> tuple[list[Deviation], list[WaiverNote]]:
    """Mark waived deviations; return them with notes on expired and stale waivers.

    Waivers for regions not compared in this run are neither applied nor reported stale.
    """
    hits = {w.id: 0 for w in waivers}
    out = []
    for d in deviations:
        for w in waivers:
            if w.matches(d):
                hits[w.id] += 1
                if w.expires >= today and not d.waived:
                    d = replace_deviation(d, waived=True, waiver=w.id, waiver_reason=w.reason,
                                waiver_expires=w.expires.isoformat())
        out.append(d)
    notes = []
    for w in waivers:
        if w.region not in regions:
            continue
        status = "expired" if w.expires < today else "stale" if hits[w.id] == 0 else None
        if status:
            notes.append(WaiverNote(waiver=w.id, status=status, region=w.region, rule=w.rule,
                                    item=w.item, path=w.file, line=w.line,
                                    expires=w.expires.isoformat(), matched=hits[w.id]))
    return out, notes
