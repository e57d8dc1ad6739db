"""ADL 1.4 archetypes: the real CKM and regional copies, a small hand-written archetype,
and malformed input that must give an ExportError with the right line."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from cosmicdiff.errors import ExportError
from cosmicdiff.model import Binding, Keyword, KeywordType, SlotRule, Template
from cosmicdiff.parsers.fragment import Fragment, InputNote
from cosmicdiff.parsers.openehr.adl import read_adl

REALDATA = Path(
    os.environ.get("COSMICDIFF_REALDATA")
    or Path(__file__).resolve().parents[3] / "shared" / "realdata"
)
SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "adl" / "small.adl"
SMALL_TEXT = SMALL.read_text(encoding="utf-8")
SMALL_ID = "openEHR-EHR-OBSERVATION.cosmicdiff_test.v1"
TREE = f"{SMALL_ID}/data[at0001]/events[at0002]/data[at0003]"

BP = "openEHR-EHR-OBSERVATION.blood_pressure.v2"
BP_CKM = "openEHR-CKM-mirror/openEHR-EHR-OBSERVATION.blood_pressure.v2.adl"
BP_HIGHMED = "highmed-ckm-mirror/openEHR-EHR-OBSERVATION.blood_pressure.v2.adl"
BP_STOCKHOLM = "regionstockholm-poc_tc2openEHR/openEHR-EHR-OBSERVATION.blood_pressure.v2.adl"
PD = "openEHR-EHR-EVALUATION.problem_diagnosis.v1"
PD_CKM = "openEHR-CKM-mirror/openEHR-EHR-EVALUATION.problem_diagnosis.v1.adl"
PD_STOCKHOLM = "regionstockholm-poc_tc2openEHR/openEHR-EHR-EVALUATION.problem_diagnosis.v1.adl"
PD_OSTERGOTLAND = "regionostergotland-CKM-mirror/openEHR-EHR-EVALUATION.problem_diagnosis.v1.adl"

BP_EVENT = f"{BP}/data[at0001]/events[at0006]/data[at0003]/items"
BP_STATE = f"{BP}/data[at0001]/events[at0006]/state[at0007]/items"
BP_PROTOCOL = f"{BP}/protocol[at0011]/items"
PD_ITEMS = f"{PD}/data[at0001]/items"


def line_of(text: str, needle: str) -> int:
    """Return the 1-based line of the first occurrence of ``needle`` in ``text``."""
    return text[: text.index(needle)].count("\n") + 1


def read_text(tmp_path: Path, text: str | bytes, lang: str = "sv") -> Fragment:
    path = tmp_path / "a.adl"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return read_adl(path, "a.adl", lang=lang)


def real(name: str, lang: str = "sv") -> Fragment:
    path = REALDATA / name
    if not path.is_file():
        pytest.skip(f"real data not available: {path}")
    return read_adl(path, name, lang=lang)


def keywords(frag: Fragment) -> dict[str, Keyword]:
    return {k.id: k for k in frag.keywords}


def items(template: Template) -> dict[str, tuple[bool, bool]]:
    return {i.keyword: (i.mandatory, i.repeatable) for _, i in template.walk()}


def values(frag: Fragment, key: str) -> list[tuple[str, str]]:
    vl = next(v for v in frag.value_lists if v.id == key)
    return [(v.code, v.display) for v in vl.values]


# ---------------------------------------------------------------------------- small archetype


def test_small_archetype_header_and_template() -> None:
    frag = read_adl(SMALL, "adl/small.adl")
    (template,) = frag.templates
    assert (frag.format, frag.title, frag.path) == (
        "openehr-adl",
        "Testobservation",
        "adl/small.adl",
    )
    assert (template.id, template.name, template.version) == (SMALL_ID, "Testobservation", "0.3.1")
    assert (template.note_type, template.cases, str(template.loc)) == (
        None,
        None,
        "adl/small.adl:2",
    )


def test_small_archetype_flattens_structures_and_keeps_clusters() -> None:
    frag = read_adl(SMALL, "small.adl")
    (template,) = frag.templates
    tree = [(len(ancestors), item.keyword, item.loc.line) for ancestors, item in template.walk()]
    first = [
        (0, f"{TREE}/items[at0004]", line_of(SMALL_TEXT, "ELEMENT[at0004]")),
        (0, f"{TREE}/items[at0005]", line_of(SMALL_TEXT, "CLUSTER[at0005]")),
        (1, f"{TREE}/items[at0005]/items[at0006]", line_of(SMALL_TEXT, "ELEMENT[at0006]")),
        (1, f"{TREE}/items[at0005]/items[at0007]", line_of(SMALL_TEXT, "ELEMENT[at0007]")),
        (0, f"{TREE}/items[at0008]", line_of(SMALL_TEXT, "ELEMENT[at0008]")),
        (0, f"{TREE}/items[at0009]", line_of(SMALL_TEXT, "ELEMENT[at0009]")),
        (0, f"{TREE}/items[at0013]", line_of(SMALL_TEXT, "ELEMENT[at0013]")),
        (0, f"{TREE}/items[at0014]", line_of(SMALL_TEXT, "ELEMENT[at0014]")),
        (0, f"{TREE}/items[at0015]", line_of(SMALL_TEXT, "allow_archetype CLUSTER[at0015]")),
        (0, f"{TREE}/items[at0016]", line_of(SMALL_TEXT, "ELEMENT[at0016]")),
    ]
    method = (
        0,
        f"{SMALL_ID}/protocol[at0018]/items[at0019]",
        line_of(SMALL_TEXT, "ELEMENT[at0019]"),
    )
    # use_node in event at0017 uses the tree of event at0002 again: the same items (the
    # same keywords) stand there a second time
    assert tree == [*first, *first, method]
    assert [k.id for k in frag.keywords] == [key for _, key, _ in [*first, method]]


def test_occurrences_forms_give_mandatory_and_repeatable() -> None:
    got = items(read_adl(SMALL, "small.adl").templates[0])
    assert got[f"{TREE}/items[at0004]"] == (True, False)  # no occurrences: ADL's {1..1}
    assert got[f"{TREE}/items[at0005]"] == (True, True)  # {1..3}
    assert got[f"{TREE}/items[at0005]/items[at0006]"] == (True, False)  # {1}
    assert got[f"{TREE}/items[at0005]/items[at0007]"] == (False, False)  # {0..1}
    assert got[f"{TREE}/items[at0009]"] == (False, True)  # {0..*}


def test_keyword_types_units_and_labels() -> None:
    kws = keywords(read_adl(SMALL, "small.adl"))
    got = {k.split("/")[-1]: (v.name, v.type, v.unit) for k, v in kws.items()}
    assert got == {
        "items[at0004]": ("Poäng", KeywordType.FIX_VALUE, None),  # ordinal list
        "items[at0005]": ("Grupp", KeywordType.OTHER, None),
        "items[at0006]": ("Kodad", KeywordType.CLINICAL_CODING, None),  # [ac0001]: no list
        "items[at0007]": ("När", KeywordType.DATE_TIME, None),
        "items[at0008]": ("Vikt", KeywordType.NUMERIC, "kg|[lb_av]"),
        "items[at0009]": ("Kod", KeywordType.TEXT, None),
        "items[at0013]": ("Tidsintervall", KeywordType.OTHER, None),  # DV_INTERVAL<…>
        "items[at0014]": ("Klar", KeywordType.BOOLEAN, None),
        "items[at0015]": ("Slot", KeywordType.OTHER, None),  # allow_archetype
        "items[at0016]": ("Kroppsställe", KeywordType.FIX_VALUE, None),
        "items[at0019]": ("Metod", KeywordType.FIX_VALUE, None),
    }
    assert kws[f"{TREE}/items[at0005]/items[at0006]"].value_list is None
    assert kws[f"{TREE}/items[at0008]"].description == "Kroppsvikt."


def test_ordinal_and_code_lists_become_value_lists() -> None:
    frag = read_adl(SMALL, "small.adl")
    score, site = f"{TREE}/items[at0004]", f"{TREE}/items[at0016]"
    method = f"{SMALL_ID}/protocol[at0018]/items[at0019]"
    assert [v.id for v in frag.value_lists] == [score, site, method]
    assert keywords(frag)[score].value_list == score
    # ordinal numbers (0, 1, -1) are dropped; the sv label of at0011 is missing: en is used
    assert values(frag, score) == [("at0010", "Ingen"), ("at0011", "Some"), ("at0012", "Negativ")]
    assert values(frag, site) == [
        ("SNOMED-CT::368209003", "368209003"),
        ("SNOMED-CT::368208006", "368208006"),
    ]
    # the code after ';' is the assumed value, not a third choice
    assert values(frag, method) == [("at0020", "Manuell"), ("at0021", "Maskin")]
    vl = next(v for v in frag.value_lists if v.id == score)
    assert (vl.name, vl.loc.line) == ("Poäng", line_of(SMALL_TEXT, "ELEMENT[at0004]"))
    assert [v.loc.line for v in vl.values] == [
        line_of(SMALL_TEXT, f"[local::{c}]") for c in ("at0010", "at0011", "at0012")
    ]


def test_term_bindings_by_code_by_path_and_unknown_terminology() -> None:
    frag = read_adl(SMALL, "small.adl")
    kws = keywords(frag)
    assert kws[f"{TREE}/items[at0004]"].bindings == (Binding(system="snomed-ct", code="1000001"),)
    # a binding keyed by the node's path, not its at-code
    assert kws[f"{TREE}/items[at0005]/items[at0007]"].bindings == (
        Binding(system="loinc", code="8480-6"),
    )
    assert kws[f"{SMALL_ID}/protocol[at0018]/items[at0019]"].bindings == (
        Binding(system="local:my-local-codes", code="M-1"),
    )
    score = next(v for v in frag.value_lists if v.id == f"{TREE}/items[at0004]")
    assert [v.bindings for v in score.values] == [
        (Binding(system="snomed-ct", code="1000002"),),
        (),
        (),
    ]
    assert frag.terms == []


def test_notes_for_a_missing_label_and_a_use_node() -> None:
    frag = read_adl(SMALL, "small.adl")
    assert frag.notes == [
        InputNote(
            kind="missing_translation",
            path="small.adl",
            line=line_of(SMALL_TEXT, "1|[local::at0011]"),
            message="no 'sv' label for at0011; using 'en'",
            subject=f"{TREE}/items[at0004]",
        ),
        InputNote(
            kind="missing_translation",
            path="small.adl",
            line=line_of(SMALL_TEXT, "-- Slot"),
            message="no 'sv' label for at0015; using 'en'",
            subject=f"{TREE}/items[at0015]",
        ),
    ]  # the use_node is resolved: no note


def test_slot_is_a_keyword_with_its_patterns() -> None:
    frag = read_adl(SMALL, "small.adl", lang="en")
    slot = keywords(frag)[f"{TREE}/items[at0015]"]
    assert (slot.name, slot.description, slot.type) == ("Slot", "A device.", KeywordType.OTHER)
    assert slot.slot == SlotRule(includes=(r"openEHR-EHR-CLUSTER\.device(-[a-z]+)*\.v1",))
    assert items(frag.templates[0])[slot.id] == (False, True)  # {0..*}


def test_use_node_to_no_node_or_to_its_own_ancestor_is_a_note(tmp_path: Path) -> None:
    ref = "use_node ITEM_TREE /data[at0001]/events[at0002]/data[at0003]"
    nowhere = read_text(tmp_path, SMALL_TEXT.replace(ref, ref.replace("at0003", "at0099")))
    assert [(n.kind, n.message) for n in nowhere.notes if n.kind == "unsupported"] == [
        (
            "unsupported",
            "a reference to '/data[at0001]/events[at0002]/data[at0099]' (use_node) names no "
            "node of the definition; it is not read",
        )
    ]
    assert len(list(nowhere.templates[0].walk())) == len(nowhere.keywords)  # no second use
    loop = read_text(tmp_path, SMALL_TEXT.replace(ref, "use_node HISTORY /data[at0001]"))
    (note,) = [n for n in loop.notes if n.kind == "unsupported"]
    assert note.message.endswith("(use_node) names a node that contains it; it is not read")
    assert note.line == line_of(SMALL_TEXT, "use_node")


def test_english_labels_need_no_fallback() -> None:
    frag = read_adl(SMALL, "small.adl", lang="en")
    assert frag.title == "Test observation"
    assert frag.notes == []
    assert keywords(frag)[f"{TREE}/items[at0004]"].description == "A score\non two lines."


def test_missing_language_falls_back_to_original_language_with_one_note() -> None:
    frag = read_adl(SMALL, "small.adl", lang="nb")
    assert frag.title == "Test observation"
    assert frag.notes[0] == InputNote(
        kind="missing_translation",
        path="small.adl",
        line=line_of(SMALL_TEXT, "term_definitions"),
        message="archetype has no 'nb' labels; using 'en'",
        subject=SMALL_ID,
    )
    assert [n.kind for n in frag.notes] == ["missing_translation"]


def test_string_escapes_and_multi_line_strings(tmp_path: Path) -> None:
    # ADL escapes only \" and \\; '\\\"' (as in the CKM's Korean text) is a backslash, a quote
    escaped = '<"Säg \\"hej\\" till C:\\\\temp\\\\ -- nu\nrad 2 \\\\\\"slut\\\\\\"">'
    text = SMALL_TEXT.replace('<"Kroppsvikt.">', escaped)
    kw = keywords(read_text(tmp_path, text))[f"{TREE}/items[at0008]"]
    assert kw.description == 'Säg "hej" till C:\\temp\\ -- nu\nrad 2 \\"slut\\"'


def test_lines_after_a_multi_line_string_are_right(tmp_path: Path) -> None:
    text = SMALL_TEXT.replace('<"2024-01-31">', '<"a\nb \\"c\\"\n\nd">')
    frag = read_text(tmp_path, text)
    assert line_of(text, "ELEMENT[at0008]") == line_of(SMALL_TEXT, "ELEMENT[at0008]") + 3
    assert keywords(frag)[f"{TREE}/items[at0008]"].loc.line == line_of(text, "ELEMENT[at0008]")


@pytest.mark.parametrize(
    ("bom", "newline"),
    [(b"\xef\xbb\xbf", b"\r\n"), (b"", b"\n"), (b"\xef\xbb\xbf", b"\n"), (b"", b"\r\n")],
    ids=["bom-crlf", "no-bom-lf", "bom-lf", "no-bom-crlf"],
)
def test_bom_and_line_endings_give_the_same_result(
    tmp_path: Path, bom: bytes, newline: bytes
) -> None:
    data = bom + SMALL_TEXT.encode("utf-8").replace(b"\n", newline)
    frag = read_text(tmp_path, data)
    ref = read_adl(SMALL, "a.adl")
    assert frag.templates == ref.templates and frag.keywords == ref.keywords
    assert frag.value_lists == ref.value_lists and frag.notes == ref.notes
    assert [k.loc.line for k in frag.keywords] == [k.loc.line for k in ref.keywords]
    multi = keywords(frag)[f"{TREE}/items[at0004]"].description
    assert multi == "En poäng."


def test_duplicate_node_keeps_the_first_with_a_note(tmp_path: Path) -> None:
    second = SMALL_TEXT.index("\t\t\t\t\t\t\t\t\tELEMENT[at0008]")
    text = (
        SMALL_TEXT[:second] + "\t\t\t\t\t\t\t\t\tELEMENT[at0004] occurrences matches {0..1} "
        "matches {\n\t\t\t\t\t\t\t\t\t\tvalue matches {DV_TEXT matches {*}}\n"
        "\t\t\t\t\t\t\t\t\t}\n" + SMALL_TEXT[second:]
    )
    frag = read_text(tmp_path, text)
    key = f"{TREE}/items[at0004]"
    assert [str(k.id) for k in frag.keywords].count(key) == 1
    assert keywords(frag)[key].type is KeywordType.FIX_VALUE  # the first definition
    dup = [n for n in frag.notes if n.kind == "duplicate_id"]
    assert dup == [
        InputNote(
            kind="duplicate_id",
            path="a.adl",
            line=line_of(text, "{DV_TEXT") - 1,
            message="node /data[at0001]/events[at0002]/data[at0003]/items"
            "[at0004] appears twice; the first is kept",
            subject=key,
        ),
    ]  # once: where use_node uses the tree again, the dropped node stays dropped
    # the tree is used twice (event at0017's use_node), the dropped node in neither
    assert sum(1 for _, i in frag.templates[0].walk() if i.keyword == key) == 2


ORDINAL_AS_DADL = """value matches {
											C_DV_ORDINAL <
												list = <
													["1"] = <
														value = <2>
														symbol = <
															defining_code = <[local::at0012]>
														>
													>
													["2"] = <
														value = <5>
														symbol = <
															defining_code = <[local::at0010]>
														>
													>
												>
											>
										}"""


def test_ordinal_written_as_dadl(tmp_path: Path) -> None:
    start = SMALL_TEXT.index("value matches {\n\t\t\t\t\t\t\t\t\t\t\t0|")
    end = SMALL_TEXT.index("}", start) + 1
    frag = read_text(tmp_path, SMALL_TEXT[:start] + ORDINAL_AS_DADL + SMALL_TEXT[end:])
    key = f"{TREE}/items[at0004]"
    assert keywords(frag)[key].type is KeywordType.FIX_VALUE
    assert values(frag, key) == [("at0012", "Negativ"), ("at0010", "Ingen")]


def test_quantity_in_cadl_form_and_specialised_archetype(tmp_path: Path) -> None:
    text = SMALL_TEXT.replace(
        "\topenEHR-EHR-OBSERVATION.cosmicdiff_test.v1\n",
        "\topenEHR-EHR-OBSERVATION.cosmicdiff_test-child.v1\nspecialise\n"
        "\topenEHR-EHR-OBSERVATION.cosmicdiff_test.v1\n",
    ).replace("DV_BOOLEAN matches {\n", 'DV_QUANTITY matches {\n units matches {"cm"}\n')
    frag = read_text(tmp_path, text)
    assert frag.templates[0].id == "openEHR-EHR-OBSERVATION.cosmicdiff_test-child.v1"
    kw = keywords(frag)[
        f"{frag.templates[0].id}/data[at0001]/events[at0002]/data[at0003]/items[at0014]"
    ]
    assert (kw.type, kw.unit) == (KeywordType.NUMERIC, "cm")


def test_no_revision_gives_no_version(tmp_path: Path) -> None:
    text = SMALL_TEXT.replace('\t\t["revision"] = <"0.3.1">\n', "")
    assert read_text(tmp_path, text).templates[0].version is None


# ---------------------------------------------------------------------------- malformed input


def _cut(after: str) -> str:
    return SMALL_TEXT[: SMALL_TEXT.index(after) + len(after)]


def _without_line(containing: str, occurrence: int = 0) -> str:
    lines = SMALL_TEXT.split("\n")
    hits = [n for n, t in enumerate(lines) if containing in t]
    del lines[hits[occurrence]]
    return "\n".join(lines)


MALFORMED = [
    ("empty", "", 1, "file is empty; expected an ADL 1.4 archetype"),
    (
        "json",
        '{"resourceType": "ValueSet"}\n',
        1,
        "not an ADL archetype: the file must start with 'archetype'",
    ),
    (
        "adl2",
        "archetype (adl_version=2.0.6; rm_release=1.0.2)\n\topenEHR-EHR-OBSERVATION.x.v1\n",
        1,
        "this is an ADL 2.0 archetype; cosmicdiff reads ADL 1.4 (export it as ADL 1.4 or as "
        "an OPT)",
    ),
    (
        "adl2-template",
        "\n\ntemplate (adl_version=2.0.6)\n",
        3,
        "this is an ADL 2 template; cosmicdiff reads ADL 1.4 archetypes",
    ),
    (
        "bad-archetype-id",
        "archetype\n\tblood_pressure\nconcept\n\t[at0000]\n",
        2,
        "expected an archetype id such as openEHR-EHR-OBSERVATION.name.v1, found 'blood_pressure'",
    ),
    (
        "unclosed-string",
        _cut("second line"),
        line_of(SMALL_TEXT, "First line"),
        "string is not closed: no matching '\"' before the end of the file",
    ),
    (
        "truncated-definition",
        _cut("-- Weight\n"),
        line_of(SMALL_TEXT, "ELEMENT[at0008]"),
        "'{' opened on this line is never closed with '}'",
    ),
    (
        "missing-close-brace",
        _without_line("\t\t\t\t\t\t\t\t\t}", 0),
        line_of(SMALL_TEXT, "CLUSTER[at0005]") - 1,
        "expected an attribute name, found 'CLUSTER'",
    ),
    (
        "bad-occurrences",
        SMALL_TEXT.replace("{1..3}", "{1..x}"),
        line_of(SMALL_TEXT, "{1..3}"),
        "expected a whole number in an interval such as {0..1}, found 'x'",
    ),
    (
        "duplicate-dadl-key",
        SMALL_TEXT.replace('["at0009"] = <text = <"Kod">', '["at0008"] = <text = <"Kod">'),
        line_of(SMALL_TEXT, '["at0009"] = <text = <"Kod">'),
        "'at0008' is given twice in one block (first on line "
        + str(line_of(SMALL_TEXT, '["at0008"] = <text = <"Vikt">'))
        + ")",
    ),
    (
        "unclosed-regex",
        SMALL_TEXT.replace("{/^[A-Z]\\/[0-9]{2}$/}", "{/^[A-Z]\\/[0-9]{2}$}"),
        line_of(SMALL_TEXT, "{/^[A-Z]"),
        "regular expression opened with / is not closed on the same line",
    ),
    (
        "stray-character",
        SMALL_TEXT.replace("-- Weight", "§ Weight"),
        line_of(SMALL_TEXT, "-- Weight"),
        "unexpected character '§' (U+00A7) outside a string",
    ),
    (
        "value-missing-brace",
        SMALL_TEXT.replace("value matches {PT24H}", "value matches {PT24H"),
        line_of(SMALL_TEXT, "ELEMENT[at0014]"),
        "expected an attribute name, found 'ELEMENT'",
    ),
    (
        "attribute-in-value",
        SMALL_TEXT.replace("{True}", "{True value matches {False}}"),
        line_of(SMALL_TEXT, "{True}"),
        "unexpected 'matches' in a value constraint; is a '}' missing?",
    ),
    (
        "no-ontology",
        _cut("exists /data[at0001]/events[at0002]\n"),
        line_of(SMALL_TEXT, "exists /data") + 1,
        "expected 'ontology', found the end of the file",
    ),
    (
        "no-term-definitions",
        _cut('terminologies_available = <"SNOMED-CT", "LOINC", ...>\n'),
        line_of(SMALL_TEXT, "ontology"),
        "the ontology has no term_definitions, so nothing has a label",
    ),
    (
        "use-archetype",
        SMALL_TEXT.replace("allow_archetype CLUSTER[at0015]", "use_archetype CLUSTER[at0015]"),
        line_of(SMALL_TEXT, "allow_archetype"),
        "'use_archetype' is ADL 2; cosmicdiff reads ADL 1.4 archetypes",
    ),
    (
        "unclosed-dadl",
        _cut('["at0021"] = <text = <"Maskin"> description = <"Med maskin.">>\n'),
        line_of(SMALL_TEXT, '\t\t["sv"] = <\n\t\t\titems') + 1,
        "'<' opened on this line is never closed with '>'",
    ),
    (
        "code-list-not-closed",
        SMALL_TEXT.replace("368208006]", "368208006"),
        line_of(SMALL_TEXT, "368208006]") + 1,
        "expected ']' to close the '[' on line "
        + str(line_of(SMALL_TEXT, "[SNOMED-CT::"))
        + ", found '}'",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_input_names_the_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    with pytest.raises(ExportError) as info:
        read_text(tmp_path, text)
    assert str(info.value) == f"a.adl:{line}: {message}"
    assert info.value.line == line


def test_every_truncation_or_deleted_character_is_an_export_error(tmp_path: Path) -> None:
    refused = 0
    for cut in range(0, len(SMALL_TEXT), 41):
        for text in (SMALL_TEXT[:cut], SMALL_TEXT[:cut] + SMALL_TEXT[cut + 1 :]):
            try:
                read_text(tmp_path, text)
            except ExportError as exc:  # any other exception fails the test
                assert exc.line is not None and 1 <= exc.line <= text.count("\n") + 1
                refused += 1
    assert refused > len(SMALL_TEXT) // 41  # most of them are refused, not read


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    data = SMALL_TEXT.encode("utf-8").replace("Poäng".encode(), "Poäng".encode("cp1252"))
    with pytest.raises(ExportError) as info:
        read_text(tmp_path, data)
    assert str(info.value) == (
        f"a.adl:{line_of(SMALL_TEXT, 'Poäng')}: file is not UTF-8 text; ADL files are UTF-8"
    )


def test_a_missing_file_is_an_export_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError) as info:
        read_adl(tmp_path / "none.adl", "none.adl")
    assert str(info.value).startswith("none.adl: cannot read file: ")


def test_deep_nesting_is_an_export_error_not_a_recursion_error(tmp_path: Path) -> None:
    depth = 2000
    body = "CLUSTER[at0001] matches { items matches { " * depth + "} } " * depth
    text = (
        "archetype\n\topenEHR-EHR-CLUSTER.deep.v1\nconcept\n\t[at0000]\ndefinition\n\t"
        + body
        + "\nontology\n\tterm_definitions = <>\n"
    )
    with pytest.raises(ExportError) as info:
        read_text(tmp_path, text)
    assert str(info.value) == "a.adl:6: nesting deeper than 100 levels is not allowed"


# ---------------------------------------------------------------------------- real archetypes

REAL = [
    # keywords: elements and clusters, plus the 4 slots (allow_archetype) of each file; items:
    # in blood_pressure also the 11 nodes that the two use_node references of event at1042
    # (24-hour average) use again from event at0006 (6 data elements, 5 state nodes with the
    # slot at1030)
    (BP_CKM, BP, "2.0.16", 21, 32, 6),
    (BP_HIGHMED, BP, "2.0.14", 21, 32, 6),
    (BP_STOCKHOLM, BP, "2.0.11", 21, 32, 6),
    (PD_CKM, PD, "1.7.4", 18, 18, 2),
    (PD_STOCKHOLM, PD, "1.4.2", 17, 17, 2),
    (PD_OSTERGOTLAND, PD, "1.0.7", 15, 15, 2),
]


@pytest.mark.parametrize(
    ("name", "archetype_id", "revision", "n_keywords", "n_items", "n_lists"),
    REAL,
    ids=["bp-ckm", "bp-highmed", "bp-stockholm", "pd-ckm", "pd-stockholm", "pd-ostergotland"],
)
def test_real_archetype_reads(
    name: str, archetype_id: str, revision: str, n_keywords: int, n_items: int, n_lists: int
) -> None:
    frag = real(name)
    (template,) = frag.templates
    assert (template.id, template.version) == (archetype_id, revision)
    assert (len(frag.keywords), sum(1 for _ in template.walk())) == (n_keywords, n_items)
    assert len(frag.value_lists) == n_lists
    assert frag.title == ("Blodtryck" if archetype_id == BP else "Problem/Diagnos")
    assert all(k.id.startswith(archetype_id + "/") for k in frag.keywords)
    # no sv label is missing in these files, and both use_node references are resolved
    assert frag.notes == []
    assert sum(1 for k in frag.keywords if k.slot is not None) == 4


BP_AVERAGE = f"{BP}/data[at0001]/events[at1042]"
TILLAGG, EXTRA = "Tilläggsinformation", "Extra information"


def test_blood_pressure_use_node_uses_the_event_again() -> None:
    frag = real(BP_CKM)
    assert not any(k.id.startswith(BP_AVERAGE) for k in frag.keywords)  # no keys of its own
    walked = [i.keyword for _, i in frag.templates[0].walk()]
    # event at1042 (24-hour average, lines 606 and 609) uses data and state of event at0006
    twice = [k for k in dict.fromkeys(walked) if walked.count(k) == 2]
    assert [k.rsplit("/", 2)[1] + "/" + k.rsplit("/", 1)[1] for k in twice] == [
        *(f"data[at0003]/items[{c}]" for c in ("at0004", "at0005", "at1006", "at1007")),
        "data[at0003]/items[at1059]",
        "data[at0003]/items[at0033]",
        *(f"state[at0007]/items[{c}]" for c in ("at0008", "at1052", "at1030", "at1043")),
        "state[at0007]/items[at1005]",
    ]


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        (BP_CKM, ("Ansträngning", "Strukturerat mätställe", "Utrustning", TILLAGG)),
        (BP_HIGHMED, ("Ansträngning", "Strukturerad mätplats", "Utrustning", TILLAGG)),
        (BP_STOCKHOLM, ("Ansträngning", "Strukturerad mätplats", "Utrustning", EXTRA)),
    ],
    ids=["ckm-2.0.16", "highmed-2.0.14", "stockholm-2.0.11"],
)
def test_blood_pressure_slots_with_labels_and_patterns(name: str, labels: tuple[str, ...]) -> None:
    kws = keywords(real(name))
    keys = (
        f"{BP_STATE}[at1030]",
        f"{BP_PROTOCOL}[at1057]",
        f"{BP_PROTOCOL}[at1025]",
        f"{BP_PROTOCOL}[at1058]",
    )
    assert tuple(kws[k].name for k in keys) == labels
    assert [kws[k].slot for k in keys] == [
        SlotRule(includes=(r"openEHR-EHR-CLUSTER\.level_of_exertion(-[a-zA-Z0-9_]+)*\.v1",)),
        SlotRule(includes=(r"openEHR-EHR-CLUSTER\.anatomical_location(-[a-zA-Z0-9_]+)*\.v1",)),
        SlotRule(includes=(r"openEHR-EHR-CLUSTER\.device(-[a-zA-Z0-9_]+)*\.v1",)),
        SlotRule(includes=(".*",)),
    ]


def test_blood_pressure_systolic() -> None:
    frag = real(BP_CKM)
    kw = keywords(frag)[f"{BP_EVENT}[at0004]"]
    assert (kw.name, kw.type, kw.unit) == ("Systoliskt", KeywordType.NUMERIC, "mm[Hg]")
    assert kw.bindings == (Binding(system="snomed-ct", code="271649006"),)
    assert kw.loc.line == 468
    assert items(frag.templates[0])[f"{BP_EVENT}[at0004]"] == (False, False)
    assert keywords(frag)[f"{BP_STATE}[at1005]"].unit == "deg"  # tilt


def test_blood_pressure_bindings_and_english_labels() -> None:
    kws = keywords(real(BP_CKM, lang="en"))
    bound = {k.split("/")[-1]: k_.bindings for k, k_ in kws.items() if k_.bindings}
    assert bound == {
        "items[at0004]": (Binding(system="snomed-ct", code="271649006"),),
        "items[at0005]": (Binding(system="snomed-ct", code="271650006"),),
        "items[at0013]": (Binding(system="snomed-ct", code="246153002"),),
    }
    assert kws[f"{BP_PROTOCOL}[at0013]"].name == "Cuff size"
    assert kws[f"{BP_PROTOCOL}[at0014]"].type is KeywordType.FIX_VALUE  # coded text or text


CUFF_SV = [
    ("at0015", "Vuxet lår"),
    ("at0016", "Stor vuxen"),
    ("at0017", "Vuxen"),
    ("at1008", "Liten Vuxen"),
    ("at1009", "Pediatrisk/Barn"),
    ("at1018", "Spädbarn"),
    ("at1019", "Nyfödd"),
]
CUFF_NB = [
    ("at0015", "Lår voksne"),
    ("at0016", "Store voksne"),
    ("at0017", "Voksne"),
    ("at1008", "Små voksne"),
    ("at1009", "Barn"),
    ("at1018", "Spedbarn"),
    ("at1019", "Neonatale"),
]


@pytest.mark.parametrize(
    ("lang", "name", "expected"),
    [
        ("sv", "Manschettstorlek", CUFF_SV),
        ("nb", "Mansjettstørrelse", CUFF_NB),
    ],
    ids=["sv", "nb"],
)
def test_blood_pressure_cuff_size_value_list(
    lang: str, name: str, expected: list[tuple[str, str]]
) -> None:
    frag = real(BP_CKM, lang=lang)
    key = f"{BP_PROTOCOL}[at0013]"
    vl = next(v for v in frag.value_lists if v.id == key)
    assert (vl.name, keywords(frag)[key].value_list) == (name, key)
    assert [(v.code, v.display) for v in vl.values] == expected
    assert frag.notes == [n for n in frag.notes if n.kind == "unsupported"]


def test_blood_pressure_value_lists_in_order() -> None:
    frag = real(BP_CKM)
    assert [v.id.rsplit("/", 1)[1] for v in frag.value_lists] == [
        "items[at0008]",
        "items[at1043]",
        "items[at0013]",
        "items[at0014]",
        "items[at1035]",
        "items[at1010]",
    ]
    assert values(frag, f"{BP_STATE}[at1043]") == [
        ("at1044", "Alert och vaken"),
        ("at1045", "Sover"),
    ]
    assert values(frag, f"{BP_PROTOCOL}[at1010]") == [("at1011", "Fas IV"), ("at1012", "Fas V")]


@pytest.mark.parametrize(
    ("name", "location", "sleep", "ankle"),
    [
        (BP_CKM, "Mätställe", "Sömnstatus", "Höger ankel"),
        (BP_HIGHMED, "Mätplats", "Sömnstatus", "Höger ankel"),
        (BP_STOCKHOLM, "Mätplats", "Vakenhet", "Höger vrist"),
    ],
    ids=["ckm-2.0.16", "highmed-2.0.14", "stockholm-2.0.11"],
)
def test_blood_pressure_swedish_labels_differ_between_copies(
    name: str, location: str, sleep: str, ankle: str
) -> None:
    frag = real(name)
    kws = keywords(frag)
    assert kws[f"{BP_PROTOCOL}[at0014]"].name == location
    assert kws[f"{BP_STATE}[at1043]"].name == sleep
    assert dict(values(frag, f"{BP_PROTOCOL}[at0014]"))["at1026"] == ankle


def test_blood_pressure_copies_share_structure_and_english_labels() -> None:
    ckm, stockholm = real(BP_CKM, lang="en"), real(BP_STOCKHOLM, lang="en")
    assert items(ckm.templates[0]) == items(stockholm.templates[0])
    assert [(k.id, k.name, k.type, k.unit, k.bindings) for k in ckm.keywords] == [
        (k.id, k.name, k.type, k.unit, k.bindings) for k in stockholm.keywords
    ]


def test_problem_diagnosis_nodes_missing_in_regional_copies() -> None:
    ckm = set(items(real(PD_CKM).templates[0]))
    stockholm = set(items(real(PD_STOCKHOLM).templates[0]))
    ostergotland = set(items(real(PD_OSTERGOTLAND).templates[0]))
    assert ckm - stockholm == {f"{PD_ITEMS}[at0080]"}  # Impact / Påverkan
    assert ckm - ostergotland == {
        f"{PD_ITEMS}[at0078]",
        f"{PD_ITEMS}[at0079]",
        f"{PD_ITEMS}[at0080]",
    }
    assert stockholm | ostergotland <= ckm


def test_problem_diagnosis_name_is_mandatory_without_occurrences() -> None:
    frag = real(PD_CKM)
    got = items(frag.templates[0])
    assert got[f"{PD_ITEMS}[at0002]"] == (True, False)
    assert got[f"{PD_ITEMS}[at0012]"] == (False, True)  # body site {0..*}
    kw = keywords(frag)[f"{PD_ITEMS}[at0002]"]
    assert (kw.name, kw.type, kw.loc.line) == (
        "Benämning på problem/diagnos",
        KeywordType.TEXT,
        791,
    )


@pytest.mark.parametrize(
    ("name", "severity", "mild", "moderate"),
    [
        (PD_CKM, "Allvarlighetsgrad", "Lindrig", "Måttlig"),
        (PD_STOCKHOLM, "Svårighetsgrad", "Lindrig", "Måttlig"),
        (PD_OSTERGOTLAND, "Svårighetsgrad", "Mild", "Medel"),
    ],
    ids=["ckm", "stockholm", "ostergotland"],
)
def test_problem_diagnosis_severity_labels(
    name: str, severity: str, mild: str, moderate: str
) -> None:
    frag = real(name)
    key = f"{PD_ITEMS}[at0005]"
    assert keywords(frag)[key].name == severity
    assert values(frag, key) == [("at0047", mild), ("at0048", moderate), ("at0049", "Svår")]


@pytest.mark.parametrize(
    ("name", "lang", "missing"),
    [
        (PD_CKM, "fi", False),
        (PD_OSTERGOTLAND, "fi", True),
        (PD_CKM, "fr", False),
        (PD_STOCKHOLM, "fr", True),
        (BP_CKM, "it", True),
    ],
    ids=["ckm-fi", "ostergotland-fi", "ckm-fr", "stockholm-fr", "bp-it"],
)
def test_languages_present_or_missing(name: str, lang: str, missing: bool) -> None:
    frag = real(name, lang=lang)
    notes = [n for n in frag.notes if n.kind == "missing_translation"]
    if missing:
        assert [(n.message, n.subject) for n in notes] == [
            (f"archetype has no '{lang}' labels; using 'en'", frag.templates[0].id)
        ]
        assert frag.title == ("Blood pressure" if "blood" in name else "Problem/Diagnosis")
    else:
        assert notes == []
        assert frag.title not in ("Blood pressure", "Problem/Diagnosis")


def test_largest_real_file_parses_well_under_a_second() -> None:
    paths = sorted(REALDATA.glob("*/openEHR-*.adl"), key=lambda p: p.stat().st_size)
    if not paths:
        pytest.skip(f"real data not available: {REALDATA}")
    largest = paths[-1]
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        read_adl(largest, largest.name)
        best = min(best, time.perf_counter() - start)
    assert best < 1.0, f"{largest.name} took {best:.2f} s"
