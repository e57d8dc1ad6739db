"""Decisions files in one language: words for people, codes for ``decisions apply`` (issue 17).

The workbook shows the kind, level, item kind, field and values in the report's words of
its language and keeps the codes in its hidden copy sheet; the YAML keeps the codes with
the words beside them as comments. Filling in either in Swedish or English (the report's
decision words) gives the same waivers and proposal as the codes do, and files of the
earlier layout (codes in the cells, an English message column) still apply.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from conftest import ESPIR, EXAMPLES, CliResult, run_cli

from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports.i18n import catalogue
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.workshop.decisions import Decision
from cosmicdiff.workshop.decisions.texts import choice_word, header_key

TODAY = dt.date(2026, 11, 23)
LATER = dt.date(2027, 12, 31)
WHY = {
    "justification": "Lokalt beslut på workshop",
    "owner": "Förvaltningsobjekt Vårdtjänster",
    "decided_by": "eSPiR styrgrupp",
    "decision_ref": "eSPiR-styrgruppen 2026-11-30 §4",
}
#: the coded columns the workbook shows in words
CODED = ("kind", "severity", "entity", "field", "expected", "actual")


@pytest.fixture(scope="module")
def result() -> Result:
    return compare(ESPIR, sorted(EXAMPLES.iterdir()), CompareOptions(today=TODAY))


@pytest.fixture
def result_json(result: Result, tmp_path: Path) -> Path:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(result.to_json(), ensure_ascii=False), encoding="utf-8")
    return path


def _template(result_json: Path, out: Path, *args: str) -> None:
    got = run_cli("decisions", "template", result_json, "--output", out, *args)
    assert got.code == 0, got.stderr


def _apply(decisions: Path, out: Path) -> tuple[Any, Any]:
    """Apply a filled file; return the waivers and the proposal it writes, as data."""
    waivers, proposal = out / "w.yaml", out / "p.yaml"
    got: CliResult = run_cli(
        "decisions", "apply", decisions, "--waivers", waivers, "--proposal", proposal,
        "--baseline", ESPIR, "--today", TODAY.isoformat(), "--write",
    )  # fmt: skip
    assert got.code == 0, got.stderr
    assert "2 accept, 2 adopt, 2 align" in got.stderr
    plan = yaml.safe_load(proposal.read_text(encoding="utf-8"))
    plan.pop("decisions")  # the file it came from
    return yaml.safe_load(waivers.read_text(encoding="utf-8")), plan


def _without_actions(plan: Any) -> Any:
    """Return a proposal without its actions: they are in the language of the file."""
    return {
        k: [{a: b for a, b in c.items() if a != "action"} for c in v] if k == "changes" else v
        for k, v in plan.items()
    }


def _first(result: Result, kind: str, region: str | None = None) -> Finding:
    return next(
        d
        for d in result.deviations
        if d.kind.value == kind and not d.allowed and region in (None, d.region)
    )


def _decide(result: Result) -> dict[str, Decision]:
    """Choose rows whose shown values are words: visibility, mandatory, moved, field, type."""
    chosen = {
        _first(result, "visibility_changed").id: Decision.ACCEPT,
        _first(result, "mandatory_changed").id: Decision.ACCEPT,
        _first(result, "moved").id: Decision.ADOPT,
        _first(result, "attribute_changed").id: Decision.ADOPT,
        _first(result, "type_changed").id: Decision.ALIGN,
        _first(result, "status_changed").id: Decision.ALIGN,
    }
    assert len(chosen) == 6
    return chosen


def _fill_xlsx(path: Path, chosen: dict[str, Decision], lang: str) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    col = {header_key(c.value): c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        decision = chosen.get(ws.cell(r, col["id"]).value)
        if decision is None:
            continue
        ws.cell(r, col["decision"]).value = choice_word(decision, lang)
        if decision is not Decision.ADOPT:
            ws.cell(r, col["expires"]).value = LATER
        for key, value in WHY.items():
            ws.cell(r, col[key]).value = value
    wb.save(path)


def _fill_yaml(path: Path, chosen: dict[str, Decision]) -> None:
    blocks = path.read_text(encoding="utf-8").split("\n\n  - ")
    for i, block in enumerate(blocks[1:], start=1):
        decision = chosen.get(block.split("\n", 1)[0].removeprefix("id: "))
        if decision is None:
            continue
        values = {"decision": decision.value, **WHY}
        if decision is not Decision.ADOPT:
            values["expires"] = LATER.isoformat()
        for key, value in values.items():
            block = re.sub(rf"^    {key}:.*$", f"    {key}: {value}", block, flags=re.MULTILINE)
        blocks[i] = block
    path.write_text("\n\n  - ".join(blocks), encoding="utf-8")


def test_the_workbook_shows_words_and_keeps_the_codes(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    for lang in ("sv", "en"):
        out = tmp_path / f"d.{lang}.xlsx"
        _template(result_json, out, "--lang", lang)
        wb = openpyxl.load_workbook(out)
        ws = wb.worksheets[0]
        col = {header_key(c.value): c.column for c in ws[1]}
        assert "message" not in col  # the rule's English message: the copy sheet keeps it
        words = catalogue(lang)
        moved = _first(result, "moved")
        copy = wb["cosmicdiff-rows"]
        keys = [c.value for c in copy[1]]
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, col["id"]).value != moved.id:
                continue
            assert ws.cell(r, col["kind"]).value == words["kind.moved"]
            assert ws.cell(r, col["entity"]).value == words[f"entity.{moved.entity.value}"]
            assert (
                moved.expected_label and moved.expected_label in ws.cell(r, col["expected"]).value
            )
            codes = dict(zip(keys, (c.value for c in copy[r]), strict=True))
            assert (codes["code.kind"], codes["code.expected"]) == ("moved", moved.expected)
            assert codes["message"] == moved.message
            break
        else:
            pytest.fail("the moved deviation has no row")


def test_the_yaml_keeps_codes_with_words_beside_them(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    out = tmp_path / "d.yaml"
    _template(result_json, out)
    text = out.read_text(encoding="utf-8")
    vis = _first(result, "visibility_changed")
    assert f"    kind: visibility_changed  # {catalogue('sv')['kind.visibility_changed']}\n" in text
    assert f"    expected: {vis.expected}  # {catalogue('sv')['value.hidden']}\n" in text
    assert "    justification:  # Motivering\n" in text
    rows = {r["id"]: r for r in yaml.safe_load(text)["decisions"]}
    assert rows[vis.id]["kind"] == "visibility_changed" and rows[vis.id]["expected"] == "hidden"


def test_filled_in_either_language_applies_as_the_codes_do(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    chosen = _decide(result)
    outputs = []
    codes = tmp_path / "codes"
    codes.mkdir()
    _template(result_json, codes / "d.yaml")
    _fill_yaml(codes / "d.yaml", chosen)
    outputs.append(_apply(codes / "d.yaml", codes))
    for lang in ("sv", "en"):
        out = tmp_path / lang
        out.mkdir()
        _template(result_json, out / "d.xlsx", "--lang", lang)
        _fill_xlsx(out / "d.xlsx", chosen, lang)
        outputs.append(_apply(out / "d.xlsx", out))
    assert outputs[1] == outputs[0]  # Swedish, as the YAML file
    assert outputs[2][0] == outputs[0][0]
    assert _without_actions(outputs[2][1]) == _without_actions(outputs[0][1])
    waivers, proposal = outputs[0]
    assert "ändra beskrivning i grundkonfigurationen" in {c["action"] for c in proposal["changes"]}
    assert "change description in the baseline" in {c["action"] for c in outputs[2][1]["changes"]}
    accepted = {i for i, d in chosen.items() if d is Decision.ACCEPT}
    vis = _first(result, "visibility_changed")
    pinned = next(w for w in waivers["waivers"] if w["id"] == f"DEC-{vis.id[:8]}")
    assert (pinned["expected"], pinned["actual"]) == (vis.expected, vis.actual)  # codes
    assert len(waivers["waivers"]) == len(accepted)
    assert {c["kind"] for c in proposal["changes"]} == {"moved", "attribute_changed"}
    actions = [a for rows in proposal["region_actions"].values() for a in rows]
    assert all(a["message"] for a in actions)  # the rule's message, from the hidden copy


def _old_layout(path: Path, result: Result) -> None:
    """Turn a workbook into the earlier layout: codes in the cells, an English message
    column after actual, a copy sheet of the codes without ``code.*`` columns."""
    by_id = {d.id: d for d in result.deviations}
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    col = {header_key(c.value): c.column for c in ws[1]}
    at = col["actual"] + 1
    ws.insert_cols(at)
    ws.cell(1, at).value = "message"
    copy = wb["cosmicdiff-rows"]
    keys = [c.value for c in copy[1]]
    for r in range(2, ws.max_row + 1):
        d = by_id[ws.cell(r, col["id"]).value]
        codes = {
            "kind": d.kind.value,
            "severity": d.severity.value if d.severity else None,
            "entity": d.entity.value,
            "field": d.field,
            "expected": d.expected,
            "actual": d.actual,
        }
        for key in CODED:
            ws.cell(r, col[key]).value = codes[key]
            copy.cell(r, keys.index(key) + 1).value = codes[key]
        ws.cell(r, at).value = d.message
    copy.delete_cols(keys.index("code.kind") + 1, len(keys))
    wb.save(path)


def test_a_workbook_and_a_yaml_file_of_the_earlier_layout_still_apply(
    result: Result, result_json: Path, tmp_path: Path
) -> None:
    chosen = _decide(result)
    reference = tmp_path / "new"
    reference.mkdir()
    _template(result_json, reference / "d.xlsx")
    _fill_xlsx(reference / "d.xlsx", chosen, "sv")
    expected = _apply(reference / "d.xlsx", reference)
    old = tmp_path / "old"
    old.mkdir()
    _template(result_json, old / "d.xlsx", "--lang", "en")
    _old_layout(old / "d.xlsx", result)
    _fill_xlsx(old / "d.xlsx", chosen, "en")
    waivers, plan = _apply(old / "d.xlsx", old)
    assert waivers == expected[0] and _without_actions(plan) == _without_actions(expected[1])
    plain = tmp_path / "plain"
    plain.mkdir()
    _template(result_json, plain / "d.yaml", "--lang", "en")
    text = (plain / "d.yaml").read_text(encoding="utf-8")
    (plain / "d.yaml").write_text(re.sub(r"  # .*$", "", text, flags=re.MULTILINE), "utf-8")
    _fill_yaml(plain / "d.yaml", chosen)
    waivers, plan = _apply(plain / "d.yaml", plain)
    assert waivers == expected[0] and _without_actions(plan) == _without_actions(expected[1])


def test_an_edited_cell_shown_in_words_is_refused(result_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "d.xlsx"
    _template(result_json, out, "--lang", "en")
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    col = {header_key(c.value): c.column for c in ws[1]}
    before = ws.cell(2, col["severity"]).value
    ws.cell(2, col["severity"]).value = "info" if before != "info" else "error"
    wb.save(out)
    got = run_cli("decisions", "apply", out, "--today", TODAY.isoformat())
    assert got.code == 2
    assert f"the read-only column 'Severity' was edited ('{before}' → " in got.stderr
