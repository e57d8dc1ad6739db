"""Matplotlib, set up once per chart so that the same numbers give the same bytes.

matplotlib is imported here only, and only when a chart is drawn (``compare --format
text`` never pays for it). No pyplot and no backend switch: a ``Figure`` is made directly
and saved through its own SVG or Agg canvas, so nothing global changes.

Deterministic output: the SVG's ids come from a fixed salt (one per chart, so two charts in
one page never share an id), its text stays text (``svg.fonttype = "none"``: no glyph
outlines, which would depend on the installed DejaVu version), and its metadata (date,
creator) is left out. PNGs carry no software stamp. ``$`` in a name is text, never math.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: the Okabe–Ito palette (safe for the common colour-vision deficiencies)
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
#: markers and line styles that tell lines apart in grayscale print
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
LINESTYLES = ("-", "--", "-.", ":")
#: fills and hatches of bar series (after waivers, raw, reference), readable without colour
BAR_STYLES = (
    {"color": "#0072B2", "hatch": "", "edgecolor": "#003a5c"},
    {"color": "#E69F00", "hatch": "///", "edgecolor": "#5c4000"},
    {"color": "#FFFFFF", "hatch": "...", "edgecolor": "#444444"},
)
#: severities: the colours of the HTML report's words, and distinct markers and dashes
SEVERITY_STYLES = {
    "error": {"color": "#b00020", "marker": "X", "linestyle": "-"},
    "warning": {"color": "#8a5a00", "marker": "s", "linestyle": "--"},
    "info": {"color": "#1f4e79", "marker": "o", "linestyle": ":"},
}
#: the fonts a browser or WeasyPrint uses for the chart's text (matplotlib measures with
#: DejaVu Sans, which it ships)
FONT_STACK = '"DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif'

_RC: dict[str, Any] = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 9.0,
    "text.parse_math": False,
    "text.usetex": False,
    "axes.unicode_minus": False,
    "hatch.linewidth": 0.8,
    "path.simplify": False,
    "svg.image_inline": True,
}


def _rc(name: str) -> Any:
    """Return the settings of one chart: ``name`` salts the ids of its SVG."""
    return {**_RC, "svg.hashsalt": f"cosmicdiff-{name}"}


@contextmanager
def chart(name: str, width: float, height: float) -> Iterator[Figure]:
    """Yield a new figure (inches) with the deterministic settings; ``name`` salts its ids."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_rc(name)):
        yield Figure(figsize=(width, height), layout="constrained")


_XML_HEAD = re.compile(r"\A<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
#: matplotlib names its font in every text's style; the page's CSS gives the font stack
_STYLE_FONT = re.compile(r"font-family: [^;\"]*;? ?")
#: the ids of matplotlib's groups (figure_1, axes_1 …) are never referenced and would repeat
#: in a page with two charts; the ids it references (clip paths, markers) are salted hashes
_GROUP_ID = re.compile(r'<g id="[^"]*"')
_NAMESPACES = re.compile(r' xmlns(:xlink)?="[^"]*"')
_SVG_STYLE = re.compile(r"\s*<style type=\"text/css\">[^<]*</style>")
#: the page CSS an inline chart needs (the rule matplotlib puts in each SVG, scoped)
CHART_CSS = (
    "svg.chart * { stroke-linejoin: round; stroke-linecap: butt; }\n"
    f"svg.chart text {{ font-family: {FONT_STACK}; }}\n"
)


def to_svg(fig: Figure, name: str, title: str) -> str:
    """Return the figure as an SVG element for inline use in HTML (no XML head, no metadata).

    ``title`` (plain text) becomes the element's accessible name; it is escaped here.
    """
    import matplotlib
    from markupsafe import escape

    buf = io.StringIO()
    with matplotlib.rc_context(_rc(name)):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = _METADATA.sub("", _XML_HEAD.sub("", buf.getvalue()))
    svg = _GROUP_ID.sub("<g", _STYLE_FONT.sub("", svg))
    # inside HTML an <svg> needs no namespace declarations, and SVG 2's href replaces
    # xlink:href: the page names no URL at all
    svg = _NAMESPACES.sub("", svg).replace("xlink:href=", "href=")
    # its one style rule would apply to the whole page: the page's CSS has it, scoped
    svg = _SVG_STYLE.sub("", svg)
    svg = svg.replace(
        "<svg ",
        f'<svg class="chart chart-{name}" role="img" aria-label="{escape(title)}" ',
        1,
    )
    return svg.strip() + "\n"


def to_png(fig: Figure, dpi: int = 150) -> bytes:
    """Return the figure as PNG bytes without a software stamp."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def to_svg_file(fig: Figure, name: str) -> str:
    """Return the figure as a standalone SVG file (for slides), deterministic."""
    import matplotlib

    buf = io.StringIO()
    with matplotlib.rc_context(_rc(name)):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return _METADATA.sub("", buf.getvalue())


def percent_label(value: float) -> str:
    """Return a score as the reports print it: a whole percentage."""
    return f"{value * 100:.0f} %"


def style_axes(ax: Any) -> None:
    """Return nothing; give an axes the quiet look of the reports (no top/right spines)."""
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(length=3, color="#555555")
