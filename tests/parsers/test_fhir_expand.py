"""Expanding intensional FHIR value sets (``parsers.fhir.expand``) on small fixtures.

``fixtures/fhir/expand/codesystem.json``: wards med (line 10) > kard (15), endo (16);
kir (19) > orto (24); psyk (27, under med by a ``parent`` property); property ``kind``
inpatient for med, kard, kir. ``valuesets.json``: a whole system minus orto, ``is-a med``,
``kind = inpatient``, a ``regex`` filter (not supported) beside one listed code, and a
value set of another value set minus ``descendent-of med``. ``form.json``: a Questionnaire
with a contained whole-system value set, display items, and an answerValueSet by url.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from cosmicdiff.parsers import load_export
from cosmicdiff.parsers.fhir.expand import expand_value_sets
from parsers.helpers import FIXTURES

EXPAND = FIXTURES / "fhir" / "expand"
CS = EXPAND / "codesystem.json"
VS = EXPAND / "valuesets.json"
FORM = EXPAND / "form.json"
EX = "http://example.org/fhir/ValueSet/"


def _codes(path: Path, *sources: Path) -> dict[str, list[tuple[str, int | None]] | None]:
    """Return each value list's (code, line) after expansion; None for one left open."""
    export = expand_value_sets(
        load_export(path, as_baseline=True), [load_export(s, as_baseline=True) for s in sources]
    )
    return {
        vid: None if vl.is_open else [(v.code, v.loc.line) for v in vl.values]
        for vid, vl in export.value_lists.items()
    }


def test_whole_system_filters_excludes_and_nested_value_sets() -> None:
    got = _codes(VS, CS)
    assert got[EX + "all"] == [("med", 10), ("kard", 15), ("endo", 16), ("kir", 19), ("psyk", 27)]
    assert got[EX + "medicine"] == [("med", 10), ("kard", 15), ("endo", 16), ("psyk", 27)]
    assert got[EX + "inpatient"] == [("med", 10), ("kard", 15), ("kir", 19)]
    assert got[EX + "nested"] == [("med", 10), ("kir", 19)]
    assert got[EX + "regex"] is None


def test_one_note_per_value_set_not_expanded() -> None:
    with_cs = expand_value_sets(
        load_export(VS, as_baseline=True), [load_export(CS, as_baseline=True)]
    )
    assert [(n.kind, n.line, n.subject, n.message) for n in with_cs.notes] == [
        (
            "not_expanded",
            29,
            EX + "regex",
            f"value set '{EX}regex': its codes were not expanded (filter 'code regex ^k.*' is "
            "not supported); only the 1 code it lists is compared, and no code is reported "
            "missing from it or extra beside it",
        )
    ]
    # the one listed code is kept (with its own line) while the rest is not expanded
    regex = with_cs.value_lists[EX + "regex"]
    assert [(v.code, v.loc.line) for v in regex.values] == [("kir", 28)]
    alone = expand_value_sets(load_export(VS, as_baseline=True))
    assert [(n.subject, n.line) for n in alone.notes] == [
        (EX + "all", 9),
        (EX + "medicine", 15),
        (EX + "inpatient", 21),
        (EX + "regex", 29),
        (EX + "nested", 35),
    ]
    assert len({n.subject for n in alone.notes}) == len(alone.notes)


def test_questionnaire_answer_value_sets_expand_from_terminology() -> None:
    got = _codes(FORM, CS, VS)
    assert got["remiss/wards"] == [
        ("med", 10),
        ("kard", 15),
        ("endo", 16),
        ("kir", 19),
        ("orto", 24),
        ("psyk", 27),
    ]
    # the answerValueSet by url takes the definition (expanded) from the other file
    assert got[EX + "inpatient"] == [("med", 10), ("kard", 15), ("kir", 19)]
    form = load_export(FORM, as_baseline=True)
    assert form.keywords["remiss/1"].description == "Välj den enhet som ska ta emot."
    assert form.templates["remiss"].description == "Fyll i remissen."
    assert sorted(form.keywords) == ["remiss/1", "remiss/2"]  # display items are not items


def _narrowed_form(tmp_path: Path) -> Path:
    """The form with its contained value set listing two codes instead of the whole system."""
    doc = json.loads(FORM.read_text(encoding="utf-8"))
    doc["contained"][0]["compose"]["include"][0]["concept"] = [
        {"code": "med", "display": "Medicin"},
        {"code": "kir", "display": "Kirurgi"},
    ]
    path = tmp_path / "form.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_compare_without_terminology_reports_nothing_missing(tmp_path: Path) -> None:
    res = run_cli("compare", "--baseline", FORM, _narrowed_form(tmp_path), "--format", "json")
    assert res.code == 0, res.stderr
    result = json.loads(res.stdout)
    assert not [d for d in result["deviations"] if d["kind"] in ("missing", "extra")]
    notes = result["baseline"]["input_notes"]
    assert [(n["kind"], n["subject"]) for n in notes] == [
        ("not_expanded", "remiss/wards"),
        ("not_expanded", EX + "inpatient"),
    ]


def test_compare_with_repeated_terminology_expands(tmp_path: Path) -> None:
    res = run_cli(
        "compare",
        "--baseline",
        FORM,
        _narrowed_form(tmp_path),
        "--terminology",
        CS,
        "--terminology",
        VS,
        "--format",
        "json",
    )
    assert res.code == 1, res.stderr
    result = json.loads(res.stdout)
    assert result["baseline"]["input_notes"] == []
    missing = [d for d in result["deviations"] if d["kind"] == "missing"]
    assert [(d["entity"], d["baseline_id"], d["baseline_location"]["line"]) for d in missing] == [
        ("value", "remiss/wards#endo", 16),
        ("value", "remiss/wards#kard", 15),
        ("value", "remiss/wards#orto", 24),
        ("value", "remiss/wards#psyk", 27),
    ]
    assert all(d["baseline_location"]["path"].endswith("codesystem.json") for d in missing)
    assert not [d for d in result["deviations"] if d["entity"] == "term"]


def test_a_folder_holding_the_definitions_needs_no_terminology(tmp_path: Path) -> None:
    for f in (CS, VS, FORM):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    read = load_export(tmp_path)
    # the form's stand-in for the url gives way to the ValueSet of the other file
    inpatient = read.value_lists[EX + "inpatient"]
    assert not inpatient.is_reference and inpatient.loc.path.endswith("valuesets.json")
    export = expand_value_sets(read)
    assert [n.subject for n in export.notes] == [EX + "regex"]
    assert [v.code for v in export.value_lists["remiss/wards"].values] == [
        "med",
        "kard",
        "endo",
        "kir",
        "orto",
        "psyk",
    ]
