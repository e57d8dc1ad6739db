"""``cosmicdiff report RESULT.json``: the same bytes as compare, the saved exit status, and
one clear line for a file that is not a cosmicdiff result."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from reports_people._helpers import (
    FIXTURES,
    MINI_BASELINE,
    MINI_COPY,
    TODAY,
    Run,
    run,
)

FORMATS = [
    ("html", ()),
    ("html", ("--lang", "en")),
    ("markdown", ()),
    ("markdown", ("--lang", "en")),
    ("text", ()),
    ("text", ("--lang", "en")),
    ("json", ()),
    pytest.param("junit", ()),
    ("sarif", ()),
    ("gitlab", ()),
]


@pytest.mark.parametrize(
    ("fmt", "extra"), FORMATS, ids=lambda v: v if isinstance(v, str) else "-".join(v) or "sv"
)
def test_report_is_byte_identical_to_compare(
    fmt: str, extra: tuple[str, ...], example: Callable[..., str], report_of: Callable[..., Run]
) -> None:
    r = report_of(fmt, *extra)
    assert r.code == 1, r.stderr
    assert r.stdout == example(fmt, *extra)


def test_report_exit_status_is_the_saved_results(
    example_doc: dict, report_of: Callable[..., Run]
) -> None:
    assert example_doc["exit_status"] == 1
    assert report_of("html").code == 1
    # filters narrow what is shown, never the gate
    assert report_of("html", "--min-severity", "error", "--region", "jonkoping").code == 1


def test_report_of_a_clean_result_exits_0(tmp_path: Path) -> None:
    saved = tmp_path / "clean.json"
    r = run("compare", "-b", MINI_BASELINE, MINI_COPY, "--today", TODAY, "-f", "json", "-o", saved)
    assert r.code == 0, r.stderr
    assert json.loads(saved.read_text(encoding="utf-8"))["exit_status"] == 0
    for fmt in ("html", "markdown", "text"):
        assert run("report", saved, "--format", fmt).code == 0


def test_report_of_a_result_with_an_unread_region_exits_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken-region"
    broken.mkdir()
    shutil.copy(MINI_COPY / "region.yaml", broken / "region.yaml")
    shutil.copy(FIXTURES / "broken" / "malformed-truncated.xml", broken / "export.xml")
    saved = tmp_path / "kept-going.json"
    r = run(
        "compare",
        "-b",
        MINI_BASELINE,
        MINI_COPY,
        broken,
        "--keep-going",
        "--today",
        TODAY,
        "-f",
        "json",
        "-o",
        saved,
    )
    assert r.code == 2, r.stderr
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["exit_status"] == 2
    assert [reg["compared"] for reg in doc["regions"]] == [True, False]
    for fmt in ("html", "markdown", "text", "json"):
        assert run("report", saved, "--format", fmt).code == 2


def _one_line_naming(r: Run, name: str) -> None:
    assert r.code == 2
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert name in lines[0]
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.json", b"this is not json\n"),
        ("empty.json", b""),
        ("latin1.json", '{"schema": "å"}'.encode("latin-1")),
        ("other.json", b'{"version": "2.1.0", "runs": []}\n'),
        ("list.json", b"[1, 2, 3]\n"),
        ("wrong-schema.json", b'{"schema": "cosmicdiff/result/999"}\n'),
        ("no-baseline.json", b'{"schema": "cosmicdiff/result/1"}\n'),
    ],
)
def test_report_refuses_what_is_not_a_cosmicdiff_result(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    _one_line_naming(run("report", path, "--format", "html"), name)


def test_report_of_a_missing_file(tmp_path: Path) -> None:
    _one_line_naming(run("report", tmp_path / "nowhere.json"), "nowhere.json")


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param("deviation-null"),
        pytest.param("harmonisation-list"),
        pytest.param("severity-null"),
        "fail-on-unknown",
        "regions-null",
    ],
)
def test_report_of_a_damaged_result_is_exit_2(
    tmp_path: Path, example_doc: dict, damage: str
) -> None:
    doc = json.loads(json.dumps(example_doc))
    if damage == "deviation-null":
        doc["deviations"][0] = None
    elif damage == "harmonisation-list":
        doc["harmonisation_items"] = [1]
    elif damage == "severity-null":
        doc["deviations"][0]["severity"] = None
    elif damage == "fail-on-unknown":
        doc["fail_on"] = "sometimes"
    elif damage == "regions-null":
        doc["regions"] = [None]
    path = tmp_path / "damaged.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _one_line_naming(run("report", path, "--format", "html"), "damaged.json")


def test_report_unknown_case_or_region_is_exit_2(report_of: Callable[..., Run]) -> None:
    r = report_of("html", "--case", "dentistry")
    assert r.code == 2 and r.stdout == ""
    assert "dentistry" in r.stderr and "psychiatry" in r.stderr
    r = report_of("html", "--region", "gotland")
    assert r.code == 2 and r.stdout == ""
    assert "gotland" in r.stderr and "kalmar" in r.stderr


def test_report_chooses_the_format_from_the_output_suffix(
    example_json: Path, tmp_path: Path
) -> None:
    md = tmp_path / "summary.md"
    assert run("report", example_json, "-o", md).code == 1
    assert md.read_text(encoding="utf-8").startswith("## ")
    pdf = tmp_path / "report.pdf"
    pytest.importorskip("weasyprint")
    assert run("report", example_json, "-o", pdf).code == 1
    assert pdf.read_bytes().startswith(b"%PDF")
