"""Forked region workers: same result as one process, errors and dead workers handled."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from conftest import run_cli

from cosmicdiff import parallel
from cosmicdiff.errors import ExportError, InputErrors, Problem, UsageError
from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports.json_report import dumps_layout

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "baselines" / "espir"
REGIONS = sorted(p for p in (ROOT / "examples" / "regions").iterdir() if p.is_dir())

needs_fork = pytest.mark.skipif(not parallel.fork_available(), reason="fork workers: Linux only")


def _fail(exc: Exception) -> None:
    raise exc


@needs_fork
def test_results_come_back_in_task_order_with_exceptions() -> None:
    tasks = [lambda: os.getpid(), lambda: _fail(UsageError("nope")), lambda: "third"]
    out = parallel.run_tasks(tasks, jobs=2)
    assert [ok for ok, _ in out] == [True, False, True]
    assert out[0][1] != os.getpid()  # ran in a worker
    assert isinstance(out[1][1], UsageError) and str(out[1][1]) == "nope"
    assert out[2][1] == "third"


def test_one_job_runs_here() -> None:
    out = parallel.run_tasks([lambda: os.getpid(), lambda: os.getpid()], jobs=1)
    assert out == [(True, os.getpid()), (True, os.getpid())]


@needs_fork
def test_meanwhile_runs_in_the_parent_while_workers_run() -> None:
    seen: list[int] = []
    out = parallel.run_tasks(
        [lambda: 1, lambda: 2], jobs=2, meanwhile=lambda: seen.append(os.getpid())
    )
    assert out == [(True, 1), (True, 2)]
    assert seen == [os.getpid()]


@needs_fork
def test_input_errors_cross_the_process_boundary_intact() -> None:
    problems = [Problem("a.xml", 3, "bad"), Problem("b.xml", None, "worse")]
    out = parallel.run_tasks(
        [
            lambda: _fail(InputErrors(problems)),
            lambda: _fail(ExportError("c.xml", 7, "odd", "ctx")),
        ],
        jobs=2,
    )
    first, second = out[0][1], out[1][1]
    assert isinstance(first, InputErrors) and first.lines() == ["a.xml:3: bad", "b.xml: worse"]
    assert isinstance(second, ExportError) and second.lines() == ["c.xml:7: odd (ctx)"]


@needs_fork
def test_a_worker_that_dies_is_an_error_not_a_missing_region() -> None:
    with pytest.raises(parallel.WorkerFailed, match="task 2 ended without a result"):
        parallel.run_tasks([lambda: 1, lambda: os._exit(9)], jobs=2)


def test_no_fork_while_another_thread_runs() -> None:
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not parallel.fork_available()
        assert parallel.worker_count(3, 4) == 0
    finally:
        stop.set()
        t.join()


def test_jobs_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.JOBS_ENV, "3")
    assert parallel.default_jobs() == 3
    monkeypatch.setenv(parallel.JOBS_ENV, "many")
    with pytest.raises(UsageError, match="COSMICDIFF_JOBS='many'"):
        parallel.default_jobs()
    monkeypatch.setenv(parallel.JOBS_ENV, "0")
    assert parallel.default_jobs() >= 1


@needs_fork
def test_compare_in_workers_gives_the_same_bytes() -> None:
    def run(jobs: int) -> str:
        options = CompareOptions(jobs=jobs, today=__import__("datetime").date(2026, 11, 23))
        return dumps_layout(compare(BASELINE, REGIONS, options).to_json())

    serial = run(1)
    assert run(3) == serial
    assert run(2) == serial  # two workers for three regions: one waits for a free worker


@needs_fork
def test_keep_going_reports_an_unreadable_region_from_a_worker(tmp_path: Path) -> None:
    bad = tmp_path / "broken"
    bad.mkdir()
    (bad / "export.xml").write_text("<cosmicExport", encoding="utf-8")
    outcomes = []
    for jobs in (1, 3):
        options = CompareOptions(jobs=jobs, keep_going=True)
        result = compare(BASELINE, [REGIONS[0], bad, REGIONS[1]], options)
        outcomes.append([(r.id, r.compared, r.error) for r in result.regions])
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1][1] is False and "export.xml" in outcomes[0][1][2]


@needs_fork
def test_cli_jobs_option(tmp_path: Path) -> None:
    outs = []
    for jobs in ("1", "0"):
        out = tmp_path / f"r{jobs}.json"
        res = run_cli(
            "compare", "-b", BASELINE, *REGIONS, "--jobs", jobs, "--today", "2026-11-23", "-o", out
        )
        assert res.code == 1, res.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    bad = run_cli("compare", "-b", BASELINE, *REGIONS, "--jobs", "-1")
    assert bad.code == 2 and "--jobs" in bad.stderr


@needs_fork
def test_a_bug_in_a_worker_keeps_its_traceback_for_debug() -> None:
    def buggy() -> None:
        {}["missing"]

    (ok, exc), _ = parallel.run_tasks([buggy, lambda: 1], jobs=2)
    assert not ok and isinstance(exc, KeyError)
    notes = "".join(getattr(exc, "__notes__", []))
    assert "in a worker process" in notes and "buggy" in notes


def test_small_exports_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from cosmicdiff import pipeline as engine

    seen: list[int] = []

    def spy(tasks: list, jobs: int, meanwhile: object = None, stop_on_error: bool = False) -> list:
        seen.append(jobs)
        return parallel.run_tasks(tasks, jobs, meanwhile, stop_on_error)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "run_tasks", spy)
    monkeypatch.setattr(parallel, "default_jobs", lambda: 4)
    monkeypatch.setattr(engine, "default_jobs", lambda: 4)
    compare(BASELINE, REGIONS, CompareOptions())  # the examples: well below 1 MB
    monkeypatch.setattr(engine, "WORKERS_FROM_BYTES", 1)
    compare(BASELINE, REGIONS, CompareOptions())
    compare(BASELINE, REGIONS, CompareOptions(jobs=2))  # asked for: always
    assert seen == [1, 4, 2]


def test_without_keep_going_one_process_stops_at_the_first_failure() -> None:
    ran: list[int] = []

    def ok(n: int) -> int:
        ran.append(n)
        return n

    out = parallel.run_tasks(
        [lambda: ok(1), lambda: _fail(UsageError("x")), lambda: ok(3)], jobs=1, stop_on_error=True
    )
    assert [o for o, _ in out] == [True, False] and ran == [1]
