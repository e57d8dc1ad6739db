"""Text from an export never runs as a formula in a spreadsheet: the matrix (CSV, XLSX) and
the decisions workbook neutralise it with the one helper, and ``decisions apply`` reads the
decisions workbook back to exactly the text that was written."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import MINI_BASELINE, MINI_COPY
from hypothesis import given
from hypothesis import strategies as st

from cosmicdiff.io.spreadsheet import restore_spreadsheet_text, spreadsheet_text
from cosmicdiff.workshop.decisions import read_decisions
from cosmicdiff.workshop.decisions.texts import header_key

Cli = Callable[..., Any]
HOSTILE_ID = '=HYPERLINK("http://x")'
HOSTILE_NAME = "@SUM(1+1)"


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        (HOSTILE_ID, "'" + HOSTILE_ID),
        ("+46 36 10 10 00", "'+46 36 10 10 00"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''-x", "'''-x"),
        ("'quoted'", "'quoted'"),
        ("Suicidrisk = hög", "Suicidrisk = hög"),
        ("", ""),
        ("'", "'"),
    ],
    ids=[
        "equals",
        "plus",
        "minus",
        "at",
        "tab",
        "cr",
        "quote-equals",
        "quotes-minus",
        "quote-text",
        "inner-equals",
        "empty",
        "only-quote",
    ],
)
def test_text_starting_like_a_formula_gets_an_apostrophe(text: str, cell: str) -> None:
    assert spreadsheet_text(text) == cell
    assert restore_spreadsheet_text(cell) == text


@given(st.text())
def test_restoring_gives_back_any_text(text: str) -> None:
    assert restore_spreadsheet_text(spreadsheet_text(text)) == text
    assert spreadsheet_text(text).lstrip("'")[:1] not in {
        "=",
        "+",
        "-",
        "@",
        "\t",
        "\r",
    } or spreadsheet_text(text).startswith("'")


@pytest.fixture
def hostile(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A region with a local keyword whose id and name look like formulas, and its result."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(MINI_COPY, tmp_path / "r")
    export = tmp_path / "r" / "export.xml"
    text = export.read_text(encoding="utf-8")
    text = text.replace(
        '    <keyword id="B-SO-6" name="Bedömning" type="Text"/>\n',
        '    <keyword id="B-SO-6" name="Bedömning" type="Text"/>\n'
        '    <keyword id="=HYPERLINK(&quot;http://x&quot;)" name="@SUM(1+1)" type="Text"/>\n',
    )
    text = text.replace(
        '      <item keyword="B-SO-1" mandatory="true"/>\n',
        '      <item keyword="B-SO-1" mandatory="true"/>\n'
        '      <item keyword="=HYPERLINK(&quot;http://x&quot;)"/>\n',
        1,
    )
    export.write_text(text, encoding="utf-8")
    return tmp_path


def _result(cli: Cli, out: Path, *args: str) -> dict[str, Any]:
    got = cli(
        "compare",
        "--baseline",
        MINI_BASELINE,
        "r",
        "--format",
        "json",
        "--output",
        out,
        "--today",
        "2026-11-23",
        "--fail-on",
        "never",
        *args,
    )
    assert got.code == 0, got.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def _hostile_deviation(doc: dict[str, Any]) -> dict[str, Any]:
    (dev,) = [d for d in doc["deviations"] if d["local_id"] == HOSTILE_ID]
    return dev


def test_decisions_workbook_writes_formula_text_as_the_matrix_does(hostile: Path, cli: Cli) -> None:
    doc = _result(cli, hostile / "r.json")
    dev = _hostile_deviation(doc)
    assert (dev["kind"], dev["actual"]) == ("extra", HOSTILE_NAME)
    assert cli("decisions", "template", "r.json", "--output", "d.xlsx").code == 0
    ws = openpyxl.load_workbook("d.xlsx").worksheets[0]
    col = {header_key(c.value): c.column for c in ws[1]}
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, col["id"]).value == dev["id"]]
    for key, text in (("local_id", HOSTILE_ID), ("actual", HOSTILE_NAME)):
        cell = ws.cell(row, col[key])
        assert (cell.value, cell.data_type) == ("'" + text, "s")
    path = ws.cell(row, col["path"]).value
    assert path == dev["path"] and not path.startswith("'")
    # the matrix workbook and CSV write the same text the same way
    assert cli(
        "matrix", "--from-result", "r.json", "--format", "xlsx", "--output", "m.xlsx"
    ).code in (0, 1)
    matrix = openpyxl.load_workbook("m.xlsx").worksheets[0]
    cells = {c.value: c.data_type for line in matrix.iter_rows() for c in line}
    assert cells.get("'" + HOSTILE_NAME) == "s"
    assert not any(isinstance(v, str) and v.startswith(("=", "@")) for v in cells)
    assert cli(
        "matrix", "--from-result", "r.json", "--format", "csv", "--output", "m.csv"
    ).code in (0, 1)
    assert ";'@SUM(1+1);" in Path("m.csv").read_text(encoding="utf-8-sig")


def test_decisions_apply_reads_the_neutralised_cells_back(hostile: Path, cli: Cli) -> None:
    dev = _hostile_deviation(_result(cli, hostile / "r.json"))
    assert cli("decisions", "template", "r.json", "--output", "d.xlsx").code == 0
    wb = openpyxl.load_workbook("d.xlsx")
    ws = wb.worksheets[0]
    col = {header_key(c.value): c.column for c in ws[1]}
    (row,) = [r for r in range(2, ws.max_row + 1) if ws.cell(r, col["id"]).value == dev["id"]]
    for key, value in (
        ("decision", "accept"),
        ("justification", "Lokalt sökord"),
        ("owner", "Region Kopia"),
        ("expires", dt.date(2027, 12, 31)),
    ):
        ws.cell(row, col[key]).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    Path("d.xlsx").write_bytes(buffer.getvalue())
    applied = cli(
        "decisions", "apply", "d.xlsx", "--waivers", "w.yaml", "--write", "--today", "2026-11-23"
    )
    assert applied.code == 0, applied.stderr
    (waiver,) = yaml.safe_load(Path("w.yaml").read_text(encoding="utf-8"))["waivers"]
    assert (waiver["item"], waiver["region"]) == (HOSTILE_ID, "copy")
    again = _result(cli, hostile / "r2.json", "--waivers", "w.yaml")
    assert _hostile_deviation(again)["waived"] is True


def test_the_hidden_sheet_and_filters_survive_the_round_trip(hostile: Path, cli: Cli) -> None:
    _result(cli, hostile / "r.json")
    made = cli("decisions", "template", "r.json", "--output", "d.xlsx", "--region", "copy")
    assert made.code == 0, made.stderr
    meta = openpyxl.load_workbook("d.xlsx")["cosmicdiff"]
    values = {r[0].value: r[1].value for r in meta.iter_rows()}
    assert (values["schema"], values["filters"]) == ("cosmicdiff/decisions/1", "'--region=copy")
    doc = read_decisions(Path("d.xlsx"), "d.xlsx", dt.date(2026, 11, 23))
    assert doc.filters == ("--region=copy",)
    assert any(r.get("local_id") == HOSTILE_ID for r in doc.rows)
    checked = cli("decisions", "apply", "d.xlsx", "--today", "2026-11-23")
    assert checked.code == 0, checked.stderr
