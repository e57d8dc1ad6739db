"""JSON: the contract of report-json.md (``cosmicdiff/result/1``).

Sample::

    {"schema": "cosmicdiff/result/1", "baseline": {"id": "espir", ...},
     "deviations": [{"id": "3f2a…", "region": "kalmar", "kind": "renamed", ...}], ...}
"""

from __future__ import annotations

import json

from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result import Result


class JsonReporter(Reporter):
    """Write the Result as indented, key-stable UTF-8 JSON."""

    media_type = "application/json"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the JSON document with a final newline."""
        return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
