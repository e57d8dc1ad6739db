"""The words of the workshop paper: values as people say them, and per-region decisions.

The baseline column states the baseline's value neutrally (``namn: Läkemedelsgenomgång``,
``position 7``, ``status aktiv``); the deviation's wording (``annat namn``) belongs to the
region columns only. A moved item is named by its headings (``under rubriken Psykiskt
status`` → ``under Anamnes``), not by the ids of its paths, which stay in JSON and SARIF.
Each finding has a short reference (:attr:`Finding.ref`) that the paper prints in the
region's decision cell and the decisions sheet shows in its first column.
"""

from __future__ import annotations

from cosmicdiff.reports.i18n import Messages
from cosmicdiff.result.finding import Finding

#: the kinds whose baseline value the paper states with a word of its own
STATED = frozenset(
    {
        "renamed",
        "type_changed",
        "unit_changed",
        "binding_changed",
        "valuelist_changed",
        "order_changed",
        "status_changed",
        "visibility_changed",
    }
)


def heading_text(label: str | None, value: str | None, t: Messages, *, baseline: bool) -> str:
    """Return where a moved item stands in words: under which heading, or at the top level."""
    if label == "" or value == "(top level)":
        return t("paper.top_level")
    key = "paper.under_heading" if baseline else "paper.under"
    return t(key, value=label if label else t.value("moved", value))


def baseline_text(
    kind: str, field: str | None, value: str | None, label: str | None, t: Messages
) -> str:
    """Return the baseline's value for the baseline column, stated neutrally."""
    if kind == "moved":
        return heading_text(label, value, t, baseline=True)
    shown = t.value(kind, value)
    if kind in STATED:
        return t("paper.baseline." + kind, value=shown)
    if kind == "mandatory_changed" and field in ("mandatory", "repeatable"):
        return t("paper.baseline." + field, value=shown)
    if field:
        return t("paper.baseline.field", field=t.field(field), value=shown)
    return shown


def region_text(d: Finding, t: Messages) -> str:
    """Return the region's value of a finding for its column (what the region has instead)."""
    kind = d.kind.value
    if kind == "moved":
        return heading_text(d.actual_label, d.actual, t, baseline=False)
    if kind == "order_changed":
        return t("paper.baseline.order_changed", value=d.actual)
    return t.value(kind, d.actual)


def expected_text(d: Finding, t: Messages) -> str:
    """Return a finding's expected value for a table column (headings for a moved item)."""
    if d.kind.value == "moved":
        return heading_text(d.expected_label, d.expected, t, baseline=True)
    return t.value(d.kind.value, d.expected)


def actual_text(d: Finding, t: Messages) -> str:
    """Return a finding's actual value for a table column (headings for a moved item)."""
    if d.kind.value == "moved":
        return heading_text(d.actual_label, d.actual, t, baseline=False)
    return t.value(d.kind.value, d.actual)
