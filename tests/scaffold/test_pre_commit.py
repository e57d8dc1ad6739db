"""The pre-commit hooks: run `pre-commit run --all-files` in a temporary git repository.

The hooks are used as `repo: local` with `language: system`, the same hooks as
.pre-commit-hooks.yaml (entry, files, pass_filenames) but running the cosmicdiff of this venv.
The remote form (`repo: <cosmicdiff's repository>` with `rev:`) would make pre-commit clone
that repository at a committed `rev` (the hooks file may not be committed yet) and build a
virtualenv with cosmicdiff and its dependencies from the package index: slow, networked, and
a test of the committed tree rather than the working tree. Needs git and pre-commit (the
test extra); they are skipped when missing here, never under CI=true.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cosmicdiff.authoring.scaffold import scaffold

from ._support import (
    ESPIR,
    HOOKS_FILE,
    MINI_BASELINE,
    MINI_COPY,
    break_xml,
    examples,
    fill_programme,
    need,
    tool_env,
)

# prints, builds packages or runs CI templates: `-m 'not slow'` skips these locally
pytestmark = pytest.mark.slow


@pytest.fixture
def tools() -> None:
    need(shutil.which("git") is not None, "git")
    need(importlib.util.find_spec("pre_commit") is not None, "pre-commit")


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=tool_env(PRE_COMMIT_HOME=str(home)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def git(*args: str, cwd: Path) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, env=tool_env(), check=True, capture_output=True, timeout=60
    )


def init_git(repo: Path) -> None:
    git("init", "-q", cwd=repo)
    git("config", "user.email", "test@example.invalid", cwd=repo)
    git("config", "user.name", "cosmicdiff tests", cwd=repo)
    git("config", "commit.gpgsign", "false", cwd=repo)
    git("add", "-A", cwd=repo)


def local_hooks_config() -> str:
    """.pre-commit-hooks.yaml's hooks as `repo: local` hooks that run this venv's cosmicdiff."""
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    local = [{**hook, "language": "system"} for hook in hooks]
    for hook in local:
        hook.pop("description", None)
    return yaml.safe_dump({"repos": [{"repo": "local", "hooks": local}]}, sort_keys=False)


def hook_result(output: str, name: str) -> str:
    """Return 'Passed', 'Failed' or 'Skipped' from pre-commit's line for the hook."""
    match = re.search(
        rf"^{re.escape(name)}\.+\s*(\(no files to check\))?(Passed|Failed|Skipped)", output, re.M
    )
    assert match, output
    return match.group(2)


@pytest.fixture
def clean_repo(tmp_path: Path, tools: None) -> Path:
    """A scaffolded programme repository with the mini baseline and an identical region."""
    repo = tmp_path / "repo"
    scaffold(repo, kind="programme", ci=None, region=None)
    fill_programme(repo, baseline=MINI_BASELINE, regions={"copy": MINI_COPY})
    settings = repo / "cosmicdiff.toml"
    text, n = re.subn(
        r"(?m)^regions = \[.*\]$",
        'regions = ["regions/copy"]',
        settings.read_text(encoding="utf-8"),
    )
    assert n == 1
    settings.write_text(text, encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(local_hooks_config(), encoding="utf-8")
    init_git(repo)
    return repo


def test_hooks_pass_on_a_conformant_repository(clean_repo: Path, tmp_path: Path) -> None:
    run = pre_commit("run", "--all-files", cwd=clean_repo, home=tmp_path / "cache")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert hook_result(out, "cosmicdiff validate") == "Passed"
    assert hook_result(out, "cosmicdiff compare") == "Passed"


def test_validate_hook_names_the_broken_file_and_line(clean_repo: Path, tmp_path: Path) -> None:
    line = break_xml(clean_repo / "regions" / "copy" / "export.xml")
    git("add", "-A", cwd=clean_repo)
    run = pre_commit("run", "--all-files", cwd=clean_repo, home=tmp_path / "cache")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert hook_result(out, "cosmicdiff validate") == "Failed"
    validate_section = out.split("cosmicdiff compare")[0]
    assert "exit code: 2" in validate_section
    assert re.search(rf"^regions/copy/export\.xml:{line}: ", validate_section, re.M), out
    assert hook_result(out, "cosmicdiff compare") == "Failed"  # it cannot read it either


def test_hooks_run_only_for_export_files(clean_repo: Path, tmp_path: Path) -> None:
    run = pre_commit("run", "--files", "regions/README.md", cwd=clean_repo, home=tmp_path / "cache")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert hook_result(out, "cosmicdiff validate") == "Skipped"


def test_scaffolded_config_as_written(tmp_path: Path, tools: None) -> None:
    """The scaffold's own .pre-commit-config.yaml, unchanged, in the eSPiR programme layout
    with the example regions: validate passes, compare fails with the text report."""
    repo = tmp_path / "repo"
    scaffold(repo, kind="programme", ci=None, region=None)
    fill_programme(repo, baseline=ESPIR, regions=examples())
    init_git(repo)
    check = pre_commit(
        "validate-config", ".pre-commit-config.yaml", cwd=repo, home=tmp_path / "cache"
    )
    assert check.returncode == 0, check.stdout + check.stderr
    run = pre_commit("run", "--all-files", cwd=repo, home=tmp_path / "cache")
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert hook_result(out, "cosmicdiff validate") == "Passed"
    assert hook_result(out, "cosmicdiff compare") == "Failed"
    compare_section = out.split("cosmicdiff compare")[1]
    assert "exit code: 1" in compare_section
    assert "Region Kalmar län" in compare_section and '"deviations"' not in compare_section
    # the reports of [outputs] were written, and reports/.gitignore keeps them out of git
    assert (repo / "reports" / "cosmicdiff.html").is_file()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        env=tool_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [ln for ln in status.splitlines() if "reports/" in ln] == ["A  reports/.gitignore"]


def test_hooks_manifest_is_valid(tmp_path: Path, tools: None) -> None:
    check = pre_commit("validate-manifest", str(HOOKS_FILE), cwd=tmp_path, home=tmp_path / "cache")
    assert check.returncode == 0, check.stdout + check.stderr
