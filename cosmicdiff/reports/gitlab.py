"""GitLab Code Quality JSON: the merge-request widget's list of findings.

Waived deviations are left out (the widget has no notion of an accepted finding; the JSON
and SARIF reports keep them). Severities: error -> major, warning -> minor, info -> info.

Sample::

    [{"description": "kalmar: keyword ESP-SO-00412 ...", "check_name": "CD105",
      "fingerprint": "3f2a…", "severity": "minor",
      "location": {"path": "examples/regions/kalmar/kalmar.xml", "lines": {"begin": 42}}}]
"""

from __future__ import annotations

from typing import Any

from cosmicdiff.io.json_out import dumps_indented
from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Severity

SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class GitLabReporter(Reporter):
    """Write GitLab Code Quality findings."""

    media_type = "application/json"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the Code Quality JSON array."""
        sources = {r.id: r.source for r in result.regions}
        out: list[dict[str, Any]] = []
        for d in result.deviations:
            if d.waived:
                continue
            loc = d.location or d.baseline_location
            out.append(
                {
                    "type": "issue",
                    "description": f"{d.region}: {d.message}",
                    "check_name": d.rule,
                    "fingerprint": d.id,
                    "severity": SEVERITY[d.severity or Severity.INFO],
                    "categories": ["Style" if d.severity is Severity.INFO else "Bug Risk"],
                    "location": {
                        "path": loc.path if loc else sources.get(d.region, d.region),
                        "lines": {"begin": (loc.line if loc and loc.line else 1)},
                    },
                }
            )
        return dumps_indented(out)
