"""Input notes and the trend (compare --reference) in the HTML and Markdown reports.

Both are shown only when the result has them, so the goldens of the shipped examples (no
notes, no reference) stay as they are. Everything from an input is escaped.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import lxml.html
import pytest
from markdown_it import MarkdownIt
from model_edit import replace

from cosmicdiff.model import InputNote
from cosmicdiff.pipeline import CompareOptions
from cosmicdiff.pipeline import compare as run_compare
from cosmicdiff.reports import REPORTERS, OutputFormat, RenderContext
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.notes_and_trend import NOTES_SHOWN
from cosmicdiff.reports.view import build_view
from cosmicdiff.result.result import Result
from cosmicdiff.result.trend import apply_reference
from reports._support import MINI_BASELINE, ONE_ERROR, ONE_WARNING, write_region

HOSTILE = "bad <script>alert(1)</script> |pipe| `tick` *star* & </style>"
MD_HOSTILE = (
    r"bad &lt;script&gt;alert(1)&lt;/script&gt; \|pipe\| \`tick\` \*star\* &amp; "
    r"&lt;/style&gt;"
)
#: the reference's info deviation (resolved now) has a hostile actual value
HOSTILE_INFO = {
    "<description>Aktuell problematik</description>": "<description>Aktuell "
    "&lt;script&gt;x&lt;/script&gt; |q|</description>"
}
#: the reference's warning, renamed otherwise now: the same deviation id, updated
UPDATED_WARNING = {'name="Riskfaktorer"': 'name="Riskfaktorer (egen)"'}
OPTIONS = CompareOptions(today=dt.date(2026, 11, 23), jobs=1)
LANGS = ["sv", "en"]


def render(result: Result, fmt: OutputFormat, lang: str = "sv") -> str:
    return REPORTERS[fmt]().render(result, RenderContext(lang=lang))


def html_doc(text: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(text)


def norm(text: str) -> str:
    return " ".join(text.split())


def md_html(text: str) -> lxml.html.HtmlElement:
    """Render Markdown as a merge-request page would (CommonMark, tables, raw HTML on)."""
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    return lxml.html.document_fromstring(f"<html><body>{html}</body></html>")


def note(
    i: int,
    kind: str = "unusable_row",
    path: str = "catalogue/terms_a.json",
    message: str | None = None,
) -> InputNote:
    return InputNote(kind=kind, path=path, line=i, message=message or f"row {i} is empty")


@pytest.fixture(scope="module")
def _regions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two versions of region kalmar (then, now) and an unchanged copy."""
    root = tmp_path_factory.mktemp("notes_trend")
    return {
        "then": write_region(root / "then" / "kalmar", "kalmar", {**ONE_WARNING, **HOSTILE_INFO}),
        "now": write_region(root / "now" / "kalmar", "kalmar", {**UPDATED_WARNING, **ONE_ERROR}),
        "copy": write_region(root / "copy", "copy"),
    }


@pytest.fixture(scope="module")
def plain(_regions: dict[str, Path]) -> Result:
    """Region kalmar now (one error, one warning) and the copy: no notes, no trend."""
    return run_compare(MINI_BASELINE, [_regions["now"], _regions["copy"]], OPTIONS)


@pytest.fixture(scope="module")
def with_notes(plain: Result) -> Result:
    """The plain result with one baseline note and NOTES_SHOWN + 3 notes of kalmar."""
    kalmar = [note(i) for i in range(1, NOTES_SHOWN + 2)]
    kalmar.insert(1, note(7, "duplicate_id", "kalmar/terms.csv", HOSTILE))
    kalmar.append(note(99, "unsupported"))
    regions = tuple(
        replace(r, notes=tuple(kalmar)) if r.id == "kalmar" else r for r in plain.regions
    )
    base = (
        InputNote(
            kind="missing_translation",
            path="baseline/adl/obs.adl",
            line=None,
            message="no sv label for at0004; the en label is used",
            subject="at0004",
        ),
    )
    return replace(plain, baseline_notes=base, regions=regions)


@pytest.fixture(scope="module")
def with_trend(_regions: dict[str, Path], plain: Result) -> Result:
    """The plain result against a reference of kalmar's earlier export."""
    reference = run_compare(MINI_BASELINE, [_regions["then"], _regions["copy"]], OPTIONS)
    return apply_reference(plain, reference, "results/2026-10.json")


# --- input notes -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_html_notes_section(with_notes: Result, lang: str) -> None:
    t = Messages(lang)
    doc = html_doc(render(with_notes, OutputFormat.HTML, lang))
    sections = doc.xpath("//section[@id='input-notes']")
    assert len(sections) == 1
    sec = sections[0]
    assert norm(sec.xpath("./h2")[0].text_content()) == t("notes_heading")
    heads = [norm(h.text_content()) for h in sec.xpath("./h3")]
    assert heads == ["Minibaslinje för tester (mini)", "Region Kalmar (kalmar)"]
    counts = [norm(p.text_content()) for p in sec.xpath("./p[not(@class)]")]
    kinds = {
        k: t("note_kind." + k)
        for k in ("unusable_row", "duplicate_id", "missing_translation", "unsupported")
    }
    assert counts == [
        t("notes_count", n=1, kinds=f"{kinds['missing_translation']}: 1"),
        t(
            "notes_count",
            n=NOTES_SHOWN + 3,
            kinds=f"{kinds['duplicate_id']}: 1, "
            f"{kinds['unsupported']}: 1, {kinds['unusable_row']}: {NOTES_SHOWN + 1}",
        ),
    ]
    base, region = sec.xpath(".//table[contains(@class, 'notes')]")
    assert [norm(c.text_content()) for c in base.xpath("./tbody/tr/td")] == [
        kinds["missing_translation"],
        "baseline/adl/obs.adl",
        "no sv label for at0004; the en label is used",
    ]
    rows = [[norm(c.text_content()) for c in tr.xpath("./td")] for tr in region.xpath("./tbody/tr")]
    # grouped by kind (kinds in name order, each in reading order), each kind capped
    assert len(rows) == 2 + NOTES_SHOWN
    assert rows[0] == [kinds["duplicate_id"], "kalmar/terms.csv:7", norm(HOSTILE)]
    assert rows[1] == [kinds["unsupported"], "catalogue/terms_a.json:99", "row 99 is empty"]
    assert rows[2] == [kinds["unusable_row"], "catalogue/terms_a.json:1", "row 1 is empty"]
    assert rows[-1][1] == f"catalogue/terms_a.json:{NOTES_SHOWN}"
    more = [norm(p.text_content()) for p in sec.xpath("./p[@class='more']")]
    assert more == [t("more_in_json", n=1)]
    assert (
        "(" + ("alla finns i JSON-resultatet" if lang == "sv" else "all in the JSON result") + ")"
        in more[0]
    )
    # the overview links to the section, with the total
    links = [norm(a.text_content()) for a in doc.xpath("//a[@href='#input-notes']")]
    assert t("notes_summary", n=NOTES_SHOWN + 4) in links


def test_html_notes_are_escaped(with_notes: Result) -> None:
    text = render(with_notes, OutputFormat.HTML)
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    doc = html_doc(text)
    assert not list(doc.iter("script"))
    assert len(doc.xpath("//style")) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_notes(with_notes: Result, lang: str) -> None:
    t = Messages(lang)
    md = render(with_notes, OutputFormat.MARKDOWN, lang)
    lines = md.splitlines()
    assert f"### {t('notes_heading')}" in lines
    assert t("notes_summary", n=NOTES_SHOWN + 4) in lines
    summaries = [line for line in lines if line.startswith("<details><summary>Minibaslinje")]
    kinds = t("note_kind.missing_translation") + ": 1"
    assert summaries == [
        "<details><summary>Minibaslinje för tester (mini): "
        + t("notes_count", n=1, kinds=kinds)
        + "</summary>"
    ]
    dup = t("note_kind.duplicate_id")
    assert f"- kalmar/terms.csv:7: {MD_HOSTILE} ({dup})" in lines
    assert f"- catalogue/terms\\_a.json:1: row 1 is empty ({t('note_kind.unusable_row')})" in lines
    assert (
        "- baseline/adl/obs.adl: no sv label for at0004; the en label is used "
        f"({t('note_kind.missing_translation')})" in lines
    )
    items = [line for line in lines if line.startswith(("- catalogue/", "- kalmar/"))]
    assert len(items) == 2 + NOTES_SHOWN  # each kind capped at NOTES_SHOWN
    assert items[0] == f"- kalmar/terms.csv:7: {MD_HOSTILE} ({dup})"  # grouped by kind
    assert t("more_in_json", n=1) in lines
    # rendered as a merge request shows it: no markup from the data, the text intact
    doc = md_html(md)
    assert not list(doc.iter("script"))
    shown = [norm(li.text_content()) for li in doc.iter("li")]
    assert f"kalmar/terms.csv:7: {norm(HOSTILE)} ({dup})" in shown


def test_unknown_note_kind_is_shown_as_it_is(plain: Result) -> None:
    odd = replace(plain, baseline_notes=(note(3, kind="from_a_newer_tool"),))
    view = build_view(odd, "en")
    assert [s.summary for s in view.notes] == ["from_a_newer_tool: 1"]
    assert "(from\\_a\\_newer\\_tool)" in render(odd, OutputFormat.MARKDOWN, "en")


# --- trend -------------------------------------------------------------------------------


def test_trend_states(with_trend: Result) -> None:
    assert with_trend.trend is not None
    assert with_trend.trend.counts(with_trend) == {
        "new": 1,
        "unchanged": 0,
        "updated": 1,
        "resolved": 1,
    }


@pytest.mark.parametrize("lang", LANGS)
def test_html_trend(with_trend: Result, lang: str) -> None:
    t = Messages(lang)
    doc = html_doc(render(with_trend, OutputFormat.HTML, lang))
    cover = {
        norm(tr[0].text_content()): norm(tr[1].text_content())
        for tr in doc.xpath("//header/table[1]/tr")
    }
    assert cover[t("cover_reference")] == f"results/2026-10.json (2026-11-23, {t('version')} 1.0)"
    overview = doc.xpath("//section[contains(@class, 'overview')]")[0]
    assert norm(overview.xpath(".//h3[@id='trend']")[0].text_content()) == t("trend_heading")
    paragraphs = [norm(p.text_content()) for p in overview.xpath("./p")]
    assert (
        t.trend(
            "results/2026-10.json",
            "2026-11-23",
            {"new": 1, "updated": 1, "unchanged": 0, "resolved": 1},
        )
        in paragraphs
    )
    scores = [norm(li.text_content()) for li in overview.xpath(".//ul[@class='trend-scores']/li")]
    psychiatry, drugs = dict(with_trend.cases)["psychiatry"], dict(with_trend.cases)["drugs"]
    assert scores == [
        t(
            "trend_score", region="Region Kalmar", case=psychiatry, before="83 %", after="92 %"
        ).strip(),
        t("trend_score", region="Region Kalmar", case=drugs, before="100 %", after="75 %").strip(),
    ]
    # the deviation cells tag the new and the updated deviation
    tags = [(tag.get("class"), norm(tag.text_content())) for tag in doc.find_class("trend-tag")]
    assert sorted(tags) == sorted(
        [("trend-tag new", t("trend_new")), ("trend-tag updated", t("trend_updated"))]
    )
    # the resolved deviation, from the reference as it was saved
    resolved = doc.xpath("//section[@id='resolved']")[0]
    assert norm(resolved.xpath("./h2")[0].text_content()) == f"{t('trend_resolved_heading')} (1)"
    rows = [
        [norm(c.text_content()) for c in tr.xpath("./td")]
        for tr in resolved.xpath(".//table/tbody/tr")
    ]
    assert rows == [
        [
            t("severity.info"),
            "Region Kalmar",
            psychiatry,
            "CD207",
            f"{t('entity.keyword')} Aktuellt B-SO-1: {t('kind.attribute_changed')} "
            f"({t('field.description')})",
            "Aktuell problematik",
            "Aktuell <script>x</script> |q|",
        ]
    ]
    assert doc.xpath("//nav//a[@href='#resolved']")


def test_html_trend_is_escaped(with_trend: Result) -> None:
    text = render(with_trend, OutputFormat.HTML)
    assert "<script" not in text.lower()
    assert "Aktuell &lt;script&gt;x&lt;/script&gt; |q|" in text


@pytest.mark.parametrize("lang", LANGS)
def test_markdown_trend(with_trend: Result, lang: str) -> None:
    t = Messages(lang)
    md = render(with_trend, OutputFormat.MARKDOWN, lang)
    lines = md.splitlines()
    assert f"### {t('trend_heading')}" in lines
    assert any(
        line.startswith(
            t.trend(
                "results/2026-10.json",
                "2026-11-23",
                {"new": 1, "updated": 1, "unchanged": 0, "resolved": 1},
            )
        )
        for line in lines
    )
    drugs = dict(with_trend.cases)["drugs"]
    assert (
        "- "
        + t("trend_score", region="Region Kalmar", case=drugs, before="100 %", after="75 %").strip()
        in lines
    )
    assert f"<details><summary>{t('trend_resolved_heading')} (1)</summary>" in lines
    resolved = [line for line in lines if line.startswith("| ") and "`CD207`" in line]
    assert resolved == [
        f"| {t('severity.info')} | Region Kalmar | {dict(with_trend.cases)['psychiatry']} | "
        f"`CD207` | {t('entity.keyword')} "
        f"Aktuellt `B-SO-1`: {t('kind.attribute_changed')} ({t('field.description')}) | "
        r"Aktuell problematik | Aktuell &lt;script&gt;x&lt;/script&gt; \|q\| |"
    ]
    # the tags in both tables (the top deviations and the region's)
    new = f"**{t('trend_new').upper()}**"
    updated = f"**{t('trend_updated').upper()}**"
    unit = [line for line in lines if "`CD202`" in line]
    renamed = [line for line in lines if "`CD105`" in line]
    assert len(unit) == 2 and all(new in line for line in unit)
    assert len(renamed) == 2 and all(updated in line for line in renamed)
    assert not list(md_html(md).iter("script"))


def test_fail_on_new_is_said(_regions: dict[str, Path], plain: Result) -> None:
    reference = run_compare(MINI_BASELINE, [_regions["then"], _regions["copy"]], OPTIONS)
    gated = apply_reference(plain, reference, "r1.json", fail_on_new=True)
    t = Messages("en")
    assert t("trend_gate") in render(gated, OutputFormat.HTML, "en")
    assert t("trend_gate") in render(gated, OutputFormat.MARKDOWN, "en")


def test_resolved_follow_the_region_selection(with_trend: Result) -> None:
    view = build_view(with_trend.select(regions=["copy"]), "en")
    assert view.trend is not None
    assert view.trend.resolved == [] and view.trend.counts["resolved"] == 0
    html = render(with_trend.select(regions=["copy"]), OutputFormat.HTML, "en")
    assert Messages("en")("trend_no_resolved") in html


# --- neither -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_no_section_without_notes_or_trend(plain: Result, lang: str) -> None:
    t = Messages(lang)
    html = render(plain, OutputFormat.HTML, lang)
    md = render(plain, OutputFormat.MARKDOWN, lang)
    for text in (html, md):
        for key in (
            "notes_heading",
            "trend_heading",
            "trend_resolved_heading",
            "cover_reference",
            "trend_legend",
        ):
            assert t(key) not in text, key
    for marker in ("input-notes", "trend-tag", 'id="resolved"', 'id="trend"'):
        assert marker not in html
    assert "**" + t("trend_new").upper() + "**" not in md


@pytest.mark.parametrize("fixture", ["with_notes", "with_trend"])
def test_deterministic(fixture: str, request: pytest.FixtureRequest) -> None:
    result: Result = request.getfixturevalue(fixture)
    for fmt in (OutputFormat.HTML, OutputFormat.MARKDOWN):
        assert render(result, fmt) == render(result, fmt)
