"""The archetype's structure and its cADL ``definition``: ADL 1.4 text to a syntax tree.

:func:`parse_archetype` reads the header (``archetype (adl_version=1.4; …)``, the archetype
id, ``specialise``, ``concept``), the dADL sections (:mod:`.adl_dadl`) and the cADL
``definition``: complex objects ``TYPE[atNNNN] occurrences matches {0..1} matches {…}``,
attributes with ``existence`` and ``cardinality``, ``allow_archetype`` slots, ``use_node``
references, domain types in dADL (``C_DV_QUANTITY <…>``, ``C_DV_ORDINAL <…>``), ordinals
``0|[local::at0012]``, code lists ``[local::at1, at2]`` and ``[ac0001]``, and primitive
constraints (strings, ``/regex/``, intervals, date patterns, durations), which are read and
skipped. ``invariant`` assertions are skipped. ADL 2 and malformed files raise
``ExportError`` with the line of the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cosmicdiff.parsers.openehr.adl_dadl import CCodes, DadlParser, DNode
from cosmicdiff.parsers.openehr.adl_tokens import Token, describe

#: A code of a value list: terminology as written, code, line.
Code = tuple[str, str, int]


@dataclass(slots=True)
class COrdinal:
    """An ordinal list ``0|[local::at0012], 1|[local::at0013]``: its codes in order."""

    codes: list[Code]  # in order; the ordinal numbers are dropped
    line: int


@dataclass(slots=True)
class CDomain:
    """A domain type given as dADL, such as ``C_DV_QUANTITY <…>``."""

    rm_type: str
    body: DNode
    line: int


@dataclass(slots=True)
class CPrimitive:
    """A primitive constraint (strings, regex, interval, pattern): its strings are kept."""

    strings: list[str]
    line: int


@dataclass(slots=True)
class CAttribute:
    """An attribute constraint ``name matches {…}`` and its alternatives in order."""

    name: str
    children: list[CNode]


@dataclass(slots=True)
class CObject:
    """A complex object (``kind`` ``object``), a slot or a ``use_node`` reference."""

    kind: str
    rm_type: str
    node_id: str | None
    occurrences: tuple[int | None, int | None, bool]
    line: int
    attributes: list[CAttribute] = field(default_factory=list)
    target: str = ""  # the path a use_node refers to
    includes: list[str] = field(default_factory=list)  # a slot's include patterns
    excludes: list[str] = field(default_factory=list)  # a slot's exclude patterns

    def attribute(self, name: str) -> CAttribute | None:
        """Return the attribute constraint ``name``, or None."""
        return next((a for a in self.attributes if a.name == name), None)


CNode = CObject | CDomain | CCodes | COrdinal | CPrimitive


@dataclass(slots=True)
class Archetype:
    """The parts of an archetype the mapping reads."""

    archetype_id: str
    id_line: int
    concept: str
    original_language: str | None
    description: DNode | None
    definition: CObject
    ontology: DNode


_MATCHES = frozenset({"matches", "is_in"})
_ONE = (1, 1, False)  # ADL 1.4's default occurrences


class ArchetypeParser(DadlParser):
    """Recursive descent over a whole archetype: header, sections, cADL definition."""

    # -- sections

    def archetype(self) -> Archetype:
        self.header()
        id_tok = self.tok
        if id_tok.kind != "id" or id_tok.text.count("-") < 2 or "." not in id_tok.text:
            self.fail(
                f"expected an archetype id such as openEHR-EHR-OBSERVATION.name.v1, "
                f"found {describe(id_tok)}"
            )
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
        if not isinstance(definition, CObject) or definition.kind != "object":
            self.fail(
                "the definition must be one object, such as OBSERVATION[at0000] matches {…}",
                self.toks[self.i - 1],
            )
        self.skip_invariant()
        ontology_tok = self.expect_word("ontology")
        ontology = self.dadl_attrs(ontology_tok.line)
        self.dadl_section("revision_history")
        if self.tok.kind != "eof":
            self.fail(f"expected the end of the archetype, found {describe(self.tok)}")
        original = language.get("original_language") if language else None
        code = (
            next((v.text for v in original.values if v.kind == "code"), None) if original else None
        )
        return Archetype(
            archetype_id=id_tok.text,
            id_line=id_tok.line,
            concept=concept,
            original_language=code,
            description=description,
            definition=definition,
            ontology=ontology,
        )

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
                        self.fail(
                            f"this is an ADL {version} archetype; cosmicdiff reads "
                            "ADL 1.4 (export it as ADL 1.4 or as an OPT)"
                        )
                if self.tok.kind == "eof":
                    self.close(")", opener)
                self.advance()
            self.advance()

    def dadl_section(self, name: str) -> DNode | None:
        if not self.at_word(name):
            return None
        return self.dadl_attrs(self.advance().line)

    def skip_invariant(self) -> None:
        if self.at_word("invariant"):
            while self.tok.kind != "eof" and not self.at_word("ontology"):
                self.advance()

    def c_object(self) -> CNode:
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
        return (
            self.at("[", nxt)
            or self.at("<", nxt)
            or (nxt.kind == "id" and nxt.text.lower() in (*_MATCHES, "occurrences"))
        )

    def c_complex(self) -> CNode:
        with self.level():
            return self._c_complex()

    def _c_complex(self) -> CNode:
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
            return CDomain(rm_type, self.dadl_block(type_tok.line), type_tok.line)
        obj = CObject("object", rm_type, self.node_id(), self.occurrences(), type_tok.line)
        if self.at_word(*_MATCHES):
            self.advance()
            opener = self.expect("{", "'{' after 'matches'")
            if not self.accept("*"):
                while not self.at("}") and self.tok.kind != "eof":
                    obj.attributes.append(self.c_attribute())
            self.close("}", opener)
        return obj

    def c_skipped(self, kind: str) -> CObject:
        self.advance()
        type_tok = self.tok
        if type_tok.kind != "id":
            self.fail(f"expected a type name after '{kind}', found {describe(type_tok)}")
        self.advance()
        obj = CObject(kind, type_tok.text, self.node_id(), self.occurrences(), type_tok.line)
        if kind == "use_node":
            first = self.tok
            while self.at("/"):  # the path of the node used again
                self.advance()
                self.advance()
                self.node_id()
            if self.tok is first:
                self.fail(f"expected the path of the node to use, found {describe(first)}")
            obj.target = self.source(first, self.toks[self.i - 1])
        elif self.at_word(*_MATCHES):
            self.advance()
            self.slot_block(self.expect("{", "'{' after 'matches'"), obj)
        return obj

    def slot_block(self, opener: Token, obj: CObject) -> None:
        """Read a slot's block: the ``/pattern/`` of each ``include`` and ``exclude``."""
        depth, section = 1, None
        while depth:
            if self.tok.kind == "eof":
                self.close("}", opener)
            if depth == 1 and self.at_word("include", "exclude"):
                section = obj.includes if self.tok.text.lower() == "include" else obj.excludes
            elif self.tok.kind == "re" and section is not None:
                section.append(self.tok.text)
            depth += 1 if self.at("{") else -1 if self.at("}") else 0
            self.advance()

    def node_id(self) -> str | None:
        if not self.at("["):
            return None
        opener = self.advance()
        tok = self.advance()
        if tok.kind != "id":
            self.fail(f"expected a node id such as at0001, found {describe(tok)}", tok)
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
            self.fail(
                f"expected a whole number in an interval such as {{0..1}}, found {describe(tok)}"
            )
        self.advance()
        return int(tok.text)

    def c_attribute(self) -> CAttribute:
        name = self.tok
        if name.kind != "id" or not name.text[:1].islower():
            self.fail(f"expected an attribute name, found {describe(name)}")
        self.advance()
        while self.at_word("existence", "cardinality"):
            self.advance()
            self.expect_word(*_MATCHES)
            self.c_interval()
        self.expect_word(*_MATCHES)
        opener = self.expect("{", "'{' after 'matches'")
        attr = CAttribute(name.text, [])
        if self.accept("*"):
            self.close("}", opener)
            return attr
        while not self.at("}") and self.tok.kind != "eof":
            if self.starts_primitive():
                if attr.children:
                    self.fail(f"expected an object constraint, found {describe(self.tok)}")
                attr.children.append(self.c_primitive(opener))
                break
            attr.children.append(self.c_object())
        self.close("}", opener)
        return attr

    def starts_primitive(self) -> bool:
        tok = self.tok
        if tok.kind == "id":
            return not (tok.text[:1].isupper() and self.starts_object()) and not self.at_word(
                "allow_archetype", "use_node", "use_archetype"
            )
        if self.at("["):
            return False
        return not self.starts_ordinal()

    def starts_ordinal(self) -> bool:
        k = 1 if self.tok.text in ("-", "+") else 0
        return (
            self.peek(k).kind == "num"
            and self.at("|", self.peek(k + 1))
            and self.at("[", self.peek(k + 2))
        )

    def c_primitive(self, opener: Token) -> CPrimitive:
        first, strings = self.tok, []
        while not self.at("}"):
            tok = self.tok
            if tok.kind == "eof":
                self.close("}", opener)
            if self.at("{") or self.at_word(*_MATCHES):
                self.fail(f"unexpected {describe(tok)} in a value constraint; is a '}}' missing?")
            if tok.kind == "str":
                strings.append(tok.text)
            self.advance()
        return CPrimitive(strings, first.line)

    def c_ordinal(self) -> COrdinal:
        first = self.tok
        if not self.starts_ordinal():
            self.fail(f"expected an object constraint, found {describe(first)}")
        codes: list[Code] = []
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
        return COrdinal(codes, first.line)


def parse_archetype(text: str, display: str) -> Archetype:
    """Return the syntax tree of an ADL 1.4 archetype; raise ExportError if it is malformed."""
    return ArchetypeParser(text, display).archetype()
