"""Read FHIR R4 JSON: a Questionnaire, ValueSet or CodeSystem, or a Bundle holding them.

Mapping onto the model (``format="fhir"``):

- **Questionnaire** -> one ``Template``: id = ``id`` (else ``url``), name = ``title`` (else
  ``name``), ``version``; status ``active``/``draft``/``unknown`` -> active (a draft form is
  the form as configured; COSMIC has no draft state), ``retired`` -> retired. Every ``item``
  (groups too) becomes an ``Item`` and a ``Keyword`` with id
  ``<questionnaire id>/<linkId>``: two forms number their linkIds independently, so an equal
  linkId in two forms is not the same keyword. Keyword name = ``text`` (else the
  ``_text`` rendering-markdown text, else the linkId), ``required`` -> mandatory, ``repeats``
  -> repeatable, ``code[]`` -> bindings, the ``questionnaire-unit`` extension -> unit
  (its code, else its display). Item types, see ``ITEM_TYPES``; a type R4 does not define
  reads as Other, with a note. An item without linkId, or with a linkId already read in the
  form, is noted and not read (nor its sub-items). Static text (a ``display`` item, or one
  shown as help/sidebar/highlight/legal/flyover/inline, without sub-items) is no item: its
  text is the ``description`` of the keyword (or the template) it stands in.
- Answer lists: ``answerValueSet`` ``#id`` -> the contained ValueSet, read as the
  ValueList ``<questionnaire id>/<contained id>``; a canonical url is kept as the reference.
  When the file does not define it, it gets a stand-in value list (no codes, one rule naming
  the url): the loader keeps a definition from another file of the export instead, and
  :mod:`.expand` takes one from the other side or ``--terminology``, or notes it once (it is
  not a dangling reference). ``answerOption`` (and helsenorge's ``sdf-optionReference``
  extension) -> a ValueList of its own with the keyword's id and the item's text as name (the
  element's own list: the diff compares its values, not its name). A choice item with no
  answer list at all is read as Other (with a note): a FixValue keyword without a list would
  be unusable.
- **ValueSet** -> ``ValueList``: id = ``url`` (else ``id``), name = ``title`` (else
  ``name``), values = ``compose.include[].concept[]`` in order, else ``expansion.contains``
  (flattened). Includes of a whole system, by filter or of other value sets list no codes:
  they are kept as the list's rules and expanded once every input is read (:mod:`.expand`,
  from either side's code systems or ``--terminology``); what cannot be expanded gets one
  ``not_expanded`` note per value set. An exclude of listed codes is applied.
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

The modules: ``resources`` (the file, Bundles, which reader reads a resource),
``questionnaire``, ``valueset``, ``codesystem``, ``expand`` (intensional value sets, after
loading), and ``json_reader`` (the file's state and
typed access to its JSON, code systems, label languages). The JSON loader
(:func:`cosmicdiff.io.safe_json.read_json`) keeps the line each object starts on; the term
catalogue reader uses it too.
"""

from __future__ import annotations

from cosmicdiff.parsers.fhir.json_reader import term_system
from cosmicdiff.parsers.fhir.resources import read_fhir

__all__ = ["read_fhir", "term_system"]
