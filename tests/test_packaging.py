"""Packaging: the wheel carries everything cosmicdiff reads at run time."""

from __future__ import annotations

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT
from setuptools import find_packages

# prints, builds packages or runs CI templates: `-m 'not slow'` skips these locally
pytestmark = pytest.mark.slow


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = set(find_packages(str(ROOT), include=["cosmicdiff", "cosmicdiff.*"]))
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_wheel_contents(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cosmicdiff-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "cosmicdiff/_baselines/espir/baseline.yaml",
        "cosmicdiff/_baselines/espir/rules.yaml",
        "cosmicdiff/_baselines/espir/waivers.yaml",
        "cosmicdiff/schemas/export-1.xsd",
        "cosmicdiff/reports/templates/report.html.j2",
        "cosmicdiff/reports/templates/report.md.j2",
        "cosmicdiff/reports/templates/trend.html.j2",
        "cosmicdiff/reports/charts/figure.py",
        "cosmicdiff/reports/i18n/sv.json",
        "cosmicdiff/reports/i18n/en.json",
        "cosmicdiff/py.typed",
    ):
        assert needed in names, needed
    shipped = {n for n in names if n.startswith("cosmicdiff/_baselines/espir/")}
    source = {
        f"cosmicdiff/_baselines/espir/{p.name}" for p in (ROOT / "baselines" / "espir").iterdir()
    }
    assert shipped == source
