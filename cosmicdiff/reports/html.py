"""HTML: one self-contained, printable report per run (inline CSS, no CDN, no web fonts).

A cover, the region x case overview, one chapter per case with one side-by-side table per
template (baseline and every region, a decision column for the workshop), the case's
catalogue deviations, and a glossary of rule codes. Everything from an input is escaped.
The ``pdf`` format renders this same HTML with WeasyPrint.

Sample::

    <!DOCTYPE html><html lang="sv"> … <h1>Avvikelserapport: eSPiR … 2026.1</h1> …
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from cosmicdiff.reports import paper
from cosmicdiff.reports.base import (
    RenderContext,
    Reporter,
    finding_label,
    has_version,
    with_version,
)
from cosmicdiff.reports.charts.figure import CHART_CSS
from cosmicdiff.reports.charts.overview import overview_chart
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.term_text import readable_result
from cosmicdiff.reports.view import build_view
from cosmicdiff.result.result import Result


def css_string(value: object) -> Markup:
    """Return ``value`` as a quoted CSS string that cannot end the string or the style block."""
    out = []
    for ch in str(value):
        if ch.isalnum() or ch in " .,-_()/:;'!?" or ord(ch) > 127:
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return Markup('"' + "".join(out) + '"')


def percent(value: float | None) -> str:
    """Return a score as a whole percentage."""
    return "–" if value is None else f"{value * 100:.0f} %"


@cache
def environment() -> Environment:
    """Return the Jinja environment: autoescaping for ``*.html.j2``, strict undefined."""
    env = Environment(
        loader=PackageLoader("cosmicdiff.reports", "templates"),
        # select_autoescape matches with endswith, so it must name "html.j2", not "html"
        autoescape=select_autoescape(["html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["css_string"] = css_string
    env.globals["has_version"] = has_version
    env.globals["with_version"] = with_version
    env.globals["label"] = finding_label
    env.globals["baseline_text"] = paper.baseline_text
    env.globals["region_text"] = paper.region_text
    env.globals["expected_text"] = paper.expected_text
    env.globals["actual_text"] = paper.actual_text
    env.globals["overview_chart"] = overview_chart
    env.globals["chart_css"] = Markup(CHART_CSS)
    return env


def render_template(name: str, result: Result, ctx: RenderContext, **extra: Any) -> str:
    """Render a report template with the view of ``result`` (bindings readable: term_text)."""
    result = readable_result(result, ctx.lang)
    view = build_view(result, ctx.lang, list(ctx.filters))
    t = Messages(ctx.lang)
    return (
        environment()
        .get_template(name)
        .render(r=result, view=view, t=t, lang=ctx.lang, pct=percent, **extra)
    )


class HtmlReporter(Reporter):
    """Write the printable HTML report."""

    media_type = "text/html"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the HTML document."""
        return render_template("report.html.j2", result, ctx)
