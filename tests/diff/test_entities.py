"""Unit tests of the diff functions per entity, on small hand-built models (no files)."""

from __future__ import annotations

from model_edit import replace

from cosmicdiff.diff import RegionDiff, diff_region
from cosmicdiff.diff.context import CaseSets, DiffContext
from cosmicdiff.diff.keywords import catalogue_keywords, keyword_findings
from cosmicdiff.diff.subject import Subject, binding_text, display, found, name_of, renamed
from cosmicdiff.diff.templates import template_findings
from cosmicdiff.diff.terms import region_term_cases, term_findings
from cosmicdiff.diff.valuelists import (
    pair_values,
    region_value_list_cases,
    reordered_values,
    value_list_findings,
)
from cosmicdiff.match.identity import match_region
from cosmicdiff.match.scope import build_scope
from cosmicdiff.model import Baseline, Binding, Case, CaseId, Status, TemplateId, Term
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod

from .build import context, export, it, kw, short, tpl, used, vl

# -- context -------------------------------------------------------------------------------


def test_case_sets_share_one_object_per_set() -> None:
    sets = CaseSets()
    first = sets.of(["a", "b"])
    assert sets.of(("b", "a")) is first
    assert sets.of(["a"]) is not first


def test_region_scope_cases_and_first_places() -> None:
    base_t1, base_t2 = tpl("T1", it("A")), tpl("T2", it("B"))
    # the region pairs T1 by id; its own X declares case c2; Y declares nothing
    own = replace(tpl("X", it("H", it("A"))), cases=(CaseId("c2"),))
    region = export("r", keywords=used(base_t1, own), templates=[base_t1, own, tpl("Y")])
    ctx = context(
        export("b", keywords=used(base_t1, base_t2), templates=[base_t1, base_t2]),
        region,
        {"c1": ["T1"], "c2": ["T2"]},
    )
    assert dict(ctx.own.templates) == {"T1": ("c1",), "X": ("c2",)}
    assert ctx.own.keywords["A"] == {"c1", "c2"}
    assert ctx.keyword_path("A") == "T1/A"  # templates in id order: T1 before X
    assert ctx.keyword_path("H") == "X/H"
    assert ctx.keyword_template("A") == "T1"
    assert ctx.keyword_template("H") is None  # X has no baseline partner
    assert ctx.keyword_path("nowhere") == "nowhere"


def test_keyword_cases_join_the_partners_cases_and_are_memoised() -> None:
    base = tpl("T1", it("A"))
    region = export("r", keywords=[kw("A")])  # the region uses A in no template
    ctx = context(export("b", keywords=used(base), templates=[base]), region)
    assert ctx.keyword_cases("A") == {"c1"}
    assert ctx.keyword_memo == {"A": frozenset({"c1"})}


def test_catalogue_case_covers_every_region_keyword() -> None:
    base = tpl("T1", it("A"))
    region = export("r", keywords=[kw("A"), kw("Z")])
    ctx = context(export("b", keywords=used(base), templates=[base]), region, catalogue=True)
    assert ctx.own.keywords["Z"] == {"cat"}


# -- subject -------------------------------------------------------------------------------


def test_found_orders_cases_names_and_carries_the_template() -> None:
    base = tpl("T1", it("A"))
    ctx = context(
        export("b", keywords=[kw("A", "Bas")], templates=[base]),
        export("r", keywords=[kw("A", "Lokal")]),
        {"c1": ["T1"], "c2": ["T1"]},
    )
    subject = Subject(
        entity=Entity.KEYWORD,
        baseline_id="A",
        local_id="A",
        path="p",
        cases={"c2", "c1", "unknown"},
        template="T1",
        matched_by=MatchMethod.ID,
    )
    dev = found(ctx, subject, kind=Kind.RENAMED, expected="x", actual="y")
    assert (dev.region, dev.case, dev.cases, dev.name) == ("r", "c1", ("c1", "c2"), "Bas")
    assert (dev.template, dev.matched_by, dev.location) == ("T1", MatchMethod.ID, None)
    local_only = subject._replace(baseline_id=None)
    assert name_of(ctx, local_only) == "Lokal"


def test_renamed_ignores_white_space_and_marks_case_only() -> None:
    ctx = context(export("b"), export("r"))
    subject = Subject(entity=Entity.TEMPLATE, baseline_id=None, local_id=None, path=None, cases=())
    assert list(renamed(ctx, subject, "Ett  namn", " Ett namn ")) == []
    (dev,) = renamed(ctx, subject, "Ett namn", "ETT namn", field="display:en")
    assert (dev.kind, dev.case_only, dev.field) == (Kind.RENAMED, True, "display:en")


def test_display_and_binding_text() -> None:
    assert display({"en": "E", "sv": "S"}) == "S"
    assert display({"en": "E"}) == "E"
    assert display({}) is None
    bindings = [
        Binding(system="snomed-ct", code=" 2 "),
        Binding(system="atc", code="1"),
        Binding(system="snomed-ct", code="2"),
    ]
    assert binding_text(bindings) == "atc:1, snomed-ct:2"


# -- templates -----------------------------------------------------------------------------


def test_templates_missing_extra_and_attributes() -> None:
    t1, t2 = tpl("T1", it("A")), tpl("T2", it("B"))
    mine = replace(tpl("X", it("Z")), cases=(CaseId("c1"),))  # extra, with an undefined keyword
    changed = replace(t1, version="2", status=Status.RETIRED, cases=(CaseId("c1"), CaseId("c9")))
    ctx = context(
        export("b", keywords=used(t1, t2), templates=[t1, t2]),
        export("r", keywords=used(t1), templates=[changed, mine]),
    )
    assert short(template_findings(ctx, {})) == [
        ("attribute_changed", "T1", "version", None, "2"),
        ("attribute_changed", "T1", "cases", "c1", "c1 c9"),
        ("status_changed", "T1", None, "active", "retired"),
        ("missing", "T2", None, "name of T2", None),
        ("extra", "X", None, None, "name of X"),
        ("unresolved_reference", "X/Z", None, None, None),
    ]


# -- keywords ------------------------------------------------------------------------------


def test_keyword_pair_attribute_by_attribute() -> None:
    base = tpl("T1", it("A"))
    local = kw(
        "A",
        "Annat namn",
        status=Status.INACTIVE,
        hidden_from_1177=True,
        bindings=(Binding(system="atc", code="X"),),
        description="ny",
    )
    ctx = context(
        export("b", keywords=used(base), templates=[base]),
        export("r", keywords=[local], templates=[base]),
    )
    found_ = list(keyword_findings(ctx))
    assert short(found_) == [
        ("renamed", "T1/A", None, "name of A", "Annat namn"),
        ("binding_changed", "T1/A", None, None, "atc:X"),
        ("status_changed", "T1/A", None, "active", "inactive"),
        ("visibility_changed", "T1/A", None, "shown", "hidden"),
        ("attribute_changed", "T1/A", "description", None, "ny"),
    ]
    assert {d.template for d in found_} == {"T1"}
    assert {d.units for d in found_} == {(("keyword", "A"),)}


def test_keyword_value_list_undefined_or_changed() -> None:
    base = tpl("T1", it("A"), it("B"))
    base_kws = [kw("A", value_list="V1"), kw("B", value_list="V1")]
    region_kws = [kw("A", value_list="V9"), kw("B", value_list="V2")]
    ctx = context(
        export("b", keywords=base_kws, templates=[base], value_lists=[vl("V1")]),
        export("r", keywords=region_kws, templates=[base], value_lists=[vl("V2")]),
    )
    dangling, changed = keyword_findings(ctx)
    assert (
        dangling.kind,
        dangling.entity,
        dangling.local_id,
        dangling.path,
        dangling.template,
    ) == (Kind.UNRESOLVED_REFERENCE, Entity.VALUELIST, "V9", "T1/A", None)
    assert (changed.kind, changed.expected, changed.actual) == (Kind.VALUELIST_CHANGED, "V1", "V2")


def test_catalogue_keywords_only_those_no_template_uses() -> None:
    base = tpl("T1", it("A"))
    ctx = context(
        export("b", keywords=[kw("A"), kw("Q/1/x")], templates=[base]),
        export("r", keywords=[kw("A"), kw("Z")], templates=[base]),
        catalogue=True,
    )
    found_ = list(catalogue_keywords(ctx))
    assert short(found_) == [
        ("missing", "Q/1/x", None, "name of Q/1/x", None),
        ("extra", "Z", None, None, "name of Z"),
    ]
    # a keyword no template uses belongs to none, whatever its id looks like
    assert [d.template for d in found_] == [None, None]


# -- value lists ---------------------------------------------------------------------------


def _value_list_context(
    base_values: list[tuple[str, str]], region_values: list[tuple[str, str]]
) -> DiffContext:
    """Keyword A uses value list V in the baseline and L (paired by name) in the region."""
    base = tpl("T1", it("A"))
    return context(
        export(
            "b",
            keywords=[kw("A", value_list="V")],
            templates=[base],
            value_lists=[vl("V", *base_values)],
        ),
        export(
            "r",
            keywords=[kw("A", value_list="L")],
            templates=[base],
            value_lists=[replace(vl("L", *region_values), name="name of V")],
        ),
    )


def test_values_missing_extra_renamed_by_code() -> None:
    ctx = _value_list_context([("1", "Ja"), ("2", "Nej")], [("1", "JA"), ("3", "Vet ej")])
    found_ = list(value_list_findings(ctx, region_value_list_cases(ctx)))
    assert short(found_) == [
        ("missing", "V#2", None, "Nej", None),
        ("extra", "L#3", None, None, "Vet ej"),
        ("renamed", "L#1", None, "Ja", "JA"),
    ]
    assert found_[0].units == (("valuelist", "V"), ("value", "V#2"))
    assert found_[2].matched_by is MatchMethod.CODE


def test_value_order_positions_come_from_both_orders() -> None:
    ctx = _value_list_context(
        [("1", "a"), ("2", "b"), ("3", "c")], [("3", "c"), ("1", "a"), ("2", "b")]
    )
    values = pair_values(ctx.base.value_lists["V"], ctx.region.value_lists["L"], ("c1",))
    assert short(reordered_values(ctx, values)) == [("order_changed", "L#3", None, "3", "1")]


# -- terms ---------------------------------------------------------------------------------


def test_terms_missing_renamed_per_language_status_and_extra() -> None:
    def term(code: str, sv: str, en: str | None = None, status: Status = Status.ACTIVE) -> Term:
        displays = {"sv": sv} | ({"en": en} if en else {})
        return Term(system="atc", code=code, displays=displays, status=status)

    bound = (Binding(system="atc", code="1"), Binding(system="atc", code="2"))
    base = tpl("T1", it("A"))
    base_kw = kw("A", bindings=bound)
    region_kw = kw("A", bindings=(*bound, Binding(system="atc", code="9")))
    ctx = context(
        export(
            "b",
            keywords=[base_kw],
            templates=[base],
            terms=[term("1", "Ett", "One"), term("2", "Två")],
        ),
        export(
            "r",
            keywords=[region_kw],
            templates=[base],
            terms=[term("1", "Ett", "ONE", Status.RETIRED), term("9", "Nio")],
        ),
    )
    lists = region_value_list_cases(ctx)
    assert region_term_cases(ctx, lists) == {"atc:1": {"c1"}, "atc:2": {"c1"}, "atc:9": {"c1"}}
    assert short(term_findings(ctx, lists)) == [
        ("renamed", "atc:1", "display:en", "One", "ONE"),
        ("status_changed", "atc:1", None, "active", "retired"),
        ("missing", "atc:2", None, "Två", None),
        ("extra", "atc:9", None, None, "Nio"),
    ]


# -- the whole region ----------------------------------------------------------------------


def test_diff_region_composes_the_steps_and_counts_coverage() -> None:
    t1 = tpl("T1", it("A"), it("B"))
    base = export("b", keywords=used(t1), templates=[t1])
    region = export(
        "r", keywords=[*used(t1), kw("unused")], templates=[tpl("T1", it("B"), it("A"))]
    )
    baseline = Baseline(
        id="b",
        name="b",
        version="1",
        export=base,
        cases=(Case(id=CaseId("c1"), name="c1", templates=(TemplateId("T1"),)),),
    )
    cache: dict[str, object] = {}
    result = diff_region(
        baseline, build_scope(baseline), region, match_region(region, baseline), cache
    )
    assert isinstance(result, RegionDiff)
    assert short(result.deviations) == [("order_changed", "T1/A", None, "1", "2")]
    assert result.coverage["keywords"] == {"read": 3, "compared": 2, "out_of_scope": 1}
    assert result.coverage["templates"] == {"read": 1, "compared": 1, "out_of_scope": 0}
    assert result.matches["keywords"]["id"] == 2
    assert list(cache) == ["T1"]  # the baseline tree that differed is kept for the next region
