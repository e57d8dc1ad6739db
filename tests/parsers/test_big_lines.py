"""Exact lines past libxml2's 16-bit limit: an export of more than 70,000 lines.

libxml2 keeps an element's line in 16 bits; past line 65,535 lxml reports a borrowed line
(the first child's or the next sibling's, often one too many). Every record, item and value
the reader builds must still cite the line where its start tag begins, as expat counts it.
"""

from __future__ import annotations

import json
import xml.parsers.expat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cosmicdiff.cli.app import app
from cosmicdiff.io.safe_xml import parse_bytes
from cosmicdiff.io.source_lines import BIG_LINE, SourceText
from cosmicdiff.parsers.cosmic.xml_export import read_xml_export
from parsers.helpers import DECL, END, ROOT, write

KEYWORDS = 36_000  # two lines each on average: the file passes line 70,000


def _keyword(n: int) -> str:
    """One keyword in one of four layouts: empty, with children, multi-line start tag."""
    kid = f"RX-SO-{n:05d}"
    if n % 4 == 0:
        return f'    <keyword id="{kid}" name="Sökord {n}" type="Text"/>\n'
    if n % 4 == 1:
        return (
            f'    <keyword id="{kid}" name="Sökord {n} &lt;18 år" type="ClinicalCoding">\n'
            '      <binding system="snomed-ct" code="140564003"/>\n'
            "    </keyword>\n"
        )
    if n % 4 == 2:
        return (
            f'    <keyword id="{kid}"\n             name="Sökord {n}"\n'
            '             type="Numeric" unit="h"/>\n'
        )
    return (
        f'    <keyword id="{kid}" name="Sökord {n}" type="WordProcessing">\n'
        f"      <description>Beskrivning {n}</description>\n"
        "    </keyword>\n"
    )


def _big_export(comment: bool = True) -> str:
    parts = [DECL, ROOT, "  <keywords>\n"]
    parts += [_keyword(n) for n in range(KEYWORDS)]
    if comment:  # a comment that looks like a record must not be taken for one
        parts.append('    <!-- <keyword id="RX-SO-99999" name="x" type="Text"/> -->\n')
    parts.append("  </keywords>\n  <valueLists>\n")
    parts.append('    <valueList id="RX-VL-1" name="Värdelista">\n')
    parts += [f'      <value code="{c}" display="Värde {c}"/>\n' for c in range(40)]
    parts.append("    </valueList>\n  </valueLists>\n  <templates>\n")
    for t in range(30):
        parts.append(f'    <template id="RX-JM-{t}" name="Mall {t}" cases="psychiatry">\n')
        for n in range(t * 20, t * 20 + 20):
            if n % 5 == 0:
                parts.append(f'      <item keyword="RX-SO-{n:05d}">\n')
                parts.append(f'        <item keyword="RX-SO-{n + 1:05d}"/>\n')
                parts.append("      </item>\n")
            else:
                # the same keyword twice in a row in some templates: still told apart by line
                parts.append(f'      <item keyword="RX-SO-{n:05d}"/>\n')
        parts.append("    </template>\n")
    parts.append('    <template id="RX-JM-99" name="Sista mallen" cases="psychiatry">\n')
    parts += [f'      <item keyword="RX-SO-{n:05d}"/>\n' for n in range(KEYWORDS - 8, KEYWORDS)]
    parts.append("    </template>\n  </templates>\n")
    parts.append(END)
    return "".join(parts)


@pytest.fixture(scope="module", params=["with-comment", "plain"])
def big(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The big export with a comment past the limit (every start tag is checked against the
    element's attributes) and without one (the start tags are taken in file order)."""
    text = _big_export(comment=request.param == "with-comment")
    return write(tmp_path_factory.mktemp("big"), "export.xml", text)


def _expat_lines(path: Path) -> list[tuple[str, dict[str, str], int]]:
    """Return every start tag's name, attributes and first line, in file order."""
    out: list[tuple[str, dict[str, str], int]] = []
    parser = xml.parsers.expat.ParserCreate()

    def start(name: str, attrs: dict[str, str]) -> None:
        out.append((name, attrs, parser.CurrentLineNumber))

    parser.StartElementHandler = start
    parser.Parse(path.read_bytes(), True)
    return out


def test_the_fixture_passes_line_70000_and_lxml_borrows_lines_there(big: Path) -> None:
    data = big.read_bytes()
    assert data.count(b"\n") > 70_000
    root = parse_bytes(data, "export.xml").getroot()
    truth = _expat_lines(big)
    wrong = [
        (el.sourceline, line)
        for el, (_, _, line) in zip(root.iter(), truth, strict=True)
        if line > BIG_LINE and el.sourceline != line
    ]
    assert len(wrong) > 1000  # the limit this test is about is real in this lxml


def test_every_start_line_is_exact_past_line_65535(big: Path) -> None:
    data = big.read_bytes()
    source = SourceText(data)
    root = parse_bytes(data, "export.xml").getroot()
    truth = _expat_lines(big)
    found = [source.start_line(el) for el in root.iter()]
    assert found == [line for _, _, line in truth]


def test_records_items_and_values_cite_their_exact_lines(big: Path) -> None:
    frag = read_xml_export(big, "export.xml")
    truth = _expat_lines(big)
    keyword_lines = {a["id"]: line for name, a, line in truth if name == "keyword"}
    assert max(keyword_lines.values()) > 70_000
    assert len(frag.keywords) == KEYWORDS  # the commented-out keyword is not one
    assert {k.id: k.loc.line for k in frag.keywords} == keyword_lines
    value_lines = [line for name, _, line in truth if name == "value"]
    assert [v.loc.line for v in frag.value_lists[0].values] == value_lines
    item_lines = [line for name, _, line in truth if name == "item"]
    read_items = []

    def walk(items: tuple) -> None:  # type: ignore[type-arg]
        for item in items:
            read_items.append(item.loc.line)
            walk(item.children)

    for template in frag.templates:
        walk(template.items)
    assert read_items == item_lines
    template_lines = [line for name, _, line in truth if name == "template"]
    assert [t.loc.line for t in frag.templates] == template_lines


def test_a_compare_finding_past_line_70000_cites_the_keyword_line(
    big: Path, tmp_path: Path
) -> None:
    """End to end: the region renames a keyword that stands past line 70,000."""
    truth = _expat_lines(big)
    last = f"RX-SO-{KEYWORDS - 4:05d}"  # an empty, one-line keyword near the end
    line = next(ln for name, a, ln in truth if name == "keyword" and a.get("id") == last)
    assert line > 70_000
    base = tmp_path / "base"
    write(
        base,
        "baseline.yaml",
        "id: test\nname: Test\nversion: '1'\n"
        "cases:\n  psychiatry:\n    name: Psykiatri\n    templates: [RX-JM-99]\n",
    )
    write(base, "export.xml", big.read_text(encoding="utf-8"))
    region = tmp_path / "rx"
    text = big.read_text(encoding="utf-8").replace(
        f'id="{last}" name="Sökord {KEYWORDS - 4}"', f'id="{last}" name="Annat namn"'
    )
    write(region, "export.xml", text)
    out = tmp_path / "result.json"
    result = CliRunner().invoke(
        app, ["compare", "--baseline", str(base), str(region), "--format", "json", "-o", str(out)]
    )
    assert result.exit_code in (0, 1), result.output
    found = [d for d in json.loads(out.read_text())["deviations"] if d["local_id"] == last]
    assert [(d["kind"], d["location"]["line"]) for d in found] == [("renamed", line)]
    assert found[0]["baseline_location"]["line"] == line
