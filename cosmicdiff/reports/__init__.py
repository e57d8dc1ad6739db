"""Output formats: one Reporter per format, registered explicitly.

Reporter modules are imported only when their format is asked for, so a JSON run never
pays for Jinja2 or rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from typing import Any

from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result.result import Result


class OutputFormat(StrEnum):
    """The formats ``compare --format`` and ``report --format`` write."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    SARIF = "sarif"
    GITLAB = "gitlab"
    HTML = "html"
    MARKDOWN = "markdown"
    PDF = "pdf"


#: Where each format's reporter lives (module, class).
_REGISTRY: dict[OutputFormat, tuple[str, str]] = {
    OutputFormat.TEXT: ("cosmicdiff.reports.terminal", "TerminalReporter"),
    OutputFormat.JSON: ("cosmicdiff.reports.json_report", "JsonReporter"),
    OutputFormat.JUNIT: ("cosmicdiff.reports.junit", "JUnitReporter"),
    OutputFormat.SARIF: ("cosmicdiff.reports.sarif", "SarifReporter"),
    OutputFormat.GITLAB: ("cosmicdiff.reports.gitlab", "GitLabReporter"),
    OutputFormat.HTML: ("cosmicdiff.reports.html", "HtmlReporter"),
    OutputFormat.MARKDOWN: ("cosmicdiff.reports.markdown", "MarkdownReporter"),
}
_BINARY: dict[OutputFormat, tuple[str, str]] = {
    OutputFormat.PDF: ("cosmicdiff.reports.pdf", "PdfReporter"),
}


class _LazyReporters(Mapping[OutputFormat, Any]):
    """A mapping of format to reporter class that imports each module on first use."""

    def __init__(self, registry: dict[OutputFormat, tuple[str, str]]) -> None:
        self._registry = registry

    def __getitem__(self, fmt: OutputFormat) -> Any:
        module, name = self._registry[fmt]
        return getattr(importlib.import_module(module), name)

    def __iter__(self) -> Iterator[OutputFormat]:
        return iter(self._registry)

    def __len__(self) -> int:
        return len(self._registry)


REPORTERS: Mapping[OutputFormat, type[Reporter]] = _LazyReporters(_REGISTRY)
#: Formats whose output is bytes, not text.
BINARY_REPORTERS: Mapping[OutputFormat, Any] = _LazyReporters(_BINARY)


def render(fmt: OutputFormat, result: Result, ctx: RenderContext) -> str | bytes:
    """Render ``result`` in ``fmt``: text for every format, bytes for PDF."""
    if fmt in BINARY_REPORTERS:
        data: bytes = BINARY_REPORTERS[fmt]().render_bytes(result, ctx)
        return data
    return REPORTERS[fmt]().render(result, ctx)


def render_chunks(fmt: OutputFormat, result: Result, ctx: RenderContext) -> Iterable[str | bytes]:
    """Render ``result`` in ``fmt`` as pieces to be written one after the other.

    The same output as :func:`render`; JSON comes in chunks, so a large result is never held
    as one text.
    """
    if fmt in BINARY_REPORTERS:
        return [render(fmt, result, ctx)]
    return REPORTERS[fmt]().chunks(result, ctx)


__all__ = ["OutputFormat", "REPORTERS", "BINARY_REPORTERS", "RenderContext", "Reporter",
           "render", "render_chunks"]
