"""The same inputs give the same bytes: across runs and across hash seeds."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from reports_people._helpers import ESPIR, REGIONS, ROOT, TODAY, compare_examples


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_same_output_across_hash_seeds(
    fmt: str, tmp_path: Path, example: Callable[..., str]
) -> None:
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.{fmt}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "cosmicdiff",
                "compare",
                "--baseline",
                str(ESPIR),
                *map(str, REGIONS),
                "--today",
                TODAY,
                "--format",
                fmt,
                "--output",
                str(out),
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 1, proc.stderr
        outs.append(out.read_text(encoding="utf-8"))
    assert outs[0] == outs[1] == example(fmt)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
def test_same_output_in_one_process(fmt: str, tmp_path: Path, example: Callable[..., str]) -> None:
    r = compare_examples("--format", fmt)
    assert r.code == 1
    assert r.stdout == example(fmt)
