"""What the openEHR readers (OPT and ADL) share: identities, types, units, cardinalities.

Both readers must give the same element the same identity, so that an archetype read
from ADL can be compared with the same archetype used inside an operational template.

Identity of a node: ``<archetype id>`` (plus ``[name='…']`` when the archetype root carries
a name constraint, as repeated cluster copies in a template do), followed by the node's
archetype-relative path of attribute names and node ids, e.g.::

    openEHR-EHR-OBSERVATION.blood_pressure.v2/data[at0001]/events[at0006]/data[at0003]/items[at0004]

Never the full template path: it changes when content is moved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cosmicdiff.model import SYSTEM_URLS, KeywordType, SlotRule

#: openEHR reference-model data types -> COSMIC keyword types.
DATA_TYPES: dict[str, KeywordType] = {
    "DV_TEXT": KeywordType.TEXT,
    "DV_CODED_TEXT": KeywordType.FIX_VALUE,
    "DV_ORDINAL": KeywordType.FIX_VALUE,
    "DV_SCALE": KeywordType.FIX_VALUE,
    "DV_QUANTITY": KeywordType.NUMERIC,
    "DV_COUNT": KeywordType.NUMERIC,
    "DV_PROPORTION": KeywordType.NUMERIC,
    "DV_DURATION": KeywordType.NUMERIC,
    "DV_DATE_TIME": KeywordType.DATE_TIME,
    "DV_DATE": KeywordType.DATE_TIME,
    "DV_TIME": KeywordType.DATE_TIME,
    "DV_BOOLEAN": KeywordType.BOOLEAN,
    "DV_IDENTIFIER": KeywordType.TEXT,
    "DV_URI": KeywordType.TEXT,
    "DV_EHR_URI": KeywordType.TEXT,
    "DV_MULTIMEDIA": KeywordType.OTHER,
    "DV_PARSABLE": KeywordType.TEXT,
    "DV_INTERVAL": KeywordType.OTHER,
}

#: The reference-model types that become items (and keywords); the structures in between
#: (HISTORY, EVENT, ITEM_TREE, …) are flattened away.
ITEM_TYPES = frozenset({"ELEMENT", "CLUSTER"})

#: Terminology names as openEHR files write them -> cosmicdiff term systems.
TERMINOLOGIES: dict[str, str] = {
    "snomed-ct": "snomed-ct",
    "snomed_ct": "snomed-ct",
    "snomedct": "snomed-ct",
    "sct": "snomed-ct",
    "loinc": "loinc",
    "icd10": "icd-10-se",
    "icd-10": "icd-10-se",
    "icd-10-se": "icd-10-se",
    "atc": "atc",
    "ucum": "ucum",
}


def keyword_type(rm_type: str | None) -> KeywordType:
    """Return the keyword type for an openEHR data value type (OTHER when unknown or absent)."""
    if not rm_type:
        return KeywordType.OTHER
    return DATA_TYPES.get(rm_type.upper(), KeywordType.OTHER)


def element_type(rm_type: str | None, *, listed: bool) -> KeywordType:
    """Return the keyword type of an ELEMENT whose first value alternative is ``rm_type``.

    A generic type counts as its base type (``DV_INTERVAL<DV_COUNT>`` is a DV_INTERVAL). A
    coded type whose choices are not listed (``listed`` False: a whole terminology, a
    subset, a constraint reference) is ClinicalCoding: a FixValue keyword needs a value list.
    """
    ktype = keyword_type((rm_type or "").partition("<")[0])
    if ktype is KeywordType.FIX_VALUE and not listed:
        return KeywordType.CLINICAL_CODING
    return ktype


def joined_units(units: Iterable[str]) -> str | None:
    """Return the units, each once in the order first seen, joined with ``|`` (None if none)."""
    return "|".join(dict.fromkeys(units)) or None


def term_system(terminology: str) -> str:
    """Return the cosmicdiff term system for an openEHR terminology id (``local:<id>`` if other).

    A version suffix (``SNOMED-CT(2003)``) is dropped; code-system urls some exports write
    (``http://snomed.info/sct``) are mapped like FHIR's.
    """
    key = terminology.strip().split("(", 1)[0].strip().lower()
    url = key.rstrip("/")
    if url in SYSTEM_URLS:
        return SYSTEM_URLS[url]
    if key in TERMINOLOGIES:
        return TERMINOLOGIES[key]
    cleaned = "".join(ch if ch.isalnum() or ch in "-_.:/" else "-" for ch in key) or "unknown"
    return f"local:{cleaned}"


def root_key(archetype_id: str, name: str | None = None) -> str:
    """Return the identity of an archetype root, with its name constraint if it has one."""
    if not name:
        return archetype_id
    return f"{archetype_id}[name='{name}']"


def node_key(root: str, path: str) -> str:
    """Return the identity of a node: its root key plus its archetype-relative path."""
    if not path or path == "/":
        return root
    return root + (path if path.startswith("/") else "/" + path)


def cardinality(lower: int | None, upper: int | None, unbounded: bool) -> tuple[bool, bool]:
    """Return (mandatory, repeatable) for an occurrences interval."""
    mandatory = (lower or 0) >= 1
    repeatable = unbounded or (upper is not None and upper > 1)
    return mandatory, repeatable


#: a slot assertion on the archetype id, ``archetype_id/value matches {/pattern/}``
_SLOT_ASSERTION = re.compile(r"^\s*archetype_id/value\s+matches\s+\{\s*/(.*)/\s*\}\s*$", re.S)


def slot_pattern(assertion: str) -> str:
    """Return the pattern of a slot assertion on the archetype id (else the text, collapsed)."""
    found = _SLOT_ASSERTION.match(assertion)
    return found.group(1) if found else " ".join(assertion.split())


def slot_rule(includes: Iterable[str], excludes: Iterable[str]) -> SlotRule:
    """Return the slot rule of include and exclude assertions, empty ones left out."""
    return SlotRule(
        includes=tuple(slot_pattern(a) for a in includes if a.strip()),
        excludes=tuple(slot_pattern(a) for a in excludes if a.strip()),
    )
