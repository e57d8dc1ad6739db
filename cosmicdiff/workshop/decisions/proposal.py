"""Build the baseline change proposal from adopt and align rows, and write it as YAML.

Adopt rows about the same item, kind and field are one change when the regions want the
same value, and a conflict (with the alternatives and who wants each) when they do not;
each change says where the baseline defines the item. Align rows become each region's work
list. The proposal changes nothing by itself: a person makes the changes in the baseline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict

import yaml

from cosmicdiff.model import Baseline
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.workshop.decisions.check import baseline_location
from cosmicdiff.workshop.decisions.model import Decision, DecisionsFile, Row
from cosmicdiff.workshop.decisions.texts import Texts, texts

PROPOSAL_SCHEMA = "cosmicdiff/proposal/1"
#: The columns that say why a row was decided as it was, copied to the proposal.
_WHY = ("justification", "decided_by", "decision_ref", "comment")
#: One change, conflict or action of the proposal (its keys in the order they are written).
Entry = dict[str, object]


class Proposal(TypedDict):
    """The baseline change proposal, in the order its YAML is written."""

    schema: str
    decisions: str
    baseline: dict[str, str]
    evaluated_on: str
    summary: dict[str, object]
    changes: list[Entry]
    conflicts: list[Entry]
    region_actions: dict[str, list[Entry]]


def build_proposal(doc: DecisionsFile, baseline: Baseline | None = None) -> Proposal:
    """Return the baseline change proposal: changes, conflicts and the regions' work lists."""
    t = texts(doc.lang)
    found: dict[str, list[Entry]] = {"changes": [], "conflicts": []}
    for rows in _adopted(doc.rows).values():
        section, entry = _change_or_conflict(rows, t, baseline)
        found[section].append(entry)
    changes, conflicts = found["changes"], found["conflicts"]
    actions = _region_actions(doc.rows)
    return {
        "schema": PROPOSAL_SCHEMA,
        "decisions": doc.display,
        "baseline": {"id": doc.baseline_id, "version": doc.baseline_version},
        "evaluated_on": doc.evaluated_on,
        "summary": {
            "changes": len(changes),
            "conflicts": len(conflicts),
            "region_actions": {r: len(a) for r, a in actions.items()},
        },
        "changes": changes,
        "conflicts": conflicts,
        "region_actions": actions,
    }


def _adopted(rows: Iterable[Row]) -> dict[tuple[str | None, ...], list[Row]]:
    """Return the adopt rows grouped by what they change: item, kind and field.

    An extra item (no baseline id) is a change of its own per region and local item.
    """
    groups: dict[tuple[str | None, ...], list[Row]] = {}
    for row in rows:
        if row.decision is Decision.ADOPT:
            key: tuple[str | None, ...] = (
                row.get("entity"),
                row.get("baseline_id"),
                row.get("kind"),
                row.get("field"),
            )
            if not row.get("baseline_id"):
                key += (row.get("region"), row.get("local_id"))
            groups.setdefault(key, []).append(row)
    return groups


def _change_or_conflict(rows: list[Row], t: Texts, baseline: Baseline | None) -> tuple[str, Entry]:
    """Return ("changes", the change) when the rows agree on the value, else a conflict."""
    head, where = _change_head(rows[0], t), _baseline_file(rows[0], baseline)
    alternatives: dict[str | None, list[Row]] = {}
    for row in rows:
        alternatives.setdefault(row.get("actual"), []).append(row)
    if len(alternatives) == 1:
        return "changes", {**head, "to": rows[0].get("actual"), **where, "regions": _sources(rows)}
    return "conflicts", {
        **head,
        **where,
        "alternatives": [
            {"to": to, "regions": _sources(alt)}
            for to, alt in sorted(alternatives.items(), key=lambda a: a[0] or "")
        ],
    }


def _change_head(row: Row, t: Texts) -> dict[str, str | None]:
    kind = row.get("kind") or ""
    head = {
        "entity": row.get("entity"),
        "baseline_id": row.get("baseline_id"),
        "kind": kind,
        "field": row.get("field"),
        "action": t.action(kind, Messages(t.lang).field(row.get("field"))),
        "from": row.get("expected"),
    }
    return {k: v for k, v in head.items() if v is not None or k == "from"}


def _baseline_file(row: Row, baseline: Baseline | None) -> dict[str, str]:
    """Return ``{"baseline_file": path:line}`` where the baseline defines the row's item."""
    bid = row.get("baseline_id")
    loc = baseline_location(baseline, row.get("entity"), bid) if baseline and bid else None
    if loc is None:
        return {}
    return {"baseline_file": f"{loc.path}:{loc.line}" if loc.line else loc.path}


def _sources(rows: Iterable[Row]) -> list[Entry]:
    """Return who proposed a value: region, case, local item, deviation, and why."""
    return [
        _present(
            {
                "region": r.get("region"),
                "case": r.get("case"),
                "local_id": r.get("local_id"),
                "path": r.get("path"),
                "deviation": r.id,
            }
            | {k: r.get(k) for k in _WHY}
        )
        for r in rows
    ]


def _region_actions(rows: Iterable[Row]) -> dict[str, list[Entry]]:
    """Return each region's align rows as its work list, regions in name order."""
    actions: dict[str, list[Entry]] = {}
    for row in rows:
        if row.decision is Decision.ALIGN:
            actions.setdefault(row.get("region") or "", []).append(_action(row))
    return dict(sorted(actions.items()))


def _action(row: Row) -> Entry:
    out: Entry = {"deviation": row.id} | {
        k: row.get(k)
        for k in (
            "case",
            "rule",
            "kind",
            "entity",
            "baseline_id",
            "local_id",
            "path",
            "field",
            "expected",
            "actual",
            "message",
        )
    }
    out |= {"owner": row.get("owner"), "due": row.expires} | {k: row.get(k) for k in _WHY}
    return _present(out)


def _present(values: Mapping[str, object]) -> Entry:
    """Return the entries whose value is not None."""
    return {k: v for k, v in values.items() if v is not None}


class _ProposalDumper(yaml.SafeDumper):
    """SafeDumper that double-quotes text with apostrophes (no doubled '' in messages)."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if "'" in data and '"' not in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_ProposalDumper.add_representer(str, _represent_str)


def render_proposal(proposal: Mapping[str, object], lang: str) -> str:
    """Return the proposal as commented YAML (deterministic)."""
    head = "".join(f"# {x}\n".replace("# \n", "#\n") for x in texts(lang).proposal_header)
    body = yaml.dump(
        dict(proposal),
        Dumper=_ProposalDumper,
        sort_keys=False,
        allow_unicode=True,
        width=2**31,
        default_flow_style=False,
    )
    return head + body
