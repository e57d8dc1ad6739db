"""The benchmark harness works end to end on a tiny corpus (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

# prints, builds packages or runs CI templates: `-m 'not slow'` skips these locally
pytestmark = pytest.mark.slow

GENERATE = ROOT / "benchmarks" / "generate.py"
RUN = ROOT / "benchmarks" / "run.py"
SCALE = "0.002"


def _generate(out: Path, *extra: str) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            str(GENERATE),
            str(out),
            "--scale",
            SCALE,
            "--seed",
            "7",
            "--quiet",
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench") / "corpus"
    _generate(out)
    return out


def _regions(corpus: Path) -> list[Path]:
    return sorted(p for p in (corpus / "regions").iterdir() if p.is_dir())


def test_layout(corpus: Path) -> None:
    assert (corpus / "baseline" / "baseline.yaml").is_file()
    assert list((corpus / "baseline").glob("*.xml"))
    assert [p.name for p in _regions(corpus)] == ["jonkoping", "kalmar", "ostergotland"]
    for region in _regions(corpus):
        assert (region / "region.yaml").is_file()
        assert (region / "mapping.yaml").is_file()
        assert list(region.glob("*.xml"))


def test_generation_is_deterministic(corpus: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    _generate(again)
    files = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for rel in files:
        assert (corpus / rel).read_bytes() == (again / rel).read_bytes(), rel


def test_corpus_validates(corpus: Path) -> None:
    r = run_cli("validate", corpus / "baseline", *_regions(corpus))
    assert r.code == 0, r.stdout + r.stderr
    assert r.stdout.count("ok:") == 4


def test_compare_finds_every_kind_put_in(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    r = run_cli(
        "compare",
        "--baseline",
        corpus / "baseline",
        *_regions(corpus),
        "--format",
        "json",
        "--output",
        out,
    )
    assert r.code == 1, r.stderr
    result = json.loads(out.read_text("utf-8"))
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    for region, t in truth["regions"].items():
        got = [d for d in result["deviations"] if d["region"] == region]
        want_kinds = {d["kind"] for d in t["deviations"]}
        assert len(want_kinds) >= 10, want_kinds
        assert want_kinds <= {d["kind"] for d in got}, region
        want_pairs = {(d["kind"], d["entity"]) for d in t["deviations"]}
        assert want_pairs <= {(d["kind"], d["entity"]) for d in got}, region


def test_truth_lists_matches_and_suggestion_targets(corpus: Path) -> None:
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    for region in truth["regions"].values():
        assert set(region["matches"]) == {"templates", "keywords", "valueLists", "values"}
        assert region["matches"]["keywords"]
        assert any(region["unlinked"].values())
        for dev in region["deviations"]:
            assert set(dev) == {
                "change",
                "kind",
                "entity",
                "baseline_id",
                "local_id",
                "field",
                "path",
            }


def test_run_script_measures_a_tiny_corpus(corpus: Path, tmp_path: Path) -> None:
    report = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--corpus",
            str(corpus),
            "--repeat",
            "1",
            "--work",
            str(tmp_path / "work"),
            "--deepdiff-scale",
            SCALE,
            "--json",
            str(report),
            "--markdown",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(report.read_text("utf-8"))
    tools = {m["tool"] for m in data["measures"] if m["ok"]}
    assert {
        "floor",
        "floor-iterparse",
        "cosmicdiff",
        "cosmicdiff --jobs 1",
        "deepdiff",
        "cosmicdiff --help",
        "compare examples",
    } <= tools
    by_tool = {m["tool"]: m for m in data["measures"] if m["corpus"] != "-"}
    # the memory of the worker processes is sampled too, not only the parent's own peak
    if Path("/proc/self/smaps_rollup").exists():
        assert max(r["tree_kb"] for r in by_tool["cosmicdiff"]["runs"]) > 0
    assert "| tool |" in proc.stdout or "| scale |" in proc.stdout


def test_json_write_script_times_the_json_writer(corpus: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "json_write.py"), str(corpus), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    head, *timings = proc.stdout.splitlines()
    assert int(head.split()[0]) > 0 and " MB of JSON, sha256 " in head
    assert [t.split(":")[0] for t in timings] == ["build + encode + write", "build + encode"]
    assert all(t.endswith("(best of 1)") for t in timings)


def test_stages_script_times_every_stage(corpus: Path) -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "stages.py"), str(corpus), "--repeat", "1"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [line.rsplit(None, 2) for line in proc.stdout.splitlines()]
    stages = [" ".join(r[:-2]) if len(r) > 2 else r[0] for r in rows]
    assert stages == [
        "read baseline",
        "read regions",
        "match",
        "diff",
        "classify",
        "write JSON",
        "total",
    ]
    seconds = [float(r[-2]) for r in rows]
    assert all(s >= 0 for s in seconds) and seconds[-1] == pytest.approx(
        sum(seconds[:-1]), abs=0.05
    )
