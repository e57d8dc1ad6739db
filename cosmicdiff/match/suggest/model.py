"""Describe a suggestion: the kinds of item, the signals, a scored pair and its evidence.

Also the weights of the signals per kind of item and the default minimum score, and where
each kind's items, pairing and mapping entries are found, so that the other modules can
treat the three kinds alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from cosmicdiff.match.identity import Matches, Pairing
from cosmicdiff.model import Export, IdMapping

#: The default --min-score: the lowest at which benchmarks/suggest_quality.py found nothing
#: wrong on the examples and the corpus, with every renamed item still found (its docstring
#: has the figures).
DEFAULT_MIN_SCORE = 0.7


class Section(StrEnum):
    """A kind of mappable item, named as its section of mapping.yaml."""

    KEYWORDS = "keywords"
    TEMPLATES = "templates"
    VALUE_LISTS = "valueLists"


#: Weight of each signal in a candidate's score, per kind of item.
WEIGHTS: Mapping[Section, Mapping[str, float]] = {
    Section.KEYWORDS: {
        "name": 0.55,
        "type": 0.10,
        "unit": 0.05,
        "valueList": 0.10,
        "structure": 0.20,
    },
    Section.TEMPLATES: {"name": 0.60, "items": 0.30, "noteType": 0.10},
    Section.VALUE_LISTS: {"name": 0.50, "values": 0.30, "users": 0.20},
}


class Named(Protocol):
    """An item with a name: a keyword, a template or a value list."""

    @property
    def name(self) -> str:
        """Return the item's name."""
        ...


def items_of(export: Export, kind: Section) -> Mapping[str, Named]:
    """Return an export's items of one kind by id."""
    if kind is Section.KEYWORDS:
        return export.keywords
    return export.templates if kind is Section.TEMPLATES else export.value_lists


def pairing_of(matches: Matches, kind: Section) -> Pairing:
    """Return the pairing of one kind of item."""
    if kind is Section.KEYWORDS:
        return matches.keywords
    return matches.templates if kind is Section.TEMPLATES else matches.value_lists


def entries_of(mapping: IdMapping, kind: Section) -> Mapping[str, str]:
    """Return a mapping.yaml's entries (local id: baseline id) of one kind of item."""
    if kind is Section.KEYWORDS:
        return mapping.keywords
    return mapping.templates if kind is Section.TEMPLATES else mapping.value_lists


@dataclass(frozen=True, kw_only=True, slots=True)
class Signal:
    """One piece of evidence: a similarity in [0, 1], its weight, and what it says in words."""

    name: str
    score: float
    weight: float
    detail: str


@dataclass(frozen=True, kw_only=True, slots=True)
class ScoredPair:
    """A local item and a baseline item, by id and name, with the score of the pair."""

    local_id: str
    local_name: str
    baseline_id: str
    baseline_name: str
    score: float

    def pair_json(self) -> dict[str, str | float]:
        """Return the JSON form of the pair: ids, names and score."""
        return {
            "local_id": self.local_id,
            "local_name": self.local_name,
            "baseline_id": self.baseline_id,
            "baseline_name": self.baseline_name,
            "score": self.score,
        }


@dataclass(frozen=True, kw_only=True, slots=True)
class Alternative(ScoredPair):
    """Another candidate above the minimum score that shares the local or the baseline item."""


@dataclass(frozen=True, kw_only=True, slots=True)
class Suggestion(ScoredPair):
    """A proposed mapping entry ``local_id: baseline_id`` with its score and evidence."""

    kind: Section
    signals: tuple[Signal, ...]
    alternatives: tuple[Alternative, ...] = ()

    def evidence(self) -> str:
        """Return the signals in words, e.g. ``name 0.91 ("a" ~ "b"), same type Text``."""
        return ", ".join(s.detail for s in self.signals)

    def to_json(self) -> dict[str, object]:
        """Return the JSON form: ids, names, score, evidence by signal, alternatives."""
        return (
            {"kind": self.kind.value}
            | self.pair_json()
            | {
                "evidence": {
                    s.name: {"score": s.score, "weight": s.weight, "detail": s.detail}
                    for s in self.signals
                },
                "alternatives": [a.pair_json() for a in self.alternatives],
            }
        )
