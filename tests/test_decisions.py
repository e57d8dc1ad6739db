"""The workshop round trip: decisions template -> fill in -> decisions apply -> compare.

The examples' result is computed once (engine, fixed date); each test writes its own files
in tmp_path and runs the CLI in-process.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import ESPIR, EXAMPLES, MINI_BASELINE, CliResult, run_cli
from model_edit import replace

from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.result import Result
from cosmicdiff.rules.waivers import load_waivers
from cosmicdiff.vocabulary import Entity, Kind
from cosmicdiff.workshop.decisions import (
    Decision,
    DecisionsFile,
    Row,
    Spot,
    build_proposal,
    check_rows,
    render_proposal,
)
from cosmicdiff.workshop.decisions.texts import header_key

TODAY = dt.date(2026, 11, 23)
LATER = "2027-12-31"


def _compare(waivers: Path | None = None) -> Result:
    return compare(ESPIR, sorted(EXAMPLES.iterdir()), CompareOptions(today=TODAY, waivers=waivers))


@pytest.fixture(scope="module")
def result() -> Result:
    return _compare()


@pytest.fixture
def result_json(result: Result, tmp_path: Path) -> Path:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(result.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def _template(result_json: Path, out: Path, *args: str) -> None:
    got = run_cli("decisions", "template", result_json, "--output", out, *args)
    assert got.code == 0, got.stderr
    assert out.is_file()


def _apply(*args: str | Path) -> CliResult:
    return run_cli("decisions", "apply", *args, "--today", TODAY.isoformat())


def _kalmar_cd105(result: Result) -> set[str]:
    ids = {d.id for d in result.deviations if d.region == "kalmar" and d.rule == "CD105"}
    assert len(ids) >= 2
    return ids


def _fill_yaml(path: Path, decide: dict[str, dict[str, str]]) -> None:
    """Fill the rows of ``decide`` (deviation id -> column: value) by editing the text."""
    blocks = path.read_text(encoding="utf-8").split("\n\n  - ")
    for i, block in enumerate(blocks[1:], start=1):
        did = block.split("\n", 1)[0].removeprefix("id: ")
        for key, value in decide.get(did, {}).items():
            block = re.sub(
                rf"^    {key}:.*$", f"    {key}: {value}", block, count=1, flags=re.MULTILINE
            )
        blocks[i] = block
    path.write_text("\n\n  - ".join(blocks), encoding="utf-8")


ACCEPT = {
    "decision": "accept",
    "justification": "Lokalt namn, beslutat på workshop",
    "owner": "Förvaltningsobjekt Vårdtjänster, Region Kalmar län",
    "expires": LATER,
    "decided_by": "eSPiR styrgrupp",
    "decision_ref": "eSPiR-styrgruppen 2026-11-30 §4",
}


# --- template ----------------------------------------------------------------------------


def test_yaml_template_has_one_undecided_row_per_deviation(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    out = tmp_path / "d.yaml"
    _template(result_json, out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# cosmicdiff: beslut från harmoniseringsworkshop\n")
    assert "adopt  = regionens variant tas in i grundkonfigurationen" in text
    assert "baslinje" not in text.lower()  # one Swedish term for the baseline
    doc = yaml.safe_load(text)
    assert doc["schema"] == "cosmicdiff/decisions/1"
    assert doc["baseline"] == {"id": "espir", "version": "2026.1"}
    rows = doc["decisions"]
    expected = [d for d in result.deviations if not d.allowed]
    assert [r["id"] for r in rows] == [d.id for d in sorted(expected, key=Deviation.sort_key)]
    assert all(r["decision"] is None and r["justification"] is None for r in rows)
    assert list(rows[0]) == [
        "id",
        "ref",
        "name",
        "region",
        "case",
        "kind",
        "rule",
        "severity",
        "entity",
        "baseline_id",
        "local_id",
        "path",
        "field",
        "expected",
        "actual",
        "message",
        "waived",
        "check",
        "decision",
        "justification",
        "owner",
        "expires",
        "decided_by",
        "decision_ref",
        "comment",
    ]
    waived = [r for r in rows if r["waived"]]
    assert [r["waived"] for r in waived] == ["ESPIR-W-2026-007"]
    # the short reference the report prints in the decision cell, and the item's name
    assert all(r["ref"] == r["id"][:8] for r in rows)
    # a checksum over the read-only fields, different per row
    assert len({r["check"] for r in rows}) == len(rows)
    assert {r["name"] for r in rows if r["id"] in {d.id for d in expected if d.name}} == {
        d.name for d in expected if d.name
    }


def test_template_filters_language_allowed_and_overwrite(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    out = tmp_path / "d.yaml"
    _template(
        result_json,
        out,
        "--lang",
        "en",
        "--region",
        "kalmar",
        "--case",
        "drugs",
        "--min-severity",
        "warning",
        "--include-allowed",
    )
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# cosmicdiff: decisions of a harmonisation workshop\n")
    doc = yaml.safe_load(text)
    assert doc["filters"] == ["--region=kalmar", "--case=drugs", "--min-severity=warning"]
    assert {(r["region"], r["case"]) for r in doc["decisions"]} == {("kalmar", "drugs")}
    assert all(r["severity"] in ("warning", "error") for r in doc["decisions"])
    again = run_cli("decisions", "template", result_json, "--output", out)
    assert again.code == 2
    assert again.stderr == f"{out.as_posix()}: already exists; give --force to replace it\n"
    allowed = run_cli("decisions", "template", result_json, "--include-allowed")
    assert allowed.code == 0
    assert len(yaml.safe_load(allowed.stdout)["decisions"]) == len(result.deviations)


def test_xlsx_template_layout_and_determinism(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    _template(result_json, first)
    _template(result_json, second)
    assert first.read_bytes() == second.read_bytes()
    wb = openpyxl.load_workbook(first)
    assert wb.sheetnames == ["Beslut", "Instruktioner", "cosmicdiff", "cosmicdiff-rows"]
    assert wb["cosmicdiff"].sheet_state == "hidden"
    assert wb["cosmicdiff-rows"].sheet_state == "hidden"
    ws = wb["Beslut"]
    header = [c.value for c in ws[1]]
    # the headers in the report's words: the facilitator types what the paper says
    assert header[:3] == ["Ref", "Namn", "id"]
    assert {"Förväntat", "Faktiskt", "Beslut", "Motivering", "Ansvarig", "Giltig till"} <= set(
        header
    )
    rows = ws.max_row - 1
    assert rows == sum(not d.allowed for d in result.deviations)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:W{rows + 1}"  # the message is not shown
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    decision_col = "Q"
    assert header[ord(decision_col) - 65] == "Beslut"
    assert "Meddelande" not in header
    assert (
        lists[f"{decision_col}2:{decision_col}{rows + 1}"]
        == '"Anta i grundkonfigurationen,Regionen anpassar sig,Lokal variant"'
    )
    grey = ws.cell(row=2, column=header.index("Region") + 1).fill.fgColor.rgb
    white = ws.cell(row=2, column=header.index("Beslut") + 1).fill.fgColor.rgb
    assert grey.endswith("EDEDED") and not white.endswith("EDEDED")
    assert ws.column_dimensions["N"].width == 30  # expected
    assert [c.value for c in ws[2]][0] == ws.cell(row=2, column=3).value[:8]
    assert "Lokal variant (accept)" in "\n".join(str(c.value) for c in wb["Instruktioner"]["A"])
    en = tmp_path / "en.xlsx"
    _template(result_json, en, "--lang", "en")
    wb_en = openpyxl.load_workbook(en)
    assert wb_en.sheetnames == ["Decisions", "Instructions", "cosmicdiff", "cosmicdiff-rows"]
    header_en = [c.value for c in wb_en.worksheets[0][1]]
    assert header_en[:3] == ["Ref", "Name", "id"] and "Valid until" in header_en
    assert any(
        dv.formula1 == '"Adopt into baseline,Region aligns,Accept as local variant"'
        for dv in wb_en.worksheets[0].data_validations.dataValidation
    )


# --- the round trip ----------------------------------------------------------------------


def _assert_exactly_waived(waivers: Path, expected: set[str]) -> None:
    after = _compare(waivers)
    assert {d.id for d in after.deviations if d.waived} == expected
    assert after.waiver_notes == ()  # nothing stale, nothing expired


def test_round_trip_yaml(result: Result, result_json: Path, tmp_path: Path) -> None:
    decisions, waivers = tmp_path / "d.yaml", tmp_path / "new.yaml"
    _template(result_json, decisions)
    chosen = _kalmar_cd105(result)
    _fill_yaml(decisions, dict.fromkeys(chosen, ACCEPT))
    preview = _apply(decisions, "--waivers", waivers)
    assert preview.code == 0, preview.stderr
    assert not waivers.exists()
    assert preview.stdout.startswith("--- /dev/null\n+++ b/")
    got = _apply(decisions, "--waivers", waivers, "--write")
    assert got.code == 0, got.stderr
    assert f"{len(chosen)} accept" in got.stderr
    loaded = load_waivers(waivers, "new.yaml")
    assert sorted(w.id for w in loaded) == sorted(f"DEC-{i[:8]}" for i in chosen)
    assert {w.approver for w in loaded} == {"eSPiR styrgrupp"}
    _assert_exactly_waived(waivers, chosen)


def test_round_trip_xlsx(result: Result, result_json: Path, tmp_path: Path) -> None:
    decisions, waivers = tmp_path / "d.xlsx", tmp_path / "new.yaml"
    _template(result_json, decisions)
    chosen = _kalmar_cd105(result)
    wb = openpyxl.load_workbook(decisions)
    ws = wb.worksheets[0]
    col = {header_key(c.value): c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["id"]).value in chosen:
            for key, value in ACCEPT.items():
                ws.cell(r, col[key]).value = dt.date(2027, 12, 31) if key == "expires" else value
    wb.save(decisions)
    got = _apply(decisions, "--waivers", waivers, "--write")
    assert got.code == 0, got.stderr
    _assert_exactly_waived(waivers, chosen)


def test_merge_into_existing_waiver_file(result: Result, result_json: Path, tmp_path: Path) -> None:
    decisions, waivers = tmp_path / "d.yaml", tmp_path / "waivers.yaml"
    shutil.copy(ESPIR / "waivers.yaml", waivers)
    original = waivers.read_text(encoding="utf-8")
    _template(result_json, decisions)
    chosen = _kalmar_cd105(result)
    _fill_yaml(decisions, dict.fromkeys(chosen, ACCEPT))
    assert _apply(decisions, "--waivers", waivers, "--write").code == 0
    merged = waivers.read_text(encoding="utf-8")
    assert merged.startswith(original)  # comments and the existing entry kept as they were
    old_waived = {d.id for d in result.deviations if d.waived}
    _assert_exactly_waived(waivers, chosen | old_waived)
    again = _apply(decisions, "--waivers", waivers, "--write")
    assert again.code == 0 and "nothing to write" in again.stderr
    assert waivers.read_text(encoding="utf-8") == merged
    first = sorted(chosen)[0]
    _fill_yaml(decisions, {first: {"justification": "Ny motivering"}})
    changed = _apply(decisions, "--waivers", waivers)
    assert "-    reason: Lokalt namn, beslutat på workshop" in changed.stdout
    assert "+    reason: Ny motivering" in changed.stdout
    assert _apply(decisions, "--waivers", waivers, "--write").code == 0
    text = waivers.read_text(encoding="utf-8")
    assert text.count(f"id: DEC-{first[:8]}") == 1 and "reason: Ny motivering" in text
    assert len(load_waivers(waivers, "waivers.yaml")) == 1 + len(chosen)


def test_proposal_and_region_actions(result: Result, result_json: Path, tmp_path: Path) -> None:
    decisions, proposal = tmp_path / "d.yaml", tmp_path / "p.yaml"
    _template(result_json, decisions)
    adopt = next(
        d
        for d in result.deviations
        if d.region == "jonkoping"
        and d.entity is Entity.KEYWORD
        and d.kind is not Kind.MISSING
        and d.baseline_location is not None
        and d.expected != d.actual
    )
    align = [d for d in result.deviations if d.region == "ostergotland" and not d.allowed][:3]
    fill = {
        adopt.id: {"decision": "adopt", "justification": "Numeric räcker", "decision_ref": "§7"}
    }
    fill |= {d.id: {"decision": "align", "owner": "ROG", "expires": "2027-03-01"} for d in align}
    _fill_yaml(decisions, fill)
    assert _apply(decisions, "--proposal", proposal, "--baseline", ESPIR, "--write").code == 0
    doc = yaml.safe_load(proposal.read_text(encoding="utf-8"))
    assert doc["summary"] == {
        "changes": 1,
        "conflicts": 0,
        "region_actions": {"ostergotland": len(align)},
    }
    change = doc["changes"][0]
    assert (change["baseline_id"], change["kind"]) == (adopt.baseline_id, adopt.kind.value)
    assert (change["from"], change["to"]) == (adopt.expected, adopt.actual)
    loc = adopt.baseline_location
    assert loc is not None and change["baseline_file"] == f"{loc.path}:{loc.line}"
    assert change["regions"] == [
        {
            "region": "jonkoping",
            "case": adopt.case,
            "local_id": adopt.local_id,
            "path": adopt.path,
            "deviation": adopt.id,
            "justification": "Numeric räcker",
            "decision_ref": "§7",
        }
    ]
    actions = doc["region_actions"]["ostergotland"]
    assert {a["deviation"] for a in actions} == {d.id for d in align}
    assert {a["due"] for a in actions} == {dt.date(2027, 3, 1)}
    again = _apply(decisions, "--proposal", proposal, "--write")  # no baseline_file now
    assert again.code == 2
    assert "already exists and would change; give --force" in again.stderr


def _row(
    region: str,
    actual: str,
    decision: Decision | None,
    line: int,
    kind: Kind = Kind.RENAMED,
    rule: str = "CD105",
    path: str | None = None,
    local: str | None = None,
    **fill: str,
) -> Row:
    local = local or f"{region}-1"
    dev = Deviation(
        region=region,
        kind=kind,
        entity=Entity.KEYWORD,
        baseline_id="ESP-SO-1",
        local_id=local,
        path=path or f"{region}-JM/{local}",
        expected="Namn",
        actual=actual,
        case="psychiatry",
    )
    values = {
        "id": dev.fingerprint(rule),
        "region": region,
        "case": "psychiatry",
        "kind": kind.value,
        "rule": rule,
        "entity": "keyword",
        "baseline_id": "ESP-SO-1",
        "local_id": local,
        "path": dev.path,
        "expected": "Namn",
        "actual": actual,
    } | fill
    return Row(
        values=values,
        decision=decision,
        expires=dt.date.fromisoformat(fill["expires"]) if "expires" in fill else None,
        spots={"": Spot(file="d.yaml", line=line), "decision": Spot(file="d.yaml", line=line + 15)},
    )


def test_conflicting_adoptions_are_listed_apart() -> None:
    rows = (
        _row("kalmar", "Namn A", Decision.ADOPT, 10),
        _row("jonkoping", "Namn B", Decision.ADOPT, 40),
        _row("ostergotland", "Namn A", Decision.ADOPT, 70),
    )
    doc = DecisionsFile(
        display="d.yaml",
        baseline_id="espir",
        baseline_version="1",
        evaluated_on="2026-11-23",
        lang="en",
        rows=rows,
    )
    proposal = build_proposal(doc)
    assert proposal["changes"] == []
    [conflict] = proposal["conflicts"]
    assert conflict["baseline_id"] == "ESP-SO-1" and conflict["from"] == "Namn"
    assert [(a["to"], [r["region"] for r in a["regions"]]) for a in conflict["alternatives"]] == [
        ("Namn A", ["kalmar", "ostergotland"]),
        ("Namn B", ["jonkoping"]),
    ]
    text = render_proposal(proposal, "en")
    assert text.startswith("# cosmicdiff: proposed changes to the baseline")
    assert yaml.safe_load(text)["summary"]["conflicts"] == 1


def test_a_waiver_must_not_cover_an_undecided_row() -> None:
    # two local keywords paired with one baseline keyword, renamed alike: the pinned waiver
    # of the first (item ESP-SO-1, renamed 'Namn' -> 'X') would waive the second too
    accepted = _row("kalmar", "X", Decision.ACCEPT, 10, justification="j", owner="o", expires=LATER)
    other = _row("kalmar", "X", None, 40, local="kalmar-2")
    problems = [str(p) for p in check_rows((accepted, other), TODAY)]
    assert problems == [
        f"d.yaml:25: its waiver would also waive deviation {other.id[:8]} "
        "(line 40), which is not accepted: a waiver selects by region, rule, "
        "item, path and the values it is pinned to, so decide both rows alike "
        f"(deviation {accepted.id[:8]}, kalmar / CD105 / ESP-SO-1)"
    ]


def test_a_pinned_waiver_does_not_cover_a_row_with_other_values() -> None:
    accepted = _row("kalmar", "X", Decision.ACCEPT, 10, justification="j", owner="o", expires=LATER)
    other = _row("kalmar", "Y", None, 40, local="kalmar-2")
    assert check_rows((accepted, other), TODAY) == []


# --- validation --------------------------------------------------------------------------


def _line_of(text: str, did: str, key: str | None = None, nth: int = 1) -> int:
    """Return the line of row ``did`` (its ``nth`` occurrence), or of its ``key``."""
    at = -1
    for _ in range(nth):
        at = text.index(f"- id: {did}\n", at + 1)
    if key is not None:
        at = text.index(f"    {key}:", at)
    return text[:at].count("\n") + 1


def test_every_problem_of_a_yaml_file_is_reported_at_once(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    decisions = tmp_path / "d.yaml"
    _template(result_json, decisions)
    devs = sorted((d for d in result.deviations if not d.allowed), key=Deviation.sort_key)
    a, b, c, d, e = devs[:5]
    _fill_yaml(
        decisions,
        {
            a.id: {"decision": "adopted"},
            b.id: {"decision": "accept", "justification": "j"},
            c.id: {
                "decision": "accept",
                "justification": "j",
                "owner": "o",
                "expires": "2026-01-31",
            },
            d.id: {"decision": "align", "expires": "2027-02-30"},
            e.id: {"decision": "adopt", "local_id": "EDITED"},
        },
    )
    text = decisions.read_text(encoding="utf-8")
    text = text.replace("decisions:\n", f"decisions:\n  - id: {a.id}\n    region: x\n", 1)
    decisions.write_text(text, encoding="utf-8")
    got = _apply(decisions, "--waivers", tmp_path / "w.yaml", "--write")
    assert got.code == 2
    assert not (tmp_path / "w.yaml").exists()

    def ctx(x: Deviation) -> str:
        return f"(deviation {x.id[:8]}, {x.region} / {x.rule} / {x.baseline_id or x.local_id})"

    edited = (
        "the identifying columns (region, kind, rule, entity, baseline_id, local_id, "
        "path, field) were changed: they no longer match the row's deviation id; "
        "restore them from the template"
    )
    f = decisions.as_posix()
    assert got.stderr.splitlines() == [
        f"{f}:{_line_of(text, a.id)}: {edited} (deviation {a.id[:8]}, x / None / ?)",
        f"{f}:{_line_of(text, a.id, nth=2)}: deviation {a.id} appears twice (first at line "
        f"{_line_of(text, a.id)}); keep one row per deviation",
        f"{f}:{_line_of(text, a.id, 'decision', nth=2)}: unknown decision 'adopted'; use adopt "
        "(into the baseline), align (the region aligns), accept (a local variant), the "
        "report's words (Anta i grundkonfigurationen, Regionen anpassar sig, Lokal variant) "
        f"or leave it empty {ctx(a)}",
        f"{f}:{_line_of(text, b.id, 'decision')}: accept needs owner and expires (an accepted "
        f"local variant becomes a waiver with a reason, an owner and an expiry date) {ctx(b)}",
        f"{f}:{_line_of(text, c.id, 'expires')}: expires 2026-01-31 is in the past (today is "
        f"2026-11-23) {ctx(c)}",
        f"{f}:{_line_of(text, d.id, 'expires')}: expires must be a date YYYY-MM-DD, not "
        f"'2027-02-30' {ctx(d)}",
        f"{f}:{_line_of(text, e.id)}: {edited} {ctx(e)}",
    ]


def test_xlsx_problems_name_sheet_and_cell(result_json: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "d.xlsx"
    _template(result_json, decisions, "--lang", "en")
    wb = openpyxl.load_workbook(decisions)
    ws = wb.worksheets[0]
    ws["Q2"] = "maybe"
    ws["Q3"] = "accept"
    ws["T4"] = "next year"
    ws["E5"] = "=1+1"  # the case column is read-only too
    ws["K6"] = "EDITED"  # local_id
    wb.save(decisions)
    got = _apply(decisions)
    assert got.code == 2
    shown = got.stderr.replace(decisions.as_posix(), "d.xlsx")
    lines = shown.splitlines()
    assert [ln.split(": ")[1] for ln in lines] == [
        "Decisions!Q2",
        "Decisions!Q3",
        "Decisions!T4",
        "Decisions!E5",
        "Decisions!K6",
    ]
    assert "unknown decision 'maybe'" in lines[0]
    assert "accept needs justification, owner and expires" in lines[1]
    assert "expires must be a date YYYY-MM-DD, not 'next year'" in lines[2]
    assert "the read-only column 'Case' was edited" in lines[3]
    assert 'the read-only column "Region\'s id" was edited' in lines[4]
    assert "'EDITED'" in lines[4]


def _sheet(path: Path) -> tuple[openpyxl.Workbook, Any, dict[str, int]]:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    return wb, ws, {header_key(c.value) or "": c.column for c in ws[1]}


@pytest.mark.parametrize("key", ["expected", "actual", "kind", "id", "ref", "name"])
def test_xlsx_read_only_edit_is_refused_naming_the_cell(
    result_json: Path, tmp_path: Path, key: str
) -> None:
    from openpyxl.utils import get_column_letter

    decisions = tmp_path / "decisions.xlsx"
    _template(result_json, decisions)
    wb, ws, col = _sheet(decisions)
    before = ws.cell(7, col[key]).value
    assert before  # the row has a value to edit
    ws.cell(7, col[key]).value = "y"
    wb.save(decisions)
    got = _apply(decisions)
    assert got.code == 2
    shown = got.stderr.replace(decisions.as_posix(), "decisions.xlsx")
    header = ws.cell(1, col[key]).value
    cell = f"Beslut!{get_column_letter(col[key])}7"
    was = repr(before if len(before) <= 40 else before[:40] + "…").replace("…'", "…'")
    assert shown.splitlines() == [
        f"decisions.xlsx: {cell}: the read-only column {header!r} was edited "
        f"({was} → 'y'); restore it from the template"
    ]


def test_xlsx_sorted_rows_and_untouched_grey_cells_read_cleanly(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    """Rows found by their id: a facilitator may sort the sheet; unchanged cells pass."""
    decisions = tmp_path / "d.xlsx"
    _template(result_json, decisions)
    wb, ws, _ = _sheet(decisions)
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    for r, row in enumerate(reversed(values), start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(r, c).value = value
    wb.save(decisions)
    got = _apply(decisions)
    assert got.code == 0, got.stderr


def test_swedish_choices_and_old_codes_are_accepted(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    decisions, waivers, proposal = tmp_path / "d.xlsx", tmp_path / "w.yaml", tmp_path / "p.yaml"
    _template(result_json, decisions)
    wb, ws, col = _sheet(decisions)
    chosen = sorted(_kalmar_cd105(result))[:2]
    others = [d.id for d in result.deviations if d.region == "jonkoping" and not d.allowed]
    words = {
        chosen[0]: "Lokal variant",
        chosen[1]: "accept",  # the old English code
        others[0]: "ANTA I GRUNDKONFIGURATIONEN",
        others[1]: " Regionen  anpassar sig ",
        others[2]: "align",
    }
    for r in range(2, ws.max_row + 1):
        rid = ws.cell(r, col["id"]).value
        if rid in words:
            ws.cell(r, col["decision"]).value = words[rid]
            if rid in chosen:
                for key, value in ACCEPT.items():
                    if key != "decision":
                        ws.cell(r, col[key]).value = (
                            dt.date(2027, 12, 31) if key == "expires" else value
                        )
    wb.save(decisions)
    got = _apply(decisions, "--waivers", waivers, "--proposal", proposal, "--write")
    assert got.code == 0, got.stderr
    assert "2 accept, 1 adopt, 2 align" in got.stderr
    assert sorted(w.id for w in load_waivers(waivers, "w.yaml")) == sorted(
        f"DEC-{i[:8]}" for i in chosen
    )
    assert proposal.is_file()


def test_yaml_takes_the_report_words_too(result: Result, result_json: Path, tmp_path: Path) -> None:
    decisions = tmp_path / "d.yaml"
    _template(result_json, decisions, "--lang", "en")
    (first,) = sorted(_kalmar_cd105(result))[:1]
    _fill_yaml(decisions, {first: ACCEPT | {"decision": "Accept as local variant"}})
    got = _apply(decisions, "--waivers", tmp_path / "w.yaml")
    assert got.code == 0, got.stderr
    assert "1 accept" in got.stderr


@pytest.mark.parametrize("write", [True, False])
def test_proposal_says_when_there_is_nothing_to_propose(
    result: Result, result_json: Path, tmp_path: Path, write: bool
) -> None:
    decisions, waivers, proposal = tmp_path / "d.yaml", tmp_path / "w.yaml", tmp_path / "p.yaml"
    _template(result_json, decisions)
    chosen = _kalmar_cd105(result)
    _fill_yaml(decisions, dict.fromkeys(chosen, ACCEPT))
    args = ["--waivers", waivers, "--proposal", proposal] + (["--write"] if write else [])
    got = _apply(decisions, *args)
    assert got.code == 0, got.stderr
    assert not proposal.exists()
    rows = sum(not d.allowed for d in result.deviations)
    verb = "not written" if write else "would not be written"
    assert got.stderr.splitlines()[-1] == (
        f"cosmicdiff: nothing to propose: {rows} row(s), {len(chosen)} decided, none adopt "
        f"(into the baseline) or align (the region aligns); {proposal.as_posix()} {verb}"
    )


def test_text_that_looks_like_a_formula_stays_text(result: Result, tmp_path: Path) -> None:
    first = result.deviations[0]
    hostile = replace(result, deviations=(replace(first, actual='=HYPERLINK("x")'),))
    path = tmp_path / "r.json"
    path.write_text(json.dumps(hostile.to_json()), encoding="utf-8")
    out = tmp_path / "d.xlsx"
    _template(path, out, "--include-allowed")
    ws = openpyxl.load_workbook(out).worksheets[0]
    col = {header_key(c.value): c.column for c in ws[1]}
    cell = ws.cell(row=2, column=col["actual"])
    assert (cell.value, cell.data_type) == ('\'=HYPERLINK("x")', "s")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "decisions: []\n",
            "d.yaml:1: not a cosmicdiff decisions file (expected 'schema: "
            "cosmicdiff/decisions/1'); write one with 'cosmicdiff decisions template'",
        ),
        (
            "schema: cosmicdiff/decisions/1\ndecisions: [\n",
            "d.yaml:3: invalid YAML: while "
            "parsing a flow node expected the node content, but found '<stream end>'",
        ),
        (
            "schema: cosmicdiff/decisions/1\ndecisions:\n  - id: x\n    colour: red\n",
            "d.yaml:4: unknown column 'colour'; the columns are: id, ref, name, region, case, "
            "kind, rule, "
            "severity, entity, baseline_id, local_id, path, field, expected, actual, message, "
            "waived, decision, justification, owner, expires, decided_by, decision_ref, comment",
        ),
    ],
    ids=["no-schema", "bad-yaml", "unknown-key"],
)
def test_unusable_yaml_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("d.yaml").write_text(content, encoding="utf-8")
    got = _apply("d.yaml")
    assert got.code == 2
    assert message in got.stderr.splitlines()


def test_write_needs_a_place_for_every_output(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    decisions = tmp_path / "d.yaml"
    _template(result_json, decisions)
    _fill_yaml(decisions, dict.fromkeys(_kalmar_cd105(result), ACCEPT))
    got = _apply(decisions, "--write")
    assert got.code == 2
    assert got.stderr == "cannot --write: accept rows need --waivers FILE\n"
    other = _apply(decisions, "--baseline", MINI_BASELINE)
    assert other.code == 2
    assert "the decisions are about baseline 'espir', but" in other.stderr
    assert other.stderr.rstrip().endswith("is baseline 'mini'")
    (tmp_path / "d.csv").write_text("id;decision\n", encoding="utf-8")
    csv = _apply(tmp_path / "d.csv")
    assert (csv.code, csv.stderr) == (
        2,
        f"{(tmp_path / 'd.csv').as_posix()}: cannot tell the "
        "format; a decisions file ends in .yaml, .yml or "
        ".xlsx\n",
    )


ENTRY = {
    "id": "DEC-0000abcd",
    "region": "kalmar",
    "rule": "CD105",
    "item": "ESP-SO-1",
    "kind": "renamed",
    "expected": "Namn",
    "actual": "Namn: kort",
    "reason": "Lokalt: 'kort' namn",
    "owner": "RKL",
    "expires": dt.date(2027, 12, 31),
}
RENDERED = (
    "  - id: DEC-0000abcd\n    region: kalmar\n    rule: CD105\n    item: ESP-SO-1\n"
    "    kind: renamed\n    expected: Namn\n    actual: 'Namn: kort'\n"
    "    reason: \"Lokalt: 'kort' namn\"\n    owner: RKL\n    expires: 2027-12-31\n"
)


@pytest.mark.parametrize(
    ("existing", "expected", "counts"),
    [
        (None, "waivers:\n" + RENDERED, (1, 0)),
        ("# ours\nwaivers: []  # none yet\n", "# ours\nwaivers:\n" + RENDERED, (1, 0)),
        ("# ours\n", "# ours\nwaivers:\n" + RENDERED, (1, 0)),
        (
            "waivers:\n  - id: DEC-0000abcd\n    region: x\n    rule: CD101\n    item: y\n"
            "    reason: r\n    owner: o\n    expires: 2027-01-01\n# trailing note\n",
            "waivers:\n" + RENDERED + "# trailing note\n",
            (0, 1),
        ),
    ],
    ids=["new-file", "empty-list", "no-key", "replace-last"],
)
def test_merge_waivers_text(
    tmp_path: Path, existing: str | None, expected: str, counts: tuple[int, int]
) -> None:
    from cosmicdiff.workshop.decisions import merge_waivers

    path = tmp_path / "w.yaml"
    if existing is not None:
        path.write_text(existing, encoding="utf-8")
    text, added, replaced = merge_waivers(existing, path, "w.yaml", [ENTRY], "en")
    body = text if existing is not None else text.split("\n", 2)[2]
    assert body == expected
    assert (added, replaced) == counts
    path.write_text(text, encoding="utf-8")
    assert [w.id for w in load_waivers(path, "w.yaml")] == ["DEC-0000abcd"]


def test_merge_refuses_a_flow_style_list(tmp_path: Path) -> None:
    from cosmicdiff.errors import ConfigError
    from cosmicdiff.workshop.decisions import merge_waivers

    path = tmp_path / "w.yaml"
    text = (
        "waivers: [{id: A, region: kalmar, rule: CD105, item: x, reason: r, owner: o, "
        "expires: 2027-01-01}]\n"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        ConfigError,
        match=r"^w\.yaml:1: cannot merge into a waiver list that "
        r"is not in block style",
    ):
        merge_waivers(text, path, "w.yaml", [ENTRY], "en")


def test_a_workbook_of_the_old_layout_is_still_read(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    """English keys as headers, no ref/name columns, codes in the cells, no copy of the grey
    cells: read as before."""
    decisions, waivers = tmp_path / "d.xlsx", tmp_path / "w.yaml"
    _template(result_json, decisions)
    wb, ws, col = _sheet(decisions)
    ws.delete_cols(col["ref"], 2)  # ref and name, the first two
    for cell in ws[1]:
        cell.value = header_key(cell.value)
    del wb["cosmicdiff-rows"]
    col = {header_key(c.value) or "": c.column for c in ws[1]}
    by_id = {d.id: d for d in result.deviations}
    for r in range(2, ws.max_row + 1):  # the old template showed the codes
        d = by_id[ws.cell(r, col["id"]).value]
        ws.cell(r, col["kind"]).value = d.kind.value
        ws.cell(r, col["severity"]).value = d.severity.value if d.severity else None
        ws.cell(r, col["entity"]).value = d.entity.value
        ws.cell(r, col["field"]).value = d.field
        ws.cell(r, col["expected"]).value = d.expected
        ws.cell(r, col["actual"]).value = d.actual
    chosen = sorted(_kalmar_cd105(result))[:1]
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col["id"]).value in chosen:
            for key, value in ACCEPT.items():
                ws.cell(r, col[key]).value = dt.date(2027, 12, 31) if key == "expires" else value
    wb.save(decisions)
    got = _apply(decisions, "--waivers", waivers, "--write")
    assert got.code == 0, got.stderr
    assert "1 accept" in got.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    expected: atc:N05AN01\n", "    expected: atc:N05A01\n"),
        ("    actual: atc:N05A01\n", "    actual: atc:N05AN01\n"),
        ("    severity: warning  # varning\n", "    severity: info\n"),
        ('    message: "keyword ESP-SO-00226', '    message: "Keyword ESP-SO-00226'),
    ],
)
def test_an_edited_read_only_field_of_a_yaml_row_is_refused_at_the_row(
    result_json: Path, tmp_path: Path, old: str, new: str
) -> None:
    """The YAML keeps no copy sheet: each row's check (a checksum over its grey fields) is."""
    out = tmp_path / "d.yaml"
    _template(result_json, out)
    text = out.read_text(encoding="utf-8")
    row_at = text.index("  - id: 847b5e4b2fdafdff67b8\n")
    line = text[:row_at].count("\n") + 1
    edited = text[:row_at] + text[row_at:].replace(old, new, 1)
    assert edited != text
    out.write_text(edited, encoding="utf-8")
    r = run_cli("decisions", "apply", out, "--baseline", ESPIR, "--waivers", tmp_path / "w.yaml")
    assert r.code == 2
    assert f"d.yaml:{line}: row '847b5e4b2fdafdff67b8': a read-only field was edited (" in r.stderr
    assert r.stderr.count("847b5e4b2fdafdff67b8") == 1  # the row is named once


def test_a_yaml_row_without_a_check_is_read_as_before(result_json: Path, tmp_path: Path) -> None:
    """Files written before rows had a check still apply."""
    out = tmp_path / "d.yaml"
    _template(result_json, out)
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(x for x in lines if not x.startswith("    check: ")), "utf-8")
    r = run_cli("decisions", "apply", out, "--baseline", ESPIR, "--waivers", tmp_path / "w.yaml")
    assert r.code == 0, r.stderr
    assert "undecided; nothing to write" in r.stderr
