"""The Markdown summary for a merge-request comment: a heading, the region x case matrix,
the top deviations (errors first) and each region's deviations collapsed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from reports_people._helpers import (
    ESPIR,
    catalogue,
    is_separator,
    load_yaml,
    md_cells,
    md_tables,
    render_markdown,
    texts,
)

SV = catalogue("sv")
CASES: dict = load_yaml(ESPIR / "baseline.yaml")["cases"]  # type: ignore[index]
RANK = {SV["severity.error"]: 3, SV["severity.warning"]: 2, SV["severity.info"]: 1}


@pytest.fixture(scope="module")
def md(example: Callable[..., str]) -> str:
    return example("markdown")


def test_starts_with_a_level_two_heading(md: str) -> None:
    first = md.splitlines()[0]
    assert first == f"## {SV['report_title']}: eSPiR gemensam grundkonfiguration 2026.1"
    assert md.endswith("\n") and not md.endswith("\n\n") and "\r" not in md


def test_matrix_header_separator_and_one_row_per_region(md: str, example_doc: dict) -> None:
    matrix = md_tables(md)[0]
    assert md_cells(matrix[0]) == [SV["region"]] + [c["name"] for c in CASES.values()]
    assert is_separator(matrix[1])
    rows = [md_cells(line) for line in matrix[2:]]
    assert [r[0] for r in rows] == [r["name"] for r in example_doc["regions"]]
    counts: Counter = Counter(
        (d["region"], d["case"], d["severity"]) for d in example_doc["deviations"]
    )
    for row, region in zip(rows, example_doc["regions"], strict=True):
        for cell, case in zip(row[1:], CASES, strict=True):
            score = example_doc["harmonisation"][region["id"]][case]
            e, w, i = (counts[(region["id"], case, s)] for s in ("error", "warning", "info"))
            assert cell.startswith(f"**{score * 100:.0f} %**")
            assert cell.endswith(f"{e}/{w}/{i}")


def test_top_deviations_errors_first_and_no_waived(md: str, example_doc: dict) -> None:
    lines = md.splitlines()
    at = lines.index(f"### {SV['top_deviations']}")
    table = md_tables("\n".join(lines[at:]))[0]
    rows = [md_cells(line) for line in table[2:]]
    assert rows
    ranks = [RANK[r[0].lower()] for r in rows]
    assert ranks == sorted(ranks, reverse=True)
    live = [d for d in example_doc["deviations"] if not d["waived"]]
    assert sum(d["severity"] == "error" for d in live) >= len(rows)  # all errors here
    assert all(r[0] == SV["severity.error"].upper() for r in rows)
    assert not any("ESPIR-W-2026-007" in line for line in table)
    more = len(live) - len(rows)
    assert SV["more_deviations"].format(n=more) in md


def test_one_collapsed_details_per_region_with_deviations(md: str, example_doc: dict) -> None:
    with_devs = [
        r
        for r in example_doc["regions"]
        if any(d["region"] == r["id"] for d in example_doc["deviations"])
    ]
    assert md.count("<details>") == len(with_devs) == md.count("</details>")
    assert "<details open" not in md
    rendered = render_markdown(md)
    details = rendered.xpath("//details")
    assert len(details) == len(with_devs)
    for det, region in zip(details, with_devs, strict=True):
        n = sum(d["region"] == region["id"] for d in example_doc["deviations"])
        summary = texts(det.xpath("./summary"))[0]
        assert summary == f"{region['name']}: {SV['all_deviations'].lower()} ({n})"
        assert len(det.xpath(".//tbody/tr")) == n


def test_waived_deviation_is_marked_in_the_details(md: str) -> None:
    waived = [line for line in md.splitlines() if "ESPIR-W-2026-007" in line]
    assert len(waived) == 1
    assert SV["waived"].format(waiver="ESPIR-W-2026-007", expires="2027-06-30") in waived[0]
    assert "`CD202`" in waived[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_table_row_has_as_many_cells_as_its_header(
    lang: str, example: Callable[..., str]
) -> None:
    md = example("markdown") if lang == "sv" else example("markdown", "--lang", "en")
    tables = md_tables(md)
    assert len(tables) == 2 + 3  # matrix, top deviations, three regions' details
    for table in tables:
        width = len(md_cells(table[0]))
        assert is_separator(table[1]) and len(md_cells(table[1])) == width
        for line in table[2:]:
            assert len(md_cells(line)) == width, line
    # and a renderer sees the same shape
    for table in render_markdown(md).xpath("//table"):
        width = len(table.xpath(".//thead//th"))
        assert all(len(tr.xpath("./td")) == width for tr in table.xpath(".//tbody/tr"))
