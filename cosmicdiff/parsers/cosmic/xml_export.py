"""Read the XML export format (``urn:cosmicdiff:export:1``) into the model.

The file is streamed with ``iterparse``: each term, value list, keyword and template is
turned into a model object at its end tag and its subtree is then discarded. Unknown
elements and attributes are errors (never silently dropped), and so is text where the
schema allows none (only ``<display>`` and ``<description>`` hold text): every problem
carries the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cosmicdiff.errors import ErrorCollector, excerpt
from cosmicdiff.io.safe_xml import iter_elements
from cosmicdiff.model import (
    Binding,
    CaseId,
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    Template,
    TemplateId,
    Term,
    Value,
    ValueList,
    ValueListId,
)
from cosmicdiff.parsers.cosmic.xml_elements import ElementReader, local
from cosmicdiff.parsers.cosmic.xml_fast import FastReader
from cosmicdiff.parsers.fragment import Fragment

NS = "urn:cosmicdiff:export:1"
_Q = "{" + NS + "}"
ROOT = _Q + "cosmicExport"
_SECTIONS = {_Q + s for s in ("terms", "valueLists", "keywords", "templates")}
_RECORDS = frozenset({_Q + "term", _Q + "valueList", _Q + "keyword", _Q + "template"})
_SECTION_OF = {
    _Q + "term": _Q + "terms",
    _Q + "valueList": _Q + "valueLists",
    _Q + "keyword": _Q + "keywords",
    _Q + "template": _Q + "templates",
}


_A_BINDING = frozenset({"system", "code"})
_A_TERM = frozenset({"system", "code", "status"})
_A_DISPLAY = frozenset({"lang"})
_A_NONE: frozenset[str] = frozenset()  # <description> has text only
_A_VALUE_LIST = frozenset({"id", "name"})
_A_VALUE = frozenset({"code", "display"})
_A_KEYWORD = frozenset({"id", "name", "type", "unit", "valueList", "status", "hiddenFrom1177"})
_A_ITEM = frozenset({"keyword", "mandatory", "repeatable"})
_A_TEMPLATE = frozenset({"id", "name", "version", "noteType", "cases", "status"})
_C_DISPLAY = frozenset({_Q + "display"})
_C_VALUE = frozenset({_Q + "value"})
_C_BINDING = frozenset({_Q + "binding"})
_C_KEYWORD = frozenset({_Q + "binding", _Q + "description"})
_C_ITEM = frozenset({_Q + "item"})
_XSI = "{http://www.w3.org/2001/XMLSchema-instance}"
_A_ROOT = frozenset(
    {
        "region",
        "cosmicVersion",
        "exported",
        _XSI + "schemaLocation",
        _XSI + "noNamespaceSchemaLocation",
    }
)
_TYPES = {t.value: t for t in KeywordType}


class _Reader(ElementReader):
    """The records of the export, built from checked elements."""

    def bindings(self, el: Any) -> tuple[Binding, ...]:
        out = []
        for b in self.children(el, _C_BINDING):
            self.check_attrs(b, _A_BINDING)
            self.text(b)
            if len(b):
                self.no_children(b)
            out.append(Binding(system=self.req(b, "system"), code=self.req(b, "code")))
        return tuple(out)

    def term(self, el: Any) -> Term:
        self.check_attrs(el, _A_TERM)
        self.text(el)
        displays: dict[str, str] = {}
        for d in self.children(el, _C_DISPLAY):
            self.check_attrs(d, _A_DISPLAY)
            if len(d):
                self.no_children(d)
            lang = d.get("lang") or "sv"
            if lang in displays:
                self.error(d, f"term has two displays for language {excerpt(lang)}")
            displays[lang] = d.text or ""
        return Term(
            system=self.req(el, "system"),
            code=self.req(el, "code"),
            displays=displays,
            status=self.status(el),
            loc=self.loc(el),
        )

    def value_list(self, el: Any) -> ValueList:
        self.check_attrs(el, _A_VALUE_LIST)
        self.text(el)
        values = []
        for v in self.children(el, _C_VALUE):
            self.check_attrs(v, _A_VALUE)
            text = v.text
            if text and not text.isspace():
                self.text_at(v, text)
            values.append(
                Value(
                    code=self.req(v, "code"),
                    display=v.get("display") or "",
                    bindings=self.bindings(v) if len(v) else (),
                    loc=self.loc_fast(v),
                )
            )
        return ValueList(
            id=ValueListId(self.req(el, "id")),
            name=el.get("name") or "",
            values=tuple(values),
            loc=self.loc(el),
        )

    def keyword(self, el: Any) -> Keyword:
        self.check_attrs(el, _A_KEYWORD)
        self.text(el)
        bindings: list[Binding] = []
        description: str | None = None
        for child in self.children(el, _C_KEYWORD) if len(el) else ():
            if child.tag == _Q + "binding":
                self.check_attrs(child, _A_BINDING)
                self.text(child)
                if len(child):
                    self.no_children(child)
                bindings.append(
                    Binding(system=self.req(child, "system"), code=self.req(child, "code"))
                )
            elif description is not None:
                self.error(child, "keyword has more than one <description>")
            else:
                self.check_attrs(child, _A_NONE)
                if len(child):
                    self.no_children(child)
                description = child.text or ""
        raw_type = self.req(el, "type")
        ktype = _TYPES.get(raw_type.strip())
        if ktype is None:
            if raw_type:
                self.error(el, f"unknown keyword type {excerpt(raw_type)}")
            ktype = KeywordType.OTHER
        value_list = el.get("valueList")
        return Keyword(
            id=KeywordId(self.req(el, "id")),
            name=self.req(el, "name"),
            type=ktype,
            unit=el.get("unit"),
            value_list=ValueListId(value_list) if value_list else None,
            bindings=tuple(bindings),
            status=self.status(el),
            hidden_from_1177=self.bool(el, "hiddenFrom1177"),
            description=description,
            loc=self.loc(el),
        )

    def item(self, el: Any) -> Item:
        self.check_attrs(el, _A_ITEM)
        text = el.text
        if text and not text.isspace():
            self.text_at(el, text)
        loc = self.loc_fast(el)  # before the children: past line 65,535, file order is faster
        return Item(
            keyword=KeywordId(self.req(el, "keyword")),
            mandatory=self.bool(el, "mandatory"),
            repeatable=self.bool(el, "repeatable"),
            children=tuple([self.item(c) for c in self.children(el, _C_ITEM)]) if len(el) else (),
            loc=loc,
        )

    def template(self, el: Any) -> Template:
        self.check_attrs(el, _A_TEMPLATE)
        self.text(el)
        cases = el.get("cases")
        return Template(
            id=TemplateId(self.req(el, "id")),
            name=self.req(el, "name"),
            version=el.get("version"),
            note_type=el.get("noteType"),
            cases=None if cases is None else tuple([CaseId(c) for c in cases.split()]),
            status=self.status(el),
            items=tuple([self.item(c) for c in self.children(el, _C_ITEM)]),
            loc=self.loc(el),
        )


def _check_root(reader: _Reader, root: Any, frag: Fragment) -> None:
    if root.tag != ROOT:
        ns, _, name = str(root.tag).rpartition("}")
        found = f"<{name}>" + (
            f" in namespace {excerpt(ns.lstrip('{'))}" if ns else " without namespace"
        )
        if "\ufffd" in str(root.tag):
            reader.errors.add(
                reader.path,
                1,
                "malformed XML: invalid bytes in the character encoding; expected UTF-8 text",
            )
            reader.errors.raise_if_any()
        reader.errors.add(
            reader.path,
            reader.line(root),
            f"not a cosmicdiff export: root element is {found}; expected <cosmicExport "
            f'xmlns="{NS}">',
        )
        reader.errors.raise_if_any()
    reader.check_attrs(root, _A_ROOT)
    frag.region = root.get("region")
    frag.region_loc = reader.loc(root)
    frag.cosmic_version = root.get("cosmicVersion")
    frag.exported = root.get("exported")


def _check_structure(reader: _Reader, el: Any) -> None:
    parent = el.getparent()
    if parent is reader.section and parent.tag == _SECTION_OF[el.tag]:
        return  # a record in the section its predecessor was in, already checked
    if parent is None or parent.tag != _SECTION_OF[el.tag]:
        where = "the root" if parent is None else f"<{local(parent.tag)}>"
        reader.error(
            el,
            f"<{local(el.tag)}> must stand in <{local(_SECTION_OF[el.tag])}>, not in {where}",
        )
    elif parent.getparent() is None or parent.getparent().tag != ROOT:
        reader.error(parent, f"<{local(parent.tag)}> must stand directly in <cosmicExport>")
    else:
        reader.section = parent  # lxml returns this same proxy while it is referenced


def _check_leftovers(reader: _Reader, el: Any, allowed: frozenset[str]) -> None:
    """Report children that are not records or sections, and text (both would be dropped).

    What is left of a section (or the root) at its end: its own text, its last record or
    section (emptied, the others were dropped after ``Reader.drop`` saw them) and any other
    element, whole.
    """
    reader.text(el)
    for child in el:
        if isinstance(child.tag, str) and child.tag not in allowed:
            reader.error(child, f"unexpected element <{local(child.tag)}> in <{local(el.tag)}>")
        reader.tail(el, child, "emptied" if child.tag in allowed else "kept")


def _again(reader: _Reader, mark: dict[Any, int] | None) -> _Reader:
    """Return the checking reader, with the source's file-order place as it was before the
    fast path looked at the record."""
    if mark is not None and reader.source is not None:
        reader.source.reset(mark)
    return reader


def read_xml_export(path: Path, display: str) -> Fragment:
    """Read one XML export file into a Fragment; raise ExportError/InputErrors on problems."""
    errors = ErrorCollector()
    reader = _Reader(display, errors)
    frag = Fragment(path=display)
    watched = _RECORDS | frozenset(_SECTIONS) | {ROOT}
    fast = FastReader(display, None)
    for event, el in iter_elements(path, display, watched, on_drop=reader.drop):
        if event == "source":
            reader.source = fast.source = el
            continue
        if event == "start":
            _check_root(reader, el, frag)
            continue
        tag = el.tag
        if tag == ROOT:
            _check_leftovers(reader, el, frozenset(_SECTIONS))
            continue
        if tag in _SECTIONS:
            if el.getparent() is None or el.getparent().tag != ROOT:
                reader.error(el, f"<{local(tag)}> must stand directly in <cosmicExport>")
            _check_leftovers(reader, el, _RECORDS)
            continue
        _check_structure(reader, el)
        if tag == _Q + "term":
            frag.terms.append(reader.term(el))
            continue
        # the fast path first; where it declines, the checking getters say what is wrong
        mark = reader.source.mark() if reader.source is not None else None
        if tag == _Q + "keyword":
            keyword = fast.keyword(el)
            frag.keywords.append(keyword or _again(reader, mark).keyword(el))
        elif tag == _Q + "template":
            template = fast.template(el)
            frag.templates.append(template or _again(reader, mark).template(el))
        else:
            value_list = fast.value_list(el)
            frag.value_lists.append(value_list or _again(reader, mark).value_list(el))
    # a tail is checked when its element is dropped, after the next record: list in file order
    errors.problems.sort(key=lambda p: p.line or 0)
    errors.raise_if_any()
    return frag
