"""Message catalogues for human-facing reports: Swedish (default) and English.

A key missing from a catalogue falls back to English; a key missing from English is a bug
that the tests catch (the catalogues must have the same keys).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("sv", "en")
#: the counts of a trend sentence, in order
TREND_COUNTS = ("new", "updated", "unchanged", "resolved")
#: a language tag as --lang takes it: sv, en, nb, nb-NO, de …
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def report_language(tag: str) -> str:
    """Return the report language for a --lang tag: its own if there is a catalogue, else en.

    ``--lang`` also chooses which translation of a name is compared (where an input format
    carries several); reports exist in Swedish and English only.
    """
    primary = tag.split("-", 1)[0].lower()
    return primary if primary in LANGUAGES else "en"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Return the catalogue of ``lang`` (one of LANGUAGES)."""
    text = resources.files(__package__).joinpath(f"{lang}.json").read_text(encoding="utf-8")
    data: dict[str, str] = json.loads(text)
    return data


class Messages:
    """Look up report texts in one language, with English fallback."""

    def __init__(self, lang: str = "sv") -> None:
        lang = report_language(lang)
        self.lang = lang
        self._own = catalogue(lang)
        self._en = catalogue("en")

    def __call__(self, key: str, **params: object) -> str:
        """Return the text for ``key`` with ``params`` filled in."""
        text = self._own.get(key) or self._en[key]
        return text.format(**params) if params else text

    def get(self, key: str, default: str) -> str:
        """Return the text for ``key`` (no parameters), or ``default`` when no catalogue has it."""
        return self._own.get(key) or self._en.get(key) or default

    def count(self, key: str, n: int, **params: object) -> str:
        """Return the text for ``n`` things with the right number: ``key.one`` or ``key.other``.

        Swedish and English both use the singular for exactly one ("1 undantagen",
        "2 undantagna"; "1 error", "2 errors").
        """
        return self(f"{key}.{'one' if n == 1 else 'other'}", n=n, **params)

    def field(self, name: str | None) -> str:
        """Return a changed field (``noteType``, ``mandatory`` …) in words ('' for none)."""
        return self.get(f"field.{name}", name) if name else ""

    def level(self, severity: str | None) -> str:
        """Return a gate or selection level in words: ``warning`` is "warnings and errors"."""
        return self.get(f"level.{severity}", severity) if severity else self("never")

    def rule_name(self, code: str, name: str) -> str:
        """Return a rule's name for people (a custom rule keeps its own ``name``)."""
        return self.get(f"rule_name.{code}", name)

    def counts(self, error: int, warning: int, info: int) -> str:
        """Return "3 fel / 1 varning / 0 info" with the right number for each."""
        return self(
            "counts_line",
            error=self.count("count.error", error),
            warning=self.count("count.warning", warning),
            info=self.count("count.info", info),
        )

    def summary(self, counts: Mapping[str, Any], fail_on: str | None) -> str:
        """Return the one-sentence summary of a result's counts (``Result.counts()``)."""
        sev = counts["by_severity"]
        return self(
            "summary_line",
            total=self.count("count.deviation", counts["total"]),
            error=self.count("count.error", sev["error"]),
            warning=self.count("count.warning", sev["warning"]),
            info=self.count("count.info", sev["info"]),
            waived=self.count("count.waived", counts["waived"]),
            gating=self.count("count.gating", counts["gating"], level=self.level(fail_on)),
        )

    def trend(self, source: str, date: str, counts: Mapping[str, int]) -> str:
        """Return the trend sentence: new, updated, unchanged and resolved since ``source``."""
        return self(
            "trend_line",
            source=source,
            date=date,
            **{k: self.count(f"count.{k}", counts[k]) for k in TREND_COUNTS},
        )

    def value(self, kind: str, value: str | None) -> str:
        """Return an expected/actual value for people: the words cosmicdiff itself writes.

        Data from the exports is shown as it is; only cosmicdiff's own vocabulary (hidden or
        shown, true or false, a status, the top level) is translated.
        """
        if value is None:
            return self("none")
        if kind in _VOCABULARY_KINDS:
            return self._own.get(f"value.{value}") or self._en.get(f"value.{value}") or value
        return value


_VOCABULARY_KINDS = frozenset(
    {"visibility_changed", "mandatory_changed", "status_changed", "moved"}
)


def score_pair(before: float | None, after: float | None, lang: str) -> tuple[str, str]:
    """Return a score then and now as the reports print them, for a list of changed scores.

    Scores print as whole percentages; two that differ but would print alike get as many
    decimals as tell them apart, up to three (``94,1 % → 94,4 %``, never ``94 % → 94 %``),
    with the language's decimal mark.
    """

    def text(value: float | None, digits: int) -> str:
        if value is None:
            return "–"
        shown = f"{value * 100:.{digits}f} %"
        return shown.replace(".", ",") if lang == "sv" else shown

    digits = 0
    first, second = text(before, digits), text(after, digits)
    while first == second and before != after and digits < 3:
        digits += 1
        first, second = text(before, digits), text(after, digits)
    return first, second
