"""Compare keywords: the attributes of each pair, value list references, catalogue keywords.

Keywords that templates use are missing or extra as template items (``diff.trees``); only a
catalogue case reports the keywords no template uses.

An openEHR coded element (``Keyword.coding`` set on both sides) whose codes went from an open
terminology or reference set (ClinicalCoding) to a fixed list (FixValue), or back, keeps its
data type: that is one ``binding_changed`` (field ``terminology``) naming the reference set
and the listed codes, not a ``type_changed`` plus a value list of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from cosmicdiff.diff.context import DiffContext
from cosmicdiff.diff.subject import Subject, binding_text, found, renamed
from cosmicdiff.diff.valuelists import own_list
from cosmicdiff.model import Export, Keyword, KeywordType, normalise_text, same_text
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod


def keyword_findings(ctx: DiffContext) -> Iterator[Deviation]:
    """Yield the findings about keywords in scope: pairs, then the region's own, by id."""
    pairs = ctx.matches.keywords
    in_scope, base_keywords, region_keywords = (
        ctx.scope.keywords,
        ctx.base.keywords,
        ctx.region.keywords,
    )
    for lid, bid in sorted(pairs.to_baseline.items()):
        cases = in_scope.get(bid)
        if cases:
            base, region = base_keywords[bid], region_keywords[lid]
            # the compared fields as tuple slices (see same_keyword): most pairs are equal
            if (
                base[1:4] == region[1:4]
                and base[5:9] == region[5:9]
                and base.slot == region.slot
                and _same_value_list(ctx, base, region)
            ):
                continue
            yield from keyword_pair(ctx, base, region, cases, pairs.method[lid])
    for lid in sorted(ctx.own.keywords):
        keyword = ctx.region.keywords.get(lid)
        if (
            keyword is not None
            and lid not in pairs.to_baseline
            and dangling_value_list(ctx, keyword)
        ):
            subject = Subject(
                entity=Entity.VALUELIST,
                baseline_id=None,
                local_id=keyword.value_list,
                path=ctx.keyword_path(keyword.id),
                cases=ctx.keyword_cases(lid),
                location=keyword.loc,
                label_path=ctx.keyword_labels(keyword.id),
            )
            yield found(ctx, subject, kind=Kind.UNRESOLVED_REFERENCE)
    if ctx.scope.catalogue:
        yield from catalogue_keywords(ctx)


#: the fields same_keyword compares, by position (keyword_findings compares slices)
assert Keyword._fields[1:4] == ("name", "type", "unit")
assert Keyword._fields[5:9] == ("bindings", "status", "hidden_from_1177", "description")


def same_keyword(ctx: DiffContext, base: Keyword, region: Keyword) -> bool:
    """Return True if two paired keywords are equal as written (the usual case)."""
    return (
        base.name == region.name
        and base.type == region.type
        and base.unit == region.unit
        and base.bindings == region.bindings
        and base.status == region.status
        and base.hidden_from_1177 == region.hidden_from_1177
        and base.description == region.description
        and base.slot == region.slot
        and _same_value_list(ctx, base, region)
    )


def _same_value_list(ctx: DiffContext, base: Keyword, region: Keyword) -> bool:
    """Return True if both name no value list, or the region's pairs with the baseline's."""
    vl = region.value_list
    if not vl:
        return vl is None and base.value_list is None
    return (
        vl in ctx.region.value_lists
        and ctx.matches.value_lists.to_baseline.get(vl) == base.value_list
    )


def keyword_pair(
    ctx: DiffContext, base: Keyword, region: Keyword, cases: tuple[str, ...], how: MatchMethod
) -> Iterator[Deviation]:
    """Yield the findings about two paired keywords, attribute by attribute."""
    if same_keyword(ctx, base, region):
        return
    subject = Subject(
        entity=Entity.KEYWORD,
        baseline_id=base.id,
        local_id=region.id,
        path=ctx.keyword_path(region.id),
        cases=cases,
        template=ctx.keyword_template(region.id),
        matched_by=how,
        location=region.loc,
        baseline_location=base.loc,
        units=(("keyword", base.id),),
        label_path=ctx.keyword_labels(region.id),
    )
    yield from renamed(ctx, subject, base.name, region.name)
    yield from keyword_attributes(ctx, subject, base, region)
    if dangling_value_list(ctx, region):
        reference = subject._replace(
            entity=Entity.VALUELIST, baseline_id=None, local_id=region.value_list, template=None
        )
        yield found(ctx, reference, kind=Kind.UNRESOLVED_REFERENCE)
        return
    if coding_changed(base, region):
        return  # reported as binding_changed (terminology) with the codes
    mapped = (
        ctx.matches.value_lists.to_baseline.get(region.value_list) if region.value_list else None
    )
    if mapped != base.value_list or (
        mapped is None and region.value_list and own_list(ctx.region, region.value_list)
    ):
        yield found(
            ctx,
            subject,
            kind=Kind.VALUELIST_CHANGED,
            expected=base.value_list,
            actual=region.value_list,
        )


def keyword_attributes(
    ctx: DiffContext, subject: Subject, base: Keyword, region: Keyword
) -> Iterator[Deviation]:
    """Yield the changes of type, unit, bindings, status, visibility and description."""
    if coding_changed(base, region):
        yield found(
            ctx,
            subject,
            kind=Kind.BINDING_CHANGED,
            field="terminology",
            expected=coded_domain(ctx.base, base),
            actual=coded_domain(ctx.region, region),
        )
    elif base.type != region.type:
        yield found(
            ctx, subject, kind=Kind.TYPE_CHANGED, expected=base.type.value, actual=region.type.value
        )
    if not same_text(base.unit, region.unit):
        yield found(ctx, subject, kind=Kind.UNIT_CHANGED, expected=base.unit, actual=region.unit)
    if base.bindings != region.bindings:
        bb, rb = binding_text(base.bindings), binding_text(region.bindings)
        if bb != rb:
            yield found(
                ctx, subject, kind=Kind.BINDING_CHANGED, expected=bb or None, actual=rb or None
            )
    if base.status != region.status:
        yield found(
            ctx,
            subject,
            kind=Kind.STATUS_CHANGED,
            expected=base.status.value,
            actual=region.status.value,
        )
    if base.hidden_from_1177 != region.hidden_from_1177:
        yield found(
            ctx, subject, kind=Kind.VISIBILITY_CHANGED, expected=_shown(base), actual=_shown(region)
        )
    if not same_text(base.description, region.description):
        yield found(
            ctx,
            subject,
            kind=Kind.ATTRIBUTE_CHANGED,
            field="description",
            expected=base.description,
            actual=region.description,
        )
    if base.slot != region.slot:
        yield from slot_patterns(ctx, subject, base, region)


def slot_patterns(
    ctx: DiffContext, subject: Subject, base: Keyword, region: Keyword
) -> Iterator[Deviation]:
    """Yield ``attribute_changed`` (``include``, ``exclude``) for changed slot patterns.

    The patterns of each side are compared as a set after white-space collapsing, and
    written sorted and joined with ``; ``; a slot on one side only compares with no patterns.
    """
    for name, bp, rp in (
        (
            "include",
            base.slot.includes if base.slot else (),
            region.slot.includes if region.slot else (),
        ),
        (
            "exclude",
            base.slot.excludes if base.slot else (),
            region.slot.excludes if region.slot else (),
        ),
    ):
        bt, rt = pattern_text(bp), pattern_text(rp)
        if bt != rt:
            yield found(
                ctx, subject, kind=Kind.ATTRIBUTE_CHANGED, field=name, expected=bt, actual=rt
            )


def pattern_text(patterns: tuple[str, ...]) -> str | None:
    """Return slot patterns as one comparable text (sorted, joined with ``; ``; None if none)."""
    return "; ".join(sorted({normalise_text(p) for p in patterns})) or None


_OPEN_OR_LISTED = frozenset({KeywordType.CLINICAL_CODING, KeywordType.FIX_VALUE})


def coding_changed(base: Keyword, region: Keyword) -> bool:
    """Return True if a coded element went from open codes to a fixed list, or back."""
    return (
        base.coding is not None
        and region.coding is not None
        and base.type != region.type
        and {base.type, region.type} == _OPEN_OR_LISTED
    )


def coded_domain(export: Export, keyword: Keyword) -> str:
    """Return the codes a coded element allows: its listed codes, else where they come from.

    Listed codes are written ``<terminology>::<code>``, sorted and joined with ``, ``; an open
    coding is its reference set or constraint (``terminology:ICD10``).
    """
    vl = export.value_lists.get(keyword.value_list) if keyword.value_list else None
    if vl is None or not vl.values:
        return keyword.coding or ""
    return ", ".join(
        sorted(v.code if "::" in v.code else f"{keyword.coding}::{v.code}" for v in vl.values)
    )


def dangling_value_list(ctx: DiffContext, region: Keyword) -> bool:
    """Return True if a region keyword names a value list the region does not define."""
    return bool(region.value_list) and region.value_list not in ctx.region.value_lists


def catalogue_keywords(ctx: DiffContext) -> Iterator[Deviation]:
    """Yield ``missing`` and ``extra`` for the keywords no template uses (catalogue cases)."""
    catalogue = ctx.scope.catalogue
    pairs = ctx.matches.keywords
    used_base = {i.keyword for t in ctx.base.templates.values() for _, i in t.walk()}
    used_region = {i.keyword for t in ctx.region.templates.values() for _, i in t.walk()}
    for bid in sorted(ctx.base.keywords):
        if bid not in pairs.to_region and bid not in used_base:
            keyword = ctx.base.keywords[bid]
            subject = Subject(
                entity=Entity.KEYWORD,
                baseline_id=bid,
                local_id=None,
                path=bid,
                cases=catalogue,
                baseline_location=keyword.loc,
                units=(("keyword", bid),),
            )
            yield found(ctx, subject, kind=Kind.MISSING, expected=keyword.name)
    for lid in sorted(ctx.region.keywords):
        if lid not in pairs.to_baseline and lid not in used_region:
            keyword = ctx.region.keywords[lid]
            subject = Subject(
                entity=Entity.KEYWORD,
                baseline_id=None,
                local_id=lid,
                path=lid,
                cases=catalogue,
                location=keyword.loc,
            )
            yield found(ctx, subject, kind=Kind.EXTRA, actual=keyword.name)


def _shown(keyword: Keyword) -> str:
    return "hidden" if keyword.hidden_from_1177 else "shown"
