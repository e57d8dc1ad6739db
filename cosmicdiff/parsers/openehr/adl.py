"""Read an openEHR archetype in ADL 1.4 source form (``*.adl``) into the cosmicdiff model.

Reading is in three layers: :mod:`.adl_tokens` (text to tokens), :mod:`.adl_dadl` (the
dADL sections ``language``, ``description``, ``ontology``) and :mod:`.adl_syntax` (the
header and the cADL ``definition``), which give a syntax tree; ADL 2 archetypes and
malformed files raise ``ExportError`` with the line of the problem. This module maps the
tree onto the model.

Mapping (identities from :mod:`.common`, shared with the OPT reader):

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
* a DV_CODED_TEXT element's ``coding`` is the terminology of its code list, the constraint
  reference of an open coding (``ac0001``) or ``any``;
* the first code list or ordinal list of an element gives a ``ValueList`` with the
  keyword's id (the element's own list) and one ``Value`` per code in constraint order: a
  local at-code with its label, an external code as ``<terminology>::<code>`` (as the OPT
  reader writes it) with the code as display; ordinal numbers are not kept;
* term bindings (keyed by at-code or by node path) become ``Binding``s on keywords and
  local values. No ``Term`` records are made: the same code bound in two archetypes of one
  folder would then be a duplicate term.

A slot (``allow_archetype``) is an item of its own: a keyword of type Other with the slot's
label, occurrences and a :class:`~cosmicdiff.model.SlotRule` (the ``/pattern/`` of each
``include`` and ``exclude`` assertion), so that a renamed slot or a changed pattern is
compared like any other node. A ``use_node`` reference is resolved: the referenced node's
items stand again where the reference stands, as further occurrences of the same keywords
(the node is the same node, so a changed label is one finding, not one per use); a reference
to no node, or to a node that contains it, is an ``unsupported`` note. Labels come from
``term_definitions`` in the requested language; a missing language or label falls back to
the original language, then ``en``, then any, with one ``missing_translation`` note each.
"""

from __future__ import annotations

from pathlib import Path

from cosmicdiff.errors import ExportError, quoted
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
from cosmicdiff.parsers.openehr.adl_nodes import coding, data_type, node_at, units, value_codes
from cosmicdiff.parsers.openehr.adl_syntax import (
    Archetype,
    CNode,
    CObject,
    Code,
    parse_archetype,
)
from cosmicdiff.parsers.openehr.adl_tokens import decode
from cosmicdiff.parsers.openehr.common import (
    ITEM_TYPES,
    cardinality,
    element_type,
    joined_units,
    node_key,
    root_key,
    slot_rule,
    term_system,
)

FORMAT = "openehr-adl"


class _Builder:
    """Turn the parsed archetype into a Fragment: one template, its keywords and lists."""

    def __init__(self, arch: Archetype, display: str, lang: str) -> None:
        self.arch, self.display = arch, display
        self.frag = Fragment(path=display, format=FORMAT)
        self.root = root_key(arch.archetype_id)
        self.seen: set[str] = set()
        self.labels = self.read_labels()
        self.chain = self.choose_languages(lang)
        self.by_code, self.by_path = self.read_bindings()
        self.expanding: set[str] = set()  # the use_node targets being read again
        self.dropped: set[int] = set()  # the nodes not read (duplicates), by id()

    def read_labels(self) -> dict[str, dict[str, tuple[str, str | None]]]:
        defs = self.arch.ontology.get("term_definitions")
        if defs is None or not defs.entries:
            raise ExportError(
                self.display,
                self.arch.ontology.line,
                "the ontology has no term_definitions, so nothing has a label",
            )
        labels: dict[str, dict[str, tuple[str, str | None]]] = {}
        for language, node in defs.entries.items():
            items = node.get("items") or node
            labels[language] = {
                code: (entry.string("text") or code, entry.string("description"))
                for code, entry in items.entries.items()
            }
        return labels

    def choose_languages(self, lang: str) -> list[str]:
        original = self.arch.original_language
        others = [x for x in (original, "en", *self.labels) if x and x in self.labels]
        if lang not in self.labels:
            fallback = others[0]
            defs = self.arch.ontology.get("term_definitions")
            self.note(
                "missing_translation",
                defs.line if defs else None,
                f"archetype has no '{lang}' labels; using '{fallback}'",
                self.arch.archetype_id,
            )
            lang = fallback
        return list(dict.fromkeys([lang, *others]))

    def read_bindings(self) -> tuple[dict[str, list[Binding]], dict[str, list[Binding]]]:
        by_code: dict[str, list[Binding]] = {}
        by_path: dict[str, list[Binding]] = {}
        node = self.arch.ontology.get("term_bindings")
        for terminology, tnode in node.entries.items() if node else ():
            for key, entry in (tnode.get("items") or tnode).entries.items():
                target = by_path if key.strip().startswith("/") else by_code
                for value in entry.values:
                    if value.kind == "code" and value.text:
                        system = term_system(value.terminology or terminology)
                        found = target.setdefault(key.strip(), [])
                        found.append(Binding(system=system, code=value.text))
        return by_code, by_path

    def note(self, kind: str, line: int | None, message: str, subject: str | None) -> None:
        self.frag.notes.append(
            InputNote(kind=kind, path=self.display, line=line, message=message, subject=subject)
        )

    def label(self, code: str | None, line: int, subject: str) -> tuple[str, str | None]:
        if code is None:
            return subject, None
        for k, language in enumerate(self.chain):
            found = self.labels[language].get(code)
            if found:
                if k:
                    self.note(
                        "missing_translation",
                        line,
                        f"no '{self.chain[0]}' label for {code}; using '{language}'",
                        subject,
                    )
                return found
        self.note("missing_translation", line, f"{code} has no label in any language", subject)
        return code, None

    def build(self) -> Fragment:
        arch = self.arch
        name, _ = self.label(arch.concept, arch.id_line, arch.archetype_id)
        items = self.items(arch.definition, "")
        revision = (
            arch.description.string("other_details", "revision") if arch.description else None
        )
        self.frag.templates.append(
            Template(
                id=TemplateId(arch.archetype_id),
                name=name,
                version=revision,
                note_type=None,
                cases=None,
                status=Status.ACTIVE,
                items=tuple(items),
                loc=SourceLocation(path=self.display, line=arch.id_line),
            )
        )
        self.frag.title = name
        return self.frag

    def items(self, obj: CObject, path: str) -> list[Item]:
        found: list[Item] = []
        for attr in obj.attributes:
            for child in attr.children:
                if not isinstance(child, CObject):
                    continue
                child_path = f"{path}/{attr.name}" + (f"[{child.node_id}]" if child.node_id else "")
                if child.kind == "use_node":
                    found.extend(self.used_node(child, f"{path}/{attr.name}"))
                    continue
                if child.kind == "slot":
                    item = self.slot_item(child, child_path)
                elif child.rm_type in ITEM_TYPES:
                    item = self.item(child, child_path)
                else:
                    item = None
                if item is not None:
                    found.append(item)
                elif child.rm_type != "ELEMENT" and child.kind != "slot":
                    found.extend(self.items(child, child_path))
        return found

    def used_node(self, ref: CObject, at: str) -> list[Item]:
        """Return the items of the node a ``use_node`` uses again, where it uses it.

        The node is the same node: its items (``use_node ITEM_TREE
        /data[at0001]/events[at0006]/data[at0003]`` in event at1042: systolic, diastolic …)
        stand again where the reference stands, as further occurrences of the same keywords,
        so a changed label is one finding, not one per use. A reference to a node that does
        not exist, or to one that contains it, is a note.
        """
        target = node_at(self.arch.definition, ref.target)
        problem = None
        if target is None:
            problem = "names no node of the definition"
        elif ref.target in self.expanding or (at + "/").startswith(ref.target + "/"):
            problem = "names a node that contains it"
        if problem is not None or target is None:
            self.note(
                "unsupported",
                ref.line,
                f"a reference to {quoted(ref.target)} (use_node) {problem}; it is not read",
                node_key(self.root, at),
            )
            return []
        self.expanding.add(ref.target)
        try:
            if target.rm_type in ITEM_TYPES:
                item = self.item(target, ref.target)
                return [] if item is None else [item]
            return self.items(target, ref.target)
        finally:
            self.expanding.discard(ref.target)

    def first_use(self, obj: CObject, path: str) -> str | None:
        """Return the key of a node read for the first time (None: a duplicate, noted).

        A node read again through ``use_node`` keeps its key, without a note.
        """
        key = node_key(self.root, path)
        if self.expanding:
            return None if id(obj) in self.dropped else key
        if key in self.seen:
            self.note(
                "duplicate_id", obj.line, f"node {path} appears twice; the first is kept", key
            )
            self.dropped.add(id(obj))
            return None
        self.seen.add(key)
        return key

    def slot_item(self, obj: CObject, path: str) -> Item | None:
        key = self.first_use(obj, path)
        if key is None:
            return None
        loc = SourceLocation(path=self.display, line=obj.line)
        if not self.expanding:
            name, description = self.label(obj.node_id, obj.line, key)
            self.frag.keywords.append(
                Keyword(
                    id=KeywordId(key),
                    name=name,
                    type=KeywordType.OTHER,
                    bindings=tuple(dict.fromkeys(self.by_code.get(obj.node_id or "", ()))),
                    description=description,
                    slot=slot_rule(obj.includes, obj.excludes),
                    loc=loc,
                )
            )
        mandatory, repeatable = cardinality(*obj.occurrences)
        return Item(keyword=KeywordId(key), mandatory=mandatory, repeatable=repeatable, loc=loc)

    def item(self, obj: CObject, path: str) -> Item | None:
        key = self.first_use(obj, path)
        if key is None:
            return None
        loc = SourceLocation(path=self.display, line=obj.line)
        if not self.expanding:
            self.frag.keywords.append(self.keyword(obj, key, path, loc))
        children = self.items(obj, path) if obj.rm_type == "CLUSTER" else []
        mandatory, repeatable = cardinality(*obj.occurrences)
        return Item(
            keyword=KeywordId(key),
            mandatory=mandatory,
            repeatable=repeatable,
            children=tuple(children),
            loc=loc,
        )

    def keyword(self, obj: CObject, key: str, path: str, loc: SourceLocation) -> Keyword:
        name, description = self.label(obj.node_id, obj.line, key)
        bindings = [*self.by_code.get(obj.node_id or "", ()), *self.by_path.get(path, ())]
        ktype, unit, value_list = KeywordType.OTHER, None, None
        alternatives: list[CNode] = []
        if obj.rm_type == "ELEMENT":
            attr = obj.attribute("value")
            alternatives = attr.children if attr else []
            unit = joined_units(u for a in alternatives for u in units(a))
            codes = next((c for c in map(value_codes, alternatives) if c), None)
            if codes is not None:
                value_list = self.value_list(key, name, codes, loc)
            ktype = element_type(
                data_type(alternatives[0]) if alternatives else None, listed=value_list is not None
            )
        return Keyword(
            id=KeywordId(key),
            name=name,
            type=ktype,
            unit=unit,
            value_list=value_list,
            bindings=tuple(dict.fromkeys(bindings)),
            description=description,
            coding=coding(alternatives[0]) if obj.rm_type == "ELEMENT" and alternatives else None,
            loc=loc,
        )

    def value_list(
        self, key: str, name: str, codes: list[Code], loc: SourceLocation
    ) -> ValueListId:
        values: dict[str, Value] = {}
        for terminology, code, line in codes:
            local = terminology.lower() == "local"
            # an external code keeps its terminology, as the OPT reader writes it
            value_code = code if local else f"{terminology}::{code}"
            if value_code in values:
                self.note(
                    "duplicate_id", line, f"code {code} is listed twice; the first is kept", key
                )
                continue
            display = self.label(code, line, key)[0] if local else code
            bindings = self.by_code.get(code, ()) if local else ()
            values[value_code] = Value(
                code=value_code,
                display=display,
                bindings=tuple(dict.fromkeys(bindings)),
                loc=SourceLocation(path=self.display, line=line),
            )
        self.frag.value_lists.append(
            ValueList(id=ValueListId(key), name=name, values=tuple(values.values()), loc=loc)
        )
        return ValueListId(key)


def read_adl(path: Path, display: str, *, lang: str = "sv") -> Fragment:
    """Read an ADL 1.4 archetype into a Fragment: one template, its keywords and value lists."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ExportError(display, None, f"cannot read file: {exc.strerror or exc}") from None
    try:
        archetype = parse_archetype(decode(data, display), display)
    except RecursionError:
        raise ExportError(display, None, "constraints are nested too deeply to read") from None
    return _Builder(archetype, display, lang).build()
