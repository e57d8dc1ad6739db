"""PDF: the HTML report printed to A4 by WeasyPrint (the optional ``pdf`` extra).

WeasyPrint is imported only here and only when a PDF is asked for; without it the user
gets one line naming the extra to install.
"""

from __future__ import annotations

import datetime as dt
import os

from cosmicdiff.errors import ReportError
from cosmicdiff.reports.base import RenderContext
from cosmicdiff.reports.html import HtmlReporter
from cosmicdiff.result.result import Result

#: cosmicdiff is on no package index: the hint names WeasyPrint itself (a published package)
#: or the pdf extra of the cosmicdiff release the user installed (README: Installing)
INSTALL_HINT = (
    "PDF output needs WeasyPrint where cosmicdiff is installed: pip install 'weasyprint>=60' "
    "(with pipx: pipx inject cosmicdiff 'weasyprint>=60'; or the pdf extra of your release, "
    "'cosmicdiff[pdf] @ git+REPOSITORY@TAG'), and the Pango library, "
    "e.g. apt-get install libpango-1.0-0"
)


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
        # WeasyPrint stamps the rendering time into the file unless SOURCE_DATE_EPOCH is set:
        # use the result's evaluation date so the same result gives the same PDF bytes
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = _epoch(result.evaluated_on)
        try:
            pdf: bytes = weasyprint.HTML(string=html, base_url=None).write_pdf()
        finally:
            if saved is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = saved
        return pdf


def _epoch(day: str) -> str:
    try:
        when = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=dt.UTC)
    except ValueError:
        when = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
    return str(int(when.timestamp()))
