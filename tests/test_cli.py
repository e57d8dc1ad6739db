"""The command line: exit statuses 0/1/2/3 (report-json.md), messages, --output, formats.

Everything runs in-process through CliRunner (``run_cli``); stdout is not a terminal there,
so ``compare`` writes JSON unless ``--format`` or ``--output`` says otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MINI_BASELINE, MINI_COPY, run_cli
from reports._support import (
    DEVIATING_WAIVERS,
    ONE_ERROR,
    ONE_INFO,
    ONE_WARNING,
    REP_DEVIATING,
    waiver,
    write_region,
)

from cosmicdiff import __version__
from cosmicdiff.rules import ALL_RULES
from cosmicdiff.rules.docs import rule_markdown

TODAY = "2026-11-23"
BROKEN_XML = {"</keywords>": "</keyword>"}  # mismatched end tag, reported on line 36


def compare(*args: str | Path):
    return run_cli("compare", *args, "--today", TODAY)


@pytest.fixture(autouse=True)
def _no_debug_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COSMICDIFF_DEBUG", raising=False)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path so that messages show short relative paths."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- exit status 0 and 1 -----------------------------------------------------------------


def test_identical_copy_exits_0() -> None:
    res = compare(MINI_COPY, "-b", MINI_BASELINE)
    assert res.code == 0
    doc = json.loads(res.stdout)  # JSON when stdout is not a terminal
    assert doc["deviations"] == []
    assert doc["exit_status"] == 0
    assert res.stderr == (
        "cosmicdiff: 0 deviations (0 error, 0 warning, 0 info; 0 waived); "
        "0 at or above --fail-on error; exit 0\n"
    )


EDITS = {"copy": {}, "info": ONE_INFO, "warning": ONE_WARNING, "error": ONE_ERROR}
FAIL_ON = [  # (region with one deviation of this severity, --fail-on, exit status)
    ("copy", "error", 0),
    ("copy", "warning", 0),
    ("copy", "info", 0),
    ("copy", "never", 0),
    ("info", "error", 0),
    ("info", "warning", 0),
    ("info", "info", 1),
    ("info", "never", 0),
    ("warning", "error", 0),
    ("warning", "warning", 1),
    ("warning", "info", 1),
    ("warning", "never", 0),
    ("error", "error", 1),
    ("error", "warning", 1),
    ("error", "info", 1),
    ("error", "never", 0),
]


@pytest.mark.parametrize(
    ("severity", "fail_on", "code"), FAIL_ON, ids=[f"{s}-fail-on-{f}" for s, f, _ in FAIL_ON]
)
def test_fail_on_threshold(tmp_path: Path, severity: str, fail_on: str, code: int) -> None:
    region = write_region(tmp_path / "r", "alfa", EDITS[severity])
    res = compare(region, "-b", MINI_BASELINE, "--fail-on", fail_on)
    doc = json.loads(res.stdout)
    assert [d["severity"] for d in doc["deviations"]] == ([] if severity == "copy" else [severity])
    assert res.code == code
    assert doc["exit_status"] == code


def test_default_fail_on_is_error() -> None:
    res = compare(REP_DEVIATING, "-b", MINI_BASELINE)
    assert res.code == 1
    assert json.loads(res.stdout)["fail_on"] == "error"
    assert res.stderr.endswith("; 3 at or above --fail-on error; exit 1\n")


# --- exit status 2: inputs and arguments ---------------------------------------------------


def test_missing_baseline_folder(in_tmp: Path) -> None:
    res = compare(MINI_COPY, "-b", "no-such-baseline")
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr == ("no-such-baseline: no such baseline folder (shipped baselines: espir)\n")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda d: write_region(d / "region", "broken", BROKEN_XML),
            "region/export.xml:36: malformed XML: Opening and ending tag mismatch: keywords "
            "line 23 "
            "and keyword\n",
        ),
        (
            lambda d: (
                (d / "region").mkdir()
                or (d / "region" / "export.xml").write_bytes(b"\x00\x01binary junk\xff\xfe")
                and d / "region"
            ),
            "region/export.xml:1: malformed XML",
        ),
        (lambda d: d / "region", "region: no such file or folder\n"),
        (lambda d: (d / "region").mkdir() or d / "region", "region: folder holds no export files"),
    ],
    ids=["malformed", "binary", "missing", "empty-folder"],
)
def test_unusable_region_export(in_tmp: Path, make, message: str) -> None:
    make(in_tmp)
    res = compare("region", "-b", MINI_BASELINE)
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr.startswith(message)
    assert "Traceback" not in res.stderr


def test_unknown_case() -> None:
    res = compare(MINI_COPY, "-b", MINI_BASELINE, "--case", "nope")
    assert res.code == 2
    assert res.stderr == "unknown case 'nope'; baseline 'mini' defines: psychiatry, drugs\n"


def test_known_case_limits_the_comparison() -> None:
    res = compare(REP_DEVIATING, "-b", MINI_BASELINE, "--case", "drugs")
    assert res.code == 1
    doc = json.loads(res.stdout)
    assert [(d["case"], d["rule"]) for d in doc["deviations"]] == [("drugs", "CD202")]
    assert doc["harmonisation"] == {"deviating": {"drugs": 0.75}}


def test_malformed_waiver_file(in_tmp: Path) -> None:
    text = "waivers:\n" + waiver("W-1", "copy", "CD999", "B-SO-5")
    Path("waivers.yaml").write_text(text, encoding="utf-8")
    res = compare(MINI_COPY, "-b", MINI_BASELINE, "--waivers", "waivers.yaml")
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr == "waivers.yaml:4: unknown rule 'CD999'; run 'cosmicdiff rules'\n"


def test_missing_waiver_file(in_tmp: Path) -> None:
    res = compare(MINI_COPY, "-b", MINI_BASELINE, "--waivers", "nope.yaml")
    assert res.code == 2
    assert res.stderr == "nope.yaml: waiver file not found\n"


def test_region_given_twice(tmp_path: Path) -> None:
    other = write_region(tmp_path / "again", "copy")  # another folder, the same region id
    res = compare(MINI_COPY, other, "-b", MINI_BASELINE)
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr.startswith("region 'copy' is given twice: ")
    assert res.stderr.count("\n") == 1


def test_bad_today() -> None:
    res = run_cli("compare", MINI_COPY, "-b", MINI_BASELINE, "--today", "2026-99-01")
    assert res.code == 2
    assert res.stderr == "--today '2026-99-01' is not a date YYYY-MM-DD\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--fail-on", "fatal"],
        ["--lang", "svenska!"],
        ["--format", "docx"],
        ["--input-format", "docx"],
    ],
    ids=["fail-on", "lang", "format", "input-format"],
)
def test_bad_option_values_are_usage_errors(args: list[str]) -> None:
    res = compare(MINI_COPY, "-b", MINI_BASELINE, *args)
    assert res.code == 2
    assert res.stdout == ""
    assert f"Invalid value for '{args[0]}'" in res.stderr


def test_keep_going_compares_the_other_regions(in_tmp: Path) -> None:
    write_region(in_tmp / "broken", "broken", BROKEN_XML)
    res = compare("broken", REP_DEVIATING, "-b", MINI_BASELINE, "--keep-going")
    assert res.code == 2  # not 1, although the other region has gating deviations
    doc = json.loads(res.stdout)
    assert doc["exit_status"] == 2
    assert [(r["id"], r["compared"]) for r in doc["regions"]] == [
        ("broken", False),
        ("deviating", True),
    ]
    assert doc["regions"][0]["error"] == (
        "broken/export.xml:36: malformed XML: Opening and "
        "ending tag mismatch: keywords line 23 and keyword"
    )
    assert {d["region"] for d in doc["deviations"]} == {"deviating"}
    assert len(doc["deviations"]) == 6
    assert list(doc["harmonisation"]) == ["deviating"]
    assert "broken: not compared: broken/export.xml:36: malformed XML" in res.stderr
    assert "Traceback" not in res.stderr


def test_without_keep_going_a_broken_region_stops_the_run(in_tmp: Path) -> None:
    write_region(in_tmp / "broken", "broken", BROKEN_XML)
    res = compare("broken", REP_DEVIATING, "-b", MINI_BASELINE)
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr.startswith("broken/export.xml:36: malformed XML")


# --- exit status 3: internal errors ------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> object:
    raise RuntimeError("boom")


INTERNAL = (
    "cosmicdiff: internal error: RuntimeError: boom (this is a bug; run with --debug "
    "for details and report it)\n"
)


@pytest.mark.parametrize(
    "extra",
    [[], ["--keep-going"], ["--fail-on", "never"]],
    ids=["plain", "keep-going", "fail-on-never"],
)
def test_internal_error_exits_3(monkeypatch: pytest.MonkeyPatch, extra: list[str]) -> None:
    monkeypatch.setattr("cosmicdiff.pipeline.diff_region", _boom)
    res = compare(MINI_COPY, "-b", MINI_BASELINE, *extra)
    assert res.code == 3
    assert res.stdout == ""
    assert res.stderr == INTERNAL


def test_internal_error_in_a_reporter_exits_3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cosmicdiff.reports.json_report.JsonReporter.chunks", _boom)
    res = compare(REP_DEVIATING, "-b", MINI_BASELINE, "-f", "json")
    assert res.code == 3
    assert res.stderr == INTERNAL


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cosmicdiff.pipeline.diff_region", _boom)
    res = run_cli("--debug", "compare", MINI_COPY, "-b", MINI_BASELINE)
    assert res.code == 3
    assert "Traceback (most recent call last)" in res.stderr
    assert res.stderr.endswith(INTERNAL)
    # and the flag does not stick to the next run
    res = compare(MINI_COPY, "-b", MINI_BASELINE)
    assert "Traceback" not in res.stderr


# --- --output ----------------------------------------------------------------------------


def test_output_is_written_atomically(in_tmp: Path) -> None:
    Path("out").mkdir()
    target = Path("out/result.json")
    target.write_text("old", encoding="utf-8")
    res = compare(REP_DEVIATING, "-b", MINI_BASELINE, "--output", target)
    assert res.code == 1
    assert res.stdout == ""
    assert res.stderr.startswith("cosmicdiff: 6 deviations (3 error, 2 warning, 1 info; ")
    assert sorted(p.name for p in Path("out").iterdir()) == ["result.json"]  # no temp file
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert len(doc["deviations"]) == 6
    same = compare(REP_DEVIATING, "-b", MINI_BASELINE, "-f", "json")
    assert target.read_text(encoding="utf-8") == same.stdout


def test_output_is_left_alone_when_the_run_fails(in_tmp: Path) -> None:
    target = Path("result.json")
    target.write_text("old", encoding="utf-8")
    res = compare(MINI_COPY, "-b", MINI_BASELINE, "--case", "nope", "-o", target)
    assert res.code == 2
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in in_tmp.iterdir()) == ["result.json"]


def test_output_folder_must_exist(in_tmp: Path) -> None:
    res = compare(MINI_COPY, "-b", MINI_BASELINE, "--output", "missing/result.json")
    assert res.code == 2
    assert res.stderr == (
        "missing/result.json: cannot write output: folder missing does not exist\n"
    )
    assert list(in_tmp.iterdir()) == []


def test_output_onto_a_folder_is_an_input_error(in_tmp: Path) -> None:
    Path("r.json").mkdir()
    res = compare(MINI_COPY, "-b", MINI_BASELINE, "--output", "r.json")
    assert res.code == 2
    assert res.stderr == (
        "--output r.json is a folder; give the file to write, e.g. --output r.json/report.json\n"
    )
    assert [p.name for p in in_tmp.iterdir()] == ["r.json"]  # the temp file is removed
    assert list(Path("r.json").iterdir()) == []


def _is_json_result(text: str) -> bool:
    return json.loads(text)["schema"] == "cosmicdiff/result/1"


def _is_sarif(text: str) -> bool:
    return json.loads(text)["version"] == "2.1.0"


def _is_junit(text: str) -> bool:
    return text.startswith("<?xml") and "<testsuites " in text


def _is_gitlab(text: str) -> bool:
    data = json.loads(text)
    return isinstance(data, list) and data and {"check_name", "fingerprint"} <= data[0].keys()


def _is_text(text: str) -> bool:
    return text.startswith("cosmicdiff: avvikelser mot mini 1.0\n")


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("r.json", _is_json_result),
        ("r.sarif", _is_sarif),
        ("r.sarif.json", _is_sarif),
        ("r.xml", _is_junit),
        ("gl-code-quality-report.json", _is_gitlab),
        ("r.txt", _is_text),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_format_from_output_suffix(in_tmp: Path, name: str, check) -> None:
    res = compare(REP_DEVIATING, "-b", MINI_BASELINE, "-o", name)
    assert res.code == 1
    assert res.stdout == ""
    assert check((in_tmp / name).read_text(encoding="utf-8"))


def test_unknown_output_suffix(in_tmp: Path) -> None:
    res = compare(MINI_COPY, "-b", MINI_BASELINE, "-o", "r.docx")
    assert res.code == 2
    assert res.stderr == "cannot tell the format from 'r.docx'; give --format\n"
    assert list(in_tmp.iterdir()) == []


def test_explicit_format_wins_over_the_suffix(in_tmp: Path) -> None:
    res = compare(REP_DEVIATING, "-b", MINI_BASELINE, "-o", "r.json", "-f", "sarif")
    assert res.code == 1
    assert _is_sarif((in_tmp / "r.json").read_text(encoding="utf-8"))


# --- rules, explain, --version -----------------------------------------------------------


def test_rules_lists_every_code() -> None:
    res = run_cli("rules")
    assert res.code == 0
    lines = res.stdout.splitlines()
    assert [line.split()[0] for line in lines] == [r.code for r in ALL_RULES]
    assert len(ALL_RULES) == len({r.code for r in ALL_RULES}) >= 29
    for line, rule in zip(lines, ALL_RULES, strict=True):
        code, name, severity, *summary = line.split()
        assert (code, name, severity) == (rule.code, rule.name, rule.default_severity.value)
        assert " ".join(summary) == rule.summary


@pytest.mark.parametrize("key", ["CD105", "cd105", "renamed"])
def test_explain_prints_the_rule_doc(key: str) -> None:
    res = run_cli("explain", key)
    assert res.code == 0
    rule = next(r for r in ALL_RULES if r.code == "CD105")
    head, _, body = res.stdout.partition("\n\n")
    assert head == "CD105 renamed (default severity: warning)"
    assert body == rule_markdown(rule) + "\n"  # plain Markdown when not on a terminal
    assert "\n\n**Why it matters:** " in body and "``" not in body


def test_explain_unknown_rule() -> None:
    res = run_cli("explain", "CD999")
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr == "unknown rule 'CD999'; run 'cosmicdiff rules' to list them\n"


def test_version() -> None:
    res = run_cli("--version")
    assert res.code == 0
    assert res.stdout == (
        f"cosmicdiff {__version__} (reads export format 1, writes cosmicdiff/result/1)\n"
    )


# --- waivers check -----------------------------------------------------------------------


def test_waivers_check_good_file(in_tmp: Path) -> None:
    Path("waivers.yaml").write_text(DEVIATING_WAIVERS, encoding="utf-8")
    res = run_cli("waivers", "check", "waivers.yaml", "--today", TODAY)
    assert res.code == 0
    assert res.stdout == "ok: waivers.yaml: 3 waiver(s), 1 expired, 3 unpinned\n"
    lines = res.stderr.splitlines()
    assert "waivers.yaml:9: waiver W-OLD expired on 2026-11-22" in lines
    assert [line.split(" is not pinned")[0] for line in lines if "not pinned" in line] == [
        "waivers.yaml:2: waiver W-UNIT",
        "waivers.yaml:9: waiver W-OLD",
        "waivers.yaml:16: waiver W-STALE",
    ]
    assert len(lines) == 4


ENTRY = waiver("W-1", "kalmar", "CD202", "B-SO-5")
BAD_WAIVERS = [
    (
        "unknown-rule",
        "waivers:\n" + ENTRY.replace("CD202", "CD999"),
        "bad.yaml:4: unknown rule 'CD999'; run 'cosmicdiff rules'",
    ),
    (
        "missing-expires",
        "waivers:\n" + ENTRY.replace("    expires: 2027-06-30\n", ""),
        "bad.yaml:2: waiver needs 'expires'",
    ),
    (
        "bad-date",
        "waivers:\n" + ENTRY.replace("2027-06-30", "next year"),
        "bad.yaml:8: expires must be a date YYYY-MM-DD, not 'next year'",
    ),
    (
        "date-and-time",
        "waivers:\n" + ENTRY.replace("2027-06-30", "2027-06-30 10:00:00"),
        "bad.yaml:8: expires must be a date YYYY-MM-DD, not datetime.datetime(2027, 6, 30, 10, 0)",
    ),
    (
        "unknown-key",
        "waivers:\n" + ENTRY + "    colour: red\n",
        "bad.yaml:9: unknown key 'colour' in a waiver; allowed: actual, approver, decision, "
        "expected, expires, id, item, kind, owner, path, reason, region, rule",
    ),
    (
        "duplicate-id",
        "waivers:\n" + ENTRY + ENTRY.replace("CD202", "CD105"),
        "bad.yaml:9: waiver id 'W-1' is used twice (first on line 2)",
    ),
    ("not-a-list", "waivers: 3\n", "bad.yaml:1: 'waivers' must be a list"),
    ("invalid-yaml", "waivers:\n  - id: [W-1\n", "bad.yaml:3: invalid YAML: "),
]


@pytest.mark.parametrize(
    ("text", "message"), [b[1:] for b in BAD_WAIVERS], ids=[b[0] for b in BAD_WAIVERS]
)
def test_waivers_check_bad_file(in_tmp: Path, text: str, message: str) -> None:
    Path("bad.yaml").write_text(text, encoding="utf-8")
    res = run_cli("waivers", "check", "bad.yaml")
    assert res.code == 2
    assert res.stdout == ""
    assert res.stderr.startswith(message)
    assert res.stderr.count("\n") == 1


@pytest.mark.parametrize("command", ["check", "compare"])
def test_impossible_expiry_date_is_an_input_error(in_tmp: Path, command: str) -> None:
    Path("bad.yaml").write_text(
        "waivers:\n" + ENTRY.replace("2027-06-30", "2027-13-45"), encoding="utf-8"
    )
    if command == "check":
        res = run_cli("waivers", "check", "bad.yaml")
    else:
        res = compare(MINI_COPY, "-b", MINI_BASELINE, "--waivers", "bad.yaml")
    assert res.code == 2
    assert res.stderr.startswith("bad.yaml:8: ")
    assert "internal error" not in res.stderr


def test_waivers_check_missing_file(in_tmp: Path) -> None:
    res = run_cli("waivers", "check", "nope.yaml")
    assert res.code == 2
    assert res.stderr == "nope.yaml: waiver file not found\n"
