"""Term bindings as people read them: ``SNOMED CT (Norwegian edition) 4231000202108``.

A binding is kept as ``system:code`` (``model.Binding``); the readers of the standard formats
write a code system they do not know as ``local:<name, url or urn:oid:…>``, and a FHIR code
system with a ``version`` as ``local:<url>|<version>``. The people's reports show findings
from standard formats with the system's name instead: known systems by name (SNOMED CT with
its edition and version date read from the module URI ``http://snomed.info/sct/<module>
[/version/<YYYYMMDD>]``), anything else as the system as written, then the code.
"""

from __future__ import annotations

import re
from dataclasses import replace

from cosmicdiff.parsers.registry import FORMATS
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Entity, Kind

#: cosmicdiff's own term systems, code-system urls and OIDs -> names people know
SYSTEM_NAMES: dict[str, str] = {
    "snomed-ct": "SNOMED CT",
    "http://snomed.info/sct": "SNOMED CT",
    "urn:oid:2.16.840.1.113883.6.96": "SNOMED CT",
    "icd-10-se": "ICD-10-SE",
    "urn:oid:1.2.752.116.1.1.1.1.3": "ICD-10-SE",
    "http://hl7.org/fhir/sid/icd-10": "ICD-10",
    "urn:oid:2.16.840.1.113883.6.3": "ICD-10",
    "kva": "KVÅ",
    "urn:oid:1.2.752.116.1.3.2.1.4": "KVÅ",
    "atc": "ATC",
    "http://www.whocc.no/atc": "ATC",
    "urn:oid:2.16.840.1.113883.6.73": "ATC",
    "npl": "NPL",
    "loinc": "LOINC",
    "http://loinc.org": "LOINC",
    "urn:oid:2.16.840.1.113883.6.1": "LOINC",
    "ucum": "UCUM",
    "http://unitsofmeasure.org": "UCUM",
    "urn:oid:1.2.752.129.2.2.2.11": "KV Anteckningstyp",
    "openehr": "openEHR",
    "local": "openEHR local",
    "urn:iso:std:iso:3166": "ISO 3166",
}

_SNOMED_URI = re.compile(
    r"^https?://snomed\.info/sct/(?P<module>\d+)(?:/version/(?P<date>\d{8}))?/?$"
)


def _edition(version: str, t: Messages) -> str | None:
    """Return a SNOMED CT edition and date from a module URI (None if it is not one)."""
    match = _SNOMED_URI.match(version.strip())
    if match is None:
        return None
    module, date = match["module"], match["date"]
    key = f"snomed_edition.{module}"
    try:
        edition = t(key)
    except KeyError:
        edition = t("snomed_module", module=module)
    if date:
        edition += f" {date[:4]}-{date[4:6]}-{date[6:]}"
    return edition


def readable_system(system: str, t: Messages) -> str:
    """Return the name of a term system, with its edition or version when it names one."""
    name = system.removeprefix("local:") if system.startswith("local:") else system
    url, bar, version = name.partition("|")
    shown = SYSTEM_NAMES.get(url.rstrip("/").lower(), url) if url else name
    if not bar or not version:
        return shown
    if shown == "SNOMED CT":
        edition = _edition(version, t)
        if edition is not None:
            return f"{shown} ({edition})"
    return f"{shown} ({t('version')} {version})"


#: an openEHR code as the readers write it: ``[terminology:]<terminology id>::<code>``, or a
#: reference set / terminology alone (``terminology:ICD10``, the coding of an open element)
_OPENEHR_CODE = re.compile(r"^(?:terminology:)?(?P<id>[^:\s]+)(?:::(?P<code>\S+))?$")


def readable_binding(key: str, t: Messages) -> str:
    """Return ``system:code`` as ``<system name> <code>`` (a text without a colon as it is).

    openEHR codes (``terminology:ICD-10::G44.311``, ``terminology:ICD10``) read as
    ``ICD-10 G44.311`` and ``ICD10``.
    """
    if "::" in key or key.startswith("terminology:"):
        match = _OPENEHR_CODE.match(key)
        if match is not None:
            name = SYSTEM_NAMES.get(match["id"].lower(), match["id"])
            return f"{name} {match['code']}" if match["code"] else name
    system, colon, code = key.rpartition(":")
    if not colon or not system or not code:
        return key
    return f"{readable_system(system, t)} {code}"


def readable_bindings(text: str | None, t: Messages) -> str | None:
    """Return a ``binding_changed`` value (bindings joined by ``, ``) with readable bindings."""
    if not text:
        return text
    return ", ".join(readable_binding(b, t) for b in text.split(", "))


def standard_sources(result: Result) -> frozenset[str]:
    """Return the regions whose findings come from a standard format (theirs or the baseline's)."""

    def foreign(formats: tuple[str, ...]) -> bool:
        return any(f in FORMATS and FORMATS[f].foreign for f in formats)

    base = foreign(result.baseline_formats)
    return frozenset(r.id for r in result.regions if base or foreign(r.formats))


def _readable(d: Finding, t: Messages) -> Finding:
    """Return ``d`` with its bindings readable (the finding's id and rule unchanged)."""
    dev = d.deviation
    if d.kind is Kind.BINDING_CHANGED:
        dev = dev._replace(
            expected=readable_bindings(dev.expected, t), actual=readable_bindings(dev.actual, t)
        )
    if d.entity is Entity.TERM:
        dev = dev._replace(
            baseline_id=dev.baseline_id and readable_binding(dev.baseline_id, t),
            local_id=dev.local_id and readable_binding(dev.local_id, t),
            path=dev.path and readable_binding(dev.path, t),
        )
    return d if dev is d.deviation else d._replace(deviation=dev)


def readable_result(result: Result, lang: str) -> Result:
    """Return ``result`` for people's reports: bindings of standard-format findings readable.

    COSMIC exports keep their ``system:code`` keys as they are (``icd-10-se:I63``).
    """
    regions = standard_sources(result)
    if not regions:
        return result
    t = Messages(lang)
    shown = tuple(_readable(d, t) if d.region in regions else d for d in result.deviations)
    return replace(result, deviations=shown)
