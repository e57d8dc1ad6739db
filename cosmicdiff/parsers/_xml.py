"""A hardened lxml parser: no DTD, no entities, no network, no XInclude.

Every XML file cosmicdiff reads goes through :func:`iter_elements` or :func:`parse_tree`.
A DOCTYPE is refused before lxml sees the file: it is how both XXE (entities pointing at
local files or URLs) and entity-expansion bombs ("billion laughs") are delivered.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from cosmicdiff.errors import ExportError

XINCLUDE_NS = "http://www.w3.org/2001/XInclude"
_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_FIRST_ELEMENT = re.compile(rb"<[^?!]")
_TAG_END = frozenset(b" \t\r\n/>")


def safe_parser() -> etree.XMLParser:
    """Return an XMLParser that loads no DTD, resolves no entity and opens no network."""
    return etree.XMLParser(**_PARSER_OPTIONS)


class SourceText:
    """The bytes of one XML file, with a line index for exact start-tag lines.

    libxml2 reports an element at the line where its start tag *ends*; a start tag written
    over several lines (as the export format's own example does) is located at its first line
    by looking back for ``<tag``.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._starts: list[int] | None = None
        self._names: dict[Any, bytes] = {}

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in re.finditer(b"\n", self.data))]
        return self._starts

    def line_of_offset(self, offset: int) -> int:
        """Return the 1-based line of a byte offset."""
        return bisect_right(self._line_starts(), offset)

    def closing_line(self, name: str, from_line: int) -> int | None:
        """Return the line of the first end tag ``</name>`` (any prefix) from ``from_line`` on.

        Used only to place an error: where the text before an element's end tag is, once the
        element's earlier children are gone.
        """
        starts = self._line_starts()
        begin = starts[from_line - 1] if 0 < from_line <= len(starts) else 0
        pattern = re.compile(rb"</(?:[\w.-]+:)?" + re.escape(name.encode()) + rb"[ \t\r\n]*>")
        found = pattern.search(self.data, begin)
        return self.line_of_offset(found.start()) if found else None

    def start_line(self, el: Any) -> int | None:
        """Return the line where the element's start tag begins."""
        line: int | None = el.sourceline
        if not line:
            return None
        starts = self._line_starts()
        data = self.data
        tag = el.tag
        name = self._names.get(tag)
        if name is None:
            name = self._names[tag] = b"<" + str(tag).rpartition("}")[2].encode()
        size = len(data)
        if line < len(starts):  # the usual case: the whole start tag is on that line
            idx = data.find(name, starts[line - 1], starts[line])
            if idx >= 0 and data[idx + len(name)] in _TAG_END:
                return line
        for candidate in range(line, max(0, line - 50), -1):
            begin = starts[candidate - 1] if candidate <= len(starts) else size
            end = starts[candidate] if candidate < len(starts) else size
            idx = data.rfind(name, begin, end)
            while idx >= 0:
                after = idx + len(name)
                if after >= size or data[after] in _TAG_END:
                    return candidate
                idx = data.rfind(name, begin, idx)
        return line


def _check_prolog(display: str, data: bytes) -> None:
    """Refuse a DOCTYPE (and binary junk) before any XML parser reads the file."""
    head = data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = data[:65536].decode("utf-16", errors="replace").encode("utf-8")
        except (UnicodeDecodeError, LookupError):
            head = data[:65536]
    elif b"\x00" in data[:4]:
        raise ExportError(display, 1, "malformed XML: binary data or an unsupported encoding "
                                      "(a NUL byte at the start); expected UTF-8 text")
    match = _FIRST_ELEMENT.search(head)
    prolog = head[:match.start()] if match else head
    pos = prolog.find(b"<!DOCTYPE")
    if pos >= 0:
        raise ExportError(
            display, prolog.count(b"\n", 0, pos) + 1,
            "DOCTYPE declarations are not allowed (no DTDs or entities are read); "
            "remove the <!DOCTYPE ...> line",
        )


def _syntax_error(display: str, exc: etree.XMLSyntaxError) -> ExportError:
    line = exc.lineno if exc.lineno and exc.lineno > 0 else None
    msg = exc.msg or str(exc)
    if line is None:
        # iterparse may raise a later error without a line; the log of this parse has the cause
        logged = [e for e in exc.error_log if e.line and e.line > 0]  # type: ignore[attr-defined]
        if logged:
            line, msg = logged[0].line, logged[0].message
    # lxml appends ", line N, column M"; the line is already in front of the message.
    msg = msg.split(", line ")[0].strip()
    if "Start tag expected" in msg or "Document is empty" in msg:
        msg = "not an XML document (no start tag found)"
    return ExportError(display, line, f"malformed XML: {msg}")


def read_source(path: Path, display: str) -> SourceText:
    """Read an XML file's bytes, refusing empty files, junk and DOCTYPEs."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    body = data[len(b) :] if (b := next((b for b in _BOMS if data.startswith(b)), b"")) else data
    if not body.strip():
        raise ExportError(display, None, "file is empty; expected an XML document")
    _check_prolog(display, data)
    return SourceText(data)


def iter_elements(path: Path, display: str, tags: frozenset[str],
                  on_drop: Callable[[Any], None] | None = None) -> Iterator[Any]:
    """Yield the source, then ``("start", root)``, then every finished element in ``tags``.

    The elements are yielded at their end event and cleared afterwards (their tail text is
    kept), so the parsed tree never grows to the whole file. A cleared element is removed
    from its parent when the next element in ``tags`` among its siblings has been yielded;
    ``on_drop`` sees it just before, when its tail (the text up to that next sibling) is
    complete. Syntax errors and DOCTYPEs raise ExportError.
    """
    source = read_source(path, display)
    yield "source", source
    etree.clear_error_log()
    try:
        # lxml filters the events by tag in C: Python sees records, not every element
        events = etree.iterparse(io.BytesIO(source.data), events=("start", "end"),
                                 tag=[*tags, "{" + XINCLUDE_NS + "}*"], **_PARSER_OPTIONS)
        root = None
        for event, el in events:
            if root is None:
                root = el.getroottree().getroot()
                yield "start", root
                if el is root:
                    continue
            if event == "end" and el.tag in tags:
                yield "end", el
                # keep_tail: the tail may already be (partly) parsed; on_drop reads it
                el.clear(keep_tail=True)
                parent = el.getparent()
                prev = el.getprevious()
                while prev is not None and parent is not None:
                    before = prev.getprevious()
                    if prev.tag in tags:
                        if on_drop is not None:
                            on_drop(prev)
                        parent.remove(prev)
                    prev = before
            elif event == "start" and isinstance(el.tag, str) and el.tag.startswith(
                "{" + XINCLUDE_NS + "}"
            ):
                raise ExportError(display, source.start_line(el),
                                  "XInclude is not allowed in an export")
        if root is None:  # no watched element at all: let the caller judge the root
            yield "start", events.root
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(display, exc) from None


def parse_tree(path: Path, display: str) -> etree._ElementTree:
    """Parse a whole (small) XML file safely; used for XSD validation."""
    source = read_source(path, display)
    etree.clear_error_log()
    try:
        return etree.ElementTree(etree.fromstring(source.data, safe_parser()))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(display, exc) from None
