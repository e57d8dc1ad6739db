"""The ``suggest-mapping`` command: draft mapping.yaml entries for a person to confirm.

The scoring and rendering live in ``cosmicdiff.match.suggest``, imported only when the
command runs (it pulls in rapidfuzz), so that ``cosmicdiff --help`` stays fast.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cosmicdiff.cli.common import check_outputs
from cosmicdiff.cli.paths import GLOB_HELP, expand_path, posix, refuse_folder_output
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import ExitCode


class SuggestFormat(StrEnum):
    """Output forms of suggest-mapping."""

    YAML = "yaml"
    JSON = "json"


def suggest_mapping(
    region: Annotated[
        Path,
        typer.Argument(
            metavar="REGION",
            help="The region export folder or file. " + GLOB_HELP,
            show_default=False,
            callback=expand_path,
        ),
    ],
    baseline: Annotated[
        str,
        typer.Option(
            "--baseline",
            "-b",
            metavar="DIR",
            help="Baseline folder, or 'espir' for the shipped eSPiR baseline.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the draft here (atomically) and print a summary table; "
            "default: the draft to stdout.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite the --output file if it exists.")
    ] = False,
    min_score: Annotated[
        float | None,
        typer.Option(
            "--min-score",
            min=0.0,
            max=1.0,
            metavar="SCORE",
            help="Least score (0 to 1) of a suggestion [default: 0.7, measured with "
            "benchmarks/suggest_quality.py].",
        ),
    ] = None,
    fmt: Annotated[
        SuggestFormat,
        typer.Option(
            "--format",
            "-f",
            help="yaml: a draft mapping.yaml with every suggestion commented "
            "out; json: the suggestions with their evidence.",
        ),
    ] = SuggestFormat.YAML,
) -> ExitCode:
    """Suggest mapping.yaml entries for items that match nothing, by name, values and structure.

    Region templates, keywords and value lists that no identity step pairs (mapping, id,
    binding, normalised name) are scored against the baseline items nobody pairs with. The
    best candidates above --min-score are written as a draft mapping.yaml in which every
    suggestion is commented out, with its score and evidence: nothing is applied until a
    person uncomments it. Exit 0, also when there are suggestions; 2 for unusable input.
    """
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.io.output import write_atomic
    from cosmicdiff.match.identity import match_region
    from cosmicdiff.match.suggest import (
        DEFAULT_MIN_SCORE,
        print_summary,
        render_json,
        render_yaml,
    )
    from cosmicdiff.match.suggest import suggest_mapping as suggest
    from cosmicdiff.pipeline import load_checked_baseline, load_checked_region

    base_path = resolve_baseline(baseline)
    refuse_folder_output(output, f"mapping-draft.{fmt.value}")
    check_outputs([("--output", output)] if output else [], baseline=base_path, regions=[region])
    if output is not None and output.exists() and not force:
        raise UsageError(f"{posix(output)}: exists; give --force to overwrite it")
    threshold = DEFAULT_MIN_SCORE if min_score is None else min_score
    base = load_checked_baseline(base_path)
    export = load_checked_region(region)
    suggestions = suggest(export, base, match_region(export, base), threshold)
    text = (
        render_json(suggestions)
        if fmt is SuggestFormat.JSON
        else render_yaml(suggestions, export, base, threshold)
    )
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return ExitCode.OK
    write_atomic(output, text)
    from rich.console import Console

    print_summary(suggestions, Console(highlight=False))
    typer.echo(
        f"wrote {fmt.value} draft {posix(output)}: {len(suggestions)} suggestion(s), none applied"
    )
    return ExitCode.OK
