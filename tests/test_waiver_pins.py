"""Pinned waivers (cosmicdiff/rules/waivers.py): the keys kind, expected and actual, how a
waiver selects and fits a deviation, and the notes it leaves (mismatch, unpinned)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from model_edit import finding

from cosmicdiff.errors import ConfigError
from cosmicdiff.result.finding import Finding
from cosmicdiff.rules.waivers import Waiver, apply_waivers, describe, load_waivers
from cosmicdiff.vocabulary import Entity, Kind, Severity

TODAY = dt.date(2026, 11, 23)
HEAD = (
    "waivers:\n  - id: W-1\n    region: kalmar\n    rule: CD202\n    item: ESP-SO-00228\n"
    "    reason: r\n    owner: o\n    expires: 2027-06-30\n"
)


def _load(tmp_path: Path, extra: str) -> Waiver:
    path = tmp_path / "w.yaml"
    path.write_text(HEAD + extra, encoding="utf-8")
    (waiver,) = load_waivers(path, "w.yaml")
    return waiver


def _unit(
    actual: str | None,
    expected: str | None = "mmol/L",
    region: str = "kalmar",
    local: str = "RKL-SO-21169",
) -> Finding:
    return finding(
        "CD202",
        Severity.ERROR,
        region=region,
        kind=Kind.UNIT_CHANGED,
        entity=Entity.KEYWORD,
        baseline_id="ESP-SO-00228",
        local_id=local,
        path=f"RKL-JM-21/{local}",
        expected=expected,
        actual=actual,
    )


def _waiver(
    wid: str = "W-1", expires: dt.date = dt.date(2027, 6, 30), **pins: str | None
) -> Waiver:
    return Waiver(
        id=wid,
        region="kalmar",
        rule="CD202",
        item="ESP-SO-00228",
        reason="r",
        owner="o",
        expires=expires,
        pins=tuple(pins.items()),
        file="w.yaml",
        line=2,
    )


# --- reading the keys --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "pins"),
    [
        ("", ()),
        ("    actual: mmol/l\n", (("actual", "mmol/l"),)),
        (
            "    kind: unit_changed\n    expected: mmol/L\n    actual: mmol/l\n",
            (("kind", "unit_changed"), ("expected", "mmol/L"), ("actual", "mmol/l")),
        ),
        # keys in any order; pins always in the order kind, expected, actual
        (
            "    actual: mmol/l\n    kind: unit_changed\n",
            (("kind", "unit_changed"), ("actual", "mmol/l")),
        ),
        ("    expected: null\n", (("expected", None),)),
        ("    expected: ~\n    actual: ''\n", (("expected", None), ("actual", ""))),
        ("    expected: true\n    actual: false\n", (("expected", "true"), ("actual", "false"))),
        ("    expected: 010\n    actual: 7.10\n", (("expected", "010"), ("actual", "7.10"))),
        ("    actual: 2026-01-01\n", (("actual", "2026-01-01"),)),
        ("    actual: ' mmol/l '\n", (("actual", " mmol/l "),)),
    ],
    ids=[
        "unpinned",
        "actual",
        "all-three",
        "any-order",
        "null",
        "tilde-and-empty",
        "booleans-as-words",
        "numbers-as-written",
        "date-as-text",
        "spaces-kept",
    ],
)
def test_pins_are_read(tmp_path: Path, extra: str, pins: tuple) -> None:
    waiver = _load(tmp_path, extra)
    assert waiver.pins == pins
    assert waiver.pinned is any(k in ("expected", "actual") for k, _ in pins)


def test_kind_alone_does_not_pin(tmp_path: Path) -> None:
    waiver = _load(tmp_path, "    kind: unit_changed\n")
    assert waiver.pins == (("kind", "unit_changed"),)
    assert not waiver.pinned


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "    kind: unit-changed\n",
            "w.yaml:9: unknown kind 'unit-changed'; CD202 reports: unit_changed",
        ),
        (
            "    kind: renamed\n",
            "w.yaml:9: rule CD202 never reports kind 'renamed'; it reports: unit_changed",
        ),
        (
            "    actual: [mmol/l]\n",
            "w.yaml:9: actual must be one value as text (quote it: actual: '...') or null for no "
            "value, not ['mmol/l']",
        ),
        (
            "    expected: {unit: mmol/L}\n",
            "w.yaml:9: expected must be one value as text (quote it: expected: '...') or null for "
            "no value, not {'unit': 'mmol/L'}",
        ),
        (
            "    actual: 2026-01-01 10:00:00\n",
            "w.yaml:9: actual must be one value as text (quote it: actual: '...') or null for no "
            "value, not datetime.datetime(2026, 1, 1, 10, 0)",
        ),
        ("    actual: mmol/l\n    actual: µmol/l\n", "w.yaml:10: "),
    ],
    ids=["unknown-kind", "kind-of-another-rule", "list", "mapping", "datetime", "twice"],
)
def test_bad_pins_are_refused_with_file_and_line(tmp_path: Path, extra: str, message: str) -> None:
    with pytest.raises(ConfigError) as err:
        _load(tmp_path, extra)
    assert str(err.value).startswith(message)


# --- fitting -----------------------------------------------------------------------------


def test_pinned_waiver_waives_only_the_accepted_value() -> None:
    waiver = _waiver(kind="unit_changed", expected="mmol/L", actual="mmol/l")
    assert waiver.matches(_unit("mmol/l"))
    assert waiver.selects(_unit("µmol/l")) and not waiver.matches(_unit("µmol/l"))
    assert waiver.misfits(_unit("µmol/l")) == ("actual",)
    assert waiver.misfits(_unit("µmol/l", expected="mg/L")) == ("expected", "actual")
    assert waiver.misfits(_unit("MMOL/L")) == ("actual",)  # exact: letter case counts


def test_null_pins_no_value_and_is_not_an_absent_key() -> None:
    assert _waiver(actual=None).matches(_unit(None))
    assert not _waiver(actual=None).matches(_unit("mmol/l"))
    assert _waiver().matches(_unit("mmol/l")) and _waiver().matches(_unit(None))


def test_mismatch_is_not_waived_and_is_noted() -> None:
    dev = _unit("µmol/l")
    out, notes = apply_waivers(
        [dev], [_waiver(expected="mmol/L", actual="mmol/l")], TODAY, {"kalmar"}
    )
    assert out == [dev] and not out[0].waived
    (note,) = notes
    assert note.to_json() == {
        "id": "W-1",
        "status": "mismatch",
        "region": "kalmar",
        "rule": "CD202",
        "item": "ESP-SO-00228",
        "expires": "2027-06-30",
        "matched": 0,
        "location": {"path": "w.yaml", "line": 2},
        "deviation": dev.id,
        "accepted": {"expected": "mmol/L", "actual": "mmol/l"},
        "found": {"expected": "mmol/L", "actual": "µmol/l"},
    }
    assert describe(note) == (
        f"waiver W-1 no longer fits: it accepted 'mmol/l', found 'µmol/l' (deviation "
        f"{dev.id[:8]}: kalmar / CD202 / ESP-SO-00228); the deviation is not waived"
    )


def test_mismatch_names_every_differing_pin() -> None:
    dev = _unit(None, expected="mg/L")
    _, (note,) = apply_waivers(
        [dev], [_waiver(kind="unit_changed", expected="mmol/L", actual="mmol/l")], TODAY, {"kalmar"}
    )
    assert note.differs() == ("expected", "actual")
    assert describe(note).startswith(
        "waiver W-1 no longer fits: it accepted expected "
        "'mmol/L', actual 'mmol/l', found expected 'mg/L', "
        "actual null (deviation "
    )


def test_one_note_per_mismatching_deviation_and_fitting_ones_still_waived() -> None:
    fits, other = _unit("mmol/l"), _unit("µmol/l", local="RKL-SO-2")
    out, notes = apply_waivers([fits, other], [_waiver(actual="mmol/l")], TODAY, {"kalmar"})
    assert [d.waived for d in out] == [True, False]
    assert [(n.status, n.deviation, n.matched) for n in notes] == [("mismatch", other.id, 1)]


def test_a_waiver_that_fits_makes_another_one_stale_not_mismatching() -> None:
    old, new = _waiver("W-OLD", actual="mmol/l"), _waiver("W-NEW", actual="µmol/l")
    out, notes = apply_waivers([_unit("µmol/l")], [old, new], TODAY, {"kalmar"})
    assert out[0].waiver is not None and out[0].waiver.id == "W-NEW"
    assert [(n.waiver, n.status) for n in notes] == [("W-OLD", "stale")]


def test_an_expired_waiver_is_reported_expired_only() -> None:
    waiver = _waiver(expires=dt.date(2026, 1, 1), actual="mmol/l")
    out, notes = apply_waivers([_unit("µmol/l")], [waiver], TODAY, {"kalmar"})
    assert not out[0].waived
    assert [n.status for n in notes] == ["expired"]
    assert "deviation" not in notes[0].to_json()  # expired and stale notes are as before


def test_unpinned_waiver_still_waives_and_says_what_to_pin() -> None:
    out, notes = apply_waivers([_unit("mmol/l")], [_waiver()], TODAY, {"kalmar"})
    assert out[0].waived
    (note,) = notes
    assert note.to_json() | {"location": None} == {
        "id": "W-1",
        "status": "unpinned",
        "region": "kalmar",
        "rule": "CD202",
        "item": "ESP-SO-00228",
        "expires": "2027-06-30",
        "matched": 1,
        "location": None,
        "deviation": None,
        "accepted": {},
        "found": {"kind": "unit_changed", "expected": "mmol/L", "actual": "mmol/l"},
    }
    assert describe(note) == (
        "waiver W-1 is not pinned to a value: it waives CD202 for ESP-SO-00228 in kalmar "
        "whatever the value; add kind: unit_changed, expected: 'mmol/L', actual: 'mmol/l'"
    )


def test_unpinned_waiver_with_a_kind_is_told_only_the_missing_keys() -> None:
    _, (note,) = apply_waivers([_unit(None)], [_waiver(kind="unit_changed")], TODAY, {"kalmar"})
    assert dict(note.accepted) == {"kind": "unit_changed"}
    assert describe(note).endswith("; add expected: 'mmol/L', actual: null")


def test_unpinned_waiver_over_several_values_asks_for_one_waiver_each() -> None:
    devs = [_unit("mmol/l"), _unit("µmol/l", local="RKL-SO-2")]
    out, (note,) = apply_waivers(devs, [_waiver()], TODAY, {"kalmar"})
    assert all(d.waived for d in out)
    assert note.found is None and note.matched == 2
    assert describe(note).endswith(
        "; add expected: and actual: (it waives 2 deviations with different values: give "
        "each its own waiver, with path, pinned to its values)"
    )


def test_unpinned_and_stale_are_both_noted() -> None:
    _, notes = apply_waivers([], [_waiver()], TODAY, {"kalmar"})
    assert [n.status for n in notes] == ["stale", "unpinned"]
    assert describe(notes[1]).endswith("; add expected: and actual: with the values it accepts")


def test_waivers_of_regions_not_compared_leave_no_note() -> None:
    _, notes = apply_waivers([], [_waiver(), _waiver("W-2", actual="x")], TODAY, {"jonkoping"})
    assert notes == []


def test_values_with_quotes_and_newlines_are_shown_as_yaml_reads_them() -> None:
    waiver = _waiver(actual="it's")
    _, (note,) = apply_waivers([_unit("två\nrader")], [waiver], TODAY, {"kalmar"})
    assert "it accepted 'it''s', found \"två\\nrader\" (deviation" in describe(note)
