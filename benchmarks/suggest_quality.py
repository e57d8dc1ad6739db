#!/usr/bin/env python3
"""Measure the precision and recall of ``cosmicdiff suggest-mapping``.

    python benchmarks/suggest_quality.py [--scale 0.05] [--seeds 1] [--thresholds 0.6,0.7,0.8]
                                         [--corpus DIR] [--json FILE]

Two datasets, each printed as a table per kind of item with tp, fp, fn, precision and
recall at the default minimum score, then the totals at every threshold of ``--thresholds``:

* **examples**: every region of ``examples/regions`` is loaded *without* its mapping.yaml
  (the Export with an empty ``IdMapping``). The truth is the region's mapping.yaml plus the
  items ``examples/expected-deviations.yaml`` reports as ``renamed``; only truth pairs whose
  two items are both left unpaired by the identity steps count (the others need no
  suggestion). Every other suggestion is a false positive.
* **corpus**: a synthetic corpus from ``benchmarks/generate.py`` (``--scale``, one per seed
  of ``--seeds``, in a temporary folder unless ``--corpus DIR`` names an existing one). Each
  region is loaded as it is (its mapping.yaml included); the truth is ``truth.json``'s
  ``unlinked`` section: items renamed *and* not linked, which no identity step can pair.

precision = tp / (tp + fp): the share of suggestions that are right; recall = tp / (tp + fn):
the share of truth pairs suggested. A suggestion that pairs a truth item with the wrong
partner counts as one fp and one fn. Each corpus is measured twice: as generated, and with
every region's mapping.yaml removed (its entries then join the truth, as for the examples).

Because the generator's renamed items always have their partner among the unpaired baseline
items, a last table hides that partner (marks it paired elsewhere) and counts the truth
items that still get a suggestion: all of those are wrong. It measures precision where it
matters in practice, for items that have no counterpart at all.

Measured 2026-11-23 (``python benchmarks/suggest_quality.py --seeds 1,2,3``, ≈15 s; the
default run, seed 1 only, takes ≈5 s):

| dataset | min-score | tp | fp | fn | orphans wrongly suggested |
| --- | --- | --- | --- | --- | --- |
| examples (3 regions, 2 truth pairs left unpaired) | 0.60 | 2 | 2 | 0 | 0 / 4 |
| examples | **0.70** | 2 | 0 | 0 | 0 / 4 |
| corpus 0.05, seeds 1-3, as generated | 0.60 | 234 | 0 | 0 | 6 / 468 |
| corpus 0.05, seeds 1-3, as generated | **0.70** | 234 | 0 | 0 | 0 / 468 |
| corpus 0.05, seeds 1-3, as generated | 0.80 | 234 | 0 | 0 | 0 / 468 |
| corpus 0.05, seeds 1-3, mapping.yaml removed | 0.60 | 345 | 0 | 0 | 10 / 690 |
| corpus 0.05, seeds 1-3, mapping.yaml removed | **0.70** | 345 | 0 | 0 | 3 / 690 |
| corpus 0.05, seeds 1-3, mapping.yaml removed | 0.80 | 344 | 0 | 1 | 1 / 690 |

The default 0.70 is the lowest threshold at which nothing wrong is suggested on the
examples (Jönköping's journal table ~ the MADRS template scores 0.66, its Ja/Nej list ~
Tolkbehov 0.61) and at which almost no orphan gets a suggestion, while recall is still
complete; at 0.80 the first right pairs are lost. On a harder corpus (scale 0.1, seed 5,
``--deviation-rate 0.1``) 0.70 gives 519/519 and 714/714 right with no fp, and 1 of 1 038
and 5 of 1 428 orphans wrongly suggested (0.60: 32 and 50). The wrong ones share a
qualifier and a word ending (``Aptitförmåga – natt`` ~ ``Familjeförmåga – natt``) and have
no structural evidence either way.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``cosmicdiff`` importable from the tree
    sys.path.insert(0, str(ROOT))

from cosmicdiff.match.identity import Matches, Pairing, match_region  # noqa: E402
from cosmicdiff.match.suggest import DEFAULT_MIN_SCORE, Section, Suggestion, suggest_mapping  # noqa: E402
from cosmicdiff.model import Baseline, Export, IdMapping  # noqa: E402
from cosmicdiff.pipeline import load_checked_baseline, load_checked_region  # noqa: E402

EXAMPLES = ROOT / "examples" / "regions"
EXPECTED = ROOT / "examples" / "expected-deviations.yaml"
ESPIR = ROOT / "baselines" / "espir"
GENERATE = ROOT / "benchmarks" / "generate.py"
ENTITY_SECTION = {
    "template": Section.TEMPLATES,
    "keyword": Section.KEYWORDS,
    "valuelist": Section.VALUE_LISTS,
}

Pair = tuple[str, str]
Truth = dict[Section, set[Pair]]


@dataclass(frozen=True, slots=True)
class Case:
    """One region to measure: its export, matches and the truth pairs that need suggesting."""

    name: str
    region: Export
    baseline: Baseline
    matches: Matches
    truth: Truth


@dataclass(slots=True)
class Tally:
    """Counts of one dataset × kind at one threshold."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Return tp / (tp + fp), 1.0 when nothing was suggested."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Return tp / (tp + fn), 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, other: Tally) -> None:
        """Add another tally's counts to this one."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


def _unpaired_truth(truth: Truth, matches: Matches) -> Truth:
    """Keep the truth pairs whose two items the identity steps left unpaired."""
    pairings = {
        Section.KEYWORDS: matches.keywords,
        Section.TEMPLATES: matches.templates,
        Section.VALUE_LISTS: matches.value_lists,
    }
    return {
        kind: {
            (lo, ba)
            for lo, ba in pairs
            if lo not in pairings[kind].to_baseline and ba not in pairings[kind].to_region
        }
        for kind, pairs in truth.items()
    }


def example_cases() -> list[Case]:
    """Return the shipped example regions without their mapping.yaml, with their truth."""
    baseline = load_checked_baseline(ESPIR)
    expected = yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))
    out = []
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        region = load_checked_region(folder)
        m = region.mapping
        truth: Truth = {
            Section.KEYWORDS: set(m.keywords.items()),
            Section.TEMPLATES: set(m.templates.items()),
            Section.VALUE_LISTS: set(m.value_lists.items()),
        }
        for d in expected:
            if (
                d["region"] == region.region
                and d["kind"] == "renamed"
                and d["entity"] in ENTITY_SECTION
            ):
                truth[ENTITY_SECTION[d["entity"]]].add((d["local_id"], d["baseline_id"]))
        bare = replace(region, mapping=IdMapping())
        matches = match_region(bare, baseline)
        out.append(Case(region.region, bare, baseline, matches, _unpaired_truth(truth, matches)))
    return out


def corpus_cases(corpus: Path, without_mapping: bool = False) -> list[Case]:
    """Return the regions of a generated corpus with truth.json's ``unlinked`` pairs.

    ``without_mapping``: drop each region's mapping.yaml too, whose entries then join the
    truth (as for the examples).
    """
    truth_json = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    baseline = load_checked_baseline(corpus / "baseline")
    out = []
    for rid, data in sorted(truth_json["regions"].items()):
        region = load_checked_region(corpus / "regions" / rid)
        truth = {Section(kind): set(pairs.items()) for kind, pairs in data["unlinked"].items()}
        if without_mapping:
            m = region.mapping
            truth[Section.KEYWORDS] |= set(m.keywords.items())
            truth[Section.TEMPLATES] |= set(m.templates.items())
            truth[Section.VALUE_LISTS] |= set(m.value_lists.items())
            region = replace(region, mapping=IdMapping())
        matches = match_region(region, baseline)
        out.append(Case(rid, region, baseline, matches, _unpaired_truth(truth, matches)))
    return out


def generate_corpus(out: Path, scale: float, seed: int) -> Path:
    """Write a benchmark corpus with benchmarks/generate.py and return its folder."""
    subprocess.run(
        [
            sys.executable,
            str(GENERATE),
            str(out),
            "--scale",
            str(scale),
            "--seed",
            str(seed),
            "--quiet",
        ],
        check=True,
    )
    return out


def tally(suggestions: Iterable[Suggestion], truth: Truth) -> dict[Section, Tally]:
    """Count right, wrong and missed suggestions per kind."""
    out = {kind: Tally() for kind in Section}
    got: dict[Section, set[Pair]] = {kind: set() for kind in Section}
    for s in suggestions:
        got[s.kind].add((s.local_id, s.baseline_id))
    for kind in Section:
        want = truth.get(kind, set())
        out[kind] = Tally(
            tp=len(got[kind] & want), fp=len(got[kind] - want), fn=len(want - got[kind])
        )
    return out


def measure(
    cases: Sequence[Case],
    thresholds: Sequence[float],
) -> dict[float, dict[Section, Tally]]:
    """Return the tallies per threshold and kind, summed over the cases."""
    out: dict[float, dict[Section, Tally]] = {}
    for t in thresholds:
        total = {kind: Tally() for kind in Section}
        for case in cases:
            counts = tally(suggest_mapping(case.region, case.baseline, case.matches, t), case.truth)
            for kind in Section:
                total[kind].add(counts[kind])
        out[t] = total
    return out


def _hidden(matches: Matches, truth: Truth, side: int) -> Matches:
    """Return ``matches`` in which one side of every truth pair counts as paired elsewhere."""

    def copy(pairing: Pairing, kind: Section) -> Pairing:
        out = Pairing(dict(pairing.to_baseline), dict(pairing.to_region), dict(pairing.method))
        for local, base in truth.get(kind, set()):
            if side == 0:
                out.to_baseline[local] = "<hidden>"
            else:
                out.to_region[base] = "<hidden>"
        return out

    return Matches(
        templates=copy(matches.templates, Section.TEMPLATES),
        keywords=copy(matches.keywords, Section.KEYWORDS),
        value_lists=copy(matches.value_lists, Section.VALUE_LISTS),
    )


def measure_orphans(cases: Sequence[Case], thresholds: Sequence[float]) -> dict[float, Tally]:
    """Hide the true partner of every truth item and count suggestions for it (all wrong).

    Precision when an item has no counterpart left: ``fp`` counts the orphans that still got
    a suggestion, ``fn`` (misused as the denominator) those that got none, correctly.
    """
    out = {t: Tally() for t in thresholds}
    for case in cases:
        orphans = [
            (1, {lo for pairs in case.truth.values() for lo, _ in pairs}),
            (0, {ba for pairs in case.truth.values() for _, ba in pairs}),
        ]
        for hide, items in orphans:
            matches = _hidden(case.matches, case.truth, hide)
            for t in thresholds:
                got = suggest_mapping(case.region, case.baseline, matches, t)
                wrong = {s.local_id if hide == 1 else s.baseline_id for s in got} & items
                out[t].add(Tally(fp=len(wrong), fn=len(items) - len(wrong)))
    return out


def _table(title: str, rows: Mapping[str, Tally]) -> list[str]:
    lines = [title, f"  {'':<14} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>10} {'recall':>8}"]
    for label, t in rows.items():
        lines.append(
            f"  {label:<14} {t.tp:>4} {t.fp:>4} {t.fn:>4} {t.precision:>10.3f} {t.recall:>8.3f}"
        )
    return lines


def report(
    name: str,
    result: Mapping[float, Mapping[Section, Tally]],
    orphans: Mapping[float, Tally] | None = None,
) -> list[str]:
    """Return the printed tables of one dataset: per kind at the default, totals per threshold,
    and the orphans (truth items whose partner was hidden) that still got a suggestion."""
    default = result[DEFAULT_MIN_SCORE]
    per_kind: dict[str, Tally] = {kind.value: default[kind] for kind in Section}
    all_kinds = Tally()
    for t in default.values():
        all_kinds.add(t)
    per_kind["all"] = all_kinds
    lines = _table(f"{name}: per kind at --min-score {DEFAULT_MIN_SCORE:.2f} (default)", per_kind)
    totals: dict[str, Tally] = {}
    for threshold in sorted(result):
        total = Tally()
        for t in result[threshold].values():
            total.add(t)
        totals[f"min-score {threshold:.2f}"] = total
    lines += _table(f"{name}: all kinds by threshold", totals)
    if orphans:
        lines.append(f"{name}: truth items whose partner is hidden, wrongly suggested")
        for threshold, o in sorted(orphans.items()):
            n = o.fp + o.fn
            lines.append(
                f"  min-score {threshold:.2f}  {o.fp:>4} of {n:>4} ({o.fp / max(1, n):.3f})"
            )
    return [*lines, ""]


def _as_json(result: Mapping[float, Mapping[Section, Tally]]) -> dict[str, Any]:
    return {
        f"{t:.2f}": {k.value: {"tp": v.tp, "fp": v.fp, "fn": v.fn} for k, v in kinds.items()}
        for t, kinds in sorted(result.items())
    }


def main(argv: list[str] | None = None) -> int:
    """Measure both datasets and print the tables."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=float, default=0.05, help="corpus scale (default 0.05)")
    p.add_argument("--seeds", default="1", help="comma-separated corpus seeds (default 1)")
    p.add_argument(
        "--thresholds",
        default="0.6,0.65,0.7,0.75,0.8",
        help="minimum scores to measure (the default is always added)",
    )
    p.add_argument("--corpus", type=Path, help="measure this existing corpus instead")
    p.add_argument("--json", type=Path, help="also write the counts as JSON here")
    args = p.parse_args(argv)
    thresholds = sorted({DEFAULT_MIN_SCORE, *(float(x) for x in args.thresholds.split(","))})
    started = time.perf_counter()
    examples = example_cases()
    results = {"examples": measure(examples, thresholds)}
    orphans = {"examples": measure_orphans(examples, thresholds)}
    with tempfile.TemporaryDirectory(prefix="cosmicdiff-suggest-") as tmp:
        if args.corpus is not None:
            corpora = {f"corpus {args.corpus}": args.corpus}
        else:
            corpora = {
                f"corpus scale {args.scale} seed {seed}": generate_corpus(
                    Path(tmp) / f"seed-{seed}", args.scale, int(seed)
                )
                for seed in args.seeds.split(",")
            }
        for name, folder in corpora.items():
            for label, bare in ((name, False), (f"{name}, mapping.yaml removed", True)):
                cases = corpus_cases(folder, without_mapping=bare)
                results[label] = measure(cases, thresholds)
                orphans[label] = measure_orphans(cases, thresholds)
    for name, result in results.items():
        print("\n".join(report(name, result, orphans[name])))
    print(f"({time.perf_counter() - started:.1f} s)")
    if args.json is not None:
        data = {
            n: {
                "suggestions": _as_json(r),
                "orphans": {
                    f"{t:.2f}": {"wrong": o.fp, "of": o.fp + o.fn}
                    for t, o in sorted(orphans[n].items())
                },
            }
            for n, r in results.items()
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
