"""A hardened lxml parser: no DTD, no entities, no network, no XInclude.

Every XML file cosmicdiff reads goes through :func:`iter_elements`, :func:`parse_tree`,
:func:`parse_bytes` or :func:`stream_is_valid`; no other module calls lxml's parsers. A
DOCTYPE is how both XXE (entities pointing at local files or URLs) and entity-expansion
bombs ("billion laughs") are delivered, and it is refused twice:

* before lxml sees the file, a scan of the prolog (the XML declaration, comments and
  processing instructions before the first element, however long, in UTF-8, UTF-16 or
  UTF-32) refuses a ``<!DOCTYPE``: the cheap first line of defence;
* after lxml has parsed the prolog (at the first event of an incremental parse, before any
  element is used, and after a whole parse), a document whose ``docinfo`` shows a DOCTYPE,
  an internal or external DTD subset, a system or public id is refused with the same
  message. This check is the authoritative one: libxml2 expands an internal entity into an
  attribute value even with ``resolve_entities=False``, so no element of such a document
  may ever be read.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from cosmicdiff.errors import ExportError, library_message
from cosmicdiff.io.read_progress import byte_stream, counting
from cosmicdiff.io.source_lines import SourceText

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
#: Byte-order marks and the codec that reads the prolog after them (longest first).
_PROLOG_CODECS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xef\xbb\xbf", "utf-8"),
)
_PROLOG_CHUNK = 65536

#: The DOCTYPE refusal, as the user reads it after ``path:line: ``.
DOCTYPE_MESSAGE = (
    "DOCTYPE declarations are not allowed (no DTDs or entities are read); "
    "remove the <!DOCTYPE ...> line"
)


def safe_parser() -> etree.XMLParser:
    """Return an XMLParser that loads no DTD, resolves no entity and opens no network."""
    return etree.XMLParser(**_PARSER_OPTIONS)


def _prolog_codec(data: bytes, encoding: str | None = None) -> tuple[str, int]:
    """Return the codec that reads the file's prolog and the length of its byte-order mark.

    Without a byte-order mark, ``encoding`` (the one lxml found) is used if Python knows it;
    else latin-1, which maps every byte of an ASCII-compatible encoding (UTF-8 included) to
    one character without ever failing: the prolog's markup is ASCII.
    """
    for bom, codec in _PROLOG_CODECS:
        if data.startswith(bom):
            return codec, len(bom)
    if encoding:
        try:
            return codecs.lookup(encoding).name, 0
        except LookupError:
            pass
    return "latin-1", 0


def _skip_prolog(text: str, pos: int, final: bool) -> tuple[str, int]:
    """Skip white space, comments and processing instructions from ``pos``.

    Return ``("doctype", offset)`` at a DOCTYPE, ``("content", offset)`` at anything else
    (the first element, or junk lxml will refuse), or ``("more", offset)`` when the text
    ends inside the prolog and more of it is needed (``offset`` is where to resume).
    """
    size = len(text)
    while True:
        while pos < size and text[pos] in " \t\r\n\ufeff":
            pos += 1
        if pos >= size:
            return ("content" if final else "more"), pos
        if text.startswith("<!--", pos):
            end = text.find("-->", pos + 4)
            if end < 0:
                return ("content" if final else "more"), pos
            pos = end + 3
        elif text.startswith("<?", pos):
            end = text.find("?>", pos + 2)
            if end < 0:
                return ("content" if final else "more"), pos
            pos = end + 2
        else:
            head = text[pos : pos + 9].upper()
            if head == "<!DOCTYPE":
                return "doctype", pos
            if not final and len(head) < 9 and "<!DOCTYPE".startswith(head):
                return "more", pos
            return "content", pos


def doctype_line(data: bytes, encoding: str | None = None) -> int | None:
    """Return the line of the DOCTYPE in the file's prolog, or None if it has none.

    The prolog is decoded a chunk at a time and scanned from where the last chunk ended, so
    a long comment (or a long UTF-16 prolog) costs one pass, and the file is never decoded
    past the first element.
    """
    codec, start = _prolog_codec(data, encoding)
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    text, pos, lines = "", 0, 1
    for offset in range(start, max(len(data), start + 1), _PROLOG_CHUNK):
        final = offset + _PROLOG_CHUNK >= len(data)
        text += decoder.decode(data[offset : offset + _PROLOG_CHUNK], final=final)
        state, pos = _skip_prolog(text, pos, final)
        if state == "doctype":
            return lines + text.count("\n", 0, pos)
        if state == "content":
            return None
        lines += text.count("\n", 0, pos)
        text, pos = text[pos:], 0
    return None


def _check_prolog(display: str, data: bytes) -> None:
    """Refuse a DOCTYPE (and binary junk) before any XML parser reads the file."""
    if b"\x00" in data[:4] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExportError(
            display,
            1,
            "malformed XML: binary data or an unsupported encoding "
            "(a NUL byte at the start); expected UTF-8 text",
        )
    line = doctype_line(data)
    if line is not None:
        raise ExportError(display, line, DOCTYPE_MESSAGE)


def _refuse_dtd(display: str, source: SourceText, node: Any) -> None:
    """Refuse a parsed document that has a DOCTYPE or a DTD of any kind.

    This is the authoritative check: it runs on what lxml itself read, so no trick in the
    prolog (whatever the pre-scan missed) lets a document with entities through.
    """
    info = node.getroottree().docinfo
    if (
        info.doctype
        or info.internalDTD is not None
        or info.externalDTD is not None
        or info.system_url
        or info.public_id
    ):
        line = doctype_line(source.data, info.encoding)
        raise ExportError(display, line or 1, DOCTYPE_MESSAGE)


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
    return ExportError(display, line, f"malformed XML: {library_message(msg)}")


def _check_bytes(display: str, data: bytes) -> SourceText:
    """Refuse an empty file, binary junk and a DOCTYPE; return the source to parse."""
    body = data[len(b) :] if (b := next((b for b in _BOMS if data.startswith(b)), b"")) else data
    if not body.strip():
        raise ExportError(display, None, "file is empty; expected an XML document")
    _check_prolog(display, data)
    return SourceText(data)


def read_source(path: Path, display: str) -> SourceText:
    """Read an XML file's bytes, refusing empty files, junk and DOCTYPEs."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    return _check_bytes(display, data)


def iter_elements(
    path: Path, display: str, tags: frozenset[str], on_drop: Callable[[Any], None] | None = None
) -> Iterator[Any]:
    """Yield the source, then ``("start", root)``, then every finished element in ``tags``.

    The elements are yielded at their end event and cleared afterwards (their tail text is
    kept), so the parsed tree never grows to the whole file. A cleared element is removed
    from its parent when the next element in ``tags`` among its siblings has been yielded;
    ``on_drop`` sees it just before, when its tail (the text up to that next sibling) is
    complete. Syntax errors and DOCTYPEs raise ExportError; a DOCTYPE is refused at the first
    event, before any element is yielded.
    """
    source = read_source(path, display)
    yield "source", source
    etree.clear_error_log()
    try:
        # lxml filters the events by tag in C: Python sees records, not every element
        events = etree.iterparse(
            byte_stream(source.data, display),  # counted for a progress bar, if one is shown
            events=("start", "end"),
            tag=[*tags, "{" + XINCLUDE_NS + "}*"],
            **_PARSER_OPTIONS,
        )
        root = None
        for event, el in events:
            if root is None:
                _refuse_dtd(display, source, el)
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
            elif (
                event == "start"
                and isinstance(el.tag, str)
                and el.tag.startswith("{" + XINCLUDE_NS + "}")
            ):
                raise ExportError(
                    display, source.start_line(el), "XInclude is not allowed in an export"
                )
        if root is None:  # no watched element at all: let the caller judge the root
            _refuse_dtd(display, source, events.root)
            yield "start", events.root
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(display, exc) from None


def _parse_source(source: SourceText, display: str) -> etree._ElementTree:
    """Parse checked bytes into a whole tree and refuse any DTD the parser saw."""
    etree.clear_error_log()
    try:
        if counting():  # a progress bar is shown: parse from a reader that counts
            root = etree.parse(byte_stream(source.data, display), safe_parser()).getroot()
        else:
            root = etree.fromstring(source.data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(display, exc) from None
    _refuse_dtd(display, source, root)
    return etree.ElementTree(root)


def parse_tree(path: Path, display: str) -> etree._ElementTree:
    """Parse a whole (small) XML file safely: an openEHR template, or for XSD validation."""
    return _parse_source(read_source(path, display), display)


def parse_bytes(data: bytes, display: str) -> etree._ElementTree:
    """Parse XML held in memory (a shipped schema, an embedded document) as safely."""
    return _parse_source(_check_bytes(display, data), display)


def iterparse_bytes(data: bytes, display: str, tags: frozenset[str]) -> Iterator[Any]:
    """Yield every element in ``tags`` of XML held in memory at its end event.

    A part of a zip archive (a workbook's sheet) read as safely as a file: the prolog is
    scanned for a DOCTYPE first, and the parse stops with the same refusal at its first
    event if lxml saw any DTD. The caller clears what it no longer needs.
    """
    source = _check_bytes(display, data)
    etree.clear_error_log()
    try:
        events = etree.iterparse(
            io.BytesIO(source.data), events=("end",), tag=list(tags), **_PARSER_OPTIONS
        )
        checked = False
        for _event, el in events:
            if not checked:
                _refuse_dtd(display, source, el)
                checked = True
            yield el
        if not checked:
            _refuse_dtd(display, source, events.root)
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(display, exc) from None


def stream_is_valid(
    path: Path, display: str, schema: etree.XMLSchema, tags: frozenset[str]
) -> bool:
    """Return whether an XML file is well-formed, has no DTD and is valid against ``schema``.

    libxml2 validates while it parses, so no whole tree is built (one is about 12x the XML
    in memory): every element in ``tags`` is cleared at its end and dropped once a later
    sibling has ended. The answer is only a verdict: in this mode libxml2 knows no node, so
    its schema errors carry no line. On any error (the parse stops soon after the first),
    or a DTD seen at the first event (the parse stops there), the answer is False and the
    caller parses the file again with :func:`parse_tree` to report exactly what is wrong.
    An empty file, junk and a DOCTYPE in the prolog raise ExportError as :func:`parse_tree`
    does.
    """
    source = read_source(path, display)
    etree.clear_error_log()
    try:
        events = etree.iterparse(
            byte_stream(source.data, display),  # counted for a progress bar, if one is shown
            events=("end",),
            tag=list(tags),
            schema=schema,
            **_PARSER_OPTIONS,
        )
        first = True
        for count, (_event, el) in enumerate(events):
            if first:
                _refuse_dtd(display, source, el)
                first = False
            elif count % 1024 == 0 and len(events.error_log):
                return False  # an invalid file: stop at its first problems, not at its end
            el.clear()
            parent = el.getparent()
            while parent is not None and el.getprevious() is not None:
                del parent[0]
        if first:
            _refuse_dtd(display, source, events.root)
    except (etree.XMLSyntaxError, ExportError):
        return False
    finally:
        etree.clear_error_log()
    return _ends_with(source.data, events.root)


_OPEN_CLOSE = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
_TAIL = re.compile(rb"\s*>(?:\s+|<!--.*?-->|<\?.*?\?>)*\Z", re.DOTALL)


def _ends_with(data: bytes, root: Any) -> bool:
    """Return whether the bytes end with the root's end tag and then nothing but white space,
    comments and processing instructions.

    With a schema, libxml2 reports no error found only at the end of the input (a file cut
    short, an unclosed comment after the root), so a streamed validation checks that the
    document is complete here. A file this check cannot read (UTF-16, say) is not vouched for.
    """
    name = etree.QName(root).localname
    tag = f"</{root.prefix}:{name}" if root.prefix else f"</{name}"
    end = data.rfind(tag.encode("utf-8"))
    if end < 0 or any(data.rfind(a, 0, end) > data.rfind(b, 0, end) for a, b in _OPEN_CLOSE):
        return False  # no end tag, or it is inside a comment, CDATA section or PI left open
    return _TAIL.match(data, end + len(tag)) is not None
