"""Read an openEHR archetype in ADL 1.4 source form (``*.adl``) into the cosmicdiff model.

The reader is a tokenizer plus a recursive-descent parser for the part of ADL 1.4 that
archetypes use: the header (``archetype (adl_version=1.4; …)``, the archetype id,
``specialise``, ``concept``), the dADL sections ``language``, ``description`` and
``ontology`` (objects ``<…>``, keyed objects ``["key"] = <…>``, strings with ``\\"`` and
``\\\\`` escapes, term codes ``[SNOMED-CT(2003)::271649006]``, intervals ``|0.0..<1000.0|``,
lists ending in ``...``), and the cADL ``definition``: complex objects ``TYPE[atNNNN]
occurrences matches {0..1} matches {…}``, attributes with ``existence`` and ``cardinality``,
``allow_archetype`` slots, ``use_node`` references, domain types in dADL (``C_DV_QUANTITY
<…>``, ``C_DV_ORDINAL <…>``), ordinals ``0|[local::at0012]``, code lists ``[local::at1,
at2]`` and ``[ac0001]``, and primitive constraints (strings, ``/regex/``, intervals, date
patterns, durations), which are read and skipped. ``invariant`` assertions are skipped.
ADL 2 archetypes and malformed files raise ``ExportError`` with the line of the problem.

Mapping (identities from ``openehr_common``, shared with the OPT reader):

* one ``Template`` per archetype: id = archetype id, name = the concept's label,
  version = ``description.other_details["revision"]`` (None when absent), status active;
* one ``Item`` + ``Keyword`` per ``ELEMENT`` and ``CLUSTER`` node, in document order; the
  RM structures in between (HISTORY, EVENT, ITEM_TREE, …) are flattened away, so their
  elements sit under the nearest CLUSTER or at the top. The key is ``node_key(root_key(id),
  path)`` with the archetype-relative path of attribute names and node ids, e.g.
  ``/data[at0001]/events[at0006]/data[at0003]/items[at0004]``; mandatory/repeatable come from
  the node's occurrences (ADL's default is ``{1..1}``);
* an element's keyword type is that of its first ``value`` alternative; a coded type
  (DV_CODED_TEXT, DV_ORDINAL) without fixed choices (``[ac0001]``, or no constraint) is
  ``ClinicalCoding``, because a ``FixValue`` keyword needs a value list; the unit is the
  C_DV_QUANTITY units joined with ``|``;
* the first code list or ordinal list of an element gives a ``ValueList`` with the
  keyword's id and one ``Value`` per code in constraint order: a local at-code with its
  label, an external code as ``<terminology>::<code>`` (as the OPT reader writes it) with
  the code as display; ordinal numbers are not kept;
* term bindings (keyed by at-code or by node path) become ``Binding``s on keywords and
  local values. No ``Term`` records are made: the same code bound in two archetypes of one
  folder would then be a duplicate term.

Slots (``allow_archetype``) add no items and no notes: a slot is a placeholder for another
archetype, not a data element, and every CKM archetype has several. A ``use_node``
reference adds no item but an ``unsupported`` note, as in the OPT reader: the nodes it
repeats would have keys of their own under its path. Labels come from ``term_definitions`` in the
requested language; a missing language or label falls back to the original language, then
``en``, then any, with one ``missing_translation`` note each.

The module is longer than most because the grammar, the tree and the mapping belong
together; the tokenizer uses one regular expression per token kind, the structure is
parsed by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple, NoReturn

from cosmicdiff.errors import ExportError, quoted
from cosmicdiff.io.textcheck import MAX_NESTING
from cosmicdiff.model import (
    Binding,
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    SourceLocation,
    Status,
    Template,
    TemplateId,
    Value,
    ValueList,
    ValueListId,
)
from cosmicdiff.parsers.fragment import Fragment, InputNote
from cosmicdiff.parsers.openehr.common import (
    cardinality,
    keyword_type,
    node_key,
    root_key,
    term_system,
)

FORMAT = "openehr-adl"

# ---------------------------------------------------------------------------- tokenizer


class _Tok(NamedTuple):
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


def _tokenize(text: str, display: str) -> list[_Tok]:
    """Split ADL text into tokens; comments (``--`` to end of line) and blanks are dropped."""
    toks: list[_Tok] = []
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
                raise ExportError(display, line, f"regular expression opened with {ch} is not "
                                                 "closed on the same line")
            toks.append(_Tok("re", text[pos + 1:end], line, pos, end + 1))
            pos, prev = end + 1, "re"
            continue
        m = _TOKEN.match(text, pos)
        if m is None:
            raise ExportError(display, line, _bad_char(ch))
        kind, raw = m.lastgroup or "op", m.group()
        value = _ESCAPE.sub(r"\1", raw[1:-1]) if kind == "str" else raw
        toks.append(_Tok(kind, value, line, pos, m.end()))
        line += raw.count("\n")
        pos, prev = m.end(), raw if kind == "op" else kind
    toks.append(_Tok("eof", "", line, n, n))
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


# ---------------------------------------------------------------------------- syntax tree


class _DValue(NamedTuple):
    kind: str  # str, code, raw
    text: str
    terminology: str | None
    line: int


@dataclass(slots=True)
class _DNode:
    """A dADL object: named or keyed children, or a list of primitive values."""

    line: int
    entries: dict[str, _DNode] = field(default_factory=dict)
    values: list[_DValue] = field(default_factory=list)

    def get(self, *keys: str) -> _DNode | None:
        node: _DNode | None = self
        for key in keys:
            node = node.entries.get(key) if node is not None else None
        return node

    def string(self, *keys: str) -> str | None:
        node = self.get(*keys)
        return next((v.text for v in node.values if v.kind == "str"), None) if node else None


@dataclass(slots=True)
class _CCodes:
    """A code list ``[terminology::c1, c2]`` or a constraint reference ``[ac0001]``."""

    terminology: str | None
    codes: list[tuple[str, int]]
    line: int


#: A code of a value list: terminology as written, code, line.
_Code = tuple[str, str, int]


@dataclass(slots=True)
class _COrdinal:
    codes: list[_Code]  # in order; the ordinal numbers are dropped
    line: int


@dataclass(slots=True)
class _CDomain:
    """A domain type given as dADL, such as ``C_DV_QUANTITY <…>``."""

    rm_type: str
    body: _DNode
    line: int


@dataclass(slots=True)
class _CPrimitive:
    strings: list[str]
    line: int


@dataclass(slots=True)
class _CAttribute:
    name: str
    children: list[_CNode]


@dataclass(slots=True)
class _CObject:
    """A complex object (``kind`` ``object``), a slot or a ``use_node`` reference."""

    kind: str
    rm_type: str
    node_id: str | None
    occurrences: tuple[int | None, int | None, bool]
    line: int
    attributes: list[_CAttribute] = field(default_factory=list)
    target: str = ""  # the path a use_node refers to

    def attribute(self, name: str) -> _CAttribute | None:
        return next((a for a in self.attributes if a.name == name), None)


_CNode = _CObject | _CDomain | _CCodes | _COrdinal | _CPrimitive


@dataclass(slots=True)
class _Archetype:
    archetype_id: str
    id_line: int
    concept: str
    original_language: str | None
    description: _DNode | None
    definition: _CObject
    ontology: _DNode


# ---------------------------------------------------------------------------- parser

_MATCHES = frozenset({"matches", "is_in"})
_ONE = (1, 1, False)  # ADL 1.4's default occurrences


class _Parser:
    """Recursive descent over the token list; every failure is an ExportError with a line."""

    def __init__(self, text: str, display: str) -> None:
        self.text, self.display = text, display
        self.toks = _tokenize(text, display)
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
    def tok(self) -> _Tok:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> _Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def advance(self) -> _Tok:
        tok = self.toks[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def at(self, op: str, tok: _Tok | None = None) -> bool:
        t = tok or self.tok
        return t.kind == "op" and t.text == op

    def at_word(self, *words: str) -> bool:
        return self.tok.kind == "id" and self.tok.text.lower() in words

    def accept(self, op: str) -> bool:
        if self.at(op):
            self.i += 1
            return True
        return False

    def fail(self, message: str, tok: _Tok | None = None) -> NoReturn:
        raise ExportError(self.display, (tok or self.tok).line, message)

    def expect(self, op: str, what: str) -> _Tok:
        if not self.at(op):
            self.fail(f"expected {what}, found {_describe(self.tok)}")
        return self.advance()

    def expect_word(self, *words: str) -> _Tok:
        if not self.at_word(*words):
            self.fail(f"expected '{words[0]}', found {_describe(self.tok)}")
        return self.advance()

    def close(self, closer: str, opener: _Tok) -> None:
        if self.tok.kind == "eof":
            self.fail(f"'{opener.text}' opened on this line is never closed with '{closer}'",
                      opener)
        self.expect(closer, f"'{closer}' to close the '{opener.text}' on line {opener.line}")

    def source(self, first: _Tok, last: _Tok) -> str:
        return self.text[first.start:last.end]

    # -- sections

    def archetype(self) -> _Archetype:
        self.header()
        id_tok = self.tok
        if id_tok.kind != "id" or id_tok.text.count("-") < 2 or "." not in id_tok.text:
            self.fail(f"expected an archetype id such as openEHR-EHR-OBSERVATION.name.v1, "
                      f"found {_describe(id_tok)}")
        self.advance()
        if self.at_word("specialise", "specialize"):
            self.advance()
            self.advance()
        self.expect_word("concept")
        concept = self.node_id() or self.fail("expected the concept code, such as [at0000]")
        language = self.dadl_section("language")
        description = self.dadl_section("description")
        self.expect_word("definition")
        definition = self.c_object()
        if not isinstance(definition, _CObject) or definition.kind != "object":
            self.fail("the definition must be one object, such as OBSERVATION[at0000] matches "
                      "{…}", self.toks[self.i - 1])
        self.skip_invariant()
        ontology_tok = self.expect_word("ontology")
        ontology = self.dadl_attrs(ontology_tok.line)
        self.dadl_section("revision_history")
        if self.tok.kind != "eof":
            self.fail(f"expected the end of the archetype, found {_describe(self.tok)}")
        original = language.get("original_language") if language else None
        code = next((v.text for v in original.values if v.kind == "code"), None) \
            if original else None
        return _Archetype(archetype_id=id_tok.text, id_line=id_tok.line, concept=concept,
                          original_language=code, description=description,
                          definition=definition, ontology=ontology)

    def header(self) -> None:
        first = self.tok
        if first.kind == "eof":
            self.fail("file is empty; expected an ADL 1.4 archetype")
        if not self.at_word("archetype"):
            word = first.text.lower() if first.kind == "id" else ""
            if word in ("template", "operational_template", "template_overlay"):
                self.fail(f"this is an ADL 2 {word}; cosmicdiff reads ADL 1.4 archetypes")
            self.fail("not an ADL archetype: the file must start with 'archetype'")
        self.advance()
        if self.at("("):
            opener = self.advance()
            while not self.at(")"):
                if self.at_word("adl_version") and self.at("=", self.peek()):
                    version = self.peek(2).text
                    if version[:1].isdigit() and not version.startswith("1"):
                        self.fail(f"this is an ADL {version} archetype; cosmicdiff reads "
                                  "ADL 1.4 (export it as ADL 1.4 or as an OPT)")
                if self.tok.kind == "eof":
                    self.close(")", opener)
                self.advance()
            self.advance()

    def dadl_section(self, name: str) -> _DNode | None:
        if not self.at_word(name):
            return None
        return self.dadl_attrs(self.advance().line)

    def skip_invariant(self) -> None:
        if self.at_word("invariant"):
            while self.tok.kind != "eof" and not self.at_word("ontology"):
                self.advance()

    # -- dADL

    def dadl_attrs(self, line: int) -> _DNode:
        node = _DNode(line)
        while self.tok.kind == "id" and self.at("=", self.peek()):
            name = self.advance()
            self.advance()
            self.add_entry(node, name.text, self.dadl_block(name.line), name)
        return node

    def add_entry(self, node: _DNode, key: str, child: _DNode, tok: _Tok) -> None:
        if key in node.entries:
            self.fail(f"{quoted(key)} is given twice in one block (first on line "
                      f"{node.entries[key].line})", tok)
        node.entries[key] = child

    def dadl_block(self, line: int) -> _DNode:
        with self.level():
            return self._dadl_block(line)

    def _dadl_block(self, line: int) -> _DNode:
        if self.accept("("):  # a typed object: (TYPE) <…>
            self.advance()
            self.expect(")", "')' after the type name")
        opener = self.expect("<", "'<' to open a value")
        if self.tok.kind == "id" and self.at("=", self.peek()):
            node = self.dadl_attrs(line)
        elif self.at_key():
            node = self.dadl_keyed(line)
        else:
            node = _DNode(line, values=self.dadl_values())
        self.close(">", opener)
        return node

    def at_key(self) -> bool:
        return (self.at("[") and self.peek().kind in ("str", "num") and self.at("]", self.peek(2))
                and self.at("=", self.peek(3)))

    def dadl_keyed(self, line: int) -> _DNode:
        node = _DNode(line)
        while self.at_key():
            opener = self.advance()
            key = self.advance().text
            self.i += 2  # ']' '='
            self.add_entry(node, key, self.dadl_block(opener.line), opener)
        return node

    def dadl_values(self) -> list[_DValue]:
        values: list[_DValue] = []
        while not self.at(">") and self.tok.kind != "eof":
            if self.accept("..."):
                continue
            values.append(self.dadl_value())
            if not self.accept(","):
                break
        return values

    def dadl_value(self) -> _DValue:
        tok = self.tok
        if tok.kind in ("str", "chr"):
            self.advance()
            return _DValue("str", tok.text, None, tok.line)
        if self.at("["):
            codes = self.code_phrase()
            code = codes.codes[0][0] if codes.codes else ""
            return _DValue("code", code, codes.terminology, tok.line)
        if self.at("|"):
            return _DValue("raw", self.interval(), None, tok.line)
        last = None
        while self.tok.kind in ("num", "id") or (
                self.tok.kind == "op" and self.tok.text in ("-", "+", ":", ".")):
            last = self.advance()
        if last is None:
            self.fail(f"expected a value, found {_describe(tok)}")
        return _DValue("raw", self.source(tok, last), None, tok.line)

    def interval(self) -> str:
        opener = self.advance()
        while not self.at("|"):
            if self.tok.kind == "eof" or self.tok.text in ("{", "}"):
                self.fail(f"interval opened with '|' on line {opener.line} is not closed")
            self.advance()
        return self.source(opener, self.advance())

    # -- cADL

    def c_object(self) -> _CNode:
        tok = self.tok
        if self.at_word("allow_archetype"):
            return self.c_skipped("slot")
        if self.at_word("use_node"):
            return self.c_skipped("use_node")
        if self.at_word("use_archetype"):
            self.fail("'use_archetype' is ADL 2; cosmicdiff reads ADL 1.4 archetypes")
        if tok.kind == "id" and tok.text[:1].isupper() and self.starts_object():
            return self.c_complex()
        if self.at("["):
            return self.code_phrase()
        return self.c_ordinal()

    def starts_object(self) -> bool:
        nxt = self.peek()
        return self.at("[", nxt) or self.at("<", nxt) or (
            nxt.kind == "id" and nxt.text.lower() in (*_MATCHES, "occurrences"))

    def c_complex(self) -> _CNode:
        with self.level():
            return self._c_complex()

    def _c_complex(self) -> _CNode:
        type_tok = self.advance()
        rm_type = type_tok.text
        if self.at("<") and self.peek().kind == "id" and self.peek().text[:1].isupper():
            opener = self.advance()  # a generic type such as DV_INTERVAL<DV_QUANTITY>
            while not self.at(">"):
                if self.tok.kind == "eof":
                    self.close(">", opener)
                self.advance()
            rm_type += self.source(opener, self.advance())
        elif self.at("<"):
            return _CDomain(rm_type, self.dadl_block(type_tok.line), type_tok.line)
        obj = _CObject("object", rm_type, self.node_id(), self.occurrences(), type_tok.line)
        if self.at_word(*_MATCHES):
            self.advance()
            opener = self.expect("{", "'{' after 'matches'")
            if not self.accept("*"):
                while not self.at("}") and self.tok.kind != "eof":
                    obj.attributes.append(self.c_attribute())
            self.close("}", opener)
        return obj

    def c_skipped(self, kind: str) -> _CObject:
        self.advance()
        type_tok = self.tok
        if type_tok.kind != "id":
            self.fail(f"expected a type name after '{kind}', found {_describe(type_tok)}")
        self.advance()
        obj = _CObject(kind, type_tok.text, self.node_id(), self.occurrences(), type_tok.line)
        if kind == "use_node":
            first = self.tok
            while self.at("/"):  # the path of the node used again
                self.advance()
                self.advance()
                self.node_id()
            if self.tok is first:
                self.fail(f"expected the path of the node to use, found {_describe(first)}")
            obj.target = self.source(first, self.toks[self.i - 1])
        elif self.at_word(*_MATCHES):
            self.advance()
            self.skip_block(self.expect("{", "'{' after 'matches'"))
        return obj

    def skip_block(self, opener: _Tok) -> None:
        depth = 1
        while depth:
            if self.tok.kind == "eof":
                self.close("}", opener)
            depth += 1 if self.at("{") else -1 if self.at("}") else 0
            self.advance()

    def node_id(self) -> str | None:
        if not self.at("["):
            return None
        opener = self.advance()
        tok = self.advance()
        if tok.kind != "id":
            self.fail(f"expected a node id such as at0001, found {_describe(tok)}", tok)
        self.close("]", opener)
        return tok.text

    def occurrences(self) -> tuple[int | None, int | None, bool]:
        if not self.at_word("occurrences"):
            return _ONE
        self.advance()
        self.expect_word(*_MATCHES)
        return self.c_interval()

    def c_interval(self) -> tuple[int | None, int | None, bool]:
        opener = self.expect("{", "'{' to open an interval such as {0..1}")
        pipe = self.accept("|")
        if self.accept("*"):
            lower, upper, unbounded = 0, None, True
        else:
            lower = self.whole_number()
            upper, unbounded = lower, False
            if self.accept(".."):
                if self.accept("*"):
                    upper, unbounded = None, True
                else:
                    upper = self.whole_number()
        if pipe:
            self.expect("|", "'|' to close the interval")
        while self.accept(";"):  # cardinality: ; ordered | unordered | unique
            self.expect_word("ordered", "unordered", "unique")
        self.close("}", opener)
        return lower, upper, unbounded

    def whole_number(self) -> int:
        tok = self.tok
        if tok.kind != "num" or not tok.text.isdigit():
            self.fail(f"expected a whole number in an interval such as {{0..1}}, found "
                      f"{_describe(tok)}")
        self.advance()
        return int(tok.text)

    def c_attribute(self) -> _CAttribute:
        name = self.tok
        if name.kind != "id" or not name.text[:1].islower():
            self.fail(f"expected an attribute name, found {_describe(name)}")
        self.advance()
        while self.at_word("existence", "cardinality"):
            self.advance()
            self.expect_word(*_MATCHES)
            self.c_interval()
        self.expect_word(*_MATCHES)
        opener = self.expect("{", "'{' after 'matches'")
        attr = _CAttribute(name.text, [])
        if self.accept("*"):
            self.close("}", opener)
            return attr
        while not self.at("}") and self.tok.kind != "eof":
            if self.starts_primitive():
                if attr.children:
                    self.fail(f"expected an object constraint, found {_describe(self.tok)}")
                attr.children.append(self.c_primitive(opener))
                break
            attr.children.append(self.c_object())
        self.close("}", opener)
        return attr

    def starts_primitive(self) -> bool:
        tok = self.tok
        if tok.kind == "id":
            return not (tok.text[:1].isupper() and self.starts_object()) and not self.at_word(
                "allow_archetype", "use_node", "use_archetype")
        if self.at("["):
            return False
        return not self.starts_ordinal()

    def starts_ordinal(self) -> bool:
        k = 1 if self.tok.text in ("-", "+") else 0
        return (self.peek(k).kind == "num" and self.at("|", self.peek(k + 1))
                and self.at("[", self.peek(k + 2)))

    def c_primitive(self, opener: _Tok) -> _CPrimitive:
        first, strings = self.tok, []
        while not self.at("}"):
            tok = self.tok
            if tok.kind == "eof":
                self.close("}", opener)
            if self.at("{") or self.at_word(*_MATCHES):
                self.fail(f"unexpected {_describe(tok)} in a value constraint; is a '}}' "
                          "missing?")
            if tok.kind == "str":
                strings.append(tok.text)
            self.advance()
        return _CPrimitive(strings, first.line)

    def c_ordinal(self) -> _COrdinal:
        first = self.tok
        if not self.starts_ordinal():
            self.fail(f"expected an object constraint, found {_describe(first)}")
        codes: list[_Code] = []
        while self.starts_ordinal():
            if not self.accept("-"):
                self.accept("+")
            self.i += 2  # number '|'
            phrase = self.code_phrase()
            codes.extend((phrase.terminology or "", c, ln) for c, ln in phrase.codes)
            if not self.accept(","):
                break
        if self.accept(";"):  # the assumed value
            self.accept("-")
            self.whole_number()
        return _COrdinal(codes, first.line)

    def code_phrase(self) -> _CCodes:
        opener = self.advance()
        inner: list[_Tok] = []
        while not self.at("]"):
            if self.tok.kind == "eof" or self.tok.text in ("{", "}", "<", ">", "["):
                self.close("]", opener)
            inner.append(self.advance())
        close = self.advance()
        sep = next((k for k, t in enumerate(inner) if self.at("::", t)), None)
        if sep is None:  # a constraint reference such as [ac0001]
            return _CCodes(None, [(self.text[opener.end:close.start].strip(), opener.line)],
                           opener.line)
        terminology = self.text[opener.end:inner[sep].start].strip()
        codes: list[tuple[str, int]] = []
        group: list[_Tok] = []
        for t in [*inner[sep + 1:], close]:
            if t is close or self.at(",", t) or self.at(";", t):
                if group:
                    codes.append((self.source(group[0], group[-1]), group[0].line))
                if self.at(";", t):
                    break  # what follows ';' is the assumed value, not another choice
                group = []
            else:
                group.append(t)
        return _CCodes(terminology, codes, opener.line)


def _describe(tok: _Tok) -> str:
    if tok.kind == "eof":
        return "the end of the file"
    if tok.kind == "str":
        return "a string"
    if tok.kind == "re":
        return "a regular expression"
    return repr(tok.text)


# ---------------------------------------------------------------------------- mapping

_ITEM_TYPES = frozenset({"ELEMENT", "CLUSTER"})


class _Builder:
    """Turn the parsed archetype into a Fragment: one template, its keywords and lists."""

    def __init__(self, arch: _Archetype, display: str, lang: str) -> None:
        self.arch, self.display = arch, display
        self.frag = Fragment(path=display, format=FORMAT)
        self.root = root_key(arch.archetype_id)
        self.seen: set[str] = set()
        self.labels = self.read_labels()
        self.chain = self.choose_languages(lang)
        self.by_code, self.by_path = self.read_bindings()

    def read_labels(self) -> dict[str, dict[str, tuple[str, str | None]]]:
        defs = self.arch.ontology.get("term_definitions")
        if defs is None or not defs.entries:
            raise ExportError(self.display, self.arch.ontology.line,
                              "the ontology has no term_definitions, so nothing has a label")
        labels: dict[str, dict[str, tuple[str, str | None]]] = {}
        for language, node in defs.entries.items():
            items = node.get("items") or node
            labels[language] = {code: (entry.string("text") or code, entry.string("description"))
                                for code, entry in items.entries.items()}
        return labels

    def choose_languages(self, lang: str) -> list[str]:
        original = self.arch.original_language
        others = [x for x in (original, "en", *self.labels) if x and x in self.labels]
        if lang not in self.labels:
            fallback = others[0]
            defs = self.arch.ontology.get("term_definitions")
            self.note("missing_translation", defs.line if defs else None,
                      f"archetype has no '{lang}' labels; using '{fallback}'",
                      self.arch.archetype_id)
            lang = fallback
        return list(dict.fromkeys([lang, *others]))

    def read_bindings(self) -> tuple[dict[str, list[Binding]], dict[str, list[Binding]]]:
        by_code: dict[str, list[Binding]] = {}
        by_path: dict[str, list[Binding]] = {}
        node = self.arch.ontology.get("term_bindings")
        for terminology, tnode in (node.entries.items() if node else ()):
            for key, entry in (tnode.get("items") or tnode).entries.items():
                target = by_path if key.strip().startswith("/") else by_code
                for value in entry.values:
                    if value.kind == "code" and value.text:
                        system = term_system(value.terminology or terminology)
                        found = target.setdefault(key.strip(), [])
                        found.append(Binding(system=system, code=value.text))
        return by_code, by_path

    def note(self, kind: str, line: int | None, message: str, subject: str | None) -> None:
        self.frag.notes.append(InputNote(kind=kind, path=self.display, line=line,
                                         message=message, subject=subject))

    def label(self, code: str | None, line: int, subject: str) -> tuple[str, str | None]:
        if code is None:
            return subject, None
        for k, language in enumerate(self.chain):
            found = self.labels[language].get(code)
            if found:
                if k:
                    self.note("missing_translation", line, f"no '{self.chain[0]}' label for "
                              f"{code}; using '{language}'", subject)
                return found
        self.note("missing_translation", line, f"{code} has no label in any language", subject)
        return code, None

    def build(self) -> Fragment:
        arch = self.arch
        name, _ = self.label(arch.concept, arch.id_line, arch.archetype_id)
        items = self.items(arch.definition, "")
        revision = arch.description.string("other_details", "revision") \
            if arch.description else None
        self.frag.templates.append(Template(
            id=TemplateId(arch.archetype_id), name=name, version=revision, note_type=None,
            cases=None, status=Status.ACTIVE, items=tuple(items),
            loc=SourceLocation(path=self.display, line=arch.id_line)))
        self.frag.title = name
        return self.frag

    def items(self, obj: _CObject, path: str) -> list[Item]:
        found: list[Item] = []
        for attr in obj.attributes:
            for child in attr.children:
                if not isinstance(child, _CObject) or child.kind == "slot":
                    continue
                child_path = f"{path}/{attr.name}" + (f"[{child.node_id}]" if child.node_id
                                                      else "")
                if child.kind == "use_node":
                    self.note("unsupported", child.line, f"a reference to {quoted(child.target)} "
                              "(use_node) is not read as an item of its own",
                              node_key(self.root, child_path))
                    continue
                item = self.item(child, child_path) if child.rm_type in _ITEM_TYPES else None
                if item is not None:
                    found.append(item)
                elif child.rm_type != "ELEMENT":
                    found.extend(self.items(child, child_path))
        return found

    def item(self, obj: _CObject, path: str) -> Item | None:
        key = node_key(self.root, path)
        if key in self.seen:
            self.note("duplicate_id", obj.line, f"node {path} appears twice; the first is "
                      "kept", key)
            return None
        self.seen.add(key)
        loc = SourceLocation(path=self.display, line=obj.line)
        self.frag.keywords.append(self.keyword(obj, key, path, loc))
        children = self.items(obj, path) if obj.rm_type == "CLUSTER" else []
        mandatory, repeatable = cardinality(*obj.occurrences)
        return Item(keyword=KeywordId(key), mandatory=mandatory, repeatable=repeatable,
                    children=tuple(children), loc=loc)

    def keyword(self, obj: _CObject, key: str, path: str, loc: SourceLocation) -> Keyword:
        name, description = self.label(obj.node_id, obj.line, key)
        bindings = [*self.by_code.get(obj.node_id or "", ()), *self.by_path.get(path, ())]
        ktype, unit, value_list = KeywordType.OTHER, None, None
        if obj.rm_type == "ELEMENT":
            attr = obj.attribute("value")
            alternatives = attr.children if attr else []
            ktype = keyword_type(_data_type(alternatives[0])) if alternatives else ktype
            unit = "|".join(dict.fromkeys(u for a in alternatives for u in _units(a))) or None
            codes = next((c for c in map(_value_codes, alternatives) if c), None)
            if codes is not None:
                value_list = self.value_list(key, name, codes, loc)
            elif ktype is KeywordType.FIX_VALUE:
                ktype = KeywordType.CLINICAL_CODING  # coded, but no fixed choices listed here
        return Keyword(id=KeywordId(key), name=name, type=ktype, unit=unit,
                       value_list=value_list, bindings=tuple(dict.fromkeys(bindings)),
                       description=description, loc=loc)

    def value_list(self, key: str, name: str, codes: list[_Code],
                   loc: SourceLocation) -> ValueListId:
        values: dict[str, Value] = {}
        for terminology, code, line in codes:
            local = terminology.lower() == "local"
            # an external code keeps its terminology, as the OPT reader writes it
            value_code = code if local else f"{terminology}::{code}"
            if value_code in values:
                self.note("duplicate_id", line, f"code {code} is listed twice; the first is "
                          "kept", key)
                continue
            display = self.label(code, line, key)[0] if local else code
            bindings = self.by_code.get(code, ()) if local else ()
            values[value_code] = Value(code=value_code, display=display,
                                       bindings=tuple(dict.fromkeys(bindings)),
                                       loc=SourceLocation(path=self.display, line=line))
        self.frag.value_lists.append(ValueList(id=ValueListId(key), name=name,
                                               values=tuple(values.values()), loc=loc))
        return ValueListId(key)


def _data_type(node: _CNode) -> str | None:
    if isinstance(node, _CObject):
        return node.rm_type.split("<", 1)[0]
    if isinstance(node, _CDomain):
        return node.rm_type.removeprefix("C_")
    if isinstance(node, _COrdinal):
        return "DV_ORDINAL"
    if isinstance(node, _CCodes):
        return "DV_CODED_TEXT"
    return None


def _units(node: _CNode) -> list[str]:
    if isinstance(node, _CDomain) and node.rm_type == "C_DV_QUANTITY":
        items = node.body.get("list")
        return [u for entry in (items.entries.values() if items else ())
                if (u := entry.string("units"))]
    if isinstance(node, _CObject) and node.rm_type == "DV_QUANTITY":
        attr = node.attribute("units")
        return [s for c in (attr.children if attr else ()) if isinstance(c, _CPrimitive)
                for s in c.strings]
    return []


def _value_codes(node: _CNode) -> list[_Code]:
    """Return the codes a value alternative lists as fixed choices (none for ``[ac0001]``)."""
    if isinstance(node, _COrdinal):
        return node.codes
    if isinstance(node, _CCodes):
        return [(node.terminology, c, ln) for c, ln in node.codes] if node.terminology else []
    if isinstance(node, _CDomain) and node.rm_type == "C_DV_ORDINAL":
        items = node.body.get("list")
        # symbol = <defining_code = <[local::at0010]>>, or the code straight in symbol
        symbols = [e.get("symbol", "defining_code") or e.get("symbol") or _DNode(0)
                   for e in (items.entries.values() if items else ())]
        return [(v.terminology or "", v.text, v.line)
                for s in symbols for v in s.values if v.kind == "code"]
    if isinstance(node, _CObject):
        attr = node.attribute("defining_code")
        return next((c for c in map(_value_codes, attr.children if attr else ()) if c), [])
    return []


# ---------------------------------------------------------------------------- entry point


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _decode(data: bytes, display: str) -> str:
    """Return the file's text; refuse other encodings and control characters (in strings
    too: a label with an escape sequence would reach every report)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ExportError(display, line, "file is not UTF-8 text; ADL files are UTF-8") \
            from None
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ExportError(display, line, f"control character U+{ord(bad.group()):04X} in an "
                                         "ADL file; expected text (is it a binary file?)")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_adl(path: Path, display: str, *, lang: str = "sv") -> Fragment:
    """Read an ADL 1.4 archetype into a Fragment: one template, its keywords and value lists."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        archetype = _Parser(_decode(data, display), display).archetype()
    except RecursionError:
        raise ExportError(display, None, "constraints are nested too deeply to read") from None
    return _Builder(archetype, display, lang).build()
