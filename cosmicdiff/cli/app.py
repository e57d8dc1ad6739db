"""The command line's front door: the typer app, its global options, its commands, and the
one place where errors become messages and exit statuses.

Exit statuses: 0 clean, 1 deviations at or above ``--fail-on``, 2 unusable input or
arguments, 3 an internal error (a bug); 130 when interrupted, 128 + N when ended by signal N.
Each command lives in the module of its group, returns an ExitCode and is registered here,
explicitly (:func:`_register`); no command module imports this one.
"""

from __future__ import annotations

import functools
import gc
import os
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from cosmicdiff import EXPORT_FORMAT_VERSION, RESULT_SCHEMA, __version__
from cosmicdiff.cli import (
    baseline,
    check,
    compare,
    decisions,
    info,
    init,
    matrix,
    report,
    suggest,
    trend,
    waivers,
)
from cosmicdiff.cli.common import RunState, current_run, err, start_run, use_sheet
from cosmicdiff.cli.helpformat import Command
from cosmicdiff.errors import CosmicdiffError, excerpt
from cosmicdiff.vocabulary import ExitCode

app = typer.Typer(
    name="cosmicdiff",
    help="Compare COSMIC configuration exports of the regions with the shared eSPiR baseline.",
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
)

F = TypeVar("F", bound=Callable[..., ExitCode])


def guarded(func: F) -> F:
    """Turn a command's ExitCode into the process's exit status and errors into messages.

    See :func:`_exit_status` for what each error prints and the status it ends with; other
    BaseExceptions (SystemExit) pass through.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from cosmicdiff.io.signals import Terminated, raise_on_termination

        # The one place the collector is paused: a command is a short-lived process building
        # a large acyclic model, and every collection would walk all of it again (at
        # regional scale a third of compare and half of the JSON report). The process ends
        # with os._exit, so nothing is ever collected at the end either.
        gc.disable()
        try:
            with raise_on_termination():
                code = func(*args, **kwargs)
        except typer.Exit:
            raise
        except (Exception, KeyboardInterrupt, Terminated) as exc:
            raise typer.Exit(_exit_status(exc)) from None
        finally:
            use_sheet(None)  # --sheet is one command's: nothing carries over in-process
        raise typer.Exit(int(code))

    return wrapper  # type: ignore[return-value]


def _exit_status(exc: BaseException) -> int:
    """Say on stderr what went wrong, in one line per problem, and return the exit status.

    A CosmicdiffError (bad input or arguments), a path the system refuses and a standard
    output that cannot be written exit 2; an interrupt 130, a signal 128 + its number;
    anything else is a bug: exit 3, with the traceback only under ``--debug``. Never 1.
    """
    from cosmicdiff.io.signals import Terminated
    from cosmicdiff.io.stdio import StandardOutputError, silence_stdout

    if isinstance(exc, CosmicdiffError):
        for line in exc.lines():
            err(line)
        return int(ExitCode.INPUT)
    if isinstance(exc, BrokenPipeError):  # the reader went away (`| head`): nobody to tell
        silence_stdout()
        return int(ExitCode.INPUT)
    if isinstance(exc, StandardOutputError):  # closed (>&-) or full (>/dev/full)
        err(exc.message())
        silence_stdout()
        return int(ExitCode.INPUT)
    if isinstance(exc, KeyboardInterrupt):
        err("cosmicdiff: interrupted")
        return 130
    if isinstance(exc, Terminated):  # a cancelled CI job: temporary files are gone by now
        err(f"cosmicdiff: {exc}")
        return exc.exit_status
    if isinstance(exc, OSError) and exc.filename is not None:
        # a path the system refuses (too long, a loop of links, no permission): an input
        # problem, named by its path as far as a message may quote it
        err(
            f"{excerpt(str(exc.filename), 120)}: cannot use this path: "
            f"{exc.strerror or type(exc).__name__}"
        )
        return int(ExitCode.INPUT)
    return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    """Report a bug: one line (the traceback only under --debug); return 3."""
    if current_run().debug or os.environ.get("COSMICDIFF_DEBUG"):
        traceback.print_exception(exc)
    text = " ".join(str(exc).split())  # one line, and not a whole input quoted back
    if len(text) > 200:
        text = text[:200] + "…"
    err(
        f"cosmicdiff: internal error: {type(exc).__name__}: {text} (this is a bug; run with "
        "--debug for details and report it)"
    )
    return int(ExitCode.INTERNAL)


def _version(value: bool) -> None:
    if value:
        typer.echo(
            f"cosmicdiff {__version__} (reads export format {EXPORT_FORMAT_VERSION}, "
            f"writes {RESULT_SCHEMA})"
        )
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="FILE",
            help="Settings file (default: the nearest cosmicdiff.toml or "
            "pyproject.toml with [tool.cosmicdiff], walking up).",
        ),
    ] = None,
    no_config: Annotated[
        bool, typer.Option("--no-config", help="Ignore any settings file.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print nothing on stderr but errors.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Say what is being read and compared.")
    ] = False,
) -> None:
    """Compare COSMIC configuration exports with the shared eSPiR baseline.

    Settings come from cosmicdiff.toml (see docs/settings.md); command-line options override
    them. Shell completion: cosmicdiff --install-completion.
    """
    start_run(
        RunState(
            debug=debug,
            config=config,
            no_config=no_config,
            quiet=quiet,
            verbose=verbose and not quiet,
        )
    )


def _group(name: str, help_text: str, commands: Mapping[str, Callable[..., ExitCode]]) -> None:
    """Add a command group (``cosmicdiff NAME COMMAND``) with its guarded commands."""
    group = typer.Typer(help=help_text, no_args_is_help=True)
    for command, func in commands.items():
        group.command(command, cls=Command)(guarded(func))
    app.add_typer(group, name=name)


def _register() -> None:
    """Add every command to the app, in the order ``cosmicdiff --help`` lists them."""
    app.command("compare", cls=Command)(guarded(compare.compare))
    app.command("report", cls=Command)(guarded(report.report))
    app.command("validate", cls=Command)(guarded(check.validate))
    app.command("rules", cls=Command)(guarded(info.list_rules))
    app.command("explain", cls=Command)(guarded(info.explain))
    app.command("config", cls=Command)(guarded(info.show_config))
    app.command("formats", cls=Command)(guarded(info.list_formats))
    app.command("init", cls=Command)(guarded(init.init))
    app.command("matrix", cls=Command)(guarded(matrix.matrix))
    app.command("trend", cls=Command)(guarded(trend.trend))
    app.command("suggest-mapping", cls=Command)(guarded(suggest.suggest_mapping))
    _group("waivers", waivers.HELP, {"check": waivers.waivers_check})
    _group("baseline", baseline.HELP, {"propose": baseline.propose, "diff": baseline.diff})
    _group("decisions", decisions.HELP, {"template": decisions.template, "apply": decisions.apply})


_register()


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
