"""Show a deviation's codes in a decisions file in words of the file's language.

The identifying columns copied from a result hold cosmicdiff's codes (``type_changed``,
``warning``, ``keyword``, ``noteType``, ``hidden`` …); ``decisions apply`` matches rows and
pins waivers by them, so they stay codes in what the file keeps for reading back (the YAML
values, the workbook's hidden copy sheet). What a person reads shows them in the report's
words: the workbook's cells, and a comment beside each such value in YAML.
"""

from __future__ import annotations

from collections.abc import Mapping

from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.paper import heading_text

#: The read-only columns whose values are cosmicdiff's own codes or vocabulary.
CODED = ("kind", "severity", "entity", "field", "expected", "actual", "waived")
#: Where a row keeps the heading names of a moved item (from the result, not a column).
LABELS = {"expected": "expected_label", "actual": "actual_label"}
#: The column of the workbook's hidden copy sheet that keeps a coded column's code.
CODE_PREFIX = "code."


def shown_word(values: Mapping[str, str | None], key: str, m: Messages) -> str | None:
    """Return a column's value in words of ``m``'s language (data from the inputs as is)."""
    value = values.get(key)
    if value is None:
        return None
    kind = values.get("kind") or ""
    if key in ("kind", "severity", "entity"):
        return m.get(f"{key}.{value}", value)
    if key == "field":
        return m.field(value)
    if key in LABELS:
        if kind == "moved":
            label = values.get(LABELS[key])
            return heading_text(label, value, m, baseline=key == "expected")
        return m.value(kind, value)
    if key == "waived" and value == "yes":
        return m("value.true")
    return value
