"""Describe a decisions file: its columns, the decisions a row can take, rows and their places.

A row holds one deviation of a result: the ``READ_ONLY`` columns copied from it identify the
deviation, the ``TO_FILL`` columns hold what the workshop decided. Every row remembers where
it and each of its fields stand in the file (a YAML line or a worksheet cell), so that a
problem names the very spot to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from cosmicdiff.errors import Problem
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind

DECISIONS_SCHEMA = "cosmicdiff/decisions/1"
#: The hidden worksheet of a decisions workbook that holds the file's own data.
META_SHEET = "cosmicdiff"


class Decision(StrEnum):
    """What a workshop decided about one deviation."""

    ADOPT = "adopt"  # the baseline takes the region's variant
    ALIGN = "align"  # the region aligns with the baseline
    ACCEPT = "accept"  # a local variant, accepted: becomes a waiver


#: Columns copied from the result: they identify the deviation and must not be edited.
READ_ONLY = (
    "id",
    "ref",
    "name",
    "region",
    "case",
    "kind",
    "rule",
    "severity",
    "entity",
    "baseline_id",
    "local_id",
    "path",
    "field",
    "expected",
    "actual",
    "message",
    "waived",
)
#: Columns the workshop fills in.
TO_FILL = ("decision", "justification", "owner", "expires", "decided_by", "decision_ref", "comment")
COLUMNS = READ_ONLY + TO_FILL
#: Columns a file may lack: the short reference the report prints (the id's first 8
#: characters) and the item's name (files made before they existed), and the rule's message
#: (a workbook keeps it in its hidden copy sheet only).
OPTIONAL = ("ref", "name", "message")
#: The hidden worksheet of a decisions workbook that keeps a copy of every read-only cell,
#: so that an edit of one is refused with the cell named.
COPY_SHEET = "cosmicdiff-rows"
#: The deviation's occurrences a row's id is tried against (a result numbers repeats from 1).
_OCCURRENCES = range(1, 100)


@dataclass(frozen=True, kw_only=True, slots=True)
class Spot:
    """Where a row or one of its fields stands: a YAML line or a worksheet cell."""

    file: str
    line: int | None = None
    cell: str | None = None

    def problem(self, message: str, context: str | None = None) -> Problem:
        """Return a Problem located here."""
        if self.cell is not None:
            return Problem(f"{self.file}: {self.cell}", None, message, context)
        return Problem(self.file, self.line, message, context)

    def place(self) -> str:
        """Return the place within the file in words: ``Beslut!A5`` or ``line 12``."""
        return self.cell or f"line {self.line}"


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    """One deviation of the result with what the workshop decided about it."""

    values: Mapping[str, str | None]
    decision: Decision | None = None
    expires: dt.date | None = None
    spots: Mapping[str, Spot] = field(default_factory=dict)

    def get(self, key: str) -> str | None:
        """Return a column's text (None when empty)."""
        return self.values.get(key)

    @property
    def id(self) -> str:
        """Return the deviation id."""
        return self.values.get("id") or ""

    def spot(self, key: str = "") -> Spot:
        """Return where ``key`` (or the row) stands in the file."""
        return self.spots.get(key) or self.spots.get("", Spot(file="?"))

    def context(self) -> str:
        """Return the logical place for messages: deviation, region and item."""
        item = self.get("baseline_id") or self.get("local_id") or "?"
        return f"deviation {self.id[:8]}, {self.get('region')} / {self.get('rule')} / {item}"

    def deviation(self) -> Deviation | None:
        """Return the deviation the identifying columns describe (None if they cannot)."""
        try:
            kind, entity = Kind(self.get("kind") or ""), Entity(self.get("entity") or "")
        except ValueError:
            return None
        dev = Deviation(
            region=self.get("region") or "",
            kind=kind,
            entity=entity,
            baseline_id=self.get("baseline_id"),
            local_id=self.get("local_id"),
            path=self.get("path"),
            field=self.get("field"),
        )
        rule = self.get("rule") or ""
        for occurrence in _OCCURRENCES:
            candidate = dev._replace(occurrence=occurrence)
            if candidate.fingerprint(rule) == self.id:
                return candidate
        return None


@dataclass(frozen=True, kw_only=True, slots=True)
class DecisionsFile:
    """A decisions file: where it came from, what it was made from, its rows."""

    display: str
    baseline_id: str
    baseline_version: str
    evaluated_on: str
    lang: str = "sv"
    filters: tuple[str, ...] = ()
    rows: tuple[Row, ...] = ()
