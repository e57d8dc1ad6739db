"""The ADL layers below the mapping: tokens, dADL blocks and the cADL syntax tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosmicdiff.errors import ExportError
from cosmicdiff.parsers.openehr.adl_syntax import CNode, CObject, COrdinal, parse_archetype
from cosmicdiff.parsers.openehr.adl_tokens import decode, describe, tokenize

SMALL = Path(__file__).resolve().parents[1] / "fixtures" / "adl" / "small.adl"


def test_tokenize_kinds_lines_and_escapes() -> None:
    toks = tokenize('a = <"x \\"y\\"">  -- note\n{/\\d+/} 1..3', "t.adl")
    assert [(t.kind, t.text, t.line) for t in toks] == [
        ("id", "a", 1),
        ("op", "=", 1),
        ("op", "<", 1),
        ("str", 'x "y"', 1),
        ("op", ">", 1),
        ("op", "{", 2),
        ("re", "\\d+", 2),
        ("op", "}", 2),
        ("num", "1", 2),
        ("op", "..", 2),
        ("num", "3", 2),
        ("eof", "", 2),
    ]
    assert [describe(t) for t in toks[2:4]] == ["'<'", "a string"]
    assert describe(toks[-1]) == "the end of the file"


def test_tokenize_refuses_an_open_string() -> None:
    with pytest.raises(ExportError) as exc:
        tokenize('a = <"open\n>', "t.adl")
    assert str(exc.value) == (
        "t.adl:1: string is not closed: no matching '\"' before the end of the file"
    )


def test_decode_normalises_line_ends_and_refuses_control_characters() -> None:
    assert decode(b"\xef\xbb\xbfa\r\nb\rc", "t.adl") == "a\nb\nc"
    with pytest.raises(ExportError, match="t.adl:2: control character U\\+0007"):
        decode(b"a\n\x07", "t.adl")


def first(obj: CObject, attribute: str) -> CNode:
    """Return the first alternative of the object's attribute."""
    attr = obj.attribute(attribute)
    assert attr is not None, attribute
    return attr.children[0]


def test_parse_archetype_gives_the_tree() -> None:
    arch = parse_archetype(decode(SMALL.read_bytes(), "small.adl"), "small.adl")
    assert (arch.archetype_id, arch.id_line, arch.concept) == (
        "openEHR-EHR-OBSERVATION.cosmicdiff_test.v1",
        2,
        "at0000",
    )
    assert arch.original_language == "en"
    assert arch.description is not None
    assert arch.description.string("other_details", "revision") == "0.3.1"
    assert arch.definition.rm_type == "OBSERVATION" and arch.definition.node_id == "at0000"
    history = first(arch.definition, "data")
    assert isinstance(history, CObject)
    assert (history.rm_type, history.node_id, history.occurrences) == (
        "HISTORY",
        "at0001",
        (1, 1, False),
    )
    event = first(history, "events")
    assert isinstance(event, CObject) and event.occurrences == (0, None, True)
    tree = first(event, "data")
    assert isinstance(tree, CObject)
    score = first(tree, "items")
    assert isinstance(score, CObject) and score.rm_type == "ELEMENT"
    ordinal = first(score, "value")
    assert isinstance(ordinal, COrdinal)
    assert [code for _, code, _ in ordinal.codes] == ["at0010", "at0011", "at0012"]
