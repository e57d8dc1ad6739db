"""Where an XML element's start tag is, as a line of its file.

libxml2 reports an element at the line where its start tag *ends*, and keeps that line in
16 bits: past line 65,535 lxml reports a line borrowed from the element's first child or
next sibling. :class:`SourceText` turns either into the line where the start tag begins.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from itertools import accumulate
from typing import Any

_TAG_END = frozenset(b" \t\r\n/>")
#: libxml2 keeps an element's line in 16 bits: from this line on, ``sourceline`` is borrowed
BIG_LINE = 65535
#: how far before BIG_LINE a start tag written over several lines may begin
_BIG_MARGIN = 200
#: the end of a start tag: attribute values may hold ``>``, so they are skipped whole
_TAG_CLOSE = re.compile(rb"""(?:"[^"]*"|'[^']*'|[^"'>])*?/?>""")
#: characters an attribute value may hold only escaped (or normalised) in the file
_ESCAPED = re.compile("[&<>\"'\t\r\n]")


class SourceText:
    """The bytes of one XML file, with a line index for exact start-tag lines.

    libxml2 reports an element at the line where its start tag *ends*; a start tag written
    over several lines (as the export format's own example does) is located at its first line
    by looking back for ``<tag``.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        # byte offsets as 8-byte machine integers: a 200 MB export has millions of lines
        self._starts: array[int] | None = None
        self._names: dict[Any, bytes] = {}
        self._big_tags: dict[Any, array[int]] = {}
        self._cursor: dict[Any, int] = {}
        #: no comment, CDATA section or processing instruction past the limit: the start tags
        #: listed from the bytes are then exactly the elements, in file order
        self._plain: bool | None = None

    def _line_starts(self) -> array[int]:
        if self._starts is None:
            lengths = map((1).__add__, map(len, self.data.split(b"\n")))
            self._starts = array("q", (0,))
            self._starts.extend(accumulate(lengths))
            self._starts.pop()  # the end of the last line is not a line start
        return self._starts

    def mark(self) -> dict[Any, int]:
        """Return the place :meth:`next_line` has reached (to go back to with :meth:`reset`)."""
        return dict(self._cursor)

    def reset(self, mark: dict[Any, int]) -> None:
        """Go back to a place :meth:`mark` returned: the elements since are located again."""
        self._cursor = dict(mark)

    def next_line(self, el: Any, line: int | None = None) -> int | None:
        """Return the start line of the next element of its name in file order.

        For the reader's records, items and values, each located once, in file order (an
        item before its children): past the 16-bit limit its start tag is then the next one
        of its name in the bytes, with no search. Where the bytes hold comments, CDATA or
        processing instructions past the limit each one is checked as :meth:`start_line`
        does. Below the limit this is :meth:`start_line`. ``line`` is ``el.sourceline``
        if the caller has read it.
        """
        if line is None:
            line = el.sourceline
        if not line or line < BIG_LINE:
            return self.start_line(el)
        if self._plain:
            tag = el.tag
            nxt = self._cursor.get(tag, -1)
            if nxt >= 0:
                offsets = self._big_tags[tag]
                starts = self._starts
                if (
                    starts is not None
                    and nxt < len(offsets)
                    and (line >= len(starts) or offsets[nxt] < starts[line])
                ):
                    self._cursor[tag] = nxt + 1
                    return bisect_right(starts, offsets[nxt])
        return self.line_of_offset(self._big_offset(el, line))

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
        if line >= BIG_LINE:
            return self.line_of_offset(self._big_offset(el, line))
        starts = self._line_starts()
        data = self.data
        name = self._name(el.tag)
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

    def tag_end_line(self, el: Any, *, in_order: bool = True) -> int:
        """Return the line where the element's start tag ends (where its text begins).

        ``in_order``: elements are mostly asked for in file order (the export reader), which
        makes the search past the 16-bit limit faster; a reader that asks in another order
        (openEHR templates) passes False.
        """
        line = int(el.sourceline or 0)
        if line < BIG_LINE:
            return line
        end = _TAG_CLOSE.search(self.data, self._big_offset(el, line, in_order=in_order))
        return self.line_of_offset(end.start()) if end else line

    def _name(self, tag: Any) -> bytes:
        name = self._names.get(tag)
        if name is None:
            name = self._names[tag] = b"<" + str(tag).rpartition("}")[2].encode()
        return name

    def _big_offset(self, el: Any, hint: int, *, in_order: bool = True) -> int:
        """Return the offset of the start tag of an element libxml2 placed at line ``hint``.

        libxml2 keeps an element's line in 16 bits; past line 65,535 it borrows the line of
        the element's first child or next sibling, which is often the next line. The start
        tags of the element's name are listed from the bytes (one scan per name). Elements
        are mostly located in file order, so the tag after the last one found is tried
        first; else the tags around ``hint``, nearest first. A tag is taken when it carries
        the element's attribute values (those written without escapes, quoted).
        """
        tag = el.tag
        offsets = self._big_tags.get(tag)
        if offsets is None:
            offsets = self._tag_offsets(tag)
        data = self.data
        starts = self._line_starts()
        hint_end = starts[hint] if hint < len(starts) else len(data)
        attrs = el.values()
        nxt = self._cursor.get(tag, -1) if in_order else -1
        if 0 <= nxt < len(offsets) and offsets[nxt] < hint_end:
            # the fast path: the next tag of the name in file order, checked by its first value
            offset = offsets[nxt]
            first = attrs[0] if attrs else None
            if first is None or _ESCAPED.search(first) or _carries(data, offset, first.encode()):
                self._cursor[tag] = nxt + 1
                return offset
        values = [v.encode() for v in attrs if not _ESCAPED.search(v)]
        last = bisect_right(offsets, hint_end - 1) - 1
        nearest: list[int] = [*range(last, last - 8, -1), *range(last + 1, last + 9)]
        for index in nearest:
            if 0 <= index < len(offsets) and all(
                _carries(data, offsets[index], raw) for raw in values
            ):
                if in_order:
                    self._cursor[tag] = index + 1
                return offsets[index]
        if last >= 0:
            return offsets[last]
        return int(starts[min(hint, len(starts)) - 1])

    def _tag_offsets(self, tag: Any) -> array[int]:
        """Return the offsets of every ``<name`` start tag past the 16-bit line limit."""
        offsets = self._big_tags.get(tag)
        if offsets is None:
            starts = self._line_starts()
            first = BIG_LINE - _BIG_MARGIN
            begin = starts[first] if len(starts) > first else 0
            name = self._name(tag)
            # a prefix (<x:item) needs a namespace declared with one; without, a plain search
            prefix = rb"<(?:[\w.-]+:)?" if b"xmlns:" in self.data else b"<"
            pattern = re.compile(prefix + re.escape(name[1:]) + rb"(?=[ \t\r\n/>])")
            offsets = array("q", (m.start() for m in pattern.finditer(self.data, begin)))
            self._big_tags[tag] = offsets
            if self._plain is None:
                self._plain = self.data.find(b"<!", begin) < 0 and self.data.find(b"<?", begin) < 0
        return offsets


def _carries(data: bytes, offset: int, raw: bytes) -> bool:
    """Tell whether the start tag at ``offset`` holds ``raw`` as a quoted attribute value."""
    stop = data.find(b">", offset)
    return data.find(b'"' + raw + b'"', offset, stop) >= 0 or (
        data.find(b"'" + raw + b"'", offset, stop) >= 0
    )
