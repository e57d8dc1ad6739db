"""Typed, checking access to the elements of a COSMIC XML export: attributes, children, text.

Every getter records a problem (with the file and the exact line) instead of raising, so one
read lists every problem of a file; :mod:`~cosmicdiff.parsers.cosmic.xml_export` builds the
model's records on top of it.
"""

from __future__ import annotations

from typing import Any

from cosmicdiff.errors import ErrorCollector, excerpt
from cosmicdiff.io.source_lines import BIG_LINE, SourceText
from cosmicdiff.model import SourceLocation, Status
from cosmicdiff.parsers.cosmic.xml_text import STRAY_TEXT, end_line, split_space

BOOL = {"true": True, "false": False, "1": True, "0": False}
STATUS = {s.value: s for s in Status}


def local(tag: Any) -> str:
    """Return an element's tag without its namespace."""
    return str(tag).rpartition("}")[2]


class ElementReader:
    """Typed getters over lxml elements that record problems instead of raising.

    This is the hot loop of a compare: lookups go through prebuilt sets and dicts.
    """

    def __init__(self, path: str, errors: ErrorCollector) -> None:
        self.path = path
        self.errors = errors
        self.source: SourceText | None = None
        self.section: Any = None  # the last section element whose place was checked

    def line(self, el: Any) -> int | None:
        return self.source.start_line(el) if self.source is not None else el.sourceline

    def loc(self, el: Any) -> SourceLocation:
        """Return where a record (term, value list, keyword, template) starts.

        Each record, item and value is located once, in file order (see
        :meth:`SourceText.next_line`); errors use :meth:`line`.
        """
        source = self.source
        return SourceLocation(
            path=self.path, line=source.next_line(el) if source is not None else el.sourceline
        )

    def loc_fast(self, el: Any) -> SourceLocation:
        """Return where an item or value is: its start tag's line (as libxml2 reports it).

        Items and values are one-line tags in every real export; finding the first line of
        a multi-line start tag costs more than all the rest of reading them. Past libxml2's
        16-bit line limit the line is looked up in the source.
        """
        line = el.sourceline
        if line >= BIG_LINE and self.source is not None:
            line = self.source.next_line(el)
        return SourceLocation(path=self.path, line=line)

    def error(self, el: Any, message: str) -> None:
        self.errors.add(self.path, self.line(el), message)

    def stray(self, holder: Any, text: str, line: int | None) -> None:
        """Record text found in ``holder`` where the schema allows none."""
        flat = " ".join(text.split())  # one line, whatever the text's layout
        self.errors.add(
            self.path,
            line or self.line(holder),
            f"{STRAY_TEXT}{excerpt(flat)} inside <{local(holder.tag)}>",
        )

    def text(self, el: Any) -> None:
        """Refuse text between an element's start tag and its first child (or end tag)."""
        text = el.text
        if text and not text.isspace():
            self.text_at(el, text)

    def text_at(self, el: Any, text: str) -> None:
        """Record ``el``'s text as stray (the hot loops test it inline, then call this)."""
        # libxml2's sourceline is where the start tag ends, i.e. where the text starts
        self.stray(el, text, self.tag_end_line(el) + split_space(text)[0].count("\n"))

    def tag_end_line(self, el: Any) -> int:
        """Return the line where ``el``'s start tag ends (exact past line 65,535 too)."""
        if self.source is not None:
            return self.source.tag_end_line(el)
        return int(el.sourceline or 0)

    def tail(self, parent: Any, child: Any, state: str = "whole") -> None:
        """Refuse text after ``child`` inside ``parent``.

        ``state`` says what is left to count the line from: ``whole`` (inside a record: the
        next sibling's start tag, else the child's end), ``kept`` (the child's subtree, but
        not its next sibling) or ``emptied`` (the next sibling, else the parent's end tag).
        """
        tail = child.tail
        if not tail or tail.isspace():
            return
        before, rest = split_space(tail)
        nxt = child.getnext() if state != "kept" else None
        line: int | None = None
        if nxt is not None:
            start = self.line(nxt)
            line = None if start is None else start - rest.count("\n")
        elif state != "emptied":
            line = end_line(child, self.tag_end_line) + before.count("\n")
        elif self.source is not None:
            end = self.source.closing_line(local(parent.tag), self.line(child) or 1)
            line = None if end is None else end - rest.count("\n")
        self.stray(parent, tail, line)

    def drop(self, el: Any) -> None:
        """Check a record's or section's tail before iter_elements removes it."""
        tail = el.tail
        if tail and not tail.isspace():
            parent = el.getparent()
            self.tail(parent if parent is not None else el, el, "emptied")

    def no_children(self, el: Any) -> None:
        """Refuse elements inside an element of text only (their text would be lost)."""
        for child in el:
            if isinstance(child.tag, str):
                self.error(child, f"unexpected element <{local(child.tag)}> in <{local(el.tag)}>")

    def check_attrs(self, el: Any, allowed: frozenset[str]) -> None:
        keys = el.keys()
        if keys and not allowed.issuperset(keys):
            for name in keys:
                if name not in allowed:
                    self.error(el, f"unknown attribute {excerpt(local(name))} on <{local(el.tag)}>")

    def req(self, el: Any, name: str) -> str:
        value = el.get(name)
        if value is None or not value.strip():
            self.error(el, f"<{local(el.tag)}> needs a non-empty {excerpt(name)} attribute")
            return ""
        return str(value)

    def bool(self, el: Any, name: str) -> bool:
        value = el.get(name)
        if value is None:
            return False
        flag = BOOL.get(value.strip())
        if flag is None:
            self.error(
                el, f"{name}={excerpt(value)} is not a boolean; use true or false (or 1 or 0)"
            )
            return False
        return flag

    def status(self, el: Any) -> Status:
        value = el.get("status")
        if value is None:
            return Status.ACTIVE
        found = STATUS.get(value.strip())
        if found is None:
            self.error(el, f"unknown status {excerpt(value)}; use active, inactive or retired")
            return Status.ACTIVE
        return found

    def children(self, el: Any, allowed: frozenset[str]) -> list[Any]:
        """Return the allowed children; refuse other elements and text between them."""
        out = []
        for child in el:
            tag = child.tag
            if tag in allowed:
                out.append(child)
            elif isinstance(tag, str):
                self.error(child, f"unexpected element <{local(tag)}> in <{local(el.tag)}>")
            tail = child.tail
            if tail and not tail.isspace():
                self.tail(el, child)
        return out
