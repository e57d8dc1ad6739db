"""compare --reference / --fail-on-new (cosmicdiff/result/trend.py) on copies of the examples.

One reference result (r1.json) of the unchanged examples is written per module; a changed
copy of Jönköping's export then gives one deviation of each trend state:

- resolved: AKTUELLT written Aktuellt again (J1 gone);
- new: S-Kalcium unit mmol/L -> mmol/l (CD202, error) and Puls -> PULS (CD106, info);
- updated: Trombektomi genomförd -> Trombektomi gjord (X1's deviation, same id).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import ESPIR, EXAMPLES, CliResult, run_cli

from cosmicdiff.parsers import display_path

TODAY = "2026-11-23"
RJL = Path("jonkoping") / "rjl-cosmic-export.xml"
RESOLVED = ('name="AKTUELLT"', 'name="Aktuellt"')
NEW_ERROR = (
    'name="S-Kalcium" type="Numeric" unit="mmol/L"',
    'name="S-Kalcium" type="Numeric" unit="mmol/l"',
)
NEW_INFO = ('name="Puls" ', 'name="PULS" ')
UPDATED = ('name="Trombektomi genomförd"', 'name="Trombektomi gjord"')


def regions_copy(root: Path, *edits: tuple[str, str]) -> list[Path]:
    """Copy the example regions to root/regions, apply the edits to Jönköping's export."""
    target = root / "regions"
    shutil.copytree(EXAMPLES, target)
    xml = target / RJL
    text = xml.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    xml.write_text(text, encoding="utf-8")
    return sorted(target.iterdir())


def compare(regions: list[Path], *args: str | Path) -> CliResult:
    return run_cli("compare", "-b", ESPIR, *regions, "--today", TODAY, *args)


@dataclass
class Run:
    res: CliResult
    path: Path

    @property
    def doc(self) -> dict[str, Any]:
        return json.loads(self.path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("trend")


@pytest.fixture(scope="module")
def same(work: Path) -> list[Path]:
    return regions_copy(work / "same")


@pytest.fixture(scope="module")
def r1(work: Path, same: list[Path]) -> Run:
    path = work / "r1.json"
    return Run(compare(same, "-f", "json", "-o", path), path)


@pytest.fixture(scope="module")
def r2(work: Path, same: list[Path], r1: Run) -> Run:
    """The unchanged copy compared again, with r1 as the reference."""
    path = work / "r2.json"
    return Run(compare(same, "-f", "json", "-o", path, "--reference", r1.path), path)


@pytest.fixture(scope="module")
def changed(work: Path) -> list[Path]:
    return regions_copy(work / "changed", RESOLVED, NEW_ERROR, NEW_INFO, UPDATED)


@pytest.fixture(scope="module")
def r3(work: Path, changed: list[Path], r1: Run) -> Run:
    path = work / "r3.json"
    return Run(compare(changed, "-f", "json", "-o", path, "--reference", r1.path), path)


def by_id(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["id"]: d for d in doc["deviations"]}


# --- unchanged --------------------------------------------------------------------------


def test_reference_run(r1: Run) -> None:
    assert r1.res.code == 1
    assert len(r1.doc["deviations"]) == 54
    assert "trend" not in r1.doc
    assert all("trend" not in d for d in r1.doc["deviations"])


def test_unchanged_copy_is_all_unchanged(r1: Run, r2: Run) -> None:
    assert r2.res.code == r1.res.code == 1  # the backlog still gates without --fail-on-new
    doc = r2.doc
    assert doc["exit_status"] == 1
    assert doc["trend"]["counts"] == {"new": 0, "unchanged": 54, "updated": 0, "resolved": 0}
    assert doc["trend"]["reference"] == {
        "source": display_path(r1.path),
        "evaluated_on": TODAY,
        "baseline_version": "2026.1",
    }
    assert doc["trend"]["fail_on_new"] is False
    assert doc["trend"]["resolved"] == []
    assert Counter(d["trend"] for d in doc["deviations"]) == {"unchanged": 54}
    assert set(by_id(doc)) == set(by_id(r1.doc))
    assert r2.res.stderr.endswith(
        f"; since {display_path(r1.path)}: 0 new, 0 updated, 54 unchanged, 0 resolved; exit 1\n"
    )


def test_fail_on_new_with_only_unchanged_deviations_exits_0(same: list[Path], r1: Run) -> None:
    res = compare(same, "-f", "json", "--reference", r1.path, "--fail-on-new")
    assert res.code == 0
    doc = json.loads(res.stdout)
    assert doc["summary"]["by_severity"]["error"] == 18  # errors exist, none of them new
    assert doc["summary"]["gating"] == 0
    assert doc["exit_status"] == 0
    assert doc["trend"]["fail_on_new"] is True
    assert "(new or updated ones only)" in res.stderr


# --- a changed copy -----------------------------------------------------------------------


def test_changed_copy_trend_states(r1: Run, r3: Run) -> None:
    assert r3.res.code == 1
    doc, before = r3.doc, by_id(r1.doc)
    assert doc["trend"]["counts"] == {"new": 2, "unchanged": 52, "updated": 1, "resolved": 1}
    moved = {
        d["id"]: (d["trend"], d["rule"], d["baseline_id"], d["expected"], d["actual"])
        for d in doc["deviations"]
        if d["trend"] != "unchanged"
    }
    new = {k: v for k, v in moved.items() if v[0] == "new"}
    assert sorted(new.values()) == [
        ("new", "CD106", "ESP-SO-00023", "Puls", "PULS"),
        ("new", "CD202", "ESP-SO-00232", "mmol/L", "mmol/l"),
    ]
    assert not set(new) & set(before)
    updated = [k for k, v in moved.items() if v[0] == "updated"]
    assert len(updated) == 1
    (uid,) = updated
    assert moved[uid] == (
        "updated",
        "CD105",
        "ESP-SO-00314",
        "Trombektomi utförd",
        "Trombektomi gjord",
    )
    assert before[uid]["actual"] == "Trombektomi genomförd"  # same id as in the reference
    assert before[uid]["region"] == "jonkoping"


def test_changed_copy_resolved(r1: Run, r3: Run) -> None:
    (gone,) = r3.doc["trend"]["resolved"]
    assert (gone["region"], gone["rule"], gone["baseline_id"], gone["actual"]) == (
        "jonkoping",
        "CD106",
        "ESP-SO-00002",
        "AKTUELLT",
    )
    assert gone["id"] in by_id(r1.doc)
    assert gone["id"] not in by_id(r3.doc)


def test_fail_on_new_with_a_new_error_exits_1(changed: list[Path], r1: Run) -> None:
    res = compare(changed, "-f", "json", "--reference", r1.path, "--fail-on-new")
    assert res.code == 1
    doc = json.loads(res.stdout)
    assert doc["summary"]["gating"] == 1
    assert doc["exit_status"] == 1


def test_fail_on_new_ignores_new_deviations_below_fail_on(work: Path, r1: Run) -> None:
    regions = regions_copy(work / "soft", NEW_INFO, UPDATED)
    res = compare(regions, "-f", "json", "--reference", r1.path, "--fail-on-new")
    assert res.code == 0
    doc = json.loads(res.stdout)
    assert doc["trend"]["counts"] == {"new": 1, "unchanged": 53, "updated": 1, "resolved": 0}
    # with --fail-on info the new CD106 gates, and so does the updated CD105 (a warning)
    strict = compare(
        regions, "-f", "json", "--reference", r1.path, "--fail-on-new", "--fail-on", "info"
    )
    assert strict.code == 1
    gating = [
        d for d in json.loads(strict.stdout)["deviations"] if d["trend"] in ("new", "updated")
    ]
    assert sorted((d["trend"], d["rule"]) for d in gating) == [
        ("new", "CD106"),
        ("updated", "CD105"),
    ]
    assert json.loads(strict.stdout)["summary"]["gating"] == 2


# --- unusable references ------------------------------------------------------------------


def test_fail_on_new_needs_reference(same: list[Path]) -> None:
    res = compare(same, "-f", "json", "--fail-on-new")
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr == "--fail-on-new needs --reference PREVIOUS.json\n"


def test_reference_from_another_baseline(work: Path, same: list[Path], r1: Run) -> None:
    doc = r1.doc
    doc["baseline"]["id"] = "other"
    other = work / "other-baseline.json"
    other.write_text(json.dumps(doc), encoding="utf-8")
    res = compare(same, "-f", "json", "--reference", other)
    assert res.code == 2
    assert res.stdout == ""
    assert (
        f"{display_path(other)}: the reference compares with baseline 'other', "
        "this run with 'espir'"
    ) in res.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"version": "2.1.0", "runs": []}', "not a cosmicdiff result"),
        ("not json", "malformed JSON"),
        (None, "reference result not found"),
    ],
    ids=["sarif", "not-json", "missing"],
)
def test_reference_that_is_not_a_result(
    work: Path, same: list[Path], content: str | None, message: str
) -> None:
    ref = work / f"bad-{message.split()[0]}-{len(message)}.json"
    if content is not None:
        ref.write_text(content, encoding="utf-8")
    res = compare(same, "-f", "json", "--reference", ref)
    assert res.code == 2
    assert res.stdout == ""
    assert message in res.stderr
    assert "deviations (" not in res.stderr  # refused before comparing


# --- reports ------------------------------------------------------------------------------


def sarif_states(doc: dict[str, Any]) -> dict[str, str]:
    (run,) = doc["runs"]
    return {
        r["partialFingerprints"]["cosmicdiffDeviation/v1"]: r["baselineState"]
        for r in run["results"]
    }


def test_sarif_baseline_state(changed: list[Path], r1: Run, r3: Run) -> None:
    res = compare(changed, "-f", "sarif", "--reference", r1.path)
    assert res.code == 1
    states = sarif_states(json.loads(res.stdout))
    assert set(states.values()) <= {"new", "unchanged", "updated", "absent"}
    assert Counter(states.values()) == {"unchanged": 52, "new": 2, "updated": 1, "absent": 1}
    (gone,) = r3.doc["trend"]["resolved"]
    assert states[gone["id"]] == "absent"
    assert {k: v for k, v in states.items() if v != "absent"} == {
        d["id"]: d["trend"] for d in r3.doc["deviations"]
    }


def test_sarif_without_reference_has_no_baseline_state(r1: Run) -> None:
    res = run_cli("report", r1.path, "--format", "sarif")
    (run,) = json.loads(res.stdout)["runs"]
    assert len(run["results"]) == 54
    assert not any("baselineState" in r for r in run["results"])


def test_sarif_resolved_is_absent_when_the_reference_has_a_trend(
    changed: list[Path], r2: Run
) -> None:
    res = compare(changed, "-f", "sarif", "--reference", r2.path)
    states = sarif_states(json.loads(res.stdout))
    assert Counter(states.values()) == {"unchanged": 52, "new": 2, "updated": 1, "absent": 1}


def test_text_shows_trend(changed: list[Path], r1: Run) -> None:
    res = compare(changed, "-f", "text", "--lang", "en", "--reference", r1.path, "--fail-on-new")
    assert res.code == 1
    out = res.stdout
    assert (
        f"Deviations since {display_path(r1.path)} ({TODAY}): 2 new, 1 updated, 52 unchanged, "
        "1 resolved."
    ) in out
    assert "Only new and updated deviations gate." in out
    marked = [line for line in out.splitlines() if "[new]" in line or "[updated]" in line]
    assert len(marked) == 3
    assert any("[new] CD202" in line and "S-Kalcium" in line for line in marked)
    assert any("[new] CD106" in line and "PULS" in line for line in marked)
    assert any("[updated] CD105" in line and "Trombektomi gjord" in line for line in marked)


def test_report_rerenders_the_trend(r1: Run, r3: Run) -> None:
    res = run_cli("report", r3.path, "--format", "text", "--lang", "en")
    assert res.code == 1
    assert (
        f"Deviations since {display_path(r1.path)} ({TODAY}): 2 new, 1 updated, 52 unchanged, "
        "1 resolved."
    ) in res.stdout
    assert res.stdout.count("[new]") == 2
    again = run_cli("report", r3.path, "--format", "json")
    assert json.loads(again.stdout)["trend"] == r3.doc["trend"]


def test_report_keeps_fail_on_new(work: Path, same: list[Path], r1: Run) -> None:
    saved = work / "gate-new.json"
    assert compare(same, "-o", saved, "--reference", r1.path, "--fail-on-new").code == 0
    res = run_cli("report", saved, "--format", "text")
    assert res.code == 0  # the saved result gates on new and updated deviations only
    assert "Endast nya och ändrade avvikelser stoppar." in res.stdout
    assert "Avvikelser sedan " in res.stdout and "0 nya, 0 ändrade, 54 oförändrade" in res.stdout
