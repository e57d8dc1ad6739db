"""Compare one region's matched items with the baseline into raw Deviations.

Raw means: no rule, no severity, no message yet (``rules`` adds them). Each kind of item
has its module (``templates`` with the item ``trees``, ``keywords``, ``valuelists``,
``terms``); this one builds the region's context once and strings them together, in the
order the deviations have always come in. See docs/comparison.md for every case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cosmicdiff.diff.context import DiffContext, build_context
from cosmicdiff.diff.keywords import keyword_findings
from cosmicdiff.diff.slots import without_grouped_lists
from cosmicdiff.diff.templates import template_findings
from cosmicdiff.diff.terms import term_findings
from cosmicdiff.diff.valuelists import region_value_list_cases, value_list_findings
from cosmicdiff.match.identity import Matches
from cosmicdiff.match.scope import Scope
from cosmicdiff.model import Baseline, Export
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind


@dataclass(slots=True)
class RegionDiff:
    """The raw deviations of one region, with what was matched and what was out of scope."""

    deviations: list[Deviation] = field(default_factory=list)
    coverage: dict[str, dict[str, int]] = field(default_factory=dict)
    matches: dict[str, dict[str, int]] = field(default_factory=dict)


def diff_region(
    baseline: Baseline,
    scope: Scope,
    region: Export,
    m: Matches,
    flat_cache: dict[str, Any] | None = None,
) -> RegionDiff:
    """Compare one region with the baseline; return raw deviations, coverage and match counts.

    ``flat_cache`` (one dict per run) keeps the keyed item trees of the baseline templates
    that differ between regions.
    """
    ctx = build_context(baseline, scope, region, m)
    deviations = [
        *template_findings(ctx, {} if flat_cache is None else flat_cache),
        *keyword_findings(ctx),
    ]
    value_list_cases = region_value_list_cases(ctx)
    deviations += stated_only(ctx, value_list_findings(ctx, value_list_cases))
    deviations = without_grouped_lists(ctx, deviations)
    deviations += term_findings(ctx, value_list_cases)
    matches = {
        "templates": m.templates.counts(),
        "keywords": m.keywords.counts(),
        "value_lists": m.value_lists.counts(),
    }
    return RegionDiff(
        deviations=deviations, coverage=coverage(ctx, value_list_cases, deviations), matches=matches
    )


def stated_only(ctx: DiffContext, deviations: Iterable[Deviation]) -> Iterator[Deviation]:
    """Leave out what an open value list (an intensional FHIR value set whose codes could not
    be expanded, see ``parsers.fhir.expand``) cannot tell: codes it does not state are not
    missing from it, codes it may hold are not extra beside it, and it has no order; a value
    set only referred to by url is neither missing nor extra, nor renamed. Its input note
    says so once."""
    base, region = ctx.base.value_lists, ctx.region.value_lists
    open_base = {bid for bid, vl in base.items() if vl.is_open}
    open_region = {
        bid for lid, bid in ctx.matches.value_lists.to_baseline.items() if region[lid].is_open
    }
    for d in deviations:
        if d.entity is Entity.VALUE:
            bid = d.units[0][1] if d.units and d.units[0][0] == "valuelist" else None
            if (
                (d.kind is Kind.MISSING and bid in open_region)
                or (d.kind is Kind.EXTRA and bid in open_base)
                or (d.kind is Kind.ORDER_CHANGED and bid in open_base | open_region)
            ):
                continue
        elif d.entity is Entity.VALUELIST and (
            (b := base.get(d.baseline_id or "")) is not None
            and b.is_reference
            or (r := region.get(d.local_id or "")) is not None
            and r.is_reference
        ):
            continue
        yield d


def coverage(
    ctx: DiffContext, value_list_cases: Mapping[str, set[str]], deviations: Sequence[Deviation]
) -> dict[str, dict[str, int]]:
    """Return, per kind of item, how many the region has, compared and left out of scope.

    A region term counts as compared when it is in the baseline's scope or has a finding.
    """
    region = ctx.region
    with_findings = {d.local_id for d in deviations if d.entity is Entity.TERM}
    paired_lists = ctx.matches.value_lists.to_baseline.items()
    in_scope = {
        "templates": {lid for lid in region.templates if lid in ctx.own.templates},
        "keywords": {lid for lid in region.keywords if ctx.keyword_cases(lid)},
        "value_lists": set(value_list_cases)
        | {lid for lid, bid in paired_lists if bid in ctx.scope.value_lists},
        "terms": {k for k in region.terms if k in ctx.scope.terms or k in with_findings},
    }
    totals: dict[str, Mapping[str, object]] = {
        "templates": region.templates,
        "keywords": region.keywords,
        "value_lists": region.value_lists,
        "terms": region.terms,
    }
    return {
        k: {
            "read": len(totals[k]),
            "compared": len(in_scope[k]),
            "out_of_scope": len(totals[k]) - len(in_scope[k]),
        }
        for k in totals
    }
