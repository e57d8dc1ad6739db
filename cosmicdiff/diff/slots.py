"""Slot fills: an empty openEHR slot in the baseline holds an archetype in the region.

An operational template writes a filled slot as the archetype root placed in it: the slot
node (``ARCHETYPE_SLOT``, with its own at-code) is gone, and a ``C_ARCHETYPE_ROOT`` stands
where it stood. Item by item that would be a ``missing`` slot plus one ``extra`` for the
root and for every element under it. It is one change, so it is one finding: an
``attribute_changed`` on the slot with ``field: slot_fill`` (``expected`` null, ``actual``
the archetype that fills it, ``local_id`` its root), the items under the root listed in the
finding's ``grouped`` items instead of being reported one by one.

Which slot an archetype fills is not written in the file. A root is taken to fill a slot
when both stand under the same parent, between the same two items both templates have
(the slot's place in the baseline, the root's in the region), and the slot's include and
exclude patterns admit the archetype id. Several in one gap pair in document order. A root
that fits no missing slot stays an ``extra`` item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from cosmicdiff.diff.context import DiffContext
from cosmicdiff.diff.subject import Subject, found
from cosmicdiff.diff.trees import Grouped, NodeKey, Tree, TreePair, base_labels, children
from cosmicdiff.model import Export, SlotRule
from cosmicdiff.result.deviation import Deviation, GroupedItem
from cosmicdiff.vocabulary import Entity, Kind


class Fill(NamedTuple):
    """A baseline slot and the region archetype root that fills it, with what comes along."""

    slot: NodeKey
    root: NodeKey
    #: the root's descendants that are region items without a baseline partner
    grouped: tuple[NodeKey, ...]


def archetype_id(keyword_id: str) -> str | None:
    """Return the archetype id of an archetype root's key, or None for any other node.

    A root key is the archetype id, with ``[name='…']`` when the root has a name
    constraint; any other node's key goes on with an archetype-relative ``/`` path.
    """
    bare = keyword_id.split("[", 1)[0]
    if "/" in re.sub(r"\[[^\]]*\]", "", keyword_id) or bare.count(".") < 2:
        return None
    return bare


def admits(rule: SlotRule, archetype: str) -> bool:
    """Return True when a slot's patterns admit an archetype id.

    An include that matches admits it; otherwise an exclude that matches, or includes that
    all fail, refuse it. A pattern that is not a valid regular expression matches nothing.
    """

    def matches(patterns: Sequence[str]) -> bool:
        for pattern in patterns:
            try:
                if re.fullmatch(pattern, archetype):
                    return True
            except re.error:
                continue
        return False

    if matches(rule.includes):
        return True
    return not rule.includes and not matches(rule.excludes)


def _gaps(siblings: Sequence[NodeKey], common: set[NodeKey]) -> dict[NodeKey, int]:
    """Return, for each sibling not in ``common``, how many common siblings precede it."""
    out: dict[NodeKey, int] = {}
    seen = 0
    for key in siblings:
        if key in common:
            seen += 1
        else:
            out[key] = seen
    return out


def slot_fills(ctx: DiffContext, pair: TreePair) -> list[Fill]:
    """Return the slots of the baseline template that an archetype fills in the region's."""
    bnodes, rnodes = pair.base_nodes, pair.region_nodes
    rkids = children(rnodes)
    fills: list[Fill] = []
    for parent, bsibs in children(bnodes).items():
        if parent is not None and parent not in rnodes:
            continue
        rsibs = rkids.get(parent, [])
        common = set(bsibs) & set(rsibs)
        slots = [
            (gap, key)
            for key, gap in _gaps(bsibs, common).items()
            if key not in rnodes and _slot_rule(ctx, bnodes, key) is not None
        ]
        if not slots:
            continue
        for key, gap in _gaps(rsibs, common).items():
            archetype = archetype_id(rnodes[key].item.keyword)
            if key in bnodes or archetype is None:
                continue
            slot = next(
                (
                    s
                    for g, s in slots
                    if g == gap and admits(_slot_rule(ctx, bnodes, s) or SlotRule(), archetype)
                ),
                None,
            )
            if slot is not None:
                slots.remove((gap, slot))
                fills.append(Fill(slot=slot, root=key, grouped=_descendants(pair, key)))
    return fills


def _slot_rule(ctx: DiffContext, tree: Tree, key: NodeKey) -> SlotRule | None:
    keyword = ctx.base.keywords.get(tree[key].item.keyword)
    return keyword.slot if keyword is not None else None


def _descendants(pair: TreePair, root: NodeKey) -> tuple[NodeKey, ...]:
    """Return the region items under ``root`` (document order) that the baseline lacks."""
    inside = {root}
    out: list[NodeKey] = []
    for key, node in pair.region_nodes.items():  # document order: parents come first
        if node.parent in inside:
            inside.add(key)
            if key not in pair.base_nodes:
                out.append(key)
    return tuple(out)


#: the baseline export looked at last, and whether any of its keywords is a slot
_SLOTTED: list[tuple[Export, bool]] = []


def _has_slots(export: Export) -> bool:
    """Return True if any keyword of ``export`` is an archetype slot (openEHR only)."""
    if not (_SLOTTED and _SLOTTED[0][0] is export):
        _SLOTTED[:] = [(export, any(k.slot is not None for k in export.keywords.values()))]
    return _SLOTTED[0][1]


def grouped_fills(ctx: DiffContext, pair: TreePair) -> Grouped:
    """Return the slot-fill findings, the slots they fill and the region items they group."""
    if not _has_slots(ctx.base):
        return Grouped([], set(), set())  # no slot to fill (every COSMIC baseline)
    fills = slot_fills(ctx, pair)
    return Grouped(
        findings=list(fill_findings(ctx, pair, fills)),
        base={f.slot for f in fills},
        region={k for f in fills for k in (f.root, *f.grouped)},
    )


def fill_findings(ctx: DiffContext, pair: TreePair, fills: Sequence[Fill]) -> Iterator[Deviation]:
    """Yield one ``attribute_changed`` (``slot_fill``) per filled slot, its items grouped."""
    tid = pair.base.id
    for fill in fills:
        bnode, rnode = pair.base_nodes[fill.slot], pair.region_nodes[fill.root]
        grouped = tuple(_grouped_item(ctx, pair, k) for k in fill.grouped)
        subject = Subject(
            entity=Entity.KEYWORD,
            baseline_id=bnode.item.keyword,
            local_id=rnode.item.keyword,
            path=pair.region_path(rnode),
            cases=pair.cases,
            template=tid,
            location=rnode.item.loc,
            baseline_location=bnode.item.loc,
            units=(("template", tid), ("keyword", bnode.item.keyword)),
            occurrence=fill.slot.occurrence,
            # the slot's place, with the baseline's labels (the region has the archetype there)
            label_path=base_labels(ctx, pair, bnode),
        )
        deviation = found(
            ctx,
            subject,
            kind=Kind.ATTRIBUTE_CHANGED,
            field="slot_fill",
            expected=None,
            actual=archetype_id(rnode.item.keyword),
        )
        yield deviation._replace(grouped=grouped)


def _grouped_item(ctx: DiffContext, pair: TreePair, key: NodeKey) -> GroupedItem:
    node = pair.region_nodes[key]
    keyword = ctx.region.keywords.get(node.item.keyword)
    return GroupedItem(
        local_id=node.item.keyword,
        path=pair.region_path(node),
        name=keyword.name if keyword is not None else None,
        value_list=keyword.value_list if keyword is not None else None,
    )


def without_grouped_lists(ctx: DiffContext, deviations: list[Deviation]) -> list[Deviation]:
    """Return the deviations without ``extra`` for value lists that come with a slot fill.

    A value list that only grouped elements use (an element's code list in the archetype
    that fills a slot) is named by its element's grouped item (``value_list``), not
    reported as an extra list of its own.
    """
    grouped = {g.local_id for d in deviations for g in d.grouped}
    if not grouped:
        return deviations
    lists = {g.value_list for d in deviations for g in d.grouped if g.value_list}
    shared = {
        k.value_list
        for kid, k in ctx.region.keywords.items()
        if k.value_list in lists and kid not in grouped and ctx.keyword_cases(kid)
    }
    return [
        d
        for d in deviations
        if not (
            d.kind is Kind.EXTRA
            and d.entity is Entity.VALUELIST
            and d.local_id in lists
            and d.local_id not in shared
        )
    ]
