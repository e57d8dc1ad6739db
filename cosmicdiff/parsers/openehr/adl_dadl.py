"""The dADL part of ADL 1.4: the data blocks of ``language``, ``description`` and ``ontology``.

Objects ``<…>``, attributes ``name = <…>``, keyed objects ``["key"] = <…>``, typed objects
``(TYPE) <…>``, strings, term codes ``[SNOMED-CT(2003)::271649006]``, intervals
``|0.0..<1000.0|`` and lists ending in ``...`` become a tree of nodes (:class:`DNode`).
:meth:`DadlParser.code_phrase` also reads the code lists of cADL (``[local::at1, at2]``,
``[ac0001]``), which is why the cADL parser (:mod:`.adl_syntax`) builds on this one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from cosmicdiff.errors import quoted
from cosmicdiff.parsers.openehr.adl_tokens import Token, TokenCursor, describe


class DValue(NamedTuple):
    """A primitive dADL value: a string, a term code or anything else as written (raw)."""

    kind: str  # str, code, raw
    text: str
    terminology: str | None
    line: int


@dataclass(slots=True)
class DNode:
    """A dADL object: named or keyed children, or a list of primitive values."""

    line: int
    entries: dict[str, DNode] = field(default_factory=dict)
    values: list[DValue] = field(default_factory=list)

    def get(self, *keys: str) -> DNode | None:
        """Return the node at the path of keys, or None."""
        node: DNode | None = self
        for key in keys:
            node = node.entries.get(key) if node is not None else None
        return node

    def string(self, *keys: str) -> str | None:
        """Return the first string value at the path of keys, or None."""
        node = self.get(*keys)
        return next((v.text for v in node.values if v.kind == "str"), None) if node else None


@dataclass(slots=True)
class CCodes:
    """A code list ``[terminology::c1, c2]`` or a constraint reference ``[ac0001]``."""

    terminology: str | None
    codes: list[tuple[str, int]]
    line: int


class DadlParser(TokenCursor):
    """Recursive descent over dADL blocks and code phrases."""

    def dadl_attrs(self, line: int) -> DNode:
        node = DNode(line)
        while self.tok.kind == "id" and self.at("=", self.peek()):
            name = self.advance()
            self.advance()
            self.add_entry(node, name.text, self.dadl_block(name.line), name)
        return node

    def add_entry(self, node: DNode, key: str, child: DNode, tok: Token) -> None:
        if key in node.entries:
            self.fail(
                f"{quoted(key)} is given twice in one block (first on line "
                f"{node.entries[key].line})",
                tok,
            )
        node.entries[key] = child

    def dadl_block(self, line: int) -> DNode:
        with self.level():
            return self._dadl_block(line)

    def _dadl_block(self, line: int) -> DNode:
        if self.accept("("):  # a typed object: (TYPE) <…>
            self.advance()
            self.expect(")", "')' after the type name")
        opener = self.expect("<", "'<' to open a value")
        if self.tok.kind == "id" and self.at("=", self.peek()):
            node = self.dadl_attrs(line)
        elif self.at_key():
            node = self.dadl_keyed(line)
        else:
            node = DNode(line, values=self.dadl_values())
        self.close(">", opener)
        return node

    def at_key(self) -> bool:
        return (
            self.at("[")
            and self.peek().kind in ("str", "num")
            and self.at("]", self.peek(2))
            and self.at("=", self.peek(3))
        )

    def dadl_keyed(self, line: int) -> DNode:
        node = DNode(line)
        while self.at_key():
            opener = self.advance()
            key = self.advance().text
            self.i += 2  # ']' '='
            self.add_entry(node, key, self.dadl_block(opener.line), opener)
        return node

    def dadl_values(self) -> list[DValue]:
        values: list[DValue] = []
        while not self.at(">") and self.tok.kind != "eof":
            if self.accept("..."):
                continue
            values.append(self.dadl_value())
            if not self.accept(","):
                break
        return values

    def dadl_value(self) -> DValue:
        tok = self.tok
        if tok.kind in ("str", "chr"):
            self.advance()
            return DValue("str", tok.text, None, tok.line)
        if self.at("["):
            codes = self.code_phrase()
            code = codes.codes[0][0] if codes.codes else ""
            return DValue("code", code, codes.terminology, tok.line)
        if self.at("|"):
            return DValue("raw", self.interval(), None, tok.line)
        last = None
        while self.tok.kind in ("num", "id") or (
            self.tok.kind == "op" and self.tok.text in ("-", "+", ":", ".")
        ):
            last = self.advance()
        if last is None:
            self.fail(f"expected a value, found {describe(tok)}")
        return DValue("raw", self.source(tok, last), None, tok.line)

    def interval(self) -> str:
        opener = self.advance()
        while not self.at("|"):
            if self.tok.kind == "eof" or self.tok.text in ("{", "}"):
                self.fail(f"interval opened with '|' on line {opener.line} is not closed")
            self.advance()
        return self.source(opener, self.advance())

    def code_phrase(self) -> CCodes:
        opener = self.advance()
        inner: list[Token] = []
        while not self.at("]"):
            if self.tok.kind == "eof" or self.tok.text in ("{", "}", "<", ">", "["):
                self.close("]", opener)
            inner.append(self.advance())
        close = self.advance()
        sep = next((k for k, t in enumerate(inner) if self.at("::", t)), None)
        if sep is None:  # a constraint reference such as [ac0001]
            return CCodes(
                None, [(self.text[opener.end : close.start].strip(), opener.line)], opener.line
            )
        terminology = self.text[opener.end : inner[sep].start].strip()
        codes: list[tuple[str, int]] = []
        group: list[Token] = []
        for t in [*inner[sep + 1 :], close]:
            if t is close or self.at(",", t) or self.at(";", t):
                if group:
                    codes.append((self.source(group[0], group[-1]), group[0].line))
                if self.at(";", t):
                    break  # what follows ';' is the assumed value, not another choice
                group = []
            else:
                group.append(t)
        return CCodes(terminology, codes, opener.line)
