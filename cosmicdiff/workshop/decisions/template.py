"""Write the decisions file to fill in for a result: commented YAML or an Excel workbook.

One undecided row per deviation, sorted as the result sorts them. Both forms are
deterministic: the same result gives the same bytes. The YAML form starts with a comment
that says how to fill it in and keeps the codes, each with its words beside it as a comment;
the workbook has the rows on its first sheet (headers and codes in words of the file's
language, the short reference and the name first, identifying columns grey, columns to fill
in yellow, a drop-down of the report's decision words and a date check for ``expires``), the
instructions on a second, the file's own data on a hidden third and a copy of every grey
cell, the rule's message and the codes on a hidden fourth (``readonly`` refuses an edit of a
grey cell; ``apply`` reads the codes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import yaml

from cosmicdiff.io.spreadsheet import save_deterministic, spreadsheet_text
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.workshop.decisions.model import (
    COLUMNS,
    COPY_SHEET,
    DECISIONS_SCHEMA,
    META_SHEET,
    READ_ONLY,
    TO_FILL,
    Decision,
    DecisionsFile,
    Row,
)
from cosmicdiff.workshop.decisions.readonly import CHECK_KEY, row_digest
from cosmicdiff.workshop.decisions.texts import Texts, texts
from cosmicdiff.workshop.decisions.words import CODE_PREFIX, CODED, LABELS, shown_word

_WIDTHS = {
    "ref": 10,
    "name": 28,
    "id": 22,
    "region": 13,
    "case": 12,
    "kind": 18,
    "rule": 8,
    "severity": 9,
    "entity": 10,
    "baseline_id": 18,
    "local_id": 18,
    "path": 34,
    "field": 11,
    "expected": 30,
    "actual": 30,
    "message": 60,
    "waived": 18,
    "decision": 11,
    "justification": 40,
    "owner": 30,
    "expires": 12,
    "decided_by": 22,
    "decision_ref": 30,
    "comment": 30,
}
#: The workbook's columns: the short reference and the name first, as people look rows up.
#: The rule's message (English, from the rules) is not shown: the deviation, field, expected
#: and actual columns say the same in the file's language; the hidden copy sheet keeps it.
SHEET_COLUMNS = ("ref", "name", *(k for k in COLUMNS if k not in ("ref", "name", "message")))
_FIXED_TIME = dt.datetime(2000, 1, 1)
#: Excel's serial number of 2000-01-01: an expiry date must come after it.
_EXCEL_2000 = "36526"


def rows_from_result(result: Result, include_allowed: bool = False) -> tuple[Row, ...]:
    """Return one undecided row per deviation (allowed local extensions only on request)."""
    devs = sorted(
        (d for d in result.deviations if include_allowed or not d.allowed),
        key=lambda d: d.sort_key(),
    )
    return tuple(Row(values=_deviation_values(d)) for d in devs)


def _deviation_values(d: Finding) -> dict[str, str | None]:
    return {
        "ref": d.ref,
        "name": d.name,
        "id": d.id,
        "region": d.region,
        "case": d.case,
        "kind": d.kind.value,
        "rule": d.rule,
        "severity": d.severity.value if d.severity else None,
        "entity": d.entity.value,
        "baseline_id": d.baseline_id,
        "local_id": d.local_id,
        "path": d.path,
        "field": d.field,
        "expected": d.expected,
        "actual": d.actual,
        "message": d.message or None,
        "waived": (d.waiver.id or "yes") if d.waiver else None,
        LABELS["expected"]: d.expected_label,
        LABELS["actual"]: d.actual_label,
    }


def template_from_result(
    result: Result,
    display: str,
    lang: str,
    filters: Sequence[str] = (),
    include_allowed: bool = False,
) -> DecisionsFile:
    """Return the (undecided) decisions file for a result."""
    return DecisionsFile(
        display=display,
        baseline_id=result.baseline_id,
        baseline_version=result.baseline_version,
        evaluated_on=result.evaluated_on,
        lang=lang,
        filters=tuple(filters),
        rows=rows_from_result(result, include_allowed),
    )


def _shown(row: Row, key: str, t: Texts | None = None) -> str | dt.date | None:
    """Return a column's value as the file shows it: codes (YAML) or, with ``t`` (XLSX),
    the decision and the coded columns in words of the file's language; the expiry date."""
    if key == "decision" and row.decision:
        return t.choices[row.decision] if t is not None else row.decision.value
    if key == "expires" and row.expires:
        return row.expires
    if t is not None and key in CODED:
        return shown_word(row.values, key, Messages(t.lang))
    return row.get(key)


# --- YAML ----------------------------------------------------------------------------------


def render_yaml(doc: DecisionsFile) -> str:
    """Return the decisions file as commented YAML (deterministic)."""
    t = texts(doc.lang)
    lines = [f"# {t.title}", f"# {t.about_file(doc)}", "#"]
    lines += [f"# {x}".rstrip() for x in t.guide()]
    lines += [
        f"schema: {DECISIONS_SCHEMA}",
        "baseline:",
        f"  id: {scalar(doc.baseline_id)}",
        f"  version: {scalar(doc.baseline_version)}",
        f"evaluated_on: {scalar(doc.evaluated_on)}",
        f"lang: {doc.lang}",
        "filters: [" + ", ".join(scalar(f) for f in doc.filters) + "]",
    ]
    if not doc.rows:
        return "\n".join([*lines, "decisions: []"]) + "\n"
    lines.append("decisions:")
    for row in doc.rows:
        lines += _yaml_row(row, t)
    return "\n".join(lines) + "\n"


def _yaml_row(row: Row, t: Texts) -> list[str]:
    """Return a row's lines: a blank line, then one ``key: value`` line per column; a code
    has its words beside it as a comment, a column to fill in its name."""
    lines = [""]
    m = Messages(t.lang)
    for i, key in enumerate(COLUMNS):
        if key == TO_FILL[0]:
            digest = row_digest(lambda k: _shown(row, k))
            lines.append(f'    {CHECK_KEY}: "{digest}"  # {t.check_note}')
            lines.append(f"    # {t.fill}")
        value = _shown(row, key)
        if isinstance(value, dt.date):
            value = value.isoformat()
        text = f"{key}:" if value is None else f"{key}: {scalar(value)}"
        note = _yaml_note(row, key, t, m)
        if note:
            text = f"{text}  # {note}"
        lines.append(("  - " if i == 0 else "    ") + text)
    return lines


def _yaml_note(row: Row, key: str, t: Texts, m: Messages) -> str | None:
    """Return the comment beside a YAML value: the words of a code, or what to fill in."""
    if key == "decision":
        return t.decision_note
    if key in TO_FILL or (key == "waived" and row.get(key)):
        return t.headers[key]
    if key not in CODED:
        return None
    word = shown_word(row.values, key, m)
    return " ".join(word.split()) if word and word != row.get(key) else None


def scalar(value: str | dt.date | None) -> str:
    """Return one YAML scalar on one line, quoted where the loader would misread it."""
    if isinstance(value, dt.date):
        return value.isoformat()
    text = yaml.safe_dump(value, allow_unicode=True, width=2**31)
    if text.endswith("\n...\n"):
        text = text[:-5]
    text = text.rstrip("\n")
    if value is not None and ("\n" in text or ("''" in text and '"' not in value)):
        text = yaml.safe_dump(value, allow_unicode=True, width=2**31, default_style='"').rstrip(
            "\n"
        )
    return text


# --- XLSX ----------------------------------------------------------------------------------


def render_xlsx(doc: DecisionsFile) -> bytes:
    """Return the decisions file as an Excel workbook (byte-identical for the same input)."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    t = texts(doc.lang)
    wb = Workbook()
    ws = wb.active
    ws.title = t.sheet
    _write_rows(ws, doc.rows, t)
    if doc.rows:
        _add_validations(ws, len(doc.rows) + 1, t)
    _write_guide(wb.create_sheet(t.instructions), doc, t)
    _write_meta(wb.create_sheet(META_SHEET), doc)
    _write_copy(wb.create_sheet(COPY_SHEET), doc.rows, t)
    return save_deterministic(wb, _FIXED_TIME)


def _write_rows(ws: Any, rows: Sequence[Row], t: Texts) -> None:
    """Write the header (in the file's language) and the rows, the identifying columns grey,
    frozen and filtered."""
    from openpyxl.styles import Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    grey_head, grey = PatternFill("solid", fgColor="BFBFBF"), PatternFill("solid", fgColor="EDEDED")
    fill_head = PatternFill("solid", fgColor="FFE699")
    for col, key in enumerate(SHEET_COLUMNS, start=1):
        cell = ws.cell(row=1, column=col, value=t.headers[key])
        cell.font = Font(bold=True)
        cell.fill = grey_head if key in READ_ONLY else fill_head
        ws.column_dimensions[get_column_letter(col)].width = _WIDTHS[key]
    for r, row in enumerate(rows, start=2):
        for col, key in enumerate(SHEET_COLUMNS, start=1):
            cell = _put(ws, r, col, _shown(row, key, t))
            if key in READ_ONLY:
                cell.fill = grey
            if key == "expires":
                cell.number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(SHEET_COLUMNS))}{len(rows) + 1}"


def _add_validations(ws: Any, end: int, t: Texts) -> None:
    """Offer the decisions as a drop-down and accept only dates in ``expires`` (rows 2 to end)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import (  # type: ignore[import-untyped]
        DataValidation,
    )

    dec = get_column_letter(SHEET_COLUMNS.index("decision") + 1)
    dv = DataValidation(
        type="list",
        formula1='"' + ",".join(t.choices[d] for d in Decision) + '"',
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
        errorTitle=t.dv_title,
        error=t.dv_error,
        promptTitle=t.dv_title,
        prompt=t.dv_prompt,
    )
    dv.add(f"{dec}2:{dec}{end}")
    exp = get_column_letter(SHEET_COLUMNS.index("expires") + 1)
    dates = DataValidation(
        type="date",
        operator="greaterThan",
        formula1=_EXCEL_2000,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=t.headers["expires"],
        error=t.date_error,
    )
    dates.add(f"{exp}2:{exp}{end}")
    ws.add_data_validation(dv)
    ws.add_data_validation(dates)


def _write_guide(ws: Any, doc: DecisionsFile, t: Texts) -> None:
    """Write the instructions sheet: title, what the file was made from, the guide."""
    from openpyxl.styles import Font

    ws.column_dimensions["A"].width = 110
    for r, text in enumerate([t.title, t.about_file(doc), "", *t.guide()], start=1):
        _put(ws, r, 1, text or None)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)


def _write_meta(ws: Any, doc: DecisionsFile) -> None:
    """Write the file's own data (schema, baseline, date, language, filters), hidden."""
    ws.sheet_state = "hidden"
    for r, (key, value) in enumerate(
        (
            ("schema", DECISIONS_SCHEMA),
            ("baseline_id", doc.baseline_id),
            ("baseline_version", doc.baseline_version),
            ("evaluated_on", doc.evaluated_on),
            ("lang", doc.lang),
            ("filters", " ".join(doc.filters)),
        ),
        start=1,
    ):
        _put(ws, r, 1, key)
        _put(ws, r, 2, value or None)


def _write_copy(ws: Any, rows: Sequence[Row], t: Texts) -> None:
    """Keep a copy of every read-only cell as shown, hidden: row n holds the rows sheet's row
    n; then the codes of the columns shown in words (``code.kind`` …), which apply reads."""
    ws.sheet_state = "hidden"
    keys = [*READ_ONLY, *(CODE_PREFIX + k for k in CODED)]
    for col, key in enumerate(keys, start=1):
        _put(ws, 1, col, key)
    for r, row in enumerate(rows, start=2):
        for col, key in enumerate(keys, start=1):
            code = key.removeprefix(CODE_PREFIX)
            _put(ws, r, col, row.get(code) if code != key else _shown(row, key, t))


def _put(ws: Any, row: int, col: int, value: str | dt.date | None) -> Any:
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
