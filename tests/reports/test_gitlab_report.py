"""GitLab Code Quality report: the shape the merge-request widget reads."""

from __future__ import annotations

import json

from reports._support import DEVIATING_WAIVERS, DEVIATING_XML, MINI_COPY, REP_DEVIATING, REP_MANY

SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
#: documented in reports/gitlab.py
SEVERITY_OF = {"error": "major", "warning": "minor", "info": "info"}


def _check_shape(entries: list) -> None:
    assert isinstance(entries, list)
    for e in entries:
        assert isinstance(e["description"], str) and e["description"]
        assert isinstance(e["check_name"], str) and e["check_name"]
        assert isinstance(e["fingerprint"], str) and e["fingerprint"]
        assert e["severity"] in SEVERITIES
        assert isinstance(e["location"]["path"], str) and e["location"]["path"]
        begin = e["location"]["lines"]["begin"]
        assert isinstance(begin, int) and begin >= 1
    fingerprints = [e["fingerprint"] for e in entries]
    assert len(fingerprints) == len(set(fingerprints))


def test_code_quality_entries_match_the_deviations(compare) -> None:
    run = compare(REP_DEVIATING, REP_MANY, MINI_COPY, fmt="gitlab")
    assert run.code == 1
    entries = json.loads(run.stdout)
    _check_shape(entries)
    devs = compare(REP_DEVIATING, REP_MANY, MINI_COPY).doc["deviations"]
    assert len(entries) == len(devs) == 25
    assert [(e["fingerprint"], e["check_name"], e["severity"]) for e in entries] == [
        (d["id"], d["rule"], SEVERITY_OF[d["severity"]]) for d in devs
    ]
    assert all(
        e["description"] == f"{d['region']}: {d['message']}"
        for e, d in zip(entries, devs, strict=True)
    )


def test_locations_are_the_export_file_and_line(compare) -> None:
    entries = json.loads(compare(REP_DEVIATING, fmt="gitlab").stdout)
    assert [
        (e["check_name"], e["location"]["path"], e["location"]["lines"]["begin"]) for e in entries
    ] == [
        ("CD202", DEVIATING_XML, 32),
        ("CD104", DEVIATING_XML, 44),
        ("CD207", DEVIATING_XML, 24),
        ("CD206", DEVIATING_XML, 27),
        ("CD105", DEVIATING_XML, 30),
        ("CD103", DEVIATING_XML, 39),
    ]


def test_waived_deviations_are_left_out(compare, make_baseline) -> None:
    baseline = make_baseline(waivers=DEVIATING_WAIVERS)
    entries = json.loads(compare(REP_DEVIATING, baseline=baseline, fmt="gitlab").stdout)
    _check_shape(entries)
    devs = compare(REP_DEVIATING, baseline=baseline).doc["deviations"]
    waived = {d["id"] for d in devs if d["waived"]}
    assert len(waived) == 1
    assert {e["fingerprint"] for e in entries} == {d["id"] for d in devs} - waived
    assert "CD202" not in {e["check_name"] for e in entries}
    assert "CD206" in {e["check_name"] for e in entries}  # its waiver expired


def test_no_deviations_is_an_empty_array(compare) -> None:
    run = compare(MINI_COPY, fmt="gitlab")
    assert run.code == 0
    assert json.loads(run.stdout) == []
