"""Small hand-built models for the unit tests of the diff functions (no files, no engine).

Only Template and ValueList are edited with ``dataclasses.replace``; keywords are built whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from cosmicdiff.diff.context import DiffContext, build_context
from cosmicdiff.match.identity import match_region
from cosmicdiff.match.scope import build_scope
from cosmicdiff.model import (
    Baseline,
    Binding,
    Case,
    CaseId,
    Export,
    IdMapping,
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    Status,
    Template,
    TemplateId,
    Term,
    Value,
    ValueList,
    ValueListId,
)
from cosmicdiff.result.deviation import Deviation


def kw(
    kid: str,
    name: str | None = None,
    *,
    value_list: str | None = None,
    bindings: tuple[Binding, ...] = (),
    status: Status = Status.ACTIVE,
    hidden_from_1177: bool = False,
    description: str | None = None,
) -> Keyword:
    """Build a text keyword named after its id."""
    return Keyword(
        id=KeywordId(kid),
        name=name or f"name of {kid}",
        type=KeywordType.TEXT,
        value_list=ValueListId(value_list) if value_list else None,
        bindings=bindings,
        status=status,
        hidden_from_1177=hidden_from_1177,
        description=description,
    )


def it(keyword: str, *children: Item, mandatory: bool = False) -> Item:
    """Build a template item."""
    return Item(keyword=KeywordId(keyword), mandatory=mandatory, children=tuple(children))


def tpl(tid: str, *items: Item) -> Template:
    """Build a template named after its id (change more with ``dataclasses.replace``)."""
    return Template(id=TemplateId(tid), name=f"name of {tid}", items=tuple(items))


def vl(vid: str, *values: tuple[str, str]) -> ValueList:
    """Build a value list from (code, display) pairs."""
    return ValueList(
        id=ValueListId(vid),
        name=f"name of {vid}",
        values=tuple(Value(code=c, display=d) for c, d in values),
    )


def export(
    region: str,
    *,
    keywords: Iterable[Keyword] = (),
    templates: Iterable[Template] = (),
    value_lists: Iterable[ValueList] = (),
    terms: Iterable[Term] = (),
    mapping: Mapping[str, str] | None = None,
) -> Export:
    """Build an export; keywords used by templates but not given are defined as text."""
    templates = tuple(templates)
    table: dict[str, Keyword] = {k.id: k for k in keywords}
    return Export(
        region=region,
        keywords=table,
        templates={t.id: t for t in templates},
        value_lists={v.id: v for v in value_lists},
        terms={t.key: t for t in terms},
        mapping=IdMapping(keywords=dict(mapping or {})),
    )


def used(*templates: Template) -> list[Keyword]:
    """Return a text keyword for every keyword the templates use."""
    return [kw(k) for k in sorted({i.keyword for t in templates for _, i in t.walk()})]


def context(
    base: Export,
    region: Export,
    cases: Mapping[str, Iterable[str]] | None = None,
    *,
    catalogue: bool = False,
    selected: Iterable[str] = (),
) -> DiffContext:
    """Return the diff context of ``region`` against a baseline of ``base``.

    ``cases`` default to one case ``c1`` holding every baseline template.
    """
    table = cases if cases is not None else {"c1": sorted(base.templates)}
    all_cases = [
        Case(id=CaseId(c), name=c, templates=tuple(TemplateId(i) for i in t))
        for c, t in table.items()
    ]
    if catalogue:
        all_cases.append(Case(id=CaseId("cat"), name="cat", catalogue=True))
    baseline = Baseline(id="b", name="b", version="1", export=base, cases=tuple(all_cases))
    scope = build_scope(baseline, selected)
    return build_context(baseline, scope, region, match_region(region, baseline))


Short = tuple[str, str, str | None, str | None, str | None]


def short(deviations: Iterable[Deviation]) -> list[Short]:
    """Return (kind, path, field, expected, actual) of each deviation, in order."""
    return [(d.kind.value, d.path or "", d.field, d.expected, d.actual) for d in deviations]
