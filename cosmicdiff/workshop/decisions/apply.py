"""Plan what applying a checked decisions file writes: the merged waivers and the proposal.

Nothing is written here: the plan holds the old and new text of the waiver file and the
proposal's text, for the CLI to show as a diff or to write.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from cosmicdiff.errors import UsageError
from cosmicdiff.model import Baseline
from cosmicdiff.workshop.decisions.files import read_bytes
from cosmicdiff.workshop.decisions.model import Decision, DecisionsFile
from cosmicdiff.workshop.decisions.proposal import build_proposal, render_proposal
from cosmicdiff.workshop.decisions.waivers import (
    check_waiver_text,
    merge_waivers,
    waiver_entries,
)


@dataclass(frozen=True, kw_only=True, slots=True)
class ApplyPlan:
    """What applying a decisions file would write, computed without writing anything."""

    decisions: DecisionsFile
    waivers_old: str | None = None
    waivers_new: str | None = None
    added: int = 0
    replaced: int = 0
    proposal_new: str | None = None
    conflicts: int = 0

    def counts(self) -> dict[str, int]:
        """Return how many rows have each decision (and how many are undecided)."""
        out = {d.value: 0 for d in Decision} | {"undecided": 0}
        for row in self.decisions.rows:
            out[row.decision.value if row.decision else "undecided"] += 1
        return out


def plan_apply(
    doc: DecisionsFile, waivers: Path | None, waivers_display: str, baseline: Baseline | None = None
) -> ApplyPlan:
    """Compute the merged waiver file and the proposal for a checked decisions file."""
    entries = waiver_entries(doc)
    old = new = None
    added = replaced = 0
    if entries:
        old = _existing_text(waivers, waivers_display)
        new, added, replaced = merge_waivers(old, waivers, waivers_display, entries, doc.lang)
        check_waiver_text(new, waivers_display)
    proposal = None
    conflicts = 0
    if any(r.decision in (Decision.ADOPT, Decision.ALIGN) for r in doc.rows):
        data = build_proposal(doc, baseline)
        conflicts = len(data["conflicts"])
        proposal = render_proposal(data, doc.lang)
    return ApplyPlan(
        decisions=doc,
        waivers_old=old,
        waivers_new=new,
        added=added,
        replaced=replaced,
        proposal_new=proposal,
        conflicts=conflicts,
    )


def _existing_text(path: Path | None, display: str) -> str | None:
    """Return the waiver file's text, None when there is no such file yet."""
    if path is None or not path.exists():
        return None
    if not path.is_file():
        raise UsageError(f"{display}: not a file")
    return read_bytes(path, display).decode("utf-8-sig", errors="replace")


def unified_diff(old: str | None, new: str, name: str) -> str:
    """Return a unified diff from ``old`` (None: no file yet) to ``new``."""
    return "".join(
        difflib.unified_diff(
            (old or "").splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile="/dev/null" if old is None else f"a/{name}",
            tofile=f"b/{name}",
        )
    )
