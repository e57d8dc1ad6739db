"""Render the N-way matrix: terminal, JSON, CSV, XLSX (for facilitators' spreadsheets), HTML.

Every format renders from a Matrix alone and is deterministic: the same result gives the
same bytes (the XLSX too: its document dates are the evaluation date and its zip entries
carry a fixed timestamp). Texts for people are Swedish by default, English with
``lang="en"``; identifiers and the JSON/CSV column names stay English.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from cosmicdiff.io.spreadsheet import spreadsheet_text
from cosmicdiff.reports.base import with_version
from cosmicdiff.workshop.matrix import CONSENSUS, STATES, Matrix, Row

#: people's words for states and consensus classes
WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "same": "lika",
        "deviates": "avviker",
        "missing": "saknas",
        "waived": "undantag",
        "extra": "finns",
        "absent": "finns ej",
        "not_compared": "ej jämförd",
        "baseline": "alla följer baslinjen",
        "regions": "regionerna eniga mot baslinjen",
        "outlier": "en region avviker",
        "none": "ingen enighet",
        "template": "mall",
        "keyword": "sökord",
        "valuelist": "värdelista",
        "term": "term",
        "title": "Regionmatris",
        "case": "Fall",
        "item": "Objekt",
        "consensus": "Samstämmighet",
        "entity": "Typ",
        "id": "Id",
        "name": "Namn",
        "outlier_region": "Avvikande region",
        "only_regions": "(bara i regioner)",
        "summary": "Sammanfattning",
        "legend": "Förklaring",
        "evaluated": "Utvärderad",
        "baseline_word": "Baslinje",
        "rows_hidden": "{n} objekt där alla regioner följer baslinjen visas inte "
        "(--all visar dem).",
        "intro": "Varje rad är ett objekt i fallet, varje kolumn en region. Samstämmighet: "
        "följer alla baslinjen, är regionerna eniga mot baslinjen (kandidat till "
        "ändring av baslinjen), avviker en enda region, eller finns ingen enighet.",
        "matrix_sheet": "Matris",
        "summary_sheet": "Sammanfattning",
    },
    "en": {
        "same": "same",
        "deviates": "deviates",
        "missing": "missing",
        "waived": "waived",
        "extra": "has it",
        "absent": "absent",
        "not_compared": "not compared",
        "baseline": "all follow the baseline",
        "regions": "regions agree, not the baseline",
        "outlier": "one region is the outlier",
        "none": "no agreement",
        "template": "template",
        "keyword": "keyword",
        "valuelist": "value list",
        "term": "term",
        "title": "Region matrix",
        "case": "Case",
        "item": "Item",
        "consensus": "Consensus",
        "entity": "Type",
        "id": "Id",
        "name": "Name",
        "outlier_region": "Outlier",
        "only_regions": "(regions only)",
        "summary": "Summary",
        "legend": "Legend",
        "evaluated": "Evaluated",
        "baseline_word": "Baseline",
        "rows_hidden": "{n} items where every region follows the baseline are not shown "
        "(--all shows them).",
        "intro": "Each row is an item of the case, each column a region. Consensus: do all "
        "follow the baseline, do the regions agree with each other against it (a "
        "candidate baseline change), is one region the outlier, or is there no "
        "agreement.",
        "matrix_sheet": "Matrix",
        "summary_sheet": "Summary",
    },
}
#: cell fills for spreadsheets and HTML (light enough to print in black and white)
FILL = {
    "same": "E3F1E3",
    "deviates": "FFF3CD",
    "missing": "F8D7DA",
    "waived": "E8E8E8",
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
    "extra": "+",
    "absent": " ",
    "not_compared": "?",
}


def words(lang: str) -> dict[str, str]:
    """Return the people's words for a report language (sv or en)."""
    return WORDS["en" if lang == "en" else "sv"]


def render_json(m: Matrix) -> str:
    """Return the JSON document."""
    return json.dumps(m.to_json(), ensure_ascii=False, indent=2) + "\n"


def _csv_rows(m: Matrix) -> list[list[str]]:
    head = ["case", "entity", "id", "name", "in_baseline", "consensus", "outlier"]
    for rid in m.regions:
        head += [f"{rid}.state", f"{rid}.local_id", f"{rid}.detail"]
    out = [head]
    for row in m.rows:
        line = [
            row.case,
            row.entity,
            row.id or "",
            row.name,
            "yes" if row.in_baseline else "no",
            row.consensus,
            row.outlier or "",
        ]
        for rid in m.regions:
            c = row.cells[rid]
            line += [c.state, c.local_id or "", c.summary()]
        out.append(line)
    return out


def render_csv(m: Matrix) -> str:
    """Return CSV as Swedish Excel opens it: UTF-8 with BOM, ``;`` between fields."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for line in _csv_rows(m):
        writer.writerow([spreadsheet_text(v) for v in line])
    return "\ufeff" + buf.getvalue()


def render_xlsx(m: Matrix, lang: str) -> bytes:
    """Return the workbook: the matrix (one row per item) and a summary per case."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    w = words(lang)
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
        for rid in m.regions:
            c = row.cells[rid]
            detail = c.summary()
            line.append(w[c.state] + (f": {detail}" if detail and c.state != "extra" else ""))
        ws.append([spreadsheet_text(str(v)) for v in line])
        r = ws.max_row
        for i, rid in enumerate(m.regions):
            state = row.cells[rid].state
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
    for i, state in enumerate(STATES, start=1):
        c = summary.cell(row=legend_at + i, column=1, value=w[state])
        c.fill = PatternFill("solid", fgColor=FILL[state])
    summary.cell(row=legend_at + len(STATES) + 2, column=1, value=w["intro"])
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
            states=STATES,
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
                c = row.cells[rid]
                cells.append(Text(safe(f"{MARK[c.state]} {w[c.state]}")))
            verdict = w[row.consensus] + (f": {row.outlier}" if row.outlier else "")
            table.add_row(Text(safe(label)), *cells, Text(safe(verdict)))
        console.print(table)
        tally = counts[cid]
        console.print(Text(safe("  " + ", ".join(f"{w[k]}: {tally[k]}" for k in CONSENSUS))))
        hidden = len(rows) - len(shown)
        if hidden:
            console.print(Text(safe("  " + w["rows_hidden"].format(n=hidden)), style="dim"))
    return buf.getvalue()
