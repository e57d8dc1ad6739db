"""The ``init`` command: scaffold a configuration repository."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cosmicdiff.vocabulary import ExitCode


def init(
    target: Annotated[
        Path, typer.Argument(metavar="DIR", help="Folder of the new configuration repository.")
    ],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="region (one region's repository) or programme (the eSPiR programme's).",
        ),
    ] = "region",
    region: Annotated[
        str | None,
        typer.Option(
            "--region", metavar="REGION", help="Region id: jonkoping, ostergotland or kalmar."
        ),
    ] = None,
    ci: Annotated[
        str | None,
        typer.Option("--ci", metavar="CI", help="Add a CI file: gitlab, azure or github."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> ExitCode:
    """Scaffold a configuration repository: settings, folders, CI file, pre-commit config."""
    from cosmicdiff.authoring.scaffold import scaffold
    from cosmicdiff.parsers import display_path

    written = scaffold(target, kind=kind, ci=ci, region=region, force=force)
    for path in written:
        typer.echo(f"wrote {display_path(path)}")
    return ExitCode.OK
