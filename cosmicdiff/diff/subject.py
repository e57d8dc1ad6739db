"""What a finding is about (a :class:`Subject`) and the one place raw Deviations are built.

A subject is one compared item (a template, keyword, value list, value or term, or one
occurrence of a keyword in a template): its ids on both sides, the path it is shown at, the
cases and template it belongs to, how it was paired and where each side was read. Each
finding about it adds a kind and, for a change, the field and the two values.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import NamedTuple

from cosmicdiff.diff.context import DiffContext
from cosmicdiff.model import Binding, Export, SourceLocation, normalise_text
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind, MatchMethod

#: the score units a finding counts against: ``(("template", id), ("keyword", id))`` …
Units = tuple[tuple[str, str], ...]


class Subject(NamedTuple):
    """The item a finding is about, and what every finding about it shares."""

    entity: Entity
    baseline_id: str | None
    local_id: str | None
    path: str | None
    #: the cases it is compared under (ordered and de-duplicated when a finding is built)
    cases: Collection[str]
    #: the baseline template the finding is shown under (None: a catalogue item)
    template: str | None = None
    matched_by: MatchMethod | None = None
    location: SourceLocation | None = None
    baseline_location: SourceLocation | None = None
    units: Units = ()
    occurrence: int = 1
    #: the names from the template down to the item (standard formats only; see diff.paths)
    label_path: tuple[str, ...] = ()


def found(
    ctx: DiffContext,
    subject: Subject,
    *,
    kind: Kind,
    field: str | None = None,
    expected: str | None = None,
    actual: str | None = None,
    case_only: bool = False,
) -> Deviation:
    """Return the raw deviation ``kind`` about ``subject``, with its name and cases."""
    cases = ctx.scope.order(subject.cases)
    return Deviation(
        region=ctx.region.region,
        kind=kind,
        entity=subject.entity,
        baseline_id=subject.baseline_id,
        local_id=subject.local_id,
        path=subject.path,
        field=field,
        expected=expected,
        actual=actual,
        case=cases[0] if cases else None,
        cases=cases,
        name=name_of(ctx, subject),
        template=subject.template,
        matched_by=subject.matched_by,
        location=subject.location,
        baseline_location=subject.baseline_location,
        case_only=case_only,
        units=subject.units,
        occurrence=subject.occurrence,
        label_path=subject.label_path,
    )


def renamed(
    ctx: DiffContext,
    subject: Subject,
    expected: str | None,
    actual: str | None,
    field: str | None = None,
) -> Iterator[Deviation]:
    """Yield a ``renamed`` finding if two names differ after normalisation."""
    if expected == actual:
        return
    bn, rn = normalise_text(expected), normalise_text(actual)
    if bn != rn:
        yield found(
            ctx,
            subject,
            kind=Kind.RENAMED,
            field=field,
            expected=expected,
            actual=actual,
            case_only=bn.casefold() == rn.casefold(),
        )


def name_of(ctx: DiffContext, subject: Subject) -> str | None:
    """Return the display name of a subject: the baseline's, else the region's."""
    name = None
    if subject.baseline_id:
        name = _name_in(ctx.base, subject.entity, subject.baseline_id)
    if name is None and subject.local_id:
        name = _name_in(ctx.region, subject.entity, subject.local_id)
    return name


def _name_in(export: Export, entity: Entity, item_id: str) -> str | None:
    """Return the display name of an item of ``export`` (None if it is not there)."""
    if entity is Entity.VALUE:
        vl_id, _, code = item_id.partition("#")
        vl = export.value_lists.get(vl_id)
        value = next((v for v in vl.values if v.code == code), None) if vl else None
        return value.display if value else None
    if entity is Entity.TERM:
        term = export.terms.get(item_id)
        return display(term.displays) if term else None
    if entity is Entity.TEMPLATE:
        template = export.templates.get(item_id)
        return template.name if template is not None else None
    if entity is Entity.KEYWORD:
        keyword = export.keywords.get(item_id)
        return keyword.name if keyword is not None else None
    value_list = export.value_lists.get(item_id)
    return value_list.name if value_list is not None else None


def display(displays: Mapping[str, str]) -> str | None:
    """Return a term's display: the Swedish one, else the first (None if it has none)."""
    if not displays:
        return None
    return displays.get("sv") or next(iter(displays.values()))


def binding_text(bindings: Iterable[Binding]) -> str:
    """Return bindings as one comparable text: ``system:code`` sorted, de-duplicated."""
    return ", ".join(sorted({f"{b.system}:{normalise_text(b.code)}" for b in bindings}))
