"""Render a trend (``cosmicdiff trend``): a self-contained HTML page with the chart and its
numbers in tables, or the chart alone as SVG or PNG for slides.

Deterministic like every report: the same results give the same bytes.
"""

from __future__ import annotations

from typing import Literal

from cosmicdiff import __version__
from cosmicdiff.reports.charts.trend import TrendTexts, trend_chart
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.workshop.trend import SEVERITIES, TrendSeries

TrendFormat = Literal["html", "svg", "png"]


def _texts(t: Messages) -> TrendTexts:
    return TrendTexts(
        title=t("trend_page.title"),
        score_axis=t("trend_page.score_axis"),
        open_title=t("trend_page.open_heading"),
        open_axis=t("trend_page.open_axis"),
        severities={s.value: t("severity." + s.value) for s in SEVERITIES},
    )


def signed_points(change: tuple[float, float] | None) -> str:
    """Return the change between two scores in percentage points, signed, from the
    percentages as printed (94 % to 95 % is +1); '–' when there is none."""
    if change is None:
        return "–"
    points = round(change[1] * 100) - round(change[0] * 100)
    return f"{points:+d}" if points else "±0"


def render_trend(series: TrendSeries, lang: str, fmt: TrendFormat) -> str | bytes:
    """Return the trend as an HTML page, an SVG file or PNG bytes."""
    t = Messages(lang)
    if fmt != "html":
        return trend_chart(series, _texts(t), fmt)
    from markupsafe import Markup

    from cosmicdiff.reports.charts.figure import CHART_CSS
    from cosmicdiff.reports.html import environment, percent

    chart = Markup(trend_chart(series, _texts(t), "inline"))
    return (
        environment()
        .get_template("trend.html.j2")
        .render(
            s=series,
            t=t,
            lang="en" if lang == "en" else "sv",
            chart=chart,
            chart_css=Markup(CHART_CSS),
            pct=percent,
            change=signed_points,
            tool_version=__version__,
            severities=[sv.value for sv in SEVERITIES],
        )
    )
