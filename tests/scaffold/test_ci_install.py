"""A release built from this working tree, and the CI templates' install steps run against it.

Once per module: the working tree is copied into a fresh git repository, released as
docs/release.md says (a CHANGELOG section, the templates' pin, a commit, the tag ``v9.8.7``)
and built by ``.ci/release.py --no-isolation``: ``python -m build`` makes the sdist and, from
it, the wheel, offline (setuptools, setuptools-scm and wheel from the test extra), and twine
checks them. Each template's job then runs whole, install step first,
in a fresh virtual environment that sees the test environment's packages but not its
cosmicdiff: once with COSMICDIFF_WHEEL (file:// URL) and its sha256, once from the git tag.
``PIP_NO_INDEX`` keeps pip off every package index.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from cosmicdiff.authoring.scaffold import scaffold

from ._support import ESPIR, ROOT, examples, fill_programme, need, tool_env
from .ci_jobs import load_job, run_job

pytestmark = pytest.mark.slow  # builds a release, makes virtual environments, runs pip

TAG, VERSION = "v9.8.7", "9.8.7"
CI_PACKAGE = ("cosmicdiff", "authoring", "scaffold_templates", "ci")
PLATFORMS = {
    "gitlab": ".gitlab-ci.yml",
    "azure": "azure-pipelines.yml",
    "github": ".github/workflows/cosmicdiff.yml",
}
#: not copied into the release repository: caches, builds, the generated version file
IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "_version.py",
)


@dataclass(frozen=True)
class Release:
    repo: Path  # a git repository of this working tree, tagged TAG
    wheel: Path
    sdist: Path


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.org", *args],
        cwd=repo,
        env=tool_env(),
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout


def _working_tree(dest: Path) -> None:
    """Copy this working tree (what git would see: tracked and new files, not ignored ones)."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
        for rel in filter(None, listed.split("\0")):
            src = ROOT / rel
            if src.is_file() and not rel.endswith("_version.py"):
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / rel)
    else:  # an unpacked sdist
        shutil.copytree(ROOT, dest, ignore=IGNORE, dirs_exist_ok=True)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    """Build once per test session: under pytest-xdist the workers share the session's
    temporary folder, and the first one to take the lock builds."""
    need(shutil.which("git") is not None, "git")
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # not under xdist (or -p no:xdist)
        return _build_release(tmp_path_factory.mktemp("release"))
    shared = tmp_path_factory.getbasetemp().parent
    with (shared / "release.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = shared / "release" / "built"
        if done.is_file():
            return Release(*(Path(p) for p in done.read_text(encoding="utf-8").splitlines()))
        built = _build_release(shared / "release")
        done.write_text("\n".join(map(str, (built.repo, built.wheel, built.sdist))), "utf-8")
        return built


def _build_release(folder: Path) -> Release:
    repo = folder / "cosmicdiff"
    repo.mkdir(parents=True)
    _working_tree(repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--no-gpg-sign", "-m", "the working tree")
    _prepare_release(repo)
    _git(repo, "commit", "-q", "--no-gpg-sign", "-am", f"Release {VERSION}")
    _git(repo, "tag", "-a", TAG, "-m", f"cosmicdiff {VERSION}")
    proc = _release_script(repo)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "nothing was published" in proc.stdout
    dist = repo / "dist"
    return Release(
        repo,
        dist / f"cosmicdiff-{VERSION}-py3-none-any.whl",
        dist / f"cosmicdiff-{VERSION}.tar.gz",
    )


def _prepare_release(repo: Path) -> None:
    """What docs/release.md asks before the tag: the Unreleased entries become the version's
    section, and the CI templates install the new tag."""
    changelog = repo / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8")
    text, n = re.subn(
        r"(?m)^## \[Unreleased\]$", f"## [Unreleased]\n\n## [{VERSION}] - 2026-12-04", text
    )
    assert n == 1
    changelog.write_text(text, encoding="utf-8")
    for path in [*repo.joinpath("ci").glob("*.yml"), *repo.joinpath(*CI_PACKAGE).glob("*.yml")]:
        text, n = re.subn(
            r'COSMICDIFF_VERSION: "v[^"]+"', f'COSMICDIFF_VERSION: "{TAG}"', path.read_text("utf-8")
        )
        assert n == 1, path
        path.write_text(text, encoding="utf-8")


def _release_script(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(repo / ".ci" / "release.py"), "--no-isolation"],
        cwd=repo,
        env=tool_env(),
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_version_is_the_tag_and_twine_check_passes(release: Release) -> None:
    assert release.wheel.is_file() and release.sdist.is_file()
    sums = (release.wheel.parent / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    digest = hashlib.sha256(release.wheel.read_bytes()).hexdigest()
    assert f"{digest}  {release.wheel.name}" in sums
    assert len(sums) == 2
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "twine",
            "check",
            "--strict",
            str(release.wheel),
            str(release.sdist),
        ],
        env=tool_env(NO_COLOR="1"),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2, proc.stdout


def test_the_wheel_holds_the_package_data(release: Release) -> None:
    """What cosmicdiff reads at run time travels in the wheel (from the sdist, without .git)."""
    names = set(zipfile.ZipFile(release.wheel).namelist())
    shipped = {f"cosmicdiff/_baselines/espir/{p.name}" for p in ESPIR.iterdir() if p.is_file()}
    templates = {
        f"cosmicdiff/{p.relative_to(ROOT / 'cosmicdiff').as_posix()}"
        for folder in ("reports/templates", "reports/i18n", "authoring/scaffold_templates")
        for p in (ROOT / "cosmicdiff" / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"
    }
    expected = {
        "cosmicdiff/py.typed",
        "cosmicdiff/reports/charts/figure.py",
        "cosmicdiff/parsers/cosmic/xlsx_keywords.py",
        "cosmicdiff/schemas/export-1.xsd",
        "cosmicdiff/_version.py",
        f"cosmicdiff-{VERSION}.dist-info/METADATA",
        f"cosmicdiff-{VERSION}.dist-info/entry_points.txt",
    }
    assert shipped and templates
    missing = (shipped | templates | expected) - names
    assert not missing, sorted(missing)
    assert {n for n in names if n.startswith("cosmicdiff/_baselines/espir/")} == shipped
    assert not [n for n in names if n.startswith(("tests/", "examples/", "benchmarks/"))]
    version_file = zipfile.ZipFile(release.wheel).read("cosmicdiff/_version.py").decode()
    assert f'__version__ = "{VERSION}"' in version_file


def _scm_version(root: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "setuptools_scm"],
        cwd=root,
        env=tool_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def test_the_version_without_a_tag_and_without_git(release: Release, tmp_path: Path) -> None:
    """A commit after the tag is a development version of the next one; a copy without .git
    (and without an sdist's PKG-INFO) gets the fallback 0.0.0+unknown, still a valid version."""
    plain = tmp_path / "plain"
    shutil.copytree(release.repo, plain, ignore=IGNORE)
    assert _scm_version(plain) == "0.0.0+unknown"
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--no-tags", str(release.repo), str(clone))
    (clone / "CHANGELOG.md").write_text("changed\n", encoding="utf-8")
    _git(clone, "commit", "-q", "--no-gpg-sign", "-am", "after the release")
    untagged = _scm_version(clone)
    assert untagged.startswith("0.0.1.dev3+"), untagged  # no tag here: 3 commits from 0.0.0
    _git(clone, "fetch", "-q", "--tags", str(release.repo))
    assert _scm_version(clone).startswith(f"9.8.8.dev1+g{_git(clone, 'rev-parse', 'HEAD')[:7]}")


def test_the_release_script_refuses_what_is_not_a_release(release: Release, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(release.repo), str(clone))
    (clone / "README.md").write_text("changed\n", encoding="utf-8")
    _git(clone, "commit", "-q", "--no-gpg-sign", "-am", "after the release")
    proc = _release_script(clone)
    assert (proc.returncode, proc.stderr) == (
        2,
        "release: HEAD must carry one tag vX.Y.Z (has: none)\n",
    )
    _git(clone, "tag", "v9.9.0")
    proc = _release_script(clone)
    assert proc.returncode == 2
    assert "CHANGELOG.md: the newest version section must be '## [9.9.0]" in proc.stderr
    assert not (clone / "dist").exists()  # refused before building


def _fresh_venv(root: Path) -> Path:
    """A virtual environment that sees the test environment's packages (cosmicdiff's
    dependencies, pip, setuptools-scm) but not its cosmicdiff; return its bin folder."""
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    deps = root / "deps"
    deps.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        ours = entry.name.lower().startswith(("cosmicdiff", "__editable__", "_cosmicdiff"))
        if not ours and entry.suffix != ".pth":
            (deps / entry.name).symlink_to(entry)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "test-dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    pip = venv / "bin" / "pip"
    pip.write_text(
        f"#!{python}\nimport sys\nfrom pip._internal.cli.main import main\nsys.exit(main())\n",
        encoding="utf-8",
    )
    pip.chmod(0o755)
    return venv / "bin"


def _run(platform: str, root: Path, **variables: str):  # type: ignore[no-untyped-def]
    repo = root / "repo"
    scaffold(repo, kind="programme", ci=platform, region=None)
    fill_programme(repo, baseline=ESPIR, regions=examples())
    job = load_job(platform, repo / PLATFORMS[platform])
    bin_ = _fresh_venv(root)
    ran = run_job(
        job,
        repo,
        install=True,
        PATH=os.pathsep.join([str(bin_), os.environ.get("PATH", "")]),
        PIP_NO_INDEX="1",
        GITHUB_STEP_SUMMARY=str(root / "summary.md"),
        **variables,
    )
    return repo, bin_, ran


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_install_step_installs_the_wheel_by_its_hash(
    release: Release, tmp_path: Path, platform: str
) -> None:
    digest = hashlib.sha256(release.wheel.read_bytes()).hexdigest()
    repo, bin_, ran = _run(
        platform,
        tmp_path,
        COSMICDIFF_WHEEL=release.wheel.as_uri(),
        COSMICDIFF_WHEEL_SHA256=digest,
    )
    assert ran.ran[0] in ("Install cosmicdiff", "before_script"), ran.ran
    assert f"Successfully installed cosmicdiff-{VERSION}" in ran.log, ran.log
    assert (bin_ / "cosmicdiff").is_file()  # the wheel's command, first on PATH
    assert ran.status == 1, ran.log  # the examples deviate
    assert "ok: baselines/espir" in ran.log
    # the reports were written by the installed release, not by this working tree's cosmicdiff
    result = json.loads((repo / "reports" / "cosmicdiff.json").read_text(encoding="utf-8"))
    assert result["tool"]["version"] == VERSION
    assert result["exit_status"] == 1
    assert (repo / "reports" / "cosmicdiff-junit.xml").is_file()


def test_a_wheel_with_another_hash_fails_the_job_before_anything_runs(
    release: Release, tmp_path: Path
) -> None:
    """The install line is the same in the three templates; Azure's runs without errexit
    unless the step sets it, so it is the one to try."""
    repo, bin_, ran = _run(
        "azure",
        tmp_path,
        COSMICDIFF_WHEEL=release.wheel.as_uri(),
        COSMICDIFF_WHEEL_SHA256="0" * 64,
    )
    assert ran.status != 0, ran.log
    assert "Expected sha256 " + "0" * 64 in ran.log, ran.log
    assert not (bin_ / "cosmicdiff").exists()
    assert not (repo / "reports" / "cosmicdiff.json").exists()


def test_a_wheel_without_its_hash_is_refused(release: Release, tmp_path: Path) -> None:
    repo, bin_, ran = _run(
        "github", tmp_path, COSMICDIFF_WHEEL=release.wheel.as_uri(), COSMICDIFF_WHEEL_SHA256=""
    )
    assert ran.status != 0, ran.log
    assert "COSMICDIFF_WHEEL_SHA256" in ran.log, ran.log
    assert not (bin_ / "cosmicdiff").exists()


def test_the_install_step_installs_the_tag_of_the_repository(
    release: Release, tmp_path: Path
) -> None:
    """The default route: pip clones the repository at the tag and builds it (offline here:
    no build isolation, the test environment's setuptools-scm)."""
    repo, bin_, ran = _run(
        "gitlab",
        tmp_path,
        # file://localhost/…: pip refuses a requirement URL with an empty host (file:///…)
        COSMICDIFF_REPO=f"file://localhost{release.repo.as_posix()}",
        COSMICDIFF_VERSION=TAG,
        PIP_NO_BUILD_ISOLATION="0",  # pip reads this "no" option the other way round: off
    )
    assert f"Successfully installed cosmicdiff-{VERSION}" in ran.log, ran.log
    assert ran.status == 1, ran.log
    result = json.loads((repo / "reports" / "cosmicdiff.json").read_text(encoding="utf-8"))
    assert result["tool"]["version"] == VERSION
