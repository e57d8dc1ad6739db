"""End-to-end ``cosmicdiff compare`` on the real openEHR, FHIR and catalogue files.

Each test compares one variant pair of ``shared/realdata`` (see its README: which file is a
variant of which) through the CLI, with a single file as the ad-hoc baseline, and checks
the findings the people who wrote the readers verified by hand: the kind, entity, ids and
expected/actual of each, the exit status and the input notes. The module is skipped when
the data is absent; ``COSMICDIFF_REALDATA`` points at another copy.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

REALDATA = Path(
    os.environ.get("COSMICDIFF_REALDATA")
    or Path(__file__).resolve().parents[2] / "shared" / "realdata"
)
if not REALDATA.is_dir():
    pytest.skip(
        f"real data not found at {REALDATA} (set COSMICDIFF_REALDATA)", allow_module_level=True
    )

TODAY = "2026-11-23"

BP = "openEHR-EHR-OBSERVATION.blood_pressure.v2"
PD = "openEHR-EHR-EVALUATION.problem_diagnosis.v1"
BP_CKM = REALDATA / "openEHR-CKM-mirror" / f"{BP}.adl"
BP_HIGHMED = REALDATA / "highmed-ckm-mirror" / f"{BP}.adl"
BP_STOCKHOLM = REALDATA / "regionstockholm-poc_tc2openEHR" / f"{BP}.adl"
PD_CKM = REALDATA / "openEHR-CKM-mirror" / f"{PD}.adl"
PD_STOCKHOLM = REALDATA / "regionstockholm-poc_tc2openEHR" / f"{PD}.adl"
PD_OSTERGOTLAND = REALDATA / "regionostergotland-CKM-mirror" / f"{PD}.adl"
GMS = REALDATA / "modellbibliotek-GMS_informatics_tests"
REFERRAL_OLD = GMS / "Referral request iteration 1.7015a36.opt"
REFERRAL_NEW = GMS / "Referral request iteration 1.opt"
ECHO = REALDATA / "modellbibliotek-klinfys-register" / "Echo.opt"
NO_DOMAIN = REALDATA / "HL7Norway-no-domain"
CUFF_OLD = (
    NO_DOMAIN / "CurrentBuild-051_v0.5.1" / "ValueSet-NoDomainVitalSignsObservationCuffsize.json"
)
CUFF_NEW = NO_DOMAIN / "TestBuild_v0.9.74" / "ValueSet-NoDomainVitalSignsCuffsizeValueSet.json"
POSITION_OLD = (
    NO_DOMAIN
    / "CurrentBuild-051_v0.5.1"
    / "ValueSet-NoDomainVitalSignsObservationBloodpressureBodyPosition.json"
)
POSITION_NEW = (
    NO_DOMAIN
    / "TestBuild_v0.9.74"
    / "ValueSet-NoDomainVitalSignsBloodpressureBodyPositionValueSet.json"
)
TAKECARE = REALDATA / "regionstockholm-poc_tc2openEHR"
TC_OLD = TAKECARE / "TcTerminology.feature-tietoevry.json"
TC_NEW = TAKECARE / "TcTerminology.json"
HSO = REALDATA / "helsenorge-refero" / "HSO_Helseopplysninger.json"
HV = REALDATA / "helsenorge-refero" / "HV-Anestesi-1.json"

#: TakeCare's data type names (term_catalogue.DATATYPES); a row with another Datatype is one
#: whose free text has shifted into that column
TAKECARE_TYPES = frozenset(
    {"Text", "Numeriskt värde", "Datum/tid", "Genererat värde", "Diagnos", "Container", "Användare"}
)

Deviation = dict[str, Any]


@cache
def compare(baseline: Path, region: Path, *options: str) -> tuple[int, dict[str, Any], str]:
    """Run ``compare --format json`` once per argument list; return exit code, result, stderr."""
    res = run_cli(
        "compare", "--baseline", baseline, region, "--format", "json", "--today", TODAY, *options
    )
    assert res.code in (0, 1), res.stderr
    result = json.loads(res.stdout)
    assert result["exit_status"] == res.code
    return res.code, result, res.stderr


def found(
    result: dict[str, Any], kind: str, entity: str | None = None, rule: str | None = None
) -> list[Deviation]:
    return [
        d
        for d in result["deviations"]
        if d["kind"] == kind
        and (entity is None or d["entity"] == entity)
        and (rule is None or d["rule"] == rule)
    ]


def changes(devs: list[Deviation]) -> set[tuple[str, str | None, str | None, str | None]]:
    """Each deviation as (entity, baseline id, expected, actual)."""
    return {(d["entity"], d["baseline_id"], d["expected"], d["actual"]) for d in devs}


def region_of(result: dict[str, Any]) -> dict[str, Any]:
    (region,) = result["regions"]
    return region  # type: ignore[no-any-return]


def in_file(note_or_loc: dict[str, Any], path: Path) -> bool:
    shown = str(note_or_loc.get("file") or note_or_loc.get("path"))
    return Path(shown).resolve() == path.resolve()


# --- openEHR archetypes (ADL 1.4) -------------------------------------------------------------


def test_bp_ckm_vs_highmed_differs_only_in_the_label_of_at0014() -> None:
    code, result, _ = compare(BP_CKM, BP_HIGHMED)
    at0014 = f"{BP}/protocol[at0011]/items[at0014]"
    assert code == 0
    assert result["baseline"]["formats"] == ["openehr-adl"]
    assert region_of(result)["formats"] == ["openehr-adl"]
    # a single file is an ad-hoc baseline with one catalogue case
    assert result["cases"] == [
        {"id": "openehr-ehr-observation-blood-pressure-v2", "name": "Blodtryck"}
    ]
    assert result["baseline"]["version"] == "2.0.16"
    assert changes(found(result, "renamed")) == {
        ("keyword", at0014, "Mätställe", "Mätplats"),
        # a slot is an item: its label changes like any other (slot "Structured measurement
        # location", allow_archetype CLUSTER[at1057])
        (
            "keyword",
            f"{BP}/protocol[at0011]/items[at1057]",
            "Strukturerat mätställe",
            "Strukturerad mätplats",
        ),
    }
    assert all(
        d["local_id"] == d["baseline_id"] and d["matched_by"] == "id"
        for d in found(result, "renamed")
    )
    assert changes(found(result, "attribute_changed", "template")) == {
        ("template", BP, "2.0.16", "2.0.14")
    }
    assert not found(result, "missing") and not found(result, "extra")
    assert region_of(result)["matched_by"]["keywords"]["id"] == 21  # 17 nodes and 4 slots


def test_bp_ckm_vs_stockholm_renames() -> None:
    code, result, _ = compare(BP_CKM, BP_STOCKHOLM)
    state = f"{BP}/data[at0001]/events[at0006]/state[at0007]/items"
    at0014 = f"{BP}/protocol[at0011]/items[at0014]"
    assert code == 0
    assert changes(found(result, "renamed")) == {
        ("keyword", f"{state}[at1043]", "Sömnstatus", "Vakenhet"),
        ("keyword", at0014, "Mätställe", "Mätplats"),
        # two slots renamed in the Stockholm copy's translation
        (
            "keyword",
            f"{BP}/protocol[at0011]/items[at1057]",
            "Strukturerat mätställe",
            "Strukturerad mätplats",
        ),
        (
            "keyword",
            f"{BP}/protocol[at0011]/items[at1058]",
            "Tilläggsinformation",
            "Extra information",
        ),
        ("value", f"{at0014}#at1026", "Höger ankel", "Höger vrist"),
        ("value", f"{at0014}#at1031", "Vänster ankel", "Vänster vrist"),
        (
            "value",
            f"{state}[at0008]#at1014",
            "Liggande i vänster sidoläge",
            "Liggande med lutning till vänster",
        ),
    }
    assert changes(found(result, "attribute_changed", "template")) == {
        ("template", BP, "2.0.16", "2.0.11")
    }
    assert not found(result, "missing") and not found(result, "extra")


def test_bp_lang_en_compares_english_labels_so_the_rename_disappears() -> None:
    code, result, _ = compare(BP_CKM, BP_HIGHMED, "--lang", "en")
    at0014 = f"{BP}/protocol[at0011]/items[at0014]"
    names = {
        i["name"]
        for i in result["baseline_items"]
        if i["entity"] == "keyword" and i["id"] == at0014
    }
    assert names == {"Location of measurement"}
    assert code == 0
    # Mätställe/Mätplats was the only label difference: only the revision is left
    assert changes(result["deviations"]) == {("template", BP, "2.0.16", "2.0.14")}


def test_bp_use_node_references_are_resolved_on_both_sides() -> None:
    # lines 606 and 609: event at1042 (24-hour average) uses data and state of event at0006
    _, result, stderr = compare(BP_CKM, BP_HIGHMED)
    assert result["baseline"]["input_notes"] == region_of(result)["input_notes"] == []
    assert "use_node" not in stderr
    # the nodes used again are the same keywords: the rename of at1057 is one finding
    assert len(found(result, "renamed", "keyword")) == 2


def test_pd_ckm_vs_stockholm_lacks_at0080() -> None:
    code, result, _ = compare(PD_CKM, PD_STOCKHOLM)
    items = f"{PD}/data[at0001]/items"
    assert code == 1
    # 14 elements and 4 slots; Stockholm's copy has no at0080
    assert Counter(i["entity"] for i in result["baseline_items"])["keyword"] == 18
    assert region_of(result)["coverage"]["keywords"]["read"] == 17
    missing = found(result, "missing")
    assert changes(missing) == {("keyword", f"{items}[at0080]", "Påverkan", None)}
    assert [d["local_id"] for d in missing] == [None]
    assert changes(found(result, "renamed")) == {
        ("keyword", f"{items}[at0005]", "Allvarlighetsgrad", "Svårighetsgrad"),
        ("keyword", f"{items}[at0012]", "Kroppslokalisation", "Anatomisk plats"),
        # the slot allow_archetype CLUSTER[at0039]
        (
            "keyword",
            f"{items}[at0039]",
            "Strukturerad kroppslokalisation",
            "Strukturerad anatomisk plats",
        ),
    }
    assert not found(result, "attribute_changed", "keyword", "CD208")  # same patterns
    assert changes(found(result, "attribute_changed", "template")) == {
        ("template", PD, "1.7.4", "1.4.2")
    }


def test_pd_ckm_vs_ostergotland_lacks_three_elements_and_renames_severities() -> None:
    code, result, _ = compare(PD_CKM, PD_OSTERGOTLAND)
    items = f"{PD}/data[at0001]/items"
    assert code == 1
    assert region_of(result)["coverage"]["keywords"]["read"] == 15  # 11 elements, 4 slots
    assert changes(found(result, "missing")) == {
        ("keyword", f"{items}[at0078]", "Orsak", None),
        ("keyword", f"{items}[at0079]", "Specificering", None),
        ("keyword", f"{items}[at0080]", "Påverkan", None),
    }
    assert all(d["severity"] == "error" for d in found(result, "missing"))
    renamed = changes(found(result, "renamed"))
    assert {
        ("value", f"{items}[at0005]#at0047", "Lindrig", "Mild"),
        ("value", f"{items}[at0005]#at0048", "Måttlig", "Medel"),
        ("keyword", f"{items}[at0005]", "Allvarlighetsgrad", "Svårighetsgrad"),
        ("keyword", f"{items}[at0012]", "Kroppslokalisation", "Anatomisk plats"),
    } <= renamed
    assert {e for e, *_ in renamed} == {"keyword", "value"}  # the list is its element's
    assert changes(found(result, "attribute_changed", "template")) == {
        ("template", PD, "1.7.4", "1.0.7")
    }
    # slots: two renamed, two with other include patterns (CD208), and 4 more descriptions
    assert {
        (
            "keyword",
            f"{items}[at0039]",
            "Strukturerad kroppslokalisation",
            "Strukturerad anatomisk plats",
        ),
        (
            "keyword",
            f"{PD}/protocol[at0032]/items[at0071]",
            "Tilläggsinformation",
            "Extra information",
        ),
    } <= renamed
    assert {
        (d["baseline_id"], d["field"])
        for d in found(result, "attribute_changed", "keyword", "CD208")
    } == {
        (f"{items}[at0039]", "include"),
        (f"{items}[at0046]", "include"),
    }
    assert result["summary"]["by_severity"] == {"error": 3, "warning": 11, "info": 15}


def test_pd_ostergotland_text_report_in_english() -> None:
    res = run_cli(
        "compare",
        "--baseline",
        PD_CKM,
        PD_OSTERGOTLAND,
        "--format",
        "text",
        "--lang",
        "en",
        "--today",
        TODAY,
    )
    assert res.code == 1
    for at, label in (("at0078", "Cause"), ("at0079", "Variant"), ("at0080", "Impact")):
        assert (
            f"error    CD103 keyword missing: {PD}/data[at0001]/items[{at}] ↔ —  "
            f"expected: {label}  actual: (none)"
        ) in res.stdout
    assert "CD105" not in res.stdout  # English labels agree: no renames
    # the slot Status (at0046) admits problem_qualifier v2 in CKM, v0 or v1 in Östergötland
    assert (
        f"warning  CD208 keyword attribute changed [include]: Status ({PD}/data[at0001]/items"
        f"[at0046] ↔ {PD}/data[at0001]/items[at0046])  expected: "
        r"openEHR-EHR-CLUSTER\.problem_qualifier(-[a-zA-Z0-9_]+)*\.v2  actual: "
        r"openEHR-EHR-CLUSTER\.problem_qualifier(-[a-zA-Z0-9_]+)*\.v0|"
        r"openEHR-EHR-CLUSTER\.problem_qualifier(-[a-zA-Z0-9_]+)*\.v1"
    ) in res.stdout
    assert (
        "CD111 template attribute changed [version]: Problem/Diagnosis "
        f"({PD} ↔ {PD})  expected: 1.7.4  actual: 1.0.7"
    ) in res.stdout
    assert res.stdout.rstrip().endswith(
        "6 deviations: 3 errors, 2 warnings, 1 info; 0 waived; 3 reach the gate (errors)."
    )


def test_pd_ostergotland_lang_fi_is_a_missing_translation_note() -> None:
    code, result, stderr = compare(PD_CKM, PD_OSTERGOTLAND, "--lang", "fi")
    assert code == 1  # deviations, not a crash (3) nor an input error (2)
    assert result["baseline"]["input_notes"] == []  # the CKM file has Finnish labels
    (note,) = region_of(result)["input_notes"]
    assert in_file(note, PD_OSTERGOTLAND)
    assert (note["kind"], note["line"], note["subject"], note["message"]) == (
        "missing_translation",
        461,
        PD,
        "archetype has no 'fi' labels; using 'en'",
    )
    assert f"{PD}.adl:461: archetype has no 'fi' labels; using 'en'" in stderr
    # the CKM file's Finnish labels of these three are CKM's "not translated" placeholders
    assert changes(found(result, "missing")) == {
        ("keyword", f"{PD}/data[at0001]/items[{at}]", name, None)
        for at, name in (
            ("at0078", "*Cause (en)"),
            ("at0079", "*Variant (en)"),
            ("at0080", "*DV_TEXT (en)"),
        )
    }


# --- openEHR operational templates (OPT 1.4) --------------------------------------------------


def test_opt_referral_12_to_15_adds_person_and_organisation() -> None:
    code, result, _ = compare(REFERRAL_OLD, REFERRAL_NEW)
    assert code == 0  # no error: a coded element's terminology change is a warning
    assert result["baseline"]["formats"] == ["openehr-opt"]
    assert region_of(result)["formats"] == ["openehr-opt"]
    # person and organisation fill three slots: one finding each (test_realdata_slots.py),
    # their elements grouped in it, none an extra item or list of its own
    assert not found(result, "extra", "keyword") and not found(result, "missing")
    assert len(found(result, "attribute_changed", "keyword", "CD209")) == 3
    # the three coded elements whose reference set became a code list keep their data type
    # (test_realdata_coded checks the binding_changed findings that report them)
    assert not found(result, "type_changed")
    assert changes(found(result, "attribute_changed", "template")) == {
        ("template", "Referral request iteration 1", "12.0.0", "15.0.0")
    }
    for notes in (result["baseline"]["input_notes"], region_of(result)["input_notes"]):
        assert [(n["kind"], n["line"], n["message"]) for n in notes] == [
            ("missing_translation", 3, "template has no 'sv' labels; using 'en'")
        ]


# --- FHIR ValueSets and Questionnaires ---------------------------------------------------------


def test_fhir_cuff_size_codes_replaced_for_the_same_display() -> None:
    code, result, _ = compare(CUFF_OLD, CUFF_NEW)
    assert code == 0
    assert result["baseline"]["formats"] == region_of(result)["formats"] == ["fhir"]
    # one value set on each side: paired as if a mapping file said so
    assert region_of(result)["matched_by"]["value_lists"]["mapping"] == 1
    replaced = {
        (d["name"], d["baseline_id"].rsplit("#", 1)[1], d["local_id"].rsplit("#", 1)[1])
        for d in found(result, "binding_changed", "value")
        if d["matched_by"] == "name"
    }
    assert replaced == {
        ("Voksne", "757991000202117", "720737000"),
        ("Små voksne", "720739002", "397641000202108"),
        ("Store voksne", "720738005", "397631000202102"),
    }
    voksne = next(d for d in found(result, "binding_changed", "value") if d["name"] == "Voksne")
    assert (voksne["expected"], voksne["actual"]) == (
        "snomed-ct:757991000202117",
        "snomed-ct:720737000",
    )
    assert not found(result, "missing") and not found(result, "extra")


def test_fhir_body_position_displays_changed() -> None:
    code, result, _ = compare(POSITION_OLD, POSITION_NEW)
    assert code == 0
    renamed = {
        (d["baseline_id"].rsplit("#", 1)[1], d["expected"], d["actual"])
        for d in found(result, "renamed", "value")
    }
    assert renamed == {
        ("10904000", "Stående", "oppreist stilling"),
        ("4801000202104", "Liggende", "Liggende flatt"),
    }
    assert not found(result, "missing") and not found(result, "extra")


def test_helsenorge_hso_vs_hv_matches_questions_by_text() -> None:
    code, result, _ = compare(HSO, HV)
    assert code == 1
    assert region_of(result)["matched_by"]["templates"]["mapping"] == 1
    assert changes(found(result, "renamed", "template")) == {
        (
            "template",
            "223",
            "Skjema om helseopplysninger ved sykehusbesøk",
            "Helseerklæring før inngrep eller operasjon",
        )
    }
    assert {
        (d["field"], d["expected"], d["actual"])
        for d in found(result, "attribute_changed", "template")
        if d["field"] == "version"
    } == {("version", "5.0", "2.1")}
    (kjonn,) = [d for d in result["deviations"] if d["baseline_id"] == "223/2.2"]
    assert (kjonn["kind"], kjonn["local_id"], kjonn["name"], kjonn["matched_by"]) == (
        "moved",
        "400/1.700",
        "Kjønn",
        "name",
    )
    # HV's answerValueSet http://helsenorge.no/fhir/ValueSet/adresser is in neither file: it
    # is not a dangling reference (an error) but a value set whose codes are not compared
    assert not found(result, "unresolved_reference")
    (base_note,) = result["baseline"]["input_notes"]
    assert in_file(base_note, HSO)
    assert (base_note["kind"], base_note["message"]) == (
        "missing_translation",
        "no 'sv' labels; using 'nb-NO'",
    )
    kinds = [n["kind"] for n in region_of(result)["input_notes"]]
    assert kinds == ["missing_translation", "not_expanded", "few_shared_items"]
    assert all(in_file(n, HV) for n in region_of(result)["input_notes"])


# --- TakeCare keyword catalogue ----------------------------------------------------------------


def test_takecare_current_adds_twelve_keywords() -> None:
    code, result, _ = compare(TC_OLD, TC_NEW)
    assert code == 0
    assert result["baseline"]["formats"] == region_of(result)["formats"] == ["term-catalogue"]
    assert {(d["kind"], d["entity"]) for d in result["deviations"]} == {("extra", "keyword")}
    assert [d["local_id"] for d in result["deviations"]] == [
        "12047",
        "12051",
        "12052",
        "12055",
        "12056",
        "12059",
        "12064",
        "12066",
        "12067",
        "12071",
        "12073",
        "12076",
    ]
    assert found(result, "extra")[0]["actual"] == "Prostatacancerstatus"


def _row_lines(path: Path) -> list[int]:
    """Return the line each row's ``{`` is on (in both files each row starts a line)."""
    text = path.read_text(encoding="utf-8-sig")
    return [n for n, line in enumerate(text.splitlines(), 1) if line.lstrip().startswith("{")]


@pytest.mark.parametrize("side", ["baseline", "region"])
def test_takecare_input_notes_account_for_every_row(side: str) -> None:
    _, result, _ = compare(TC_OLD, TC_NEW)
    path = TC_OLD if side == "baseline" else TC_NEW
    rows = json.loads(path.read_text(encoding="utf-8-sig"))
    lines = _row_lines(path)
    assert len(lines) == len(rows)
    notes = (
        result["baseline"]["input_notes"]
        if side == "baseline"
        else region_of(result)["input_notes"]
    )
    assert all(
        set(n) == {"kind", "file", "line", "subject", "message"} and in_file(n, path) for n in notes
    )
    kinds = Counter(n["kind"] for n in notes)
    shifted = {
        (line, row["TermId"])
        for line, row in zip(lines, rows, strict=True)
        if row["Datatype"] not in TAKECARE_TYPES
    }
    assert len(shifted) == 76
    assert {(n["line"], n["subject"]) for n in notes if n["kind"] == "unusable_row"} == shifted
    duplicates = {(n["line"], n["subject"]) for n in notes if n["kind"] == "duplicate_id"}
    assert duplicates == ({(84065, "12009"), (84149, "11972")} if side == "region" else set())
    assert kinds == Counter(unusable_row=76, duplicate_id=len(duplicates), unsupported=1)
    if side == "region":
        read = region_of(result)["coverage"]["keywords"]["read"]
    else:
        read = sum(1 for i in result["baseline_items"] if i["entity"] == "keyword")
    assert len(rows) == read + kinds["unusable_row"] + kinds["duplicate_id"]


# --- across formats ----------------------------------------------------------------------------


def test_adl_baseline_vs_opt_region_share_blood_pressure_keys() -> None:
    code, result, _ = compare(BP_CKM, ECHO)
    assert code == 1
    assert result["baseline"]["formats"] == ["openehr-adl"]
    assert region_of(result)["formats"] == ["openehr-opt"]
    assert region_of(result)["matched_by"]["templates"]["mapping"] == 1
    shared = {
        d["baseline_id"]
        for d in result["deviations"]
        if d["entity"] == "keyword" and d["baseline_id"] == d["local_id"]
    }
    assert shared == {
        f"{BP}/data[at0001]/events[at0006]/data[at0003]/items[at0004]",
        f"{BP}/data[at0001]/events[at0006]/data[at0003]/items[at0005]",
        f"{BP}/data[at0001]/events[at0006]/state[at0007]/items[at0008]",
        f"{BP}/protocol[at0011]/items[at0014]",
        f"{BP}/protocol[at0011]/items[at1035]",
        # the four slots that Echo keeps (open) have the same keys as the archetype's
        f"{BP}/data[at0001]/events[at0006]/state[at0007]/items[at1030]",
        f"{BP}/protocol[at0011]/items[at1025]",
        f"{BP}/protocol[at0011]/items[at1057]",
        f"{BP}/protocol[at0011]/items[at1058]",
    }
    assert region_of(result)["matched_by"]["keywords"]["id"] == 9
    assert ("keyword", f"{BP}/protocol[at0011]/items[at0014]", "Mätställe", "Mätplats") in changes(
        found(result, "renamed")
    )


# --- --input-format / --baseline-format --------------------------------------------------------


def _pairs(result: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [
        (d["kind"], d["entity"], d["baseline_id"], d["local_id"], d["expected"], d["actual"])
        for d in result["deviations"]
    ]


def test_input_format_reads_a_value_set_whatever_its_name(tmp_path: Path) -> None:
    region = tmp_path / "cuff.txt"
    shutil.copyfile(CUFF_NEW, region)
    refused = run_cli("compare", "--baseline", CUFF_OLD, region, "--format", "json")
    assert refused.code == 2
    assert "cuff.txt: not an export file" in refused.stderr
    _, by_suffix, _ = compare(CUFF_OLD, CUFF_NEW)
    _, forced, _ = compare(CUFF_OLD, region, "--input-format", "fhir")
    assert region_of(forced)["formats"] == ["fhir"]
    assert region_of(forced)["id"] == "cuff"
    assert _pairs(forced) == _pairs(by_suffix)


def test_baseline_format_reads_a_baseline_whatever_its_name(tmp_path: Path) -> None:
    baseline = tmp_path / "cuff-0.5.1.txt"
    shutil.copyfile(CUFF_OLD, baseline)
    _, by_suffix, _ = compare(CUFF_OLD, CUFF_NEW)
    _, forced, _ = compare(baseline, CUFF_NEW, "--baseline-format", "fhir")
    assert forced["baseline"]["formats"] == ["fhir"]
    assert _pairs(forced) == _pairs(by_suffix)


@pytest.mark.parametrize(
    ("fmt", "problem"),
    [
        ("openehr-adl", "1: not an ADL archetype: the file must start with 'archetype'"),
        ("openehr-opt", "1: malformed XML: not an XML document (no start tag found)"),
        ("cosmic-xml", "1: malformed XML: not an XML document (no start tag found)"),
        (
            "term-catalogue",
            "1: expected a JSON array of catalogue rows (TermId, TermName, Datatype)",
        ),
    ],
    ids=["openehr-adl", "openehr-opt", "cosmic-xml", "term-catalogue"],
)
def test_wrong_forced_format_is_an_input_error(tmp_path: Path, fmt: str, problem: str) -> None:
    region = tmp_path / "cuff.txt"
    shutil.copyfile(CUFF_NEW, region)
    res = run_cli(
        "compare",
        "--baseline",
        CUFF_OLD,
        region,
        "--input-format",
        fmt,
        "--format",
        "json",
        "--today",
        TODAY,
    )
    assert res.code == 2
    assert res.stdout == ""
    (line,) = res.stderr.strip().splitlines()
    assert line.endswith(f"cuff.txt:{problem}")


def test_input_format_term_catalogue_reads_json_whatever_its_name(tmp_path: Path) -> None:
    rows = json.loads(TC_NEW.read_text(encoding="utf-8-sig"))[:20]
    baseline, region = tmp_path / "base.json", tmp_path / "catalogue.txt"
    for path in (baseline, region):
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
    res = run_cli(
        "compare",
        "--baseline",
        baseline,
        region,
        "--input-format",
        "term-catalogue",
        "--format",
        "json",
        "--today",
        TODAY,
    )
    assert res.code == 0, res.stderr
    assert region_of(json.loads(res.stdout))["coverage"]["keywords"]["read"] == 20


def test_a_dotted_folder_name_is_kept_whole() -> None:
    code, result, _ = compare(CUFF_OLD.parent, CUFF_NEW.parent)
    assert code == 1  # two value sets on each side with new urls: not paired without a mapping
    assert region_of(result)["id"] == "TestBuild_v0.9.74"
    assert result["baseline"]["name"] == "CurrentBuild-051_v0.5.1"
