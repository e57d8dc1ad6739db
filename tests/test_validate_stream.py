"""validate's XSD check streams a valid file and lists an invalid one's problems as before.

``schema_problems`` first validates as a stream (no whole tree); only a file that the
stream finds wrong is parsed into a whole tree (``tree_problems``) to list every problem
with its line. These tests hold the two paths to the same answers: the stream must never
vouch for a file the whole tree refuses (a file cut short, a comment left open after the
root, text where none is allowed, a problem past line 65,535 or after the first 1,024
records), and a valid file must never need the whole tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, MINI_BASELINE, MINI_COPY

import cosmicdiff.checks.validate as validate
from cosmicdiff.checks.validate import (
    RECORD_TAGS,
    export_schema,
    schema_problems,
    tree_problems,
)
from cosmicdiff.io.safe_xml import stream_is_valid

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<cosmicExport xmlns="urn:cosmicdiff:export:1" region="r">\n'
)
END = "</cosmicExport>\n"


def _keywords(count: int, bad: frozenset[int] = frozenset()) -> str:
    """``count`` keywords, one per line; those numbered in ``bad`` have an unknown type."""
    rows = (
        f'    <keyword id="K{n}" name="Sökord {n}" type="{"Txt" if n in bad else "Text"}"/>\n'
        for n in range(count)
    )
    return "  <keywords>\n" + "".join(rows) + "  </keywords>\n"


VALID = HEAD + _keywords(3) + END

INVALID = {
    "several-errors": HEAD
    + "  <keywords>\n"
    + '    <keyword id="K1" type="Text"/>\n'
    + '    <keyword id="K2" name="b" type="Text" hiddenFrom1177="yes"/>\n'
    + '    <keyword id="K3" name="c"\n             type="Txt"/>\n'
    + "  </keywords>\n"
    + '  <templates>\n    <template id="T" name="t" noteType="utr">\n'
    + '      <item mandatory="true"/>\n      <foo/>\n    </template>\n  </templates>\n'
    + END,
    "stray-text": HEAD
    + "  <keywords>\n"
    + '    <keyword id="K1" name="a" type="Txt"/>\n'
    + "    lös text\n"
    + '    <keyword id="K2" name="b" type="Text">\n'
    + '      <binding system="snomed-ct" code="1">inuti</binding>\n'
    + "    </keyword>\n  </keywords>\n"
    + END,
    "text-in-root": HEAD + "  text\n" + _keywords(2) + END,
    # first problem in record 1, the next one after 3,000 records: both are listed
    "after-many-records": HEAD + _keywords(3_000, frozenset({1, 2_998})) + END,
    "cut-short": (HEAD + _keywords(40))[:-300],
    "cut-after-root-start": HEAD,
    "comment-left-open": VALID + "<!-- en kommentar",
    "comment-left-open-with-end-tag": VALID + "<!-- </cosmicExport>\n",
    "cdata-left-open": HEAD + _keywords(2) + "<![CDATA[ x </cosmicExport>\n",
    "pi-left-open": VALID + "<?pi </cosmicExport>\n",
    "element-after-root": VALID + "<cosmicExport/>\n",
    "no-namespace": VALID.replace(' xmlns="urn:cosmicdiff:export:1"', ""),
    "unknown-root": VALID.replace("cosmicExport", "export"),
}


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.xml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(INVALID))
def test_an_invalid_file_gets_the_whole_tree_problems(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, INVALID[name])
    assert not stream_is_valid(path, name, export_schema(), RECORD_TAGS)
    problems = schema_problems(path)
    assert problems  # never vouched for
    assert problems == tree_problems(path)


def test_several_problems_keep_their_lines_and_messages(tmp_path: Path) -> None:
    path = _write(tmp_path, "x", INVALID["several-errors"])
    assert [(p.line, p.message[:40]) for p in schema_problems(path)] == [
        (4, "schema: Element 'keyword': The attribute"),
        (5, "schema: Element 'keyword', attribute 'hi"),
        (7, "schema: Element 'keyword', attribute 'ty"),
        (11, "schema: Element 'item': The attribute 'k"),
        (12, "schema: Element 'foo': This element is n"),
    ]


def test_a_problem_after_the_first_records_is_listed_with_the_first(tmp_path: Path) -> None:
    path = _write(tmp_path, "x", INVALID["after-many-records"])
    assert [p.line for p in schema_problems(path)] == [5, 3_002]


def test_a_problem_past_line_65535_is_reported_at_its_exact_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "x", HEAD + _keywords(70_000, frozenset({69_990, 69_991})) + END)
    assert not stream_is_valid(path, "x.xml", export_schema(), RECORD_TAGS)
    problems = schema_problems(path)
    assert problems == tree_problems(path)
    # keyword n stands on line n + 4; libxml2 alone says 69,995 and 69,996 (the lines it
    # borrows from the next text node past its 16-bit limit)
    assert [p.line for p in problems] == [69_994, 69_995]


def test_stray_text_is_reported_as_the_reader_reports_it(tmp_path: Path) -> None:
    path = _write(tmp_path, "x", INVALID["stray-text"])
    assert [(p.line, p.message) for p in schema_problems(path)] == [
        (
            4,
            "schema: Element 'keyword', attribute 'type': [facet 'enumeration'] The value "
            "'Txt' is not an element of the set {'Text', 'Numeric', 'FixValue', 'DateTime', "
            "'Boolean', 'Formula', 'ClinicalCoding', 'BloodPressure', 'CheckboxConfigurable', "
            "'Register', 'WordProcessing', 'Other'}.",
        ),
        (5, "unexpected text 'lös text' inside <keywords>"),
        (7, "unexpected text 'inuti' inside <binding>"),
    ]


def _valid_files() -> list[Path]:
    folders = [MINI_BASELINE, MINI_COPY, *sorted(EXAMPLES.iterdir())]
    return [f for folder in folders for f in sorted(folder.glob("*.xml"))]


@pytest.mark.parametrize("path", _valid_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_valid_file_never_needs_the_whole_tree(
    monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    assert tree_problems(path) == []

    def no_tree(*_args: object) -> object:
        raise AssertionError("a valid file was parsed into a whole tree")

    monkeypatch.setattr(validate, "parse_tree", no_tree)
    assert schema_problems(path) == []


def test_a_valid_file_with_comments_after_the_root_streams(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = _write(tmp_path, "x", VALID + "<!-- slut -->\n<?pi x?>\n\n")
    assert stream_is_valid(path, "x.xml", export_schema(), RECORD_TAGS)
    assert schema_problems(path) == tree_problems(path) == []


def test_a_large_file_streams_as_read_for_a_progress_bar(tmp_path: Path) -> None:
    from cosmicdiff.io.read_progress import MIN_BYTES, reporting_bytes

    text = HEAD + _keywords(MIN_BYTES // 50) + END
    path = _write(tmp_path, "big", text)
    assert path.stat().st_size > MIN_BYTES
    seen: list[int] = []
    with reporting_bytes(lambda _d, done, _t: seen.append(done)):
        assert stream_is_valid(path, "big.xml", export_schema(), RECORD_TAGS)
        cut = _write(tmp_path, "cut", text[:-100])
        assert not stream_is_valid(cut, "cut.xml", export_schema(), RECORD_TAGS)
    assert path.stat().st_size in seen
