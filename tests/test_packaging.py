"""Packaging: the wheel carries everything cosmicdiff reads at run time."""

from __future__ import annotations

import tomllib

from conftest import ROOT
from setuptools import find_packages


def test_every_package_is_listed_in_pyproject() -> None:
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"][
            "packages"
        ]
    )
    found = set(find_packages(str(ROOT), include=["cosmicdiff", "cosmicdiff.*"]))
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"


# The wheel's contents: tests/scaffold/test_ci_install.py (one release build per session,
# from a tagged copy of the working tree, never in the source tree).
