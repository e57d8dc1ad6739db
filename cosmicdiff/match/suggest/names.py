"""Judge how alike two item names are, and find the pairs whose names may be alike enough.

Names are compared as words of the normalised name (``name_key``), an abbreviation keeping
its full stop so that it can be expanded against the other name. rapidfuzz does the string
work at C speed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from rapidfuzz import fuzz, process

from cosmicdiff.model import name_key

_TOKEN = re.compile(r"[<>]?\w+\.?")
#: Least rapidfuzz ratio (0-100) of a pair whose names contain an abbreviation (``bed.``),
#: and least partial_ratio of a pair where one name begins the other, for it to be scored.
_LENIENT_CUTOFF = 40.0
_PARTIAL_CUTOFF = 90.0
#: Highest name similarity of two names that are equal only once an abbreviation is expanded.
_GUESS_CAP = 0.95


@lru_cache(maxsize=1 << 16)
def _tokens(name: str) -> tuple[str, ...]:
    """Return the words of a normalised name; an abbreviation keeps its full stop."""
    return tuple(_TOKEN.findall(name_key(name)))


def _expand(tokens: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """Replace abbreviations (``läk.``) by the other name's word they begin (``läkare``)."""
    full = [t for t in other if not t.endswith(".")]
    out = []
    for tok in tokens:
        stem = tok[:-1] if tok.endswith(".") else None
        if stem and len(stem) >= 2:
            tok = next((f for f in full if f.startswith(stem) and len(f) > len(stem)), stem)
        out.append(tok.rstrip("."))
    return tuple(out)


def name_similarity(local: str, base: str) -> float:
    """Return how alike two names are, in [0, 1].

    Both names are normalised (NFC, case-folded, white space collapsed) and split into words;
    an abbreviated word (``bed.``) is expanded to the other name's word that it begins. The
    similarity is the higher of rapidfuzz's ``ratio`` (normalised Indel similarity of the
    words as written) and ``token_sort_ratio`` (the same on the words sorted, so that
    reordered words still match; alone it loses when a typo moves a word in the sort order,
    ``aptientens`` for ``patientens``). When one name is the other with words added at the
    end (``Krisplan`` ~ ``Krisplan, vänster``: a qualifier added or dropped), it is at least
    0.8 plus 0.2 times the share of the longer name that the shorter one covers. An expanded
    abbreviation is a guess, so such a pair scores at most 0.95. ``WRatio``
    was measured and rejected: its partial matching scored most unrelated template names
    (which share words such as ``– sjuksköterska, öppenvård``) above 0.8.
    """
    a, b = _tokens(local), _tokens(base)
    guessed = any(t.endswith(".") for t in a + b)
    if guessed:
        a, b = _expand(a, b), _expand(b, a)
    sa, sb = " ".join(a), " ".join(b)
    if not sa or not sb:
        return 0.0
    best = max(fuzz.ratio(sa, sb), fuzz.token_sort_ratio(sa, sb)) / 100
    best = max(best, _prefix_similarity(a, b))
    return min(best, _GUESS_CAP) if guessed else best


def _prefix_similarity(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Return 0.8 plus 0.2 times the share covered when one name begins the other, else 0."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < len(long_) and long_[: len(short)] == short:
        covered = len(" ".join(short)) / len(" ".join(long_))
        return 0.8 + 0.2 * covered
    return 0.0


def name_candidates(
    local_names: Mapping[str, str], base_names: Mapping[str, str], min_name: float
) -> set[tuple[str, str]]:
    """Return pairs whose names may be ``min_name`` alike (rapidfuzz, at C speed).

    ``ratio`` and ``token_sort_ratio`` bound ``name_similarity`` from below except where an
    abbreviation is expanded (then a lenient cutoff is used) or one name begins the other
    (``partial_ratio`` finds those).
    """
    choices = {bid: " ".join(_tokens(n)) for bid, n in sorted(base_names.items())}
    base_dots = any("." in c for c in choices.values())
    out: set[tuple[str, str]] = set()
    for lid, name in sorted(local_names.items()):
        query = " ".join(_tokens(name))
        lenient = base_dots or "." in query
        cutoff = _LENIENT_CUTOFF if lenient else max(_LENIENT_CUTOFF, 100 * min_name)
        for scorer, score_cutoff in (
            (fuzz.ratio, cutoff),
            (fuzz.token_sort_ratio, cutoff),
            (fuzz.partial_ratio, _PARTIAL_CUTOFF),
        ):
            for _, _, bid in process.extract(
                query, choices, scorer=scorer, score_cutoff=score_cutoff, limit=None
            ):
                out.add((lid, bid))
    return out
