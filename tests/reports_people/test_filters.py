"""--case, --region and --min-severity narrow what a people-facing report shows, and the
cover says so in words (the case's and the region's names, the levels shown), not as flags."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from reports_people._helpers import (
    FIXTURES,
    MINI_BASELINE,
    MINI_COPY,
    TODAY,
    catalogue,
    header_cells,
    html_doc,
    md_cells,
    md_tables,
    norm,
    run,
    texts,
)

SV = catalogue("sv")
NAMES = {
    "jonkoping": "Region Jönköpings län",
    "kalmar": "Region Kalmar län",
    "ostergotland": "Region Östergötland",
}


def _filters_on_cover(doc) -> str | None:
    for tr in doc.xpath("//header[contains(@class, 'cover')]//table[1]//tr"):
        if norm(tr[0].text_content()) == SV["cover_filters"]:
            return norm(tr[1].text_content())
    return None


def _html(report_of: Callable, *extra: str):
    r = report_of("html", *extra)
    assert r.code == 1, r.stderr
    return html_doc(r.stdout)


def test_case_filter_shows_only_that_chapter(report_of: Callable, example_doc: dict) -> None:
    doc = _html(report_of, "--case", "drugs")
    sections = doc.xpath("//section[contains(concat(' ', @class, ' '), ' case ')]")
    assert [s.get("id") for s in sections] == ["case-drugs"]
    matrix = doc.xpath("//table[contains(@class, 'matrix')]")[0]
    assert header_cells(matrix) == [SV["region"], "Läkemedel (drugs)"]
    h3_ids = {norm(s.text_content()) for h in doc.iter("h3") for s in h.find_class("ident")}
    assert h3_ids == {f"ESP-JM-LM-00{i}" for i in range(1, 6)}
    drugs = [d for d in example_doc["deviations"] if d["case"] == "drugs"]
    assert len(doc.find_class("dev")) == len(drugs)
    assert _filters_on_cover(doc) == "fall: Läkemedel"


def test_compare_case_filter_is_listed_on_the_cover(example: Callable) -> None:
    doc = html_doc(example("html", "--case", "drugs"))
    assert [s.get("id") for s in doc.xpath("//section[contains(@class, 'case')]")] == ["case-drugs"]
    assert _filters_on_cover(doc) == "fall: Läkemedel"


def test_region_filter_shows_only_that_column(report_of: Callable, example_doc: dict) -> None:
    doc = _html(report_of, "--region", "kalmar")
    matrix = doc.xpath("//table[contains(@class, 'matrix')]")[0]
    assert texts(matrix.xpath("./tbody/tr/th")) == [NAMES["kalmar"]]
    cover_rows = texts(doc.xpath("//header//table[2]/tbody/tr/td[1]"))
    assert cover_rows == [f"{NAMES['kalmar']} (kalmar)"]
    tables = doc.xpath("//table[contains(@class, 'side-by-side')]")
    assert tables
    for table in tables:
        assert header_cells(table) == [SV["item"], SV["baseline"], NAMES["kalmar"]]
        for tr in table.xpath("./tbody/tr"):
            assert len(tr.xpath("./td")) == 3
    text = norm(doc.text_content())
    for other in ("jonkoping", "ostergotland"):
        assert NAMES[other] not in text
    kalmar = [d for d in example_doc["deviations"] if d["region"] == "kalmar"]
    assert len(doc.find_class("dev")) == len(kalmar)
    assert _filters_on_cover(doc) == "region: Region Kalmar län"


def test_min_severity_error_hides_warnings_and_info(report_of: Callable, example_doc: dict) -> None:
    doc = _html(report_of, "--min-severity", "error")
    errors = [d for d in example_doc["deviations"] if d["severity"] == "error"]
    devs = doc.find_class("dev")
    assert len(devs) == len(errors)
    for dev in devs:
        assert texts(dev.find_class("sev")) == [SV["severity.error"]]
    cells = doc.xpath("//td[contains(@class, 'cell-warning') or contains(@class, 'cell-info')]")
    assert cells == []
    for td in doc.xpath("//table[contains(@class, 'matrix')]/tbody/tr/td"):
        assert norm(td.text_content()).endswith("/ 0 / 0")
    assert _filters_on_cover(doc) == "fel"


def test_filters_combine_and_are_all_on_the_cover(report_of: Callable) -> None:
    doc = _html(report_of, "--case", "drugs", "--region", "kalmar", "--min-severity", "error")
    assert _filters_on_cover(doc) == "fall: Läkemedel, region: Region Kalmar län, fel"
    devs = doc.find_class("dev")
    # the only Kalmar error in drugs is the waived unit change
    assert len(devs) == 1 and "CD202" in norm(devs[0].text_content())


def test_markdown_filters(report_of: Callable) -> None:
    r = report_of("markdown", "--region", "kalmar", "--min-severity", "error")
    assert r.code == 1
    lines = r.stdout.splitlines()
    assert f"{SV['cover_filters']}: region: Region Kalmar län, fel" in lines[2]
    matrix = md_tables(r.stdout)[0]
    assert [md_cells(line)[0] for line in matrix[2:]] == [NAMES["kalmar"]]
    assert r.stdout.count("<details>") == 1
    for table in md_tables(r.stdout)[1:]:
        for line in table[2:]:
            assert md_cells(line)[0].lower().startswith(SV["severity.error"])


def test_unread_region_is_marked_in_the_matrix(tmp_path: Path) -> None:
    broken = tmp_path / "broken-region"
    broken.mkdir()
    shutil.copy(MINI_COPY / "region.yaml", broken / "region.yaml")
    shutil.copy(FIXTURES / "broken" / "malformed-truncated.xml", broken / "export.xml")
    r = run(
        "compare",
        "-b",
        MINI_BASELINE,
        MINI_COPY,
        broken,
        "--keep-going",
        "--today",
        TODAY,
        "-f",
        "html",
    )
    assert r.code == 2
    doc = html_doc(r.stdout)
    rows = doc.xpath("//table[contains(@class, 'matrix')]/tbody/tr")
    assert len(rows) == 2
    assert SV["region_not_compared"] in norm(rows[1].text_content())
