"""Render the N-way matrix: terminal, JSON, CSV, XLSX (for facilitators' spreadsheets), HTML.

Every format renders from a Matrix alone and is deterministic: the same result gives the
same bytes (the XLSX too: its document dates are the evaluation date and its zip entries
carry a fixed timestamp). Texts for people (HTML, XLSX, CSV, text) are Swedish by default,
English with ``lang="en"``, words from ``reports/i18n``; the JSON keeps the codes.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from cosmicdiff.io.json_out import dumps_indented
from cosmicdiff.io.spreadsheet import spreadsheet_text
from cosmicdiff.reports.base import with_version
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.paper import heading_text
from cosmicdiff.vocabulary import Entity, Kind
from cosmicdiff.workshop.matrix import CONSENSUS, ROW_ENTITIES, Cell, Matrix, Row

#: the keys of the people's words in the catalogues (``matrix.<key>``)
_KEYS = (
    *("same", "deviates", "missing", "waived", "allowed", "extra", "absent", "not_compared"),
    *("baseline", "regions", "outlier", "none", "title", "consensus", "entity", "id", "name"),
    *("in_baseline", "outlier_region", "state", "local_id", "detail", "only_regions"),
    *("legend", "evaluated", "intro", "matrix_sheet", "summary_sheet"),
)
#: the states a reader sees: ``waived`` splits into waived and allowed (not a waiver)
SHOWN_STATES = (
    *("same", "deviates", "missing", "waived", "allowed", "extra", "absent", "not_compared"),
)
#: cell fills for spreadsheets and HTML (light enough to print in black and white)
FILL = {
    "same": "E3F1E3",
    "deviates": "FFF3CD",
    "missing": "F8D7DA",
    "waived": "E8E8E8",
    "allowed": "EEF5EA",
    "extra": "DDEBF7",
    "absent": "FFFFFF",
    "not_compared": "D0D0D0",
}
#: marks for the terminal and for readers without colour
MARK = {
    "same": "=",
    "deviates": "~",
    "missing": "-",
    "waived": "w",
    "allowed": "+",
    "extra": "+",
    "absent": " ",
    "not_compared": "?",
}


def words(lang: str) -> dict[str, str]:
    """Return the people's words for a report language (sv or en), from the catalogues."""
    t = Messages(lang)
    out = {key: t("matrix." + key) for key in _KEYS}
    out |= {entity: t("entity." + entity) for entity in ROW_ENTITIES}
    out |= {"case": t("case"), "item": t("item")}
    return out


def shown_state(cell: Cell) -> str:
    """Return the state a reader sees: ``allowed`` for a cell whose deviations are all allowed
    local extensions and none waived (the matrix JSON keeps ``waived``)."""
    if cell.state == "waived" and not any(d.waived for d in cell.deviations):
        return "allowed"
    return cell.state


def cell_text(cell: Cell, t: Messages) -> str:
    """Return what differs in a cell in words: "annat namn: Krisplan; annan ordning: 5".

    Kinds, changed fields and cosmicdiff's own values (hidden, shown, active …) are in the
    report's language; names and values from the exports are shown as they are.
    """
    bare = shown_state(cell) == "allowed"
    parts = []
    for d in cell.deviations:
        if d.allowed and not d.waived and d.kind is Kind.EXTRA:
            name = d.actual or d.name or d.local_id or ""
            parts.append(name if bare else f"{t('matrix.allowed')}: {name}")
            continue
        text = t("kind." + d.kind.value) + (f" ({t.field(d.field)})" if d.field else "")
        if d.entity is Entity.VALUE:  # a value belongs to its list's row: name it
            label = d.name or d.actual or d.baseline_id or d.local_id
            text = f"{t('entity.value')} {label}: {text}"
        elif d.kind is Kind.MISSING:
            text += f": {d.name}" if d.name else ""
        if d.kind is Kind.MOVED:  # by its headings' names, as on the workshop paper
            text += ": " + heading_text(d.actual_label, d.actual, t, baseline=False)
        elif d.actual and d.kind not in (Kind.MISSING, Kind.EXTRA):
            text += ": " + t.value(d.kind.value, d.actual)
        elif d.actual and d.kind is Kind.EXTRA and d.entity is not Entity.VALUE:
            text += ": " + d.actual
        parts.append(text)
    return "; ".join(dict.fromkeys(parts))


def cell_line(row: Row, region: str, t: Messages) -> tuple[str, str]:
    """Return a cell's shown state and what differs ('' where the row and state say it all:
    region-only rows, and an item the region lacks)."""
    cell, state = row.cells[region], shown_state(row.cells[region])
    if not row.in_baseline or (state == "missing" and set(cell.kinds) == {"missing"}):
        return state, ""
    return state, cell_text(cell, t)


def render_json(m: Matrix) -> str:
    """Return the JSON document."""
    return dumps_indented(m.to_json())


def _csv_rows(m: Matrix, lang: str) -> list[list[str]]:
    w, t = words(lang), Messages(lang)
    head = [w["case"], w["entity"], w["id"], w["name"], w["in_baseline"], w["consensus"]]
    head.append(w["outlier_region"])
    for rid in m.regions:
        name = m.region_names.get(rid, rid)
        head += [f"{name}: {w['state']}", f"{name}: {w['local_id']}", f"{name}: {w['detail']}"]
    out = [head]
    names = dict(m.result.cases)
    for row in m.rows:
        line = [
            names.get(row.case, row.case),
            w[row.entity],
            row.id or "",
            row.name,
            t("value.true") if row.in_baseline else t("value.false"),
            w[row.consensus],
            m.region_names.get(row.outlier, row.outlier) if row.outlier else "",
        ]
        for rid in m.regions:
            state, detail = cell_line(row, rid, t)
            line += [w[state], row.cells[rid].local_id or "", detail]
        out.append(line)
    return out


def render_csv(m: Matrix, lang: str = "sv") -> str:
    """Return CSV as Swedish Excel opens it: UTF-8 with BOM, ``;`` between fields.

    Headers and values are in the report's language (Swedish by default); the codes
    (states, consensus classes, kinds) are in the JSON matrix.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for line in _csv_rows(m, lang):
        writer.writerow([spreadsheet_text(v) for v in line])
    return "\ufeff" + buf.getvalue()


def render_xlsx(m: Matrix, lang: str) -> bytes:
    """Return the workbook: the matrix (one row per item) and a summary per case."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    w, t = words(lang), Messages(lang)
    wb = Workbook()
    ws = wb.active
    ws.title = w["matrix_sheet"]
    names = dict(m.result.cases)
    head = [w["case"], w["entity"], w["id"], w["name"], w["consensus"], w["outlier_region"]]
    head += [m.region_names.get(r, r) for r in m.regions]
    ws.append([spreadsheet_text(str(h)) for h in head])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    for row in m.rows:
        line = [
            names.get(row.case, row.case),
            w[row.entity],
            row.id or w["only_regions"],
            row.name,
            w[row.consensus],
            m.region_names.get(row.outlier, row.outlier) if row.outlier else "",
        ]
        shown = [cell_line(row, rid, t) for rid in m.regions]
        line += [w[state] + (f": {detail}" if detail else "") for state, detail in shown]
        ws.append([spreadsheet_text(str(v)) for v in line])
        r = ws.max_row
        for i, (state, _) in enumerate(shown):
            ws.cell(row=r, column=7 + i).fill = PatternFill("solid", fgColor=FILL[state])
    widths = [16, 12, 22, 36, 28, 18] + [34] * len(m.regions)
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for line in ws.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "E2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(ws.max_row, 1)}"
    ws.print_options.gridLines = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    summary = wb.create_sheet(w["summary_sheet"])
    summary.append(
        [
            w["case"],
            *(w[c] for c in CONSENSUS),
            *(
                spreadsheet_text(f"{w['outlier_region']}: {m.region_names.get(r, r)}")
                for r in m.regions
            ),
        ]
    )
    for cell in summary[1]:
        cell.font = Font(bold=True)
    counts, outliers = m.counts(), m.outliers()
    for cid, name in m.result.cases:
        summary.append(
            [
                spreadsheet_text(name),
                *(counts[cid][c] for c in CONSENSUS),
                *(outliers[cid][r] for r in m.regions),
            ]
        )
    for i in range(1, 5 + len(CONSENSUS) + len(m.regions)):
        summary.column_dimensions[get_column_letter(i)].width = 22
    legend_at = summary.max_row + 2
    summary.cell(row=legend_at, column=1, value=w["legend"]).font = Font(bold=True)
    for i, state in enumerate(SHOWN_STATES, start=1):
        c = summary.cell(row=legend_at + i, column=1, value=w[state])
        c.fill = PatternFill("solid", fgColor=FILL[state])
    summary.cell(row=legend_at + len(SHOWN_STATES) + 2, column=1, value=w["intro"])
    return _deterministic(wb, m.result.evaluated_on)


def _deterministic(wb: Any, day: str) -> bytes:
    """Save with the evaluation date as document date (same result, same bytes)."""
    import datetime as dt

    from cosmicdiff.io.spreadsheet import save_deterministic

    try:
        when = dt.datetime.fromisoformat(day) if day else dt.datetime(2000, 1, 1)
    except ValueError:
        when = dt.datetime(2000, 1, 1)
    return save_deterministic(wb, when)


def render_html(m: Matrix, lang: str, show_all: bool = False) -> str:
    """Return the printable, self-contained HTML page: the agreement heatmap, then per case
    the rows where a region deviates (every row with ``show_all``)."""
    from cosmicdiff.reports.charts.heatmap import matrix_agreement
    from cosmicdiff.reports.html import environment
    from cosmicdiff.reports.i18n import Messages

    t = Messages(lang)
    return (
        environment()
        .get_template("matrix.html.j2")
        .render(
            m=m,
            r=m.result,
            w=words(lang),
            t=t,
            lang="en" if lang == "en" else "sv",
            fill=FILL,
            mark=MARK,
            states=SHOWN_STATES,
            cell_line=lambda row, rid: cell_line(row, rid, Messages(lang)),
            consensus=CONSENSUS,
            show_all=show_all,
            agreement=matrix_agreement(m, words(lang), t("chart.agreement_title")),
        )
    )


def render_text(
    m: Matrix, lang: str, width: int = 100, color: bool = False, show_all: bool = False
) -> str:
    """Return the terminal view: per case a table of the rows that are not all the same."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from cosmicdiff.reports.terminal import safe

    w = words(lang)
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        color_system="standard" if color else None,
        force_terminal=color,
        no_color=not color,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
    console.print(
        Text(
            safe(
                f"{w['title']}: {with_version(m.result.baseline_name, m.result.baseline_version)}"
            ),
            style="bold",
        )
    )
    counts = m.counts()
    for cid, name in m.result.cases:
        rows: list[Row] = m.case_rows(cid)
        shown = [r for r in rows if show_all or r.consensus != "baseline"]
        table = Table(title=safe(f"{name} ({cid})"), title_justify="left", show_lines=False)
        table.add_column(w["item"])
        for rid in m.regions:
            table.add_column(safe(rid))
        table.add_column(w["consensus"])
        for row in shown:
            label = f"{w[row.entity]} {row.id or w['only_regions']}: {row.name}"
            cells = []
            for rid in m.regions:
                state = shown_state(row.cells[rid])
                cells.append(Text(safe(f"{MARK[state]} {w[state]}")))
            verdict = w[row.consensus] + (f": {row.outlier}" if row.outlier else "")
            table.add_row(Text(safe(label)), *cells, Text(safe(verdict)))
        console.print(table)
        tally = counts[cid]
        console.print(Text(safe("  " + ", ".join(f"{w[k]}: {tally[k]}" for k in CONSENSUS))))
        hidden = len(rows) - len(shown)
        if hidden:
            hidden_text = Messages(lang).count("count.items_hidden", hidden) + " (--all)"
            console.print(Text(safe("  " + hidden_text), style="dim"))
    return buf.getvalue()
