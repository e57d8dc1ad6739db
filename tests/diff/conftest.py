"""Fixtures of the comparison-engine tests (helpers live in helpers.py)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path

import pytest

from cosmicdiff.model import Export
from cosmicdiff.parsers import load_baseline
from cosmicdiff.result.result import Result

from .helpers import MINI_BASELINE, RunRegion, run_compare, write_region


@pytest.fixture(scope="session")
def mini() -> Export:
    """The mini baseline's model, as a region export would hold it."""
    return load_baseline(MINI_BASELINE).export


@pytest.fixture
def run_region(tmp_path: Path) -> RunRegion:
    """Return ``run(export, mapping=None, cases=(), baseline=MINI_BASELINE) -> Result``.

    Each call writes the export as a new region folder under ``tmp_path`` and compares it.
    """
    counter = itertools.count(1)

    def run(
        export: Export,
        mapping: Mapping[str, Mapping[str, str]] | None = None,
        cases: tuple[str, ...] = (),
        baseline: Path = MINI_BASELINE,
    ) -> Result:
        folder = write_region(tmp_path / f"region-{next(counter)}", export, mapping=mapping)
        return run_compare(baseline, folder, cases=cases)

    return run
