"""Output formats: one Reporter per format, registered explicitly."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.reports.gitlab import GitLabReporter
from cosmicdiff.reports.json_report import JsonReporter
from cosmicdiff.reports.junit import JUnitReporter
from cosmicdiff.reports.sarif import SarifReporter
from cosmicdiff.reports.terminal import TerminalReporter


class OutputFormat(StrEnum):
    """The formats ``compare --format`` writes."""

    TEXT = "text"
    JSON = "json"
    JUNIT = "junit"
    SARIF = "sarif"
    GITLAB = "gitlab"


REPORTERS: Mapping[OutputFormat, type[Reporter]] = {
    OutputFormat.TEXT: TerminalReporter,
    OutputFormat.JSON: JsonReporter,
    OutputFormat.JUNIT: JUnitReporter,
    OutputFormat.SARIF: SarifReporter,
    OutputFormat.GITLAB: GitLabReporter,
}

__all__ = ["OutputFormat", "REPORTERS", "RenderContext", "Reporter"]
