"""A region or baseline folder is read inside itself: links to outside it are not followed.

And a file that could not be used is never quoted beyond a short, escaped excerpt: the
``region/env.yaml -> ../secret.env`` case of issue 14, as a link and as a regular file.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MINI_BASELINE, MINI_COPY, CliResult

SECRET = "s3cr3t-4b1d6e0f9a7c2e58d3"
SECRET_ENV = f"API_TOKEN={SECRET}\n"
OUTSIDE = "not read: a link to a place outside the folder"
DANGLING = "not read: a link to nothing (its target does not exist)"
COMPARE = ["compare", "--baseline", "base", "--format", "json", "--output", "out.json"]


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with base/ (the mini baseline), region/ (mini-copy) and secret.env."""
    shutil.copytree(MINI_BASELINE, tmp_path / "base")
    shutil.copytree(MINI_COPY, tmp_path / "region")
    (tmp_path / "secret.env").write_text(SECRET_ENV, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _link(path: Path, target: str) -> None:
    """Make ``path`` a link to ``target`` (replacing a file that is there)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    path.symlink_to(target)


def _everything(work: Path, result: CliResult) -> str:
    """Return all a run wrote: stdout, stderr and every report file."""
    files = [p.read_text(encoding="utf-8") for p in work.glob("out*") if p.is_file()]
    return "\n".join([result.stdout, result.stderr, *files])


def _notes(work: Path, where: str = "region") -> list[tuple[str, str, str]]:
    doc = json.loads((work / "out.json").read_text(encoding="utf-8"))
    notes = (
        doc["baseline"]["input_notes"] if where == "baseline" else doc["regions"][0]["input_notes"]
    )
    return [(n["kind"], n["file"], n["message"]) for n in notes]


# --- links to outside the folder -------------------------------------------------------------


def test_a_link_to_a_secret_outside_the_region_is_not_read(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    _link(work / "region" / "env.yaml", "../secret.env")
    result = cli(*COMPARE, "region")
    assert result.code == 0, result.stderr
    assert f"note: region/env.yaml: {OUTSIDE}" in result.stderr.splitlines()
    assert _notes(work) == [("not_read", "region/env.yaml", OUTSIDE)]
    assert SECRET not in _everything(work, result)
    assert "API_TOKEN" not in _everything(work, result)


def test_validate_warns_about_a_link_to_outside(work: Path, cli: Callable[..., CliResult]) -> None:
    _link(work / "region" / "env.yaml", "../secret.env")
    result = cli("validate", "region")
    assert result.code == 0
    assert result.stdout.splitlines()[0] == f"region/env.yaml: warning: {OUTSIDE}"
    assert SECRET not in result.stdout + result.stderr


@pytest.mark.parametrize(
    "name",
    [
        "region.yaml",
        "mapping.yaml",
        "model.xml",
        "terms.csv",
        "q.json",
        "t.opt",
        "a.adl",
        "sub/deep.yaml",
    ],
)
def test_no_file_of_the_region_is_read_through_a_link_to_outside(
    work: Path,
    cli: Callable[..., CliResult],
    name: str,
) -> None:
    # the target is no valid file of any kind: reading it would fail loudly
    _link(work / "region" / name, "../" * (name.count("/") + 1) + "secret.env")
    result = cli(*COMPARE, "region")
    assert result.code == 0, result.stderr
    assert _notes(work) == [("not_read", f"region/{name}", OUTSIDE)]
    assert SECRET not in _everything(work, result)


def test_a_subfolder_linked_from_outside_is_not_walked(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    (work / "elsewhere").mkdir()
    (work / "elsewhere" / "env.yaml").write_text(SECRET_ENV, encoding="utf-8")
    _link(work / "region" / "more", "../elsewhere")
    result = cli(*COMPARE, "region")
    assert result.code == 0, result.stderr
    assert _notes(work) == [("not_read", "region/more", OUTSIDE)]
    assert SECRET not in _everything(work, result)


def test_a_link_to_nothing_is_noted(work: Path, cli: Callable[..., CliResult]) -> None:
    _link(work / "region" / "gone.xml", "nowhere.xml")
    result = cli(*COMPARE, "region")
    assert result.code == 0, result.stderr
    assert _notes(work) == [("not_read", "region/gone.xml", DANGLING)]


@pytest.mark.parametrize("name", ["rules.yaml", "waivers.yaml"])
def test_baseline_rules_and_waivers_linked_from_outside_are_not_read(
    work: Path,
    cli: Callable[..., CliResult],
    name: str,
) -> None:
    _link(work / "base" / name, "../secret.env")
    result = cli(*COMPARE, "region")
    assert result.code == 0, result.stderr
    assert _notes(work, "baseline") == [("not_read", f"base/{name}", OUTSIDE)]
    assert f"note: base/{name}: {OUTSIDE}" in result.stderr.splitlines()
    assert SECRET not in _everything(work, result)


def test_baseline_yaml_linked_from_outside_is_refused(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    (work / "base" / "baseline.yaml").rename(work / "baseline.yaml")
    _link(work / "base" / "baseline.yaml", "../baseline.yaml")
    result = cli(*COMPARE, "region")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        f"base/baseline.yaml: {OUTSIDE}; a baseline folder needs its own baseline.yaml"
    ]


def test_a_region_holding_only_links_to_outside_says_so(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    (work / "region" / "export.xml").rename(work / "export.xml")
    _link(work / "region" / "export.xml", "../export.xml")
    result = cli(*COMPARE, "region")
    assert result.code == 2
    assert result.stderr.splitlines() == [
        "region: folder holds no export files (*.xml, *.csv, *.json, *.opt, *.adl or YAML "
        "model files); 1 link to outside the folder or to nothing not read"
    ]


def test_baseline_propose_does_not_copy_rules_linked_from_outside(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    _link(work / "base" / "rules.yaml", "../secret.env")
    (work / "base" / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    result = cli("baseline", "propose", "--baseline", "base", "--output", "draft", "region")
    assert result.code == 0, result.stderr
    assert not (work / "draft" / "rules.yaml").exists()
    assert (work / "draft" / "waivers.yaml").read_text(encoding="utf-8") == "waivers: []\n"


# --- links that stay inside, and paths given on the command line ----------------------------


def test_links_inside_the_folder_are_followed(work: Path, cli: Callable[..., CliResult]) -> None:
    region = work / "region"
    (region / "data").mkdir()
    (region / "export.xml").rename(region / "data" / "export.txt")
    (region / "region.yaml").rename(region / "data" / "region.txt")
    _link(region / "export.xml", "data/export.txt")
    _link(region / "region.yaml", "data/region.txt")
    result = cli(*COMPARE, "region")
    assert result.code == 0, result.stderr
    assert _notes(work) == []
    doc = json.loads((work / "out.json").read_text(encoding="utf-8"))
    assert doc["regions"][0]["name"] == "Region Kopia"  # region.yaml was read


def test_a_region_folder_given_as_a_link_is_read(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    _link(work / "alias", "region")
    result = cli(*COMPARE, "alias")
    assert result.code == 0, result.stderr
    assert _notes(work) == []


def test_a_file_given_on_the_command_line_is_read_wherever_it_points(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    (work / "elsewhere").mkdir()
    (work / "region" / "export.xml").rename(work / "elsewhere" / "export.xml")
    _link(work / "given.xml", "elsewhere/export.xml")
    result = cli(*COMPARE, "given.xml")
    assert result.code == 0, result.stderr


def test_waivers_given_on_the_command_line_are_read_wherever_they_point(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    (work / "elsewhere").mkdir()
    (work / "elsewhere" / "w.yaml").write_text("waivers: [nonsense\n", encoding="utf-8")
    _link(work / "base" / "w.yaml", "../elsewhere/w.yaml")
    result = cli(*COMPARE, "--waivers", "base/w.yaml", "region")
    assert result.code == 2  # read (and refused): the user chose this file
    assert result.stderr.startswith("elsewhere/w.yaml:2: invalid YAML: ")


# --- a file that is not what it should be is never quoted -------------------------------------


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "env.yaml",
            "a model file must be a mapping of keys to values; the file holds text of "
            f"{len(SECRET_ENV) - 1} characters on 1 line (is it the right file?)",
        ),
        (
            "region.yaml",
            "region.yaml must be a mapping of keys to values; the file holds text of "
            f"{len(SECRET_ENV) - 1} characters on 1 line (is it the right file?)",
        ),
        (
            "env.csv",
            "header must name at least the columns id, name and type, separated by ';' "
            f"or ',' (the first line has no ';' or ',' ({len(SECRET_ENV) - 1} characters); "
            "is it a CSV file?)",
        ),
        ("env.json", "malformed JSON: Expecting value (column 1)"),
        ("env.xml", "malformed XML: not an XML document (no start tag found)"),
        ("env.adl", "not an ADL archetype: the file must start with 'archetype'"),
    ],
)
def test_a_secret_in_the_folder_is_described_not_quoted(
    work: Path,
    cli: Callable[..., CliResult],
    name: str,
    message: str,
) -> None:
    (work / "region" / name).write_text(SECRET_ENV, encoding="utf-8")
    result = cli(*COMPARE, "region")
    assert result.code == 2
    assert result.stderr.splitlines() == [f"region/{name}:1: {message}"]
    assert SECRET not in _everything(work, result)
    assert "API_TOKEN" not in _everything(work, result)


def test_a_long_bad_value_is_quoted_short_and_escaped(
    work: Path,
    cli: Callable[..., CliResult],
) -> None:
    key = "x" * 30 + "\x1b[2J" + SECRET
    written = key.replace("\x1b", "\\e")  # YAML's escape for ESC in a double-quoted key
    (work / "region" / "mapping.yaml").write_text(
        f'keywords: {{}}\n"{written}": 1\n', encoding="utf-8"
    )
    result = cli(*COMPARE, "region")
    assert result.code == 2
    shown = repr(key[:40])[:-1] + "…'"
    assert result.stderr.splitlines() == [
        f"region/mapping.yaml:2: unknown key {shown} in mapping.yaml; allowed: keywords, "
        "templates, valueLists"
    ]
    assert "\x1b" not in result.stderr
    assert SECRET not in result.stderr
