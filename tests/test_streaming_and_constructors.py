"""Third round of speed work: streamed JSON output and the fast model constructors.

The JSON result is written in chunks (never held as one text); whatever the chunk size, the
bytes are the ones the whole-document path gives. The positional constructors build objects
equal to what the dataclass ``__init__`` builds.
"""

from __future__ import annotations

import dataclasses
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
    KeywordType,
    SourceLocation,
    Status,
    Template,
    Term,
    Value,
    ValueList,
    fast_constructor,
    fast_replacer,
    make_item,
    make_keyword,
    make_location,
    make_template,
    make_term,
)
from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports import OutputFormat, RenderContext, json_report, render, render_chunks
from cosmicdiff.result.deviation import Deviation, replace_deviation
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
    assert "".join(pieces) == whole
    doc = json.loads(whole)
    assert len(doc["deviations"]) == len(result.deviations) > 0
    # one line per top-level list item, whatever the chunk size
    dev_lines = [ln for ln in whole.splitlines()
                 if ln.startswith('    {"id": ') and '"kind": ' in ln]
    assert len(dev_lines) == len(result.deviations)


@pytest.mark.parametrize("items", [[], [1], [1, 2, 3]])
def test_top_level_lists_of_any_length_keep_their_layout(items: list[int],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_report, "CHUNK_ITEMS", 2)
    text = json_report.dumps_layout({"a": items, "b": iter(items), "c": 1})
    assert json.loads(text) == {"a": items, "b": items, "c": 1}
    body = "[]" if not items else "[\n" + ",\n".join(f"    {i}" for i in items) + "\n  ]"
    assert text == f'{{\n  "a": {body},\n  "b": {body},\n  "c": 1\n}}\n'


def test_compare_writes_the_same_json_to_a_file_and_to_stdout(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    to_file = run_cli("compare", "-b", BASELINE, *REGIONS, "--today", "2026-11-23", "-o", out)
    to_stdout = run_cli("compare", "-b", BASELINE, *REGIONS, "--today", "2026-11-23",
                        "--format", "json")
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


def test_constructors_build_what_init_builds() -> None:
    kw = make_keyword("K1", "Puls", KeywordType.NUMERIC, "/min", None,
                      (Binding(system="snomed-ct", code="78564009"),), Status.ACTIVE, True,
                      "beskrivning", LOC)
    assert kw == Keyword(id="K1", name="Puls", type=KeywordType.NUMERIC, unit="/min",
                         bindings=(Binding(system="snomed-ct", code="78564009"),),
                         hidden_from_1177=True, description="beskrivning", loc=LOC)
    assert kw.loc is LOC and hash(kw) == hash(dataclasses.replace(kw))
    item = make_item("K1", True, False, (make_item("K2", False, True, (), LOC),), LOC)
    assert item == Item(keyword="K1", mandatory=True,
                        children=(Item(keyword="K2", repeatable=True),))
    tpl = make_template("T1", "Mall", None, "ins", None, Status.RETIRED, (item,), LOC)
    assert tpl == Template(id="T1", name="Mall", note_type="ins", status=Status.RETIRED,
                           items=(item,))
    assert make_location("a", None) == SourceLocation(path="a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        kw.name = "other"  # type: ignore[misc]


def test_constructor_defaults_and_factories_are_fresh() -> None:
    one, two = make_term("kva", "AU118"), make_term(system="kva", code="AU118")
    assert one == two == Term(system="kva", code="AU118")
    assert one.displays == {} and one.displays is not two.displays  # a new dict each time
    assert one.status is Status.ACTIVE and one.loc.path == "<memory>"
    make_value = fast_constructor(Value)
    assert make_value("1", "Ja") == Value(code="1", display="Ja")
    with pytest.raises(TypeError):
        make_value("1")  # display has no default


def test_constructor_refuses_classes_it_would_build_wrongly() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        n: int

        def __post_init__(self) -> None:
            if self.n < 0:
                raise ValueError("negative")

    with pytest.raises(TypeError, match="own __init__"):
        fast_constructor(Checked)

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        n: int = 0

    with pytest.raises(TypeError, match="not a slots dataclass"):
        fast_constructor(NoSlots)


def test_replace_deviation_is_dataclasses_replace() -> None:
    dev = Deviation(region="kalmar", kind=Kind.RENAMED, entity=Entity.KEYWORD,
                    baseline_id="K1", local_id="L1", path=None, expected="a", actual="b",
                    cases=("psychiatry",), location=LOC)
    changed = replace_deviation(dev, rule="CD201", severity=Severity.WARNING, message="m")
    assert changed == dataclasses.replace(dev, rule="CD201", severity=Severity.WARNING,
                                          message="m")
    assert dev.rule is None  # the original is untouched
    with pytest.raises(KeyError):
        replace_deviation(dev, no_such_field=1)
    replace_list = fast_replacer(ValueList)
    vl = ValueList(id="V", name="Sida")  # type: ignore[arg-type]
    assert replace_list(vl, name="Side") == ValueList(id="V", name="Side")  # type: ignore[arg-type]


def test_the_console_entry_point_flushes_and_keeps_exit_codes(tmp_path: Path) -> None:
    import subprocess
    import sys

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "cosmicdiff", *map(str, args)],
                              capture_output=True, text=True, encoding="utf-8", check=False,
                              cwd=tmp_path, timeout=120)

    out = tmp_path / "r.json"
    done = run("compare", "-b", BASELINE, *REGIONS, "-o", out)
    assert done.returncode == 1, done.stderr
    assert "deviations" in done.stderr and json.loads(out.read_text(encoding="utf-8"))
    piped = run("compare", "-b", BASELINE, *REGIONS, "--format", "json")
    assert piped.returncode == 1 and piped.stdout == out.read_text(encoding="utf-8")
    assert run("--version").returncode == 0
    bad = run("compare", "-b", tmp_path / "nowhere", *REGIONS)
    assert bad.returncode == 2 and "nowhere" in bad.stderr and "Traceback" not in bad.stderr
