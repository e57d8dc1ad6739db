"""The case-file machinery itself: reading and checking, building inputs, pairing findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .casefile import (
    CaseFileError,
    RuleCase,
    agrees,
    as_expected,
    baseline_files,
    edited,
    mismatch_report,
    read_case_file,
    record_key,
    region_files,
    unmatched,
)

MODEL: dict[str, Any] = {
    "terms": [{"system": "kva", "code": "AU118", "display": "Bedömning"}],
    "keywords": [
        {"id": "K1", "name": "Ett", "type": "Text"},
        {"id": "K2", "name": "Två", "type": "Text", "unit": "mg"},
    ],
    "templates": [{"id": "T1", "name": "Mall", "items": [{"keyword": "K1"}]}],
}

FOUND = {
    "kind": "renamed",
    "rule": "CD105",
    "severity": "warning",
    "entity": "keyword",
    "baseline_id": "K1",
    "local_id": "K1",
    "path": "T1/K1",
    "field": None,
    "allowed_extension": False,
    "case": "main",
    "message": "keyword K1 in T1: name is 'Etta', baseline has 'Ett'",
}


# -- building inputs -------------------------------------------------------------------------


def test_record_key() -> None:
    assert record_key("keywords", {"id": "K1"}) == "K1"
    assert record_key("terms", {"system": "kva", "code": "AU118"}) == "kva:AU118"


def test_edited_merges_fields_by_id_and_keeps_the_order() -> None:
    out = edited(
        MODEL,
        {"keywords": [{"id": "K1", "name": "Etta"}, {"id": "K3", "name": "Tre", "type": "Text"}]},
    )
    assert [k["id"] for k in out["keywords"]] == ["K1", "K2", "K3"]
    assert out["keywords"][0] == {"id": "K1", "name": "Etta", "type": "Text"}
    assert out["templates"] == MODEL["templates"] and out["terms"] == MODEL["terms"]
    assert MODEL["keywords"][0]["name"] == "Ett", "the model given must not change"


def test_edited_drops_a_field_set_to_none() -> None:
    out = edited(MODEL, {"keywords": [{"id": "K2", "unit": None}]})
    assert out["keywords"][1] == {"id": "K2", "name": "Två", "type": "Text"}


def test_edited_replaces_a_list_field_whole() -> None:
    out = edited(MODEL, {"templates": [{"id": "T1", "items": [{"keyword": "K2"}]}]})
    assert out["templates"] == [{"id": "T1", "name": "Mall", "items": [{"keyword": "K2"}]}]


def test_edited_removes_records_terms_by_system_and_code() -> None:
    out = edited(
        {**MODEL, "region": "r9"}, {"remove": {"keywords": ["K2"], "terms": ["kva:AU118"]}}
    )
    assert [k["id"] for k in out["keywords"]] == ["K1"]
    assert "terms" not in out
    assert out["region"] == "r9"


def test_edited_refuses_to_remove_what_is_not_there() -> None:
    with pytest.raises(ValueError, match="no keywords record 'K9'"):
        edited(MODEL, {"remove": {"keywords": ["K9"]}})


def test_baseline_without_cases_has_one_case_with_every_template() -> None:
    meta, model = baseline_files(MODEL)
    assert meta == {
        "id": "base",
        "name": "Regelfall",
        "version": "1",
        "cases": {"main": {"name": "Fall main", "templates": ["T1"]}},
    }
    assert model == MODEL


def test_baseline_from_the_mini_fixture_with_cases_and_edits() -> None:
    meta, model = baseline_files({"from": "mini"})
    assert meta["id"] == "mini"
    assert meta["cases"]["psychiatry"]["templates"] == ["B-JM-1"]
    assert [t["id"] for t in model["templates"]] == ["B-JM-1", "B-JM-2"]
    meta, model = baseline_files(
        {"from": "mini", "cases": {"all": ["B-JM-1", "B-JM-2"]}, "remove": {"keywords": ["B-SO-4"]}}
    )
    assert meta["cases"] == {"all": {"name": "Fall all", "templates": ["B-JM-1", "B-JM-2"]}}
    assert "B-SO-4" not in [k["id"] for k in model["keywords"]]
    assert "B-SO-4" in [k["id"] for k in baseline_files({"from": "mini"})[1]["keywords"]], (
        "editing a case's baseline must not change the fixture for the next case"
    )


def test_region_from_baseline_or_from_nothing() -> None:
    model, mapping = region_files(
        {"from": "baseline", "region": "kalmar", "mapping": {"keywords": {"R1": "K1"}}}, MODEL
    )
    assert model == {"region": "kalmar", **MODEL}
    assert mapping == {"keywords": {"R1": "K1"}}
    model, mapping = region_files(
        {"keywords": [{"id": "K1", "name": "Ett", "type": "Text"}]}, MODEL
    )
    assert model == {"region": "r1", "keywords": [{"id": "K1", "name": "Ett", "type": "Text"}]}
    assert mapping is None


# -- comparing findings ----------------------------------------------------------------------


def _expect(**changes: Any) -> dict[str, Any]:
    base = {
        k: FOUND[k]
        for k in ("kind", "rule", "severity", "entity", "baseline_id", "local_id", "path")
    }
    return {**base, "message": "name is 'Etta'", **changes}


def test_agrees_on_a_message_fragment_and_the_fields_named() -> None:
    assert agrees(_expect(), FOUND)
    assert agrees(_expect(case="main"), FOUND)
    assert not agrees(_expect(case="drugs"), FOUND)
    assert not agrees(_expect(message="name is 'Ettan'"), FOUND)
    assert not agrees(_expect(severity="error"), FOUND)


def test_agrees_holds_unnamed_field_and_allowed_extension_to_their_defaults() -> None:
    assert not agrees(_expect(), {**FOUND, "field": "display:en"})
    assert agrees(_expect(field="display:en"), {**FOUND, "field": "display:en"})
    assert not agrees(_expect(), {**FOUND, "allowed_extension": True})


def test_unmatched_pairs_one_to_one() -> None:
    other = {**FOUND, "baseline_id": "K2", "local_id": "K2", "path": "T1/K2"}
    assert unmatched([_expect()], [FOUND, FOUND]) == ([], [FOUND])
    assert unmatched([_expect(), _expect()], [FOUND]) == ([_expect()], [])
    assert unmatched([], [other]) == ([], [other])
    assert unmatched([_expect()], []) == ([_expect()], [])


def test_unmatched_finds_a_pairing_where_a_greedy_one_would_not() -> None:
    """A loose expectation that agrees with both findings must leave the one a strict
    expectation needs."""
    other = {**FOUND, "baseline_id": "K2", "local_id": "K2", "path": "T1/K2"}
    loose = {"kind": "renamed", "rule": "CD105", "message": "name is"}
    strict = _expect()
    assert agrees(loose, FOUND) and agrees(loose, other) and not agrees(strict, other)
    assert unmatched([loose, strict], [FOUND, other]) == ([], [])


def test_mismatch_report_shows_both_sides_ready_to_paste() -> None:
    case = RuleCase(
        rule="CD105",
        name="x",
        where="cases/renamed.yaml:3",
        baseline={},
        region={},
        options=None,
        expect=(),
        suppressed=0,
    )
    text = mismatch_report(case, [_expect(severity="error")], [FOUND])
    assert text.splitlines()[0] == "CD105-x (cases/renamed.yaml:3):"
    assert "expected, not found:\n  - {kind: renamed, rule: CD105, severity: error," in text
    assert "found, not expected:\n  - {kind: renamed, rule: CD105, severity: warning," in text
    assert as_expected(FOUND) == {**_expect(case="main"), "message": FOUND["message"]}
    assert as_expected({**FOUND, "allowed_extension": True})["allowed_extension"] is True


# -- reading and checking case files ---------------------------------------------------------

GOOD_CASE = """\
  - name: ok
    baseline: {from: mini}
    region: {from: baseline}
    expect: []
"""


def _write(tmp_path: Path, text: str, name: str = "renamed.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_a_case_file(tmp_path: Path) -> None:
    text = (
        "rule: CD105\ncases:\n"
        + GOOD_CASE
        + "  - name: two\n    baseline: {}\n    region: {}\n    options: {severities: {}}\n"
        "    expect:\n      - {kind: renamed, rule: CD105, severity: warning, "
        "entity: keyword, baseline_id: K1, local_id: K1, path: T1/K1, message: m}\n"
        "    suppressed: 2\n"
    )
    case_file = read_case_file(_write(tmp_path, text))
    assert case_file.rule == "CD105"
    ok, two = case_file.cases
    assert (ok.id, ok.fires(), ok.options, ok.suppressed) == ("CD105-ok", False, None, 0)
    assert (two.id, two.fires(), two.options, two.suppressed) == (
        "CD105-two",
        True,
        {"severities": {}},
        2,
    )
    assert two.where.endswith("renamed.yaml:7")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("rule: CD105\ncases: []\n", "renamed.yaml:2: 'cases' must be a non-empty list"),
        (
            "rule: CD105\ncases:\n" + GOOD_CASE + "    expected: []\n",
            "renamed.yaml:7: unknown key 'expected' in case 1; allowed: about, baseline, expect, "
            "name, options, region, suppressed",
        ),
        (
            "rule: CD105\ncases:\n" + GOOD_CASE.replace("    expect: []\n", ""),
            "renamed.yaml:3: case 1 needs 'expect'",
        ),
        (
            "rule: CD105\ncases:\n" + GOOD_CASE + GOOD_CASE,
            "renamed.yaml:7: case name 'ok' is used twice",
        ),
        (
            "rule: CD105\ncases:\n" + GOOD_CASE.replace("name: ok", "name: Not OK"),
            "renamed.yaml:3: case 1: name 'Not OK' must be lower-case-with-hyphens",
        ),
        (
            "rule: CD105\ncases:\n" + GOOD_CASE.replace("{from: baseline}", "{from: mini}"),
            "renamed.yaml:5: case 'ok': a region starts 'from: baseline'",
        ),
        (
            "rule: CD105\ncases:\n" + GOOD_CASE.replace("{from: mini}", "{form: mini}"),
            "renamed.yaml:4: unknown key 'form' in the baseline of case 'ok'; allowed: cases, "
            "from, "
            "keywords, remove, templates, terms, valueLists",
        ),
        (
            "rule: CD105\ncases:\n" + GOOD_CASE.replace("expect: []", "expect: [{kind: renamed}]"),
            "renamed.yaml:6: expected finding 1 of case 'ok' needs 'rule'",
        ),
        (
            "rule: CD105\ncases:\n" + GOOD_CASE + "    suppressed: some\n",
            "renamed.yaml:7: case 'ok': 'suppressed' must be a count",
        ),
    ],
    ids=[
        "no-cases",
        "unknown-key",
        "no-expect",
        "name-twice",
        "bad-name",
        "region-from",
        "baseline-key",
        "finding-key",
        "suppressed",
    ],
)
def test_malformed_case_files_name_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CaseFileError) as info:
        read_case_file(_write(tmp_path, text))
    assert str(info.value).endswith(message), str(info.value)
