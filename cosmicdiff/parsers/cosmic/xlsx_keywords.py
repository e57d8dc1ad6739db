"""Read keyword lists kept in an Excel workbook (.xlsx), with the same columns as the CSV list.

The first visible sheet is read, or the one ``--sheet`` names
(:data:`~cosmicdiff.parsers.registry.XLSX_SHEET`). Row 1 is the header row. Every problem
names its cell: ``sokord.xlsx:Sökord!C12: unknown keyword type 'Txt'``. How a workbook's
own devices are read (docs/export-format.md, "Keyword lists in Excel workbooks"):

* **formulas**: the value Excel last computed and saved is read, and an input note
  (``formula_value``) says how many cells were formulas; a formula without a saved value (a
  file written by a program that does not compute formulas) or with an error (``#N/A``) is
  refused, with its cell;
* **merged cells**: a range merged down one column gives its value to each of its rows
  (what the user sees), with a ``merged_filled`` note; a range merged across columns is
  refused (a value belongs to one column);
* **hidden rows and columns** (hidden by hand or by a filter) are data like any other: hiding
  is a view. A ``hidden_read`` note lists them, so nothing is read unseen;
* **hidden sheets** are not read unless named with ``--sheet``; a ``not_read`` note says so
  when the first sheet is hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from cosmicdiff.errors import ErrorCollector, ExportError, excerpt, quoted
from cosmicdiff.io.workbook import Sheet, cell_name, column_letter, open_workbook
from cosmicdiff.model import InputNote, SourceLocation
from cosmicdiff.parsers.cosmic.keyword_rows import (
    REQUIRED,
    Respellings,
    keyword_from_row,
    unknown_columns,
)
from cosmicdiff.parsers.fragment import Fragment

__all__ = ["read_xlsx_keywords"]

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: How many rows or cells a note lists by name before it only counts.
_LISTED = 10


def cell_text(value: Any) -> str:
    """Return a cell's value as the text a CSV export of it would hold."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return "" if value is None else str(value)


def read_xlsx_keywords(path: Path, display: str) -> Fragment:
    """Read the keyword list of a workbook's sheet into a Fragment (keywords only)."""
    from cosmicdiff.parsers.registry import XLSX_SHEET

    book = open_workbook(path, display)
    name, skipped = book.choose(XLSX_SHEET.get())
    sheet = book.read(name)
    frag = Fragment(path=display)
    if skipped:
        frag.notes.append(
            _note(
                "not_read",
                display,
                None,
                f"hidden sheet(s) {', '.join(quoted(s) for s in skipped)} not read; the first "
                f"visible sheet {quoted(name)} is (give --sheet NAME to read another)",
            )
        )
    errors = ErrorCollector()
    _check_formulas(sheet, display, errors, frag)
    rows = [[v if type(v) is str else cell_text(v) for v in row] for row in sheet.rows]
    _fill_merged(sheet, rows, display, errors, frag)
    errors.raise_if_any()
    columns = _header(sheet, rows, display, errors)
    respelled = Respellings(display)
    read_rows: list[int] = []
    for r, row in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in row):
            continue
        values = {col: row[i] if i < len(row) else "" for col, i in columns.items()}
        if _CONTROL.search("\n".join(row)):
            bad = next(i for i, v in enumerate(row) if _CONTROL.search(v))
            errors.add(
                f"{display}:{cell_name(name, r, bad + 1)}",
                None,
                "control character in a cell; expected text",
            )

        def place(col: str, r: int = r) -> SourceLocation:
            index = columns.get(col, columns["id"])
            return SourceLocation(display, None, cell_name(name, r, index + 1))

        kw = keyword_from_row(values, place, errors, respelled)
        read_rows.append(r)
        if kw is not None:
            frag.keywords.append(kw)
    errors.raise_if_any()
    if not frag.keywords:
        raise ExportError(f"{display}:{name}", None, "keyword list has a header but no rows")
    frag.notes.extend(respelled.notes())
    _note_hidden(sheet, read_rows, columns, display, frag)
    return frag


def _note(kind: str, path: str, cell: str | None, message: str) -> InputNote:
    return InputNote(kind=kind, path=path, line=None, cell=cell, message=message)


def _header(
    sheet: Sheet, rows: list[list[str]], display: str, errors: ErrorCollector
) -> dict[str, int]:
    """Return each column's index from row 1, refusing unknown, doubled or missing ones."""
    header = [v.strip() for v in rows[0]] if rows else []
    where = f"{display}:{sheet.name}!1"
    if not all(r in header for r in REQUIRED):
        found = ", ".join(excerpt(h) for h in header if h) or "nothing"
        raise ExportError(
            where, None, f"row 1 must name at least the columns id, name and type (found {found})"
        )
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if not name:
            filled = next(
                (r for r, row in enumerate(rows, 1) if index < len(row) and row[index]), 0
            )
            if filled:
                errors.add(
                    f"{display}:{cell_name(sheet.name, filled, index + 1)}",
                    None,
                    f"value in column {column_letter(index + 1)}, which has no name in row 1",
                )
            continue
        columns.setdefault(name, index)
    names = [h for h in header if h]
    for name, message in unknown_columns(names):
        errors.add(f"{display}:{cell_name(sheet.name, 1, header.index(name) + 1)}", None, message)
    errors.raise_if_any()
    return columns


def _check_formulas(sheet: Sheet, display: str, errors: ErrorCollector, frag: Fragment) -> None:
    """Refuse formulas without a computed value or with an error; note the others."""
    computed = []
    for (r, c), has_value in sorted(sheet.formulas.items()):
        where = f"{display}:{cell_name(sheet.name, r, c)}"
        if not has_value:
            errors.add(
                where,
                None,
                "formula without a computed value (the file was written by a program that "
                "does not compute formulas); open and save it in Excel, or paste the values",
            )
        elif (r, c) in sheet.errors:
            errors.add(where, None, f"formula gives the error {excerpt(sheet.errors[(r, c)])}")
        else:
            computed.append((r, c))
    if computed and not errors.problems:
        r, c = computed[0]
        count = len(computed)
        frag.notes.append(
            _note(
                "formula_value",
                display,
                cell_name(sheet.name, r, c),
                f"{count} formula cell{'s' if count > 1 else ''} read as the value Excel last "
                f"computed (first at {cell_name(sheet.name, r, c)})",
            )
        )


def _fill_merged(
    sheet: Sheet, rows: list[list[str]], display: str, errors: ErrorCollector, frag: Fragment
) -> None:
    """Give a range merged down a column its value on each row; refuse one across columns."""
    for r0, c0, r1, c1 in sorted(sheet.merged):
        span = f"{cell_name(sheet.name, r0, c0)}:{column_letter(c1)}{r1}"
        if c0 != c1:
            errors.add(
                f"{display}:{span}",
                None,
                "cells merged across columns; unmerge them (a value belongs to one column)",
            )
            continue
        if r0 == r1 or r0 > len(rows):
            continue
        value = rows[r0 - 1][c0 - 1] if c0 <= len(rows[r0 - 1]) else ""
        for r in range(r0 + 1, min(r1, len(rows)) + 1):
            if c0 <= len(rows[r - 1]):
                rows[r - 1][c0 - 1] = value
        frag.notes.append(
            _note(
                "merged_filled",
                display,
                cell_name(sheet.name, r0, c0),
                f"cells {span} are merged: the value of {column_letter(c0)}{r0} is read on "
                f"each of their {r1 - r0 + 1} rows",
            )
        )


def _note_hidden(
    sheet: Sheet, read: list[int], columns: dict[str, int], display: str, frag: Fragment
) -> None:
    """Note the hidden rows and columns that were read as data."""
    rows = sorted(set(sheet.hidden_rows) & set(read))
    used = {i + 1 for i in columns.values()}
    cols = sorted(set(sheet.hidden_columns) & used)
    parts = []
    if rows:
        shown = ", ".join(str(r) for r in rows[:_LISTED]) + (" …" if len(rows) > _LISTED else "")
        parts.append(f"{len(rows)} hidden row{'s' if len(rows) > 1 else ''} ({shown})")
    if cols:
        letters = ", ".join(column_letter(c) for c in cols)
        parts.append(f"{len(cols)} hidden column{'s' if len(cols) > 1 else ''} ({letters})")
    if parts:
        frag.notes.append(
            _note(
                "hidden_read",
                display,
                sheet.name,
                f"{' and '.join(parts)} read as data: hiding in Excel (or a filter) is a view",
            )
        )
