"""PDF: the HTML report printed to A4 by WeasyPrint (the optional ``pdf`` extra).

WeasyPrint is imported only here and only when a PDF is asked for; without it the user
gets one line naming the extra to install.
"""

from __future__ import annotations

from cosmicdiff.errors import ReportError
from cosmicdiff.reports.base import RenderContext
from cosmicdiff.reports.html import HtmlReporter
from cosmicdiff.result import Result

INSTALL_HINT = ("PDF output needs WeasyPrint: pip install 'cosmicdiff[pdf]' "
                "(it also needs the Pango library, e.g. apt-get install libpango-1.0-0)")


class PdfReporter:
    """Render the HTML report to PDF bytes."""

    media_type = "application/pdf"

    def render_bytes(self, result: Result, ctx: RenderContext) -> bytes:
        """Return the PDF document."""
        try:
            import weasyprint  # type: ignore[import-untyped]
        except (ImportError, OSError):
            raise ReportError(INSTALL_HINT) from None
        html = HtmlReporter().render(result, ctx)
        document = weasyprint.HTML(string=html, base_url=None)
        pdf: bytes = document.write_pdf(metadata={"title": f"cosmicdiff {result.baseline_id}"})
        return pdf
