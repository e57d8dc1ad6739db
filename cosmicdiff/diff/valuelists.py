"""Compare value lists and their values: missing, extra, renamed, bindings and order.

Values are identified as ``<value list id>#<code>``. They are paired by code first, within
one terminology (a FHIR value's system is the binding carrying its code; openEHR writes
an external code as ``<terminology>::<code>``), then by binding, then by display
(``match.identity.pair_items``). A value paired by binding or display whose code differs is
``binding_changed``: the code the data carries changed under the same text. The order of
the paired values is compared by the longest common subsequence, as template items are.

An element's own list (openEHR code and ordinal lists, FHIR ``answerOption``: the list's id
is its keyword's id) is part of its element: its name (the element's label) is not compared,
the element's is; and it is never missing or extra by itself: the element's finding covers it
(``diff.keywords``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from cosmicdiff.diff.context import DiffContext
from cosmicdiff.diff.lcs import lcs_keep, positions
from cosmicdiff.diff.subject import Subject, Units, binding_text, found, renamed
from cosmicdiff.match.identity import Pairing, pair_items
from cosmicdiff.model import Export, Value, ValueList, normalise_text
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod


def own_list(export: Export, list_id: str) -> bool:
    """Return True if the list is an element's own (its id is the keyword's that uses it)."""
    keyword = export.keywords.get(list_id)
    return keyword is not None and keyword.value_list == list_id


def terminology_codes(ctx: DiffContext) -> bool:
    """Return True if value codes are a terminology's: no side was read from a COSMIC format.

    A COSMIC value's code is its id in its list (``list#code``); a region may number its
    values differently and still mean the same value, so a code change under the same
    display is not a finding there.
    """
    return not any(f.startswith("cosmic") for f in (*ctx.base.formats, *ctx.region.formats))


def region_value_list_cases(ctx: DiffContext) -> dict[str, set[str]]:
    """Return the cases of each region value list: those of the keywords that use it."""
    out: dict[str, set[str]] = defaultdict(set)
    for lid in ctx.region.value_lists if ctx.scope.catalogue else ():
        out[lid] |= set(ctx.scope.catalogue)
    lists = ctx.region.value_lists
    for lid, kw in ctx.region.keywords.items():
        if kw.value_list and kw.value_list in lists:
            cases = ctx.keyword_cases(lid)
            if cases:
                out[kw.value_list] |= cases
    return out


def value_list_findings(
    ctx: DiffContext, region_cases: Mapping[str, set[str]]
) -> Iterator[Deviation]:
    """Yield the findings about value lists in scope, baseline ones first, in id order."""
    pairs = ctx.matches.value_lists
    for bid, cases in sorted(ctx.scope.value_lists.items()):
        base = ctx.base.value_lists.get(bid)
        if base is None:
            continue
        lid = pairs.to_region.get(bid)
        if lid is None:
            if own_list(ctx.base, bid):
                continue  # reported with its element (missing, or a changed value list)
            subject = Subject(
                entity=Entity.VALUELIST,
                baseline_id=bid,
                local_id=None,
                path=bid,
                cases=cases,
                baseline_location=base.loc,
                units=(("valuelist", bid),),
            )
            yield found(ctx, subject, kind=Kind.MISSING, expected=base.name)
        else:
            yield from value_list_pair(
                ctx, base, ctx.region.value_lists[lid], cases, pairs.method[lid]
            )
    for lid, lcases in sorted(region_cases.items()):
        if lid not in pairs.to_baseline and not own_list(ctx.region, lid):
            vl = ctx.region.value_lists[lid]
            subject = Subject(
                entity=Entity.VALUELIST,
                baseline_id=None,
                local_id=lid,
                path=lid,
                cases=lcases,
                location=vl.loc,
            )
            yield found(ctx, subject, kind=Kind.EXTRA, actual=vl.name)


@dataclass(frozen=True, slots=True)
class ValuePairs:
    """The values of two paired value lists, by code, and how they pair."""

    base: ValueList
    region: ValueList
    base_values: Mapping[str, Value]
    region_values: Mapping[str, Value]
    pairs: Pairing
    cases: tuple[str, ...]
    #: the codes are a terminology's (openEHR, FHIR), not a COSMIC list's own value ids
    coded: bool = False

    def base_key(self, code: str) -> str:
        """Return the id of a baseline value: ``list#code``."""
        return f"{self.base.id}#{code}"

    def region_key(self, code: str) -> str:
        """Return the id of a region value: ``list#code``."""
        return f"{self.region.id}#{code}"

    def units(self, base_code: str) -> Units:
        """Return the score units of a paired or missing value."""
        return (("valuelist", self.base.id), ("value", self.base_key(base_code)))


def pair_values(
    base: ValueList, region: ValueList, cases: tuple[str, ...], *, coded: bool = False
) -> ValuePairs:
    """Pair the values of two value lists: by code (in one terminology), binding, display."""
    bvals = {v.code: v for v in base.values}
    rvals = {v.code: v for v in region.values}
    # a region code that the baseline has in another terminology is another value: give it
    # an id of its own for the pairing, so that it pairs by binding or display, if at all
    alias = {
        (f"{c}\x00" if c in bvals and _other_terminology(bvals[c], v) else c): c
        for c, v in rvals.items()
    }
    raw = pair_items(
        alias,
        bvals,
        {},
        lambda a: [str(x) for x in rvals[alias[a]].bindings],
        lambda c: [str(x) for x in bvals[c].bindings],
        lambda a: rvals[alias[a]].display,
        lambda c: bvals[c].display,
        same_id=MatchMethod.CODE,
    )
    pairs = raw
    if len(alias) != sum(a == c for a, c in alias.items()):
        pairs = Pairing()
        for a, b in raw.to_baseline.items():
            pairs.add(alias[a], b, raw.method[a])
    return ValuePairs(
        base=base,
        region=region,
        base_values=bvals,
        region_values=rvals,
        pairs=pairs,
        cases=cases,
        coded=coded,
    )


def _terminologies(value: Value) -> set[str]:
    """Return the systems of the bindings that carry the value's own code (FHIR)."""
    return {b.system for b in value.bindings if b.code == value.code}


def _other_terminology(base: Value, region: Value) -> bool:
    """Return True if two values with one code name their code in different terminologies."""
    if not base.bindings or not region.bindings:
        return False
    bt, rt = _terminologies(base), _terminologies(region)
    return bool(bt) and bool(rt) and not bt & rt


def value_list_pair(
    ctx: DiffContext, base: ValueList, region: ValueList, cases: tuple[str, ...], how: MatchMethod
) -> Iterator[Deviation]:
    """Yield the findings about two paired value lists: name, then values."""
    if base.name == region.name and base.values == region.values:
        return  # equal as written (codes, displays, bindings, order): the usual case
    if (
        normalise_text(region.name)
        and not own_list(ctx.region, region.id)
        and not own_list(ctx.base, base.id)
    ):
        subject = Subject(
            entity=Entity.VALUELIST,
            baseline_id=base.id,
            local_id=region.id,
            path=region.id,
            cases=cases,
            matched_by=how,
            location=region.loc,
            baseline_location=base.loc,
            units=(("valuelist", base.id),),
        )
        yield from renamed(ctx, subject, base.name, region.name)
    values = pair_values(base, region, cases, coded=terminology_codes(ctx))
    yield from unpaired_values(ctx, values)
    yield from changed_values(ctx, values)
    yield from reordered_values(ctx, values)


def unpaired_values(ctx: DiffContext, values: ValuePairs) -> Iterator[Deviation]:
    """Yield ``missing`` and ``extra`` for the values without partner."""
    pairs, units = values.pairs, (("valuelist", values.base.id),)
    for code, value in values.base_values.items():
        if code not in pairs.to_region:
            key = values.base_key(code)
            subject = Subject(
                entity=Entity.VALUE,
                baseline_id=key,
                local_id=None,
                path=key,
                cases=values.cases,
                location=values.region.loc,
                baseline_location=value.loc,
                units=values.units(code),
            )
            yield found(ctx, subject, kind=Kind.MISSING, expected=value.display)
    for code, value in values.region_values.items():
        if code not in pairs.to_baseline:
            key = values.region_key(code)
            subject = Subject(
                entity=Entity.VALUE,
                baseline_id=None,
                local_id=key,
                path=key,
                cases=values.cases,
                location=value.loc,
                units=units,
            )
            yield found(ctx, subject, kind=Kind.EXTRA, actual=value.display)


def _pair_subject(values: ValuePairs, region_code: str, base_code: str) -> Subject:
    """Return the subject of a paired value."""
    key = values.region_key(region_code)
    return Subject(
        entity=Entity.VALUE,
        baseline_id=values.base_key(base_code),
        local_id=key,
        path=key,
        cases=values.cases,
        matched_by=values.pairs.method[region_code],
        location=values.region_values[region_code].loc,
        baseline_location=values.base_values[base_code].loc,
        units=values.units(base_code),
    )


def changed_values(ctx: DiffContext, values: ValuePairs) -> Iterator[Deviation]:
    """Yield ``renamed`` and ``binding_changed`` for the paired values, by region code."""
    for rcode, bcode in sorted(values.pairs.to_baseline.items()):
        bv, rv = values.base_values[bcode], values.region_values[rcode]
        bb, rb = (
            (binding_text(bv.bindings), binding_text(rv.bindings))
            if bv.bindings != rv.bindings
            else ("", "")
        )
        if rcode != bcode and values.coded and not (_terminologies(bv) and _terminologies(rv)):
            # the code itself changed and no binding shows it: it leads the binding text
            bb, rb = _with_code(bcode, bb), _with_code(rcode, rb)
        if bv.display == rv.display and bb == rb:
            continue  # the usual case: no subject to build
        subject = _pair_subject(values, rcode, bcode)
        yield from renamed(ctx, subject, bv.display, rv.display)
        if bb != rb:
            yield found(
                ctx, subject, kind=Kind.BINDING_CHANGED, expected=bb or None, actual=rb or None
            )


def _with_code(code: str, bindings: str) -> str:
    """Return a value's code followed by its binding text (``at1014, snomed-ct:…``)."""
    return f"{code}, {bindings}" if bindings else code


def reordered_values(ctx: DiffContext, values: ValuePairs) -> Iterator[Deviation]:
    """Yield ``order_changed`` for the paired values off the alignment of the two orders."""
    pairs = values.pairs
    border = [c for c in values.base_values if c in pairs.to_region]
    rorder = [pairs.to_baseline[c] for c in values.region_values if c in pairs.to_baseline]
    keep = lcs_keep(border, rorder)
    if len(keep) == len(rorder):
        return
    was, now = positions(border), positions(rorder)
    for bcode in rorder:
        if bcode not in keep:
            subject = _pair_subject(values, pairs.to_region[bcode], bcode)
            yield found(
                ctx,
                subject,
                kind=Kind.ORDER_CHANGED,
                expected=str(was[bcode]),
                actual=str(now[bcode]),
            )
