"""Read a FHIR ValueSet into a ``ValueList``.

id = ``url`` (else ``id``), name = ``title`` (else ``name``), values =
``compose.include[].concept[]`` in order, else ``expansion.contains`` (flattened). Includes
of a whole system, by filter or of other value sets list no codes: they are kept as the
list's :class:`~cosmicdiff.model.CodeRule` rules, and expanded once the code system (or value
set) is known, from either side's inputs or ``--terminology`` (:mod:`.expand`); what cannot
be expanded gets one note per value set there. An exclude of listed codes is applied at
once (and again to the codes expanded later). A code listed twice (e.g. in two versions) is
kept once, with a ``duplicate_id`` note.
"""

from __future__ import annotations

from cosmicdiff.errors import quoted
from cosmicdiff.io.safe_json import JsonObject
from cosmicdiff.model import CodeRule, Value, ValueList, ValueListId
from cosmicdiff.parsers.fhir.json_reader import JsonReader


def read_value_set(
    r: JsonReader, vs: JsonObject, vl_id: str, name: str, source: str | None
) -> None:
    values: list[tuple[JsonObject, Value]] = []
    rules: list[CodeRule] = []
    compose, expansion = r.child(vs, "compose"), r.child(vs, "expansion")
    if compose is not None:
        for inc in r.objects(compose, "include", f"value set {vl_id}"):
            values += _include(r, inc, vl_id, source, rules)
        excludes = [_rule(r, exc, True) for exc in r.objects(compose, "exclude")]
        listed = [e for e in excludes if e.codes and not e.filters and not e.value_sets]
        dropped = {code for e in listed if e.system for code in e.codes}
        values = [(o, v) for o, v in values if v.code not in dropped]
        # an exclude of listed codes is applied now; it stays a rule for codes expanded later
        rules += [e for e in excludes if e not in listed or any(not x.exclude for x in rules)]
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
        ValueList(
            id=ValueListId(vl_id),
            name=name,
            values=r.unique(vl_id, values),
            loc=r.loc(vs),
            rules=tuple(rules),
        ),
    )


def _text(obj: object) -> str | None:
    """Return a string as it is, anything else as None (the caller reported a wrong type)."""
    return obj if isinstance(obj, str) and obj.strip() else None


def _rule(r: JsonReader, inc: JsonObject, exclude: bool) -> CodeRule:
    """Return what an include or exclude says beyond the concepts it lists."""
    raw_sets = inc.get("valueSet") or []
    sets = raw_sets if isinstance(raw_sets, list) else [raw_sets]
    concepts = inc.get("concept")
    return CodeRule(
        system=_text(inc.get("system")) or "",
        version=_text(inc.get("version")),
        filters=tuple(
            (str(f.get("property", "")), str(f.get("op", "")), str(f.get("value", "")))
            for f in r.objects(inc, "filter")
        ),
        value_sets=tuple(str(v) for v in sets),
        codes=tuple(
            code
            for c in (concepts if isinstance(concepts, list) else [])
            if isinstance(c, JsonObject) and (code := _text(c.get("code")))
        ),
        exclude=exclude,
        loc=r.loc(inc),
    )


def _include(
    r: JsonReader, inc: JsonObject, vl_id: str, source: str | None, rules: list[CodeRule]
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
    rule = _rule(r, inc, False)
    if rule.filters or rule.value_sets or (not concepts and rule.system):
        # no code list of its own: expanded later (parsers.fhir.expand), or noted there
        rules.append(rule._replace(codes=()))
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
