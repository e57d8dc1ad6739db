"""Read a keyword catalogue: TakeCare's ``TcTerminology`` JSON, or CSV of id, name, datatype, unit.

JSON (``*.json``): an array of flat rows ``{"Terminology", "TermId", "TermName", "Datatype",
"Unit"}``, all strings (``Unit`` may be null). CSV (any other suffix): a header row naming
``id``/``TermId``, ``name``/``TermName``, ``datatype``/``type`` and optionally ``unit``,
separated by ``;`` or ``,``, in UTF-8 (with or without BOM) or Windows-1252, decoded as
``csv_keywords`` does. Column names are matched case-insensitively; ``Terminology`` and
other columns are not read.

Each row becomes a ``Keyword`` (id = TermId, name = TermName, type from ``DATATYPES``, unit)
or an ``InputNote`` with the line the row starts on (for JSON, the line of its ``{``):

- ``unusable_row``: no id, no name, a data type that is not in ``DATATYPES`` (in the
  TakeCare files these are rows whose free text has shifted into ``Datatype``), or (CSV) a
  field count that does not match the header;
- ``duplicate_id``: a TermId read before (the first row is kept).

So ``rows == keywords + unusable_row notes + duplicate_id notes``, always.

``Unit`` often holds change notes instead of a unit. A unit is *junk* when it starts with
white space (text shifted from another column), contains ``<nl>``, is ``SANT``/``FALSKT``
(an Excel boolean), contains a six-digit date, has no letter, digit, ``%``, ``°`` or ``µ``,
or is longer than 20 characters. The keyword is kept without the unit, and the file gets
one ``unsupported`` note counting those rows (one per row would bury the real problems;
the notes themselves are never copied: they name staff).

Data types (TakeCare name -> keyword type): Text -> Text, Numeriskt värde -> Numeric,
Datum/tid -> DateTime, Genererat värde -> Formula (a computed value such as BMI),
Diagnos -> ClinicalCoding, Container -> Other (a heading that groups keywords),
Användare -> Other (a member of staff). COSMIC's own type names are accepted as well.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from cosmicdiff.errors import ExportError, excerpt, quoted
from cosmicdiff.io.safe_json import JsonObject, read_json
from cosmicdiff.model import Keyword, KeywordId, KeywordType, SourceLocation, normalise_text
from cosmicdiff.parsers.cosmic.csv_keywords import found_header, read_csv_text
from cosmicdiff.parsers.fragment import Fragment, InputNote

#: Catalogue data types (case-folded) -> keyword types.
DATATYPES: dict[str, KeywordType] = {
    "text": KeywordType.TEXT,
    "numeriskt värde": KeywordType.NUMERIC,
    "datum/tid": KeywordType.DATE_TIME,
    "genererat värde": KeywordType.FORMULA,
    "diagnos": KeywordType.CLINICAL_CODING,
    "container": KeywordType.OTHER,
    "användare": KeywordType.OTHER,
} | {t.value.casefold(): t for t in KeywordType}

#: Column (or JSON key) names, case-folded -> the field they fill.
COLUMNS = {
    "termid": "id",
    "id": "id",
    "termname": "name",
    "name": "name",
    "datatype": "datatype",
    "type": "datatype",
    "unit": "unit",
}
_REQUIRED = ("id", "name", "datatype")
_JUNK_UNITS = frozenset({"SANT", "FALSKT"})
_DATE = re.compile(r"\d{6}")
_UNIT_CHAR = re.compile(r"[\w%°µ]")

#: a row's line, its cells by field, and why it cannot be read at all (None if it can)
Row = tuple[int | None, dict[str, object], str | None]


def _is_json(path: Path) -> bool:
    """Return True when the file is JSON: by its extension, else by its first character."""
    if path.suffix.lower() == ".json":
        return True
    if path.suffix.lower() == ".csv":
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return False  # the CSV reader reports the file as unreadable
    return head[:1] in (b"[", b"{")


def read_term_catalogue(path: Path, display: str, *, lang: str = "sv") -> Fragment:
    """Read a catalogue (JSON array or CSV) into keywords, with a note for every unused row.

    ``lang`` is accepted for symmetry with the other readers: a catalogue has one language.
    """
    rows = _json_rows(path, display) if _is_json(path) else _csv_rows(path, display)
    frag = Fragment(path=display, format="term-catalogue")
    first_line: dict[str, int] = {}
    junk: list[tuple[int | None, str]] = []
    count = 0
    for line, row, problem in rows:
        count += 1
        kw_or_reason = problem or _from_row(row, display, line)
        if isinstance(kw_or_reason, str):
            frag.notes.append(
                InputNote(
                    kind="unusable_row",
                    path=display,
                    line=line,
                    message=kw_or_reason,
                    subject=_subject(row),
                )
            )
            continue
        kw, unit_is_junk = kw_or_reason
        if kw.id in first_line:
            frag.notes.append(
                InputNote(
                    kind="duplicate_id",
                    path=display,
                    line=line,
                    subject=kw.id,
                    message=f"TermId {quoted(kw.id)} appears again (first at line "
                    f"{first_line[kw.id]}); this row is not read",
                )
            )
            continue
        first_line[kw.id] = line or 0
        if unit_is_junk:
            junk.append((line, kw.id))
        frag.keywords.append(kw)
    if not count:
        raise ExportError(display, None, "catalogue has no rows")
    if junk:
        frag.notes.append(
            InputNote(
                kind="unsupported",
                path=display,
                line=junk[0][0],
                message=f"{_rows(len(junk))} text that is not a unit in Unit (change notes, "
                f"SANT/FALSKT, shifted text); read without a unit (first: TermId "
                f"{quoted(junk[0][1])})",
            )
        )
    return frag


def _rows(n: int) -> str:
    return "1 row holds" if n == 1 else f"{n} rows hold"


def _subject(row: dict[str, object]) -> str | None:
    value = row.get("id")
    if not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _from_row(row: dict[str, object], display: str, line: int | None) -> tuple[Keyword, bool] | str:
    """Return the row's keyword and whether its unit was junk, or why it cannot be used."""
    cells: dict[str, str | None] = {}
    for field in ("id", "name", "datatype", "unit"):
        value = row.get(field)
        if isinstance(value, int) and not isinstance(value, bool) and field == "id":
            value = str(value)
        if value is not None and not isinstance(value, str):
            return f"{field} is a {type(value).__name__}, not text; the row is not read"
        cells[field] = value
    for field in _REQUIRED:
        if not (cells[field] or "").strip():
            return f"{_LABEL[field]} is empty; the row is not read"
    datatype = normalise_text(cells["datatype"])
    ktype = DATATYPES.get(datatype.casefold())
    if ktype is None:
        shown = datatype if len(datatype) <= 30 else datatype[:30] + "…"
        return (
            f"Datatype {excerpt(shown)} is not a known data type (free text shifted into the "
            "Datatype column?); the row is not read"
        )
    unit, junk = _unit(cells["unit"])
    return Keyword(
        id=KeywordId(str(cells["id"]).strip()),
        name=str(cells["name"]).strip(),
        type=ktype,
        unit=unit,
        loc=SourceLocation(path=display, line=line),
    ), junk


_LABEL = {"id": "TermId", "name": "TermName", "datatype": "Datatype"}


def _unit(raw: str | None) -> tuple[str | None, bool]:
    """Return ``(unit, junk)``: the normalised unit, or None and whether text was dropped."""
    if raw is None or not raw.strip():
        return None, False
    if (
        raw[0].isspace()
        or "<nl>" in raw
        or raw.strip() in _JUNK_UNITS
        or _DATE.search(raw)
        or not _UNIT_CHAR.search(raw)
        or len(raw.strip()) > 20
    ):
        return None, True
    return normalise_text(raw), False


def _json_rows(path: Path, display: str) -> Iterator[Row]:
    doc = read_json(path, display)
    if not isinstance(doc, list):
        raise ExportError(
            display,
            getattr(doc, "line", 1) or 1,
            "expected a JSON array of catalogue rows (TermId, TermName, Datatype)",
        )
    if (
        doc
        and isinstance(doc[0], JsonObject)
        and not {COLUMNS.get(str(k).casefold()) for k in doc[0]} >= set(_REQUIRED)
    ):
        raise ExportError(
            display,
            doc[0].line,
            "not a term catalogue: a row needs TermId, "
            f"TermName and Datatype (found {list(doc[0])})",
        )
    for index, row in enumerate(doc):
        if not isinstance(row, JsonObject):
            # only objects remember their line; name the element's position instead
            yield None, {}, f"element {index + 1} of the array is not an object; not read"
            continue
        yield (
            row.line,
            {COLUMNS[k.casefold()]: v for k, v in row.items() if k.casefold() in COLUMNS},
            None,
        )


def _csv_rows(path: Path, display: str) -> Iterator[Row]:
    text = read_csv_text(path, display, "id;name;datatype")
    delim, columns = _header(text.splitlines()[0], display)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    try:
        next(reader)
        next_line = reader.line_num + 1
        for row in reader:
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                cause = (
                    f" (columns shifted by a {delim!r} inside an unquoted value?)"
                    if len(row) > len(columns)
                    else ""
                )
                at = columns.index("id")
                yield (
                    line,
                    {"id": row[at].strip() if at < len(row) else ""},
                    (
                        f"row has {len(row)} fields but the header has {len(columns)}{cause}; "
                        "the row is not read"
                    ),
                )
                continue
            # white space around a CSV cell is layout, not a column shift as in the JSON
            yield line, {c: v.strip() for c, v in zip(columns, row, strict=True) if c}, None
    except csv.Error as exc:
        raise ExportError(display, reader.line_num, f"malformed CSV: {exc}") from None


def _header(header: str, display: str) -> tuple[str, list[str]]:
    """Return the delimiter and each column's field ('' for a column not read)."""
    for delim in (";", ","):
        columns = [COLUMNS.get(c.strip().casefold(), "") for c in header.split(delim)]
        if set(_REQUIRED) <= set(columns):
            twice = sorted({c for c in columns if c and columns.count(c) > 1})
            if twice:
                raise ExportError(display, 1, f"header names the {twice[0]} column twice")
            return delim, columns
    raise ExportError(
        display,
        1,
        "header must name the columns id, name and datatype (or "
        "TermId, TermName, Datatype) separated by ';' or ','"
        f" ({found_header(header)})",
    )
