"""Compare the terms in scope: missing, renamed per language, status, and extra ones.

Terms are identified by ``system:code`` on both sides (no pairing). A region term is in
scope when a keyword or a value in scope binds it, or a catalogue case is selected.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping

from cosmicdiff.diff.context import DiffContext
from cosmicdiff.diff.subject import Subject, display, found, renamed
from cosmicdiff.model import Term
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod


def region_term_cases(
    ctx: DiffContext, value_list_cases: Mapping[str, set[str]]
) -> dict[str, set[str]]:
    """Return the cases of each term the region binds in scope.

    ``value_list_cases`` are the cases of the region's own value lists; paired ones add
    their partner's cases.
    """
    out: dict[str, set[str]] = defaultdict(set)
    for lid, kw in ctx.region.keywords.items():
        if kw.bindings:
            cases = ctx.keyword_cases(lid)
            for b in kw.bindings if cases else ():
                out[str(b)] |= cases
    lists = {lid: set(cs) for lid, cs in value_list_cases.items()}
    for lid, bid in ctx.matches.value_lists.to_baseline.items():
        if bid in ctx.scope.value_lists:
            lists.setdefault(lid, set()).update(ctx.scope.value_lists[bid])
    for lid, lcases in lists.items():
        for v in ctx.region.value_lists[lid].values:
            for b in v.bindings:
                out[str(b)] |= lcases
    for key in ctx.region.terms if ctx.scope.catalogue else ():
        out[key] |= set(ctx.scope.catalogue)
    return out


def term_findings(
    ctx: DiffContext, value_list_cases: Mapping[str, set[str]]
) -> Iterator[Deviation]:
    """Yield the findings about terms: the baseline's in scope, then the region's extra ones."""
    rterms, bterms = ctx.region.terms, ctx.base.terms
    for key, cases in sorted(ctx.scope.terms.items()):
        yield from term_pair(ctx, key, bterms[key], rterms.get(key), cases)
    for key, rcases in sorted(region_term_cases(ctx, value_list_cases).items()):
        if key in rterms and key not in bterms:
            term = rterms[key]
            subject = Subject(
                entity=Entity.TERM,
                baseline_id=None,
                local_id=key,
                path=key,
                cases=rcases,
                location=term.loc,
            )
            yield found(ctx, subject, kind=Kind.EXTRA, actual=display(term.displays))


def term_pair(
    ctx: DiffContext, key: str, base: Term, region: Term | None, cases: tuple[str, ...]
) -> Iterator[Deviation]:
    """Yield ``missing``, or the display and status changes of a term both sides have."""
    units = (("term", key),)
    if region is None:
        subject = Subject(
            entity=Entity.TERM,
            baseline_id=key,
            local_id=None,
            path=key,
            cases=cases,
            baseline_location=base.loc,
            units=units,
        )
        yield found(ctx, subject, kind=Kind.MISSING, expected=display(base.displays))
        return
    if base.status == region.status and base.displays == region.displays:
        return  # the usual case: no subject to build
    subject = Subject(
        entity=Entity.TERM,
        baseline_id=key,
        local_id=key,
        path=key,
        cases=cases,
        matched_by=MatchMethod.CODE,
        location=region.loc,
        baseline_location=base.loc,
        units=units,
    )
    for lang in sorted(set(base.displays) & set(region.displays)):
        yield from renamed(
            ctx,
            subject,
            base.displays[lang],
            region.displays[lang],
            None if lang == "sv" else f"display:{lang}",
        )
    if base.status != region.status:
        yield found(
            ctx,
            subject,
            kind=Kind.STATUS_CHANGED,
            expected=base.status.value,
            actual=region.status.value,
        )
