"""Paths, region edits and waiver snippets shared by the report tests (fixtures: conftest.py).

The tests run from the repository root (an autouse fixture changes to it), so the paths
the reports show for the fixture regions are the relative ones below on every run.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
MINI_BASELINE = FIXTURES / "baselines" / "mini"
MINI_COPY = FIXTURES / "regions" / "mini-copy"
#: six deviations (3 error, 2 warning, 1 info); a keyword name with rich markup and <script>
REP_DEVIATING = FIXTURES / "regions" / "rep-deviating"
#: nineteen deviations of most kinds, every entity, an unresolved reference
REP_MANY = FIXTURES / "regions" / "rep-many-kinds"
TODAY = "2026-11-23"

DEVIATING_SRC = "tests/fixtures/regions/rep-deviating"
DEVIATING_XML = f"{DEVIATING_SRC}/export.xml"
MANY_SRC = "tests/fixtures/regions/rep-many-kinds"
MANY_XML = f"{MANY_SRC}/export.xml"
COPY_SRC = "tests/fixtures/regions/mini-copy"

#: the contract's vocabularies (report-json.md), written out, not imported from cosmicdiff
KINDS = {
    "missing",
    "extra",
    "renamed",
    "type_changed",
    "unit_changed",
    "binding_changed",
    "valuelist_changed",
    "order_changed",
    "moved",
    "mandatory_changed",
    "status_changed",
    "visibility_changed",
    "attribute_changed",
    "unresolved_reference",
}
ENTITIES = {"template", "keyword", "valuelist", "value", "term"}
SEVERITIES = {"error", "warning", "info"}
DEVIATION_FIELDS = {
    "id",
    "region",
    "case",
    "kind",
    "rule",
    "severity",
    "entity",
    "baseline_id",
    "local_id",
    "path",
    "field",
    "expected",
    "actual",
    "message",
    "waived",
}

#: edits of the mini-copy export that give exactly one deviation each
ONE_ERROR = {'unit="mmol/L"': 'unit="µmol/L"'}  # CD202 error
ONE_WARNING = {'name="Riskfaktorer"': 'name="Riskfaktorer (lokal)"'}  # CD105 warning
ONE_INFO = {
    "<description>Aktuell problematik</description>": "<description>Aktuell problematik och "
    "orsak</description>"
}  # CD207 info

#: the baseline items in scope of the mini baseline: "id name" as JUnit names its testcases
MINI_ITEMS = [
    ("psychiatry", "template", "B-JM-1 Suicidriskbedömning"),
    ("drugs", "template", "B-JM-2 Litiumbehandling"),
    ("psychiatry", "keyword", "B-SO-1 Aktuellt"),
    ("psychiatry", "keyword", "B-SO-2 Suicidriskbedömning"),
    ("psychiatry", "keyword", "B-SO-3 Riskfaktorer"),
    ("psychiatry", "keyword", "B-SO-4 Skyddsfaktorer"),
    ("drugs", "keyword", "B-SO-5 Litiumkoncentration"),
    ("psychiatry", "keyword", "B-SO-6 Bedömning"),
    ("psychiatry", "valuelist", "B-VL-1 Suicidrisk"),
    ("psychiatry", "value", "B-VL-1#1 Låg risk"),
    ("psychiatry", "value", "B-VL-1#2 Måttlig risk"),
    ("psychiatry", "value", "B-VL-1#3 Hög risk"),
    ("drugs", "term", "atc:N05AN01 Litium"),
    ("psychiatry", "term", "kva:AU118 Strukturerad suicidriskbedömning"),
    ("psychiatry", "term", "snomed-ct:366979004 Nedstämdhet"),
]


@dataclass
class Run:
    """One CLI run: exit status, stdout, stderr; ``doc`` is stdout parsed as JSON."""

    code: int
    stdout: str
    stderr: str

    @property
    def doc(self) -> Any:
        return json.loads(self.stdout)


def write_region(
    folder: Path, region_id: str, edits: Mapping[str, str] | None = None, name: str | None = None
) -> Path:
    """Write a copy of the mini-copy export with ``edits`` (each must match exactly once)."""
    text = (MINI_COPY / "export.xml").read_text(encoding="utf-8")
    text = text.replace('region="copy"', f'region="{region_id}"')
    for old, new in (edits or {}).items():
        assert text.count(old) == 1, f"edit {old!r} must match exactly once"
        text = text.replace(old, new)
    folder.mkdir(parents=True)
    (folder / "export.xml").write_text(text, encoding="utf-8")
    (folder / "region.yaml").write_text(
        f"id: {region_id}\nname: {json.dumps(name or 'Region ' + region_id.capitalize())}\n"
        "cosmicVersion: R8.1\n",
        encoding="utf-8",
    )
    return folder


def waiver(
    wid: str,
    region: str,
    rule: str,
    item: str,
    expires: str = "2027-06-30",
    path: str | None = None,
    pin: tuple[str | None, str | None] | None = None,
) -> str:
    """Return one entry of a waivers.yaml (format: cosmicdiff/rules/waivers.py).

    ``pin`` = (expected, actual) pins the waiver to these values (None: YAML null).
    """
    text = (
        f"  - id: {wid}\n    region: {region}\n    rule: {rule}\n    item: {item}\n"
        f"    reason: Beslut i styrgruppen\n    owner: Förvaltningsobjekt Vårdtjänster\n"
        f"    expires: {expires}\n"
    )
    if path is not None:
        text += f"    path: {path}\n"
    if pin is not None:
        text += "".join(
            f"    {key}: {json.dumps(value, ensure_ascii=False)}\n"
            for key, value in zip(("expected", "actual"), pin, strict=True)
        )
    return text


#: the values of ONE_ERROR's deviation (CD202 unit_changed on B-SO-5)
ONE_ERROR_PIN = ("mmol/L", "µmol/L")


#: waivers for rep-deviating: one that waives, one expired (by rule name), one stale
DEVIATING_WAIVERS = (
    "waivers:\n"
    + waiver("W-UNIT", "deviating", "CD202", "B-SO-5")
    + waiver("W-OLD", "deviating", "visibility-changed", "B-SO-2", expires="2026-11-22")
    + waiver("W-STALE", "deviating", "CD101", "B-JM-1")
)
