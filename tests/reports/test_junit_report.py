"""JUnit XML, read back with the independent junitparser library."""

from __future__ import annotations

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped, TestSuite

from reports._support import (
    DEVIATING_WAIVERS,
    MINI_COPY,
    MINI_ITEMS,
    REP_DEVIATING,
    REP_MANY,
    write_region,
)


def _parse(text: str) -> JUnitXml:
    xml = JUnitXml.fromstring(text.encode("utf-8"))
    assert isinstance(xml, JUnitXml), "the root must be <testsuites>"
    return xml


def _outcomes(suite: TestSuite) -> dict[str, tuple[str, str | None]]:
    """Return per testcase name: (failure|skipped|error|passed, failure type)."""
    out = {}
    for case in suite:
        kinds = [type(r) for r in case.result]
        assert len(kinds) <= 1
        if Failure in kinds:
            out[case.name] = ("failure", case.result[0].type)
        elif Skipped in kinds:
            out[case.name] = ("skipped", None)
        elif Error in kinds:
            out[case.name] = ("error", None)
        else:
            out[case.name] = ("passed", None)
    return out


def _check_counts(xml: JUnitXml) -> None:
    """The counts on <testsuite> and <testsuites> match the testcases."""
    totals = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
    for suite in xml:
        kinds = [o for o, _ in _outcomes(suite).values()]
        counted = {
            "tests": len(kinds),
            "failures": kinds.count("failure"),
            "skipped": kinds.count("skipped"),
            "errors": kinds.count("error"),
        }
        assert {k: getattr(suite, k) for k in counted} == counted, suite.name
        for k, v in counted.items():
            totals[k] += v
    assert {k: getattr(xml, k) for k in totals} == totals


def test_one_testcase_per_baseline_item_and_region(compare) -> None:
    run = compare(REP_DEVIATING, MINI_COPY, fmt="junit")
    assert run.code == 1
    xml = _parse(run.stdout)
    _check_counts(xml)
    assert [s.name for s in xml] == ["deviating", "copy"]
    for suite in xml:
        cases = [(c.classname, c.name) for c in suite]
        assert cases == [
            (f"{suite.name}.{case}.{entity}", name) for case, entity, name in MINI_ITEMS
        ]
    copy_suite = list(xml)[1]
    assert all(c.is_passed and c.system_out is None for c in copy_suite)


def test_gating_deviations_fail_and_the_others_pass_with_system_out(compare) -> None:
    xml = _parse(compare(REP_DEVIATING, fmt="junit").stdout)
    suite = next(iter(xml))
    outcomes = _outcomes(suite)
    assert {n: o for n, o in outcomes.items() if o[0] != "passed"} == {
        "B-SO-2 Suicidriskbedömning": ("failure", "CD206"),
        "B-SO-4 Skyddsfaktorer": ("failure", "CD103"),
        "B-SO-5 Litiumkoncentration": ("failure", "CD202"),
    }
    out = {c.name: c.system_out for c in suite if c.system_out}
    assert set(out) == {"B-JM-1 Suicidriskbedömning", "B-SO-1 Aktuellt", "B-SO-3 Riskfaktorer"}
    assert out["B-JM-1 Suicidriskbedömning"].startswith("[CD104 warning] ")
    assert "LOK-SO-9" in out["B-JM-1 Suicidriskbedömning"]
    assert out["B-SO-1 Aktuellt"].startswith("[CD207 info] ")
    assert out["B-SO-3 Riskfaktorer"].startswith("[CD105 warning] ")
    assert "[bold]fet[/bold] <script>x</script>" in out["B-SO-3 Riskfaktorer"]
    assert (suite.tests, suite.failures) == (15, 3)


@pytest.mark.parametrize(
    ("fail_on", "failing"),
    [
        (
            "warning",
            {
                "B-JM-1 Suicidriskbedömning",
                "B-SO-2 Suicidriskbedömning",
                "B-SO-3 Riskfaktorer",
                "B-SO-4 Skyddsfaktorer",
                "B-SO-5 Litiumkoncentration",
            },
        ),
        (
            "info",
            {
                "B-JM-1 Suicidriskbedömning",
                "B-SO-1 Aktuellt",
                "B-SO-2 Suicidriskbedömning",
                "B-SO-3 Riskfaktorer",
                "B-SO-4 Skyddsfaktorer",
                "B-SO-5 Litiumkoncentration",
            },
        ),
        ("never", set()),
    ],
    ids=["warning", "info", "never"],
)
def test_fail_on_decides_which_testcases_fail(compare, fail_on: str, failing: set) -> None:
    run = compare(REP_DEVIATING, fmt="junit", extra=("--fail-on", fail_on))
    xml = _parse(run.stdout)
    _check_counts(xml)
    outcomes = _outcomes(next(iter(xml)))
    assert {n for n, (o, _) in outcomes.items() if o == "failure"} == failing
    assert run.code == (1 if failing else 0)


def test_waived_deviations_are_skipped(compare, make_baseline) -> None:
    baseline = make_baseline(waivers=DEVIATING_WAIVERS)
    run = compare(REP_DEVIATING, baseline=baseline, fmt="junit")
    xml = _parse(run.stdout)
    _check_counts(xml)
    suite = next(iter(xml))
    outcomes = _outcomes(suite)
    assert outcomes["B-SO-5 Litiumkoncentration"] == ("skipped", None)
    assert outcomes["B-SO-2 Suicidriskbedömning"] == ("failure", "CD206")  # waiver expired
    skipped = next(c for c in suite if c.name == "B-SO-5 Litiumkoncentration")
    assert "W-UNIT" in skipped.result[0].message
    assert (suite.tests, suite.failures, suite.skipped) == (15, 2, 1)


def test_items_without_a_baseline_item_get_their_own_testcase(compare) -> None:
    # An extra template or term has no baseline item: a "+local id" testcase of its own. An
    # extra keyword or value is filed under its baseline template or value list.
    xml = _parse(compare(REP_MANY, fmt="junit").stdout)
    _check_counts(xml)
    suite = next(iter(xml))
    names = [c.name for c in suite]
    assert names == [n for _, _, n in MINI_ITEMS] + [
        "+LOK-JM-9 Lokal mall",
        "+local:many:X1 Lokal term",
    ]
    outcomes = _outcomes(suite)
    assert {n for n, (o, _) in outcomes.items() if o == "failure"} == {
        "B-JM-1 Suicidriskbedömning",
        "B-SO-3 Riskfaktorer",
        "B-VL-1#3 Hög risk",
    }


def test_broken_region_is_an_errored_testcase(compare, tmp_path) -> None:
    broken = write_region(tmp_path / "broken", "broken", {"</keywords>": "</keyword>"})
    run = compare(broken, MINI_COPY, fmt="junit", extra=("--keep-going",))
    assert run.code == 2
    xml = _parse(run.stdout)
    _check_counts(xml)
    first = next(iter(xml))
    assert [o for o, _ in _outcomes(first).values()] == ["error"]
    assert xml.errors == 1
