"""What one input file contributes to an export, before the loader merges the files."""

from __future__ import annotations

from dataclasses import dataclass, field

from cosmicdiff.model import Keyword, SourceLocation, Template, Term, ValueList


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
