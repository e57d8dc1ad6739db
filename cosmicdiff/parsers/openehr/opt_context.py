"""The reading context of one operational template: languages, labels, occurrences, names.

:mod:`~cosmicdiff.parsers.openehr.opt` walks the definition on top of it.
"""

from __future__ import annotations

from cosmicdiff.errors import ErrorCollector, ExportError, excerpt, quoted
from cosmicdiff.io.source_lines import BIG_LINE, SourceText
from cosmicdiff.model import Keyword, SourceLocation, ValueList
from cosmicdiff.parsers.fragment import InputNote
from cosmicdiff.parsers.openehr.common import cardinality
from cosmicdiff.parsers.openehr.opt_xml import (
    El,
    Label,
    Q,
    Root,
    attribute_children,
    default_labels,
    line_of,
    read_ontologies,
    text_at,
    xsi_type,
)


class OptContext:
    """What reading one parsed OPT knows: its languages, labels and ontologies, and how to
    read a node's labels, name constraint and occurrences (noting any fallback)."""

    def __init__(
        self, display: str, template: El, lang: str, source: SourceText | None = None
    ) -> None:
        self.path = display
        #: the file's bytes, for exact lines past libxml2's 16-bit limit
        self.source = source
        self.errors = ErrorCollector()
        self.notes: list[InputNote] = []
        self.keywords: dict[str, Keyword] = {}
        self.value_lists: dict[str, ValueList] = {}
        #: the (root key, path) of the nodes an ARCHETYPE_INTERNAL_REF is reading again
        self.expanding: set[tuple[str, str]] = set()
        self.ontologies, self.ontology_bindings = read_ontologies(template)
        self.default_labels = default_labels(template)
        self.template_lang = text_at(template, "language/code_string")
        if not self.template_lang:
            raise ExportError(
                display,
                self.line(template),
                "operational template without <language>; the export is incomplete",
            )
        self.lang = lang
        available = {self.template_lang}
        available.update(lg for per in self.ontologies.values() for lg in per)
        if lang not in available:
            self.lang = self.template_lang
            language = template.find(Q + "language")
            self.notes.append(
                self.note(
                    "missing_translation",
                    None if language is None else self.line(language),
                    text_at(template, "template_id/value"),
                    f"template has no '{lang}' labels; using '{self.lang}'",
                )
            )

    def line(self, el: El) -> int | None:
        """Return ``el``'s line as libxml2 gives it (where its start tag ends), exact past
        line 65,535 too (libxml2 borrows a later line there)."""
        line = line_of(el)
        if line is not None and line >= BIG_LINE and self.source is not None:
            return self.source.tag_end_line(el, in_order=False)
        return line

    def loc(self, el: El) -> SourceLocation:
        """Return where ``el`` is in the file."""
        return SourceLocation(path=self.path, line=self.line(el))

    def label(self, root: Root, code: str, subject: str, el: El, notes: list[InputNote]) -> Label:
        """Return the term of ``code`` in the used language, noting any fallback."""
        if self.lang != self.template_lang:
            found = self.ontologies.get(root.archetype_id, {}).get(self.lang, {}).get(code)
            if found is not None and found.text:
                return found
        inline = root.terms.get(code)
        if inline is not None and inline.text:
            if self.lang != self.template_lang:
                notes.append(
                    self.note(
                        "missing_translation",
                        self.line(el),
                        subject,
                        f"{code} of {root.archetype_id} has no '{self.lang}' "
                        f"label; using the '{self.template_lang}' label",
                    )
                )
            return inline
        notes.append(
            self.note(
                "missing_translation",
                self.line(el),
                subject,
                f"{code} of {root.archetype_id} has no label; using the code",
            )
        )
        return Label(code)

    def external_label(self, root: Root, terminology: str, code: str) -> str:
        """Return the label the file gives an external code, else the code itself.

        Archetype Designer writes such labels as term definitions coded
        ``<terminology>::<code>``; a coded default value in ``constraints`` also names one.
        """
        qualified = f"{terminology}::{code}"
        per_lang = self.ontologies.get(root.archetype_id, {}).get(self.lang, {})
        for term in (per_lang.get(qualified), root.terms.get(qualified)):
            if term is not None and term.text:
                return term.text
        return self.default_labels.get((terminology, code), code)

    def note(self, kind: str, line: int | None, subject: str, message: str) -> InputNote:
        """Return an input note about ``subject`` at ``line`` of this file."""
        return InputNote(
            kind=kind, path=self.path, line=line, message=message, subject=subject or None
        )

    def occurrences(self, el: El) -> tuple[bool, bool]:
        """Return (mandatory, repeatable) from the node's ``occurrences`` interval."""
        occ = el.find(Q + "occurrences")
        if occ is None:
            return False, False
        bounds: list[int | None] = []
        for name in ("lower", "upper"):
            raw = text_at(occ, name)
            try:
                bounds.append(int(raw) if raw else None)
            except ValueError:
                self.errors.add(
                    self.path,
                    self.line(occ),
                    f"occurrences {name} {excerpt(raw)} is not a whole number",
                )
                bounds.append(None)
        return cardinality(bounds[0], bounds[1], text_at(occ, "upper_unbounded") == "true")

    def name_constraint(self, el: El, root: Root, notes: list[InputNote]) -> str | None:
        """Return the node's fixed name (one string or one local code), if it has one."""
        for name in attribute_children(el, "name"):
            strings = [
                s.text.strip()
                for item in name.iter(Q + "item")
                if xsi_type(item) == "C_STRING"
                for s in item.iterchildren(Q + "list")
                if s.text and s.text.strip()
            ]
            if len(strings) == 1:
                return strings[0]
            codes = [
                c
                for phrase in name.iter(Q + "children")
                if xsi_type(phrase) == "C_CODE_PHRASE"
                and text_at(phrase, "terminology_id/value") == "local"
                for c in phrase.iterchildren(Q + "code_list")
            ]
            if len(codes) == 1 and codes[0].text:
                return self.label(root, codes[0].text.strip(), root.key, el, notes).text
        return None

    def add_keyword(self, keyword: Keyword, notes: list[InputNote]) -> None:
        """Keep the first definition of a key; note a later one that differs."""
        first = self.keywords.get(keyword.id)
        if first is None:
            self.keywords[keyword.id] = keyword
            self.notes.extend(notes)
        elif (first.name, first.type, first.unit) != (keyword.name, keyword.type, keyword.unit):
            self.notes.append(
                self.note(
                    "duplicate_id",
                    keyword.loc.line,
                    keyword.id,
                    f"{keyword.id} is used again as {quoted(keyword.name)} ({keyword.type}); the "
                    f"first definition {quoted(first.name)} ({first.type}, line {first.loc.line}) "
                    "is kept",
                )
            )

    def add_value_list(self, value_list: ValueList) -> None:
        """Keep the first value list of a key; note a later one with other values."""
        first = self.value_lists.get(value_list.id)
        if first is None:
            self.value_lists[value_list.id] = value_list
        elif first.values != value_list.values:
            self.notes.append(
                self.note(
                    "duplicate_id",
                    value_list.loc.line,
                    value_list.id,
                    f"value list {value_list.id} is used again with other values; the first "
                    f"(line {first.loc.line}) is kept",
                )
            )
