"""Two forms that share few items: a short, honest summary instead of hundreds of errors.

Two templates are paired (by id, a mapping, or because each side is one file with one
form) yet may be two different forms with the same purpose, not versions of one: the
helsenorge forms of two health authorities share 13 of their 100-odd questions. Listing
every question of one as *missing* (error) and every question of the other as *extra*
(warning) buries the differences that matter, in the questions they share.

This applies where either side was read from a standard format (openEHR, FHIR, a
catalogue): COSMIC templates are paired by id or by the region's mapping, so they are one
template in two versions, and their missing items stay errors. When a pair shares fewer
than :data:`FEW_SHARED` of the smaller template's items (and the
smaller has at least :data:`MIN_ITEMS`), the pair is *unlike*:

- the items only one of them has (``missing`` / ``extra`` keywords of that template) and
  the value lists only those items use are reported at **info** severity, so they are
  still listed (what one form asks that the other does not) but neither gate nor read as
  errors;
- everything about the items they share is classified as usual;
- the region gets ONE ``few_shared_items`` note per pair, with the counts.

No finding is added or removed, and no finding id changes: only severities are lowered.
An allowed extension or a waiver applies afterwards as usual.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from cosmicdiff.errors import quoted
from cosmicdiff.match.identity import Matches
from cosmicdiff.model import Baseline, Export, InputNote, Template
from cosmicdiff.result.finding import Finding
from cosmicdiff.vocabulary import Entity, Kind, Severity

#: a pair sharing fewer than this share of the smaller template's items is unlike
FEW_SHARED = 0.25
#: smaller templates are never judged unlike (a few items say little)
MIN_ITEMS = 10


@dataclass(frozen=True, slots=True)
class UnlikePair:
    """A baseline template and the region template paired with it that share few items."""

    base: Template
    region: Template
    shared: int
    #: the value lists (baseline ids, region ids) used only by the items of the pair
    base_lists: frozenset[str]
    region_lists: frozenset[str]

    def note(self) -> InputNote:
        """Return the one note that says what the pair is and how it is reported."""
        nb, nr = len(_keywords(self.base)), len(_keywords(self.region))
        pct = round(100 * self.shared / min(nb, nr))
        return InputNote(
            kind="few_shared_items",
            path=self.region.loc.path,
            line=self.region.loc.line,
            message=(
                f"template {quoted(self.region.id)} shares {self.shared} of its {nr} items with "
                f"the baseline's {quoted(self.base.id)} ({nb} items; {pct}% of the smaller): "
                "they are different forms, not versions of one. The "
                f"{nb - self.shared} items only the baseline's has and the "
                f"{nr - self.shared} only this one has (and the value lists only they use) "
                "are reported at info severity; the shared items are compared as usual"
            ),
            subject=self.region.id,
        )


def _keywords(template: Template) -> set[str]:
    """Return the keywords of every item of ``template`` (no ancestors built: runs per pair)."""
    out: set[str] = set()
    stack = list(template.items)
    while stack:
        item = stack.pop()
        out.add(item.keyword)
        stack.extend(item.children)
    return out


def _cosmic(export: Export) -> bool:
    return bool(export.formats) and all(f.startswith("cosmic") for f in export.formats)


def _lists_of(export: Export, keywords: set[str]) -> frozenset[str]:
    """Return the value lists used by ``keywords`` and by no other keyword of ``export``."""
    used = {k.value_list for kid, k in export.keywords.items() if kid in keywords}
    elsewhere = {k.value_list for kid, k in export.keywords.items() if kid not in keywords}
    return frozenset(v for v in used - elsewhere if v)


def unlike_pairs(
    baseline: Baseline,
    region: Export,
    matches: Matches,
    cache: dict[str, object] | None = None,
) -> list[UnlikePair]:
    """Return the paired templates that share fewer than FEW_SHARED of their items.

    ``cache`` keeps the baseline templates' keyword sets between the regions of one run.
    Only where either side was read from a standard format: a COSMIC template paired by id
    or mapping.yaml is one template, and its missing items gate as always.
    """
    if _cosmic(baseline.export) and _cosmic(region):
        return []
    out = []
    base_sets = cast(
        dict[str, set[str]], (cache if cache is not None else {}).setdefault("few_shared", {})
    )
    for lid, bid in sorted(matches.templates.to_baseline.items()):
        base_t, region_t = baseline.export.templates.get(bid), region.templates.get(lid)
        if base_t is None or region_t is None:
            continue
        bk = base_sets.get(bid)
        if bk is None:
            bk = base_sets[bid] = _keywords(base_t)
        if len(bk) < MIN_ITEMS:
            continue
        rk = _keywords(region_t)
        if min(len(bk), len(rk)) < MIN_ITEMS:
            continue
        shared = sum(map(bk.__contains__, map(matches.keywords.to_baseline.get, rk)))
        if shared < FEW_SHARED * min(len(bk), len(rk)):
            out.append(
                UnlikePair(
                    base=base_t,
                    region=region_t,
                    shared=shared,
                    base_lists=_lists_of(baseline.export, bk),
                    region_lists=_lists_of(region, rk),
                )
            )
    return out


def _softened(f: Finding, pairs: list[UnlikePair]) -> bool:
    if f.kind not in (Kind.MISSING, Kind.EXTRA):
        return False
    for p in pairs:
        if f.entity is Entity.KEYWORD and f.deviation.template == p.base.id:
            return True
        if f.entity is Entity.VALUELIST and (
            (f.kind is Kind.MISSING and f.deviation.baseline_id in p.base_lists)
            or (f.kind is Kind.EXTRA and f.deviation.local_id in p.region_lists)
        ):
            return True
    return False


def soften(findings: Iterable[Finding], pairs: list[UnlikePair]) -> list[Finding]:
    """Return the findings with the unshared items of unlike pairs at info severity."""
    if not pairs:
        return list(findings)
    return [
        f._replace(severity=Severity.INFO)
        if f.severity is not Severity.INFO and _softened(f, pairs)
        else f
        for f in findings
    ]
