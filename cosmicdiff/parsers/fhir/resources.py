"""Read a FHIR R4 JSON file: check it is a resource, and give each resource to its reader.

A Bundle's entries and a Questionnaire's ``contained`` resources are resources too (read
before the form that uses them); entries of other types are ``unsupported`` notes. A
resource's key is its ``url`` (else ``id``), a Questionnaire's its ``id`` (else ``url``),
a contained one's ``<questionnaire id>/<id>``.
"""

from __future__ import annotations

from pathlib import Path

from cosmicdiff.errors import ExportError, excerpt
from cosmicdiff.io.safe_json import JsonObject, read_json
from cosmicdiff.parsers.fhir.codesystem import read_code_system
from cosmicdiff.parsers.fhir.json_reader import JsonReader
from cosmicdiff.parsers.fhir.questionnaire import read_questionnaire
from cosmicdiff.parsers.fhir.valueset import read_value_set
from cosmicdiff.parsers.fragment import Fragment

READ_TYPES = ("Questionnaire", "ValueSet", "CodeSystem")


def read_fhir(path: Path, display: str, *, lang: str = "sv") -> Fragment:
    """Read a FHIR R4 JSON resource (or a Bundle of them) into a Fragment."""
    doc = read_json(path, display)
    if not isinstance(doc, JsonObject) or not isinstance(doc.get("resourceType"), str):
        raise ExportError(
            display,
            getattr(doc, "line", 1) or 1,
            "expected a FHIR resource: a JSON object with a resourceType",
        )
    rtype = doc["resourceType"]
    if rtype not in (*READ_TYPES, "Bundle"):
        raise ExportError(
            display,
            doc.line,
            f"resourceType {excerpt(rtype)} is not read; expected "
            "Questionnaire, ValueSet, CodeSystem or Bundle",
        )
    reader = JsonReader(display, lang)
    read_resource(reader, doc, None, "")
    reader.errors.raise_if_any()
    reader.finish()
    return reader.frag


def read_resource(r: JsonReader, res: JsonObject, source: str | None, prefix: str) -> None:
    """Read one resource; ``prefix`` is set for resources contained in a Questionnaire."""
    rtype = res.get("resourceType")
    source = r.text(res, "language") or source
    if rtype == "Bundle":
        _read_bundle(r, res, source, prefix)
        return
    if rtype not in READ_TYPES:
        what = f"a {rtype} resource" if isinstance(rtype, str) else "an object without resourceType"
        r.note(
            "unsupported",
            res,
            f"{what} is not read (only Questionnaire, ValueSet and CodeSystem are)",
            r.text(res, "id"),
        )
        return
    rid = r.text(res, "id")
    url = r.text(res, "url")
    key = (
        f"{prefix}/{rid}"
        if prefix and rid
        else ((rid or url) if rtype == "Questionnaire" else (url or rid))
    )
    if not key:
        if res.get("id") is None and res.get("url") is None:  # else: already a problem
            r.errors.add(r.display, res.line, f"{rtype} has neither id nor url")
        return
    name = r.text(res, "title") or r.text(res, "name") or key
    if not prefix:
        r.titles.append(name)
    if rtype == "Questionnaire":
        for inner in r.objects(res, "contained", f"Questionnaire {key}"):
            read_resource(r, inner, source, key)
        read_questionnaire(r, res, key, name, source)
    elif rtype == "ValueSet":
        read_value_set(r, res, key, name, source)
    else:
        read_code_system(r, res, key, name, source, url)


def _read_bundle(r: JsonReader, bundle: JsonObject, source: str | None, prefix: str) -> None:
    """Read the resource of every entry of a Bundle; note an entry without one."""
    for entry in r.objects(bundle, "entry", "Bundle"):
        inner = r.child(entry, "resource")
        if inner is None:
            r.note("unsupported", entry, "Bundle entry has no resource; not read")
        else:
            read_resource(r, inner, source, prefix)
