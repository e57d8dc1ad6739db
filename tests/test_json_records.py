"""The JSON result written by msgspec (result/json_records.py, reports/json_report.py).

The writer encodes records, not ``to_json()``'s dicts: whatever it writes must parse to
exactly ``Result.to_json()`` (the same keys in the same order, the same values), the optional
keys left out as ``to_json()`` leaves them out, text as raw UTF-8 and scores as Python prints
them; one line per top-level key and per top-level list item; the same bytes on every run.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from cosmicdiff.io.json_out import ENCODER
from cosmicdiff.model import SourceLocation
from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports import OutputFormat, RenderContext, render, render_chunks
from cosmicdiff.result.deviation import GroupedItem
from cosmicdiff.result.finding import AppliedWaiver, Finding
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import TrendState

#: the keys a finding has only when they are set, in to_json()'s order
OPTIONAL_KEYS = ("label_path", "grouped", "expected_label", "actual_label", "waiver", "trend")
ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "baselines" / "espir"
REGIONS = sorted(p for p in (ROOT / "examples" / "regions").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def result() -> Result:
    return compare(BASELINE, REGIONS, CompareOptions(jobs=1, today=dt.date(2026, 11, 23)))


def _ordered(value: Any) -> Any:
    """Return ``value`` with every object as a list of (key, value) pairs: order counts."""
    if isinstance(value, dict):
        return [(k, _ordered(v)) for k, v in value.items()]
    if isinstance(value, list | tuple):
        return [_ordered(v) for v in value]
    return value


def _parsed(text: str) -> Any:
    return json.loads(text, object_pairs_hook=lambda pairs: dict(pairs))


def _assert_same_document(text: str, result: Result) -> None:
    expected = result.to_json()
    assert _parsed(text) == expected
    assert _ordered(_parsed(text)) == _ordered(expected)  # every key in to_json()'s place


def _every_optional_field(result: Result) -> Result:
    """Return ``result`` with findings that carry every optional key, and some that lack
    them (the examples have few labelled, grouped, waived or trended findings)."""
    devs = list(result.deviations)
    first = devs[0]
    loaded = first._replace(
        deviation=first.deviation._replace(
            label_path=("Remiss", 'Frågeställning – "akut" ✓'),
            grouped=(
                GroupedItem(local_id="at0001", path="a/b", name="Öga"),
                GroupedItem(local_id="at0002", path="a/c", value_list="ac0001"),
            ),
            expected_label="",
            actual_label="Anamnes",
            location=SourceLocation(path="sökord.xlsx", cell="Sökord!A12"),
            baseline_location=None,
            name="tab\there, line\nbreak, nul\x00, \u2028 and 😀",
        ),
        waiver=AppliedWaiver(id="W-1", reason="Beslut i förvaltningsgruppen", expires=None),
        trend=TrendState.UPDATED,
        allowed=True,
    )
    devs[0] = loaded
    devs[1] = devs[1]._replace(
        deviation=devs[1].deviation._replace(location=SourceLocation(path="x.xml", cell="")),
        waiver=AppliedWaiver(id="W-2"),
        trend=TrendState.NEW,
    )
    return dataclasses.replace(result, deviations=tuple(devs))


def test_the_written_json_parses_to_the_result_document(result: Result) -> None:
    for shown in (result, _every_optional_field(result)):
        text = render(OutputFormat.JSON, shown, RenderContext())
        _assert_same_document(text, shown)
    doc = _parsed(text)
    first = doc["deviations"][0]
    assert list(first)[-6:] == list(OPTIONAL_KEYS)  # after the fixed keys, in this order
    assert first["location"] == {"path": "sökord.xlsx", "line": None, "cell": "Sökord!A12"}
    assert first["waiver"] == {
        "id": "W-1",
        "reason": "Beslut i förvaltningsgruppen",
        "expires": None,
    }
    assert (first["trend"], first["allowed_extension"], first["waived"]) == ("updated", True, True)
    second = doc["deviations"][1]
    assert second["location"] == {"path": "x.xml", "line": None}  # an empty cell is left out
    plain = doc["deviations"][2:]
    assert any(not set(OPTIONAL_KEYS) & d.keys() for d in plain)  # left out, not null


def test_each_record_encodes_as_its_to_json(result: Result) -> None:
    shown = _every_optional_field(result)
    for f in shown.deviations[:20]:
        assert ENCODER.encode(f.record()) == ENCODER.encode(f.to_json())


def test_a_finding_with_every_optional_key_keeps_to_json_s_order() -> None:
    from cosmicdiff.result.deviation import Deviation
    from cosmicdiff.vocabulary import Entity, Kind, Severity

    f = Finding.of(
        Deviation(
            region="kalmar",
            kind=Kind.MOVED,
            entity=Entity.KEYWORD,
            baseline_id="b",
            local_id="l",
            path="t/h/k",
            label_path=("T", "K"),
            grouped=(GroupedItem(local_id="g", path="t/g"),),
            expected_label="",
            actual_label="H",
        ),
        rule="CD107",
        severity=Severity.WARNING,
        message="m",
    )._replace(waiver=AppliedWaiver(id="W"), trend=TrendState.UNCHANGED)
    text = ENCODER.encode(f.record()).decode("utf-8")
    assert json.loads(text) == f.to_json()
    assert list(json.loads(text)) == list(f.to_json())
    assert list(f.to_json())[-6:] == list(OPTIONAL_KEYS)


def test_text_is_raw_utf8_and_scores_print_as_python_does(result: Result) -> None:
    shown = _every_optional_field(result)
    data = b"".join(
        p if isinstance(p, bytes) else p.encode()
        for p in render_chunks(OutputFormat.JSON, shown, RenderContext())
    )
    assert "Sökord!A12".encode() in data and "😀".encode() in data and "\u2028".encode() in data
    assert b"\\u00" not in data.replace(b"\\u0000", b"")  # no \\u escape but for NUL
    assert b"nul\\u0000" in data and b"tab\\there, line\\nbreak" in data  # escaped as JSON must
    # scores are rounded to 4 decimals: every such number prints as json (repr) prints it
    scores = {round(k / n, 4) for n in range(1, 300) for k in range(n + 1)}
    assert all(ENCODER.encode(x).decode() == json.dumps(x) for x in scores)
    harmonisation = _parsed(data.decode())["harmonisation"]
    line = next(ln for ln in data.decode().splitlines() if ln.startswith('  "harmonisation": '))
    assert line == '  "harmonisation": ' + json.dumps(harmonisation, separators=(",", ":")) + ","


def test_the_layout_is_one_line_per_top_level_key_and_list_item(result: Result) -> None:
    text = render(OutputFormat.JSON, result, RenderContext())
    doc = json.loads(text)
    lines = text.splitlines()
    assert lines[0] == "{" and lines[-1] == "}" and text.endswith("}\n")
    top = [ln for ln in lines if ln.startswith('  "')]
    assert [json.loads(ln.split(": ", 1)[0]) for ln in top] == list(doc)
    for ln in top:  # a value that is not a list is whole on its key's line
        key, value = ln.split(": ", 1)
        if value not in ("[", "[],", "[]"):
            assert json.loads(value.rstrip(",")) == doc[json.loads(key)]
    lists = sum(len(v) for v in doc.values() if isinstance(v, list))
    items = [ln for ln in lines if ln.startswith("    ")]
    assert len(items) == lists  # every item of a top-level list on a line of its own
    assert all(json.loads(ln.strip().rstrip(",")) is not None for ln in items)
    assert len(lines) == 2 + len(doc) + lists + sum(
        1 for v in doc.values() if isinstance(v, list) and v
    )


def test_the_same_bytes_on_every_run_in_workers_or_not(tmp_path: Path) -> None:
    outs = []
    for n, jobs in enumerate(("1", "1", "0")):
        out = tmp_path / f"r{n}.json"
        res = run_cli(
            "compare", "-b", BASELINE, *REGIONS, "--jobs", jobs, "--today", "2026-11-23", "-o", out
        )
        assert res.code == 1, res.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]
    assert b"\r" not in outs[0] and outs[0].decode("utf-8").endswith("}\n")


def test_indented_json_is_the_standard_library_s(result: Result) -> None:
    from cosmicdiff.io.json_out import dumps_indented

    samples: list[Any] = [
        {"a": [], "b": {}, "c": [{}], "d": [1, [2, []]], "e": None, "f": True, "g": 0.9375},
        ['å "q" \\ \t\n\x00\x1f\x7f \u2028 😀', {"k": ("tuple", 1)}],
        {"rows": [{"id": "x", "cases": ["p", "d"], "state": {"r1": "same"}}] * 3},
        [],
        "text",
        json.loads(render(OutputFormat.SARIF, result, RenderContext())),
    ]
    for value in samples:
        assert dumps_indented(value) == json.dumps(value, ensure_ascii=False, indent=2) + "\n"
