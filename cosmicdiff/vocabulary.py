"""The contract's closed vocabularies (report-json.md): what differs, in what, how much, how it
was matched, the exit status, and the formats cosmicdiff writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from pathlib import PurePath
from types import MappingProxyType


class Kind(StrEnum):
    """What differs (the ``kind`` field of the contract)."""

    MISSING = "missing"
    EXTRA = "extra"
    RENAMED = "renamed"
    TYPE_CHANGED = "type_changed"
    UNIT_CHANGED = "unit_changed"
    BINDING_CHANGED = "binding_changed"
    VALUELIST_CHANGED = "valuelist_changed"
    ORDER_CHANGED = "order_changed"
    MOVED = "moved"
    MANDATORY_CHANGED = "mandatory_changed"
    STATUS_CHANGED = "status_changed"
    VISIBILITY_CHANGED = "visibility_changed"
    ATTRIBUTE_CHANGED = "attribute_changed"
    UNRESOLVED_REFERENCE = "unresolved_reference"


class Entity(StrEnum):
    """What kind of configuration item deviates."""

    TEMPLATE = "template"
    KEYWORD = "keyword"
    VALUELIST = "valuelist"
    VALUE = "value"
    TERM = "term"


class Severity(StrEnum):
    """How much a deviation matters; ``rank`` orders them for ``--fail-on``."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        """Return 1 for info, 2 for warning, 3 for error."""
        return _RANK[self]


_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class ExitCode(IntEnum):
    """Exit status of every command (report-json.md)."""

    OK = 0
    DEVIATIONS = 1
    INPUT = 2
    INTERNAL = 3


class MatchMethod(StrEnum):
    """How a region item was paired with a baseline item."""

    MAPPING = "mapping"
    ID = "id"
    BINDING = "binding"
    NAME = "name"
    CODE = "code"


class TrendState(StrEnum):
    """What a finding is against a reference result (compare --reference)."""

    NEW = "new"
    UNCHANGED = "unchanged"
    #: the same finding (same id) with another value or severity
    UPDATED = "updated"


class WaiverStatus(StrEnum):
    """Why a waiver is reported: it did not do its job, or cannot be trusted to."""

    EXPIRED = "expired"
    STALE = "stale"
    MISMATCH = "mismatch"
    UNPINNED = "unpinned"


class Audience(StrEnum):
    """Who reads an output format: filters (--min-severity, --region) and --lang apply to people."""

    PEOPLE = "people"
    MACHINE = "machine"


class OutputFormat(StrEnum):
    """Every format cosmicdiff writes; what each one is lies beside it in ``FORMAT_TRAITS``."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    SARIF = "sarif"
    GITLAB = "gitlab"
    HTML = "html"
    MARKDOWN = "markdown"
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def traits(self) -> FormatTraits:
        """Return the format's suffixes, audience and the commands that write it."""
        return FORMAT_TRAITS[self]


@dataclass(frozen=True, kw_only=True, slots=True)
class FormatTraits:
    """What an output format is: how a file name asks for it, who reads it, who writes it."""

    audience: Audience
    #: file suffixes (lower case) that choose the format
    suffixes: tuple[str, ...] = ()
    #: endings of the whole file name that choose it before any suffix (``x.sarif.json``)
    endings: tuple[str, ...] = ()
    #: written as bytes, not text
    binary: bool = False
    #: ``compare`` and ``report`` write it
    report: bool = True
    #: ``matrix`` writes it
    matrix: bool = False


_PEOPLE, _MACHINE = Audience.PEOPLE, Audience.MACHINE
FORMAT_TRAITS: Mapping[OutputFormat, FormatTraits] = MappingProxyType(
    {
        OutputFormat.TEXT: FormatTraits(audience=_PEOPLE, suffixes=(".txt",), matrix=True),
        OutputFormat.JSON: FormatTraits(audience=_MACHINE, suffixes=(".json",), matrix=True),
        OutputFormat.JUNIT: FormatTraits(audience=_MACHINE, suffixes=(".xml",)),
        OutputFormat.SARIF: FormatTraits(
            audience=_MACHINE, suffixes=(".sarif",), endings=(".sarif", ".sarif.json")
        ),
        OutputFormat.GITLAB: FormatTraits(
            audience=_MACHINE, endings=("gl-code-quality-report.json",)
        ),
        OutputFormat.HTML: FormatTraits(audience=_PEOPLE, suffixes=(".html", ".htm"), matrix=True),
        OutputFormat.MARKDOWN: FormatTraits(audience=_PEOPLE, suffixes=(".md",)),
        OutputFormat.PDF: FormatTraits(audience=_PEOPLE, suffixes=(".pdf",), binary=True),
        OutputFormat.CSV: FormatTraits(
            audience=_MACHINE, suffixes=(".csv",), report=False, matrix=True
        ),
        OutputFormat.XLSX: FormatTraits(
            audience=_PEOPLE, suffixes=(".xlsx",), binary=True, report=False, matrix=True
        ),
    }
)
#: The formats ``compare`` and ``report`` write (``--format``, the settings file's ``format``).
REPORT_FORMATS: tuple[OutputFormat, ...] = tuple(f for f in OutputFormat if f.traits.report)
#: The formats ``matrix`` writes.
MATRIX_FORMATS: tuple[OutputFormat, ...] = tuple(f for f in OutputFormat if f.traits.matrix)


def format_for_file(name: str, among: Iterable[OutputFormat]) -> OutputFormat | None:
    """Return the format of ``among`` a file name asks for, or None.

    A whole-name ending (``result.sarif.json``, ``gl-code-quality-report.json``) is looked at
    first, then the suffix; case does not matter.
    """
    formats = tuple(among)
    lower = name.lower()
    for fmt in formats:
        if lower.endswith(fmt.traits.endings):
            return fmt
    suffix = PurePath(lower).suffix
    return next((f for f in formats if suffix in f.traits.suffixes), None)


#: Term systems with a fixed name; ``local:<name>`` is accepted too.
TERM_SYSTEMS = frozenset({"snomed-ct", "icd-10-se", "kva", "atc", "npl", "loinc", "ucum"})

#: Canonical code-system urls (FHIR, some openEHR exports) -> term systems.
SYSTEM_URLS: dict[str, str] = {
    "http://snomed.info/sct": "snomed-ct",
    "http://loinc.org": "loinc",
    "http://unitsofmeasure.org": "ucum",
    "http://www.whocc.no/atc": "atc",
}

#: KV Anteckningstyp codes (note types) a template may carry.
NOTE_TYPES = frozenset({"bes", "ins", "utr", "atb", "sam", "sao", "slu", "auf", "sva"})


def is_known_term_system(system: str) -> bool:
    """Return True for a national system name or a ``local:<name>`` system."""
    if system in TERM_SYSTEMS:
        return True
    return system.startswith("local:") and len(system) > len("local:") and " " not in system
