"""Give each raw deviation its rule, severity and message; drop expected differences; mark
allowed extensions.
"""

from __future__ import annotations

from collections.abc import Iterable

from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.finding import Finding
from cosmicdiff.rules import RuleContext, rule_for
from cosmicdiff.rules.base import Rule
from cosmicdiff.rules.config import RuleSettings


def classify(raw: Iterable[Deviation], settings: RuleSettings) -> tuple[list[Finding], int]:
    """Give each deviation its rule, severity and message; drop expected differences.

    Returns the findings (allowed local extensions marked, with their severity) and how many
    expected differences were left out.
    """
    ctx = RuleContext(policy=settings.policy)
    out: list[Finding] = []
    suppressed = 0
    rules: dict[type[Rule], Rule] = {}
    for d in raw:
        rule_cls = rule_for(d)
        rule = rules.get(rule_cls) or rules.setdefault(rule_cls, rule_cls())
        f = rule.evaluate(d, ctx)
        if any(e.matches(f) for e in settings.expected):
            suppressed += 1
            continue
        ext = next((e for e in settings.extensions if e.matches(f)), None)
        if ext is not None:
            f = f._replace(severity=ext.severity, allowed=True)
        out.append(f)
    return out, suppressed
