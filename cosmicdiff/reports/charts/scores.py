"""The overview chart of a people's report: harmonisation per region x case.

One panel per case (three panels a row), in each a horizontal bar per region for the score
after waivers (solid) and the raw score (hatched), and with ``compare --reference`` a third
bar for the reference's score (dotted outline). Every bar has its percentage written at
its end, so the chart reads in grayscale and without colour vision; the axis runs from 0 to
100 % so that bars are honest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cosmicdiff.reports.charts.figure import BAR_STYLES, chart, percent_label, style_axes, to_svg

PANELS_PER_ROW = 3
#: the most a chart may be high (inches): what an A4 landscape page holds below a heading
MAX_HEIGHT = 6.2


@dataclass(frozen=True, slots=True)
class ScoreBars:
    """What the overview chart shows: regions, cases and their scores (0..1 or None)."""

    title: str
    regions: Sequence[tuple[str, str]]  # (id, label)
    cases: Sequence[tuple[str, str]]  # (id, label)
    #: series label and its scores by region and case, in drawing order (after waivers,
    #: raw, reference)
    series: Sequence[tuple[str, dict[str, dict[str, float | None]]]]


def score_chart(data: ScoreBars) -> str:
    """Return the chart as inline SVG: one element, or one per page's worth of panel rows
    when the regions and cases are many (a printed page never cuts a chart)."""
    n_regions = max(1, len(data.regions))
    n_series = max(1, len(data.series))
    # the bars of a region share this much height (inches); many regions get thinner bars
    region_height = min(0.14 * n_series + 0.12, (MAX_HEIGHT - 1.25) / n_regions)
    row_height = 0.75 + region_height * n_regions
    per_figure = max(1, int((MAX_HEIGHT - 0.5) // row_height)) * PANELS_PER_ROW
    cases = list(data.cases)
    # every figure has as many columns as the first, so panels are alike on every page
    cols = min(PANELS_PER_ROW, max(1, len(cases)))
    chunks = [cases[i : i + per_figure] for i in range(0, max(1, len(cases)), per_figure)]
    return "".join(
        _figure(data, chunk, region_height, "scores" if n == 0 else f"scores-{n + 1}", cols)
        for n, chunk in enumerate(chunks)
    )


def _figure(
    data: ScoreBars, cases: list[tuple[str, str]], region_height: float, name: str, cols: int
) -> str:
    n_cases = max(1, len(cases))
    rows = -(-n_cases // cols)
    n_series = max(1, len(data.series))
    bar = 0.8 / n_series
    height = rows * (0.75 + region_height * max(1, len(data.regions))) + 0.5
    width = 10.4
    labels = [label for _, label in data.regions]
    with chart(name, width, height) as fig:
        axes = fig.subplots(rows, cols, squeeze=False, sharex=True, sharey=True)
        for index, (case_id, case_label) in enumerate(cases):
            ax = axes[index // cols][index % cols]
            style_axes(ax)
            ax.set_title(case_label, fontsize=10, loc="left", wrap=True)
            for s, (series_label, values) in enumerate(data.series):
                style = BAR_STYLES[s % len(BAR_STYLES)]
                ys, widths = [], []
                for r, (region_id, _) in enumerate(data.regions):
                    value = values.get(region_id, {}).get(case_id)
                    if value is None:
                        continue
                    ys.append(r + (s - (n_series - 1) / 2) * bar)
                    widths.append(value * 100)
                bars = ax.barh(
                    ys,
                    widths,
                    height=bar * 0.92,
                    label=series_label,
                    color=style["color"],
                    hatch=style["hatch"],
                    edgecolor=style["edgecolor"],
                    linewidth=0.6,
                )
                ax.bar_label(
                    bars,
                    labels=[percent_label(w / 100) for w in widths],
                    padding=2,
                    fontsize=7.5,
                )
            ax.set_yticks(range(len(labels)), labels=labels)
            ax.tick_params(axis="y", labelleft=index % cols == 0, length=0)
            ax.set_ylim(len(labels) - 0.5, -0.5)
            ax.set_xlim(0, 119)
            ax.set_xticks([0, 50, 100], labels=["0", "50", "100 %"])
            ax.grid(axis="x", color="#cccccc", linewidth=0.5)
            ax.set_axisbelow(True)
        for index in range(len(cases), rows * cols):
            axes[index // cols][index % cols].set_visible(False)
        handles, legend_labels = axes[0][0].get_legend_handles_labels()
        fig.legend(
            handles,
            legend_labels,
            loc="outside lower center",
            ncols=len(legend_labels),
            frameon=False,
            fontsize=8.5,
        )
        return to_svg(fig, name, data.title)
