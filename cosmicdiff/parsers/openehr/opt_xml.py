"""The XML of an openEHR operational template, as the OPT reader (:mod:`.opt`) needs it.

Namespaced access (:func:`text_at`, :func:`attribute_children`, :func:`xsi_type`), the
element's line, the check that a document is an OPT at all (:func:`check_root`), and the
tables read once per file before the walk: labels and term bindings of ``ontology`` and
``component_ontologies`` (:func:`read_ontologies`), the labels of coded defaults in
``constraints`` (:func:`default_labels`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from cosmicdiff.errors import ExportError, excerpt
from cosmicdiff.model import Binding
from cosmicdiff.parsers.openehr.common import term_system

NS = "http://schemas.openehr.org/v1"
Q = "{" + NS + "}"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"

El = etree._Element


@dataclass(frozen=True, slots=True)
class Label:
    """The label and description of one at-code in one language."""

    text: str
    description: str | None = None


@dataclass(slots=True)
class Root:
    """The archetype root a node belongs to: its identity, labels and bindings."""

    archetype_id: str
    key: str
    terms: dict[str, Label]
    bindings: dict[str, tuple[Binding, ...]]
    #: the root's element, where its archetype paths start (``ARCHETYPE_INTERNAL_REF``)
    el: El | None = None


#: one step of an archetype path: ``/attribute`` or ``/attribute[node id]``
_STEP = re.compile(r"/([A-Za-z_][A-Za-z0-9_]*)(?:\[([^\]]+)\])?")


def node_at(root: El, target: str) -> El | None:
    """Return the constraint object at an archetype path under ``root``, or None."""
    node: El | None = root
    for attr_name, node_id in _STEP.findall(target):
        objects = list(attribute_children(node, attr_name)) if node is not None else []
        if node_id:
            node = next((c for c in objects if text_at(c, "node_id") == node_id), None)
        else:
            node = objects[0] if len(objects) == 1 else None
        if node is None:
            return None
    return node


def text_at(el: El, path: str) -> str:
    """Return the stripped text at ``path`` (local names joined by ``/``), or ''."""
    found = el.findtext("/".join(Q + step for step in path.split("/")))
    return found.strip() if found else ""


def line_of(el: El) -> int | None:
    """Return the element's line (the stubs type ``sourceline`` loosely)."""
    line: object = el.sourceline
    return line if isinstance(line, int) else None


def xsi_type(el: El) -> str:
    """Return the element's ``xsi:type`` without its namespace prefix."""
    return (el.get(_XSI_TYPE) or "").rpartition(":")[2]


def read_label(el: El) -> Label:
    """Return the label of a ``term_definitions`` entry (its ``text`` and ``description``)."""
    parts = {i.get("id"): (i.text or "").strip() for i in el.iterchildren(Q + "items")}
    return Label(parts.get("text", ""), parts.get("description") or None)


def attribute_children(el: El, name: str) -> Iterator[El]:
    """Yield the constraint objects of the node's attribute ``name``."""
    for attr in el.iterchildren(Q + "attributes"):
        if text_at(attr, "rm_attribute_name") == name:
            yield from attr.iterchildren(Q + "children")


def parse_binding(terminology: str, code_string: str) -> Binding | None:
    """Return a binding from ``[SNOMED-CT(2003)::364090009]``-style text, if it has a code."""
    text = code_string.strip().strip("[]").strip()
    if "::" in text:
        prefix, _, text = text.partition("::")
        terminology = terminology or prefix
    elif text.startswith(("http://", "https://")):
        text = text.rstrip("/").rpartition("/")[2]
    if not text or not terminology:
        return None
    return Binding(system=term_system(terminology), code=text.strip())


def read_bindings(owner: El) -> dict[str, tuple[Binding, ...]]:
    """Return at-code or path -> bindings from the ``term_bindings`` under ``owner``."""
    out: dict[str, list[Binding]] = {}
    for group in owner.iterchildren(Q + "term_bindings"):
        for item in group.iterchildren(Q + "items"):
            value = item.find(Q + "value")
            if value is None:
                continue
            terminology = text_at(value, "terminology_id/value") or group.get("terminology", "")
            found = parse_binding(terminology, text_at(value, "code_string"))
            if found is not None:
                out.setdefault(item.get("code", ""), []).append(found)
    return {code: tuple(found) for code, found in out.items()}


def read_ontologies(
    template: El,
) -> tuple[dict[str, dict[str, dict[str, Label]]], dict[str, dict[str, tuple[Binding, ...]]]]:
    """Return the terms (archetype id -> language -> code -> term) and the bindings
    (archetype id -> code or path -> bindings) of ``ontology`` and ``component_ontologies``."""
    terms: dict[str, dict[str, dict[str, Label]]] = {}
    bindings: dict[str, dict[str, tuple[Binding, ...]]] = {}
    for onto in template.iterchildren(Q + "ontology", Q + "component_ontologies"):
        archetype_id = onto.get("archetype_id", "")
        per_lang = terms.setdefault(archetype_id, {})
        for defs in onto.iterchildren(Q + "term_definitions"):
            per_lang.setdefault(
                defs.get("language", ""),
                {i.get("code", ""): read_label(i) for i in defs.iterchildren(Q + "items")},
            )
        bindings.setdefault(archetype_id, read_bindings(onto))
    return terms, bindings


def default_labels(template: El) -> dict[tuple[str, str], str]:
    """Return (terminology id, code) -> text of the coded default values in ``constraints``."""
    out: dict[tuple[str, str], str] = {}
    for block in template.iterchildren(Q + "constraints"):
        for value in block.iter(Q + "default_value"):
            code = value.find(Q + "defining_code")
            text = text_at(value, "value")
            if code is not None and text:
                key = (text_at(code, "terminology_id/value"), text_at(code, "code_string"))
                out.setdefault(key, text)
    return out


def check_root(display: str, root: El) -> None:
    """Refuse a document that is not an OPT 1.4 ``<template>``."""
    if root.tag == Q + "template":
        return
    ns, _, name = str(root.tag).rpartition("}")
    found = f"<{name}>" + (
        f" in namespace {excerpt(ns.lstrip('{'))}" if ns else " without namespace"
    )
    raise ExportError(
        display,
        line_of(root),
        f"not an openEHR operational template: root element is {found}; "
        f'expected <template xmlns="{NS}">',
    )


def coding_of(element: El) -> str | None:
    """Return where a DV_CODED_TEXT element's codes come from (``Keyword.coding``), else None.

    The terminology id of its ``C_CODE_PHRASE`` list (``local``, ``terminology:omim``), the
    ``referenceSetUri`` of a ``C_CODE_REFERENCE`` (``terminology:ICD10``), or ``any`` for
    a coded text whose codes are not constrained.
    """
    for alt in attribute_children(element, "value"):
        if text_at(alt, "rm_type_name") != "DV_CODED_TEXT":
            return None
        for code in attribute_children(alt, "defining_code"):
            if xsi_type(code) == "C_CODE_REFERENCE":
                return text_at(code, "referenceSetUri") or "reference set"
            if xsi_type(code) == "C_CODE_PHRASE":
                return text_at(code, "terminology_id/value") or "any"
        return "any"
    return None
