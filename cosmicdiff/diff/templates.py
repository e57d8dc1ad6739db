"""Compare templates: missing and extra ones, and the attributes and items of each pair."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping

from cosmicdiff.diff.context import DiffContext
from cosmicdiff.diff.paths import item_labels, joined_path
from cosmicdiff.diff.slots import grouped_fills
from cosmicdiff.diff.subject import Subject, found, renamed
from cosmicdiff.diff.trees import item_findings
from cosmicdiff.model import Template, same_text
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod


def template_findings(ctx: DiffContext, cache: MutableMapping[str, object]) -> Iterator[Deviation]:
    """Yield the findings about templates in scope, baseline ones first, in id order.

    ``cache`` keeps the keyed baseline item trees between regions.
    """
    pairs = ctx.matches.templates
    for bid, cases in sorted(ctx.scope.templates.items()):
        base = ctx.base.templates[bid]
        lid = pairs.to_region.get(bid)
        if lid is None:
            subject = Subject(
                entity=Entity.TEMPLATE,
                baseline_id=bid,
                local_id=None,
                path=bid,
                cases=cases,
                template=bid,
                baseline_location=base.loc,
                units=(("template", bid),),
            )
            yield found(ctx, subject, kind=Kind.MISSING, expected=base.name)
        else:
            yield from template_pair(
                ctx, base, ctx.region.templates[lid], cases, pairs.method[lid], cache
            )
    for lid, cases in sorted(ctx.own.templates.items()):
        if lid not in pairs.to_baseline:
            yield from extra_template(ctx, lid, ctx.region.templates[lid], cases)


def template_pair(
    ctx: DiffContext,
    base: Template,
    region: Template,
    cases: tuple[str, ...],
    how: MatchMethod,
    cache: MutableMapping[str, object],
) -> Iterator[Deviation]:
    """Yield the findings about two paired templates: name, attributes, status, items."""
    subject = Subject(
        entity=Entity.TEMPLATE,
        baseline_id=base.id,
        local_id=region.id,
        path=region.id,
        cases=cases,
        template=base.id,
        matched_by=how,
        location=region.loc,
        baseline_location=base.loc,
        units=(("template", base.id),),
    )
    yield from renamed(ctx, subject, base.name, region.name)
    yield from template_attributes(ctx, subject, base, region)
    if base.status != region.status:
        yield found(
            ctx,
            subject,
            kind=Kind.STATUS_CHANGED,
            expected=base.status.value,
            actual=region.status.value,
        )
    yield from item_findings(ctx, base, region, cases, cache, grouped_fills)


def template_attributes(
    ctx: DiffContext, subject: Subject, base: Template, region: Template
) -> Iterator[Deviation]:
    """Yield ``attribute_changed`` for version, note type, description (a form's static
    text) and (if the region says) cases."""
    for name, bv, rv in (
        ("version", base.version, region.version),
        ("noteType", base.note_type, region.note_type),
        ("description", base.description, region.description),
    ):
        if not same_text(bv, rv):
            yield found(
                ctx, subject, kind=Kind.ATTRIBUTE_CHANGED, field=name, expected=bv, actual=rv
            )
    if region.cases is not None:
        expected = sorted(set(base.cases or ()) | ctx.declared_cases.get(base.id, frozenset()))
        actual = sorted(set(region.cases))
        if actual != expected:
            yield found(
                ctx,
                subject,
                kind=Kind.ATTRIBUTE_CHANGED,
                field="cases",
                expected=" ".join(expected),
                actual=" ".join(actual),
            )


def extra_template(
    ctx: DiffContext, lid: str, region: Template, cases: tuple[str, ...]
) -> Iterator[Deviation]:
    """Yield ``extra`` for region template ``lid`` (no partner), and its undefined keywords."""
    subject = Subject(
        entity=Entity.TEMPLATE,
        baseline_id=None,
        local_id=lid,
        path=lid,
        cases=cases,
        location=region.loc,
    )
    yield found(ctx, subject, kind=Kind.EXTRA, actual=region.name)
    defined = ctx.region.keywords
    for ancestors, item in region.walk():
        if item.keyword not in defined:
            path = joined_path(region.id, [*(a.keyword for a in ancestors), item.keyword])
            labels = item_labels(region.name, (*ancestors, item), defined) if ctx.labelled else ()
            yield found(
                ctx,
                Subject(
                    entity=Entity.KEYWORD,
                    baseline_id=None,
                    local_id=item.keyword,
                    path=path,
                    cases=cases,
                    location=item.loc,
                    label_path=labels,
                ),
                kind=Kind.UNRESOLVED_REFERENCE,
            )
