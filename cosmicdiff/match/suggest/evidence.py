"""Gather the evidence for a candidate pair: one signal per thing that can be judged.

Besides the name (``name_signal``), a keyword pair is judged by its ``type``, ``unit``,
``valueList`` (the two value lists are paired, else the share of values they have in
common) and ``structure`` (the keywords sit in templates paired with each other, under
paired parents, next to paired siblings); a template pair by its ``items`` (share of items
whose keywords are paired) and ``noteType``; a value-list pair by its ``values`` (share of
values in common by code, display or binding) and ``users`` (share of the keywords using
them that are paired with each other). A signal that cannot be judged (units of two text
keywords) is left out rather than counted as agreement.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from cosmicdiff.match.identity import Matches
from cosmicdiff.match.suggest.model import WEIGHTS, Section, Signal
from cosmicdiff.match.suggest.names import name_similarity
from cosmicdiff.model import Export, Item, ValueList, name_key, normalise_text


class _Slot(NamedTuple):
    """Where a keyword sits in a template: its parent and its neighbours (None at an edge)."""

    template: str
    parent: str | None
    prev: str | None
    next: str | None


@dataclass(slots=True)
class Side:
    """Lookup tables of one side (region or baseline), built once."""

    export: Export
    slots: dict[str, list[_Slot]] = field(default_factory=lambda: defaultdict(list))
    users: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    template_keywords: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, export: Export) -> Side:
        """Index an export's keyword places, value-list users and template keywords."""
        side = cls(export=export)
        for kid in sorted(export.keywords):
            vl = export.keywords[kid].value_list
            if vl:
                side.users[vl].append(kid)
        for tid in sorted(export.templates):
            tpl = export.templates[tid]
            side._place(tid, None, tpl.items)
            side.template_keywords[tid] = {item.keyword for _, item in tpl.walk()}
        return side

    def _place(self, tid: str, parent: str | None, items: tuple[Item, ...]) -> None:
        kws = [i.keyword for i in items]
        for n, item in enumerate(items):
            prev = kws[n - 1] if n > 0 else None
            nxt = kws[n + 1] if n + 1 < len(kws) else None
            self.slots[item.keyword].append(_Slot(tid, parent, prev, nxt))
            if item.children:
                self._place(tid, item.keyword, item.children)


@dataclass(slots=True)
class Context:
    """Both sides' lookup tables and the pairs the identity steps made."""

    region: Side
    base: Side
    matches: Matches


def _signal(kind: Section, name: str, score: float, detail: str) -> Signal:
    return Signal(name=name, score=round(score, 4), weight=WEIGHTS[kind][name], detail=detail)


def _agreement(kind: Section, name: str, label: str, local: str | None, base: str | None) -> Signal:
    """Return 1 when a property is the same on both sides, else 0, saying which it is."""
    if local == base:
        return _signal(kind, name, 1.0, f"same {label} {local}")
    return _signal(
        kind, name, 0.0, f"{label} differs ({local or 'none'}, baseline {base or 'none'})"
    )


def name_signal(kind: Section, local: str, base: str) -> Signal:
    """Return the signal of the two names' similarity."""
    sim = name_similarity(local, base)
    detail = f'name {sim:.2f} ("{normalise_text(local)}" ~ "{normalise_text(base)}")'
    return _signal(kind, "name", sim, detail)


def _value_overlap(a: ValueList, b: ValueList) -> tuple[float, int, int]:
    """Return the share of values two lists have in common (by code, display or binding)."""
    n = max(len(a.values), len(b.values))
    if n == 0:
        return 0.0, 0, 0
    codes = len({v.code for v in a.values} & {v.code for v in b.values})
    displays = len(
        {name_key(v.display) for v in a.values} & {name_key(v.display) for v in b.values}
    )
    bound = {str(x) for v in b.values for x in v.bindings}
    bindings = sum(1 for v in a.values if any(str(x) in bound for x in v.bindings))
    common = min(max(codes, displays, bindings), n)
    return common / n, common, n


def _paired(ctx: Context, local: Collection[str], base: Collection[str]) -> tuple[int, int]:
    """Return how many local keywords are paired with one of ``base``, and the larger size."""
    kmap = ctx.matches.keywords.to_baseline
    return sum(1 for kw in local if kmap.get(kw) in base), max(len(local), len(base))


def _keyword_signals(ctx: Context, lid: str, bid: str) -> list[Signal]:
    """Return the signals of a keyword pair besides the name."""
    k = Section.KEYWORDS
    lk, bk = ctx.region.export.keywords[lid], ctx.base.export.keywords[bid]
    out = [_agreement(k, "type", "type", lk.type.value, bk.type.value)]
    if lk.unit or bk.unit:
        out.append(_agreement(k, "unit", "unit", lk.unit, bk.unit))
    if lk.value_list or bk.value_list:
        out.append(_keyword_list_signal(ctx, lk.value_list, bk.value_list))
    structure = _structure_signal(ctx, lid, bid)
    if structure is not None:
        out.append(structure)
    return out


def _keyword_list_signal(ctx: Context, lvl: str | None, bvl: str | None) -> Signal:
    k = Section.KEYWORDS
    if lvl is None or bvl is None:
        return _signal(k, "valueList", 0.0, "value list on one side only")
    if ctx.matches.value_lists.to_baseline.get(lvl) == bvl:
        return _signal(k, "valueList", 1.0, f"value lists paired ({lvl} ~ {bvl})")
    a, b = ctx.region.export.value_lists.get(lvl), ctx.base.export.value_lists.get(bvl)
    if a is None or b is None:
        return _signal(k, "valueList", 0.0, "value list undefined")
    share, common, n = _value_overlap(a, b)
    return _signal(k, "valueList", share, f"value list overlap {common}/{n}")


def _structure_signal(ctx: Context, lid: str, bid: str) -> Signal | None:
    """Judge where the keywords sit: in paired templates, under paired parents, by paired
    siblings. Not applicable when neither keyword is in a template that is paired."""
    tmap = ctx.matches.templates
    local = [s for s in ctx.region.slots.get(lid, ()) if s.template in tmap.to_baseline]
    base = [s for s in ctx.base.slots.get(bid, ()) if s.template in tmap.to_region]
    if not local and not base:
        return None
    value, where, parent, near = _best_place(ctx, local, base)
    if not where:
        return _signal(
            Section.KEYWORDS,
            "structure",
            0.0,
            "structure 0.00 (not in templates paired with each other)",
        )
    place = (
        "same parent and a paired neighbour"
        if parent and near
        else "same parent"
        if parent
        else "a paired neighbour"
        if near
        else "another place"
    )
    return _signal(
        Section.KEYWORDS,
        "structure",
        value,
        f"structure {value:.2f} (in paired template {where}, {place})",
    )


def _best_place(
    ctx: Context, local: list[_Slot], base: list[_Slot]
) -> tuple[float, str, bool, bool]:
    """Return the best of the places in paired templates: value, template, same parent and
    a paired neighbour ("" as the template when no two places are in paired templates)."""
    tmap, kmap = ctx.matches.templates.to_baseline, ctx.matches.keywords.to_baseline
    best: tuple[float, str, bool, bool] = (0.0, "", False, False)
    for ls in local:
        for bs in base:
            if tmap[ls.template] != bs.template:
                continue
            parent = _same(kmap, ls.parent, bs.parent)
            near = _same(kmap, ls.prev, bs.prev) or _same(kmap, ls.next, bs.next)
            value = 0.5 + 0.25 * parent + 0.25 * near
            if value > best[0]:
                best = (value, bs.template, parent, near)
    return best


def _same(kmap: Mapping[str, str], local: str | None, base: str | None) -> bool:
    if local is None or base is None:
        return local is None and base is None
    return kmap.get(local) == base


def _template_signals(ctx: Context, lid: str, bid: str) -> list[Signal]:
    """Return the signals of a template pair besides the name."""
    k = Section.TEMPLATES
    lt, bt = ctx.region.export.templates[lid], ctx.base.export.templates[bid]
    out: list[Signal] = []
    lk, bk = ctx.region.template_keywords[lid], ctx.base.template_keywords[bid]
    if lk and bk:
        paired, n = _paired(ctx, lk, bk)
        out.append(_signal(k, "items", paired / n, f"items {paired}/{n} paired"))
    if lt.note_type and bt.note_type:
        out.append(_agreement(k, "noteType", "note type", lt.note_type, bt.note_type))
    return out


def _value_list_signals(ctx: Context, lid: str, bid: str) -> list[Signal]:
    """Return the signals of a value-list pair besides the name."""
    k = Section.VALUE_LISTS
    lv, bv = ctx.region.export.value_lists[lid], ctx.base.export.value_lists[bid]
    out: list[Signal] = []
    if lv.values and bv.values:
        share, common, n = _value_overlap(lv, bv)
        out.append(_signal(k, "values", share, f"values {common}/{n} in common"))
    lu, bu = ctx.region.users.get(lid, []), set(ctx.base.users.get(bid, []))
    if lu and bu:
        paired, n = _paired(ctx, lu, bu)
        out.append(_signal(k, "users", paired / n, f"used by paired keywords {paired}/{n}"))
    return out


#: The signals of a pair besides the name, per kind of item: (context, local id, baseline id).
SIGNALS: Mapping[Section, Callable[[Context, str, str], list[Signal]]] = {
    Section.KEYWORDS: _keyword_signals,
    Section.TEMPLATES: _template_signals,
    Section.VALUE_LISTS: _value_list_signals,
}
