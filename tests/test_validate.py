"""``cosmicdiff validate PATH...``: ok lines, or each problem as ``path:line: message``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
BROKEN = FIXTURES / "broken"

DOCTYPE_MESSAGE = (
    "DOCTYPE declarations are not allowed (no DTDs or entities are read); "
    "remove the <!DOCTYPE ...> line"
)
ONE_BAD = "cosmicdiff: 1 of 1 input(s) have problems\n"

Cli = Callable[..., Any]


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def at_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


@pytest.fixture
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- valid inputs ------------------------------------------------------------------------


def test_mini_baseline_and_region_are_ok(at_root: Path, cli: Cli) -> None:
    result = cli("validate", "tests/fixtures/baselines/mini", "tests/fixtures/regions/mini-copy")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "ok: tests/fixtures/baselines/mini: baseline mini 1.0: 3 terms, 1 value lists, "
        "6 keywords, 2 templates",
        "ok: tests/fixtures/regions/mini-copy: region copy: 3 terms, 1 value lists, "
        "6 keywords, 2 templates",
    ]


def test_new_valid_scenarios_are_ok_against_the_mini_baseline(at_fixtures: Path, cli: Cli) -> None:
    result = cli(
        "validate",
        "baselines/mini",
        "regions/split-files",
        "regions/xml-all-fields",
        "regions/xml-latin1",
        "regions/csv-semicolon-cp1252",
        "regions/csv-comma-utf8-bom",
    )
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "ok: baselines/mini: baseline mini 1.0: 3 terms, 1 value lists, 6 keywords, 2 templates",
        "ok: regions/split-files: region split: 1 terms, 1 value lists, 2 keywords, 1 templates",
        "ok: regions/xml-all-fields: region allfields: 2 terms, 2 value lists, 5 keywords, "
        "2 templates",
        "ok: regions/xml-latin1: region latin1: 0 terms, 0 value lists, 1 keywords, 0 templates",
        "ok: regions/csv-semicolon-cp1252: region kalmar: 0 terms, 0 value lists, 5 keywords, "
        "0 templates",
        "ok: regions/csv-comma-utf8-bom: region ostergotland: 0 terms, 0 value lists, "
        "2 keywords, 0 templates",
    ]


# --- one broken file at a time -----------------------------------------------------------

_SET_BOOL = "{'true', 'false', '1', '0'}"
_SET_TYPES = (
    "{'Text', 'Numeric', 'FixValue', 'DateTime', 'Boolean', 'Formula', "
    "'ClinicalCoding', 'BloodPressure', 'CheckboxConfigurable', 'Register', "
    "'WordProcessing', 'Other'}"
)
_SET_NOTES = "{'bes', 'ins', 'utr', 'atb', 'sam', 'sao', 'slu', 'auf', 'sva'}"
_NO_ROOT = "No matching global declaration available for the validation root."

#: file -> the exact stdout of ``cosmicdiff validate broken/<file>`` (XML: XSD first).
EXPECTED: dict[str, list[str]] = {
    # XML syntax
    "malformed-mismatched-tag.xml": [
        "broken/malformed-mismatched-tag.xml:5: malformed XML: Opening and ending tag mismatch: "
        "keyword line 4 and keywords"
    ],
    "malformed-truncated.xml": [
        "broken/malformed-truncated.xml:5: malformed XML: Premature end of data in tag keywords "
        "line 3"
    ],
    "malformed-ampersand.xml": [
        "broken/malformed-ampersand.xml:4: malformed XML: xmlParseEntityRef: no name"
    ],
    "undefined-entity.xml": [
        "broken/undefined-entity.xml:5: malformed XML: Entity 'nbsp' not defined"
    ],
    "empty.xml": ["broken/empty.xml: file is empty; expected an XML document"],
    "whitespace-only.xml": ["broken/whitespace-only.xml: file is empty; expected an XML document"],
    "binary-junk.xml": [
        "broken/binary-junk.xml:1: malformed XML: not an XML document (no start tag found)"
    ],
    "binary-lt-nul.xml": [
        "broken/binary-lt-nul.xml:1: malformed XML: binary data or an unsupported encoding "
        "(a NUL byte at the start); expected UTF-8 text"
    ],
    "binary-ucs4-signature.xml": [
        "broken/binary-ucs4-signature.xml:1: malformed XML: binary data or an unsupported "
        "encoding (a NUL byte at the start); expected UTF-8 text"
    ],
    # XSD problems, with their lines
    "xinclude.xml": [
        "broken/xinclude.xml:4: schema: Element '{http://www.w3.org/2001/XInclude}include': "
        "This element is not expected. Expected is ( keyword )."
    ],
    "wrong-root.xml": [f"broken/wrong-root.xml:2: schema: Element 'export': {_NO_ROOT}"],
    "wrong-namespace.xml": [
        "broken/wrong-namespace.xml:2: schema: Element '{urn:cosmicdiff:export:2}cosmicExport': "
        + _NO_ROOT
    ],
    "no-namespace.xml": [f"broken/no-namespace.xml:2: schema: Element 'cosmicExport': {_NO_ROOT}"],
    "unknown-attribute.xml": [
        "broken/unknown-attribute.xml:4: schema: Element 'keyword', attribute 'colour': The "
        "attribute 'colour' is not allowed."
    ],
    "unknown-child-element.xml": [
        "broken/unknown-child-element.xml:5: schema: Element 'note': This element is not "
        "expected. Expected is one of ( binding, description )."
    ],
    "unexpected-element-in-root.xml": [
        "broken/unexpected-element-in-root.xml:3: schema: Element 'settings': This element is "
        "not expected. Expected is one of ( terms, valueLists, keywords, templates )."
    ],
    "unexpected-element-in-section.xml": [
        "broken/unexpected-element-in-section.xml:5: schema: Element 'comment': This element is "
        "not expected. Expected is ( keyword )."
    ],
    "record-in-wrong-section.xml": [
        "broken/record-in-wrong-section.xml:4: schema: Element 'template': This element is not "
        "expected. Expected is ( keyword )."
    ],
    "unknown-keyword-type.xml": [
        "broken/unknown-keyword-type.xml:4: schema: Element 'keyword', attribute 'type': "
        f"[facet 'enumeration'] The value 'Fritext' is not an element of the set {_SET_TYPES}."
    ],
    "bad-boolean.xml": [
        "broken/bad-boolean.xml:4: schema: Element 'keyword', attribute 'hiddenFrom1177': "
        f"[facet 'enumeration'] The value 'ja' is not an element of the set {_SET_BOOL}."
    ],
    "unknown-status.xml": [
        "broken/unknown-status.xml:4: schema: Element 'keyword', attribute 'status': "
        "[facet 'enumeration'] The value 'aktiv' is not an element of the set "
        "{'active', 'inactive', 'retired'}."
    ],
    "missing-name.xml": [
        "broken/missing-name.xml:4: schema: Element 'keyword': The attribute 'name' is required "
        "but missing."
    ],
    "unknown-term-system.xml": [
        "broken/unknown-term-system.xml:4: schema: Element 'term', attribute 'system': "
        "[facet 'pattern'] The value 'snomed' is not accepted by the pattern "
        "'snomed-ct|icd-10-se|kva|atc|npl|loinc|ucum|local:\\S+'."
    ],
    "unknown-note-type.xml": [
        "broken/unknown-note-type.xml:7: schema: Element 'template', attribute 'noteType': "
        f"[facet 'enumeration'] The value 'journal' is not an element of the set {_SET_NOTES}."
    ],
    # loader and integrity problems (schema-valid XML)
    "duplicate-id.xml": [
        "broken/duplicate-id.xml:5: keyword 'K1' is defined twice (first at "
        "broken/duplicate-id.xml:4)"
    ],
    "duplicate-value-code.xml": [
        "broken/duplicate-value-code.xml:6: value list 'VL-1' has code '1' twice (first on line 5)"
    ],
    "fixvalue-without-list.xml": [
        "broken/fixvalue-without-list.xml:4: keyword 'K1' is FixValue but names no valueList"
    ],
    "keyword-cycle.xml": [
        "broken/keyword-cycle.xml:11: keyword 'K1' is nested inside itself (template JM-1 / "
        "item K1)"
    ],
    "empty-export.xml": [
        "broken/empty-export.xml: export defines no terms, value lists, keywords or templates"
    ],
    # CSV
    "csv-neither-encoding.csv": [
        "broken/csv-neither-encoding.csv:3: encoding is neither UTF-8 nor Windows-1252; save the "
        "file as CSV UTF-8"
    ],
    "csv-double-encoded.csv": [
        "broken/csv-double-encoded.csv:3: text looks double-encoded (e.g. 'Ã¥' for 'å'); "
        "re-export the file as CSV UTF-8"
    ],
    "csv-missing-type-column.csv": [
        "broken/csv-missing-type-column.csv:1: header must name at least the columns id, name "
        "and type, separated by ';' or ',' (found 'id;name;unit')"
    ],
    "csv-unknown-column.csv": [
        "broken/csv-unknown-column.csv:1: unknown column 'färg'; known columns: id, name, type, "
        "unit, valueList, binding_system, binding_code, status, hiddenFrom1177, description"
    ],
    "csv-wrong-field-count.csv": [
        "broken/csv-wrong-field-count.csv:3: row has 4 fields but the header has 3 (is a ';' "
        "inside an unquoted value?)"
    ],
    "csv-empty.csv": ["broken/csv-empty.csv: file is empty; expected a header row id;name;type"],
    "csv-header-only.csv": [
        "broken/csv-header-only.csv: CSV keyword list has a header but no rows"
    ],
    "csv-bad-boolean.csv": [
        "broken/csv-bad-boolean.csv:2: hiddenFrom1177='kanske' is not true or false"
    ],
    "csv-nul-byte.csv": [
        "broken/csv-nul-byte.csv:2: binary data (NUL byte) in a CSV file; save it as CSV UTF-8 "
        "or Windows-1252 text"
    ],
    "csv-bom-not-utf8.csv": [
        "broken/csv-bom-not-utf8.csv:2: file starts with a UTF-8 BOM but is not UTF-8"
    ],
    "csv-unknown-keyword-type.csv": [
        "broken/csv-unknown-keyword-type.csv:2: unknown keyword type 'Fritext'"
    ],
    "csv-unterminated-quote.csv": [
        "broken/csv-unterminated-quote.csv:2: malformed CSV: unexpected end of data"
    ],
    # YAML model form
    "yaml-anchor-alias.yaml": [
        "broken/yaml-anchor-alias.yaml:2: invalid YAML: anchors (&name) are not allowed"
    ],
    "yaml-duplicate-key.yaml": [
        "broken/yaml-duplicate-key.yaml:4: invalid YAML: duplicate key 'id' (first on line 2)"
    ],
    "yaml-unknown-key.yaml": [
        "broken/yaml-unknown-key.yaml:5: unknown key 'colour' in keyword; allowed: bindings, "
        "description, hiddenFrom1177, id, name, slot, status, type, unit, valueList"
    ],
    "yaml-syntax-error.yaml": [
        "broken/yaml-syntax-error.yaml:3: invalid YAML: while parsing a block collection expected "
        "<block end>, but found '<block mapping start>'"
    ],
    "yaml-python-tag.yaml": [
        "broken/yaml-python-tag.yaml:1: invalid YAML: explicit tags "
        "(!!python/object/apply:os.system) are not allowed"
    ],
    "yaml-bad-boolean.yaml": [
        "broken/yaml-bad-boolean.yaml:5: 'hiddenFrom1177' must be true or false, not 'ja'"
    ],
    "yaml-not-utf8.yaml": ["broken/yaml-not-utf8.yaml:2: YAML files must be UTF-8"],
    "yaml-item-not-mapping.yaml": [
        "broken/yaml-item-not-mapping.yaml:3: keyword must be a mapping of keys to values, "
        "not the text 'K2'"
    ],
}

BUGS: dict[str, str] = {}


def _params(names: list[str], bugs: dict[str, str]) -> list[Any]:
    return [
        pytest.param(n, id=n, marks=pytest.mark.xfail(reason=bugs[n], strict=True))
        if n in bugs
        else pytest.param(n, id=n)
        for n in names
    ]


@pytest.mark.parametrize("name", _params(sorted(EXPECTED), BUGS))
def test_broken_file_is_listed_with_path_and_line(at_fixtures: Path, cli: Cli, name: str) -> None:
    result = cli("validate", f"broken/{name}")
    assert (result.code, result.stdout.splitlines(), result.stderr) == (2, EXPECTED[name], ONE_BAD)
    assert result.stdout.endswith("\n") and "\n\n" not in result.stdout


def test_every_broken_fixture_has_an_expected_output() -> None:
    doctype = {p.name for p in BROKEN.glob("doctype-*.xml")}
    assert {p.name for p in BROKEN.iterdir()} == set(EXPECTED) | doctype | set(REFERENCES)


#: A region's dangling references: warnings (compare reports them), problems with --strict.
REFERENCES = {
    "undefined-keyword.xml": (
        "broken/undefined-keyword.xml:9: warning: item refers to keyword 'K404', which the "
        "export does not define (template JM-1 / item K404)",
        "ok: broken/undefined-keyword.xml: region broken: 0 terms, 0 value lists, 1 keywords, "
        "1 templates (1 warning(s))",
    ),
    "undefined-value-list.xml": (
        "broken/undefined-value-list.xml:4: warning: keyword 'K1' refers to value list "
        "'VL-404', which the export does not define",
        "ok: broken/undefined-value-list.xml: region broken: 0 terms, 0 value lists, "
        "1 keywords, 0 templates (1 warning(s))",
    ),
}


@pytest.mark.parametrize("name", sorted(REFERENCES), ids=sorted(REFERENCES))
def test_dangling_reference_is_a_warning_and_a_problem_with_strict(
    at_fixtures: Path, cli: Cli, name: str
) -> None:
    warning, ok = REFERENCES[name]
    result = cli("validate", f"broken/{name}")
    assert (result.code, result.stdout.splitlines(), result.stderr) == (0, [warning, ok], "")
    result = cli("validate", "--strict", f"broken/{name}")
    assert (result.code, result.stdout.splitlines(), result.stderr) == (2, [warning], ONE_BAD)


def test_dangling_reference_in_a_baseline_is_a_problem(in_tmp: Path, cli: Cli) -> None:
    _write(
        in_tmp,
        "b/baseline.yaml",
        'id: b\nname: B\nversion: "1"\ncases:\n  p: {name: P, templates: [T]}\n',
    )
    _write(
        in_tmp,
        "b/model.yaml",
        "templates:\n  - id: T\n    name: t\n    items:\n      - {keyword: K404}\n",
    )
    result = cli("validate", "b")
    assert (result.code, result.stdout) == (
        2,
        "b/model.yaml:5: item refers to keyword 'K404', which the export does not define "
        "(template T / item K404)\n",
    )


_DOCTYPES = sorted(p.name for p in BROKEN.glob("doctype-*.xml"))


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in _DOCTYPES])
def test_validate_refuses_every_doctype(at_fixtures: Path, cli: Cli, name: str) -> None:
    result = cli("validate", f"broken/{name}")
    assert result.code == 2
    assert re.fullmatch(
        rf"broken/{re.escape(name)}:\d+: {re.escape(DOCTYPE_MESSAGE)}\n", result.stdout
    )


_LINE = re.compile(r"(?P<path>[^:\n]+)(?::(?P<line>[1-9]\d*))?: \S.*")


_FORMAT_BUGS: dict[str, str] = {}


@pytest.mark.parametrize("name", _params(sorted(p.name for p in BROKEN.iterdir()), _FORMAT_BUGS))
def test_no_broken_file_ever_causes_a_traceback(at_fixtures: Path, cli: Cli, name: str) -> None:
    result = cli("validate", "--strict", f"broken/{name}")
    both = result.stdout + result.stderr
    assert "Traceback" not in both and "internal error" not in both
    assert result.code == 2
    assert result.stderr == ONE_BAD
    lines = result.stdout.split("\n")
    assert lines[-1] == "" and lines[:-1]
    for line in lines[:-1]:
        match = _LINE.fullmatch(line)
        assert match is not None, line
        assert match["path"] == f"broken/{name}"
        assert ": None:" not in line


# --- several problems, several paths -----------------------------------------------------


def test_xsd_problems_come_out_with_their_line_numbers(in_tmp: Path, cli: Cli) -> None:
    _write(
        in_tmp,
        "x.xml",
        """<?xml version="1.0" encoding="UTF-8"?>
<cosmicExport xmlns="urn:cosmicdiff:export:1" region="r">
  <keywords>
    <keyword id="K1" type="Text"/>
    <keyword id="K2" name="b" type="Text" hiddenFrom1177="yes"/>
  </keywords>
  <templates>
    <template id="T" name="t" noteType="utr">
      <item mandatory="true"/>
    </template>
  </templates>
</cosmicExport>
""",
    )
    result = cli("validate", "x.xml")
    assert result.code == 2
    assert result.stdout.splitlines() == [
        "x.xml:4: schema: Element 'keyword': The attribute 'name' is required but missing.",
        "x.xml:5: schema: Element 'keyword', attribute 'hiddenFrom1177': [facet 'enumeration'] "
        f"The value 'yes' is not an element of the set {_SET_BOOL}.",
        "x.xml:9: schema: Element 'item': The attribute 'keyword' is required but missing.",
    ]


def test_every_xml_file_of_a_folder_is_schema_checked(in_tmp: Path, cli: Cli) -> None:
    head = '<?xml version="1.0"?>\n<cosmicExport xmlns="urn:cosmicdiff:export:1">\n'
    _write(
        in_tmp,
        "r/a.xml",
        head + '  <keywords>\n    <keyword id="K1" name="a" type="Txt"/>\n'
        "  </keywords>\n</cosmicExport>\n",
    )
    _write(
        in_tmp, "r/b.xml", head + '  <terms>\n    <term code="1"/>\n  </terms>\n</cosmicExport>\n'
    )
    result = cli("validate", "r")
    assert result.code == 2
    assert result.stdout.splitlines() == [
        "r/a.xml:4: schema: Element 'keyword', attribute 'type': [facet 'enumeration'] The value "
        f"'Txt' is not an element of the set {_SET_TYPES}.",
        "r/b.xml:4: schema: Element 'term': The attribute 'system' is required but missing.",
    ]


def test_good_and_bad_paths_are_each_reported(at_fixtures: Path, cli: Cli) -> None:
    result = cli(
        "validate", "regions/mini-copy", "broken/duplicate-value-code.xml", "broken/csv-empty.csv"
    )
    assert result.code == 2
    assert result.stdout.splitlines() == [
        "ok: regions/mini-copy: region copy: 3 terms, 1 value lists, 6 keywords, 2 templates",
        "broken/duplicate-value-code.xml:6: value list 'VL-1' has code '1' twice (first on line 5)",
        "broken/csv-empty.csv: file is empty; expected a header row id;name;type",
    ]
    assert result.stderr == "cosmicdiff: 2 of 3 input(s) have problems\n"


def test_mapping_is_checked_against_the_baseline(in_tmp: Path, cli: Cli) -> None:
    (in_tmp / "mini").symlink_to(FIXTURES / "baselines" / "mini", target_is_directory=True)
    _write(
        in_tmp,
        "r/export.xml",
        (FIXTURES / "regions" / "mini-copy" / "export.xml").read_text(encoding="utf-8"),
    )
    _write(
        in_tmp,
        "r/mapping.yaml",
        "keywords:\n  B-SO-1: B-SO-404\n  LOK-1: B-SO-2\ntemplates:\n  B-JM-1: B-JM-1\n",
    )
    result = cli("validate", "mini", "r")
    assert result.code == 2
    assert result.stdout.splitlines() == [
        "ok: mini: baseline mini 1.0: 3 terms, 1 value lists, 6 keywords, 2 templates",
        "r/mapping.yaml:2: keywords: 'B-SO-1' maps to 'B-SO-404', which baseline 'mini' does "
        "not define",
        "r/mapping.yaml:3: keywords: local id 'LOK-1' is not defined in the export of region "
        "'copy'",
    ]


def test_a_region_given_before_the_baseline_is_checked_against_it(in_tmp: Path, cli: Cli) -> None:
    (in_tmp / "mini").symlink_to(FIXTURES / "baselines" / "mini", target_is_directory=True)
    _write(
        in_tmp,
        "r/export.xml",
        (FIXTURES / "regions" / "mini-copy" / "export.xml").read_text(encoding="utf-8"),
    )
    _write(in_tmp, "r/mapping.yaml", "keywords:\n  B-SO-1: B-SO-404\n")
    result = cli("validate", "r", "mini")
    assert result.code == 2
    assert result.stdout.splitlines() == [  # in the order given, the baseline read first
        "r/mapping.yaml:2: keywords: 'B-SO-1' maps to 'B-SO-404', which baseline 'mini' does "
        "not define",
        "ok: mini: baseline mini 1.0: 3 terms, 1 value lists, 6 keywords, 2 templates",
    ]


def test_validate_lets_each_region_export_go_once_checked() -> None:
    from cosmicdiff.checks.validate import validate_paths
    from cosmicdiff.parsers import display_path

    regions = sorted((ROOT / "examples" / "regions").iterdir())
    checked = validate_paths([*regions, ROOT / "baselines" / "espir"])
    assert [c.kind for c in checked] == ["region"] * len(regions) + ["baseline"]
    for c, path in zip(checked, regions, strict=False):
        assert c.export is None and not c.problems  # one region's model in memory at a time
        assert c.summary().startswith(f"{display_path(path)}: region ")
        assert " keywords, " in c.summary()
    assert checked[-1].baseline is not None  # kept: the regions' mappings are checked with it


def test_baseline_case_with_undefined_template(in_tmp: Path, cli: Cli) -> None:
    _write(
        in_tmp,
        "b/baseline.yaml",
        'id: b\nname: B\nversion: "1"\ncases:\n  psychiatry: {name: P, templates: [T-404]}\n',
    )
    _write(in_tmp, "b/model.yaml", "keywords:\n  - {id: K1, name: a, type: Text}\n")
    result = cli("validate", "b")
    assert (result.code, result.stdout) == (
        2,
        "b/baseline.yaml:5: case 'psychiatry' lists template 'T-404', which the baseline "
        "does not define\n",
    )


def test_region_mismatch_and_duplicates_across_files(in_tmp: Path, cli: Cli) -> None:
    _write(in_tmp, "r/region.yaml", "id: jonkoping\n")
    _write(
        in_tmp,
        "r/a.xml",
        '<?xml version="1.0"?>\n'
        '<cosmicExport xmlns="urn:cosmicdiff:export:1" region="kalmar">\n  <keywords>\n'
        '    <keyword id="K1" name="a" type="Text"/>\n  </keywords>\n</cosmicExport>\n',
    )
    _write(in_tmp, "r/b.csv", "id;name;type\nK1;a;Text\n")
    result = cli("validate", "r")
    assert result.code == 2
    assert result.stdout.splitlines() == [
        "r/b.csv:2: keyword 'K1' is defined twice (first at r/a.xml:4)",
        "r/a.xml:2: region='kalmar' does not match: region.yaml says 'jonkoping'",
    ]


def test_missing_path_is_a_problem_not_a_crash(in_tmp: Path, cli: Cli) -> None:
    result = cli("validate", "nowhere")
    assert (result.code, result.stdout, result.stderr) == (
        2,
        "nowhere: no such file or folder\n",
        ONE_BAD,
    )
