#!/usr/bin/env python3
"""Write a synthetic, realistic benchmark corpus in the cosmicdiff export format.

    python benchmarks/generate.py OUT_DIR [--scale 1] [--keywords 30000 --templates 6000
                                           --value-lists 4000] [--seed 1] [--deviation-rate 0.03]

OUT_DIR/baseline/ holds baseline.yaml (cases psychiatry, drugs, referrals) and the canonical
items as XML; OUT_DIR/regions/{jonkoping,ostergotland,kalmar}/ hold region.yaml,
mapping.yaml and the region's XML export; OUT_DIR/truth.json lists, per region, every
deviation the generator put in (with the findings cosmicdiff must report for it) and the
local id -> baseline id of every item that corresponds to a baseline item. The same seed
and sizes give byte-identical output.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import vocabulary as voc  # noqa: E402
from benchmarks.corpus import (  # noqa: E402
    CASES,
    BaselineBuilder,
    Codes,
    Model,
    Sizes,
    XmlStyle,
    render,
    write_text,
)
from benchmarks.regions import REGIONS, Baseline, RegionBuilder, RegionSpec  # noqa: E402

TRUTH_SCHEMA = "cosmicdiff-benchmark/truth/1"
BASELINE_ID = "espir"


def generate(
    out: Path, sizes: Sizes, seed: int = 1, rate: float = 0.03, scale: float | None = None
) -> dict[str, Any]:
    """Write the corpus into ``out`` and return a summary (sizes, bytes, seconds)."""
    started = time.perf_counter()
    for sub in ("baseline", "regions"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    (out / "baseline").mkdir(parents=True)
    namers = {
        k: voc.Namer(random.Random(f"{seed}:names:{k}"))
        for k in ("keyword", "template", "valueList")
    }
    codes = Codes(random.Random(f"{seed}:codes"))
    builder = BaselineBuilder(sizes, random.Random(f"{seed}:baseline"), namers, codes)
    base = Baseline(builder.build(), builder.case_of).index()
    written = {"baseline": _write_baseline(out / "baseline", base)}
    truth: dict[str, Any] = {
        "schema": TRUTH_SCHEMA,
        "seed": seed,
        "scale": scale,
        "sizes": {
            "keywords": sizes.keywords,
            "templates": sizes.templates,
            "value_lists": sizes.value_lists,
        },
        "deviation_rate": rate,
        "baseline": BASELINE_ID,
        "regions": {},
    }
    for spec in REGIONS:
        region = RegionBuilder(
            spec, base, random.Random(f"{seed}:region:{spec.id}"), namers, codes, rate
        ).build()
        folder = out / "regions" / spec.id
        folder.mkdir(parents=True)
        written[spec.id] = _write_region(folder, spec, region)
        truth["regions"][spec.id] = _truth(region)
    (out / "truth.json").write_text(_truth_json(truth), encoding="utf-8")
    return {
        "out": str(out),
        "sizes": truth["sizes"],
        "bytes": written,
        "total_bytes": sum(written.values()),
        "deviations": {r: len(t["deviations"]) for r, t in truth["regions"].items()},
        "seconds": round(time.perf_counter() - started, 2),
    }


def _sorted(model: Model) -> Model:
    return Model(
        terms=dict(sorted(model.terms.items())),
        value_lists=dict(sorted(model.value_lists.items())),
        keywords=dict(sorted(model.keywords.items())),
        templates=dict(sorted(model.templates.items())),
    )


def _write_baseline(folder: Path, base: Baseline) -> int:
    model = base.model
    lines = [
        "# eSPiR – syntetisk grundkonfiguration för cosmicdiffs benchmark",
        "# (genererad av benchmarks/generate.py; inga verkliga data).",
        f"id: {BASELINE_ID}",
        "name: eSPiR gemensam grundkonfiguration (benchmark)",
        'version: "2026.1"',
        "cases:",
    ]
    for case, name, _ in CASES:
        lines += [f"  {case}:", f"    name: {name}", "    templates:"]
        lines += [f"      - {tid}" for tid, c in base.case_of.items() if c == case]
    size = write_text(folder / "baseline.yaml", "\n".join(lines) + "\n")
    style = XmlStyle()
    comment = "eSPiR benchmark baseline: terms, value lists and keywords"
    size += write_text(
        folder / "katalog.xml",
        render(model, {}, style, ("terms", "valueLists", "keywords"), comment=comment),
    )
    files = {
        "psychiatry": "mallar-psykiatri.xml",
        "drugs": "mallar-lakemedel.xml",
        "referrals": "mallar-remiss.xml",
    }
    for case, fname in files.items():
        tpls = [t for t in model.templates.values() if t.case == case]
        size += write_text(
            folder / fname,
            render(
                model, {}, style, ("templates",), tpls, comment=f"eSPiR benchmark templates: {case}"
            ),
        )
    return size


def _write_region(folder: Path, spec: RegionSpec, region: RegionBuilder) -> int:
    info = (
        f"id: {spec.id}\nname: {spec.name}\ncosmicVersion: {spec.cosmic_version}\n"
        f'exported: "{spec.exported}"\n'
    )
    size = write_text(folder / "region.yaml", info)
    size += write_text(folder / "mapping.yaml", region.mapping_yaml())
    model = _sorted(region.model)
    root = {"region": spec.id, "cosmicVersion": spec.cosmic_version, "exported": spec.exported}
    comment = f"Syntetisk COSMIC-export för {spec.name} (benchmark, inga patientdata)"
    if spec.layout == "split":
        size += write_text(
            folder / "katalog.xml",
            render(model, root, spec.style, ("terms", "valueLists", "keywords"), comment=comment),
        )
        size += write_text(
            folder / "journalmallar.xml",
            render(model, root, spec.style, ("templates",), comment=comment),
        )
    else:
        size += write_text(
            folder / f"{spec.prefix.lower()}-cosmic-export.xml",
            render(model, root, spec.style, comment=comment),
        )
    return size


def _truth(region: RegionBuilder) -> dict[str, Any]:
    matches = region.matches()
    devs = sorted(
        region.devs,
        key=lambda d: (
            d["change"],
            d["kind"],
            d["entity"],
            d["baseline_id"] or "",
            d["local_id"] or "",
            d["path"] or "",
            d["field"] or "",
        ),
    )
    kinds = Counter(d["kind"] for d in devs)
    return {
        "counts": dict(sorted(kinds.items())),
        "deviations": devs,
        "matches": {k: matches[k] for k in ("templates", "keywords", "valueLists", "values")},
        "match_methods": matches["methods"],
        "unlinked": {k: dict(sorted(v.items())) for k, v in region.unlinked.items()},
    }


def _truth_json(truth: dict[str, Any]) -> str:
    """Return truth.json: readable, one deviation and one map per line, yet compact."""

    def dump(obj: Any) -> str:
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))

    head = {k: v for k, v in truth.items() if k != "regions"}
    lines = ["{" + dump(head)[1:-1] + ',"regions":{']
    for i, (rid, region) in enumerate(truth["regions"].items()):
        lines.append(f"{dump(rid)}:{{")
        lines.append(f'"counts":{dump(region["counts"])},')
        lines.append('"deviations":[')
        devs = region["deviations"]
        lines += [dump(d) + ("," if j < len(devs) - 1 else "") for j, d in enumerate(devs)]
        lines.append("],")
        lines.append(f'"match_methods":{dump(region["match_methods"])},')
        lines.append(f'"unlinked":{dump(region["unlinked"])},')
        lines.append('"matches":{')
        kinds = list(region["matches"])
        lines += [
            f"{dump(k)}:{dump(region['matches'][k])}" + ("," if j < len(kinds) - 1 else "")
            for j, k in enumerate(kinds)
        ]
        lines.append("}}" + ("," if i < len(truth["regions"]) - 1 else ""))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, write the corpus and print a one-line summary per part."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="output folder (baseline/, regions/, truth.json)")
    p.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="multiply the default sizes (30000 keywords, 6000 templates, 4000 "
        "value lists); default 1",
    )
    p.add_argument("--keywords", type=int, help="number of baseline keywords")
    p.add_argument("--templates", type=int, help="number of baseline templates")
    p.add_argument("--value-lists", type=int, help="number of baseline value lists")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--deviation-rate",
        type=float,
        default=0.03,
        help="share of items that get each kind of change (default 0.03)",
    )
    p.add_argument("-q", "--quiet", action="store_true")
    args = p.parse_args(argv)
    if args.scale <= 0:
        p.error("--scale must be positive")
    sizes = Sizes.scaled(args.scale, args.keywords, args.templates, args.value_lists)
    summary = generate(args.out, sizes, args.seed, args.deviation_rate, args.scale)
    if not args.quiet:
        mb = {k: round(v / 1e6, 2) for k, v in summary["bytes"].items()}
        print(
            f"wrote {args.out}: {sizes.keywords} keywords, {sizes.templates} templates, "
            f"{sizes.value_lists} value lists (seed {args.seed})"
        )
        print(f"MB: {mb}, total {summary['total_bytes'] / 1e6:.1f} MB")
        print(f"deviations put in: {summary['deviations']}; {summary['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
