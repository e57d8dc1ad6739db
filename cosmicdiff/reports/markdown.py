"""Markdown: a summary for a merge-request comment (GitLab, GitHub, Azure DevOps).

The region x case matrix, the most severe deviations, then every region's deviations in a
collapsed ``<details>`` block. Cells are escaped for tables and for the HTML that these
platforms render inside Markdown.

Sample::

    ## Avvikelserapport: eSPiR gemensam grundkonfiguration 2026.1
    | Region | Beslutsstöd för psykiatrin | Läkemedel | Remisshantering |
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import escape

from cosmicdiff.reports import paper
from cosmicdiff.reports.base import (
    RenderContext,
    Reporter,
    finding_label,
    has_version,
    with_version,
)
from cosmicdiff.reports.html import percent
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.term_text import readable_result
from cosmicdiff.reports.view import build_view
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Severity

TOP = 15
_MD_SPECIAL = str.maketrans(
    {
        "|": "\\|",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "\\": "\\\\",
    }
)


def md_cell(value: object) -> str:
    """Return text safe inside a Markdown table cell (no pipes, newlines or raw HTML)."""
    if value is None:
        return "–"
    text = " ".join(str(value).split())
    return text.translate(_MD_SPECIAL)


@cache
def environment() -> Environment:
    """Return the Jinja environment for Markdown (no HTML autoescaping; md_cell escapes)."""
    env = Environment(
        loader=PackageLoader("cosmicdiff.reports", "templates"),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md_cell"] = md_cell
    env.filters["html_text"] = lambda v: str(escape(" ".join(str(v).split())))
    env.globals["has_version"] = has_version
    env.globals["with_version"] = with_version
    env.globals["label"] = finding_label
    env.globals["baseline_text"] = paper.baseline_text
    env.globals["region_text"] = paper.region_text
    env.globals["expected_text"] = paper.expected_text
    env.globals["actual_text"] = paper.actual_text
    return env


def _rank(d: Finding) -> tuple[int, bool, tuple[str, ...]]:
    return (-(d.severity or Severity.INFO).rank, d.waived, d.sort_key())


class MarkdownReporter(Reporter):
    """Write the Markdown summary."""

    media_type = "text/markdown"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the Markdown text."""
        result = readable_result(result, ctx.lang)
        live = sorted((d for d in result.deviations if not d.waived), key=_rank)
        by_region: dict[str, list[Finding]] = defaultdict(list)
        for d in sorted(result.deviations, key=_rank):
            by_region[d.region].append(d)
        view = build_view(result, ctx.lang, list(ctx.filters))
        text = (
            environment()
            .get_template("report.md.j2")
            .render(
                r=result,
                view=view,
                t=Messages(ctx.lang),
                pct=percent,
                top=live[:TOP],
                more=max(0, len(live) - TOP),
                by_region=by_region,
            )
        )
        # collapse the blank lines that template control flow leaves behind
        lines: list[str] = []
        for line in text.splitlines():
            block_start = line.startswith(("|", "#", "<details>")) and not (
                lines and lines[-1].startswith("|") and line.startswith("|")
            )
            if block_start and lines and lines[-1].strip():
                lines.append("")
            if line.strip() or (lines and lines[-1].strip()):
                lines.append(line.rstrip())
        return "\n".join(lines).strip() + "\n"
