"""Read Excel workbooks (.xlsx) people keep lists in: checked before any XML is parsed.

An .xlsx file is a zip archive of XML parts. Before a reader sees it, :func:`open_workbook`

* refuses what is no workbook with one line: not a zip archive, a password-protected
  (encrypted) workbook or an old ``.xls`` (both OLE compound files), a binary ``.xlsb``, a
  zip without ``xl/workbook.xml`` (a ``.docx``, an ``.ods``), an encrypted zip entry;
* bounds a zip bomb by the sizes the archive declares: at most :data:`MAX_PARTS` parts,
  :data:`MAX_PART_BYTES` per part, :data:`MAX_TOTAL_BYTES` in all; and unpacks every part
  once to check it is no larger than it declares (and its checksum), since other readers
  (calamine) would unpack a part with a forged size to its end;
* refuses a ``<!DOCTYPE`` in the prolog of every XML part (:func:`~cosmicdiff.io.safe_xml.
  doctype_line`): no DTD, no entities.

The cell values come from python-calamine (Rust; its XML reader expands no entities),
chosen by measurement (``benchmarks/xlsx_read.py``: 50,000 rows in a fraction of the time
openpyxl's read-only mode takes). What calamine does not say — hidden rows and columns,
merged ranges, which cells hold formulas and whether they have a computed value — comes
from one streaming pass over the sheet's XML through the hardened parser
(:func:`~cosmicdiff.io.safe_xml.iterparse_bytes`).
"""

from __future__ import annotations

import copy
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cosmicdiff.errors import ExportError, quoted
from cosmicdiff.io.safe_xml import DOCTYPE_MESSAGE, doctype_line, iterparse_bytes, parse_bytes

__all__ = ["Sheet", "Workbook", "cell_name", "column_letter", "open_workbook"]

MAX_PARTS = 10_000
MAX_PART_BYTES = 512 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
#: How much of each XML part's start is scanned for a DOCTYPE.
_PROLOG_BYTES = 1024 * 1024
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_REL_ID_STRICT = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")
#: What a sheet's XML must contain for the streaming pass to find anything: without a
#: ``hidden`` attribute, a formula element or a merged range, the pass is skipped.
_FACTS = re.compile(rb"hidden=|<(?:\w+:)?f[\s>/]|<(?:\w+:)?mergeCell[\s>/]")


def column_letter(index: int) -> str:
    """Return the column letters of a 1-based column index (1 → A, 28 → AB)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(sheet: str, row: int, column: int) -> str:
    """Return ``Sheet!C12`` for a 1-based row and column."""
    return f"{sheet}!{column_letter(column) if column > 26 else chr(64 + column)}{row}"


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _ref(text: str | None) -> tuple[int, int] | None:
    """Return (row, column), 1-based, of a reference such as ``C12`` (None if it is none)."""
    found = _REF.match(text or "")
    return (int(found.group(2)), _column_index(found.group(1))) if found else None


@dataclass(slots=True)
class Sheet:
    """One worksheet: its cell values by row and what calamine does not tell."""

    name: str
    #: the rows from row 1 on, each a list of values from column A on ('' when empty)
    rows: list[list[Any]] = field(default_factory=list)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[int] = field(default_factory=list)
    #: merged ranges as (first row, first column, last row, last column), 1-based
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    #: formula cells (row, column) → True if the workbook holds a computed value for it
    formulas: dict[tuple[int, int], bool] = field(default_factory=dict)
    #: formula cells whose computed value is an error (#N/A, #REF! …)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Workbook:
    """An .xlsx file that passed the checks: its sheets in tab order and their visibility."""

    path: Path
    display: str
    #: (name, hidden, part) of each worksheet in tab order
    sheets: tuple[tuple[str, bool, str], ...]

    def names(self) -> str:
        """Return the sheet names for a message: ``'Sökord', 'Äldre'``."""
        return ", ".join(quoted(n) for n, _h, _p in self.sheets)

    def choose(self, name: str | None) -> tuple[str, list[str]]:
        """Return the sheet to read (``name``, or the first visible one) and the hidden
        sheets passed over to find it; refuse a name the workbook does not have."""
        if name is not None:
            if not any(n == name for n, _h, _p in self.sheets):
                raise ExportError(
                    self.display,
                    None,
                    f"no sheet {quoted(name)} in this workbook; its sheets: {self.names()}",
                )
            return name, []
        skipped: list[str] = []
        for sheet, hidden, _part in self.sheets:
            if not hidden:
                return sheet, skipped
            skipped.append(sheet)
        raise ExportError(self.display, None, "workbook has no visible sheet; give --sheet NAME")

    def read(self, name: str) -> Sheet:
        """Return one sheet's values and facts."""
        part = next(p for n, _h, p in self.sheets if n == name)
        sheet = Sheet(name=name, rows=_values(self.path, self.display, name))
        with zipfile.ZipFile(self.path) as archive:
            data = archive.read(part)
        if _FACTS.search(data):
            _scan_sheet(data, f"{self.display}:{name}", sheet)
        return sheet


def open_workbook(path: Path, display: str) -> Workbook:
    """Check an .xlsx file (see the module docstring) and return its sheets."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    if head.startswith(_OLE):
        raise ExportError(
            display,
            None,
            "a password-protected (encrypted) workbook or an old .xls file; "
            "save it as an Excel workbook (.xlsx) without a password",
        )
    if not head or not zipfile.is_zipfile(path):
        raise ExportError(display, None, "not an Excel workbook (.xlsx): not a zip archive")
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, display)
            sheets = _sheets(archive, display)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError) as exc:
        raise ExportError(
            display, None, f"not an Excel workbook (.xlsx) that can be read: {type(exc).__name__}"
        ) from None
    if not sheets:
        raise ExportError(display, None, "workbook has no worksheet")
    return Workbook(path=path, display=display, sheets=sheets)


def _check_archive(archive: zipfile.ZipFile, display: str) -> None:
    infos = archive.infolist()
    names = {i.filename for i in infos}
    if len(infos) > MAX_PARTS:
        raise ExportError(display, None, f"workbook has {len(infos)} parts (at most {MAX_PARTS})")
    if "xl/workbook.bin" in names:
        raise ExportError(
            display, None, "a binary workbook (.xlsb); save it as an Excel workbook (.xlsx)"
        )
    if "xl/workbook.xml" not in names:
        raise ExportError(
            display, None, "not an Excel workbook (.xlsx): the zip archive has no xl/workbook.xml"
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise ExportError(display, None, "workbook has encrypted parts; save it unencrypted")
        if info.file_size > MAX_PART_BYTES:
            raise ExportError(
                display,
                None,
                f"workbook part {quoted(info.filename)} would unpack to {info.file_size} bytes "
                f"(at most {MAX_PART_BYTES}); is it a zip bomb?",
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ExportError(
            display,
            None,
            f"workbook would unpack to {total} bytes (at most {MAX_TOTAL_BYTES}); "
            "is it a zip bomb?",
        )
    for info in infos:
        _check_part(archive, info, display)


def _check_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, display: str) -> None:
    """Unpack a part once: no DOCTYPE in an XML part's prolog, no more bytes than it declares
    (a forged size; other readers, calamine among them, would unpack it to its end), and the
    checksum it declares."""
    probe = copy.copy(info)
    probe.file_size = info.file_size + 1  # one byte more than declared shows a forged size
    probe.CRC = None  # type: ignore[assignment]  # checked below, over what was unpacked
    with archive.open(probe) as part:
        chunk = part.read(_PROLOG_BYTES)
        if info.filename.endswith((".xml", ".rels")) and doctype_line(chunk) is not None:
            raise ExportError(f"{display}:{info.filename}", None, DOCTYPE_MESSAGE)
        size, crc = 0, 0
        while chunk and size <= info.file_size:
            size += len(chunk)
            crc = zlib.crc32(chunk, crc)
            chunk = part.read(_PROLOG_BYTES)
    if size > info.file_size:
        raise ExportError(
            display,
            None,
            f"workbook part {quoted(info.filename)} unpacks to more than the "
            f"{info.file_size} bytes it declares; is it a zip bomb?",
        )
    if size != info.file_size or crc != info.CRC:
        raise ExportError(
            display, None, f"workbook part {quoted(info.filename)} is damaged (checksum)"
        )


def _sheets(archive: zipfile.ZipFile, display: str) -> tuple[tuple[str, bool, str], ...]:
    """Return (name, hidden, part) of every worksheet, in tab order."""
    book = parse_bytes(archive.read("xl/workbook.xml"), f"{display}:xl/workbook.xml").getroot()
    targets: dict[str, str] = {}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in archive.namelist():
        for rel in parse_bytes(archive.read(rels), f"{display}:{rels}").getroot().iter(_PKG_REL):
            target = rel.get("Target") or ""
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id") or ""] = posixpath.normpath(part)
    found = []
    for ns in _MAIN:
        for el in book.iter(f"{{{ns}}}sheet"):
            rid = el.get(_REL_ID) or el.get(_REL_ID_STRICT) or ""
            part = targets.get(rid, "")
            if part in archive.namelist():  # a chart sheet has no worksheet part here
                state = el.get("state") or "visible"
                found.append((el.get("name") or "", state != "visible", part))
    return tuple(found)


def _values(path: Path, display: str, name: str) -> list[list[Any]]:
    """Return the sheet's values from A1 on, as calamine reads them."""
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except python_calamine.CalamineError as exc:
        raise ExportError(
            display, None, f"sheet {quoted(name)} cannot be read: {type(exc).__name__}"
        ) from None
    return rows


def _scan_sheet(data: bytes, display: str, sheet: Sheet) -> None:
    """Record hidden rows and columns, merged ranges and formula cells of a sheet's XML."""
    tags = frozenset(f"{{{ns}}}{t}" for ns in _MAIN for t in ("row", "f", "col", "mergeCell"))
    pending: list[Any] = []
    row_number = 0
    for el in iterparse_bytes(data, display, tags):
        local = el.tag.rpartition("}")[2]
        if local == "f":
            pending.append(el.getparent())
        elif local == "row":
            row_number = int(el.get("r") or row_number + 1)
            if el.get("hidden") in ("1", "true"):
                sheet.hidden_rows.append(row_number)
            for cell in pending:
                _formula(cell, row_number, sheet)
            pending.clear()
            el.clear()
            while el.getprevious() is not None:
                del el.getparent()[0]
        elif local == "col" and el.get("hidden") in ("1", "true"):
            low, high = int(el.get("min") or 0), int(el.get("max") or 0)
            sheet.hidden_columns.extend(range(low, min(high, 16384) + 1))
        elif local == "mergeCell":
            first_ref, _, last_ref = (el.get("ref") or "").partition(":")
            first, last = _ref(first_ref), _ref(last_ref or first_ref)
            if first and last:
                sheet.merged.append((*first, *last))


def _formula(cell: Any, row: int, sheet: Sheet) -> None:
    ref = _ref(cell.get("r"))
    where = ref if ref else (row, cell.getparent().index(cell) + 1)
    value = next((c.text for c in cell if c.tag.rpartition("}")[2] == "v"), None)
    sheet.formulas[where] = bool(value)
    if cell.get("t") == "e" and value:
        sheet.errors[where] = value
