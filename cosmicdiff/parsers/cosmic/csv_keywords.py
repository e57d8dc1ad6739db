"""Read keyword lists that regions keep in Excel and export as CSV.

The header row names the columns (at least ``id``, ``name``, ``type``). The delimiter
(``;`` as Swedish Excel writes it, or ``,``) and the encoding (UTF-8 with or without BOM,
or Windows-1252) are detected; a file that fits none of them is an error, never mojibake.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from cosmicdiff.errors import ErrorCollector, ExportError, excerpt
from cosmicdiff.model import SourceLocation
from cosmicdiff.parsers.cosmic.keyword_rows import (
    OPTIONAL,
    REQUIRED,
    Place,
    Respellings,
    keyword_from_row,
    unknown_columns,
)
from cosmicdiff.parsers.fragment import Fragment

__all__ = ["OPTIONAL", "REQUIRED", "read_csv_keywords", "read_csv_text"]

# Bytes that Windows-1252 leaves undefined: a file containing them is not cp1252 text.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def decode(data: bytes, display: str) -> tuple[str, str]:
    """Return ``(text, encoding)``: UTF-8 (BOM or not) first, then Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise ExportError(
                display, _line_of(data, exc.start), "file starts with a UTF-8 BOM but is not UTF-8"
            ) from None
    if b"\x00" in data:
        raise ExportError(
            display,
            _line_of(data, data.index(b"\x00")),
            "binary data (NUL byte) in a CSV file; save it as CSV UTF-8 or Windows-1252 text",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    bad = next((i for i, b in enumerate(data) if b in _CP1252_UNDEFINED), None)
    if bad is not None:
        raise ExportError(
            display,
            _line_of(data, bad),
            "encoding is neither UTF-8 nor Windows-1252; save the file as CSV UTF-8",
        )
    return data.decode("cp1252"), "cp1252"


# UTF-8 text of å ä ö Å Ä Ö é read as Windows-1252 and saved again: a wrong guess upstream.
_MOJIBAKE = ("Ã¥", "Ã¤", "Ã¶", "Ã…", "Ã„", "Ã–", "Ã©", "Ã\xa0")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_text(text: str, display: str) -> None:
    """Refuse control characters and mojibake (UTF-8 decoded as Windows-1252 once)."""
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ExportError(
            display,
            line,
            f"control character U+{ord(bad.group()):04X} in a CSV "
            "file; expected text (is it a binary file?)",
        )
    for i, line_text in enumerate(text.splitlines(), start=1):
        if any(m in line_text for m in _MOJIBAKE):
            raise ExportError(
                display,
                i,
                "text looks double-encoded (e.g. 'Ã¥' for 'å'); re-export the file as CSV UTF-8",
            )


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def sniff_delimiter(header: str, display: str) -> str:
    """Choose ``;`` or ``,`` from the header line, which must name ``id``, ``name``, ``type``."""
    best = None
    for delim in (";", ","):
        names = [c.strip() for c in header.split(delim)]
        if all(r in names for r in REQUIRED):
            best = delim if best is None else best
    if best is None:
        raise ExportError(
            display,
            1,
            "header must name at least the columns id, name and type, separated by ';' or ','"
            f" ({found_header(header)})",
        )
    return best


def found_header(header: str) -> str:
    """Say what the first line holds: quoted if it has columns, else only described.

    A line without ``;`` or ``,`` is no CSV header at all (a file in the wrong place, which
    may hold anything, a password included): it is not quoted.
    """
    header = header.strip()
    if ";" in header or "," in header:
        return f"found {excerpt(header)}"
    return f"the first line has no ';' or ',' ({len(header)} characters); is it a CSV file?"


def read_csv_text(path: Path, display: str, columns: str) -> str:
    """Return a CSV file's text, decoded and checked (see :func:`decode`, :func:`check_text`).

    ``columns`` is the header row an empty file is told to start with (``id;name;type``).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise ExportError(display, None, f"file is empty; expected a header row {columns}")
    text, _encoding = decode(data, display)
    check_text(text, display)
    return text


def read_csv_keywords(path: Path, display: str) -> Fragment:
    """Read a keyword list CSV into a Fragment (keywords only)."""
    text = read_csv_text(path, display, "id;name;type")
    header = text.splitlines()[0] if text.splitlines() else ""
    delim = sniff_delimiter(header, display)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True)
    errors = ErrorCollector()
    frag = Fragment(path=display)
    respelled = Respellings(display)
    try:
        columns = [c.strip() for c in next(reader)]
        for _name, message in unknown_columns(columns):
            errors.add(display, 1, message)
        errors.raise_if_any()
        next_line = reader.line_num + 1
        for row in reader:
            # a quoted value may span lines: a record is located at the line it starts on
            line, next_line = next_line, reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                errors.add(
                    display,
                    line,
                    f"row has {len(row)} fields but the header has {len(columns)}"
                    f" (is a {delim!r} inside an unquoted value?)",
                )
                continue
            kw = keyword_from_row(
                dict(zip(columns, row, strict=True)), _at(display, line), errors, respelled
            )
            if kw is not None:
                frag.keywords.append(kw)
    except csv.Error as exc:
        errors.add(display, reader.line_num, f"malformed CSV: {exc}")
    errors.raise_if_any()
    if not frag.keywords:
        raise ExportError(display, None, "CSV keyword list has a header but no rows")
    frag.notes.extend(respelled.notes())
    return frag


def _at(display: str, line: int) -> Place:
    """Return the place of every cell of a CSV record: its file and first line."""
    loc = SourceLocation(display, line)
    return lambda _column: loc
