"""Read what a baseline folder configures: its rules.yaml and its waivers."""

from __future__ import annotations

from pathlib import Path

from cosmicdiff.errors import ConfigError, InputErrors, Problem, UsageError
from cosmicdiff.model import Baseline
from cosmicdiff.parsers import display_path
from cosmicdiff.parsers.folder import folder_file
from cosmicdiff.rules.config import RuleSettings, load_rule_settings
from cosmicdiff.rules.waivers import Waiver, load_waivers


def load_baseline_config(
    baseline: Baseline, folder: Path, waivers: Path | None = None
) -> tuple[RuleSettings, list[Waiver]]:
    """Read what a baseline folder configures: its rules.yaml and its waivers.

    The waivers come from ``waivers`` when given, else from the folder's waivers.yaml.
    compare and validate both read them here, so validate refuses whatever compare would;
    the problems of both files are raised together.
    """
    problems: list[Problem] = []
    settings, found = RuleSettings(), []
    # the folder's own files: a link to outside the folder is not read (scan_folder notes it);
    # a --waivers file given on the command line is read wherever it points
    rules_file = folder_file(folder, "rules.yaml") if folder.is_dir() else None
    waiver_file = (
        waivers
        if waivers is not None
        else folder_file(folder, "waivers.yaml")
        if folder.is_dir()
        else None
    )
    if waivers is not None and not waivers.is_file():
        raise UsageError(f"{waivers}: waiver file not found")
    if rules_file is not None:
        shown = display_path(rules_file)
        try:
            settings = load_rule_settings(rules_file, shown, {c.id for c in baseline.cases})
        except ConfigError as exc:
            problems.extend(exc.problems or [Problem(shown, None, exc.message)])
    if waiver_file is not None and waiver_file.is_file():
        shown = display_path(waiver_file)
        try:
            found = load_waivers(waiver_file, shown)
        except ConfigError as exc:
            problems.extend(exc.problems or [Problem(shown, None, exc.message)])
    if problems:
        raise InputErrors(problems)
    return settings, found
