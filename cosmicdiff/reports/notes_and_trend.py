"""The parts of a people's report about the inputs and the history: input notes per source, and
the trend against a reference result."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cosmicdiff.model import InputNote
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Severity

#: at most this many input notes per source, and resolved deviations, are listed (all: JSON)
NOTES_SHOWN = 50
RESOLVED_SHOWN = 50


@dataclass(slots=True)
class NoteSource:
    """The input notes of one source (the baseline or a region), the first ``NOTES_SHOWN``."""

    label: str
    ident: str
    total: int
    #: (kind label, count), in the order of the kind names
    counts: list[tuple[str, int]]
    #: (kind label, note) of the notes shown, in the order they were read
    notes: list[tuple[str, InputNote]]
    more: int

    @property
    def summary(self) -> str:
        """Return the counts by kind as one line: 'kind: n, kind: n'."""
        return ", ".join(f"{label}: {n}" for label, n in self.counts)


@dataclass(slots=True)
class ScoreChange:
    """A region's harmonisation in one case then (in the reference) and now."""

    region: str
    case: str
    before: float | None
    after: float | None


@dataclass(slots=True)
class TrendView:
    """What changed since the reference result (compare --reference)."""

    source: str
    evaluated_on: str
    baseline_version: str
    fail_on_new: bool
    counts: dict[str, int]
    #: only the scores that changed (or that the reference does not have)
    scores: list[ScoreChange]
    #: the first ``RESOLVED_SHOWN`` resolved deviations, as the reference saved them
    resolved: list[Finding]
    more: int


def _note_kind(kind: str, t: Messages) -> str:
    """Return the label of a note kind; a kind without one (a newer result) as it is."""
    try:
        return t("note_kind." + kind)
    except KeyError:
        return kind


def _note_source(label: str, ident: str, notes: tuple[InputNote, ...], t: Messages) -> NoteSource:
    counts: dict[str, int] = defaultdict(int)
    for n in notes:
        counts[n.kind] += 1
    return NoteSource(
        label=label,
        ident=ident,
        total=len(notes),
        counts=[(_note_kind(k, t), counts[k]) for k in sorted(counts)],
        notes=[(_note_kind(n.kind, t), n) for n in notes[:NOTES_SHOWN]],
        more=max(0, len(notes) - NOTES_SHOWN),
    )


def note_sources(result: Result, t: Messages) -> list[NoteSource]:
    sources = [_note_source(result.baseline_name, result.baseline_id, result.baseline_notes, t)]
    sources += [_note_source(r.name or r.id, r.id, r.notes, t) for r in result.regions]
    return [s for s in sources if s.total]


def trend_view(result: Result) -> TrendView | None:
    trend = result.trend
    if trend is None:
        return None
    # a report narrowed to some regions or cases shows what was resolved there only
    regions = {r.id for r in result.regions}
    cases = {c for c, _ in result.cases}
    resolved = sorted(
        (d for d in trend.resolved if d.region in regions and (d.case is None or d.case in cases)),
        key=lambda d: (-(d.severity or Severity.INFO).rank, d.sort_key()),
    )
    counts = trend.counts(result)
    counts["resolved"] = len(resolved)
    changes = trend.score_changes(result)
    scores = []
    for r in result.regions:
        for case_id, _ in result.cases:
            change = changes.get(r.id, {}).get(case_id)
            if change is None:
                continue
            before, after = change["before"], change["after"]
            if before is not None and after is not None and abs(after - before) < 0.0005:
                continue
            scores.append(ScoreChange(region=r.id, case=case_id, before=before, after=after))
    return TrendView(
        source=trend.source,
        evaluated_on=trend.evaluated_on,
        baseline_version=trend.baseline_version,
        fail_on_new=result.fail_on_new,
        counts=counts,
        scores=scores,
        resolved=resolved[:RESOLVED_SHOWN],
        more=max(0, len(resolved) - RESOLVED_SHOWN),
    )
