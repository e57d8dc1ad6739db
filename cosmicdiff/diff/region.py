"""Compare one region's matched items with the baseline into raw Deviations.

Raw means: no rule, no severity, no message yet (``rules`` adds them). Template item
trees are compared by identity: an item is its matched keyword (the n-th occurrence
matching the n-th); parents decide ``moved``, and the longest common subsequence of each
sibling list decides ``order_changed``, so a swap of two items is one or two findings,
never a cascade. See docs/comparison.md for every case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cosmicdiff.match.identity import Matches, Pairing, pair_items
from cosmicdiff.match.scope import Scope
from cosmicdiff.model import (
    Baseline,
    Export,
    Item,
    Keyword,
    Template,
    ValueList,
    normalise_text,
    same_text,
)
from cosmicdiff.result.deviation import Deviation, Location
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod


def lcs_keep(a: Sequence[Any], b: Sequence[Any]) -> set[Any]:
    """Return the elements of ``b`` that have not changed their order: those on the alignment
    (:func:`lcs_aligned`) and those at the same index on both sides.

    An element at the same index has not moved, whatever the alignment of the others (it can
    lie off every longest alignment only when keeping it would shorten the alignment).
    """
    keep = lcs_aligned(a, b)
    keep.update(x for x, y in zip(a, b, strict=False) if x == y)
    return keep


def lcs_aligned(a: Sequence[Any], b: Sequence[Any]) -> set[Any]:
    """Return the elements of ``b`` that lie on a longest common subsequence with ``a``.

    Where several longest common subsequences exist, the one that keeps the most elements at
    their own position (the same index in ``a`` and ``b``) wins, so an element is never
    reported as moving from position n to n (report-json.md, ``order_changed``). Elements are
    unique within each sequence. Each table entry is ``length * (n + 1) + kept-in-place``,
    which orders by length first and by the elements left in place second.
    """
    n, m = len(a), len(b)
    if a == b:
        return set(b)
    weight = n + 1
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = table[i], table[i + 1]
        ai = a[i]
        for j in range(m - 1, -1, -1):
            best = below[j] if below[j] >= row[j + 1] else row[j + 1]
            if ai == b[j]:
                take = below[j + 1] + weight + (i == j)
                if take > best:
                    best = take
            row[j] = best
    keep: set[Any] = set()
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j] and table[i][j] == table[i + 1][j + 1] + weight + (i == j):
            keep.add(b[j])
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return keep


def _loc(obj: Any) -> Location | None:
    loc: Location | None = obj.loc
    return loc


class _Node:
    """A template item flattened: identity, parent identity and the item; path on demand."""

    __slots__ = ("ident", "parent", "item", "local_id", "_ancestors", "_tpl")

    def __init__(self, ident: tuple[str, int], parent: tuple[str, int] | None, item: Item,
                 ancestors: tuple[Item, ...], tpl: str) -> None:
        self.ident = ident
        self.parent = parent
        self.item = item
        self.local_id = item.keyword
        self._ancestors = ancestors
        self._tpl = tpl

    @property
    def path(self) -> str:
        """Return ``template/heading/…/keyword`` (only findings need it)."""
        return "/".join([self._tpl, *(a.keyword for a in self._ancestors), self.item.keyword])


def _flatten(tpl: Template, ident_of: Any) -> tuple[dict[tuple[str, int], _Node], list[Any]]:
    """Flatten a template tree; ``ident_of(keyword)`` gives each item's identity key.

    Returns the nodes by identity (in document order) and the tree's *shape*: per node its
    identity, parent identity and flags. Two trees with equal shapes have nothing to report.
    """
    seen: dict[str, int] = {}
    nodes: dict[tuple[str, int], _Node] = {}
    shape: list[Any] = []
    tid = tpl.id
    # an explicit stack, not a recursive closure: the model is read with the cyclic garbage
    # collector paused, and a closure that refers to itself would never be freed
    stack: list[tuple[Item, tuple[Item, ...], tuple[str, int] | None]] = [
        (i, (), None) for i in reversed(tpl.items)]
    while stack:
        item, ancestors, parent = stack.pop()
        key = ident_of(item.keyword)
        n = seen[key] = seen.get(key, 0) + 1
        ident = (key, n)
        nodes[ident] = _Node(ident, parent, item, ancestors, tid)
        shape.append((ident, parent, item.mandatory, item.repeatable))
        if item.children:
            inner = (*ancestors, item)
            stack.extend((c, inner, ident) for c in reversed(item.children))
    return nodes, shape


def _same(key: str) -> str:
    return key


#: the cases of a keyword no template in scope uses
_NO_CASES: frozenset[str] = frozenset()


def _children(nodes: dict[tuple[str, int], _Node]) -> dict[Any, list[tuple[str, int]]]:
    out: dict[Any, list[tuple[str, int]]] = defaultdict(list)
    for ident, node in nodes.items():  # dict order is document order
        out[node.parent].append(ident)
    return out


@dataclass(slots=True)
class RegionDiff:
    """The raw deviations of one region, with what was matched and what was out of scope."""

    deviations: list[Deviation] = field(default_factory=list)
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)
    matches: dict[str, dict[str, int]] = field(default_factory=dict)


class _Differ:
    """Compare one region with the baseline within a scope."""

    def __init__(self, baseline: Baseline, scope: Scope, region: Export, m: Matches,
                 flat_cache: dict[str, Any] | None = None) -> None:
        self.base = baseline.export
        self.scope = scope
        self.region = region
        self.m = m
        self.out: list[Deviation] = []
        self.r_tpl_cases: dict[str, tuple[str, ...]] = {}
        # case sets are frozensets, one object per distinct set (a region has tens of thousands
        # of keywords but only a handful of case combinations)
        self._case_sets: dict[frozenset[str], frozenset[str]] = {}
        self.r_kw_cases: dict[str, frozenset[str]] = {}
        self.first_path: dict[str, str] = {}
        self._kw_cases: dict[str, frozenset[str]] = {}
        self.flat_cache = flat_cache if flat_cache is not None else {}
        # the cases baseline.yaml lists each template in, whatever --case selects
        self.declared_cases: dict[str, set[str]] = defaultdict(set)
        for case in baseline.cases:
            for tid in case.templates:
                self.declared_cases[tid].add(case.id)

    # -- helpers -----------------------------------------------------------------------------
    def dev(self, kind: Kind, entity: Entity, base_id: str | None, local_id: str | None,
            path: str | None, cases: Iterable[str], **kw: Any) -> None:
        ordered = self.scope.order(cases)
        name = self.name_of(entity, base_id, self.base) if base_id else None
        if name is None and local_id:
            name = self.name_of(entity, local_id, self.region)
        self.out.append(Deviation(
            region=self.region.region, kind=kind, entity=entity, baseline_id=base_id,
            local_id=local_id, path=path, case=ordered[0] if ordered else None,
            cases=ordered, name=name, template=self.template_of(kind, entity, base_id, path),
            **kw))

    def template_of(self, kind: Kind, entity: Entity, base_id: str | None,
                    path: str | None) -> str | None:
        """Return the baseline template a finding is shown under (None for catalogue items)."""
        if entity is Entity.TEMPLATE:
            return base_id
        if not path or "/" not in path or entity is not Entity.KEYWORD:
            return None
        head = path.split("/", 1)[0]
        if kind is Kind.MISSING:
            return head
        return self.m.templates.to_baseline.get(head)

    @staticmethod
    def name_of(entity: Entity, item_id: str, export: Export) -> str | None:
        """Return the display name of an item of ``export`` (None if it is not there)."""
        if entity is Entity.VALUE:
            vl_id, _, code = item_id.partition("#")
            vl = export.value_lists.get(vl_id)
            value = next((v for v in vl.values if v.code == code), None) if vl else None
            return value.display if value else None
        if entity is Entity.TERM:
            term = export.terms.get(item_id)
            return _display(term.displays) if term else None
        table: Any = {Entity.TEMPLATE: export.templates, Entity.KEYWORD: export.keywords,
                      Entity.VALUELIST: export.value_lists}[entity]
        item = table.get(item_id)
        return item.name if item is not None else None

    def case_set(self, cases: Iterable[str]) -> frozenset[str]:
        """Return ``cases`` as the one shared frozenset of those cases."""
        found = frozenset(cases)
        return self._case_sets.setdefault(found, found)

    def kw_cases(self, local_id: str) -> frozenset[str]:
        """Return the cases a region keyword belongs to (memoised once scope is known)."""
        cached = self._kw_cases.get(local_id)
        if cached is not None:
            return cached
        cases = self.r_kw_cases.get(local_id, _NO_CASES)
        base = self.m.keywords.to_baseline.get(local_id)
        if base is not None:
            more = self.scope.keywords.get(base, ())
            if not cases.issuperset(more):
                cases = self.case_set(cases.union(more))
        self._kw_cases[local_id] = cases
        return cases

    def kw_path(self, local_id: str) -> str:
        return self.first_path.get(local_id, local_id)

    # -- scope on the region side ------------------------------------------------------------
    def region_scope(self) -> None:
        catalogue = self.scope.catalogue
        for lid in sorted(self.region.templates):
            tpl = self.region.templates[lid]
            base = self.m.templates.to_baseline.get(lid)
            if base is not None:
                cases = self.scope.templates.get(base, ())
            else:
                cases = self.scope.order((*(tpl.cases or ()), *catalogue))
            if not cases:
                continue
            self.r_tpl_cases[lid] = cases
            case_set = self.case_set(cases)
            first_path = self.first_path
            kw_cases = self.r_kw_cases
            for ancestors, item in tpl.walk():
                kid = item.keyword
                known = kw_cases.get(kid)
                if known is None:
                    kw_cases[kid] = case_set
                elif known is not case_set and not known.issuperset(case_set):
                    kw_cases[kid] = self.case_set(known | case_set)
                if kid not in first_path:
                    first_path[kid] = "/".join([lid, *(a.keyword for a in ancestors), kid])
        if catalogue:
            # a catalogue case covers every keyword, whether a template uses it or not
            for key in self.region.keywords:
                self.r_kw_cases[key] = self.case_set(
                    self.r_kw_cases.get(key, _NO_CASES).union(catalogue))

    # -- templates ---------------------------------------------------------------------------
    def templates(self) -> None:
        pairs = self.m.templates
        for bid, cases in sorted(self.scope.templates.items()):
            lid = pairs.to_region.get(bid)
            btpl = self.base.templates[bid]
            if lid is None:
                self.dev(Kind.MISSING, Entity.TEMPLATE, bid, None, bid, cases,
                         expected=btpl.name, baseline_location=_loc(btpl),
                         units=(("template", bid),))
                continue
            self.template_pair(btpl, self.region.templates[lid], cases, pairs.method[lid])
        for lid, cases in sorted(self.r_tpl_cases.items()):
            tpl = self.region.templates[lid]
            if lid not in pairs.to_baseline:
                self.dev(Kind.EXTRA, Entity.TEMPLATE, None, lid, lid, cases, actual=tpl.name,
                         location=_loc(tpl))
                self.unresolved_items(tpl, cases, ())

    def template_pair(self, b: Template, r: Template, cases: tuple[str, ...],
                      how: MatchMethod) -> None:
        common = {"matched_by": how, "location": _loc(r), "baseline_location": _loc(b),
                  "units": (("template", b.id),)}
        self.compare_name(Entity.TEMPLATE, b.id, r.id, r.id, b.name, r.name, cases, common)
        for fname, bv, rv in (("version", b.version, r.version),
                              ("noteType", b.note_type, r.note_type)):
            if not same_text(bv, rv):
                self.dev(Kind.ATTRIBUTE_CHANGED, Entity.TEMPLATE, b.id, r.id, r.id, cases,
                         field=fname, expected=bv, actual=rv, **common)
        if r.cases is not None:
            bcases = sorted(set(b.cases or ()) | self.declared_cases.get(b.id, set()))
            if sorted(set(r.cases)) != bcases:
                self.dev(Kind.ATTRIBUTE_CHANGED, Entity.TEMPLATE, b.id, r.id, r.id, cases,
                         field="cases", expected=" ".join(bcases),
                         actual=" ".join(sorted(set(r.cases))), **common)
        if b.status != r.status:
            self.dev(Kind.STATUS_CHANGED, Entity.TEMPLATE, b.id, r.id, r.id, cases,
                     expected=b.status.value, actual=r.status.value, **common)
        self.items(b, r, cases)

    def unresolved_items(self, r: Template, cases: tuple[str, ...],
                         units: tuple[tuple[str, str], ...]) -> None:
        for ancestors, item in r.walk():
            if item.keyword not in self.region.keywords:
                path = "/".join([r.id, *(a.keyword for a in ancestors), item.keyword])
                self.dev(Kind.UNRESOLVED_REFERENCE, Entity.KEYWORD, None, item.keyword, path,
                         cases, location=_loc(item), units=units)

    def items(self, b: Template, r: Template, cases: tuple[str, ...]) -> None:
        to_base = self.m.keywords.to_baseline
        rk = self.region.keywords

        def region_ident(kid: str) -> str:
            if kid not in rk:
                return "\x00undefined:" + kid
            return to_base.get(kid, "\x00local:" + kid)

        # only the baseline template's shape is kept between regions (its nodes are rebuilt
        # for the few templates that differ): less memory in every worker
        bnodes: dict[tuple[str, int], _Node] | None = None
        bshape = self.flat_cache.get(b.id)
        if bshape is None:
            bnodes, bshape = _flatten(b, _same)
            self.flat_cache[b.id] = bshape
        rnodes, rshape = _flatten(r, region_ident)
        if bshape == rshape:  # same items, parents, order and flags: the usual case
            return
        if bnodes is None:
            bnodes, _ = _flatten(b, _same)
        tunit = ("template", b.id)
        for ident, node in bnodes.items():
            if ident not in rnodes:
                self.dev(Kind.MISSING, Entity.KEYWORD, node.local_id, None, node.path, cases,
                         expected=self.base_kw_name(node.local_id), location=_loc(r),
                         baseline_location=_loc(node.item),
                         units=(tunit, ("keyword", node.local_id)), occurrence=ident[1])
        for ident, node in rnodes.items():
            if ident[0].startswith("\x00undefined:"):
                self.dev(Kind.UNRESOLVED_REFERENCE, Entity.KEYWORD, None, node.local_id,
                         node.path, cases, location=_loc(node.item), units=(tunit,),
                         occurrence=ident[1])
            elif ident not in bnodes:
                self.dev(Kind.EXTRA, Entity.KEYWORD, None, node.local_id, node.path, cases,
                         actual=rk[node.local_id].name, location=_loc(node.item),
                         units=(tunit,), occurrence=ident[1])
        self.item_pairs(bnodes, rnodes, cases, tunit)

    def base_kw_name(self, kid: str) -> str | None:
        kw = self.base.keywords.get(kid)
        return kw.name if kw else None

    def item_pairs(self, bnodes: dict[Any, _Node], rnodes: dict[Any, _Node],
                   cases: tuple[str, ...], tunit: tuple[str, str]) -> None:
        common = [i for i in bnodes if i in rnodes]
        moved = set()
        for ident in common:
            bn, rn = bnodes[ident], rnodes[ident]
            bi, ri = bn.item, rn.item
            if bn.parent == rn.parent and bi.mandatory == ri.mandatory \
                    and bi.repeatable == ri.repeatable:
                continue
            extra = {"matched_by": self.m.keywords.method.get(rn.local_id),
                     "location": _loc(ri), "baseline_location": _loc(bi),
                     "units": (tunit, ("keyword", ident[0])), "occurrence": ident[1]}
            if bn.parent != rn.parent:
                moved.add(ident)
                self.dev(Kind.MOVED, Entity.KEYWORD, ident[0], rn.local_id, rn.path, cases,
                         expected=_parent_path(bnodes, bn), actual=_parent_path(rnodes, rn),
                         **extra)
            for fname in ("mandatory", "repeatable"):
                bv, rv = getattr(bi, fname), getattr(ri, fname)
                if bv != rv:
                    self.dev(Kind.MANDATORY_CHANGED, Entity.KEYWORD, ident[0], rn.local_id,
                             rn.path, cases, field=fname, expected=str(bv).lower(),
                             actual=str(rv).lower(), **extra)
        bkids, rkids = _children(bnodes), _children(rnodes)
        for parent, bsib in bkids.items():
            stay = [i for i in bsib if i in rnodes and i not in moved]
            rsib = [i for i in rkids.get(parent, []) if i in bnodes and i not in moved]
            if parent is not None and parent not in rnodes:
                continue
            keep = lcs_keep(stay, rsib)
            for ident in rsib:
                if ident in keep:
                    continue
                bn, rn = bnodes[ident], rnodes[ident]
                self.dev(Kind.ORDER_CHANGED, Entity.KEYWORD, ident[0], rn.local_id, rn.path,
                         cases, expected=str(stay.index(ident) + 1),
                         actual=str(rsib.index(ident) + 1),
                         matched_by=self.m.keywords.method.get(rn.local_id),
                         location=_loc(rn.item), baseline_location=_loc(bn.item),
                         units=(tunit, ("keyword", ident[0])), occurrence=ident[1])

    # -- names -------------------------------------------------------------------------------
    def compare_name(self, entity: Entity, bid: str, lid: str, path: str, bname: str | None,
                     rname: str | None, cases: Iterable[str], common: dict[str, Any],
                     field_name: str | None = None) -> None:
        if bname == rname:
            return
        bn, rn = normalise_text(bname), normalise_text(rname)
        if bn != rn:
            self.dev(Kind.RENAMED, entity, bid, lid, path, cases, expected=bname, actual=rname,
                     case_only=bn.casefold() == rn.casefold(), field=field_name, **common)

    # -- keywords ----------------------------------------------------------------------------
    def keywords(self) -> None:
        pairs = self.m.keywords
        for lid, bid in sorted(pairs.to_baseline.items()):
            cases = self.scope.keywords.get(bid)
            if not cases:
                continue
            self.keyword_pair(self.base.keywords[bid], self.region.keywords[lid], cases,
                              pairs.method[lid])
        for lid in sorted(self.r_kw_cases):
            kw = self.region.keywords.get(lid)
            if kw is None or lid in pairs.to_baseline:
                continue
            self.keyword_refs(kw, self.kw_cases(lid), {"location": _loc(kw)})
        if self.scope.catalogue:
            self.catalogue_keywords()

    def catalogue_keywords(self) -> None:
        """Report keywords no template uses: missing from or extra to a catalogue case.

        Keywords that templates use are reported as template items already.
        """
        catalogue = self.scope.catalogue
        pairs = self.m.keywords
        used_base = {i.keyword for t in self.base.templates.values() for _, i in t.walk()}
        used_region = {i.keyword for t in self.region.templates.values() for _, i in t.walk()}
        for bid in sorted(self.base.keywords):
            if bid in pairs.to_region or bid in used_base:
                continue
            kw = self.base.keywords[bid]
            self.dev(Kind.MISSING, Entity.KEYWORD, bid, None, bid, catalogue,
                     expected=kw.name, baseline_location=_loc(kw),
                     units=(("keyword", bid),))
        for lid in sorted(self.region.keywords):
            if lid in pairs.to_baseline or lid in used_region:
                continue
            kw = self.region.keywords[lid]
            self.dev(Kind.EXTRA, Entity.KEYWORD, None, lid, lid, catalogue, actual=kw.name,
                     location=_loc(kw))

    def keyword_pair(self, b: Keyword, r: Keyword, cases: tuple[str, ...],
                     how: MatchMethod) -> None:
        if b.name == r.name and b.type == r.type and b.unit == r.unit \
                and b.bindings == r.bindings and b.status == r.status \
                and b.hidden_from_1177 == r.hidden_from_1177 and b.description == r.description \
                and (r.value_list is None and b.value_list is None or r.value_list
                     and r.value_list in self.region.value_lists
                     and self.m.value_lists.to_baseline.get(r.value_list) == b.value_list):
            return  # equal as written: the usual case
        path = self.kw_path(r.id)
        common = {"matched_by": how, "location": _loc(r), "baseline_location": _loc(b),
                  "units": (("keyword", b.id),)}

        def changed(kind: Kind, expected: Any, actual: Any, fname: str | None = None) -> None:
            self.dev(kind, Entity.KEYWORD, b.id, r.id, path, cases, field=fname,
                     expected=expected, actual=actual, **common)

        self.compare_name(Entity.KEYWORD, b.id, r.id, path, b.name, r.name, cases, common)
        if b.type != r.type:
            changed(Kind.TYPE_CHANGED, b.type.value, r.type.value)
        if not same_text(b.unit, r.unit):
            changed(Kind.UNIT_CHANGED, b.unit, r.unit)
        if b.bindings != r.bindings:
            bb, rb = _binding_text(b.bindings), _binding_text(r.bindings)
            if bb != rb:
                changed(Kind.BINDING_CHANGED, bb or None, rb or None)
        if b.status != r.status:
            changed(Kind.STATUS_CHANGED, b.status.value, r.status.value)
        if b.hidden_from_1177 != r.hidden_from_1177:
            changed(Kind.VISIBILITY_CHANGED, _hidden(b), _hidden(r))
        if not same_text(b.description, r.description):
            changed(Kind.ATTRIBUTE_CHANGED, b.description, r.description, "description")
        if self.keyword_refs(r, cases, common):
            mapped = self.m.value_lists.to_baseline.get(r.value_list) if r.value_list else None
            if mapped != b.value_list:
                changed(Kind.VALUELIST_CHANGED, b.value_list, r.value_list)

    def keyword_refs(self, r: Keyword, cases: Iterable[str], common: dict[str, Any]) -> bool:
        """Report a value list reference the region does not define; return True if fine."""
        if r.value_list and r.value_list not in self.region.value_lists:
            self.dev(Kind.UNRESOLVED_REFERENCE, Entity.VALUELIST, None, r.value_list,
                     self.kw_path(r.id), cases, **common)
            return False
        return True

    # -- value lists -------------------------------------------------------------------------
    def region_vl_cases(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = defaultdict(set)
        for lid in self.region.value_lists if self.scope.catalogue else ():
            out[lid] |= set(self.scope.catalogue)
        for lid, kw in self.region.keywords.items():
            cases = self.kw_cases(lid)
            if cases and kw.value_list and kw.value_list in self.region.value_lists:
                out[kw.value_list] |= cases
        return out

    def value_lists(self, r_vl_cases: dict[str, set[str]]) -> None:
        pairs = self.m.value_lists
        for bid, cases in sorted(self.scope.value_lists.items()):
            bvl = self.base.value_lists.get(bid)
            if bvl is None:
                continue
            lid = pairs.to_region.get(bid)
            if lid is None:
                self.dev(Kind.MISSING, Entity.VALUELIST, bid, None, bid, cases,
                         expected=bvl.name, baseline_location=_loc(bvl),
                         units=(("valuelist", bid),))
                continue
            self.value_list_pair(bvl, self.region.value_lists[lid], cases, pairs.method[lid])
        for lid, lcases in sorted(r_vl_cases.items()):
            if lid not in pairs.to_baseline:
                vl = self.region.value_lists[lid]
                self.dev(Kind.EXTRA, Entity.VALUELIST, None, lid, lid, lcases, actual=vl.name,
                         location=_loc(vl))

    def value_list_pair(self, b: ValueList, r: ValueList, cases: tuple[str, ...],
                        how: MatchMethod) -> None:
        unit = ("valuelist", b.id)
        common = {"matched_by": how, "location": _loc(r), "baseline_location": _loc(b),
                  "units": (unit,)}
        if normalise_text(r.name):
            self.compare_name(Entity.VALUELIST, b.id, r.id, r.id, b.name, r.name, cases, common)
        bvals = {v.code: v for v in b.values}
        rvals = {v.code: v for v in r.values}
        pairs = pair_items(rvals, bvals, {}, lambda c: [str(x) for x in rvals[c].bindings],
                           lambda c: [str(x) for x in bvals[c].bindings],
                           lambda c: rvals[c].display, lambda c: bvals[c].display,
                           same_id=MatchMethod.CODE)
        for code, bv in bvals.items():
            bkey = f"{b.id}#{code}"
            if code not in pairs.to_region:
                self.dev(Kind.MISSING, Entity.VALUE, bkey, None, bkey, cases,
                         expected=bv.display, location=_loc(r), baseline_location=_loc(bv),
                         units=(unit, ("value", bkey)))
        for code, rv in rvals.items():
            if code not in pairs.to_baseline:
                lkey = f"{r.id}#{code}"
                self.dev(Kind.EXTRA, Entity.VALUE, None, lkey, lkey, cases, actual=rv.display,
                         location=_loc(rv), units=(unit,))
        self.value_pairs(b, r, bvals, rvals, pairs, cases)

    def value_pairs(self, b: ValueList, r: ValueList, bvals: dict[str, Any],
                    rvals: dict[str, Any], pairs: Pairing, cases: tuple[str, ...]) -> None:
        for rcode, bcode in sorted(pairs.to_baseline.items()):
            bv, rv = bvals[bcode], rvals[rcode]
            bkey, lkey = f"{b.id}#{bcode}", f"{r.id}#{rcode}"
            common = {"matched_by": pairs.method[rcode], "location": _loc(rv),
                      "baseline_location": _loc(bv),
                      "units": (("valuelist", b.id), ("value", bkey))}
            self.compare_name(Entity.VALUE, bkey, lkey, lkey, bv.display, rv.display, cases,
                              common)
            bb, rb = (_binding_text(bv.bindings), _binding_text(rv.bindings)) \
                if bv.bindings != rv.bindings else ("", "")
            if bb != rb:
                self.dev(Kind.BINDING_CHANGED, Entity.VALUE, bkey, lkey, lkey, cases,
                         expected=bb or None, actual=rb or None, **common)
        border = [c for c in bvals if c in pairs.to_region]
        rorder = [pairs.to_baseline[c] for c in rvals if c in pairs.to_baseline]
        keep = lcs_keep(border, rorder)
        for bcode in rorder:
            if bcode in keep:
                continue
            rcode = pairs.to_region[bcode]
            bkey, lkey = f"{b.id}#{bcode}", f"{r.id}#{rcode}"
            self.dev(Kind.ORDER_CHANGED, Entity.VALUE, bkey, lkey, lkey, cases,
                     expected=str(border.index(bcode) + 1),
                     actual=str(rorder.index(bcode) + 1), matched_by=pairs.method[rcode],
                     location=_loc(rvals[rcode]), baseline_location=_loc(bvals[bcode]),
                     units=(("valuelist", b.id), ("value", bkey)))

    # -- terms -------------------------------------------------------------------------------
    def terms(self, r_vl_cases: dict[str, set[str]]) -> None:
        r_term_cases: dict[str, set[str]] = defaultdict(set)
        for lid, kw in self.region.keywords.items():
            cases = self.kw_cases(lid)
            for b in kw.bindings if cases else ():
                r_term_cases[str(b)] |= cases
        vl_cases = {lid: set(cs) for lid, cs in r_vl_cases.items()}
        for lid, bid in self.m.value_lists.to_baseline.items():
            if bid in self.scope.value_lists:
                vl_cases.setdefault(lid, set()).update(self.scope.value_lists[bid])
        for lid, lcases in vl_cases.items():
            for v in self.region.value_lists[lid].values:
                for b in v.bindings:
                    r_term_cases[str(b)] |= lcases
        for key in self.region.terms if self.scope.catalogue else ():
            r_term_cases[key] |= set(self.scope.catalogue)
        rterms, bterms = self.region.terms, self.base.terms
        for key, bcases in sorted(self.scope.terms.items()):
            bt = bterms[key]
            common: dict[str, Any] = {"baseline_location": _loc(bt), "units": (("term", key),)}
            if key not in rterms:
                self.dev(Kind.MISSING, Entity.TERM, key, None, key, bcases,
                         expected=_display(bt.displays), **common)
                continue
            rt = rterms[key]
            common |= {"location": _loc(rt), "matched_by": MatchMethod.CODE}
            for lang in sorted(set(bt.displays) & set(rt.displays)):
                self.compare_name(Entity.TERM, key, key, key, bt.displays[lang],
                                  rt.displays[lang], bcases, common,
                                  None if lang == "sv" else f"display:{lang}")
            if bt.status != rt.status:
                self.dev(Kind.STATUS_CHANGED, Entity.TERM, key, key, key, bcases,
                         expected=bt.status.value, actual=rt.status.value, **common)
        for key, rcases in sorted(r_term_cases.items()):
            if key in rterms and key not in bterms:
                rt = rterms[key]
                self.dev(Kind.EXTRA, Entity.TERM, None, key, key, rcases,
                         actual=_display(rt.displays), location=_loc(rt))

    # -- coverage ----------------------------------------------------------------------------
    def coverage(self, r_vl_cases: dict[str, set[str]]) -> dict[str, dict[str, int]]:
        compared_terms = {d.local_id for d in self.out if d.entity is Entity.TERM}
        in_scope = {
            "templates": {lid for lid in self.region.templates if lid in self.r_tpl_cases},
            "keywords": {lid for lid in self.region.keywords if self.kw_cases(lid)},
            "value_lists": set(r_vl_cases) | {
                lid for lid, bid in self.m.value_lists.to_baseline.items()
                if bid in self.scope.value_lists},
            "terms": {k for k in self.region.terms
                      if k in self.scope.terms or k in compared_terms},
        }
        totals = {"templates": self.region.templates, "keywords": self.region.keywords,
                  "value_lists": self.region.value_lists, "terms": self.region.terms}
        return {k: {"read": len(totals[k]), "compared": len(in_scope[k]),
                    "out_of_scope": len(totals[k]) - len(in_scope[k])} for k in totals}

    def run(self) -> RegionDiff:
        self.region_scope()
        self.templates()
        self.keywords()
        r_vl_cases = self.region_vl_cases()
        self.value_lists(r_vl_cases)
        self.terms(r_vl_cases)
        matches = {"templates": self.m.templates.counts(), "keywords": self.m.keywords.counts(),
                   "value_lists": self.m.value_lists.counts()}
        return RegionDiff(deviations=self.out, coverage=self.coverage(r_vl_cases),
                          matches=matches)


def _binding_text(bindings: Iterable[Any]) -> str:
    return ", ".join(sorted({f"{b.system}:{normalise_text(b.code)}" for b in bindings}))


def _hidden(kw: Keyword) -> str:
    return "hidden" if kw.hidden_from_1177 else "shown"


def _display(displays: dict[str, str] | Any) -> str | None:
    if not displays:
        return None
    return displays.get("sv") or next(iter(displays.values()))


def _parent_path(nodes: dict[Any, _Node], node: _Node) -> str:
    if node.parent is None:
        return "(top level)"
    return nodes[node.parent].path


def diff_region(baseline: Baseline, scope: Scope, region: Export, m: Matches,
                flat_cache: dict[str, Any] | None = None) -> RegionDiff:
    """Compare one region with the baseline; return raw deviations, coverage and match counts.

    ``flat_cache`` (one dict per run) keeps the shapes of the baseline's flattened templates
    between regions.
    """
    return _Differ(baseline, scope, region, m, flat_cache).run()
