"""Read FHIR R4 JSON: a Questionnaire, ValueSet or CodeSystem, or a Bundle holding them.

Mapping onto the model (``format="fhir"``):

- **Questionnaire** -> one ``Template``: id = ``id`` (else ``url``), name = ``title`` (else
  ``name``), ``version``; status ``active``/``draft``/``unknown`` -> active (a draft form is
  the form as configured; COSMIC has no draft state), ``retired`` -> retired. Every ``item``
  (groups and display texts too) becomes an ``Item`` and a ``Keyword`` with id
  ``<questionnaire id>/<linkId>``: two forms number their linkIds independently, so an equal
  linkId in two forms is not the same keyword. Keyword name = ``text`` (else the
  ``_text`` rendering-markdown text, else the linkId), ``required`` -> mandatory, ``repeats``
  -> repeatable, ``code[]`` -> bindings, the ``questionnaire-unit`` extension -> unit
  (its code, else its display). Item types, see ``ITEM_TYPES``; a type R4 does not define
  reads as Other, with a note. An item without linkId, or with a linkId already read in the
  form, is noted and not read (nor its sub-items).
- Answer lists: ``answerValueSet`` ``#id`` -> the contained ValueSet, read as the
  ValueList ``<questionnaire id>/<contained id>``; a canonical url is kept as the reference
  (it resolves when this file or another file of the export holds a ValueSet with that
  url; otherwise it is a dangling reference, as in COSMIC exports). ``answerOption``
  (and helsenorge's ``sdf-optionReference`` extension) -> a ValueList of its own with the
  keyword's id and the item's text as name. A choice item with no answer list at all is
  read as Other (with a note): a FixValue keyword without a list would be unusable.
- **ValueSet** -> ``ValueList``: id = ``url`` (else ``id``), name = ``title`` (else
  ``name``), values = ``compose.include[].concept[]`` in order, else ``expansion.contains``
  (flattened). Includes of a whole system, by filter or of other value sets list no codes:
  they are reported as ``unsupported`` notes, never dropped silently; so are ``exclude``s.
- **CodeSystem** -> one ``ValueList`` (id = ``url``) of all concepts, nested ones
  flattened depth first, and one ``Term`` per concept. A concept whose display only repeats
  its code (KV Anteckningstyp: ``utr``/``utr``) takes its ``definition`` as display.
- Code systems (``term_system``): SNOMED CT, LOINC, UCUM and ATC by their canonical urls;
  any other system is ``local:<url or urn:oid:…>``.
- **Code-system versions.** A value keeps ``Binding(system, code)``, so a code compares
  equal across releases and with openEHR bindings. When its include (or coding) names a
  ``version``, the value gets a second binding in ``local:<system url>|<version>`` (FHIR's
  own canonical|version form): values of two includes of one system with different
  versions stay distinguishable, and a version change shows as a binding change. A code
  listed twice in one value set (e.g. in two versions) is kept once, with a
  ``duplicate_id`` note.
- **Language.** Labels in ``lang`` come from ``translation`` extensions or
  ``designation``s; otherwise the label is used as written. When a resource declares
  another ``language`` (helsenorge: ``nb-NO``), the file gets one ``missing_translation``
  note, not one per label. A resource without ``language`` is taken as written in ``lang``.
- **Bundle** -> its entries' resources; entries of other types are ``unsupported`` notes.

Not represented (the model has no place for them): enableWhen, readOnly, maxLength,
initial values, hidden items, validation extensions.

The JSON loader (``parsers._json.read_json``) keeps the line each object starts on; the
term catalogue reader uses it too.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from cosmicdiff.errors import ErrorCollector, ExportError, excerpt, quoted
from cosmicdiff.io.safe_json import JsonObject, read_json
from cosmicdiff.model import (
    SYSTEM_URLS,
    Binding,
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    SourceLocation,
    Status,
    Template,
    TemplateId,
    Term,
    Value,
    ValueList,
    ValueListId,
    normalise_text,
)
from cosmicdiff.parsers.fragment import Fragment, InputNote

#: Questionnaire item types -> keyword types.
ITEM_TYPES: dict[str, KeywordType] = {
    "group": KeywordType.OTHER, "display": KeywordType.OTHER,
    "string": KeywordType.TEXT, "text": KeywordType.TEXT,
    "integer": KeywordType.NUMERIC, "decimal": KeywordType.NUMERIC,
    "quantity": KeywordType.NUMERIC,
    "choice": KeywordType.FIX_VALUE, "open-choice": KeywordType.FIX_VALUE,
    "coding": KeywordType.FIX_VALUE,
    "date": KeywordType.DATE_TIME, "dateTime": KeywordType.DATE_TIME,
    "time": KeywordType.DATE_TIME,
    "boolean": KeywordType.BOOLEAN,
    "attachment": KeywordType.OTHER, "reference": KeywordType.OTHER, "url": KeywordType.OTHER,
}

STATUSES = {"active": Status.ACTIVE, "draft": Status.ACTIVE, "unknown": Status.ACTIVE,
            "retired": Status.RETIRED}
READ_TYPES = ("Questionnaire", "ValueSet", "CodeSystem")
_EXT = "http://hl7.org/fhir/StructureDefinition/"
_UNIT_EXT = _EXT + "questionnaire-unit"
_TRANSLATION_EXT = _EXT + "translation"
_MARKDOWN_EXT = _EXT + "rendering-markdown"
_OPTION_REF_EXT = "http://ehelse.no/fhir/StructureDefinition/sdf-optionReference"


def term_system(url: str) -> str:
    """Return the cosmicdiff term system for a FHIR code-system url (``local:<url>`` if other)."""
    url = url.strip()
    if url in SYSTEM_URLS:
        return SYSTEM_URLS[url]
    return "local:" + (re.sub(r"\s", "%20", url) or "unknown")


def _primary(tag: object) -> str:
    """Return the primary language subtag (``nb`` for ``nb-NO``); '' for anything else."""
    return tag.split("-")[0].strip().lower() if isinstance(tag, str) else ""


def read_fhir(path: Path, display: str, *, lang: str = "sv") -> Fragment:
    """Read a FHIR R4 JSON resource (or a Bundle of them) into a Fragment."""
    doc = read_json(path, display)
    if not isinstance(doc, JsonObject) or not isinstance(doc.get("resourceType"), str):
        raise ExportError(display, getattr(doc, "line", 1) or 1,
                          "expected a FHIR resource: a JSON object with a resourceType")
    rtype = doc["resourceType"]
    if rtype not in (*READ_TYPES, "Bundle"):
        raise ExportError(display, doc.line, f"resourceType {excerpt(rtype)} is not read; expected "
                                             "Questionnaire, ValueSet, CodeSystem or Bundle")
    reader = _Reader(display, lang)
    reader.resource(doc, None, "")
    reader.errors.raise_if_any()
    reader.finish()
    return reader.frag


class _Reader:
    """One file's reading state: the fragment, the problems, the label-language tally."""

    def __init__(self, display: str, lang: str) -> None:
        self.display = display
        self.lang = lang
        self.want = _primary(lang)
        self.frag = Fragment(path=display, format="fhir")
        self.errors = ErrorCollector()
        self.seen: dict[str, dict[str, int]] = {}
        self.titles: list[str] = []
        self.fallback: Counter[str] = Counter()
        self.fallback_line: int | None = None
        self.translated = 0

    # -- typed getters ------------------------------------------------------------------------
    def loc(self, obj: JsonObject) -> SourceLocation:
        return SourceLocation(path=self.display, line=obj.line)

    def note(self, kind: str, obj: JsonObject, message: str, subject: str | None = None) -> None:
        self.frag.notes.append(InputNote(kind=kind, path=self.display, line=obj.line,
                                         message=message, subject=subject))

    def text(self, obj: JsonObject, key: str, where: str = "") -> str | None:
        value = obj.get(key)
        if value is None or isinstance(value, str):
            return value
        self.errors.add(self.display, obj.line,
                        f"{excerpt(key)} must be a string, not "
                        f"{type(value).__name__}", where or None)
        return None

    def flag(self, obj: JsonObject, key: str, where: str) -> bool:
        value = obj.get(key, False)
        if isinstance(value, bool):
            return value
        self.errors.add(self.display, obj.line, f"{excerpt(key)} must be true or false", where)
        return False

    def objects(self, obj: JsonObject, key: str, where: str = "") -> list[JsonObject]:
        value = obj.get(key, [])
        if isinstance(value, JsonObject):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, JsonObject) for v in value):
            self.errors.add(self.display, obj.line, f"{excerpt(key)} must be a list of objects",
                            where or None)
            return []
        return value

    def child(self, obj: JsonObject, key: str) -> JsonObject | None:
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
            if code and content and _primary(code.get("valueCode")) == self.want \
                    and isinstance(content.get("valueString"), str):
                self.translated += 1
                return str(content["valueString"])
        for des in self.objects(obj, "designation"):
            if _primary(self.text(des, "language")) == self.want and self.text(des, "value"):
                self.translated += 1
                return self.text(des, "value")
        value = self.text(obj, key)
        if value and source and _primary(source) != self.want:
            self.fallback[source] += 1
            self.fallback_line = self.fallback_line or obj.line
        return value

    # -- records ------------------------------------------------------------------------------
    def add(self, section: str, key: str, obj: JsonObject) -> bool:
        """Return True the first time an id is defined in this file; note any repeat."""
        table = self.seen.setdefault(section, {})
        if key in table:
            self.note("duplicate_id", obj, f"{section} {quoted(key)} is defined twice "
                                           f"(first at line {table[key]}); the later one is "
                                           "not read"
                                           + (", nor its sub-items" if section == "keyword"
                                              else ""), key)
            return False
        table[key] = obj.line
        return True

    def add_value_list(self, obj: JsonObject, vl: ValueList) -> None:
        if self.add("value list", vl.id, obj):
            self.frag.value_lists.append(vl)

    def unique(self, owner: str, values: list[tuple[JsonObject, Value]]) -> tuple[Value, ...]:
        first: dict[str, int] = {}
        kept: list[Value] = []
        for obj, value in values:
            if value.code in first:
                self.note("duplicate_id", obj,
                          f"value list {quoted(owner)} has code {quoted(value.code)} twice "
                          f"(first at line {first[value.code]}); the later one is not read",
                          value.code)
                continue
            first[value.code] = obj.line
            kept.append(value)
        return tuple(kept)

    def bindings(self, system: str | None, version: str | None, code: str) -> tuple[Binding, ...]:
        if not system:
            return ()
        plain = Binding(system=term_system(system), code=code)
        if not version:
            return (plain,)
        return plain, Binding(system=term_system(f"{system.strip()}|{version.strip()}"), code=code)

    # -- resources ----------------------------------------------------------------------------
    def resource(self, res: JsonObject, source: str | None, prefix: str) -> None:
        """Read one resource; ``prefix`` is set for resources contained in a Questionnaire."""
        rtype = res.get("resourceType")
        source = self.text(res, "language") or source
        if rtype == "Bundle":
            for entry in self.objects(res, "entry", "Bundle"):
                inner = self.child(entry, "resource")
                if inner is None:
                    self.note("unsupported", entry, "Bundle entry has no resource; not read")
                else:
                    self.resource(inner, source, prefix)
            return
        if rtype not in READ_TYPES:
            what = f"a {rtype} resource" if isinstance(rtype, str) else "an object without " \
                                                                          "resourceType"
            self.note("unsupported", res, f"{what} is not read (only Questionnaire, ValueSet "
                                          "and CodeSystem are)", self.text(res, "id"))
            return
        rid = self.text(res, "id")
        url = self.text(res, "url")
        key = f"{prefix}/{rid}" if prefix and rid else (
            (rid or url) if rtype == "Questionnaire" else (url or rid))
        if not key:
            if res.get("id") is None and res.get("url") is None:  # else: already a problem
                self.errors.add(self.display, res.line, f"{rtype} has neither id nor url")
            return
        name = self.text(res, "title") or self.text(res, "name") or key
        if not prefix:
            self.titles.append(name)
        if rtype == "Questionnaire":
            self.questionnaire(res, key, name, source)
        elif rtype == "ValueSet":
            self.value_set(res, key, name, source)
        else:
            self.code_system(res, key, name, source, url)

    def value_set(self, vs: JsonObject, vl_id: str, name: str, source: str | None) -> None:
        values: list[tuple[JsonObject, Value]] = []
        compose, expansion = self.child(vs, "compose"), self.child(vs, "expansion")
        if compose is not None:
            for inc in self.objects(compose, "include", f"value set {vl_id}"):
                values += self.include(inc, vl_id, source)
            if compose.get("exclude"):
                self.note("unsupported", compose, f"value set {quoted(vl_id)} excludes codes; the "
                                                  "excludes are not applied", vl_id)
        elif expansion is not None:
            values = self.contains(expansion, source)
        else:
            self.note("unsupported", vs, f"value set {quoted(vl_id)} has neither compose nor "
                                         "expansion; it lists no codes", vl_id)
        self.add_value_list(vs, ValueList(id=ValueListId(vl_id), name=name,
                                          values=self.unique(vl_id, values), loc=self.loc(vs)))

    def include(self, inc: JsonObject, vl_id: str, source: str | None
                ) -> list[tuple[JsonObject, Value]]:
        system, version = self.text(inc, "system"), self.text(inc, "version")
        concepts = self.objects(inc, "concept", f"value set {vl_id}")
        out = []
        for c in concepts:
            code = self.text(c, "code")
            if not code:
                self.note("unusable_row", c, f"value set {quoted(vl_id)}: a concept has no code; "
                                             "not read", vl_id)
                continue
            display = self.label(c, "display", source) or code
            out.append((c, Value(code=code, display=display, loc=self.loc(c),
                                 bindings=self.bindings(system, version, code))))
        how = []
        if inc.get("filter"):
            how.append("by filter")
        if inc.get("valueSet"):
            sets = inc["valueSet"] if isinstance(inc["valueSet"], list) else [inc["valueSet"]]
            how.append(f"from value set(s) {', '.join(map(str, sets))}")
        if not concepts and not how and system:
            how.append("as a whole system")
        if how:
            self.note("unsupported", inc, f"value set {quoted(vl_id)} includes codes of "
                                          f"{quoted(system or 'another value set')} "
                                          f"{' and '.join(how)}"
                                          "; those codes are not listed", vl_id)
        return out

    def contains(self, parent: JsonObject, source: str | None) -> list[tuple[JsonObject, Value]]:
        out = []
        for c in self.objects(parent, "contains"):
            code = self.text(c, "code")
            if code:
                display = self.label(c, "display", source) or code
                out.append((c, Value(code=code, display=display, loc=self.loc(c), bindings=(
                    self.bindings(self.text(c, "system"), self.text(c, "version"), code)))))
            out += self.contains(c, source)
        return out

    def code_system(self, cs: JsonObject, vl_id: str, name: str, source: str | None,
                    url: str | None) -> None:
        system = term_system(url or vl_id)
        values: list[tuple[JsonObject, Value]] = []
        for c in self.concepts(cs):
            code = self.text(c, "code")
            if not code:
                self.note("unusable_row", c, f"code system {quoted(vl_id)}: a concept has no "
                                             "code; not read", vl_id)
                continue
            display = self.label(c, "display", source)
            values.append((c, Value(code=code, loc=self.loc(c),
                                    display=self.written(c, code) if display in (None, code)
                                    else display,
                                    bindings=(Binding(system=system, code=code),))))
        kept = self.unique(vl_id, values)
        first = {v.code: c for c, v in reversed(values)}
        for value in kept:
            c = first[value.code]
            if self.add("term", f"{system}:{value.code}", c):
                self.frag.terms.append(Term(
                    system=system, code=value.code, status=self.concept_status(c),
                    displays=self.displays(c, self.written(c, value.code), source),
                    loc=self.loc(c)))
        if not values and cs.get("content") not in (None, "complete"):
            self.note("unsupported", cs, f"code system {quoted(vl_id)} has content "
                                         f"{excerpt(cs.get('content'))}; its codes are not "
                                         "listed", vl_id)
        self.add_value_list(cs, ValueList(id=ValueListId(vl_id), name=name, values=kept,
                                          loc=self.loc(cs)))

    def written(self, c: JsonObject, code: str) -> str:
        """Return a concept's display as written; its definition if the display is the code."""
        display = self.text(c, "display")
        if display and display != code:
            return display
        return normalise_text(self.text(c, "definition")) or display or code

    def concepts(self, parent: JsonObject) -> list[JsonObject]:
        out = []
        for c in self.objects(parent, "concept"):
            out.append(c)
            out += self.concepts(c)
        return out

    def displays(self, c: JsonObject, display: str, source: str | None) -> dict[str, str]:
        out = {_primary(self.text(d, "language")): str(d["value"])
               for d in self.objects(c, "designation")
               if self.text(d, "language") and isinstance(d.get("value"), str)}
        out.setdefault(_primary(source) or self.want, display)
        return out

    def concept_status(self, c: JsonObject) -> Status:
        for prop in self.objects(c, "property"):
            code = prop.get("code")
            if code == "status" and prop.get("valueCode") in ("retired", "deprecated"):
                return Status.RETIRED
            if code == "inactive" and prop.get("valueBoolean") is True:
                return Status.INACTIVE
        return Status.ACTIVE

    # -- questionnaires -----------------------------------------------------------------------
    def questionnaire(self, q: JsonObject, qid: str, name: str, source: str | None) -> None:
        for res in self.objects(q, "contained", f"Questionnaire {qid}"):
            self.resource(res, source, qid)
        raw_status = self.text(q, "status") or "active"
        if raw_status not in STATUSES:
            self.note("unsupported", q, f"Questionnaire {quoted(qid)} has status "
                                        f"{excerpt(raw_status)}, which FHIR does not define; "
                                        "read as active", qid)
        items = self.items(q, qid, source, f"Questionnaire {qid}")
        if self.add("template", qid, q):
            self.frag.templates.append(Template(
                id=TemplateId(qid), name=name, version=self.text(q, "version"),
                status=STATUSES.get(raw_status, Status.ACTIVE), items=items, loc=self.loc(q)))

    def items(self, parent: JsonObject, qid: str, source: str | None, where: str
              ) -> tuple[Item, ...]:
        out = []
        for it in self.objects(parent, "item", where):
            item = self.item(it, qid, source, where)
            if item is not None:
                out.append(item)
        return tuple(out)

    def item(self, it: JsonObject, qid: str, source: str | None, where: str) -> Item | None:
        link = self.text(it, "linkId", where)
        if not link:
            self.note("unusable_row", it, f"{where}: an item has no linkId; it and its "
                                          "sub-items are not read")
            return None
        kid = f"{qid}/{link}"
        where = f"Questionnaire {qid} / item {link}"
        if not self.add("keyword", kid, it):
            return None
        ftype = self.text(it, "type", where) or ""
        ktype = ITEM_TYPES.get(ftype, KeywordType.OTHER)
        if ftype not in ITEM_TYPES:
            self.note("unsupported", it, f"item {quoted(link)} has type {excerpt(ftype)}, "
                                         "which FHIR R4 does not define; read as Other", kid)
        name = (self.label(it, "text", source) or "").strip() or self.markdown(it) or link
        value_list = self.answers(it, kid, name, qid, source)
        if ktype is KeywordType.FIX_VALUE and value_list is None:
            self.note("unsupported", it, f"{ftype} item {quoted(link)} has no answerValueSet or "
                                         "answerOption; read as Other", kid)
            ktype = KeywordType.OTHER
        self.frag.keywords.append(Keyword(
            id=KeywordId(kid), name=name, type=ktype, unit=self.unit(it),
            value_list=value_list, loc=self.loc(it), bindings=tuple(
                b for c in self.objects(it, "code", where) if (code := self.text(c, "code"))
                for b in self.bindings(self.text(c, "system"), self.text(c, "version"), code))))
        return Item(keyword=KeywordId(kid), mandatory=self.flag(it, "required", where),
                    repeatable=self.flag(it, "repeats", where), loc=self.loc(it),
                    children=self.items(it, qid, source, where))

    def markdown(self, it: JsonObject) -> str | None:
        meta = self.child(it, "_text")
        for ext in self.objects(meta, "extension") if meta else []:
            if ext.get("url") == _MARKDOWN_EXT and isinstance(ext.get("valueMarkdown"), str):
                return str(ext["valueMarkdown"]).strip() or None
        return None

    def unit(self, it: JsonObject) -> str | None:
        for ext in self.objects(it, "extension"):
            coding = self.child(ext, "valueCoding")
            if ext.get("url") == _UNIT_EXT and coding is not None:
                return normalise_text(self.text(coding, "code") or self.text(coding, "display"))\
                    or None
        return None

    def answers(self, it: JsonObject, kid: str, name: str, qid: str, source: str | None
                ) -> ValueListId | None:
        ref = self.text(it, "answerValueSet")
        options = [(o, self.option(o, kid, source)) for o in self.objects(it, "answerOption")]
        options += [(e, self.reference(e, self.child(e, "valueReference"), kid))
                    for e in self.objects(it, "extension") if e.get("url") == _OPTION_REF_EXT]
        if ref:
            if options:
                self.note("unsupported", it, f"item {quoted(kid)} has both answerValueSet and "
                                             "answerOption; the answerOption list is not read", kid)
            return ValueListId(f"{qid}/{ref[1:]}" if ref.startswith("#") else ref)
        if not options:
            return None
        values = [(o, v) for o, v in options if v is not None]
        self.add_value_list(it, ValueList(id=ValueListId(kid), name=name, loc=self.loc(it),
                                          values=self.unique(kid, values)))
        return ValueListId(kid)

    def option(self, o: JsonObject, kid: str, source: str | None) -> Value | None:
        coding = self.child(o, "valueCoding")
        if coding is not None and (code := self.text(coding, "code")):
            return Value(code=code, display=self.label(coding, "display", source) or code,
                         loc=self.loc(o), bindings=self.bindings(
                             self.text(coding, "system"), self.text(coding, "version"), code))
        if "valueReference" in o:
            return self.reference(o, self.child(o, "valueReference"), kid)
        for key in ("valueString", "valueInteger", "valueDate", "valueTime"):
            raw = o.get(key)
            if isinstance(raw, str | int) and not isinstance(raw, bool) and str(raw).strip():
                text = self.label(o, key, source) if key == "valueString" else None
                return Value(code=str(raw), display=text or str(raw), loc=self.loc(o))
        self.note("unusable_row", o, f"item {quoted(kid)}: an answer option has no code, string, "
                                     "integer, date, time or reference; not read", kid)
        return None

    def reference(self, o: JsonObject, ref: JsonObject | None, kid: str) -> Value | None:
        target = self.text(ref, "reference") if ref is not None else None
        if ref is None or not target:
            self.note("unusable_row", o, f"item {quoted(kid)}: an answer option refers to "
                                         "nothing; not read", kid)
            return None
        return Value(code=target, display=self.text(ref, "display") or target, loc=self.loc(o))

    # -- end of file --------------------------------------------------------------------------
    def finish(self) -> None:
        """Add the file's one language note and its title."""
        if len(self.titles) == 1:
            self.frag.title = self.titles[0]
        if not self.fallback:
            return
        sources = ", ".join(repr(s) for s in sorted(self.fallback))
        total = sum(self.fallback.values())
        message = (f"no {self.lang!r} labels; using {sources}" if not self.translated else
                   f"{total} labels have no {self.lang!r} translation; using {sources} for those")
        self.frag.notes.append(InputNote(kind="missing_translation", path=self.display,
                                         line=self.fallback_line, message=message))
