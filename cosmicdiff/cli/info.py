"""The commands that describe cosmicdiff itself: ``rules``, ``explain``, ``config``, ``formats``."""

from __future__ import annotations

from typing import Annotated

import typer

from cosmicdiff.cli.common import color, is_tty, run_settings, width
from cosmicdiff.vocabulary import ExitCode


def list_rules() -> ExitCode:
    """List every rule: code, name, default severity and what it finds."""
    from cosmicdiff.rules import ALL_RULES

    for rule in ALL_RULES:
        typer.echo(f"{rule.code}  {rule.name:28} {rule.default_severity.value:8} {rule.summary}")
    return ExitCode.OK


def explain(
    code: Annotated[str, typer.Argument(metavar="RULE", help="Rule code or name, e.g. CD105.")],
) -> ExitCode:
    """Print one rule's documentation (Markdown; rendered on a terminal)."""
    from cosmicdiff.rules import get_rule
    from cosmicdiff.rules.docs import rule_markdown

    rule = get_rule(code)
    head = f"{rule.code} {rule.name} (default severity: {rule.default_severity.value})"
    body = rule_markdown(rule)
    if not is_tty():
        typer.echo(f"{head}\n\n{body}")
        return ExitCode.OK
    from rich.console import Console
    from rich.markdown import Markdown

    console = Console(width=min(width(True), 100), no_color=not color(), highlight=False)
    console.print(head, style="bold", markup=False)
    console.print()
    console.print(Markdown(body))
    return ExitCode.OK


def show_config() -> ExitCode:
    """Print the effective settings and where each value came from."""
    from cosmicdiff.cli.settings import render_settings

    typer.echo(render_settings(run_settings()), nl=False)
    return ExitCode.OK


def list_formats() -> ExitCode:
    """List the input formats and how a file's format is chosen."""
    from cosmicdiff.parsers import FORMATS

    for fmt in FORMATS.values():
        typer.echo(f"{fmt.name:<16} {fmt.description}")
    typer.echo(
        "\nA file's format is chosen by its extension and first bytes: .adl archetype; "
        ".opt (or .xml with the openEHR namespace) template; .json with resourceType "
        "FHIR, other .json a term catalogue; .csv with a datatype column a term "
        "catalogue, else a keyword list; .xlsx a keyword list workbook; .xml COSMIC export; "
        ".yaml/.yml the YAML form. "
        "--input-format and --baseline-format override it."
    )
    return ExitCode.OK
