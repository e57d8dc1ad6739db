"""check_export: each integrity defect yields exactly its IssueKind and message with file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosmicdiff.checks.integrity import REFERENCE_KINDS, IssueKind, check_export
from cosmicdiff.model import (
    Binding,
    Export,
    Item,
    Keyword,
    KeywordType,
    SourceLocation,
    Template,
    Value,
    ValueList,
)
from parsers.helpers import BROKEN, FIXTURES, REGIONS, load, write, xml_doc

_SYSTEMS = "use snomed-ct, icd-10-se, kva, atc, npl, loinc, ucum or local:<name>"

INTEGRITY = [
    (
        "duplicate-value-code.xml",
        IssueKind.DUPLICATE_VALUE_CODE,
        "broken/duplicate-value-code.xml:6: value list 'VL-1' has code '1' twice (first on line 5)",
    ),
    (
        "undefined-keyword.xml",
        IssueKind.UNDEFINED_KEYWORD,
        "broken/undefined-keyword.xml:9: item refers to keyword 'K404', which the export does not "
        "define (template JM-1 / item K404)",
    ),
    (
        "undefined-value-list.xml",
        IssueKind.UNDEFINED_VALUE_LIST,
        "broken/undefined-value-list.xml:4: keyword 'K1' refers to value list 'VL-404', which the "
        "export does not define",
    ),
    (
        "unknown-term-system.xml",
        IssueKind.UNKNOWN_TERM_SYSTEM,
        f"broken/unknown-term-system.xml:4: unknown term system 'snomed'; {_SYSTEMS}",
    ),
    (
        "fixvalue-without-list.xml",
        IssueKind.FIXVALUE_WITHOUT_LIST,
        "broken/fixvalue-without-list.xml:4: keyword 'K1' is FixValue but names no valueList",
    ),
    (
        "keyword-cycle.xml",
        IssueKind.CYCLE,
        "broken/keyword-cycle.xml:11: keyword 'K1' is nested inside itself (template JM-1 / "
        "item K1)",
    ),
    (
        "empty-export.xml",
        IssueKind.EMPTY,
        "broken/empty-export.xml: export defines no terms, value lists, keywords or templates",
    ),
    (
        "unknown-note-type.xml",
        IssueKind.UNKNOWN_NOTE_TYPE,
        "broken/unknown-note-type.xml:7: template 'JM-1' has unknown noteType 'journal'; use a KV "
        "Anteckningstyp code (atb, auf, bes, ins, sam, sao, slu, sva, utr)",
    ),
]


@pytest.mark.parametrize(
    ("name", "kind", "message"), INTEGRITY, ids=[n.removesuffix(".xml") for n, _, _ in INTEGRITY]
)
def test_each_defect_yields_exactly_its_issue(name: str, kind: IssueKind, message: str) -> None:
    issues = check_export(load(BROKEN / name, FIXTURES))
    assert [(i.kind, str(i.problem)) for i in issues] == [(kind, message)]


@pytest.mark.parametrize(
    "scenario",
    [
        "mini-copy",
        "xml-all-fields",
        "xml-latin1",
        "split-files",
        "csv-semicolon-cp1252",
        "csv-comma-utf8-bom",
    ],
    ids=[
        "mini-copy",
        "xml-all-fields",
        "xml-latin1",
        "split-files",
        "csv-semicolon-cp1252",
        "csv-comma-utf8-bom",
    ],
)
def test_valid_scenarios_have_no_issues(scenario: str) -> None:
    assert check_export(load(REGIONS / scenario, REGIONS)) == []


def test_references_are_the_kinds_compare_reports_as_findings() -> None:
    assert (
        frozenset({IssueKind.UNDEFINED_KEYWORD, IssueKind.UNDEFINED_VALUE_LIST}) == REFERENCE_KINDS
    )


def test_unknown_systems_in_bindings_are_found_at_their_record(tmp_path: Path) -> None:
    text = xml_doc(
        '  <valueLists>\n    <valueList id="VL" name="v">\n'
        '      <value code="1" display="a">\n        <binding system="SNOMED-CT" code="1"/>\n'
        "      </value>\n    </valueList>\n  </valueLists>\n"
        '  <keywords>\n    <keyword id="K1" name="a" type="Text">\n'
        '      <binding system="local:" code="x"/>\n      <binding system="local:jkpg" code="y"/>\n'
        "    </keyword>\n  </keywords>\n"
    )
    issues = check_export(load(write(tmp_path, "s.xml", text), tmp_path))
    assert [(i.kind, str(i.problem)) for i in issues] == [
        (IssueKind.UNKNOWN_TERM_SYSTEM, f"s.xml:5: unknown term system 'SNOMED-CT'; {_SYSTEMS}"),
        (IssueKind.UNKNOWN_TERM_SYSTEM, f"s.xml:11: unknown term system 'local:'; {_SYSTEMS}"),
    ]


def test_issues_are_sorted_by_file_and_line(tmp_path: Path) -> None:
    text = xml_doc(
        '  <keywords>\n    <keyword id="K2" name="b" type="FixValue"/>\n'
        '    <keyword id="K1" name="a" type="Text" valueList="VL-9"/>\n  </keywords>\n'
        '  <templates>\n    <template id="T" name="t" noteType="x">\n'
        '      <item keyword="K3"/>\n    </template>\n  </templates>\n'
        '  <terms>\n    <term system="icd10" code="F32"/>\n  </terms>\n'
    )
    issues = check_export(load(write(tmp_path, "o.xml", text), tmp_path))
    assert [(i.kind, i.problem.line) for i in issues] == [
        (IssueKind.FIXVALUE_WITHOUT_LIST, 4),
        (IssueKind.UNDEFINED_VALUE_LIST, 5),
        (IssueKind.UNKNOWN_NOTE_TYPE, 8),
        (IssueKind.UNDEFINED_KEYWORD, 9),
        (IssueKind.UNKNOWN_TERM_SYSTEM, 13),
    ]


def _loc(line: int) -> SourceLocation:
    return SourceLocation(path="model.xml", line=line)


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            (Item(keyword="A", loc=_loc(3), children=(Item(keyword="A", loc=_loc(4)),)),),
            ["model.xml:4: keyword 'A' is nested inside itself (template T / item A)"],
        ),
        (
            (
                Item(
                    keyword="A",
                    loc=_loc(3),
                    children=(
                        Item(
                            keyword="B",
                            loc=_loc(4),
                            children=(
                                Item(
                                    keyword="C",
                                    loc=_loc(5),
                                    children=(Item(keyword="A", loc=_loc(6)),),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
            ["model.xml:6: keyword 'A' is nested inside itself (template T / item A)"],
        ),
        ((Item(keyword="A", loc=_loc(3)), Item(keyword="A", loc=_loc(4))), []),
        (
            (
                Item(keyword="A", loc=_loc(3), children=(Item(keyword="B", loc=_loc(4)),)),
                Item(keyword="B", loc=_loc(5), children=(Item(keyword="A", loc=_loc(6)),)),
            ),
            [],
        ),
    ],
    ids=["direct", "three-levels-down", "siblings-are-fine", "cousins-are-fine"],
)
def test_cycle_means_an_ancestor_with_the_same_keyword(
    items: tuple[Item, ...], expected: list[str]
) -> None:
    export = Export(
        region="r",
        source="model.xml",
        keywords={k: Keyword(id=k, name=k, type=KeywordType.TEXT) for k in "ABC"},
        templates={"T": Template(id="T", name="t", items=items, loc=_loc(2))},
    )
    issues = check_export(export)
    assert [str(i.problem) for i in issues] == expected
    assert all(i.kind is IssueKind.CYCLE for i in issues)


def test_model_built_in_memory_is_checked_the_same_way() -> None:
    export = Export(
        region="r",
        source="model.xml",
        value_lists={
            "VL": ValueList(
                id="VL",
                name="v",
                loc=_loc(4),
                values=(
                    Value(code="J", display="Ja", loc=_loc(5)),
                    Value(code="N", display="Nej", loc=_loc(6)),
                    Value(
                        code="J",
                        display="Ja igen",
                        loc=_loc(7),
                        bindings=(Binding(system="ucum", code="1"),),
                    ),
                ),
            )
        },
    )
    issues = check_export(export)
    assert [(i.kind, str(i.problem)) for i in issues] == [
        (
            IssueKind.DUPLICATE_VALUE_CODE,
            "model.xml:7: value list 'VL' has code 'J' twice (first on line 5)",
        )
    ]


def test_empty_sections_are_an_empty_export(tmp_path: Path) -> None:
    text = xml_doc("  <terms/>\n  <valueLists/>\n  <keywords/>\n  <templates/>\n")
    issues = check_export(load(write(tmp_path, "e.xml", text), tmp_path))
    assert [(i.kind, str(i.problem)) for i in issues] == [
        (IssueKind.EMPTY, "e.xml: export defines no terms, value lists, keywords or templates")
    ]


def test_fixvalue_with_a_defined_list_is_fine(tmp_path: Path) -> None:
    text = xml_doc(
        '  <valueLists>\n    <valueList id="VL" name="v"/>\n  </valueLists>\n'
        '  <keywords>\n    <keyword id="K1" name="a" type="FixValue" valueList="VL"/>\n'
        "  </keywords>\n"
    )
    assert check_export(load(write(tmp_path, "f.xml", text), tmp_path)) == []
