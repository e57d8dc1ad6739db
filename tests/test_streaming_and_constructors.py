"""Third round of speed work: streamed JSON output and the fast model constructors.

The JSON result is written in chunks (never held as one text); whatever the chunk size, the
bytes are the ones the whole-document path gives. The model's records are immutable named
tuples whose equality leaves the location out; a finding's id is computed once.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run_cli

from cosmicdiff.io.output import write_atomic
from cosmicdiff.model import (
    Binding,
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    SourceLocation,
    Status,
    Term,
    Value,
)
from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports import OutputFormat, RenderContext, json_report, render, render_chunks
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.finding import Finding
from cosmicdiff.vocabulary import Entity, Kind, Severity

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "baselines" / "espir"
REGIONS = sorted(p for p in (ROOT / "examples" / "regions").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    import datetime as dt

    return compare(BASELINE, REGIONS, CompareOptions(jobs=1, today=dt.date(2026, 11, 23)))


def test_json_chunks_join_to_the_whole_document(result, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    ctx = RenderContext(lang="sv")
    whole = render(OutputFormat.JSON, result, ctx)
    assert whole == json_report.dumps_layout(result.to_json())  # lists, not iterators
    monkeypatch.setattr(json_report, "CHUNK_ITEMS", 7)
    pieces = list(render_chunks(OutputFormat.JSON, result, ctx))
    assert len(pieces) > 20  # 54+ deviations and ~400 baseline items: many chunks
    assert all(isinstance(p, bytes) for p in pieces)  # UTF-8, written as it comes
    assert b"".join(pieces).decode("utf-8") == whole
    doc = json.loads(whole)
    assert len(doc["deviations"]) == len(result.deviations) > 0
    # one line per top-level list item, whatever the chunk size
    dev_lines = [
        ln for ln in whole.splitlines() if ln.startswith('    {"id":"') and '"kind":"' in ln
    ]
    assert len(dev_lines) == len(result.deviations)


@pytest.mark.parametrize("items", [[], [1], [1, 2, 3]])
def test_top_level_lists_of_any_length_keep_their_layout(
    items: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_report, "CHUNK_ITEMS", 2)
    text = json_report.dumps_layout({"a": items, "b": iter(items), "c": 1})
    assert json.loads(text) == {"a": items, "b": items, "c": 1}
    body = "[]" if not items else "[\n" + ",\n".join(f"    {i}" for i in items) + "\n  ]"
    assert text == f'{{\n  "a": {body},\n  "b": {body},\n  "c": 1\n}}\n'


def test_compare_writes_the_same_json_to_a_file_and_to_stdout(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    to_file = run_cli("compare", "-b", BASELINE, *REGIONS, "--today", "2026-11-23", "-o", out)
    to_stdout = run_cli(
        "compare", "-b", BASELINE, *REGIONS, "--today", "2026-11-23", "--format", "json"
    )
    assert to_file.code == to_stdout.code == 1
    assert out.read_text(encoding="utf-8") == to_stdout.stdout
    assert json.loads(to_stdout.stdout)["schema"] == "cosmicdiff/result/1"


def test_a_failing_producer_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    target.write_text("old", encoding="utf-8")

    def pieces() -> Iterator[str]:
        yield "{"
        raise RuntimeError("renderer bug")

    with pytest.raises(RuntimeError, match="renderer bug"):
        write_atomic(target, pieces())
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]
    write_atomic(target, iter(["å", b"\xc3\xa4", "ö"]))  # text and bytes mixed
    assert target.read_text(encoding="utf-8") == "åäö"


LOC = SourceLocation(path="x.xml", line=3)


def test_records_are_immutable_and_equal_whatever_their_location() -> None:
    kw = Keyword(
        id=KeywordId("K1"),
        name="Puls",
        type=KeywordType.NUMERIC,
        unit="/min",
        bindings=(Binding(system="snomed-ct", code="78564009"),),
        hidden_from_1177=True,
        description="beskrivning",
        loc=LOC,
    )
    moved = kw._replace(loc=SourceLocation(path="other.xml", line=99))
    assert kw == moved and hash(kw) == hash(moved)
    assert not kw != moved  # noqa: SIM202 - __ne__ is defined on its own
    assert kw != kw._replace(unit="/s") and kw._replace(unit="/s") != kw
    assert kw.loc is LOC
    with pytest.raises(AttributeError):
        kw.name = "other"  # type: ignore[misc]
    item = Item(
        keyword=KeywordId("K1"),
        mandatory=True,
        children=(Item(keyword=KeywordId("K2"), repeatable=True, loc=LOC),),
        loc=LOC,
    )
    assert item == Item(
        keyword=KeywordId("K1"),
        mandatory=True,
        children=(Item(keyword=KeywordId("K2"), repeatable=True),),
    )
    assert item != item._replace(children=())
    assert Value(code="1", display="Ja", loc=LOC) == Value(code="1", display="Ja")
    assert Value(code="1", display="Ja") != Value(code="1", display="Nej")
    # a record is never equal to a record of another type with the same values
    assert Item(keyword=KeywordId("V")) != Value(code="V", display=False)  # type: ignore[arg-type]


def test_record_defaults() -> None:
    one, two = Term(system="kva", code="AU118"), Term(system="kva", code="AU118")
    assert one == two
    assert one.displays == {} and one.displays is not two.displays  # a new dict each time
    assert one.status is Status.ACTIVE and one.loc.path == "<memory>"
    assert SourceLocation(path="a") == SourceLocation(path="a", line=None)
    assert str(SourceLocation(path="a", line=3)) == "a:3" and str(LOC.__class__("b")) == "b"
    with pytest.raises(TypeError):
        Value(code="1")  # type: ignore[call-arg]  # display has no default


def test_a_finding_computes_its_id_once_from_the_deviation_and_rule() -> None:
    dev = Deviation(
        region="kalmar",
        kind=Kind.RENAMED,
        entity=Entity.KEYWORD,
        baseline_id="K1",
        local_id="L1",
        path=None,
        expected="a",
        actual="b",
        cases=("psychiatry",),
        location=LOC,
    )
    finding = Finding.of(dev, rule="CD105", severity=Severity.WARNING, message="m")
    assert finding.id == dev.fingerprint("CD105") != dev.fingerprint("CD106")
    assert len(finding.id) == 20 and finding.deviation is dev
    # values are not identity: the same finding with another value keeps its id
    assert (
        Finding.of(dev._replace(actual="c"), rule="CD105", severity=Severity.INFO, message="").id
        == finding.id
    )
    assert finding.kind is Kind.RENAMED and finding.actual == "b" and not finding.waived


def test_the_console_entry_point_flushes_and_keeps_exit_codes(tmp_path: Path) -> None:
    import subprocess
    import sys

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cosmicdiff", *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            check=False,
            cwd=tmp_path,
            timeout=120,
        )

    out = tmp_path / "r.json"
    done = run("compare", "-b", BASELINE, *REGIONS, "-o", out)
    assert done.returncode == 1, done.stderr
    assert "deviations" in done.stderr and json.loads(out.read_text(encoding="utf-8"))
    piped = run("compare", "-b", BASELINE, *REGIONS, "--format", "json")
    assert piped.returncode == 1 and piped.stdout == out.read_text(encoding="utf-8")
    assert run("--version").returncode == 0
    bad = run("compare", "-b", tmp_path / "nowhere", *REGIONS)
    assert bad.returncode == 2 and "nowhere" in bad.stderr and "Traceback" not in bad.stderr
