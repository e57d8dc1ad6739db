"""The matrix overview's heatmap: per case, how many items fall in each consensus class.

Rows are the cases, columns the consensus classes (all follow the baseline, the regions
agree against it, one region is the outlier, no agreement). Each square has its count and
its share of the case's items written on it; its shade (one hue, light to dark) is the share,
so the chart reads the same in grayscale and for colour-blind readers.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from cosmicdiff.reports.charts.figure import chart, to_svg
from cosmicdiff.workshop.matrix import CONSENSUS, Matrix

#: a share above this gets white text (the square is dark)
DARK = 0.55


@dataclass(frozen=True, slots=True)
class Agreement:
    """The counts to draw: one row per case, one column per consensus class."""

    title: str
    cases: Sequence[str]  # labels
    classes: Sequence[str]  # labels
    counts: Sequence[Sequence[int]]


def agreement_chart(data: Agreement) -> str:
    """Return the heatmap as an inline SVG element."""
    from matplotlib import colormaps

    cmap = colormaps["Blues"]
    shares = [[n / (sum(row) or 1) for n in row] for row in data.counts]
    n_rows, n_cols = len(data.cases), len(data.classes)
    # long class names ("regionerna eniga mot grundkonfigurationen") wrap over a few lines
    classes = [textwrap.fill(c, 20) for c in data.classes]
    extra = 0.14 * max((c.count("\n") for c in classes), default=0)
    with chart("agreement", 1.9 + 1.55 * n_cols, 0.45 + extra + 0.42 * max(1, n_rows)) as fig:
        ax = fig.subplots()
        # vector squares (pcolormesh), not an embedded bitmap (imshow)
        ax.pcolormesh(
            [[x - 0.5 for x in range(n_cols + 1)]] * (n_rows + 1),
            [[y - 0.5] * (n_cols + 1) for y in range(n_rows + 1)],
            shares,
            cmap=cmap,
            vmin=0.0,
            vmax=1.0,
            edgecolors="white",
            linewidth=2,
        )
        ax.set_ylim(n_rows - 0.5, -0.5)
        for i, row in enumerate(data.counts):
            for j, n in enumerate(row):
                share = shares[i][j]
                ax.text(
                    j,
                    i,
                    f"{n} ({share * 100:.0f} %)",
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color="white" if share > DARK else "black",
                )
        ax.set_xticks(range(n_cols), labels=classes, fontsize=8)
        ax.set_yticks(range(n_rows), labels=list(data.cases), fontsize=8.5)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        return to_svg(fig, "agreement", data.title)


def matrix_agreement(m: Matrix, words: Mapping[str, str], title: str) -> Markup:
    """Return the heatmap of a matrix ('' when it has no case), labels in people's words."""
    if not m.result.cases:
        return Markup("")
    counts = m.counts()
    data = Agreement(
        title=title,
        cases=[name for _, name in m.result.cases],
        classes=[words[c] for c in CONSENSUS],
        counts=[[counts[cid][c] for c in CONSENSUS] for cid, _ in m.result.cases],
    )
    # matplotlib writes the names as escaped XML text (tests/test_matrix_view.py)
    return Markup(agreement_chart(data))
