"""Coded elements on the real files (issue 16): one change is one finding, codes pair first.

Every expectation was read off the files themselves (see ``shared/realdata/README.md``):

* problem_diagnosis.v1 ``at0005`` (DV_CODED_TEXT, ``[local:: at0047, at0048, at0049]``) is
  "Allvarlighetsgrad" in the CKM file and "Svårighetsgrad" in the Stockholm and Östergötland
  copies; its values keep their codes, Östergötland renames two of them (Mild, Medel).
* blood_pressure.v2 ``at0014`` (local list at0025…) is "Mätställe" in CKM and "Mätplats" in
  HiGHmed and Stockholm; ``at1043`` (local list at1044…) is "Sömnstatus"/"Vakenhet" in Stockholm.
* Referral request iteration 1, sem_ver 12.0.0 -> 15.0.0: three DV_CODED_TEXT elements had a
  ``C_CODE_REFERENCE`` (``terminology:ICD10`` twice, ``terminology:phenotypeHF``) and have a
  ``C_CODE_PHRASE`` list of another terminology (omim, ICD-10, hp) in 15.0.0; the severity
  list of pp_phenotypic_feature keeps codes 0012825…0012829 and their texts (Mild … Profound)
  but its terminology id is ``terminology:hpo`` in 12.0.0 and ``terminology:hp`` in 15.0.0.
* The Norwegian cuff-size ValueSet replaces three SNOMED CT codes under the same display.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_realdata_compare import (
    BP,
    BP_CKM,
    BP_HIGHMED,
    BP_STOCKHOLM,
    CUFF_NEW,
    CUFF_OLD,
    ECHO,
    HSO,
    HV,
    PD,
    PD_CKM,
    PD_OSTERGOTLAND,
    PD_STOCKHOLM,
    POSITION_NEW,
    POSITION_OLD,
    REFERRAL_NEW,
    REFERRAL_OLD,
    changes,
    compare,
    found,
)

from cosmicdiff.parsers.fragment import Fragment
from cosmicdiff.parsers.openehr.adl import read_adl
from cosmicdiff.parsers.openehr.opt import read_opt

PAIRS = {
    "bp-highmed": (BP_CKM, BP_HIGHMED),
    "bp-stockholm": (BP_CKM, BP_STOCKHOLM),
    "pd-stockholm": (PD_CKM, PD_STOCKHOLM),
    "pd-ostergotland": (PD_CKM, PD_OSTERGOTLAND),
    "referral": (REFERRAL_OLD, REFERRAL_NEW),
    "echo-bp": (BP_CKM, ECHO),
    "cuff": (CUFF_OLD, CUFF_NEW),
    "position": (POSITION_OLD, POSITION_NEW),
    "helsenorge": (HSO, HV),
}

#: the kinds reported once per pair of definitions (not per template occurrence)
DEFINITION_KINDS = frozenset(
    {
        "renamed",
        "attribute_changed",
        "binding_changed",
        "type_changed",
        "unit_changed",
        "valuelist_changed",
        "status_changed",
    }
)

PHENO = (
    "openEHR-EHR-CLUSTER.pp_phenotypic_feature.v0[name='pp_phenotypic_feature_with_terminology']"
)


def _node(d: dict[str, Any]) -> str:
    return str(d["baseline_id"] or d["local_id"])


@pytest.mark.parametrize("pair", sorted(PAIRS))
def test_no_change_is_reported_under_two_ids(pair: str) -> None:
    _, result, _ = compare(*PAIRS[pair])
    devs = result["deviations"]
    assert devs
    assert len({d["id"] for d in devs}) == len(devs)
    # one node, one change: no two entities (an element and its own value list) report the
    # same kind with the same expected and actual
    seen: dict[tuple[Any, ...], str] = {}
    for d in devs:
        key = (d["kind"], _node(d), d["expected"], d["actual"])
        assert seen.setdefault(key, d["entity"]) == d["entity"], key
    # a definition-level change is reported once, whatever the number of occurrences
    definition = [
        (d["kind"], d["entity"], _node(d), d["field"], d["expected"], d["actual"])
        for d in devs
        if d["kind"] in DEFINITION_KINDS
    ]
    assert len(set(definition)) == len(definition)


@pytest.mark.parametrize(
    ("baseline", "region", "renames"),
    [
        (
            PD_CKM,
            PD_STOCKHOLM,
            {
                (f"{PD}/data[at0001]/items[at0005]", "Allvarlighetsgrad", "Svårighetsgrad"),
                (f"{PD}/data[at0001]/items[at0012]", "Kroppslokalisation", "Anatomisk plats"),
                # a slot (allow_archetype), renamed like any item
                (
                    f"{PD}/data[at0001]/items[at0039]",
                    "Strukturerad kroppslokalisation",
                    "Strukturerad anatomisk plats",
                ),
            },
        ),
        (
            BP_CKM,
            BP_HIGHMED,
            {
                (f"{BP}/protocol[at0011]/items[at0014]", "Mätställe", "Mätplats"),
                (
                    f"{BP}/protocol[at0011]/items[at1057]",
                    "Strukturerat mätställe",
                    "Strukturerad mätplats",
                ),
            },
        ),
        (
            BP_CKM,
            BP_STOCKHOLM,
            {
                (f"{BP}/protocol[at0011]/items[at0014]", "Mätställe", "Mätplats"),
                (
                    f"{BP}/data[at0001]/events[at0006]/state[at0007]/items[at1043]",
                    "Sömnstatus",
                    "Vakenhet",
                ),
                (
                    f"{BP}/protocol[at0011]/items[at1057]",
                    "Strukturerat mätställe",
                    "Strukturerad mätplats",
                ),
                (
                    f"{BP}/protocol[at0011]/items[at1058]",
                    "Tilläggsinformation",
                    "Extra information",
                ),
            },
        ),
    ],
)
def test_a_renamed_coded_element_is_one_keyword_finding(
    baseline: Path, region: Path, renames: set[tuple[str, str, str]]
) -> None:
    _, result, _ = compare(baseline, region)
    renamed = found(result, "renamed", "keyword")
    assert {(d["baseline_id"], d["expected"], d["actual"]) for d in renamed} == renames
    # the element's own value list (same id) adds nothing: no value list finding at all
    assert not [d for d in result["deviations"] if d["entity"] == "valuelist"]


def test_pd_ostergotland_renames_values_but_not_their_list() -> None:
    _, result, _ = compare(PD_CKM, PD_OSTERGOTLAND)
    at0005 = f"{PD}/data[at0001]/items[at0005]"
    assert changes(found(result, "renamed", "value")) == {
        ("value", f"{at0005}#at0047", "Lindrig", "Mild"),
        ("value", f"{at0005}#at0048", "Måttlig", "Medel"),
    }
    assert all(d["matched_by"] == "code" for d in found(result, "renamed", "value"))
    assert changes(found(result, "renamed", "keyword")) >= {
        ("keyword", at0005, "Allvarlighetsgrad", "Svårighetsgrad")
    }
    assert not [d for d in result["deviations"] if d["entity"] == "valuelist"]
    assert len(result["deviations"]) == 29  # 21, and 8 about its four slots


def test_referral_reference_sets_that_became_code_lists_are_binding_changes() -> None:
    _, result, _ = compare(REFERRAL_OLD, REFERRAL_NEW)
    terminology = found(result, "binding_changed", "keyword")
    assert {(d["baseline_id"], d["field"], d["expected"], d["actual"]) for d in terminology} == {
        (
            "openEHR-EHR-CLUSTER.pp_disease.v0/items[at0001]",
            "terminology",
            "terminology:ICD10",
            "terminology:omim::600309, terminology:omim::614022",
        ),
        (
            f"{PD}/data[at0001]/items[at0002]",
            "terminology",
            "terminology:ICD10",
            "terminology:ICD-10::G44.311, terminology:ICD-10::I40.0",
        ),
        (
            f"{PHENO}/items[at0002]",
            "terminology",
            "terminology:phenotypeHF",
            "terminology:hp::0000520, terminology:hp::0001238, terminology:hp::0032524",
        ),
    }
    assert all(
        d["local_id"] == d["baseline_id"] and d["severity"] == "warning" for d in terminology
    )
    # not a type change (DV_CODED_TEXT on both sides), and no value list of its own
    assert not found(result, "type_changed")
    assert not [d for d in result["deviations"] if d["entity"] == "valuelist"]
    assert len(result["deviations"]) == 12  # the slot fills group what were 30 extras


def test_referral_hpo_to_hp_is_a_code_change_of_each_severity_value() -> None:
    _, result, _ = compare(REFERRAL_OLD, REFERRAL_NEW)
    severity = f"{PHENO}/items[at0004]"
    values = found(result, "binding_changed", "value")
    texts = {"0012825": "Mild", "0012826": "Moderate", "0012827": "Borderline"}
    texts |= {"0012828": "Severe", "0012829": "Profound"}
    assert {
        (d["baseline_id"], d["local_id"], d["name"], d["expected"], d["actual"]) for d in values
    } == {
        (
            f"{severity}#terminology:hpo::{code}",
            f"{severity}#terminology:hp::{code}",
            text,
            f"terminology:hpo::{code}",
            f"terminology:hp::{code}",
        )
        for code, text in texts.items()
    }
    # paired by their unchanged text: not missing and extra
    assert {d["matched_by"] for d in values} == {"name"}
    assert not found(result, "missing", "value") and not found(result, "extra", "value")
    assert not found(result, "renamed", "value")


def test_cuff_size_codes_pair_by_code_then_by_display() -> None:
    _, result, _ = compare(CUFF_OLD, CUFF_NEW)
    values = found(result, "binding_changed", "value")
    by_text = {
        (d["name"], d["baseline_id"].rsplit("#", 1)[1], d["local_id"].rsplit("#", 1)[1])
        for d in values
        if d["matched_by"] == "name"
    }
    assert by_text == {
        ("Voksne", "757991000202117", "720737000"),
        ("Små voksne", "720739002", "397641000202108"),
        ("Store voksne", "720738005", "397631000202102"),
    }
    # the other two binding changes are the same codes, paired by code, that gained the
    # Norwegian edition as a system version in 0.9.74
    by_code = {d["name"] for d in values if d["matched_by"] == "code"}
    assert by_code == {"Neonatal", "Spedbarn"}
    assert not found(result, "missing") and not found(result, "extra")


def test_referral_back_from_code_lists_to_reference_sets_is_the_same_one_finding() -> None:
    _, result, _ = compare(REFERRAL_NEW, REFERRAL_OLD)
    terminology = found(result, "binding_changed", "keyword")
    assert {(d["baseline_id"], d["expected"], d["actual"]) for d in terminology} == {
        (
            "openEHR-EHR-CLUSTER.pp_disease.v0/items[at0001]",
            "terminology:omim::600309, terminology:omim::614022",
            "terminology:ICD10",
        ),
        (
            f"{PD}/data[at0001]/items[at0002]",
            "terminology:ICD-10::G44.311, terminology:ICD-10::I40.0",
            "terminology:ICD10",
        ),
        (
            f"{PHENO}/items[at0002]",
            "terminology:hp::0000520, terminology:hp::0001238, terminology:hp::0032524",
            "terminology:phenotypeHF",
        ),
    }
    # the lists the baseline side has and the region lacks are not missing, nor changed
    assert not found(result, "valuelist_changed") and not found(result, "type_changed")
    assert not [d for d in result["deviations"] if d["entity"] == "valuelist"]


def test_readers_keep_where_a_coded_element_s_codes_come_from() -> None:
    old = read_opt(REFERRAL_OLD, "old", lang="en")
    new = read_opt(REFERRAL_NEW, "new", lang="en")
    adl = read_adl(PD_CKM, "pd", lang="sv")

    def coding(frag: Fragment, key: str) -> tuple[str, str | None]:
        (keyword,) = [k for k in frag.keywords if k.id == key]
        return keyword.type.value, keyword.coding

    disease = "openEHR-EHR-CLUSTER.pp_disease.v0/items[at0001]"
    assert coding(old, disease) == ("ClinicalCoding", "terminology:ICD10")
    assert coding(new, disease) == ("FixValue", "terminology:omim")
    assert coding(old, f"{PHENO}/items[at0004]") == ("FixValue", "terminology:hpo")
    assert coding(new, f"{PHENO}/items[at0004]") == ("FixValue", "terminology:hp")
    # a reference set both sides keep is no change
    body_site = f"{PD}/data[at0001]/items[at0012]"
    assert coding(old, body_site) == coding(new, body_site)
    assert coding(new, body_site) == ("ClinicalCoding", "terminology:bodySite")
    # ADL: a local code list; a DV_TEXT has no coding
    assert coding(adl, f"{PD}/data[at0001]/items[at0005]") == ("FixValue", "local")
    assert coding(adl, f"{PD}/data[at0001]/items[at0002]") == ("Text", None)
