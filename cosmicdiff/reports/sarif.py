"""SARIF 2.1.0: code scanning results (GitHub, Azure DevOps, GitLab SAST viewers).

Rules go in ``tool.driver.rules`` with their documentation as help; each result names its
rule by ``ruleId`` and ``ruleIndex``, points at the export file and line, carries the
stable deviation id in ``partialFingerprints``, and waived deviations carry an external
suppression with the waiver's justification.

Sample::

    {"version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
     "runs": [{"tool": {"driver": {"name": "cosmicdiff", "rules": [...]}}, "results": [...]}]}
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from cosmicdiff.io.json_out import dumps_indented
from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.rules import ALL_RULES
from cosmicdiff.rules.docs import rule_markdown, rule_text
from cosmicdiff.vocabulary import Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_STATES = frozenset({"new", "unchanged", "updated"})
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _rule(rule: Any) -> dict[str, Any]:
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc().splitlines()[0]},
        # the docstring is reStructuredText-ish: both forms keep its paragraphs
        "help": {"text": rule_text(rule), "markdown": rule_markdown(rule)},
        "defaultConfiguration": {"level": LEVEL[rule.default_severity]},
        "properties": {"tags": ["cosmic", "configuration"]},
    }


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+")


def _uri(path: str, shipped: str | None = None) -> str:
    """Return a path as a URI reference (percent-encoded, forward slashes).

    A file of the baseline shipped with cosmicdiff (``shipped``, e.g. ``espir``) is shown
    as ``espir:lakemedel.yaml``: kept as an absolute URI of scheme ``espir`` (RFC 3986),
    the same on every machine; every other path is a relative reference.
    """
    if shipped and path.startswith(shipped + ":") and _SCHEME.fullmatch(shipped):
        return shipped + ":" + quote(path[len(shipped) + 1 :], safe="/")
    return quote(path.replace("\\", "/"), safe="/")


def _location(d: Finding, result: Result) -> dict[str, Any]:
    loc = d.location or d.baseline_location
    if loc is None:
        source = next((r.source for r in result.regions if r.id == d.region), d.region)
        physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(source)}}
    else:
        physical = {"artifactLocation": {"uri": _uri(loc.path, result.baseline_source)}}
        if loc.line:
            physical["region"] = {"startLine": loc.line}
    out: dict[str, Any] = {"physicalLocation": physical}
    if d.path:
        out["logicalLocations"] = [
            {"fullyQualifiedName": f"{d.region}/{d.path}", "kind": d.entity.value}
        ]
    return out


class SarifReporter(Reporter):
    """Write a SARIF 2.1.0 log with one run."""

    media_type = "application/sarif+json"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the SARIF document."""
        index = {r.code: i for i, r in enumerate(ALL_RULES)}
        results = []
        resolved = result.trend.resolved if result.trend else ()
        for d in (*result.deviations, *resolved):
            entry: dict[str, Any] = {
                "ruleId": d.rule,
                "ruleIndex": index[d.rule or ""],
                "level": LEVEL[d.severity or Severity.INFO],
                "message": {"text": d.message},
                "locations": [_location(d, result)],
                "partialFingerprints": {"cosmicdiffDeviation/v1": d.id},
                "properties": {
                    "region": d.region,
                    "case": d.case,
                    "kind": d.kind.value,
                    "entity": d.entity.value,
                    "baseline_id": d.baseline_id,
                    "local_id": d.local_id,
                    "expected": d.expected,
                    "actual": d.actual,
                },
            }
            if result.trend is not None:
                # SARIF's own words: new / unchanged / updated, and absent for resolved
                entry["baselineState"] = d.trend if d.trend in _STATES else "absent"
            if d.waiver is not None:
                entry["suppressions"] = [
                    {
                        "kind": "external",
                        "status": "accepted",
                        "justification": f"{d.waiver.id}: {d.waiver.reason}",
                    }
                ]
            results.append(entry)
        notifications = [
            {"level": "error", "message": {"text": f"region {r.id} not compared: {r.error}"}}
            for r in result.regions
            if not r.compared
        ]
        run: dict[str, Any] = {
            "tool": {
                "driver": {
                    "name": "cosmicdiff",
                    "version": result.tool_version,
                    "semanticVersion": result.tool_version,
                    "rules": [_rule(r) for r in ALL_RULES],
                }
            },
            "automationDetails": {"id": f"cosmicdiff/{result.baseline_id}/"},
            "columnKind": "unicodeCodePoints",
            "results": results,
            "invocations": [
                {
                    "executionSuccessful": not notifications,
                    "toolExecutionNotifications": notifications,
                }
            ],
            "properties": {
                "baseline": {"id": result.baseline_id, "version": result.baseline_version}
            },
        }
        doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
        return dumps_indented(doc)
