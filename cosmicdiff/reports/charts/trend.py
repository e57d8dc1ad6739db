"""The trend chart: every region's score per case over the saved results, and the open
deviations by severity.

One panel per case (a line per region) and a last panel with a line per severity; panels in
rows of two, so the figure suits a slide. Lines differ in colour (Okabe–Ito), marker and
dash, and every point has its number written next to it, so the chart reads in grayscale.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from cosmicdiff.reports.charts.figure import (
    LINESTYLES,
    MARKERS,
    OKABE_ITO,
    SEVERITY_STYLES,
    chart,
    percent_label,
    style_axes,
    to_png,
    to_svg,
    to_svg_file,
)
from cosmicdiff.workshop.trend import SEVERITIES, TrendSeries

PANELS_PER_ROW = 2
#: the height of a point's number as a share of a score panel's height
LABEL_GAP = 0.065


@dataclass(frozen=True, slots=True)
class TrendTexts:
    """The words on the chart, in the report's language."""

    title: str
    score_axis: str
    open_title: str
    open_axis: str
    severities: Mapping[str, str]


def _score_panel(ax: Any, series: TrendSeries, case: str, label: str) -> None:
    xs = range(len(series.points))
    #: per point: the score in % of every region that has one
    at: list[list[float]] = [[] for _ in xs]
    for i, (region, name) in enumerate(series.regions):
        values = [series.score(p, region, case) for p in series.points]
        if all(v is None for v in values):
            continue
        ys = [v * 100 if v is not None else float("nan") for v in values]
        ax.plot(
            xs,
            ys,
            label=name,
            color=OKABE_ITO[i % len(OKABE_ITO)],
            marker=MARKERS[i % len(MARKERS)],
            linestyle=LINESTYLES[i % len(LINESTYLES)],
            linewidth=1.6,
            markersize=5,
        )
        for x, v in zip(xs, values, strict=True):
            if v is not None:
                at[x].append(v * 100)
    lows = [y for point in at for y in point]
    bottom = max(0.0, (min(lows, default=0.0) // 5) * 5 - 5)
    ax.set_ylim(bottom, 103)
    ticks = range(int(bottom), 101, 5 if bottom >= 70 else 10 if bottom >= 40 else 20)
    ax.set_yticks(list(ticks), labels=[f"{v} %" for v in ticks], fontsize=7.5)
    # the numbers beside each point, moved apart where lines run close (a label is about
    # LABEL_GAP of the axis high)
    gap = (103 - bottom) * LABEL_GAP
    for x, point in zip(xs, at, strict=True):
        placed = float("inf")
        for y in sorted(point, reverse=True):
            placed = min(y + gap * 0.6, placed - gap)
            ax.annotate(
                percent_label(y / 100),
                (x, y),
                xytext=(x + 0.06, placed),
                textcoords="data",
                va="center",
                fontsize=7,
                color="#222222",
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )
    ax.set_title(label, fontsize=10, loc="left")


def _open_panel(ax: Any, series: TrendSeries, texts: TrendTexts) -> None:
    xs = range(len(series.points))
    top = 0
    for sev in SEVERITIES:
        values = [p.open[sev.value] for p in series.points]
        top = max([top, *values])
        style = SEVERITY_STYLES[sev.value]
        ax.plot(
            xs,
            values,
            label=texts.severities[sev.value],
            color=style["color"],
            marker=style["marker"],
            linestyle=style["linestyle"],
            linewidth=1.6,
            markersize=5,
        )
        for x, v in zip(xs, values, strict=True):
            ax.annotate(str(v), (x, v), xytext=(5, 4), textcoords="offset points", fontsize=7)
    ax.set_ylim(0, max(1, top) * 1.45)
    ax.set_ylabel(texts.open_axis, fontsize=8)
    ax.set_title(texts.open_title, fontsize=10, loc="left")
    ax.legend(fontsize=7.5, frameon=False, loc="upper left", ncols=len(SEVERITIES))


def trend_chart(
    series: TrendSeries, texts: TrendTexts, fmt: Literal["inline", "svg", "png"]
) -> str | bytes:
    """Return the chart: an inline SVG element, a standalone SVG file or PNG bytes."""
    n_panels = len(series.cases) + 1
    cols = min(PANELS_PER_ROW, n_panels)
    rows = -(-n_panels // cols)
    n = len(series.points)
    width = min(13.0, max(8.0, 2.4 + 1.5 * n * cols))
    with chart("trend", width, 0.6 + 3.0 * rows) as fig:
        axes = fig.subplots(rows, cols, squeeze=False)
        flat = [ax for row in axes for ax in row]
        for ax, (case, label) in zip(flat, series.cases, strict=False):
            _score_panel(ax, series, case, label)
            ax.set_ylabel(texts.score_axis, fontsize=8)
        _open_panel(flat[len(series.cases)], series, texts)
        for ax in flat[:n_panels]:
            style_axes(ax)
            ax.set_xticks(range(n), labels=[p.label for p in series.points], fontsize=7.5)
            ax.set_xlim(-0.3, n - 0.4)
            ax.grid(axis="y", color="#dddddd", linewidth=0.5)
            if any(len(p.label) > 12 for p in series.points) and n > 2:
                ax.tick_params(axis="x", labelrotation=20)
        for ax in flat[n_panels:]:
            ax.set_visible(False)
        handles, labels = flat[0].get_legend_handles_labels()
        if handles:
            fig.legend(
                handles,
                labels,
                loc="outside lower center",
                ncols=min(4, len(labels)),
                frameon=False,
                fontsize=8.5,
            )
        if fmt != "inline":  # the page has the title as its heading
            fig.suptitle(texts.title, fontsize=12, x=0.01, ha="left")
        if fmt == "png":
            return to_png(fig)
        if fmt == "svg":
            return to_svg_file(fig, "trend")
        return to_svg(fig, "trend", texts.title)
