"""Intensional FHIR value sets and Questionnaire static text, on the real files (issue 16).

The Inera ValueSet KV Anteckningstyp includes its whole code system (``compose.include``
with only ``system``, line 31); the CodeSystem lists the nine codes (concept lines 32 to 72,
display = the code, definition = the name). The helsenorge forms HV-Anestesi-1 (Helse Vest)
and HSO_Helseopplysninger (Helse Sør-Øst) serve the same purpose but share few questions,
carry much static text (display items, and text items shown as help, sidebar or highlight),
and HV names an answerValueSet by a url that neither file defines. Every count and id below
was read off the files by hand (and by the independent walk in ``_static_link_ids``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from test_realdata_compare import (
    HSO,
    HV,
    REALDATA,
    compare,
    found,
    in_file,
    region_of,
)

from cosmicdiff.parsers import load_export
from cosmicdiff.parsers.fhir.expand import expand_value_sets

INERA = REALDATA / "Inera-AB-EHDS-TK"
INERA_CS = INERA / "CodeSystem-clinicaldocumentnotecode-cs.json"
INERA_VS = INERA / "ValueSet-clinicaldocumentnotecode-vs.json"
VS_URL = "https://fhir.inera.se/ig/ehds-tk/ValueSet/clinicaldocumentnotecode-vs"
OID = "urn:oid:1.2.752.129.2.2.2.11"
#: KV Anteckningstyp in the CodeSystem's order: code, definition (the display), concept line
KV = [
    ("utr", "Utredning", 32),
    ("atb", "Åtgärd/Behandling", 37),
    ("sam", "Sammanfattning", 42),
    ("sao", "Samordning", 47),
    ("ins", "Inskrivning", 52),
    ("slu", "Slutanteckning", 57),
    ("auf", "Anteckning utan fysiskt möte", 62),
    ("sva", "Slutenvårdsanteckning", 67),
    ("bes", "Besöksanteckning", 72),
]
ADRESSER = "http://helsenorge.no/fhir/ValueSet/adresser"
NOT_COMPARED = "no code is reported missing from it or extra beside it"


def _rename_only(result: dict[str, Any], expected: str, actual: str) -> None:
    """The pair differs only in the value list's title."""
    assert [(d["kind"], d["entity"], d["rule"]) for d in result["deviations"]] == [
        ("renamed", "valuelist", "CD105")
    ]
    (d,) = result["deviations"]
    assert (d["expected"], d["actual"]) == (expected, actual)


# --- KV Anteckningstyp: a value set of a whole code system -----------------------------------


def test_inera_value_set_is_expanded_from_the_code_system_on_the_other_side() -> None:
    code, result, _ = compare(INERA_CS, INERA_VS)
    assert code == 0
    # not 9 values and 9 terms missing: the value set has the code system's nine codes
    _rename_only(result, "KV Anteckningstyp", "KV Anteckningstyp — ValueSet")
    assert not found(result, "missing") and not found(result, "extra")
    assert result["baseline"]["input_notes"] == region_of(result)["input_notes"] == []


def test_inera_code_system_region_expands_the_baseline_value_set() -> None:
    code, result, _ = compare(INERA_VS, INERA_CS)
    assert code == 0
    _rename_only(result, "KV Anteckningstyp — ValueSet", "KV Anteckningstyp")
    (base_note,) = result["baseline"]["input_notes"]
    assert in_file(base_note, INERA_VS)
    assert (base_note["kind"], base_note["line"], base_note["subject"]) == (
        "not_expanded",
        31,
        VS_URL,
    )
    assert base_note["message"] == (
        f"value set '{VS_URL}': its codes were not expanded (code system '{OID}' is not "
        "among the baseline's files or --terminology); it lists no codes of its own, so none "
        f"is compared, and {NOT_COMPARED}"
    )
    (note,) = region_of(result)["input_notes"]
    assert (note["kind"], note["line"], note["subject"]) == ("expanded", 1, VS_URL)
    assert note["message"] == (
        f"the baseline's value set '{VS_URL}' is expanded, for this region, from the code "
        "systems or value sets in this region's files"
    )


def test_inera_expanded_values_carry_the_code_system_lines() -> None:
    vs = load_export(INERA_VS, as_baseline=True)
    cs = load_export(INERA_CS, as_baseline=True)
    (vl,) = vs.value_lists.values()
    assert vl.is_open and vl.values == ()
    (expanded,) = expand_value_sets(vs, [cs]).value_lists.values()
    assert not expanded.is_open
    assert [(v.code, v.display, v.loc.line) for v in expanded.values] == KV
    assert {v.loc.path for v in expanded.values} == {str(INERA_CS)}
    assert [str(b) for b in expanded.values[0].bindings] == [f"local:{OID}:utr"]
    # the value set refers to the code system's terms: it gets them, as the code system has
    terms = expand_value_sets(vs, [cs]).terms
    assert sorted(terms) == sorted(f"local:{OID}:{c}" for c, _, _ in KV)
    assert terms[f"local:{OID}:auf"].displays == {"sv": "Anteckning utan fysiskt möte"}


def _three_codes(tmp_path: Path) -> Path:
    """A value set that lists three of the nine codes, by code."""
    path = tmp_path / "three.json"
    concepts = [{"code": c, "display": d} for c, d, _ in KV[:3]]
    path.write_text(
        json.dumps(
            {
                "resourceType": "ValueSet",
                "id": "three",
                "url": "http://example.org/fhir/ValueSet/three",
                "title": "Tre anteckningstyper",
                "compose": {"include": [{"system": OID, "concept": concepts}]},
            }
        ),
        encoding="utf-8",
    )
    return path


def test_inera_value_set_without_its_code_system_compares_only_what_it_states(
    tmp_path: Path,
) -> None:
    three = _three_codes(tmp_path)
    code, result, _ = compare(three, INERA_VS)
    assert code == 0
    # the three listed codes are not reported missing from a value set that lists none
    _rename_only(result, "Tre anteckningstyper", "KV Anteckningstyp — ValueSet")
    (note,) = region_of(result)["input_notes"]
    assert in_file(note, INERA_VS)
    assert (note["kind"], note["line"]) == ("not_expanded", 31)
    assert note["message"] == (
        f"value set '{VS_URL}': its codes were not expanded (code system '{OID}' is not "
        f"among the inputs); it lists no codes of its own, so none is compared, and "
        f"{NOT_COMPARED}"
    )


def test_inera_terminology_option_expands_the_value_set(tmp_path: Path) -> None:
    three = _three_codes(tmp_path)
    code, result, _ = compare(three, INERA_VS, "--terminology", str(INERA_CS))
    assert code == 0
    assert region_of(result)["input_notes"] == []
    extra = found(result, "extra", "value")
    assert [(d["local_id"], d["actual"], d["location"]["line"]) for d in extra] == [
        (f"{VS_URL}#{c}", d, line) for c, d, line in sorted(KV[3:])
    ]
    assert all(in_file(d["location"], INERA_CS) for d in extra)
    assert {d["rule"] for d in extra} == {"CD304"}
    # both sides use the code system's terms (from --terminology): no term finding
    assert not [d for d in result["deviations"] if d["entity"] == "term"]
    assert not found(result, "missing")


# --- helsenorge: answerValueSet by url, static text, two forms that share few items ---------

_STATIC = {"help", "sidebar", "highlight", "legal", "flyover", "inline"}


def _static_link_ids(path: Path) -> set[str]:
    """Return the linkIds of the form's static texts, walking the JSON independently."""
    form = json.loads(path.read_text(encoding="utf-8"))["entry"][0]["resource"]
    out: set[str] = set()

    def walk(items: list[dict[str, Any]]) -> None:
        for it in items:
            controls = {
                c["code"]
                for e in it.get("extension", [])
                if e["url"].endswith("questionnaire-itemControl")
                for c in e["valueCodeableConcept"]["coding"]
            }
            if not it.get("item") and (it["type"] == "display" or controls & _STATIC):
                out.add(f"{form['id']}/{it['linkId']}")
            walk(it.get("item", []))

    walk(form["item"])
    return out


def test_helsenorge_static_texts_are_never_missing_keywords() -> None:
    hv_static, hso_static = _static_link_ids(HV), _static_link_ids(HSO)
    # HV: 72 display items + 15 help and 2 sidebar texts; HSO: 192 + 19 help, 3 sidebar and
    # 1 highlight
    assert (len(hv_static), len(hso_static)) == (89, 215)
    _, result, _ = compare(HSO, HV)
    ids = {d["baseline_id"] for d in result["deviations"]} | {
        d["local_id"] for d in result["deviations"]
    }
    assert not ids & (hv_static | hso_static)
    # their text is compared as the description of the question (or form) they stand in
    lunge = next(
        d
        for d in found(result, "attribute_changed", "keyword")
        if d["baseline_id"] == "223/d727a93c-da5a-4636-f99e-f80b83a342fb"
    )
    assert (lunge["local_id"], lunge["name"], lunge["field"], lunge["rule"]) == (
        "400/8",
        "Lungesykdom",
        "description",
        "CD207",
    )
    assert (lunge["expected"], lunge["actual"], lunge["severity"]) == (
        None,
        "For eksempel KOLS, astma, bronkitt.",
        "info",
    )
    assert len(found(result, "attribute_changed", "keyword")) == 5
    (form_text,) = [
        d for d in found(result, "attribute_changed", "template") if d["field"] == "description"
    ]
    assert form_text["expected"].startswith("Vi ber deg fylle ut og sende inn dette skjemaet")
    assert form_text["severity"] == "info"


def _severities(result: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    out: dict[tuple[str, str, str], int] = {}
    for d in result["deviations"]:
        key = (d["severity"], d["kind"], d["entity"])
        out[key] = out.get(key, 0) + 1
    return out


def test_helsenorge_forms_that_share_few_items_read_as_a_short_summary() -> None:
    code, result, _ = compare(HSO, HV)
    assert code == 1
    counts = _severities(result)
    # the 13 shared questions: compared in full (HSO asks Ja/Nei where HV has a boolean)
    assert {k: v for k, v in counts.items() if k[0] == "error"} == {
        ("error", "type_changed", "keyword"): 4,
        ("error", "valuelist_changed", "keyword"): 6,
    }
    assert {d["local_id"] for d in found(result, "type_changed")} == {
        "400/10.300",
        "400/7.100",
        "400/7.100.200",
        "400/8",
    }
    # the questions only one form has: listed, at info, not 212 errors and 105 warnings
    assert counts[("info", "missing", "keyword")] == 212
    assert counts[("info", "extra", "keyword")] == 105
    # 21 lists only HSO's questions use, less the 15 that are a question's own answerOption
    # list (covered by that question's missing finding: one change, one finding)
    assert counts[("info", "missing", "valuelist")] == 6
    assert counts[("info", "extra", "valuelist")] == 2
    assert not [d for d in found(result, "missing") if d["severity"] != "info"]
    notes = region_of(result)["input_notes"]
    (summary,) = [n for n in notes if n["kind"] == "few_shared_items"]
    assert in_file(summary, HV)
    assert (summary["line"], summary["subject"]) == (6, "400")
    assert summary["message"] == (
        "template '400' shares 13 of its 118 items with the baseline's '223' (225 items; 11% "
        "of the smaller): they are different forms, not versions of one. The 212 items only "
        "the baseline's has and the 105 only this one has (and the value lists only they use) "
        "are reported at info severity; the shared items are compared as usual"
    )
    (adresser,) = [n for n in notes if n["kind"] == "not_expanded"]
    assert (adresser["line"], adresser["subject"]) == (2126, ADRESSER)
    assert adresser["message"] == (
        f"value set '{ADRESSER}' is not among the inputs (give it with --terminology); its "
        "codes are not compared"
    )


def test_helsenorge_hv_is_now_a_usable_baseline() -> None:
    code, result, _ = compare(HV, HSO)
    assert code == 1
    assert not found(result, "unresolved_reference")
    counts = _severities(result)
    assert sum(v for k, v in counts.items() if k[0] == "error") == 10
    assert (counts[("info", "missing", "keyword")], counts[("info", "extra", "keyword")]) == (
        105,
        212,
    )
    # the question that uses the address list pairs with HSO's hospital list (by its code):
    # the lists differ (a url neither file defines, and HSO's own list), nothing is missing
    (recipient,) = [
        d
        for d in found(result, "valuelist_changed")
        if d["baseline_id"] == "400/41c836ec-b329-4179-832f-7d4fb821eef7"
    ]
    assert (recipient["expected"], recipient["actual"]) == (
        ADRESSER,
        "223/33a69e13-1594-4c4d-8b10-0eff240cdb84",
    )
    assert not [d for d in result["deviations"] if ADRESSER in (d["baseline_id"] or "")]
    (note,) = [n for n in result["baseline"]["input_notes"] if n["kind"] == "not_expanded"]
    assert in_file(note, HV)
    assert note["message"] == (
        f"value set '{ADRESSER}' is not among the baseline's files or --terminology (give it "
        "with --terminology); its codes are not compared"
    )
