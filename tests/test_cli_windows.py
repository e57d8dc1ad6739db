"""Daily use where the regions work: wildcards the shell did not expand, paths with ``/`` in
every output, a console that cannot write every character, and the messages that say what
to type instead."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest
import typer
from conftest import EXAMPLES, MINI_BASELINE, MINI_COPY, ROOT, run_cli
from reports._support import REP_DEVIATING, write_region

from cosmicdiff.cli.common import not_compared
from cosmicdiff.cli.paths import expand, expand_path, expand_paths, is_pattern, posix

TODAY = "2026-11-01"


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- wildcards ------------------------------------------------------------------------------


def _tree(root: Path) -> None:
    for name in ("b", "a", "c.xml", ".hidden"):
        (root / name).mkdir() if "." not in name[1:] else (root / name).write_text("x")


def test_a_pattern_is_expanded_sorted(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert expand(tmp_path / "*") == [tmp_path / "a", tmp_path / "b", tmp_path / "c.xml"]
    assert expand(tmp_path / "[ab]") == [tmp_path / "a", tmp_path / "b"]
    assert expand(tmp_path / "?.xml") == [tmp_path / "c.xml"]


def test_an_existing_path_with_a_wildcard_is_never_expanded(tmp_path: Path) -> None:
    _tree(tmp_path)
    odd = tmp_path / "odd[1]"
    odd.mkdir()
    (tmp_path / "odd1").mkdir()  # what the pattern odd[1] would match
    assert expand(odd) == [odd]
    assert expand(tmp_path / "a") == [tmp_path / "a"]


def test_a_pattern_that_matches_nothing_stays_as_written(tmp_path: Path) -> None:
    assert expand(tmp_path / "x*") == [tmp_path / "x*"]
    assert expand_paths(None) is None
    assert expand_paths([tmp_path / "x*", tmp_path / "y"]) == [tmp_path / "x*", tmp_path / "y"]


def test_one_path_must_match_once(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert expand_path(tmp_path / "c.*") == tmp_path / "c.xml"
    with pytest.raises(typer.BadParameter, match=r"matches 3 paths \(.*/a, .*/b, .*/c\.xml\)"):
        expand_path(tmp_path / "*")


def test_is_pattern() -> None:
    assert [is_pattern(t) for t in ("a/*", "a?", "a[1]", "a/b", "a-b")] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_compare_expands_a_quoted_pattern_as_cmd_passes_it(in_tmp: Path) -> None:
    write_region(in_tmp / "regions" / "one", "one")
    write_region(in_tmp / "regions" / "two", "two")
    res = run_cli("compare", "regions/*", "-b", MINI_BASELINE, "--today", TODAY, "-f", "json")
    assert res.code == 0, res.stderr
    doc = json.loads(res.stdout)
    assert [(r["id"], r["source"]) for r in doc["regions"]] == [
        ("one", "regions/one"),
        ("two", "regions/two"),
    ]


def test_a_pattern_that_matches_nothing_is_no_such_file(in_tmp: Path) -> None:
    res = run_cli("validate", "regions/x*")
    assert res.code == 2
    assert res.stdout == "regions/x*: no such file or folder\n"


def test_validate_and_report_expand_patterns(in_tmp: Path, tmp_path: Path) -> None:
    res = run_cli("validate", str(EXAMPLES / "k*"))
    assert res.code == 0, res.stdout + res.stderr
    assert res.stdout.count("ok: ") == 1 and "region kalmar" in res.stdout
    out = run_cli("compare", MINI_COPY, "-b", MINI_BASELINE, "-o", "result.json")
    assert out.code == 0
    res = run_cli("report", "res*.json", "-f", "markdown")
    assert res.code == 0 and res.stdout.startswith("#")


# --- messages -------------------------------------------------------------------------------


def test_a_folder_of_regions_given_as_one_says_how_to_pass_them() -> None:
    for command in ("compare", "validate", "matrix"):
        res = run_cli(command, EXAMPLES, "-b", "espir") if command != "validate" else None
        res = res or run_cli("validate", EXAMPLES)
        assert res.code == 2, command
        shown = posix(EXAMPLES)
        assert res.stderr == (
            f"{shown} holds 3 region folders (jonkoping, kalmar, ostergotland); pass them as "
            f"{shown}/*\n"
        ), command


def test_output_onto_a_folder_names_a_file_to_give(in_tmp: Path) -> None:
    Path("out").mkdir()
    res = run_cli("compare", MINI_COPY, "-b", MINI_BASELINE, "-f", "html", "-o", "out")
    assert res.code == 2
    assert res.stderr == (
        "--output out is a folder; give the file to write, e.g. --output out/report.html\n"
    )


@pytest.mark.parametrize(("fail_on", "gating"), [("error", 3), ("warning", 5), ("never", 0)])
def test_the_summary_names_the_fail_on_level(fail_on: str, gating: int) -> None:
    res = run_cli(
        "compare", REP_DEVIATING, "-b", MINI_BASELINE, "--today", TODAY, "--fail-on", fail_on
    )
    assert f"; {gating} at or above --fail-on {fail_on}; exit" in res.stderr


def test_keep_going_names_a_broken_region_by_its_region_yaml_id(in_tmp: Path) -> None:
    write_region(in_tmp / "export-2026-11", "kalmar", {"</keywords>": "</keyword>"})
    res = run_cli("compare", "export-2026-11", REP_DEVIATING, "-b", MINI_BASELINE, "--keep-going")
    assert res.code == 2
    doc = json.loads(res.stdout)
    assert [(r["id"], r["compared"]) for r in doc["regions"]] == [
        ("kalmar", False),
        ("deviating", True),
    ]
    assert "export-2026-11 (region kalmar): not compared: export-2026-11/export.xml:36:" in (
        res.stderr
    )


def test_keep_going_without_a_readable_region_yaml_uses_the_folder_name(in_tmp: Path) -> None:
    folder = write_region(in_tmp / "broken", "kalmar", {"</keywords>": "</keyword>"})
    (folder / "region.yaml").write_text("id: [\n", encoding="utf-8")
    res = run_cli("compare", "broken", REP_DEVIATING, "-b", MINI_BASELINE, "--keep-going")
    assert json.loads(res.stdout)["regions"][0]["id"] == "broken"
    assert "\nbroken: not compared: " in "\n" + res.stderr


def test_not_compared_names_the_id_only_when_it_differs() -> None:
    assert not_compared("kalmar", "regions/kalmar") == "regions/kalmar"
    assert not_compared("kalmar", "exports/2026") == "exports/2026 (region kalmar)"


# --- paths in outputs -----------------------------------------------------------------------


def test_paths_are_shown_with_forward_slashes() -> None:
    assert posix(PureWindowsPath("examples\\regions\\kalmar\\kalmar.xml")) == (
        "examples/regions/kalmar/kalmar.xml"
    )
    assert posix(PureWindowsPath("C:\\work\\regions\\kalmar")) == "C:/work/regions/kalmar"
    assert posix(PurePosixPath("examples/regions/kalmar")) == "examples/regions/kalmar"
    assert posix("espir:lakemedel.yaml") == "espir:lakemedel.yaml"


def test_a_relative_windows_path_is_shown_with_forward_slashes() -> None:
    from cosmicdiff.parsers.folder import relative_posix

    root = PureWindowsPath("C:\\work")
    path = PureWindowsPath("C:\\work\\examples\\regions\\kalmar\\kalmar.xml")
    assert relative_posix(path, [root]) == "examples/regions/kalmar/kalmar.xml"
    assert relative_posix(PureWindowsPath("D:\\other\\x.xml"), [root]) == "D:/other/x.xml"
    assert relative_posix(PurePosixPath("/w/a/b.xml"), [PurePosixPath("/w")]) == "a/b.xml"


# --- a console that cannot write every character ---------------------------------------------


def _run(encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1"}
    env.pop("COSMICDIFF_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "cosmicdiff", *args], capture_output=True, env=env, cwd=ROOT
    )


@pytest.mark.parametrize("encoding", ["cp1252", "cp850"])
def test_a_windows_console_encoding_never_raises(encoding: str) -> None:
    regions = sorted(str(p.relative_to(ROOT)) for p in EXAMPLES.iterdir() if p.is_dir())
    proc = _run(encoding, "compare", "-b", "espir", *regions, "-f", "text", "--today", TODAY)
    assert proc.returncode == 1, proc.stderr.decode(encoding)
    text = proc.stdout.decode(encoding)  # every byte is in the code page
    assert "Jönköping" in text  # Swedish letters are in both code pages
    assert "ESP-SO-00107 <-> RKL-SO-20366" in text  # ↔ is in neither
    assert "internal error" not in proc.stderr.decode(encoding)
    explain = _run(encoding, "explain", "CD206")
    assert explain.returncode == 0
    assert "hiddenFrom1177" in explain.stdout.decode(encoding)


def test_characters_outside_the_code_page_get_plain_stand_ins() -> None:
    from cosmicdiff.io.stdio import _REPLACE

    text = "a → b ≥ c ✓ ┃━┏ Jönköping 漢"
    assert text.encode("cp1252", _REPLACE).decode("cp1252") == ("a -> b >= c v |-+ Jönköping ?")
    assert "Ő".encode("cp1252", _REPLACE) == b"O"


def test_a_windows_style_path_is_read_and_shown_with_slashes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    res = run_cli(
        "compare", "examples\\regions\\kalmar", "examples\\regions\\o*", "-b", "espir", "-f", "json"
    )
    assert res.code == 1, res.stderr
    doc = json.loads(res.stdout)
    assert [r["source"] for r in doc["regions"]] == [
        "examples/regions/kalmar",
        "examples/regions/ostergotland",
    ]
    locations = [d["location"]["path"] for d in doc["deviations"] if d.get("location")]
    assert locations and not any("\\" in p for p in locations)
    missing = run_cli("validate", "examples\\regions\\nope")
    assert missing.stdout == "examples\\regions\\nope: no such file or folder\n"


@pytest.mark.parametrize(
    ("args", "example"),
    [
        (["matrix", MINI_COPY, "-b", MINI_BASELINE, "-f", "csv"], "out/report.csv"),
        (["suggest-mapping", MINI_COPY, "-b", MINI_BASELINE], "out/mapping-draft.yaml"),
        (["decisions", "template", "r.json", "-f", "xlsx"], "out/decisions.xlsx"),
    ],
)
def test_every_output_file_onto_a_folder_is_refused(
    in_tmp: Path, args: list[str | Path], example: str
) -> None:
    Path("out").mkdir()
    assert run_cli("compare", MINI_COPY, "-b", MINI_BASELINE, "-o", "r.json").code == 0
    res = run_cli(*args, "-o", "out")
    assert res.code == 2
    assert res.stderr.endswith(
        f"--output out is a folder; give the file to write, e.g. --output {example}\n"
    )
    assert list(Path("out").iterdir()) == []
