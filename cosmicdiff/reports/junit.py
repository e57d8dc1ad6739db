"""JUnit XML: one testcase per baseline item in scope and region, for CI test tabs.

A testcase fails when the item has a gating deviation, is skipped when its deviations are
all waived, and passes (with the deviations in system-out) when they are below
``--fail-on``. Extra keywords and values are reported under the testcase of their
template or value list; extra templates, value lists and terms, which have no baseline
item at all, get a testcase of their own (named ``+<local id>``).

Sample::

    <testsuites name="cosmicdiff espir 2026.1" tests="..." failures="...">
      <testsuite name="kalmar" ...>
        <testcase classname="kalmar.psychiatry.keyword" name="ESP-SO-00412 Suicidriskbedömning">
          <failure type="CD105" message="...">...</failure>
"""

from __future__ import annotations

from collections import defaultdict

from lxml import etree

from cosmicdiff.reports.base import RenderContext, Reporter
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result


def primary_unit(d: Finding) -> tuple[str, str]:
    """Return the baseline item a deviation is reported under (or its local id for extras)."""
    if d.baseline_id is not None:
        return (d.entity.value, d.baseline_id)
    if d.units:
        return d.units[0]
    return (d.entity.value, "+" + (d.local_id or ""))


def _text(devs: list[Finding]) -> str:
    return "\n".join(
        f"[{d.rule} {d.severity.value if d.severity else ''}] {d.message}"
        + (f" (waived: {d.waiver.id})" if d.waiver else "")
        for d in devs
    )


class JUnitReporter(Reporter):
    """Write JUnit XML that GitLab, Azure DevOps and Jenkins show as test results."""

    media_type = "application/xml"

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the JUnit document."""
        gating = {d.id for d in result.gating()}
        root = etree.Element(
            "testsuites", name=f"cosmicdiff {result.baseline_id} {result.baseline_version}"
        )
        totals = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
        for region in result.regions:
            suite = etree.SubElement(root, "testsuite", name=region.id)
            counts = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
            if not region.compared:
                case = etree.SubElement(
                    suite, "testcase", classname=region.id, name="export could be read"
                )
                etree.SubElement(case, "error", message=region.error or "not compared")
                counts["tests"] += 1
                counts["errors"] += 1
            else:
                self._cases(result, region.id, suite, gating, counts)
            for k, v in counts.items():
                suite.set(k, str(v))
                totals[k] += v
        for k, v in totals.items():
            root.set(k, str(v))
        etree.indent(root, space="  ")
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode() + "\n"

    def _cases(
        self,
        result: Result,
        region: str,
        suite: etree._Element,
        gating: set[str],
        counts: dict[str, int],
    ) -> None:
        by_unit: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for d in result.deviations:
            if d.region == region:
                by_unit[primary_unit(d)].append(d)
        items = [
            (i.entity.value, i.id, i.name, i.cases[0] if i.cases else "-") for i in result.items
        ]
        known = {(e, i) for e, i, _, _ in items}
        for unit, devs in sorted(by_unit.items()):
            if unit not in known:
                items.append((unit[0], unit[1], devs[0].actual or "", devs[0].case or "-"))
        for entity, item_id, name, case in items:
            devs = by_unit.get((entity, item_id), [])
            tc = etree.SubElement(
                suite,
                "testcase",
                classname=f"{region}.{case}.{entity}",
                name=f"{item_id} {name}".strip(),
            )
            counts["tests"] += 1
            failing = [d for d in devs if d.id in gating]
            if failing:
                counts["failures"] += 1
                first = failing[0]
                el = etree.SubElement(tc, "failure", type=first.rule or "", message=first.message)
                el.text = _text(devs)
            elif devs and all(d.waived for d in devs):
                counts["skipped"] += 1
                etree.SubElement(tc, "skipped", message=_text(devs))
            elif devs:
                etree.SubElement(tc, "system-out").text = _text(devs)
