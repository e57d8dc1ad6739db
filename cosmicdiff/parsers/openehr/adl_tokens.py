"""Split ADL 1.4 text into tokens, and walk them: the lexical layer of the ADL reader.

:func:`decode` turns the file's bytes into text (UTF-8 only, no control characters);
:func:`tokenize` splits it into tokens (strings unescaped, ``--`` comments and
blanks dropped, a ``/regex/`` opening a primitive block kept whole); :class:`TokenCursor`
is what the grammar (:mod:`.adl_dadl`, :mod:`.adl_syntax`) stands on: the position in the
token list, look-ahead, and failures as :class:`ExportError` with the token's line.
The tokenizer uses one regular expression per token kind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple, NoReturn

from cosmicdiff.errors import ExportError
from cosmicdiff.io.textcheck import MAX_NESTING


class Token(NamedTuple):
    """One token of ADL text, with its line and its span in the text."""

    kind: str  # str, chr, num, id, re (regex), op (punctuation), eof
    text: str  # strings unescaped, regexes without their delimiters
    line: int
    start: int
    end: int


_SKIP = re.compile(r"(?:\s+|--[^\n]*)+")
_TOKEN = re.compile(
    r"""(?P<str>"(?:[^"\\]|\\.)*")
      | (?P<chr>'(?:[^'\\\n]|\\.)')
      | (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<id>[A-Za-z_][A-Za-z0-9_]*(?:[.\-][A-Za-z0-9_]+)*)
      | (?P<op>\.\.\.|\.\.|::|[{}\[\]<>()=,;|*:/^?+\-!~&@#.%$\\'])""",
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r'\\([\\"])')


def tokenize(text: str, display: str) -> list[Token]:
    """Split ADL text into tokens; comments (``--`` to end of line) and blanks are dropped."""
    toks: list[Token] = []
    pos, line, n, prev = 0, 1, len(text), ""
    while True:
        m = _SKIP.match(text, pos)
        if m:
            line += text.count("\n", pos, m.end())
            pos = m.end()
        if pos >= n:
            break
        ch = text[pos]
        # a regex constraint can only open a primitive block: {/pattern/} or {^pattern^}
        if ch in "/^" and prev == "{":
            end = _regex_end(text, pos, ch)
            if end < 0:
                raise ExportError(
                    display,
                    line,
                    f"regular expression opened with {ch} is not closed on the same line",
                )
            toks.append(Token("re", text[pos + 1 : end], line, pos, end + 1))
            pos, prev = end + 1, "re"
            continue
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ExportError(display, line, _bad_char(ch))
        kind, raw = m.lastgroup or "op", m.group()
        value = _ESCAPE.sub(r"\1", raw[1:-1]) if kind == "str" else raw
        toks.append(Token(kind, value, line, pos, m.end()))
        line += raw.count("\n")
        pos, prev = m.end(), raw if kind == "op" else kind
    toks.append(Token("eof", "", line, n, n))
    return toks


def _regex_end(text: str, pos: int, delim: str) -> int:
    i = pos + 1
    while i < len(text) and text[i] != "\n":
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == delim:
            return i
        i += 1
    return -1


def _bad_char(ch: str) -> str:
    if ch == '"':
        return "string is not closed: no matching '\"' before the end of the file"
    hint = "; is a '\"' missing?" if ch.isalpha() else ""
    return f"unexpected character {ch!r} (U+{ord(ch):04X}) outside a string{hint}"


def describe(tok: Token) -> str:
    """Return how a message names the token."""
    if tok.kind == "eof":
        return "the end of the file"
    if tok.kind == "str":
        return "a string"
    if tok.kind == "re":
        return "a regular expression"
    return repr(tok.text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def decode(data: bytes, display: str) -> str:
    """Return the file's text; refuse other encodings and control characters (in strings
    too: a label with an escape sequence would reach every report)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ExportError(display, line, "file is not UTF-8 text; ADL files are UTF-8") from None
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ExportError(
            display,
            line,
            f"control character U+{ord(bad.group()):04X} in an "
            "ADL file; expected text (is it a binary file?)",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


class TokenCursor:
    """A position in the token list; every failure is an ExportError with a line."""

    def __init__(self, text: str, display: str) -> None:
        self.text, self.display = text, display
        self.toks = tokenize(text, display)
        self.i = 0
        self.depth = 0

    @contextmanager
    def level(self) -> Iterator[None]:
        """Enter one more level of nested blocks, refusing more than MAX_NESTING."""
        if self.depth >= MAX_NESTING:
            self.fail(f"nesting deeper than {MAX_NESTING} levels is not allowed")
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    # -- token helpers

    @property
    def tok(self) -> Token:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> Token:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def advance(self) -> Token:
        tok = self.toks[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def at(self, op: str, tok: Token | None = None) -> bool:
        t = tok or self.tok
        return t.kind == "op" and t.text == op

    def at_word(self, *words: str) -> bool:
        return self.tok.kind == "id" and self.tok.text.lower() in words

    def accept(self, op: str) -> bool:
        if self.at(op):
            self.i += 1
            return True
        return False

    def fail(self, message: str, tok: Token | None = None) -> NoReturn:
        raise ExportError(self.display, (tok or self.tok).line, message)

    def expect(self, op: str, what: str) -> Token:
        if not self.at(op):
            self.fail(f"expected {what}, found {describe(self.tok)}")
        return self.advance()

    def expect_word(self, *words: str) -> Token:
        if not self.at_word(*words):
            self.fail(f"expected '{words[0]}', found {describe(self.tok)}")
        return self.advance()

    def close(self, closer: str, opener: Token) -> None:
        if self.tok.kind == "eof":
            self.fail(
                f"'{opener.text}' opened on this line is never closed with '{closer}'", opener
            )
        self.expect(closer, f"'{closer}' to close the '{opener.text}' on line {opener.line}")

    def source(self, first: Token, last: Token) -> str:
        return self.text[first.start : last.end]
