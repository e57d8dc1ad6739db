"""Reports a modeller can read, on the real files (issue 16, part 5).

* openEHR and FHIR findings have a node path in JSON/SARIF in which no id repeats the id
  above it, and a label path (names from the template down) that text, HTML and Markdown
  show instead; ``report RESULT.json`` renders the label path from the JSON alone;
* term bindings of standard-format findings print readably (SNOMED CT with its edition);
* input notes are grouped by kind with counts in the terminal report and on stderr;
* a baseline without a version has no stray separator in the header.

Every expected value was checked by reading the files (see each test). The module is
skipped when the data is absent; ``COSMICDIFF_REALDATA`` points at another copy.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
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
GMS = REALDATA / "modellbibliotek-GMS_informatics_tests"
REFERRAL_OLD = GMS / "Referral request iteration 1.7015a36.opt"
REFERRAL_NEW = GMS / "Referral request iteration 1.opt"
PD = "openEHR-EHR-EVALUATION.problem_diagnosis.v1"
PD_CKM = REALDATA / "openEHR-CKM-mirror" / f"{PD}.adl"
PD_OSTERGOTLAND = REALDATA / "regionostergotland-CKM-mirror" / f"{PD}.adl"
HSO = REALDATA / "helsenorge-refero" / "HSO_Helseopplysninger.json"
HV = REALDATA / "helsenorge-refero" / "HV-Anestesi-1.json"
NO_DOMAIN = REALDATA / "HL7Norway-no-domain"
CUFF_OLD = (
    NO_DOMAIN / "CurrentBuild-051_v0.5.1" / "ValueSet-NoDomainVitalSignsObservationCuffsize.json"
)
CUFF_NEW = NO_DOMAIN / "TestBuild_v0.9.74" / "ValueSet-NoDomainVitalSignsCuffsizeValueSet.json"
TAKECARE = REALDATA / "regionstockholm-poc_tc2openEHR"
TC_OLD = TAKECARE / "TcTerminology.feature-tietoevry.json"
TC_NEW = TAKECARE / "TcTerminology.json"

TEMPLATE = "Referral request iteration 1"
SERVICE_REQUEST = "openEHR-EHR-INSTRUCTION.service_request.v1"
CONSENT = "openEHR-EHR-ACTION.informed_consent.v0"
PERSON = "openEHR-EHR-CLUSTER.person.v0"
ORG = "openEHR-EHR-CLUSTER.organisation.v0"
#: Medium (at0007) in Electronic communication (at0006) of the organisation of the person of
#: the service request: the OPT nests organisation.v0 in person.v0 in service_request.v1
#: (line 3888), and labels at0000 Organisation, at0006 Electronic communication, at0007 Medium
MEDIUM_PATH = f"{TEMPLATE}/{SERVICE_REQUEST}/{PERSON}/{ORG}/items[at0006]/items[at0007]"
MEDIUM_LABELS = [
    TEMPLATE,
    "Service request",
    "Person",
    "Organisation",
    "Electronic communication",
    "Medium",
]
#: what the path was before: every id written whole after the ids it extends
MEDIUM_REPEATED = (
    f"{TEMPLATE}/{SERVICE_REQUEST}/{PERSON}/{ORG}/{ORG}/items[at0006]"
    f"/{ORG}/items[at0006]/items[at0007]"
)


@cache
def compare(baseline: Path, region: Path, *options: str) -> tuple[dict[str, Any], str]:
    """Run ``compare --format json`` once per argument list; return the result and stderr."""
    res = run_cli(
        "compare", "--baseline", baseline, region, "--format", "json", "--today", TODAY, *options
    )
    assert res.code in (0, 1), res.stderr
    return json.loads(res.stdout), res.stderr


@cache
def text_report(baseline: Path, region: Path, lang: str, fmt: str = "text") -> str:
    res = run_cli(
        "compare", "--baseline", baseline, region, "--format", fmt, "--today", TODAY,
        "--lang", lang, "--fail-on", "never",
    )  # fmt: skip
    assert res.code == 0, res.stderr
    return res.stdout


ACTUAL = {"en": "actual", "sv": "faktiskt"}


def segments_unique(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == len(set(parts))


# --- openEHR operational template ------------------------------------------------------------


REQUESTER_LABELS = [TEMPLATE, "Service request", "Requester"]


def test_opt_paths_have_no_repeated_segment_and_a_label_path() -> None:
    result, _ = compare(REFERRAL_OLD, REFERRAL_NEW)
    keyword_findings = [d for d in result["deviations"] if d["entity"] == "keyword"]
    # three slot fills (their 38 items grouped) and three reference sets that became lists
    assert len(keyword_findings) == 6
    for d in keyword_findings:
        assert d["path"].startswith(TEMPLATE + "/")
        assert segments_unique(d["path"]), d["path"]
        assert d["label_path"][0] == TEMPLATE
        assert d["label_path"][-1] == d["name"]
    fills = {d["baseline_id"]: d for d in keyword_findings if d["field"] == "slot_fill"}
    requester = fills[f"{SERVICE_REQUEST}/protocol[at0008]/items[at0141]"]
    assert requester["path"] == f"{TEMPLATE}/{SERVICE_REQUEST}/{PERSON}"
    assert requester["label_path"] == REQUESTER_LABELS
    # the grouped items have paths without repeated segments too: Medium of the organisation
    # nested in the person (written whole after the ids it extends, it repeated them)
    grouped = [g["path"] for d in fills.values() for g in d["grouped"]]
    assert len(grouped) == 38 and all(segments_unique(g) for g in grouped)
    assert MEDIUM_PATH in [g["path"] for g in requester["grouped"]]
    assert not any(MEDIUM_REPEATED in json.dumps(d) for d in result["deviations"])
    # the places of the fills, and their labels
    places = {(d["path"], " › ".join(d["label_path"])) for d in fills.values()}
    assert places == {
        (f"{TEMPLATE}/{SERVICE_REQUEST}/{PERSON}", f"{TEMPLATE} › Service request › Requester"),
        (f"{TEMPLATE}/{SERVICE_REQUEST}/{ORG}", f"{TEMPLATE} › Service request › Receiver"),
        (f"{TEMPLATE}/{CONSENT}/{PERSON}", f"{TEMPLATE} › Informed consent › Consent requester"),
    }
    # a definition-level finding: the path of the keyword's first place
    (diagnosis,) = [
        d for d in keyword_findings if d["local_id"] == f"{PD}/data[at0001]/items[at0002]"
    ]
    assert (diagnosis["kind"], diagnosis["field"]) == ("binding_changed", "terminology")
    assert diagnosis["path"] == f"{TEMPLATE}/{PD}/data[at0001]/items[at0002]"
    assert diagnosis["label_path"] == [TEMPLATE, "Problem/Diagnosis", "Problem/Diagnosis name"]
    # the outline of the baseline template (JSON baseline_templates) has the same paths
    outline = [i["path"] for t in result["baseline_templates"] for i in t["items"]]
    # 75 elements, clusters and roots, and the 35 slots the old version has
    assert len(outline) == 110 and all(segments_unique(p) for p in outline)
    # template and value findings have no label path (their id says what they are)
    others = [d for d in result["deviations"] if d["entity"] != "keyword"]
    assert others and all("label_path" not in d for d in others)


def test_opt_sarif_keeps_the_node_path() -> None:
    res = run_cli(
        "compare", "--baseline", REFERRAL_OLD, REFERRAL_NEW, "--format", "sarif",
        "--today", TODAY, "--fail-on", "never",
    )  # fmt: skip
    sarif = json.loads(res.stdout)
    names = {
        logical["fullyQualifiedName"]
        for r in sarif["runs"][0]["results"]
        for loc in r["locations"]
        for logical in loc.get("logicalLocations", [])
    }
    assert sum(n.endswith(f"/{TEMPLATE}/{SERVICE_REQUEST}/{PERSON}") for n in names) == 1
    assert not any("›" in n for n in names)  # the label path is for people only
    assert not any(MEDIUM_REPEATED in n for n in names)


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_opt_text_report_shows_the_label_path(lang: str) -> None:
    text = text_report(REFERRAL_OLD, REFERRAL_NEW, lang)
    shown = " › ".join(REQUESTER_LABELS)
    lines = [line for line in text.splitlines() if line.endswith(f"@ {shown}")]
    assert len(lines) == 1
    assert f"{SERVICE_REQUEST}/protocol[at0008]/items[at0141]" in lines[0]  # the slot's id
    assert f"{TEMPLATE}/{SERVICE_REQUEST}/{PERSON}" not in text  # the raw path is not shown


def test_report_from_json_renders_the_label_path(tmp_path: Path) -> None:
    result, _ = compare(REFERRAL_OLD, REFERRAL_NEW)
    saved = tmp_path / "result.json"
    saved.write_text(json.dumps(result), encoding="utf-8")
    shown = " › ".join(REQUESTER_LABELS)
    text = run_cli("report", saved, "--format", "text", "--lang", "en").stdout
    assert sum(line.endswith(f"@ {shown}") for line in text.splitlines()) == 1
    md = run_cli("report", saved, "--format", "markdown", "--lang", "en").stdout
    # among the most severe deviations, and in the region's full list
    assert sum(shown in line for line in md.splitlines()) == 2
    html = run_cli("report", saved, "--format", "html", "--lang", "en").stdout
    doc = lxml.html.document_fromstring(html)
    # the fill stands in the slot's row of the template table, its items in a collapsed list
    details = [" ".join(d.text_content().split()) for d in doc.xpath("//details")]
    assert len(details) == 3 and any("Medium" in d for d in details)
    assert MEDIUM_REPEATED not in html


# --- openEHR archetype (ADL) and FHIR Questionnaire --------------------------------------------


#: ELEMENT[at0078], [at0079], [at0080] in ITEM_TREE[at0001] (data) of the CKM archetype, with
#: their labels (at0000 is the archetype's concept); the 2020 Östergötland copy has none of them
PD_LABELS = {
    "en": ("Problem/Diagnosis", "Cause", "Variant", "Impact"),
    "sv": ("Problem/Diagnos", "Orsak", "Specificering", "Påverkan"),
}


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_adl_missing_elements_have_archetype_relative_paths(lang: str) -> None:
    result, _ = compare(PD_CKM, PD_OSTERGOTLAND, "--lang", lang)
    missing = {
        (d["path"], tuple(d["label_path"])) for d in result["deviations"] if d["kind"] == "missing"
    }
    concept, cause, variant, impact = PD_LABELS[lang]
    assert missing == {
        (f"{PD}/data[at0001]/items[at0078]", (concept, cause)),
        (f"{PD}/data[at0001]/items[at0079]", (concept, variant)),
        (f"{PD}/data[at0001]/items[at0080]", (concept, impact)),
    }


def test_fhir_questionnaire_paths_write_each_link_id_once() -> None:
    # HV (id 400): item 1 'Informasjon' holds 1.700 'Kjønn'; HSO (id 223): 2 'Mottaker' holds 2.2
    result, _ = compare(HSO, HV, "--lang", "nb")
    (kjonn,) = [d for d in result["deviations"] if d["baseline_id"] == "223/2.2"]
    assert kjonn["kind"] == "moved"
    assert (kjonn["path"], kjonn["expected"], kjonn["actual"]) == ("400/1/1.700", "223/2", "400/1")
    assert kjonn["label_path"] == [
        "Helseerklæring før inngrep eller operasjon",
        "Informasjon",
        "Kjønn",
    ]
    items = [d for d in result["deviations"] if d["entity"] == "keyword"]
    assert items and all(segments_unique(d["path"]) for d in items)
    assert all(d["label_path"] for d in items)


# --- term bindings ----------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "edition"), [("en", "Norwegian edition"), ("sv", "norsk utgåva")])
def test_snomed_bindings_print_with_their_edition(lang: str, edition: str) -> None:
    # 0.9.74 includes Neonatal 4231000202108 from http://snomed.info/sct version
    # http://snomed.info/sct/51000202101 (the Norwegian extension module); 0.5.1 no version
    result, _ = compare(CUFF_OLD, CUFF_NEW)
    (neonatal,) = [
        d for d in result["deviations"]
        if d["kind"] == "binding_changed" and d["name"] == "Neonatal"
    ]  # fmt: skip
    raw = "local:http://snomed.info/sct|http://snomed.info/sct/51000202101:4231000202108"
    assert neonatal["actual"] == f"{raw}, snomed-ct:4231000202108"  # JSON keeps the keys
    text = text_report(CUFF_OLD, CUFF_NEW, lang)
    line = next(
        line for line in text.splitlines() if "#4231000202108 ↔" in line and "CD306" in line
    )
    assert line.endswith(
        f": SNOMED CT 4231000202108  {ACTUAL[lang]}: "
        f"SNOMED CT ({edition}) 4231000202108, SNOMED CT 4231000202108"
    )
    assert "local:" not in text and "snomed-ct:" not in text
    md = text_report(CUFF_OLD, CUFF_NEW, lang, "markdown")
    assert f"SNOMED CT ({edition}) 4231000202108, SNOMED CT 4231000202108" in md
    assert "local:" not in md


# --- headers of a baseline without version -----------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "sv"])
def test_no_stray_separator_when_the_baseline_has_no_version(lang: str) -> None:
    result, _ = compare(CUFF_OLD, CUFF_NEW)
    assert result["baseline"]["version"] == "-"  # a value set read as baseline: no version
    slug = "valueset-nodomainvitalsignsobservationcuffsize"
    title = text_report(CUFF_OLD, CUFF_NEW, lang).splitlines()[0]
    assert title == (
        f"cosmicdiff: deviations from {slug}"
        if lang == "en"
        else f"cosmicdiff: avvikelser mot {slug}"
    )
    name = "NoDomainVitalSignsObservationCuffsize"
    md = text_report(CUFF_OLD, CUFF_NEW, lang, "markdown").splitlines()[0]
    assert md.endswith(f": {name}")
    html = text_report(CUFF_OLD, CUFF_NEW, lang, "html")
    doc = lxml.html.document_fromstring(html)
    assert doc.xpath("//title")[0].text_content().endswith(f": {name}")
    assert doc.xpath("//h1")[0].text_content().endswith(f": {name}")
    assert f"{name} -" not in html and "version -" not in html
    cover = " ".join(doc.xpath("//table[@class='meta']//td")[0].text_content().split())
    assert cover == f"{name} ({slug})"


# --- input notes --------------------------------------------------------------------------------


def test_input_notes_by_kind_in_the_text_report_and_on_stderr() -> None:
    # both catalogues: 76 rows whose Datatype holds shifted free text, one note for the Unit
    # column; the current one also has TermIds 12009 and 11972 twice
    text = text_report(TC_OLD, TC_NEW, "en")
    lines = text.splitlines()
    start = lines.index("Input notes (156)")
    section = lines[start:]
    assert section[1] == (
        "  TcTerminology.feature-tietoevry (tcterminology-feature-tietoevry): "
        "77 in all (unsupported: 1, unusable row: 76)"
    )
    region = section.index(
        "  TcTerminology (TcTerminology): 79 in all (duplicate id: 2, unsupported: 1, "
        "unusable row: 76)"
    )
    kinds = [
        line.strip()
        for line in section[region:]
        if line.startswith("    ") and not line.startswith("      ")
    ]
    assert kinds == ["duplicate id (2)", "unsupported (1)", "unusable row (76)"]
    duplicate = [line for line in section if "TermId '12009' appears again" in line]
    assert len(duplicate) == 1
    assert duplicate[0].startswith("      ")
    assert duplicate[0].endswith(
        "TcTerminology.json:84065: TermId '12009' appears again (first at line 84058); "
        "this row is not read"
    )
    assert section[-1] == "      … and 71 more (all in the JSON result)"
    _, stderr = compare(TC_OLD, TC_NEW)
    err = stderr.splitlines()
    assert err[1:4] == [
        "note: 156 input notes, read but not used as they stand (all of them are in the JSON "
        "result under input_notes):",
        "note:   tcterminology-feature-tietoevry (baseline): 77 (unsupported 1, unusable row 76)",
        "note:   TcTerminology: 79 (duplicate id 2, unsupported 1, unusable row 76)",
    ]
    assert err[-1] == "note: … and 146 more input notes"
