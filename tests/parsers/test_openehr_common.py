"""The identity and terminology helpers both openEHR readers share."""

from __future__ import annotations

import pytest

from cosmicdiff.model import is_known_term_system
from cosmicdiff.parsers.openehr.common import cardinality, node_key, root_key, term_system


@pytest.mark.parametrize(("raw", "system"), [
    ("SNOMED-CT", "snomed-ct"), ("SNOMED-CT(2003)", "snomed-ct"), ("snomed_ct", "snomed-ct"),
    ("http://snomed.info/sct", "snomed-ct"), ("http://snomed.info/sct/", "snomed-ct"),
    ("LOINC(2.70)", "loinc"), ("http://loinc.org", "loinc"), ("openehr", "local:openehr"),
    ("hp", "local:hp"), ("ICD-10 (WHO)", "icd-10-se"),
])
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
