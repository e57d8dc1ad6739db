"""The identity and terminology helpers both openEHR readers share."""

from __future__ import annotations

import pytest

from cosmicdiff.model import KeywordType, is_known_term_system
from cosmicdiff.parsers.openehr.common import (
    cardinality,
    element_type,
    joined_units,
    node_key,
    root_key,
    term_system,
)


@pytest.mark.parametrize(
    ("raw", "system"),
    [
        ("SNOMED-CT", "snomed-ct"),
        ("SNOMED-CT(2003)", "snomed-ct"),
        ("snomed_ct", "snomed-ct"),
        ("http://snomed.info/sct", "snomed-ct"),
        ("http://snomed.info/sct/", "snomed-ct"),
        ("LOINC(2.70)", "loinc"),
        ("http://loinc.org", "loinc"),
        ("openehr", "local:openehr"),
        ("hp", "local:hp"),
        ("ICD-10 (WHO)", "icd-10-se"),
    ],
)
def test_term_system(raw: str, system: str) -> None:
    assert term_system(raw) == system
    assert is_known_term_system(term_system(raw))


def test_keys_and_cardinality() -> None:
    root = root_key("openEHR-EHR-CLUSTER.x.v1", "1.1 Vänster")
    assert root == "openEHR-EHR-CLUSTER.x.v1[name='1.1 Vänster']"
    assert node_key(root, "items[at0001]") == root + "/items[at0001]"
    assert node_key("A", "/") == "A"
    assert cardinality(1, 1, False) == (True, False)
    assert cardinality(0, None, True) == (False, True)


@pytest.mark.parametrize(
    ("rm_type", "listed", "expected"),
    [
        ("DV_QUANTITY", False, KeywordType.NUMERIC),
        ("DV_CODED_TEXT", True, KeywordType.FIX_VALUE),
        ("DV_CODED_TEXT", False, KeywordType.CLINICAL_CODING),  # a whole terminology, no list
        ("DV_ORDINAL", False, KeywordType.CLINICAL_CODING),
        ("DV_INTERVAL<DV_COUNT>", False, KeywordType.OTHER),  # the base type counts
        ("dv_text", False, KeywordType.TEXT),
        ("", False, KeywordType.OTHER),
        (None, True, KeywordType.OTHER),
        ("DV_SOMETHING_NEW", True, KeywordType.OTHER),
    ],
    ids=lambda v: str(v),
)
def test_element_type(rm_type: str | None, listed: bool, expected: KeywordType) -> None:
    assert element_type(rm_type, listed=listed) is expected


def test_joined_units() -> None:
    assert joined_units(["mm[Hg]", "kPa", "mm[Hg]"]) == "mm[Hg]|kPa"
    assert joined_units(iter(["kg"])) == "kg"
    assert joined_units([]) is None
