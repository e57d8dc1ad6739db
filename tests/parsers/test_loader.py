"""load_export: a region folder's files are merged; conflicts name every place involved."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosmicdiff.model import Binding, Item, Keyword, KeywordType, Template, Value, ValueList
from parsers.helpers import REGIONS, keywords_doc, load, load_error, write, xml_doc


def test_split_files_scenario_merges_xml_csv_and_yaml() -> None:
    export = load(REGIONS / "split-files", REGIONS)
    assert export.files == (
        "split-files/10-terms.xml",
        "split-files/20-value-lists.yaml",
        "split-files/30-keywords.csv",
        "split-files/40-templates.xml",
    )
    assert (export.region, export.name, export.cosmic_version, export.exported, export.source) == (
        "split",
        "Region Delad",
        "R8.2",
        "2026-10-03T08:00:00+02:00",
        "split-files",
    )
    assert list(export.terms) == ["kva:AU118"]
    assert dict(export.value_lists) == {
        "SP-VL-1": ValueList(
            id="SP-VL-1",
            name="Suicidrisk",
            values=(
                Value(code="1", display="Låg risk"),
                Value(code="2", display="Måttlig risk"),
                Value(code="3", display="Hög risk"),
            ),
        )
    }
    assert dict(export.keywords) == {
        "SP-SO-1": Keyword(id="SP-SO-1", name="Aktuellt", type=KeywordType.TEXT),
        "SP-SO-2": Keyword(
            id="SP-SO-2",
            name="Suicidriskbedömning",
            type=KeywordType.FIX_VALUE,
            value_list="SP-VL-1",
            bindings=(Binding(system="kva", code="AU118"),),
        ),
    }
    assert dict(export.templates) == {
        "SP-JM-1": Template(
            id="SP-JM-1",
            name="Suicidriskbedömning",
            version="2",
            note_type="utr",
            items=(
                Item(keyword="SP-SO-1", mandatory=True),
                Item(keyword="SP-SO-2", mandatory=True),
            ),
        )
    }
    assert (
        dict(export.mapping.keywords),
        dict(export.mapping.templates),
        dict(export.mapping.value_lists),
        export.mapping.path,
    ) == (
        {"SP-SO-1": "B-SO-1", "SP-SO-2": "B-SO-2"},
        {"SP-JM-1": "B-JM-1"},
        {"SP-VL-1": "B-VL-1"},
        "split-files/mapping.yaml",
    )


def test_split_files_records_point_at_their_own_file() -> None:
    export = load(REGIONS / "split-files", REGIONS)
    assert [
        str(x.loc)
        for x in (
            export.terms["kva:AU118"],
            export.value_lists["SP-VL-1"],
            export.value_lists["SP-VL-1"].values[2],
            export.keywords["SP-SO-2"],
            export.templates["SP-JM-1"],
            export.templates["SP-JM-1"].items[1],
        )
    ] == [
        "split-files/10-terms.xml:4",
        "split-files/20-value-lists.yaml:2",
        "split-files/20-value-lists.yaml:7",
        "split-files/30-keywords.csv:3",
        "split-files/40-templates.xml:4",
        "split-files/40-templates.xml:6",
    ]


KW_XML = keywords_doc('<keyword id="K1" name="Aktuellt" type="Text"/>')

DUPLICATES = {
    "xml-and-xml": (
        {"a.xml": KW_XML, "b.xml": KW_XML},
        "r/b.xml:4: keyword 'K1' is defined twice (first at r/a.xml:4)",
    ),
    "xml-and-csv": (
        {"a.xml": KW_XML, "b.csv": "id;name;type\nK0;x;Text\nK1;y;Text\n"},
        "r/b.csv:3: keyword 'K1' is defined twice (first at r/a.xml:4)",
    ),
    "csv-and-yaml": (
        {
            "a.csv": "id;name;type\nK1;x;Text\n",
            "b.yaml": "keywords:\n  - {id: K0, name: x, type: Text}\n"
            "  - {id: K1, name: y, type: Text}\n",
        },
        "r/b.yaml:3: keyword 'K1' is defined twice (first at r/a.csv:2)",
    ),
    "term-xml-and-yaml": (
        {
            "a.xml": xml_doc('  <terms>\n    <term system="kva" code="AU118"/>\n  </terms>\n'),
            "b.yaml": "terms:\n  - {system: kva, code: AU118}\n",
        },
        "r/b.yaml:2: term 'kva:AU118' is defined twice (first at r/a.xml:4)",
    ),
    "value-list-same-file": (
        {
            "a.xml": xml_doc(
                '  <valueLists>\n    <valueList id="V"/>\n    <valueList id="V"/>\n'
                "  </valueLists>\n"
            )
        },
        "r/a.xml:5: value list 'V' is defined twice (first at r/a.xml:4)",
    ),
    "template-yaml-and-xml": (
        {
            "a.yaml": "templates:\n  - {id: T, name: t}\n",
            "b.xml": xml_doc('  <templates>\n    <template id="T" name="t"/>\n  </templates>\n'),
        },
        "r/b.xml:4: template 'T' is defined twice (first at r/a.yaml:2)",
    ),
}


@pytest.mark.parametrize("case", list(DUPLICATES), ids=list(DUPLICATES))
def test_same_id_in_two_places_names_both(tmp_path: Path, case: str) -> None:
    files, expected = DUPLICATES[case]
    for name, text in files.items():
        write(tmp_path, f"r/{name}", text)
    assert load_error(tmp_path / "r", tmp_path).lines() == [expected]


def test_region_yaml_and_a_disagreeing_xml_region_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "r/region.yaml", "id: jonkoping\n")
    write(tmp_path, "r/export.xml", KW_XML.replace('region="r"', 'region="kalmar"'))
    assert load_error(tmp_path / "r", tmp_path).lines() == [
        "r/export.xml:2: region='kalmar' does not match: region.yaml says 'jonkoping'"
    ]


def test_yaml_model_region_key_must_agree_too(tmp_path: Path) -> None:
    write(tmp_path, "r/region.yaml", "id: jonkoping\n")
    write(tmp_path, "r/m.yaml", "region: kalmar\nkeywords:\n  - {id: K1, name: a, type: Text}\n")
    assert load_error(tmp_path / "r", tmp_path).lines() == [
        "r/m.yaml:1: region='kalmar' does not match: region.yaml says 'jonkoping'"
    ]


def test_two_xml_files_disagreeing_on_region_name_both_places(tmp_path: Path) -> None:
    write(tmp_path, "r/a.xml", KW_XML.replace('region="r"', 'region="kalmar"'))
    write(tmp_path, "r/b.xml", xml_doc("").replace('region="r"', 'region="ostergotland"'))
    [line] = load_error(tmp_path / "r", tmp_path).lines()
    assert line.startswith("r/b.xml:2: region='ostergotland' does not match")
    assert "r/a.xml:2" in line


NO_FILES = (
    "r: folder holds no export files (*.xml, *.csv, *.json, *.opt, *.adl or YAML model files)"
)


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"region.yaml": "id: x\n", "README.txt": "x", ".hidden.xml": KW_XML}, NO_FILES),
        ({}, NO_FILES),
        ({"mapping.yaml": "keywords: {A: B}\n", "rules.yaml": "x: 1\n"}, NO_FILES),
    ],
    ids=["only-region-yaml-and-text", "empty-folder", "only-reserved-yaml"],
)
def test_folder_without_export_files_is_an_error(
    tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    (tmp_path / "r").mkdir()
    for name, text in files.items():
        write(tmp_path, f"r/{name}", text)
    assert load_error(tmp_path / "r", tmp_path).lines() == [expected]


def test_missing_path_and_reserved_file_are_errors(tmp_path: Path) -> None:
    assert load_error(tmp_path / "nowhere", tmp_path).lines() == ["nowhere: no such file or folder"]
    region = write(tmp_path, "region.yaml", "id: x\n")
    assert load_error(region, tmp_path).lines() == [
        "region.yaml: not an export file; expected COSMIC XML, CSV or YAML, an openEHR "
        "template (.opt) or archetype (.adl), FHIR JSON or a term catalogue (.json, .csv)"
    ]
    text = write(tmp_path, "export.txt", KW_XML)
    assert load_error(text, tmp_path).lines() == [
        "export.txt: not an export file; expected COSMIC XML, CSV or YAML, an openEHR "
        "template (.opt) or archetype (.adl), FHIR JSON or a term catalogue (.json, .csv)"
    ]


def test_problems_of_several_files_are_reported_together(tmp_path: Path) -> None:
    write(tmp_path, "r/a.xml", KW_XML.replace('type="Text"', 'type="Text" colour="red"'))
    write(tmp_path, "r/b.csv", "id;name;typ\nK2;x;Text\n")
    write(tmp_path, "r/c.yaml", "keywords:\n  - {id: K3, name: y, type: Txt}\n")
    assert load_error(tmp_path / "r", tmp_path).lines() == [
        "r/a.xml:4: unknown attribute 'colour' on <keyword>",
        "r/b.csv:1: header must name at least the columns id, name and type, separated by ';' "
        "or ',' (found 'id;name;typ')",
        "r/c.yaml:2: unknown keyword type 'Txt'",
    ]


@pytest.mark.parametrize(
    ("files", "region"),
    [
        (
            {"region.yaml": "id: jonkoping\n", "a.xml": KW_XML.replace(' region="r"', "")},
            "jonkoping",
        ),
        ({"a.xml": KW_XML.replace('region="r"', 'region="kalmar"')}, "kalmar"),
        ({"a.xml": KW_XML.replace(' region="r"', "")}, "r"),
    ],
    ids=["from-region-yaml", "from-xml", "from-folder-name"],
)
def test_region_id_comes_from_region_yaml_then_xml_then_folder(
    tmp_path: Path, files: dict[str, str], region: str
) -> None:
    for name, text in files.items():
        write(tmp_path, f"r/{name}", text)
    assert load(tmp_path / "r", tmp_path).region == region


def test_file_suffixes_are_matched_case_insensitively(tmp_path: Path) -> None:
    write(tmp_path, "r/A.XML", KW_XML)
    write(tmp_path, "r/B.CSV", "id;name;type\nK2;x;Text\n")
    write(tmp_path, "r/C.YML", "keywords:\n  - {id: K3, name: y, type: Text}\n")
    export = load(tmp_path / "r", tmp_path)
    assert (export.files, sorted(export.keywords)) == (
        ("r/A.XML", "r/B.CSV", "r/C.YML"),
        ["K1", "K2", "K3"],
    )


def test_region_folder_with_broken_mapping_yaml_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "r/export.xml", KW_XML)
    write(tmp_path, "r/mapping.yaml", "keywords:\n  K1: B-1\n  K2: B-1\n")
    assert load_error(tmp_path / "r", tmp_path).lines() == [
        "r/mapping.yaml:3: keywords: 'K2' and 'K1' both map to 'B-1'; a baseline item has one "
        "counterpart"
    ]
