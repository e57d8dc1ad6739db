"""Unit tests of the small pure pieces of the suggest package (suggestions end to end are in
test_suggest.py)."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES

from cosmicdiff.match.identity import Matches, Pairing
from cosmicdiff.match.suggest import WEIGHTS, Alternative, Section, Signal, Suggestion
from cosmicdiff.match.suggest.model import entries_of, items_of, pairing_of
from cosmicdiff.match.suggest.names import name_similarity
from cosmicdiff.match.suggest.render import render_json
from cosmicdiff.match.suggest.scoring import least_name_score
from cosmicdiff.pipeline import load_checked_region


def test_each_section_finds_its_own_tables() -> None:
    region = load_checked_region(EXAMPLES / "kalmar")
    matches = Matches(templates=Pairing(), keywords=Pairing(), value_lists=Pairing())
    assert items_of(region, Section.KEYWORDS) is region.keywords
    assert items_of(region, Section.TEMPLATES) is region.templates
    assert items_of(region, Section.VALUE_LISTS) is region.value_lists
    assert pairing_of(matches, Section.KEYWORDS) is matches.keywords
    assert pairing_of(matches, Section.TEMPLATES) is matches.templates
    assert pairing_of(matches, Section.VALUE_LISTS) is matches.value_lists
    assert entries_of(region.mapping, Section.KEYWORDS) is region.mapping.keywords
    assert entries_of(region.mapping, Section.TEMPLATES) is region.mapping.templates
    assert entries_of(region.mapping, Section.VALUE_LISTS) is region.mapping.value_lists


@pytest.mark.parametrize("kind", list(Section), ids=[k.value for k in Section])
@pytest.mark.parametrize("min_score", [0.5, 0.7, 0.9])
def test_least_name_score_with_every_other_signal_in_full_agreement(
    kind: Section, min_score: float
) -> None:
    weights = WEIGHTS[kind]
    least = least_name_score(kind, min_score)
    best = (weights["name"] * least + sum(weights.values()) - weights["name"]) / sum(
        weights.values()
    )
    assert best == pytest.approx(min_score)
    assert least < min_score


@pytest.mark.parametrize(
    ("local", "base", "least", "most"),
    [
        ("Krisplan", "Krisplan, vänster", 0.8, 0.95),
        ("Krisplan, vänster", "Krisplan", 0.8, 0.95),
        ("Krisplan", "Krisplan", 1.0, 1.0),
        ("Remitt.", "Remittent", 0.95, 0.95),
        ("Krisplan", "", 0.0, 0.0),
    ],
    ids=["qualifier-added", "qualifier-dropped", "equal", "abbreviation-capped", "empty"],
)
def test_name_similarity_bounds(local: str, base: str, least: float, most: float) -> None:
    assert least <= name_similarity(local, base) <= most


def test_suggestion_json_keeps_the_contract_order() -> None:
    alt = Alternative(
        local_id="L2", local_name="b", baseline_id="B1", baseline_name="a", score=0.71
    )
    s = Suggestion(
        kind=Section.KEYWORDS,
        local_id="L1",
        local_name="a",
        baseline_id="B1",
        baseline_name="a",
        score=0.9,
        signals=(Signal(name="name", score=1.0, weight=0.55, detail="name 1.00"),),
        alternatives=(alt,),
    )
    data = json.loads(render_json([s]))
    assert list(data[0]) == [
        "kind",
        "local_id",
        "local_name",
        "baseline_id",
        "baseline_name",
        "score",
        "evidence",
        "alternatives",
    ]
    assert data[0]["evidence"] == {"name": {"score": 1.0, "weight": 0.55, "detail": "name 1.00"}}
    assert data[0]["alternatives"] == [
        {
            "local_id": "L2",
            "local_name": "b",
            "baseline_id": "B1",
            "baseline_name": "a",
            "score": 0.71,
        }
    ]
