"""Derive a region export from the baseline: local ids, links, deviations and the truth.

Every region item is a copy of a baseline item under a local id (or the baseline id), linked
the way ``docs/comparison.md`` matches: a ``mapping.yaml`` entry, the same id, the same
term binding, or the same normalised name. A few percent of the items then get one
deliberate change each. Changes are kept on different items (and template item changes on
different sibling lists) so that they do not interact; every finding a change causes,
including the cascades the comparison rules define, is written to the truth.
"""

from __future__ import annotations

import random
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from benchmarks import vocabulary as voc
from benchmarks.corpus import (
    CASES,
    Codes,
    Keyword,
    Model,
    Node,
    Template,
    Term,
    Value,
    VList,
    XmlStyle,
    sibling_lists,
    walk,
)

KINDS = ("templates", "keywords", "valueLists")
TYPE_SWAP = {
    "Text": "WordProcessing",
    "WordProcessing": "Text",
    "DateTime": "Text",
    "Boolean": "CheckboxConfigurable",
    "CheckboxConfigurable": "Boolean",
    "Other": "Text",
    "Register": "Text",
    "Formula": "Numeric",
    "ClinicalCoding": "Text",
}
NOTE_TYPES = ("bes", "ins", "utr", "atb", "sam", "sao", "slu", "auf", "sva")
EXTRA_VALUES = (
    "Annat",
    "Uppgift saknas",
    "Ej tillämpligt",
    "Patienten vill ej svara",
    "Övrigt",
    "Ej bedömt av personal",
)


@dataclass(frozen=True, slots=True)
class RegionSpec:
    """A region of the south-east healthcare region and how its export looks."""

    id: str
    name: str
    prefix: str
    cosmic_version: str
    exported: str
    layout: str  # "single" (one file) or "split" (catalogue + templates)
    style: XmlStyle


REGIONS = (
    RegionSpec(
        "jonkoping",
        "Region Jönköpings län",
        "RJL",
        "R8.1",
        "2026-10-01T08:00:00+02:00",
        "single",
        XmlStyle(),
    ),
    RegionSpec(
        "ostergotland",
        "Region Östergötland",
        "ROG",
        "R8.2",
        "2026-10-02T07:30:00+02:00",
        "split",
        XmlStyle(true="1", false="0"),
    ),
    RegionSpec(
        "kalmar",
        "Region Kalmar län",
        "RKL",
        "R8.1",
        "2026-09-30T16:00:00+02:00",
        "single",
        XmlStyle(explicit_defaults=True),
    ),
)


@dataclass(slots=True)
class Baseline:
    """The baseline model with the indexes region generation needs."""

    model: Model
    case_of: dict[str, str]
    occurrences: dict[str, list[tuple[str, Node]]] = field(default_factory=dict)
    users_of_list: dict[str, list[str]] = field(default_factory=dict)
    in_scope_terms: list[str] = field(default_factory=list)
    _paths: dict[str, dict[int, str]] = field(default_factory=dict)

    def index(self) -> Baseline:
        occ: dict[str, list[tuple[str, Node]]] = defaultdict(list)
        for tid, tpl in self.model.templates.items():
            for _, node in walk(tpl.items):
                occ[node.kw].append((tid, node))
        self.occurrences = dict(occ)
        users: dict[str, list[str]] = defaultdict(list)
        for kw in self.model.keywords.values():
            if kw.vl:
                users[kw.vl].append(kw.id)
        self.users_of_list = dict(users)
        bound: dict[str, None] = {}
        for kw in self.model.keywords.values():
            bound.update((f"{s}:{c}", None) for s, c in kw.bindings)
        for vl in self.model.value_lists.values():
            for v in vl.values:
                bound.update((f"{s}:{c}", None) for s, c in v.bindings)
        self.in_scope_terms = [k for k in bound if k in self.model.terms]
        return self

    def path(self, tid: str, node: Node) -> str:
        """Return the baseline path of a node (``template/heading/keyword``)."""
        if tid not in self._paths:
            tpl = self.model.templates[tid]
            self._paths[tid] = {
                id(n): "/".join([tid, *(a.kw for a in anc), n.kw]) for anc, n in walk(tpl.items)
            }
        return self._paths[tid][id(node)]


Path = str | tuple[Any, ...]


class RegionBuilder:
    """Build one region's model, mapping and truth from the baseline."""

    def __init__(
        self,
        spec: RegionSpec,
        base: Baseline,
        rng: random.Random,
        namers: dict[str, voc.Namer],
        codes: Codes,
        rate: float,
    ) -> None:
        self.spec = spec
        self.base = base
        self.r = rng
        self.namers = namers
        self.codes = codes
        self.rate = rate
        self.model = Model()
        self.b2r: dict[str, dict[str, str]] = {k: {} for k in KINDS}
        self.r2b: dict[str, dict[str, str]] = {k: {} for k in KINDS}
        self.method: dict[str, dict[str, str]] = {k: {} for k in KINDS}
        self.unlinked: dict[str, dict[str, str]] = {k: {} for k in KINDS}
        self.devs: list[dict[str, Any]] = []
        self.changed: set[str] = set()  # ids (local) of items that got a change
        self.reserved_lists: set[int] = set()  # id() of sibling lists with an item change
        self.touched_nodes: set[int] = set()
        self.recoded: set[str] = set()
        self.gone_templates: set[str] = set()  # baseline ids whose region template is gone
        self.lok_keywords: list[str] = []
        n = len(base.model.keywords)
        self._kw_numbers = iter(rng.sample(range(10000, max(100000, 4 * n + 2000)), 2 * n + 1000))
        # the same ranges as before up to scale ~7 (the corpora stay the same), wider above
        t, v = len(base.model.templates), len(base.model.value_lists)
        self._tpl_numbers = iter(rng.sample(range(10000, max(100000, 4 * t + 2000)), 2 * t + 100))
        self._vl_numbers = iter(rng.sample(range(10000, max(100000, 4 * v + 2000)), 2 * v + 100))
        self._lok_numbers = iter(range(10001, 100000))

    # -- helpers -------------------------------------------------------------------------------
    def count(self, population: int, rate: float | None = None) -> int:
        """Return how many of a population get a change: ``rate`` of it, at least one."""
        if population <= 0:
            return 0
        return max(1, round((self.rate if rate is None else rate) * population))

    def dev(
        self,
        change: str,
        kind: str,
        entity: str,
        bid: str | None,
        lid: str | None,
        path: Path,
        field_name: str | None = None,
    ) -> None:
        self.devs.append(
            {
                "change": change,
                "kind": kind,
                "entity": entity,
                "baseline_id": bid,
                "local_id": lid,
                "field": field_name,
                "path": path,
            }
        )

    def local_id(self, kind: str) -> str:
        p = self.spec.prefix
        if kind == "keywords":
            return f"{p}-SO-{next(self._kw_numbers)}"
        if kind == "templates":
            return f"{p}-JM-{next(self._tpl_numbers)}"
        return f"{p}-VL-{next(self._vl_numbers)}"

    def link(self, kind: str, bid: str, bound: bool) -> str:
        roll = self.r.random()
        how = "mapping" if roll < 0.03 else "id" if roll < 0.07 else "binding" if bound else "name"
        lid = bid if how == "id" else self.local_id(kind)
        self.b2r[kind][bid] = lid
        self.r2b[kind][lid] = bid
        self.method[kind][lid] = how
        return lid

    def unlink(self, kind: str, lid: str) -> None:
        """Turn an intended pair into one no identity step finds (a suggestion target)."""
        bid = self.r2b[kind].pop(lid)
        del self.method[kind][lid]
        self.unlinked[kind][lid] = bid

    def pick(
        self, pool: Iterable[str], n: int, ok: Callable[[str], bool], used: set[str] | None = None
    ) -> list[str]:
        """Return up to ``n`` ids of ``pool`` (in its order) that pass ``ok`` and are unused.

        ``used`` (default: the items that already got a change) is updated with the picks.
        """
        used = self.changed if used is None else used
        out: list[str] = []
        for item in pool:
            if len(out) >= n:
                break
            if item not in used and ok(item):
                used.add(item)
                out.append(item)
        return out

    def shuffled(self, items: Iterable[str]) -> list[str]:
        out = list(items)
        self.r.shuffle(out)
        return out

    def new_keyword(self) -> str:
        """Define a local keyword (``PREFIX-LOK-n``) that has no baseline counterpart."""
        r = self.r
        kid = f"{self.spec.prefix}-LOK-{next(self._lok_numbers)}"
        ktype = r.choice(("Text", "Text", "Boolean", "DateTime", "Numeric", "WordProcessing"))
        kw = Keyword(
            id=kid,
            name=self.namers["keyword"].keyword(),
            type=ktype,
            unit=r.choice(voc.UNITS) if ktype == "Numeric" else None,
        )
        if r.random() < 0.3:
            kw.description = f"Lokalt sökord i {self.spec.name}"
        self.model.keywords[kid] = kw
        self.lok_keywords.append(kid)
        return kid

    # -- build ---------------------------------------------------------------------------------
    def build(self) -> RegionBuilder:
        self._copy()
        self._template_changes()
        self._value_list_changes()
        self._keyword_changes()
        self._item_changes()
        self._extra_templates()
        self._term_changes()
        self._harmless()
        self._resolve_paths()
        return self

    def _copy(self) -> None:
        b = self.base.model
        for key, t in b.terms.items():
            self.model.terms[key] = Term(t.system, t.code, t.display, t.status, t.en)
        for bid, vl in b.value_lists.items():
            lid = self.link("valueLists", bid, False)
            self.model.value_lists[lid] = VList(
                lid,
                vl.name,
                vl.kind,
                [Value(v.code, v.display, list(v.bindings)) for v in vl.values],
            )
        for bid, kw in b.keywords.items():
            lid = self.link("keywords", bid, bool(kw.bindings))
            self.model.keywords[lid] = Keyword(
                lid,
                kw.name,
                kw.type,
                kw.unit,
                self.b2r["valueLists"][kw.vl] if kw.vl else None,
                list(kw.bindings),
                kw.status,
                kw.hidden,
                kw.description,
            )
        kmap = self.b2r["keywords"]

        def copy(nodes: list[Node]) -> list[Node]:
            return [Node(kmap[n.kw], n.mandatory, n.repeatable, copy(n.children), n) for n in nodes]

        for bid, tpl in b.templates.items():
            lid = self.link("templates", bid, False)
            cases = [tpl.case] if self.r.random() < 0.4 else None
            self.model.templates[lid] = Template(
                lid,
                tpl.name,
                tpl.case,
                tpl.version,
                tpl.note_type,
                cases,
                tpl.status,
                copy(tpl.items),
            )

    # -- templates -----------------------------------------------------------------------------
    def _template_changes(self) -> None:
        tm = self.model.templates
        pool = self.shuffled(tm)
        n = self.count(len(pool))
        method = self.method["templates"]
        for lid in self.pick(pool, n, lambda _: True):
            bid = self.r2b["templates"].pop(lid)
            del method[lid], tm[lid]
            self.gone_templates.add(bid)
            self.dev("template-missing", "missing", "template", bid, None, bid)
        for lid in self.pick(pool, n, lambda x: method.get(x) == "name"):
            tpl = tm[lid]
            tpl.name = self.namers["template"].variant(tpl.name, allow_case_only=False)
            tpl.cases = tpl.cases or [tpl.case]
            self.unlink("templates", lid)
            bid = self.unlinked["templates"][lid]
            self.gone_templates.add(bid)
            self.dev("template-renamed-unlinked", "missing", "template", bid, None, bid)
            self.dev("template-renamed-unlinked", "extra", "template", None, lid, lid)
        for lid in self.pick(pool, n, lambda x: method.get(x) in ("mapping", "id")):
            tm[lid].name = self.namers["template"].variant(tm[lid].name)
            self._tdev("template-renamed", "renamed", lid)
        for lid in self.pick(pool, n, lambda x: x in method):
            tpl = tm[lid]
            tpl.note_type = self.r.choice([t for t in NOTE_TYPES if t != tpl.note_type])
            self._tdev("template-notetype", "attribute_changed", lid, "noteType")
        for lid in self.pick(pool, n, lambda x: x in method):
            tm[lid].version = str(int(tm[lid].version) + 1)
            self._tdev("template-version", "attribute_changed", lid, "version")
        for lid in self.pick(pool, n, lambda x: x in method):
            tpl = tm[lid]
            other = self.r.choice([c for c, _, _ in CASES if c != tpl.case])
            tpl.cases = sorted({tpl.case, other})
            self._tdev("template-cases", "attribute_changed", lid, "cases")
        for lid in self.pick(pool, n, lambda x: x in method):
            tm[lid].status = "inactive"
            self._tdev("template-status", "status_changed", lid)

    def _tdev(self, change: str, kind: str, lid: str, field_name: str | None = None) -> None:
        self.dev(change, kind, "template", self.r2b["templates"][lid], lid, lid, field_name)

    # -- value lists ---------------------------------------------------------------------------
    def _value_list_changes(self) -> None:
        vm = self.model.value_lists
        method = self.method["valueLists"]
        pool = self.shuffled(vm)
        n = self.count(len(pool))
        for lid in self.pick(pool, max(1, n // 3), lambda x: method.get(x) == "name"):
            self._list_unlinked(lid)
        for lid in self.pick(pool, n, lambda x: method.get(x) in ("mapping", "id")):
            vm[lid].name = self.namers["valueList"].variant(vm[lid].name)
            self.dev(
                "valuelist-renamed", "renamed", "valuelist", self.r2b["valueLists"][lid], lid, lid
            )
        # value changes: one per matched list (a renamed one too), none on a recoded list
        used: set[str] = set()
        for lid in self.pick(pool, self.count(len(pool), 0.03), lambda x: x in method, used):
            self._recode(lid)
        changes: list[tuple[str, Callable[[str], bool], Callable[[str], None]]] = [
            ("missing", lambda x: len(vm[x].values) >= 3, self._value_missing),
            ("extra", lambda _: True, self._value_extra),
            ("renamed", lambda _: True, self._value_renamed),
            ("binding", lambda _: True, self._value_binding),
            ("order", lambda x: len(vm[x].values) >= 3, self._value_order),
        ]
        for _, ok, apply in changes:
            for lid in self.pick(pool, n, _both(method.__contains__, ok), used):
                apply(lid)

    def _list_unlinked(self, lid: str) -> None:
        vl = self.model.value_lists[lid]
        vl.name = self.namers["valueList"].variant(vl.name, allow_case_only=False)
        self.unlink("valueLists", lid)
        bid = self.unlinked["valueLists"][lid]
        self.dev("valuelist-renamed-unlinked", "missing", "valuelist", bid, None, bid)
        self.dev("valuelist-renamed-unlinked", "extra", "valuelist", None, lid, lid)
        for bkw in self.base.users_of_list.get(bid, ()):
            rkw = self.b2r["keywords"][bkw]
            self.changed.add(rkw)
            self.dev(
                "valuelist-renamed-unlinked", "valuelist_changed", "keyword", bkw, rkw, ("kw", rkw)
            )

    def _recode(self, lid: str) -> None:
        for i, v in enumerate(self.model.value_lists[lid].values):
            v.code = f"{self.spec.prefix}{i + 1:02d}"
        self.recoded.add(lid)

    def _vkeys(self, lid: str, code: str) -> tuple[str, str]:
        return f"{self.r2b['valueLists'][lid]}#{code}", f"{lid}#{code}"

    def _value_missing(self, lid: str) -> None:
        values = self.model.value_lists[lid].values
        v = values.pop(self.r.randrange(len(values)))
        bkey, _ = self._vkeys(lid, v.code)
        self.dev("value-missing", "missing", "value", bkey, None, bkey)

    def _value_extra(self, lid: str) -> None:
        vl = self.model.value_lists[lid]
        taken = {voc.name_key(v.display) for v in vl.values}
        display = next((d for d in EXTRA_VALUES if voc.name_key(d) not in taken), None)
        if display is None:
            return
        code = f"L{self.spec.prefix}"
        vl.values.insert(self.r.randrange(len(vl.values) + 1), Value(code, display))
        lkey = f"{lid}#{code}"
        self.dev("value-extra", "extra", "value", None, lkey, lkey)

    def _value_renamed(self, lid: str) -> None:
        v = self.r.choice(self.model.value_lists[lid].values)
        v.display = (
            v.display.upper()
            if self.r.random() < 0.2 and v.display.upper() != v.display
            else f"{v.display} (lokal formulering)"
        )
        bkey, lkey = self._vkeys(lid, v.code)
        self.dev("value-renamed", "renamed", "value", bkey, lkey, lkey)

    def _value_binding(self, lid: str) -> None:
        v = self.r.choice(self.model.value_lists[lid].values)
        system = v.bindings[0][0] if v.bindings and v.bindings[0][0] != "atc" else "snomed-ct"
        if system == "icd-10-se":
            system = "snomed-ct"
        v.bindings = [(system, self.codes.fresh(system))]
        bkey, lkey = self._vkeys(lid, v.code)
        self.dev("value-binding", "binding_changed", "value", bkey, lkey, lkey)

    def _value_order(self, lid: str) -> None:
        values = self.model.value_lists[lid].values
        i = self.r.randrange(len(values) - 2)
        v = values.pop(i)
        values.insert(i + 2, v)
        bkey, lkey = self._vkeys(lid, v.code)
        self.dev("value-order", "order_changed", "value", bkey, lkey, lkey)

    # -- keywords ------------------------------------------------------------------------------
    def _keyword_changes(self) -> None:
        km = self.model.keywords
        method = self.method["keywords"]
        pool = self.shuffled(km)
        n = self.count(len(pool))
        for lid in self.pick(pool, max(1, n // 3), self._unlinkable):
            self._keyword_unlinked(lid)
        bkw = self.base.model.keywords

        def base(lid: str) -> Keyword:
            return bkw[self.r2b["keywords"][lid]]

        numeric = sum(1 for k in km.values() if k.type == "Numeric")
        fix = sum(1 for k in km.values() if k.type == "FixValue")
        plan: list[tuple[str, int, Callable[[str], bool], Callable[[str], None]]] = [
            (
                "renamed",
                n,
                lambda x: method.get(x) in ("mapping", "id", "binding"),
                self._kw_renamed,
            ),
            ("type", n, lambda x: base(x).type in TYPE_SWAP, self._kw_type),
            ("unit", self.count(numeric), lambda x: base(x).type == "Numeric", self._kw_unit),
            ("binding", n, lambda _: True, self._kw_binding),
            ("status", n, lambda _: True, self._kw_status),
            ("visibility", n, lambda _: True, self._kw_visibility),
            ("description", n, lambda _: True, self._kw_description),
            (
                "valuelist",
                self.count(fix),
                lambda x: base(x).type == "FixValue",
                self._kw_valuelist,
            ),
            (
                "unresolved",
                self.count(fix, self.rate / 6),
                lambda x: base(x).type == "FixValue",
                self._kw_unresolved,
            ),
        ]
        for _, count, ok, apply in plan:
            for lid in self.pick(pool, count, _both(method.__contains__, ok)):
                apply(lid)

    def _kdev(self, change: str, kind: str, lid: str, field_name: str | None = None) -> None:
        self.dev(change, kind, "keyword", self.r2b["keywords"][lid], lid, ("kw", lid), field_name)

    def _region_node(self, bid_tpl: str, bnode: Node) -> tuple[Template, list[Node], Node]:
        tpl = self.model.templates[self.b2r["templates"][bid_tpl]]
        for anc, node in walk(tpl.items):
            if node.base is bnode:
                return tpl, (anc[-1].children if anc else tpl.items), node
        raise LookupError(bnode.kw)

    def _unlinkable(self, lid: str) -> bool:
        """A keyword matched by name, used once, as a leaf, on an unchanged list."""
        if self.method["keywords"].get(lid) != "name":
            return False
        occ = self.base.occurrences.get(self.r2b["keywords"][lid], [])
        if len(occ) != 1 or occ[0][1].children or occ[0][0] in self.gone_templates:
            return False
        _, siblings, _ = self._region_node(*occ[0])
        return id(siblings) not in self.reserved_lists

    def _keyword_unlinked(self, lid: str) -> None:
        kw = self.model.keywords[lid]
        kw.name = self.namers["keyword"].variant(kw.name, allow_case_only=False)
        self.unlink("keywords", lid)
        bid = self.unlinked["keywords"][lid]
        btid, bnode = self.base.occurrences[bid][0]
        tpl, siblings, node = self._region_node(btid, bnode)
        self.reserved_lists.add(id(siblings))
        self.touched_nodes.add(id(node))
        self.dev(
            "keyword-renamed-unlinked", "missing", "keyword", bid, None, self.base.path(btid, bnode)
        )
        self.dev("keyword-renamed-unlinked", "extra", "keyword", None, lid, ("node", tpl, node))

    def _kw_renamed(self, lid: str) -> None:
        kw = self.model.keywords[lid]
        kw.name = self.namers["keyword"].variant(kw.name)
        self._kdev("keyword-renamed", "renamed", lid)

    def _kw_type(self, lid: str) -> None:
        kw = self.model.keywords[lid]
        kw.type = TYPE_SWAP[kw.type]
        self._kdev("keyword-type", "type_changed", lid)

    def _kw_unit(self, lid: str) -> None:
        kw = self.model.keywords[lid]
        roll = self.r.random()
        if kw.unit is None:
            kw.unit = self.r.choice(voc.UNITS)
        elif roll < 0.2:
            kw.unit = None
        else:
            kw.unit = voc.UNIT_ALTERNATIVES.get(kw.unit, kw.unit + "/d")
        self._kdev("keyword-unit", "unit_changed", lid)

    def _kw_binding(self, lid: str) -> None:
        kw = self.model.keywords[lid]
        r = self.r
        if kw.bindings and r.random() < 0.2:
            kw.bindings = []
        elif kw.bindings and r.random() < 0.2:
            kw.bindings.append(("loinc", self.codes.fresh("loinc")))
        else:
            system = kw.bindings[0][0] if kw.bindings else "snomed-ct"
            code = self.codes.fresh(system)
            kw.bindings = [(system, code)]
            if r.random() < 0.5:  # the region also added the new concept to its catalogue
                key = f"{system}:{code}"
                self.model.terms[key] = Term(system, code, kw.name.lower())
                self.dev("keyword-binding", "extra", "term", None, key, key)
        self._kdev("keyword-binding", "binding_changed", lid)
        base = self.base.model.keywords[self.r2b["keywords"][lid]]
        if self.method["keywords"][lid] == "binding" and not set(kw.bindings) & set(base.bindings):
            self.method["keywords"][lid] = "name"

    def _kw_status(self, lid: str) -> None:
        kw = self.model.keywords[lid]
        kw.status = self.r.choice(("inactive", "retired")) if kw.status == "active" else "active"
        self._kdev("keyword-status", "status_changed", lid)

    def _kw_visibility(self, lid: str) -> None:
        self.model.keywords[lid].hidden = not self.model.keywords[lid].hidden
        self._kdev("keyword-visibility", "visibility_changed", lid)

    def _kw_description(self, lid: str) -> None:
        kw = self.model.keywords[lid]
        roll = self.r.random()
        if kw.description is None:
            kw.description = f"{kw.name}: {self.r.choice(voc.DESCRIPTION_PHRASES)}"
        elif roll < 0.2:
            kw.description = None
        else:
            kw.description = f"{kw.description}; enligt {self.spec.name}s rutin"
        self._kdev("keyword-description", "attribute_changed", lid, "description")

    def _kw_valuelist(self, lid: str) -> None:
        kw = self.model.keywords[lid]
        linked = self.r2b["valueLists"]
        if not any(v != kw.vl for v in linked):
            return
        lists = list(self.model.value_lists)
        while True:
            other = self.r.choice(lists)
            if other != kw.vl and other in linked:
                break
        kw.vl = other
        self._kdev("keyword-valuelist", "valuelist_changed", lid)

    def _kw_unresolved(self, lid: str) -> None:
        undefined = self.local_id("valueLists")
        self.model.keywords[lid].vl = undefined
        self.dev(
            "keyword-unresolved-valuelist",
            "unresolved_reference",
            "valuelist",
            None,
            undefined,
            ("kw", lid),
        )

    # -- template items ------------------------------------------------------------------------
    def _item_changes(self) -> None:
        matched = [self.model.templates[lid] for lid in self.r2b["templates"]]
        lists = [
            (t, parent, lst)
            for t in matched
            for parent, lst in sibling_lists(t)
            if id(lst) not in self.reserved_lists
        ]
        self.r.shuffle(lists)
        n = self.count(len(lists))
        by_tpl: dict[str, list[list[Node]]] = defaultdict(list)
        for t, _, lst in lists:
            by_tpl[t.id].append(lst)
        plan = (
            ("missing", n, self._item_missing),
            ("order", n, self._item_order),
            ("moved", n, lambda t, lst: self._item_moved(t, lst, by_tpl[t.id])),
            ("extra", n, self._item_extra),
            ("unresolved", self.count(len(lists), self.rate / 6), self._item_unresolved),
        )
        for _, count, apply in plan:
            done = 0
            for t, _, lst in lists:
                if done >= count:
                    break
                if id(lst) not in self.reserved_lists and apply(t, lst):
                    self.reserved_lists.add(id(lst))
                    done += 1
        self._flags(matched)

    def _leaf(self, lst: list[Node]) -> Node | None:
        leaves = [
            n
            for n in lst
            if not n.children and id(n) not in self.touched_nodes and n.base is not None
        ]
        return self.r.choice(leaves) if leaves else None

    def _item_missing(self, tpl: Template, lst: list[Node]) -> bool:
        node = self._leaf(lst)
        if node is None or node.base is None:
            return False
        lst.remove(node)
        btid = self.r2b["templates"][tpl.id]
        self.dev(
            "item-missing",
            "missing",
            "keyword",
            node.base.kw,
            None,
            self.base.path(btid, node.base),
        )
        return True

    def _item_order(self, tpl: Template, lst: list[Node]) -> bool:
        if len(lst) < 3:
            return False
        i = self.r.randrange(len(lst) - 2)
        node = lst[i]
        if id(node) in self.touched_nodes or node.base is None:
            return False
        lst.insert(i + 2, lst.pop(i))
        self.touched_nodes.add(id(node))
        self.dev(
            "item-order", "order_changed", "keyword", node.base.kw, node.kw, ("node", tpl, node)
        )
        return True

    def _item_moved(self, tpl: Template, lst: list[Node], same_tpl: list[list[Node]]) -> bool:
        node = self._leaf(lst)
        targets = [t for t in same_tpl if t is not lst and id(t) not in self.reserved_lists]
        if node is None or node.base is None or not targets:
            return False
        target = self.r.choice(targets)
        lst.remove(node)
        target.insert(self.r.randrange(len(target) + 1), node)
        self.reserved_lists.add(id(target))
        self.touched_nodes.add(id(node))
        self.dev("item-moved", "moved", "keyword", node.base.kw, node.kw, ("node", tpl, node))
        return True

    def _item_extra(self, tpl: Template, lst: list[Node]) -> bool:
        present = {n.kw for _, n in walk(tpl.items)}
        btpl = self.base.model.templates[self.r2b["templates"][tpl.id]]
        in_base = {n.kw for _, n in walk(btpl.items)}
        kid = None
        if self.r.random() < 0.3:
            cand = self.r.choice(list(self.r2b["keywords"]))
            if cand not in present and self.r2b["keywords"][cand] not in in_base:
                kid = cand
        kid = kid or self.new_keyword()
        node = Node(kid)
        lst.insert(self.r.randrange(len(lst) + 1), node)
        self.touched_nodes.add(id(node))
        self.dev("item-extra", "extra", "keyword", None, kid, ("node", tpl, node))
        return True

    def _item_unresolved(self, tpl: Template, lst: list[Node]) -> bool:
        undefined = self.local_id("keywords")
        node = Node(undefined)
        lst.insert(self.r.randrange(len(lst) + 1), node)
        self.touched_nodes.add(id(node))
        self.dev(
            "item-unresolved-keyword",
            "unresolved_reference",
            "keyword",
            None,
            undefined,
            ("node", tpl, node),
        )
        return True

    def _flags(self, matched: list[Template]) -> None:
        nodes = [
            (t, n)
            for t in matched
            for _, n in walk(t.items)
            if n.base is not None
            and id(n) not in self.touched_nodes
            and n.kw in self.r2b["keywords"]
        ]
        self.r.shuffle(nodes)
        n = self.count(len(nodes), self.rate / 3)
        for i, (tpl, node) in enumerate(nodes[: 2 * n]):
            field_name = "mandatory" if i < n else "repeatable"
            setattr(node, field_name, not getattr(node, field_name))
            self.touched_nodes.add(id(node))
            bid = node.base.kw if node.base else None
            self.dev(
                f"item-{field_name}",
                "mandatory_changed",
                "keyword",
                bid,
                node.kw,
                ("node", tpl, node),
                field_name,
            )

    # -- extra and out-of-scope templates ------------------------------------------------------
    def _extra_templates(self) -> None:
        r = self.r
        n_base = len(self.base.model.templates)
        linked = list(self.r2b["keywords"])
        for i in range(self.count(n_base) + self.count(n_base, 0.01)):
            extra = i < self.count(n_base)
            case = r.choice(CASES)[0]
            lid = self.local_id("templates")
            name = self.namers["template"].template(case)
            tpl = Template(
                lid,
                name if extra else f"{name} (lokal journaltabell)",
                case,
                "1",
                r.choice(voc.CASE_NOTE_TYPES[case]),
                [case] if extra else None,
            )
            used: set[str] = set()
            for _ in range(r.randint(5, 15)):
                kid = r.choice(linked) if r.random() < 0.6 else self.new_keyword()
                if kid not in used:
                    used.add(kid)
                    tpl.items.append(Node(kid, mandatory=r.random() < 0.2))
            self.model.templates[lid] = tpl
            if extra:
                self.dev("template-extra", "extra", "template", None, lid, lid)

    # -- terms ---------------------------------------------------------------------------------
    def _term_changes(self) -> None:
        terms = self.model.terms
        pool = self.shuffled(self.base.in_scope_terms)
        n = self.count(len(pool))
        for key in self.pick(pool, n, lambda _: True):
            del terms[key]
            self.dev("term-missing", "missing", "term", key, None, key)
        for key in self.pick(pool, n, lambda _: True):
            terms[key].display = f"{terms[key].display} (regional term)"
            self.dev("term-renamed", "renamed", "term", key, key, key)
        for key in self.pick(pool, n, lambda _: True):
            terms[key].status = "inactive"
            self.dev("term-status", "status_changed", "term", key, key, key)
        for key in self.pick(pool, n, lambda _: True):  # a language only one side has: no finding
            terms[key].en = f"{terms[key].display} (en)"
        for _ in range(self.count(len(pool), 0.01)):  # catalogue terms nothing binds
            code = self.codes.fresh("snomed-ct")
            terms[f"snomed-ct:{code}"] = Term("snomed-ct", code, "lokal term")

    # -- differences that are not deviations ---------------------------------------------------
    def _harmless(self) -> None:
        """Vary white space and Unicode normal form of some names: never a deviation."""
        r = self.r
        for kind, table in self.tables().items():
            for lid, method in self.method[kind].items():
                if method != "name" or lid in self.changed or r.random() > 0.01:
                    continue
                table[lid].name = _harmless(table[lid].name, r)

    def tables(self) -> dict[str, dict[str, Any]]:
        """Return the region's templates, keywords and value lists by kind."""
        return {
            "templates": self.model.templates,
            "keywords": self.model.keywords,
            "valueLists": self.model.value_lists,
        }

    # -- paths ---------------------------------------------------------------------------------
    def _resolve_paths(self) -> None:
        known = {c for c, _, _ in CASES}
        first: dict[str, str] = {}
        for lid in sorted(self.model.templates):
            tpl = self.model.templates[lid]
            if lid not in self.r2b["templates"] and not (set(tpl.cases or ()) & known):
                continue
            for anc, node in walk(tpl.items):
                first.setdefault(node.kw, "/".join([lid, *(a.kw for a in anc), node.kw]))
        node_paths: dict[str, dict[int, str]] = {}
        for d in self.devs:
            p = d["path"]
            if isinstance(p, tuple) and p[0] == "kw":
                d["path"] = first.get(p[1], p[1])
            elif isinstance(p, tuple):
                tpl, node = p[1], p[2]
                if tpl.id not in node_paths:
                    node_paths[tpl.id] = {
                        id(n): "/".join([tpl.id, *(a.kw for a in anc), n.kw])
                        for anc, n in walk(tpl.items)
                    }
                d["path"] = node_paths[tpl.id][id(node)]

    # -- outputs -------------------------------------------------------------------------------
    def matches(self) -> dict[str, Any]:
        """Return local id -> baseline id of every matched item, with how it is matched."""
        out: dict[str, Any] = {}
        for kind in KINDS:
            out[kind] = dict(sorted(self.r2b[kind].items()))
        values: dict[str, str] = {}
        value_method: dict[str, int] = defaultdict(int)
        bvl = self.base.model.value_lists
        for lid, bid in sorted(self.r2b["valueLists"].items()):
            by_code = {v.code: v for v in bvl[bid].values}
            if lid in self.recoded:
                for v, b in zip(self.model.value_lists[lid].values, bvl[bid].values, strict=False):
                    values[f"{lid}#{v.code}"] = f"{bid}#{b.code}"
                    value_method["binding" if b.bindings else "name"] += 1
                continue
            for v in self.model.value_lists[lid].values:
                if v.code in by_code:
                    values[f"{lid}#{v.code}"] = f"{bid}#{v.code}"
                    value_method["code"] += 1
        out["values"] = values
        out["methods"] = {kind: _tally(self.method[kind].values()) for kind in KINDS}
        out["methods"]["values"] = dict(sorted(value_method.items()))
        return out

    def mapping_yaml(self) -> str:
        """Return the region's ``mapping.yaml``: the mapping-linked items, with their names."""
        lines = [
            f"# {self.spec.name}: lokala id -> eSPiR-id för poster som förvaltningen",
            "# har länkat uttryckligen (syntetisk benchmarkdata).",
            "",
        ]
        tables = self.tables()
        for kind in ("keywords", "templates", "valueLists"):
            entries = sorted(lid for lid, m in self.method[kind].items() if m == "mapping")
            lines.append(f"{kind}:" if entries else f"{kind}: {{}}")
            for lid in entries:
                name = tables[kind][lid].name.replace("\n", " ")
                lines.append(f"  {lid}: {self.r2b[kind][lid]}  # {name}")
        return "\n".join(lines) + "\n"


def _both(a: Callable[[str], bool], b: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda x: a(x) and b(x)


def _tally(methods: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for m in methods:
        out[m] += 1
    return dict(sorted(out.items()))


def _harmless(name: str, r: random.Random) -> str:
    roll = r.random()
    if roll < 0.4 and unicodedata.normalize("NFD", name) != name:
        return unicodedata.normalize("NFD", name)
    if roll < 0.8 and " " in name:
        return name.replace(" ", "  ", 1)
    return f" {name} "
