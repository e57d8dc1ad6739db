"""Score the plausible pairs of unpaired items and pick the best pairs, each item once.

A candidate's score in [0, 1] is the weighted mean of the signals that apply to it
(``WEIGHTS``). Only pairs that can reach the minimum score are scored: those whose names
may be alike enough (``name_candidates``) and, for keywords, those that sit in templates
paired with each other. Candidates at or above the minimum score are assigned greedily,
best first, so that every local and every baseline item is suggested at most once; the
candidates that lost a conflict are kept as alternatives of the winner.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import NamedTuple

from cosmicdiff.match.identity import Matches
from cosmicdiff.match.suggest.evidence import SIGNALS, Context, Side, name_signal
from cosmicdiff.match.suggest.model import (
    DEFAULT_MIN_SCORE,
    WEIGHTS,
    Alternative,
    Named,
    Section,
    Signal,
    Suggestion,
    items_of,
    pairing_of,
)
from cosmicdiff.match.suggest.names import name_candidates
from cosmicdiff.model import Baseline, Export

_MAX_ALTERNATIVES = 3


class _Candidate(NamedTuple):
    score: float
    local: str
    base: str
    signals: tuple[Signal, ...]


def suggest_mapping(
    region: Export, baseline: Baseline, matches: Matches, min_score: float = DEFAULT_MIN_SCORE
) -> list[Suggestion]:
    """Return the suggested pairs of the items ``matches`` left unpaired, sorted by kind and id.

    Pure: nothing is applied; a suggestion is only a proposal for mapping.yaml.
    """
    ctx = Context(region=Side.of(region), base=Side.of(baseline.export), matches=matches)
    out: list[Suggestion] = []
    for kind in Section:
        local, base = items_of(region, kind), items_of(baseline.export, kind)
        chosen = _assign(kind, _candidates(ctx, kind, min_score), min_score, local, base)
        out.extend(sorted(chosen, key=lambda s: s.local_id))
    return out


def least_name_score(kind: Section, min_score: float) -> float:
    """Return the name similarity below which a pair cannot reach ``min_score``.

    That is the name's share of the score when every other signal agrees in full.
    """
    w_name = WEIGHTS[kind]["name"]
    rest = sum(WEIGHTS[kind].values()) - w_name
    return (min_score * (w_name + rest) - rest) / w_name


def _candidates(ctx: Context, kind: Section, min_score: float) -> list[_Candidate]:
    """Score every plausible pair of unpaired items of one kind that may reach ``min_score``.

    A pair's score can be at most what its name allows with every other signal in full
    agreement; pairs below ``min_score`` even then are not scored further.
    """
    pairing = pairing_of(ctx.matches, kind)
    local_names = _unpaired(items_of(ctx.region.export, kind), pairing.to_baseline)
    base_names = _unpaired(items_of(ctx.base.export, kind), pairing.to_region)
    if not local_names or not base_names:
        return []
    min_name = least_name_score(kind, min_score)
    pairs = name_candidates(local_names, base_names, min_name)
    if kind is Section.KEYWORDS:
        pairs |= _structure_candidates(ctx, set(local_names), set(base_names))
    out = []
    for lid, bid in sorted(pairs):
        name = name_signal(kind, local_names[lid], base_names[bid])
        if name.score < min_name - 1e-9:
            continue
        signals = (name, *SIGNALS[kind](ctx, lid, bid))
        total = sum(s.weight for s in signals)
        score = sum(s.weight * s.score for s in signals) / total
        out.append(_Candidate(round(score, 4), lid, bid, signals))
    return out


def _unpaired(items: Mapping[str, Named], paired: Mapping[str, str]) -> dict[str, str]:
    """Return the names of the items that are not paired, by id."""
    return {i: items[i].name for i in items if i not in paired}


def _structure_candidates(
    ctx: Context,
    locals_: set[str],
    bases: set[str],
) -> set[tuple[str, str]]:
    """Return unpaired keywords that sit in templates paired with each other (any name)."""
    tmap = ctx.matches.templates.to_baseline
    out: set[tuple[str, str]] = set()
    for lid in locals_:
        for slot in ctx.region.slots.get(lid, ()):
            btpl = tmap.get(slot.template)
            if btpl is not None:
                out.update((lid, b) for b in ctx.base.template_keywords.get(btpl, ()) if b in bases)
    return out


def _assign(
    kind: Section,
    cands: list[_Candidate],
    min_score: float,
    local: Mapping[str, Named],
    base: Mapping[str, Named],
) -> list[Suggestion]:
    """Pick pairs best first so that each local and each baseline item is used once."""
    eligible = sorted((c for c in cands if c.score >= min_score), key=_rank)
    by_item: dict[tuple[int, str], list[_Candidate]] = defaultdict(list)
    for c in eligible:
        by_item[0, c.local].append(c)
        by_item[1, c.base].append(c)
    used_local: set[str] = set()
    used_base: set[str] = set()
    out = []
    for c in eligible:
        if c.local in used_local or c.base in used_base:
            continue
        used_local.add(c.local)
        used_base.add(c.base)
        rivals = sorted({*by_item[0, c.local], *by_item[1, c.base]} - {c}, key=_rank)[
            :_MAX_ALTERNATIVES
        ]
        alternatives = tuple(_alternative(o, local, base) for o in rivals)
        out.append(
            Suggestion(
                kind=kind,
                local_id=c.local,
                local_name=local[c.local].name,
                baseline_id=c.base,
                baseline_name=base[c.base].name,
                score=c.score,
                signals=c.signals,
                alternatives=alternatives,
            )
        )
    return out


def _rank(c: _Candidate) -> tuple[float, str, str]:
    """Return the sort key of a candidate: best score first, then by ids."""
    return (-c.score, c.local, c.base)


def _alternative(
    c: _Candidate, local: Mapping[str, Named], base: Mapping[str, Named]
) -> Alternative:
    return Alternative(
        local_id=c.local,
        local_name=local[c.local].name,
        baseline_id=c.base,
        baseline_name=base[c.base].name,
        score=c.score,
    )
