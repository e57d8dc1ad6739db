"""Workshop decisions: a file to fill in from a Result, and what a filled one turns into.

The round trip of a harmonisation workshop: ``cosmicdiff decisions template result.json``
writes one row per deviation (YAML or an Excel workbook); the facilitator fills in a
``decision`` for each row; ``cosmicdiff decisions apply`` reads it back, checks every row and
turns ``accept`` rows into waivers, ``adopt`` rows into a baseline change proposal and
``align`` rows into a work list per region.

A template in YAML (the keys stay English; the header comment is Swedish by default)::

    schema: cosmicdiff/decisions/1
    baseline: {id: espir, version: '2026.1'}
    evaluated_on: '2026-11-23'
    lang: sv
    filters: []
    decisions:
      - id: 6f7c1a93e2b04d5a9c11
        region: kalmar
        ...
        message: keyword ESP-SO-00107 ...
        waived:
        # fyll i
        decision: accept
        justification: Lokalt beslut om ...
        owner: Förvaltningsobjekt Vårdtjänster, Region Kalmar län
        expires: 2027-06-30
        decided_by: eSPiR styrgrupp
        decision_ref: eSPiR-styrgruppen 2026-09-14 §12
        comment:

Reading is pure apart from the file itself; every problem of a filled file is collected and
raised together (``InputErrors``), one line each with ``file:line`` (YAML) or
``file: Sheet!Cell`` (XLSX).
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from cosmicdiff.errors import (
    ConfigError,
    ExportError,
    InputErrors,
    Problem,
    UsageError,
    excerpt,
    quoted,
)
from cosmicdiff.io.safe_yaml import LineDict, LineList, line_of, parse_yaml
from cosmicdiff.io.spreadsheet import restore_spreadsheet_text, save_deterministic, spreadsheet_text
from cosmicdiff.model import Baseline, SourceLocation
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.parts import PIN_KEYS
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Entity, Kind

DECISIONS_SCHEMA = "cosmicdiff/decisions/1"
PROPOSAL_SCHEMA = "cosmicdiff/proposal/1"


class Decision(StrEnum):
    """What a workshop decided about one deviation."""

    ADOPT = "adopt"  # the baseline takes the region's variant
    ALIGN = "align"  # the region aligns with the baseline
    ACCEPT = "accept"  # a local variant, accepted: becomes a waiver


#: Columns copied from the result: they identify the deviation and must not be edited.
READ_ONLY = ("id", "region", "case", "kind", "rule", "severity", "entity", "baseline_id",
             "local_id", "path", "field", "expected", "actual", "message", "waived")
#: Columns the workshop fills in.
TO_FILL = ("decision", "justification", "owner", "expires", "decided_by", "decision_ref",
           "comment")
COLUMNS = READ_ONLY + TO_FILL
_WIDTHS = {"id": 22, "region": 13, "case": 12, "kind": 18, "rule": 8, "severity": 9,
           "entity": 10, "baseline_id": 18, "local_id": 18, "path": 34, "field": 11,
           "expected": 30, "actual": 30, "message": 60, "waived": 18, "decision": 11,
           "justification": 40, "owner": 30, "expires": 12, "decided_by": 22,
           "decision_ref": 30, "comment": 30}
_META_SHEET = "cosmicdiff"
_FIXED_TIME = dt.datetime(2000, 1, 1)
_CELL = re.compile(r"!([A-Z]+)(\d+)$")


@dataclass(frozen=True, kw_only=True, slots=True)
class Spot:
    """Where a row or one of its fields stands: a YAML line or a worksheet cell."""

    file: str
    line: int | None = None
    cell: str | None = None

    def problem(self, message: str, context: str | None = None) -> Problem:
        """Return a Problem located here."""
        if self.cell is not None:
            return Problem(f"{self.file}: {self.cell}", None, message, context)
        return Problem(self.file, self.line, message, context)


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    """One deviation of the result with what the workshop decided about it."""

    values: Mapping[str, str | None]
    decision: Decision | None = None
    expires: dt.date | None = None
    spots: Mapping[str, Spot] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        """Return a column's text (None when empty)."""
        return self.values.get(key)

    @property
    def id(self) -> str:
        """Return the deviation id."""
        return self.values.get("id") or ""

    def spot(self, key: str = "") -> Spot:
        """Return where ``key`` (or the row) stands in the file."""
        return self.spots.get(key) or self.spots.get("", Spot(file="?"))

    def context(self) -> str:
        """Return the logical place for messages: deviation, region and item."""
        item = self.get("baseline_id") or self.get("local_id") or "?"
        return f"deviation {self.id[:8]}, {self.get('region')} / {self.get('rule')} / {item}"


@dataclass(frozen=True, kw_only=True, slots=True)
class DecisionsFile:
    """A decisions file: where it came from, what it was made from, its rows."""

    display: str
    baseline_id: str
    baseline_version: str
    evaluated_on: str
    lang: str = "sv"
    filters: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()


# --- the template ------------------------------------------------------------------------


def rows_from_result(result: Result, include_allowed: bool = False) -> tuple[Row, ...]:
    """Return one undecided row per deviation (allowed local extensions only on request)."""
    devs = sorted((d for d in result.deviations if include_allowed or not d.allowed),
                  key=lambda d: d.sort_key())
    return tuple(Row(values=_deviation_values(d)) for d in devs)


def _deviation_values(d: Finding) -> dict[str, str | None]:
    return {"id": d.id, "region": d.region, "case": d.case, "kind": d.kind.value,
            "rule": d.rule, "severity": d.severity.value if d.severity else None,
            "entity": d.entity.value, "baseline_id": d.baseline_id, "local_id": d.local_id,
            "path": d.path, "field": d.field, "expected": d.expected, "actual": d.actual,
            "message": d.message or None, "waived": (d.waiver.id or "yes") if d.waiver else None}


def template_from_result(result: Result, display: str, lang: str,
                         filters: Sequence[str] = (),
                         include_allowed: bool = False) -> DecisionsFile:
    """Return the (undecided) decisions file for a result."""
    return DecisionsFile(display=display, baseline_id=result.baseline_id,
                         baseline_version=result.baseline_version,
                         evaluated_on=result.evaluated_on, lang=lang, filters=tuple(filters),
                         rows=rows_from_result(result, include_allowed))


def _texts(lang: str) -> dict[str, Any]:
    return _TEXTS[lang if lang in _TEXTS else "sv"]


def render_yaml(doc: DecisionsFile) -> str:
    """Return the decisions file as commented YAML (deterministic)."""
    t = _texts(doc.lang)
    about = t["about"].format(baseline=doc.baseline_id, version=doc.baseline_version,
                              evaluated=doc.evaluated_on or "?", rows=len(doc.rows),
                              filters=f" ({' '.join(doc.filters)})" if doc.filters else "")
    lines = [f"# {t['title']}", f"# {about}", "#"]
    lines += [f"# {x}".rstrip() for x in t["intro"] + [""] + t["values"] + [""] + t["usage"]]
    lines += [f"schema: {DECISIONS_SCHEMA}", "baseline:", f"  id: {_scalar(doc.baseline_id)}",
              f"  version: {_scalar(doc.baseline_version)}",
              f"evaluated_on: {_scalar(doc.evaluated_on)}", f"lang: {doc.lang}",
              "filters: [" + ", ".join(_scalar(f) for f in doc.filters) + "]"]
    if not doc.rows:
        return "\n".join([*lines, "decisions: []"]) + "\n"
    lines.append("decisions:")
    for row in doc.rows:
        lines.append("")
        for i, key in enumerate(COLUMNS):
            if key == TO_FILL[0]:
                lines.append(f"    # {t['fill']}")
            value = row.expires.isoformat() if key == "expires" and row.expires else \
                row.decision.value if key == "decision" and row.decision else row.get(key)
            text = f"{key}:" if value is None else f"{key}: {_scalar(value)}"
            lines.append(("  - " if i == 0 else "    ") + text)
    return "\n".join(lines) + "\n"


def _scalar(value: str | dt.date) -> str:
    """Return one YAML scalar on one line, quoted where the loader would misread it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = yaml.safe_dump(value, allow_unicode=True, width=2**31)
    if text.endswith("\n...\n"):
        text = text[:-5]
    text = text.rstrip("\n")
    if "\n" in text or ("''" in text and '"' not in value):
        text = yaml.safe_dump(value, allow_unicode=True, width=2**31,
                              default_style='"').rstrip("\n")
    return text


def render_xlsx(doc: DecisionsFile) -> bytes:
    """Return the decisions file as an Excel workbook (byte-identical for the same input)."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped]
        DataValidation,
    )

    t = _texts(doc.lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t["sheet"]
    grey_head, grey = PatternFill("solid", fgColor="BFBFBF"), PatternFill("solid",
                                                                          fgColor="EDEDED")
    fill_head = PatternFill("solid", fgColor="FFE699")
    for col, key in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=key)
        cell.font = Font(bold=True)
        cell.fill = grey_head if key in READ_ONLY else fill_head
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS[key]
    for r, row in enumerate(doc.rows, start=2):
        for col, key in enumerate(COLUMNS, start=1):
            value: Any = row.get(key)
            if key == "decision" and row.decision:
                value = row.decision.value
            if key == "expires" and row.expires:
                value = row.expires
            cell = _put(ws, r, col, value)
            if key in READ_ONLY:
                cell.fill = grey
            if key == "expires":
                cell.number_format = "yyyy-mm-dd"
    last = get_column_letter(len(COLUMNS))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(doc.rows) + 1}"
    if doc.rows:
        end = len(doc.rows) + 1
        dec = get_column_letter(COLUMNS.index("decision") + 1)
        dv = DataValidation(type="list", formula1='"adopt,align,accept"', allow_blank=True,
                            showErrorMessage=True, showInputMessage=True,
                            errorTitle=t["dv_title"], error=t["dv_error"],
                            promptTitle=t["dv_title"], prompt=t["dv_prompt"])
        dv.add(f"{dec}2:{dec}{end}")
        exp = get_column_letter(COLUMNS.index("expires") + 1)
        dates = DataValidation(type="date", operator="greaterThan", formula1="36526",
                               allow_blank=True, showErrorMessage=True,
                               errorTitle="expires", error=t["date_error"])
        dates.add(f"{exp}2:{exp}{end}")
        ws.add_data_validation(dv)
        ws.add_data_validation(dates)
    info = wb.create_sheet(t["instructions"])
    info.column_dimensions["A"].width = 110
    about = t["about"].format(baseline=doc.baseline_id, version=doc.baseline_version,
                              evaluated=doc.evaluated_on or "?", rows=len(doc.rows),
                              filters=f" ({' '.join(doc.filters)})" if doc.filters else "")
    lines = [t["title"], about, ""] + t["intro"] + [""] + t["values"] + [""] + t["usage"]
    for r, text in enumerate(lines, start=1):
        _put(info, r, 1, text or None)
    info.cell(row=1, column=1).font = Font(bold=True, size=14)
    meta = wb.create_sheet(_META_SHEET)
    meta.sheet_state = "hidden"
    for r, (key, value) in enumerate((
            ("schema", DECISIONS_SCHEMA), ("baseline_id", doc.baseline_id),
            ("baseline_version", doc.baseline_version), ("evaluated_on", doc.evaluated_on),
            ("lang", doc.lang), ("filters", " ".join(doc.filters))), start=1):
        _put(meta, r, 1, key)
        _put(meta, r, 2, value or None)
    return save_deterministic(wb, _FIXED_TIME)


def _put(ws: Any, row: int, col: int, value: Any) -> Any:
    """Set a cell; text always stays text, neutralised as in the matrix workbook (a name
    starting with '=' is written '=…, no formula); reading restores it."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        cell.value = spreadsheet_text(ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
    else:
        cell.value = value
    return cell



# --- reading a filled file -----------------------------------------------------------------


def _load_yaml_text(text: str, display: str) -> Any:
    """Parse YAML with dates left as text (rows check them); raise ConfigError with file:line."""
    try:
        return parse_yaml(text, display, dates_as_text=True)
    except ExportError as exc:
        raise ConfigError(str(exc)) from None


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
        raise UsageError(f"{display}: cannot tell the format; a decisions file ends in "
                         ".yaml, .yml or .xlsx")
    problems += check_rows(doc.rows, today)
    if problems:
        raise InputErrors(sorted(problems, key=_position))
    return doc


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


def _read_bytes(path: Path, display: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{display}: cannot read file: {exc.strerror or exc}") from None


def _read_yaml(path: Path, display: str) -> tuple[DecisionsFile, list[Problem]]:
    data = _read_bytes(path, display)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ConfigError(f"{display}:{line}: YAML files must be UTF-8") from None
    top = _load_yaml_text(text, display)
    if not isinstance(top, LineDict) or top.get("schema") != DECISIONS_SCHEMA:
        raise ConfigError(f"{display}:{line_of(top) or 1}: not a cosmicdiff decisions file "
                          f"(expected 'schema: {DECISIONS_SCHEMA}'); write one with "
                          "'cosmicdiff decisions template'")
    entries = top.get("decisions")
    if not isinstance(entries, LineList):
        raise ConfigError(f"{display}:{top.line_of('decisions')}: 'decisions' must be a list")
    base = top.get("baseline")
    base = base if isinstance(base, dict) else {}
    filters = top.get("filters")
    problems: list[Problem] = []
    rows = []
    for index, raw in enumerate(entries):
        spot = Spot(file=display, line=line_of(entries, index))
        if not isinstance(raw, LineDict):
            problems.append(spot.problem("each decision must be a mapping of column: value"))
            continue
        spots = {"": spot} | {k: Spot(file=display, line=raw.line_of(k)) for k in raw}
        unknown = sorted(str(k) for k in raw if k not in COLUMNS)
        for key in unknown:
            problems.append(spots[key].problem(f"unknown column {excerpt(key)}; the columns are: "
                                               f"{', '.join(COLUMNS)}"))
        row = _row(dict(raw), spots, problems)
        if row is not None:
            rows.append(row)
    return DecisionsFile(
        display=display, baseline_id=str(base.get("id") or ""),
        baseline_version=str(base.get("version") or ""),
        evaluated_on=str(top.get("evaluated_on") or ""), lang=str(top.get("lang") or "sv"),
        filters=tuple(str(f) for f in filters) if isinstance(filters, list) else (),
        rows=tuple(rows)), problems


def _read_xlsx(path: Path, display: str) -> tuple[DecisionsFile, list[Problem]]:
    import warnings

    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    data = _read_bytes(path, display)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(io.BytesIO(data), data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise ConfigError(f"{display}: not an Excel workbook (.xlsx) that can be read") \
            from None
    meta = _xlsx_meta(wb, display)
    ws = next((s for s in wb.worksheets if s.title in ("Beslut", "Decisions")),
              wb.worksheets[0])
    header = [_cell(c.value) for c in next(ws.iter_rows(min_row=1, max_row=1), ())]
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, name in enumerate(header):
        if name is None:
            continue
        key = str(name).strip()
        cell = f"{ws.title}!{get_column_letter(index + 1)}1"
        if key not in COLUMNS:
            problems.append(Problem(f"{display}: {cell}", None,
                                    f"unknown column {excerpt(key)}; the columns are: "
                                    f"{', '.join(COLUMNS)}"))
        elif key in columns:
            problems.append(Problem(f"{display}: {cell}", None,
                                    f"column {excerpt(key)} appears twice"))
        else:
            columns[key] = index
    missing = [k for k in COLUMNS if k not in columns]
    if missing:
        problems.append(Problem(f"{display}: {ws.title}!1", None,
                                f"missing column(s): {', '.join(missing)}; make a new "
                                "template or restore the header row"))
        return _xlsx_doc(display, meta, ()), problems
    rows = []
    for r, raw_cells in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        cells = [_cell(v) for v in raw_cells]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue
        raw = {k: cells[i] if i < len(cells) else None for k, i in columns.items()}
        spots = {"": Spot(file=display, cell=f"{ws.title}!A{r}")} | {
            k: Spot(file=display, cell=f"{ws.title}!{get_column_letter(i + 1)}{r}")
            for k, i in columns.items()}
        row = _row(raw, spots, problems)
        if row is not None:
            rows.append(row)
    return _xlsx_doc(display, meta, tuple(rows)), problems


def _xlsx_meta(wb: Any, display: str) -> dict[str, str]:
    if _META_SHEET not in wb.sheetnames:
        raise ConfigError(f"{display}: not a cosmicdiff decisions workbook (its hidden sheet "
                          f"{_META_SHEET!r} is missing); write one with 'cosmicdiff decisions "
                          "template --format xlsx'")
    meta = {str(_cell(k)): "" if v is None else str(_cell(v))
            for k, v, *_ in wb[_META_SHEET].iter_rows(values_only=True) if k is not None}
    if meta.get("schema") != DECISIONS_SCHEMA:
        raise ConfigError(f"{display}: {_META_SHEET}!B1: not a decisions workbook of schema "
                          f"{DECISIONS_SCHEMA}")
    return meta


def _cell(value: Any) -> Any:
    """Return a cell's value as it was before _put neutralised it (text), else unchanged."""
    return restore_spreadsheet_text(value) if isinstance(value, str) else value


def _xlsx_doc(display: str, meta: Mapping[str, str], rows: tuple[Row, ...]) -> DecisionsFile:
    return DecisionsFile(display=display, baseline_id=meta.get("baseline_id", ""),
                         baseline_version=meta.get("baseline_version", ""),
                         evaluated_on=meta.get("evaluated_on", ""),
                         lang=meta.get("lang") or "sv",
                         filters=tuple(meta.get("filters", "").split()), rows=rows)


def _text(value: Any) -> str | None:
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


def _row(raw: Mapping[str, Any], spots: dict[str, Spot],
         problems: list[Problem]) -> Row | None:
    """Turn one raw row into a Row, recording its problems of form (not of decision)."""
    spot = spots[""]
    values: dict[str, str | None] = {}
    for key in COLUMNS:
        value = raw.get(key)
        if isinstance(value, list | dict):
            problems.append(spots.get(key, spot).problem(f"{key} must be one value, not a "
                                                         "list or mapping"))
        values[key] = _text(value)
        if key in ("expected", "actual") and isinstance(value, str) and value.strip():
            values[key] = value  # as the result has it: a waiver is pinned to it exactly
    if not values["id"]:
        problems.append(spot.problem("row without an id; restore it from the template"))
        return None
    row = Row(values=values, spots=spots)
    decision = None
    text = (values["decision"] or "").lower()
    if text:
        try:
            decision = Decision(text)
        except ValueError:
            problems.append(row.spot("decision").problem(
                f"unknown decision {excerpt(values['decision'])}; use adopt (into the baseline), "
                "align (the region aligns), accept (a local variant) or leave it empty",
                row.context()))
    expires = raw.get("expires")
    day: dt.date | None = None
    if isinstance(expires, dt.datetime):
        day = expires.date()
    elif isinstance(expires, dt.date):
        day = expires
    elif values["expires"]:
        try:
            day = dt.date.fromisoformat(values["expires"])
        except ValueError:
            problems.append(row.spot("expires").problem(
                f"expires must be a date YYYY-MM-DD, not {excerpt(values['expires'])}",
                row.context()))
    return replace(row, decision=decision, expires=day)


def _identity(row: Row) -> Deviation | None:
    """Return the deviation the row's identifying columns describe (None if impossible)."""
    try:
        kind, entity = Kind(row.get("kind") or ""), Entity(row.get("entity") or "")
    except ValueError:
        return None
    dev = Deviation(region=row.get("region") or "", kind=kind, entity=entity,
                    baseline_id=row.get("baseline_id"), local_id=row.get("local_id"),
                    path=row.get("path"), field=row.get("field"))
    rule = row.get("rule") or ""
    for occurrence in range(1, 100):
        candidate = replace(dev, occurrence=occurrence)
        if candidate.fingerprint(rule) == row.id:
            return candidate
    return None


def check_rows(rows: Sequence[Row], today: dt.date) -> list[Problem]:
    """Return every problem of the decided rows: values, dates, duplicates, edited ids."""
    problems: list[Problem] = []
    seen: dict[str, Row] = {}
    for row in rows:
        first = seen.get(row.id)
        if first is not None:
            where = first.spot()
            problems.append(row.spot("id").problem(
                f"deviation {row.id} appears twice (first at "
                f"{where.cell or f'line {where.line}'}); keep one row per deviation"))
            continue
        seen[row.id] = row
        if _identity(row) is None:
            problems.append(row.spot().problem(
                "the identifying columns (region, kind, rule, entity, baseline_id, local_id, "
                "path, field) were changed: they no longer match the row's deviation id; "
                "restore them from the template", row.context()))
        problems += _check_decision(row, today)
    return problems + _check_overlaps(list(seen.values()))


def _check_decision(row: Row, today: dt.date) -> list[Problem]:
    out: list[Problem] = []
    if row.decision is Decision.ACCEPT:
        missing = [k for k in ("justification", "owner", "expires") if not row.get(k)]
        if missing:
            out.append(row.spot("decision").problem(
                f"accept needs {_and(missing)} (an accepted local variant becomes a "
                "waiver with a reason, an owner and an expiry date)", row.context()))
        if row.expires is not None and row.expires < today:
            out.append(row.spot("expires").problem(
                f"expires {row.expires.isoformat()} is in the past (today is "
                f"{today.isoformat()})", row.context()))
    elif row.decision is Decision.ADOPT and row.get("expires"):
        out.append(row.spot("expires").problem(
            "expires is for accept (the waiver's expiry) and align (the region's deadline); "
            "leave it empty for adopt", row.context()))
    return out


def _and(words: Sequence[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _check_overlaps(rows: Sequence[Row]) -> list[Problem]:
    """Refuse an accepted row whose waiver would also waive a row that is not accepted."""
    others: dict[tuple[str | None, str | None], list[Row]] = {}
    for row in rows:
        if row.decision is not Decision.ACCEPT:
            others.setdefault((row.get("region"), row.get("rule")), []).append(row)
    out = []
    for row in rows:
        if row.decision is not Decision.ACCEPT:
            continue
        entry = waiver_entry(row, "")
        for other in others.get((row.get("region"), row.get("rule")), ()):
            if (entry["item"] in (other.get("baseline_id"), other.get("local_id"))
                    and entry.get("path") in (None, other.get("path"))
                    and all(entry[k] == other.get(k) for k in PIN_KEYS)):
                out.append(row.spot("decision").problem(
                    f"its waiver would also waive deviation {other.id[:8]} "
                    f"({_where(other.spot())}), which is not accepted: a waiver selects by "
                    "region, rule, item, path and the values it is pinned to, so decide both "
                    "rows alike", row.context()))
    return out


def _where(spot: Spot) -> str:
    return spot.cell or f"line {spot.line}"


# --- waivers -------------------------------------------------------------------------------


def waiver_id(row: Row, rows: Sequence[Row] = ()) -> str:
    """Return the stable waiver id of a row: DEC- and the deviation id's first 8 characters.

    Where another row's id starts alike, the whole deviation id is used.
    """
    short = row.id[:8]
    clash = any(o.id != row.id and o.id[:8] == short for o in rows)
    return f"DEC-{row.id if clash else short}"


def waiver_entry(row: Row, wid: str) -> dict[str, Any]:
    """Return the waiver (a mapping in the waiver file's format) for an accepted row.

    The waiver is pinned to the row's kind, expected and actual value (``null`` where the
    deviation has none): what the workshop accepted, and nothing else.
    """
    dev = _identity(row)
    entry: dict[str, Any] = {"id": wid, "region": row.get("region"), "rule": row.get("rule"),
                             "item": row.get("baseline_id") or row.get("local_id")}
    if dev is not None and dev.is_item_level() and row.get("path"):
        entry["path"] = row.get("path")
    entry = {k: v for k, v in entry.items() if v is not None}
    entry |= {"kind": row.get("kind"), "expected": row.get("expected"),
              "actual": row.get("actual")}
    more = {"reason": row.get("justification"), "owner": row.get("owner"),
            "approver": row.get("decided_by"), "decision": row.get("decision_ref"),
            "expires": row.expires}
    return entry | {k: v for k, v in more.items() if v is not None}


def waiver_entries(doc: DecisionsFile) -> list[dict[str, Any]]:
    """Return the waivers for every accepted row, in row order."""
    return [waiver_entry(r, waiver_id(r, doc.rows)) for r in doc.rows
            if r.decision is Decision.ACCEPT]


def _render_entry(entry: Mapping[str, Any], indent: str) -> list[str]:
    lines = []
    for i, (key, value) in enumerate(entry.items()):
        lines.append(f"{indent}{'- ' if i == 0 else '  '}{key}: {_scalar(value)}\n")
    return lines


def merge_waivers(existing: str | None, path: Path | None, display: str,
                  entries: Sequence[Mapping[str, Any]], lang: str) -> tuple[str, int, int]:
    """Return the waiver file's new text with ``entries`` merged in, and (added, replaced).

    Existing entries and comments are kept; an entry with the same id is replaced in place;
    new entries are appended at the end of the list.
    """
    if existing is None or not existing.strip():
        head = "".join(f"# {x}\n" for x in _texts(lang)["waivers_header"])
        body = [ln for e in entries for ln in _render_entry(e, "  ")]
        return head + ("waivers:\n" + "".join(body) if body else "waivers: []\n"), len(entries), 0
    if path is None:
        raise ValueError("merge_waivers: the path of the existing text is needed")
    from cosmicdiff.rules.waivers import load_waivers

    load_waivers(path, display)  # a broken waiver file is reported as it is
    from cosmicdiff.io.safe_yaml import load_yaml

    try:
        data = load_yaml(path, display)
    except ExportError as exc:
        raise ConfigError(str(exc)) from None
    lines = existing.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    current = data.get("waivers") if isinstance(data, LineDict) else None
    if not current:
        return _into_empty(lines, data, entries, display), len(entries), 0
    if not isinstance(current, LineList):
        raise ConfigError(f"{display}: 'waivers' must be a list")
    spans = _entry_spans(lines, current, display)
    indent = lines[spans[0][0]][: len(lines[spans[0][0]]) - len(lines[spans[0][0]].lstrip())]
    by_id = {str(e["id"]): e for e in entries}
    replaced: dict[int, list[str]] = {}
    for (start, _end), raw in zip(spans, current, strict=True):
        wid = str(raw.get("id")) if isinstance(raw, dict) and raw.get("id") else None
        if wid in by_id:
            replaced[start] = _render_entry(by_id.pop(wid), indent)
    ends = dict(spans)
    tail = [ln for e in by_id.values() for ln in _render_entry(e, indent)]
    out: list[str] = []
    i = 0
    while i < len(lines):
        if i == spans[-1][1]:
            out += tail
        if i in replaced:
            out += replaced[i]
            i = ends[i]
            continue
        out.append(lines[i])
        i += 1
    if spans[-1][1] == len(lines):
        out += tail
    return "".join(out), len(by_id), len(replaced)


def _into_empty(lines: list[str], data: Any, entries: Sequence[Mapping[str, Any]],
                display: str) -> str:
    """Return the text with ``entries`` as the list of a file that has no waiver yet."""
    body = [ln for e in entries for ln in _render_entry(e, "  ")]
    if isinstance(data, LineDict) and "waivers" in data:
        n = data.line_of("waivers") - 1
        rest = lines[n].split(":", 1)[1].split("#", 1)[0].strip()
        if rest not in ("", "[]", "null", "~"):
            raise ConfigError(f"{display}:{n + 1}: cannot merge into this empty 'waivers' "
                              "value; write 'waivers: []' or 'waivers:'")
        return "".join(lines[:n] + ["waivers:\n"] + body + lines[n + 1:])
    return "".join(lines) + "waivers:\n" + "".join(body)


def _entry_spans(lines: list[str], current: LineList,
                 display: str) -> list[tuple[int, int]]:
    """Return each entry's lines [start, end), trailing blank and comment lines excluded."""
    starts = [n - 1 for n in current.item_lines]
    for s in starts:
        if not lines[s].lstrip().startswith("- "):
            raise ConfigError(f"{display}:{s + 1}: cannot merge into a waiver list that is not "
                              "in block style ('- id: …' on its own line); rewrite it so")
    spans = []
    for j, start in enumerate(starts):
        end = starts[j + 1] if j + 1 < len(starts) else len(lines)
        while end > start + 1 and (not lines[end - 1].strip()
                                   or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        spans.append((start, end))
    return spans


def check_waiver_text(text: str, display: str) -> int:
    """Validate a waiver file's text with the waiver loader; return how many it holds."""
    from cosmicdiff.rules.waivers import load_waivers

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder) / "waivers.yaml"
        tmp.write_text(text, encoding="utf-8")
        return len(load_waivers(tmp, display))


def unified_diff(old: str | None, new: str, name: str) -> str:
    """Return a unified diff from ``old`` (None: no file yet) to ``new``."""
    return "".join(difflib.unified_diff(
        (old or "").splitlines(keepends=True), new.splitlines(keepends=True),
        fromfile="/dev/null" if old is None else f"a/{name}", tofile=f"b/{name}"))


# --- the baseline change proposal ----------------------------------------------------------


def check_baseline(doc: DecisionsFile, baseline: Baseline, display: str) -> list[Problem]:
    """Return problems of the decided rows against the baseline they are meant for."""
    if doc.baseline_id and doc.baseline_id != baseline.id:
        return [Problem(doc.display, None, f"the decisions are about baseline "
                        f"{quoted(doc.baseline_id)}, but {display} is baseline {baseline.id!r}")]
    out = []
    for row in doc.rows:
        bid = row.get("baseline_id")
        if row.decision in (Decision.ADOPT, Decision.ACCEPT) and bid and \
                _baseline_location(baseline, row.get("entity"), bid) is None:
            out.append(row.spot("baseline_id").problem(
                f"baseline {baseline.id} {baseline.version} has no {row.get('entity')} "
                f"{quoted(bid)}", row.context()))
    return out


def _baseline_location(baseline: Baseline, entity: str | None,
                       bid: str) -> SourceLocation | None:
    ex = baseline.export
    found: Any = None
    if entity == "template":
        found = ex.templates.get(bid)
    elif entity == "keyword":
        found = ex.keywords.get(bid)
    elif entity == "valuelist":
        found = ex.value_lists.get(bid)
    elif entity == "term":
        found = ex.terms.get(bid)
    elif entity == "value" and "#" in bid:
        vl_id, code = bid.split("#", 1)
        vl = ex.value_lists.get(vl_id)
        found = next((v for v in vl.values if v.code == code), None) if vl else None
    return found.loc if found is not None else None


def build_proposal(doc: DecisionsFile, baseline: Baseline | None = None) -> dict[str, Any]:
    """Return the baseline change proposal: changes, conflicts and the regions' work lists."""
    t = _texts(doc.lang)
    groups: dict[tuple[str | None, ...], list[Row]] = {}
    for row in doc.rows:
        if row.decision is Decision.ADOPT:
            key: tuple[str | None, ...] = (row.get("entity"), row.get("baseline_id"),
                                           row.get("kind"), row.get("field"))
            if not row.get("baseline_id"):
                key += (row.get("region"), row.get("local_id"))
            groups.setdefault(key, []).append(row)
    changes, conflicts = [], []
    for rows in groups.values():
        head = _change_head(rows[0], t)
        where = _baseline_file(rows[0], baseline)
        alternatives: dict[str | None, list[Row]] = {}
        for row in rows:
            alternatives.setdefault(row.get("actual"), []).append(row)
        if len(alternatives) == 1:
            changes.append(head | {"to": rows[0].get("actual")} | where
                           | {"regions": [_source(r) for r in rows]})
        else:
            conflicts.append(head | where | {"alternatives": [
                {"to": to, "regions": [_source(r) for r in alt]}
                for to, alt in sorted(alternatives.items(), key=lambda a: a[0] or "")]})
    actions: dict[str, list[dict[str, Any]]] = {}
    for row in doc.rows:
        if row.decision is Decision.ALIGN:
            actions.setdefault(row.get("region") or "", []).append(_action(row))
    return {
        "schema": PROPOSAL_SCHEMA, "decisions": doc.display,
        "baseline": {"id": doc.baseline_id, "version": doc.baseline_version},
        "evaluated_on": doc.evaluated_on,
        "summary": {"changes": len(changes), "conflicts": len(conflicts),
                    "region_actions": {r: len(a) for r, a in sorted(actions.items())}},
        "changes": changes, "conflicts": conflicts,
        "region_actions": dict(sorted(actions.items())),
    }


def _change_head(row: Row, t: Mapping[str, Any]) -> dict[str, Any]:
    kind = row.get("kind") or ""
    action = str(t["actions"].get(kind, kind)).format(field=row.get("field") or "")
    head: dict[str, Any] = {"entity": row.get("entity"), "baseline_id": row.get("baseline_id"),
                            "kind": kind, "field": row.get("field"), "action": action,
                            "from": row.get("expected")}
    return {k: v for k, v in head.items() if v is not None or k == "from"}


def _baseline_file(row: Row, baseline: Baseline | None) -> dict[str, str]:
    """Return ``{"baseline_file": path:line}`` where the baseline defines the row's item."""
    bid = row.get("baseline_id")
    loc = _baseline_location(baseline, row.get("entity"), bid) if baseline and bid else None
    if loc is None:
        return {}
    return {"baseline_file": f"{loc.path}:{loc.line}" if loc.line else loc.path}


def _source(row: Row) -> dict[str, Any]:
    out = {"region": row.get("region"), "case": row.get("case"),
           "local_id": row.get("local_id"), "path": row.get("path"), "deviation": row.id,
           "justification": row.get("justification"), "decided_by": row.get("decided_by"),
           "decision_ref": row.get("decision_ref"), "comment": row.get("comment")}
    return {k: v for k, v in out.items() if v is not None}


def _action(row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {k: row.get(k) for k in (
        "case", "rule", "kind", "entity", "baseline_id", "local_id", "path", "field",
        "expected", "actual", "message")}
    out = {"deviation": row.id} | out | {
        "owner": row.get("owner"), "due": row.expires, "justification": row.get("justification"),
        "decided_by": row.get("decided_by"), "decision_ref": row.get("decision_ref"),
        "comment": row.get("comment")}
    return {k: v for k, v in out.items() if v is not None}


class _ProposalDumper(yaml.SafeDumper):
    """SafeDumper that double-quotes text with apostrophes (no doubled '' in messages)."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = '"' if "'" in data and '"' not in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_ProposalDumper.add_representer(str, _represent_str)


def render_proposal(proposal: Mapping[str, Any], lang: str) -> str:
    """Return the proposal as commented YAML (deterministic)."""
    head = "".join(f"# {x}\n".replace("# \n", "#\n") for x in _texts(lang)["proposal_header"])
    body = yaml.dump(dict(proposal), Dumper=_ProposalDumper, sort_keys=False,
                     allow_unicode=True, width=2**31, default_flow_style=False)
    return head + body


# --- the whole apply step ------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ApplyPlan:
    """What applying a decisions file would write, computed without writing anything."""

    decisions: DecisionsFile
    waivers_old: str | None = None
    waivers_new: str | None = None
    added: int = 0
    replaced: int = 0
    proposal_new: str | None = None
    conflicts: int = 0

    def counts(self) -> dict[str, int]:
        """Return how many rows have each decision (and how many are undecided)."""
        out = {d.value: 0 for d in Decision} | {"undecided": 0}
        for row in self.decisions.rows:
            out[row.decision.value if row.decision else "undecided"] += 1
        return out


def plan_apply(doc: DecisionsFile, waivers: Path | None, waivers_display: str,
               baseline: Baseline | None = None) -> ApplyPlan:
    """Compute the merged waiver file and the proposal for a checked decisions file."""
    entries = waiver_entries(doc)
    old = new = None
    added = replaced = 0
    if entries:
        if waivers is not None and waivers.exists():
            if not waivers.is_file():
                raise UsageError(f"{waivers_display}: not a file")
            old = _read_bytes(waivers, waivers_display).decode("utf-8-sig", errors="replace")
        new, added, replaced = merge_waivers(old, waivers, waivers_display, entries, doc.lang)
        check_waiver_text(new, waivers_display)
    proposal = None
    conflicts = 0
    if any(r.decision in (Decision.ADOPT, Decision.ALIGN) for r in doc.rows):
        data = build_proposal(doc, baseline)
        conflicts = len(data["conflicts"])
        proposal = render_proposal(data, doc.lang)
    return ApplyPlan(decisions=doc, waivers_old=old, waivers_new=new, added=added,
                     replaced=replaced, proposal_new=proposal, conflicts=conflicts)



# --- texts for people (keys and values in the files stay English) -------------------------

_TEXTS: dict[str, dict[str, Any]] = {
    "sv": {
        "title": "cosmicdiff: beslut från harmoniseringsworkshop",
        "about": "Baslinje {baseline} {version}, resultat från {evaluated}; {rows} "
                 "avvikelser{filters}.",
        "intro": [
            "En rad per avvikelse. Fyll i fälten från 'decision' och nedåt (i Excel: de vita",
            "kolumnerna). Ändra inte de övriga (grå): de identifierar avvikelsen och",
            "kontrolleras när filen läses in. Undantagna (waived) avvikelser är med och",
            "markerade i kolumnen 'waived'.",
        ],
        "values": [
            "decision       adopt  = regionens variant tas in i baslinjen",
            "               align  = regionen anpassar sig till baslinjen",
            "               accept = accepteras som lokal variant (blir ett undantag, waiver)",
            "               tomt   = inte beslutat än",
            "justification  motivering (krävs för accept)",
            "owner          ansvarig för undantaget eller åtgärden (krävs för accept)",
            "expires        datum ÅÅÅÅ-MM-DD: när undantaget upphör (krävs för accept) eller",
            "               när regionen ska ha anpassat sig (align); tomt för adopt",
            "decided_by     vem som beslutade, t.ex. eSPiR styrgrupp",
            "decision_ref   beslutsreferens, t.ex. eSPiR-styrgruppen 2026-09-14 §12",
            "comment        fri kommentar",
        ],
        "usage": [
            "Nycklarna och värdena är på engelska. Läs in den ifyllda filen med",
            "  cosmicdiff decisions apply FIL --waivers waivers.yaml --proposal forslag.yaml",
            "(utan --write visas bara vad som skulle skrivas).",
        ],
        "fill": "fyll i",
        "sheet": "Beslut",
        "instructions": "Instruktioner",
        "dv_title": "Beslut",
        "dv_prompt": "adopt = in i baslinjen, align = regionen anpassar sig, "
                     "accept = lokal variant; tomt = inte beslutat",
        "dv_error": "Välj adopt, align eller accept (eller lämna tomt).",
        "date_error": "Skriv ett datum ÅÅÅÅ-MM-DD.",
        "waivers_header": [
            "Undantag (waivers) från workshopbeslut, skrivna av 'cosmicdiff decisions apply'.",
            "Formatet: cosmicdiff/rules/waivers.py; 'cosmicdiff waivers check' kontrollerar.",
        ],
        "proposal_header": [
            "cosmicdiff: förslag till ändringar av baslinjen, från workshopbeslut",
            "",
            "changes:        ändringar att föra in i baslinjen (beslut adopt), en per post och",
            "                fält, med regionerna som föreslog dem; baseline_file visar var",
            "conflicts:      regioner som vill ta in olika värden för samma post och fält:",
            "                välj ett alternativ innan baslinjen ändras",
            "region_actions: regionernas arbetslista (beslut align): anpassa till baslinjen",
            "",
            "Filen ändrar ingenting själv; en person för in ändringarna i baslinjen.",
        ],
        "actions": {
            "missing": "ta bort posten ur baslinjen (regionen klarar sig utan den)",
            "extra": "lägg till regionens post i baslinjen",
            "renamed": "ändra namnet i baslinjen",
            "type_changed": "ändra sökordstypen i baslinjen",
            "unit_changed": "ändra enheten i baslinjen",
            "binding_changed": "ändra termbindningen i baslinjen",
            "valuelist_changed": "låt sökordet använda regionens fasta värden i baslinjen",
            "order_changed": "ändra ordningen i baslinjens journalmall",
            "moved": "flytta posten i baslinjens journalmall",
            "mandatory_changed": "ändra obligatorisk/upprepningsbar i baslinjen",
            "status_changed": "ändra status i baslinjen",
            "visibility_changed": "ändra synligheten i 1177 i baslinjen",
            "attribute_changed": "ändra {field} i baslinjen",
            "unresolved_reference": "definiera den refererade posten i baslinjen",
        },
    },
    "en": {
        "title": "cosmicdiff: decisions of a harmonisation workshop",
        "about": "Baseline {baseline} {version}, result of {evaluated}; {rows} "
                 "deviations{filters}.",
        "intro": [
            "One row per deviation. Fill in the fields from 'decision' on (in Excel: the white",
            "columns). Do not change the others (grey): they identify the deviation and are",
            "checked when the file is read. Waived deviations are included and marked in the",
            "column 'waived'.",
        ],
        "values": [
            "decision       adopt  = the baseline adopts the region's variant",
            "               align  = the region aligns with the baseline",
            "               accept = accepted as a local variant (becomes a waiver)",
            "               empty  = not decided yet",
            "justification  the reason (required for accept)",
            "owner          who is responsible for the waiver or the action (required for accept)",
            "expires        a date YYYY-MM-DD: when the waiver ends (required for accept) or",
            "               when the region is to have aligned (align); empty for adopt",
            "decided_by     who decided, e.g. eSPiR steering group",
            "decision_ref   the decision's reference, e.g. minutes 2026-09-14 §12",
            "comment        any remark",
        ],
        "usage": [
            "Keys and values are English. Read the filled file with",
            "  cosmicdiff decisions apply FILE --waivers waivers.yaml --proposal proposal.yaml",
            "(without --write it only shows what it would write).",
        ],
        "fill": "fill in",
        "sheet": "Decisions",
        "instructions": "Instructions",
        "dv_title": "Decision",
        "dv_prompt": "adopt = into the baseline, align = the region aligns, "
                     "accept = local variant; empty = undecided",
        "dv_error": "Choose adopt, align or accept (or leave it empty).",
        "date_error": "Enter a date YYYY-MM-DD.",
        "waivers_header": [
            "Waivers from workshop decisions, written by 'cosmicdiff decisions apply'.",
            "Format: cosmicdiff/rules/waivers.py; 'cosmicdiff waivers check' validates it.",
        ],
        "proposal_header": [
            "cosmicdiff: proposed changes to the baseline, from workshop decisions",
            "",
            "changes:        changes to make in the baseline (decision adopt), one per item and",
            "                field, with the regions that proposed them; baseline_file: where",
            "conflicts:      regions that want different values for the same item and field:",
            "                choose one alternative before the baseline is changed",
            "region_actions: the regions' work lists (decision align): align with the baseline",
            "",
            "This file changes nothing by itself; a person makes the changes in the baseline.",
        ],
        "actions": {
            "missing": "remove the item from the baseline (the region does without it)",
            "extra": "add the region's item to the baseline",
            "renamed": "change the name in the baseline",
            "type_changed": "change the keyword type in the baseline",
            "unit_changed": "change the unit in the baseline",
            "binding_changed": "change the term binding in the baseline",
            "valuelist_changed": "let the keyword use the region's value list in the baseline",
            "order_changed": "change the order in the baseline template",
            "moved": "move the item in the baseline template",
            "mandatory_changed": "change mandatory/repeatable in the baseline",
            "status_changed": "change the status in the baseline",
            "visibility_changed": "change the 1177 visibility in the baseline",
            "attribute_changed": "change {field} in the baseline",
            "unresolved_reference": "define the referenced item in the baseline",
        },
    },
}
