"""The parts of a people's report about the inputs and the history: input notes per source, and
the trend against a reference result."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cosmicdiff.model import InputNote
from cosmicdiff.reports.i18n import Messages, score_pair
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Severity

#: at most this many input notes of each kind per source, and resolved deviations, are
#: listed in HTML, Markdown and PDF (all of them: JSON); the terminal lists fewer
NOTES_SHOWN = 50
RESOLVED_SHOWN = 50


@dataclass(slots=True)
class NoteGroup:
    """The input notes of one kind in one source: how many, and the first ones."""

    kind: str
    label: str
    count: int
    #: the first notes of this kind, in the order they were read
    shown: list[InputNote]

    @property
    def more(self) -> int:
        """Return how many notes of this kind are not listed."""
        return self.count - len(self.shown)


@dataclass(slots=True)
class NoteSource:
    """The input notes of one source (the baseline or a region), grouped by kind."""

    label: str
    ident: str
    total: int
    #: one group per kind, in the order of the kind names
    groups: list[NoteGroup]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """Return (kind label, count) per kind."""
        return [(g.label, g.count) for g in self.groups]

    @property
    def notes(self) -> list[tuple[str, InputNote]]:
        """Return (kind label, note) of the notes listed, kind by kind."""
        return [(g.label, n) for g in self.groups for n in g.shown]

    @property
    def more(self) -> int:
        """Return how many notes are not listed."""
        return sum(g.more for g in self.groups)

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
    before_text: str  # as printed: whole percentages, one decimal where they would look alike
    after_text: str


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


def _note_source(
    label: str, ident: str, notes: tuple[InputNote, ...], t: Messages, per_kind: int
) -> NoteSource:
    by_kind: dict[str, list[InputNote]] = defaultdict(list)
    for n in notes:
        by_kind[n.kind].append(n)
    return NoteSource(
        label=label,
        ident=ident,
        total=len(notes),
        groups=[
            NoteGroup(
                kind=k, label=_note_kind(k, t), count=len(by_kind[k]), shown=by_kind[k][:per_kind]
            )
            for k in sorted(by_kind)
        ],
    )


def note_sources(result: Result, t: Messages, per_kind: int = NOTES_SHOWN) -> list[NoteSource]:
    """Return the sources with input notes (the baseline first), each grouped by kind."""
    sources = [
        _note_source(result.baseline_name, result.baseline_id, result.baseline_notes, t, per_kind)
    ]
    sources += [_note_source(r.name or r.id, r.id, r.notes, t, per_kind) for r in result.regions]
    return [s for s in sources if s.total]


def trend_view(result: Result, lang: str) -> TrendView | None:
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
            if before == after:
                continue
            shown = score_pair(before, after, lang)
            scores.append(ScoreChange(r.id, case_id, before, after, shown[0], shown[1]))
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
