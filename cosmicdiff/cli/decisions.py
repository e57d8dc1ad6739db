"""The ``cosmicdiff decisions`` commands: the workshop round trip.

``decisions template RESULT.json`` writes a file to fill in (YAML or XLSX), one row per
deviation; ``decisions apply FILE`` checks a filled one and turns it into waivers, a baseline
change proposal and the regions' work lists (only with ``--write``; otherwise it shows what
it would write). The logic lives in ``cosmicdiff.workshop.decisions``.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cosmicdiff.cli import options as o
from cosmicdiff.cli.choices import MinSeverity
from cosmicdiff.cli.common import check_outputs, current_run, err, parse_date
from cosmicdiff.cli.paths import GLOB_HELP, expand_path, refuse_folder_output
from cosmicdiff.errors import UsageError
from cosmicdiff.vocabulary import ExitCode

HELP = (
    "Workshop decisions: a file to fill in per deviation, and applying it (waivers, a "
    "baseline change proposal, the regions' work lists)."
)


class Lang(StrEnum):
    """Language of the explanations in a decisions file."""

    SV = "sv"
    EN = "en"


class DecisionsFormat(StrEnum):
    """Formats of a decisions file."""

    YAML = "yaml"
    XLSX = "xlsx"


def _format_of(fmt: DecisionsFormat | None, output: Path | None) -> DecisionsFormat:
    if fmt is not None:
        return fmt
    if output is None:
        return DecisionsFormat.YAML
    suffix = output.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return DecisionsFormat.YAML
    if suffix == ".xlsx":
        return DecisionsFormat.XLSX
    raise UsageError(f"cannot tell the format from {output.name!r}; give --format yaml or xlsx")


def template(
    result_file: o.ResultFile,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the file here (atomically); default: YAML on stdout.",
        ),
    ] = None,
    fmt: Annotated[
        DecisionsFormat | None,
        typer.Option(
            "--format", "-f", help="yaml or xlsx; default: from the --output suffix, else yaml."
        ),
    ] = None,
    lang: Annotated[
        Lang,
        typer.Option(
            "--lang",
            help="Language of what a person reads: a workbook's headers, cells and decision "
            "choices in the report's words, the comments of YAML (its keys and codes stay "
            "English).",
        ),
    ] = Lang.SV,
    region: Annotated[
        list[str] | None,
        typer.Option(
            "--region", metavar="REGION", help="Only this region's deviations (repeatable)."
        ),
    ] = None,
    case: Annotated[
        list[str] | None,
        typer.Option("--case", metavar="CASE", help="Only this case's deviations (repeatable)."),
    ] = None,
    min_severity: Annotated[
        MinSeverity | None,
        typer.Option("--min-severity", help="Only deviations at or above this severity."),
    ] = None,
    include_allowed: Annotated[
        bool,
        typer.Option(
            "--include-allowed",
            help="Include allowed local extensions (left out by default: "
            "the rules already allow them).",
        ),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
) -> ExitCode:
    """Write a decisions file to fill in: one row per deviation of a saved result."""
    from cosmicdiff.io.output import write_atomic
    from cosmicdiff.parsers import display_path
    from cosmicdiff.result.json_io import load_result
    from cosmicdiff.workshop.decisions import render_xlsx, render_yaml, template_from_result

    refuse_folder_output(
        output, "decisions.xlsx" if fmt == DecisionsFormat.XLSX else "decisions.yaml"
    )
    chosen = _format_of(fmt, output)
    if output is None and chosen is DecisionsFormat.XLSX:
        raise UsageError("an Excel workbook is not written to stdout; give --output FILE.xlsx")
    check_outputs([("--output", output)] if output else [], result=result_file)
    if output is not None and output.exists() and not force:
        raise UsageError(f"{display_path(output)}: already exists; give --force to replace it")
    result = load_result(result_file, display_path(result_file))
    shown = result.select(
        cases=case or (),
        regions=region or (),
        min_severity=min_severity.severity if min_severity else None,
    )
    filters = (
        [f"--region={r}" for r in region or ()]
        + [f"--case={c}" for c in case or ()]
        + ([f"--min-severity={min_severity.value}"] if min_severity else [])
    )
    doc = template_from_result(
        shown, display_path(result_file), lang.value, filters, include_allowed
    )
    data = render_xlsx(doc) if chosen is DecisionsFormat.XLSX else render_yaml(doc)
    if output is None:
        sys.stdout.write(str(data))
        sys.stdout.flush()
    else:
        write_atomic(output, data)
    if not current_run().quiet:
        where = display_path(output) if output is not None else "stdout"
        err(
            f"cosmicdiff: {len(doc.rows)} deviation(s) to decide written to {where} "
            f"({chosen.value})"
        )
    return ExitCode.OK


def apply(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A filled decisions file (.yaml or .xlsx). " + GLOB_HELP,
            show_default=False,
            callback=expand_path,
        ),
    ],
    baseline: Annotated[
        str | None,
        typer.Option(
            "--baseline",
            "-b",
            metavar="DIR",
            help="Baseline folder (or 'espir'): check the rows against it "
            "and show in the proposal where each item is defined.",
        ),
    ] = None,
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers",
            metavar="FILE",
            help="Waiver file to merge the accepted rows into (created if missing; "
            "entries with the same id are replaced).",
        ),
    ] = None,
    proposal: Annotated[
        Path | None,
        typer.Option(
            "--proposal",
            metavar="FILE",
            help="Write the baseline change proposal (adopt and align rows) here.",
        ),
    ] = None,
    write: Annotated[
        bool,
        typer.Option(
            "--write", help="Write the files; without it, only show what would be written."
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing proposal file.")
    ] = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", metavar="DATE", help="Date for expiry checks (YYYY-MM-DD); default: today."
        ),
    ] = None,
) -> ExitCode:
    """Check a filled decisions file and turn it into waivers and a baseline proposal.

    accept rows become waivers (merged into --waivers), adopt rows become changes in the
    proposal (with conflicts between regions), align rows the regions' work lists. Every
    problem of the file is listed with file:line (or sheet!cell) and nothing is written
    (exit 2). Without --write, prints a unified diff of what it would write.
    """
    from cosmicdiff.cli.settings import resolve_baseline
    from cosmicdiff.errors import InputErrors
    from cosmicdiff.io.output import write_atomic
    from cosmicdiff.parsers import display_path, load_baseline
    from cosmicdiff.workshop.decisions import (
        check_baseline,
        plan_apply,
        read_decisions,
        unified_diff,
    )

    if not file.is_file():
        raise UsageError(f"{display_path(file)}: decisions file not found")
    doc = read_decisions(file, display_path(file), parse_date(today))
    base = None
    base_path = resolve_baseline(baseline) if baseline is not None else None
    _check_apply_outputs(file, base_path, waivers, proposal)
    if base_path is not None:
        base = load_baseline(base_path)
        problems = check_baseline(doc, base, display_path(base_path))
        if problems:
            raise InputErrors(problems)
    wshown = display_path(waivers) if waivers is not None else "<--waivers FILE>"
    plan = plan_apply(doc, waivers, wshown, base)
    pshown = display_path(proposal) if proposal is not None else "<--proposal FILE>"
    old_proposal = None
    if proposal is not None and proposal.is_file():
        old_proposal = proposal.read_text(encoding="utf-8", errors="replace")
    if write:
        _check_targets(
            plan.waivers_new, waivers, plan.proposal_new, proposal, old_proposal, force, pshown
        )
    changes = []
    if plan.waivers_new is not None and plan.waivers_new != plan.waivers_old:
        changes.append((waivers, wshown, plan.waivers_old, plan.waivers_new))
    if plan.proposal_new is not None and plan.proposal_new != old_proposal:
        changes.append((proposal, pshown, old_proposal, plan.proposal_new))
    for target, shown, old, new in changes:
        if write and target is not None:
            write_atomic(target, new)
        elif not write:
            sys.stdout.write(unified_diff(old, new, shown))
    sys.stdout.flush()
    if not current_run().quiet:
        err(_summary(plan, write, [shown for _, shown, _, _ in changes]))
        if proposal is not None and plan.proposal_new is None:
            err(_nothing_to_propose(plan, pshown, write, old_proposal is not None))
    return ExitCode.OK


def _nothing_to_propose(plan: object, pshown: str, write: bool, exists: bool) -> str:
    """Say why --proposal gets no file: no row is decided adopt or align."""
    from cosmicdiff.workshop.decisions import ApplyPlan

    assert isinstance(plan, ApplyPlan)
    c = plan.counts()
    rows = len(plan.decisions.rows)
    decided = rows - c["undecided"]
    if write:
        left = "left as it is" if exists else "not written"
    else:
        left = "would be left as it is" if exists else "would not be written"
    return (
        f"cosmicdiff: nothing to propose: {rows} row(s), {decided} decided, none adopt "
        f"(into the baseline) or align (the region aligns); {pshown} {left}"
    )


def _check_apply_outputs(
    file: Path, base_path: Path | None, waivers: Path | None, proposal: Path | None
) -> None:
    """Refuse --waivers or --proposal on an input (or on each other) before reading anything.

    --waivers is read and rewritten on purpose (accepted rows are merged into it), and may
    be the baseline's own waivers.yaml; --proposal may not.
    """
    from cosmicdiff.io.output_check import Output, check_outputs, run_inputs

    outputs = [
        Output(label, path)
        for label, path in (("--waivers", waivers), ("--proposal", proposal))
        if path
    ]
    if not outputs:
        return
    inputs = list(run_inputs(decisions=file, baseline=base_path))
    own = base_path / "waivers.yaml" if base_path is not None else None
    check_outputs(outputs, [i for i in inputs if i.path != own])
    if proposal is not None:
        check_outputs([Output("--proposal", proposal)], inputs)


def _check_targets(
    waivers_new: str | None,
    waivers: Path | None,
    proposal_new: str | None,
    proposal: Path | None,
    old_proposal: str | None,
    force: bool,
    pshown: str,
) -> None:
    """Refuse --write before anything is written when an output has no place to go."""
    missing = []
    if waivers_new is not None and waivers is None:
        missing.append("accept rows need --waivers FILE")
    if proposal_new is not None and proposal is None:
        missing.append("adopt/align rows need --proposal FILE")
    if missing:
        raise UsageError("cannot --write: " + "; ".join(missing))
    if (
        proposal_new is not None
        and old_proposal is not None
        and old_proposal != proposal_new
        and not force
    ):
        raise UsageError(
            f"{pshown}: already exists and would change; give --force to "
            "replace it (run without --write to see the difference)"
        )


def _summary(plan: object, write: bool, changed: list[str]) -> str:
    from cosmicdiff.workshop.decisions import ApplyPlan

    assert isinstance(plan, ApplyPlan)
    c = plan.counts()
    text = (
        f"cosmicdiff: {plan.decisions.display}: {len(plan.decisions.rows)} row(s): "
        f"{c['accept']} accept, {c['adopt']} adopt, {c['align']} align, "
        f"{c['undecided']} undecided"
    )
    if plan.waivers_new is not None:
        text += f"; waivers: {plan.added} new, {plan.replaced} replaced"
    if plan.proposal_new is not None:
        text += f"; proposal: {plan.conflicts} conflict(s)"
    if not changed:
        return text + "; nothing to write"
    verb = "wrote" if write else "would write"
    return (
        text + f"; {verb} {', '.join(changed)}" + ("" if write else " (run with --write to write)")
    )
