"""One mutation of the mini baseline at a time, compared through ``engine.compare``.

Every test asserts the exact set of (kind, entity, baseline_id, local_id, path, field) that
docs/comparison.md prescribes for the mutation, including its documented cascades.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from model_edit import replace

from cosmicdiff.model import Binding, Export, KeywordType, Status, Term, Value

from .helpers import (
    MINI_BASELINE,
    MINI_COPY,
    Finding,
    RunRegion,
    findings,
    item,
    nfd_padded,
    run_compare,
    with_keyword,
    with_template,
    without,
    write_baseline,
)

# Paths of the mini baseline's items (baseline ids are also the copy's local ids).
P1 = "B-JM-1/B-SO-1"
P6 = "B-JM-1/B-SO-6"
P2 = "B-JM-1/B-SO-6/B-SO-2"
P3 = "B-JM-1/B-SO-6/B-SO-3"
P4 = "B-JM-1/B-SO-6/B-SO-4"
P5 = "B-JM-2/B-SO-5"
P26 = "B-JM-2/B-SO-6"

ALL_CASES = ("psychiatry", "drugs")


def with_values(export: Export, vid: str, values: tuple[Value, ...], **changes: object) -> Export:
    vls = dict(export.value_lists)
    vls[vid] = replace(vls[vid], values=values, **changes)
    return replace(export, value_lists=vls)


def with_term(export: Export, key: str, **changes: object) -> Export:
    terms = dict(export.terms)
    terms[key] = replace(terms[key], **changes)
    return replace(export, terms=terms)


# -- identical regions ---------------------------------------------------------------------


def test_copy_fixture_has_no_deviations() -> None:
    result = run_compare(MINI_BASELINE, MINI_COPY)
    assert findings(result) == set()
    assert {c: s.raw for c, s in result.scores["copy"].items()} == {"psychiatry": 1.0, "drugs": 1.0}


def test_rewritten_baseline_has_no_deviations(mini: Export, run_region: RunRegion) -> None:
    result = run_region(mini)
    assert findings(result) == set()
    assert result.to_json()["harmonisation"] == {"r1": {"psychiatry": 1.0, "drugs": 1.0}}


def test_white_space_and_nfd_only_differences_give_nothing(
    mini: Export, run_region: RunRegion
) -> None:
    terms = {
        k: replace(t, displays={lang: nfd_padded(d) for lang, d in t.displays.items()})
        for k, t in mini.terms.items()
    }
    vls = {
        k: replace(
            v,
            name=nfd_padded(v.name),
            values=tuple(replace(x, display=nfd_padded(x.display)) for x in v.values),
        )
        for k, v in mini.value_lists.items()
    }
    kws = {k: replace(kw, name=nfd_padded(kw.name)) for k, kw in mini.keywords.items()}
    tpls = {k: replace(t, name=nfd_padded(t.name)) for k, t in mini.templates.items()}
    region = replace(mini, terms=terms, value_lists=vls, keywords=kws, templates=tpls)
    assert unicodedata.normalize("NFD", "ö") in region.keywords["B-SO-2"].name
    assert findings(run_region(region)) == set()


def test_unit_is_trimmed_before_comparing(mini: Export, run_region: RunRegion) -> None:
    assert findings(run_region(with_keyword(mini, "B-SO-5", unit="  mmol/L "))) == set()


def test_local_ids_mapping_bindings_names_nfd_and_shuffled_catalogues_give_nothing(
    mini: Export, run_region: RunRegion
) -> None:
    """The baseline under local ids, linked by mapping.yaml, bindings and names."""
    kid = {
        "B-SO-1": "R-101",
        "B-SO-2": "R-102",
        "B-SO-3": "R-103",
        "B-SO-4": "R-104",
        "B-SO-5": "R-105",
        "B-SO-6": "R-106",
    }
    tid = {"B-JM-1": "R-JM-11", "B-JM-2": "R-JM-12"}
    vid = {"B-VL-1": "R-VL-21"}

    def relabel(it):  # type: ignore[no-untyped-def]
        return replace(it, keyword=kid[it.keyword], children=tuple(relabel(c) for c in it.children))

    kws = {}
    for old, kw in reversed(list(mini.keywords.items())):
        kws[kid[old]] = replace(
            kw,
            id=kid[old],
            name=nfd_padded(kw.name),
            value_list=vid.get(kw.value_list or "", kw.value_list),
        )
    tpls = {}
    for old, t in reversed(list(mini.templates.items())):
        tpls[tid[old]] = replace(
            t, id=tid[old], name=nfd_padded(t.name), items=tuple(relabel(i) for i in t.items)
        )
    vls = {
        vid[old]: replace(
            v,
            id=vid[old],
            name=nfd_padded(v.name),
            values=tuple(replace(x, display=nfd_padded(x.display)) for x in v.values),
        )
        for old, v in mini.value_lists.items()
    }
    terms = dict(reversed(list(mini.terms.items())))
    region = replace(mini, keywords=kws, templates=tpls, value_lists=vls, terms=terms)
    # B-SO-3 by mapping; B-SO-2 and B-SO-5 by binding; the rest by name.
    # B-JM-1 by mapping, B-JM-2 by name; the value list by name.
    mapping = {"keywords": {"R-103": "B-SO-3"}, "templates": {"R-JM-11": "B-JM-1"}}
    result = run_region(region, mapping=mapping)
    assert findings(result) == set()
    assert result.scores["r1"]["psychiatry"].raw == 1.0
    assert result.scores["r1"]["drugs"].raw == 1.0
    matched = result.regions[0].matches
    assert matched["keywords"] == {"mapping": 1, "id": 0, "binding": 2, "name": 3}
    assert matched["templates"] == {"mapping": 1, "id": 0, "binding": 0, "name": 1}
    assert matched["value_lists"] == {"mapping": 0, "id": 0, "binding": 0, "name": 1}


# -- templates -----------------------------------------------------------------------------


def test_missing_template(mini: Export, run_region: RunRegion) -> None:
    region = replace(mini, templates=without(mini.templates, "B-JM-2"))
    assert findings(run_region(region)) == {("missing", "template", "B-JM-2", None, "B-JM-2", None)}


def test_missing_template_does_not_report_its_items(mini: Export, run_region: RunRegion) -> None:
    region = replace(
        mini, templates=without(mini.templates, "B-JM-2"), keywords=without(mini.keywords, "B-SO-5")
    )
    assert findings(run_region(region)) == {("missing", "template", "B-JM-2", None, "B-JM-2", None)}


def test_extra_template_for_a_case_in_scope(mini: Export, run_region: RunRegion) -> None:
    kws = {
        **mini.keywords,
        "R-SO-90": replace(mini.keywords["B-SO-3"], id="R-SO-90", name="Dosjustering"),
    }
    tpl = replace(
        mini.templates["B-JM-2"],
        id="R-JM-9",
        name="Litiumuppföljning lokal",
        cases=("drugs",),
        items=(item("B-SO-5"), item("R-SO-90")),
    )
    region = replace(mini, keywords=kws, templates={**mini.templates, "R-JM-9": tpl})
    result = run_region(region)
    assert findings(result) == {("extra", "template", None, "R-JM-9", "R-JM-9", None)}
    (dev,) = result.deviations
    assert (dev.case, dev.cases) == ("drugs", ("drugs",))


def test_unmatched_template_without_cases_is_out_of_scope(
    mini: Export, run_region: RunRegion
) -> None:
    kws = {
        **mini.keywords,
        "R-SO-90": replace(
            mini.keywords["B-SO-3"],
            id="R-SO-90",
            name="Dosjustering",
            bindings=(Binding(system="atc", code="N06AB"),),
        ),
    }
    tpl = replace(
        mini.templates["B-JM-2"], id="R-JM-9", name="Något lokalt", items=(item("R-SO-90"),)
    )
    terms = {**mini.terms, "atc:N06AB": Term(system="atc", code="N06AB", displays={"sv": "SSRI"})}
    region = replace(mini, keywords=kws, templates={**mini.templates, "R-JM-9": tpl}, terms=terms)
    result = run_region(region)
    assert findings(result) == set()
    cov = result.regions[0].coverage
    assert cov["templates"] == {"read": 3, "compared": 2, "out_of_scope": 1}
    assert cov["keywords"] == {"read": 7, "compared": 6, "out_of_scope": 1}
    assert cov["terms"] == {"read": 4, "compared": 3, "out_of_scope": 1}


def test_template_renamed(mini: Export, run_region: RunRegion) -> None:
    region = with_template(mini, "B-JM-2", name="Litiumbehandling och uppföljning")
    result = run_region(region)
    assert findings(result) == {("renamed", "template", "B-JM-2", "B-JM-2", "B-JM-2", None)}
    assert result.deviations[0].rule == "CD105"


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("version", {"version": "3"}),
        ("noteType", {"note_type": "ins"}),
        ("cases", {"cases": ("psychiatry", "drugs")}),
    ],
)
def test_template_attribute_changed(
    mini: Export, run_region: RunRegion, field: str, change: dict[str, object]
) -> None:
    result = run_region(with_template(mini, "B-JM-1", **change))
    assert findings(result) == {
        ("attribute_changed", "template", "B-JM-1", "B-JM-1", "B-JM-1", field)
    }


def test_template_version_added_where_baseline_has_none(
    mini: Export, run_region: RunRegion
) -> None:
    result = run_region(with_template(mini, "B-JM-2", version="1"))
    assert findings(result) == {
        ("attribute_changed", "template", "B-JM-2", "B-JM-2", "B-JM-2", "version")
    }


def test_template_cases_stated_as_in_the_baseline_is_no_deviation(
    mini: Export, run_region: RunRegion
) -> None:
    region = with_template(
        with_template(mini, "B-JM-1", cases=("psychiatry",)), "B-JM-2", cases=("drugs",)
    )
    assert findings(run_region(region)) == set()


def _two_case_baseline(mini: Export, folder: Path) -> Path:
    """The mini model with B-JM-2 listed under both cases."""
    return write_baseline(folder, mini, {"psychiatry": ["B-JM-1", "B-JM-2"], "drugs": ["B-JM-2"]})


def test_template_cases_stated_in_full_is_no_deviation(
    mini: Export, run_region: RunRegion, tmp_path: Path
) -> None:
    base = _two_case_baseline(mini, tmp_path / "base")
    region = with_template(mini, "B-JM-2", cases=("psychiatry", "drugs"))
    assert findings(run_region(region, baseline=base)) == set()


def test_template_cases_stated_in_full_is_no_deviation_with_case_filter(
    mini: Export, run_region: RunRegion, tmp_path: Path
) -> None:
    base = _two_case_baseline(mini, tmp_path / "base")
    region = with_template(mini, "B-JM-2", cases=("psychiatry", "drugs"))
    assert findings(run_region(region, baseline=base, cases=("drugs",))) == set()


def test_template_status_changed(mini: Export, run_region: RunRegion) -> None:
    result = run_region(with_template(mini, "B-JM-2", status=Status.RETIRED))
    assert findings(result) == {("status_changed", "template", "B-JM-2", "B-JM-2", "B-JM-2", None)}


# -- template items ------------------------------------------------------------------------


@pytest.mark.parametrize("keep_keyword", [True, False], ids=["in-catalogue", "not-defined"])
def test_missing_leaf_item(mini: Export, run_region: RunRegion, keep_keyword: bool) -> None:
    heading = mini.templates["B-JM-1"].items[1]
    heading = replace(heading, children=tuple(c for c in heading.children if c.keyword != "B-SO-3"))
    region = with_template(mini, "B-JM-1", items=(mini.templates["B-JM-1"].items[0], heading))
    if not keep_keyword:
        region = replace(region, keywords=without(region.keywords, "B-SO-3"))
    assert findings(run_region(region)) == {("missing", "keyword", "B-SO-3", None, P3, None)}


def test_missing_heading_reports_its_children(mini: Export, run_region: RunRegion) -> None:
    region = with_template(mini, "B-JM-1", items=mini.templates["B-JM-1"].items[:1])
    assert findings(run_region(region)) == {
        ("missing", "keyword", "B-SO-6", None, P6, None),
        ("missing", "keyword", "B-SO-2", None, P2, None),
        ("missing", "keyword", "B-SO-3", None, P3, None),
        ("missing", "keyword", "B-SO-4", None, P4, None),
    }


def test_removed_heading_with_children_lifted_reports_them_moved(
    mini: Export, run_region: RunRegion
) -> None:
    t = mini.templates["B-JM-1"]
    region = with_template(mini, "B-JM-1", items=(t.items[0], *t.items[1].children))
    result = run_region(region)
    assert findings(result) == {
        ("missing", "keyword", "B-SO-6", None, P6, None),
        ("moved", "keyword", "B-SO-2", "B-SO-2", "B-JM-1/B-SO-2", None),
        ("moved", "keyword", "B-SO-3", "B-SO-3", "B-JM-1/B-SO-3", None),
        ("moved", "keyword", "B-SO-4", "B-SO-4", "B-JM-1/B-SO-4", None),
    }
    for d in result.deviations:
        if d.kind.value == "moved":
            assert (d.expected, d.actual) == ("B-JM-1/B-SO-6", "(top level)")


def test_heading_replaced_by_a_local_heading(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    kws = {**mini.keywords, "R-H": replace(mini.keywords["B-SO-6"], id="R-H", name="Lokal rubrik")}
    region = replace(
        with_template(mini, "B-JM-1", items=(t.items[0], replace(t.items[1], keyword="R-H"))),
        keywords=kws,
    )
    result = run_region(region)
    assert findings(result) == {
        ("missing", "keyword", "B-SO-6", None, P6, None),
        ("extra", "keyword", None, "R-H", "B-JM-1/R-H", None),
        ("moved", "keyword", "B-SO-2", "B-SO-2", "B-JM-1/R-H/B-SO-2", None),
        ("moved", "keyword", "B-SO-3", "B-SO-3", "B-JM-1/R-H/B-SO-3", None),
        ("moved", "keyword", "B-SO-4", "B-SO-4", "B-JM-1/R-H/B-SO-4", None),
    }
    moved = {
        d.baseline_id: (d.expected, d.actual) for d in result.deviations if d.kind.value == "moved"
    }
    assert set(moved.values()) == {("B-JM-1/B-SO-6", "B-JM-1/R-H")}


def test_missing_item_is_reported_once_per_template_occurrence(
    mini: Export, run_region: RunRegion
) -> None:
    region = with_template(mini, "B-JM-1", items=mini.templates["B-JM-1"].items[:1])
    region = with_template(region, "B-JM-2", items=mini.templates["B-JM-2"].items[:1])
    region = replace(region, keywords=without(region.keywords, "B-SO-6"))
    result = run_region(region)
    assert findings(result) == {
        ("missing", "keyword", "B-SO-6", None, P6, None),
        ("missing", "keyword", "B-SO-6", None, P26, None),
        ("missing", "keyword", "B-SO-2", None, P2, None),
        ("missing", "keyword", "B-SO-3", None, P3, None),
        ("missing", "keyword", "B-SO-4", None, P4, None),
    }
    by_path = {d.path: d for d in result.deviations}
    assert by_path[P6].cases == ("psychiatry",)
    assert by_path[P26].cases == ("drugs",)


def test_extra_item_with_a_new_keyword(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    kws = {
        **mini.keywords,
        "R-SO-50": replace(mini.keywords["B-SO-3"], id="R-SO-50", name="Vårdnadshavare informerad"),
    }
    region = replace(with_template(mini, "B-JM-1", items=(item("R-SO-50"), *t.items)), keywords=kws)
    result = run_region(region)
    assert findings(result) == {("extra", "keyword", None, "R-SO-50", "B-JM-1/R-SO-50", None)}
    assert result.deviations[0].rule == "CD104"


def test_extra_item_is_reported_per_occurrence(mini: Export, run_region: RunRegion) -> None:
    kws = {
        **mini.keywords,
        "R-SO-50": replace(mini.keywords["B-SO-3"], id="R-SO-50", name="Vårdnadshavare informerad"),
    }
    t1, t2 = mini.templates["B-JM-1"], mini.templates["B-JM-2"]
    heading = replace(t1.items[1], children=(*t1.items[1].children, item("R-SO-50")))
    region = with_template(mini, "B-JM-1", items=(t1.items[0], heading))
    region = replace(
        with_template(region, "B-JM-2", items=(*t2.items, item("R-SO-50"))), keywords=kws
    )
    assert findings(run_region(region)) == {
        ("extra", "keyword", None, "R-SO-50", "B-JM-1/B-SO-6/R-SO-50", None),
        ("extra", "keyword", None, "R-SO-50", "B-JM-2/R-SO-50", None),
    }


def test_extra_item_with_a_baseline_keyword_the_template_lacks(
    mini: Export, run_region: RunRegion
) -> None:
    t = mini.templates["B-JM-1"]
    region = with_template(mini, "B-JM-1", items=(*t.items, item("B-SO-5")))
    assert findings(run_region(region)) == {
        ("extra", "keyword", None, "B-SO-5", "B-JM-1/B-SO-5", None)
    }


def test_swap_of_two_siblings_gives_at_most_two_order_changed(
    mini: Export, run_region: RunRegion
) -> None:
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        mini, "B-JM-1", items=(t.items[0], replace(t.items[1], children=(c2, c4, c3)))
    )
    result = run_region(region)
    found = findings(result)
    assert 1 <= len(found) <= 2
    assert found <= {
        ("order_changed", "keyword", "B-SO-3", "B-SO-3", P3, None),
        ("order_changed", "keyword", "B-SO-4", "B-SO-4", P4, None),
    }
    for d in result.deviations:
        assert (d.expected, d.actual) == {"B-SO-3": ("2", "3"), "B-SO-4": ("3", "2")}[d.baseline_id]


def test_swap_at_top_level(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-2"]
    result = run_region(with_template(mini, "B-JM-2", items=tuple(reversed(t.items))))
    found = findings(result)
    assert 1 <= len(found) <= 2
    assert found <= {
        ("order_changed", "keyword", "B-SO-5", "B-SO-5", P5, None),
        ("order_changed", "keyword", "B-SO-6", "B-SO-6", P26, None),
    }


def test_rotation_of_siblings_gives_one_order_changed(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        mini, "B-JM-1", items=(t.items[0], replace(t.items[1], children=(c3, c4, c2)))
    )
    result = run_region(region)
    assert findings(result) == {("order_changed", "keyword", "B-SO-2", "B-SO-2", P2, None)}
    assert (result.deviations[0].expected, result.deviations[0].actual) == ("1", "3")


def test_moved_to_top_level(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        mini, "B-JM-1", items=(t.items[0], replace(t.items[1], children=(c2, c4)), c3)
    )
    result = run_region(region)
    assert findings(result) == {("moved", "keyword", "B-SO-3", "B-SO-3", "B-JM-1/B-SO-3", None)}
    assert (result.deviations[0].expected, result.deviations[0].actual) == (
        "B-JM-1/B-SO-6",
        "(top level)",
    )


def test_moved_under_another_heading(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        mini,
        "B-JM-1",
        items=(replace(t.items[0], children=(c2,)), replace(t.items[1], children=(c3, c4))),
    )
    result = run_region(region)
    assert findings(result) == {
        ("moved", "keyword", "B-SO-2", "B-SO-2", "B-JM-1/B-SO-1/B-SO-2", None)
    }
    assert (result.deviations[0].expected, result.deviations[0].actual) == (
        "B-JM-1/B-SO-6",
        "B-JM-1/B-SO-1",
    )


def test_moved_under_a_new_local_heading(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    kws = {**mini.keywords, "R-H": replace(mini.keywords["B-SO-6"], id="R-H", name="Lokal rubrik")}
    region = replace(
        with_template(mini, "B-JM-1", items=(item("R-H", t.items[0]), t.items[1])), keywords=kws
    )
    result = run_region(region)
    assert findings(result) == {
        ("extra", "keyword", None, "R-H", "B-JM-1/R-H", None),
        ("moved", "keyword", "B-SO-1", "B-SO-1", "B-JM-1/R-H/B-SO-1", None),
    }


def test_mandatory_changed(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        mini,
        "B-JM-1",
        items=(t.items[0], replace(t.items[1], children=(replace(c2, mandatory=False), c3, c4))),
    )
    result = run_region(region)
    assert findings(result) == {
        ("mandatory_changed", "keyword", "B-SO-2", "B-SO-2", P2, "mandatory")
    }
    assert (result.deviations[0].expected, result.deviations[0].actual) == ("true", "false")


def test_repeatable_and_mandatory_changed_on_one_item(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        mini,
        "B-JM-1",
        items=(
            t.items[0],
            replace(t.items[1], children=(c2, replace(c3, mandatory=True, repeatable=True), c4)),
        ),
    )
    assert findings(run_region(region)) == {
        ("mandatory_changed", "keyword", "B-SO-3", "B-SO-3", P3, "mandatory"),
        ("mandatory_changed", "keyword", "B-SO-3", "B-SO-3", P3, "repeatable"),
    }


def test_mandatory_changed_per_occurrence(mini: Export, run_region: RunRegion) -> None:
    t1, t2 = mini.templates["B-JM-1"], mini.templates["B-JM-2"]
    region = with_template(
        mini, "B-JM-1", items=(t1.items[0], replace(t1.items[1], mandatory=True))
    )
    region = with_template(
        region, "B-JM-2", items=(t2.items[0], replace(t2.items[1], repeatable=True))
    )
    assert findings(run_region(region)) == {
        ("mandatory_changed", "keyword", "B-SO-6", "B-SO-6", P6, "mandatory"),
        ("mandatory_changed", "keyword", "B-SO-6", "B-SO-6", P26, "repeatable"),
    }


# -- keyword definitions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kid", "change", "expected"),
    [
        ("B-SO-3", {"name": "Riskfaktorer (bedömda)"}, ("renamed", None)),
        ("B-SO-3", {"type": KeywordType.WORD_PROCESSING}, ("type_changed", None)),
        ("B-SO-5", {"unit": "µmol/L"}, ("unit_changed", None)),
        ("B-SO-5", {"unit": "mmol/l"}, ("unit_changed", None)),
        ("B-SO-5", {"unit": None}, ("unit_changed", None)),
        ("B-SO-2", {"bindings": (Binding(system="kva", code="AU119"),)}, ("binding_changed", None)),
        ("B-SO-5", {"bindings": ()}, ("binding_changed", None)),
        ("B-SO-4", {"status": Status.INACTIVE}, ("status_changed", None)),
        ("B-SO-2", {"hidden_from_1177": False}, ("visibility_changed", None)),
        ("B-SO-3", {"hidden_from_1177": True}, ("visibility_changed", None)),
        (
            "B-SO-1",
            {"description": "Aktuell problematik och kontaktorsak"},
            ("attribute_changed", "description"),
        ),
        ("B-SO-1", {"description": None}, ("attribute_changed", "description")),
        ("B-SO-3", {"value_list": "B-VL-1"}, ("valuelist_changed", None)),
    ],
)
def test_keyword_definition_change(
    mini: Export,
    run_region: RunRegion,
    kid: str,
    change: dict[str, object],
    expected: tuple[str, str | None],
) -> None:
    path = {"B-SO-1": P1, "B-SO-2": P2, "B-SO-3": P3, "B-SO-4": P4, "B-SO-5": P5}[kid]
    result = run_region(with_keyword(mini, kid, **change))
    kind, field = expected
    assert findings(result) == {(kind, "keyword", kid, kid, path, field)}


def test_binding_changed_texts(mini: Export, run_region: RunRegion) -> None:
    result = run_region(
        with_keyword(
            mini,
            "B-SO-2",
            bindings=(
                Binding(system="snomed-ct", code="225444004"),
                Binding(system="kva", code="AU118"),
            ),
        )
    )
    (d,) = result.deviations
    assert (d.expected, d.actual) == ("kva:AU118", "kva:AU118, snomed-ct:225444004")


def test_keyword_renamed_is_cd105_warning(mini: Export, run_region: RunRegion) -> None:
    result = run_region(with_keyword(mini, "B-SO-2", name="Suicidriskbed."))
    (d,) = result.deviations
    assert (d.rule, d.severity.value if d.severity else None) == ("CD105", "warning")
    assert (d.expected, d.actual) == ("Suicidriskbedömning", "Suicidriskbed.")


def test_case_only_rename_is_cd106_info(mini: Export, run_region: RunRegion) -> None:
    result = run_region(with_keyword(mini, "B-SO-1", name="AKTUELLT"))
    assert findings(result) == {("renamed", "keyword", "B-SO-1", "B-SO-1", P1, None)}
    (d,) = result.deviations
    assert (d.rule, d.severity.value if d.severity else None) == ("CD106", "info")


def test_case_only_rename_of_a_name_matched_keyword(mini: Export, run_region: RunRegion) -> None:
    kws = without(mini.keywords, "B-SO-3")
    kws["R-3"] = replace(mini.keywords["B-SO-3"], id="R-3", name="RISKFAKTORER")
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        replace(mini, keywords=kws),
        "B-JM-1",
        items=(t.items[0], replace(t.items[1], children=(c2, replace(c3, keyword="R-3"), c4))),
    )
    result = run_region(region)
    assert findings(result) == {("renamed", "keyword", "B-SO-3", "R-3", "B-JM-1/B-SO-6/R-3", None)}
    (d,) = result.deviations
    assert (d.rule, d.matched_by.value if d.matched_by else None) == ("CD106", "name")


def test_shared_keyword_definition_reported_once_at_first_occurrence(
    mini: Export, run_region: RunRegion
) -> None:
    result = run_region(with_keyword(mini, "B-SO-6", name="Sammanfattande bedömning"))
    assert findings(result) == {("renamed", "keyword", "B-SO-6", "B-SO-6", P6, None)}
    (d,) = result.deviations
    assert (d.case, d.cases) == ("psychiatry", ALL_CASES)


def test_keyword_not_used_by_any_region_template_is_reported_at_its_id(
    mini: Export, run_region: RunRegion
) -> None:
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        mini, "B-JM-1", items=(t.items[0], replace(t.items[1], children=(c3, c4)))
    )
    region = with_keyword(region, "B-SO-2", name="Suicidriskskattning")
    assert findings(run_region(region)) == {
        ("missing", "keyword", "B-SO-2", None, P2, None),
        ("renamed", "keyword", "B-SO-2", "B-SO-2", "B-SO-2", None),
    }


def test_several_definition_changes_are_one_finding_each(
    mini: Export, run_region: RunRegion
) -> None:
    region = with_keyword(
        mini,
        "B-SO-5",
        name="Litium i serum",
        type=KeywordType.TEXT,
        unit="mg/L",
        status=Status.RETIRED,
        hidden_from_1177=True,
        description="Ny",
    )
    assert findings(run_region(region)) == {
        ("renamed", "keyword", "B-SO-5", "B-SO-5", P5, None),
        ("type_changed", "keyword", "B-SO-5", "B-SO-5", P5, None),
        ("unit_changed", "keyword", "B-SO-5", "B-SO-5", P5, None),
        ("status_changed", "keyword", "B-SO-5", "B-SO-5", P5, None),
        ("visibility_changed", "keyword", "B-SO-5", "B-SO-5", P5, None),
        ("attribute_changed", "keyword", "B-SO-5", "B-SO-5", P5, "description"),
    }


def test_unit_white_space_runs_are_no_deviation(
    mini: Export, run_region: RunRegion, tmp_path: Path
) -> None:
    # White space and Unicode normal form never make a deviation, in units neither;
    # letter case does (mmol/l is not mmol/L).
    cases = {"psychiatry": ["B-JM-1"], "drugs": ["B-JM-2"]}
    base = write_baseline(tmp_path / "base", with_keyword(mini, "B-SO-5", unit="mmol /L"), cases)
    result = run_region(with_keyword(mini, "B-SO-5", unit="mmol  /L "), baseline=base)
    assert findings(result) == set()


# -- value lists and values ----------------------------------------------------------------


def test_valuelist_changed_to_a_local_list(mini: Export, run_region: RunRegion) -> None:
    local = replace(
        mini.value_lists["B-VL-1"],
        id="R-VL-2",
        name="Suicidrisk (lokal)",
        values=(Value(code="A", display="Ingen risk"), Value(code="B", display="Risk")),
    )
    region = replace(
        with_keyword(mini, "B-SO-2", value_list="R-VL-2"),
        value_lists={**mini.value_lists, "R-VL-2": local},
    )
    result = run_region(region)
    assert findings(result) == {
        ("valuelist_changed", "keyword", "B-SO-2", "B-SO-2", P2, None),
        ("extra", "valuelist", None, "R-VL-2", "R-VL-2", None),
    }
    d = next(d for d in result.deviations if d.kind.value == "valuelist_changed")
    assert (d.expected, d.actual) == ("B-VL-1", "R-VL-2")


def test_value_list_replaced_by_an_unmatched_local_list(
    mini: Export, run_region: RunRegion
) -> None:
    local = replace(mini.value_lists["B-VL-1"], id="R-VL-7", name="Risknivå")
    region = replace(
        with_keyword(mini, "B-SO-2", value_list="R-VL-7"), value_lists={"R-VL-7": local}
    )
    assert findings(run_region(region)) == {
        ("valuelist_changed", "keyword", "B-SO-2", "B-SO-2", P2, None),
        ("missing", "valuelist", "B-VL-1", None, "B-VL-1", None),
        ("extra", "valuelist", None, "R-VL-7", "R-VL-7", None),
    }


@pytest.mark.parametrize("how", ["name", "mapping"])
def test_value_list_under_a_local_id_is_matched(
    mini: Export, run_region: RunRegion, how: str
) -> None:
    local = replace(
        mini.value_lists["B-VL-1"],
        id="R-VL-7",
        name="Suicidrisk" if how == "name" else "Annat namn",
    )
    region = replace(
        with_keyword(mini, "B-SO-2", value_list="R-VL-7"), value_lists={"R-VL-7": local}
    )
    mapping = {"valueLists": {"R-VL-7": "B-VL-1"}} if how == "mapping" else None
    expected = (
        set() if how == "name" else {("renamed", "valuelist", "B-VL-1", "R-VL-7", "R-VL-7", None)}
    )
    assert findings(run_region(region, mapping=mapping)) == expected


def test_valuelist_renamed(mini: Export, run_region: RunRegion) -> None:
    vl = mini.value_lists["B-VL-1"]
    region = with_values(mini, "B-VL-1", vl.values, name="Suicidrisknivå")
    assert findings(run_region(region)) == {
        ("renamed", "valuelist", "B-VL-1", "B-VL-1", "B-VL-1", None)
    }


def test_value_missing(mini: Export, run_region: RunRegion) -> None:
    v1, v2, v3 = mini.value_lists["B-VL-1"].values
    assert findings(run_region(with_values(mini, "B-VL-1", (v1, v3)))) == {
        ("missing", "value", "B-VL-1#2", None, "B-VL-1#2", None)
    }


def test_value_extra(mini: Export, run_region: RunRegion) -> None:
    vals = (*mini.value_lists["B-VL-1"].values, Value(code="4", display="Mycket hög risk"))
    assert findings(run_region(with_values(mini, "B-VL-1", vals))) == {
        ("extra", "value", None, "B-VL-1#4", "B-VL-1#4", None)
    }


def test_value_under_another_code_is_matched_by_display(
    mini: Export, run_region: RunRegion
) -> None:
    v1, v2, v3 = mini.value_lists["B-VL-1"].values
    result = run_region(with_values(mini, "B-VL-1", (v1, replace(v2, code="M"), v3)))
    assert findings(result) == set()


def test_value_renamed(mini: Export, run_region: RunRegion) -> None:
    v1, v2, v3 = mini.value_lists["B-VL-1"].values
    region = with_values(mini, "B-VL-1", (v1, replace(v2, display="Medelhög risk"), v3))
    assert findings(run_region(region)) == {
        ("renamed", "value", "B-VL-1#2", "B-VL-1#2", "B-VL-1#2", None)
    }


def test_value_binding_changed(mini: Export, run_region: RunRegion) -> None:
    v1, v2, v3 = mini.value_lists["B-VL-1"].values
    region = with_values(
        mini,
        "B-VL-1",
        (v1, v2, replace(v3, bindings=(Binding(system="snomed-ct", code="35489007"),))),
    )
    result = run_region(region)
    assert findings(result) == {
        ("binding_changed", "value", "B-VL-1#3", "B-VL-1#3", "B-VL-1#3", None)
    }
    assert (result.deviations[0].expected, result.deviations[0].actual) == (
        "snomed-ct:366979004",
        "snomed-ct:35489007",
    )


def test_value_order_changed(mini: Export, run_region: RunRegion) -> None:
    v1, v2, v3 = mini.value_lists["B-VL-1"].values
    found = findings(run_region(with_values(mini, "B-VL-1", (v1, v3, v2))))
    assert 1 <= len(found) <= 2
    assert found <= {
        ("order_changed", "value", "B-VL-1#2", "B-VL-1#2", "B-VL-1#2", None),
        ("order_changed", "value", "B-VL-1#3", "B-VL-1#3", "B-VL-1#3", None),
    }


def test_reversed_three_never_moves_an_item_from_n_to_n(
    mini: Export, run_region: RunRegion
) -> None:
    # [c2, c3, c4] -> [c4, c3, c2]: c3 keeps position 2; only c2 and c4 are reported
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    result = run_region(
        with_template(
            mini, "B-JM-1", items=(t.items[0], replace(t.items[1], children=(c4, c3, c2)))
        )
    )
    assert findings(result) == {
        ("order_changed", "keyword", "B-SO-2", "B-SO-2", P2, None),
        ("order_changed", "keyword", "B-SO-4", "B-SO-4", P4, None),
    }
    assert {d.baseline_id: (d.expected, d.actual) for d in result.deviations} == {
        "B-SO-2": ("1", "3"),
        "B-SO-4": ("3", "1"),
    }


def test_reversed_values_never_move_a_value_from_n_to_n(
    mini: Export, run_region: RunRegion
) -> None:
    v1, v2, v3 = mini.value_lists["B-VL-1"].values
    result = run_region(with_values(mini, "B-VL-1", (v3, v2, v1)))
    assert {d.baseline_id: (d.expected, d.actual) for d in result.deviations} == {
        "B-VL-1#1": ("1", "3"),
        "B-VL-1#3": ("3", "1"),
    }


# -- terms ---------------------------------------------------------------------------------


def test_term_missing(mini: Export, run_region: RunRegion) -> None:
    region = replace(mini, terms=without(mini.terms, "kva:AU118"))
    assert findings(run_region(region)) == {
        ("missing", "term", "kva:AU118", None, "kva:AU118", None)
    }


def test_term_bound_by_a_value_missing(mini: Export, run_region: RunRegion) -> None:
    region = replace(mini, terms=without(mini.terms, "snomed-ct:366979004"))
    assert findings(run_region(region)) == {
        ("missing", "term", "snomed-ct:366979004", None, "snomed-ct:366979004", None)
    }


def test_term_extra(mini: Export, run_region: RunRegion) -> None:
    region = with_keyword(mini, "B-SO-3", bindings=(Binding(system="snomed-ct", code="225444004"),))
    region = replace(
        region,
        terms={
            **mini.terms,
            "snomed-ct:225444004": Term(
                system="snomed-ct", code="225444004", displays={"sv": "Riskfaktor"}
            ),
        },
    )
    assert findings(run_region(region)) == {
        ("binding_changed", "keyword", "B-SO-3", "B-SO-3", P3, None),
        ("extra", "term", None, "snomed-ct:225444004", "snomed-ct:225444004", None),
    }


def test_term_renamed(mini: Export, run_region: RunRegion) -> None:
    region = with_term(mini, "kva:AU118", displays={"sv": "Suicidriskbedömning, strukturerad"})
    assert findings(run_region(region)) == {
        ("renamed", "term", "kva:AU118", "kva:AU118", "kva:AU118", None)
    }


def test_term_status_changed(mini: Export, run_region: RunRegion) -> None:
    result = run_region(with_term(mini, "atc:N05AN01", status=Status.RETIRED))
    assert findings(result) == {
        ("status_changed", "term", "atc:N05AN01", "atc:N05AN01", "atc:N05AN01", None)
    }
    assert result.deviations[0].cases == ("drugs",)


def test_keyword_bound_to_another_term_of_the_catalogue(
    mini: Export, run_region: RunRegion
) -> None:
    region = with_keyword(mini, "B-SO-2", bindings=(Binding(system="kva", code="AU119"),))
    terms = without(mini.terms, "kva:AU118")
    terms["kva:AU119"] = Term(system="kva", code="AU119", displays={"sv": "Annan bedömning"})
    region = replace(region, terms=terms)
    assert findings(run_region(region)) == {
        ("binding_changed", "keyword", "B-SO-2", "B-SO-2", P2, None),
        ("missing", "term", "kva:AU118", None, "kva:AU118", None),
        ("extra", "term", None, "kva:AU119", "kva:AU119", None),
    }


def test_order_positions_leave_moved_items_out(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        mini, "B-JM-1", items=(t.items[0], replace(t.items[1], children=(c4, c3)), c2)
    )
    result = run_region(region)
    found = findings(result)
    moved = ("moved", "keyword", "B-SO-2", "B-SO-2", "B-JM-1/B-SO-2", None)
    assert moved in found
    order = found - {moved}
    assert len(order) == 1
    assert order <= {
        ("order_changed", "keyword", "B-SO-3", "B-SO-3", P3, None),
        ("order_changed", "keyword", "B-SO-4", "B-SO-4", P4, None),
    }
    d = next(d for d in result.deviations if d.kind.value == "order_changed")
    assert (d.expected, d.actual) == {"B-SO-3": ("1", "2"), "B-SO-4": ("2", "1")}[d.baseline_id]


# -- unresolved references -----------------------------------------------------------------


def _between(found: set[Finding], required: set[Finding], optional: set[Finding]) -> None:
    """Assert required <= found <= required | optional (optional: comparison.md is unclear)."""
    assert required <= found, f"missing findings: {sorted(required - found, key=str)}"
    assert found <= required | optional, f"unexpected: {sorted(found - required, key=str)}"


def test_unresolved_keyword_reference(mini: Export, run_region: RunRegion) -> None:
    t = mini.templates["B-JM-1"]
    region = with_template(mini, "B-JM-1", items=(*t.items, item("R-SO-404")))
    # Whether the undefined keyword is *also* an `extra` item is not said by comparison.md.
    _between(
        findings(run_region(region)),
        {("unresolved_reference", "keyword", None, "R-SO-404", "B-JM-1/R-SO-404", None)},
        {("extra", "keyword", None, "R-SO-404", "B-JM-1/R-SO-404", None)},
    )


def test_item_whose_keyword_the_region_does_not_define(mini: Export, run_region: RunRegion) -> None:
    region = replace(mini, keywords=without(mini.keywords, "B-SO-3"))
    _between(
        findings(run_region(region)),
        {
            ("unresolved_reference", "keyword", None, "B-SO-3", P3, None),
            ("missing", "keyword", "B-SO-3", None, P3, None),
        },
        {("extra", "keyword", None, "B-SO-3", P3, None)},
    )


def test_unresolved_value_list_reference(mini: Export, run_region: RunRegion) -> None:
    region = with_keyword(mini, "B-SO-2", value_list="R-VL-404")
    # Whether the keyword is *also* `valuelist_changed` is not said by comparison.md.
    _between(
        findings(run_region(region)),
        {("unresolved_reference", "valuelist", None, "R-VL-404", P2, None)},
        {("valuelist_changed", "keyword", "B-SO-2", "B-SO-2", P2, None)},
    )


def test_value_list_not_defined_by_the_region(mini: Export, run_region: RunRegion) -> None:
    region = replace(mini, value_lists={})
    _between(
        findings(run_region(region)),
        {
            ("unresolved_reference", "valuelist", None, "B-VL-1", P2, None),
            ("missing", "valuelist", "B-VL-1", None, "B-VL-1", None),
        },
        {("valuelist_changed", "keyword", "B-SO-2", "B-SO-2", P2, None)},
    )


def test_unresolved_reference_in_an_extra_template(mini: Export, run_region: RunRegion) -> None:
    tpl = replace(
        mini.templates["B-JM-2"],
        id="R-JM-9",
        name="Lokal mall",
        cases=("drugs",),
        items=(item("R-SO-404"),),
    )
    region = replace(mini, templates={**mini.templates, "R-JM-9": tpl})
    assert findings(run_region(region)) == {
        ("extra", "template", None, "R-JM-9", "R-JM-9", None),
        ("unresolved_reference", "keyword", None, "R-SO-404", "R-JM-9/R-SO-404", None),
    }


def test_keyword_under_a_local_id_matched_by_binding_and_renamed(
    mini: Export, run_region: RunRegion
) -> None:
    kws = without(mini.keywords, "B-SO-2")
    kws["SO-20881"] = replace(mini.keywords["B-SO-2"], id="SO-20881", name="Suicidriskbed.")
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        replace(mini, keywords=kws),
        "B-JM-1",
        items=(t.items[0], replace(t.items[1], children=(replace(c2, keyword="SO-20881"), c3, c4))),
    )
    result = run_region(region)
    assert findings(result) == {
        ("renamed", "keyword", "B-SO-2", "SO-20881", "B-JM-1/B-SO-6/SO-20881", None)
    }
    (d,) = result.deviations
    assert (d.rule, d.matched_by.value if d.matched_by else None) == ("CD105", "binding")


def test_heading_moved_with_its_children_is_one_finding(
    mini: Export, run_region: RunRegion
) -> None:
    t = mini.templates["B-JM-1"]
    region = with_template(mini, "B-JM-1", items=(replace(t.items[0], children=(t.items[1],)),))
    result = run_region(region)
    assert findings(result) == {
        ("moved", "keyword", "B-SO-6", "B-SO-6", "B-JM-1/B-SO-1/B-SO-6", None)
    }


def _repeated_baseline(mini: Export, folder: Path) -> tuple[Path, Export]:
    """The mini model with B-SO-3 a second time at the top level of B-JM-1."""
    t = mini.templates["B-JM-1"]
    model = with_template(mini, "B-JM-1", items=(*t.items, item("B-SO-3")))
    base = write_baseline(folder, model, {"psychiatry": ["B-JM-1"], "drugs": ["B-JM-2"]})
    return base, model


def test_repeated_keyword_copy_gives_nothing(
    mini: Export, run_region: RunRegion, tmp_path: Path
) -> None:
    base, model = _repeated_baseline(mini, tmp_path / "base")
    assert findings(run_region(model, baseline=base)) == set()


def test_repeated_keyword_second_occurrence_missing(
    mini: Export, run_region: RunRegion, tmp_path: Path
) -> None:
    base, _ = _repeated_baseline(mini, tmp_path / "base")
    result = run_region(mini, baseline=base)
    assert findings(result) == {("missing", "keyword", "B-SO-3", None, "B-JM-1/B-SO-3", None)}
    assert result.deviations[0].occurrence == 2


def test_term_renamed_in_another_language(
    mini: Export, run_region: RunRegion, tmp_path: Path
) -> None:
    displays = {"sv": "Litium", "en": "Lithium"}
    model = with_term(mini, "atc:N05AN01", displays=displays)
    base = write_baseline(tmp_path / "base", model, {"psychiatry": ["B-JM-1"], "drugs": ["B-JM-2"]})
    assert findings(run_region(model, baseline=base)) == set()
    region = with_term(mini, "atc:N05AN01", displays={"sv": "Litium", "en": "Lithium salts"})
    result = run_region(region, baseline=base)
    # comparison.md does not say what `field` holds for a non-Swedish display.
    assert {f[:5] for f in findings(result)} == {
        ("renamed", "term", "atc:N05AN01", "atc:N05AN01", "atc:N05AN01")
    }
    assert len(result.deviations) == 1


def test_mapping_beats_same_id_end_to_end(mini: Export, run_region: RunRegion) -> None:
    """R-X is mapped to B-SO-3; the region's own (unused) B-SO-3 is then left unmatched."""
    kws = dict(mini.keywords)
    kws["R-X"] = replace(mini.keywords["B-SO-3"], id="R-X", name="Lokalt namn")
    kws["B-SO-3"] = replace(mini.keywords["B-SO-3"], name="Gammal riskfaktor")
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        replace(mini, keywords=kws),
        "B-JM-1",
        items=(t.items[0], replace(t.items[1], children=(c2, replace(c3, keyword="R-X"), c4))),
    )
    result = run_region(region, mapping={"keywords": {"R-X": "B-SO-3"}})
    assert findings(result) == {("renamed", "keyword", "B-SO-3", "R-X", "B-JM-1/B-SO-6/R-X", None)}
    assert result.deviations[0].matched_by is not None
    assert result.deviations[0].matched_by.value == "mapping"


def test_nothing_pairs_by_similarity_end_to_end(mini: Export, run_region: RunRegion) -> None:
    kws = without(mini.keywords, "B-SO-2")
    kws["R-2"] = replace(mini.keywords["B-SO-2"], id="R-2", name="Suicidriskbed.", bindings=())
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        replace(mini, keywords=kws),
        "B-JM-1",
        items=(t.items[0], replace(t.items[1], children=(replace(c2, keyword="R-2"), c3, c4))),
    )
    assert findings(run_region(region)) == {
        ("missing", "keyword", "B-SO-2", None, P2, None),
        ("extra", "keyword", None, "R-2", "B-JM-1/B-SO-6/R-2", None),
    }


def test_ambiguous_binding_pairs_nothing_end_to_end(mini: Export, run_region: RunRegion) -> None:
    """Two local keywords bind kva:AU118 and neither has the baseline name: no pair."""
    kws = without(mini.keywords, "B-SO-2")
    kws["R-2a"] = replace(mini.keywords["B-SO-2"], id="R-2a", name="Suicidrisk A")
    kws["R-2b"] = replace(mini.keywords["B-SO-2"], id="R-2b", name="Suicidrisk B")
    t = mini.templates["B-JM-1"]
    c2, c3, c4 = t.items[1].children
    region = with_template(
        replace(mini, keywords=kws),
        "B-JM-1",
        items=(
            t.items[0],
            replace(
                t.items[1],
                children=(replace(c2, keyword="R-2a"), replace(c2, keyword="R-2b"), c3, c4),
            ),
        ),
    )
    assert findings(run_region(region)) == {
        ("missing", "keyword", "B-SO-2", None, P2, None),
        ("extra", "keyword", None, "R-2a", "B-JM-1/B-SO-6/R-2a", None),
        ("extra", "keyword", None, "R-2b", "B-JM-1/B-SO-6/R-2b", None),
    }


# -- cases and scores ----------------------------------------------------------------------


def _two_case_mutation(mini: Export, drop_value: bool = False) -> Export:
    region = with_keyword(mini, "B-SO-3", name="Riskfaktorer (bedömda)")  # psychiatry
    if drop_value:
        v1, v2, v3 = mini.value_lists["B-VL-1"].values
        region = with_values(region, "B-VL-1", (v1, v3))  # psychiatry
    return with_keyword(region, "B-SO-5", unit="µmol/L")  # drugs


def test_case_filter_limits_deviations_and_scores(mini: Export, run_region: RunRegion) -> None:
    region = _two_case_mutation(mini, drop_value=True)
    everything = run_region(region)
    assert findings(everything) == {
        ("renamed", "keyword", "B-SO-3", "B-SO-3", P3, None),
        ("missing", "value", "B-VL-1#2", None, "B-VL-1#2", None),
        ("unit_changed", "keyword", "B-SO-5", "B-SO-5", P5, None),
    }
    drugs = run_region(region, cases=("drugs",))
    assert findings(drugs) == {("unit_changed", "keyword", "B-SO-5", "B-SO-5", P5, None)}
    assert all(d.case == "drugs" and d.cases == ("drugs",) for d in drugs.deviations)
    assert set(drugs.scores["r1"]) == {"drugs"}
    assert drugs.to_json()["harmonisation"] == {"r1": {"drugs": 0.75}}
    psych = run_region(region, cases=("psychiatry",))
    assert findings(psych) == {
        ("renamed", "keyword", "B-SO-3", "B-SO-3", P3, None),
        ("missing", "value", "B-VL-1#2", None, "B-VL-1#2", None),
    }
    assert set(psych.scores["r1"]) == {"psychiatry"}


def test_case_filter_shared_keyword_is_reported_in_the_selected_case(
    mini: Export, run_region: RunRegion
) -> None:
    result = run_region(
        with_keyword(mini, "B-SO-6", name="Sammanfattande bedömning"), cases=("drugs",)
    )
    assert findings(result) == {("renamed", "keyword", "B-SO-6", "B-SO-6", P26, None)}
    (d,) = result.deviations
    assert (d.case, d.cases) == ("drugs", ("drugs",))


def test_case_filter_ignores_a_missing_template_of_another_case(
    mini: Export, run_region: RunRegion
) -> None:
    region = replace(mini, templates=without(mini.templates, "B-JM-1"))
    assert findings(run_region(region, cases=("drugs",))) == set()
    assert findings(run_region(region, cases=("psychiatry",))) == {
        ("missing", "template", "B-JM-1", None, "B-JM-1", None)
    }


def test_harmonisation_scores_drop_for_a_mutated_region(
    mini: Export, run_region: RunRegion
) -> None:
    result = run_region(_two_case_mutation(mini))
    scores = result.scores["r1"]
    # psychiatry: 1 template, 5 keywords, 1 list, 3 values, 2 terms; drugs: 1, 2, 0, 0, 1.
    assert (scores["psychiatry"].items, scores["drugs"].items) == (12, 4)
    assert result.to_json()["harmonisation"] == {
        "r1": {"psychiatry": round(11 / 12, 4), "drugs": 0.75}
    }


def test_shared_keyword_deviation_counts_in_every_case(mini: Export, run_region: RunRegion) -> None:
    result = run_region(with_keyword(mini, "B-SO-6", type=KeywordType.OTHER))
    assert result.to_json()["harmonisation"] == {
        "r1": {"psychiatry": round(11 / 12, 4), "drugs": 0.75}
    }


def test_case_filter_drops_an_extra_template_of_another_case(
    mini: Export, run_region: RunRegion
) -> None:
    tpl = replace(mini.templates["B-JM-2"], id="R-JM-9", name="Lokal mall", cases=("drugs",))
    region = replace(mini, templates={**mini.templates, "R-JM-9": tpl})
    assert findings(run_region(region, cases=("psychiatry",))) == set()
    assert findings(run_region(region, cases=("drugs",))) == {
        ("extra", "template", None, "R-JM-9", "R-JM-9", None)
    }
