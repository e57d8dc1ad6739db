"""A draft baseline version from the regions' consensus: run it, show it, write it.

:func:`draft_proposal` compares the regions with the current baseline and puts every change
to the vote (``workshop.baseline``); :func:`render_summary` shows the outcome on a terminal,
``Draft.summary`` in JSON; :func:`write_draft` writes the draft folder (baseline.yaml,
model.yaml, PROPOSAL.md, the current rules.yaml and waivers.yaml) and checks that it is
itself a valid baseline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cosmicdiff.errors import UsageError
from cosmicdiff.model import Baseline
from cosmicdiff.result.result import Result
from cosmicdiff.workshop.baseline import Proposal, Vote, propose, proposed_baseline

#: Files of the current baseline a draft takes over as they are (it succeeds that version).
CARRIED_OVER = ("rules.yaml", "waivers.yaml")


@dataclass(frozen=True, kw_only=True, slots=True)
class Draft:
    """A proposed baseline version and what it was drawn from."""

    current: Baseline
    result: Result
    proposal: Proposal
    version: str
    baseline: Baseline

    @property
    def regions_text(self) -> str:
        """Return the compared regions' ids, comma-separated."""
        return ", ".join(r.id for r in self.result.regions)

    def summary(self) -> dict[str, Any]:
        """Return the JSON summary: the votes, the shared additions, the templates dropped."""
        prop = self.proposal
        return {
            "baseline": {"id": self.current.id, "version": self.current.version},
            "draft_version": self.version,
            "regions": [r.id for r in self.result.regions],
            "counts": prop.counts(),
            "templates_removed": prop.templates_removed,
            "votes": [v.to_json() for v in prop.votes],
            "additions": prop.additions,
        }

    def header(self) -> list[str]:
        """Return the lines that head every file of the draft."""
        return [
            f"Draft of {self.current.name} {self.version}, proposed by cosmicdiff from the "
            f"consensus of {self.regions_text}",
            f"on {self.result.evaluated_on}; base: {self.current.id} "
            f"{self.current.version}. Comments starting 'proposed:' say where a change "
            "comes from. A draft for a person to review.",
        ]


def draft_files(base_path: Path) -> list[str]:
    """Return the names of the files :func:`write_draft` writes for this baseline."""
    carried = [n for n in CARRIED_OVER if (base_path / n).is_file()]
    return ["baseline.yaml", "model.yaml", *carried, "PROPOSAL.md"]


def draft_proposal(
    base_path: Path, regions: Sequence[Path], version: str | None, today: dt.date
) -> Draft:
    """Compare the regions with the baseline and draft the version their majority points to.

    ``version`` defaults to ``<current>-proposal``. A region that cannot be compared is an
    error: a draft needs every region's vote.
    """
    from cosmicdiff.pipeline import CompareOptions, compare, load_checked_baseline

    result = compare(base_path, regions, CompareOptions(today=today, fail_on=None))
    failed = [r for r in result.regions if not r.compared]
    if failed:
        raise UsageError(f"{failed[0].source}: not compared: {failed[0].error}")
    current = load_checked_baseline(base_path)
    prop = propose(current, result)
    new_version = version or f"{current.version}-proposal"
    return Draft(
        current=current,
        result=result,
        proposal=prop,
        version=new_version,
        baseline=proposed_baseline(current, prop, new_version),
    )


def proposal_markdown(draft: Draft) -> str:
    """Return PROPOSAL.md: the header and the whole summary as a YAML block.

    Markdown, not YAML: a .yaml file in a baseline folder would be read as model data.
    """
    import yaml

    summary = {"schema": "cosmicdiff/baseline-proposal/1", **draft.summary()}
    return "\n".join(
        [
            f"# Proposal: {draft.current.name} {draft.version}",
            "",
            *draft.header(),
            "",
            "Every vote (each compared region's value for a changed attribute), the "
            "additions a majority shares and the templates dropped:",
            "",
            "```yaml",
            yaml.safe_dump(summary, allow_unicode=True, sort_keys=False, width=100).rstrip(),
            "```",
            "",
        ]
    )


def write_draft(draft: Draft, base_path: Path, output: Path) -> None:
    """Write the draft baseline folder into ``output`` and check it loads as a baseline."""
    from cosmicdiff.authoring.yaml_writer import baseline_yaml, export_yaml
    from cosmicdiff.io.output import write_atomic
    from cosmicdiff.parsers.folder import folder_file
    from cosmicdiff.pipeline import load_checked_baseline

    output.mkdir(parents=True, exist_ok=True)
    header = draft.header()
    write_atomic(output / "baseline.yaml", baseline_yaml(draft.baseline, draft.version, header))
    write_atomic(
        output / "model.yaml", export_yaml(draft.baseline.export, header, draft.proposal.notes)
    )
    for name in CARRIED_OVER:
        if (own := folder_file(base_path, name)) is not None:  # never a link to outside
            write_atomic(output / name, own.read_bytes())
    write_atomic(output / "PROPOSAL.md", proposal_markdown(draft))
    load_checked_baseline(output)  # the draft must itself be a valid baseline


def _vote_line(v: Vote) -> str:
    what = v.kind if v.field is None else f"{v.kind} [{v.field}]"
    where = f" in {v.template}" if v.template else ""
    votes = "; ".join(f"{r}: {val}" for r, val in sorted(v.votes.items()))
    if v.outcome == "change":
        return (
            f"  CHANGE {v.entity} {v.baseline_id}{where} {what}: "
            f"{v.baseline_value!r} -> {v.value!r}  ({votes})"
        )
    return (
        f"  TIE    {v.entity} {v.baseline_id}{where} {what}: baseline "
        f"{v.baseline_value!r}  ({votes})"
    )


def _addition_line(add: dict[str, Any]) -> str:
    regions = ", ".join(f"{r}: {i}" for r, i in add["regions"].items())
    placement = "" if add.get("applied") else " — placement for a person to decide"
    return f"  ADD    {add['entity']} {add['name']!r} in {add['in'] or '-'} ({regions}){placement}"


def render_summary(draft: Draft) -> str:
    """Return the terminal summary: the counts, each change and tie, the shared additions."""
    prop, c = draft.proposal, draft.proposal.counts()
    lines = [
        f"Draft {draft.current.id} {draft.version} from {draft.regions_text}: "
        f"{c['change']} change(s), {c['tie']} tie(s) to decide, {c['listed']} structural "
        f"difference(s) listed, {c['additions']} addition(s) shared by a majority."
    ]
    lines += [_vote_line(v) for v in prop.votes if v.outcome != "listed"]
    lines += [_addition_line(add) for add in prop.additions]
    if prop.templates_removed:
        lines.append(f"  templates removed: {', '.join(prop.templates_removed)}")
    return "\n".join(lines) + "\n"
