"""Give each raw deviation its rule, severity and message; drop expected differences; mark
allowed extensions.
"""

from __future__ import annotations

from cosmicdiff.result.deviation import Deviation, replace_deviation
from cosmicdiff.rules import RuleContext, rule_for
from cosmicdiff.rules.config import RuleSettings


def classify(raw: list[Deviation], settings: RuleSettings) -> tuple[list[Deviation], int]:
    """Give each deviation its rule, severity and message; drop expected differences."""
    ctx = RuleContext(policy=settings.policy)
    out: list[Deviation] = []
    suppressed = 0
    rules: dict[type, object] = {}
    for d in raw:
        rule_cls = rule_for(d)
        rule = rules.setdefault(rule_cls, rule_cls())
        d = rule.evaluate(d, ctx)  # type: ignore[attr-defined]
        if any(e.matches(d) for e in settings.expected):
            suppressed += 1
            continue
        ext = next((e for e in settings.extensions if e.matches(d)), None)
        if ext is not None:
            d = replace_deviation(d, severity=ext.severity, allowed=True)
        out.append(d)
    return out, suppressed
