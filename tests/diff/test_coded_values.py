"""Coded elements and their values (issue 16): one change, one finding; codes pair first.

Small hand-built models: an element's own value list (its id is the keyword's), values
paired by code within one terminology and then by display, a code changed under the same
display, and a coded element whose reference set became a code list.
"""

from __future__ import annotations

from model_edit import replace

from cosmicdiff.diff.keywords import keyword_findings
from cosmicdiff.diff.templates import template_findings
from cosmicdiff.diff.valuelists import own_list, region_value_list_cases, value_list_findings
from cosmicdiff.model import Binding, Export, Keyword, KeywordType, Value, ValueList, ValueListId
from cosmicdiff.vocabulary import MatchMethod

from .build import Short, context, export, it, kw, short, tpl


def _coded(kid: str, name: str, coding: str, *, listed: bool = True) -> Keyword:
    """A coded element: FixValue with its own list (id = its id), or ClinicalCoding."""
    return replace(
        kw(kid, name, value_list=kid if listed else None),
        type=KeywordType.FIX_VALUE if listed else KeywordType.CLINICAL_CODING,
        coding=coding,
    )


def _own(kid: str, name: str, *values: Value) -> ValueList:
    return ValueList(id=ValueListId(kid), name=name, values=values)


def _pair(base: Export, region: Export) -> list[Short]:
    """Return the findings about templates, keywords and value lists, in that order."""
    ctx = context(base, region)
    return short(
        [
            *template_findings(ctx, {}),
            *keyword_findings(ctx),
            *value_list_findings(ctx, region_value_list_cases(ctx)),
        ]
    )


def _element(name: str, *values: Value, formats: tuple[str, ...] = ()) -> Export:
    """Template T1 with one coded element A, named ``name``, whose own list holds ``values``."""
    side = export(
        "x",
        keywords=[_coded("A", name, "local")],
        templates=[tpl("T1", it("A"))],
        value_lists=[_own("A", name, *values)],
    )
    return replace(side, formats=formats)


def test_an_element_s_own_list_is_recognised_by_its_id() -> None:
    side = export(
        "x",
        keywords=[_coded("A", "a", "local"), kw("B", value_list="shared")],
        value_lists=[_own("A", "a"), _own("shared", "s")],
    )
    assert own_list(side, "A")
    assert not own_list(side, "shared")  # a list of its own id, used by keyword B
    assert not own_list(side, "nowhere")


def test_renamed_coded_element_is_one_finding_not_two() -> None:
    values = (Value(code="at1", display="Lindrig"),)
    base = _element("Allvarlighetsgrad", *values)
    region = _element("Svårighetsgrad", *values)
    assert _pair(base, region) == [("renamed", "T1/A", None, "Allvarlighetsgrad", "Svårighetsgrad")]


def test_extra_and_missing_elements_carry_their_own_lists() -> None:
    base = export("b", templates=[tpl("T1", it("K"))], keywords=[kw("K")])
    region = export(
        "r",
        keywords=[kw("K"), _coded("N", "Medium", "local")],
        templates=[tpl("T1", it("K"), it("N"))],
        value_lists=[_own("N", "Medium", Value(code="at8", display="Email"))],
    )
    assert _pair(base, region) == [("extra", "T1/N", None, None, "Medium")]
    # and the other way round: the baseline's element is missing, with its list
    assert _pair(region, base) == [("missing", "T1/N", None, "Medium", None)]


def test_a_code_changed_under_the_same_display_is_a_binding_change() -> None:
    base = _element("a", Value(code="at1", display="Lindrig"), Value(code="at2", display="Svår"))
    region = _element("a", Value(code="at9", display="Lindrig"), Value(code="at2", display="Svår"))
    ctx = context(base, region)
    deviations = list(value_list_findings(ctx, region_value_list_cases(ctx)))
    assert short(deviations) == [("binding_changed", "A#at9", None, "at1", "at9")]
    assert deviations[0].baseline_id == "A#at1"
    assert deviations[0].matched_by is MatchMethod.NAME


def test_a_code_change_shows_before_the_bindings_when_they_change_too() -> None:
    bound = (Binding(system="snomed-ct", code="1"),)
    rebound = (Binding(system="snomed-ct", code="2"),)
    base = _element("a", Value(code="at1", display="Lindrig", bindings=bound))
    region = _element("a", Value(code="at9", display="Lindrig", bindings=rebound))
    ctx = context(base, region)
    assert short(value_list_findings(ctx, region_value_list_cases(ctx))) == [
        ("binding_changed", "A#at9", None, "at1, snomed-ct:1", "at9, snomed-ct:2")
    ]


def test_cosmic_value_codes_are_list_ids_so_a_renumbered_value_is_no_finding() -> None:
    base = _element("a", Value(code="1", display="Ja"), formats=("cosmic-yaml",))
    region = _element("a", Value(code="7", display="Ja"), formats=("cosmic-xml",))
    ctx = context(base, region)
    assert short(value_list_findings(ctx, region_value_list_cases(ctx))) == []


def test_one_code_in_two_terminologies_pairs_by_display_not_by_code() -> None:
    def coded(code: str, display: str, system: str) -> Value:
        return Value(code=code, display=display, bindings=(Binding(system=system, code=code),))

    base = _element("a", coded("1", "Ja", "local:http://a"), coded("2", "Nej", "local:http://a"))
    region = _element("a", coded("1", "Nej", "local:http://b"), coded("2", "Nej", "local:http://a"))
    ctx = context(base, region)
    deviations = list(value_list_findings(ctx, region_value_list_cases(ctx)))
    # code 1 is another terminology's: not the baseline's "Ja" renamed to "Nej"; code 2 is
    # the same code in the same terminology and pairs by code although "Nej" is taken
    assert short(deviations) == [
        ("missing", "A#1", None, "Ja", None),
        ("extra", "A#1", None, None, "Nej"),
    ]
    plain = _element("a", coded("1", "Ja", "local:http://a"))
    same_system = _element("a", coded("1", "Jo", "local:http://a"))
    ctx = context(plain, same_system)
    assert short(value_list_findings(ctx, region_value_list_cases(ctx))) == [
        ("renamed", "A#1", None, "Ja", "Jo")
    ]


def test_reference_set_to_code_list_is_a_binding_change_not_a_type_change() -> None:
    listed = (
        Value(code="terminology:omim::614022", display="Atrial fibrillation"),
        Value(code="terminology:omim::600309", display="AVSD 3"),
    )
    base = export(
        "b",
        keywords=[_coded("A", "term", "terminology:ICD10", listed=False)],
        templates=[tpl("T1", it("A"))],
    )
    region = export(
        "r",
        keywords=[_coded("A", "term", "terminology:omim")],
        templates=[tpl("T1", it("A"))],
        value_lists=[_own("A", "term", *listed)],
    )
    codes = "terminology:omim::600309, terminology:omim::614022"
    assert _pair(base, region) == [
        ("binding_changed", "T1/A", "terminology", "terminology:ICD10", codes)
    ]
    # back from the list to the reference set: the same one finding, no valuelist_changed
    assert _pair(region, base) == [
        ("binding_changed", "T1/A", "terminology", codes, "terminology:ICD10")
    ]


def test_local_codes_are_written_with_their_terminology_in_a_coding_change() -> None:
    base = export(
        "b", keywords=[_coded("A", "a", "ac0001", listed=False)], templates=[tpl("T1", it("A"))]
    )
    region = _element("a", Value(code="at1", display="x"), Value(code="at2", display="y"))
    assert _pair(base, region) == [
        ("binding_changed", "T1/A", "terminology", "ac0001", "local::at1, local::at2")
    ]


def test_coded_type_change_without_coding_is_still_a_type_change() -> None:
    # COSMIC keywords have no coding: ClinicalCoding to FixValue is a type change there
    base = export(
        "b",
        keywords=[replace(kw("A", "a"), type=KeywordType.CLINICAL_CODING)],
        templates=[tpl("T1", it("A"))],
    )
    region = export(
        "r",
        keywords=[replace(kw("A", "a"), type=KeywordType.FIX_VALUE)],
        templates=[tpl("T1", it("A"))],
    )
    assert _pair(base, region) == [("type_changed", "T1/A", None, "ClinicalCoding", "FixValue")]
