"""The terminal report: Swedish by default, English on request, plain when piped, no markup."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from cosmicdiff import __version__
from cosmicdiff.pipeline import CompareOptions
from cosmicdiff.pipeline import compare as run_compare
from cosmicdiff.reports import REPORTERS, OutputFormat, RenderContext
from reports._support import (
    DEVIATING_SRC,
    DEVIATING_WAIVERS,
    MINI_BASELINE,
    MINI_COPY,
    REP_DEVIATING,
)

ANSI = re.compile(r"\x1b\[")
LITERAL = "Riskfaktorer [bold]fet[/bold] <script>x</script>"


def _row(text: str, first_cell: str) -> list[str]:
    """Return the cells of the table row that starts with ``first_cell``."""
    for line in text.splitlines():
        cells = [c.strip() for c in re.split("[│┃]", line.strip("│┃ "))]
        if cells and cells[0] == first_cell:
            return cells
    raise AssertionError(f"no table row {first_cell!r} in:\n{text}")


def test_swedish_is_the_default(compare) -> None:
    run = compare(REP_DEVIATING, MINI_COPY, fmt="text")
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "cosmicdiff: avvikelser mot mini 1.0"
    assert lines[1] == f"Utvärderat 2026-11-23 med cosmicdiff {__version__}"
    assert lines[2] == "Region × fall: avvikelser (fel/varningar/info) och harmonisering"
    assert lines[-1] == (
        "6 avvikelser: 3 fel, 2 varningar, 1 info; 0 undantagna; 3 når stoppnivån (fel)."
    )
    assert f"Region Avvikande (deviating) — {DEVIATING_SRC}" in lines
    assert "Inga avvikelser." in lines
    unit = re.compile(
        r"^ +fel +CD202 sökord annan enhet: .*B-SO-5 ↔ B-SO-5.*"
        r"förväntat: mmol/L +faktiskt: µmol/L +@ B-JM-2/B-SO-5$"
    )
    assert sum(bool(unit.match(line)) for line in lines) == 1


def test_english_with_lang_en(compare) -> None:
    run = compare(REP_DEVIATING, MINI_COPY, fmt="text", extra=("--lang", "en"))
    assert run.code == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "cosmicdiff: deviations from mini 1.0"
    assert lines[2] == "Region × case: deviations (errors/warnings/info) and harmonisation"
    assert lines[-1] == (
        "6 deviations: 3 errors, 2 warnings, 1 info; 0 waived; 3 reach the gate (errors)."
    )
    assert "No deviations." in lines
    unit = re.compile(
        r"^ +error +CD202 keyword unit changed: .*B-SO-5 ↔ B-SO-5.*"
        r"expected: mmol/L +actual: µmol/L +@ B-JM-2/B-SO-5$"
    )
    assert sum(bool(unit.match(line)) for line in lines) == 1
    assert "avvikelser" not in run.stdout


def test_region_by_case_table(compare) -> None:
    text = compare(REP_DEVIATING, MINI_COPY, fmt="text").stdout
    assert _row(text, "Region") == [
        "Region",
        "Beslutsstöd för psykiatrin (psychiatry)",
        "Läkemedel (drugs)",
    ]
    assert _row(text, "Region Avvikande") == ["Region Avvikande", "2/2/1  58%", "1/0/0  75%"]
    assert _row(text, "Region Kopia") == ["Region Kopia", "0/0/0  100%", "0/0/0  100%"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_no_colour_when_not_a_terminal(compare, lang: str) -> None:
    run = compare(REP_DEVIATING, fmt="text", extra=("--lang", lang))
    assert not ANSI.search(run.stdout)
    assert not ANSI.search(run.stderr)


def test_colour_only_when_asked_for_and_markup_still_literal() -> None:
    result = run_compare(
        MINI_BASELINE, [REP_DEVIATING], CompareOptions(today=dt.date(2026, 11, 23))
    )
    reporter = REPORTERS[OutputFormat.TEXT]()
    plain = reporter.render(result, RenderContext(lang="sv", width=200, color=False))
    coloured = reporter.render(result, RenderContext(lang="sv", width=200, color=True))
    assert not ANSI.search(plain)
    assert ANSI.search(coloured)  # the plain check above is not vacuous
    assert LITERAL in plain
    assert LITERAL in ANSI.sub("", re.sub(r"\x1b\[[0-9;]*m", "", coloured))


def test_input_text_is_shown_literally(compare, make_region) -> None:
    region = make_region("markup", name="[bold]R[/bold] <b>")
    run = compare(REP_DEVIATING, region, fmt="text")
    assert f"faktiskt: {LITERAL}" in run.stdout
    assert "[bold]R[/bold] <b> (markup) — " in run.stdout
    assert _row(run.stdout, "[bold]R[/bold] <b>")[1:] == ["0/0/0  100%", "0/0/0  100%"]


def test_case_names_in_the_table_header_are_literal(compare, make_baseline) -> None:
    baseline = make_baseline()
    text = (baseline / "baseline.yaml").read_text(encoding="utf-8")
    (baseline / "baseline.yaml").write_text(
        text.replace(
            "name: Beslutsstöd för psykiatrin", 'name: "Psykiatri [bold]fet[/bold] [red]x"'
        ),
        encoding="utf-8",
    )
    run = compare(MINI_COPY, baseline=baseline, fmt="text")
    assert run.code == 0
    assert "Psykiatri [bold]fet[/bold] [red]x (psychiatry)" in run.stdout


def test_waivers_are_shown(compare, make_baseline) -> None:
    run = compare(REP_DEVIATING, baseline=make_baseline(waivers=DEVIATING_WAIVERS), fmt="text")
    lines = run.stdout.splitlines()
    assert "Undantag W-OLD (CD206, B-SO-2) gick ut 2026-11-22 och undantar inte längre." in lines
    assert "Undantag W-STALE (CD101, B-JM-1) matchar ingen avvikelse." in lines
    # the score without waivers is shown where it differs
    assert _row(run.stdout, "Region Avvikande")[1:] == [
        "2/2/1  58%",
        "1/0/0  100% (utan undantag 75%)",
    ]
    unit = next(line for line in lines if "CD202" in line)
    assert unit.endswith("— undantagen (W-UNIT, t.o.m. 2027-06-30)")
    assert lines[-1] == (
        "6 avvikelser: 3 fel, 2 varningar, 1 info; 1 undantagen; 2 når stoppnivån (fel)."
    )


def test_control_characters_from_the_input_are_not_passed_to_the_terminal(
    compare, make_region
) -> None:
    # XML and CSV refuse control characters; a YAML double-quoted "\e" escape carries one
    region = make_region("ctl", {'<keyword id="B-SO-3" name="Riskfaktorer" type="Text"/>': ""})
    (region / "keywords.yaml").write_text(
        'keywords:\n  - {id: B-SO-3, name: "Risk\\e[31mfaktorer", type: Text}\n', encoding="utf-8"
    )
    run = compare(region, fmt="text")
    assert run.code == 0
    assert "CD105" in run.stdout  # the renamed keyword is reported ...
    assert "\x1b" not in run.stdout  # ... without the raw escape character
