"""Paths, a CLI runner that keeps stdout bytes, and small parsers for HTML and Markdown.

Fixtures live in conftest.py; this module holds what the test modules import directly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import lxml.html
import yaml
from typer.testing import CliRunner

from cosmicdiff.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
ESPIR = ROOT / "baselines" / "espir"
EXAMPLES = ROOT / "examples" / "regions"
REGIONS = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
MINI_BASELINE = FIXTURES / "baselines" / "mini"
MINI_COPY = FIXTURES / "regions" / "mini-copy"
HOSTILE = FIXTURES / "regions" / "ppl-hostile"
TODAY = "2026-11-23"
I18N = ROOT / "cosmicdiff" / "reports" / "i18n"
TEMPLATES = ROOT / "cosmicdiff" / "reports" / "templates"

#: the hostile strings of the ppl-hostile fixture, as the data holds them
HOSTILE_REGION_NAME = 'Region <script>alert(1)</script> "quotes" &amp; </style> |pipe| `tick`'
HOSTILE_EXTRA_NAME = "<script>alert(1)</script> |a|b| `x`"
HOSTILE_B_SO_4 = 'Skydd "quotes" &amp; </style>'
HOSTILE_B_SO_6 = "Bedömning |pipe| `tick`"
HOSTILE_B_JM_2 = 'Litium |pipe| `tick` "quotes" &amp;'
#: the hostile baseline (written to tmp_path by the fixture)
HOSTILE_BASELINE_NAME = 'Mini "q" \\ </style> <script>alert(1)</script>'
HOSTILE_CASE_NAME = "Psykiatri |pipe| <b>"
HOSTILE_CASE_ID = "dr|ugs<b>"


@dataclass
class Run:
    code: int
    stdout: str
    stdout_bytes: bytes
    stderr: str


def run(*args: str | Path) -> Run:
    """Run the CLI in-process; stdout is not a TTY (as in CI or a pipe)."""
    res = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return Run(
        res.exit_code, res.stdout_bytes.decode("utf-8", "replace"), res.stdout_bytes, res.stderr
    )


def compare_examples(*extra: str | Path) -> Run:
    """``cosmicdiff compare --baseline baselines/espir examples/regions/* --today … EXTRA``."""
    return run("compare", "--baseline", ESPIR, *REGIONS, "--today", TODAY, *extra)


def catalogue(lang: str) -> dict[str, str]:
    """Return a message catalogue as shipped (read from the file, not through cosmicdiff)."""
    data: dict[str, str] = json.loads((I18N / f"{lang}.json").read_text(encoding="utf-8"))
    return data


def load_yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def baseline_templates(folder: Path) -> dict[str, str]:
    """Return id -> name of every template in a baseline folder's model files."""
    out: dict[str, str] = {}
    for f in sorted(folder.glob("*.yaml")):
        doc = load_yaml(f)
        if isinstance(doc, dict):
            for t in doc.get("templates") or []:
                out[t["id"]] = t["name"]
    return out


# --- HTML --------------------------------------------------------------------------------


def html_doc(text: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(text)


def norm(text: str) -> str:
    """Collapse white space (HTML rendering does the same)."""
    return " ".join(text.split())


def texts(elements: list[lxml.html.HtmlElement]) -> list[str]:
    return [norm(e.text_content()) for e in elements]


def section(doc: lxml.html.HtmlElement, case_id: str) -> lxml.html.HtmlElement:
    found = doc.xpath(
        "//section[contains(concat(' ', @class, ' '), ' case ')][@id=$id]", id=f"case-{case_id}"
    )
    assert len(found) == 1, f"no single section for case {case_id!r}"
    return found[0]


def template_table(doc: lxml.html.HtmlElement, template_id: str) -> lxml.html.HtmlElement:
    """Return the side-by-side table that follows the h3 of a baseline template."""
    heads = [
        h
        for h in doc.iter("h3")
        if any(norm(s.text_content()) == template_id for s in h.find_class("ident"))
    ]
    assert len(heads) == 1, f"no single h3 for template {template_id}"
    table = heads[0].getnext()
    while table is not None and table.tag != "table":
        assert table.tag not in ("h2", "h3"), f"template {template_id} has no table"
        table = table.getnext()
    assert table is not None, f"template {template_id} has no table"
    return table


def header_cells(table: lxml.html.HtmlElement) -> list[str]:
    return texts(table.xpath("./thead/tr/th"))


def row_by_ident(table: lxml.html.HtmlElement, ident: str) -> lxml.html.HtmlElement:
    rows = [
        tr
        for tr in table.xpath("./tbody/tr")
        if any(norm(s.text_content()) == ident for s in tr[0].find_class("ident"))
    ]
    assert len(rows) == 1, f"no single row for {ident}"
    return rows[0]


def style_text(html: str) -> str:
    doc = html_doc(html)
    styles = doc.xpath("//style")
    assert len(styles) == 1
    return styles[0].text or ""


# --- Markdown ----------------------------------------------------------------------------


def md_cells(line: str) -> list[str]:
    """Split a GFM table row into cells: a backslash escapes the next character."""
    assert line.startswith("|") and line.rstrip().endswith("|"), line
    cells: list[str] = []
    current: list[str] = []
    i = 1
    body = line.rstrip()
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            current.append(body[i : i + 2])
            i += 2
            continue
        if ch == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(ch)
        i += 1
    assert not "".join(current).strip(), f"text after the last pipe: {line!r}"
    return cells


def md_tables(text: str) -> list[list[str]]:
    """Return every table (its consecutive lines starting with '|')."""
    tables: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append(line)
        elif current:
            tables.append(current)
            current = []
    if current:
        tables.append(current)
    return tables


def is_separator(line: str) -> bool:
    return bool(re.fullmatch(r"\|(\s*:?-{3,}:?\s*\|)+", line.strip()))


def render_markdown(text: str) -> lxml.html.HtmlElement:
    """Render Markdown as a merge-request page would (CommonMark, tables, raw HTML on)."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    return lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
