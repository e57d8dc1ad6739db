"""Everything from an input is shown as text: markup, quotes, entities, a style-closing tag,
pipes and backticks in region, keyword, template, case and baseline names (fixture
ppl-hostile against a hostile copy of the mini baseline)."""

from __future__ import annotations

import html as htmllib
import re
from collections.abc import Callable

import pytest
import tinycss2

from reports_people._helpers import (
    HOSTILE_B_JM_2,
    HOSTILE_B_SO_4,
    HOSTILE_B_SO_6,
    HOSTILE_BASELINE_NAME,
    HOSTILE_CASE_ID,
    HOSTILE_CASE_NAME,
    HOSTILE_EXTRA_NAME,
    HOSTILE_REGION_NAME,
    catalogue,
    header_cells,
    html_doc,
    is_separator,
    md_cells,
    md_tables,
    norm,
    render_markdown,
    style_text,
    texts,
)

SV = catalogue("sv")


@pytest.fixture(scope="module")
def html(hostile: Callable[..., str]) -> str:
    return hostile("html")


@pytest.fixture(scope="module")
def md(hostile: Callable[..., str]) -> str:
    return hostile("markdown")


# --- HTML --------------------------------------------------------------------------------


def test_html_has_no_raw_markup_from_the_data(html: str) -> None:
    assert "<script" not in html.lower()
    assert "<b>" not in html
    doc = html_doc(html)
    assert not list(doc.iter("script"))
    assert not list(doc.iter("b"))
    assert len(doc.xpath("//style")) == 1


def test_html_shows_the_hostile_text_as_text(html: str) -> None:
    doc = html_doc(html)
    title = f"{SV['report_title']}: {HOSTILE_BASELINE_NAME} 1.0"
    assert norm(doc.xpath("//title")[0].text_content()) == title
    assert norm(doc.xpath("//h1")[0].text_content()) == title
    cover_regions = texts(doc.xpath("//header//table[2]/tbody/tr/td[1]"))
    assert cover_regions[0] == f"{HOSTILE_REGION_NAME} (hostile)"
    matrix = doc.xpath("//table[contains(@class, 'matrix')]")[0]
    assert texts(matrix.xpath("./tbody/tr/th"))[0] == HOSTILE_REGION_NAME
    assert header_cells(matrix)[1:] == [
        f"{HOSTILE_CASE_NAME} (psychiatry)",
        f"Läkemedel ({HOSTILE_CASE_ID})",
    ]
    # the extra keyword's row is labelled with its (hostile) name
    labels = texts(doc.xpath("//tr[contains(@class, 'extra-row')]/td[1]"))
    assert f"{HOSTILE_EXTRA_NAME} H-SO-9" in labels
    shown = norm(doc.text_content())
    for value in (
        HOSTILE_B_SO_4,
        HOSTILE_B_SO_6,
        HOSTILE_B_JM_2,
        "Suicidrisk <script>alert(1)</script> </style>",
    ):
        assert f"→ {value}" in shown, value
    # the hostile region's column header in the side-by-side tables
    for table in doc.xpath("//table[contains(@class, 'side-by-side')]"):
        assert header_cells(table)[2] == HOSTILE_REGION_NAME


def test_html_attributes_carry_hostile_ids_as_text(html: str) -> None:
    doc = html_doc(html)
    assert doc.xpath("//section[@id=$id]", id=f"case-{HOSTILE_CASE_ID}")
    assert f"#case-{HOSTILE_CASE_ID}" in doc.xpath("//nav//a/@href")


def test_style_block_survives_and_running_header_is_a_valid_css_string(html: str) -> None:
    css = style_text(html)
    # the whole stylesheet is inside the one <style>: nothing from the data ended it early
    assert "@media print" in css and "@page :first" in css
    assert "</style" not in css.lower() and "<script" not in css.lower()
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    assert not [r for r in rules if r.type == "error"]
    page = next(
        r
        for r in rules
        if r.type == "at-rule"
        and r.lower_at_keyword == "page"
        and not tinycss2.serialize(r.prelude).strip()
    )
    boxes = {
        r.lower_at_keyword: r
        for r in tinycss2.parse_blocks_contents(page.content)
        if r.type == "at-rule"
    }
    decls = [
        d
        for d in tinycss2.parse_blocks_contents(boxes["top-left"].content)
        if d.type == "declaration"
    ]
    content = next(d for d in decls if d.lower_name == "content")
    tokens = [t for t in content.value if t.type != "whitespace"]
    assert [t.type for t in tokens] == ["string"]
    assert tokens[0].value == f"{HOSTILE_BASELINE_NAME} 1.0"


# --- Markdown ----------------------------------------------------------------------------


def test_markdown_has_no_raw_markup(md: str) -> None:
    assert "<script" not in md.lower()
    assert "<b>" not in md and "</style" not in md.lower()
    rendered = render_markdown(md)
    assert not list(rendered.iter("script"))
    assert not list(rendered.iter("style"))
    assert not list(rendered.iter("b"))


def test_markdown_tables_keep_their_shape(md: str) -> None:
    tables = md_tables(md)
    assert len(tables) == 3  # matrix, top deviations, the hostile region's details
    for table in tables:
        width = len(md_cells(table[0]))
        assert is_separator(table[1])
        for line in table:
            assert len(md_cells(line)) == width, line


def test_markdown_renders_the_hostile_text_as_text(md: str) -> None:
    """Rendered as a merge-request page would, each cell shows the data as it is."""
    rendered = render_markdown(md)
    tables = rendered.xpath("//table")
    assert len(tables) == 3
    matrix = tables[0]
    assert texts(matrix.xpath(".//thead//th")) == ["Region", HOSTILE_CASE_NAME, "Läkemedel"]
    body = [texts(tr.xpath("./td")) for tr in matrix.xpath(".//tbody/tr")]
    assert [len(r) for r in body] == [3, 3]
    top = tables[1]
    rows = [texts(tr.xpath("./td")) for tr in top.xpath(".//tbody/tr")]
    assert all(len(r) == 7 for r in rows)
    actual = {r[-1] for r in rows}
    assert "Suicidrisk <script>alert(1)</script> </style>" in actual
    assert HOSTILE_B_SO_4 in actual
    cases = {r[2] for r in rows}  # the cases' names (a case without one: its id)
    assert cases == {HOSTILE_CASE_NAME, "Läkemedel"}
    h2 = norm(rendered.xpath("//h2")[0].text_content())
    assert h2 == f"{SV['report_title']}: {HOSTILE_BASELINE_NAME} 1.0"


def test_markdown_shows_backticks_as_they_are(md: str) -> None:
    rendered = render_markdown(md)
    cells = set(texts(rendered.xpath("//table//td")))
    assert HOSTILE_B_SO_6 in cells
    assert HOSTILE_B_JM_2 in cells
    assert HOSTILE_REGION_NAME in cells


def test_markdown_summary_shows_the_region_name_as_it_is(md: str) -> None:
    summaries = re.findall(r"<summary>(.*?)</summary>", md)
    assert len(summaries) == 1
    assert htmllib.unescape(summaries[0]).startswith(HOSTILE_REGION_NAME + ":")
