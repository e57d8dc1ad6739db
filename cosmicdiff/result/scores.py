"""What harmonisation is measured on: the baseline items and template outlines in scope, and the
scores per region and case.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from cosmicdiff.diff.paths import joined_path
from cosmicdiff.match.scope import Scope
from cosmicdiff.model import Baseline
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.parts import (
    BaselineItem,
    OutlineItem,
    Score,
    TemplateOutline,
)
from cosmicdiff.vocabulary import Entity


def baseline_items(baseline: Baseline, scope: Scope) -> list[BaselineItem]:
    """Return every baseline item in scope, in entity then id order."""
    base = baseline.export
    out: list[BaselineItem] = []
    for tid, cases in sorted(scope.templates.items()):
        out.append(
            BaselineItem(entity=Entity.TEMPLATE, id=tid, name=base.templates[tid].name, cases=cases)
        )
    for kid, cases in sorted(scope.keywords.items()):
        if kid in base.keywords:
            out.append(
                BaselineItem(
                    entity=Entity.KEYWORD, id=kid, name=base.keywords[kid].name, cases=cases
                )
            )
    for vid, cases in sorted(scope.value_lists.items()):
        vl = base.value_lists.get(vid)
        if vl is None:
            continue
        out.append(BaselineItem(entity=Entity.VALUELIST, id=vid, name=vl.name, cases=cases))
        out.extend(
            BaselineItem(entity=Entity.VALUE, id=f"{vid}#{v.code}", name=v.display, cases=cases)
            for v in vl.values
        )
    for key, cases in sorted(scope.terms.items()):
        displays = base.terms[key].displays
        name = displays.get("sv") or next(iter(displays.values()), "")
        out.append(BaselineItem(entity=Entity.TERM, id=key, name=name, cases=cases))
    return out


def template_outlines(baseline: Baseline, scope: Scope) -> list[TemplateOutline]:
    """Return the baseline templates in scope, flattened, in case then baseline.yaml order."""
    base = baseline.export
    order: list[str] = [tid for c in baseline.cases for tid in c.templates]
    listed = set(order)
    order += sorted(t for t in scope.templates if t not in listed)
    out: list[TemplateOutline] = []
    keywords = base.keywords
    for tid in dict.fromkeys(order):
        if tid not in scope.templates:
            continue
        tpl = base.templates[tid]
        items = []
        for ancestors, item in tpl.walk():
            kw = keywords.get(item.keyword)
            path = joined_path(tid, [*(a.keyword for a in ancestors), item.keyword])
            items.append(
                OutlineItem(
                    depth=len(ancestors),
                    keyword=item.keyword,
                    name=kw.name if kw else "",
                    path=path,
                    mandatory=item.mandatory,
                    repeatable=item.repeatable,
                )
            )
        out.append(
            TemplateOutline(
                id=tid,
                name=tpl.name,
                note_type=tpl.note_type,
                version=tpl.version,
                cases=scope.templates[tid],
                items=tuple(items),
            )
        )
    return out


def _units(items: Sequence[BaselineItem]) -> dict[str, list[tuple[str, str]]]:
    """Return per case every baseline item in scope as (entity, id)."""
    per_case: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        for c in item.cases:
            per_case[c].append((item.entity.value, item.id))
    return per_case


def score(
    findings: Sequence[Finding],
    units: dict[str, list[tuple[str, str]]],
    regions: Sequence[str],
    case_order: Sequence[str],
) -> dict[str, dict[str, Score]]:
    """Return harmonisation scores per region and case, raw and after waivers."""
    hit_raw: dict[str, set[tuple[str, str]]] = defaultdict(set)
    hit: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for f in findings:
        if f.allowed:
            continue
        hit_raw[f.region].update(f.units)
        if not f.waived:
            hit[f.region].update(f.units)
    out: dict[str, dict[str, Score]] = {}
    for region in regions:
        out[region] = {}
        for case in case_order:
            uniq = set(units.get(case, ()))
            out[region][case] = Score(
                items=len(uniq),
                clean_raw=len(uniq - hit_raw[region]),
                clean=len(uniq - hit[region]),
            )
    return out
