"""The N-way matrix (cosmicdiff/workshop/matrix.py, reports/matrix_*.py, ``cosmicdiff matrix``).

Exact outcomes on the shipped examples (examples/DEVIATIONS.md: J1-J14, O1-O14, K1-K15,
X1), the consensus rules on hand-made inputs, every renderer, and the command line.
The examples are compared once per module (engine.compare, fixed date).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import ESPIR, EXAMPLES, run_cli
from model_edit import finding
from openpyxl import load_workbook

from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports import matrix as mr
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.parts import BaselineItem, RegionInfo
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Entity, Kind, Severity
from cosmicdiff.workshop.matrix import (
    MATRIX_SCHEMA,
    Matrix,
    Row,
    _consensus,
    _presence_consensus,
    build_matrix,
)

TODAY = "2026-11-23"
REGIONS = ("jonkoping", "kalmar", "ostergotland")


@pytest.fixture(scope="module")
def result() -> Result:
    return compare(
        ESPIR, sorted(EXAMPLES.iterdir()), CompareOptions(today=dt.date.fromisoformat(TODAY))
    )


@pytest.fixture(scope="module")
def matrix(result: Result) -> Matrix:
    return build_matrix(result)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples' JSON result, written once by ``compare`` (for --from-result)."""
    path = tmp_path_factory.mktemp("matrix") / "r.json"
    res = run_cli(
        "compare",
        "-b",
        ESPIR,
        *sorted(EXAMPLES.iterdir()),
        "--today",
        TODAY,
        "-f",
        "json",
        "-o",
        path,
    )
    assert res.code == 1  # the examples have unwaived errors
    return path


def row_of(m: Matrix, case: str, row_id: str | None, name: str | None = None) -> Row:
    found = [
        r for r in m.rows if r.case == case and r.id == row_id and (name is None or r.name == name)
    ]
    assert len(found) == 1, (case, row_id, name, found)
    return found[0]


# --- consensus classes and cells on the examples ------------------------------------------


def test_regions_agree_against_the_baseline_x1(matrix: Matrix) -> None:
    row = row_of(matrix, "referrals", "ESP-SO-00314")
    assert (row.entity, row.name, row.in_baseline) == ("keyword", "Trombektomi utförd", True)
    assert (row.consensus, row.outlier) == ("regions", None)
    assert {r: c.state for r, c in row.cells.items()} == dict.fromkeys(REGIONS, "deviates")
    assert {c.kinds for c in row.cells.values()} == {("renamed",)}
    assert {r: c.local_id for r, c in row.cells.items()} == {
        "jonkoping": "RJL-SO-14625",
        "kalmar": "RKL-SO-21378",
        "ostergotland": "ROG-SO-41632",
    }
    assert {c.summary() for c in row.cells.values()} == {"renamed: Trombektomi genomförd"}
    # X1 is the only row of all three cases that the regions agree on
    assert [(r.case, r.id) for r in matrix.rows if r.consensus == "regions"] == [
        ("referrals", "ESP-SO-00314")
    ]


def test_missing_template_is_an_outlier_j4(matrix: Matrix) -> None:
    row = row_of(matrix, "psychiatry", "ESP-JM-PSY-004")
    assert (row.name, row.consensus, row.outlier) == ("MADRS-skattning", "outlier", "jonkoping")
    assert {r: c.state for r, c in row.cells.items()} == {
        "jonkoping": "missing",
        "kalmar": "same",
        "ostergotland": "same",
    }
    assert row.cells["jonkoping"].kinds == ("missing",)


def test_row_every_region_follows_is_baseline(matrix: Matrix) -> None:
    # ESP-JM-REM-001 (Remiss SVF bröstcancer) is changed by no region
    row = row_of(matrix, "referrals", "ESP-JM-REM-001")
    assert (row.consensus, row.outlier) == ("baseline", None)
    assert {c.state for c in row.cells.values()} == {"same"}
    assert all(c.kinds == () and c.summary() == "" for c in row.cells.values())


def test_no_agreement_j10_k1(matrix: Matrix) -> None:
    row = row_of(matrix, "psychiatry", "ESP-SO-00107")
    assert (row.name, row.consensus, row.outlier) == ("Tidiga hypoteser", "none", None)
    assert {r: (c.state, c.kinds) for r, c in row.cells.items()} == {
        "jonkoping": ("deviates", ("order_changed",)),
        "kalmar": ("deviates", ("visibility_changed",)),
        "ostergotland": ("same", ()),
    }


def test_waived_deviation_k2(matrix: Matrix) -> None:
    row = row_of(matrix, "drugs", "ESP-SO-00228")
    cell = row.cells["kalmar"]
    assert (cell.state, cell.kinds, cell.local_id) == ("waived", ("unit_changed",), "RKL-SO-21169")
    assert [d.waiver.id for d in cell.deviations if d.waiver] == ["ESPIR-W-2026-007"]
    # consensus compares content, waived or not
    assert (row.consensus, row.outlier) == ("outlier", "kalmar")


def test_allowed_local_extension_is_waived_j3(matrix: Matrix) -> None:
    # RJL-LOK-0101 is an allowed local extension: the only deviation on the template
    row = row_of(matrix, "psychiatry", "ESP-JM-PSY-003")
    assert row.cells["jonkoping"].state == "waived"
    assert row.cells["jonkoping"].kinds == ("extra",)


def test_two_regions_differ_on_one_template_o10_k14(matrix: Matrix) -> None:
    row = row_of(matrix, "drugs", "ESP-JM-LM-005")
    assert (row.consensus, row.outlier) == ("none", None)
    assert {r: c.summary() for r, c in row.cells.items()} == {
        "jonkoping": "",
        "kalmar": "attribute_changed [version]: 1",
        "ostergotland": "attribute_changed [cases]: drugs psychiatry",
    }


def test_value_deviation_counts_against_its_list_o12(matrix: Matrix) -> None:
    row = row_of(matrix, "referrals", "ESP-VL-0307")
    # a missing value is not a missing list
    assert row.cells["ostergotland"].state == "deviates"
    assert row.cells["ostergotland"].summary() == "ESP-VL-0307#KOMPL missing"
    assert (row.consensus, row.outlier) == ("outlier", "ostergotland")


def test_region_only_template_j5(matrix: Matrix) -> None:
    row = row_of(matrix, "psychiatry", None, "Oro för att barn far illa")
    assert (row.entity, row.in_baseline) == ("template", False)
    assert (row.consensus, row.outlier) == ("outlier", "jonkoping")
    assert {r: (c.state, c.local_id) for r, c in row.cells.items()} == {
        "jonkoping": ("extra", "RJL-JM-0412"),
        "kalmar": ("absent", None),
        "ostergotland": ("absent", None),
    }


def test_region_only_list_is_a_row_in_every_case_it_reaches_j6(matrix: Matrix) -> None:
    # RJL-VL-0031 Tolk is reached through Tolkbehov, which all three cases use
    rows = [r for r in matrix.rows if not r.in_baseline and r.name == "Tolk"]
    assert [r.case for r in rows] == ["psychiatry", "drugs", "referrals"]
    assert {(r.entity, r.consensus, r.outlier) for r in rows} == {
        ("valuelist", "outlier", "jonkoping")
    }


def test_region_only_rows(matrix: Matrix) -> None:
    only = {(r.case, r.entity, r.name): r.outlier for r in matrix.rows if not r.in_baseline}
    assert only == {
        ("psychiatry", "template", "Oro för att barn far illa"): "jonkoping",  # J5
        ("psychiatry", "keyword", "Barn som anhöriga"): "jonkoping",  # J2
        ("psychiatry", "keyword", "Riskbedömning – MRB"): "jonkoping",  # J3
        ("psychiatry", "valuelist", "Suicidrisk, fyrgradig"): "kalmar",  # K9
        ("psychiatry", "valuelist", "Tolk"): "jonkoping",  # J6
        ("drugs", "keyword", "Dosdispensering"): "ostergotland",  # O3
        ("drugs", "valuelist", "Tolk"): "jonkoping",
        ("drugs", "term", "Litium"): "kalmar",  # K3: atc:N05A01
        ("referrals", "keyword", "Modified Rankin Scale (mRS)"): "kalmar",  # K7
        ("referrals", "keyword", "Tolk, språk"): "ostergotland",  # O4
        ("referrals", "valuelist", "Suicidrisk, fyrgradig"): "kalmar",
        ("referrals", "valuelist", "Tolk"): "jonkoping",
        ("referrals", "term", "Cerebral infarkt, ospecificerad"): "jonkoping",  # J8: I63.9
    }


def test_rows_are_grouped_by_case_in_baseline_order(matrix: Matrix) -> None:
    assert matrix.regions == REGIONS and matrix.compared == REGIONS
    cases = [r.case for r in matrix.rows]
    assert cases == sorted(cases, key=["psychiatry", "drugs", "referrals"].index)
    referral_ids = [r.id for r in matrix.case_rows("referrals") if r.in_baseline]
    assert referral_ids[:5] == [
        "ESP-JM-REM-001",
        "ESP-JM-REM-002",
        "ESP-JM-REM-003",
        "ESP-JM-REM-004",
        "ESP-JM-REM-005",
    ]


def test_counts_and_outliers(matrix: Matrix) -> None:
    # Checked against DEVIATIONS.md: "regions" is only X1 (referrals). "none" is, per case,
    # the two items two regions changed differently: psychiatry ESP-JM-PSY-001 (J2/J10 vs
    # K8) and ESP-SO-00107 (J10 vs K1); drugs ESP-JM-LM-005 (O10 vs K14) and ESP-VL-0202
    # (J7 vs K11); referrals ESP-JM-REM-003 (J11 vs O4/O5 vs K15) and ESP-SO-00328 (J12 vs
    # O5). Outliers: 14 + 15 + 15 baseline items changed by one region (shared keywords
    # such as Tolkbehov count in every case) and 5 + 3 + 5 region-only rows (above).
    assert matrix.counts() == {
        "psychiatry": {"baseline": 78, "regions": 0, "outlier": 19, "none": 2},
        "drugs": {"baseline": 46, "regions": 0, "outlier": 18, "none": 2},
        "referrals": {"baseline": 74, "regions": 1, "outlier": 20, "none": 2},
    }
    assert len(matrix.rows) == 262
    assert matrix.outliers() == {
        "psychiatry": {"jonkoping": 10, "kalmar": 8, "ostergotland": 1},
        "drugs": {"jonkoping": 4, "kalmar": 4, "ostergotland": 10},
        "referrals": {"jonkoping": 8, "kalmar": 7, "ostergotland": 5},
    }


def test_only_some_cases(result: Result) -> None:
    m = build_matrix(result, ["drugs"])
    assert {r.case for r in m.rows} == {"drugs"}
    assert m.counts()["drugs"] == {"baseline": 46, "regions": 0, "outlier": 18, "none": 2}
    assert m.counts()["referrals"] == dict.fromkeys(("baseline", "regions", "outlier", "none"), 0)


@pytest.mark.parametrize(
    ("row_id", "outlier"),
    [
        ("ESP-SO-00106", "kalmar"),  # K8: the second of the two regions deviates
        pytest.param("ESP-SO-00002", "jonkoping"),  # J1: the first of the two deviates
    ],
    ids=["second-deviates", "first-deviates"],
)
def test_two_regions_outlier_is_the_deviating_one(
    result: Result, row_id: str, outlier: str
) -> None:
    m = build_matrix(result.select(regions=["jonkoping", "kalmar"]))
    row = row_of(m, "psychiatry", row_id)
    assert (row.consensus, row.outlier) == ("outlier", outlier)


# --- consensus on hand-made signatures ----------------------------------------------------

E: frozenset[tuple[str, ...]] = frozenset()
X = frozenset({("renamed", "keyword", "K1", "", "a")})
Y = frozenset({("renamed", "keyword", "K1", "", "b")})
Z = frozenset({("unit_changed", "keyword", "K1", "", "mg")})


@pytest.mark.parametrize(
    ("sigs", "expected"),
    [
        ({}, ("none", None)),
        ({"a": E}, ("baseline", None)),
        ({"a": X}, ("outlier", "a")),
        ({"a": E, "b": E}, ("baseline", None)),
        ({"a": E, "b": X}, ("outlier", "b")),
        pytest.param({"a": X, "b": E}, ("outlier", "a")),
        ({"a": X, "b": X}, ("regions", None)),
        ({"a": X, "b": Y}, ("none", None)),
        ({"a": E, "b": E, "c": X}, ("outlier", "c")),
        ({"a": X, "b": E, "c": E}, ("outlier", "a")),
        ({"a": X, "b": X, "c": X}, ("regions", None)),
        ({"a": X, "b": X, "c": E}, ("outlier", "c")),  # the one following the baseline
        ({"a": X, "b": Y, "c": E}, ("none", None)),
        ({"a": X, "b": Y, "c": Z}, ("none", None)),
        ({"a": X, "b": X, "c": X, "d": Y}, ("outlier", "d")),
        ({"a": Y, "b": X, "c": X, "d": X}, ("outlier", "a")),
        ({"a": E, "b": E, "c": X, "d": E}, ("outlier", "c")),
        ({"a": X, "b": X, "c": Y, "d": Y}, ("none", None)),
        ({"a": E, "b": E, "c": X, "d": X}, ("none", None)),
        ({"a": X, "b": X, "c": X, "d": X}, ("regions", None)),
    ],
    ids=[
        "none-compared",
        "1-same",
        "1-deviates",
        "2-same",
        "2-second-deviates",
        "2-first-deviates",
        "2-agree",
        "2-differ",
        "3-one-deviates",
        "3-first-deviates",
        "3-agree",
        "3-two-agree",
        "3-all-differ",
        "3-three-ways",
        "4-three-agree",
        "4-first-differs",
        "4-one-deviates",
        "4-split-2-2",
        "4-split-2-2-baseline",
        "4-agree",
    ],
)
def test_consensus(
    sigs: dict[str, frozenset[tuple[str, ...]]], expected: tuple[str, str | None]
) -> None:
    assert _consensus(sigs) == expected


@pytest.mark.parametrize(
    ("present", "compared", "expected"),
    [
        ({"a"}, ["a"], ("outlier", "a")),
        ({"a", "b"}, ["a", "b"], ("regions", None)),
        ({"b"}, ["a", "b"], ("outlier", "b")),
        ({"a", "b", "c"}, ["a", "b", "c"], ("regions", None)),
        ({"c"}, ["a", "b", "c"], ("outlier", "c")),
        ({"a", "c"}, ["a", "b", "c"], ("outlier", "b")),
        ({"a", "b", "c", "d"}, ["a", "b", "c", "d"], ("regions", None)),
        ({"a", "b", "d"}, ["a", "b", "c", "d"], ("outlier", "c")),
        ({"a", "d"}, ["a", "b", "c", "d"], ("none", None)),
        ({"d"}, ["a", "b", "c", "d"], ("outlier", "d")),
    ],
    ids=[
        "1-has",
        "2-both",
        "2-one",
        "3-all",
        "3-one",
        "3-two",
        "4-all",
        "4-three",
        "4-two",
        "4-one",
    ],
)
def test_presence_consensus(
    present: set[str], compared: list[str], expected: tuple[str, str | None]
) -> None:
    assert _presence_consensus(present, compared) == expected


# --- a hand-made result (names a spreadsheet or a browser could run) ----------------------

FORMULA = "=SUM(1+1)"
SCRIPT = "<script>alert(1)</script>"


def hand_result(region_name: str = "Region A") -> Result:
    def dev(region: str, rule: str, **kw: object) -> Finding:
        return finding(
            rule,
            Severity.WARNING,
            region=region,
            entity=Entity.KEYWORD,
            cases=("c",),
            case="c",
            **kw,
        )

    return Result(
        baseline_id="b",
        baseline_name="Base",
        baseline_version="1",
        baseline_source="b",
        baseline_digest="0",
        cases=(("c", "Case C"),),
        evaluated_on=TODAY,
        tool_version="t",
        regions=(
            RegionInfo(id="ra", name=region_name, source="ra"),
            RegionInfo(id="rb", name="Region B", source="rb"),
        ),
        items=(
            BaselineItem(entity=Entity.KEYWORD, id="K1", name=FORMULA, cases=("c",)),
            BaselineItem(entity=Entity.KEYWORD, id="K2", name=SCRIPT, cases=("c",)),
        ),
        deviations=(
            dev(
                "rb",
                "CD105",
                kind=Kind.RENAMED,
                baseline_id="K1",
                local_id="L1",
                path="T/L1",
                expected=FORMULA,
                actual="@HERE",
                units=(("keyword", "K1"),),
            ),
            dev(
                "ra",
                "CD104",
                kind=Kind.EXTRA,
                baseline_id=None,
                local_id="@L9",
                path="T/L9",
                actual="-2+3",
            ),
        ),
        scores={},
    )


def test_hand_result_matrix() -> None:
    m = build_matrix(hand_result())
    assert [(r.id, r.name, r.consensus, r.outlier) for r in m.rows] == [
        ("K1", FORMULA, "outlier", "rb"),
        ("K2", SCRIPT, "baseline", None),
        (None, "-2+3", "outlier", "ra"),
    ]


# --- renderers ----------------------------------------------------------------------------


def test_json(matrix: Matrix) -> None:
    text = mr.render_json(matrix)
    assert text == mr.render_json(matrix)
    doc = json.loads(text)
    assert doc["schema"] == MATRIX_SCHEMA == "cosmicdiff/matrix/1"
    assert doc["evaluated_on"] == TODAY
    assert doc["baseline"] == {
        "id": "espir",
        "name": "eSPiR gemensam grundkonfiguration",
        "version": "2026.1",
    }
    assert [(r["id"], r["compared"]) for r in doc["regions"]] == [(r, True) for r in REGIONS]
    assert [c["id"] for c in doc["cases"]] == ["psychiatry", "drugs", "referrals"]
    assert doc["cases"][2]["consensus"] == {"baseline": 74, "regions": 1, "outlier": 20, "none": 2}
    x1 = next(r for r in doc["rows"] if r["id"] == "ESP-SO-00314")
    assert x1["consensus"] == "regions" and x1["in_baseline"] is True
    assert x1["cells"]["kalmar"]["actual"] == ["Trombektomi genomförd"]
    assert x1["cells"]["kalmar"]["kinds"] == ["renamed"]
    assert len(x1["cells"]["kalmar"]["deviations"]) == 1


def csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_csv_is_swedish_by_default(matrix: Matrix) -> None:
    text = mr.render_csv(matrix)
    assert "\r\n" in text
    rows = csv_rows(text)
    head = ["Fall", "Typ", "Id", "Namn", "I grundkonfigurationen", "Samstämmighet"]
    head.append("Avvikande region")
    for name in ("Region Jönköpings län", "Region Kalmar län", "Region Östergötland"):
        head += [f"{name}: läge", f"{name}: lokalt id", f"{name}: skillnad"]
    assert rows[0] == head
    assert len(rows) == 1 + 262
    x1 = next(r for r in rows if r[2] == "ESP-SO-00314")
    assert x1[:10] == [
        "Remisshantering",
        "sökord",
        "ESP-SO-00314",
        "Trombektomi utförd",
        "ja",
        "regionerna eniga mot grundkonfigurationen",
        "",
        "avviker",
        "RJL-SO-14625",
        "annat namn: Trombektomi genomförd",
    ]
    # an allowed local extension is not a waiver
    psy3 = next(r for r in rows if r[2] == "ESP-JM-PSY-003")
    assert psy3[6:10] == [
        "Region Jönköpings län",
        "tillåten lokal utökning",
        "",
        "Riskbedömning – MRB",
    ]


def test_csv_in_english(matrix: Matrix) -> None:
    rows = csv_rows(mr.render_csv(matrix, "en"))
    assert rows[0][:7] == ["Case", "Type", "Id", "Name", "In the baseline", "Consensus", "Outlier"]
    assert rows[0][7] == "Region Jönköpings län: state"
    x1 = next(r for r in rows if r[2] == "ESP-SO-00107")
    assert x1[:4] == ["Beslutsstöd för psykiatrin", "keyword", "ESP-SO-00107", "Tidiga hypoteser"]
    assert x1[7:13] == [
        "deviates",
        "RJL-SO-11221",
        "order changed: 5",
        "deviates",
        "RKL-SO-20366",
        "1177 visibility changed: shown in 1177",
    ]


def test_csv_keeps_formulas_as_text() -> None:
    rows = csv_rows(mr.render_csv(build_matrix(hand_result())))
    assert rows[1][3] == "'" + FORMULA
    assert rows[1][10:13] == ["avviker", "L1", "annat namn: @HERE"]
    assert rows[3][3] == "'-2+3"
    assert rows[3][7:9] == ["finns", "'@L9"]  # ra.local_id
    assert rows[2][3] == SCRIPT  # only formula starters are touched


def xlsx(m: Matrix, lang: str = "sv") -> Any:  # openpyxl is untyped
    return load_workbook(io.BytesIO(mr.render_xlsx(m, lang)))


@pytest.mark.parametrize(
    ("lang", "sheets", "head"),
    [
        (
            "sv",
            ["Matris", "Sammanfattning"],
            ["Fall", "Typ", "Id", "Namn", "Samstämmighet", "Avvikande region"],
        ),
        ("en", ["Matrix", "Summary"], ["Case", "Type", "Id", "Name", "Consensus", "Outlier"]),
    ],
    ids=["sv", "en"],
)
def test_xlsx_sheets_and_header(
    matrix: Matrix, lang: str, sheets: list[str], head: list[str]
) -> None:
    wb = xlsx(matrix, lang)
    assert wb.sheetnames == sheets
    ws = wb[sheets[0]]
    assert [c.value for c in ws[1]] == head + [
        "Region Jönköpings län",
        "Region Kalmar län",
        "Region Östergötland",
    ]
    assert all(c.font.bold for c in ws[1])
    assert ws.max_row == 263
    assert ws.freeze_panes == "E2"
    assert ws.auto_filter.ref == "A1:I263"
    summary = list(wb[sheets[1]].iter_rows(values_only=True))
    assert summary[3][:5] == ("Remisshantering", 74, 1, 20, 2)


def test_xlsx_missing_cell(matrix: Matrix) -> None:
    ws = xlsx(matrix)["Matris"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[2].value == "ESP-JM-PSY-004")
    assert [c.value for c in row] == [
        "Beslutsstöd för psykiatrin",
        "mall",
        "ESP-JM-PSY-004",
        "MADRS-skattning",
        "en region avviker",
        "Region Jönköpings län",
        "saknas",
        "lika",
        "lika",
    ]
    jonkoping, kalmar = row[6], row[7]
    assert jonkoping.fill.fill_type == "solid"
    assert jonkoping.fill.fgColor.rgb == "00" + mr.FILL["missing"] == "00F8D7DA"
    assert kalmar.fill.fgColor.rgb == "00" + mr.FILL["same"]


def test_xlsx_zip_entries_have_fixed_timestamps(matrix: Matrix) -> None:
    with zipfile.ZipFile(io.BytesIO(mr.render_xlsx(matrix, "sv"))) as z:
        infos = z.infolist()
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)


def test_xlsx_document_dates_are_the_evaluation_date(matrix: Matrix) -> None:
    props = xlsx(matrix).properties
    assert props.created == dt.datetime(2026, 11, 23)
    assert props.modified == dt.datetime(2026, 11, 23)


def test_xlsx_is_byte_identical_across_runs(matrix: Matrix) -> None:
    first = mr.render_xlsx(matrix, "sv")
    time.sleep(1.01 - time.time() % 1)  # the next second on the clock
    assert mr.render_xlsx(matrix, "sv") == first


def test_xlsx_keeps_formulas_as_text() -> None:
    ws = xlsx(build_matrix(hand_result()))["Matris"]
    name = ws.cell(row=2, column=4)
    assert (name.value, name.data_type) == ("'" + FORMULA, "s")


def test_xlsx_region_name_is_not_a_formula() -> None:
    ws = xlsx(build_matrix(hand_result(region_name='=HYPERLINK("x","y")')))["Matris"]
    assert ws.cell(row=1, column=7).data_type == "s"


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_html_is_self_contained(matrix: Matrix, lang: str) -> None:
    html = mr.render_html(matrix, lang)
    assert html.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in html
    for external in ("http://", "https://", "<link", "<script", "src=", "@import"):
        assert external not in html
    # the charts' clip paths and hatches refer to their own elements, never to a URL
    assert re.search(r"url\((?!#)", html) is None
    assert "Trombektomi utförd" in html
    assert (
        "regionerna eniga mot grundkonfigurationen"
        if lang == "sv"
        else "regions agree, not the baseline"
    ) in html
    assert mr.render_html(matrix, lang) == html


def test_html_escapes_names() -> None:
    html = mr.render_html(build_matrix(hand_result(region_name=SCRIPT)), "en")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- the command line ---------------------------------------------------------------------


_ROW_START = re.compile(r"^(mall|sökord|värdelista|template|keyword|value( list)?|term)( |$)")


def table_rows(text: str) -> list[list[str]]:
    """Return the rows of rich tables, each cell's wrapped lines joined."""
    rows: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in text.splitlines():
        if not line.startswith("│"):
            current = None
            continue
        cells = [c.strip() for c in line.strip().strip("│").split("│")]
        # a row starts with its entity word (a cell's wrapped lines may fill any column)
        if current is None or _ROW_START.match(cells[0]):
            current = [[c] for c in cells]
            rows.append(current)
        else:
            for part, cell in zip(current, cells, strict=True):
                if cell:
                    part.append(cell)
    return [[" ".join(p for p in parts if p) for parts in row] for row in rows]


def test_cli_text() -> None:
    res = run_cli(
        "matrix", "-b", ESPIR, *sorted(EXAMPLES.iterdir()), "-f", "text", "--today", TODAY
    )
    assert res.code == 0
    rows = table_rows(res.stdout)
    assert [
        "sökord ESP-SO-00314: Trombektomi utförd",
        "~ avviker",
        "~ avviker",
        "~ avviker",
        "regionerna eniga mot grundkonfigurationen",
    ] in rows
    assert [
        "mall ESP-JM-PSY-004: MADRS-skattning",
        "- saknas",
        "= lika",
        "= lika",
        "en region avviker: jonkoping",
    ] in rows
    # an allowed local extension is not a waiver
    psy3 = next(r for r in rows if r[0].startswith("mall ESP-JM-PSY-003"))
    assert psy3[1:] == [
        "+ tillåten lokal utökning",
        "= lika",
        "= lika",
        "en region avviker: jonkoping",
    ]
    # rows every region follows are left out (--all shows them)
    assert not any(r[0].startswith("mall ESP-JM-REM-001") for r in rows)
    assert (
        "alla följer grundkonfigurationen: 74, regionerna eniga mot grundkonfigurationen: 1, "
        "en region avviker: 20, ingen enighet: 2"
    ) in " ".join(res.stdout.split())


def test_cli_text_en_all(saved: Path) -> None:
    res = run_cli("matrix", "--from-result", saved, "-f", "text", "--lang", "en", "--all")
    assert res.code == 0
    rows = table_rows(res.stdout)
    assert [
        "keyword ESP-SO-00314: Trombektomi utförd",
        "~ deviates",
        "~ deviates",
        "~ deviates",
        "regions agree, not the baseline",
    ] in rows
    assert [
        "template ESP-JM-REM-001: Remiss SVF bröstcancer (välgrundad misstanke)",
        "= same",
        "= same",
        "= same",
        "all follow the baseline",
    ] in rows
    assert len(rows) == 262


def test_cli_from_result_gives_the_same_json(saved: Path) -> None:
    direct = run_cli(
        "matrix", "-b", ESPIR, *sorted(EXAMPLES.iterdir()), "-f", "json", "--today", TODAY
    )
    again = run_cli("matrix", "--from-result", saved, "-f", "json")
    assert direct.code == again.code == 0
    assert json.loads(direct.stdout)["schema"] == MATRIX_SCHEMA
    assert again.stdout == direct.stdout


def test_cli_case_keeps_only_that_case(saved: Path) -> None:
    res = run_cli("matrix", "--from-result", saved, "--case", "referrals", "-f", "json")
    assert res.code == 0
    doc = json.loads(res.stdout)
    assert [c["id"] for c in doc["cases"]] == ["referrals"]
    assert {r["case"] for r in doc["rows"]} == {"referrals"}
    x1 = next(r for r in doc["rows"] if r["id"] == "ESP-SO-00314")
    assert x1["consensus"] == "regions"


def test_cli_unknown_case(saved: Path) -> None:
    res = run_cli("matrix", "--from-result", saved, "--case", "surgery", "-f", "json")
    assert res.code == 2
    assert "unknown case 'surgery'" in res.stderr


def test_cli_case_rows_equal_the_full_matrix(saved: Path, matrix: Matrix) -> None:
    res = run_cli("matrix", "--from-result", saved, "--case", "referrals", "-f", "json")
    doc = json.loads(res.stdout)
    assert doc["cases"][0]["consensus"] == matrix.counts()["referrals"]
    assert doc["rows"] == [r.to_json() for r in matrix.case_rows("referrals")]


def test_cli_xlsx_output(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    res = run_cli("matrix", "--from-result", saved, "-o", out)
    assert res.code == 0
    assert res.stdout == ""
    assert res.stderr == (
        f"cosmicdiff: wrote {out}: 262 rows; 198 baseline, 1 regions, 57 outlier, 6 none\n"
    )
    assert load_workbook(out).sheetnames == ["Matris", "Sammanfattning"]


def test_cli_csv_output_by_suffix(saved: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.csv"
    assert run_cli("matrix", "--from-result", saved, "-o", out).code == 0
    assert out.read_bytes().startswith("\ufeffFall;Typ;Id;Namn;".encode())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "xlsx"], "a spreadsheet is not written to a terminal; give --output FILE.xlsx"),
        (["-b", str(ESPIR)], "give either --from-result or --baseline and regions, not both"),
        (
            [str(EXAMPLES / "kalmar")],
            "give either --from-result or --baseline and regions, not both",
        ),
        (["-o", "m.ods"], "cannot tell the format from 'm.ods'; give --format"),
    ],
    ids=["xlsx-to-stdout", "from-result-and-baseline", "from-result-and-regions", "unknown-suffix"],
)
def test_cli_usage_errors(saved: Path, args: list[str], message: str) -> None:
    res = run_cli("matrix", "--from-result", saved, *args)
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr.strip() == message


def test_cli_missing_result_file(tmp_path: Path) -> None:
    res = run_cli("matrix", "--from-result", tmp_path / "nope.json")
    assert res.code == 2
    assert "nope.json: result file not found" in res.stderr


def test_cli_bad_lang(saved: Path) -> None:
    res = run_cli("matrix", "--from-result", saved, "--lang", "xx_!")
    assert res.code == 2
    assert "is not a language tag" in res.stderr


def test_cli_missing_region_is_not_compared(tmp_path: Path) -> None:
    # matrix compares with keep_going=True: the missing folder becomes a column of
    # not_compared cells, the other regions are still compared, and (like compare) the exit
    # status is 2: a region that could not be read is never a clean column
    missing = tmp_path / "gone"
    res = run_cli(
        "matrix", "-b", ESPIR, EXAMPLES / "jonkoping", missing, "-f", "json", "--today", TODAY
    )
    assert res.code == 2
    doc = json.loads(res.stdout)
    assert [(r["id"], r["compared"]) for r in doc["regions"]] == [
        ("jonkoping", True),
        ("gone", False),
    ]
    assert {r["cells"]["gone"]["state"] for r in doc["rows"]} == {"not_compared"}
    x1 = next(r for r in doc["rows"] if r["id"] == "ESP-SO-00314")
    # one compared region: its deviation makes it the outlier
    assert (x1["consensus"], x1["outlier"]) == ("outlier", "jonkoping")
    assert "gone: not compared:" in res.stderr
    assert "no such file or folder" in res.stderr
