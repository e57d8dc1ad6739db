"""The CI templates: run each platform's cosmicdiff job in a scaffolded repository and check
its exit status and the reports it publishes (see ci_jobs.py for how a job is run)."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest
from junitparser import JUnitXml

from cosmicdiff.authoring.scaffold import scaffold

from ._support import (
    ESPIR,
    EXAMPLES,
    MINI_BASELINE,
    MINI_COPY,
    PUBLIC_CI,
    VENV_BIN,
    break_xml,
    examples,
    fill_programme,
)
from .ci_jobs import Job, Publish, load_job, run_job, settings_outputs

# prints, builds packages or runs CI templates: `-m 'not slow'` skips these locally
pytestmark = pytest.mark.slow

PLATFORMS = {
    "gitlab": ".gitlab-ci.yml",
    "azure": "azure-pipelines.yml",
    "github": ".github/workflows/cosmicdiff.yml",
}
TEMPLATES = {
    "gitlab": "gitlab-ci.yml",
    "azure": "azure-pipelines.yml",
    "github": "github-actions.yml",
}


def programme_repo(root: Path, platform: str, *, clean: bool = False) -> tuple[Path, Job]:
    """A scaffolded programme repository: eSPiR and the example regions (they deviate), or
    with ``clean`` the mini baseline and an identical copy of it as the only region."""
    repo = root / "repo"
    scaffold(repo, kind="programme", ci=platform, region=None)
    if clean:
        fill_programme(repo, baseline=MINI_BASELINE, regions={"copy": MINI_COPY})
        settings = repo / "cosmicdiff.toml"
        text, n = re.subn(
            r"(?m)^regions = \[.*\]$",
            'regions = ["regions/copy"]',
            settings.read_text(encoding="utf-8"),
        )
        assert n == 1
        settings.write_text(text, encoding="utf-8")
    else:
        fill_programme(repo, baseline=ESPIR, regions=examples())
    return repo, load_job(platform, repo / PLATFORMS[platform])


def check_report(kind: str, path: Path, *, deviations: bool) -> None:
    """The published file exists and parses; it lists deviations, or none."""
    assert path.is_file(), path
    if kind == "junit":
        xml = JUnitXml.fromfile(str(path))
        failures = sum(suite.failures for suite in xml)
        tests = sum(suite.tests for suite in xml)
        assert tests > 0
        assert (failures > 0) == deviations
    elif kind == "sarif":
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["version"] == "2.1.0"
        assert (len(doc["runs"][0]["results"]) > 0) == deviations
    elif kind == "codequality":
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(doc, list)
        assert all({"description", "fingerprint", "severity", "location"} <= set(i) for i in doc)
        assert (len(doc) > 0) == deviations
    else:
        raise AssertionError(kind)


def check_published(repo: Path, job: Job, *, deviations: bool) -> None:
    for pub in job.published:
        target = repo / pub.path
        if pub.what == "artifact" and not pub.path.endswith(".sarif"):
            # the reports folder: the HTML report for people, the JSON result and the SARIF
            # file beside it
            check_report("sarif", target / "cosmicdiff.sarif", deviations=deviations)
            html = target / "cosmicdiff.html"
            assert html.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
            result = json.loads((target / "cosmicdiff.json").read_text(encoding="utf-8"))
            assert result["exit_status"] == (1 if deviations else 0)
        else:
            check_report(
                "sarif" if pub.path.endswith(".sarif") else pub.what, target, deviations=deviations
            )


@pytest.mark.parametrize("platform", PLATFORMS)
def test_template_publishes_what_it_should_also_when_the_job_fails(platform: str) -> None:
    job = load_job(platform, PUBLIC_CI / TEMPLATES[platform])
    assert job.installs == 1, "one step installs cosmicdiff"
    assert job.steps[0].install, "the install step comes first"
    kinds = {p.what for p in job.published} | {
        "sarif" for p in job.published if p.path.endswith(".sarif")
    }
    # GitLab has no SARIF report type: the SARIF file is in the reports folder artefact
    assert {"junit", "artifact"} | ({"codequality"} if platform == "gitlab" else {"sarif"}) <= kinds
    assert all(p.always for p in job.published), [p for p in job.published if not p.always]
    text = (PUBLIC_CI / TEMPLATES[platform]).read_text(encoding="utf-8")
    # what is installed is pinned in the job's variables (test_ci_install.py checks how)
    assert re.fullmatch(r"v\d+\.\d+\.\d+", job.env["COSMICDIFF_VERSION"])
    assert job.env["COSMICDIFF_REPO"].endswith(".git")
    for forgiving in ("allow_failure:", "continue-on-error:", "continueOnError:"):
        assert not re.search(rf"(?m)^\s*{forgiving}", text), forgiving
    # the commands: validate, then one compare writing the text report to the log
    scripts = "\n".join(s.script for s in job.steps)
    assert scripts.index("cosmicdiff validate") < scripts.index("cosmicdiff compare")
    assert "cosmicdiff compare --format text" in scripts


@pytest.mark.parametrize("platform", PLATFORMS)
def test_published_files_are_the_settings_outputs(tmp_path: Path, platform: str) -> None:
    """The job publishes what one compare writes: the [outputs] of the scaffolded settings."""
    repo, job = programme_repo(tmp_path, platform)
    outputs = {k: str(Path(v)) for k, v in settings_outputs(repo).items()}
    files = {str(Path(p.path)) for p in job.published if not p.path.rstrip("/").endswith("reports")}
    assert files <= set(outputs.values()), files - set(outputs.values())
    folders = {p.path.rstrip("/") for p in job.published} - files
    assert folders == {"reports"}
    assert all(Path(v).parent.name == "reports" for v in outputs.values())


@pytest.mark.parametrize("platform", PLATFORMS)
def test_deviating_regions_fail_the_job_and_reports_are_published(
    tmp_path: Path, platform: str
) -> None:
    repo, job = programme_repo(tmp_path, platform)
    summary = tmp_path / "step-summary.md"
    ran = run_job(job, repo, GITHUB_STEP_SUMMARY=str(summary))
    assert ran.status == 1, ran.log
    assert "ok: baselines/espir" in ran.log  # validate ran and passed
    assert "Region Kalmar län" in ran.log  # the text report in the log, not JSON
    check_published(repo, job, deviations=True)
    if platform == "github":
        assert "Show the Markdown report in the run's summary" in ran.ran
        assert "eSPiR" in summary.read_text(encoding="utf-8")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_region_repository_with_the_shipped_baseline(tmp_path: Path, platform: str) -> None:
    repo = tmp_path / "repo"
    scaffold(repo, kind="region", ci=platform, region="kalmar")
    for src in (EXAMPLES / "kalmar").iterdir():
        (repo / "regions" / "kalmar" / src.name).write_bytes(src.read_bytes())
    job = load_job(platform, repo / PLATFORMS[platform])
    ran = run_job(job, repo, GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    assert ran.status == 1, ran.log
    check_published(repo, job, deviations=True)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_conformant_region_passes(tmp_path: Path, platform: str) -> None:
    repo, job = programme_repo(tmp_path, platform, clean=True)
    ran = run_job(job, repo, GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    assert ran.status == 0, ran.log
    check_published(repo, job, deviations=False)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_fail_on_never_passes_with_deviations(tmp_path: Path, platform: str) -> None:
    repo, job = programme_repo(tmp_path, platform)
    settings = repo / "cosmicdiff.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace('fail-on = "error"', 'fail-on = "never"'),
        encoding="utf-8",
    )
    ran = run_job(job, repo, GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    assert ran.status == 0, ran.log
    assert (repo / "reports" / "cosmicdiff-junit.xml").is_file()


@pytest.mark.parametrize("platform", PLATFORMS)
def test_broken_export_fails_the_job_with_2(tmp_path: Path, platform: str) -> None:
    repo, job = programme_repo(tmp_path, platform, clean=True)
    line = break_xml(repo / "regions" / "copy" / "export.xml")
    ran = run_job(job, repo, GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    assert ran.status == 2, ran.log
    assert re.search(rf"regions/copy/export\.xml:{line}: ", ran.log), ran.log
    assert not (repo / "reports" / "cosmicdiff.json").exists()  # compare never ran


@pytest.mark.parametrize("code", [2, 3])
@pytest.mark.parametrize("platform", PLATFORMS)
def test_compare_exit_2_and_3_fail_the_job(tmp_path: Path, platform: str, code: int) -> None:
    """2 (unusable input) and 3 (an internal error) mean no comparison: never a pass.
    A stand-in cosmicdiff first on PATH makes compare exit so; validate is the real one."""
    repo, job = programme_repo(tmp_path, platform, clean=True)
    shim = tmp_path / "shim"
    shim.mkdir()
    fake = shim / "cosmicdiff"
    fake.write_text(
        f'#!/bin/sh\nif [ "$1" = compare ]; then echo "stand-in: exit {code}" >&2; '
        f'exit {code}; fi\nexec "{VENV_BIN / "cosmicdiff"}" "$@"\n',
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    ran = run_job(
        job,
        repo,
        PATH=os.pathsep.join([str(shim), str(VENV_BIN), os.environ.get("PATH", "")]),
        GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"),
    )
    assert ran.status == code, ran.log
    assert f"stand-in: exit {code}" in ran.log


def test_emulation_skips_steps_after_a_failure(tmp_path: Path) -> None:
    """The runner itself: after a failed step only always() steps run, and those that need
    a missing file do not."""
    from .ci_jobs import Step

    job = Job(
        "github",
        [
            Step("a", "exit 4"),
            Step("b", "echo b"),
            Step("c", "echo c", always=True),
            Step("d", "echo d", always=True, needs=("missing.txt",)),
        ],
        [],
    )
    ran = run_job(job, tmp_path)
    assert (ran.status, ran.ran) == (4, ["a", "c"])
    assert Publish("junit", "x", True).always
