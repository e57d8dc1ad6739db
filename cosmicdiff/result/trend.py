"""Compare a result with an earlier one: which deviations are new, unchanged, updated, resolved.

A deviation's id is a fingerprint of region, kind, rule and the items' identities, not of
the values (see ``Deviation.id``), so the same finding keeps its id from run to run:

- ``new``: the id is not in the reference;
- ``unchanged``: the id is there with the same expected and actual values and severity;
- ``updated``: the id is there but a value or the severity differs (e.g. renamed again);
- ``resolved``: an id of the reference that is gone now (kept in the result's trend).

With ``fail_on_new`` only new and updated deviations gate (the ratchet a region's CI job
needs: the backlog does not fail the build, a new deviation does, and so does a known one
whose value changed: a unit accepted as ``mmol/l`` that is now ``µmol/l`` is not the
deviation the backlog holds).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cosmicdiff.errors import UsageError
from cosmicdiff.parsers import display_path
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.json_io import load_result
from cosmicdiff.result.parts import Trend
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import TrendState


def _state(now: Finding, then: Finding | None) -> TrendState:
    if then is None:
        return TrendState.NEW
    same = (
        now.expected == then.expected
        and now.actual == then.actual
        and now.severity == then.severity
    )
    return TrendState.UNCHANGED if same else TrendState.UPDATED


def apply_reference(
    result: Result, reference: Result, source: str, fail_on_new: bool = False
) -> Result:
    """Return ``result`` with every deviation's trend set and the resolved ones recorded."""
    if reference.baseline_id != result.baseline_id:
        raise UsageError(
            f"{source}: the reference compares with baseline "
            f"{reference.baseline_id!r}, this run with {result.baseline_id!r}"
        )
    then = {d.id: d for d in reference.deviations}
    regions = {r.id for r in result.regions if r.compared}
    devs = tuple(d._replace(trend=_state(d, then.get(d.id))) for d in result.deviations)
    now_ids = {d.id for d in devs}
    # a region that was not compared this time has resolved nothing
    # (a reference written with --reference carries trends of its own: they are history)
    resolved = tuple(
        d._replace(trend=None)
        for d in reference.deviations
        if d.id not in now_ids and d.region in regions
    )
    trend = Trend(
        source=source,
        evaluated_on=reference.evaluated_on,
        baseline_version=reference.baseline_version,
        resolved=resolved,
        harmonisation={
            r: {c: s.after_waivers for c, s in cs.items()} for r, cs in reference.scores.items()
        },
        fail_on_new=fail_on_new,
    )
    return replace(result, deviations=devs, trend=trend, fail_on_new=fail_on_new)


def load_reference(path: Path) -> Result:
    """Read the reference result (a saved JSON result of an earlier compare)."""
    if not path.is_file():
        raise UsageError(f"{path}: reference result not found")
    return load_result(path, display_path(path))
