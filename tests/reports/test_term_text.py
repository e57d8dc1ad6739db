"""Readable term bindings (reports/term_text.py) and the version shown in report headers."""

from __future__ import annotations

import dataclasses

import pytest

from cosmicdiff.reports.base import has_version, with_version
from cosmicdiff.reports.i18n import Messages
from cosmicdiff.reports.term_text import (
    readable_binding,
    readable_bindings,
    readable_result,
    standard_sources,
)
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.parts import RegionInfo
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Entity, Kind, Severity

EN, SV = Messages("en"), Messages("sv")
NO_SCT = "local:http://snomed.info/sct|http://snomed.info/sct/51000202101"


@pytest.mark.parametrize(
    ("key", "en", "sv"),
    [
        # the example: the Norwegian extension module with a version date
        (
            f"{NO_SCT}/version/20230415:720737000",
            "SNOMED CT (Norwegian edition 2023-04-15) 720737000",
            "SNOMED CT (norsk utgåva 2023-04-15) 720737000",
        ),
        (
            f"{NO_SCT}:4231000202108",
            "SNOMED CT (Norwegian edition) 4231000202108",
            "SNOMED CT (norsk utgåva) 4231000202108",
        ),
        (
            "local:http://snomed.info/sct|http://snomed.info/sct/45991000052106/version/20231130:1",
            "SNOMED CT (Swedish edition 2023-11-30) 1",
            "SNOMED CT (svensk utgåva 2023-11-30) 1",
        ),
        (
            "local:http://snomed.info/sct|http://snomed.info/sct/99999:42",
            "SNOMED CT (module 99999) 42",
            "SNOMED CT (modul 99999) 42",
        ),
        ("snomed-ct:720737000", "SNOMED CT 720737000", None),
        ("icd-10-se:I63.9", "ICD-10-SE I63.9", None),
        ("local:http://hl7.org/fhir/sid/icd-10:I63", "ICD-10 I63", None),
        ("loinc:8480-6", "LOINC 8480-6", None),
        ("local:http://loinc.org|2.72:8480-6", "LOINC (version 2.72) 8480-6", None),
        ("atc:N05AN01", "ATC N05AN01", None),
        ("kva:AV127", "KVÅ AV127", None),
        ("local:urn:oid:1.2.752.129.2.2.2.11:bes", "KV Anteckningstyp bes", None),
        ("local:openehr:532", "openEHR 532", None),
        # unknown systems: as written (without cosmicdiff's own local: prefix), then the code
        ("local:http://example.org/codes:A1", "http://example.org/codes A1", None),
        ("local:my-codes:7", "my-codes 7", None),
        ("no colon", "no colon", None),
    ],
)
def test_readable_binding(key: str, en: str, sv: str | None) -> None:
    assert readable_binding(key, EN) == en
    assert readable_binding(key, SV) == (sv or en)


def test_readable_bindings_keeps_the_list() -> None:
    text = f"{NO_SCT}:4231000202108, snomed-ct:4231000202108"
    assert readable_bindings(text, EN) == (
        "SNOMED CT (Norwegian edition) 4231000202108, SNOMED CT 4231000202108"
    )
    assert readable_bindings(None, EN) is None


def _result(formats: tuple[str, ...], baseline_formats: tuple[str, ...] = ()) -> Result:
    binding = Finding.of(
        Deviation(
            region="r",
            kind=Kind.BINDING_CHANGED,
            entity=Entity.VALUE,
            baseline_id="VL#1",
            local_id="VL#1",
            path="VL#1",
            expected="snomed-ct:1",
            actual="icd-10-se:I63",
        ),
        rule="CD306",
        severity=Severity.WARNING,
        message="m",
    )
    term = Finding.of(
        Deviation(
            region="r",
            kind=Kind.EXTRA,
            entity=Entity.TERM,
            baseline_id=None,
            local_id="atc:N05A01",
            path="atc:N05A01",
        ),
        rule="CD308",
        severity=Severity.INFO,
        message="m",
    )
    return Result(
        baseline_id="b",
        baseline_name="B",
        baseline_version="-",
        baseline_source="b",
        baseline_digest="",
        cases=(),
        regions=(RegionInfo(id="r", name=None, source="r", formats=formats),),
        deviations=(binding, term),
        scores={},
        baseline_formats=baseline_formats,
    )


def test_cosmic_findings_keep_their_keys() -> None:
    result = _result(("cosmic-xml",), ("cosmic-xml",))
    assert standard_sources(result) == frozenset()
    assert readable_result(result, "en") is result


@pytest.mark.parametrize(
    ("formats", "baseline_formats"),
    [(("fhir",), ("cosmic-xml",)), (("cosmic-xml",), ("openehr-opt",))],
)
def test_standard_format_findings_are_readable(
    formats: tuple[str, ...], baseline_formats: tuple[str, ...]
) -> None:
    result = _result(formats, baseline_formats)
    shown = readable_result(result, "en")
    binding, term = shown.deviations
    assert (binding.expected, binding.actual) == ("SNOMED CT 1", "ICD-10-SE I63")
    assert (term.local_id, term.path) == ("ATC N05A01", "ATC N05A01")
    # the ids, and the result itself, stay as they were
    assert [d.id for d in shown.deviations] == [d.id for d in result.deviations]
    assert result.deviations[0].expected == "snomed-ct:1"
    assert dataclasses.replace(shown, deviations=result.deviations) == result


@pytest.mark.parametrize(
    ("version", "shown"), [("2026.1", True), ("-", False), ("", False), (" ", False), (None, False)]
)
def test_version_in_headers(version: str | None, shown: bool) -> None:
    assert has_version(version) is shown
    assert with_version("eSPiR", version) == (f"eSPiR {version}" if shown else "eSPiR")


def test_label_path_is_not_part_of_the_finding_id() -> None:
    dev = Deviation(
        region="r",
        kind=Kind.EXTRA,
        entity=Entity.KEYWORD,
        baseline_id=None,
        local_id="openEHR-EHR-CLUSTER.person.v0",
        path="T/openEHR-EHR-INSTRUCTION.service_request.v1/openEHR-EHR-CLUSTER.person.v0",
    )
    labelled = dev._replace(label_path=("T", "Service request", "Person"))
    assert labelled.fingerprint("CD104") == dev.fingerprint("CD104")
    assert Finding.of(labelled, rule="CD104", severity=Severity.WARNING, message="m").to_json()[
        "label_path"
    ] == ["T", "Service request", "Person"]
    assert (
        "label_path"
        not in Finding.of(dev, rule="CD104", severity=Severity.WARNING, message="m").to_json()
    )
