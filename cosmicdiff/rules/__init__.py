"""The rule set: every deviation kind maps to exactly one rule with a stable code."""

from __future__ import annotations

from cosmicdiff.errors import UsageError
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.rules.base import Rule, RuleContext, SeverityPolicy
from cosmicdiff.rules.keywords import KEYWORD_RULES
from cosmicdiff.rules.structure import STRUCTURE_RULES
from cosmicdiff.rules.terminology import TERMINOLOGY_RULES

#: All rules, in code order. Register a new rule by adding it here.
ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted((*STRUCTURE_RULES, *KEYWORD_RULES, *TERMINOLOGY_RULES), key=lambda r: r.code)
)

_BY_KEY = {**{r.code.upper(): r for r in ALL_RULES}, **{r.name.upper(): r for r in ALL_RULES}}

__all__ = [
    "ALL_RULES",
    "Rule",
    "RuleContext",
    "SeverityPolicy",
    "get_rule",
    "rule_for",
    "find_rule",
]


def find_rule(code_or_name: str) -> type[Rule] | None:
    """Return the rule with this code or name (case-insensitive), or None."""
    return _BY_KEY.get(code_or_name.strip().upper())


def get_rule(code_or_name: str) -> type[Rule]:
    """Return the rule with this code or name; raise UsageError naming the known ones."""
    rule = find_rule(code_or_name)
    if rule is None:
        raise UsageError(f"unknown rule {code_or_name!r}; run 'cosmicdiff rules' to list them")
    return rule


def rule_for(deviation: Deviation) -> type[Rule]:
    """Return the one rule that classifies this deviation."""
    for rule in ALL_RULES:
        if rule.applies(deviation):
            return rule
    raise AssertionError(f"no rule classifies {deviation.kind.value}/{deviation.entity.value}")
