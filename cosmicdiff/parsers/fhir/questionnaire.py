"""Read a FHIR Questionnaire into one ``Template`` with its items, keywords and answer lists.

id = ``id`` (else ``url``), name = ``title`` (else ``name``), ``version``; status
``active``/``draft``/``unknown`` -> active (a draft form is the form as configured; COSMIC
has no draft state), ``retired`` -> retired. Every ``item`` (groups too) becomes an
``Item`` and a ``Keyword`` with id ``<questionnaire id>/<linkId>``: two forms
number their linkIds independently. Keyword name = ``text`` (else the ``_text``
rendering-markdown text, else the linkId), ``required`` -> mandatory, ``repeats`` ->
repeatable, ``code[]`` -> bindings, the ``questionnaire-unit`` extension -> unit. Item types,
see ``ITEM_TYPES``; a type R4 does not define reads as Other, with a note. An item without
linkId, or with a linkId already read in the form, is noted and not read (nor its sub-items).

Static text is not an item: a ``display`` item, or an item without sub-items that the
``questionnaire-itemControl`` extension shows as ``help``, ``sidebar``, ``highlight``,
``legal``, ``flyover`` or ``inline`` (helsenorge writes help texts as such ``text`` items).
Its text (else its rendering-markdown) joins the ``description`` of the keyword it stands
in, or of the template at the top level; the diff compares descriptions as text.

Answer lists: ``answerValueSet`` ``#id`` -> the contained ValueSet (read before the form,
as ``<questionnaire id>/<contained id>``); a canonical url is kept as the reference (a
stand-in value list when the file does not define it, see ``JsonReader.finish``).
``answerOption`` (and helsenorge's ``sdf-optionReference`` extension) -> a ValueList of its
own with the keyword's id and the item's text as name. A choice item with no answer list
at all is read as Other (with a note): a FixValue keyword without a list would be unusable.
"""

from __future__ import annotations

from cosmicdiff.errors import excerpt, quoted
from cosmicdiff.io.safe_json import JsonObject
from cosmicdiff.model import (
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    Status,
    Template,
    TemplateId,
    Value,
    ValueList,
    ValueListId,
    normalise_text,
)
from cosmicdiff.parsers.fhir.json_reader import EXT, JsonReader

#: Questionnaire item types -> keyword types.
ITEM_TYPES: dict[str, KeywordType] = {
    "group": KeywordType.OTHER,
    "display": KeywordType.OTHER,
    "string": KeywordType.TEXT,
    "text": KeywordType.TEXT,
    "integer": KeywordType.NUMERIC,
    "decimal": KeywordType.NUMERIC,
    "quantity": KeywordType.NUMERIC,
    "choice": KeywordType.FIX_VALUE,
    "open-choice": KeywordType.FIX_VALUE,
    "coding": KeywordType.FIX_VALUE,
    "date": KeywordType.DATE_TIME,
    "dateTime": KeywordType.DATE_TIME,
    "time": KeywordType.DATE_TIME,
    "boolean": KeywordType.BOOLEAN,
    "attachment": KeywordType.OTHER,
    "reference": KeywordType.OTHER,
    "url": KeywordType.OTHER,
}

STATUSES = {
    "active": Status.ACTIVE,
    "draft": Status.ACTIVE,
    "unknown": Status.ACTIVE,
    "retired": Status.RETIRED,
}
_UNIT_EXT = EXT + "questionnaire-unit"
_MARKDOWN_EXT = EXT + "rendering-markdown"
_OPTION_REF_EXT = "http://ehelse.no/fhir/StructureDefinition/sdf-optionReference"
_CONTROL_EXT = EXT + "questionnaire-itemControl"
#: item controls that show an item as static text (FHIR's and the SDC's display controls)
STATIC_CONTROLS = frozenset({"help", "sidebar", "highlight", "legal", "flyover", "inline"})


def read_questionnaire(
    r: JsonReader, q: JsonObject, qid: str, name: str, source: str | None
) -> None:
    """Read a Questionnaire (its contained resources already read) as the template ``qid``."""
    raw_status = r.text(q, "status") or "active"
    if raw_status not in STATUSES:
        r.note(
            "unsupported",
            q,
            f"Questionnaire {quoted(qid)} has status "
            f"{excerpt(raw_status)}, which FHIR does not define; "
            "read as active",
            qid,
        )
    items, texts = _items(r, q, qid, source, f"Questionnaire {qid}")
    if r.add("template", qid, q):
        r.frag.templates.append(
            Template(
                id=TemplateId(qid),
                name=name,
                version=r.text(q, "version"),
                status=STATUSES.get(raw_status, Status.ACTIVE),
                items=items,
                loc=r.loc(q),
                description=_joined(texts),
            )
        )


def _items(
    r: JsonReader, parent: JsonObject, qid: str, source: str | None, where: str
) -> tuple[tuple[Item, ...], list[str]]:
    """Return the items under ``parent`` and the static texts among them, in order."""
    out = []
    texts: list[str] = []
    for it in r.objects(parent, "item", where):
        if _is_static(r, it):
            link = r.text(it, "linkId", where)
            if link and r.add("keyword", f"{qid}/{link}", it):
                text = (r.label(it, "text", source) or "").strip() or _markdown(r, it)
                texts += [text] if text else []
            continue
        item = _item(r, it, qid, source, where)
        if item is not None:
            out.append(item)
    return tuple(out), texts


def _is_static(r: JsonReader, it: JsonObject) -> bool:
    """Return True for static text: a display item, or an item shown as help, sidebar or
    the like (helsenorge writes those as text items), without sub-items."""
    if it.get("item"):
        return False
    if it.get("type") == "display":
        return True
    for ext in r.objects(it, "extension"):
        concept = r.child(ext, "valueCodeableConcept")
        if ext.get("url") == _CONTROL_EXT and concept is not None:
            codes = {c.get("code") for c in r.objects(concept, "coding")}
            if codes & STATIC_CONTROLS:
                return True
    return False


def _joined(texts: list[str]) -> str | None:
    return "\n\n".join(normalise_text(t) for t in texts) or None


def _item(r: JsonReader, it: JsonObject, qid: str, source: str | None, where: str) -> Item | None:
    link = r.text(it, "linkId", where)
    if not link:
        r.note(
            "unusable_row", it, f"{where}: an item has no linkId; it and its sub-items are not read"
        )
        return None
    kid = f"{qid}/{link}"
    where = f"Questionnaire {qid} / item {link}"
    if not r.add("keyword", kid, it):
        return None
    ftype = r.text(it, "type", where) or ""
    ktype = ITEM_TYPES.get(ftype, KeywordType.OTHER)
    if ftype not in ITEM_TYPES:
        r.note(
            "unsupported",
            it,
            f"item {quoted(link)} has type {excerpt(ftype)}, "
            "which FHIR R4 does not define; read as Other",
            kid,
        )
    name = (r.label(it, "text", source) or "").strip() or _markdown(r, it) or link
    value_list = _answers(r, it, kid, name, qid, source)
    if ktype is KeywordType.FIX_VALUE and value_list is None:
        r.note(
            "unsupported",
            it,
            f"{ftype} item {quoted(link)} has no answerValueSet or answerOption; read as Other",
            kid,
        )
        ktype = KeywordType.OTHER
    at = len(r.frag.keywords)  # the keyword comes before its sub-items' keywords
    r.frag.keywords.append(
        Keyword(
            id=KeywordId(kid),
            name=name,
            type=ktype,
            unit=_unit(r, it),
            value_list=value_list,
            loc=r.loc(it),
            bindings=tuple(
                b
                for c in r.objects(it, "code", where)
                if (code := r.text(c, "code"))
                for b in r.bindings(r.text(c, "system"), r.text(c, "version"), code)
            ),
        )
    )
    children, texts = _items(r, it, qid, source, where)
    if texts:
        r.frag.keywords[at] = r.frag.keywords[at]._replace(description=_joined(texts))
    return Item(
        keyword=KeywordId(kid),
        mandatory=r.flag(it, "required", where),
        repeatable=r.flag(it, "repeats", where),
        loc=r.loc(it),
        children=children,
    )


def _markdown(r: JsonReader, it: JsonObject) -> str | None:
    meta = r.child(it, "_text")
    for ext in r.objects(meta, "extension") if meta else []:
        if ext.get("url") == _MARKDOWN_EXT and isinstance(ext.get("valueMarkdown"), str):
            return str(ext["valueMarkdown"]).strip() or None
    return None


def _unit(r: JsonReader, it: JsonObject) -> str | None:
    for ext in r.objects(it, "extension"):
        coding = r.child(ext, "valueCoding")
        if ext.get("url") == _UNIT_EXT and coding is not None:
            return normalise_text(r.text(coding, "code") or r.text(coding, "display")) or None
    return None


def _answers(
    r: JsonReader, it: JsonObject, kid: str, name: str, qid: str, source: str | None
) -> ValueListId | None:
    ref = r.text(it, "answerValueSet")
    options = [(o, _option(r, o, kid, source)) for o in r.objects(it, "answerOption")]
    options += [
        (e, _reference(r, e, r.child(e, "valueReference"), kid))
        for e in r.objects(it, "extension")
        if e.get("url") == _OPTION_REF_EXT
    ]
    if ref:
        if options:
            r.note(
                "unsupported",
                it,
                f"item {quoted(kid)} has both answerValueSet and "
                "answerOption; the answerOption list is not read",
                kid,
            )
        if ref.startswith("#"):
            return ValueListId(f"{qid}/{ref[1:]}")
        r.external.setdefault(ref, it)
        return ValueListId(ref)
    if not options:
        return None
    values = [(o, v) for o, v in options if v is not None]
    r.add_value_list(
        it, ValueList(id=ValueListId(kid), name=name, loc=r.loc(it), values=r.unique(kid, values))
    )
    return ValueListId(kid)


def _option(r: JsonReader, o: JsonObject, kid: str, source: str | None) -> Value | None:
    coding = r.child(o, "valueCoding")
    if coding is not None and (code := r.text(coding, "code")):
        return Value(
            code=code,
            display=r.label(coding, "display", source) or code,
            loc=r.loc(o),
            bindings=r.bindings(r.text(coding, "system"), r.text(coding, "version"), code),
        )
    if "valueReference" in o:
        return _reference(r, o, r.child(o, "valueReference"), kid)
    for key in ("valueString", "valueInteger", "valueDate", "valueTime"):
        raw = o.get(key)
        if isinstance(raw, str | int) and not isinstance(raw, bool) and str(raw).strip():
            text = r.label(o, key, source) if key == "valueString" else None
            return Value(code=str(raw), display=text or str(raw), loc=r.loc(o))
    r.note(
        "unusable_row",
        o,
        f"item {quoted(kid)}: an answer option has no code, string, "
        "integer, date, time or reference; not read",
        kid,
    )
    return None


def _reference(r: JsonReader, o: JsonObject, ref: JsonObject | None, kid: str) -> Value | None:
    target = r.text(ref, "reference") if ref is not None else None
    if ref is None or not target:
        r.note(
            "unusable_row",
            o,
            f"item {quoted(kid)}: an answer option refers to nothing; not read",
            kid,
        )
        return None
    return Value(code=target, display=r.text(ref, "display") or target, loc=r.loc(o))
