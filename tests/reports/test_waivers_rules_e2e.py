"""Waivers and the baseline's rules.yaml, end to end through ``cosmicdiff compare``."""

from __future__ import annotations

import pytest

from reports._support import (
    MINI_COPY,
    ONE_ERROR,
    ONE_ERROR_PIN,
    ONE_INFO,
    ONE_WARNING,
    waiver,
)

EXTRA_KEYWORD = {
    '<keyword id="B-SO-6" name="Bedömning" type="Text"/>': '<keyword id="B-SO-6" '
    'name="Bedömning" type="Text"/>\n'
    '    <keyword id="LOK-SO-9" name="Lokal anteckning" type="Text"/>',
    '<item keyword="B-SO-4"/>': '<item keyword="B-SO-4"/>\n        <item keyword="LOK-SO-9"/>',
}


def _only(doc: dict) -> dict:
    (dev,) = doc["deviations"]
    return dev


# --- waivers -----------------------------------------------------------------------------


def test_matching_waiver_waives_and_no_longer_gates(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", ONE_ERROR)
    assert compare(region).code == 1
    baseline = make_baseline(
        waivers="waivers:\n" + waiver("W-1", "alfa", "CD202", "B-SO-5", pin=ONE_ERROR_PIN)
    )
    run = compare(region, baseline=baseline)
    assert run.code == 0
    doc = run.doc
    dev = _only(doc)
    assert (dev["rule"], dev["severity"], dev["waived"]) == ("CD202", "error", True)
    assert dev["waiver"] == {"id": "W-1", "reason": "Beslut i styrgruppen", "expires": "2027-06-30"}
    assert doc["waivers"] == []
    assert doc["summary"]["waived"] == 1 and doc["summary"]["gating"] == 0
    assert doc["harmonisation"] == {"alfa": {"psychiatry": 1.0, "drugs": 1.0}}
    assert doc["harmonisation_raw"] == {"alfa": {"psychiatry": 1.0, "drugs": 0.75}}


def test_waiver_expiring_today_still_waives(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", ONE_ERROR)
    baseline = make_baseline(
        waivers="waivers:\n" + waiver("W-1", "alfa", "unit-changed", "B-SO-5", "2026-11-23")
    )
    run = compare(region, baseline=baseline)
    assert run.code == 0
    assert _only(run.doc)["waived"] is True


def test_expired_waiver_does_not_waive_and_is_reported(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", ONE_ERROR)
    baseline = make_baseline(
        waivers="waivers:\n"
        + waiver("W-1", "alfa", "CD202", "B-SO-5", "2026-11-22", pin=ONE_ERROR_PIN)
    )
    run = compare(region, baseline=baseline)
    assert run.code == 1
    doc = run.doc
    assert _only(doc)["waived"] is False
    (note,) = doc["waivers"]
    assert note["location"]["path"].endswith("baseline/waivers.yaml")
    assert {k: v for k, v in note.items() if k != "location"} == {
        "id": "W-1",
        "status": "expired",
        "region": "alfa",
        "rule": "CD202",
        "item": "B-SO-5",
        "expires": "2026-11-22",
        "matched": 1,
    }
    assert note["location"]["line"] == 2
    assert (
        doc["harmonisation"]
        == doc["harmonisation_raw"]
        == {"alfa": {"psychiatry": 1.0, "drugs": 0.75}}
    )


def test_waiver_matching_nothing_is_stale(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", ONE_ERROR)
    baseline = make_baseline(
        waivers="waivers:\n"
        + waiver("W-1", "alfa", "CD202", "B-SO-5", pin=ONE_ERROR_PIN)
        + waiver("W-2", "alfa", "CD105", "B-SO-3", pin=("A", "B"))
        + waiver("W-3", "other-region", "CD105", "B-SO-3")
    )
    run = compare(region, baseline=baseline)
    assert run.code == 0
    # W-3 names a region that was not compared: neither applied nor reported
    assert [
        (w["id"], w["status"], w["matched"], w["location"]["line"]) for w in run.doc["waivers"]
    ] == [("W-2", "stale", 0, 11)]


def test_waiver_path_selects_one_occurrence(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", ONE_ERROR)
    baseline = make_baseline(
        waivers="waivers:\n"
        + waiver("W-1", "alfa", "CD202", "B-SO-5", path="B-JM-2/B-SO-5", pin=ONE_ERROR_PIN)
        + waiver("W-2", "alfa", "CD202", "B-SO-5", path="B-JM-1/B-SO-5", pin=ONE_ERROR_PIN)
    )
    run = compare(region, baseline=baseline)
    assert run.code == 0
    assert _only(run.doc)["waiver"]["id"] == "W-1"
    assert [(w["id"], w["status"]) for w in run.doc["waivers"]] == [("W-2", "stale")]


def test_waivers_option_replaces_the_baselines_file(
    compare, make_region, make_baseline, tmp_path
) -> None:
    region = make_region("alfa", ONE_ERROR)
    baseline = make_baseline(waivers="waivers:\n" + waiver("W-1", "alfa", "CD202", "B-SO-5"))
    other = tmp_path / "other.yaml"
    other.write_text("waivers: []\n", encoding="utf-8")
    run = compare(region, baseline=baseline, extra=("--waivers", str(other)))
    assert run.code == 1
    assert _only(run.doc)["waived"] is False


def test_harmonisation_raw_and_after_waivers(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", {**ONE_ERROR, **ONE_WARNING})
    baseline = make_baseline(waivers="waivers:\n" + waiver("W-1", "alfa", "CD105", "B-SO-3"))
    doc = compare(region, baseline=baseline).doc
    assert [(d["rule"], d["waived"]) for d in doc["deviations"]] == [
        ("CD202", False),
        ("CD105", True),
    ]
    items = doc["harmonisation_items"]["alfa"]
    assert items == {
        "psychiatry": {"items": 12, "clean": 12, "clean_raw": 11},
        "drugs": {"items": 4, "clean": 3, "clean_raw": 3},
    }
    assert doc["harmonisation"] == {"alfa": {"psychiatry": 1.0, "drugs": 0.75}}
    assert doc["harmonisation_raw"] == {"alfa": {"psychiatry": 0.9167, "drugs": 0.75}}


# --- rules.yaml --------------------------------------------------------------------------


def test_severity_override(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", ONE_WARNING)
    assert compare(region).code == 0
    run = compare(region, baseline=make_baseline(rules="severities: {CD105: error}\n"))
    assert _only(run.doc)["severity"] == "error"
    assert run.code == 1


def test_per_case_severity_override(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", {**ONE_ERROR, **ONE_WARNING})
    rules = "severities: {renamed: error}\ncases:\n  drugs: {severities: {unit-changed: info}}\n"
    run = compare(region, baseline=make_baseline(rules=rules))
    assert [(d["rule"], d["case"], d["severity"]) for d in run.doc["deviations"]] == [
        ("CD202", "drugs", "info"),
        ("CD105", "psychiatry", "error"),
    ]


def test_per_case_override_leaves_other_cases_alone(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", ONE_ERROR)
    rules = "cases:\n  psychiatry: {severities: {CD202: info}}\n"
    run = compare(region, baseline=make_baseline(rules=rules))
    assert _only(run.doc)["severity"] == "error"
    assert run.code == 1


def test_allowed_extension_by_prefix(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", EXTRA_KEYWORD)
    assert _only(compare(region).doc)["severity"] == "warning"
    rules = "allowed_extensions:\n  - description: Lokala sökord\n    prefix: LOK-\n"
    run = compare(region, baseline=make_baseline(rules=rules), extra=("--fail-on", "warning"))
    dev = _only(run.doc)
    assert (dev["rule"], dev["kind"], dev["local_id"]) == ("CD104", "extra", "LOK-SO-9")
    assert dev["severity"] == "info"
    assert dev["allowed_extension"] is True
    assert run.code == 0
    assert run.doc["harmonisation"] == {"alfa": {"psychiatry": 1.0, "drugs": 1.0}}


def test_allowed_extension_other_prefix_does_not_apply(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", EXTRA_KEYWORD)
    rules = "allowed_extensions:\n  - prefix: [ROG-LOK-, RJL-LOK-]\n"
    dev = _only(compare(region, baseline=make_baseline(rules=rules)).doc)
    assert (dev["severity"], dev["allowed_extension"]) == ("warning", False)


def test_expected_difference_is_not_reported(compare, make_region, make_baseline) -> None:
    region = make_region("alfa", ONE_INFO)
    rules = (
        "expected:\n  - rule: CD207\n    item: B-SO-1\n    field: description\n"
        "    reason: Beskrivningen är regional\n"
    )
    run = compare(region, baseline=make_baseline(rules=rules), extra=("--fail-on", "info"))
    assert run.doc["deviations"] == []
    assert run.doc["summary"]["expected_suppressed"] == 1
    assert run.code == 0


@pytest.mark.parametrize(
    ("rules", "line", "message"),
    [
        ("severities:\n  CD105: error\n  CD998: info\n", 3, "unknown rule 'CD998'"),
        (
            "expected:\n  - rule: CD997\n    item: B-SO-1\n    reason: x\n",
            2,
            "unknown rule 'CD997'",
        ),
        ("severity: {CD105: error}\n", 1, "unknown key 'severity'"),
    ],
    ids=["severities", "expected", "top-level-key"],
)
def test_bad_rules_yaml_is_an_input_error(
    compare, make_baseline, rules: str, line: int, message: str
) -> None:
    baseline = make_baseline(rules=rules)
    run = compare(MINI_COPY, baseline=baseline)
    assert run.code == 2
    assert run.stdout == ""
    assert f"rules.yaml:{line}: {message}" in run.stderr
    assert "Traceback" not in run.stderr
