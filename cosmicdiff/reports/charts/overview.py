"""The overview chart of the HTML (and PDF) report, from the report's view.

Called from the report template, so matplotlib is imported only when an HTML or PDF report
is written (never for text, JSON or Markdown).
"""

from __future__ import annotations

from markupsafe import Markup

from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.view import ReportView


def overview_chart(view: ReportView, t: Messages) -> Markup:
    """Return the inline SVG of harmonisation per region x case ('' without any score)."""
    from cosmicdiff.reports.charts.scores import ScoreBars, score_chart

    result = view.result
    compared = [r for r in view.regions if r.compared]
    after: dict[str, dict[str, float | None]] = {}
    raw: dict[str, dict[str, float | None]] = {}
    for region in compared:
        after[region.id] = {c: m.score for c, m in view.matrix[region.id].items()}
        raw[region.id] = {c: m.raw for c, m in view.matrix[region.id].items()}
    if not any(v is not None for cases in after.values() for v in cases.values()):
        return Markup("")
    series: list[tuple[str, dict[str, dict[str, float | None]]]] = [
        (t("chart.after_waivers"), after),
        (t("chart.raw"), raw),
    ]
    if result.trend is not None:
        before: dict[str, dict[str, float | None]] = {
            r.id: dict(result.trend.harmonisation.get(r.id, {})) for r in compared
        }
        series.append((t("chart.reference", date=result.trend.evaluated_on), before))
    data = ScoreBars(
        title=t("chart.scores_title"),
        regions=[(r.id, r.name or r.id) for r in compared],
        cases=list(result.cases),
        series=series,
    )
    # matplotlib writes the names as escaped XML text (tests/reports_people/test_charts.py)
    return Markup(score_chart(data))
