"""Read a FHIR ValueSet into a ``ValueList``.

id = ``url`` (else ``id``), name = ``title`` (else ``name``), values =
``compose.include[].concept[]`` in order, else ``expansion.contains`` (flattened). Includes
of a whole system, by filter or of other value sets list no codes: they are reported as
``unsupported`` notes, never dropped silently; so are excludes. A code listed twice
(e.g. in two versions) is kept once, with a ``duplicate_id`` note.
"""

from __future__ import annotations

from cosmicdiff.errors import quoted
from cosmicdiff.io.safe_json import JsonObject
from cosmicdiff.model import Value, ValueList, ValueListId
from cosmicdiff.parsers.fhir.json_reader import JsonReader


def read_value_set(
    r: JsonReader, vs: JsonObject, vl_id: str, name: str, source: str | None
) -> None:
    values: list[tuple[JsonObject, Value]] = []
    compose, expansion = r.child(vs, "compose"), r.child(vs, "expansion")
    if compose is not None:
        for inc in r.objects(compose, "include", f"value set {vl_id}"):
            values += _include(r, inc, vl_id, source)
        if compose.get("exclude"):
            r.note(
                "unsupported",
                compose,
                f"value set {quoted(vl_id)} excludes codes; the excludes are not applied",
                vl_id,
            )
    elif expansion is not None:
        values = _contains(r, expansion, source)
    else:
        r.note(
            "unsupported",
            vs,
            f"value set {quoted(vl_id)} has neither compose nor expansion; it lists no codes",
            vl_id,
        )
    r.add_value_list(
        vs,
        ValueList(id=ValueListId(vl_id), name=name, values=r.unique(vl_id, values), loc=r.loc(vs)),
    )


def _include(
    r: JsonReader, inc: JsonObject, vl_id: str, source: str | None
) -> list[tuple[JsonObject, Value]]:
    system, version = r.text(inc, "system"), r.text(inc, "version")
    concepts = r.objects(inc, "concept", f"value set {vl_id}")
    out = []
    for c in concepts:
        code = r.text(c, "code")
        if not code:
            r.note(
                "unusable_row",
                c,
                f"value set {quoted(vl_id)}: a concept has no code; not read",
                vl_id,
            )
            continue
        display = r.label(c, "display", source) or code
        out.append(
            (
                c,
                Value(
                    code=code,
                    display=display,
                    loc=r.loc(c),
                    bindings=r.bindings(system, version, code),
                ),
            )
        )
    how = []
    if inc.get("filter"):
        how.append("by filter")
    if inc.get("valueSet"):
        sets = inc["valueSet"] if isinstance(inc["valueSet"], list) else [inc["valueSet"]]
        how.append(f"from value set(s) {', '.join(map(str, sets))}")
    if not concepts and not how and system:
        how.append("as a whole system")
    if how:
        r.note(
            "unsupported",
            inc,
            f"value set {quoted(vl_id)} includes codes of "
            f"{quoted(system or 'another value set')} "
            f"{' and '.join(how)}"
            "; those codes are not listed",
            vl_id,
        )
    return out


def _contains(
    r: JsonReader, parent: JsonObject, source: str | None
) -> list[tuple[JsonObject, Value]]:
    out = []
    for c in r.objects(parent, "contains"):
        code = r.text(c, "code")
        if code:
            display = r.label(c, "display", source) or code
            out.append(
                (
                    c,
                    Value(
                        code=code,
                        display=display,
                        loc=r.loc(c),
                        bindings=(r.bindings(r.text(c, "system"), r.text(c, "version"), code)),
                    ),
                )
            )
        out += _contains(r, c, source)
    return out
