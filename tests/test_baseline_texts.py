"""What ``baseline propose`` and ``baseline diff`` show and write, from hand-made values:
the summary lines, PROPOSAL.md, the score table and the diff's text."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import yaml
from conftest import ESPIR
from test_baseline_tools import R3, SMALL, _result, _unit

from cosmicdiff.result.parts import Score
from cosmicdiff.result.result import Result
from cosmicdiff.workshop.baseline import Vote, propose, proposed_baseline
from cosmicdiff.workshop.baseline_diff import (
    BaselineDiff,
    ScoreChange,
    VersionChange,
    render_text,
    score_table,
)
from cosmicdiff.workshop.propose import Draft, draft_files, proposal_markdown, render_summary


def _draft() -> Draft:
    result = _result([_unit("r1", "mm[Hg]"), _unit("r3", "mm[Hg]")])
    prop = propose(SMALL, result)
    prop.votes.append(
        Vote(
            entity="keyword",
            baseline_id="K-COPY",
            kind="status_changed",
            field=None,
            template="T-2",
            baseline_value="active",
            votes={"r2": "inactive", "r1": "active"},
            outcome="tie",
        )
    )
    prop.votes.append(
        Vote(
            entity="keyword",
            baseline_id="K-ANA",
            kind="order_changed",
            field=None,
            template="T-1",
            baseline_value=None,
            votes={},
            outcome="listed",
        )
    )
    prop.additions.append(
        {
            "entity": "value",
            "name": "Rektal",
            "in": "VL-1",
            "regions": {"r1": "L1#re", "r2": "L2#re"},
        }
    )
    prop.templates_removed.append("T-9")
    return Draft(
        current=SMALL,
        result=result,
        proposal=prop,
        version="2",
        baseline=proposed_baseline(SMALL, prop, "2"),
    )


def test_the_summary_lists_changes_ties_and_additions_not_the_listed() -> None:
    assert render_summary(_draft()).splitlines() == [
        "Draft small 2 from r1, r2, r3: 1 change(s), 1 tie(s) to decide, 1 structural "
        "difference(s) listed, 1 addition(s) shared by a majority.",
        "  CHANGE keyword K-BP unit_changed: 'mmHg' -> 'mm[Hg]'  "
        "(r1: mm[Hg]; r2: mmHg; r3: mm[Hg])",
        "  TIE    keyword K-COPY in T-2 status_changed: baseline 'active'  "
        "(r1: active; r2: inactive)",
        "  ADD    value 'Rektal' in VL-1 (r1: L1#re, r2: L2#re) — placement for a person to decide",
        "  templates removed: T-9",
    ]


def test_proposal_md_carries_the_whole_summary() -> None:
    draft = _draft()
    text = proposal_markdown(draft)
    assert text.startswith(
        "# Proposal: Small 2\n\nDraft of Small 2, proposed by cosmicdiff "
        "from the consensus of r1, r2, r3\non "
    )
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    doc = yaml.safe_load(block)
    assert doc == {"schema": "cosmicdiff/baseline-proposal/1", **draft.summary()}
    assert doc["counts"] == {"change": 1, "tie": 1, "listed": 1, "additions": 1}
    assert doc["regions"] == list(R3)


def test_draft_files_carry_over_the_rules_and_waivers_there_are(tmp_path: Path) -> None:
    assert draft_files(ESPIR) == [
        "baseline.yaml",
        "model.yaml",
        "rules.yaml",
        "waivers.yaml",
        "PROPOSAL.md",
    ]
    assert draft_files(tmp_path) == ["baseline.yaml", "model.yaml", "PROPOSAL.md"]


def _scored(scores: dict[str, dict[str, Score]]) -> Result:
    return dataclasses.replace(_result([]), scores=scores)


def test_score_table_has_every_case_of_either_version() -> None:
    before = _scored({"r1": {"c1": Score(items=4, clean_raw=2, clean=2)}})
    after = _scored(
        {
            "r1": {
                "c1": Score(items=4, clean_raw=3, clean=3),
                "c2": Score(items=2, clean_raw=2, clean=2),
            }
        }
    )
    assert score_table(before, after, ["r1", "r2"]) == {
        "r1": {"c1": ScoreChange(old=0.5, new=0.75), "c2": ScoreChange(old=None, new=1.0)},
        "r2": {},
    }


def test_the_diff_as_text_and_json() -> None:
    change = VersionChange(
        kind="renamed",
        entity="keyword",
        old_id="K-1",
        new_id="K-1",
        field=None,
        old="Anamnes",
        new="Anamnesis",
        helps=("r1",),
        hurts=("r2", "r3"),
    )
    other = VersionChange(
        kind="missing",
        entity="template",
        old_id="T-1",
        new_id=None,
        field="status",
        old=None,
        new=None,
    )
    diff = BaselineDiff(
        old_id="b",
        old_version="1",
        new_id="b",
        new_version="2",
        changes=(change, other),
        scores={"r1": {"c1": ScoreChange(old=None, new=0.955)}, "r2": {}},
    )
    assert render_text(diff) == (
        "b 1 -> b 2: 2 change(s)\n"
        "  keyword K-1 renamed: 'Anamnes' -> 'Anamnesis'  helps r1  hurts r2, r3\n"
        "  template T-1 missing [status]\n"
        "  r1: c1 – -> 96%\n"
        "  r2: \n"
    )
    doc = diff.to_json()
    assert doc["schema"] == "cosmicdiff/baseline-diff/1"
    assert doc["scores"] == {"r1": {"c1": {"old": None, "new": 0.955}}, "r2": {}}
    assert doc["changes"][0]["hurts"] == ["r2", "r3"]
