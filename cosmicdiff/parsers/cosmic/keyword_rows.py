"""Turn the rows of a keyword list (CSV or Excel workbook) into keywords.

Both readers hand over the same thing: a row's cells by column name, and a way to say where
a column's cell stands (``file:12`` for a CSV line, ``file.xlsx:Sökord!C12`` for a cell).
Keyword types are matched without regard to letter case, since people type them by hand:
``text`` is read as ``Text``, and one input note per file and spelling says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cosmicdiff.errors import ErrorCollector, excerpt, quoted
from cosmicdiff.model import (
    Binding,
    InputNote,
    Keyword,
    KeywordId,
    KeywordType,
    SourceLocation,
    Status,
    ValueListId,
)

REQUIRED = ("id", "name", "type")
OPTIONAL = (
    "unit",
    "valueList",
    "binding_system",
    "binding_code",
    "status",
    "hiddenFrom1177",
    "description",
)
BOOL = {"true": True, "false": False, "ja": True, "nej": False, "1": True, "0": False, "": False}
_TYPES = {t.value.casefold(): t for t in KeywordType}

#: Where a column's cell of the current row stands: its location (path, line, cell).
Place = Callable[[str], SourceLocation]


def unknown_columns(columns: list[str]) -> list[tuple[str, str]]:
    """Return (column, message) for each unknown or doubled column of a header row."""
    known = set(REQUIRED) | set(OPTIONAL)
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in columns:
        if name not in known:
            problems.append(
                (
                    name,
                    f"unknown column {excerpt(name)}; known columns: "
                    f"{', '.join((*REQUIRED, *OPTIONAL))}",
                )
            )
        if name in seen:
            problems.append((name, f"column {excerpt(name)} appears twice"))
        seen.add(name)
    return problems


def report(errors: ErrorCollector, loc: SourceLocation, message: str) -> None:
    """Record a problem at a location (a cell is written after the file: ``f.xlsx:S!C12``)."""
    if loc.cell:
        errors.add(f"{loc.path}:{loc.cell}", None, message)
    else:
        errors.add(loc.path, loc.line, message)


@dataclass(slots=True)
class Respellings:
    """Keyword types written in another letter case, counted per spelling (for one note each)."""

    path: str
    seen: dict[str, tuple[KeywordType, int, SourceLocation]] = field(default_factory=dict)

    def add(self, written: str, ktype: KeywordType, loc: SourceLocation) -> None:
        """Count one cell that spells ``ktype`` as ``written``."""
        _t, count, first = self.seen.get(written, (ktype, 0, loc))
        self.seen[written] = (ktype, count + 1, first)

    def notes(self) -> list[InputNote]:
        """Return one ``respelled`` note per spelling, at its first cell, in file order."""
        out = []
        for written, (ktype, count, first) in self.seen.items():
            rows = f"{count} row{'s' if count > 1 else ''}"
            out.append(
                InputNote(
                    kind="respelled",
                    path=first.path,
                    line=first.line,
                    cell=first.cell,
                    message=f"keyword type {quoted(written)} read as {quoted(ktype.value)} "
                    f"({rows}; types are matched without regard to letter case)",
                )
            )
        return out


def keyword_type(written: str, loc: SourceLocation, respelled: Respellings) -> KeywordType | None:
    """Return the keyword type written (any letter case), or None if there is no such type."""
    try:
        return KeywordType(written)
    except ValueError:
        pass
    found = _TYPES.get(written.casefold())
    if found is not None:
        respelled.add(written, found, loc)
    return found


def keyword_from_row(
    row: dict[str, str], place: Place, errors: ErrorCollector, respelled: Respellings
) -> Keyword | None:
    """Return the keyword of one row, or None after recording its problems in ``errors``."""
    cell = {k: v.strip() for k, v in row.items()}
    problems_before = len(errors.problems)
    for name in REQUIRED:
        if not cell.get(name):
            report(errors, place(name), f"column {excerpt(name)} is empty")
    ktype = keyword_type(cell.get("type", ""), place("type"), respelled)
    if ktype is None:
        if cell.get("type"):
            report(errors, place("type"), f"unknown keyword type {excerpt(cell['type'])}")
        ktype = KeywordType.OTHER
    try:
        status = Status(cell.get("status") or "active")
    except ValueError:
        report(
            errors,
            place("status"),
            f"unknown status {excerpt(cell['status'])}; use active, inactive or retired",
        )
        status = Status.ACTIVE
    hidden_raw = cell.get("hiddenFrom1177", "").lower()
    if hidden_raw not in BOOL:
        report(
            errors,
            place("hiddenFrom1177"),
            f"hiddenFrom1177={excerpt(cell['hiddenFrom1177'])} is not true or false",
        )
    system, code = cell.get("binding_system", ""), cell.get("binding_code", "")
    if bool(system) != bool(code):
        report(
            errors,
            place("binding_code" if system else "binding_system"),
            "binding_system and binding_code must be given together",
        )
    if len(errors.problems) > problems_before:
        return None
    return Keyword(
        id=KeywordId(cell["id"]),
        name=row["name"],
        type=ktype,
        unit=cell.get("unit") or None,
        value_list=ValueListId(cell["valueList"]) if cell.get("valueList") else None,
        bindings=(Binding(system=system, code=code),) if system else (),
        status=status,
        hidden_from_1177=BOOL[hidden_raw],
        description=row.get("description") or None,
        loc=place("id"),
    )
