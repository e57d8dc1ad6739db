"""What every FHIR resource reader stands on: one file's state and typed access to its JSON.

:class:`JsonReader` holds the :class:`Fragment` being filled, the problems found (raised
together at the end), the ids already defined per section (a repeat is a ``duplicate_id``
note) and the tally of labels not in the wanted language. Its getters take a
:class:`~cosmicdiff.io.safe_json.JsonObject` (which knows the line it starts on) and report
a wrong type as a problem at that line, naming where in the file it is.

- Code systems (:func:`term_system`): SNOMED CT, LOINC, UCUM and ATC by their canonical
  urls; any other system is ``local:<url or urn:oid:…>``.
- Code-system versions (:meth:`JsonReader.bindings`): a value keeps ``Binding(system,
  code)``, so a code compares equal across releases and with openEHR bindings; when its
  include (or coding) names a ``version``, a second binding in ``local:<system
  url>|<version>`` keeps values of two versions apart.
- Language (:meth:`JsonReader.label`): labels in ``lang`` come from ``translation``
  extensions or designations; otherwise the label is used as written, and
  :meth:`JsonReader.finish` adds one ``missing_translation`` note for the file.
"""

from __future__ import annotations

import re
from collections import Counter

from cosmicdiff.errors import ErrorCollector, excerpt, quoted
from cosmicdiff.io.safe_json import JsonObject
from cosmicdiff.model import (
    SYSTEM_URLS,
    Binding,
    CodeRule,
    SourceLocation,
    Value,
    ValueList,
    ValueListId,
)
from cosmicdiff.parsers.fragment import Fragment, InputNote

FORMAT = "fhir"
#: the prefix of the extensions HL7 defines
EXT = "http://hl7.org/fhir/StructureDefinition/"
_TRANSLATION_EXT = EXT + "translation"


def term_system(url: str) -> str:
    """Return the cosmicdiff term system for a FHIR code-system url (``local:<url>`` if other)."""
    url = url.strip()
    if url in SYSTEM_URLS:
        return SYSTEM_URLS[url]
    return "local:" + (re.sub(r"\s", "%20", url) or "unknown")


def primary(tag: object) -> str:
    """Return the primary language subtag (``nb`` for ``nb-NO``); '' for anything else."""
    return tag.split("-")[0].strip().lower() if isinstance(tag, str) else ""


class JsonReader:
    """One FHIR file's reading state: the fragment, the problems, the ids read, the
    label-language tally; typed getters that report a wrong type with the object's line."""

    def __init__(self, display: str, lang: str) -> None:
        self.display = display
        self.lang = lang
        self.want = primary(lang)
        self.frag = Fragment(path=display, format=FORMAT)
        self.errors = ErrorCollector()
        self.seen: dict[str, dict[str, int]] = {}
        self.titles: list[str] = []
        self.fallback: Counter[str] = Counter()
        self.fallback_line: int | None = None
        self.translated = 0
        #: answerValueSets given by canonical url: the url -> the first item naming it
        self.external: dict[str, JsonObject] = {}

    # -- typed getters ------------------------------------------------------------------------
    def loc(self, obj: JsonObject) -> SourceLocation:
        """Return where ``obj`` starts in the file."""
        return SourceLocation(path=self.display, line=obj.line)

    def note(self, kind: str, obj: JsonObject, message: str, subject: str | None = None) -> None:
        """Add an input note about ``obj`` (at its line)."""
        self.frag.notes.append(
            InputNote(kind=kind, path=self.display, line=obj.line, message=message, subject=subject)
        )

    def text(self, obj: JsonObject, key: str, where: str = "") -> str | None:
        """Return ``obj[key]`` if it is a string or absent (None); report any other type."""
        value = obj.get(key)
        if value is None or isinstance(value, str):
            return value
        self.errors.add(
            self.display,
            obj.line,
            f"{excerpt(key)} must be a string, not {type(value).__name__}",
            where or None,
        )
        return None

    def flag(self, obj: JsonObject, key: str, where: str) -> bool:
        """Return ``obj[key]`` as a boolean (absent: False); report any other type."""
        value = obj.get(key, False)
        if isinstance(value, bool):
            return value
        self.errors.add(self.display, obj.line, f"{excerpt(key)} must be true or false", where)
        return False

    def objects(self, obj: JsonObject, key: str, where: str = "") -> list[JsonObject]:
        """Return ``obj[key]`` as a list of objects (one object: a list of it); report others."""
        value = obj.get(key, [])
        if isinstance(value, JsonObject):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, JsonObject) for v in value):
            self.errors.add(
                self.display, obj.line, f"{excerpt(key)} must be a list of objects", where or None
            )
            return []
        return value

    def child(self, obj: JsonObject, key: str) -> JsonObject | None:
        """Return ``obj[key]`` if it is an object, else None."""
        value = obj.get(key)
        return value if isinstance(value, JsonObject) else None

    def label(self, obj: JsonObject, key: str, source: str | None) -> str | None:
        """Return ``obj[key]`` in the wanted language, tallying labels left untranslated."""
        meta = self.child(obj, "_" + key)
        for ext in self.objects(meta, "extension") if meta else []:
            if ext.get("url") != _TRANSLATION_EXT:
                continue
            parts = {str(e.get("url")): e for e in self.objects(ext, "extension")}
            code, content = parts.get("lang"), parts.get("content")
            if (
                code
                and content
                and primary(code.get("valueCode")) == self.want
                and isinstance(content.get("valueString"), str)
            ):
                self.translated += 1
                return str(content["valueString"])
        for des in self.objects(obj, "designation"):
            if primary(self.text(des, "language")) == self.want and self.text(des, "value"):
                self.translated += 1
                return self.text(des, "value")
        value = self.text(obj, key)
        if value and source and primary(source) != self.want:
            self.fallback[source] += 1
            self.fallback_line = self.fallback_line or obj.line
        return value

    # -- records ------------------------------------------------------------------------------
    def add(self, section: str, key: str, obj: JsonObject) -> bool:
        """Return True the first time an id is defined in this file; note any repeat."""
        table = self.seen.setdefault(section, {})
        if key in table:
            self.note(
                "duplicate_id",
                obj,
                f"{section} {quoted(key)} is defined twice "
                f"(first at line {table[key]}); the later one is "
                "not read" + (", nor its sub-items" if section == "keyword" else ""),
                key,
            )
            return False
        table[key] = obj.line
        return True

    def add_value_list(self, obj: JsonObject, vl: ValueList) -> None:
        """Add a value list, unless its id is already defined in this file (then a note)."""
        if self.add("value list", vl.id, obj):
            self.frag.value_lists.append(vl)

    def unique(self, owner: str, values: list[tuple[JsonObject, Value]]) -> tuple[Value, ...]:
        """Return the values with each code once (the first); note every repeat."""
        first: dict[str, int] = {}
        kept: list[Value] = []
        for obj, value in values:
            if value.code in first:
                self.note(
                    "duplicate_id",
                    obj,
                    f"value list {quoted(owner)} has code {quoted(value.code)} twice "
                    f"(first at line {first[value.code]}); the later one is not read",
                    value.code,
                )
                continue
            first[value.code] = obj.line
            kept.append(value)
        return tuple(kept)

    def bindings(self, system: str | None, version: str | None, code: str) -> tuple[Binding, ...]:
        """Return a code's binding, plus one in ``<system>|<version>`` if a version is named."""
        if not system:
            return ()
        plain = Binding(system=term_system(system), code=code)
        if not version:
            return (plain,)
        return plain, Binding(system=term_system(f"{system.strip()}|{version.strip()}"), code=code)

    # -- end of file --------------------------------------------------------------------------
    def finish(self) -> None:
        """Add a stand-in for each value set referred to by url but not defined in the file
        (the loader prefers a definition from another file; :mod:`.expand` resolves it from
        ``--terminology``, or notes it); then the file's one language note and its title."""
        defined = self.seen.get("value list", {})
        for url, item in sorted(self.external.items()):
            if url not in defined:
                loc = self.loc(item)
                rule = CodeRule(system="", value_sets=(url,), loc=loc)
                self.frag.value_lists.append(
                    ValueList(id=ValueListId(url), name=url, loc=loc, rules=(rule,))
                )
        if len(self.titles) == 1:
            self.frag.title = self.titles[0]
        if not self.fallback:
            return
        sources = ", ".join(repr(s) for s in sorted(self.fallback))
        total = sum(self.fallback.values())
        message = (
            f"no {self.lang!r} labels; using {sources}"
            if not self.translated
            else f"{total} labels have no {self.lang!r} translation; using {sources} for those"
        )
        self.frag.notes.append(
            InputNote(
                kind="missing_translation",
                path=self.display,
                line=self.fallback_line,
                message=message,
            )
        )
