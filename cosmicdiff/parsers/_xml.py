"""A hardened lxml parser: no DTD, no entities, no network, no XInclude.

Every XML file cosmicdiff reads goes through :func:`iter_elements` or :func:`parse_tree`.
A DOCTYPE is refused outright: it is how both XXE (entities pointing at local files or
URLs) and entity-expansion bombs ("billion laughs") are delivered.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def safe_parser() -> etree.XMLParser:
    """Return an XMLParser that loads no DTD, resolves no entity and opens no network."""
    return etree.XMLParser(**_PARSER_OPTIONS)


def _syntax_error(path: str, exc: etree.XMLSyntaxError, data_empty: bool) -> ExportError:
    if data_empty:
        return ExportError(path, None, "file is empty; expected an XML document")
    line = exc.lineno if exc.lineno and exc.lineno > 0 else None
    msg = (exc.msg or str(exc)).strip()
    # lxml appends ", line N, column M"; the line is already in front of the message.
    msg = msg.split(", line ")[0]
    if "Start tag expected" in msg or "Document is empty" in msg:
        msg = "not an XML document (no start tag found)"
    return ExportError(path, line, f"malformed XML: {msg}")


def _check_doctype(path: str, doctype: str | None, line: int | None) -> None:
    if doctype:
        raise ExportError(
            path,
            line,
            "DOCTYPE declarations are not allowed (no DTDs or entities are read); "
            "remove the <!DOCTYPE ...> line",
        )


def iter_elements(path: Path, display: str, tags: frozenset[str]) -> Iterator[Any]:
    """Yield ``("start", root)`` once, then every finished element whose tag is in ``tags``.

    The elements are yielded at their end event and cleared afterwards, so a large file
    never sits in memory as a whole tree. Syntax errors and DOCTYPEs raise ExportError.
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    if size == 0:
        raise ExportError(display, None, "file is empty; expected an XML document")
    try:
        with path.open("rb") as fh:
            events = etree.iterparse(fh, events=("start", "end"), **_PARSER_OPTIONS)
            root = None
            for event, el in events:
                if root is None:
                    root = el
                    _check_doctype(display, el.getroottree().docinfo.doctype, 1)
                    yield "start", el
                    continue
                if event == "end" and el.tag in tags:
                    yield "end", el
                    el.clear(keep_tail=False)
                    parent = el.getparent()
                    prev = el.getprevious()
                    while prev is not None and parent is not None:
                        before = prev.getprevious()
                        if prev.tag in tags:
                            parent.remove(prev)
                        prev = before
                elif event == "start" and isinstance(el.tag, str) and el.tag.startswith(
                    "{" + XINCLUDE_NS + "}"
                ):
                    raise ExportError(
                        display, el.sourceline, "XInclude is not allowed in an export"
                    )
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(display, exc, size == 0) from None
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc}") from None


def parse_tree(path: Path, display: str) -> etree._ElementTree:
    """Parse a whole (small) XML file safely; used for XSD validation."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise ExportError(display, None, "file is empty; expected an XML document")
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser()))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(display, exc, False) from None
    _check_doctype(display, tree.docinfo.doctype, 1)  # type: ignore[attr-defined]
    return tree
