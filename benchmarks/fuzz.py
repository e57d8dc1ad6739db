"""Seeded mutation fuzzing of every input cosmicdiff reads: the exit-status contract holds.

Each case copies one seed input (a region export, the baseline, a foreign-format file, a saved
JSON result, a decisions file or a settings file), mutates one of its files a few times
(byte flips, deleted or repeated spans, hostile tokens such as DOCTYPEs, YAML tags, lone
surrogates, deep nesting, huge numbers, other encodings, truncation) and runs the command
that reads it. A case passes when

* the exit status is 0, 1 or 2 (3 is a bug, anything else a crash);
* nothing printed holds a traceback or "internal error";
* every line on stderr stands on its own (no continuation lines: one line per problem);
* the run ends within the time limit (no hang);
* no input file was changed.

The same case list is used in two ways: ``tests/test_fuzz.py`` runs a few hundred cases
in-process on every test run, and this script runs thousands, each as its own
``python -m cosmicdiff`` process::

    python benchmarks/fuzz.py --cases 3000 --seed 1 --jobs 2
    python benchmarks/fuzz.py --seed 1 --case 417 --keep /tmp/case417   # one case, kept

Cases are deterministic: (seed, index) always gives the same files and command.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "regions"
ESPIR = ROOT / "baselines" / "espir"
FIXTURES = ROOT / "tests" / "fixtures"

#: stderr lines a well-behaved run may print start like this; a line starting with white
#: space (or a bare "^", "in <file>" …) continues a message that should have been one line
_CONTINUATION = re.compile(r"^(\s|\^|in [<\"])")
_BAD_TEXT = ("Traceback (most recent call last)", "internal error")

# --- hostile tokens ----------------------------------------------------------------------------

_DEEP = 3000

XML_TOKENS: tuple[bytes, ...] = (
    b'<!DOCTYPE x [<!ENTITY e "EXPANDED-ENTITY">]>',
    b'<!-- <x --><!DOCTYPE x [<!ENTITY e "EXPANDED-ENTITY">]>',
    b'<?pi <x?><!DOCTYPE x SYSTEM "file:///etc/passwd">',
    b"&e;",
    b"&#0;",
    b"&#xD800;",
    b"&amp",
    b"&unknown;",
    b"]]>",
    b"<![CDATA[x]]>",
    b'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="/etc/passwd"/>',
    b"stray text",
    b"<a>" * _DEEP,
    b'<keyword id="=cmd|calc" name="=HYPERLINK(1)" type="Text"/>',
    b'<item keyword="SO-1"><item keyword="SO-1"/></item>',
    b'<template id="T" name="T"/>',
    b' id="dup"',
    b' name=""',
    b' status="gone"',
    b' type="Nope"',
    b' hiddenFrom1177="maybe"',
    b' mandatory="2"',
    b' noteType="zzz"',
    b' cases="nosuch"',
    b"\x00",
    b"\x0c",
    b"\xff\xfe",
    b"\xc3(",
    b"\xed\xa0\x80",
    b"<",
    b">",
    b'"',
    b"'",
    b"\r",
    b"\t\n",
)
YAML_TOKENS: tuple[bytes, ...] = (
    b"!!int x",
    b"!!float y",
    b"!!bool maybe",
    b"!!timestamp 2026-13-45",
    b"!!map [1]",
    b"!!seq {a: 1}",
    b"!!binary xx",
    b"!!python/object/apply:os.system [id]",
    b"!foo bar",
    b"&a [*a]",
    b"*x",
    b"<<: {a: 1}",
    b'"\\ud800"',
    b'"\\x00"',
    b"\x01",
    b"\x1b[31m",
    b"? [a, b]\n: c",
    b"[" * _DEEP,
    b"- " * 200 + b"x",
    b"{a: " * _DEEP,
    b"%YAML 1.1\n---\n",
    b"---\n--- \n",
    b"\tkey: tab",
    b"key: dup\nkey: dup",
    b"9" * 5000,
    b"2026-02-30",
    b"id: =HYPERLINK(1)",
    b"null",
    b"~",
    b"''",
    b": x",
    b"- -",
    b"\xff",
    b"\xed\xa0\x80",
    b"\r",
    b"\x85",
    "\u2028".encode("utf-8"),
)
JSON_TOKENS: tuple[bytes, ...] = (
    b'"\\ud800"',
    b'"\\udfff\\ud800"',
    b"1e999999",
    b"NaN",
    b"-Infinity",
    b"[" * 100000,
    b'{"a":' * _DEEP,
    b"9" * 5000,
    b'"resourceType": 5,',
    b'"resourceType": "Patient",',
    b"\xef\xbb\xbf",
    b"\x00",
    b'"\x01"',
    b",",
    b"}",
    b"]",
    b'"a": ',
    b'"\\u0000"',
    b'"deviations": 7,',
    b'"schema": "cosmicdiff/result/9",',
    b'"severity": "fatal",',
    b'"line": -5,',
    b'"line": "x",',
    b'"kind": "weird",',
    b'"items": null,',
    b"\xc3(",
)
CSV_TOKENS: tuple[bytes, ...] = (
    b'=HYPERLINK("http://x")',
    b'"unterminated',
    b";;;;;;;;",
    b",,,,,",
    b"\x00",
    b"\xe5\xe4\xf6",
    b"\r",
    b"x" * 70000,
    b"\xef\xbb\xbf",
    b"text",
    b"FixValue",
    b"Numeric;mm[Hg]",
    b"\xed\xa0\x80",
    b"\n\n\n",
    b"id;name;type\n",
    b'"a""b"',
    b"\t",
)
TOML_TOKENS: tuple[bytes, ...] = (
    b"a = " + b"[" * _DEEP,
    b"x = " + b"9" * 5000,
    b'x = "\\ud800"',
    b"outputs = 5",
    b'regions = ["../../../etc"]',
    b"[outputs]\njson = 5",
    b"fail-on = 'sometimes'",
    b"baseline = 5",
    b"[[a]]\n[a]",
    b"\x00",
    b"a.b.c.d = 1",
    b"lang = ''",
    b"\xff",
    b'output = "/dev/null"',
    b"keep-going = 'yes'",
    b"x = 1979-05-27T07:32:00Z",
)
ADL_TOKENS: tuple[bytes, ...] = (
    b"<",
    b">",
    b"{",
    b"}",
    b"[" * _DEEP,
    b"matches {",
    b'"\\ud800"',
    b"\x00",
    b"*",
    b"|",
    b"occurrences matches {0..*}",
    b"[at9999]",
    b"use_node",
    b"ARCHETYPE_SLOT",
    b"\xff",
    b'text = <"=HYPERLINK(1)">',
    b"9" * 5000,
)

_TOKENS: dict[str, tuple[bytes, ...]] = {
    ".xml": XML_TOKENS,
    ".opt": XML_TOKENS,
    ".yaml": YAML_TOKENS,
    ".yml": YAML_TOKENS,
    ".json": JSON_TOKENS,
    ".csv": CSV_TOKENS,
    ".toml": TOML_TOKENS,
    ".adl": ADL_TOKENS,
}
#: values that keep a file well-formed but change what it says (names, units, flags, ids), so
#: that cases reach the diff, the rules and every reporter, not only the readers
SAFE_VALUES: tuple[bytes, ...] = (
    b"Ny rubrik",
    b"\xc3\x85terbes\xc3\xb6k",
    b"x" * 300,
    b"",
    b" ",
    b"mmol/l",
    b"\xc2\xb5mol/l",
    b"inactive",
    b"retired",
    b"active",
    b"true",
    b"false",
    b"FixValue",
    b"Text",
    b"Numeric",
    b"ESP-SO-00228",
    b"ESP-VL-0001",
    b"psychiatry drugs",
    b"utr",
    b"&lt;script&gt;alert(1)&lt;/script&gt;",
    b"&quot;=HYPERLINK(1)&quot;",
    b"=cmd|' /C calc'!A0",
    b"+1",
    b"-1",
    b"@SUM(A1)",
    b"|pipe|",
    b"line&#10;break",
    b"\xe2\x80\xae",
    b"1",
    b"0",
    b"2026-02-30",
    b"icd-10-se",
    b"local:x",
)
_BYTES = b"\x00\x01\x0c\x1b\x7f\x80\xff<>&\"':-\n[{}]!*%=#\\"


# --- mutations ---------------------------------------------------------------------------------


def _pos(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def _line_start(rng: random.Random, data: bytes) -> int:
    starts = [0, *(m.end() for m in re.finditer(b"\n", data))]
    return rng.choice(starts)


def _flip(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    if not data:
        return bytes([rng.choice(_BYTES)]), "flip empty"
    i = rng.randrange(len(data))
    b = rng.choice(_BYTES) if rng.random() < 0.7 else rng.randrange(256)
    return data[:i] + bytes([b]) + data[i + 1 :], f"flip {i}={b:#x}"


def _delete(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    i = _pos(rng, data)
    n = rng.choice((1, 2, 8, 64, 512))
    return data[:i] + data[i + n :], f"delete {i}+{n}"


def _repeat(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data, "repeat nothing"
    a = rng.randrange(len(lines))
    b = min(len(lines), a + rng.choice((1, 2, 5, 20)))
    at = rng.randrange(len(lines) + 1)
    return b"".join(lines[:at] + lines[a:b] + lines[at:]), f"repeat lines {a}:{b} at {at}"


def _swap(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    lines = data.splitlines(keepends=True)
    if len(lines) < 2:
        return data, "swap nothing"
    a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return b"".join(lines), f"swap lines {a},{b}"


def _truncate(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    i = _pos(rng, data)
    return data[:i], f"truncate {i}"


def _insert(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    token = rng.choice(tokens)
    where = rng.random()
    i = 0 if where < 0.15 else _line_start(rng, data) if where < 0.6 else _pos(rng, data)
    return data[:i] + token + data[i:], f"insert {token[:24]!r} at {i}"


def _replace_value(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    spans = [m.span(1) for m in re.finditer(rb'"([^"\n]{0,80})"', data)]
    spans += [m.span(1) for m in re.finditer(rb": ([^\n#]{1,80})\n", data)]
    if not spans:
        return _insert(rng, data, tokens)
    a, b = rng.choice(spans)
    token = rng.choice(tokens)
    return data[:a] + token + data[b:], f"value {a}:{b} -> {token[:24]!r}"


def _safe_value(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    """Replace a quoted value with another well-formed one (the file stays readable)."""
    spans = [m.span(1) for m in re.finditer(rb'"([^"\n<>&]{0,80})"', data)]
    if not spans:
        return data, "no value to replace"
    a, b = rng.choice(spans)
    value = rng.choice(SAFE_VALUES)
    return data[:a] + value + data[b:], f"safe value {a}:{b} -> {value[:24]!r}"


def _swap_values(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    """Swap two quoted values (ids, names, units): well-formed, but the content moves."""
    spans = [m.span(1) for m in re.finditer(rb'"([^"\n<>&]{1,80})"', data)]
    if len(spans) < 2:
        return data, "no values to swap"
    (a, b), (c, d) = sorted(rng.sample(spans, 2))
    return (
        data[:a] + data[c:d] + data[b:c] + data[a:b] + data[d:],
        f"swap values {a}:{b} and {c}:{d}",
    )


def _reencode(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    text = data.decode("utf-8", errors="surrogateescape")
    enc = rng.choice(("utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "utf-8-sig"))
    return text.encode(enc, errors="replace"), f"reencode {enc}"


def _long_prolog(rng: random.Random, data: bytes, tokens: Sequence[bytes]) -> tuple[bytes, str]:
    """A prolog longer than any pre-scan window, then a DOCTYPE (XML only)."""
    text = data.decode("utf-8", errors="replace")
    head = "<!-- " + "x" * 70000 + " -->\n"
    doctype = '<!DOCTYPE x [<!ENTITY e "EXPANDED-ENTITY">]>\n'
    decl = ""
    if text.startswith("<?xml"):
        decl, _, text = text.partition("?>")
        decl += "?>\n"
        decl = re.sub(r'encoding="[^"]*"', 'encoding="UTF-16"', decl)
    out = decl + head + doctype + text.replace('name="', 'name="&e;', 1)
    return out.encode("utf-16"), "long utf-16 prolog with a DOCTYPE"


_MUTATORS: tuple[Callable[[random.Random, bytes, Sequence[bytes]], tuple[bytes, str]], ...] = (
    _flip,
    _flip,
    _delete,
    _repeat,
    _swap,
    _truncate,
    _insert,
    _insert,
    _insert,
    _insert,
    _replace_value,
    _replace_value,
    _reencode,
    _safe_value,
    _safe_value,
    _safe_value,
    _swap_values,
    _swap_values,
)


def mutate(rng: random.Random, data: bytes, suffix: str) -> tuple[bytes, list[str]]:
    """Apply one to three random mutations suited to the file type; return data and steps."""
    tokens = _TOKENS.get(suffix, XML_TOKENS + YAML_TOKENS)
    steps = []
    if suffix in (".xml", ".opt") and rng.random() < 0.03:
        data, step = _long_prolog(rng, data, tokens)
        return data, [step]
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        data, step = rng.choice(_MUTATORS)(rng, data, tokens)
        steps.append(step)
    return data, steps


# --- scenarios ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seeds:
    """The unmutated inputs, prepared once per run in ``folder`` (read-only to every case)."""

    folder: Path

    @property
    def baseline(self) -> Path:
        return self.folder / "espir"

    @property
    def regions(self) -> Path:
        return self.folder / "regions"

    @property
    def result(self) -> Path:
        return self.folder / "result.json"

    @property
    def decisions(self) -> Path:
        return self.folder / "decisions.yaml"

    @property
    def foreign(self) -> Path:
        return self.folder / "foreign"


Runner = Callable[[list[str], Path, float], "Outcome"]


def prepare_seeds(folder: Path, run: Runner) -> Seeds:
    """Copy the examples and fixtures into ``folder`` and produce a result and decisions file."""
    seeds = Seeds(folder)
    shutil.copytree(ESPIR, seeds.baseline)
    shutil.copytree(EXAMPLES, seeds.regions)
    seeds.foreign.mkdir()
    for src in (
        FIXTURES / "opt" / "mini.opt",
        FIXTURES / "adl" / "small.adl",
        FIXTURES / "fhir" / "questionnaires.json",
        FIXTURES / "fhir" / "codesystem.json",
        FIXTURES / "catalogue" / "mini.json",
        FIXTURES / "catalogue" / "shifted-cp1252.csv",
    ):
        shutil.copy(src, seeds.foreign / src.name)
    out = run(
        [
            "compare",
            "--baseline",
            str(seeds.baseline),
            str(seeds.regions / "jonkoping"),
            str(seeds.regions / "kalmar"),
            "--format",
            "json",
            "--output",
            str(seeds.result),
            "--today",
            "2026-12-01",
            "--jobs",
            "1",
        ],
        folder,
        120,
    )
    if out.code not in (0, 1) or not seeds.result.is_file():
        raise RuntimeError(f"preparing the seeds failed: {out.code} {out.stderr}")
    out = run(
        ["decisions", "template", str(seeds.result), "--output", str(seeds.decisions)], folder, 120
    )
    if out.code != 0:
        raise RuntimeError(f"preparing the decisions file failed: {out.code} {out.stderr}")
    return seeds


@dataclass
class Case:
    """One fuzz case: where its files are, which file was mutated how, what is run."""

    index: int
    scenario: str
    target: str
    steps: list[str]
    argv: list[str]
    folder: Path
    inputs: list[Path] = field(default_factory=list)

    def describe(self) -> str:
        """Return a one-line description that is enough to reproduce the case."""
        return (
            f"case {self.index} [{self.scenario}] {self.target}: {'; '.join(self.steps)} "
            f"| cosmicdiff {' '.join(self.argv)}"
        )


def _copy_tree(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _mutate_file(rng: random.Random, path: Path) -> list[str]:
    data, steps = mutate(rng, path.read_bytes(), path.suffix.lower())
    path.write_bytes(data)
    return steps


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file())


def make_case(seeds: Seeds, seed: int, index: int, folder: Path) -> Case:
    """Build case ``index`` of run ``seed`` in ``folder`` (an empty folder of its own)."""
    rng = random.Random(f"{seed}:{index}")
    scenario = rng.choices(
        ("region", "baseline", "foreign", "result", "decisions", "settings"),
        weights=(40, 20, 15, 10, 8, 7),
    )[0]
    out = folder / "out"
    out.mkdir()
    common = ["--today", "2026-12-01"]
    if scenario == "region":
        name = rng.choice(("jonkoping", "kalmar", "ostergotland"))
        region = _copy_tree(seeds.regions / name, folder / name)
        target = rng.choice(_files(region))
        steps = _mutate_file(rng, target)
        if rng.random() < 0.3:
            argv = ["validate", str(region)]
        else:
            fmt = rng.choice(
                ("json", "json", "sarif", "junit", "gitlab", "markdown", "html", "text")
            )
            argv = [
                "compare",
                "--baseline",
                str(seeds.baseline),
                str(region),
                "--format",
                fmt,
                "--output",
                str(out / f"report.{fmt}"),
                "--jobs",
                "1",
                *common,
            ]
    elif scenario == "baseline":
        base = _copy_tree(seeds.baseline, folder / "espir")
        target = rng.choice(_files(base))
        steps = _mutate_file(rng, target)
        if rng.random() < 0.3:
            argv = ["validate", str(base)]
        else:
            argv = [
                "compare",
                "--baseline",
                str(base),
                str(seeds.regions / "ostergotland"),
                "--format",
                "json",
                "--output",
                str(out / "r.json"),
                "--jobs",
                "1",
                *common,
            ]
    elif scenario == "foreign":
        source = rng.choice(_files(seeds.foreign))
        target = folder / source.name
        shutil.copy(source, target)
        steps = _mutate_file(rng, target)
        argv = [
            "compare",
            "--baseline",
            str(source),
            str(target),
            "--format",
            "json",
            "--output",
            str(out / "r.json"),
            "--jobs",
            "1",
            *common,
        ]
    elif scenario == "result":
        target = folder / "result.json"
        shutil.copy(seeds.result, target)
        steps = _mutate_file(rng, target)
        argv = rng.choice(
            (
                ["report", str(target), "--format", "html", "--output", str(out / "r.html")],
                ["report", str(target), "--format", "markdown", "--output", str(out / "r.md")],
                ["report", str(target), "--format", "sarif", "--output", str(out / "r.sarif")],
                ["report", str(target), "--format", "junit", "--output", str(out / "r.xml")],
                [
                    "matrix",
                    "--from-result",
                    str(target),
                    "--format",
                    "csv",
                    "--output",
                    str(out / "m.csv"),
                ],
                ["decisions", "template", str(target), "--output", str(out / "d.yaml")],
                [
                    "compare",
                    "--baseline",
                    str(seeds.baseline),
                    str(seeds.regions / "jonkoping"),
                    "--reference",
                    str(target),
                    "--fail-on-new",
                    "--format",
                    "json",
                    "--output",
                    str(out / "r.json"),
                    "--jobs",
                    "1",
                    *common,
                ],
            )
        )
    elif scenario == "decisions":
        target = folder / "decisions.yaml"
        shutil.copy(seeds.decisions, target)
        steps = _mutate_file(rng, target)
        argv = [
            "decisions",
            "apply",
            str(target),
            "--waivers",
            str(out / "waivers.yaml"),
            "--proposal",
            str(out / "proposal.yaml"),
            "--today",
            "2026-12-01",
        ]
    else:
        target = folder / "cosmicdiff.toml"
        target.write_text(
            f'baseline = "{seeds.baseline.as_posix()}"\n'
            f'regions = ["{(seeds.regions / "kalmar").as_posix()}"]\n'
            'fail-on = "error"\nlang = "sv"\nkeep-going = false\n\n'
            '[outputs]\njson = "out/settings.json"\nhtml = "out/settings.html"\n',
            encoding="utf-8",
        )
        steps = _mutate_file(rng, target)
        argv = rng.choice(
            (
                ["--config", str(target), "config"],
                [
                    "--config",
                    str(target),
                    "compare",
                    "--format",
                    "json",
                    "--output",
                    str(out / "r.json"),
                    "--jobs",
                    "1",
                    *common,
                ],
            )
        )
    inputs = [p for p in sorted(folder.rglob("*")) if p.is_file() and out not in p.parents]
    return Case(
        index=index,
        scenario=scenario,
        target=target.relative_to(folder).as_posix(),
        steps=steps,
        argv=argv,
        folder=folder,
        inputs=inputs,
    )


# --- running ------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one run of the CLI gave."""

    code: int | None  # None: it did not end in time
    stdout: str
    stderr: str
    seconds: float = 0.0
    crash: str | None = None  # an exception that escaped the CLI (in-process runs)


def _digest(paths: Sequence[Path]) -> dict[Path, str]:
    out = {}
    for p in paths:
        try:
            out[p] = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError:
            out[p] = "unreadable"
    return out


def check(case: Case, outcome: Outcome, before: dict[Path, str]) -> list[str]:
    """Return what is wrong with the outcome of a case (empty: it passed)."""
    problems = []
    if outcome.code is None:
        problems.append(f"no end within the time limit ({outcome.seconds:.0f} s)")
    elif outcome.crash:
        problems.append(f"an exception escaped the CLI: {outcome.crash}")
    elif outcome.code not in (0, 1, 2):
        problems.append(f"exit status {outcome.code}")
    both = outcome.stdout + outcome.stderr
    for bad in _BAD_TEXT:
        if bad in both:
            problems.append(f"printed {bad!r}")
    if "EXPANDED-ENTITY" in both:
        problems.append("an entity was expanded into the output")
    for line in outcome.stderr.splitlines():
        if line and _CONTINUATION.match(line):
            problems.append(f"stderr continuation line {line[:80]!r}")
            break
    if outcome.code == 2 and not outcome.stderr.strip() and not outcome.stdout.strip():
        problems.append("exit 2 without a message")
    if outcome.code in (0, 1):
        problems.extend(_output_problems(case))
    after = _digest(list(before))
    changed = [p.name for p in before if after[p] != before[p]]
    if changed:
        problems.append(f"inputs changed: {', '.join(changed)}")
    return problems


def _output_problems(case: Case) -> list[str]:
    """Return what is wrong with the reports a successful run wrote (parse them back)."""
    problems = []
    out = case.folder / "out"
    for path in sorted(out.rglob("*")) if out.is_dir() else []:
        if path.name.startswith("."):
            problems.append(f"a temporary file was left behind: {path.name}")
            continue
        data = path.read_bytes()
        if path.suffix in (".json", ".sarif"):
            try:
                json.loads(data)
            except ValueError as exc:
                problems.append(f"{path.name} is not JSON: {exc}")
        if path.suffix in (".html", ".md") and (b"<script>alert" in data or b"<script" in data):
            problems.append(f"{path.name} holds an unescaped <script>")
        if path.suffix == ".xml":
            from lxml import etree

            try:
                etree.fromstring(data)
            except etree.XMLSyntaxError as exc:
                problems.append(f"{path.name} is not XML: {exc}")
    return problems


def run_subprocess(argv: list[str], cwd: Path, timeout: float) -> Outcome:
    """Run ``python -m cosmicdiff`` as a user would (the real entry point, a fresh process)."""
    env = {**os.environ, "CI": "true", "NO_COLOR": "1", "COSMICDIFF_JOBS": "1"}
    env.pop("COSMICDIFF_DEBUG", None)
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "cosmicdiff", *argv],
            cwd=cwd,
            env=env,
            capture_output=True,
            timeout=timeout,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        return Outcome(None, _text(exc.stdout), _text(exc.stderr), time.perf_counter() - start)
    return Outcome(
        proc.returncode, _text(proc.stdout), _text(proc.stderr), time.perf_counter() - start
    )


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    return data if isinstance(data, str) else data.decode("utf-8", errors="replace")


def iter_cases(seeds: Seeds, seed: int, indexes: Sequence[int], work: Path) -> Iterator[Case]:
    """Yield the cases ``indexes`` of run ``seed``, each in a folder of its own under ``work``."""
    for index in indexes:
        folder = work / f"case{index:05d}"
        folder.mkdir()
        yield make_case(seeds, seed, index, folder)


def run_case(case: Case, run: Runner, timeout: float) -> list[str]:
    """Run one case and return its problems."""
    before = _digest(case.inputs)
    outcome = run(case.argv, case.folder, timeout)
    return check(case, outcome, before)


def main(argv: Sequence[str] | None = None) -> int:
    """Run many cases as real processes; print the figures; exit 1 when any case failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=3000, help="how many cases (default 3000)")
    parser.add_argument("--seed", type=int, default=1, help="run seed (default 1)")
    parser.add_argument("--case", type=int, help="run only this case index")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per case")
    parser.add_argument("--keep", type=Path, help="keep the case folders here")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="cosmicdiff-fuzz-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    seeds = prepare_seeds(work / "seeds", run_subprocess)
    indexes = [args.case] if args.case is not None else list(range(args.cases))
    codes: Counter[str] = Counter()
    failures: list[str] = []
    slowest = 0.0

    def one(index: int) -> tuple[Case, Outcome, list[str]]:
        folder = work / f"case{index:05d}"
        folder.mkdir()
        case = make_case(seeds, args.seed, index, folder)
        before = _digest(case.inputs)
        outcome = run_subprocess(case.argv, case.folder, args.timeout)
        problems = check(case, outcome, before)
        if args.keep is None and not problems:
            shutil.rmtree(folder, ignore_errors=True)
        return case, outcome, problems

    try:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            for case, outcome, problems in pool.map(one, indexes):
                codes["hang" if outcome.code is None else str(outcome.code)] += 1
                slowest = max(slowest, outcome.seconds)
                if problems:
                    failures.append(
                        f"{case.describe()}\n    "
                        + "\n    ".join(problems)
                        + f"\n    stderr: {outcome.stderr.strip()[:400]}"
                    )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    for text in failures:
        print(text)
    elapsed = time.perf_counter() - started
    summary = {
        "cases": len(indexes),
        "seed": args.seed,
        "failed": len(failures),
        "exit_status": dict(sorted(codes.items())),
        "slowest_case_s": round(slowest, 2),
        "seconds": round(elapsed, 1),
    }
    print(json.dumps(summary))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
