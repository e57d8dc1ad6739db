"""Paths and helpers shared by the scaffold, CI-template and pre-commit tests."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MINI_BASELINE = FIXTURES / "baselines" / "mini"
MINI_COPY = FIXTURES / "regions" / "mini-copy"
ESPIR = ROOT / "baselines" / "espir"
EXAMPLES = ROOT / "examples" / "regions"
#: the public CI templates, and the package data the scaffold copies them from
PUBLIC_CI = ROOT / "ci"
PACKAGE_TEMPLATES = ROOT / "cosmicdiff" / "authoring" / "scaffold_templates"
HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"

#: the folder of the interpreter running the tests: its cosmicdiff (installed editable) and
#: pre-commit are the ones the scripts and hooks must run
VENV_BIN = Path(sys.executable).parent

#: XML edit that makes the mini-copy export malformed: a mismatched end tag
BREAK_XML = ("</keywords>", "</keyword>")


def need(available: bool, what: str) -> None:
    """Skip a test when a tool is missing here, but never under CI=true: fail there."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{what} is missing, and CI=true: install it (pre-commit is in the test "
            "extra; git from the system)"
        )
    pytest.skip(f"{what} is missing")


def tool_env(**extra: str) -> dict[str, str]:
    """Return an environment for a subprocess: this venv first on PATH, no stray settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COSMICDIFF_", "GITHUB_", "GIT_", "PRE_COMMIT"))
    }
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
    env["NO_COLOR"] = "1"
    env.update(extra)
    return env


def copy_tree(src: Path, dest: Path) -> None:
    """Copy a baseline or region folder into a scaffolded repository (its README may be there)."""
    shutil.copytree(src, dest, dirs_exist_ok=True)


def fill_programme(repo: Path, *, baseline: Path, regions: dict[str, Path]) -> None:
    """Put a baseline into ``baselines/espir`` and regions into ``regions/<name>``."""
    copy_tree(baseline, repo / "baselines" / "espir")
    for name, src in regions.items():
        copy_tree(src, repo / "regions" / name)


def examples() -> dict[str, Path]:
    """Return the example regions by folder name (they deviate from eSPiR: exit 1)."""
    return {p.name: p for p in sorted(EXAMPLES.iterdir()) if p.is_dir()}


def break_xml(path: Path) -> int:
    """Make an export malformed; return the line of the broken end tag."""
    text = path.read_text(encoding="utf-8")
    old, new = BREAK_XML
    assert text.count(old) == 1, path
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    return line
