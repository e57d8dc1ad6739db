"""Which baseline items belong to which cases (the scope of a comparison)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cosmicdiff.errors import UsageError
from cosmicdiff.model import Baseline


@dataclass(frozen=True, slots=True)
class Scope:
    """The selected cases and, per baseline item, the cases it belongs to."""

    case_order: tuple[str, ...]
    templates: Mapping[str, tuple[str, ...]]
    keywords: Mapping[str, tuple[str, ...]]
    value_lists: Mapping[str, tuple[str, ...]]
    terms: Mapping[str, tuple[str, ...]]
    #: selected catalogue cases: they cover every item of the baseline and of the region
    catalogue: tuple[str, ...] = ()

    def order(self, cases: Iterable[str]) -> tuple[str, ...]:
        """Return the given cases in baseline order, without duplicates or unselected ones."""
        wanted = set(cases)
        return tuple(c for c in self.case_order if c in wanted)


def _freeze(table: Mapping[str, set[str]], order: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(c for c in order if c in v) for k, v in table.items() if v}


def build_scope(baseline: Baseline, selected: Iterable[str] = ()) -> Scope:
    """Compute the scope for the selected cases (all cases when none are given)."""
    wanted = list(selected)
    known = [c.id for c in baseline.cases]
    for wanted_id in wanted:
        if wanted_id not in known:
            raise UsageError(
                f"unknown case {wanted_id!r}; baseline {baseline.id!r} defines: {', '.join(known)}"
            )
    order = tuple(c for c in known if not wanted or c in wanted)
    base = baseline.export
    tpl: dict[str, set[str]] = defaultdict(set)
    for case in baseline.cases:
        if case.id in order:
            for tid in case.templates:
                tpl[tid].add(case.id)
    for tpl_def in base.templates.values():
        for c in tpl_def.cases or ():
            if c in order:
                tpl[tpl_def.id].add(c)
    kw: dict[str, set[str]] = defaultdict(set)
    for tpl_id, cases in tpl.items():
        for _, item in base.templates[tpl_id].walk():
            kw[item.keyword] |= cases
    vl: dict[str, set[str]] = defaultdict(set)
    terms: dict[str, set[str]] = defaultdict(set)
    for kid, cases in kw.items():
        k = base.keywords.get(kid)
        if k is None:
            continue
        if k.value_list:
            vl[k.value_list] |= cases
        for b in k.bindings:
            terms[str(b)] |= cases
    catalogue = tuple(c.id for c in baseline.cases if c.catalogue and c.id in order)
    if catalogue:
        for kid, k in base.keywords.items():
            kw[kid] |= set(catalogue)
            if k.value_list:
                vl[k.value_list] |= set(catalogue)
            for b in k.bindings:
                terms[str(b)] |= set(catalogue)
        for vid in base.value_lists:
            vl[vid] |= set(catalogue)
        for key in base.terms:
            terms[key] |= set(catalogue)
    for vid, cases in vl.items():
        for v in base.value_lists[vid].values if vid in base.value_lists else ():
            for b in v.bindings:
                terms[str(b)] |= cases
    terms = defaultdict(set, {k: v for k, v in terms.items() if k in base.terms})
    return Scope(
        case_order=order,
        templates=_freeze(tpl, order),
        keywords=_freeze(kw, order),
        value_lists=_freeze(vl, order),
        terms=_freeze(terms, order),
        catalogue=catalogue,
    )
