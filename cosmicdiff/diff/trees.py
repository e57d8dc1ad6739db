"""Compare the item trees of two paired templates by identity.

An item is the keyword it stands for (a region item: its keyword's baseline partner) and
which occurrence of that keyword it is, in document order: the n-th occurrence matches the
n-th. Parents decide ``moved``, and the longest common subsequence of each sibling list
decides ``order_changed``, so a swap of two items is one or two findings, never a cascade.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias, cast

from cosmicdiff.diff.context import DiffContext
from cosmicdiff.diff.lcs import lcs_keep, positions
from cosmicdiff.diff.paths import item_labels, joined_path
from cosmicdiff.diff.subject import Subject, found
from cosmicdiff.model import Item, Keyword, Template
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind


class Unpaired(NamedTuple):
    """The identity of a region keyword without a baseline partner (local or undefined)."""

    local_id: str


#: what an item stands for: a baseline keyword id, or a region keyword without partner
Identity: TypeAlias = "str | Unpaired"


class NodeKey(NamedTuple):
    """The identity of an item in a template: its keyword and which occurrence of it."""

    identity: Identity
    occurrence: int


class Node(NamedTuple):
    """An item of a template tree, with its parent's key and its ancestors."""

    key: NodeKey
    parent: NodeKey | None
    item: Item
    ancestors: tuple[Item, ...]


#: the items of one template by key, in document order
Tree: TypeAlias = "dict[NodeKey, Node]"


def same_tree(
    base: Template, region: Template, partner: Mapping[str, str], defined: Container[str]
) -> bool:
    """Return True if two item trees have nothing to report.

    That is: the same items (region keywords through their ``partner``, if ``defined``), at
    the same places, with the same flags. No key is built: this is the usual case.
    """
    stack = [(base.items, region.items)]
    while stack:
        bs, rs = stack.pop()
        if len(bs) != len(rs):
            return False
        for b, r in zip(bs, rs, strict=True):
            if (
                partner.get(r.keyword) != b.keyword
                or b.mandatory != r.mandatory
                or b.repeatable != r.repeatable
                or r.keyword not in defined
            ):
                return False
            if b.children or r.children:
                stack.append((b.children, r.children))
    return True


def keyed_tree(tpl: Template, identity: Callable[[str], Identity]) -> Tree:
    """Return the items of ``tpl`` by key; ``identity(keyword)`` says what each stands for."""
    seen: dict[Identity, int] = {}
    nodes: Tree = {}
    # tuple.__new__ builds the same NamedTuples as NodeKey(…) and Node(…) do, without their
    # __new__ written in Python: half the time, and templates have tens of thousands of items
    new = tuple.__new__
    # an explicit stack, not a recursive closure: the model is read with the cyclic garbage
    # collector paused, and a closure that refers to itself would never be freed
    stack: list[tuple[Item, tuple[Item, ...], NodeKey | None]] = [
        (i, (), None) for i in reversed(tpl.items)
    ]
    while stack:
        item, ancestors, parent = stack.pop()
        ident = identity(item.keyword)
        n = seen[ident] = seen.get(ident, 0) + 1
        key = new(NodeKey, (ident, n))
        nodes[key] = new(Node, (key, parent, item, ancestors))
        if item.children:
            inner = (*ancestors, item)
            stack.extend((c, inner, key) for c in reversed(item.children))
    return nodes


def region_identity(
    partner: Mapping[str, str], defined: Container[str]
) -> Callable[[str], Identity]:
    """Return what a region keyword stands for: its partner, if it is defined and paired."""

    def identity(kid: str) -> Identity:
        if kid in defined:
            base = partner.get(kid)
            if base is not None:
                return base
        return Unpaired(kid)

    return identity


def _as_is(kid: str) -> Identity:
    return kid


def baseline_tree(tpl: Template, cache: MutableMapping[str, object]) -> Tree:
    """Return the keyed tree of a baseline template, kept in ``cache`` between regions."""
    tree = cache.get(tpl.id)
    if tree is None:
        tree = cache[tpl.id] = keyed_tree(tpl, _as_is)
    return cast(Tree, tree)


def node_path(template_id: str, node: Node) -> str:
    """Return ``template/heading/…/keyword`` (no id repeating the one above: ``diff.paths``)."""
    return joined_path(template_id, [*(a.keyword for a in node.ancestors), node.item.keyword])


def node_labels(template: Template, node: Node, keywords: Mapping[str, Keyword]) -> tuple[str, ...]:
    """Return the names from ``template`` down to ``node``."""
    return item_labels(template.name, (*node.ancestors, node.item), keywords)


def parent_path(template_id: str, tree: Tree, node: Node) -> str:
    """Return the path of a node's parent in ``tree``, or ``(top level)``."""
    if node.parent is None:
        return "(top level)"
    return node_path(template_id, tree[node.parent])


def parent_name(tree: Tree, node: Node, keywords: Mapping[str, Keyword]) -> str:
    """Return the name of a node's parent (its keyword's id if unnamed; '' at the top level)."""
    if node.parent is None:
        return ""
    kid = tree[node.parent].item.keyword
    keyword = keywords.get(kid)
    return keyword.name if keyword is not None and keyword.name else kid


def children(tree: Tree) -> dict[NodeKey | None, list[NodeKey]]:
    """Return the keys of each node's children (None: the top level), in document order."""
    out: dict[NodeKey | None, list[NodeKey]] = defaultdict(list)
    for key, node in tree.items():
        out[node.parent].append(key)
    return out


@dataclass(frozen=True, slots=True)
class TreePair:
    """Two paired templates whose item trees differ, keyed."""

    base: Template
    region: Template
    base_nodes: Tree
    region_nodes: Tree
    cases: tuple[str, ...]

    def base_path(self, node: Node) -> str:
        """Return the path of a baseline node."""
        return node_path(self.base.id, node)

    def region_path(self, node: Node) -> str:
        """Return the path of a region node."""
        return node_path(self.region.id, node)


def base_labels(ctx: DiffContext, pair: TreePair, node: Node) -> tuple[str, ...]:
    """Return the label path of a baseline node (empty where the diff gives none)."""
    return node_labels(pair.base, node, ctx.base.keywords) if ctx.labelled else ()


def region_labels(ctx: DiffContext, pair: TreePair, node: Node) -> tuple[str, ...]:
    """Return the label path of a region node (empty where the diff gives none)."""
    return node_labels(pair.region, node, ctx.region.keywords) if ctx.labelled else ()


class Grouped(NamedTuple):
    """Findings that stand for several items (slot fills), and the items they stand for."""

    findings: list[Deviation]
    base: set[NodeKey]  # baseline items not reported as missing
    region: set[NodeKey]  # region items not reported as extra


#: what finds grouped findings in two keyed trees (``diff.slots.grouped_fills``)
Grouping: TypeAlias = "Callable[[DiffContext, TreePair], Grouped]"


def item_findings(
    ctx: DiffContext,
    base: Template,
    region: Template,
    cases: tuple[str, ...],
    cache: MutableMapping[str, object],
    grouping: Grouping | None = None,
) -> Iterator[Deviation]:
    """Yield the findings about the items of two paired templates.

    ``cache`` keeps the keyed baseline trees between regions. ``grouping`` finds changes
    reported as one finding for several items (a filled slot); those items are then not
    reported one by one.
    """
    partner, defined = ctx.matches.keywords.to_baseline, ctx.region.keywords
    if same_tree(base, region, partner, defined):
        return
    pair = TreePair(
        base=base,
        region=region,
        base_nodes=baseline_tree(base, cache),
        region_nodes=keyed_tree(region, region_identity(partner, defined)),
        cases=cases,
    )
    grouped = grouping(ctx, pair) if grouping is not None else Grouped([], set(), set())
    yield from missing_items(ctx, pair, grouped.base)
    yield from region_items(ctx, pair, grouped.region)
    yield from grouped.findings
    moved = moved_items(pair)
    yield from changed_items(ctx, pair, moved)
    yield from reordered_items(ctx, pair, moved)


def missing_items(
    ctx: DiffContext, pair: TreePair, skip: Container[NodeKey] = ()
) -> Iterator[Deviation]:
    """Yield ``missing`` for each baseline item the region template does not have."""
    tid = pair.base.id
    for key, node in pair.base_nodes.items():
        if key in pair.region_nodes or key in skip:
            continue
        kid = node.item.keyword
        keyword = ctx.base.keywords.get(kid)
        subject = Subject(
            entity=Entity.KEYWORD,
            baseline_id=kid,
            local_id=None,
            path=pair.base_path(node),
            cases=pair.cases,
            template=tid,
            location=pair.region.loc,
            baseline_location=node.item.loc,
            units=(("template", tid), ("keyword", kid)),
            occurrence=key.occurrence,
            label_path=base_labels(ctx, pair, node),
        )
        yield found(ctx, subject, kind=Kind.MISSING, expected=keyword.name if keyword else None)


def region_items(
    ctx: DiffContext, pair: TreePair, skip: Container[NodeKey] = ()
) -> Iterator[Deviation]:
    """Yield ``unresolved_reference`` or ``extra`` for each region item without partner."""
    tid = pair.base.id
    defined = ctx.region.keywords
    for key, node in pair.region_nodes.items():
        kid = node.item.keyword
        undefined = kid not in defined
        if not undefined and (key in pair.base_nodes or key in skip):
            continue
        subject = Subject(
            entity=Entity.KEYWORD,
            baseline_id=None,
            local_id=kid,
            path=pair.region_path(node),
            cases=pair.cases,
            template=tid,
            location=node.item.loc,
            units=(("template", tid),),
            occurrence=key.occurrence,
            label_path=region_labels(ctx, pair, node),
        )
        if undefined:
            yield found(ctx, subject, kind=Kind.UNRESOLVED_REFERENCE)
        else:
            yield found(ctx, subject, kind=Kind.EXTRA, actual=defined[kid].name)


def moved_items(pair: TreePair) -> set[NodeKey]:
    """Return the keys of the items that have another parent in the region template."""
    rnodes = pair.region_nodes
    return {
        key
        for key, node in pair.base_nodes.items()
        if key in rnodes and rnodes[key].parent != node.parent
    }


def _pair_subject(ctx: DiffContext, pair: TreePair, key: NodeKey) -> Subject:
    """Return the subject of an item both templates have."""
    bnode, rnode = pair.base_nodes[key], pair.region_nodes[key]
    kid, bid, tid = rnode.item.keyword, bnode.item.keyword, pair.base.id
    return Subject(
        entity=Entity.KEYWORD,
        baseline_id=bid,
        local_id=kid,
        path=pair.region_path(rnode),
        cases=pair.cases,
        template=tid,
        matched_by=ctx.matches.keywords.method.get(kid),
        location=rnode.item.loc,
        baseline_location=bnode.item.loc,
        units=(("template", tid), ("keyword", bid)),
        occurrence=key.occurrence,
        label_path=region_labels(ctx, pair, rnode),
    )


def changed_items(ctx: DiffContext, pair: TreePair, moved: set[NodeKey]) -> Iterator[Deviation]:
    """Yield ``moved`` and ``mandatory_changed`` for the items both templates have."""
    rnodes = pair.region_nodes
    for key, bnode in pair.base_nodes.items():
        rnode = rnodes.get(key)
        if rnode is None:
            continue
        bi, ri = bnode.item, rnode.item
        if key not in moved and bi.mandatory == ri.mandatory and bi.repeatable == ri.repeatable:
            continue
        subject = _pair_subject(ctx, pair, key)
        if key in moved:
            yield found(
                ctx,
                subject,
                kind=Kind.MOVED,
                expected=parent_path(pair.base.id, pair.base_nodes, bnode),
                actual=parent_path(pair.region.id, rnodes, rnode),
            )._replace(
                expected_label=parent_name(pair.base_nodes, bnode, ctx.base.keywords),
                actual_label=parent_name(rnodes, rnode, ctx.region.keywords),
            )
        for name, bv, rv in (
            ("mandatory", bi.mandatory, ri.mandatory),
            ("repeatable", bi.repeatable, ri.repeatable),
        ):
            if bv != rv:
                yield found(
                    ctx,
                    subject,
                    kind=Kind.MANDATORY_CHANGED,
                    field=name,
                    expected=str(bv).lower(),
                    actual=str(rv).lower(),
                )


def reordered_items(ctx: DiffContext, pair: TreePair, moved: set[NodeKey]) -> Iterator[Deviation]:
    """Yield ``order_changed`` for the items off the alignment of their sibling lists.

    Items that moved to another parent are left out of both lists, and so are the children
    of a heading the region template does not have.
    """
    bnodes, rnodes = pair.base_nodes, pair.region_nodes
    rkids = children(rnodes)
    for parent, siblings in children(bnodes).items():
        if parent is not None and parent not in rnodes:
            continue
        stay = [k for k in siblings if k in rnodes and k not in moved]
        rsib = [k for k in rkids.get(parent, []) if k in bnodes and k not in moved]
        keep = lcs_keep(stay, rsib)
        if len(keep) == len(rsib):
            continue
        was, now = positions(stay), positions(rsib)
        for key in rsib:
            if key not in keep:
                yield found(
                    ctx,
                    _pair_subject(ctx, pair, key),
                    kind=Kind.ORDER_CHANGED,
                    expected=str(was[key]),
                    actual=str(now[key]),
                )
