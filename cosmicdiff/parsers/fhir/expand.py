"""Expand intensional FHIR value sets once every input is read.

A ValueSet that includes a whole code system (``compose.include.system`` without
``concept``), selects codes by ``filter`` or includes another value set lists no codes of its
own: the reader keeps those parts as the list's :class:`~cosmicdiff.model.CodeRule` rules. Here
they are expanded from the CodeSystems and ValueSets read on either side of the comparison or
given with ``--terminology``:

- a whole system: every concept of the CodeSystem, in its order (nested ones depth first);
- filters (all must hold): ``concept`` ``is-a`` / ``descendent-of`` / ``is-not-a`` / ``in`` /
  ``not-in`` / ``=`` over the CodeSystem's hierarchy (nesting, ``parent``/``subsumedBy``
  properties), and ``<property>`` ``=`` / ``in`` / ``not-in`` / ``exists``; any other filter
  leaves the include unexpanded;
- another value set: its codes, when it is read and itself complete;
- excludes: the codes they list, a whole system, or by the same filters.

An expanded value carries the code system's concept: its display and the CodeSystem's file
and line. The side whose value set uses a code system it does not define itself gets that
code system's terms (it refers to them; comparing them finds any difference between two
releases of the code system, and never reports them missing).

What cannot be expanded stays a rule: the list is *open* (:attr:`ValueList.is_open`); the
diff compares only the codes it states and reports none missing or extra against it, and
:func:`expand_value_sets` with ``final`` adds ONE ``not_expanded`` note per value set saying
why its codes were not expanded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from cosmicdiff.errors import excerpt, quoted
from cosmicdiff.model import (
    Baseline,
    Binding,
    CodeRule,
    Export,
    InputNote,
    Term,
    Value,
    ValueList,
)
from cosmicdiff.parsers.fhir.json_reader import term_system

_CONCEPT_OPS = frozenset({"is-a", "descendent-of", "is-not-a", "in", "not-in", "="})
_PROPERTY_OPS = frozenset({"=", "in", "not-in", "exists"})


class CodeSystemView:
    """One CodeSystem as read: its value list (the concepts in order) and its terms."""

    def __init__(self, vl: ValueList, terms: dict[str, Term]) -> None:
        self.url = str(vl.id)
        self.values = vl.values
        self.terms = terms  # code -> Term
        self.system = term_system(self.url)
        self._children: dict[str, list[str]] = {}
        for code, term in terms.items():
            for parent in term.parents:
                self._children.setdefault(parent, []).append(code)

    def descendants(self, code: str) -> set[str]:
        """Return the codes below ``code`` in the hierarchy (not ``code`` itself)."""
        out: set[str] = set()
        todo = list(self._children.get(code, ()))
        while todo:
            c = todo.pop()
            if c not in out:
                out.add(c)
                todo.extend(self._children.get(c, ()))
        return out

    def select(self, flt: tuple[str, str, str]) -> set[str] | None:
        """Return the codes a filter selects; None when the filter is not supported."""
        prop, op, value = flt
        every = {v.code for v in self.values}
        items = {x.strip() for x in value.split(",") if x.strip()}
        if prop == "concept" and op in _CONCEPT_OPS:
            if op == "is-a":
                return ({value} | self.descendants(value)) & every
            if op == "descendent-of":
                return self.descendants(value)
            if op == "is-not-a":
                return every - {value} - self.descendants(value)
            return (items & every) if op in ("in", "=") else every - items
        if op not in _PROPERTY_OPS or prop == "concept":
            return None
        props = {c: [v for k, v in t.properties if k == prop] for c, t in self.terms.items()}
        if op == "exists":
            want = value.strip().lower() != "false"
            return {c for c in every if bool(props.get(c)) == want}
        wanted = {value} if op == "=" else items
        hit = {c for c in every if set(props.get(c, ())) & wanted}
        return every - hit if op == "not-in" else hit


def code_systems(exports: Iterable[Export]) -> dict[str, CodeSystemView]:
    """Return the CodeSystems read in ``exports`` by url (the first one read wins)."""
    out: dict[str, CodeSystemView] = {}
    for export in exports:
        if export.formats and all(f.startswith("cosmic") for f in export.formats):
            continue  # a COSMIC export holds no code systems (its lists are fasta värden)
        for vid, vl in export.value_lists.items():
            if vid in out or not vl.values or vl.rules:
                continue
            system = term_system(vid)
            terms = {v.code: export.terms.get(f"{system}:{v.code}") for v in vl.values}
            if all(terms.values()):
                out[vid] = CodeSystemView(vl, {c: t for c, t in terms.items() if t})
    return out


class _Expander:
    """Expand the rules of one value list against the code systems and value sets known."""

    def __init__(
        self, systems: dict[str, CodeSystemView], sets: dict[str, ValueList], among: str
    ) -> None:
        self.systems, self.sets, self.among = systems, sets, among
        self.used: set[str] = set()  # urls of the code systems drawn on

    def codes(self, rule: CodeRule) -> tuple[list[Value] | None, str]:
        """Return the values a rule selects, or None and why it cannot be expanded."""
        picked: list[Value] | None = None
        if rule.system:
            cs = self.systems.get(rule.system)
            if cs is None:
                return None, f"code system {quoted(rule.system)} is not among {self.among}"
            wanted = {v.code for v in cs.values}
            for flt in rule.filters:
                got = cs.select(flt)
                if got is None:
                    return None, f"filter {excerpt(' '.join(flt))} is not supported"
                wanted &= got
            self.used.add(cs.url)
            picked = [self._value(cs, v, rule.version) for v in cs.values if v.code in wanted]
        for url in rule.value_sets:
            other = self.sets.get(url)
            if other is None or other.is_open:
                why = f"is not among {self.among}" if other is None else "is not expanded either"
                return None, f"value set {quoted(url)} {why}"
            codes = {v.code for v in other.values}
            picked = (
                list(other.values) if picked is None else [v for v in picked if v.code in codes]
            )
        return picked or [], ""

    @staticmethod
    def _value(cs: CodeSystemView, v: Value, version: str | None) -> Value:
        if not version:
            return v
        extra = Binding(system=term_system(f"{cs.url}|{version.strip()}"), code=v.code)
        return v._replace(bindings=(*v.bindings, extra))

    def expand(self, vl: ValueList) -> tuple[ValueList, list[str]]:
        """Return the list with what could be expanded, and why the rest could not."""
        values = list(vl.values)
        left: list[CodeRule] = []
        why: list[str] = []
        for rule in (r for r in vl.rules if not r.exclude):
            picked, reason = self.codes(rule)
            if picked is None:
                left.append(rule)
                why.append(reason)
            else:
                values += picked
        for rule in (r for r in vl.rules if r.exclude):
            if rule.codes and not rule.filters and not rule.value_sets:
                values = [v for v in values if v.code not in rule.codes]
                if left:
                    left.append(rule)  # to apply to what is expanded later
                continue
            picked, reason = self.codes(rule)
            if picked is None:
                left.append(rule)
                why.append(f"exclude: {reason}")
                continue
            gone = {v.code for v in picked}
            values = [v for v in values if v.code not in gone]
        unique: dict[str, Value] = {}
        for v in values:
            unique.setdefault(v.code, v)
        return replace(vl, values=tuple(unique.values()), rules=tuple(left)), why


def expand_value_sets(
    export: Export,
    sources: Sequence[Export] = (),
    *,
    final: bool = True,
    among: str = "the inputs",
) -> Export:
    """Return ``export`` with its intensional value sets expanded from its own code systems
    and value sets and those of ``sources`` (the other side, ``--terminology``).

    With ``final``, each value set left open gets one ``not_expanded`` note saying why
    (``among``: what was searched, for the note).
    """
    everything = (export, *sources)
    systems = code_systems(everything)
    if not systems and not any(vl.rules for vl in export.value_lists.values()):
        return export
    sets: dict[str, ValueList] = {}
    for e in everything:
        for vid, vl in e.value_lists.items():
            if not vl.is_reference:
                sets.setdefault(vid, vl)
    expander = _Expander(systems, sets, among)
    lists = dict(export.value_lists)
    # a stand-in takes the definition read elsewhere; then every open list is expanded,
    # again while a pass expands more (a value set may include another one)
    for vid, vl in lists.items():
        if vl.is_reference and vid in sets:
            lists[vid] = sets[vid]
    why: dict[str, list[str]] = {}
    for _ in range(len(lists)):
        progress = False
        for vid, vl in lists.items():
            if vl.rules:
                lists[vid], why[vid] = expander.expand(vl)
                progress |= len(lists[vid].rules) < len(vl.rules)
                sets[vid] = lists[vid]
        if not progress:
            break
    notes = [_note(vl, why.get(vid, []), among) for vid, vl in lists.items() if final and vl.rules]
    # the code systems the export's values are drawn from (expanded, or listed by code)
    bound = {b.system for vl in lists.values() for v in vl.values for b in v.bindings}
    used = expander.used | {url for url, cs in systems.items() if cs.system in bound}
    terms = dict(export.terms)
    for url in sorted(used):
        cs = systems[url]
        if not any(k.startswith(cs.system + ":") for k in export.terms):
            terms.update({t.key: t for t in cs.terms.values()})
    if lists == export.value_lists and terms == export.terms and not notes:
        return export
    return replace(export, value_lists=lists, terms=terms, notes=(*export.notes, *notes))


def _note(vl: ValueList, why: list[str], among: str) -> InputNote:
    """Return the one note about a value set whose codes were not (all) expanded."""
    reasons = "; ".join(dict.fromkeys(why))
    count = len(vl.values)
    stated = (
        "it lists no codes of its own, so none is compared"
        if not count
        else f"only the {count} code{'s' if count > 1 else ''} it lists "
        f"{'are' if count > 1 else 'is'} compared"
    )
    if vl.is_reference:
        message = (
            f"value set {quoted(vl.id)} is not among {among} (give it with --terminology); "
            "its codes are not compared"
        )
    else:
        message = (
            f"value set {quoted(vl.id)}: its codes were not expanded ({reasons}); {stated}, "
            "and no code is reported missing from it or extra beside it"
        )
    where = vl.rules[0].loc  # the first include left unexpanded (a stand-in: the item)
    return InputNote(
        kind="not_expanded",
        path=where.path,
        line=where.line,
        message=message,
        subject=vl.id,
    )


def expand_baseline_for(
    baseline: Baseline, region: Export, terminology: Sequence[Export] = ()
) -> tuple[Baseline, Export]:
    """Expand what the baseline's value sets left open from the region's code systems.

    Returns the baseline to compare this region with (the same object when nothing more
    could be expanded) and the region, with one note per baseline value set so expanded.
    """
    before = baseline.export
    if not any(vl.rules for vl in before.value_lists.values()):
        return baseline, region
    after = expand_value_sets(before, (region, *terminology), final=False)
    done = sorted(
        vid
        for vid, vl in after.value_lists.items()
        if len(vl.rules) < len(before.value_lists[vid].rules)
    )
    if not done:
        return baseline, region
    notes = tuple(
        InputNote(
            kind="expanded",
            path=before.value_lists[vid].loc.path,
            line=before.value_lists[vid].loc.line,
            message=f"the baseline's value set {quoted(vid)} is expanded, for this region, "
            "from the code systems or value sets in this region's files",
            subject=vid,
        )
        for vid in done
    )
    return replace(baseline, export=after), replace(region, notes=(*region.notes, *notes))
