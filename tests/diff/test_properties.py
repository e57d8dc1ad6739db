"""Property tests of the comparison engine on random baseline-like models.

(a) A model compared with itself (catalogues shuffled, names in NFD with padded white space,
    optionally under local ids linked by mapping.yaml) has no deviation.
(b) One random mutation of one random item is reported as exactly the finding that
    docs/comparison.md prescribes for it, on that item.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from model_edit import replace

from cosmicdiff.model import (
    NOTE_TYPES,
    TERM_SYSTEMS,
    Binding,
    Export,
    Item,
    Keyword,
    KeywordType,
    Status,
    Template,
    Term,
    Value,
    ValueList,
)

from .helpers import Finding, findings, nfd_padded, run_compare, write_baseline, write_region

SETTINGS = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

_WORD = st.text(alphabet="abdeghiklmnoprstuvyåäöÅÄÖéü ", min_size=1, max_size=10)


def _name(draw: st.DrawFn, tag: str) -> str:
    """A random Swedish-looking name made unique (also after normalisation) by ``tag``."""
    return f"{draw(_WORD).strip() or 'ord'} {tag}"


@dataclass
class Model:
    export: Export
    cases: dict[str, list[str]]


@dataclass
class _Node:
    keyword: str
    mandatory: bool
    repeatable: bool
    children: list[_Node]

    def freeze(self) -> Item:
        return Item(
            keyword=self.keyword,
            mandatory=self.mandatory,
            repeatable=self.repeatable,
            children=tuple(c.freeze() for c in self.children),
        )


@st.composite
def models(draw: st.DrawFn, repeats: bool = False) -> Model:
    """A valid random model: terms, value lists, keywords with bindings, nested templates."""
    terms: dict[str, Term] = {}
    systems = sorted(TERM_SYSTEMS) + ["local:test"]
    for i in range(draw(st.integers(0, 4))):
        system = draw(st.sampled_from(systems))
        displays = {"sv": _name(draw, f"t{i}")}
        if draw(st.booleans()):
            displays["en"] = f"term {i}"
        terms[f"{system}:C{i}"] = Term(
            system=system,
            code=f"C{i}",
            displays=displays,
            status=draw(st.sampled_from(list(Status))),
        )
    known = [Binding(system=t.system, code=t.code) for t in terms.values()]

    def bindings() -> tuple[Binding, ...]:
        if not known:
            return ()
        return tuple(
            draw(
                st.lists(st.sampled_from(known), max_size=2, unique_by=lambda b: (b.system, b.code))
            )
        )

    value_lists: dict[str, ValueList] = {}
    for i in range(draw(st.integers(0, 3))):
        vid = f"VL-{i}"
        values = tuple(
            Value(
                code=str(j + 1),
                display=_name(draw, f"v{i}.{j}"),
                bindings=bindings() if draw(st.booleans()) else (),
            )
            for j in range(draw(st.integers(1, 4)))
        )
        value_lists[vid] = ValueList(id=vid, name=_name(draw, f"l{i}"), values=values)

    keywords: dict[str, Keyword] = {}
    for i in range(draw(st.integers(2, 8))):
        kid = f"K-{i:02d}"
        ktype = draw(st.sampled_from(list(KeywordType)))
        vl = None
        if value_lists and (ktype is KeywordType.FIX_VALUE or draw(st.integers(0, 4)) == 0):
            vl = draw(st.sampled_from(sorted(value_lists)))
        if ktype is KeywordType.FIX_VALUE and vl is None:
            ktype = KeywordType.TEXT
        unit = (
            draw(st.sampled_from([None, "mmol/L", "mm[Hg]", "kg"]))
            if ktype is KeywordType.NUMERIC
            else None
        )
        keywords[kid] = Keyword(
            id=kid,
            name=_name(draw, f"k{i}"),
            type=ktype,
            unit=unit,
            value_list=vl,
            bindings=bindings(),
            status=draw(st.sampled_from(list(Status))),
            hidden_from_1177=draw(st.booleans()),
            description=draw(st.one_of(st.none(), _WORD.map(lambda w: f"Om {w}"))),
        )

    templates: dict[str, Template] = {}
    kids = sorted(keywords)
    for i in range(draw(st.integers(1, 3))):
        if repeats:
            chosen = draw(st.lists(st.sampled_from(kids), min_size=1, max_size=8))
        else:
            chosen = draw(
                st.lists(st.sampled_from(kids), min_size=1, max_size=len(kids), unique=True)
            )
        top: list[_Node] = []
        placed: list[tuple[_Node, tuple[str, ...]]] = []  # node and its ancestors' keywords
        for kid in chosen:
            node = _Node(kid, draw(st.booleans()), draw(st.booleans()), [])
            at = draw(st.integers(-1, len(placed) - 1))
            if at >= 0 and kid not in (*placed[at][1], placed[at][0].keyword):
                parent, chain = placed[at]
                parent.children.append(node)
                placed.append((node, (*chain, parent.keyword)))
            else:
                top.append(node)
                placed.append((node, ()))
        tid = f"T-{i}"
        templates[tid] = Template(
            id=tid,
            name=_name(draw, f"m{i}"),
            version=draw(st.one_of(st.none(), st.sampled_from(["1", "2"]))),
            note_type=draw(st.one_of(st.none(), st.sampled_from(sorted(NOTE_TYPES)))),
            status=draw(st.sampled_from(list(Status))),
            items=tuple(n.freeze() for n in top),
        )

    cases: dict[str, list[str]] = {"psychiatry": [], "drugs": []}
    for tid in templates:
        for c in draw(st.sampled_from([("psychiatry",), ("drugs",), ("psychiatry", "drugs")])):
            cases[c].append(tid)
    cases = {c: t for c, t in cases.items() if t}
    export = Export(
        region="prop", terms=terms, value_lists=value_lists, keywords=keywords, templates=templates
    )
    return Model(export=export, cases=cases)


def _shuffled(draw: st.DrawFn, table: dict[str, Any]) -> dict[str, Any]:
    keys = draw(st.permutations(list(table)))
    return {k: table[k] for k in keys}


def _compare(
    model: Model, region: Export, mapping: dict[str, dict[str, str]] | None = None
) -> set[Finding]:
    with tempfile.TemporaryDirectory() as tmp:
        base = write_baseline(Path(tmp) / "base", model.export, model.cases)
        folder = write_region(Path(tmp) / "region", region, mapping=mapping)
        return findings(run_compare(base, folder))


# -- (a) a model compared with itself ------------------------------------------------------


def _relabel(export: Export) -> tuple[Export, dict[str, dict[str, str]]]:
    """Give every keyword, template and value list a local id; return the mapping too."""
    kid = {k: f"L-{k}" for k in export.keywords}
    tid = {t: f"L-{t}" for t in export.templates}
    vid = {v: f"L-{v}" for v in export.value_lists}

    def item(it: Item) -> Item:
        return replace(it, keyword=kid[it.keyword], children=tuple(item(c) for c in it.children))

    region = replace(
        export,
        keywords={
            kid[k]: replace(kw, id=kid[k], value_list=vid.get(kw.value_list or "", kw.value_list))
            for k, kw in export.keywords.items()
        },
        templates={
            tid[t]: replace(tp, id=tid[t], items=tuple(item(i) for i in tp.items))
            for t, tp in export.templates.items()
        },
        value_lists={vid[v]: replace(vl, id=vid[v]) for v, vl in export.value_lists.items()},
    )
    mapping = {
        "keywords": {v: k for k, v in kid.items()},
        "templates": {v: k for k, v in tid.items()},
        "valueLists": {v: k for k, v in vid.items()},
    }
    return region, mapping


def _cosmetic(export: Export) -> Export:
    """NFD and padded white space in every name and display (never a deviation)."""
    return replace(
        export,
        terms={
            k: replace(t, displays={lang: nfd_padded(d) for lang, d in t.displays.items()})
            for k, t in export.terms.items()
        },
        value_lists={
            k: replace(
                v,
                name=nfd_padded(v.name),
                values=tuple(replace(x, display=nfd_padded(x.display)) for x in v.values),
            )
            for k, v in export.value_lists.items()
        },
        keywords={k: replace(kw, name=nfd_padded(kw.name)) for k, kw in export.keywords.items()},
        templates={k: replace(t, name=nfd_padded(t.name)) for k, t in export.templates.items()},
    )


@SETTINGS
@given(models(repeats=True), st.data())
def test_model_compared_with_itself_has_no_deviation(model: Model, data: st.DataObject) -> None:
    draw = data.draw
    x = model.export
    region = replace(
        x,
        terms=_shuffled(draw, dict(x.terms)),
        value_lists=_shuffled(draw, dict(x.value_lists)),
        keywords=_shuffled(draw, dict(x.keywords)),
        templates=_shuffled(draw, dict(x.templates)),
    )
    if draw(st.booleans(), label="cosmetic"):
        region = _cosmetic(region)
    mapping = None
    if draw(st.booleans(), label="local ids"):
        region, mapping = _relabel(region)
    assert _compare(model, region, mapping) == set()


# -- (b) one mutation, exactly one finding -------------------------------------------------


def _paths(export: Export) -> list[tuple[str, str, Item, tuple[Item, ...]]]:
    """(template id, path, item, ancestors) of every item, templates in id order."""
    out = []
    for tid in sorted(export.templates):
        for ancestors, it in export.templates[tid].walk():
            out.append(
                (tid, "/".join([tid, *(a.keyword for a in ancestors), it.keyword]), it, ancestors)
            )
    return out


def _first_path(export: Export, kid: str) -> str:
    return next(p for _, p, it, _ in _paths(export) if it.keyword == kid)


def _replace_at(
    items: tuple[Item, ...],
    trail: tuple[int, ...],
    fn: Callable[[tuple[Item, ...], int], tuple[Item, ...]],
) -> tuple[Item, ...]:
    """Apply ``fn(siblings, index)`` to the sibling list that holds the item at ``trail``."""
    if len(trail) == 1:
        return fn(items, trail[0])
    i = trail[0]
    inner = replace(items[i], children=_replace_at(items[i].children, trail[1:], fn))
    return (*items[:i], inner, *items[i + 1 :])


def _trails(items: tuple[Item, ...], prefix: tuple[int, ...] = ()) -> list[tuple[int, ...]]:
    out = []
    for i, it in enumerate(items):
        out.append((*prefix, i))
        out.extend(_trails(it.children, (*prefix, i)))
    return out


def _at(items: tuple[Item, ...], trail: tuple[int, ...]) -> Item:
    it = items[trail[0]]
    for i in trail[1:]:
        it = it.children[i]
    return it


def _path_of(tid: str, items: tuple[Item, ...], trail: tuple[int, ...]) -> str:
    return "/".join([tid, *(_at(items, trail[:n]).keyword for n in range(1, len(trail) + 1))])


Mutation = tuple[Export, set[Finding] | Callable[[set[Finding]], bool]]


def _kw(x: Export, kid: str, **changes: Any) -> Export:
    return replace(x, keywords={**x.keywords, kid: replace(x.keywords[kid], **changes)})


def _tpl_items(x: Export, tid: str, items: tuple[Item, ...]) -> Export:
    return replace(x, templates={**x.templates, tid: replace(x.templates[tid], items=items)})


def _mutations(x: Export) -> dict[str, Callable[[st.DrawFn], Mutation]]:
    """The applicable mutations of ``x``: name -> draw a mutated export and its findings."""
    used = sorted({it.keyword for _, _, it, _ in _paths(x)})
    muts: dict[str, Callable[[st.DrawFn], Mutation]] = {}

    def one(kind: str, kid: str, field: str | None = None) -> set[Finding]:
        return {(kind, "keyword", kid, kid, _first_path(x, kid), field)}

    def rename(draw: st.DrawFn) -> Mutation:
        kid = draw(st.sampled_from(used))
        return _kw(x, kid, name="Omdöpt " + x.keywords[kid].name), one("renamed", kid)

    def retype(draw: st.DrawFn) -> Mutation:
        kid = draw(st.sampled_from(used))
        kw = x.keywords[kid]
        choices = [
            t
            for t in KeywordType
            if t is not kw.type and (t is not KeywordType.FIX_VALUE or kw.value_list)
        ]
        return _kw(x, kid, type=draw(st.sampled_from(choices))), one("type_changed", kid)

    def unit(draw: st.DrawFn) -> Mutation:
        kid = draw(st.sampled_from(used))
        return _kw(x, kid, unit="enhet/x"), one("unit_changed", kid)

    def hidden(draw: st.DrawFn) -> Mutation:
        kid = draw(st.sampled_from(used))
        return (
            _kw(x, kid, hidden_from_1177=not x.keywords[kid].hidden_from_1177),
            one("visibility_changed", kid),
        )

    def status(draw: st.DrawFn) -> Mutation:
        kid = draw(st.sampled_from(used))
        new = draw(st.sampled_from([s for s in Status if s is not x.keywords[kid].status]))
        return _kw(x, kid, status=new), one("status_changed", kid)

    def description(draw: st.DrawFn) -> Mutation:
        kid = draw(st.sampled_from(used))
        new = (x.keywords[kid].description or "") + " ändrad"
        return _kw(x, kid, description=new), one("attribute_changed", kid, "description")

    muts |= {
        "rename": rename,
        "type": retype,
        "unit": unit,
        "hidden": hidden,
        "status": status,
        "description": description,
    }

    item_sites = [
        (tid, trail) for tid in sorted(x.templates) for trail in _trails(x.templates[tid].items)
    ]

    def mandatory(draw: st.DrawFn) -> Mutation:
        tid, trail = draw(st.sampled_from(item_sites))
        items = x.templates[tid].items
        it = _at(items, trail)

        def flip(sibs: tuple[Item, ...], i: int) -> tuple[Item, ...]:
            return (*sibs[:i], replace(sibs[i], mandatory=not sibs[i].mandatory), *sibs[i + 1 :])

        return (
            _tpl_items(x, tid, _replace_at(items, trail, flip)),
            {
                (
                    "mandatory_changed",
                    "keyword",
                    it.keyword,
                    it.keyword,
                    _path_of(tid, items, trail),
                    "mandatory",
                )
            },
        )

    muts["mandatory"] = mandatory

    leaves = [
        (tid, trail) for tid, trail in item_sites if not _at(x.templates[tid].items, trail).children
    ]

    def remove_leaf(draw: st.DrawFn) -> Mutation:
        tid, trail = draw(st.sampled_from(leaves))
        items = x.templates[tid].items
        it = _at(items, trail)

        def drop(sibs: tuple[Item, ...], i: int) -> tuple[Item, ...]:
            return (*sibs[:i], *sibs[i + 1 :])

        return (
            _tpl_items(x, tid, _replace_at(items, trail, drop)),
            {("missing", "keyword", it.keyword, None, _path_of(tid, items, trail), None)},
        )

    if leaves:
        muts["remove_leaf"] = remove_leaf

    pairs = [
        (tid, trail)
        for tid, trail in item_sites
        if trail[-1] + 1 < len(_siblings(x.templates[tid].items, trail))
    ]

    def swap(draw: st.DrawFn) -> Mutation:
        tid, trail = draw(st.sampled_from(pairs))
        items = x.templates[tid].items
        nxt = (*trail[:-1], trail[-1] + 1)
        a, b = _at(items, trail), _at(items, nxt)
        pa, pb = _path_of(tid, items, trail), _path_of(tid, items, nxt)

        def exchange(sibs: tuple[Item, ...], i: int) -> tuple[Item, ...]:
            return (*sibs[:i], sibs[i + 1], sibs[i], *sibs[i + 2 :])

        allowed = {
            ("order_changed", "keyword", a.keyword, a.keyword, pa, None),
            ("order_changed", "keyword", b.keyword, b.keyword, pb, None),
        }
        # An adjacent swap leaves exactly one of the two outside the LCS.
        return (
            _tpl_items(x, tid, _replace_at(items, trail, exchange)),
            lambda found: len(found) == 1 and found <= allowed,
        )

    if pairs:
        muts["swap"] = swap

    def add_extra(draw: st.DrawFn) -> Mutation:
        tid = draw(st.sampled_from(sorted(x.templates)))
        items = x.templates[tid].items
        parents = [()] + _trails(items)
        parent = draw(st.sampled_from(parents))
        sibs = _at(items, parent).children if parent else items
        at = draw(st.integers(0, len(sibs)))
        new = Item(keyword="X-NEW")

        def insert(s: tuple[Item, ...], i: int) -> tuple[Item, ...]:
            return (*s[:i], new, *s[i:])

        if parent:
            host = _at(items, parent)
            grown = _replace_at(
                items,
                parent,
                lambda s, i: (
                    *s[:i],
                    replace(host, children=insert(host.children, at)),
                    *s[i + 1 :],
                ),
            )
            path = _path_of(tid, items, parent) + "/X-NEW"
        else:
            grown = insert(items, at)
            path = f"{tid}/X-NEW"
        kw = Keyword(id="X-NEW", name="Extranytt sökord", type=KeywordType.TEXT)
        region = replace(_tpl_items(x, tid, grown), keywords={**x.keywords, "X-NEW": kw})
        return region, {("extra", "keyword", None, "X-NEW", path, None)}

    muts["add_extra"] = add_extra

    lists = sorted({x.keywords[k].value_list for k in used if x.keywords[k].value_list})

    def remove_value(draw: st.DrawFn) -> Mutation:
        vid = draw(st.sampled_from(lists))
        vl = x.value_lists[vid]
        j = draw(st.integers(0, len(vl.values) - 1))
        key = f"{vid}#{vl.values[j].code}"
        values = (*vl.values[:j], *vl.values[j + 1 :])
        region = replace(x, value_lists={**x.value_lists, vid: replace(vl, values=values)})
        return region, {("missing", "value", key, None, key, None)}

    def redisplay(draw: st.DrawFn) -> Mutation:
        vid = draw(st.sampled_from(lists))
        vl = x.value_lists[vid]
        j = draw(st.integers(0, len(vl.values) - 1))
        v = vl.values[j]
        key = f"{vid}#{v.code}"
        values = (*vl.values[:j], replace(v, display="Ändrat " + v.display), *vl.values[j + 1 :])
        region = replace(x, value_lists={**x.value_lists, vid: replace(vl, values=values)})
        return region, {("renamed", "value", key, key, key, None)}

    if lists:
        muts["remove_value"] = remove_value
        muts["redisplay"] = redisplay

    bound = {str(b) for k in used for b in x.keywords[k].bindings}
    bound |= {str(b) for vid in lists for v in x.value_lists[vid].values for b in v.bindings}
    retirable = sorted(k for k in bound if k in x.terms and x.terms[k].status is not Status.RETIRED)

    def retire(draw: st.DrawFn) -> Mutation:
        key = draw(st.sampled_from(retirable))
        region = replace(x, terms={**x.terms, key: replace(x.terms[key], status=Status.RETIRED)})
        return region, {("status_changed", "term", key, key, key, None)}

    if retirable:
        muts["retire_term"] = retire
    return muts


def _siblings(items: tuple[Item, ...], trail: tuple[int, ...]) -> tuple[Item, ...]:
    return _at(items, trail[:-1]).children if len(trail) > 1 else items


MUTATIONS = (
    "rename",
    "type",
    "unit",
    "hidden",
    "status",
    "description",
    "mandatory",
    "remove_leaf",
    "swap",
    "add_extra",
    "remove_value",
    "redisplay",
    "retire_term",
)


@pytest.mark.parametrize("mutation", MUTATIONS)
@settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(models(), st.data())
def test_single_mutation_is_reported_as_exactly_that(
    mutation: str, model: Model, data: st.DataObject
) -> None:
    muts = _mutations(model.export)
    assume(mutation in muts)
    region, expected = muts[mutation](data.draw)
    found = _compare(model, region)
    if callable(expected):
        assert expected(found), f"{mutation}: {sorted(found, key=str)}"
    else:
        assert found == expected
