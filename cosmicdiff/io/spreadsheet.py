"""Spreadsheets for people: workbooks saved so that the same content gives the same bytes,
and text that no spreadsheet program runs as a formula (CSV and XLSX alike)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any


def save_deterministic(wb: Any, when: dt.datetime) -> bytes:
    """Return an openpyxl workbook's bytes with fixed document dates and zip timestamps.

    ``Workbook.save`` stamps the modification time with now() and the zip entries with the
    clock; both would make two renders of the same content differ.
    """
    from openpyxl.writer.excel import ExcelWriter  # type: ignore[import-untyped]

    wb.properties.creator = "cosmicdiff"
    wb.properties.created = when
    wb.properties.modified = when
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).write_data()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in sorted(src.infolist(), key=lambda i: i.filename):
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


#: What makes a spreadsheet program read a cell as a formula (OWASP, "CSV injection").
FORMULA_START = frozenset({"=", "+", "-", "@", "\t", "\r"})


def spreadsheet_text(value: str) -> str:
    """Return text for a spreadsheet cell that no spreadsheet program runs as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe (``=HYPERLINK(…)`` becomes ``'=HYPERLINK(…)``); so does text that already
    starts with apostrophes before such a character, so that :func:`restore_spreadsheet_text`
    gives back exactly the text that was written.
    """
    return "'" + value if value.lstrip("'")[:1] in FORMULA_START else value


def restore_spreadsheet_text(value: str) -> str:
    """Return the text :func:`spreadsheet_text` was given (for reading a workbook back)."""
    if value[:1] == "'" and value.lstrip("'")[:1] in FORMULA_START:
        return value[1:]
    return value
