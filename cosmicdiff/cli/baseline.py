"""The ``baseline`` commands: a draft version from the regions' consensus (``propose``), and
what a new version changes (``diff``). The logic lives in ``workshop.propose`` and
``workshop.baseline_diff``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from cosmicdiff.cli import options as o
from cosmicdiff.cli.common import check_outputs, parse_date
from cosmicdiff.cli.paths import GLOB_HELP, expand_paths, posix, refuse_folder_of_regions
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import ExitCode

HELP = "Evolve the baseline: a draft from the regions' consensus, and what a new version changes."


def propose(
    regions: Annotated[
        list[Path],
        typer.Argument(
            metavar="REGION",
            help="Region export folders or files. " + GLOB_HELP,
            show_default=False,
            callback=expand_paths,
        ),
    ],
    baseline: Annotated[
        str,
        typer.Option(
            "--baseline", "-b", metavar="DIR", help="The current baseline folder, or 'espir'."
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="DIR",
            help="Write the draft baseline into this new folder (baseline.yaml, "
            "model.yaml, PROPOSAL.md; rules.yaml and waivers.yaml copied). "
            "Without it, show the proposal only.",
        ),
    ] = None,
    version: Annotated[
        str | None,
        typer.Option(
            "--version",
            metavar="VERSION",
            help="Version of the draft [default: <current>-proposal].",
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="[text|json]", help="Summary: text or json.")
    ] = "text",
    force: Annotated[bool, typer.Option("--force", help="Write into an existing folder.")] = False,
    today: o.Today = None,
) -> ExitCode:
    """Draft a baseline from the regions' majority, with the provenance of every change."""
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.workshop.propose import (
        draft_files,
        draft_proposal,
        render_summary,
        write_draft,
    )

    _check_summary_format(fmt)
    refuse_folder_of_regions(regions)
    base_path = resolve_baseline(baseline)
    if output is not None:
        check_outputs(
            [("--output", output / name) for name in draft_files(base_path)],
            baseline=base_path,
            regions=regions,
        )
    draft = draft_proposal(base_path, regions, version, parse_date(today))
    if output is not None:
        if output.exists() and any(output.iterdir()) and not force:
            raise UsageError(f"{posix(output)}: folder exists and is not empty; use --force")
        write_draft(draft, base_path, output)
    if fmt == "json":
        typer.echo(json.dumps(draft.summary(), ensure_ascii=False, indent=2))
        return ExitCode.OK
    typer.echo(render_summary(draft), nl=False)
    if output is not None:
        typer.echo(f"wrote {posix(output)}/baseline.yaml, model.yaml, PROPOSAL.md")
    return ExitCode.OK


def diff(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="The old baseline (folder or 'espir').")
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="The new baseline folder.")],
    regions: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="REGION",
            help="Regions to score under both versions. " + GLOB_HELP,
            show_default=False,
            callback=expand_paths,
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="[text|json]", help="text or json.")
    ] = "text",
    today: o.Today = None,
    terminology: o.Terminology = None,
) -> ExitCode:
    """What changed between two baseline versions, and which regions it helps or hurts."""
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.workshop.baseline_diff import diff_baselines, render_text

    _check_summary_format(fmt)
    refuse_folder_of_regions(regions or ())
    old_path, new_path = resolve_baseline(old), resolve_baseline(new)
    changes = diff_baselines(
        old_path, new_path, list(regions or ()), parse_date(today), tuple(terminology or ())
    )
    if fmt == "json":
        typer.echo(json.dumps(changes.to_json(), ensure_ascii=False, indent=2))
    else:
        typer.echo(render_text(changes), nl=False)
    return ExitCode.OK


def _check_summary_format(fmt: str) -> None:
    """Refuse a --format other than text or json."""
    if fmt not in ("text", "json"):
        raise UsageError(f"--format {fmt!r}: use text or json")
