"""Pair region items with baseline items by identity, in the contract's order.

Order: the region's mapping file, the same id, the same term binding, the same
normalised name. Each baseline item is paired at most once; an ambiguous binding or name
(two candidates on either side) pairs nothing. Nothing is paired by position or by
similarity. How each pair was made is recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from cosmicdiff.errors import ErrorCollector, quoted
from cosmicdiff.model import Baseline, Export, Keyword, name_key
from cosmicdiff.vocabulary import MatchMethod


@dataclass(slots=True)
class Pairing:
    """Pairs of one kind of item: local id <-> baseline id, with the method used."""

    to_baseline: dict[str, str] = field(default_factory=dict)
    to_region: dict[str, str] = field(default_factory=dict)
    method: dict[str, MatchMethod] = field(default_factory=dict)

    def add(self, local: str, base: str, how: MatchMethod) -> None:
        """Record a pair."""
        self.to_baseline[local] = base
        self.to_region[base] = local
        self.method[local] = how

    def counts(self) -> dict[str, int]:
        """Return how many pairs each method made."""
        out = {m.value: 0 for m in MatchMethod if m is not MatchMethod.CODE}
        for how in self.method.values():
            out[how.value] = out.get(how.value, 0) + 1
        return out


KeyFn = Callable[[str], Iterable[str]]


#: key -> the baseline ids that have it (all of them: which are still free is checked when
#: a region item claims one)
KeyIndex = dict[str, list[str]]


def key_index(base_ids: Iterable[str], key_of_base: KeyFn) -> KeyIndex:
    """Return the baseline ids by key."""
    index: KeyIndex = defaultdict(list)
    for b in base_ids:
        for k in key_of_base(b):
            index[k].append(b)
    return index


def _pair_by_key(
    pairing: Pairing,
    local_ids: list[str],
    index: KeyIndex,
    key_of_local: KeyFn,
    how: MatchMethod,
) -> None:
    """Pair still-unpaired items that share a key with exactly one partner on each side."""
    taken, paired = pairing.to_region, pairing.to_baseline
    claims: dict[str, set[str]] = {}
    for local in local_ids:
        if local in paired:
            continue
        cands: set[str] = set()
        for k in key_of_local(local):
            bases = index.get(k)
            if bases:
                cands.update(b for b in bases if b not in taken)
        if cands:
            claims[local] = cands
    claimed_by: dict[str, int] = defaultdict(int)
    for cands in claims.values():
        for b in cands:
            claimed_by[b] += 1
    for local in sorted(claims):
        cands = claims[local]
        if len(cands) == 1:
            (b,) = cands
            if claimed_by[b] == 1:
                pairing.add(local, b, how)


def _names(fn: Callable[[str], str]) -> KeyFn:
    return lambda i: (k,) if (k := name_key(fn(i))) else ()


def pair_items(
    local_ids: Iterable[str],
    base_ids: Iterable[str],
    mapping: Mapping[str, str],
    local_bindings: KeyFn | None,
    base_bindings: KeyFn | None,
    local_name: Callable[[str], str],
    base_name: Callable[[str], str],
    same_id: MatchMethod = MatchMethod.ID,
    indexes: tuple[KeyIndex | None, KeyIndex] | None = None,
) -> Pairing:
    """Pair one kind of item: mapping, same id, same binding, same normalised name.

    ``indexes`` are the baseline's binding and name indexes, if made before (by
    :func:`baseline_indexes`); else they are made here.
    """
    locals_ = sorted(local_ids)
    bases = sorted(base_ids)
    base_set = set(bases)
    pairing = Pairing()
    for local, base in sorted(mapping.items()):
        pairing.add(local, base, MatchMethod.MAPPING)
    for local in locals_:
        if (
            local not in pairing.to_baseline
            and local in base_set
            and local not in pairing.to_region
        ):
            pairing.add(local, local, same_id)
    if local_bindings is not None and base_bindings is not None:
        index = indexes[0] if indexes is not None else None
        if index is None:
            index = key_index(bases, base_bindings)
        _pair_by_key(pairing, locals_, index, local_bindings, MatchMethod.BINDING)
    names = indexes[1] if indexes is not None else key_index(bases, _names(base_name))
    _pair_by_key(pairing, locals_, names, _names(local_name), MatchMethod.NAME)
    return pairing


@dataclass(slots=True)
class Matches:
    """The pairings of one region with the baseline, per kind of catalogue item."""

    templates: Pairing
    keywords: Pairing
    value_lists: Pairing


def check_mapping(region: Export, baseline: Baseline) -> None:
    """Refuse mapping entries that name undefined local or baseline ids."""
    m = region.mapping
    if m.is_empty():
        return
    errors = ErrorCollector()
    path = m.path or f"{region.source}/mapping.yaml"
    sections = (
        ("keywords", m.keywords, region.keywords, baseline.export.keywords),
        ("templates", m.templates, region.templates, baseline.export.templates),
        ("valueLists", m.value_lists, region.value_lists, baseline.export.value_lists),
    )
    for section, entries, local_items, base_items in sections:
        for local, base in sorted(entries.items()):
            line = m.lines.get((section, local))
            if local not in local_items:
                errors.add(
                    path,
                    line,
                    f"{section}: local id {quoted(local)} is not defined in "
                    f"the export of region {quoted(region.region)}",
                )
            if base not in base_items:
                errors.add(
                    path,
                    line,
                    f"{section}: {quoted(local)} maps to {quoted(base)}, "
                    f"which baseline {quoted(baseline.id)} does not define",
                )
    errors.raise_if_any()


class BaselineIndexes(NamedTuple):
    """The baseline's keys for matching, made once per baseline (before workers fork)."""

    export: Export
    keywords: tuple[KeyIndex | None, KeyIndex]
    templates: tuple[KeyIndex | None, KeyIndex]
    value_lists: tuple[KeyIndex | None, KeyIndex]


#: the indexes of the baseline compared last (one: a run compares with one baseline)
_INDEXES: list[BaselineIndexes] = []


def _bindings(table: Mapping[str, Keyword]) -> KeyFn:
    return lambda i: [str(b) for b in table[i].bindings]


def baseline_indexes(base: Export) -> BaselineIndexes:
    """Return the binding and name indexes of a baseline export (made on first use)."""
    if _INDEXES and _INDEXES[0].export is base:
        return _INDEXES[0]
    bk, bt, bv = base.keywords, base.templates, base.value_lists
    made = BaselineIndexes(
        export=base,
        keywords=(key_index(bk, _bindings(bk)), key_index(bk, _names(lambda i: bk[i].name))),
        templates=(None, key_index(bt, _names(lambda i: bt[i].name))),
        value_lists=(None, key_index(bv, _names(lambda i: bv[i].name))),
    )
    _INDEXES[:] = [made]
    return made


def prepare_baseline(baseline: Baseline) -> None:
    """Make the baseline's matching indexes once, before regions are compared (forked
    workers then share them instead of each making its own)."""
    baseline_indexes(baseline.export)


def match_region(region: Export, baseline: Baseline) -> Matches:
    """Pair the region's templates, keywords and value lists with the baseline's."""
    check_mapping(region, baseline)
    base = baseline.export
    indexes = baseline_indexes(base)
    rk, bk = region.keywords, base.keywords
    keywords = pair_items(
        rk,
        bk,
        region.mapping.keywords,
        _bindings(rk),
        _bindings(bk),
        lambda i: rk[i].name,
        lambda i: bk[i].name,
        indexes=indexes.keywords,
    )
    rt, bt = region.templates, base.templates
    templates = pair_items(
        rt,
        bt,
        region.mapping.templates,
        None,
        None,
        lambda i: rt[i].name,
        lambda i: bt[i].name,
        indexes=indexes.templates,
    )
    rv, bv = region.value_lists, base.value_lists
    value_lists = pair_items(
        rv,
        bv,
        region.mapping.value_lists,
        None,
        None,
        lambda i: rv[i].name,
        lambda i: bv[i].name,
        indexes=indexes.value_lists,
    )
    return Matches(templates=templates, keywords=keywords, value_lists=value_lists)
