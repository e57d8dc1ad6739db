"""Unit tests of the template item trees (diff.trees) and of diff.lcs.positions."""

from __future__ import annotations

from model_edit import replace

from cosmicdiff.diff.lcs import positions
from cosmicdiff.diff.trees import (
    Node,
    NodeKey,
    Unpaired,
    baseline_tree,
    children,
    item_findings,
    keyed_tree,
    node_path,
    parent_path,
    region_identity,
    same_tree,
)
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Kind

from .build import Short, context, export, it, short, tpl, used


def _as_is(kid: str) -> str:
    return kid


def test_positions_are_one_based() -> None:
    assert positions(["a", "b", "c"]) == {"a": 1, "b": 2, "c": 3}
    assert positions([]) == {}


def test_keyed_tree_numbers_occurrences_in_document_order() -> None:
    tree = keyed_tree(tpl("T", it("H", it("A")), it("A"), it("B")), _as_is)
    assert list(tree) == [NodeKey("H", 1), NodeKey("A", 1), NodeKey("A", 2), NodeKey("B", 1)]
    assert tree[NodeKey("A", 1)].parent == NodeKey("H", 1)
    assert tree[NodeKey("A", 2)].parent is None
    assert [a.keyword for a in tree[NodeKey("A", 1)].ancestors] == ["H"]


def test_keyed_tree_builds_real_named_tuples() -> None:
    node = keyed_tree(tpl("T", it("A")), _as_is)[NodeKey("A", 1)]
    assert type(node) is Node and type(node.key) is NodeKey
    assert node.key.identity == "A" and node.key.occurrence == 1


def test_region_identity_is_the_partner_or_an_unpaired_marker() -> None:
    identity = region_identity({"L1": "B1"}, {"L1", "L2"})
    assert identity("L1") == "B1"
    assert identity("L2") == Unpaired("L2")  # defined, no partner
    assert identity("L3") == Unpaired("L3")  # not defined
    assert identity("L2") != "L2"  # never taken for a baseline keyword of the same id


def test_unpaired_keys_never_meet_baseline_keys_of_the_same_id() -> None:
    # region keyword "A" is local; region keyword "X" pairs with baseline "A"
    identity = region_identity({"X": "A"}, {"A", "X"})
    tree = keyed_tree(tpl("T", it("A"), it("X")), identity)
    assert list(tree) == [NodeKey(Unpaired("A"), 1), NodeKey("A", 1)]


def test_same_tree_through_partners() -> None:
    base = tpl("T", it("H", it("A", mandatory=True)), it("B"))
    region = tpl("R", it("h", it("a", mandatory=True)), it("b"))
    partner = {"h": "H", "a": "A", "b": "B"}
    assert same_tree(base, region, partner, set(partner))


def test_same_tree_notices_every_difference() -> None:
    base = tpl("T", it("H", it("A")), it("B"))
    defined = {"H", "A", "B", "C"}
    partner = {k: k for k in defined}
    variants = [
        tpl("T", it("H", it("A", mandatory=True)), it("B")),  # flag
        tpl("T", it("H"), it("A"), it("B")),  # parent
        tpl("T", it("B"), it("H", it("A"))),  # order
        tpl("T", it("H", it("A")), it("B"), it("C")),  # extra
        tpl("T", it("H", it("A"))),  # missing
        tpl("T", it("H", it("C")), it("B")),  # other keyword
    ]
    for region in variants:
        assert not same_tree(base, region, partner, defined), region
    assert not same_tree(base, base, partner, defined - {"A"})  # A undefined in the region


def test_node_path_and_children() -> None:
    tree = keyed_tree(tpl("T", it("H", it("A")), it("B")), _as_is)
    assert node_path("T", tree[NodeKey("A", 1)]) == "T/H/A"
    assert children(tree) == {
        None: [NodeKey("H", 1), NodeKey("B", 1)],
        NodeKey("H", 1): [NodeKey("A", 1)],
    }


def test_baseline_tree_is_kept_in_the_cache() -> None:
    cache: dict[str, object] = {}
    template = tpl("T", it("A"))
    first = baseline_tree(template, cache)
    assert cache == {"T": first}
    assert baseline_tree(template, cache) is first


def _findings(base_items: str, region_items: str) -> list[Short]:
    return short(_deviations(base_items, region_items))


def _deviations(base_items: str, region_items: str) -> list[Deviation]:
    """Compare two one-level templates given as keyword letters."""
    base = tpl("T", *(it(k) for k in base_items))
    region = tpl("T", *(it(k) for k in region_items))
    ctx = context(
        export("b", keywords=used(base), templates=[base]),
        export("r", keywords=used(region), templates=[region]),
    )
    return list(item_findings(ctx, base, region, ("c1",), {}))


def test_item_findings_of_equal_trees_are_none() -> None:
    assert _findings("ABC", "ABC") == []


def test_a_swap_is_one_order_change_with_positions() -> None:
    assert _findings("ABCD", "ACBD") == [("order_changed", "T/B", None, "2", "3")]


def test_missing_and_extra_items() -> None:
    found = _deviations("AB", "AC")
    assert short(found) == [
        ("missing", "T/B", None, "name of B", None),
        ("extra", "T/C", None, None, "name of C"),
    ]
    assert [(d.baseline_id, d.local_id, d.template) for d in found] == [
        ("B", None, "T"),
        (None, "C", "T"),
    ]
    assert [d.units for d in found] == [(("template", "T"), ("keyword", "B")), (("template", "T"),)]


def test_second_occurrence_missing() -> None:
    (missing,) = _deviations("ABA", "AB")
    assert (missing.kind, missing.path, missing.occurrence) == (Kind.MISSING, "T/A", 2)


def test_moved_item_and_its_parents() -> None:
    base = tpl("T", it("H", it("A")), it("B"))
    region = tpl("T", it("H"), it("B", it("A")))
    ctx = context(
        export("b", keywords=used(base), templates=[base]),
        export("r", keywords=used(region), templates=[region]),
    )
    assert short(item_findings(ctx, base, region, ("c1",), {})) == [
        ("moved", "T/B/A", None, "T/H", "T/B")
    ]


def test_undefined_region_keyword_is_unresolved_not_extra() -> None:
    base = tpl("T", it("A"))
    region = tpl("T", it("A"), it("Z"))
    ctx = context(
        export("b", keywords=used(base), templates=[base]),
        export("r", keywords=used(base), templates=[region]),
    )
    (found,) = item_findings(ctx, base, region, ("c1",), {})
    assert (found.kind, found.local_id, found.path) == (Kind.UNRESOLVED_REFERENCE, "Z", "T/Z")


def test_item_findings_carry_the_baseline_template() -> None:
    # the template is carried, not cut from the path: ids with "/" stay whole
    base = tpl("Q/1", it("Q/1/a"), it("Q/1/b"))
    region = replace(tpl("local/1", it("Q/1/b"), it("Q/1/a")), name="name of Q/1")
    ctx = context(
        export("b", keywords=used(base), templates=[base]),
        export("r", keywords=used(base), templates=[region]),
    )
    (found,) = item_findings(ctx, base, region, ("c1",), {})
    assert found.kind is Kind.ORDER_CHANGED
    assert (found.path, found.template) == ("local/1/Q/1/a", "Q/1")
    assert found.units == (("template", "Q/1"), ("keyword", "Q/1/a"))


def test_parent_path_of_a_top_level_item() -> None:
    tree = keyed_tree(tpl("T", it("H", it("A")), it("B")), _as_is)
    assert parent_path("T", tree, tree[NodeKey("A", 1)]) == "T/H"
    assert parent_path("T", tree, tree[NodeKey("B", 1)]) == "(top level)"
