"""The command line's pure parts: typed settings and their merge with the command line, the
run state, dates, the choice of an output format and what a people-facing report shows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import signal
from pathlib import Path

import pytest
from conftest import MINI_BASELINE, MINI_COPY

from cosmicdiff.cli import common, emit
from cosmicdiff.cli.app import _exit_status
from cosmicdiff.cli.choices import FailOn, MinSeverity
from cosmicdiff.cli.common import RunState, current_run, parse_date, start_run
from cosmicdiff.cli.emit import choose_format, people_view, result_summary
from cosmicdiff.cli.settings import (
    COMMAND_LINE,
    KEYS,
    Overrides,
    Settings,
    load_settings,
    merge,
    render_settings,
)
from cosmicdiff.errors import UsageError
from cosmicdiff.io.signals import Terminated
from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import MATRIX_FORMATS, REPORT_FORMATS, OutputFormat, Severity

F = OutputFormat


# -- settings ---------------------------------------------------------------------------------


def test_default_settings_come_from_nowhere() -> None:
    s = Settings()
    assert (s.fail_on, s.lang, s.regions, s.format, s.outputs) == (FailOn.ERROR, "sv", (), None, {})
    assert dict(s.sources) == dict.fromkeys(KEYS, "default")
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.lang = "en"  # type: ignore[misc]


def test_a_settings_file_gives_typed_values_and_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "cosmicdiff.toml"
    path.write_text(
        'fail-on = "warning"\nformat = "sarif"\nregions = ["a", "/b"]\n'
        'min-severity = "info"\n\n[outputs]\nhtml = "r.html"\n',
        encoding="utf-8",
    )
    s = load_settings(path, "cosmicdiff.toml")
    assert s.fail_on is FailOn.WARNING and s.fail_on.severity is Severity.WARNING
    assert s.format is F.SARIF and s.min_severity is MinSeverity.INFO
    assert s.regions == (str(tmp_path / "a"), "/b")
    assert dict(s.outputs) == {F.HTML: str(tmp_path / "r.html")}
    assert (s.sources["fail-on"], s.sources["outputs"], s.sources["lang"]) == (
        "cosmicdiff.toml:1",
        "cosmicdiff.toml:6",
        "default",
    )
    assert s.path == path and s.value("min-severity") is MinSeverity.INFO


def test_the_command_line_overrides_what_it_gives() -> None:
    base = Settings(
        baseline="b",
        regions=("r1",),
        lang="en",
        sources={**dict.fromkeys(KEYS, "default"), "baseline": "x.toml:1"},
    )
    s = merge(
        base,
        Overrides(
            regions=("r2", "r3"),
            fail_on=FailOn.NEVER,
            keep_going=False,
            baseline=None,
            cases=(),
            lang=None,
        ),
    )
    assert (s.baseline, s.regions, s.fail_on, s.keep_going, s.lang, s.cases) == (
        "b",
        ("r2", "r3"),
        FailOn.NEVER,
        False,
        "en",
        (),
    )
    assert s.fail_on.severity is None
    assert [k for k, v in s.sources.items() if v == COMMAND_LINE] == [
        "regions",
        "fail-on",
        "keep-going",
    ]
    assert s.from_command_line("regions") and not s.from_command_line("baseline")
    assert s.sources["baseline"] == "x.toml:1"
    assert merge(base, Overrides()) == base


def test_render_settings_shows_values_and_sources() -> None:
    s = merge(Settings(), Overrides(regions=("a", "b"), format=F.JSON, keep_going=True))
    lines = render_settings(s).splitlines()
    assert lines[0] == "# settings file: (none found)"
    assert lines[2] == 'regions = ["a", "b"]'.ljust(44) + " # command line"
    assert lines[4] == 'format = "json"'.ljust(44) + " # command line"
    assert lines[6] == 'fail-on = "error"'.ljust(44) + " # default"
    assert lines[10] == "keep-going = true".ljust(44) + " # command line"
    assert lines[-1] == "[outputs]".ljust(44) + " # default"


# -- run state and dates --------------------------------------------------------------------


def test_the_run_state_is_what_the_root_callback_set() -> None:
    start_run(RunState(quiet=True))
    assert current_run() == RunState(quiet=True)
    start_run(RunState())
    assert current_run().quiet is False


def test_parse_date() -> None:
    assert parse_date("2026-11-23") == dt.date(2026, 11, 23)
    assert parse_date(None) == dt.date.today()
    with pytest.raises(UsageError, match=r"^--today '23/11' is not a date YYYY-MM-DD$"):
        parse_date("23/11")


# -- the output format ----------------------------------------------------------------------


def test_format_option_wins_then_the_output_name_then_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = Path("reports/result.sarif.json")
    assert choose_format(F.HTML, out, REPORT_FORMATS) is F.HTML
    assert choose_format(None, out, REPORT_FORMATS) is F.SARIF
    assert choose_format(None, out, MATRIX_FORMATS) is F.JSON
    assert choose_format(None, None, REPORT_FORMATS, default=F.HTML) is F.HTML
    monkeypatch.setattr(emit, "is_tty", lambda: True)
    assert choose_format(None, None, REPORT_FORMATS) is F.TEXT
    monkeypatch.setattr(emit, "is_tty", lambda: False)
    assert choose_format(None, None, MATRIX_FORMATS) is F.JSON


def test_an_output_name_without_a_format_is_refused() -> None:
    with pytest.raises(UsageError, match=r"^cannot tell the format from 'm\.pdf'; give --format$"):
        choose_format(None, Path("out/m.pdf"), MATRIX_FORMATS)


@pytest.fixture(scope="module")
def mini_result() -> Result:
    return compare(MINI_BASELINE, [MINI_COPY], CompareOptions(today=dt.date(2026, 11, 23)))


def test_filters_apply_to_reports_for_people_only(mini_result: Result) -> None:
    shown, notes = people_view(
        mini_result, F.JSON, min_severity=MinSeverity.ERROR, cases=["x"], filters=["--case a"]
    )
    assert shown is mini_result and notes == ["--case a"]
    region = mini_result.regions[0].id
    shown, notes = people_view(
        mini_result,
        F.MARKDOWN,
        min_severity=MinSeverity.ERROR,
        regions=[region],
        filters=["--case a"],
    )
    assert shown is not mini_result
    assert notes == ["--case a", f"--region {region}", "--min-severity error"]
    assert people_view(mini_result, F.HTML)[0] is mini_result


def test_result_summary(mini_result: Result) -> None:
    assert result_summary(mini_result) == (
        "cosmicdiff: 0 deviations (0 error, 0 warning, 0 info; 0 waived); 0 at or above "
        "--fail-on error; exit 0"
    )


def test_terminal_width() -> None:
    assert common.width(False) == 100
    assert common.width(True) >= 80


# -- errors to exit statuses (cli.app, the one place) -----------------------------------------


@pytest.mark.parametrize(
    ("exc", "status", "stderr"),
    [
        (UsageError("no baseline"), 2, "no baseline\n"),
        (
            OSError(36, "File name too long", "x" * 130),
            2,
            f"'{'x' * 120}…': cannot use this path: File name too long\n",
        ),
        (KeyboardInterrupt(), 130, "cosmicdiff: interrupted\n"),
        (Terminated(signal.SIGTERM), 143, "cosmicdiff: terminated (SIGTERM)\n"),
        (
            OSError(5, "Input/output error"),
            3,
            "cosmicdiff: internal error: OSError: [Errno 5] Input/output error (this is a bug; run "
            "with --debug for details and report it)\n",
        ),
        (
            ValueError("a\nb"),
            3,
            "cosmicdiff: internal error: ValueError: a b (this is a bug; run with --debug for "
            "details and report it)\n",
        ),
    ],
    ids=["usage", "path", "interrupt", "sigterm", "oserror-without-path", "bug"],
)
def test_exit_status_of_an_error(
    exc: BaseException, status: int, stderr: str, capsys: pytest.CaptureFixture[str]
) -> None:
    start_run(RunState())
    assert _exit_status(exc) == status
    assert capsys.readouterr() == ("", stderr)
