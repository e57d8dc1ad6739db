"""``cosmicdiff trend`` (cli/trend.py, workshop/trend.py, reports/trend_page.py) on three saved
results of edited copies of the examples, oldest first:

- r1 (2026-09-01): Jönköping with a new unit (error), Puls renamed (info), Trombektomi
  renamed again;
- r2 (2026-10-15): only Puls renamed;
- r3 (2026-11-23): AKTUELLT written Aktuellt again (one deviation fewer than the examples).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from conftest import ESPIR, EXAMPLES, run_cli
from test_trend import NEW_ERROR, NEW_INFO, RESOLVED, RJL, UPDATED

from cosmicdiff.result.json_io import load_result
from cosmicdiff.workshop.trend import build_trend, open_counts

STEPS = [
    ("2026-09-01", (NEW_ERROR, NEW_INFO, UPDATED)),
    ("2026-10-15", (NEW_INFO,)),
    ("2026-11-23", (RESOLVED,)),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("trend")
    out = []
    for n, (day, edits) in enumerate(STEPS, start=1):
        regions = root / f"regions{n}"
        shutil.copytree(EXAMPLES, regions)
        xml = regions / RJL
        text = xml.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, old
            text = text.replace(old, new)
        xml.write_text(text, encoding="utf-8")
        path = root / f"r{n}.json"
        r = run_cli(
            "compare", "-b", ESPIR, *sorted(regions.iterdir()), "--today", day,
            "--format", "json", "--output", path,
        )  # fmt: skip
        assert r.code == 1, r.stderr
        out.append(path)
    return out


def trend(*args: str | Path):
    return run_cli("trend", *args)


def test_html_page_has_chart_and_tables_in_the_order_given(
    results: list[Path], tmp_path: Path
) -> None:
    out = tmp_path / "trend.html"
    r = trend(*results, "--output", out)
    assert r.code == 0, r.stderr
    assert "wrote" in r.stderr and "3 results" in r.stderr
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="sv">' in html
    doc = lxml.html.fromstring(html)
    assert doc.xpath("//figure[@id='trend-chart']/svg")
    heads = [th.text_content() for th in doc.xpath("//table[@class='scores']/thead//th")]
    assert heads[2:5] == ["2026-09-01", "2026-10-15", "2026-11-23"]
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in results]
    # one row per region x case, the scores as printed, and the change first -> last
    rows = doc.xpath("//table[@class='scores']/tbody/tr")
    assert len(rows) == 9
    for row in rows:
        cells = [td.text_content() for td in row.xpath("td")]
        region = next(x["id"] for x in docs[0]["regions"] if x["name"] == cells[0])
        case = next(c["id"] for c in docs[0]["cases"] if c["name"] == cells[1])
        scores = [d["harmonisation"][region][case] for d in docs]
        assert cells[2:5] == [f"{s * 100:.0f} %" for s in scores]
        points = round(scores[-1] * 100) - round(scores[0] * 100)
        assert cells[5] == (f"{points:+d}" if points else "±0")
    # the open deviations: fewer errors after the unit was fixed, fewer infos at the end
    open_rows = {
        tr.xpath("td")[0].text_content(): [td.text_content() for td in tr.xpath("td")[1:]]
        for tr in doc.xpath("//table[@class='open']/tbody/tr")
    }
    expected = [open_counts(load_result(p, p.name)) for p in results]
    assert open_rows["fel"] == [str(e["error"]) for e in expected]
    assert open_rows["info"] == [str(e["info"]) for e in expected]
    assert expected[0]["error"] == expected[1]["error"] + 1
    assert expected[2]["info"] < expected[1]["info"]
    # the chart has a number on every point: 3 points x 9 lines, plus 3 x 3 counts
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", html)
    assert len([t for t in texts if re.fullmatch(r"\d+ %", t)]) >= 27


def test_the_order_is_the_order_given(results: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    assert trend(results[2], results[0], "--output", out, "--lang", "en").code == 0
    doc = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    heads = [th.text_content() for th in doc.xpath("//table[@class='open']/thead//th")]
    assert heads == ["Severity", "2026-11-23", "2026-09-01"]


def test_labels_name_the_points(results: list[Path]) -> None:
    r = trend(*results, "--label", "Sept", "--label", "Okt", "--label", "<Nov>", "-f", "svg")
    assert r.code == 0, r.stderr
    assert r.stdout.startswith("<?xml")
    for label in ("Sept", "Okt", "&lt;Nov&gt;"):
        assert f">{label}</text>" in r.stdout
    page = trend(*results, "--label", "<b>S</b>", "--label", "O&", "--label", "N", "-f", "html")
    assert page.code == 0 and "<b>S" not in page.stdout
    assert page.stdout.count("&lt;b&gt;S&lt;/b&gt;") >= 4  # chart and the three tables
    bad = trend(*results, "--label", "only one", "-f", "svg")
    assert bad.code == 2
    assert "give one --label per result: 1 labels for 3 results" in bad.stderr


@pytest.mark.parametrize("fmt", ["png", "svg", "html"])
def test_outputs_are_byte_identical_across_runs(
    results: list[Path], tmp_path: Path, fmt: str
) -> None:
    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    assert trend(*results, "-o", first).code == 0
    assert trend(*results, "-o", second).code == 0
    data = first.read_bytes()
    assert data == second.read_bytes()
    if fmt == "png":
        assert data.startswith(b"\x89PNG") and b"Software" not in data and b"matplotlib" not in data
    if fmt == "svg":
        assert b"<dc:date>" not in data and b"Matplotlib v" not in data


def test_not_a_result_is_one_line_naming_the_file(results: list[Path], tmp_path: Path) -> None:
    junk = tmp_path / "notes.json"
    junk.write_text('{"hello": 1}', encoding="utf-8")
    r = trend(results[0], junk)
    assert r.code == 2
    assert r.stderr.count("\n") == 1 and "notes.json" in r.stderr
    assert "not a cosmicdiff result" in r.stderr and "Traceback" not in r.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{\n  oops", encoding="utf-8")
    r = trend(broken)
    assert r.code == 2 and "broken.json:2" in r.stderr
    r = trend(tmp_path / "missing.json")
    assert r.code == 2 and "missing.json: result file not found" in r.stderr


def test_results_of_another_baseline_are_refused(results: list[Path], tmp_path: Path) -> None:
    doc = json.loads(results[1].read_text(encoding="utf-8"))
    doc["baseline"]["id"] = "other"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(doc), encoding="utf-8")
    r = trend(results[0], other)
    assert r.code == 2
    assert "other.json: compares with baseline 'other'" in r.stderr
    assert "a trend needs results of the same baseline" in r.stderr


def test_a_result_without_a_case_is_a_gap_and_said(results: list[Path], tmp_path: Path) -> None:
    # a result of a run with --case drugs (machine formats of report stay complete)
    doc = json.loads(results[1].read_text(encoding="utf-8"))
    doc["cases"] = [c for c in doc["cases"] if c["id"] == "drugs"]
    for cases in doc["harmonisation_items"].values():
        for case in ("psychiatry", "referrals"):
            del cases[case]
    narrow = tmp_path / "narrow.json"
    narrow.write_text(json.dumps(doc), encoding="utf-8")
    out = tmp_path / "gap.html"
    r = trend(results[0], narrow, results[2], "-o", out)
    assert r.code == 0, r.stderr
    assert "narrow.json: has no case psychiatry, referrals (a gap in the trend)" in r.stderr
    html = out.read_text(encoding="utf-8")
    assert 'class="gaps"' in html
    row = lxml.html.fromstring(html).xpath("//table[@class='scores']/tbody/tr")[0]
    assert [td.text_content() for td in row.xpath("td")][3] == "–"


def test_png_is_not_written_to_a_terminal_and_output_must_not_be_an_input(
    results: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import cosmicdiff.cli.trend as trend_cli

    monkeypatch.setattr(trend_cli, "is_tty", lambda: True)
    r = trend(*results, "--format", "png")
    assert r.code == 2 and "give --output FILE.png" in r.stderr
    monkeypatch.setattr(trend_cli, "is_tty", lambda: False)  # a pipe or a file: the bytes
    r = trend(*results, "--format", "png")
    assert r.code == 0 and r.stdout.startswith("\ufffdPNG")  # decoded for the test runner
    copy = tmp_path / "r.json"
    copy.write_bytes(results[0].read_bytes())
    r = trend(copy, "--output", copy, "--format", "html")
    assert r.code == 2 and copy.read_bytes() == results[0].read_bytes()
    r = trend(*results, "--output", tmp_path / "x.pdf")
    assert r.code == 2 and "give --format html, svg or png" in r.stderr


def test_build_trend_labels_two_results_of_one_day_by_file(results: list[Path]) -> None:
    loaded = [(f"ci/{n}/result.json", load_result(results[0], "r")) for n in (1, 2)]
    series = build_trend(loaded)
    assert [p.label for p in series.points] == ["2026-09-01 (result.json)"] * 2
    assert series.change("kalmar", "drugs") == (
        series.points[0].scores["kalmar"]["drugs"],
        series.points[1].scores["kalmar"]["drugs"],
    )
