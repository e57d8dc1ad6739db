"""The context of one region's comparison, built once: the pairs, the scope on both sides.

The baseline side of the scope comes from ``match.scope``; the region side (which of the
region's own templates and keywords are compared, under which cases, and where each keyword
is first used) is computed here. Everything is read-only once built, except two memos that
only ever grow: the shared case sets and the cases of each region keyword.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from cosmicdiff.diff.paths import item_labels, joined_path
from cosmicdiff.match.identity import Matches
from cosmicdiff.match.scope import Scope
from cosmicdiff.model import Baseline, Export, Item, Template
from cosmicdiff.parsers.registry import FORMATS

#: the cases of a keyword no template in scope uses
NO_CASES: frozenset[str] = frozenset()


class Place(NamedTuple):
    """Where a region keyword is first used: the region template and the item's ancestors."""

    template: str
    ancestors: tuple[Item, ...]


class CaseSets:
    """Hand out one shared frozenset per distinct set of cases.

    A region has tens of thousands of keywords but only a handful of case combinations.
    """

    __slots__ = ("_known",)

    def __init__(self) -> None:
        self._known: dict[frozenset[str], frozenset[str]] = {}

    def of(self, cases: Iterable[str]) -> frozenset[str]:
        """Return ``cases`` as the one shared frozenset of those cases."""
        found = frozenset(cases)
        return self._known.setdefault(found, found)


@dataclass(frozen=True, slots=True)
class RegionScope:
    """The region's own items in scope: their cases, and where each keyword is first used."""

    #: region template id -> its cases (only templates in scope)
    templates: Mapping[str, tuple[str, ...]]
    #: region keyword id -> the cases of the templates in scope that use it (and catalogue)
    keywords: Mapping[str, frozenset[str]]
    #: region keyword id -> its first use in a template in scope (templates in id order)
    places: Mapping[str, Place]


def region_scope(
    region: Export, scope: Scope, matches: Matches, case_sets: CaseSets
) -> RegionScope:
    """Compute which of the region's templates and keywords are compared, under which cases.

    A paired template takes its baseline partner's cases; an unpaired one the cases it
    declares itself. A keyword takes the cases of every template in scope that uses it; a
    catalogue case covers every keyword, whether a template uses it or not.
    """
    templates: dict[str, tuple[str, ...]] = {}
    keywords: dict[str, frozenset[str]] = {}
    places: dict[str, Place] = {}
    for lid in sorted(region.templates):
        tpl = region.templates[lid]
        cases = _template_cases(lid, tpl, scope, matches)
        if cases:
            templates[lid] = cases
            _add_items(lid, tpl, case_sets.of(cases), case_sets, keywords, places)
    if scope.catalogue:
        for key in region.keywords:
            keywords[key] = case_sets.of(keywords.get(key, NO_CASES).union(scope.catalogue))
    return RegionScope(templates=templates, keywords=keywords, places=places)


def _template_cases(lid: str, tpl: Template, scope: Scope, matches: Matches) -> tuple[str, ...]:
    """Return the cases region template ``lid`` is compared under (empty: out of scope)."""
    base = matches.templates.to_baseline.get(lid)
    if base is not None:
        return scope.templates.get(base, ())
    return scope.order((*(tpl.cases or ()), *scope.catalogue))


def _add_items(
    lid: str,
    tpl: Template,
    cases: frozenset[str],
    case_sets: CaseSets,
    keywords: dict[str, frozenset[str]],
    places: dict[str, Place],
) -> None:
    """Add ``cases`` to every keyword template ``lid`` uses; note their first places."""
    new = tuple.__new__  # Place(…) without its __new__ written in Python (tens of thousands)
    for ancestors, item in tpl.walk():
        kid = item.keyword
        known = keywords.get(kid)
        if known is None:
            keywords[kid] = cases
        elif known is not cases and not known.issuperset(cases):
            keywords[kid] = case_sets.of(known | cases)
        if kid not in places:
            places[kid] = new(Place, (lid, ancestors))


@dataclass(frozen=True, slots=True)
class DiffContext:
    """What every comparison of one region reads: both exports, the pairs and the scope."""

    base: Export
    region: Export
    scope: Scope
    matches: Matches
    #: baseline template id -> the cases baseline.yaml lists it in, whatever --case selects
    declared_cases: Mapping[str, frozenset[str]]
    own: RegionScope
    case_sets: CaseSets
    #: memo of :meth:`keyword_cases` (it only grows)
    keyword_memo: dict[str, frozenset[str]]
    #: findings about template items carry a label path (a side read from a standard format)
    labelled: bool = False

    def keyword_cases(self, local_id: str) -> frozenset[str]:
        """Return the cases a region keyword is compared under: its own and its partner's."""
        cached = self.keyword_memo.get(local_id)
        if cached is not None:
            return cached
        cases = self.own.keywords.get(local_id, NO_CASES)
        base = self.matches.keywords.to_baseline.get(local_id)
        if base is not None:
            more = self.scope.keywords.get(base, ())
            if not cases.issuperset(more):
                cases = self.case_sets.of(cases.union(more))
        self.keyword_memo[local_id] = cases
        return cases

    def keyword_path(self, local_id: str) -> str:
        """Return the path a keyword-level finding is shown at: its first place, or its id."""
        place = self.own.places.get(local_id)
        if place is None:
            return local_id
        return joined_path(place.template, [*(a.keyword for a in place.ancestors), local_id])

    def keyword_labels(self, local_id: str) -> tuple[str, ...]:
        """Return the label path of a keyword's first place (empty: none, or not labelled)."""
        place = self.own.places.get(local_id) if self.labelled else None
        if place is None:
            return ()
        template = self.region.templates[place.template]
        keyword = self.region.keywords.get(local_id)
        return (
            *item_labels(template.name, place.ancestors, self.region.keywords),
            keyword.name if keyword is not None and keyword.name else local_id,
        )

    def keyword_template(self, local_id: str) -> str | None:
        """Return the baseline template a keyword-level finding is shown under, if any.

        That is the partner of the region template where the keyword is first used.
        """
        place = self.own.places.get(local_id)
        if place is None:
            return None
        return self.matches.templates.to_baseline.get(place.template)


def build_context(
    baseline: Baseline, scope: Scope, region: Export, matches: Matches
) -> DiffContext:
    """Build the context of comparing ``region`` with ``baseline`` within ``scope``."""
    case_sets = CaseSets()
    declared: dict[str, set[str]] = defaultdict(set)
    for case in baseline.cases:
        for tid in case.templates:
            declared[tid].add(case.id)
    return DiffContext(
        base=baseline.export,
        region=region,
        scope=scope,
        matches=matches,
        declared_cases={tid: frozenset(cases) for tid, cases in declared.items()},
        own=region_scope(region, scope, matches, case_sets),
        case_sets=case_sets,
        keyword_memo={},
        labelled=standard_format(baseline.export) or standard_format(region),
    )


def standard_format(export: Export) -> bool:
    """Return True if any file of ``export`` was read as a standard (foreign) format."""
    return any(f in FORMATS and FORMATS[f].foreign for f in export.formats)
