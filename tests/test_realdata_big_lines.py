"""An openEHR operational template past line 65,535 is cited at exact lines.

libxml2 keeps an element's line in 16 bits; past that it borrows a later line. A real
template (``shared/realdata``, see its README) is read as it is and with 70,000 empty lines
after its root's start tag: every line it cites must move by exactly 70,000.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_realdata_compare import REFERRAL_NEW

from cosmicdiff.io.safe_xml import parse_bytes
from cosmicdiff.model import SourceLocation
from cosmicdiff.parsers.openehr.opt import read_opt

PAD = 70_000


def _lines(value: Any, out: list[int | None]) -> list[int | None]:
    """Collect the line of every location in ``value`` (records, notes), in a fixed order."""
    if isinstance(value, SourceLocation):
        out.append(value.line)
    elif isinstance(value, tuple | list):
        for v in value:
            _lines(v, out)
    elif isinstance(value, dict):
        for k in sorted(value):
            _lines(value[k], out)
    elif hasattr(value, "__slots__") or hasattr(value, "__dataclass_fields__"):
        for name in getattr(value, "__dataclass_fields__", {}) or value.__slots__:
            _lines(getattr(value, name), out)
    if hasattr(value, "line") and hasattr(value, "kind") and hasattr(value, "message"):
        out.append(value.line)  # an input note
    return out


def test_a_template_past_line_65535_is_cited_at_exact_lines(tmp_path: Path) -> None:
    data = REFERRAL_NEW.read_bytes()
    head, sep, rest = data.partition(b'<template xmlns="http://schemas.openehr.org/v1">\n')
    assert sep, "the template's root start tag is on a line of its own"
    padded = tmp_path / "padded.opt"
    padded.write_bytes(head + sep + b"\n" * PAD + rest)
    root_line = head.count(b"\n") + 1
    # libxml2 alone gets lines wrong there: the test is about something real
    tree = parse_bytes(padded.read_bytes(), "padded.opt")
    wrong = [
        el.sourceline
        for el, orig in zip(
            tree.getroot().iter(), parse_bytes(data, "x").getroot().iter(), strict=True
        )
        if el.sourceline
        != (orig.sourceline + PAD if orig.sourceline > root_line else orig.sourceline)
    ]
    assert len(wrong) > 100

    before = _lines(read_opt(REFERRAL_NEW, "t.opt"), [])
    after = _lines(read_opt(padded, "t.opt"), [])
    assert len(before) > 100 and None not in before
    assert after == [line + PAD if line > root_line else line for line in before]
