"""The settings file: discovery, precedence, validation with file:line, `cosmicdiff config`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINI_BASELINE, MINI_COPY, run_cli


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A configuration repository with the mini baseline and one clean region."""
    shutil.copytree(MINI_BASELINE, tmp_path / "baselines" / "mini")
    shutil.copytree(MINI_COPY, tmp_path / "regions" / "copy")
    (tmp_path / "cosmicdiff.toml").write_text(
        'baseline = "baselines/mini"\nregions = ["regions/copy"]\nformat = "json"\n'
        'output = "reports/main.json"\n\n[outputs]\njunit = "reports/junit.xml"\n'
        'html = "reports/report.html"\n',
        encoding="utf-8",
    )
    (tmp_path / "reports").mkdir()
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)  # found by walking up
    return tmp_path


def test_compare_runs_from_the_settings_file_found_above(repo: Path) -> None:
    r = run_cli("compare", "--today", "2026-11-23")
    assert r.code == 0, r.stderr
    doc = json.loads((repo / "reports" / "main.json").read_text("utf-8"))
    assert doc["baseline"]["id"] == "mini" and [x["id"] for x in doc["regions"]] == ["copy"]
    assert (repo / "reports" / "junit.xml").read_text("utf-8").startswith("<?xml")
    assert "<html" in (repo / "reports" / "report.html").read_text("utf-8")


def test_command_line_overrides_the_file(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "cli.sarif"
    r = run_cli("compare", "--format", "sarif", "--output", out, "--today", "2026-11-23")
    assert r.code == 0, r.stderr
    assert json.loads(out.read_text("utf-8"))["version"] == "2.1.0"
    assert not (repo / "reports" / "main.json").exists()


def test_config_shows_values_and_their_sources(repo: Path) -> None:
    r = run_cli("config")
    assert r.code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("# settings file: ") and lines[0].endswith("cosmicdiff.toml")
    baseline = next(ln for ln in lines if ln.startswith("baseline = "))
    assert baseline.endswith("cosmicdiff.toml:1")
    fail_on = next(ln for ln in lines if ln.startswith("fail-on = "))
    assert '"error"' in fail_on and fail_on.endswith("# default")
    assert any(ln.startswith("junit = ") and ln.endswith('reports/junit.xml"') for ln in lines)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'fail_on = "warning"\n',
            "cosmicdiff.toml:1: unknown key 'fail_on'; did you mean 'fail-on'?",
        ),
        (
            'lang = "de_DE"\n',
            "cosmicdiff.toml:1: lang = 'de_DE' is not a language tag such as sv, en or nb-NO",
        ),
        (
            'regions = "regions/x"\n',
            "cosmicdiff.toml:1: 'regions' must be a list of strings, not str",
        ),
        (
            '\n[outputs]\ndocx = "x.docx"\n',
            "cosmicdiff.toml:3: unknown output format 'docx' in [outputs]; use json, junit, sarif, "
            "gitlab, html, markdown, pdf",
        ),
        ("baseline = [\n", None),
    ],
    ids=["unknown-key", "bad-choice", "wrong-type", "unknown-output", "bad-toml"],
)
def test_bad_settings_are_errors_with_file_and_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, message: str | None
) -> None:
    (tmp_path / "cosmicdiff.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    r = run_cli("config")
    assert r.code == 2
    if message is None:
        assert r.stderr.startswith("cosmicdiff.toml:2: invalid TOML: ")
    else:
        assert r.stderr == message + "\n"


def test_pyproject_tool_table_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.cosmicdiff]\nfail-on = "warning"\nlang = "en"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    r = run_cli("config")
    assert r.code == 0, r.stderr
    assert 'fail-on = "warning"' in r.stdout and "# pyproject.toml:5" in r.stdout


def test_no_config_ignores_the_file(repo: Path) -> None:
    r = run_cli("--no-config", "compare")
    assert r.code == 2
    assert r.stderr.startswith("no baseline: give --baseline DIR")


def test_shipped_baseline_by_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r.json"
    r = run_cli(
        "compare",
        "--baseline",
        "espir",
        EXAMPLES / "kalmar",
        "-f",
        "json",
        "-o",
        out,
        "--today",
        "2026-11-23",
    )
    assert r.code == 1, r.stderr
    assert json.loads(out.read_text("utf-8"))["baseline"]["version"] == "2026.1"


def test_quiet_and_verbose(repo: Path) -> None:
    quiet = run_cli("--quiet", "compare", "--today", "2026-11-23")
    assert (quiet.code, quiet.stderr) == (0, "")
    loud = run_cli("--verbose", "compare", "--today", "2026-11-23")
    assert loud.code == 0
    assert "cosmicdiff: loading baseline " in loud.stderr
    assert "cosmicdiff: wrote junit report " in loud.stderr


def test_validate_without_paths_uses_the_settings(repo: Path) -> None:
    r = run_cli("validate")
    assert r.code == 0, r.stdout + r.stderr
    assert [ln.split(":")[0] for ln in r.stdout.splitlines()] == ["ok", "ok"]
