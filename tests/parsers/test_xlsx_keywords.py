"""Keyword lists read directly from Excel workbooks (.xlsx): the same result as the CSV list,
cell-precise messages, and what formulas, merged, hidden cells and hidden sheets mean."""

from __future__ import annotations

import csv
import json
import re
import shutil
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import ESPIR, EXAMPLES, run_cli
from openpyxl import Workbook  # type: ignore[import-untyped]

from cosmicdiff.errors import CosmicdiffError
from cosmicdiff.io import workbook
from cosmicdiff.model import KeywordType
from cosmicdiff.parsers import load_export
from cosmicdiff.parsers.registry import reading_sheet

HEADER = ["id", "name", "type"]


def make_xlsx(path: Path, rows: Sequence[Sequence[Any]], title: str = "Sökord", **kw: Any) -> Path:
    """Write a one-sheet workbook (more sheets with ``sheets={title: rows}``)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    for extra, extra_rows in kw.get("sheets", {}).items():
        other = wb.create_sheet(extra)
        for row in extra_rows:
            other.append(list(row))
    for ref in kw.get("merge", ()):
        ws.merge_cells(ref)
    for r in kw.get("hide_rows", ()):
        ws.row_dimensions[r].hidden = True
    for c in kw.get("hide_columns", ()):
        ws.column_dimensions[c].hidden = True
    if kw.get("hide_first"):
        ws.sheet_state = "hidden"
        wb.active = 1
    wb.save(path)
    return path


def with_cached_value(path: Path, cell: str, value: str, kind: str = "str") -> None:
    """Give a formula cell the computed value Excel would have saved (openpyxl saves none);
    ``kind`` ``e`` makes it an error value (``#N/A``)."""
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    xml = parts[part].decode()
    xml, n = re.subn(
        rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
        rf'<c r="{cell}"\1 t="{kind}"><f>\2</f><v>{value}</v>',
        xml,
    )
    assert n == 1
    parts[part] = xml.encode()
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)


def load_error(path: Path) -> str:
    with pytest.raises(CosmicdiffError) as info:
        load_export(path, path.parent)
    return "\n".join(info.value.lines())


# --- the same result as the CSV list ---------------------------------------------------------


def kalmar_as_xlsx(tmp_path: Path) -> tuple[Path, Path]:
    """Return two copies of Kalmar's folder: with its CSV list, and with an .xlsx copy of it."""
    with_csv = tmp_path / "csv" / "kalmar"
    shutil.copytree(EXAMPLES / "kalmar", with_csv)
    with_xlsx = tmp_path / "xlsx" / "kalmar"
    shutil.copytree(EXAMPLES / "kalmar", with_xlsx)
    source = with_xlsx / "sokord-gemensamt-psykiatri.csv"
    text = source.read_bytes().decode("cp1252")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    source.unlink()
    make_xlsx(with_xlsx / "sokord-gemensamt-psykiatri.xlsx", rows)
    return with_csv, with_xlsx


def compare_json(region: Path, out: Path) -> dict[str, Any]:
    result = run_cli(
        "compare", "--baseline", ESPIR, region, "--format", "json", "--output", out,
        "--today", "2026-11-23",
    )  # fmt: skip
    assert result.code == 1, result.stderr
    data: dict[str, Any] = json.loads(out.read_text("utf-8"))
    return data


def test_xlsx_copy_of_kalmars_csv_list_gives_the_same_result(tmp_path: Path) -> None:
    with_csv, with_xlsx = kalmar_as_xlsx(tmp_path)
    from_csv = compare_json(with_csv, tmp_path / "csv.json")
    from_xlsx = compare_json(with_xlsx, tmp_path / "xlsx.json")
    again = tmp_path / "again.json"  # the cells survive a saved result read back
    assert (
        run_cli("report", tmp_path / "xlsx.json", "--format", "json", "--output", again).code == 1
    )
    assert again.read_bytes() == (tmp_path / "xlsx.json").read_bytes()
    csv_name, xlsx_name = "sokord-gemensamt-psykiatri.csv", "sokord-gemensamt-psykiatri.xlsx"
    cells = []
    for finding in from_xlsx["deviations"]:
        loc = finding.get("location")
        if loc and loc["path"].endswith(xlsx_name):
            assert loc["line"] is None
            cells.append(loc.pop("cell"))
            loc["line"] = "row"
        if loc:
            loc["path"] = loc["path"].replace(str(tmp_path / "xlsx"), "")
    for finding in from_csv["deviations"]:
        loc = finding.get("location")
        if loc and loc["path"].endswith(csv_name):
            loc["path"] = loc["path"].replace(csv_name, xlsx_name)
            loc["line"] = "row"
        if loc:
            loc["path"] = loc["path"].replace(str(tmp_path / "csv"), "")
    assert cells and all(re.fullmatch(r"Sökord!A\d+", c) for c in cells)
    assert len(from_csv["deviations"]) == len(from_xlsx["deviations"]) > 0
    assert from_xlsx["deviations"] == from_csv["deviations"]  # ids, kinds, messages, values
    assert from_xlsx["summary"] == from_csv["summary"]
    assert from_xlsx["harmonisation"] == from_csv["harmonisation"]
    (region_csv,), (region_xlsx,) = from_csv["regions"], from_xlsx["regions"]
    assert region_xlsx["formats"] == [
        "cosmic-xml" if f == "cosmic-xml" else "cosmic-xlsx" for f in region_csv["formats"]
    ]
    assert region_xlsx["input_notes"] == region_csv["input_notes"] == []


def test_a_finding_on_an_xlsx_keyword_names_its_cell(tmp_path: Path) -> None:
    _with_csv, with_xlsx = kalmar_as_xlsx(tmp_path)
    export = load_export(with_xlsx, tmp_path)
    kw = export.keywords["RKL-SO-20014"]  # row 3 of the list: Aktuellt
    assert str(kw.loc) == "xlsx/kalmar/sokord-gemensamt-psykiatri.xlsx:Sökord!A3"
    assert kw.name == "Aktuellt" and kw.type is KeywordType.TEXT


# --- cell-precise messages -------------------------------------------------------------------


def test_an_unknown_type_is_named_by_its_cell(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "sokord.xlsx", [HEADER, ["A", "a", "Text"], ["B", "b", "Txt"]])
    assert load_error(path) == "sokord.xlsx:Sökord!C3: unknown keyword type 'Txt'"
    result = run_cli("validate", path)
    assert result.code == 2
    assert "sokord.xlsx:Sökord!C3: unknown keyword type 'Txt'" in result.stdout + result.stderr


def test_problems_of_several_cells_are_listed_together(tmp_path: Path) -> None:
    rows = [[*HEADER, "status"], ["A", "", "Text", "gone"], ["", "b", "Text", ""]]
    message = load_error(make_xlsx(tmp_path / "s.xlsx", rows))
    assert message.splitlines() == [
        "s.xlsx:Sökord!B2: column 'name' is empty",
        "s.xlsx:Sökord!D2: unknown status 'gone'; use active, inactive or retired",
        "s.xlsx:Sökord!A3: column 'id' is empty",
    ]


def test_header_problems_name_the_header_cell(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "s.xlsx", [[*HEADER, "Enhet"], ["A", "a", "Text", "kg"]])
    assert load_error(path).startswith("s.xlsx:Sökord!D1: unknown column 'Enhet'; known columns")
    path = make_xlsx(tmp_path / "t.xlsx", [["Sökord-id", "Namn"], ["A", "a"]])
    assert load_error(path) == (
        "t.xlsx:Sökord!1: row 1 must name at least the columns id, name and type "
        "(found 'Sökord-id', 'Namn')"
    )
    path = make_xlsx(tmp_path / "u.xlsx", [[*HEADER, None], ["A", "a", "Text", "x"]])
    assert load_error(path) == "u.xlsx:Sökord!D2: value in column D, which has no name in row 1"


def test_cell_values_are_read_as_a_csv_export_would_hold_them(tmp_path: Path) -> None:
    rows = [[*HEADER, "hiddenFrom1177", "unit"], [20014, "Vikt", "Numeric", True, "kg"]]
    export = load_export(make_xlsx(tmp_path / "s.xlsx", rows), tmp_path)
    kw = export.keywords["20014"]
    assert (kw.hidden_from_1177, kw.unit) == (True, "kg")


# --- keyword types in any letter case ----------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_keyword_types_are_matched_without_regard_to_case_with_one_note(
    tmp_path: Path, suffix: str
) -> None:
    rows = [HEADER, ["A", "a", "text"], ["B", "b", "TEXT"], ["C", "c", "text"], ["D", "d", "Text"]]
    path = tmp_path / f"s{suffix}"
    if suffix == ".csv":
        path.write_text("\n".join(";".join(r) for r in rows) + "\n", "utf-8")
    else:
        make_xlsx(path, rows)
    export = load_export(path, tmp_path)
    assert {k.type for k in export.keywords.values()} == {KeywordType.TEXT}
    notes = [(n.kind, str(n)) for n in export.notes]
    first, second = (
        ("s.csv:2", "s.csv:3") if suffix == ".csv" else ("s.xlsx:Sökord!C2", "s.xlsx:Sökord!C3")
    )
    assert notes == [
        ("respelled", f"{first}: keyword type 'text' read as 'Text' (2 rows; types are matched "
         "without regard to letter case)"),
        ("respelled", f"{second}: keyword type 'TEXT' read as 'Text' (1 row; types are matched "
         "without regard to letter case)"),
    ]  # fmt: skip


# --- formulas, merged cells, hidden rows, columns and sheets ---------------------------------


def test_a_formula_without_a_computed_value_is_refused_with_its_cell(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "s.xlsx", [HEADER, ["A", "a", '=PROPER("text")']])
    assert load_error(path).startswith(
        "s.xlsx:Sökord!C2: formula without a computed value (the file was written by a "
        "program that does not compute formulas)"
    )


def test_a_formula_with_a_computed_value_is_read_as_that_value_with_a_note(
    tmp_path: Path,
) -> None:
    path = make_xlsx(
        tmp_path / "s.xlsx", [HEADER, ["A", "a", '=PROPER("text")'], ["B", "b", "Text"]]
    )
    with_cached_value(path, "C2", "Text")
    export = load_export(path, tmp_path)
    assert export.keywords["A"].type is KeywordType.TEXT
    assert [str(n) for n in export.notes if n.kind == "formula_value"] == [
        "s.xlsx:Sökord!C2: 1 formula cell read as the value Excel last computed "
        "(first at Sökord!C2)"
    ]


def test_a_formula_whose_value_is_an_error_is_refused_with_its_cell(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "s.xlsx", [HEADER, ["A", "a", "=VLOOKUP(1,X1:X2,1)"]])
    with_cached_value(path, "C2", "#N/A", kind="e")
    assert load_error(path) == "s.xlsx:Sökord!C2: formula gives the error '#N/A'"


def test_a_range_merged_down_a_column_gives_its_value_to_each_row(tmp_path: Path) -> None:
    rows = [HEADER, ["A", "a", "FixValue"], ["B", "b", None], ["C", "c", "Text"]]
    path = make_xlsx(
        tmp_path / "s.xlsx",
        [[*HEADER, "valueList"], *[[*r, "VL"] for r in rows[1:]]],
        merge=["C2:C3"],
    )
    export = load_export(path, tmp_path)
    assert [export.keywords[k].type for k in "ABC"] == [
        KeywordType.FIX_VALUE, KeywordType.FIX_VALUE, KeywordType.TEXT
    ]  # fmt: skip
    assert [str(n) for n in export.notes] == [
        "s.xlsx:Sökord!C2: cells Sökord!C2:C3 are merged: the value of C2 is read on each of "
        "their 2 rows"
    ]


def test_cells_merged_across_columns_are_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "s.xlsx", [HEADER, ["A", "a", "Text"]], merge=["A2:B2"])
    assert load_error(path) == (
        "s.xlsx:Sökord!A2:B2: cells merged across columns; unmerge them (a value belongs to "
        "one column)"
    )


def test_hidden_rows_and_columns_are_read_as_data_with_a_note(tmp_path: Path) -> None:
    rows = [
        [*HEADER, "unit"],
        ["A", "a", "Text", ""],
        ["B", "b", "Numeric", "kg"],
        ["C", "c", "Text", ""],
    ]
    path = make_xlsx(tmp_path / "s.xlsx", rows, hide_rows=[3, 4], hide_columns=["D"])
    export = load_export(path, tmp_path)
    assert sorted(export.keywords) == ["A", "B", "C"] and export.keywords["B"].unit == "kg"
    assert [(n.kind, str(n)) for n in export.notes] == [
        ("hidden_read", "s.xlsx:Sökord: 2 hidden rows (3, 4) and 1 hidden column (D) read as "
         "data: hiding in Excel (or a filter) is a view"),
    ]  # fmt: skip


def test_the_first_visible_sheet_is_read_and_a_hidden_one_before_it_is_noted(
    tmp_path: Path,
) -> None:
    path = make_xlsx(
        tmp_path / "s.xlsx",
        [HEADER, ["OLD", "old", "Text"]],
        title="Gammal",
        sheets={"Sökord": [HEADER, ["NEW", "new", "Text"]]},
        hide_first=True,
    )
    export = load_export(path, tmp_path)
    assert list(export.keywords) == ["NEW"]
    assert [str(n) for n in export.notes] == [
        "s.xlsx: hidden sheet(s) 'Gammal' not read; the first visible sheet 'Sökord' is "
        "(give --sheet NAME to read another)"
    ]
    with reading_sheet("Gammal"):
        assert list(load_export(path, tmp_path).keywords) == ["OLD"]
    with reading_sheet("Blad1"), pytest.raises(CosmicdiffError) as info:
        load_export(path, tmp_path)
    assert (
        str(info.value)
        == "s.xlsx: no sheet 'Blad1' in this workbook; its sheets: 'Gammal', 'Sökord'"
    )


def test_sheet_option_reaches_the_reader_and_is_reset_between_runs(tmp_path: Path) -> None:
    path = make_xlsx(
        tmp_path / "s.xlsx",
        [HEADER, ["A", "a", "Text"]],
        sheets={"Andra": [HEADER, ["B", "b", "Txt"]]},
    )
    assert run_cli("validate", path).code == 0
    bad = run_cli("validate", "--sheet", "Andra", path)
    assert (
        bad.code == 2 and "s.xlsx:Andra!C2: unknown keyword type 'Txt'" in bad.stdout + bad.stderr
    )
    assert run_cli("validate", path).code == 0
    missing = run_cli("validate", "--sheet", "Nej", path)
    assert missing.code == 2 and "its sheets: 'Sökord', 'Andra'" in missing.stdout + missing.stderr


# --- unusable workbooks: one line, exit 2 --------------------------------------------------------


def test_unusable_workbooks_are_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(b"id;name;type\n")
    assert (
        load_error(tmp_path / "a.xlsx")
        == "a.xlsx: not an Excel workbook (.xlsx): not a zip archive"
    )
    (tmp_path / "b.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert load_error(tmp_path / "b.xlsx").startswith(
        "b.xlsx: a password-protected (encrypted) workbook or an old .xls file"
    )
    with zipfile.ZipFile(tmp_path / "c.xlsx", "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert load_error(tmp_path / "c.xlsx") == (
        "c.xlsx: not an Excel workbook (.xlsx): the zip archive has no xl/workbook.xml"
    )
    with zipfile.ZipFile(tmp_path / "d.xlsx", "w") as z:
        z.writestr("xl/workbook.bin", b"\0")
    assert load_error(tmp_path / "d.xlsx").startswith("d.xlsx: a binary workbook (.xlsb)")


def test_a_doctype_in_any_part_is_refused_before_parsing(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "s.xlsx", [HEADER, ["A", "a", "Text"]])
    with zipfile.ZipFile(path) as src:
        parts = {n: src.read(n) for n in src.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?>\n<!-- a comment -->\n'
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n' + sheet
    )
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    assert load_error(path) == (
        "s.xlsx:xl/worksheets/sheet1.xml: DOCTYPE declarations are not allowed (no DTDs or "
        "entities are read); remove the <!DOCTYPE ...> line"
    )


def test_a_zip_bomb_is_refused_by_its_declared_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_xlsx(
        tmp_path / "s.xlsx", [HEADER, *[[f"K{i}", "x" * 200, "Text"] for i in range(300)]]
    )
    monkeypatch.setattr(workbook, "MAX_PART_BYTES", 15_000)
    message = load_error(path)
    assert message.startswith("s.xlsx: workbook part 'xl/worksheets/sheet1.xml' would unpack to ")
    assert message.endswith("bytes (at most 15000); is it a zip bomb?")
    monkeypatch.setattr(workbook, "MAX_PART_BYTES", 10**9)
    monkeypatch.setattr(workbook, "MAX_TOTAL_BYTES", 20_000)
    assert "(at most 20000); is it a zip bomb?" in load_error(path)


def _forge_size(path: Path, part: str, declared: int, crc_of: int | None = None) -> None:
    """Make ``part`` declare ``declared`` bytes (and the CRC of its first ``crc_of`` bytes,
    by default ``declared``) in both zip headers, as a crafted bomb would."""
    import struct
    import zlib

    with zipfile.ZipFile(path) as archive:
        data = archive.read(part)
    crc = zlib.crc32(data[: declared if crc_of is None else crc_of])
    raw = bytearray(path.read_bytes())
    name = part.encode()
    for signature, crc_at, size_at in ((b"PK\x03\x04", 14, 22), (b"PK\x01\x02", 16, 24)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", raw, start + crc_at, crc)
                struct.pack_into("<I", raw, start + size_at, declared)
                break
            start += 4
    path.write_bytes(bytes(raw))


def test_a_part_that_unpacks_to_more_than_it_declares_is_refused(tmp_path: Path) -> None:
    """A forged size would pass the declared-size bounds; calamine would unpack it all."""
    path = make_xlsx(
        tmp_path / "s.xlsx", [HEADER, *[[f"K{i}", "x" * 200, "Text"] for i in range(300)]]
    )
    _forge_size(path, "xl/worksheets/sheet1.xml", 1_000)
    with zipfile.ZipFile(path) as archive:  # what the archive now says of the part
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size == 1_000
    assert load_error(path) == (
        "s.xlsx: workbook part 'xl/worksheets/sheet1.xml' unpacks to more than the 1000 bytes "
        "it declares; is it a zip bomb?"
    )


def test_a_part_with_a_wrong_checksum_is_refused(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "s.xlsx", [HEADER, ["K1", "a", "Text"]])
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("xl/worksheets/sheet1.xml").file_size
    _forge_size(path, "xl/worksheets/sheet1.xml", size, crc_of=size - 1)
    assert load_error(path) == (
        "s.xlsx: workbook part 'xl/worksheets/sheet1.xml' is damaged (checksum)"
    )


# --- in a region folder ----------------------------------------------------------------------


def test_a_lock_file_and_a_workbook_beside_its_csv_are_not_read_with_a_note(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "sokord.csv").write_text("id;name;type\nA;a;Text\n", "utf-8")
    make_xlsx(folder / "sokord.xlsx", [HEADER, ["A", "a", "Text"]])
    (folder / "~$lista.xlsx").write_bytes(b"\x05user" + bytes(100))
    make_xlsx(folder / "lista.xlsx", [HEADER, ["B", "b", "Numeric"]])
    export = load_export(folder, tmp_path)
    assert sorted(export.keywords) == ["A", "B"]
    assert export.formats == ("cosmic-xlsx", "cosmic-csv")
    assert [(n.kind, str(n)) for n in export.notes] == [
        ("not_read", "r/sokord.xlsx: not read: the CSV list of the same name beside it is read "
         "(taken to be saved from it)"),
        ("not_read", "r/~$lista.xlsx: not read: Excel's lock file of an open workbook "
         "(~$name.xlsx)"),
    ]  # fmt: skip


def test_a_decisions_workbook_is_opened_with_the_same_checks(tmp_path: Path) -> None:
    import datetime as dt

    from cosmicdiff.workshop.decisions.read import read_decisions

    path = tmp_path / "d.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(CosmicdiffError) as info:
        read_decisions(path, "d.xlsx", dt.date(2026, 12, 4))
    assert str(info.value).startswith(
        "d.xlsx: a password-protected (encrypted) workbook or an old .xls file"
    )


def test_the_benchmark_workbook_reads_like_its_csv_and_every_reader_is_measured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from benchmarks import xlsx_read

    assert xlsx_read.main(["--rows", "40", "--repeat", "1", "--keep", str(tmp_path)]) == 0
    table = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    assert [line.split(" | ")[0] for line in table[2:]] == [
        "| openpyxl read-only",
        "| python-calamine",
        "| cosmicdiff xlsx reader",
        "| cosmicdiff xlsx reader, a hidden row (streaming pass)",
        "| cosmicdiff csv reader",
    ]
    assert [line.rsplit(" | ", 1)[1] for line in table[2:]] == [
        "41 |",
        "41 |",
        "40 |",
        "40 |",
        "40 |",
    ]
    from_xlsx = load_export(tmp_path / "sokord.xlsx", tmp_path).keywords
    assert from_xlsx == load_export(tmp_path / "sokord.csv", tmp_path).keywords
    hidden = load_export(tmp_path / "sokord-hidden-row.xlsx", tmp_path)
    assert [n.kind for n in hidden.notes] == ["hidden_read"]
