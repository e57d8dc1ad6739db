"""Message catalogues for human-facing reports: Swedish (default) and English.

A key missing from a catalogue falls back to English; a key missing from English is a bug
that the tests catch (the catalogues must have the same keys).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

LANGUAGES = ("sv", "en")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Return the catalogue of ``lang`` (one of LANGUAGES)."""
    text = resources.files(__package__).joinpath(f"{lang}.json").read_text(encoding="utf-8")
    data: dict[str, str] = json.loads(text)
    return data


class Messages:
    """Look up report texts in one language, with English fallback."""

    def __init__(self, lang: str = "sv") -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}")
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


_VOCABULARY_KINDS = frozenset({"visibility_changed", "mandatory_changed", "status_changed",
                               "moved"})
