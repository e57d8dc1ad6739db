"""FHIR R4 JSON: Questionnaires, ValueSets, CodeSystems and Bundles, real files and fixtures.

The real files come from ``shared/realdata`` (see its README); the tests skip when it is not
there. Every fact asserted about them was read from the files themselves.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cosmicdiff.errors import CosmicdiffError
from cosmicdiff.io.safe_json import read_json
from cosmicdiff.model import (
    NOTE_TYPES,
    Binding,
    Item,
    Keyword,
    KeywordType,
    Status,
    Template,
    Term,
    Value,
    ValueList,
    is_known_term_system,
)
from cosmicdiff.parsers.fhir import read_fhir, term_system
from cosmicdiff.parsers.fragment import Fragment
from parsers.helpers import FIXTURES, write

FHIR = FIXTURES / "fhir"
REALDATA = Path(
    os.environ.get("COSMICDIFF_REALDATA")
    or Path(__file__).resolve().parents[3] / "shared" / "realdata"
)
NO_051 = "HL7Norway-no-domain/CurrentBuild-051_v0.5.1/"
NO_0974 = "HL7Norway-no-domain/TestBuild_v0.9.74/"
CUFF_051 = NO_051 + "ValueSet-NoDomainVitalSignsObservationCuffsize.json"
CUFF_0974 = NO_0974 + "ValueSet-NoDomainVitalSignsCuffsizeValueSet.json"
POSITION_051 = NO_051 + "ValueSet-NoDomainVitalSignsObservationBloodpressureBodyPosition.json"
POSITION_0974 = NO_0974 + "ValueSet-NoDomainVitalSignsBloodpressureBodyPositionValueSet.json"
HV = "helsenorge-refero/HV-Anestesi-1.json"
HSO = "helsenorge-refero/HSO_Helseopplysninger.json"
INERA_CS = "Inera-AB-EHDS-TK/CodeSystem-clinicaldocumentnotecode-cs.json"
INERA_VS = "Inera-AB-EHDS-TK/ValueSet-clinicaldocumentnotecode-vs.json"
NO_EDITION = "local:http://snomed.info/sct|http://snomed.info/sct/51000202101"


def real(rel: str, lang: str = "sv") -> Fragment:
    """Read a real file, or skip the test when the real data is not there."""
    path = REALDATA / rel
    if not path.is_file():
        pytest.skip(f"real data not available: {path}")
    return read_fhir(path, rel, lang=lang)


def codes(frag: Fragment) -> list[tuple[str, str]]:
    (vl,) = frag.value_lists
    return [(v.code, v.display) for v in vl.values]


def keywords(*frags: Fragment) -> dict[str, Keyword]:
    return {k.id: k for f in frags for k in f.keywords}


def lists(*frags: Fragment) -> dict[str, ValueList]:
    return {vl.id: vl for f in frags for vl in f.value_lists}


def items(*frags: Fragment) -> dict[str, Item]:
    return {i.keyword: i for f in frags for t in f.templates for _, i in t.walk()}


def error(path: Path, display: str) -> str:
    with pytest.raises(CosmicdiffError) as info:
        read_fhir(path, display)
    return str(info.value)


def notes(frag: Fragment) -> list[tuple[str, int | None, str]]:
    return [(n.kind, n.line, n.message) for n in frag.notes]


# -- Norwegian cuff-size and body-position value sets, two releases ---------------------------


def test_cuff_size_051() -> None:
    frag = real(CUFF_051)
    (vl,) = frag.value_lists
    assert (vl.id, vl.name, frag.format, frag.title) == (
        "http://hl7.no/fhir/ValueSet/NoDomainVitalSignsObservationCuffsize",
        "NoDomainVitalSignsObservationCuffsize",
        "fhir",
        "NoDomainVitalSignsObservationCuffsize",
    )
    assert codes(frag) == [
        ("720740000", "Lår voksne"),
        ("720738005", "Store voksne"),
        ("757991000202117", "Voksne"),
        ("720739002", "Små voksne"),
        ("720736009", "Barn"),
        ("4281000202107", "Spedbarn"),
        ("4231000202108", "Neonatal"),
    ]
    assert all(v.bindings == (Binding(system="snomed-ct", code=v.code),) for v in vl.values)
    assert [v.loc.line for v in vl.values] == [43, 47, 51, 55, 59, 63, 67]  # each "{"
    assert frag.notes == []  # no language declared: nothing to say about translations


def test_cuff_size_0974_keeps_its_two_snomed_includes_apart() -> None:
    frag = real(CUFF_0974)
    (vl,) = frag.value_lists
    assert (vl.id, vl.name) == (
        "http://hl7.no/fhir/no-domain/vitalsigns/ValueSet/NoDomainVitalSignsCuffsizeValueSet",
        "NoDomainVitalSignsCuffsize-ValueSet",
    )
    assert codes(frag) == [
        ("720736009", "Barn"),
        ("720740000", "Lår voksne"),
        ("720737000", "Voksne"),
        ("4231000202108", "Neonatal"),
        ("397641000202108", "Små voksne"),
        ("4281000202107", "Spedbarn"),
        ("397631000202102", "Store voksne"),
    ]
    # the first include names no version, the second the Norwegian edition
    assert [[str(b) for b in v.bindings] for v in vl.values[2:4]] == [
        ["snomed-ct:720737000"],
        ["snomed-ct:4231000202108", f"{NO_EDITION}:4231000202108"],
    ]
    assert all(is_known_term_system(b.system) for v in vl.values for b in v.bindings)


def test_cuff_size_changes_between_releases() -> None:
    old = {display: code for code, display in codes(real(CUFF_051))}
    new = {display: code for code, display in codes(real(CUFF_0974))}
    assert old.keys() == new.keys()
    replaced = {d: (old[d], new[d]) for d in old if old[d] != new[d]}
    assert replaced == {
        "Voksne": ("757991000202117", "720737000"),
        "Små voksne": ("720739002", "397641000202108"),
        "Store voksne": ("720738005", "397631000202102"),
    }
    assert sorted(set(new.values()) - set(old.values())) == [
        "397631000202102",
        "397641000202108",
        "720737000",
    ]
    assert {d for d in old if old[d] == new[d]} == {"Lår voksne", "Barn", "Spedbarn", "Neonatal"}
    # Neonatal keeps its code but gains the edition binding: a system-version change
    neonatal = [v for v in real(CUFF_0974).value_lists[0].values if v.display == "Neonatal"]
    assert neonatal[0].bindings[1] == Binding(system=NO_EDITION, code="4231000202108")


def test_body_position_changes_between_releases() -> None:
    old, new = dict(codes(real(POSITION_051))), dict(codes(real(POSITION_0974)))
    assert list(old) == ["10904000", "4801000202104", "33586001", "272580008", "414585002"]
    assert list(new) == ["4801000202104", "414585002", "272580008", "10904000", "33586001"]
    assert {c: (old[c], new[c]) for c in old if old[c] != new[c]} == {
        "10904000": ("Stående", "oppreist stilling"),
        "4801000202104": ("Liggende", "Liggende flatt"),
    }


# -- Inera KV Anteckningstyp --------------------------------------------------------------------


def test_inera_code_system_note_types() -> None:
    frag = real(INERA_CS)
    (vl,) = frag.value_lists
    assert (vl.id, vl.name) == ("urn:oid:1.2.752.129.2.2.2.11", "KV Anteckningstyp")
    assert [v.code for v in vl.values] == [
        "utr",
        "atb",
        "sam",
        "sao",
        "ins",
        "slu",
        "auf",
        "sva",
        "bes",
    ]
    assert {v.code for v in vl.values} == NOTE_TYPES
    # each display repeats its code ("utr"); the definition is the label
    assert vl.values[0].display == "Utredning"
    assert vl.values[6].display == "Anteckning utan fysiskt möte"
    term = frag.terms[0]
    assert (term.key, dict(term.displays), term.status) == (
        "local:urn:oid:1.2.752.129.2.2.2.11:utr",
        {"sv": "Utredning"},
        Status.ACTIVE,
    )
    assert len(frag.terms) == 9 and frag.notes == []


def test_inera_value_set_includes_the_whole_system() -> None:
    frag = real(INERA_VS)
    (vl,) = frag.value_lists
    assert (vl.id, vl.name, vl.values) == (
        "https://fhir.inera.se/ig/ehds-tk/ValueSet/clinicaldocumentnotecode-vs",
        "KV Anteckningstyp — ValueSet",
        (),
    )
    # no code list of its own: kept as a rule, expanded (or noted) once all inputs are read
    assert notes(frag) == []
    (rule,) = vl.rules
    assert (rule.system, rule.filters, rule.exclude, rule.loc.line) == (
        "urn:oid:1.2.752.129.2.2.2.11",
        (),
        False,
        31,
    )


# -- helsenorge forms ---------------------------------------------------------------------------


def _by_type(tpl: Template, frag: Fragment) -> dict[str, int]:
    kws = keywords(frag)
    out: dict[str, int] = {}
    for _, item in tpl.walk():
        key = kws[item.keyword].type.value
        out[key] = out.get(key, 0) + 1
    return out


@pytest.mark.parametrize(
    ("rel", "header", "counts", "questions", "line"),
    [
        (
            HV,
            ("400", "Helseerklæring før inngrep eller operasjon", "2.1"),
            {"Other": 15, "Text": 39, "FixValue": 27, "Boolean": 26, "Numeric": 10, "DateTime": 1},
            103,
            30,
        ),
        (
            HSO,
            ("223", "Skjema om helseopplysninger ved sykehusbesøk", "5.0"),
            {"Other": 24, "FixValue": 103, "Text": 76, "Numeric": 16, "DateTime": 5, "Boolean": 1},
            201,
            48,
        ),
    ],
    ids=["HV-Anestesi", "HSO-Helseopplysninger"],
)
def test_helsenorge_form(
    rel: str, header: tuple[str, str, str], counts: dict[str, int], questions: int, line: int
) -> None:
    frag = real(rel)
    (tpl,) = frag.templates
    assert (tpl.id, tpl.name, tpl.version, tpl.status) == (*header, Status.ACTIVE)
    assert frag.title == tpl.name
    assert _by_type(tpl, frag) == counts
    # Other = the form's groups; everything else is a question. Static texts (display
    # items, and text items shown as help/sidebar/highlight) are not items: their text is
    # the description of the item (or form) they stand in
    assert sum(counts.values()) - counts["Other"] == questions
    assert len(frag.keywords) == sum(counts.values())
    assert all(k.id.startswith(tpl.id + "/") for k in frag.keywords)
    assert notes(frag) == [("missing_translation", line, "no 'sv' labels; using 'nb-NO'")]


def test_helsenorge_questions() -> None:
    hso, hv = real(HSO), real(HV)
    kws, placed = keywords(hso, hv), items(hso, hv)
    pct = kws["223/4.5.1.1.3"]
    assert (pct.name, pct.type, pct.unit, pct.loc.line) == (
        "Stillingsprosent",
        KeywordType.NUMERIC,
        "%",
        1106,
    )
    assert (placed["223/4.5.1.1.3"].mandatory, placed["223/4.5.1.1.3"].repeatable) == (True, False)
    height = kws["400/3.400.100"]
    assert (height.name, height.type, height.unit, placed["400/3.400.100"].mandatory) == (
        "Høyde i centimeter",
        KeywordType.NUMERIC,
        "cm",
        True,
    )
    assert (kws["223/8.1"].name, kws["223/8.1"].unit) == ("Høyde", "cm")
    # equal linkIds, different questions: numbered independently by each form
    assert (kws["400/2.1"].name[:40], kws["400/2.1"].type) == (
        "Dersom du har spørsmål om mottaker, innh",
        KeywordType.TEXT,
    )
    assert (kws["223/2.1"].name, kws["223/2.1"].type) == (
        "Om det er på vegne av eller ei. True er på vegne av",
        KeywordType.BOOLEAN,
    )
    # the same question in both forms, under different linkIds
    assert kws["400/1.701"].name == kws["223/2.1"].name
    # a help text (a text item with itemControl help, its text only in a rendering-markdown
    # extension) is static text: not an item, but the description of the question it helps
    assert "400/f8cefdf8-2703-4a60-8407-effc8fbfbf02" not in kws
    assert (kws["400/10.1700.200"].name, kws["400/10.1700.200"].description) == (
        "Vennligst spesifiser",
        "For eksempel HIV, Hepatitt C, Tuberkulose, MRSA, ESBL, VRE",
    )


def test_helsenorge_answer_lists() -> None:
    hso, hv = real(HSO), real(HV)
    answer_lists = lists(hso, hv)
    assert sorted(vl.id for vl in hv.value_lists) == [
        "400/1101",
        "400/Diabetes",
        "400/Royker",
        "http://helsenorge.no/fhir/ValueSet/adresser",
    ]
    assert [(v.code, v.display) for v in answer_lists["400/Royker"].values] == [
        ("1", "Ja"),
        ("2", "Nei, har sluttet"),
        ("3", "Nei"),
    ]
    assert [(v.code, v.display) for v in answer_lists["223/1102"].values] == [
        ("1", "Ja"),
        ("2", "Nei"),
        ("9", "Vet ikke"),
    ]
    assert answer_lists["223/1102"].name == "Ja / Nei / Vet ikke"
    assert answer_lists["223/1102"].values[2].bindings == (
        Binding(system="local:urn:oid:2.16.578.1.12.4.1.1102", code="9"),
    )
    # "Ja / Nei" is contained in both forms, under ids that do not collide
    assert answer_lists["400/1101"].name == answer_lists["223/1101"].name == "Ja / Nei"
    assert len(hso.value_lists) == 22
    kws = keywords(hso, hv)
    assert kws["400/13.100.100"].value_list == "400/1101"
    # a canonical answerValueSet the file does not define stays a reference, to a stand-in
    # (open: no codes, one rule naming the url) that the loader or --terminology may resolve
    adresser = "http://helsenorge.no/fhir/ValueSet/adresser"
    assert kws["400/41c836ec-b329-4179-832f-7d4fb821eef7"].value_list == adresser
    stand_in = answer_lists[adresser]
    assert stand_in.is_reference and stand_in.is_open and stand_in.values == ()
    assert (stand_in.loc.line, stand_in.rules[0].value_sets) == (2126, (adresser,))
    # helsenorge's sdf-optionReference extension lists hospitals as answers
    hospitals = answer_lists["223/33a69e13-1594-4c4d-8b10-0eff240cdb84"].values
    assert (hospitals[0].code, hospitals[0].display) == (
        "Endpoint/4",
        "Akershus universitetssykehus HF",
    )


def test_helsenorge_in_norwegian_has_no_translation_note() -> None:
    assert real(HV, lang="nb").notes == []


@pytest.mark.parametrize(
    "rel", [CUFF_051, CUFF_0974, POSITION_051, POSITION_0974, HV, HSO, INERA_CS, INERA_VS]
)
def test_every_real_record_has_a_line_and_a_known_system(rel: str) -> None:
    frag = real(rel)
    values = [v for vl in frag.value_lists for v in vl.values]
    records: list[Keyword | Template | ValueList | Term | Value] = [
        *frag.keywords,
        *frag.templates,
        *frag.value_lists,
        *frag.terms,
        *values,
    ]
    assert records and all(r.loc.line and r.loc.path == rel for r in records)
    bound: list[Keyword | Value] = [*frag.keywords, *values]
    bindings = [b for r in bound for b in r.bindings]
    assert all(is_known_term_system(b.system) for b in bindings)


# -- fixtures -----------------------------------------------------------------------------------


def test_bundle_lists_what_it_does_not_read() -> None:
    frag = read_fhir(FHIR / "bundle-unsupported.json", "fhir/bundle-unsupported.json")
    assert [(vl.id, [v.display for v in vl.values]) for vl in frag.value_lists] == [
        ("http://example.org/fhir/ValueSet/sides", ["Vänster", "Höger"])
    ]
    assert notes(frag) == [
        (
            "unsupported",
            6,
            "a Patient resource is not read (only Questionnaire, ValueSet and CodeSystem are)",
        ),
        ("unsupported", 30, "Bundle entry has no resource; not read"),
    ]
    assert frag.notes[0].subject == "p1"


def test_duplicate_code_and_version_split() -> None:
    frag = read_fhir(FHIR / "duplicate-code.json", "fhir/duplicate-code.json")
    (vl,) = frag.value_lists
    vs = "'http://example.org/fhir/ValueSet/cuff'"
    # the exclude of 720736009 (Barn) is applied at once
    assert [(v.code, v.display, v.loc.line) for v in vl.values] == [
        ("4231000202108", "Nyfödd", 13),
        ("397641000202108", "Små vuxna", 21),
    ]
    assert [str(b) for b in vl.values[1].bindings] == [
        "snomed-ct:397641000202108",
        f"{NO_EDITION}:397641000202108",
    ]
    # the filter and whole-system includes are rules (expanded or noted later); the exclude
    # stays a rule too, to apply to the codes those expand to
    assert [(r.system, r.filters, r.codes, r.exclude, r.loc.line) for r in vl.rules] == [
        ("http://loinc.org", (("COMPONENT", "=", "Cuff"),), (), False, 24),
        ("urn:oid:1.2.752.129.2.2.2.11", (), (), False, 28),
        ("http://snomed.info/sct", (), ("720736009",), True, 33),
    ]
    assert notes(frag) == [
        (
            "duplicate_id",
            20,
            f"value list {vs} has code '4231000202108' twice (first at line "
            "13); the later one is not read",
        ),
    ]


def test_questionnaires_in_a_bundle() -> None:
    frag = read_fhir(FHIR / "questionnaires.json", "fhir/questionnaires.json")
    assert frag.title is None  # two forms: no single title
    a, b = frag.templates
    assert (a.id, a.name, a.version, a.status) == ("form-a", "Form A", "1.0", Status.RETIRED)
    assert (b.id, b.status) == ("form-b", Status.ACTIVE)  # draft reads as active
    assert [(i.keyword, i.mandatory, i.repeatable) for _, i in a.walk()] == [
        ("form-a/1", False, False),
        ("form-a/1.1", True, False),
        ("form-a/1.2", False, False),
        ("form-a/2", False, True),
        ("form-a/3", False, False),
        ("form-a/4", False, False),
        ("form-a/5", False, False),
    ]
    kws = keywords(frag)
    assert kws["form-b/1.1"].type is KeywordType.DATE_TIME  # same linkId, other form
    weight = kws["form-a/1.1"]
    assert (weight.name, weight.type, weight.unit, weight.bindings) == (
        "Vikt",
        KeywordType.NUMERIC,
        "kg",
        (Binding(system="loinc", code="29463-7"),),
    )
    assert [
        (k, kws[k].type.value, kws[k].value_list)
        for k in ("form-a/1.2", "form-a/2", "form-a/3", "form-a/4")
    ] == [
        ("form-a/1.2", "FixValue", "form-a/yesno"),
        ("form-a/2", "FixValue", "form-a/2"),
        ("form-a/3", "FixValue", "http://example.org/fhir/ValueSet/clinics"),
        ("form-a/4", "Other", None),
    ]
    # a display item at the top of the form is the form's static text, not an item
    assert "form-a/7" not in kws
    assert (a.description, b.description) == ("**Read** this", None)
    answer_lists = lists(frag)
    assert [(v.code, v.display) for v in answer_lists["form-a/yesno"].values] == [
        ("1", "Ja"),
        ("2", "No"),
    ]
    assert answer_lists["form-a/2"].name == "Side"
    assert [(v.code, v.display) for v in answer_lists["form-a/2"].values] == [
        ("7771000", "Left"),
        ("Both", "Both"),
        ("3", "3"),
    ]
    assert [(kind, line) for kind, line, _ in notes(frag)] == [
        ("unusable_row", 84),
        ("duplicate_id", 83),
        ("unsupported", 88),
        ("unsupported", 89),
        ("unusable_row", 90),
        ("duplicate_id", 100),
        ("missing_translation", 29),
    ]
    assert frag.notes[-2].message == (
        "keyword 'form-a/1.1' is defined twice (first at line "
        "42); the later one is not read, nor its sub-items"
    )
    assert frag.notes[-1].message == "10 labels have no 'sv' translation; using 'en' for those"


def test_code_system_nested_concepts() -> None:
    frag = read_fhir(FHIR / "codesystem.json", "fhir/codesystem.json")
    (vl,) = frag.value_lists
    assert [(v.code, v.display) for v in vl.values] == [
        ("arm", "Arm"),
        ("upper-arm", "Överarm"),
        ("forearm", "Forearm"),
        ("leg", "The lower limb"),
    ]
    terms = {t.code: t for t in frag.terms}
    assert dict(terms["upper-arm"].displays) == {"sv": "Överarm", "en": "Upper arm"}
    assert dict(terms["arm"].displays) == {"sv": "Arm", "en": "Arm"}  # sv-SE counts as sv
    assert terms["forearm"].status is Status.RETIRED
    assert terms["arm"].system == "local:http://example.org/fhir/CodeSystem/body-sites"
    assert [(kind, line) for kind, line, _ in notes(frag)] == [
        ("unusable_row", 27),
        ("duplicate_id", 28),
        ("missing_translation", 19),
    ]


def test_expansion_is_read_when_there_is_no_compose(tmp_path: Path) -> None:
    doc = {
        "resourceType": "ValueSet",
        "id": "x",
        "language": "sv",
        "expansion": {
            "contains": [
                {"system": "http://loinc.org", "version": "2.77", "code": "A", "display": "Ett"},
                {"display": "grupp", "contains": [{"system": "http://loinc.org", "code": "B"}]},
            ]
        },
    }
    frag = read_fhir(write(tmp_path, "x.json", json.dumps(doc, indent=1)), "x.json")
    (vl,) = frag.value_lists
    assert vl.id == "x"
    assert [(v.code, v.display, [str(b) for b in v.bindings]) for v in vl.values] == [
        ("A", "Ett", ["loinc:A", "local:http://loinc.org|2.77:A"]),
        ("B", "B", ["loinc:B"]),
    ]


@pytest.mark.parametrize(
    ("url", "system"),
    [
        ("http://snomed.info/sct", "snomed-ct"),
        ("http://loinc.org", "loinc"),
        ("http://unitsofmeasure.org", "ucum"),
        ("http://www.whocc.no/atc", "atc"),
        ("urn:oid:1.2.752.129.2.2.2.11", "local:urn:oid:1.2.752.129.2.2.2.11"),
        ("http://example.org/a b", "local:http://example.org/a%20b"),
    ],
    ids=["snomed", "loinc", "ucum", "atc", "oid", "space"],
)
def test_term_system(url: str, system: str) -> None:
    assert term_system(url) == system and is_known_term_system(system)


# -- errors: file and line, never a traceback ---------------------------------------------------


def test_malformed_json_names_the_line() -> None:
    assert error(FHIR / "malformed.json", "fhir/malformed.json") == (
        "fhir/malformed.json:5: malformed JSON: Expecting ',' delimiter (column 3)"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "duplicate-key.json",
            "fhir/duplicate-key.json:6: key 'system' appears twice in one object",
        ),
        (
            "patient.json",
            "fhir/patient.json:1: resourceType 'Patient' is not read; expected "
            "Questionnaire, ValueSet, CodeSystem or Bundle",
        ),
    ],
    ids=["duplicate-key", "other-resource"],
)
def test_broken_fixture(name: str, message: str) -> None:
    assert error(FHIR / name, f"fhir/{name}") == message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "x.json: file is empty; expected JSON"),
        (
            b'{\n "resourceType": "ValueSet",\n "name": "\xe5"\n}',
            "x.json:3: not UTF-8 text; save the JSON file as UTF-8",
        ),
        (b"[1, 2]", "x.json:1: expected a FHIR resource: a JSON object with a resourceType"),
        (
            b'{"resourceType": "Questionnaire", "id": "q",\n '
            b'"item": [{"linkId": "1", "type": "string",'
            b'\n "required": "yes"}]}',
            "x.json:2: 'required' must be true or false (Questionnaire q / item 1)",
        ),
        (b'{"resourceType": "ValueSet", "id": 7}', "x.json:1: 'id' must be a string, not int"),
        (
            b'{"resourceType": "ValueSet", "id": "v",\n "compose": {"include": {"system": 1}}}',
            "x.json:2: 'system' must be a string, not int",
        ),
        (b'{"resourceType": "ValueSet"}', "x.json:1: ValueSet has neither id nor url"),
    ],
    ids=["empty", "not-utf8", "array", "bad-boolean", "number-id", "number-system", "no-id"],
)
def test_unusable_file(tmp_path: Path, data: bytes, message: str) -> None:
    assert error(write(tmp_path, "x.json", data), "x.json") == message


def test_lines_survive_braces_and_quotes_in_strings(tmp_path: Path) -> None:
    path = write(
        tmp_path, "x.json", '[{"a": "x{\\"}"},\n {"b": {"c": "}"}},\n "' + "y" * 100_000 + '"]'
    )
    doc = read_json(path, "x.json")
    assert (doc[0].line, doc[1].line, doc[1]["b"].line) == (1, 2, 2)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "item",
                    "linkId",
                    "type",
                    "text",
                    "answerOption",
                    "valueCoding",
                    "code",
                    "system",
                    "answerValueSet",
                    "extension",
                    "url",
                    "concept",
                    "compose",
                    "include",
                    "contained",
                    "resourceType",
                    "id",
                    "entry",
                    "resource",
                    "_text",
                    "designation",
                    "required",
                    "version",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    body=st.dictionaries(
        st.sampled_from(
            ["item", "contained", "compose", "concept", "entry", "language", "status", "url"]
        ),
        _JSON,
        max_size=3,
    ),
    rtype=st.sampled_from(["Questionnaire", "ValueSet", "CodeSystem", "Bundle"]),
)
def test_odd_documents_never_raise_a_traceback(
    tmp_path: Path, body: dict[str, object], rtype: str
) -> None:
    doc = {"resourceType": rtype, "id": "x", **body}
    path = write(tmp_path, "odd.json", json.dumps(doc, indent=1))
    with contextlib.suppress(CosmicdiffError):
        read_fhir(path, "odd.json")
