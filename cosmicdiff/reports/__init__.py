"""Output formats: one Reporter per format, registered explicitly.

The formats themselves (``OutputFormat``, with their suffixes and audience) are defined once in
``cosmicdiff.vocabulary``; this module only says where each one's reporter lives.

Reporter modules are imported only when their format is asked for, so a JSON run never
pays for Jinja2 or rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import OutputFormat

#: Where each format's reporter lives (module, class): every format ``compare`` and ``report``
#: write (vocabulary.REPORT_FORMATS), and no other.
_MODULES: dict[OutputFormat, tuple[str, str]] = {
    OutputFormat.TEXT: ("cosmicdiff.reports.terminal", "TerminalReporter"),
    OutputFormat.JSON: ("cosmicdiff.reports.json_report", "JsonReporter"),
    OutputFormat.JUNIT: ("cosmicdiff.reports.junit", "JUnitReporter"),
    OutputFormat.SARIF: ("cosmicdiff.reports.sarif", "SarifReporter"),
    OutputFormat.GITLAB: ("cosmicdiff.reports.gitlab", "GitLabReporter"),
    OutputFormat.HTML: ("cosmicdiff.reports.html", "HtmlReporter"),
    OutputFormat.MARKDOWN: ("cosmicdiff.reports.markdown", "MarkdownReporter"),
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


REPORTERS: Mapping[OutputFormat, type[Reporter]] = _LazyReporters(
    {f: where for f, where in _MODULES.items() if not f.traits.binary}
)
#: Formats whose output is bytes, not text.
BINARY_REPORTERS: Mapping[OutputFormat, Any] = _LazyReporters(
    {f: where for f, where in _MODULES.items() if f.traits.binary}
)


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


__all__ = [
    "OutputFormat",
    "REPORTERS",
    "BINARY_REPORTERS",
    "RenderContext",
    "Reporter",
    "render",
    "render_chunks",
]
