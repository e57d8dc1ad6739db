"""Measure writing the JSON result: building, encoding and writing it, nothing else.

Compares a corpus once (``compare(..., CompareOptions(jobs=1))``), then times, best of
``--repeat`` in CPU seconds (``time.process_time()``) and wall seconds, what
``compare --format json --output FILE`` does after the comparison: the JSON reporter's
chunks written to a file through ``io/output.py`` (``render_chunks`` and ``write_atomic``).
Also times the chunks alone (built and encoded, not written).

    python benchmarks/json_write.py /tmp/cosmicdiff-bench/scale-1-seed-1 --repeat 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cosmicdiff.io.output import write_atomic
from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports import OutputFormat, RenderContext, render_chunks
from cosmicdiff.result.result import Result


def best_of(repeat: int, run: Callable[[], object]) -> tuple[float, float]:
    """Return the least CPU and the least wall seconds of ``repeat`` runs of ``run``."""
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return min(cpu), min(wall)


def measure(result: Result, out: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Time the JSON written to ``out`` and the chunks alone."""
    ctx = RenderContext(lang="sv")

    def write() -> None:
        write_atomic(out, render_chunks(OutputFormat.JSON, result, ctx))

    def chunks() -> None:
        for _ in render_chunks(OutputFormat.JSON, result, ctx):
            pass

    return {
        "build + encode + write": best_of(repeat, write),
        "build + encode": best_of(repeat, chunks),
    }


def main(argv: list[str] | None = None) -> int:
    """Compare the corpus once, then print the timings of the JSON reporter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a generated corpus (baseline/, regions/)")
    parser.add_argument("--repeat", type=int, default=5, help="best of N (default 5)")
    args = parser.parse_args(argv)
    regions = sorted(p for p in (args.corpus / "regions").iterdir() if p.is_dir())
    options = CompareOptions(jobs=1, today=dt.date(2026, 11, 23))
    result = compare(args.corpus / "baseline", regions, options)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        timings = measure(result, out, args.repeat)
        data = out.read_bytes()
    print(
        f"{len(result.deviations)} deviations, {len(data) / 1e6:.1f} MB of JSON, "
        f"sha256 {hashlib.sha256(data).hexdigest()[:16]}"
    )
    for what, (cpu, wall) in timings.items():
        print(f"{what}: {cpu:.3f} s CPU, {wall:.3f} s wall (best of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
