"""A seeded mutation fuzz run on every test run: no input gives exit 3, a traceback or a hang.

The harness is ``benchmarks/fuzz.py`` (its docstring says what a case is and what it checks);
here a few hundred cases run in-process, through the CLI's click command built once. The long
run (thousands of cases, each a real process) is ``python benchmarks/fuzz.py --cases 3000``.
The seed changes with ``COSMICDIFF_FUZZ_SEED`` (a failing case prints how to reproduce it).
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from benchmarks import fuzz
from cosmicdiff.cli.app import app

CASES = 240
CHUNKS = 4
SEED = int(os.environ.get("COSMICDIFF_FUZZ_SEED", "20261203"))
TIMEOUT = 30.0


class _Hang(BaseException):
    """Raised by the alarm when a case runs past its time limit."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: object) -> None:
        raise _Hang()

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_in_process(argv: list[str], cwd: Path, timeout: float) -> fuzz.Outcome:
    """Run the CLI in this process (as ``fuzz.run_subprocess`` does in a new one)."""
    runner = CliRunner()
    env = {"CI": "true", "NO_COLOR": "1", "COSMICDIFF_JOBS": "1", "COSMICDIFF_DEBUG": None}
    try:
        with contextlib.chdir(cwd), _time_limit(timeout):
            res = runner.invoke(app, argv, env=env, catch_exceptions=True, prog_name="cosmicdiff")
    except _Hang:
        return fuzz.Outcome(None, "", "", timeout)
    crash = None
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        crash = f"{type(res.exception).__name__}: {res.exception}"
    return fuzz.Outcome(res.exit_code, res.stdout, res.stderr, crash=crash)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> fuzz.Seeds:
    return fuzz.prepare_seeds(tmp_path_factory.mktemp("fuzz") / "seeds", run_in_process)


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_inputs_keep_the_exit_contract(
    seeds: fuzz.Seeds, tmp_path: Path, chunk: int
) -> None:
    # four chunks of the same seeded run, so that parallel workers share the work
    size = CASES // CHUNKS
    numbers = range(chunk * size, (chunk + 1) * size)
    failures = []
    for case in fuzz.iter_cases(seeds, SEED, numbers, tmp_path):
        problems = fuzz.run_case(case, run_in_process, TIMEOUT)
        if problems:
            failures.append(f"{case.describe()}: {'; '.join(problems)}")
    assert not failures, (
        f"{len(failures)} of {size} fuzz cases broke the contract "
        f"(reproduce: python benchmarks/fuzz.py --seed {SEED} --case N "
        "--keep /tmp/case):\n" + "\n".join(failures[:30])
    )


def test_the_run_covers_every_scenario(seeds: fuzz.Seeds, tmp_path: Path) -> None:
    scenarios = {case.scenario for case in fuzz.iter_cases(seeds, SEED, range(CASES), tmp_path)}
    assert scenarios == {"region", "baseline", "foreign", "result", "decisions", "settings"}


def test_cases_are_deterministic(seeds: fuzz.Seeds, tmp_path: Path) -> None:
    first = [fuzz.make_case(seeds, 7, i, _fresh(tmp_path / f"a{i}")) for i in range(12)]
    again = [fuzz.make_case(seeds, 7, i, _fresh(tmp_path / f"b{i}")) for i in range(12)]
    assert [(c.scenario, c.target, c.steps) for c in first] == [
        (c.scenario, c.target, c.steps) for c in again
    ]
    for a, b in zip(first, again, strict=True):
        assert (a.folder / a.target).read_bytes() == (b.folder / b.target).read_bytes()
    assert len({c.scenario for c in first}) > 1


def _fresh(folder: Path) -> Path:
    folder.mkdir()
    return folder


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        (fuzz.Outcome(3, "", "cosmicdiff: internal error: boom"), "exit status 3"),
        (fuzz.Outcome(2, "", "Traceback (most recent call last):\n  File x"), "Traceback"),
        (
            fuzz.Outcome(2, "", 'a.yaml: invalid YAML: bad\n  in "<unicode string>", line 3'),
            "continuation",
        ),
        (fuzz.Outcome(None, "", "", 30.0), "time limit"),
        (fuzz.Outcome(1, "", "", crash="KeyError: 'x'"), "escaped"),
        (fuzz.Outcome(2, "", ""), "without a message"),
        (fuzz.Outcome(0, "<name>EXPANDED-ENTITY</name>", ""), "entity"),
    ],
    ids=["exit3", "traceback", "two-lines", "hang", "crash", "silent-2", "entity"],
)
def test_the_checks_catch_each_kind_of_failure(
    tmp_path: Path, outcome: fuzz.Outcome, expected: str
) -> None:
    case = fuzz.Case(index=0, scenario="region", target="x", steps=[], argv=[], folder=tmp_path)
    problems = fuzz.check(case, outcome, {})
    assert any(expected in p for p in problems), problems


def test_a_changed_input_is_caught(tmp_path: Path) -> None:
    f = tmp_path / "export.xml"
    f.write_text("<a/>")
    case = fuzz.Case(
        index=0, scenario="region", target=f.name, steps=[], argv=[], folder=tmp_path, inputs=[f]
    )
    before = fuzz._digest([f])
    f.write_text("<b/>")
    assert fuzz.check(case, fuzz.Outcome(0, "", ""), before) == ["inputs changed: export.xml"]


@pytest.mark.slow
def test_the_long_run_script_runs_real_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = fuzz.main(
        ["--cases", "2", "--seed", "3", "--jobs", "2", "--keep", str(tmp_path / "run")]
    )
    out = capsys.readouterr().out
    assert '"cases": 2' in out
    assert code in (0, 1)
    assert (tmp_path / "run" / "case00000").is_dir()
