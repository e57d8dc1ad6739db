"""The charts of people's reports (cosmicdiff/reports/charts): the overview chart of the HTML
report, its determinism and escaping, and the change since a reference result."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import pytest

from cosmicdiff.reports.charts.figure import to_svg
from cosmicdiff.reports.charts.heatmap import Agreement, agreement_chart
from cosmicdiff.reports.charts.scores import ScoreBars, score_chart
from reports_people._helpers import HOSTILE_REGION_NAME, compare_examples, html_doc

SVG_NS = "{http://www.w3.org/2000/svg}"


def chart_of(html: str, ident: str = "overview-chart") -> str:
    """Return the inline SVG of the figure ``ident`` (as text)."""
    match = re.search(rf'<figure class="chart" id="{ident}">(.*?)</figure>', html, re.DOTALL)
    assert match, f"no figure {ident}"
    svg = match.group(1)
    assert svg.count("<svg ") == 1
    return svg[svg.index("<svg ") : svg.index("</svg>") + 6]


def svg_texts(svg: str, anchor: str = "") -> list[str]:
    """Return the texts of an inline SVG (parsed as XML with its namespace put back); with
    ``anchor`` only those so anchored (a bar's number starts at the bar's end, an axis tick's
    is centred under the tick)."""
    svg = svg.replace("<svg ", f'<svg xmlns="{SVG_NS[1:-1]}" ')
    root = lxml.etree.fromstring(f"<charts>{svg}</charts>")
    return [
        "".join(t.itertext())
        for t in root.iter(SVG_NS + "text")
        if f"text-anchor: {anchor}" in (t.get("style") or "")
    ]


def bar_numbers(svg: str) -> list[str]:
    """Return the percentages written at the bars' ends."""
    return [t for t in svg_texts(svg, "start") if re.fullmatch(r"\d+ %", t)]


def test_overview_has_the_chart_with_a_number_per_region_case_and_series(
    example: Callable[..., str], example_doc: dict
) -> None:
    html = example("html")
    overview = html.split('<section class="overview">', 1)[1].split("</section>", 1)[0]
    assert 'id="overview-chart"' in overview
    texts = svg_texts(chart_of(html))
    for case in example_doc["cases"]:
        assert case["name"] in texts
    for region in example_doc["regions"]:
        assert region["name"] in texts
    after = [v for cases in example_doc["harmonisation"].values() for v in cases.values()]
    raw = [v for cases in example_doc["harmonisation_raw"].values() for v in cases.values()]
    numbers = bar_numbers(chart_of(html))
    # one number per bar: regions x cases, after waivers and without
    assert len(numbers) == len(after) + len(raw) == 18
    assert sorted(numbers) == sorted(f"{v * 100:.0f} %" for v in after + raw)
    assert {"efter undantag", "utan undantag"} <= set(texts)
    assert "after waivers" in svg_texts(chart_of(example("html", "--lang", "en")))


def test_chart_is_deterministic_and_carries_no_date_tool_or_url(
    example: Callable[..., str],
) -> None:
    svg = chart_of(example("html"))
    again = compare_examples("--format", "html")
    assert again.code == 1
    assert chart_of(again.stdout) == svg
    for needle in ("<metadata", "<?xml", "<!DOCTYPE", "http", "xlink", "<style", "Matplotlib"):
        assert needle not in svg, needle
    assert re.search(r"\d{4}-\d\d-\d\dT", svg) is None
    # the page's CSS gives the fonts: no font file, no font named in the SVG
    assert (
        "font-family" not in svg and 'svg.chart text { font-family: "DejaVu Sans"' in again.stdout
    )
    # two charts in one page never share an id: matplotlib's group ids are gone
    assert 'id="figure_1"' not in svg and 'id="axes_1"' not in svg


def test_chart_escapes_names_and_keeps_dollars_as_text() -> None:
    evil = "<script>alert(1)</script> $x^2$ & </svg>"
    data = ScoreBars(
        title=evil,
        regions=[("r", evil)],
        cases=[("c", "Fall " + evil)],
        series=[("efter", {"r": {"c": 0.5}}), ("utan", {"r": {"c": 0.25}})],
    )
    svg = score_chart(data)
    assert "<script" not in svg and "</svg>" in svg and svg.count("</svg>") == 1
    texts = svg_texts(svg)
    assert evil in texts and "Fall " + evil in texts  # as text, not as math
    assert {"50 %", "25 %"} <= set(texts)
    assert 'aria-label="&lt;script&gt;alert(1)&lt;/script&gt; $x^2$ &amp; &lt;/svg&gt;"' in svg
    heat = agreement_chart(
        Agreement(title=evil, cases=[evil], classes=["a", evil], counts=[[3, 1]])
    )
    assert "<script" not in heat and evil in svg_texts(heat)
    assert {"3 (75 %)", "1 (25 %)"} <= set(svg_texts(heat))


def test_hostile_region_name_stays_escaped_in_the_report(hostile: Callable[..., str]) -> None:
    html = hostile("html")
    svg = chart_of(html)
    assert "<script" not in svg
    assert HOSTILE_REGION_NAME in svg_texts(svg)


def test_rendering_twice_gives_the_same_svg() -> None:
    data = ScoreBars(
        title="t",
        regions=[("a", "A"), ("b", "B")],
        cases=[("c", "C"), ("d", "D"), ("e", "E"), ("f", "F")],
        series=[("s", {"a": {"c": 0.9, "d": 0.8}, "b": {"c": 1.0, "f": 0.5}})],
    )
    first = score_chart(data)
    assert score_chart(data) == first
    # a fourth case starts a second row of panels; panels without data stay empty
    assert sorted(bar_numbers(first)) == ["100 %", "50 %", "80 %", "90 %"]


def test_to_svg_names_the_chart_for_assistive_technology() -> None:
    from cosmicdiff.reports.charts.figure import chart

    with chart("probe", 2, 1) as fig:
        svg = to_svg(fig, "probe", 'A "title" <b>')
    assert svg.startswith(
        '<svg class="chart chart-probe" role="img" aria-label="A &#34;title&#34; &lt;b&gt;" '
    )


def test_reference_report_shows_the_earlier_scores_in_the_chart(
    tmp_path: Path, example_json: Path
) -> None:
    # the reference: the examples' result with every score lower than now
    doc = json.loads(example_json.read_text(encoding="utf-8"))
    doc["evaluated_on"] = "2026-09-01"
    for cases in doc["harmonisation_items"].values():
        for score in cases.values():
            score["clean"] = score["clean_raw"] = score["items"] // 2
    reference = tmp_path / "reference.json"
    reference.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "now.html"
    r = compare_examples("--format", "html", "--reference", reference, "--output", out)
    assert r.code == 1, r.stderr
    html = out.read_text(encoding="utf-8")
    texts = svg_texts(chart_of(html))
    assert "tidigare resultat (2026-09-01)" in texts
    assert len(bar_numbers(chart_of(html))) == 27  # three series
    assert "50 %" in texts or "49 %" in texts
    overview = html_doc(html).xpath("//section[@class='overview']")[0]
    caption = "".join(overview.xpath(".//figcaption")[0].itertext())
    assert "Prickig stapel: det tidigare resultatet (2026-09-01)" in caption
    # and the changed scores are listed below it
    assert overview.xpath(".//ul[@class='trend-scores']/li")


@pytest.mark.parametrize("fmt", ["markdown", "text", "json"])
def test_other_formats_draw_no_chart(example: Callable[..., str], fmt: str) -> None:
    assert "<svg" not in example(fmt)


def test_many_regions_and_cases_make_one_chart_per_page_with_distinct_ids() -> None:
    regions = [(f"r{i}", f"Region {i}") for i in range(21)]
    cases = [(f"c{i}", f"Fall {i}") for i in range(4)]
    after = {r: {c: 0.9 for c, _ in cases} for r, _ in regions}
    svg = score_chart(ScoreBars(title="t", regions=regions, cases=cases, series=[("efter", after)]))
    parts = svg.split("</svg>")[:-1]
    # 21 regions fill a page with one row of three panels: rows of 3 and 1 cases
    assert len(parts) == 2
    assert [len(re.findall(r">Fall \d<", p)) for p in parts] == [3, 1]
    assert len(bar_numbers(svg)) == 21 * 4
    for part in parts:
        height = float(re.search(r'height="([\d.]+)pt"', part).group(1))
        assert height <= 6.2 * 72
    ids = re.findall(r' id="([^"]+)"', svg)
    assert len(ids) == len(set(ids))
