"""The contract's closed vocabularies (report-json.md): what differs, in what, how much, how it
was matched, and the exit status.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


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
