"""Check the decided rows: complete, consistent with each other and with the baseline.

The problems of a decision, not of the file's form: an accepted row without its reason,
owner or expiry date, a date in the past, a deviation twice, identifying columns that no
longer match the row's deviation id, an accepted row whose waiver would also waive a row
that is not accepted, and rows about items the baseline does not have.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from cosmicdiff.errors import Problem, quoted
from cosmicdiff.model import Baseline, Export, SourceLocation
from cosmicdiff.result.parts import PIN_KEYS
from cosmicdiff.workshop.decisions.model import Decision, DecisionsFile, Row
from cosmicdiff.workshop.decisions.waivers import WaiverEntry, waiver_entry


class _Located(Protocol):
    @property
    def loc(self) -> SourceLocation: ...


def check_rows(rows: Sequence[Row], today: dt.date) -> list[Problem]:
    """Return every problem of the decided rows: values, dates, duplicates, edited ids."""
    problems: list[Problem] = []
    seen: dict[str, Row] = {}
    for row in rows:
        first = seen.get(row.id)
        if first is not None:
            problems.append(
                row.spot("id").problem(
                    f"deviation {row.id} appears twice (first at {first.spot().place()}); keep one "
                    "row per deviation"
                )
            )
            continue
        seen[row.id] = row
        if row.deviation() is None:
            problems.append(
                row.spot().problem(
                    "the identifying columns (region, kind, rule, entity, baseline_id, local_id, "
                    "path, field) were changed: they no longer match the row's deviation id; "
                    "restore them from the template",
                    row.context(),
                )
            )
        problems += _check_decision(row, today)
    return problems + _check_overlaps(list(seen.values()))


def _check_decision(row: Row, today: dt.date) -> list[Problem]:
    out: list[Problem] = []
    if row.decision is Decision.ACCEPT:
        missing = [k for k in ("justification", "owner", "expires") if not row.get(k)]
        if missing:
            out.append(
                row.spot("decision").problem(
                    f"accept needs {_and_list(missing)} (an accepted local variant becomes a "
                    "waiver with a reason, an owner and an expiry date)",
                    row.context(),
                )
            )
        if row.expires is not None and row.expires < today:
            out.append(
                row.spot("expires").problem(
                    f"expires {row.expires.isoformat()} is in the past (today is "
                    f"{today.isoformat()})",
                    row.context(),
                )
            )
    elif row.decision is Decision.ADOPT and row.get("expires"):
        out.append(
            row.spot("expires").problem(
                "expires is for accept (the waiver's expiry) and align (the region's deadline); "
                "leave it empty for adopt",
                row.context(),
            )
        )
    return out


def _and_list(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _check_overlaps(rows: Sequence[Row]) -> list[Problem]:
    """Refuse an accepted row whose waiver would also waive a row that is not accepted."""
    others: dict[tuple[str | None, str | None], list[Row]] = {}
    for row in rows:
        if row.decision is not Decision.ACCEPT:
            others.setdefault((row.get("region"), row.get("rule")), []).append(row)
    out = []
    for row in rows:
        if row.decision is not Decision.ACCEPT:
            continue
        entry = waiver_entry(row, "")
        for other in others.get((row.get("region"), row.get("rule")), ()):
            if _selects(entry, other):
                out.append(
                    row.spot("decision").problem(
                        f"its waiver would also waive deviation {other.id[:8]} "
                        f"({other.spot().place()}), which is not accepted: a waiver selects by "
                        "region, rule, item, path and the values it is pinned to, so decide both "
                        "rows alike",
                        row.context(),
                    )
                )
    return out


def _selects(entry: WaiverEntry, other: Row) -> bool:
    """Return True when a waiver (of the same region and rule) selects ``other``'s deviation."""
    return (
        entry["item"] in (other.get("baseline_id"), other.get("local_id"))
        and entry.get("path") in (None, other.get("path"))
        and all(entry[k] == other.get(k) for k in PIN_KEYS)
    )


def check_baseline(doc: DecisionsFile, baseline: Baseline, display: str) -> list[Problem]:
    """Return problems of the decided rows against the baseline they are meant for."""
    if doc.baseline_id and doc.baseline_id != baseline.id:
        return [
            Problem(
                doc.display,
                None,
                f"the decisions are about baseline "
                f"{quoted(doc.baseline_id)}, but {display} is baseline {baseline.id!r}",
            )
        ]
    out = []
    for row in doc.rows:
        bid = row.get("baseline_id")
        if (
            row.decision in (Decision.ADOPT, Decision.ACCEPT)
            and bid
            and baseline_location(baseline, row.get("entity"), bid) is None
        ):
            out.append(
                row.spot("baseline_id").problem(
                    f"baseline {baseline.id} {baseline.version} has no {row.get('entity')} "
                    f"{quoted(bid)}",
                    row.context(),
                )
            )
    return out


def baseline_location(baseline: Baseline, entity: str | None, bid: str) -> SourceLocation | None:
    """Return where the baseline defines the item ``bid`` of ``entity`` (None: it does not)."""
    found = _find(baseline.export, entity, bid)
    return found.loc if found is not None else None


def _find(ex: Export, entity: str | None, bid: str) -> _Located | None:
    if entity == "value":
        vl_id, hash_, code = bid.partition("#")
        vl = ex.value_lists.get(vl_id) if hash_ else None
        return next((v for v in vl.values if v.code == code), None) if vl else None
    tables: dict[str, Mapping[str, _Located]] = {
        "template": ex.templates,
        "keyword": ex.keywords,
        "valuelist": ex.value_lists,
        "term": ex.terms,
    }
    table = tables.get(entity or "")
    return table.get(bid) if table is not None else None
