"""Spreadsheets for people: workbooks saved so that the same content gives the same bytes."""

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
