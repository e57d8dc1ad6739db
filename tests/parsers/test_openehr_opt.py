"""The openEHR OPT 1.4 reader: real Archetype Designer exports and small hand-written OPTs.

Every fact asserted about a real file was checked by reading the file itself (line numbers,
labels, codes and counts are what the XML says).
"""

from __future__ import annotations

import os
import time
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from cosmicdiff.checks.integrity import check_export
from cosmicdiff.errors import CosmicdiffError, ExportError
from cosmicdiff.model import Binding, Export, Item, Keyword, KeywordType, SlotRule, ValueList
from cosmicdiff.parsers.fragment import Fragment
from cosmicdiff.parsers.openehr.opt import read_opt
from parsers.helpers import DOCTYPE_MESSAGE

REALDATA = Path(
    os.environ.get("COSMICDIFF_REALDATA")
    or Path(__file__).resolve().parents[3] / "shared" / "realdata"
)
KLINFYS = REALDATA / "modellbibliotek-klinfys-register"
GMS = REALDATA / "modellbibliotek-GMS_informatics_tests"
ECHO = KLINFYS / "Echo.opt"
PULSTEST = KLINFYS / "pulstest.opt"
REFERRAL_15 = GMS / "Referral request iteration 1.opt"
REFERRAL_12 = GMS / "Referral request iteration 1.7015a36.opt"
REAL_FILES = [ECHO, PULSTEST, REFERRAL_15, REFERRAL_12]
MINI = Path(__file__).resolve().parent.parent / "fixtures" / "opt" / "mini.opt"

NS = "http://schemas.openehr.org/v1"
BP = "openEHR-EHR-OBSERVATION.blood_pressure.v2"
BP_EVENT = f"{BP}/data[at0001]/events[at0006]"
PULSE = "openEHR-EHR-OBSERVATION.pulse.v2"
IMAGING = "openEHR-EHR-CLUSTER.imaging_result.v0"
MINI_OBS = "openEHR-EHR-OBSERVATION.mini.v1"
MINI_TREE = f"{MINI_OBS}/data[at0001]/events[at0002]/data[at0003]"
DEVICE = "openEHR-EHR-CLUSTER.device.v1"
DIAGNOSIS = "openEHR-EHR-EVALUATION.problem_diagnosis.v1/data[at0001]/items[at0002]"
PHENOTYPE = (
    "openEHR-EHR-CLUSTER.pp_phenotypic_feature.v0[name='pp_phenotypic_feature_with_terminology']"
)


@cache
def _read(path: Path, lang: str = "sv") -> Fragment:
    if not path.is_file():
        pytest.skip(f"real data not available: {path}")
    return read_opt(path, path.name, lang=lang)


def _keywords(frag: Fragment) -> dict[str, Keyword]:
    return {k.id: k for k in frag.keywords}


def _lists(frag: Fragment) -> dict[str, ValueList]:
    return {v.id: v for v in frag.value_lists}


def _items(frag: Fragment) -> dict[str, list[tuple[tuple[Item, ...], Item]]]:
    """Return keyword id -> every (ancestors, item) using it, in template order."""
    out: dict[str, list[tuple[tuple[Item, ...], Item]]] = {}
    for ancestors, item in frag.templates[0].walk():
        out.setdefault(item.keyword, []).append((ancestors, item))
    return out


def _codes(frag: Fragment, list_id: str) -> list[tuple[str, str]]:
    return [(v.code, v.display) for v in _lists(frag)[list_id].values]


def _write(tmp_path: Path, text: str, name: str = "t.opt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _error(path: Path, display: str = "t.opt") -> str:
    with pytest.raises(CosmicdiffError) as info:
        read_opt(path, display)
    assert type(info.value) is ExportError
    return str(info.value)


# --- real files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "template_id", "version", "keywords", "items", "lists"),
    [
        # items: elements, clusters, archetype roots and ARCHETYPE_SLOTs (152, 6, 43 and 35 in
        # the files); a key used twice (the same archetype in two places) is one keyword
        (ECHO, "Echo", "12.0.0", 311, 361, 14),
        (PULSTEST, "Pulstest", "0.1.0", 27, 27, 8),
        (REFERRAL_15, "Referral request iteration 1", "15.0.0", 128, 148, 17),
        (REFERRAL_12, "Referral request iteration 1", "12.0.0", 110, 110, 11),
    ],
    ids=["echo", "pulstest", "referral-15", "referral-12"],
)
def test_real_template_header_and_counts(
    path: Path, template_id: str, version: str, keywords: int, items: int, lists: int
) -> None:
    frag = _read(path)
    (template,) = frag.templates
    # the concept is the template name in all four exports
    assert (template.id, template.name, template.version) == (template_id, template_id, version)
    assert frag.format == "openehr-opt"
    assert frag.title == template.name
    assert (len(frag.keywords), len(frag.value_lists)) == (keywords, lists)
    assert sum(1 for _ in template.walk()) == items
    assert template.loc.path == path.name and template.loc.line == 2


@pytest.mark.parametrize("path", REAL_FILES, ids=["echo", "pulstest", "referral-15", "referral-12"])
def test_one_item_per_archetype_root_slot_element_and_cluster(path: Path) -> None:
    frag = _read(path)
    tree = etree.parse(str(path))
    xsi = "{http://www.w3.org/2001/XMLSchema-instance}type"
    expected = [
        c.sourceline
        for c in tree.iter(f"{{{NS}}}children")
        if c.get(xsi) in ("C_ARCHETYPE_ROOT", "ARCHETYPE_SLOT")
        or (
            c.get(xsi) == "C_COMPLEX_OBJECT"
            and c.findtext(f"{{{NS}}}rm_type_name") in ("ELEMENT", "CLUSTER")
        )
    ]
    assert [item.loc.line for _, item in frag.templates[0].walk()] == expected


@pytest.mark.parametrize("path", REAL_FILES, ids=["echo", "pulstest", "referral-15", "referral-12"])
def test_real_files_pass_the_integrity_checks(path: Path) -> None:
    frag = _read(path)
    export = Export(
        region="r",
        keywords={k.id: k for k in frag.keywords},
        value_lists={v.id: v for v in frag.value_lists},
        templates={t.id: t for t in frag.templates},
    )
    assert [str(i.problem) for i in check_export(export)] == []
    assert len({k.id for k in frag.keywords}) == len(frag.keywords)


def test_echo_systolic_element_key_label_unit_binding_and_line() -> None:
    frag = _read(ECHO)
    key = f"{BP_EVENT}/data[at0003]/items[at0004]"
    assert key == (
        "openEHR-EHR-OBSERVATION.blood_pressure.v2/data[at0001]/events[at0006]"
        "/data[at0003]/items[at0004]"
    )
    systolic = _keywords(frag)[key]
    assert (systolic.name, systolic.type, systolic.unit) == (
        "Systoliskt",
        KeywordType.NUMERIC,
        "mm[Hg]",
    )
    assert systolic.bindings == (Binding(system="snomed-ct", code="271649006"),)
    assert systolic.description is not None and systolic.description.startswith(
        "Det högsta systemiskt arteriella blodtrycket"
    )
    ((ancestors, item),) = _items(frag)[key]
    assert [a.keyword for a in ancestors] == [BP]  # HISTORY/EVENT/ITEM_TREE are flattened
    assert item.loc.line == 1155
    assert _keywords(frag)[BP].bindings == (Binding(system="snomed-ct", code="364090009"),)


def test_echo_value_list_of_local_codes_in_order() -> None:
    frag = _read(ECHO)
    key = f"{BP_EVENT}/state[at0007]/items[at0008]"
    assert _keywords(frag)[key].value_list == key
    assert _keywords(frag)[key].type is KeywordType.FIX_VALUE
    assert _lists(frag)[key].name == "Ställning"
    assert _codes(frag, key) == [
        ("at1000", "Stående"),
        ("at1001", "Sittande"),
        ("at1002", "Halvliggande"),
        ("at1003", "Liggande"),
        ("at1014", "Liggande med lutning till vänster"),
    ]


def test_echo_units_are_joined_in_file_order() -> None:
    keywords = _keywords(_read(ECHO))
    height = (
        "openEHR-EHR-OBSERVATION.height.v2/data[at0001]/events[at0002]/data[at0003]/items[at0004]"
    )
    weight = (
        "openEHR-EHR-OBSERVATION.body_weight.v2/data[at0002]/events[at0003]/data[at0001]"
        "/items[at0004]"
    )
    assert keywords[height].unit == "cm|[in_i]"
    assert keywords[weight].unit == "kg|[lb_av]|g"
    assert keywords[height].bindings == (Binding(system="loinc", code="8302-2"),)


def test_echo_mandatory_and_repeatable_from_occurrences() -> None:
    items = _items(_read(ECHO))
    height = (
        "openEHR-EHR-OBSERVATION.height.v2/data[at0001]/events[at0002]/data[at0003]/items[at0004]"
    )
    rhythm = f"{PULSE}/data[at0002]/events[at0003]/data[at0001]/items[at1023]"
    ((_, h),) = items[height]
    ((_, r),) = items[rhythm]
    assert (h.mandatory, h.repeatable) == (True, False)  # occurrences 1..1
    assert (r.mandatory, r.repeatable) == (False, True)  # occurrences 0..*


def test_echo_coded_name_constraint_names_the_element() -> None:
    rhythm = f"{PULSE}/data[at0002]/events[at0003]/data[at0001]/items[at1023]"
    keyword = _keywords(_read(ECHO))[rhythm]
    # name constrained to the single local code at1058 'Rytm'; the value is SNOMED-coded
    assert (keyword.name, keyword.type) == ("Rytm", KeywordType.FIX_VALUE)
    assert _codes(_read(ECHO), rhythm)[0] == (
        "http://snomed.info/sct/::426783006",
        "EKG: sinusrytm",
    )


def test_echo_cluster_copies_are_told_apart_by_their_name_constraint() -> None:
    frag = _read(ECHO)
    keywords = _keywords(frag)
    lvedd = f"{IMAGING}[name='1.1 Vänsterkammar-diameter, diastole PLAX']"
    ivsd = f"{IMAGING}[name='1.4 Septumtjocklek, diastole PLAX (IVSd PLAX)']"
    assert keywords[lvedd].name == "1.1 Vänsterkammar-diameter, diastole PLAX"
    # the result element is renamed in each copy: the name constraint is the label
    assert keywords[f"{lvedd}/items[at0001]/items[at0002]"].name == "LVEDd PLAX"
    assert keywords[f"{ivsd}/items[at0001]/items[at0002]"].name == "IVSd PLAX"
    assert keywords[f"{lvedd}/items[at0001]/items[at0002]"].unit == "mm"
    copies = {
        i.keyword
        for _, i in frag.templates[0].walk()
        if i.keyword.startswith(IMAGING)
        and "/items[at0001]" not in i.keyword
        and keywords[i.keyword].slot is None  # each copy's slots have keys of their own
    }
    assert lvedd in copies and ivsd in copies and len(copies) == 39


def test_echo_copy_nested_in_a_copy_of_the_same_name_is_qualified() -> None:
    frag = _read(ECHO)
    outer = f"{IMAGING}[name='Bilddiagnostiskt resultat']"
    inner = f"{outer}/items[at0001]/items[{outer}]"
    uses = _items(frag)[inner]
    assert [i.loc.line for _, i in uses] == [17794, 18177, 18846, 19229]
    assert all(a[-2].keyword == outer for a, _ in uses)
    assert _keywords(frag)[inner].name == "Bilddiagnostiskt resultat"
    assert len(_items(frag)[outer]) == 4  # four sibling copies share one keyword


def test_echo_external_codes_take_labels_from_the_file() -> None:
    frag = _read(ECHO)
    site = (
        "openEHR-EHR-OBSERVATION.imaging_exam_result.v0[name='Kardiografi']"
        "/data[at0001]/events[at0002]/data[at0003]/items[at0055]"
    )
    # from a coded default value in the template-level constraints block
    assert _codes(frag, site) == [("http://snomed.info/sct/::80891009", "hjärta, struktur")]
    # from term definitions coded "<terminology>::<code>"
    modality = site.replace("items[at0055]", "items[at0005]")
    assert _codes(frag, modality)[:2] == [
        ("http://snomed.info/sct/::278292003", "ultraljudsundersökning, aktivitet"),
        ("http://snomed.info/sct/::312250003", "magnetresonanstomografi, aktivitet"),
    ]
    # ... in the cluster copy that uses the code
    lvef = (
        f"{IMAGING}[name='1.9 Vänster kammares ejektionsfraktion (LVEF)']/items[at0001]"
        "/items[at0015]"
    )
    assert _codes(frag, lvef) == [
        ("http://snomed.info/sct/::250908004", "vänster kammares ejektionsfraktion")
    ]


def test_echo_has_no_notes_in_its_own_language_and_one_in_another() -> None:
    assert _read(ECHO).notes == []
    notes = _read(ECHO, "en").notes
    assert [(n.kind, n.line, n.message, n.subject) for n in notes] == [
        ("missing_translation", 3, "template has no 'en' labels; using 'sv'", "Echo")
    ]
    assert _keywords(_read(ECHO, "en"))[PULSE].name == "Puls/Hjärtfrekvens"


def test_echo_reads_well_under_a_second() -> None:
    if not ECHO.is_file():
        pytest.skip(f"real data not available: {ECHO}")
    start = time.perf_counter()
    read_opt(ECHO, "Echo.opt")
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("lang", "root", "rate", "presence"),
    [
        ("sv", "Puls/Hjärtfrekvens", "Frekvens", [("at1024", "Närvaro"), ("at1025", "Frånvaro")]),
        ("en", "Pulse/Heart beat", "Rate", [("at1024", "Present"), ("at1025", "Not detected")]),
        (
            "de",
            "Pulsfrequenz/Herzfrequenz",
            "Frequenz",
            [("at1024", "Vorhanden"), ("at1025", "Nicht ermittelbar")],
        ),
    ],
    ids=["sv", "en", "de"],
)
def test_pulstest_labels_come_from_component_ontologies(
    lang: str, root: str, rate: str, presence: list[tuple[str, str]]
) -> None:
    frag = _read(PULSTEST, lang)
    keywords = _keywords(frag)
    items = f"{PULSE}/data[at0002]/events[at0003]/data[at0001]"
    assert keywords[PULSE].name == root
    assert keywords[f"{items}/items[at0004]"].name == rate
    assert keywords[f"{items}/items[at0004]"].unit == "/min"
    assert _codes(frag, f"{items}/items[at1005]") == presence
    assert frag.notes == []


def test_pulstest_section_copies_keep_their_template_names() -> None:
    frag = _read(PULSTEST)
    top = [i.keyword for i in frag.templates[0].items]
    assert top == [
        # the slot of the composition's context comes first: a slot is an item
        "openEHR-EHR-COMPOSITION.encounter.v1/context/other_context[at0001]/items[at0002]",
        "openEHR-EHR-SECTION.adhoc.v1[name='Cirkulation']",
        "openEHR-EHR-SECTION.adhoc.v1[name='Ad hoc heading']",
    ]
    assert [c.keyword for c in frag.templates[0].items[1].children] == [PULSE]


def test_pulstest_slots_keep_their_include_and_exclude_patterns() -> None:
    keywords = _keywords(_read(PULSTEST))
    device = keywords[f"{PULSE}/protocol[at0010]/items[at1013]"]
    assert (device.name, device.type, device.loc.line) == ("Utrustning", KeywordType.OTHER, 1192)
    # include devices, exclude everything else: the exclude is read, not dropped
    assert device.slot == SlotRule(
        includes=(r"openEHR-EHR-CLUSTER\.device(-[a-zA-Z0-9_]+)*\.v1",), excludes=(".*",)
    )
    assert sum(1 for k in keywords.values() if k.slot is not None) == 6


def test_referral_versions_differ_by_added_archetypes() -> None:
    old, new = _keywords(_read(REFERRAL_12, "en")), _keywords(_read(REFERRAL_15, "en"))
    added = sorted(set(new) - set(old))
    # the three slots that the newer version fills are gone from it (diff.slots pairs them)
    assert set(old) - set(new) == {
        "openEHR-EHR-INSTRUCTION.service_request.v1/protocol[at0008]/items[at0141]",
        "openEHR-EHR-INSTRUCTION.service_request.v1/protocol[at0008]/items[at0142]",
        "openEHR-EHR-ACTION.informed_consent.v0/protocol[at0024]/items[at0028]",
    }
    assert old["openEHR-EHR-INSTRUCTION.service_request.v1/protocol[at0008]/items[at0141]"].slot
    assert len(added) == 21  # 15 elements and clusters, 6 slots of person and organisation
    assert sum(1 for k in added if new[k].slot is not None) == 6
    assert "openEHR-EHR-CLUSTER.person.v0" in added
    assert "openEHR-EHR-CLUSTER.organisation.v0" in added
    assert new["openEHR-EHR-CLUSTER.organisation.v0/items[at0001]"].name == "Name line"
    assert {k.split("/")[0] for k in added} == {
        "openEHR-EHR-CLUSTER.person.v0",
        "openEHR-EHR-CLUSTER.organisation.v0",
    }


def test_referral_diagnosis_name_gets_a_code_list_in_the_newer_version() -> None:
    old, new = _read(REFERRAL_12, "en"), _read(REFERRAL_15, "en")
    assert _keywords(old)[DIAGNOSIS].type is KeywordType.CLINICAL_CODING  # ICD10 reference
    assert _keywords(old)[DIAGNOSIS].value_list is None
    assert _keywords(new)[DIAGNOSIS].type is KeywordType.FIX_VALUE
    assert _codes(new, DIAGNOSIS) == [
        ("terminology:ICD-10::G44.311", "Acute post traumatic headache, intractable"),
        ("terminology:ICD-10::I40.0", "Infektiös myokardit"),
    ]
    assert _keywords(new)[DIAGNOSIS].name == "Problem/Diagnosis name"


def test_referral_severity_codes_change_terminology() -> None:
    old, new = _read(REFERRAL_12, "en"), _read(REFERRAL_15, "en")
    severity = f"{PHENOTYPE}/items[at0004]"
    assert [c for c, _ in _codes(old, severity)][:2] == [
        "terminology:hpo::0012825",
        "terminology:hpo::0012826",
    ]
    assert _codes(new, severity)[:2] == [
        ("terminology:hp::0012825", "Mild"),
        ("terminology:hp::0012826", "Moderate"),
    ]


def test_referral_cardinality_and_translation_note() -> None:
    frag = _read(REFERRAL_15)
    service = "openEHR-EHR-INSTRUCTION.service_request.v1"
    ((_, name),) = _items(frag)[f"{service}/activities[at0001]/description[at0009]/items[at0121]"]
    assert (name.mandatory, name.repeatable) == (True, False)
    assert [(n.kind, n.line, n.message) for n in frag.notes] == [
        ("missing_translation", 3, "template has no 'sv' labels; using 'en'")
    ]


# --- a small hand-written OPT --------------------------------------------------------------


def _mini_line(marker: str) -> int:
    lines = MINI.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if marker in line)


def test_mini_flattens_structures_and_builds_archetype_paths() -> None:
    frag = read_opt(MINI, "mini.opt", lang="en")
    (template,) = frag.templates
    assert (template.id, template.name, template.version) == ("Mini", "Mini template", "1.2.3")
    (obs,) = template.items
    assert obs.keyword == MINI_OBS and (obs.mandatory, obs.repeatable) == (True, True)
    assert [c.keyword for c in obs.children] == [
        f"{MINI_TREE}/items[at0004]",
        f"{MINI_TREE}/items[at0005]",
        f"{MINI_TREE}/items[at0008]",
        f"{MINI_TREE}/items[at0011]",
        f"{MINI_TREE}/items[at0012]",
        f"{MINI_TREE}/items[at0013]",  # a slot without patterns
        f"{DEVICE}[name='Cuff']",
        DEVICE,
        DEVICE,
    ]
    slot = _keywords(frag)[f"{MINI_TREE}/items[at0013]"]
    assert (slot.name, slot.slot, slot.loc.line) == ("Device", SlotRule(), 98)
    assert obs.children[0].loc.line == 28
    assert obs.children[1].repeatable and not obs.children[1].mandatory  # 0..3


def test_mini_keyword_fields() -> None:
    frag = read_opt(MINI, "mini.opt", lang="en")
    kw = _keywords(frag)
    assert kw[f"{MINI_TREE}/items[at0004]"] == Keyword(
        id=kw[f"{MINI_TREE}/items[at0004]"].id,
        name="Systolic",
        type=KeywordType.NUMERIC,
        unit="mm[Hg]|kPa",
        bindings=(Binding(system="snomed-ct", code="271649006"),),
        description="Peak pressure.",
    )
    grade = kw[f"{MINI_TREE}/items[at0005]"]
    assert grade.bindings == (Binding(system="loinc", code="8480-6"),)  # bound by path
    assert _codes(frag, grade.id) == [("at0006", "Low"), ("at0007", "High")]  # DV_ORDINAL
    position = kw[f"{MINI_TREE}/items[at0008]"]
    assert (position.name, position.type) == ("Renamed position", KeywordType.FIX_VALUE)
    assert _lists(frag)[position.id].name == "Renamed position"
    assert _lists(frag)[position.id].values[0].bindings == (
        Binding(system="snomed-ct", code="33586001"),
    )
    assert _codes(frag, f"{MINI_TREE}/items[at0011]") == [
        ("SNOMED-CT::123456", "Finding one"),
        ("SNOMED-CT::654321", "654321"),
    ]
    assert kw[f"{MINI_TREE}/items[at0012]"].type is KeywordType.CLINICAL_CODING
    assert kw[f"{MINI_TREE}/items[at0012]"].value_list is None
    assert kw[MINI_OBS].description == "A test observation."


def test_mini_repeated_root_shares_keyword_and_notes_a_differing_label() -> None:
    frag = read_opt(MINI, "mini.opt", lang="en")
    assert _keywords(frag)[f"{DEVICE}/items[at0001]"].name == "Device label"  # first kept
    assert [(n.kind, n.line, n.subject) for n in frag.notes] == [
        ("duplicate_id", _mini_line("Another label") - 4, f"{DEVICE}/items[at0001]")
    ]
    assert "'Another label'" in frag.notes[0].message


def test_mini_nested_copy_of_the_same_name_is_not_a_cycle() -> None:
    frag = read_opt(MINI, "mini.opt", lang="en")
    cuff = frag.templates[0].items[0].children[6]
    assert [c.keyword for c in cuff.children] == [
        f"{DEVICE}[name='Cuff']/items[at0001]",
        f"{DEVICE}[name='Cuff']/items[{DEVICE}[name='Cuff']]",
    ]


def test_mini_swedish_labels_with_a_note_per_missing_code() -> None:
    frag = read_opt(MINI, "mini.opt", lang="sv")
    kw = _keywords(frag)
    position = f"{MINI_TREE}/items[at0008]"
    assert kw[MINI_OBS].name == "Mini-observation"
    assert kw[f"{MINI_TREE}/items[at0004]"].description == "Toppvärde."
    assert _codes(frag, position) == [("at0009", "Sittande"), ("at0010", "Lying")]
    assert [(n.kind, n.line, n.subject, n.message) for n in frag.notes] == [
        (
            "missing_translation",
            _mini_line("<code_list>at0010"),
            position,
            f"at0010 of {MINI_OBS} has no 'sv' label; using the 'en' label",
        )
    ]


def test_mini_unknown_language_gives_one_note_and_template_labels() -> None:
    frag = read_opt(MINI, "mini.opt", lang="fi")
    assert _keywords(frag)[MINI_OBS].name == "Mini observation"
    missing = [n for n in frag.notes if n.kind == "missing_translation"]
    assert [(n.path, n.line, n.message, n.subject) for n in missing] == [
        ("mini.opt", 3, "template has no 'fi' labels; using 'en'", "Mini")
    ]


# --- refused files ---------------------------------------------------------------------------

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
OPEN = f'<template xmlns="{NS}">\n'


def _minimal(definition: str) -> str:
    return (
        HEAD
        + OPEN
        + "  <language><code_string>sv</code_string></language>\n"
        + "  <template_id><value>T</value></template_id>\n"
        + definition
        + "</template>\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            HEAD + '<!DOCTYPE template [<!ENTITY x "y">]>\n' + OPEN + "&x;</template>\n",
            f"t.opt:2: {DOCTYPE_MESSAGE}",
        ),
        (
            HEAD + OPEN + "  <concept>X</oops>\n</template>\n",
            "t.opt:3: malformed XML: Opening and ending tag mismatch: concept line 3 and oops",
        ),
        (
            HEAD + OPEN + "  <definition>\n",
            "t.opt:4: malformed XML: Premature end of data in tag definition line 3",
        ),
        (
            HEAD + f'<archetype xmlns="{NS}">\n</archetype>\n',
            "t.opt:2: not an openEHR operational template: root element is <archetype> in "
            f"namespace '{NS}'; expected <template xmlns=\"{NS}\">",
        ),
        (
            HEAD + "<template>\n</template>\n",
            "t.opt:2: not an openEHR operational template: root element is <template> without "
            f'namespace; expected <template xmlns="{NS}">',
        ),
        (
            _minimal(""),
            "t.opt:2: operational template without <definition>; the export is incomplete",
        ),
        (
            HEAD + OPEN + "  <template_id><value>T</value></template_id>\n  <definition/>\n"
            "</template>\n",
            "t.opt:2: operational template without <language>; the export is incomplete",
        ),
        (
            _minimal(
                "  <definition>\n    <rm_type_name>COMPOSITION</rm_type_name>\n  </definition>\n"
            ),
            "t.opt:5: archetype root without an archetype_id; the file is not a complete "
            "operational template",
        ),
        ("", "t.opt: file is empty; expected an XML document"),
        (
            '{"resourceType": "Questionnaire"}',
            "t.opt:1: malformed XML: not an XML document (no start tag found)",
        ),
    ],
    ids=[
        "doctype",
        "mismatched-tag",
        "truncated",
        "wrong-root",
        "no-namespace",
        "no-definition",
        "no-language",
        "no-archetype-id",
        "empty",
        "json",
    ],
)
def test_unusable_file_is_one_export_error(tmp_path: Path, text: str, expected: str) -> None:
    assert _error(_write(tmp_path, text)) == expected


def test_external_entity_is_refused_without_reading_the_target(tmp_path: Path) -> None:
    secret = _write(tmp_path, "opt-secret-91c2", "secret.txt")
    text = (
        HEAD
        + f'<!DOCTYPE template [<!ENTITY s SYSTEM "{secret.as_uri()}">]>\n'
        + OPEN
        + "  <concept>&s;</concept>\n</template>\n"
    )
    message = _error(_write(tmp_path, text))
    assert message == f"t.opt:2: {DOCTYPE_MESSAGE}"
    assert "opt-secret" not in message


def test_bad_occurrences_number_is_reported_with_its_line(tmp_path: Path) -> None:
    text = _minimal(
        "  <definition>\n"
        "    <attributes><rm_attribute_name>content</rm_attribute_name>\n"
        '      <children xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:type="C_COMPLEX_OBJECT"><rm_type_name>ELEMENT</rm_type_name>'
        "<node_id>at0001</node_id>\n"
        "        <occurrences><lower>one</lower></occurrences>\n"
        "      </children>\n    </attributes>\n"
        "    <archetype_id><value>openEHR-EHR-COMPOSITION.x.v1</value></archetype_id>\n"
        "  </definition>\n"
    )
    assert (
        _error(_write(tmp_path, text)) == "t.opt:8: occurrences lower 'one' is not a whole number"
    )


def test_display_path_is_used_in_messages(tmp_path: Path) -> None:
    path = _write(tmp_path, HEAD + "<template>\n</template>\n", "with space.opt")
    assert _error(path, "exports/with space.opt").startswith("exports/with space.opt:2: ")


def _element(node_id: str, body: str) -> str:
    return (
        '      <children xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        f' xsi:type="C_COMPLEX_OBJECT"><rm_type_name>ELEMENT</rm_type_name>'
        f"<node_id>{node_id}</node_id>{body}</children>\n"
    )


def test_internal_reference_is_resolved_and_repeated_code_noted(tmp_path: Path) -> None:
    value = (
        "<attributes><rm_attribute_name>value</rm_attribute_name>"
        '<children xsi:type="C_COMPLEX_OBJECT"><rm_type_name>DV_CODED_TEXT</rm_type_name>'
        "<attributes><rm_attribute_name>defining_code</rm_attribute_name>"
        '<children xsi:type="C_CODE_PHRASE"><terminology_id><value>local</value>'
        "</terminology_id><code_list>at0002</code_list><code_list>at0002</code_list>"
        "</children></attributes></children></attributes>"
    )
    text = _minimal(
        "  <definition>\n"
        "    <attributes><rm_attribute_name>content</rm_attribute_name>\n"
        + _element("at0001", value)
        + '      <children xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:type="ARCHETYPE_INTERNAL_REF"><rm_type_name>ELEMENT</rm_type_name>'
        "<node_id>at0001</node_id><target_path>/content[at0001]</target_path></children>\n"
        "    </attributes>\n"
        "    <archetype_id><value>openEHR-EHR-COMPOSITION.x.v1</value></archetype_id>\n"
        '    <term_definitions code="at0001"><items id="text">Colour</items></term_definitions>\n'
        '    <term_definitions code="at0002"><items id="text">Red</items></term_definitions>\n'
        '    <term_definitions code="at0000"><items id="text">Paint</items></term_definitions>\n'
        "  </definition>\n"
    )
    frag = read_opt(_write(tmp_path, text), "t.opt")
    assert frag.title == "Paint"  # no concept: the root's at0000 label
    key = "openEHR-EHR-COMPOSITION.x.v1/content[at0001]"
    # the reference uses the element again: a second occurrence of the same keyword
    assert [i.keyword for i in frag.templates[0].items] == [key, key]
    assert [k.id for k in frag.keywords] == [key]
    assert _codes(frag, key) == [("at0002", "Red")]
    # the repeated code is noted once, where it is defined; the reference adds no note
    assert [(n.kind, n.line, n.subject) for n in frag.notes] == [("duplicate_id", 7, key)]
    nowhere = read_opt(
        _write(
            tmp_path, text.replace("<target_path>/content[at0001]", "<target_path>/content[at0009]")
        ),
        "t.opt",
    )
    assert [i.keyword for i in nowhere.templates[0].items] == [key]
    assert [(n.kind, n.line, n.message) for n in nowhere.notes][1:] == [
        (
            "unsupported",
            8,
            "a reference to '/content[at0009]' (use_node) names no node of the archetype; "
            "it is not read",
        )
    ]
