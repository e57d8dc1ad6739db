"""Read an openEHR Operational Template (OPT 1.4 XML, ``*.opt``) into the model.

An OPT is one XML document (namespace ``http://schemas.openehr.org/v1``, root ``<template>``)
whose ``definition`` is the flattened constraint tree of a COMPOSITION archetype with every
nested archetype (a ``C_ARCHETYPE_ROOT``) inlined. The mapping to the model:

* **Template**: ``id`` = ``template_id``; ``name`` = ``concept`` (the name the template was
  saved under; the root archetype's ``at0000`` label when there is no concept);
  ``version`` = ``description/other_details[@id='sem_ver']``, else the ``uid``, else None.
* **Items** (document order): one per nested ``C_ARCHETYPE_ROOT`` (a heading whose children
  are the items found under it), one per ``CLUSTER`` (a heading) and one per ``ELEMENT``.
  Intermediate reference-model structures (HISTORY, EVENT, ITEM_TREE, ACTIVITY, ...) are
  flattened away: what they contain attaches to the nearest item above. The COMPOSITION
  itself is the template, so its contents are the template's top-level items. An
  ``ARCHETYPE_SLOT`` (a slot left open) is an item of its own: a keyword of type Other with
  the slot's label and a :class:`~cosmicdiff.model.SlotRule` (its include and exclude
  patterns); a filled slot is the ``C_ARCHETYPE_ROOT`` placed in it. The template-level
  ``view`` block is not content and is skipped.
  ``mandatory``/``repeatable`` come from the node's ``occurrences``.
* **Identity** (see :mod:`cosmicdiff.parsers.openehr.common`): an archetype root is
  ``root_key(archetype id, name constraint)``; the name is part of the key because a
  template may use one archetype several times, told apart only by a name constraint. A
  node inside is ``node_key(<its root's key>, <archetype-relative path>)``, the path built
  from ``rm_attribute_name[node_id]`` steps (``/data[at0001]/events[at0006]/...``). The
  same key used twice gives two items sharing one keyword; the first definition is kept
  and a differing later one gets a ``duplicate_id`` note. A root nested (at any depth) in
  a root with the same key would be a keyword inside itself; it is keyed by its path in
  the enclosing root instead: ``<outer key>/items[at0001]/items[<its own root key>]``.
* **Keyword**: ``name`` = the node's fixed name constraint if it has one (a single
  ``C_STRING`` or a single local code: it is what the user sees, written in the template
  language), else the label of its at-code in ``lang``; ``description`` = the at-code's
  description; ``type`` from the RM type of the first ``value`` alternative (OTHER for
  clusters and roots); ``unit`` = the ``C_DV_QUANTITY`` units joined with ``|``;
  ``bindings`` = the root's ``term_bindings`` for the at-code or for the node's path;
  ``coding`` (DV_CODED_TEXT only) = the terminology id of its code list, or the
  ``referenceSetUri`` of a ``C_CODE_REFERENCE`` (``opt_xml.coding_of``).
* **ValueList** (id = keyword id: the element's own list, named with its label) for an
  element with a ``C_CODE_PHRASE`` code list or a ``C_DV_ORDINAL``: local codes become
  ``Value(code=at-code, display=label)``; external codes become
  ``Value(code="<terminology id as written>::<code>")``, displayed with the label the file
  gives (a term definition coded ``<terminology>::<code>``, or a coded ``default_value`` in
  the template ``constraints`` block), else with the code. A coded element without a fixed
  list (a whole terminology, a reference set) is ClinicalCoding.
* **use_node** (``ARCHETYPE_INTERNAL_REF``): the referenced node's items stand again where
  the reference stands, as further occurrences of the same keywords (as in the ADL reader);
  a reference to no node of its archetype, or to a node that contains it, is a note.
* **Language**: labels in the template language are inline under each root; other languages
  come from ``ontology``/``component_ontologies`` when the export carries them. If ``lang``
  is in neither, the template language is used and one ``missing_translation`` note says
  so; an at-code without a label in the used language falls back to the template language
  (or to the code itself) with a note naming the keyword.

Problems that make the file unusable (not XML, a DOCTYPE, not an OPT, no definition, a
root without archetype id) raise :class:`ExportError` with file and line.
"""

from __future__ import annotations

from pathlib import Path

from cosmicdiff.errors import ExportError, quoted
from cosmicdiff.io.safe_xml import parse_bytes, read_source
from cosmicdiff.model import (
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    Status,
    Template,
    TemplateId,
    Value,
    ValueList,
    ValueListId,
)
from cosmicdiff.parsers.fragment import Fragment, InputNote
from cosmicdiff.parsers.openehr.common import (
    ITEM_TYPES,
    element_type,
    joined_units,
    node_key,
    root_key,
    slot_rule,
)
from cosmicdiff.parsers.openehr.opt_context import OptContext
from cosmicdiff.parsers.openehr.opt_xml import (
    El,
    Q,
    Root,
    attribute_children,
    check_root,
    coding_of,
    node_at,
    read_bindings,
    read_label,
    text_at,
    xsi_type,
)

FORMAT = "openehr-opt"


class _OptReader(OptContext):
    """Walks one parsed OPT and collects keywords, value lists, items and notes."""

    def archetype_root(
        self, el: El, outer: tuple[Root, ...] = (), step: str = ""
    ) -> tuple[Root, str | None, list[InputNote]]:
        """Return the root context of a C_ARCHETYPE_ROOT (or the definition).

        ``outer`` are the enclosing roots, innermost last, and ``step`` the node's path in
        the innermost. A root with the key of an enclosing root (a named copy nested in a
        copy of the same name) is qualified by its path in that root: one key nested in
        itself would be a cycle.
        """
        archetype_id = text_at(el, "archetype_id/value")
        if not archetype_id:
            self.errors.add(
                self.path,
                self.line(el),
                "archetype root without an archetype_id; the file is not a "
                "complete operational template",
            )
            archetype_id = "unknown-archetype"
        terms = {d.get("code", ""): read_label(d) for d in el.iterchildren(Q + "term_definitions")}
        bindings = read_bindings(el) or self.ontology_bindings.get(archetype_id, {})
        root = Root(archetype_id, archetype_id, terms, bindings, el)
        notes: list[InputNote] = []
        name = self.name_constraint(el, root, notes)
        root.key = root_key(archetype_id, name)
        if any(o.key == root.key for o in outer):
            root.key = node_key(outer[-1].key, f"{step}[{root.key}]")
        return root, name, notes

    def walk(self, el: El, outer: tuple[Root, ...], path: str) -> list[Item]:
        """Return the items under a node, flattening intermediate structures.

        ``outer`` are the archetype roots the node is in, innermost (the node's own) last.
        """
        root = outer[-1]
        items: list[Item] = []
        for attr in el.iterchildren(Q + "attributes"):
            attr_name = text_at(attr, "rm_attribute_name")
            if attr_name == "name":  # a name constraint, not content
                continue
            for child in attr.iterchildren(Q + "children"):
                kind = xsi_type(child)
                node_id = text_at(child, "node_id")
                if kind == "C_ARCHETYPE_ROOT":
                    sub, name, notes = self.archetype_root(child, outer, f"{path}/{attr_name}")
                    items.append(self.node_item(child, (*outer, sub), "", name, notes))
                    continue
                step = f"{path}/{attr_name}[{node_id}]" if node_id else f"{path}/{attr_name}"
                if kind == "C_COMPLEX_OBJECT":
                    rm_type = text_at(child, "rm_type_name")
                    if rm_type in ITEM_TYPES:
                        notes = []
                        name = self.name_constraint(child, root, notes)
                        items.append(self.node_item(child, outer, step, name, notes))
                    elif not rm_type.startswith("DV_") and rm_type != "CODE_PHRASE":
                        items.extend(self.walk(child, outer, step))
                elif kind == "ARCHETYPE_SLOT":
                    items.append(self.slot_item(child, root, step))
                elif kind == "ARCHETYPE_INTERNAL_REF":
                    items.extend(self.used_node(child, outer, f"{path}/{attr_name}"))
        return items

    def used_node(self, ref: El, outer: tuple[Root, ...], at: str) -> list[Item]:
        """Return the items of the node an ``ARCHETYPE_INTERNAL_REF`` (use_node) uses again.

        As in the ADL reader: the node's items stand again where the reference stands, as
        further occurrences of the same keywords. A reference to no node, or to one that
        contains it, is a note.
        """
        root = outer[-1]
        target_path = text_at(ref, "target_path")
        target = node_at(root.el, target_path) if root.el is not None else None
        problem = None
        if target is None:
            problem = "names no node of the archetype"
        elif (root.key, target_path) in self.expanding or (at + "/").startswith(target_path + "/"):
            problem = "names a node that contains it"
        if problem is not None or target is None:
            self.notes.append(
                self.note(
                    "unsupported",
                    self.line(ref),
                    node_key(root.key, at),
                    f"a reference to {quoted(target_path)} (use_node) {problem}; it is not read",
                )
            )
            return []
        self.expanding.add((root.key, target_path))
        try:
            if text_at(target, "rm_type_name") in ITEM_TYPES:
                notes: list[InputNote] = []
                name = self.name_constraint(target, root, notes)
                return [self.node_item(target, outer, target_path, name, notes)]
            return self.walk(target, outer, target_path)
        finally:
            self.expanding.discard((root.key, target_path))

    def node_item(
        self, el: El, outer: tuple[Root, ...], path: str, name: str | None, notes: list[InputNote]
    ) -> Item:
        """Return the item of an archetype root, CLUSTER or ELEMENT node."""
        root = outer[-1]
        key = KeywordId(node_key(root.key, path))
        node_id = text_at(el, "node_id") or "at0000"
        term = self.label(root, node_id, key, el, notes)
        is_element = text_at(el, "rm_type_name") == "ELEMENT"
        ktype, unit, value_list = KeywordType.OTHER, None, None
        if is_element:
            ktype, unit, value_list = self.element_value(el, root, key, name or term.text, notes)
        bindings = root.bindings.get(node_id, ()) + root.bindings.get(path or "/", ())
        self.add_keyword(
            Keyword(
                id=key,
                name=name or term.text,
                type=ktype,
                unit=unit,
                value_list=value_list,
                bindings=bindings,
                description=term.description,
                coding=coding_of(el) if is_element else None,
                loc=self.loc(el),
            ),
            notes,
        )
        mandatory, repeatable = self.occurrences(el)
        children = () if is_element else tuple(self.walk(el, outer, path))
        return Item(
            keyword=key,
            mandatory=mandatory,
            repeatable=repeatable,
            children=children,
            loc=self.loc(el),
        )

    def slot_item(self, el: El, root: Root, path: str) -> Item:
        """Return the item of an ``ARCHETYPE_SLOT``: a keyword with the slot's patterns."""
        key = KeywordId(node_key(root.key, path))
        notes: list[InputNote] = []
        name = self.name_constraint(el, root, notes)
        term = self.label(root, text_at(el, "node_id") or "at0000", key, el, notes)
        rule = slot_rule(
            (e.text or "" for e in el.iterfind(f"{Q}includes/{Q}string_expression")),
            (e.text or "" for e in el.iterfind(f"{Q}excludes/{Q}string_expression")),
        )
        self.add_keyword(
            Keyword(
                id=key,
                name=name or term.text,
                type=KeywordType.OTHER,
                bindings=root.bindings.get(text_at(el, "node_id"), ()),
                description=term.description,
                slot=rule,
                loc=self.loc(el),
            ),
            notes,
        )
        mandatory, repeatable = self.occurrences(el)
        return Item(keyword=key, mandatory=mandatory, repeatable=repeatable, loc=self.loc(el))

    def element_value(
        self, el: El, root: Root, key: KeywordId, name: str, notes: list[InputNote]
    ) -> tuple[KeywordType, str | None, ValueListId | None]:
        """Return type, unit and value list id of an ELEMENT from its value constraints."""
        alternatives = list(attribute_children(el, "value"))
        rm_type = text_at(alternatives[0], "rm_type_name") if alternatives else ""
        units: list[str] = []
        values: list[Value] = []
        for alt in alternatives:
            if xsi_type(alt) == "C_DV_QUANTITY":
                units.extend(
                    u.text.strip()
                    for u in alt.iterfind(f"{Q}list/{Q}units")
                    if u.text and u.text.strip()
                )
            if not values:
                values = self.values(alt, root, key, notes)
        value_list = None
        if values:
            value_list = ValueListId(key)
            self.add_value_list(
                ValueList(id=value_list, name=name, values=tuple(values), loc=self.loc(el))
            )
        ktype = element_type(rm_type, listed=value_list is not None)
        return ktype, joined_units(units), value_list

    def values(self, alt: El, root: Root, subject: str, notes: list[InputNote]) -> list[Value]:
        """Return the fixed values of one value alternative (code list or ordinal list)."""
        codes: list[tuple[str, El | None]] = []  # (terminology id, code element)
        if xsi_type(alt) == "C_DV_ORDINAL":
            for symbol in alt.iterfind(f"{Q}list/{Q}symbol/{Q}defining_code"):
                codes.append(
                    (text_at(symbol, "terminology_id/value"), symbol.find(Q + "code_string"))
                )
        else:
            for phrase in attribute_children(alt, "defining_code"):
                if xsi_type(phrase) == "C_CODE_PHRASE":
                    terminology = text_at(phrase, "terminology_id/value")
                    codes.extend((terminology, c) for c in phrase.iterchildren(Q + "code_list"))
        out: list[Value] = []
        seen: set[tuple[str, str]] = set()
        for terminology, code_el in codes:
            code = (code_el.text or "").strip() if code_el is not None else ""
            if not code or code_el is None:
                continue
            if (terminology, code) in seen:
                notes.append(
                    self.note(
                        "duplicate_id",
                        self.line(code_el),
                        subject,
                        f"code {code} is listed twice; the first is kept",
                    )
                )
                continue
            seen.add((terminology, code))
            if terminology == "local":
                term = self.label(root, code, subject, code_el, notes)
                out.append(
                    Value(
                        code=code,
                        display=term.text,
                        bindings=root.bindings.get(code, ()),
                        loc=self.loc(code_el),
                    )
                )
            else:
                out.append(
                    Value(
                        code=f"{terminology}::{code}",
                        display=self.external_label(root, terminology, code),
                        loc=self.loc(code_el),
                    )
                )
        return out

    def template(self, template: El) -> Template:
        """Return the template, reading the whole definition."""
        template_id = text_at(template, "template_id/value")
        definition = template.find(Q + "definition")
        if not template_id or definition is None:
            missing = "template_id" if not template_id else "definition"
            raise ExportError(
                self.path,
                self.line(template),
                f"operational template without <{missing}>; the export is incomplete",
            )
        root, _, notes = self.archetype_root(definition)
        self.notes.extend(notes)
        items = self.walk(definition, (root,), "")
        name = (
            text_at(template, "concept")
            or self.label(root, "at0000", template_id, definition, self.notes).text
        )
        version = (
            text_at(template, "description/other_details[@id='sem_ver']")
            or text_at(template, "uid/value")
            or None
        )
        return Template(
            id=TemplateId(template_id),
            name=name,
            version=version,
            status=Status.ACTIVE,
            items=tuple(items),
            loc=self.loc(template),
        )


def read_opt(path: Path, display: str, *, lang: str = "sv") -> Fragment:
    """Read one OPT 1.4 XML file into a Fragment; raise ExportError if it is unusable."""
    source = read_source(path, display)
    template_el = parse_bytes(source.data, display).getroot()
    check_root(display, template_el)
    reader = _OptReader(display, template_el, lang, source)
    template = reader.template(template_el)
    reader.errors.raise_if_any()
    return Fragment(
        path=display,
        format=FORMAT,
        title=template.name,
        keywords=list(reader.keywords.values()),
        value_lists=list(reader.value_lists.values()),
        templates=[template],
        notes=reader.notes,
    )
