"""Message catalogues for human-facing reports: Swedish (default) and English.

A key missing from a catalogue falls back to English; a key missing from English is a bug
that the tests catch (the catalogues must have the same keys).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

LANGUAGES = ("sv", "en")
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
