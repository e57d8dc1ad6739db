"""Evolve the baseline: a draft from the regions' consensus, and what a new version changes.

``propose``: every attribute change the compared regions made to a baseline item is put to
a vote. Each compared region that has the item votes for its own value; a region without
a deviation on it votes for the baseline's value; a region that lacks the item does not
vote. A value with a strict majority of the votes goes into the draft (with its
provenance as a comment); no majority, or a majority split between two non-baseline
values, is a tie listed for the workshop to decide. Items a majority of regions lack are
dropped from their template or list; structural changes that need a person (order,
moves, other lists, bindings) and items only regions have are listed, never applied.

``workshop.propose`` runs this on compared regions and writes the draft folder;
``workshop.baseline_diff`` tells what a new version changes.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from cosmicdiff.model import (
    Baseline,
    Export,
    Item,
    Keyword,
    KeywordType,
    Status,
    Template,
    TemplateId,
    Term,
    Value,
    ValueList,
    name_key,
)
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Kind

#: (entity, kind, field) that propose applies when the regions agree; the rest is listed
APPLIED = {
    ("keyword", Kind.RENAMED, None),
    ("keyword", Kind.TYPE_CHANGED, None),
    ("keyword", Kind.UNIT_CHANGED, None),
    ("keyword", Kind.STATUS_CHANGED, None),
    ("keyword", Kind.VISIBILITY_CHANGED, None),
    ("keyword", Kind.ATTRIBUTE_CHANGED, "description"),
    ("keyword", Kind.MANDATORY_CHANGED, "mandatory"),
    ("keyword", Kind.MANDATORY_CHANGED, "repeatable"),
    ("keyword", Kind.MISSING, None),  # an item dropped from its template
    ("template", Kind.RENAMED, None),
    ("template", Kind.STATUS_CHANGED, None),
    ("template", Kind.ATTRIBUTE_CHANGED, "noteType"),
    ("template", Kind.MISSING, None),
    ("valuelist", Kind.RENAMED, None),
    ("value", Kind.RENAMED, None),
    ("value", Kind.MISSING, None),
    ("term", Kind.RENAMED, None),
}


@dataclass(frozen=True, kw_only=True, slots=True)
class Vote:
    """How the compared regions stand on one attribute of one baseline item."""

    entity: str
    baseline_id: str
    kind: str
    field: str | None
    template: str | None
    baseline_value: str | None
    votes: dict[str, str | None]  # region -> value it has (None: absent/none)
    outcome: str  # "change" | "tie" | "keep" | "listed"
    value: str | None = None  # the value the draft takes, for "change"

    def regions_for(self, value: str | None) -> list[str]:
        """Return the regions that have ``value``, sorted."""
        return sorted(r for r, v in self.votes.items() if v == value)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of the vote."""
        return {
            "entity": self.entity,
            "baseline_id": self.baseline_id,
            "kind": self.kind,
            "field": self.field,
            "template": self.template,
            "baseline_value": self.baseline_value,
            "votes": dict(sorted(self.votes.items())),
            "outcome": self.outcome,
            "value": self.value,
        }


@dataclass(slots=True)
class Proposal:
    """A draft baseline and the votes it came from."""

    export: Export
    templates_removed: list[str] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    additions: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Return how many votes ended in each outcome."""
        out = {"change": 0, "tie": 0, "listed": 0}
        for v in self.votes:
            out[v.outcome] = out.get(v.outcome, 0) + 1
        out["additions"] = len(self.additions)
        return out


def _key(d: Finding) -> tuple[str, str, str, str | None, str | None]:
    template = (
        d.template
        if d.kind in (Kind.MANDATORY_CHANGED, Kind.MISSING, Kind.ORDER_CHANGED, Kind.MOVED)
        else None
    )
    return (d.entity.value, d.baseline_id or "", d.kind.value, d.field, template)


def _majority(votes: dict[str, str | None]) -> str | None | bool:
    """Return the value a strict majority holds, or False when there is none."""
    tally: dict[str | None, int] = defaultdict(int)
    for v in votes.values():
        tally[v] += 1
    best = max(tally.items(), key=lambda kv: kv[1])
    return best[0] if best[1] * 2 > len(votes) else False


def collect_votes(result: Result) -> list[Vote]:
    """Put every deviation on a baseline item to the vote of the compared regions."""
    compared = [r.id for r in result.regions if r.compared]
    by_key: dict[tuple[str, str, str, str | None, str | None], dict[str, Finding]] = defaultdict(
        dict
    )
    # where a region lacks an item: (entity, id) -> region -> the templates it lacks it in
    missing: dict[tuple[str, str], dict[str, set[str | None]]] = defaultdict(
        lambda: defaultdict(set)
    )
    for d in result.deviations:
        if d.baseline_id is None:
            continue
        by_key[_key(d)].setdefault(d.region, d)
        if d.kind is Kind.MISSING:
            missing[(d.entity.value, d.baseline_id)][d.region].add(d.template)
    # a keyword's templates in the baseline: a region abstains on a keyword only when it
    # lacks it in every one of them (lacking it in one template is a vote on that item)
    used_in: dict[str, set[str]] = defaultdict(set)
    for outline in result.templates:
        for item in outline.items:
            used_in[item.keyword].add(outline.id)
    votes: list[Vote] = []
    for key in sorted(by_key, key=lambda k: tuple(x or "" for x in k)):
        entity, bid, kind, fname, template = key
        devs = by_key[key]
        first = next(iter(devs.values()))
        k = Kind(kind)
        if k is Kind.MISSING:
            ballot: dict[str, str | None] = {
                r: ("absent" if r in devs else "present") for r in compared
            }
            base_value: str | None = "present"
        else:
            base_value = first.expected
            lacking = missing.get((entity, bid), {})
            # (a result without template outlines cannot tell: the region votes)
            absent = {
                r
                for r, tpls in lacking.items()
                if entity != "keyword"
                or (used_in.get(bid) and used_in[bid] <= {t for t in tpls if t})
            }
            ballot = {
                r: (devs[r].actual if r in devs else base_value)
                for r in compared
                if r not in absent
            }
        applicable = (entity, k, fname) in APPLIED
        winner = _majority(ballot) if ballot else False
        if winner is not False and winner == base_value:
            continue  # the majority follows the baseline: nothing to propose
        if not applicable:
            outcome, value = "listed", None
        elif winner is False:
            outcome, value = "tie", None
        elif winner == base_value:
            continue  # the majority follows the baseline: nothing to propose
        else:
            outcome, value = "change", winner if isinstance(winner, str) else None
        votes.append(
            Vote(
                entity=entity,
                baseline_id=bid,
                kind=kind,
                field=fname,
                template=template,
                baseline_value=base_value,
                votes=ballot,
                outcome=outcome,
                value=value,
            )
        )
    return votes


def _additions(result: Result) -> list[dict[str, Any]]:
    """Return region-only items a strict majority of compared regions has (by name)."""
    compared = [r.id for r in result.regions if r.compared]
    groups: dict[tuple[str, str, str], dict[str, Finding]] = defaultdict(dict)
    for d in result.deviations:
        if d.kind is Kind.EXTRA and d.baseline_id is None:
            label = d.actual or d.name or d.local_id or ""
            parent = d.template or next((i for e, i in d.units if e == "valuelist"), "") or ""
            groups[(d.entity.value, parent, name_key(label))].setdefault(d.region, d)
    out = []
    for (entity, parent, _), devs in sorted(groups.items()):
        if len(devs) * 2 > len(compared):
            first = devs[min(devs)]
            out.append(
                {
                    "entity": entity,
                    "name": first.actual or first.name,
                    "in": parent or None,
                    "regions": {r: d.local_id for r, d in sorted(devs.items())},
                }
            )
    return out


def _change_note(v: Vote) -> str:
    what = v.kind if v.field is None else f"{v.kind} [{v.field}]"
    agree = v.regions_for(v.value)
    return (
        f"proposed: {what} {v.baseline_value!r} -> {v.value!r} "
        f"({', '.join(agree)}: {len(agree)} of {len(v.votes)} regions)"
    )


def _set_item(items: tuple[Item, ...], keyword: str, **changes: Any) -> tuple[Item, ...]:
    out = []
    for item in items:
        children = _set_item(item.children, keyword, **changes) if item.children else ()
        if item.keyword == keyword:
            item = item._replace(**changes)
        out.append(item._replace(children=children) if item.children else item)
    return tuple(out)


def _drop_item(items: tuple[Item, ...], keyword: str) -> tuple[Item, ...]:
    return tuple(
        i._replace(children=_drop_item(i.children, keyword)) for i in items if i.keyword != keyword
    )


def _bool(text: str | None) -> bool:
    return (text or "").strip().lower() in ("true", "yes", "ja", "1")


def propose(baseline: Baseline, result: Result) -> Proposal:
    """Return the draft baseline the compared regions' majority points to."""
    base = baseline.export
    keywords: dict[str, Keyword] = dict(base.keywords)
    templates: dict[str, Template] = dict(base.templates)
    lists: dict[str, ValueList] = dict(base.value_lists)
    terms: dict[str, Term] = dict(base.terms)
    prop = Proposal(export=base)
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for v in collect_votes(result):
        prop.votes.append(v)
        if v.outcome != "change":
            continue
        k, value, bid = Kind(v.kind), v.value, v.baseline_id
        note = _change_note(v)
        if v.entity == "keyword" and bid in keywords:
            kw = keywords[bid]
            if k is Kind.MISSING and v.template in templates:
                t = templates[v.template]
                templates[v.template] = dataclasses.replace(t, items=_drop_item(t.items, bid))
                notes[("templates", v.template)].append(note + f" (item {bid})")
                continue
            if k is Kind.MANDATORY_CHANGED and v.template in templates and v.field:
                t = templates[v.template]
                templates[v.template] = dataclasses.replace(
                    t, items=_set_item(t.items, bid, **{v.field: _bool(value)})
                )
                notes[("templates", v.template)].append(note + f" (item {bid})")
                continue
            changes: dict[str, Any] = {}
            if k is Kind.RENAMED and value:
                changes["name"] = value
            elif k is Kind.TYPE_CHANGED and value in {t.value for t in KeywordType}:
                changes["type"] = KeywordType(value)
            elif k is Kind.UNIT_CHANGED:
                changes["unit"] = value
            elif k is Kind.STATUS_CHANGED and value in {s.value for s in Status}:
                changes["status"] = Status(value)
            elif k is Kind.VISIBILITY_CHANGED:
                changes["hidden_from_1177"] = value == "hidden"
            elif k is Kind.ATTRIBUTE_CHANGED and v.field == "description":
                changes["description"] = value
            if changes:
                keywords[bid] = kw._replace(**changes)
                notes[("keywords", bid)].append(note)
        elif v.entity == "template" and bid in templates:
            t = templates[bid]
            if k is Kind.MISSING:
                del templates[bid]
                prop.templates_removed.append(bid)
                continue
            tchanges: dict[str, Any] = {}
            if k is Kind.RENAMED and value:
                tchanges["name"] = value
            elif k is Kind.STATUS_CHANGED and value in {s.value for s in Status}:
                tchanges["status"] = Status(value)
            elif k is Kind.ATTRIBUTE_CHANGED and v.field == "noteType":
                tchanges["note_type"] = value
            if tchanges:
                templates[bid] = dataclasses.replace(t, **tchanges)
                notes[("templates", bid)].append(note)
        elif v.entity == "valuelist" and bid in lists and k is Kind.RENAMED and value:
            lists[bid] = dataclasses.replace(lists[bid], name=value)
            notes[("valueLists", bid)].append(note)
        elif v.entity == "value":
            vid, _, code = bid.partition("#")
            if vid not in lists:
                continue
            vl = lists[vid]
            if k is Kind.MISSING:
                lists[vid] = dataclasses.replace(
                    vl, values=tuple(x for x in vl.values if x.code != code)
                )
            elif k is Kind.RENAMED and value:
                lists[vid] = dataclasses.replace(
                    vl,
                    values=tuple(
                        x._replace(display=value) if x.code == code else x for x in vl.values
                    ),
                )
            else:
                continue
            notes[("valueLists", vid)].append(note + f" (value {code})")
        elif v.entity == "term" and bid in terms and k is Kind.RENAMED and value:
            t_ = terms[bid]
            terms[bid] = dataclasses.replace(t_, displays={**t_.displays, "sv": value})
            notes[("terms", bid)].append(note)
    prop.additions = _additions(result)
    for add in prop.additions:
        if add["entity"] == "value" and add["in"] in lists:
            vl = lists[add["in"]]
            code = str(next(iter(add["regions"].values()))).partition("#")[2]
            if code and code not in {x.code for x in vl.values}:
                lists[add["in"]] = dataclasses.replace(
                    vl, values=(*vl.values, Value(code=code, display=str(add["name"])))
                )
                notes[("valueLists", vl.id)].append(
                    f"proposed: value {code!r} {add['name']!r} added "
                    f"({', '.join(add['regions'])} have it)"
                )
                add["applied"] = True
    prop.export = dataclasses.replace(
        base, keywords=keywords, templates=templates, value_lists=lists, terms=terms
    )
    prop.notes = dict(notes)
    return prop


def proposed_baseline(baseline: Baseline, prop: Proposal, version: str) -> Baseline:
    """Return the draft as a Baseline (cases without the templates it drops)."""
    cases = tuple(
        dataclasses.replace(
            c,
            templates=tuple(TemplateId(t) for t in c.templates if t not in prop.templates_removed),
        )
        for c in baseline.cases
    )
    return dataclasses.replace(baseline, version=version, export=prop.export, cases=cases)
