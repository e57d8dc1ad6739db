"""What one input file contributes to an export, before the loader merges the files."""

from __future__ import annotations

from dataclasses import dataclass, field

from cosmicdiff.model import InputNote, Keyword, SourceLocation, Template, Term, ValueList

__all__ = ["NOTE_KINDS", "Fragment", "InputNote"]

#: Kinds of input note: something read that could not be used as it stands.
NOTE_KINDS = frozenset(
    {
        "unusable_row",  # a catalogue row that cannot become a record (listed, not dropped)
        "duplicate_id",  # a second row/definition with an id already read (the first is kept)
        "missing_translation",  # the chosen --lang has no label; another language's label was used
        "unsupported",  # a construct the reader recognises but cannot represent
        "not_read",  # a file of the folder left unread: a link to outside it, or to nothing
        "not_expanded",  # a value set whose codes could not (all) be expanded: see fhir.expand
        "expanded",  # a baseline value set expanded from a code system in a region's files
        "few_shared_items",  # two paired forms share few items (rules.few_shared)
        "respelled",  # a keyword type in another letter case (text → Text), read as the type
        "hidden_read",  # hidden rows or columns of a workbook, read as data all the same
        "formula_value",  # workbook formula cells, read as the values last computed
        "merged_filled",  # a workbook range merged down a column: its value read on each row
    }
)


@dataclass(kw_only=True, slots=True)
class Fragment:
    """The records read from one file, in file order, with the file's header fields."""

    path: str
    region: str | None = None
    region_loc: SourceLocation | None = None
    cosmic_version: str | None = None
    exported: str | None = None
    terms: list[Term] = field(default_factory=list)
    value_lists: list[ValueList] = field(default_factory=list)
    keywords: list[Keyword] = field(default_factory=list)
    templates: list[Template] = field(default_factory=list)
    notes: list[InputNote] = field(default_factory=list)
    #: the name of the format the file was read as (``cosmic-xml``, ``openehr-opt`` …)
    format: str | None = None
    #: a title for the whole file when it is one artefact (an archetype, a form, a value set)
    title: str | None = None
