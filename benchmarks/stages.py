"""CPU seconds per stage of one compare, in one process (best of N per stage).

    python benchmarks/stages.py /tmp/cosmicdiff-bench/scale-1-seed-1 --repeat 3

Runs the pipeline's stages one after the other as ``cosmicdiff compare --jobs 1`` does (the
cyclic garbage collector paused, as on the command line) and prints the CPU time
(``time.process_time``) of each: reading and checking the baseline, reading and checking the
regions, matching, diffing, classifying, the baseline's items and outlines for the result,
and writing the JSON result to a temporary file. A stage's figure is the best of the runs;
the total is the sum of those.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


def _timed(spent: dict[str, float], stage: str, fn: Callable[..., T], *args: Any) -> T:
    start = time.process_time()
    out = fn(*args)
    spent[stage] = spent.get(stage, 0.0) + time.process_time() - start
    return out


def one_run(corpus: Path) -> dict[str, float]:
    """Return the CPU seconds of each stage of one compare of ``corpus``."""
    from cosmicdiff import pipeline
    from cosmicdiff.diff import diff_region
    from cosmicdiff.match.identity import match_region
    from cosmicdiff.match.scope import build_scope
    from cosmicdiff.match.single import pair_single_artefacts
    from cosmicdiff.parsers.fhir.expand import expand_baseline_for
    from cosmicdiff.reports import render_chunks
    from cosmicdiff.reports.base import RenderContext
    from cosmicdiff.rules.classify import classify
    from cosmicdiff.rules.files import load_baseline_config
    from cosmicdiff.vocabulary import OutputFormat

    spent: dict[str, float] = {}
    base_path = corpus / "baseline"
    regions = sorted(p for p in (corpus / "regions").iterdir() if p.is_dir())
    baseline = _timed(spent, "read baseline", pipeline.load_checked_baseline, base_path)
    settings, _waivers = load_baseline_config(baseline, base_path, None)
    scope = build_scope(baseline, ())
    flat: dict[str, object] = {}
    for path in regions:
        region = _timed(
            spent, "read regions", pipeline.load_checked_region, path, None, "sv",
            (baseline.export,),
        )  # fmt: skip
        base, region = expand_baseline_for(baseline, region, ())
        region = pair_single_artefacts(region, base)
        matches = _timed(spent, "match", match_region, region, base)
        found = _timed(spent, "diff", diff_region, base, scope, region, matches, flat)
        _timed(spent, "classify", classify, found.deviations, settings)
    options = pipeline.CompareOptions(jobs=1, today=dt.date(2026, 11, 23))
    result = pipeline.compare(base_path, regions, options)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"

        def write() -> None:
            with out.open("wb") as fh:
                for chunk in render_chunks(OutputFormat.JSON, result, RenderContext()):
                    fh.write(chunk.encode() if isinstance(chunk, str) else chunk)

        _timed(spent, "write JSON", write)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a corpus made by benchmarks/generate.py")
    parser.add_argument("--repeat", type=int, default=3, help="runs (best of N per stage)")
    args = parser.parse_args()
    gc.disable()
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for stage, seconds in one_run(args.corpus).items():
            best[stage] = min(best.get(stage, seconds), seconds)
    width = max(map(len, best))
    for stage, seconds in best.items():
        print(f"{stage:<{width}}  {seconds:6.2f} s")
    print(f"{'total':<{width}}  {sum(best.values()):6.2f} s")


if __name__ == "__main__":
    main()
