"""The matrix's printable page (reports/matrix.py: render_html, matrix.html.j2): the agreement
heatmap, the rows where a region deviates by default with the agreeing items counted, every
row with --all, and the spreadsheet always complete and filterable."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import lxml.html
import pytest
from conftest import ESPIR, EXAMPLES, run_cli
from openpyxl import load_workbook

from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports import matrix as mr
from cosmicdiff.workshop.matrix import Matrix, build_matrix

REGIONS = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    today = dt.date(2026, 11, 23)
    return build_matrix(compare(ESPIR, REGIONS, CompareOptions(today=today)))


def case_tables(html: str) -> dict[str, tuple[str, int]]:
    """Return per case heading: the sentence about the rows shown, and how many rows."""
    doc = lxml.html.fromstring(html)
    out = {}
    for h2 in doc.xpath("//h2"):
        note = h2.getnext()
        assert note.get("class") == "muted rows-shown"
        table = note.getnext()
        rows = len(table.xpath("tbody/tr")) if table is not None and table.tag == "table" else 0
        out[h2.xpath("span")[0].text_content()] = (note.text_content(), rows)
    return out


def test_default_shows_the_rows_where_a_region_deviates(matrix: Matrix) -> None:
    tables = case_tables(mr.render_html(matrix, "sv"))
    counts = matrix.counts()
    assert set(tables) == {"psychiatry", "drugs", "referrals"}
    for case, (note, rows) in tables.items():
        total = len(matrix.case_rows(case))
        agreeing = counts[case]["baseline"]
        assert rows == total - agreeing
        assert note.startswith(f"{agreeing} av {total} objekt, där alla regioner följer")
        assert "--all" not in note  # a handout names no command-line flag
    assert tables["referrals"] == (
        "74 av 97 objekt, där alla regioner följer grundkonfigurationen, visas inte här. "
        "Kalkylbladet (xlsx) har alltid alla objekt.",
        23,
    )


def test_all_shows_every_row(matrix: Matrix) -> None:
    tables = case_tables(mr.render_html(matrix, "en", show_all=True))
    for case, (note, rows) in tables.items():
        total = len(matrix.case_rows(case))
        assert rows == total
        assert (
            note
            == f"All {total} items are shown, also those where every region follows the baseline."
        )


def test_heatmap_counts_each_consensus_class_per_case(matrix: Matrix) -> None:
    html = mr.render_html(matrix, "en")
    figure = html.split('<figure class="chart" id="agreement-chart">', 1)[1].split("</figure>")[0]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", figure)
    for case, name in matrix.result.cases:
        assert name in texts
        counts = matrix.counts()[case]
        total = sum(counts.values())
        for n in counts.values():
            assert f"{n} ({n / total * 100:.0f} %)" in texts
    # a long class name wraps over several text lines
    assert "one region is the" in texts and "outlier" in texts
    assert mr.render_html(matrix, "en") == html


def test_cli_all_and_default_and_xlsx_complete(tmp_path: Path) -> None:
    short, full, sheet = tmp_path / "m.html", tmp_path / "all.html", tmp_path / "m.xlsx"
    base = ("matrix", "--baseline", ESPIR, *REGIONS, "--today", "2026-11-23")
    assert run_cli(*base, "-o", short).code == 0
    assert run_cli(*base, "-o", full, "--all").code == 0
    assert run_cli(*base, "-o", sheet).code == 0
    n_short = len(lxml.html.fromstring(short.read_text("utf-8")).xpath("//h2/following::tr"))
    n_full = len(lxml.html.fromstring(full.read_text("utf-8")).xpath("//h2/following::tr"))
    assert n_full > 2 * n_short
    ws = load_workbook(io.BytesIO(sheet.read_bytes()))["Matris"]
    # the spreadsheet has every row (header + 262 items) and a filter on its header row
    assert ws.max_row == 263
    assert ws.auto_filter.ref == "A1:I263"
