"""Text where the export schema allows none is refused, at the line where it stands.

Only ``<display>`` and ``<description>`` hold text. Anywhere else the XSD (``validate``)
refuses text, so the reader (``compare``) refuses it too instead of dropping it; the
message names the element the text stands in and shows a short, escaped excerpt.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cosmicdiff.errors import CosmicdiffError
from cosmicdiff.parsers.cosmic.xml_export import read_xml_export
from parsers.helpers import REGIONS, keywords_doc, write, xml_doc

ALL_FIELDS = REGIONS / "xml-all-fields" / "export.xml"
_TAG = re.compile(r"<(/?)([A-Za-z][\w.:-]*)[^<>]*?(/?)>")
_TEXT_ALLOWED = frozenset({"display", "description"})


def _gaps(text: str) -> list[tuple[int, str]]:
    """Return (offset, element it stands in) of every place between tags inside the root
    where the schema allows no text: after the first newline of the gap, else at its start."""
    out: list[tuple[int, str]] = []
    stack: list[str] = []
    last_end = None
    for m in _TAG.finditer(text):
        if last_end is not None and stack and stack[-1] not in _TEXT_ALLOWED:
            gap = text[last_end : m.start()]
            assert not gap.strip(), gap
            newline = gap.find("\n")
            out.append((last_end + (newline + 1 if newline >= 0 else 0), stack[-1]))
        closing, name, empty = m.group(1), m.group(2), m.group(3)
        if name.startswith("?"):
            continue
        if closing:
            assert stack.pop() == name
        elif not empty:
            stack.append(name)
        last_end = m.end()
    return out


def _problems(path: Path) -> list[str]:
    with pytest.raises(CosmicdiffError) as info:
        read_xml_export(path, path.name)
    return info.value.lines()


_SOURCE = ALL_FIELDS.read_text(encoding="utf-8")
_PLACES = _gaps(_SOURCE)


def test_the_fixture_has_a_gap_in_every_kind_of_element() -> None:
    assert {holder for _, holder in _PLACES} == {
        "cosmicExport",
        "terms",
        "term",
        "valueLists",
        "valueList",
        "value",
        "keywords",
        "keyword",
        "templates",
        "template",
        "item",
    }
    assert len(_PLACES) > 40


@pytest.mark.parametrize(("offset", "holder"), _PLACES, ids=[f"{h}@{o}" for o, h in _PLACES])
def test_text_anywhere_but_display_and_description_is_refused_at_its_line(
    tmp_path: Path, offset: int, holder: str
) -> None:
    text = _SOURCE[:offset] + "Stray &amp; &lt;text>" + _SOURCE[offset:]
    line = _SOURCE.count("\n", 0, offset) + 1
    path = write(tmp_path, "export.xml", text)
    assert _problems(path) == [
        f"export.xml:{line}: unexpected text 'Stray & <text>' inside <{holder}>"
    ]


def test_every_stray_text_of_a_file_is_listed_in_file_order(tmp_path: Path) -> None:
    text = xml_doc(
        "  <keywords>\n"
        '    <keyword id="K1" name="a" type="Text">oops</keyword>\n'
        '    <keyword id="K2" name="b" type="Text">\n'
        '      <binding system="snomed-ct" code="1">bad</binding>\n'
        "      tail text\n"
        "    </keyword>\n"
        "    stray between\n"
        '    <keyword id="K3" name="c" type="Text"/>\n'
        "    last\n"
        "  </keywords>\n"
        "  after the section\n"
    )
    assert _problems(write(tmp_path, "s.xml", text)) == [
        "s.xml:4: unexpected text 'oops' inside <keyword>",
        "s.xml:6: unexpected text 'bad' inside <binding>",
        "s.xml:7: unexpected text 'tail text' inside <keyword>",
        "s.xml:9: unexpected text 'stray between' inside <keywords>",
        "s.xml:11: unexpected text 'last' inside <keywords>",
        "s.xml:13: unexpected text 'after the section' inside <cosmicExport>",
    ]


def test_text_between_many_records_is_found_after_they_are_dropped(tmp_path: Path) -> None:
    keywords = [f'<keyword id="K{i}" name="n{i}" type="Text"/>' for i in range(300)]
    keywords[150] += " mitt i"
    path = write(tmp_path, "many.xml", keywords_doc(*keywords))
    assert _problems(path) == ["many.xml:154: unexpected text 'mitt i' inside <keywords>"]


def test_a_multi_line_start_tag_after_the_text_is_counted_from_its_first_line(
    tmp_path: Path,
) -> None:
    text = keywords_doc(
        '<keyword id="K1" name="a" type="Text"/>',
        "x",
        "<keyword",
        '  id="K2"',
        '  name="b" type="Text"/>',
    )
    assert _problems(write(tmp_path, "m.xml", text)) == [
        "m.xml:5: unexpected text 'x' inside <keywords>"
    ]


@pytest.mark.parametrize(
    ("inner", "excerpt"),
    [
        ("<![CDATA[in CDATA]]>", "'in CDATA'"),
        ("&#65;&#x42;", "'AB'"),
        ("it's", '"it\'s"'),
        ("a\n   b\t c", "'a b c'"),
        ("x" * 41, "'" + "x" * 40 + "…'"),
        ("y" * 40, "'" + "y" * 40 + "'"),
        ("zero\u200bwidth", "'zero\\u200bwidth'"),
    ],
    ids=["cdata", "character-references", "quote", "white-space", "long", "forty", "invisible"],
)
def test_the_excerpt_is_one_short_escaped_line(tmp_path: Path, inner: str, excerpt: str) -> None:
    text = keywords_doc(f'<keyword id="K1" name="a" type="Text">{inner}</keyword>')
    assert _problems(write(tmp_path, "e.xml", text)) == [
        f"e.xml:4: unexpected text {excerpt} inside <keyword>"
    ]


@pytest.mark.parametrize("holder", ["display", "description"])
def test_an_element_inside_display_or_description_is_refused(tmp_path: Path, holder: str) -> None:
    record = (
        '<term system="atc" code="A1"><display>Före <b>fet</b> efter</display></term>'
        if holder == "display"
        else '<keyword id="K1" name="a" type="Text"><description>Före <b>fet</b> efter'
        "</description></keyword>"
    )
    section = "terms" if holder == "display" else "keywords"
    text = xml_doc(f"  <{section}>\n    {record}\n  </{section}>\n")
    assert _problems(write(tmp_path, "d.xml", text)) == [
        f"d.xml:4: unexpected element <b> in <{holder}>"
    ]


def test_text_in_display_and_description_and_white_space_elsewhere_are_read(tmp_path: Path) -> None:
    text = xml_doc(
        '  <terms>\n    <term system="atc" code="A1">\n      <display>  Omeprazol  '
        '</display>\n    </term>\n  </terms>\n  <keywords>\n    <keyword id="K1" name="a"'
        ' type="Text">\n\t<description>\n Fritext\n</description>\r\n    </keyword>\n'
        "  </keywords>\n"
    )
    frag = read_xml_export(write(tmp_path, "ok.xml", text), "ok.xml")
    assert frag.terms[0].displays == {"sv": "  Omeprazol  "}
    assert frag.keywords[0].description == "\n Fritext\n"


def test_an_element_inside_a_binding_is_refused(tmp_path: Path) -> None:
    text = keywords_doc(
        '<keyword id="K1" name="a" type="Text">',
        '  <binding system="atc" code="A1"><note/></binding>',
        "</keyword>",
    )
    assert _problems(write(tmp_path, "b.xml", text)) == [
        "b.xml:5: unexpected element <note> in <binding>"
    ]
