"""The typed, immutable model of one region's (or the baseline's) COSMIC configuration.

Parsers build these objects; everything later in the pipeline reads them. The model
knows nothing of files, formats, rules or output, except that every item remembers
its ``SourceLocation`` so that any message can point back at the input.

The records a reader builds by the hundred thousand (locations, bindings, values, template
items, keywords) are typed ``NamedTuple``s, built with keyword arguments: immutable, and
three times cheaper to build than frozen dataclasses. Where a record carries its ``loc``,
equality and hashing leave the location out (the same item read from two files is the
same item). The rest are frozen slotted dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, NewType

# names' normal forms and the term systems and note types; re-exported for the readers
from cosmicdiff.names import name_key as name_key
from cosmicdiff.names import normalise_text as normalise_text
from cosmicdiff.names import same_text as same_text
from cosmicdiff.vocabulary import NOTE_TYPES as NOTE_TYPES
from cosmicdiff.vocabulary import SYSTEM_URLS as SYSTEM_URLS
from cosmicdiff.vocabulary import TERM_SYSTEMS as TERM_SYSTEMS
from cosmicdiff.vocabulary import is_known_term_system as is_known_term_system

KeywordId = NewType("KeywordId", str)
TemplateId = NewType("TemplateId", str)
ValueListId = NewType("ValueListId", str)
CaseId = NewType("CaseId", str)


class KeywordType(StrEnum):
    """COSMIC's keyword tool types, as its Open Services API names them."""

    TEXT = "Text"
    NUMERIC = "Numeric"
    FIX_VALUE = "FixValue"
    DATE_TIME = "DateTime"
    BOOLEAN = "Boolean"
    FORMULA = "Formula"
    CLINICAL_CODING = "ClinicalCoding"
    BLOOD_PRESSURE = "BloodPressure"
    CHECKBOX_CONFIGURABLE = "CheckboxConfigurable"
    REGISTER = "Register"
    WORD_PROCESSING = "WordProcessing"
    OTHER = "Other"


class Status(StrEnum):
    """Life-cycle status of a term, keyword or template."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    RETIRED = "retired"


class SourceLocation(NamedTuple):
    """Where an item was read: a file path (as given) and a 1-based line, if known; in a
    workbook, the cell (``Sökord!A12``) instead of a line."""

    path: str
    line: int | None = None
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell:
            return f"{self.path}:{self.cell}"
        return self.path if self.line is None else f"{self.path}:{self.line}"


_NOWHERE = SourceLocation(path="<memory>")


def _same_record(a: tuple[object, ...], b: object) -> bool:
    """Return True when two records of one type are equal but for their location (last)."""
    return type(a) is type(b) and a[:-1] == b[:-1]


@dataclass(frozen=True, kw_only=True, slots=True)
class InputNote:
    """A record (or part of one) that was read but not used as it stands, with where it was.

    Readers of real interchange formats (openEHR, FHIR, catalogues) cannot refuse a whole
    file for one odd row; they keep going and account for every such row with a note.
    ``kind`` is one of ``parsers.fragment.NOTE_KINDS``.
    """

    kind: str
    path: str
    line: int | None
    message: str
    subject: str | None = None  # the id of the record concerned, when there is one
    cell: str | None = None  # in a workbook: the cell (``Sökord!C12``), in place of a line

    def __str__(self) -> str:
        return f"{SourceLocation(self.path, self.line, self.cell)}: {self.message}"

    def to_json(self) -> dict[str, object]:
        """Return the JSON object of this note (``cell`` only for a note about a cell)."""
        out: dict[str, object] = {
            "kind": self.kind,
            "file": self.path,
            "line": self.line,
            "subject": self.subject,
            "message": self.message,
        }
        if self.cell:
            out["cell"] = self.cell
        return out


class Binding(NamedTuple):
    """A term binding: a code in a terminology system."""

    system: str
    code: str

    def __str__(self) -> str:
        return f"{self.system}:{self.code}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Term:
    """A concept of the term catalogue, identified by system and code."""

    system: str
    code: str
    displays: Mapping[str, str] = field(default_factory=dict)
    status: Status = Status.ACTIVE
    loc: SourceLocation = field(default=_NOWHERE, compare=False)
    #: the codes this concept is a kind of (a FHIR CodeSystem's hierarchy), for expansion
    parents: tuple[str, ...] = field(default=(), compare=False)
    #: the concept's properties as (code, value) pairs (FHIR), for expansion filters
    properties: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def key(self) -> str:
        """Return the identity ``system:code``."""
        return f"{self.system}:{self.code}"


class Value(NamedTuple):
    """One fixed choice of a value list."""

    code: str
    display: str
    bindings: tuple[Binding, ...] = ()
    loc: SourceLocation = _NOWHERE

    def __eq__(self, other: object) -> bool:
        return _same_record(self, other)

    def __ne__(self, other: object) -> bool:
        return not _same_record(self, other)

    def __hash__(self) -> int:
        return hash(self[:-1])


class CodeRule(NamedTuple):
    """A part of a value set that names no codes of its own (FHIR ``compose``): all codes of
    a code system, those a filter selects, or those of another value set; or, with
    ``exclude``, codes taken out. Expanded when the code system or value set is known."""

    #: the code system's url as written ('' when the rule names value sets only)
    system: str
    version: str | None = None
    #: (property, op, value) filters, all of which a code must pass
    filters: tuple[tuple[str, str, str], ...] = ()
    #: the canonical urls of value sets whose codes are included (or excluded)
    value_sets: tuple[str, ...] = ()
    #: for an exclude: the codes it lists
    codes: tuple[str, ...] = ()
    exclude: bool = False
    loc: SourceLocation = _NOWHERE


@dataclass(frozen=True, kw_only=True, slots=True)
class ValueList:
    """A list of fixed choices (fasta värden), values in their configured order."""

    id: ValueListId
    name: str
    values: tuple[Value, ...] = ()
    loc: SourceLocation = field(default=_NOWHERE, compare=False)
    #: the rules of an intensional value set not expanded yet (empty: ``values`` is complete)
    rules: tuple[CodeRule, ...] = field(default=(), compare=False)

    @property
    def is_open(self) -> bool:
        """Return True when the list's codes are not all known (rules left unexpanded)."""
        return bool(self.rules)

    @property
    def is_reference(self) -> bool:
        """Return True for a stand-in for a value set only referred to (by its canonical url)."""
        return not self.values and tuple(r.value_sets for r in self.rules) == ((self.id,),)


class SlotRule(NamedTuple):
    """What an openEHR archetype slot admits: include and exclude patterns, as written.

    Each pattern is the regular expression of one ``archetype_id/value matches {/…/}``
    assertion (an assertion of another form is kept as written).
    """

    includes: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()


class Keyword(NamedTuple):
    """A keyword (sökord): a labelled field or heading of a journal note.

    ``slot`` is set for an openEHR archetype slot (``allow_archetype``): a placeholder for
    another archetype, read as a keyword of type Other whose include/exclude patterns are
    compared like its other attributes.
    """

    id: KeywordId
    name: str
    type: KeywordType
    unit: str | None = None
    value_list: ValueListId | None = None
    bindings: tuple[Binding, ...] = ()
    status: Status = Status.ACTIVE
    hidden_from_1177: bool = False
    description: str | None = None
    #: openEHR DV_CODED_TEXT only: where the element's codes come from, the terminology id of
    #: its code list (``local``, ``terminology:omim``) or the reference set / constraint of an
    #: open coding (``terminology:ICD10``, ``ac0001``); None in the other formats
    coding: str | None = None
    #: an openEHR archetype slot's patterns (None: not a slot)
    slot: SlotRule | None = None
    loc: SourceLocation = _NOWHERE

    def __eq__(self, other: object) -> bool:
        return _same_record(self, other)

    def __ne__(self, other: object) -> bool:
        return not _same_record(self, other)

    def __hash__(self) -> int:
        return hash(self[:-1])


class Item(NamedTuple):
    """A keyword placed in a template; children make it a heading."""

    keyword: KeywordId
    mandatory: bool = False
    repeatable: bool = False
    children: tuple[Item, ...] = ()
    loc: SourceLocation = _NOWHERE

    def __eq__(self, other: object) -> bool:
        return _same_record(self, other)

    def __ne__(self, other: object) -> bool:
        return not _same_record(self, other)

    def __hash__(self) -> int:
        return hash(self[:-1])


@dataclass(frozen=True, kw_only=True, slots=True)
class Template:
    """A journal template (journalmall) with its item tree."""

    id: TemplateId
    name: str
    version: str | None = None
    note_type: str | None = None
    cases: tuple[CaseId, ...] | None = None
    status: Status = Status.ACTIVE
    items: tuple[Item, ...] = ()
    loc: SourceLocation = field(default=_NOWHERE, compare=False)
    #: static text shown at the top level of the form (FHIR display items), compared as text
    description: str | None = None

    def walk(self) -> Iterator[tuple[tuple[Item, ...], Item]]:
        """Yield ``(ancestors, item)`` for every item, depth first in document order."""
        stack: list[tuple[tuple[Item, ...], Item]] = [((), i) for i in reversed(self.items)]
        while stack:
            ancestors, item = stack.pop()
            yield ancestors, item
            if item.children:
                inner = (*ancestors, item)
                stack.extend([(inner, c) for c in reversed(item.children)])


@dataclass(frozen=True, kw_only=True, slots=True)
class IdMapping:
    """A region's ``mapping.yaml``: local id -> baseline id, per kind of item."""

    keywords: Mapping[str, str] = field(default_factory=dict)
    templates: Mapping[str, str] = field(default_factory=dict)
    value_lists: Mapping[str, str] = field(default_factory=dict)
    lines: Mapping[tuple[str, str], int] = field(default_factory=dict, compare=False)
    path: str | None = field(default=None, compare=False)

    def is_empty(self) -> bool:
        """Return True when the mapping has no entry."""
        return not (self.keywords or self.templates or self.value_lists)


@dataclass(frozen=True, kw_only=True, slots=True)
class Export:
    """One region's configuration (or the baseline's canonical items), all files merged."""

    region: str
    name: str | None = None
    cosmic_version: str | None = None
    exported: str | None = None
    source: str = ""
    terms: Mapping[str, Term] = field(default_factory=dict)
    value_lists: Mapping[str, ValueList] = field(default_factory=dict)
    keywords: Mapping[str, Keyword] = field(default_factory=dict)
    templates: Mapping[str, Template] = field(default_factory=dict)
    mapping: IdMapping = field(default_factory=IdMapping)
    files: tuple[str, ...] = field(default=(), compare=False)
    #: records read but not used as they stand (real interchange formats), in file order
    notes: tuple[InputNote, ...] = field(default=(), compare=False)
    #: the formats its files were read as (``cosmic-xml``, ``openehr-adl`` …), in file order
    formats: tuple[str, ...] = field(default=(), compare=False)
    #: a title when the export is one artefact (an archetype, a form, a value set)
    title: str | None = field(default=None, compare=False)

    def record_count(self) -> int:
        """Return how many records (terms, lists, values, keywords, templates, items) it holds."""
        values = sum(len(v.values) for v in self.value_lists.values())
        items = sum(_count_items(t.items) for t in self.templates.values())
        return (
            len(self.terms)
            + len(self.value_lists)
            + values
            + len(self.keywords)
            + len(self.templates)
            + items
        )

    def is_empty(self) -> bool:
        """Return True when the export defines nothing at all."""
        return not (self.terms or self.value_lists or self.keywords or self.templates)


def _count_items(items: tuple[Item, ...]) -> int:
    return len(items) + sum(_count_items(i.children) for i in items if i.children)


@dataclass(frozen=True, kw_only=True, slots=True)
class Case:
    """A harmonisation case of the baseline (psychiatry, drugs, referrals …)."""

    id: CaseId
    name: str
    templates: tuple[TemplateId, ...] = ()
    #: a catalogue case covers every keyword, value list and term of the baseline, not
    #: only those its templates use (a baseline read from a catalogue, value set or archetype)
    catalogue: bool = False
    loc: SourceLocation = field(default=_NOWHERE, compare=False)


@dataclass(frozen=True, kw_only=True, slots=True)
class Baseline:
    """The shared baseline: its canonical items (an Export) plus the cases."""

    id: str
    name: str
    version: str
    export: Export
    cases: tuple[Case, ...] = ()
    source: str = ""
    files: tuple[str, ...] = field(default=(), compare=False)
    digest: str = field(default="", compare=False)

    def case(self, case_id: str) -> Case | None:
        """Return the case with this id, if the baseline defines it."""
        return next((c for c in self.cases if c.id == case_id), None)
