"""Write the model back as an XML export (``urn:cosmicdiff:export:1``).

Used to turn hand-written YAML baselines into the XML form, by the property test that
a model written and read back is unchanged, and by the benchmark corpus generator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from cosmicdiff.model import Binding, Export, Item, Keyword, Status, Template, Term, ValueList
from cosmicdiff.parsers.cosmic.xml_export import NS

_Q = "{" + NS + "}"


def _bindings(parent: etree._Element, bindings: tuple[Binding, ...]) -> None:
    for b in bindings:
        etree.SubElement(parent, _Q + "binding", system=b.system, code=b.code)


def _term(parent: etree._Element, term: Term) -> None:
    el = etree.SubElement(parent, _Q + "term", system=term.system, code=term.code)
    if term.status is not Status.ACTIVE:
        el.set("status", term.status.value)
    for lang, text in term.displays.items():
        etree.SubElement(el, _Q + "display", lang=lang).text = text


def _value_list(parent: etree._Element, vl: ValueList) -> None:
    el = etree.SubElement(parent, _Q + "valueList", id=vl.id, name=vl.name)
    for v in vl.values:
        vel = etree.SubElement(el, _Q + "value", code=v.code, display=v.display)
        _bindings(vel, v.bindings)


def _keyword(parent: etree._Element, kw: Keyword) -> None:
    el = etree.SubElement(parent, _Q + "keyword", id=kw.id, name=kw.name, type=kw.type.value)
    if kw.unit is not None:
        el.set("unit", kw.unit)
    if kw.value_list is not None:
        el.set("valueList", kw.value_list)
    if kw.status is not Status.ACTIVE:
        el.set("status", kw.status.value)
    if kw.hidden_from_1177:
        el.set("hiddenFrom1177", "true")
    _bindings(el, kw.bindings)
    if kw.description is not None:
        etree.SubElement(el, _Q + "description").text = kw.description


def _item(parent: etree._Element, item: Item) -> None:
    el = etree.SubElement(parent, _Q + "item", keyword=item.keyword)
    if item.mandatory:
        el.set("mandatory", "true")
    if item.repeatable:
        el.set("repeatable", "true")
    for child in item.children:
        _item(el, child)


def _template(parent: etree._Element, tpl: Template) -> None:
    el = etree.SubElement(parent, _Q + "template", id=tpl.id, name=tpl.name)
    for attr, value in (("version", tpl.version), ("noteType", tpl.note_type)):
        if value is not None:
            el.set(attr, value)
    if tpl.cases is not None:
        el.set("cases", " ".join(tpl.cases))
    if tpl.status is not Status.ACTIVE:
        el.set("status", tpl.status.value)
    for item in tpl.items:
        _item(el, item)


def export_to_xml(export: Export) -> bytes:
    """Return the export as a UTF-8 XML document with a declaration."""
    root = etree.Element(_Q + "cosmicExport", nsmap={None: NS})  # type: ignore[dict-item]
    root.set("region", export.region)
    if export.cosmic_version is not None:
        root.set("cosmicVersion", export.cosmic_version)
    if export.exported is not None:
        root.set("exported", export.exported)
    sections: tuple[tuple[str, list[Any], Callable[[etree._Element, Any], None]], ...] = (
        ("terms", list(export.terms.values()), _term),
        ("valueLists", list(export.value_lists.values()), _value_list),
        ("keywords", list(export.keywords.values()), _keyword),
        ("templates", list(export.templates.values()), _template),
    )
    for name, records, write in sections:
        if records:
            section = etree.SubElement(root, _Q + name)
            for rec in records:
                write(section, rec)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
