#!/usr/bin/env python3
"""Measure cosmicdiff on generated corpora against a parse floor and a naive DeepDiff.

    python benchmarks/run.py [--scales 0.25,0.5,1] [--repeat 3] [--markdown]
    python benchmarks/run.py --corpus DIR          # measure one existing corpus

Every measurement is a separate process; its wall time is taken around the process and its
peak memory is the larger of its own ``ru_maxrss`` (GNU time ``/usr/bin/time -f %M``, or
``os.wait4``) and the peak of the summed PSS of it and every process it forks (sampled from
``/proc/PID/task/TID/children`` and ``smaps_rollup`` every 50 ms: cosmicdiff compares
regions in worker processes). The tools are run interleaved (floor, cosmicdiff, … then again)
and the best wall time of N runs is reported with the largest peak memory seen.

* ``floor``: a Python process that parses every XML file of the corpus with lxml
  (``etree.parse``, the options cosmicdiff uses: no entities, no network, no DTD) and
  iterates every element – the least any tool reading these files must do;
  ``floor-iterparse`` does the same with ``iterparse`` (reported for reference).
* ``cosmicdiff``: ``cosmicdiff compare --baseline B R1 R2 R3 --format json --output F``
  (exit status 1 is expected: the corpus deviates on purpose), with its default worker
  processes; ``cosmicdiff --jobs 1`` the same in one process.
* ``deepdiff``: the naive alternative – each export's XML loaded into nested dicts and
  ``DeepDiff(baseline, region, ignore_order=True)`` per region – on a small corpus
  (``--deepdiff-scale``), where cosmicdiff and the floor are measured too.
* start-up: ``cosmicdiff --help`` and ``cosmicdiff compare`` of the shipped examples.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_PARSER = (
    "resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True, remove_pis=True"
)

FLOOR = f"""
import sys
from lxml import etree
parser = etree.XMLParser({_PARSER})
n = 0
for path in sys.argv[1:]:
    tree = etree.parse(path, parser)
    for _ in tree.getroot().iter():
        n += 1
    del tree
print(n)
"""

FLOOR_ITERPARSE = f"""
import sys
from lxml import etree
n = 0
for path in sys.argv[1:]:
    for _ in etree.iterparse(path, events=("end",), {_PARSER}):
        n += 1
print(n)
"""

DEEPDIFF = f"""
import sys
from pathlib import Path
from deepdiff import DeepDiff
from lxml import etree
parser = etree.XMLParser({_PARSER})

def to_dict(el):
    return {{"tag": etree.QName(el).localname, "attrib": dict(el.attrib),
             "text": (el.text or "").strip() or None, "children": [to_dict(c) for c in el]}}

def load(folder):
    export = {{}}
    for path in sorted(Path(folder).glob("*.xml")):
        for section in etree.parse(str(path), parser).getroot():
            if isinstance(section.tag, str):
                export.setdefault(etree.QName(section).localname, []).extend(
                    to_dict(c) for c in section)
    return export

baseline = load(sys.argv[1])
for region in sys.argv[2:]:
    diff = DeepDiff(baseline, load(region), ignore_order=True)
    print(region, {{k: len(v) for k, v in diff.items()}}, flush=True)
"""


@dataclass
class Run:
    """One measured process."""

    wall: float
    rss_kb: int
    status: int
    timed_out: bool = False
    #: peak summed PSS of the process and all it forked (0 where /proc cannot tell)
    tree_kb: int = 0


@dataclass
class Measure:
    """All runs of one tool on one corpus."""

    tool: str
    corpus: str
    scale: float | None
    mbytes: float
    expect: tuple[int, ...] = (0,)
    runs: list[Run] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(
            r.status in self.expect and not r.timed_out for r in self.runs
        )

    @property
    def best(self) -> float:
        return min(r.wall for r in self.runs)

    @property
    def rss_mb(self) -> float:
        return max(max(r.rss_kb, r.tree_kb) for r in self.runs) / 1024

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": self.tool,
            "corpus": self.corpus,
            "scale": self.scale,
            "mbytes": round(self.mbytes, 2),
            "ok": self.ok,
            "best_wall_s": round(self.best, 3) if self.runs else None,
            "peak_rss_mb": round(self.rss_mb, 1) if self.runs else None,
            "runs": [vars(r) for r in self.runs],
        }


def gnu_time() -> str | None:
    """Return the path of GNU time if it is installed (it reports its child's peak RSS)."""
    path = shutil.which("time", path="/usr/bin:/bin") or None
    if path is None:
        return None
    proc = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
    return path if "GNU" in proc.stdout + proc.stderr else None


_TIME = gnu_time()


def _descendants(pid: int) -> list[int]:
    """Return ``pid`` and every process below it (``/proc/PID/task/TID/children``)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                text = Path(f"/proc/{current}/task/{task}/children").read_text()
                todo.extend(int(c) for c in text.split())
        except OSError:
            continue  # the process ended meanwhile
    return out


def _tree_pss_kb(pid: int) -> int:
    """Return the summed PSS (KB) of a process and its descendants (Linux ``/proc``), else 0."""
    total = 0
    for proc in _descendants(pid):
        try:
            for line in Path(f"/proc/{proc}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile
    return total


class _TreeMemory(threading.Thread):
    """Sample the summed PSS of a process tree every 50 ms; keep the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.done = threading.Event()

    def run(self) -> None:
        if not Path("/proc/self/smaps_rollup").exists():
            return
        while not self.done.wait(0.05):
            self.peak_kb = max(self.peak_kb, _tree_pss_kb(self.pid))


def run_measured(cmd: Sequence[str], timeout: float | None = None, cwd: Path | None = None) -> Run:
    """Run ``cmd``; return its wall time, its own peak RSS (KB) and exit status.

    The peak RSS comes from GNU time (``/usr/bin/time -f %M``) when it is installed, else
    from ``os.wait4`` on the child. (A child's ``ru_maxrss`` also counts the pages of the
    forked parent before ``exec``; GNU time is a tiny parent, so its figure is clean.)
    """
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss:
        full = [_TIME, "-f", "%M", "-o", rss.name, *cmd] if _TIME else list(cmd)
        start = time.perf_counter()
        proc = subprocess.Popen(
            full, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, start_new_session=True
        )
        timed_out = threading.Event()

        def kill() -> None:
            timed_out.set()
            os.killpg(proc.pid, signal.SIGKILL)

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        tree = _TreeMemory(proc.pid)
        tree.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        tree.done.set()
        tree.join()
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss_kb = usage.ru_maxrss
        if _TIME:
            lines = [ln for ln in rss.read().split() if ln.isdigit()]
            rss_kb = int(lines[-1]) if lines else 0
        if proc.returncode not in (0, 1) and not timed_out.is_set():
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            print(
                f"  ! {' '.join(cmd[:3])} … exited {proc.returncode}: {' | '.join(tail)}",
                file=sys.stderr,
            )
    return Run(
        wall=wall,
        rss_kb=rss_kb,
        status=proc.returncode,
        timed_out=timed_out.is_set(),
        tree_kb=tree.peak_kb,
    )


def cosmicdiff_cmd() -> list[str]:
    """Return the command that starts cosmicdiff: the installed script, else ``-m``."""
    script = Path(sys.executable).parent / "cosmicdiff"
    found = str(script) if script.exists() else shutil.which("cosmicdiff")
    return [found] if found else [sys.executable, "-m", "cosmicdiff"]


@dataclass
class Corpus:
    """A generated corpus on disk."""

    path: Path
    scale: float | None

    @property
    def baseline(self) -> Path:
        return self.path / "baseline"

    @property
    def regions(self) -> list[Path]:
        return sorted(p for p in (self.path / "regions").iterdir() if p.is_dir())

    @property
    def xml_files(self) -> list[str]:
        return [str(p) for d in (self.baseline, *self.regions) for p in sorted(d.glob("*.xml"))]

    @property
    def mbytes(self) -> float:
        return sum(os.path.getsize(f) for f in self.xml_files) / 1e6


def ensure_corpus(work: Path, scale: float, seed: int, regenerate: bool) -> Corpus:
    """Return the corpus of ``scale`` under ``work``, generating it when it is not there."""
    path = work / f"scale-{scale:g}-seed-{seed}"
    truth = path / "truth.json"
    if regenerate or not truth.is_file():
        # in a child process: a big parent would inflate the measured children's peak RSS
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                str(Path(__file__).with_name("generate.py")),
                str(path),
                "--scale",
                f"{scale:g}",
                "--seed",
                str(seed),
                "--quiet",
            ],
            check=True,
        )
        print(f"generated {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return Corpus(path, scale)


def corpus_scale(path: Path) -> float | None:
    try:
        scale = json.loads((path / "truth.json").read_text("utf-8")).get("scale")
    except (OSError, ValueError):
        return None
    return float(scale) if isinstance(scale, int | float) else None


def measure(
    corpora: list[Corpus], repeat: int, out_dir: Path, deepdiff: Corpus | None, timeout: float
) -> list[Measure]:
    """Measure floor, cosmicdiff (and deepdiff on its corpus), interleaved, ``repeat`` times."""
    cd = cosmicdiff_cmd()
    jobs: list[tuple[Measure, list[str], float | None]] = []
    targets = list(corpora)
    if deepdiff is not None and all(c.path != deepdiff.path for c in targets):
        targets.append(deepdiff)
    for c in targets:
        out = out_dir / f"{c.path.name}.json"
        label = c.path.name
        jobs.append(
            (
                Measure("floor", label, c.scale, c.mbytes),
                [sys.executable, "-c", FLOOR, *c.xml_files],
                None,
            )
        )
        jobs.append(
            (
                Measure("floor-iterparse", label, c.scale, c.mbytes),
                [sys.executable, "-c", FLOOR_ITERPARSE, *c.xml_files],
                None,
            )
        )
        compare = [
            *cd,
            "compare",
            "--baseline",
            str(c.baseline),
            *map(str, c.regions),
            "--format",
            "json",
            "--output",
            str(out),
        ]
        jobs.append((Measure("cosmicdiff", label, c.scale, c.mbytes, expect=(1,)), compare, None))
        jobs.append(
            (
                Measure("cosmicdiff --jobs 1", label, c.scale, c.mbytes, expect=(1,)),
                [*compare, "--jobs", "1"],
                None,
            )
        )
        if deepdiff is not None and c.path == deepdiff.path:
            jobs.append(
                (
                    Measure("deepdiff", label, c.scale, c.mbytes),
                    [sys.executable, "-c", DEEPDIFF, str(c.baseline), *map(str, c.regions)],
                    timeout,
                )
            )
    for rep in range(repeat):
        for m, cmd, limit in jobs:
            run = run_measured(cmd, limit)
            m.runs.append(run)
            print(
                f"  run {rep + 1}/{repeat} {m.tool:16} {m.corpus:24} {run.wall:8.2f} s "
                f"{run.rss_kb / 1024:8.1f} MB  exit {run.status}"
                + ("  TIMEOUT" if run.timed_out else ""),
                file=sys.stderr,
            )
    return [m for m, _, _ in jobs]


def measure_startup(repeat: int) -> list[Measure]:
    """Measure ``cosmicdiff --help`` and a compare of the shipped examples."""
    cd = cosmicdiff_cmd()
    regions = sorted(p for p in (ROOT / "examples" / "regions").iterdir() if p.is_dir())
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [
            (Measure("cosmicdiff --help", "-", None, 0.0), [*cd, "--help"]),
            (
                Measure("compare examples", "examples", None, 0.0, expect=(1,)),
                [
                    *cd,
                    "compare",
                    "--baseline",
                    str(ROOT / "baselines" / "espir"),
                    *map(str, regions),
                    "--format",
                    "json",
                    "--output",
                    f"{tmp}/ex.json",
                ],
            ),
        ]
        for _ in range(repeat):
            for m, cmd in jobs:
                m.runs.append(run_measured(cmd, cwd=ROOT))
    return [m for m, _ in jobs]


def check_truth(corpus: Corpus, result: Path) -> dict[str, dict[str, int]]:
    """Compare cosmicdiff's JSON result with the corpus truth: per region, found/missed/extra."""
    key = ("kind", "entity", "baseline_id", "local_id", "field", "path")
    truth = json.loads((corpus.path / "truth.json").read_text("utf-8"))
    got = json.loads(result.read_text("utf-8"))
    out = {}
    for region, t in truth["regions"].items():
        want = {tuple(d[k] for k in key) for d in t["deviations"]}
        have = {tuple(d[k] for k in key) for d in got["deviations"] if d["region"] == region}
        out[region] = {
            "truth": len(want),
            "reported": len(have),
            "found": len(want & have),
            "missed": len(want - have),
            "unexpected": len(have - want),
        }
    return out


# -- reporting ---------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    """Return what the figures were measured on."""

    def cmd(*args: str) -> str:
        try:
            return subprocess.run(args, capture_output=True, text=True, check=False).stdout
        except OSError:
            return ""

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in cmd("cat", "/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    mem = next(
        (line.split()[1] for line in cmd("free", "-h").splitlines() if line.startswith("Mem:")), ""
    )
    versions = cmd(
        sys.executable,
        "-c",
        "import lxml.etree as e, deepdiff, cosmicdiff; "
        "print(e.__version__, deepdiff.__version__, cosmicdiff.__version__)",
    ).split()
    commit = cmd("git", "-C", str(ROOT), "describe", "--always", "--dirty").strip()
    return {
        "nproc": cmd("nproc").strip(),
        "memory": mem,
        "cpu": cpu,
        "commit": commit,
        "python": platform.python_version(),
        "os": platform.platform(),
        "lxml": versions[0] if versions else "",
        "deepdiff": versions[1:2] and versions[1] or "",
        "cosmicdiff": versions[2:3] and versions[2] or "",
    }


def _fmt_scale(s: float | None) -> str:
    return "-" if s is None else f"{s:g}"


def table(measures: list[Measure], markdown: bool) -> str:
    """Return the main table: per corpus and tool, time, RSS and ratios to the floor."""
    floors = {m.corpus: m for m in measures if m.tool == "floor" and m.ok}
    head = [
        "scale",
        "XML MB",
        "tool",
        "wall s (best)",
        "peak RSS MB",
        "time / floor",
        "RSS / floor",
    ]
    rows = []
    for m in measures:
        f = floors.get(m.corpus)
        if not m.runs:
            continue
        status = (
            ""
            if m.ok
            else (
                " (timeout)" if any(r.timed_out for r in m.runs) else f" (exit {m.runs[-1].status})"
            )
        )
        rows.append(
            [
                _fmt_scale(m.scale),
                f"{m.mbytes:.1f}",
                m.tool,
                f"{m.best:.2f}{status}",
                f"{m.rss_mb:.0f}",
                f"{m.best / f.best:.1f}×" if f and m.tool != "floor" else "",
                f"{m.rss_mb / f.rss_mb:.1f}×" if f and m.tool != "floor" else "",
            ]
        )
    return _render(head, rows, markdown)


def startup_table(measures: list[Measure], markdown: bool) -> str:
    rows = [
        [m.tool, f"{m.best:.3f}", f"{m.rss_mb:.0f}", "yes" if m.best < 0.5 else "NO"]
        for m in measures
    ]
    return _render(["start-up", "wall s (best)", "peak RSS MB", "< 0.5 s"], rows, markdown)


def growth(measures: list[Measure]) -> list[tuple[float, float, str, float, float]]:
    """Return (scale, next scale, tool, time ratio, RSS ratio) for every pair of scales."""
    out = []
    for tool in ("floor", "cosmicdiff"):
        ms = sorted(
            (m for m in measures if m.tool == tool and m.ok and m.scale), key=lambda m: m.scale or 0
        )
        for a, b in zip(ms, ms[1:], strict=False):
            out.append((a.scale or 0, b.scale or 0, tool, b.best / a.best, b.rss_mb / a.rss_mb))
    return out


def growth_table(measures: list[Measure], markdown: bool) -> str:
    rows = [
        [f"{a:g} → {b:g}", tool, f"{b / a:.1f}×", f"{t:.2f}×", f"{r:.2f}×"]
        for a, b, tool, t, r in growth(measures)
    ]
    return _render(["scales", "tool", "corpus ×", "time ×", "RSS ×"], rows, markdown)


def targets(measures: list[Measure], startup: list[Measure]) -> list[tuple[str, str, bool]]:
    """Return (target, measured, met) for the targets in the benchmark README."""
    out = []
    full = max(
        (m for m in measures if m.tool == "cosmicdiff" and m.ok),
        key=lambda m: m.mbytes,
        default=None,
    )
    floor = next(
        (m for m in measures if full and m.tool == "floor" and m.corpus == full.corpus and m.ok),
        None,
    )
    if full and floor:
        t, r = full.best / floor.best, full.rss_mb / floor.rss_mb
        out.append(
            (
                f"compare ≤ 2.0 × floor time (scale {_fmt_scale(full.scale)})",
                f"{t:.1f}× ({full.best:.2f} s vs {floor.best:.2f} s)",
                t <= 2.0,
            )
        )
        out.append(
            (
                f"compare ≤ 2.0 × floor peak RSS (scale {_fmt_scale(full.scale)})",
                f"{r:.1f}× ({full.rss_mb:.0f} MB vs {floor.rss_mb:.0f} MB)",
                r <= 2.0,
            )
        )
    for a, b, tool, t, _ in growth(measures):
        if tool == "cosmicdiff" and abs(b / a - 2) < 0.01:
            out.append(
                (f"doubling the corpus ({a:g} → {b:g}) at most doubles time", f"{t:.2f}×", t <= 2.0)
            )
    for m in startup:
        out.append((f"start-up: {m.tool} < 0.5 s", f"{m.best:.3f} s", m.best < 0.5))
    return out


def _render(head: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=False)]
    fmt = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join(
        [fmt.format(*head), fmt.format(*("-" * w for w in widths))] + [fmt.format(*r) for r in rows]
    )


def report(
    measures: list[Measure],
    startup: list[Measure],
    checks: dict[str, Any],
    info: dict[str, str],
    repeat: int,
    markdown: bool,
) -> str:
    """Return the whole printed report."""
    h = "### " if markdown else ""
    parts = [
        f"{h}Machine",
        f"{info['nproc']} CPUs ({info['cpu']}), {info['memory']} memory, "
        f"Python {info['python']}, lxml {info['lxml']}, deepdiff {info['deepdiff']}, "
        f"cosmicdiff {info['cosmicdiff']} ({info['commit']}); best of {repeat} runs, "
        "largest peak RSS.",
        "",
        f"{h}Corpus: floor, cosmicdiff, deepdiff",
        table(measures, markdown),
        "",
    ]
    if len({m.scale for m in measures if m.tool == "cosmicdiff"}) > 1:
        parts += [f"{h}Growth", growth_table(measures, markdown), ""]
    parts += [f"{h}Start-up", startup_table(startup, markdown), ""]
    if checks:
        parts.append(f"{h}cosmicdiff result against truth.json")
        rows = [
            [
                corpus,
                region,
                str(c["truth"]),
                str(c["found"]),
                str(c["missed"]),
                str(c["unexpected"]),
            ]
            for corpus, per in checks.items()
            for region, c in per.items()
        ]
        parts += [
            _render(["corpus", "region", "truth", "found", "missed", "unexpected"], rows, markdown),
            "",
        ]
    parts.append(f"{h}Targets")
    rows = [
        [name, value, "met" if ok else "NOT met"] for name, value, ok in targets(measures, startup)
    ]
    parts.append(_render(["target", "measured", "status"], rows, markdown))
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, generate what is missing, measure and print the tables."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--corpus", type=Path, help="measure this generated corpus only")
    p.add_argument(
        "--scales", default="1", help="comma-separated scales to generate and measure (default 1)"
    )
    p.add_argument("--repeat", type=int, default=3, help="runs per measurement (best of N)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "cosmicdiff-bench",
        help="where generated corpora and results are kept",
    )
    p.add_argument("--regenerate", action="store_true", help="regenerate existing corpora")
    p.add_argument(
        "--deepdiff-scale",
        type=float,
        default=0.05,
        help="scale of the corpus DeepDiff is measured on (default 0.05)",
    )
    p.add_argument("--no-deepdiff", action="store_true")
    p.add_argument("--deepdiff-timeout", type=float, default=900.0, help="seconds per run")
    p.add_argument(
        "--no-check", action="store_true", help="do not compare cosmicdiff's result with truth.json"
    )
    p.add_argument("--json", type=Path, help="also write all measurements as JSON here")
    p.add_argument("--markdown", action="store_true", help="print README-ready tables")
    args = p.parse_args(argv)
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    args.work.mkdir(parents=True, exist_ok=True)
    if args.corpus:
        corpora = [Corpus(args.corpus, corpus_scale(args.corpus))]
    else:
        scales = [float(s) for s in args.scales.split(",") if s.strip()]
        corpora = [ensure_corpus(args.work, s, args.seed, args.regenerate) for s in scales]
    dd = (
        None
        if args.no_deepdiff
        else ensure_corpus(args.work, args.deepdiff_scale, args.seed, args.regenerate)
    )
    results = args.work / "results"
    results.mkdir(exist_ok=True)
    measures = measure(corpora, args.repeat, results, dd, args.deepdiff_timeout)
    startup = measure_startup(args.repeat)
    checks = {}
    if not args.no_check:
        for m in measures:
            c = next(
                (c for c in [*corpora, *([dd] if dd else [])] if c.path.name == m.corpus), None
            )
            if m.tool == "cosmicdiff" and m.ok and c and (c.path / "truth.json").is_file():
                checks[m.corpus] = check_truth(c, results / f"{m.corpus}.json")
    info = machine()
    print(report(measures, startup, checks, info, args.repeat, args.markdown))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "repeat": args.repeat,
                    "measures": [m.to_json() for m in measures + startup],
                    "truth_check": checks,
                    "targets": [
                        {"target": t, "measured": v, "met": ok}
                        for t, v, ok in targets(measures, startup)
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if all(m.ok for m in measures + startup) else 1


if __name__ == "__main__":
    sys.exit(main())
