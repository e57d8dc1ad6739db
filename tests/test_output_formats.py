"""The output formats are defined once (vocabulary.OutputFormat): the CLI's --format choices,
the choice by file name, the settings file's values and the reporters all agree with it."""

from __future__ import annotations

import re
from typing import get_args

import pytest
from conftest import run_cli

from cosmicdiff.cli.choices import MatrixChoice, ReportChoice
from cosmicdiff.cli.settings import CHOICES, OUTPUT_FORMATS
from cosmicdiff.reports import BINARY_REPORTERS, REPORTERS
from cosmicdiff.vocabulary import (
    FORMAT_TRAITS,
    MATRIX_FORMATS,
    REPORT_FORMATS,
    Audience,
    OutputFormat,
    format_for_file,
)

F = OutputFormat


def test_every_format_has_its_traits_and_a_command_that_writes_it() -> None:
    assert set(FORMAT_TRAITS) == set(OutputFormat)
    assert all(t.report or t.matrix for t in FORMAT_TRAITS.values())
    assert all(t.suffixes or t.endings for t in FORMAT_TRAITS.values())


def test_the_report_and_matrix_formats() -> None:
    assert [f.value for f in REPORT_FORMATS] == [
        "text",
        "json",
        "junit",
        "sarif",
        "gitlab",
        "html",
        "markdown",
        "pdf",
    ]
    assert MATRIX_FORMATS == (F.TEXT, F.JSON, F.HTML, F.CSV, F.XLSX)
    assert {f for f in OutputFormat if f.traits.audience is Audience.PEOPLE} == {
        F.TEXT,
        F.HTML,
        F.MARKDOWN,
        F.PDF,
        F.XLSX,
    }
    assert {f for f in OutputFormat if f.traits.binary} == {F.PDF, F.XLSX}


def test_the_reporters_are_the_report_formats() -> None:
    assert set(REPORTERS) | set(BINARY_REPORTERS) == set(REPORT_FORMATS)
    assert not set(REPORTERS) & set(BINARY_REPORTERS)
    assert set(BINARY_REPORTERS) == {f for f in REPORT_FORMATS if f.traits.binary}


def test_the_settings_file_takes_the_report_formats() -> None:
    assert CHOICES["format"] == tuple(f.value for f in REPORT_FORMATS)
    assert tuple(f for f in REPORT_FORMATS if f is not F.TEXT) == OUTPUT_FORMATS


def test_the_format_options_offer_the_formats_of_their_command() -> None:
    assert get_args(ReportChoice) == tuple(f.value for f in REPORT_FORMATS)
    assert get_args(MatrixChoice) == tuple(f.value for f in MATRIX_FORMATS)
    for command, formats in (
        ("compare", REPORT_FORMATS),
        ("report", REPORT_FORMATS),
        ("matrix", MATRIX_FORMATS),
    ):
        shown = re.search(r"--format \[([a-z|]+)\]", run_cli(command, "--help").stdout)
        assert shown is not None and shown.group(1).split("|") == [f.value for f in formats]


@pytest.mark.parametrize(
    ("name", "report", "matrix"),
    [
        ("result.json", F.JSON, F.JSON),
        ("result.sarif", F.SARIF, None),
        ("result.sarif.json", F.SARIF, F.JSON),
        (".sarif", F.SARIF, None),
        ("gl-code-quality-report.json", F.GITLAB, F.JSON),
        ("ci/my-gl-code-quality-report.json", F.GITLAB, F.JSON),
        ("junit.xml", F.JUNIT, None),
        ("report.HTM", F.HTML, F.HTML),
        ("report.html", F.HTML, F.HTML),
        ("report.md", F.MARKDOWN, None),
        ("report.pdf", F.PDF, None),
        ("matrix.txt", F.TEXT, F.TEXT),
        ("matrix.csv", None, F.CSV),
        ("matrix.XLSX", None, F.XLSX),
        (".json", None, None),  # a dot file has no suffix
        ("report", None, None),
        ("report.yaml", None, None),
    ],
    ids=str,
)
def test_format_for_file(
    name: str, report: OutputFormat | None, matrix: OutputFormat | None
) -> None:
    assert format_for_file(name, REPORT_FORMATS) is report
    assert format_for_file(name, MATRIX_FORMATS) is matrix


def test_no_two_formats_of_a_command_claim_one_suffix() -> None:
    for formats in (REPORT_FORMATS, MATRIX_FORMATS):
        suffixes = [s for f in formats for s in f.traits.suffixes]
        assert len(suffixes) == len(set(suffixes))
