"""Fixtures for the report tests (paths and helpers: _support.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from reports._support import MINI_BASELINE, ROOT, TODAY, Run, write_region


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root so that reports show the same relative paths."""
    monkeypatch.chdir(ROOT)


@pytest.fixture
def compare(cli: Callable[..., Any]) -> Callable[..., Run]:
    """Return a runner of ``cosmicdiff compare REGIONS -b BASELINE --today TODAY -f FMT``."""

    def run(
        *regions: str | Path,
        baseline: str | Path = MINI_BASELINE,
        fmt: str | None = "json",
        extra: tuple[str, ...] = (),
    ) -> Run:
        args: list[str | Path] = ["compare", *regions, "-b", baseline, "--today", TODAY]
        if fmt:
            args += ["-f", fmt]
        res = cli(*args, *extra)
        return Run(res.code, res.stdout, res.stderr)

    return run


@pytest.fixture
def make_region(tmp_path: Path) -> Callable[..., Path]:
    """Return a factory: make_region(region_id, edits) -> a region folder under tmp_path."""

    def make(
        region_id: str, edits: Mapping[str, str] | None = None, name: str | None = None
    ) -> Path:
        return write_region(tmp_path / "regions" / region_id, region_id, edits, name)

    return make


@pytest.fixture
def make_baseline(tmp_path: Path) -> Callable[..., Path]:
    """Return a factory: a copy of the mini baseline with an optional waivers/rules file."""

    def make(name: str = "baseline", waivers: str | None = None, rules: str | None = None) -> Path:
        folder = tmp_path / name
        shutil.copytree(MINI_BASELINE, folder)
        if waivers is not None:
            (folder / "waivers.yaml").write_text(waivers, encoding="utf-8")
        if rules is not None:
            (folder / "rules.yaml").write_text(rules, encoding="utf-8")
        return folder

    return make
