"""Read a FHIR CodeSystem into one ``ValueList`` and one ``Term`` per concept.

The value list (id = ``url``) holds all concepts, nested ones flattened depth first. A
concept whose display only repeats its code (KV Anteckningstyp: ``utr``/``utr``) takes its
``definition`` as display. A concept's status comes from its ``status`` (retired,
deprecated) or ``inactive`` property; its displays per language from its designations.
"""

from __future__ import annotations

from cosmicdiff.errors import excerpt, quoted
from cosmicdiff.io.safe_json import JsonObject
from cosmicdiff.model import Binding, Status, Term, Value, ValueList, ValueListId, normalise_text
from cosmicdiff.parsers.fhir.json_reader import JsonReader, primary, term_system


def read_code_system(
    r: JsonReader, cs: JsonObject, vl_id: str, name: str, source: str | None, url: str | None
) -> None:
    system = term_system(url or vl_id)
    values: list[tuple[JsonObject, Value]] = []
    nested = _concepts(r, cs, None)
    parent_of = {id(c): p for c, p in nested}
    for c, _ in nested:
        code = r.text(c, "code")
        if not code:
            r.note(
                "unusable_row",
                c,
                f"code system {quoted(vl_id)}: a concept has no code; not read",
                vl_id,
            )
            continue
        display = r.label(c, "display", source)
        values.append(
            (
                c,
                Value(
                    code=code,
                    loc=r.loc(c),
                    display=_written(r, c, code) if display in (None, code) else display,
                    bindings=(Binding(system=system, code=code),),
                ),
            )
        )
    kept = r.unique(vl_id, values)
    first = {v.code: c for c, v in reversed(values)}
    for value in kept:
        c = first[value.code]
        if r.add("term", f"{system}:{value.code}", c):
            r.frag.terms.append(
                Term(
                    system=system,
                    code=value.code,
                    status=_concept_status(r, c),
                    displays=_displays(r, c, _written(r, c, value.code), source),
                    loc=r.loc(c),
                    parents=_parents(r, c, parent_of[id(c)]),
                    properties=_properties(r, c),
                )
            )
    if not values and cs.get("content") not in (None, "complete"):
        r.note(
            "unsupported",
            cs,
            f"code system {quoted(vl_id)} has content "
            f"{excerpt(cs.get('content'))}; its codes are not "
            "listed",
            vl_id,
        )
    r.add_value_list(cs, ValueList(id=ValueListId(vl_id), name=name, values=kept, loc=r.loc(cs)))


def _written(r: JsonReader, c: JsonObject, code: str) -> str:
    """Return a concept's display as written; its definition if the display is the code."""
    display = r.text(c, "display")
    if display and display != code:
        return display
    return normalise_text(r.text(c, "definition")) or display or code


def _concepts(
    r: JsonReader, parent: JsonObject, code: str | None
) -> list[tuple[JsonObject, str | None]]:
    """Return the concepts depth first, each with the code of the concept it is nested in."""
    out: list[tuple[JsonObject, str | None]] = []
    for c in r.objects(parent, "concept"):
        out.append((c, code))
        out += _concepts(r, c, r.text(c, "code"))
    return out


_PARENT_PROPERTIES = ("parent", "subsumedBy")


def _property_value(prop: JsonObject) -> str | None:
    for key in ("valueCode", "valueString", "valueInteger", "valueDecimal", "valueDateTime"):
        if isinstance(prop.get(key), str | int | float) and not isinstance(prop.get(key), bool):
            return str(prop[key])
    if isinstance(prop.get("valueBoolean"), bool):
        return "true" if prop["valueBoolean"] else "false"
    coding = prop.get("valueCoding")
    if isinstance(coding, JsonObject) and isinstance(coding.get("code"), str):
        return str(coding["code"])
    return None


def _properties(r: JsonReader, c: JsonObject) -> tuple[tuple[str, str], ...]:
    """Return a concept's properties as (code, value) pairs, for expansion filters."""
    return tuple(
        (str(p["code"]), value)
        for p in r.objects(c, "property")
        if isinstance(p.get("code"), str) and (value := _property_value(p)) is not None
    )


def _parents(r: JsonReader, c: JsonObject, nested_in: str | None) -> tuple[str, ...]:
    """Return the codes a concept is a kind of: where it is nested, and parent properties."""
    out = [nested_in] if nested_in else []
    out += [v for k, v in _properties(r, c) if k in _PARENT_PROPERTIES and v not in out]
    return tuple(out)


def _displays(r: JsonReader, c: JsonObject, display: str, source: str | None) -> dict[str, str]:
    out = {
        primary(r.text(d, "language")): str(d["value"])
        for d in r.objects(c, "designation")
        if r.text(d, "language") and isinstance(d.get("value"), str)
    }
    out.setdefault(primary(source) or r.want, display)
    return out


def _concept_status(r: JsonReader, c: JsonObject) -> Status:
    for prop in r.objects(c, "property"):
        code = prop.get("code")
        if code == "status" and prop.get("valueCode") in ("retired", "deprecated"):
            return Status.RETIRED
        if code == "inactive" and prop.get("valueBoolean") is True:
            return Status.INACTIVE
    return Status.ACTIVE
