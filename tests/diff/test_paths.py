"""Finding paths without repeated segments, and label paths (diff/paths.py)."""

from __future__ import annotations

import pytest

from cosmicdiff.diff.paths import item_labels, joined_path
from cosmicdiff.model import Item, Keyword, KeywordId, KeywordType

ORG = "openEHR-EHR-CLUSTER.organisation.v0"


@pytest.mark.parametrize(
    ("template", "ids", "path"),
    [
        # COSMIC ids never extend one another: joined as they are
        (
            "ESP-JM-PSY-001",
            ["ESP-SO-00010", "ESP-SO-00011"],
            "ESP-JM-PSY-001/ESP-SO-00010/ESP-SO-00011",
        ),
        # openEHR: a node's id is its archetype root's id plus the archetype-relative path
        (
            "Referral",
            [
                "openEHR-EHR-CLUSTER.person.v0",
                ORG,
                f"{ORG}/items[at0006]",
                f"{ORG}/items[at0006]/items[at0007]",
            ],
            f"Referral/openEHR-EHR-CLUSTER.person.v0/{ORG}/items[at0006]/items[at0007]",
        ),
        # an archetype read as the template: its nodes extend the template's own id
        (
            "openEHR-EHR-EVALUATION.problem_diagnosis.v1",
            ["openEHR-EHR-EVALUATION.problem_diagnosis.v1/data[at0001]/items[at0078]"],
            "openEHR-EHR-EVALUATION.problem_diagnosis.v1/data[at0001]/items[at0078]",
        ),
        # FHIR: <questionnaire id>/<linkId>; a sub-item's linkId does not extend its parent's
        ("400", ["400/1", "400/1.700"], "400/1/1.700"),
        # an id that only starts like the one above (no '/') is written whole
        ("T", ["A", "AB"], "T/A/AB"),
        ("T", [], "T"),
    ],
)
def test_joined_path(template: str, ids: list[str], path: str) -> None:
    assert joined_path(template, ids) == path


def test_item_labels() -> None:
    keywords = {
        ORG: Keyword(id=KeywordId(ORG), name="Organisation", type=KeywordType.OTHER),
        "x": Keyword(id=KeywordId("x"), name="", type=KeywordType.TEXT),
    }
    items = [
        Item(keyword=KeywordId(ORG)),
        Item(keyword=KeywordId("x")),
        Item(keyword=KeywordId("y")),
    ]
    assert item_labels("Referral", items, keywords) == ("Referral", "Organisation", "x", "y")
