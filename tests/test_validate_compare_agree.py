"""``validate`` refuses what ``compare`` refuses, with the same lines.

Stray text in an XML export, a baseline's rules.yaml or waivers.yaml that compare cannot
use, and a single file of a region (or baseline) folder given on its own: each is refused
by validate, compare and matrix alike (exit 2), naming the file and line.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, MINI_BASELINE, MINI_COPY

Cli = Callable[..., Any]
ONE_BAD = "cosmicdiff: 1 of 1 input(s) have problems\n"


@pytest.fixture
def in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _mini_copy(folder: Path, export_text: str | None = None) -> Path:
    shutil.copytree(MINI_COPY, folder)
    if export_text is not None:
        (folder / "export.xml").write_text(export_text, encoding="utf-8")
    return folder


def _with_stray_text(text: str) -> str:
    """Return the mini region's export with text inside its first keyword."""
    start = text.index("<keyword ")
    end = text.index(">", start)
    if text[end - 1] == "/":  # <keyword .../> -> <keyword ...>text</keyword>
        return text[: end - 1] + ">Frisk text</keyword>" + text[end + 1 :]
    return text[: end + 1] + "Frisk text" + text[end + 1 :]


def _stray_line(text: str) -> int:
    return text.count("\n", 0, text.index("Frisk text")) + 1


# --- stray text --------------------------------------------------------------------------


def test_stray_text_is_refused_by_validate_and_compare_with_the_same_line(
    in_tmp: Path, cli: Cli
) -> None:
    text = _with_stray_text((MINI_COPY / "export.xml").read_text(encoding="utf-8"))
    _mini_copy(in_tmp / "r", text)
    expected = [f"r/export.xml:{_stray_line(text)}: unexpected text 'Frisk text' inside <keyword>"]
    validated = cli("validate", "r")
    compared = cli("compare", "--baseline", MINI_BASELINE, "r")
    assert (validated.code, validated.stdout.splitlines(), validated.stderr) == (
        2,
        expected,
        ONE_BAD,
    )
    assert (compared.code, compared.stdout, compared.stderr.splitlines()) == (2, "", expected)


def test_an_attribute_on_a_description_is_refused_by_validate_and_compare(
    in_tmp: Path, cli: Cli
) -> None:
    text = (MINI_COPY / "export.xml").read_text(encoding="utf-8")
    line = text[: text.index("<description>")].count("\n") + 1
    _mini_copy(in_tmp / "r", text.replace("<description>", '<description lang="sv">', 1))
    validated = cli("validate", "r")
    compared = cli("compare", "--baseline", MINI_BASELINE, "r")
    assert validated.code == 2 and compared.code == 2
    assert [ln.split(": ")[0] for ln in validated.stdout.splitlines()] == [f"r/export.xml:{line}"]
    assert "'lang'" in validated.stdout  # the XSD names the attribute
    assert compared.stderr.splitlines() == [
        f"r/export.xml:{line}: unknown attribute 'lang' on <description>"
    ]


def test_validate_lists_stray_text_among_the_other_schema_problems(in_tmp: Path, cli: Cli) -> None:
    (in_tmp / "x.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<cosmicExport xmlns="urn:cosmicdiff:export:1" region="r">\n'
        "  <keywords>\n"
        '    <keyword id="K1" name="a" type="Txt"/>\n'
        "    lös text\n"
        '    <keyword id="K2" name="b" type="Text">\n'
        '      <binding system="snomed-ct" code="1">inuti</binding>\n'
        "    </keyword>\n"
        "  </keywords>\n"
        "</cosmicExport>\n",
        encoding="utf-8",
    )
    result = cli("validate", "x.xml")
    assert result.code == 2
    assert result.stdout.splitlines() == [
        "x.xml:4: schema: Element 'keyword', attribute 'type': [facet 'enumeration'] The value "
        "'Txt' is not an element of the set {'Text', 'Numeric', 'FixValue', 'DateTime', "
        "'Boolean', 'Formula', 'ClinicalCoding', 'BloodPressure', 'CheckboxConfigurable', "
        "'Register', 'WordProcessing', 'Other'}.",
        "x.xml:5: unexpected text 'lös text' inside <keywords>",
        "x.xml:7: unexpected text 'inuti' inside <binding>",
    ]


# --- a baseline's rules.yaml and waivers.yaml ----------------------------------------------


def _baseline(folder: Path, **files: str) -> Path:
    shutil.copytree(MINI_BASELINE, folder)
    for name, text in files.items():
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
    return folder


_BAD_RULES = "severities:\n  renamed: warning\ncolour: red\n"
_BAD_WAIVER = (
    "waivers:\n  - id: W1\n    region: copy\n    rule: CD105\n    item: B-SO-1\n"
    "    reason: lokal rubrik\n    owner: Region X\n    expires: 2099-01-01\n"
    "    colour: red\n"
)


@pytest.mark.parametrize(
    ("files", "starts"),
    [
        ({"rules": _BAD_RULES}, ["b/rules.yaml:3: unknown key 'colour' in rules.yaml; allowed: "]),
        ({"waivers": _BAD_WAIVER}, ["b/waivers.yaml:9: unknown key 'colour' in a waiver"]),
        (
            {"rules": _BAD_RULES, "waivers": _BAD_WAIVER},
            [
                "b/rules.yaml:3: unknown key 'colour' in rules.yaml; allowed: ",
                "b/waivers.yaml:9: unknown key 'colour' in a waiver",
            ],
        ),
        ({"rules": "cases:\n  nowhere: {}\n"}, ["b/rules.yaml:2: "]),
    ],
    ids=["rules-unknown-key", "waiver-unknown-key", "both", "rules-unknown-case"],
)
def test_validate_refuses_the_rules_and_waivers_compare_refuses(
    in_tmp: Path, cli: Cli, files: dict[str, str], starts: list[str]
) -> None:
    _baseline(in_tmp / "b", **files)
    validated = cli("validate", "b")
    compared = cli("compare", "--baseline", "b", MINI_COPY)
    assert (validated.code, validated.stderr) == (2, ONE_BAD)
    assert (compared.code, compared.stdout) == (2, "")
    lines = validated.stdout.splitlines()
    assert lines == compared.stderr.splitlines()
    assert len(lines) == len(starts)
    for line, start in zip(lines, starts, strict=True):
        assert line.startswith(start), line


def test_a_baseline_with_good_rules_and_waivers_is_ok(in_tmp: Path, cli: Cli) -> None:
    _baseline(in_tmp / "b", rules="severities:\n  renamed: info\n", waivers="waivers: []\n")
    result = cli("validate", "b")
    assert (result.code, result.stdout, result.stderr) == (
        0,
        "ok: b: baseline mini 1.0: 3 terms, 1 value lists, 6 keywords, 2 templates\n",
        "",
    )


# --- a single file of a region or baseline folder ------------------------------------------


KALMAR_FILE = "examples/regions/kalmar/kalmar-cosmic-export.xml"
KALMAR_REFUSED = (
    f"{KALMAR_FILE}: this file is part of the region folder "
    "examples/regions/kalmar (it has region.yaml); give the folder"
)


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    root = EXAMPLES.parent.parent
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(
    "command",
    [
        ["compare", "--baseline", "espir"],
        ["suggest-mapping", "--baseline", "espir"],
    ],
    ids=["compare", "suggest-mapping"],
)
def test_a_file_of_a_region_folder_is_refused_naming_the_folder(
    at_root: Path, cli: Cli, command: list[str]
) -> None:
    result = cli(*command, KALMAR_FILE)
    assert (result.code, result.stdout, result.stderr) == (2, "", KALMAR_REFUSED + "\n")


def test_matrix_shows_the_file_of_a_region_folder_as_not_compared(at_root: Path, cli: Cli) -> None:
    result = cli("matrix", "--baseline", "espir", "--format", "json", KALMAR_FILE)
    assert (result.code, result.stderr) == (2, f"{KALMAR_FILE}: not compared: {KALMAR_REFUSED}\n")
    assert '"compared": false' in result.stdout


def test_validate_refuses_a_file_of_a_region_folder_too(at_root: Path, cli: Cli) -> None:
    result = cli("validate", KALMAR_FILE)
    assert (result.code, result.stdout, result.stderr) == (2, KALMAR_REFUSED + "\n", ONE_BAD)


def test_a_folder_with_only_a_mapping_is_a_region_folder(in_tmp: Path, cli: Cli) -> None:
    shutil.copytree(MINI_COPY, in_tmp / "r")
    (in_tmp / "r" / "region.yaml").unlink()
    (in_tmp / "r" / "mapping.yaml").write_text("keywords: {}\n", encoding="utf-8")
    result = cli("compare", "--baseline", MINI_BASELINE, "r/export.xml")
    assert (result.code, result.stderr) == (
        2,
        "r/export.xml: this file is part of the region folder r (it has mapping.yaml); "
        "give the folder\n",
    )


def test_a_file_in_a_plain_folder_is_still_a_one_file_export(in_tmp: Path, cli: Cli) -> None:
    shutil.copy(MINI_COPY / "export.xml", in_tmp / "export.xml")
    result = cli("compare", "--baseline", MINI_BASELINE, "export.xml", "--format", "json")
    assert result.code == 0, result.stderr
    result = cli("validate", "export.xml")
    assert (result.code, result.stderr) == (0, "")


def test_a_file_of_a_baseline_folder_is_refused_as_the_baseline(in_tmp: Path, cli: Cli) -> None:
    _baseline(in_tmp / "b")
    refused = (
        "b/model.yaml: this file is part of the baseline folder b (it has "
        "baseline.yaml); give the folder\n"
    )
    result = cli("compare", "--baseline", "b/model.yaml", MINI_COPY)
    assert (result.code, result.stdout, result.stderr) == (2, "", refused)
    result = cli("validate", "b/model.yaml")
    assert (result.code, result.stdout, result.stderr) == (2, refused, ONE_BAD)


def test_a_file_of_a_region_folder_may_still_be_an_ad_hoc_baseline(in_tmp: Path, cli: Cli) -> None:
    _mini_copy(in_tmp / "r")
    shutil.copytree(MINI_COPY, in_tmp / "other")
    result = cli("compare", "--baseline", "r/export.xml", "other", "--format", "json")
    assert result.code in (0, 1), result.stderr
