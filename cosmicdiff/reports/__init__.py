"""Output formats: one Reporter per format, registered explicitly."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.reports.gitlab import GitLabReporter
from cosmicdiff.reports.html import HtmlReporter
from cosmicdiff.reports.json_report import JsonReporter
from cosmicdiff.reports.junit import JUnitReporter
from cosmicdiff.reports.markdown import MarkdownReporter
from cosmicdiff.reports.pdf import PdfReporter
from cosmicdiff.reports.sarif import SarifReporter
from cosmicdiff.reports.terminal import TerminalReporter
from cosmicdiff.result import Result


class OutputFormat(StrEnum):
    """The formats ``compare --format`` writes."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    SARIF = "sarif"
    GITLAB = "gitlab"
    HTML = "html"
    MARKDOWN = "markdown"
    PDF = "pdf"


REPORTERS: Mapping[OutputFormat, type[Reporter]] = {
    OutputFormat.TEXT: TerminalReporter,
    OutputFormat.JSON: JsonReporter,
    OutputFormat.JUNIT: JUnitReporter,
    OutputFormat.SARIF: SarifReporter,
    OutputFormat.GITLAB: GitLabReporter,
    OutputFormat.HTML: HtmlReporter,
    OutputFormat.MARKDOWN: MarkdownReporter,
}

#: Formats whose output is bytes, not text.
BINARY_REPORTERS: Mapping[OutputFormat, type[PdfReporter]] = {OutputFormat.PDF: PdfReporter}


def render(fmt: OutputFormat, result: Result, ctx: RenderContext) -> str | bytes:
    """Render ``result`` in ``fmt``: text for every format, bytes for PDF."""
    if fmt in BINARY_REPORTERS:
        return BINARY_REPORTERS[fmt]().render_bytes(result, ctx)
    return REPORTERS[fmt]().render(result, ctx)


__all__ = ["OutputFormat", "REPORTERS", "BINARY_REPORTERS", "RenderContext", "Reporter",
           "render"]
