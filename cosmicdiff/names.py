"""Names as people write them and as cosmicdiff compares them.

Two names are the same when they are equal after Unicode NFC and white-space collapsing
(``same_text``); items are matched by name on a case-folded key (``name_key``).
"""

from __future__ import annotations

import unicodedata


def normalise_text(text: str | None) -> str:
    """Return ``text`` in NFC with runs of white space collapsed and ends stripped."""
    if text is None:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())


def same_text(a: str | None, b: str | None) -> bool:
    """Return True when two texts are equal after normalisation (fast when equal as written)."""
    return a == b or normalise_text(a) == normalise_text(b)


#: name -> its matching key: a region's names are mostly the baseline's, written alike, and
#: the baseline's keys (made before the workers fork) serve every region
_NAME_KEYS: dict[str, str] = {}
#: past this many names the memo starts again (a library caller may compare for ever)
_NAME_KEYS_MAX = 1 << 18


def name_key(text: str | None) -> str:
    """Return the matching key of a name: NFC, collapsed white space, case-folded."""
    if text is None:
        return ""
    key = _NAME_KEYS.get(text)
    if key is None:
        if len(_NAME_KEYS) >= _NAME_KEYS_MAX:
            _NAME_KEYS.clear()
        key = _NAME_KEYS[text] = unicodedata.normalize("NFC", normalise_text(text).casefold())
    return key
