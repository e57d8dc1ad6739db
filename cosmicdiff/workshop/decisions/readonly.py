"""Refuse edits of a workbook's read-only (grey) cells, naming the cell and what changed.

A decisions workbook keeps a hidden copy of every read-only cell (``COPY_SHEET``: row n holds
the rows sheet's row n as the template wrote it). Reading compares each row with its
original: found by its id, or, when the id itself was edited, by the row it stands in. Every
grey cell that differs is one problem (``d.xlsx: Beslut!F7: the read-only column 'Förväntat'
was edited ('7' → '8')``), so the facilitator restores exactly that cell. A workbook made
before the copy existed is read as before: only the ids are checked (``check``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from cosmicdiff.errors import Problem, excerpt
from cosmicdiff.io.spreadsheet import restore_spreadsheet_text
from cosmicdiff.workshop.decisions.model import COPY_SHEET, READ_ONLY, Spot
from cosmicdiff.workshop.decisions.words import CODE_PREFIX

_ROW = re.compile(r"!A(\d+)$")
#: A row as read: its values by column and where each one stands.
Raw = tuple[Mapping[str, object], Mapping[str, Spot]]
_Spots = TypeVar("_Spots", bound=Mapping[str, Spot])


def cell_text(value: object) -> str | None:
    """Return a workbook cell as text (None when empty), its formula guard removed."""
    if isinstance(value, str):
        value = restore_spreadsheet_text(value)
    return value_text(value)


def value_text(value: object) -> str | None:
    """Return a cell or YAML value as text (None when empty)."""
    if value is None or isinstance(value, list | dict):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return text.strip() or None


def read_copy(wb: Any) -> dict[int, dict[str, str | None]] | None:
    """Return the hidden copy of the read-only cells by row number (None: no copy kept)."""
    if COPY_SHEET not in wb.sheetnames:
        return None
    rows = wb[COPY_SHEET].iter_rows(values_only=True)
    keys = [cell_text(k) or "" for k in next(rows, ())]
    return {
        n: {k: cell_text(v) for k, v in zip(keys, values, strict=False) if k in READ_ONLY}
        for n, values in enumerate(rows, start=2)
    }


def with_codes(
    wb: Any, raws: Iterable[tuple[Mapping[str, object], _Spots]]
) -> list[tuple[Mapping[str, object], _Spots]]:
    """Return the rows with the codes behind the cells shown in words (and the rule's
    message, not shown), from the hidden copy sheet: found by the row's id, exact as written.

    A workbook made before the codes were kept there shows the codes themselves: its rows
    are returned as read.
    """
    raws = list(raws)
    if COPY_SHEET not in wb.sheetnames:
        return raws
    rows = wb[COPY_SHEET].iter_rows(values_only=True)
    keys = [cell_text(k) or "" for k in next(rows, ())]
    wanted = {k: k.removeprefix(CODE_PREFIX) for k in keys if k.startswith(CODE_PREFIX)}
    if not wanted:
        return raws
    wanted |= {"message": "message"} if "message" in keys else {}
    codes: dict[str | None, dict[str, object]] = {}
    for values in rows:
        cells = dict(zip(keys, values, strict=False))
        codes[cell_text(cells.get("id"))] = {
            key: _exact(cells.get(name)) for name, key in wanted.items()
        }
    out: list[tuple[Mapping[str, object], _Spots]] = []
    for raw, spots in raws:
        found = codes.get(cell_text(raw.get("id")))
        out.append(({**raw, **found} if found is not None else raw, spots))
    return out


def _exact(value: object) -> object:
    """Return a copy cell's value as the template wrote it (text restored, not stripped)."""
    return restore_spreadsheet_text(value) if isinstance(value, str) else value


def edited_cells(
    copy: Mapping[int, Mapping[str, str | None]] | None,
    raws: Iterable[Raw],
    headers: Mapping[str, str],
) -> list[Problem]:
    """Return one problem per read-only cell that differs from the template's copy."""
    if copy is None:
        return []
    raws = list(raws)
    by_id = {values.get("id"): n for n, values in copy.items()}
    present = {cell_text(raw.get("id")) for raw, _ in raws}
    out: list[Problem] = []
    for raw, spots in raws:
        rid = cell_text(raw.get("id"))
        n = by_id.get(rid)
        if n is None:
            found = _ROW.search(spots[""].cell or "")
            n = int(found.group(1)) if found else -1
            if n not in copy or copy[n].get("id") in present:
                out.append(
                    spots.get("id", spots[""]).problem(
                        f"the read-only column {headers['id']!r} was edited: the template has "
                        f"no row with the id {excerpt(rid)}; restore it from the template"
                    )
                )
                continue
        original = copy[n]
        for key in READ_ONLY:
            if key not in spots or key not in original:
                continue  # a column this file or its copy does not have
            was, now = original[key], cell_text(raw.get(key))
            if was != now:
                out.append(
                    spots[key].problem(
                        f"the read-only column {headers[key]!r} was edited "
                        f"({excerpt(was or '')} → {excerpt(now or '')}); restore it from the "
                        "template"
                    )
                )
    return out


#: The key of a YAML row's checksum over its read-only fields (a workbook keeps a copy sheet).
CHECK_KEY = "check"


def row_digest(value: Callable[[str], object]) -> str:
    """Return the checksum of a row's read-only fields, as written in its YAML ``check``.

    ``value(key)`` gives a field as the file holds it: a text exactly (the template quotes
    every text so that the loader gives it back unchanged), anything else as its text.
    """
    parts = []
    for key in READ_ONLY:
        raw = value(key)
        text = raw if isinstance(raw, str) else (value_text(raw) or "")
        parts.append(f"{key}\x1e{text}")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
