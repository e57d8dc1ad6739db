"""The shipped examples: compare finds exactly the deviations they were built with."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import ESPIR, EXAMPLES, ROOT, run_cli

REGIONS = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
KEY = ("region", "kind", "entity", "baseline_id", "local_id", "field", "path")


def _key(entry: dict[str, object]) -> tuple[object, ...]:
    return tuple(entry.get(k) for k in KEY)


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("ex") / "result.json"
    r = run_cli(
        "compare",
        "--baseline",
        ESPIR,
        *REGIONS,
        "--format",
        "json",
        "--output",
        out,
        "--today",
        "2026-11-23",
    )
    assert r.code == 1, r.stderr
    return json.loads(out.read_text(encoding="utf-8"))


def test_examples_give_exactly_the_documented_deviations(result: dict) -> None:
    expected = yaml.safe_load((ROOT / "examples" / "expected-deviations.yaml").read_text("utf-8"))
    want = {_key(e) for e in expected}
    got = {_key(d) for d in result["deviations"]}
    assert len(expected) == len(want), "expected-deviations.yaml lists a deviation twice"
    assert sorted(got - want, key=str) == [], "reported but not documented"
    assert sorted(want - got, key=str) == [], "documented but not reported"
    assert len(result["deviations"]) == len(want)


def test_examples_cover_every_kind_and_matching_method(result: dict) -> None:
    kinds = {d["kind"] for d in result["deviations"]}
    assert kinds == {
        "missing",
        "extra",
        "renamed",
        "type_changed",
        "unit_changed",
        "binding_changed",
        "valuelist_changed",
        "order_changed",
        "moved",
        "mandatory_changed",
        "status_changed",
        "visibility_changed",
        "attribute_changed",
        "unresolved_reference",
    }
    for region in result["regions"]:
        methods = {m for counts in region["matched_by"].values() for m, n in counts.items() if n}
        assert {"mapping", "name"} <= methods, region["id"]


def test_examples_rules_and_waivers_apply(result: dict) -> None:
    by_local = {d["local_id"]: d for d in result["deviations"] if d["local_id"]}
    # rules.yaml: region-prefixed local keywords are an allowed extension (info)
    assert by_local["RJL-LOK-0102"]["severity"] == "info"
    assert by_local["RJL-LOK-0102"]["allowed_extension"] is True
    # rules.yaml: mandatory_changed is an error in referrals, a warning elsewhere
    assert by_local["RJL-SO-10962"]["case"] == "referrals"
    assert by_local["RJL-SO-10962"]["severity"] == "error"
    # waivers.yaml: Kalmar's mmol/l is waived until 2027-06-30
    unit = by_local["RKL-SO-21169"]
    assert (unit["rule"], unit["waived"]) == ("CD202", True)
    assert unit["waiver"]["id"] == "ESPIR-W-2026-007"
    assert (
        result["harmonisation"]["kalmar"]["drugs"] > result["harmonisation_raw"]["kalmar"]["drugs"]
    )
    assert result["waivers"] == []


def test_examples_every_record_is_accounted_for(result: dict) -> None:
    for region in result["regions"]:
        for kind, cov in region["coverage"].items():
            assert cov["read"] == cov["compared"] + cov["out_of_scope"], (region["id"], kind)
    # the out-of-scope items the examples contain are counted, not reported
    assert sum(c["out_of_scope"] for r in result["regions"] for c in r["coverage"].values()) > 0


def test_validate_examples() -> None:
    r = run_cli("validate", ESPIR, *REGIONS)
    assert r.code == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    # the shipped baseline is named by name, wherever it lies (the checkout, a wheel)
    assert (
        "ok: espir: baseline espir 2026.1: 36 terms, 23 value lists, "
        "145 keywords, 15 templates" in lines
    )
    warnings = [ln for ln in lines if not ln.startswith("ok: ")]
    # Kalmar's template refers to a keyword its export does not define (example K15):
    # a warning for validate, an unresolved_reference deviation for compare.
    assert len(warnings) == 1
    assert warnings[0].startswith("examples/regions/kalmar/kalmar-cosmic-export.xml:")
    assert ": warning: item refers to keyword 'RKL-SO-30999'" in warnings[0]
    assert any(
        ln.startswith("ok: examples/regions/kalmar: ") and ln.endswith("(1 warning(s))")
        for ln in lines
    )
    strict = run_cli("validate", "--strict", ESPIR, *REGIONS)
    assert strict.code == 2


def test_compare_is_deterministic(tmp_path: Path) -> None:
    outs = []
    for i in range(2):
        out = tmp_path / f"r{i}.json"
        run_cli(
            "compare",
            "-b",
            ESPIR,
            *reversed(REGIONS) if i else REGIONS,
            "-f",
            "json",
            "-o",
            out,
            "--today",
            "2026-11-23",
        )
        outs.append(json.loads(out.read_text("utf-8")))
    # region order follows the command line; deviations are sorted the same way
    assert sorted(d["id"] for d in outs[0]["deviations"]) == sorted(
        d["id"] for d in outs[1]["deviations"]
    )
