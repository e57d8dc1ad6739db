"""The XML export reader: a valid file's model, and one exact message per defect."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from cosmicdiff.errors import ExportError, InputErrors
from cosmicdiff.model import (
    Binding,
    Export,
    Item,
    Keyword,
    KeywordType,
    Status,
    Template,
    Term,
    Value,
    ValueList,
)
from cosmicdiff.parsers.cosmic.xml_export import read_xml_export
from parsers.helpers import (
    BROKEN,
    FIXTURES,
    REGIONS,
    keywords_doc,
    load,
    load_error,
    write,
    xml_doc,
)

# --- a valid file ----------------------------------------------------------------------


def _expected_all_fields() -> Export:
    return Export(
        region="allfields",
        cosmic_version="R8.1",
        exported="2026-10-01T08:00:00+02:00",
        source="xml-all-fields",
        terms={
            "icd-10-se:F32.1": Term(
                system="icd-10-se",
                code="F32.1",
                status=Status.ACTIVE,
                displays={"sv": "Medelsvår depressiv episod", "en": "Moderate depressive episode"},
            ),
            "local:jonkoping:LOK-7": Term(
                system="local:jonkoping",
                code="LOK-7",
                status=Status.RETIRED,
                displays={"sv": "Lokal term utan språk"},
            ),
        },
        value_lists={
            "VL-1001": ValueList(
                id="VL-1001",
                name="Suicidrisk",
                values=(
                    Value(code="1", display="Låg risk"),
                    Value(code="2", display="Måttlig risk"),
                    Value(
                        code="3",
                        display="Hög risk",
                        bindings=(
                            Binding(system="snomed-ct", code="1000001"),
                            Binding(system="local:jonkoping", code="HR"),
                        ),
                    ),
                ),
            ),
            "VL-1002": ValueList(id="VL-1002", name=""),
        },
        keywords={
            "SO-10234": Keyword(
                id="SO-10234",
                name="Aktuellt",
                type=KeywordType.TEXT,
                bindings=(Binding(system="snomed-ct", code="1000002"),),
                description="Aktuell problematik och kontaktorsak",
            ),
            "SO-20881": Keyword(
                id="SO-20881",
                name="Suicidriskbedömning",
                type=KeywordType.FIX_VALUE,
                value_list="VL-1001",
            ),
            "SO-33012": Keyword(
                id="SO-33012", name="Systoliskt blodtryck", type=KeywordType.NUMERIC, unit="mm[Hg]"
            ),
            "SO-40001": Keyword(
                id="SO-40001",
                name="Tidiga hypoteser",
                type=KeywordType.TEXT,
                hidden_from_1177=True,
                status=Status.INACTIVE,
            ),
            "SO-50000": Keyword(
                id="SO-50000",
                name="Gammal rubrik",
                type=KeywordType.OTHER,
                hidden_from_1177=False,
                status=Status.RETIRED,
            ),
        },
        templates={
            "JM-PSY-001": Template(
                id="JM-PSY-001",
                name="Psykiatrisk bedömning",
                version="3",
                note_type="utr",
                cases=("psychiatry", "drugs"),
                status=Status.ACTIVE,
                items=(
                    Item(keyword="SO-10234", mandatory=True),
                    Item(
                        keyword="SO-40001",
                        children=(
                            Item(keyword="SO-20881", mandatory=True, repeatable=False),
                            Item(keyword="SO-33012", repeatable=True),
                        ),
                    ),
                ),
            ),
            "JM-TOM-002": Template(
                id="JM-TOM-002", name="Tom mall", cases=(), status=Status.RETIRED
            ),
        },
    )


def test_valid_xml_reads_into_the_expected_model() -> None:
    export = load(REGIONS / "xml-all-fields", REGIONS)
    assert export == _expected_all_fields()
    assert export.files == ("xml-all-fields/export.xml",)
    assert list(export.keywords) == ["SO-10234", "SO-20881", "SO-33012", "SO-40001", "SO-50000"]


def test_valid_xml_records_carry_file_and_line() -> None:
    export = load(REGIONS / "xml-all-fields", REGIONS)
    lines = {
        **{k: str(t.loc) for k, t in export.terms.items()},
        **{k: str(v.loc) for k, v in export.value_lists.items()},
        **{f"VL-1001#{v.code}": str(v.loc) for v in export.value_lists["VL-1001"].values},
        **{k: str(kw.loc) for k, kw in export.keywords.items()},
        **{k: str(t.loc) for k, t in export.templates.items()},
        **{f"item {i.keyword}": str(i.loc) for _, i in export.templates["JM-PSY-001"].walk()},
    }
    f = "xml-all-fields/export.xml"
    assert lines == {
        "icd-10-se:F32.1": f"{f}:4",
        "local:jonkoping:LOK-7": f"{f}:8",
        "VL-1001": f"{f}:13",
        "VL-1001#1": f"{f}:14",
        "VL-1001#2": f"{f}:15",
        "VL-1001#3": f"{f}:16",
        "VL-1002": f"{f}:21",
        "SO-10234": f"{f}:24",
        "SO-20881": f"{f}:28",
        "SO-33012": f"{f}:29",
        "SO-40001": f"{f}:30",
        "SO-50000": f"{f}:31",
        "JM-PSY-001": f"{f}:34",
        "JM-TOM-002": f"{f}:41",
        "item SO-10234": f"{f}:35",
        "item SO-40001": f"{f}:36",
        "item SO-20881": f"{f}:37",
        "item SO-33012": f"{f}:38",
    }


def test_xml_file_without_region_attribute_takes_the_file_stem(tmp_path: Path) -> None:
    text = keywords_doc('<keyword id="K1" name="Aktuellt" type="Text"/>').replace(' region="r"', "")
    export = load(write(tmp_path, "norrbotten.xml", text), tmp_path)
    assert (export.region, export.source, export.files) == (
        "norrbotten",
        "norrbotten.xml",
        ("norrbotten.xml",),
    )


def test_multi_line_start_tag_is_located_at_its_first_line(tmp_path: Path) -> None:
    text = xml_doc(
        "  <keywords>\n"
        '    <keyword id="K1" name="Aktuellt" type="Text"/>\n'
        "  </keywords>\n"
        "  <templates>\n"
        '    <template id="JM-1" name="Psykiatrisk bedömning" version="3"\n'
        '              noteType="utr" cases="psychiatry">\n'
        '      <item keyword="K1"/>\n'
        "    </template>\n"
        "  </templates>\n"
    )
    export = load(write(tmp_path, "multi.xml", text), tmp_path)
    assert str(export.templates["JM-1"].loc) == "multi.xml:7"


# --- encodings and Unicode ---------------------------------------------------------------


def test_iso_8859_1_declared_in_the_xml_declaration_is_honoured() -> None:
    raw = (REGIONS / "xml-latin1" / "export.xml").read_bytes()
    assert b'encoding="ISO-8859-1"' in raw and b"Bed\xf6mning av \xe5tg\xe4rd" in raw
    kw = load(REGIONS / "xml-latin1", REGIONS).keywords["SO-1"]
    assert (kw.name, kw.description) == ("Bedömning av åtgärd", "ÅÄÖ åäö é")


@pytest.mark.parametrize("form", ["NFC", "NFD"], ids=["nfc-as-written", "nfd-as-written"])
def test_names_keep_their_unicode_normal_form(tmp_path: Path, form: str) -> None:
    name = unicodedata.normalize(form, "Bedömning – åtgärd")
    path = write(tmp_path, "e.xml", keywords_doc(f'<keyword id="K1" name="{name}" type="Text"/>'))
    got = load(path, tmp_path).keywords["K1"].name
    assert got == name
    assert len(got) == (18 if form == "NFC" else 21)


def test_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bom.xml",
        b"\xef\xbb\xbf"
        + keywords_doc('<keyword id="K1" name="Åtgärd" type="Text"/>').encode("utf-8"),
    )
    assert load(path, tmp_path).keywords["K1"].name == "Åtgärd"


# --- attribute values --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("true", True), ("false", False), ("1", True), ("0", False), (" true ", True)],
    ids=["true", "false", "one", "zero", "padded"],
)
def test_boolean_attributes(tmp_path: Path, raw: str, expected: bool) -> None:
    text = xml_doc(
        '  <keywords>\n    <keyword id="K1" name="a" type="Text" hiddenFrom1177="'
        + raw
        + '"/>\n  </keywords>\n  <templates>\n    <template id="T" name="t">\n'
        '      <item keyword="K1" mandatory="' + raw + '" repeatable="' + raw + '"/>\n'
        "    </template>\n  </templates>\n"
    )
    export = load(write(tmp_path, "b.xml", text), tmp_path)
    item = export.templates["T"].items[0]
    assert (export.keywords["K1"].hidden_from_1177, item.mandatory, item.repeatable) == (
        expected,
        expected,
        expected,
    )


@pytest.mark.parametrize("ktype", list(KeywordType), ids=[t.value for t in KeywordType])
def test_every_keyword_type_is_read(tmp_path: Path, ktype: KeywordType) -> None:
    path = write(
        tmp_path, "t.xml", keywords_doc(f'<keyword id="K1" name="a" type="{ktype.value}"/>')
    )
    assert load(path, tmp_path).keywords["K1"].type is ktype


# --- one defect per file -----------------------------------------------------------------

_NOT_EXPORT = 'expected <cosmicExport xmlns="urn:cosmicdiff:export:1">'

BROKEN_XML = [
    (
        "malformed-mismatched-tag.xml",
        [
            "broken/malformed-mismatched-tag.xml:5: malformed XML: Opening and ending tag "
            "mismatch: "
            "keyword line 4 and keywords"
        ],
    ),
    (
        "malformed-truncated.xml",
        [
            "broken/malformed-truncated.xml:5: malformed XML: Premature end of data in tag "
            "keywords "
            "line 3"
        ],
    ),
    (
        "malformed-ampersand.xml",
        ["broken/malformed-ampersand.xml:4: malformed XML: xmlParseEntityRef: no name"],
    ),
    pytest.param(
        "undefined-entity.xml",
        ["broken/undefined-entity.xml:5: malformed XML: Entity 'nbsp' not defined"],
        id="undefined-entity",
    ),
    (
        "wrong-root.xml",
        [
            "broken/wrong-root.xml:2: not a cosmicdiff export: root element is <export> in "
            "namespace "
            f"'urn:cosmicdiff:export:1'; {_NOT_EXPORT}"
        ],
    ),
    (
        "wrong-namespace.xml",
        [
            "broken/wrong-namespace.xml:2: not a cosmicdiff export: root element is "
            "<cosmicExport> in "
            f"namespace 'urn:cosmicdiff:export:2'; {_NOT_EXPORT}"
        ],
    ),
    (
        "no-namespace.xml",
        [
            "broken/no-namespace.xml:2: not a cosmicdiff export: root element is <cosmicExport> "
            f"without namespace; {_NOT_EXPORT}"
        ],
    ),
    ("empty.xml", ["broken/empty.xml: file is empty; expected an XML document"]),
    pytest.param(
        "whitespace-only.xml",
        ["broken/whitespace-only.xml: file is empty; expected an XML document"],
        id="whitespace-only",
    ),
    (
        "binary-junk.xml",
        ["broken/binary-junk.xml:1: malformed XML: not an XML document (no start tag found)"],
    ),
    pytest.param(
        "binary-lt-nul.xml",
        [
            "broken/binary-lt-nul.xml:1: malformed XML: binary data or an unsupported encoding "
            "(a NUL byte at the start); expected UTF-8 text"
        ],
        id="binary-lt-nul",
    ),
    (
        "unknown-attribute.xml",
        ["broken/unknown-attribute.xml:4: unknown attribute 'colour' on <keyword>"],
    ),
    (
        "unknown-child-element.xml",
        ["broken/unknown-child-element.xml:5: unexpected element <note> in <keyword>"],
    ),
    (
        "unexpected-element-in-root.xml",
        [
            "broken/unexpected-element-in-root.xml:3: unexpected element <settings> in "
            "<cosmicExport>"
        ],
    ),
    (
        "unexpected-element-in-section.xml",
        ["broken/unexpected-element-in-section.xml:5: unexpected element <comment> in <keywords>"],
    ),
    (
        "record-in-wrong-section.xml",
        [
            "broken/record-in-wrong-section.xml:4: <template> must stand in <templates>, not in "
            "<keywords>"
        ],
    ),
    (
        "unknown-keyword-type.xml",
        ["broken/unknown-keyword-type.xml:4: unknown keyword type 'Fritext'"],
    ),
    (
        "bad-boolean.xml",
        [
            "broken/bad-boolean.xml:4: hiddenFrom1177='ja' is not a boolean; "
            "use true or false (or 1 or 0)"
        ],
    ),
    (
        "unknown-status.xml",
        ["broken/unknown-status.xml:4: unknown status 'aktiv'; use active, inactive or retired"],
    ),
    (
        "missing-name.xml",
        ["broken/missing-name.xml:4: <keyword> needs a non-empty 'name' attribute"],
    ),
    (
        "duplicate-id.xml",
        [
            "broken/duplicate-id.xml:5: keyword 'K1' is defined twice (first at "
            "broken/duplicate-id.xml:4)"
        ],
    ),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    BROKEN_XML,
    ids=[p.id if hasattr(p, "id") else p[0].removesuffix(".xml") for p in BROKEN_XML],
)
def test_broken_xml_is_refused_with_file_and_line(name: str, expected: list[str]) -> None:
    assert load_error(BROKEN / name, FIXTURES).lines() == expected


def test_binary_junk_with_ucs4_signature_is_malformed_xml() -> None:
    # 00 00 00 3C is how libxml2 recognises UCS-4 text; these bytes are junk, not UCS-4.
    err = load_error(BROKEN / "binary-ucs4-signature.xml", FIXTURES)
    assert (err.problems[0].path, err.problems[0].line) == ("broken/binary-ucs4-signature.xml", 1)
    assert err.problems[0].message.startswith("malformed XML: ")
    assert "\ufffd" not in str(err)


def test_a_record_in_the_wrong_section_after_right_ones_is_still_found(tmp_path: Path) -> None:
    # the reader checks a section once and then trusts records that share it
    text = xml_doc(
        "  <keywords>\n"
        '    <keyword id="K1" name="a" type="Text"/>\n'
        '    <keyword id="K2" name="b" type="Text"/>\n'
        "  </keywords>\n"
        "  <terms>\n"
        '    <keyword id="K3" name="c" type="Text"/>\n'
        "  </terms>\n"
        "  <keywords>\n"
        '    <keyword id="K4" name="d" type="Text"/>\n'
        '    <template id="T1" name="e"/>\n'
        "  </keywords>\n"
    )
    err = load_error(write(tmp_path, "sections.xml", text), tmp_path)
    assert err.lines() == [
        "sections.xml:8: <keyword> must stand in <keywords>, not in <terms>",
        "sections.xml:12: <template> must stand in <templates>, not in <keywords>",
    ]


def test_every_problem_of_a_file_is_listed(tmp_path: Path) -> None:
    text = keywords_doc(
        '<keyword id="K1" name="a" type="Txt"/>',
        '<keyword id="K2" name="b" type="Text" colour="red"/>',
        '<keyword id="K3" name="" type="Text" hiddenFrom1177="nej"/>',
    )
    err = load_error(write(tmp_path, "many.xml", text), tmp_path)
    assert isinstance(err, InputErrors)
    assert err.lines() == [
        "many.xml:4: unknown keyword type 'Txt'",
        "many.xml:5: unknown attribute 'colour' on <keyword>",
        "many.xml:6: <keyword> needs a non-empty 'name' attribute",
        "many.xml:6: hiddenFrom1177='nej' is not a boolean; use true or false (or 1 or 0)",
    ]
    assert str(err) == "many.xml:4: unknown keyword type 'Txt' (and 3 more problem(s))"


def test_problems_are_capped_at_twenty_per_file(tmp_path: Path) -> None:
    text = keywords_doc(*(f'<keyword id="K{i}" name="a" type="Text" x="1"/>' for i in range(25)))
    err = load_error(write(tmp_path, "cap.xml", text), tmp_path)
    assert err.lines() == [
        f"cap.xml:{4 + i}: unknown attribute 'x' on <keyword>" for i in range(20)
    ]


def test_unknown_attribute_on_the_root_is_refused(tmp_path: Path) -> None:
    text = keywords_doc('<keyword id="K1" name="a" type="Text"/>').replace(
        'region="r"', 'region="r" regionName="Kalmar"'
    )
    assert load_error(write(tmp_path, "root.xml", text), tmp_path).lines() == [
        "root.xml:2: unknown attribute 'regionName' on <cosmicExport>"
    ]


def test_text_directly_in_a_section_is_refused(tmp_path: Path) -> None:
    text = xml_doc("  <keywords>\n    stray text\n  </keywords>\n")
    assert load_error(write(tmp_path, "text.xml", text), tmp_path).lines() == [
        "text.xml:4: unexpected text 'stray text' inside <keywords>"
    ]


def test_unknown_child_of_an_item_is_refused(tmp_path: Path) -> None:
    text = xml_doc(
        '  <keywords>\n    <keyword id="K1" name="a" type="Text"/>\n  </keywords>\n'
        '  <templates>\n    <template id="T" name="t">\n      <item keyword="K1">\n'
        "        <heading>Rubrik</heading>\n      </item>\n    </template>\n  </templates>\n"
    )
    assert load_error(write(tmp_path, "item.xml", text), tmp_path).lines() == [
        "item.xml:9: unexpected element <heading> in <item>"
    ]


def test_element_of_another_namespace_inside_a_record_is_refused(tmp_path: Path) -> None:
    text = keywords_doc(
        '<keyword id="K1" name="a" type="Text">',
        '  <x:note xmlns:x="urn:example:other">n</x:note>',
        "</keyword>",
    )
    assert load_error(write(tmp_path, "ns.xml", text), tmp_path).lines() == [
        "ns.xml:5: unexpected element <note> in <keyword>"
    ]


def test_reader_raises_export_error_for_a_single_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "one.xml", keywords_doc('<keyword id="K1" name="a" type="Txt"/>'))
    with pytest.raises(ExportError) as info:
        read_xml_export(path, "shown/one.xml")
    assert (info.value.path, info.value.line, info.value.problem.message) == (
        "shown/one.xml",
        4,
        "unknown keyword type 'Txt'",
    )
