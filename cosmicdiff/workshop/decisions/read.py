"""Read a filled decisions file (YAML or XLSX) into rows, with cell- and line-precise problems.

Reading is pure apart from the file itself. Problems of form (an unknown column, a list
where one value belongs, an unknown decision, a date that is not one, a row without an id)
are collected with the place they stand at: ``file:line`` in YAML, ``file: Sheet!Cell`` in
a workbook. ``read_decisions`` adds the problems of the decisions themselves (``check``)
and raises them all together, sorted by their place in the file.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from cosmicdiff.errors import (
    ConfigError,
    ExportError,
    InputErrors,
    Problem,
    UsageError,
    excerpt,
)
from cosmicdiff.io.safe_yaml import LineDict, LineList, line_of
from cosmicdiff.io.spreadsheet import restore_spreadsheet_text
from cosmicdiff.workshop.decisions.check import check_rows
from cosmicdiff.workshop.decisions.files import read_bytes, read_yaml
from cosmicdiff.workshop.decisions.model import (
    COLUMNS,
    DECISIONS_SCHEMA,
    META_SHEET,
    OPTIONAL,
    READ_ONLY,
    Decision,
    DecisionsFile,
    Row,
    Spot,
)
from cosmicdiff.workshop.decisions.readonly import (
    CHECK_KEY,
    edited_cells,
    read_copy,
    row_digest,
    value_text,
    with_codes,
)
from cosmicdiff.workshop.decisions.texts import TEXTS, choice_word, header_key, texts

_CELL = re.compile(r"!([A-Z]+)(\d+)$")
#: A row as read, before it is checked: its values by column and where each one stands.
_Raw = tuple[Mapping[str, object], dict[str, Spot]]
#: The titles the rows' sheet has in a template (one per language).
_SHEETS = frozenset(t.sheet for t in TEXTS.values())
#: A decision as written: its code, or the report's words in any language -> the decision.
_DECISIONS = {d.value: d for d in Decision} | {
    choice_word(d, lang).casefold(): d for d in Decision for lang in TEXTS
}


_IDENTIFYING = "the identifying columns"
_CHECK_FAILED = "a read-only field was edited"


def read_decisions(path: Path, display: str, today: dt.date) -> DecisionsFile:
    """Read a filled decisions file (.yaml/.yml or .xlsx) and check every row.

    Raise ``InputErrors`` with every problem found (one line each), or a ConfigError when
    the file cannot be read at all.
    """
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        doc, problems = _read_yaml(path, display)
    elif suffix == ".xlsx":
        doc, problems = _read_xlsx(path, display)
    else:
        raise UsageError(
            f"{display}: cannot tell the format; a decisions file ends in .yaml, .yml or .xlsx"
        )
    # a row whose grey cells were edited is named cell by cell: not again as a whole
    edited = {_row_of(p) for p in problems if "read-only column" in p.message} - {None}
    checked = check_rows(doc.rows, today)
    # a YAML row whose identifying columns changed is named by them: not again by its check
    named = {(p.path, p.line) for p in checked if p.message.startswith(_IDENTIFYING)}
    problems = [
        p for p in problems if not (_CHECK_FAILED in p.message and (p.path, p.line) in named)
    ]
    problems += [
        p for p in checked if not (p.message.startswith(_IDENTIFYING) and _row_of(p) in edited)
    ]
    if problems:
        raise InputErrors(sorted(problems, key=_position))
    return doc


def _row_of(problem: Problem) -> tuple[str, int] | None:
    """Return the sheet and row a workbook problem stands in (None: not a cell's)."""
    found = _CELL.search(problem.path)
    return (problem.path[: found.start()], int(found.group(2))) if found else None


def _position(problem: Problem) -> tuple[int, int]:
    """Return a problem's place in its file (line, or row and column) for sorting."""
    if problem.line is not None:
        return (problem.line, 0)
    found = _CELL.search(problem.path)
    if found is None:
        return (0, 0)
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - 64
    return (int(found.group(2)), column)


def _unknown_column(key: str) -> str:
    return f"unknown column {excerpt(key)}; the columns are: {', '.join(COLUMNS)}"


# --- YAML ----------------------------------------------------------------------------------


def _read_yaml(path: Path, display: str) -> tuple[DecisionsFile, list[Problem]]:
    top = read_yaml(path, display, dates_as_text=True)
    if not isinstance(top, LineDict) or top.get("schema") != DECISIONS_SCHEMA:
        raise ConfigError(
            f"{display}:{line_of(top) or 1}: not a cosmicdiff decisions file "
            f"(expected 'schema: {DECISIONS_SCHEMA}'); write one with "
            "'cosmicdiff decisions template'"
        )
    entries = top.get("decisions")
    if not isinstance(entries, LineList):
        raise ConfigError(f"{display}:{top.line_of('decisions')}: 'decisions' must be a list")
    problems: list[Problem] = []
    rows = _rows(_yaml_rows(entries, display, problems), problems)
    base = top.get("baseline")
    base = base if isinstance(base, dict) else {}
    filters = top.get("filters")
    return DecisionsFile(
        display=display,
        baseline_id=str(base.get("id") or ""),
        baseline_version=str(base.get("version") or ""),
        evaluated_on=str(top.get("evaluated_on") or ""),
        lang=str(top.get("lang") or "sv"),
        filters=tuple(str(f) for f in filters) if isinstance(filters, list) else (),
        rows=rows,
    ), problems


def _yaml_rows(entries: LineList, display: str, problems: list[Problem]) -> Iterator[_Raw]:
    """Yield each entry of the ``decisions`` list with its spots, recording bad entries."""
    for index, raw in enumerate(entries):
        spot = Spot(file=display, line=line_of(entries, index))
        if not isinstance(raw, LineDict):
            problems.append(spot.problem("each decision must be a mapping of column: value"))
            continue
        spots = {"": spot} | {k: Spot(file=display, line=raw.line_of(k)) for k in raw}
        for key in sorted(str(k) for k in raw if k not in COLUMNS and k != CHECK_KEY):
            problems.append(spots[key].problem(_unknown_column(key)))
        check = raw.get(CHECK_KEY)
        if check is not None and str(check) != row_digest(raw.get):
            problems.append(
                spots[""].problem(
                    f"row {excerpt(str(raw.get('id') or ''))}: {_CHECK_FAILED} "
                    f"({', '.join(k for k in READ_ONLY if k in raw)}: its {CHECK_KEY} does "
                    "not match); restore the row from the template"
                )
            )
        yield raw, spots


# --- XLSX ----------------------------------------------------------------------------------


def _read_xlsx(path: Path, display: str) -> tuple[DecisionsFile, list[Problem]]:
    wb = _open_workbook(path, display)
    meta = _xlsx_meta(wb, display)
    ws = next((s for s in wb.worksheets if s.title in _SHEETS), wb.worksheets[0])
    problems: list[Problem] = []
    columns = _xlsx_columns(ws, display, problems)
    missing = [k for k in COLUMNS if k not in columns and k not in OPTIONAL]
    if missing:
        problems.append(
            Problem(
                f"{display}: {ws.title}!1",
                None,
                f"missing column(s): {', '.join(missing)}; make a new "
                "template or restore the header row",
            )
        )
        return _xlsx_doc(display, meta, ()), problems
    raws = list(_xlsx_rows(ws, columns, display))
    problems += edited_cells(read_copy(wb), raws, texts(meta.get("lang") or "sv").headers)
    rows = _rows(with_codes(wb, raws), problems)
    return _xlsx_doc(display, meta, rows), problems


def _open_workbook(path: Path, display: str) -> Any:
    import warnings

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from cosmicdiff.io.workbook import open_workbook

    data = read_bytes(path, display)
    try:  # zip bounds, no DOCTYPE in any part, encrypted and .xls files named as such
        open_workbook(path, display)
    except ExportError as exc:
        raise ConfigError(str(exc)) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ConfigError(f"{display}: not an Excel workbook (.xlsx) that can be read") from None


def _xlsx_columns(ws: Any, display: str, problems: list[Problem]) -> dict[str, int]:
    """Return the index of each known column of the header row, recording unknown ones."""
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    header = [_cell(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        if name is None:
            continue
        key = header_key(str(name)) or str(name).strip()
        where = f"{display}: {ws.title}!{get_column_letter(index + 1)}1"
        if key not in COLUMNS:
            problems.append(Problem(where, None, _unknown_column(key)))
        elif key in columns:
            problems.append(Problem(where, None, f"column {excerpt(key)} appears twice"))
        else:
            columns[key] = index
    return columns


def _xlsx_rows(ws: Any, columns: Mapping[str, int], display: str) -> Iterator[_Raw]:
    """Yield the rows below the header (blank ones skipped) with their cells as spots."""
    from openpyxl.utils import get_column_letter

    for r, raw_cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = [_cell(v) for v in raw_cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        raw = {k: cells[i] if i < len(cells) else None for k, i in columns.items()}
        spots = {"": Spot(file=display, cell=f"{ws.title}!A{r}")} | {
            k: Spot(file=display, cell=f"{ws.title}!{get_column_letter(i + 1)}{r}")
            for k, i in columns.items()
        }
        yield raw, spots


def _xlsx_meta(wb: Any, display: str) -> dict[str, str]:
    if META_SHEET not in wb.sheetnames:
        raise ConfigError(
            f"{display}: not a cosmicdiff decisions workbook (its hidden sheet "
            f"{META_SHEET!r} is missing); write one with 'cosmicdiff decisions "
            "template --format xlsx'"
        )
    meta = {
        str(_cell(k)): "" if v is None else str(_cell(v))
        for k, v, *_ in wb[META_SHEET].iter_rows(values_only=True)
        if k is not None
    }
    if meta.get("schema") != DECISIONS_SCHEMA:
        raise ConfigError(
            f"{display}: {META_SHEET}!B1: not a decisions workbook of schema {DECISIONS_SCHEMA}"
        )
    return meta


def _cell(value: object) -> object:
    """Return a cell's value as it was before the template neutralised it (text), else as is."""
    return restore_spreadsheet_text(value) if isinstance(value, str) else value


def _xlsx_doc(display: str, meta: Mapping[str, str], rows: tuple[Row, ...]) -> DecisionsFile:
    return DecisionsFile(
        display=display,
        baseline_id=meta.get("baseline_id", ""),
        baseline_version=meta.get("baseline_version", ""),
        evaluated_on=meta.get("evaluated_on", ""),
        lang=meta.get("lang") or "sv",
        filters=tuple(meta.get("filters", "").split()),
        rows=rows,
    )


# --- rows ----------------------------------------------------------------------------------


def _rows(raws: Iterable[_Raw], problems: list[Problem]) -> tuple[Row, ...]:
    """Return the rows of the raw rows that have an id, recording every row's problems."""
    rows = (_row(raw, spots, problems) for raw, spots in raws)
    return tuple(row for row in rows if row is not None)


def _row(raw: Mapping[str, object], spots: dict[str, Spot], problems: list[Problem]) -> Row | None:
    """Turn one raw row into a Row, recording its problems of form (not of decision)."""
    values = _values(raw, spots, problems)
    if not values["id"]:
        problems.append(spots[""].problem("row without an id; restore it from the template"))
        return None
    row = Row(values=values, spots=spots)
    return replace(
        row, decision=_decision(row, problems), expires=_expires(row, raw.get("expires"), problems)
    )


def _values(
    raw: Mapping[str, object], spots: Mapping[str, Spot], problems: list[Problem]
) -> dict[str, str | None]:
    """Return every column's text; ``expected`` and ``actual`` exactly as the result has them."""
    values: dict[str, str | None] = {}
    for key in COLUMNS:
        value = raw.get(key)
        if isinstance(value, list | dict):
            problems.append(
                spots.get(key, spots[""]).problem(f"{key} must be one value, not a list or mapping")
            )
        values[key] = value_text(value)
        if key in ("expected", "actual") and isinstance(value, str) and value.strip():
            values[key] = value  # as the result has it: a waiver is pinned to it exactly
    return values


def _decision(row: Row, problems: list[Problem]) -> Decision | None:
    """Return the row's decision: its code or the report's words in either language
    (case-insensitive), recording an unknown one."""
    text = " ".join((row.get("decision") or "").split()).casefold()
    if not text:
        return None
    found = _DECISIONS.get(text)
    if found is None:
        sv = ", ".join(choice_word(d, "sv") for d in Decision)
        problems.append(
            row.spot("decision").problem(
                f"unknown decision {excerpt(row.get('decision'))}; use adopt (into the baseline), "
                f"align (the region aligns), accept (a local variant), the report's words ({sv}) "
                "or leave it empty",
                row.context(),
            )
        )
    return found


def _expires(row: Row, value: object, problems: list[Problem]) -> dt.date | None:
    """Return the expiry date (a workbook date, or text YYYY-MM-DD), recording a bad one."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = row.get("expires")
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        problems.append(
            row.spot("expires").problem(
                f"expires must be a date YYYY-MM-DD, not {excerpt(text)}", row.context()
            )
        )
        return None
