"""Paths the system refuses (too long, a loop of links) are input problems: exit 2, one line.

Found by the long fuzz run (benchmarks/fuzz.py, seed 1, case 2242): a settings file whose
baseline path had grown past the system's name limit ended in exit 3.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ESPIR, EXAMPLES, CliResult

LONG = "x" * 300  # longer than any file name the system takes (255 bytes)


def _one_line_exit_2(result: CliResult) -> str:
    assert result.code == 2, result.stderr
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "internal error" not in out
    lines = [line for line in result.stderr.splitlines() if line]
    assert len(lines) == 1, lines
    return lines[0]


@pytest.mark.parametrize("where", ["baseline", "region", "waivers", "reference", "config"])
def test_a_path_too_long_is_one_line_and_exit_2(
    tmp_path: Path, cli: Callable[..., CliResult], where: str
) -> None:
    long = str(tmp_path / LONG)
    args = {
        "baseline": ["compare", "--baseline", long, str(EXAMPLES / "kalmar")],
        "region": ["compare", "--baseline", str(ESPIR), long],
        "waivers": [
            "compare",
            "--baseline",
            str(ESPIR),
            str(EXAMPLES / "kalmar"),
            "--waivers",
            long,
        ],
        "reference": [
            "compare",
            "--baseline",
            str(ESPIR),
            str(EXAMPLES / "kalmar"),
            "--reference",
            long,
        ],
        "config": ["--config", long, "config"],
    }[where]
    line = _one_line_exit_2(cli(*args, "--format", "json") if where != "config" else cli(*args))
    assert "x" * 40 in line and LONG not in line  # named, as far as a message may quote it


def test_a_path_too_long_in_the_settings_file(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    settings = tmp_path / "cosmicdiff.toml"
    settings.write_text(
        f'baseline = "/tmp/{LONG}"\nregions = ["{EXAMPLES / "kalmar"}"]\n', encoding="utf-8"
    )
    line = _one_line_exit_2(cli("--config", str(settings), "compare", "--format", "json"))
    assert "cannot use this path: File name too long" in line


def test_an_output_path_too_long(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    line = _one_line_exit_2(
        cli(
            "compare",
            "--baseline",
            str(ESPIR),
            str(EXAMPLES / "kalmar"),
            "--output",
            str(tmp_path / f"{LONG}.json"),
        )
    )
    assert "cannot write output: File name too long" in line


def test_a_loop_of_links_as_a_region(tmp_path: Path, cli: Callable[..., CliResult]) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    _one_line_exit_2(
        cli("compare", "--baseline", str(ESPIR), str(tmp_path / "a"), "--format", "json")
    )


def test_a_loop_of_links_inside_a_region_folder_is_noted_not_read(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    import shutil

    region = tmp_path / "kalmar"
    shutil.copytree(EXAMPLES / "kalmar", region)
    (region / "x.xml").symlink_to("y.xml")
    (region / "y.xml").symlink_to("x.xml")
    result = cli("compare", "--baseline", str(ESPIR), str(region), "--format", "json")
    assert result.code == 1, result.stderr
    assert "x.xml: not read: a link to nothing" in result.stderr
    assert "y.xml: not read: a link to nothing" in result.stderr
