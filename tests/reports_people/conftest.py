"""Fixtures for the people-facing report tests: example outputs rendered once per session,
a hostile baseline in a temporary folder and its reports.

Everything runs from the repository root (as the goldens do), so reports show the same
relative paths on every run.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from reports_people._helpers import (
    HOSTILE,
    HOSTILE_BASELINE_NAME,
    HOSTILE_CASE_ID,
    HOSTILE_CASE_NAME,
    MINI_BASELINE,
    MINI_COPY,
    ROOT,
    TODAY,
    Run,
    compare_examples,
    run,
)


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="session")
def _session_root() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        yield


@pytest.fixture(scope="session")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("people")


@pytest.fixture(scope="session")
def example_json(_session_root: None, out_dir: Path) -> Path:
    """The shipped examples' JSON result (compare --format json --today 2026-11-23)."""
    path = out_dir / "result.json"
    r = compare_examples("--format", "json", "--output", path)
    assert r.code == 1, r.stderr
    return path


@pytest.fixture(scope="session")
def example_doc(example_json: Path) -> dict:
    return json.loads(example_json.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example(_session_root: None, out_dir: Path) -> Callable[..., str]:
    """Return render(fmt, *extra) -> the compare output for the examples, cached."""
    cache: dict[tuple[str, ...], str] = {}

    def render(fmt: str, *extra: str) -> str:
        key = (fmt, *extra)
        if key not in cache:
            path = out_dir / ("compare-" + "-".join(k.strip("-") for k in key))
            r = compare_examples("--format", fmt, *extra, "--output", path)
            assert r.code == 1, r.stderr
            cache[key] = path.read_text(encoding="utf-8")
        return cache[key]

    return render


@pytest.fixture(scope="session")
def report_of(_session_root: None, example_json: Path, out_dir: Path) -> Callable[..., Run]:
    """Return render(fmt, *extra) -> Run of ``report RESULT.json --format FMT EXTRA`` (cached)."""
    cache: dict[tuple[str, ...], Run] = {}

    def render(fmt: str, *extra: str) -> Run:
        key = (fmt, *extra)
        if key not in cache:
            cache[key] = run("report", example_json, "--format", fmt, *extra)
        return cache[key]

    return render


@pytest.fixture(scope="session")
def hostile_baseline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini baseline renamed with quotes, a backslash, </style> and <script>, one case
    named with a pipe and markup and one case id with a pipe and markup."""
    folder = tmp_path_factory.mktemp("hostile") / "baseline"
    shutil.copytree(MINI_BASELINE, folder)
    doc = {
        "id": "mini",
        "name": HOSTILE_BASELINE_NAME,
        "version": "1.0",
        "cases": {
            "psychiatry": {"name": HOSTILE_CASE_NAME, "templates": ["B-JM-1"]},
            HOSTILE_CASE_ID: {"name": "Läkemedel", "templates": ["B-JM-2"]},
        },
    }
    (folder / "baseline.yaml").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def hostile(_session_root: None, hostile_baseline: Path, out_dir: Path) -> Callable[..., str]:
    """Return render(fmt, *extra) -> compare output of ppl-hostile and mini-copy against the
    hostile baseline (cached)."""
    cache: dict[tuple[str, ...], str] = {}

    def render(fmt: str, *extra: str) -> str:
        key = (fmt, *extra)
        if key not in cache:
            path = out_dir / ("hostile-" + "-".join(k.strip("-") for k in key))
            r = run(
                "compare",
                "--baseline",
                hostile_baseline,
                HOSTILE,
                MINI_COPY,
                "--today",
                TODAY,
                "--format",
                fmt,
                *extra,
                "--output",
                path,
            )
            assert r.code == 0, r.stderr
            cache[key] = path.read_text(encoding="utf-8")
        return cache[key]

    return render
