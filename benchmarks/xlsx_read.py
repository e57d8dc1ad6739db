"""Measure reading a 50,000-row keyword list workbook: openpyxl read-only vs python-calamine.

Writes a workbook the way Excel saves one (shared strings, a ``<dimension>``, one sheet
``Sökord`` with the CSV list's ten columns), then times, best of ``--repeat``:

* ``openpyxl read-only``: ``load_workbook(read_only=True, data_only=True)`` and every row's
  values (``iter_rows(values_only=True)``);
* ``python-calamine``: ``CalamineWorkbook.from_path`` and ``to_python()``;
* ``cosmicdiff xlsx reader``: what ``compare`` does per workbook (``read_xlsx_keywords``: the
  checks of ``io/workbook.py``, calamine's values, the streaming pass for hidden rows,
  merges and formulas, and 50,000 keywords built);
* ``cosmicdiff xlsx reader, a hidden row``: the same with row 2 hidden, which makes the reader
  take the streaming pass over the sheet's XML (skipped when a sheet has no hidden row or
  column, formula or merged range);
* ``cosmicdiff csv reader``: the same list saved as CSV, for comparison.

    python benchmarks/xlsx_read.py --rows 50000 --repeat 3 [--keep DIR]
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from cosmicdiff.parsers.cosmic.keyword_rows import OPTIONAL, REQUIRED

#: the keyword list's columns, as cosmicdiff reads them (required first)
COLUMNS = REQUIRED + OPTIONAL
_TYPES = ("Text", "Numeric", "FixValue", "Boolean", "DateTime")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def rows(count: int) -> Iterator[list[str]]:
    """Yield the header and ``count`` keyword rows (deterministic)."""
    yield list(COLUMNS)
    for i in range(count):
        kind = _TYPES[i % len(_TYPES)]
        yield [
            f"RKL-SO-{i:06d}",
            f"Sökord {i} för bedömning av vård",
            kind,
            "kg" if kind == "Numeric" else "",
            f"RKL-VL-{i % 700:04d}" if kind == "FixValue" else "",
            "snomed-ct" if i % 11 == 0 else "",
            str(100000 + i) if i % 11 == 0 else "",
            "active",
            "false" if i % 13 else "true",
            f"Beskrivning av sökord {i}, som den står i förvaltningens lista" if i % 3 == 0 else "",
        ]


def _col(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_workbook(path: Path, count: int, hidden_row: int | None = None) -> None:
    """Write the list as Excel writes it: every text cell a shared string (``hidden_row``:
    that row hidden, which makes cosmicdiff's reader take its streaming pass)."""
    shared: dict[str, int] = {}
    body = []
    for r, row in enumerate(rows(count), start=1):
        cells = []
        for c, value in enumerate(row, start=1):
            if value:
                index = shared.setdefault(value, len(shared))
                cells.append(f'<c r="{_col(c)}{r}" t="s"><v>{index}</v></c>')
        hidden = ' hidden="1"' if r == hidden_row else ""
        body.append(f'<row r="{r}" spans="1:{len(COLUMNS)}"{hidden}>{"".join(cells)}</row>')
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN}" '
        f'xmlns:r="{_RELS}"><dimension ref="A1:J{count + 1}"/><sheetData>{"".join(body)}'
        "</sheetData></worksheet>"
    )
    strings = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared)
    parts = {
        "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<Types xmlns="{_CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_SHEET_CT}.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{_SHEET_CT}.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" '
        f'ContentType="{_SHEET_CT}.sharedStrings+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{_PKG}">'
        f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_RELS}"><sheets><sheet name="Sökord" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>",
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships '
        f'xmlns="{_PKG}"><Relationship Id="rId1" Type="{_DOC}/worksheet" '
        f'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{_DOC}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{_MAIN}" '
        f'count="{len(shared)}" uniqueCount="{len(shared)}">{strings}</sst>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode())


def write_csv(path: Path, count: int) -> None:
    """Write the same list as Excel's "CSV UTF-8" (semicolons)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows(count))


def best_of(repeat: int, func: Callable[[], int]) -> tuple[float, int]:
    """Return the best wall time of ``repeat`` runs and the rows the last one saw."""
    times, seen = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        seen = func()
        times.append(time.perf_counter() - start)
    return min(times), seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the files here (else a temp folder)")
    args = parser.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cosmicdiff-xlsx-"))
    folder.mkdir(parents=True, exist_ok=True)
    book, listing = folder / "sokord.xlsx", folder / "sokord.csv"
    hidden = folder / "sokord-hidden-row.xlsx"
    write_workbook(book, args.rows)
    write_workbook(hidden, args.rows, hidden_row=2)
    write_csv(listing, args.rows)

    import python_calamine
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from cosmicdiff.parsers.cosmic.csv_keywords import read_csv_keywords
    from cosmicdiff.parsers.cosmic.xlsx_keywords import read_xlsx_keywords

    def openpyxl_ro() -> int:
        wb = load_workbook(book, read_only=True, data_only=True)
        seen = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        return seen

    def calamine() -> int:
        with python_calamine.CalamineWorkbook.from_path(str(book)) as wb:
            return len(wb.get_sheet_by_index(0).to_python())

    readers = {
        "openpyxl read-only": openpyxl_ro,
        "python-calamine": calamine,
        "cosmicdiff xlsx reader": lambda: len(read_xlsx_keywords(book, "sokord.xlsx").keywords),
        "cosmicdiff xlsx reader, a hidden row (streaming pass)": lambda: len(
            read_xlsx_keywords(hidden, "sokord-hidden-row.xlsx").keywords
        ),
        "cosmicdiff csv reader": lambda: len(read_csv_keywords(listing, "sokord.csv").keywords),
    }
    size = book.stat().st_size / 1e6
    print(f"{args.rows} rows, {len(COLUMNS)} columns; {book} {size:.1f} MB; best of {args.repeat}")
    print("| reader | seconds | rows |\n| --- | --- | --- |")
    for name, func in readers.items():
        seconds, seen = best_of(args.repeat, func)
        print(f"| {name} | {seconds:.2f} | {seen} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
