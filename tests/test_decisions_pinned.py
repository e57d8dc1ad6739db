"""``decisions apply`` writes pinned waivers: kind, expected and actual of the accepted row's
deviation (null where it has none), which then waive exactly that deviation with exactly
those values."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import ESPIR, EXAMPLES, CliResult, run_cli

from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.result import Result
from cosmicdiff.rules.waivers import load_waivers
from cosmicdiff.workshop.decisions.texts import header_key

TODAY = dt.date(2026, 11, 23)
#: one deviation of each of these kinds is accepted: no value, a number, true/false, text
KINDS = ("missing", "extra", "mandatory_changed", "order_changed", "attribute_changed", "renamed")
ACCEPT = {
    "decision": "accept",
    "justification": "Beslutat på workshop",
    "owner": "RKL",
    "expires": "2027-12-31",
}


def _compare(waivers: Path | None = None) -> Result:
    return compare(ESPIR, sorted(EXAMPLES.iterdir()), CompareOptions(today=TODAY, waivers=waivers))


@pytest.fixture(scope="module")
def result() -> Result:
    return _compare()


def _chosen(result: Result) -> dict[str, Deviation]:
    out: dict[str, Deviation] = {}
    for kind in KINDS:
        dev = next(
            d for d in result.deviations if d.kind.value == kind and not d.waived and not d.allowed
        )
        out[dev.id] = dev
    return out


def _write_result(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _fill_yaml(path: Path, decide: dict[str, dict[str, str]]) -> None:
    blocks = path.read_text(encoding="utf-8").split("\n\n  - ")
    for i, block in enumerate(blocks[1:], start=1):
        did = block.split("\n", 1)[0].removeprefix("id: ")
        for key, value in decide.get(did, {}).items():
            block = re.sub(
                rf"^    {key}:.*$", f"    {key}: {value}", block, count=1, flags=re.MULTILINE
            )
        blocks[i] = block
    path.write_text("\n\n  - ".join(blocks), encoding="utf-8")


def _apply(decisions: Path, waivers: Path) -> CliResult:
    got = run_cli(
        "decisions",
        "apply",
        decisions,
        "--waivers",
        waivers,
        "--write",
        "--today",
        TODAY.isoformat(),
    )
    assert got.code == 0, got.stderr
    return got


def _template(result_json: Path, out: Path) -> None:
    got = run_cli("decisions", "template", result_json, "--output", out)
    assert got.code == 0, got.stderr


def _assert_pinned_and_exact(waivers: Path, chosen: dict[str, Deviation]) -> None:
    loaded = load_waivers(waivers, "w.yaml")
    assert len(loaded) == len(chosen)
    by_id = {f"DEC-{i[:8]}": d for i, d in chosen.items()}
    for w in loaded:
        dev = by_id[w.id]
        assert w.pinned
        assert w.pins == (
            ("kind", dev.kind.value),
            ("expected", dev.expected),
            ("actual", dev.actual),
        )
    after = _compare(waivers)
    assert {d.id for d in after.deviations if d.waived} == set(chosen)  # --waivers replaces
    assert after.waiver_notes == ()  # nothing unpinned, mismatching, stale or expired


def test_yaml_round_trip_writes_pinned_waivers(result: Result, tmp_path: Path) -> None:
    chosen = _chosen(result)
    decisions, waivers = tmp_path / "d.yaml", tmp_path / "w.yaml"
    _template(_write_result(result.to_json(), tmp_path / "r.json"), decisions)
    _fill_yaml(decisions, dict.fromkeys(chosen, ACCEPT))
    _apply(decisions, waivers)
    _assert_pinned_and_exact(waivers, chosen)
    text = waivers.read_text(encoding="utf-8")
    missing = next(d for d in chosen.values() if d.kind.value == "missing")
    assert not missing.is_item_level()  # a missing template: no path
    assert (
        f"  - id: DEC-{missing.id[:8]}\n    region: {missing.region}\n"
        f"    rule: {missing.rule}\n    item: {missing.baseline_id}\n    kind: missing\n"
        f"    expected: {missing.expected}\n    actual: null\n"
        "    reason: Beslutat på workshop\n"
    ) in text
    assert "    expected: 'true'\n" in text or "    actual: 'true'\n" in text


def test_xlsx_round_trip_writes_pinned_waivers(result: Result, tmp_path: Path) -> None:
    chosen = _chosen(result)
    decisions, waivers = tmp_path / "d.xlsx", tmp_path / "w.yaml"
    _template(_write_result(result.to_json(), tmp_path / "r.json"), decisions)
    wb = openpyxl.load_workbook(decisions)
    ws = wb.worksheets[0]
    col = {header_key(c.value): c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["id"]).value in chosen:
            for key, value in ACCEPT.items():
                ws.cell(r, col[key]).value = value
    wb.save(decisions)
    _apply(decisions, waivers)
    _assert_pinned_and_exact(waivers, chosen)


def test_values_are_pinned_as_the_result_has_them(result: Result, tmp_path: Path) -> None:
    """Spaces around a value and text YAML would misread reach the waiver unchanged."""
    doc = result.to_json()
    dev = next(d for d in doc["deviations"] if d["kind"] == "renamed" and not d["waived"])
    dev["expected"], dev["actual"] = "2026-01-01", "  Namn: med kolon "
    decisions, waivers = tmp_path / "d.yaml", tmp_path / "w.yaml"
    _template(_write_result(doc, tmp_path / "r.json"), decisions)
    _fill_yaml(decisions, {dev["id"]: ACCEPT})
    _apply(decisions, waivers)
    (waiver,) = load_waivers(waivers, "w.yaml")
    assert dict(waiver.pins) == {
        "kind": "renamed",
        "expected": "2026-01-01",
        "actual": "  Namn: med kolon ",
    }
