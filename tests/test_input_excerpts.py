"""How messages quote input: short, escaped, one line (errors.excerpt, quoted, library_message)."""

from __future__ import annotations

import pytest

from cosmicdiff.errors import excerpt, library_message, quoted
from cosmicdiff.io.textcheck import join_surrogates


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("id", "'id'"),
        ("it's", '"it\'s"'),
        ("Blodtryck ÅÄÖ", "'Blodtryck ÅÄÖ'"),
        ("a\x1b[2Jb", "'a\\x1b[2Jb'"),
        ("a\nb\tc", "'a\\nb\\tc'"),
        ("rtl\u202eevil", "'rtl\\u202eevil'"),
        ("\ud800", "'\\ud800'"),
        ("x" * 40, "'" + "x" * 40 + "'"),
        (
            "API_TOKEN=s3cr3t-abcdefghijklmnopqrstuvwxyz0123456789",
            "'API_TOKEN=s3cr3t-abcdefghijklmnopqrstuvw…'",
        ),
        (12, "12"),
        (["a", "b"], "['a', 'b']"),
        (list(range(100)), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1…"),
    ],
    ids=[
        "plain",
        "quote",
        "swedish",
        "escape-sequence",
        "newline-tab",
        "bidi-override",
        "lone-surrogate",
        "at-the-limit",
        "cut",
        "int",
        "list",
        "long-list",
    ],
)
def test_excerpt_is_short_escaped_and_one_line(value: object, shown: str) -> None:
    assert excerpt(value) == shown
    assert "\n" not in excerpt(value) and "\x1b" not in excerpt(value)


def test_quoted_keeps_room_for_long_identifiers() -> None:
    url = "https://fhir.inera.se/ig/ehds-tk/ValueSet/clinicaldocumentnotecode-vs"
    assert quoted(url) == repr(url)
    assert quoted("u" * 500) == "'" + "u" * 120 + "…'"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "found character '\\t' that cannot start any token",
            "found character '\\t' that cannot start any token",
        ),
        ("while scanning\n  a simple key", "while scanning a simple key"),
        (
            "Opening and ending tag mismatch: a line 3 and " + "b" * 100,
            "Opening and ending tag mismatch: a line 3 and " + "b" * 40 + "…",
        ),
        ("bad \x1b[31m thing", "bad \\x1b[31m thing"),
    ],
    ids=["already-escaped", "several-lines", "long-word", "control-character"],
)
def test_library_message_is_one_line_with_short_words(text: str, shown: str) -> None:
    assert library_message(text) == shown


@pytest.mark.parametrize(
    ("text", "joined", "lone"),
    [
        ("plain", "plain", None),
        ("\ud83d\ude00", "\U0001f600", None),
        ("a\ud800b", "a\ud800b", 0xD800),
        ("\ude00\ud83d", "\ude00\ud83d", 0xDE00),
        ("\ud83d\ude00\udc00", "\ud83d\ude00\udc00", 0xDC00),
    ],
    ids=["none", "pair", "lone-high", "reversed", "pair-then-lone"],
)
def test_join_surrogates(text: str, joined: str, lone: int | None) -> None:
    assert join_surrogates(text) == (joined, lone)
