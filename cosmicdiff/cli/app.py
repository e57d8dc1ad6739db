"""The command line: thin typer commands (parse -> call -> render -> exit).

Only this module prints errors and sets exit codes: 0 clean, 1 deviations at or above
``--fail-on``, 2 unusable input or arguments, 3 an internal error (a bug).
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import os
import sys
import traceback
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer

from cosmicdiff import EXPORT_FORMAT_VERSION, RESULT_SCHEMA, __version__
from cosmicdiff.errors import CosmicdiffError, UsageError, excerpt
from cosmicdiff.vocabulary import ExitCode, Severity

app = typer.Typer(
    name="cosmicdiff",
    help="Compare COSMIC configuration exports of the regions with the shared eSPiR baseline.",
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
)
waivers_app = typer.Typer(help="Work with waiver files.", no_args_is_help=True)
app.add_typer(waivers_app, name="waivers")

_STATE: dict[str, Any] = {"debug": False, "config": None, "no_config": False, "quiet": False,
                          "verbose": False}


class FailOn(StrEnum):
    """Lowest severity that makes compare exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"


class Format(StrEnum):
    """Report formats of compare."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    SARIF = "sarif"
    GITLAB = "gitlab"
    HTML = "html"
    MARKDOWN = "markdown"
    PDF = "pdf"


class MinSeverity(StrEnum):
    """Lowest severity a people-facing report shows."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


F = TypeVar("F", bound=Callable[..., int])


def guarded(func: F) -> F:
    """Turn a command's return value into its exit status and errors into one-line messages.

    A CosmicdiffError (bad input or arguments) prints its lines and exits 2; anything else is
    a bug: exit 3, with the traceback only under ``--debug``. It never exits 1.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from cosmicdiff.io.signals import Terminated, raise_on_termination
        from cosmicdiff.io.stdio import StandardOutputError, silence_stdout

        # a command is a short-lived process building a large acyclic model: the cyclic
        # collector would only walk it again and again (see engine.compare)
        gc.disable()
        try:
            with raise_on_termination():
                code = func(*args, **kwargs)
        except typer.Exit:
            raise
        except CosmicdiffError as exc:
            for line in exc.lines():
                _err(line)
            raise typer.Exit(int(ExitCode.INPUT)) from None
        except BrokenPipeError:
            # The reader went away (e.g. `| head`); nothing more can be written.
            silence_stdout()
            raise typer.Exit(int(ExitCode.INPUT)) from None
        except StandardOutputError as exc:  # closed (>&-) or full (>/dev/full)
            _err(exc.message())
            silence_stdout()
            raise typer.Exit(int(ExitCode.INPUT)) from None
        except KeyboardInterrupt:
            _err("cosmicdiff: interrupted")
            raise typer.Exit(130) from None
        except Terminated as exc:  # a cancelled CI job: temporary files are gone by now
            _err(f"cosmicdiff: {exc}")
            raise typer.Exit(exc.exit_status) from None
        except OSError as exc:
            if exc.filename is None:
                _internal_error(exc)
            # a path the system refuses (too long, a loop of links, no permission): an input
            # problem, named by its path as far as a message may quote it
            _err(f"{excerpt(str(exc.filename), 120)}: cannot use this path: "
                 f"{exc.strerror or type(exc).__name__}")
            raise typer.Exit(int(ExitCode.INPUT)) from None
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            _internal_error(exc)
        raise typer.Exit(int(code))

    return wrapper  # type: ignore[return-value]


def _internal_error(exc: BaseException) -> NoReturn:
    """Report a bug: one line (the traceback only under --debug), exit 3."""
    if _STATE["debug"] or os.environ.get("COSMICDIFF_DEBUG"):
        traceback.print_exception(exc)
    text = " ".join(str(exc).split())  # one line, and not a whole input quoted back
    if len(text) > 200:
        text = text[:200] + "…"
    _err(f"cosmicdiff: internal error: {type(exc).__name__}: {text} (this is a bug; run with "
         "--debug for details and report it)")
    raise typer.Exit(int(ExitCode.INTERNAL)) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cosmicdiff {__version__} (reads export format {EXPORT_FORMAT_VERSION}, "
                   f"writes {RESULT_SCHEMA})")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]
    = False,
    config: Annotated[Path | None, typer.Option(
        "--config", help="Settings file (default: the nearest cosmicdiff.toml or "
                         "pyproject.toml with [tool.cosmicdiff], walking up).")] = None,
    no_config: Annotated[bool, typer.Option("--no-config", help="Ignore any settings file.")]
    = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but "
                                                              "errors.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Say what is being read and "
                                                                  "compared.")] = False,
) -> None:
    """Compare COSMIC configuration exports with the shared eSPiR baseline.

    Settings come from cosmicdiff.toml (see docs/settings.md); command-line options override
    them. Shell completion: cosmicdiff --install-completion.
    """
    _STATE.update(debug=debug, config=config, no_config=no_config, quiet=quiet,
                  verbose=verbose and not quiet)
    _STATE.pop("settings", None)


def _settings() -> Any:
    """Return the effective settings file's values (loaded once per run)."""
    from cosmicdiff.cli.settings import Settings, find_settings, load_settings
    from cosmicdiff.parsers import display_path

    if "settings" not in _STATE:
        path = None if _STATE["no_config"] else (_STATE["config"] or find_settings(Path.cwd()))
        if _STATE["config"] is not None and not Path(_STATE["config"]).is_file():
            raise UsageError(f"{_STATE['config']}: settings file not found")
        _STATE["settings"] = load_settings(path, display_path(path)) if path else Settings()
    return _STATE["settings"]


def _say(message: str) -> None:
    if _STATE["verbose"]:
        _err(f"cosmicdiff: {message}")


def _err(text: str) -> None:
    from cosmicdiff.io.stdio import write_error

    write_error(text)


def _is_tty() -> bool:
    return sys.stdout.isatty()


def _color() -> bool:
    return _is_tty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


_SUFFIX_FORMAT = {".json": "json", ".xml": "junit", ".sarif": "sarif", ".txt": "text",
                  ".html": "html", ".htm": "html", ".md": "markdown", ".pdf": "pdf"}
#: Formats for people: filters (--min-severity, --region) and --lang apply to them only.
_PEOPLE_FORMATS = frozenset({"text", "html", "markdown", "pdf"})


def _choose_format(fmt: Format | None, output: Path | None) -> str:
    if fmt is not None:
        return fmt.value
    if output is not None:
        name = output.name.lower()
        if name.endswith((".sarif", ".sarif.json")):
            return "sarif"
        if name.endswith("gl-code-quality-report.json"):
            return "gitlab"
        found = _SUFFIX_FORMAT.get(output.suffix.lower())
        if found is None:
            raise UsageError(f"cannot tell the format from {output.name!r}; give --format")
        return found
    return "text" if _is_tty() else "json"


@app.command()
@guarded
def compare(
    regions: Annotated[list[Path] | None, typer.Argument(
        help="Region export folders or files (default: regions in the settings file).",
        show_default=False)] = None,
    baseline: Annotated[str | None, typer.Option(
        "--baseline", "-b", help="Baseline folder, or 'espir' for the shipped eSPiR baseline "
                                 "(default: from the settings file).")] = None,
    case: Annotated[list[str] | None, typer.Option(
        "--case", help="Compare only this case (repeatable).")] = None,
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", help="Report format. Default: text on a terminal, json when piped, "
                               "or from the --output suffix.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the report here (atomically).")]
    = None,
    fail_on: Annotated[FailOn | None, typer.Option(
        "--fail-on", help="Exit 1 if an unwaived deviation is at or above this severity "
                          "[default: error].")] = None,
    waivers: Annotated[Path | None, typer.Option(
        "--waivers", help="Waiver file (default: waivers.yaml in the baseline folder).")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", callback=_check_lang,
        help="Language: of the labels compared as names where a format has several (openEHR, "
             "FHIR), and of text, HTML, Markdown and PDF reports (sv or en; other languages "
             "get English reports) [default: sv].")]
    = None,
    input_format: Annotated[str | None, typer.Option(
        "--input-format", callback=_check_input_format,
        help="Format of the region files: auto (by extension and content) or one of "
             "`cosmicdiff formats` [default: auto].")] = None,
    baseline_format: Annotated[str | None, typer.Option(
        "--baseline-format", callback=_check_input_format,
        help="Format of the baseline's files [default: auto].")] = None,
    min_severity: Annotated[MinSeverity | None, typer.Option(
        "--min-severity", help="Show only deviations at or above this severity in text, HTML, "
                               "Markdown and PDF reports (machine formats stay complete).")]
    = None,
    keep_going: Annotated[bool | None, typer.Option(
        "--keep-going/--no-keep-going",
        help="Compare the other regions when one cannot be read (exit 2).")] = None,
    today: Annotated[str | None, typer.Option(
        "--today", help="Date for waiver expiry (YYYY-MM-DD); default: today.")] = None,
    reference: Annotated[Path | None, typer.Option(
        "--reference", help="An earlier JSON result: mark each deviation new, unchanged or "
                            "updated, list the resolved ones and the score changes.")] = None,
    fail_on_new: Annotated[bool, typer.Option(
        "--fail-on-new", help="Gate only on deviations that are new or updated (the same "
                              "item with another value or severity) since --reference (at or "
                              "above --fail-on).")] = False,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0,
        help="Regions compared at once, each in a worker process (Linux; the result is the "
             "same): 0 = automatic (workers from 1 MB of region files on, up to twice the CPU "
             "cores), 1 = all in this process. Default: COSMICDIFF_JOBS, else 0.")] = 0,
) -> int:
    """Compare region exports with the baseline and report every deviation."""
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.pipeline import CompareOptions
    from cosmicdiff.pipeline import compare as run_compare

    s = _settings()
    s.override("baseline", baseline)
    s.override("regions", [str(r) for r in regions or ()])
    s.override("cases", list(case or ()))
    s.override("format", fmt.value if fmt else None)
    s.override("output", str(output) if output else None)
    s.override("fail-on", fail_on.value if fail_on else None)
    s.override("lang", _lang_tag(lang) if lang else None)
    s.override("input-format", input_format)
    s.override("baseline-format", baseline_format)
    s.override("waivers", str(waivers) if waivers else None)
    s.override("min-severity", min_severity.value if min_severity else None)
    s.override("keep-going", keep_going)
    if not s.get("baseline"):
        raise UsageError("no baseline: give --baseline DIR (or 'espir'), or set baseline in "
                         "cosmicdiff.toml")
    if not s.get("regions"):
        raise UsageError("no regions: give one or more region folders, or set regions in "
                         "cosmicdiff.toml")
    out = Path(s.get("output")) if s.get("output") else None
    chosen = _choose_format(Format(s.get("format")) if s.get("format") else None, out)
    fail = s.get("fail-on")
    options = CompareOptions(
        cases=tuple(s.get("cases")), fail_on=None if fail == "never" else Severity(fail),
        waivers=Path(s.get("waivers")) if s.get("waivers") else None,
        today=_parse_date(today), keep_going=bool(s.get("keep-going")),
        input_format=_input_format(s.get("input-format")),
        baseline_format=_input_format(s.get("baseline-format")), lang=s.get("lang"),
        jobs=jobs or None)
    region_paths = [Path(r) for r in s.get("regions")]
    if fail_on_new and reference is None:
        raise UsageError("--fail-on-new needs --reference PREVIOUS.json")
    base_path = resolve_baseline(s.get("baseline"))
    label = "--output" if s.sources["output"] == "command line" else "output"
    _check_outputs(
        ([(label, out)] if out is not None else [])
        + [(f"[outputs] {name}", Path(path)) for name, path in sorted(s.get("outputs").items())],
        settings=s.path, baseline=base_path, regions=region_paths, waivers=options.waivers,
        reference=reference)
    if reference is not None:
        from cosmicdiff.result.trend import load_reference

        previous = load_reference(reference)
    progress = _progress(1 + len(region_paths))
    try:
        result = run_compare(base_path, region_paths, options, progress=progress)
    finally:
        if progress is not None and hasattr(progress, "close"):
            progress.close()
    if reference is not None:
        from cosmicdiff.parsers import display_path
        from cosmicdiff.result.trend import apply_reference

        result = apply_reference(result, previous, display_path(reference), fail_on_new)
    minimum = MinSeverity(s.get("min-severity")) if s.get("min-severity") else None
    _emit(result, chosen, out, s.get("lang"), min_severity=minimum,
          filters=[f"--case {c}" for c in s.get("cases")],
          mkdir=s.sources["output"] != "command line")
    for fmt_name, target in sorted(s.get("outputs").items()):
        _emit(result, fmt_name, Path(target), s.get("lang"), min_severity=minimum,
              filters=[f"--case {c}" for c in s.get("cases")], summary=False, mkdir=True)
    for region in result.regions:
        if not region.compared:
            _err(f"{region.source}: not compared: {region.error}")
    _input_notes(result)
    cli_waivers.waiver_warnings(result)
    return int(result.exit_code())


#: how many input notes compare prints on stderr; all of them are in the JSON result
_NOTES_SHOWN = 10


def _input_notes(result: Any) -> None:
    """Say on stderr what was read but not used as it stands (all of it is in the JSON)."""
    notes = [*result.baseline_notes, *(n for r in result.regions for n in r.notes)]
    if not notes or _STATE["quiet"]:
        return
    for note in notes[:_NOTES_SHOWN]:
        _err(f"note: {note}")
    if len(notes) > _NOTES_SHOWN:
        _err(f"note: … and {len(notes) - _NOTES_SHOWN} more input notes (all of them are in "
             "the JSON result under input_notes)")


def _lang_tag(value: str) -> str:
    from cosmicdiff.reports.i18n import LANG_TAG

    if not LANG_TAG.match(value):
        raise UsageError(f"--lang {value!r} is not a language tag such as sv, en or nb-NO")
    return value


def _check_lang(value: str | None) -> str | None:
    """Option callback: refuse what is not a language tag (a usage error, exit 2)."""
    from cosmicdiff.reports.i18n import LANG_TAG

    if value is not None and not LANG_TAG.match(value):
        raise typer.BadParameter(f"{value!r} is not a language tag such as sv, en or nb-NO")
    return value


def _check_input_format(value: str | None) -> str | None:
    """Option callback: refuse an unknown input format name (a usage error, exit 2)."""
    from cosmicdiff.parsers import FORMATS

    if value is not None and value != "auto" and value not in FORMATS:
        raise typer.BadParameter(f"{value!r} is not one of auto, {', '.join(FORMATS)}")
    return value


def _input_format(value: str | None) -> str | None:
    from cosmicdiff.parsers import resolve_format

    fmt = resolve_format(value)
    return fmt.name if fmt else None


def _progress(steps: int) -> Any:
    """Return a progress callback: lines with --verbose, a bar on a terminal, else nothing."""
    if _STATE["verbose"]:
        return lambda message, records: _say(
            message + (f" ({records} records)" if records else ""))
    if _STATE["quiet"] or not sys.stderr.isatty() or os.environ.get("CI"):
        return None
    from cosmicdiff.cli.progress import ProgressBar

    return ProgressBar(steps, color=_color())


def _emit(result: Any, chosen: str, output: Path | None, lang: str,
          min_severity: MinSeverity | None = None, regions: list[str] | None = None,
          cases: list[str] | None = None, filters: list[str] | None = None,
          summary: bool = True, mkdir: bool = False) -> None:
    """Render ``result`` in the chosen format and write it to ``output`` or stdout."""
    from cosmicdiff.io.output import write_atomic
    from cosmicdiff.reports import OutputFormat, RenderContext, render_chunks

    fmt = OutputFormat(chosen)
    shown = result
    notes = list(filters or [])
    if chosen in _PEOPLE_FORMATS and (min_severity or regions or cases):
        shown = result.select(cases=cases or (), regions=regions or (),
                              min_severity=Severity(min_severity.value) if min_severity
                              else None)
        notes += [f"--case {c}" for c in cases or ()] + [f"--region {r}" for r in regions or ()]
        if min_severity:
            notes.append(f"--min-severity {min_severity.value}")
    to_tty = output is None and _is_tty()
    from cosmicdiff.reports.i18n import report_language

    ctx = RenderContext(lang=report_language(lang), width=_width(to_tty), color=to_tty and _color(),
                        filters=tuple(notes))
    if fmt is OutputFormat.PDF and output is None and _is_tty():
        raise UsageError("a PDF is not written to a terminal; give --output FILE.pdf")
    pieces = render_chunks(fmt, shown, ctx)
    if output is not None:
        if mkdir:
            output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(output, pieces)
        _say(f"wrote {chosen} report {output}")
    else:
        for piece in pieces:
            if isinstance(piece, bytes):
                sys.stdout.flush()
                sys.stdout.buffer.write(piece)
            else:
                sys.stdout.write(piece)
        sys.stdout.flush()
    if summary and not _STATE["quiet"] and (output is not None or fmt is not OutputFormat.TEXT):
        _err(_summary(result))


def _check_outputs(outputs: list[tuple[str, Path]], **inputs: Any) -> None:
    """Refuse outputs that are inputs of the run (or one file twice) before anything is written.

    ``outputs`` are (how the user set it, path); ``inputs`` are the keywords of
    :func:`cosmicdiff.io.output_check.run_inputs`.
    """
    if not outputs:
        return
    from cosmicdiff.io.output_check import Output, check_outputs, run_inputs

    check_outputs([Output(label, path) for label, path in outputs], run_inputs(**inputs))


def _width(tty: bool) -> int:
    if tty:
        try:
            return max(80, os.get_terminal_size().columns)
        except OSError:
            return 100
    return 100


def _parse_date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today {text!r} is not a date YYYY-MM-DD") from None


def _summary(result: object) -> str:
    counts = result.counts()  # type: ignore[attr-defined]
    sev = counts["by_severity"]
    return (f"cosmicdiff: {counts['total']} deviations ({sev['error']} error, "
            f"{sev['warning']} warning, {sev['info']} info; {counts['waived']} waived); "
            f"{counts['gating']} at or above --fail-on"
            f"{' (new or updated ones only)' if result.fail_on_new else ''}"  # type: ignore[attr-defined]
            f"{_trend_summary(result)}; exit {int(result.exit_code())}")  # type: ignore[attr-defined]


def _trend_summary(result: Any) -> str:
    if result.trend is None:
        return ""
    c = result.trend.counts(result)
    return (f"; since {result.trend.source}: {c['new']} new, {c['updated']} updated, "
            f"{c['unchanged']} unchanged, {c['resolved']} resolved")


@app.command()
@guarded
def report(
    result_file: Annotated[Path, typer.Argument(help="A JSON result written by compare.",
                                                show_default=False)],
    fmt: Annotated[Format | None, typer.Option(
        "--format", "-f", help="Report format. Default: from the --output suffix, else html.")]
    = None,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write the report here (atomically).")]
    = None,
    lang: Annotated[str, typer.Option("--lang", callback=_check_lang,
                                      help="Language of the report: sv or en (other "
                                                     "languages get English).")] = "sv",
    case: Annotated[list[str] | None, typer.Option(
        "--case", help="Show only this case (repeatable).")] = None,
    region: Annotated[list[str] | None, typer.Option(
        "--region", help="Show only this region (repeatable).")] = None,
    min_severity: Annotated[MinSeverity | None, typer.Option(
        "--min-severity", help="Show only deviations at or above this severity.")] = None,
) -> int:
    """Render a saved JSON result in any format (html, markdown, pdf, text, …).

    The exit status is the saved result's (0, 1 or 2), so a CI job can gate on it too.
    """
    from cosmicdiff.parsers import display_path
    from cosmicdiff.result.json_io import load_result

    chosen = fmt.value if fmt else (_choose_format(None, output) if output else "html")
    _check_outputs([("--output", output)] if output else [], result=result_file)
    result = load_result(result_file, display_path(result_file))
    _emit(result, chosen, output, _lang_tag(lang), min_severity=min_severity,
          regions=list(region or ()), cases=list(case or ()))
    return int(result.exit_code())


@app.command()
@guarded
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(
        help="Export or baseline folders or files (default: the baseline and regions of the "
             "settings file).", show_default=False)] = None,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Treat warnings (a region's references to undefined ids) as problems.")]
    = False,
) -> int:
    """Check exports and baselines; list every problem with file:line (exit 0 or 2).

    Problems are what would make compare refuse an input (exit 2). A region's reference to
    a keyword or value list it does not define is a warning: compare reports it as an
    unresolved_reference deviation.
    """
    from cosmicdiff.checks.validate import validate_paths
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.io.shipped import shipped_baselines

    if not paths:
        s = _settings()
        paths = ([resolve_baseline(s.get("baseline"))] if s.get("baseline") else []) + [
            Path(r) for r in s.get("regions")]
        if not paths:
            raise UsageError("nothing to validate: give paths, or set baseline and regions in "
                             "cosmicdiff.toml")
    names = shipped_baselines()
    shipped = [names[str(p)] if not p.exists() and str(p) in names else p for p in paths]
    failed = 0
    for checked in validate_paths(shipped):
        for p in checked.problems:
            typer.echo(str(p))
        for w in checked.warnings:
            where = w.path if w.line is None else f"{w.path}:{w.line}"
            typer.echo(f"{where}: warning: {w.message}" + (
                f" ({w.context})" if w.context else ""))
        if checked.problems or (strict and checked.warnings):
            failed += 1
        elif not checked.problems:
            typer.echo(f"ok: {checked.summary()}" + (
                f" ({len(checked.warnings)} warning(s))" if checked.warnings else ""))
    if failed and not _STATE["quiet"]:
        _err(f"cosmicdiff: {failed} of {len(paths)} input(s) have problems")
    if failed:
        return int(ExitCode.INPUT)
    return int(ExitCode.OK)


@app.command("rules")
@guarded
def list_rules() -> int:
    """List every rule: code, name, default severity and what it finds."""
    from cosmicdiff.rules import ALL_RULES

    for rule in ALL_RULES:
        typer.echo(f"{rule.code}  {rule.name:28} {rule.default_severity.value:8} {rule.summary}")
    return 0


@app.command()
@guarded
def explain(code: Annotated[str, typer.Argument(help="Rule code or name, e.g. CD105.")]) -> int:
    """Print one rule's documentation."""
    from cosmicdiff.rules import get_rule

    rule = get_rule(code)
    typer.echo(f"{rule.code} {rule.name} (default severity: {rule.default_severity.value})\n")
    typer.echo(rule.doc().replace("**", ""))
    return 0


@app.command("config")
@guarded
def show_config() -> int:
    """Print the effective settings and where each value came from."""
    from cosmicdiff.cli.settings import render_settings

    typer.echo(render_settings(_settings()), nl=False)
    return 0


@app.command("formats")
@guarded
def list_formats() -> int:
    """List the input formats and how a file's format is chosen."""
    from cosmicdiff.parsers import FORMATS

    for fmt in FORMATS.values():
        typer.echo(f"{fmt.name:<16} {fmt.description}")
    typer.echo("\nA file's format is chosen by its extension and first bytes: .adl archetype; "
               ".opt (or .xml with the openEHR namespace) template; .json with resourceType "
               "FHIR, other .json a term catalogue; .csv with a datatype column a term "
               "catalogue, else a keyword list; .xml COSMIC export; .yaml/.yml the YAML form. "
               "--input-format and --baseline-format override it.")
    return 0


@app.command("init")
@guarded
def init(
    target: Annotated[Path, typer.Argument(help="Folder of the new configuration repository.")],
    kind: Annotated[str, typer.Option(
        "--kind", help="region (one region's repository) or programme (the eSPiR "
                       "programme's).")] = "region",
    region: Annotated[str | None, typer.Option(
        "--region", help="Region id: jonkoping, ostergotland or kalmar.")] = None,
    ci: Annotated[str | None, typer.Option(
        "--ci", help="Add a CI file: gitlab, azure or github.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> int:
    """Scaffold a configuration repository: settings, folders, CI file, pre-commit config."""
    from cosmicdiff.authoring.scaffold import scaffold
    from cosmicdiff.parsers import display_path

    written = scaffold(target, kind=kind, ci=ci, region=region, force=force)
    for path in written:
        typer.echo(f"wrote {display_path(path)}")
    return 0


class MatrixFormat(StrEnum):
    """Output formats of the matrix."""

    TEXT = "text"
    JSON = "json"
    HTML = "html"
    CSV = "csv"
    XLSX = "xlsx"


@app.command("matrix")
@guarded
def matrix(
    regions: Annotated[list[Path] | None, typer.Argument(
        help="Region export folders or files (default: regions in the settings file).",
        show_default=False)] = None,
    baseline: Annotated[str | None, typer.Option(
        "--baseline", "-b", help="Baseline folder or file, or 'espir'.")] = None,
    from_result: Annotated[Path | None, typer.Option(
        "--from-result", help="Build the matrix from a saved JSON result instead of "
                              "comparing.")] = None,
    case: Annotated[list[str] | None, typer.Option(
        "--case", help="Only this case (repeatable).")] = None,
    fmt: Annotated[MatrixFormat | None, typer.Option(
        "--format", "-f", help="Default: text on a terminal, json when piped, or from the "
                               "--output suffix.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write it here "
                                                                      "(atomically).")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", callback=_check_lang, help="Language of names and of the report "
                                             "[default: sv].")] = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Text: show the items where every region follows the baseline too.")]
    = False,
    waivers: Annotated[Path | None, typer.Option("--waivers", help="Waiver file.")] = None,
    today: Annotated[str | None, typer.Option("--today", help="Date for waiver expiry.")]
    = None,
) -> int:
    """The item x region matrix of each case, with the regions' consensus and outliers."""
    from cosmicdiff.reports import matrix as mr
    from cosmicdiff.reports.i18n import report_language
    from cosmicdiff.workshop.matrix import build_matrix

    s = _settings()
    s.override("lang", lang)
    language = report_language(s.get("lang"))
    if from_result is not None:
        if regions or baseline:
            raise UsageError("give either --from-result or --baseline and regions, not both")
        from cosmicdiff.parsers import display_path
        from cosmicdiff.result.json_io import load_result

        if not from_result.is_file():
            raise UsageError(f"{from_result}: result file not found")
        _check_outputs([("--output", output)] if output else [], result=from_result)
        result = load_result(from_result, display_path(from_result))
    else:
        from cosmicdiff.cli.settings import resolve_baseline
        from cosmicdiff.pipeline import CompareOptions
        from cosmicdiff.pipeline import compare as run_compare

        s.override("baseline", baseline)
        s.override("regions", [str(r) for r in regions or ()])
        if not s.get("baseline") or not s.get("regions"):
            raise UsageError("give --baseline and regions (or --from-result RESULT.json)")
        options = CompareOptions(
            cases=tuple(case or ()), waivers=waivers or (Path(s.get("waivers"))
                                                         if s.get("waivers") else None),
            today=_parse_date(today), keep_going=True, lang=s.get("lang"),
            input_format=_input_format(s.get("input-format")),
            baseline_format=_input_format(s.get("baseline-format")))
        base_path = resolve_baseline(s.get("baseline"))
        region_paths = [Path(r) for r in s.get("regions")]
        _check_outputs([("--output", output)] if output else [], settings=s.path,
                       baseline=base_path, regions=region_paths, waivers=options.waivers)
        result = run_compare(base_path, region_paths, options)
    if case:
        import dataclasses

        result.select(cases=case)  # refuses an unknown case
        # only narrow the cases: a deviation counts in every case of its item, and select()
        # would keep it only under its first
        result = dataclasses.replace(result, cases=tuple(c for c in result.cases
                                                         if c[0] in case))
    m = build_matrix(result, case or ())
    chosen = fmt.value if fmt else None
    if chosen is None and output is not None:
        chosen = {".json": "json", ".html": "html", ".htm": "html", ".csv": "csv",
                  ".xlsx": "xlsx", ".txt": "text"}.get(output.suffix.lower())
        if chosen is None:
            raise UsageError(f"cannot tell the format from {output.name!r}; give --format")
    chosen = chosen or ("text" if _is_tty() else "json")
    if chosen == "xlsx" and output is None:
        raise UsageError("a spreadsheet is not written to a terminal; give --output FILE.xlsx")
    data: str | bytes
    if chosen == "json":
        data = mr.render_json(m)
    elif chosen == "csv":
        data = mr.render_csv(m)
    elif chosen == "xlsx":
        data = mr.render_xlsx(m, language)
    elif chosen == "html":
        data = mr.render_html(m, language)
    else:
        to_tty = output is None and _is_tty()
        data = mr.render_text(m, language, width=_width(to_tty), color=to_tty and _color(),
                              show_all=show_all)
    if output is None:
        sys.stdout.write(data if isinstance(data, str) else data.decode())
    else:
        from cosmicdiff.io.output import write_atomic

        write_atomic(output, data)
        if not _STATE["quiet"]:
            counts = m.counts()
            total = {k: sum(c[k] for c in counts.values()) for k in
                     ("baseline", "regions", "outlier", "none")}
            _err(f"cosmicdiff: wrote {output}: {len(m.rows)} rows; " + ", ".join(
                f"{v} {k}" for k, v in total.items()))
    failed = [r for r in result.regions if not r.compared]
    for region in failed:
        _err(f"{region.source}: not compared: {region.error}")
    # like compare: a region that could not be read is never a clean column
    return int(ExitCode.INPUT) if failed else 0


baseline_app = typer.Typer(help="Evolve the baseline: a draft from the regions' consensus, "
                                 "and what a new version changes.", no_args_is_help=True)
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("propose")
@guarded
def baseline_propose(
    regions: Annotated[list[Path], typer.Argument(help="Region export folders or files.",
                                                  show_default=False)],
    baseline: Annotated[str, typer.Option("--baseline", "-b",
                                          help="The current baseline folder, or 'espir'.")],
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Write the draft baseline into this new folder (baseline.yaml, "
                               "model.yaml, PROPOSAL.md; rules.yaml and waivers.yaml copied). "
                               "Without it, show the proposal only.")] = None,
    version: Annotated[str | None, typer.Option(
        "--version", help="Version of the draft [default: <current>-proposal].")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Summary: text or json.")] = "text",
    force: Annotated[bool, typer.Option("--force", help="Write into an existing folder.")]
    = False,
    today: Annotated[str | None, typer.Option("--today", help="Date for waiver expiry.")]
    = None,
) -> int:
    """Draft a baseline from the regions' majority, with the provenance of every change."""
    import json

    import yaml

    from cosmicdiff.authoring.yaml_writer import baseline_yaml, export_yaml
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.io.output import write_atomic
    from cosmicdiff.parsers.folder import folder_file
    from cosmicdiff.pipeline import CompareOptions, load_checked_baseline
    from cosmicdiff.pipeline import compare as run_compare
    from cosmicdiff.workshop.baseline import propose, proposed_baseline

    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: use text or json")
    base_path = resolve_baseline(baseline)
    if output is not None:
        names = ["baseline.yaml", "model.yaml", *(n for n in ("rules.yaml", "waivers.yaml")
                                                  if (base_path / n).is_file()), "PROPOSAL.md"]
        _check_outputs([("--output", output / name) for name in names], baseline=base_path,
                       regions=regions)
    result = run_compare(base_path, regions, CompareOptions(today=_parse_date(today),
                                                            fail_on=None))
    failed = [r for r in result.regions if not r.compared]
    if failed:
        raise UsageError(f"{failed[0].source}: not compared: {failed[0].error}")
    current = load_checked_baseline(base_path)
    prop = propose(current, result)
    new_version = version or f"{current.version}-proposal"
    draft = proposed_baseline(current, prop, new_version)
    regions_text = ", ".join(r.id for r in result.regions)
    summary = {"baseline": {"id": current.id, "version": current.version},
               "draft_version": new_version, "regions": [r.id for r in result.regions],
               "counts": prop.counts(), "templates_removed": prop.templates_removed,
               "votes": [v.to_json() for v in prop.votes], "additions": prop.additions}
    if output is not None:
        if output.exists() and any(output.iterdir()) and not force:
            raise UsageError(f"{output}: folder exists and is not empty; use --force")
        output.mkdir(parents=True, exist_ok=True)
        header = [f"Draft of {current.name} {new_version}, proposed by cosmicdiff from the "
                  f"consensus of {regions_text}",
                  f"on {result.evaluated_on}; base: {current.id} {current.version}. Comments "
                  "starting 'proposed:' say where a change comes from. A draft for a "
                  "person to review."]
        write_atomic(output / "baseline.yaml", baseline_yaml(draft, new_version, header))
        write_atomic(output / "model.yaml", export_yaml(draft.export, header, prop.notes))
        for name in ("rules.yaml", "waivers.yaml"):  # the draft succeeds the current version
            if (own := folder_file(base_path, name)) is not None:  # never a link to outside
                write_atomic(output / name, own.read_bytes())
        # Markdown, not YAML: a .yaml file in a baseline folder would be read as model data
        write_atomic(output / "PROPOSAL.md", "\n".join([
            f"# Proposal: {current.name} {new_version}", "", *[f"{h}" for h in header], "",
            "Every vote (each compared region's value for a changed attribute), the "
            "additions a majority shares and the templates dropped:", "", "```yaml",
            yaml.safe_dump({"schema": "cosmicdiff/baseline-proposal/1", **summary},
                           allow_unicode=True, sort_keys=False, width=100).rstrip(),
            "```", ""]))
        load_checked_baseline(output)  # the draft must itself be a valid baseline
    if fmt == "json":
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        c = prop.counts()
        typer.echo(f"Draft {current.id} {new_version} from {regions_text}: {c['change']} "
                   f"change(s), {c['tie']} tie(s) to decide, {c['listed']} structural "
                   f"difference(s) listed, {c['additions']} addition(s) shared by a majority.")
        for v in prop.votes:
            if v.outcome == "listed":
                continue
            what = v.kind if v.field is None else f"{v.kind} [{v.field}]"
            where = f" in {v.template}" if v.template else ""
            votes = "; ".join(f"{r}: {val}" for r, val in sorted(v.votes.items()))
            mark = "CHANGE" if v.outcome == "change" else "TIE   "
            typer.echo(f"  {mark} {v.entity} {v.baseline_id}{where} {what}: "
                       f"{v.baseline_value!r} -> {v.value!r}  ({votes})"
                       if v.outcome == "change" else
                       f"  {mark} {v.entity} {v.baseline_id}{where} {what}: baseline "
                       f"{v.baseline_value!r}  ({votes})")
        for add in prop.additions:
            typer.echo(f"  ADD    {add['entity']} {add['name']!r} in {add['in'] or '-'} "
                       f"({', '.join(f'{r}: {i}' for r, i in add['regions'].items())})"
                       f"{'' if add.get('applied') else ' — placement for a person to decide'}")
        if prop.templates_removed:
            typer.echo(f"  templates removed: {', '.join(prop.templates_removed)}")
        if output is not None:
            typer.echo(f"wrote {output}/baseline.yaml, model.yaml, PROPOSAL.md")
    return 0


@baseline_app.command("diff")
@guarded
def baseline_diff(
    old: Annotated[str, typer.Argument(help="The old baseline (folder or 'espir').")],
    new: Annotated[str, typer.Argument(help="The new baseline folder.")],
    regions: Annotated[list[Path] | None, typer.Argument(
        help="Regions to score under both versions.", show_default=False)] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    today: Annotated[str | None, typer.Option("--today", help="Date for waiver expiry.")]
    = None,
) -> int:
    """What changed between two baseline versions, and which regions it helps or hurts."""
    import json

    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.diff.region import diff_region
    from cosmicdiff.match.identity import match_region
    from cosmicdiff.match.scope import build_scope
    from cosmicdiff.pipeline import CompareOptions, load_checked_baseline
    from cosmicdiff.pipeline import compare as run_compare
    from cosmicdiff.workshop.baseline import baseline_as_region, version_changes

    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: use text or json")
    old_path, new_path = resolve_baseline(old), resolve_baseline(new)
    b_old, b_new = load_checked_baseline(old_path), load_checked_baseline(new_path)
    as_region = baseline_as_region(b_new)
    raw = diff_region(b_old, build_scope(b_old), as_region,
                      match_region(as_region, b_old)).deviations
    region_paths = list(regions or ())
    options = CompareOptions(today=_parse_date(today), fail_on=None)
    before = run_compare(old_path, region_paths, options) if region_paths else None
    after = run_compare(new_path, region_paths, options) if region_paths else None
    ids = [r.id for r in before.regions if r.compared] if before else []
    changes = version_changes(raw, ids, before, after)
    scores: dict[str, dict[str, dict[str, float | None]]] = {}
    for rid in ids:
        assert before is not None and after is not None
        cases = dict.fromkeys([*before.scores.get(rid, {}), *after.scores.get(rid, {})])
        scores[rid] = {c: {"old": (before.scores[rid][c].after_waivers
                                   if c in before.scores.get(rid, {}) else None),
                           "new": (after.scores[rid][c].after_waivers
                                   if c in after.scores.get(rid, {}) else None)}
                       for c in cases}
    doc = {"schema": "cosmicdiff/baseline-diff/1",
           "old": {"id": b_old.id, "version": b_old.version},
           "new": {"id": b_new.id, "version": b_new.version},
           "changes": [c.to_json() for c in changes], "scores": scores}
    if fmt == "json":
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return 0
    typer.echo(f"{b_old.id} {b_old.version} -> {b_new.id} {b_new.version}: "
               f"{len(changes)} change(s)")
    for c in changes:
        what = c.kind if c.field is None else f"{c.kind} [{c.field}]"
        ident = c.old_id or c.new_id
        vals = f": {c.old!r} -> {c.new!r}" if (c.old or c.new) else ""
        who = ""
        if c.helps:
            who += f"  helps {', '.join(c.helps)}"
        if c.hurts:
            who += f"  hurts {', '.join(c.hurts)}"
        typer.echo(f"  {c.entity} {ident} {what}{vals}{who}")
    for rid, per_case in scores.items():
        parts = []
        for case, sc in per_case.items():
            o, n = sc["old"], sc["new"]
            parts.append(f"{case} {'–' if o is None else f'{o:.0%}'} -> "
                         f"{'–' if n is None else f'{n:.0%}'}")
        typer.echo(f"  {rid}: " + ", ".join(parts))
    return 0


def main() -> None:
    """Console-script entry point.

    Standard output and error are set up first (see cosmicdiff.io.stdio): a closed or full
    standard output is one line and exit 2, also when it shows only at the final flush.
    The process ends with ``os._exit`` once stdout and stderr are flushed: every output file
    is written and closed by then, and tearing down a regional-scale model object by object
    would only add a fifth of a second to every run (mypy exits the same way).
    """
    from cosmicdiff.io import stdio

    stdio.install()
    try:
        app(prog_name="cosmicdiff")
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise  # a message to print: let Python do it
        code = exc.code or 0
    except stdio.StandardOutputError as exc:  # outside a command: --help, --version
        stdio.write_error(exc.message())
        stdio.silence_stdout()
        code = int(ExitCode.INPUT)
    else:
        code = 0
    os._exit(stdio.finish(code))


# commands defined in their own modules register themselves on `app`
from cosmicdiff.cli import decisions as cli_decisions  # noqa: E402,F401
from cosmicdiff.cli import suggest as cli_suggest  # noqa: E402,F401
from cosmicdiff.cli import waivers as cli_waivers  # noqa: E402
