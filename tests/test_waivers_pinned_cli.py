"""Pinned waivers end to end: the issue's scenario on a copy of the examples (S-Litium's unit
in Kalmar changed from mmol/l to µmol/l, a 1000x error for lithium), compare's warnings,
the reports, a saved result read back, ``waivers check --result/--strict`` and
``--fail-on-new`` on an updated deviation."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import ESPIR, EXAMPLES, MINI_BASELINE, MINI_COPY, CliResult, run_cli

from cosmicdiff.parsers import display_path
from cosmicdiff.rules.waivers import load_waivers

TODAY = "2026-11-23"
KALMAR_XML = Path("kalmar") / "kalmar-cosmic-export.xml"
LITHIUM = (
    '<keyword id="RKL-SO-21169" name="S-Litium" type="Numeric" unit="mmol/l">',
    '<keyword id="RKL-SO-21169" name="S-Litium" type="Numeric" unit="µmol/l">',
)
WAIVERS = "espir:waivers.yaml"  # the shipped baseline is shown by its stable name
SV_NOTE = (
    "Undantag ESPIR-W-2026-007 gäller inte längre: det accepterade 'mmol/l', nu "
    "'µmol/l' (CD202, ESP-SO-00228); avvikelsen är inte undantagen."
)
EN_NOTE = (
    "Waiver ESPIR-W-2026-007 no longer fits: it accepted 'mmol/l', found 'µmol/l' "
    "(CD202, ESP-SO-00228); the deviation is not waived."
)


def _regions(root: Path, *edits: tuple[str, str]) -> list[Path]:
    target = root / "regions"
    shutil.copytree(EXAMPLES, target)
    xml = target / KALMAR_XML
    text = xml.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    xml.write_text(text, encoding="utf-8")
    return sorted(target.iterdir())


def compare(regions: list[Path], *args: str | Path) -> CliResult:
    return run_cli("compare", "-b", ESPIR, *regions, "--today", TODAY, *args)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pinned")


@pytest.fixture(scope="module")
def same(work: Path) -> list[Path]:
    return _regions(work / "same")


@pytest.fixture(scope="module")
def lithium(work: Path) -> list[Path]:
    return _regions(work / "lithium", LITHIUM)


@pytest.fixture(scope="module")
def r1(work: Path, same: list[Path]) -> tuple[CliResult, Path]:
    path = work / "r1.json"
    return compare(same, "-f", "json", "-o", path), path


@pytest.fixture(scope="module")
def r2(work: Path, lithium: list[Path]) -> tuple[CliResult, Path]:
    path = work / "r2.json"
    return compare(lithium, "-f", "json", "-o", path), path


def _doc(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _litium(doc: dict[str, Any]) -> dict[str, Any]:
    (dev,) = [d for d in doc["deviations"] if d["baseline_id"] == "ESP-SO-00228"]
    return dev


# --- the shipped waiver --------------------------------------------------------------------


def test_shipped_waiver_is_pinned_to_the_deviation_it_waives(r1: tuple[CliResult, Path]) -> None:
    res, path = r1
    doc = _doc(path)
    dev = _litium(doc)
    assert (dev["waived"], dev["waiver"]["id"]) == (True, "ESPIR-W-2026-007")
    (waiver,) = load_waivers(ESPIR / "waivers.yaml", WAIVERS)
    assert waiver.pinned
    assert dict(waiver.pins) == {
        "kind": dev["kind"],
        "expected": dev["expected"],
        "actual": dev["actual"],
    }
    assert dict(waiver.pins) == {"kind": "unit_changed", "expected": "mmol/L", "actual": "mmol/l"}
    assert doc["waivers"] == []
    assert "warning:" not in res.stderr


# --- the scenario ------------------------------------------------------------------


def test_lithium_in_micromol_is_not_waived(
    r1: tuple[CliResult, Path], r2: tuple[CliResult, Path]
) -> None:
    res, path = r2
    assert res.code == 1
    doc, before = _doc(path), _doc(r1[1])
    dev = _litium(doc)
    assert (dev["severity"], dev["actual"], dev["waived"]) == ("error", "µmol/l", False)
    assert "waiver" not in dev
    assert dev["id"] == _litium(before)["id"]  # the same finding, another value
    assert doc["summary"]["gating"] == before["summary"]["gating"] + 1
    assert doc["summary"]["waived"] == before["summary"]["waived"] - 1 == 0
    assert doc["waivers"] == [
        {
            "id": "ESPIR-W-2026-007",
            "status": "mismatch",
            "region": "kalmar",
            "rule": "CD202",
            "item": "ESP-SO-00228",
            "expires": "2027-06-30",
            "matched": 0,
            "location": {"path": WAIVERS, "line": 7},
            "deviation": dev["id"],
            "accepted": {"kind": "unit_changed", "expected": "mmol/L", "actual": "mmol/l"},
            "found": {"kind": "unit_changed", "expected": "mmol/L", "actual": "µmol/l"},
        }
    ]
    assert res.stderr.splitlines()[-1] == (
        f"warning: {WAIVERS}:7: waiver ESPIR-W-2026-007 no longer fits: it accepted 'mmol/l', "
        f"found 'µmol/l' (deviation {dev['id'][:8]}: kalmar / CD202 / ESP-SO-00228); the "
        "deviation is not waived"
    )


def test_lithium_gates_on_its_own(
    r1: tuple[CliResult, Path], same: list[Path], lithium: list[Path]
) -> None:
    # the examples have other errors: gate on what changed since r1 to see this one alone
    assert compare(same, "-f", "json", "--reference", r1[1], "--fail-on-new").code == 0
    res = compare(lithium, "-f", "json", "--reference", r1[1], "--fail-on-new")
    assert res.code == 1
    doc = json.loads(res.stdout)
    gating = [d for d in doc["deviations"] if d["trend"] in ("new", "updated")]
    assert [(d["trend"], d["baseline_id"], d["waived"]) for d in gating] == [
        ("updated", "ESP-SO-00228", False)
    ]
    assert doc["summary"]["gating"] == 1
    assert "(new or updated ones only)" in res.stderr


def test_quiet_compare_prints_no_waiver_warning(lithium: list[Path]) -> None:
    res = run_cli("--quiet", "compare", "-b", ESPIR, *lithium, "--today", TODAY, "-f", "json")
    assert res.code == 1
    assert res.stderr == ""


@pytest.mark.parametrize(
    ("fmt", "lang", "text"),
    [
        ("text", "sv", SV_NOTE),
        ("text", "en", EN_NOTE),
        ("markdown", "sv", SV_NOTE),
        ("markdown", "en", EN_NOTE),
        ("html", "sv", SV_NOTE),
        ("html", "en", EN_NOTE),
    ],
)
def test_reports_name_the_waiver_and_both_values(
    r2: tuple[CliResult, Path], fmt: str, lang: str, text: str
) -> None:
    res = run_cli("report", r2[1], "--format", fmt, "--lang", lang)
    assert res.code == 1
    out = html.unescape(res.stdout) if fmt == "html" else res.stdout
    assert text in out
    heading = "Undantag att se över" if lang == "sv" else "Waivers to review"
    assert heading in out
    if fmt == "html":
        assert '<li class="waiver-mismatch">' in res.stdout


def test_saved_result_keeps_the_notes(r2: tuple[CliResult, Path]) -> None:
    again = run_cli("report", r2[1], "--format", "json")
    assert json.loads(again.stdout)["waivers"] == _doc(r2[1])["waivers"]


# --- waivers check --result ----------------------------------------------------------------


def test_waivers_check_against_a_result_that_fits(r1: tuple[CliResult, Path]) -> None:
    res = run_cli(
        "waivers", "check", ESPIR / "waivers.yaml", "--result", r1[1], "--today", TODAY, "--strict"
    )
    assert res.code == 0
    assert res.stderr == ""
    assert res.stdout == (
        f"ok: {WAIVERS}: 1 waiver(s), checked against "
        f"{display_path(r1[1])}: 0 no longer fit, 0 stale, 0 expired, "
        "0 unpinned\n"
    )


def test_waivers_check_lists_the_mismatch(r2: tuple[CliResult, Path]) -> None:
    res = run_cli("waivers", "check", ESPIR / "waivers.yaml", "--result", r2[1], "--today", TODAY)
    assert res.code == 2
    assert res.stdout == ""
    dev = _litium(_doc(r2[1]))
    assert res.stderr == (
        f"{WAIVERS}:7: waiver ESPIR-W-2026-007 no longer fits: it accepted 'mmol/l', found "
        f"'µmol/l' (deviation {dev['id'][:8]}: kalmar / CD202 / ESP-SO-00228); the deviation "
        "is not waived\n"
        f"cosmicdiff: {WAIVERS}: 1 waiver(s), checked against {display_path(r2[1])}: "
        "1 no longer fit, 0 stale, 0 expired, 0 unpinned\n"
    )


def _unpinned_file(folder: Path) -> Path:
    path = folder / "old-waivers.yaml"
    path.write_text(
        "waivers:\n"
        "  - id: W-LI\n    region: kalmar\n    rule: unit-changed\n    item: ESP-SO-00228\n"
        "    reason: r\n    owner: o\n    expires: 2027-06-30\n"
        "  - id: W-GONE\n    region: kalmar\n    rule: CD105\n    item: ESP-SO-99999\n"
        "    actual: x\n    reason: r\n    owner: o\n    expires: 2027-06-30\n"
        "  - id: W-OLD\n    region: kalmar\n    rule: CD105\n    item: ESP-SO-99998\n"
        "    actual: y\n    reason: r\n    owner: o\n    expires: 2026-01-31\n"
        "  - id: W-ELSE\n    region: uppsala\n    rule: CD105\n    item: ESP-SO-1\n"
        "    reason: r\n    owner: o\n    expires: 2027-06-30\n",
        encoding="utf-8",
    )
    return path


def test_waivers_check_unpinned_stale_expired_and_other_regions(
    work: Path, r1: tuple[CliResult, Path]
) -> None:
    path = _unpinned_file(work)
    shown = display_path(path)
    res = run_cli("waivers", "check", path, "--result", r1[1], "--today", TODAY)
    assert res.code == 0
    assert res.stderr.splitlines() == [
        f"{shown}:2: waiver W-LI is not pinned to a value: it waives CD202 for ESP-SO-00228 "
        "in kalmar whatever the value; add kind: unit_changed, expected: 'mmol/L', "
        "actual: 'mmol/l'",
        f"{shown}:9: waiver W-GONE matches no deviation",
        f"{shown}:17: waiver W-OLD expired on 2026-01-31",
        f"{shown}:25: waiver W-ELSE is not pinned to a value: it waives CD105 for ESP-SO-1 in "
        "uppsala whatever the value; add expected: and actual: with the values it accepts",
    ]
    assert res.stdout == (
        f"ok: {shown}: 4 waiver(s), checked against {display_path(r1[1])}: "
        "0 no longer fit, 1 stale, 1 expired, 2 unpinned, 1 for regions "
        "the result does not compare\n"
    )
    strict = run_cli("waivers", "check", path, "--result", r1[1], "--today", TODAY, "--strict")
    assert strict.code == 2
    assert strict.stdout == ""
    assert strict.stderr.splitlines()[-1] == (
        f"cosmicdiff: {shown}: 4 waiver(s), checked against {display_path(r1[1])}: "
        "0 no longer fit, 1 stale, 1 expired, 2 unpinned, 1 for regions the result does not "
        "compare (--strict)"
    )


def test_waivers_check_strict_without_result_fails_on_unpinned(work: Path) -> None:
    path = work / "one-unpinned.yaml"
    path.write_text(
        "waivers:\n  - id: W-1\n    region: kalmar\n    rule: CD202\n"
        "    item: ESP-SO-00228\n    reason: r\n    owner: o\n"
        "    expires: 2027-06-30\n",
        encoding="utf-8",
    )
    assert run_cli("waivers", "check", path, "--today", TODAY).code == 0
    res = run_cli("waivers", "check", path, "--today", TODAY, "--strict")
    assert res.code == 2
    assert res.stderr.splitlines()[-1] == (
        f"cosmicdiff: {display_path(path)}: 1 waiver(s), 0 expired, 1 unpinned (--strict)"
    )


def test_waivers_check_pinned_file_passes_strict(work: Path) -> None:
    res = run_cli("waivers", "check", ESPIR / "waivers.yaml", "--today", TODAY, "--strict")
    assert res.code == 0
    assert res.stdout == f"ok: {WAIVERS}: 1 waiver(s), 0 expired, 0 unpinned\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "result file not found"),
        ("{}", "not a cosmicdiff result"),
    ],
    ids=["missing", "not-a-result"],
)
def test_waivers_check_with_an_unusable_result(
    work: Path, content: str | None, message: str
) -> None:
    target = work / f"bad-result-{len(message)}.json"
    if content is not None:
        target.write_text(content, encoding="utf-8")
    res = run_cli("waivers", "check", ESPIR / "waivers.yaml", "--result", target)
    assert res.code == 2
    assert message in res.stderr
    assert res.stderr.count("\n") == 1


# --- compare's warnings about unpinned waivers -------------------------------------------------


def test_compare_warns_about_unpinned_waivers(work: Path, same: list[Path]) -> None:
    path = _unpinned_file(work)
    res = compare(same, "-f", "json", "--waivers", path)
    doc = json.loads(res.stdout)
    assert _litium(doc)["waived"] is True  # an unpinned waiver still waives
    assert [(w["id"], w["status"]) for w in doc["waivers"]] == [
        ("W-LI", "unpinned"),
        ("W-GONE", "stale"),
        ("W-OLD", "expired"),
    ]
    warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {display_path(path)}:2: waiver W-LI is not pinned to a value: it waives "
        "CD202 for ESP-SO-00228 in kalmar whatever the value; add kind: unit_changed, "
        "expected: 'mmol/L', actual: 'mmol/l'"
    ]


def test_compare_names_ten_unpinned_waivers_and_counts_the_rest(tmp_path: Path) -> None:
    entries = "".join(
        f"  - id: W-{i}\n    region: copy\n    rule: CD105\n    item: B-SO-{i}\n"
        "    reason: r\n    owner: o\n    expires: 2027-06-30\n"
        for i in range(12)
    )
    path = tmp_path / "many.yaml"
    path.write_text("waivers:\n" + entries, encoding="utf-8")
    res = run_cli(
        "compare", "-b", MINI_BASELINE, MINI_COPY, "--today", TODAY, "-f", "json", "--waivers", path
    )
    warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 11
    assert warnings[0].startswith(
        f"warning: {display_path(path)}:2: waiver W-0 is not pinned to a value"
    )
    assert warnings[-1] == (
        "warning: … and 2 more unpinned waivers (all of them are in the "
        "JSON result under waivers; 'cosmicdiff waivers check' lists them)"
    )
    assert sum(w["status"] == "unpinned" for w in json.loads(res.stdout)["waivers"]) == 12
