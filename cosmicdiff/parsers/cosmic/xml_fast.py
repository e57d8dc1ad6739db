"""The XML reader's fast path: records built straight from well-formed elements.

Nearly every record of a real export is as the schema says: known attributes, required ones
non-empty, booleans and statuses spelled as allowed, no text where none belongs. For those,
the functions here build the model's records with the fewest calls into lxml (one
``items()`` per element, no checking getters) and return them. At the first thing out of
the ordinary they return None, and the reader reads the record again with its checking
getters (:mod:`~cosmicdiff.parsers.cosmic.xml_export`), which say what is wrong, with the
line. So both paths accept exactly the same records and build equal ones
(``tests/parsers/test_xml_fast.py``); only the fast one is fast.
"""

from __future__ import annotations

from typing import Any

from cosmicdiff.io.source_lines import BIG_LINE, SourceText
from cosmicdiff.model import (
    Binding,
    Item,
    Keyword,
    KeywordType,
    SourceLocation,
    Status,
    Template,
    Value,
    ValueList,
)

_Q = "{urn:cosmicdiff:export:1}"
_ITEM = _Q + "item"
_VALUE = _Q + "value"
_BINDING = _Q + "binding"
_DESCRIPTION = _Q + "description"
_BOOL = {"true": True, "false": False, "1": True, "0": False}
_STATUS = {s.value: s for s in Status}
_TYPES = {t.value: t for t in KeywordType}
_ACTIVE = Status.ACTIVE
_new = tuple.__new__

# the records are built with tuple.__new__ from their fields in order: check the order
assert Item._fields == ("keyword", "mandatory", "repeatable", "children", "loc")
assert Value._fields == ("code", "display", "bindings", "loc")
assert Keyword._fields == (
    "id",
    "name",
    "type",
    "unit",
    "value_list",
    "bindings",
    "status",
    "hidden_from_1177",
    "description",
    "coding",
    "slot",
    "loc",
)
assert SourceLocation._fields == ("path", "line", "cell")


def _flag(value: str) -> bool | None:
    flag = _BOOL.get(value)
    return _BOOL.get(value.strip()) if flag is None else flag


def _status(value: str | None) -> Status | None:
    if value is None:
        return _ACTIVE
    status = _STATUS.get(value)
    return _STATUS.get(value.strip()) if status is None else status


def _blank(text: str | None) -> bool:
    return text is None or text.isspace() or not text


class FastReader:
    """Builds records from elements of one file; each method returns None to decline."""

    def __init__(self, path: str, source: SourceText | None) -> None:
        self.path = path
        self.source = source

    def _line(self, el: Any) -> int | None:
        """Return an item's or value's line (its start tag is on one line)."""
        line: int | None = el.sourceline
        if line is not None and line >= BIG_LINE and self.source is not None:
            return self.source.next_line(el, line)
        return line

    def _record_line(self, el: Any) -> int | None:
        return self.source.next_line(el) if self.source is not None else el.sourceline

    def bindings(self, el: Any) -> tuple[Binding, ...] | None:
        """Return the ``<binding>`` children of ``el`` (which has only those)."""
        out = []
        for b in el:
            if b.tag != _BINDING or not _blank(b.tail) or len(b):
                return None
            one = self.bindings_of(b)
            if one is None:
                return None
            out.append(one)
        return tuple(out)

    def items(self, parent: Any) -> tuple[Item, ...] | None:
        """Return the items under a template or item (which has only items)."""
        out = []
        path = self.path
        for el in parent:
            if el.tag != _ITEM or not _blank(el.tail) or not _blank(el.text):
                return None
            keyword = None
            mandatory = repeatable = False
            for name, value in el.items():
                if name == "keyword":
                    keyword = value
                elif name == "mandatory":
                    if (flag := _flag(value)) is None:
                        return None
                    mandatory = flag
                elif name == "repeatable":
                    if (flag := _flag(value)) is None:
                        return None
                    repeatable = flag
                else:
                    return None
            if not keyword or keyword.isspace():
                return None
            # located before its children: past line 65,535, start tags are taken in order
            loc = _new(SourceLocation, (path, self._line(el), None))
            children: tuple[Item, ...] | None = ()
            if len(el):
                children = self.items(el)
                if children is None:
                    return None
            out.append(_new(Item, (keyword, mandatory, repeatable, children, loc)))
        return tuple(out)

    def template(self, el: Any) -> Template | None:
        """Return a ``<template>``'s record, or None to have it read with checks."""
        if not _blank(el.text):
            return None
        tid = name = version = note_type = cases = status = None
        for key, value in el.items():
            if key == "id":
                tid = value
            elif key == "name":
                name = value
            elif key == "version":
                version = value
            elif key == "noteType":
                note_type = value
            elif key == "cases":
                cases = value
            elif key == "status":
                status = value
            else:
                return None
        if not tid or tid.isspace() or not name or name.isspace():
            return None
        state = _status(status)
        items = self.items(el)
        if state is None or items is None:
            return None
        return Template(
            id=tid,
            name=name,
            version=version,
            note_type=note_type,
            cases=None if cases is None else tuple(cases.split()),
            status=state,
            items=items,
            loc=_new(SourceLocation, (self.path, self._record_line(el), None)),
        )

    def keyword(self, el: Any) -> Keyword | None:
        """Return a ``<keyword>``'s record, or None to have it read with checks."""
        if not _blank(el.text):
            return None
        kid = name = raw_type = unit = value_list = status = hidden = None
        for key, value in el.items():
            if key == "id":
                kid = value
            elif key == "name":
                name = value
            elif key == "type":
                raw_type = value
            elif key == "unit":
                unit = value
            elif key == "valueList":
                value_list = value
            elif key == "status":
                status = value
            elif key == "hiddenFrom1177":
                hidden = value
            else:
                return None
        if not kid or kid.isspace() or not name or name.isspace() or raw_type is None:
            return None
        ktype = _TYPES.get(raw_type)
        if ktype is None and (ktype := _TYPES.get(raw_type.strip())) is None:
            return None
        state = _status(status)
        flag = False if hidden is None else _flag(hidden)
        if state is None or flag is None:
            return None
        bindings: list[Binding] = []
        description = None
        for child in el if len(el) else ():
            tag = child.tag
            if not _blank(child.tail) or len(child):
                return None
            if tag == _BINDING:
                one = self.bindings_of(child)
                if one is None:
                    return None
                bindings.append(one)
            elif tag == _DESCRIPTION and description is None and not child.keys():
                description = child.text or ""
            else:
                return None
        loc = _new(SourceLocation, (self.path, self._record_line(el), None))
        return _new(
            Keyword,
            (
                kid,
                name,
                ktype,
                unit,
                value_list or None,
                tuple(bindings),
                state,
                flag,
                description,
                None,
                None,
                loc,
            ),
        )

    def bindings_of(self, b: Any) -> Binding | None:
        """Return one ``<binding>`` element's binding (it has no children)."""
        if not _blank(b.text):
            return None
        system = code = None
        for name, value in b.items():
            if name == "system":
                system = value
            elif name == "code":
                code = value
            else:
                return None
        if not system or system.isspace() or not code or code.isspace():
            return None
        return _new(Binding, (system, code))

    def value_list(self, el: Any) -> ValueList | None:
        """Return a ``<valueList>``'s record, or None to have it read with checks."""
        if not _blank(el.text):
            return None
        vid = name = None
        for key, value in el.items():
            if key == "id":
                vid = value
            elif key == "name":
                name = value
            else:
                return None
        if not vid or vid.isspace():
            return None
        values = []
        path = self.path
        for v in el:
            if v.tag != _VALUE or not _blank(v.tail) or not _blank(v.text):
                return None
            code = display = None
            for key, value in v.items():
                if key == "code":
                    code = value
                elif key == "display":
                    display = value
                else:
                    return None
            if not code or code.isspace():
                return None
            bindings: tuple[Binding, ...] | None = ()
            if len(v):
                bindings = self.bindings(v)
                if bindings is None:
                    return None
            loc = _new(SourceLocation, (path, self._line(v), None))
            values.append(_new(Value, (code, display or "", bindings, loc)))
        return ValueList(
            id=vid,
            name=name or "",
            values=tuple(values),
            loc=_new(SourceLocation, (path, self._record_line(el), None)),
        )
