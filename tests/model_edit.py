"""Editing model and result objects in tests: ``replace`` for records and dataclasses alike,
and ``finding`` / ``as_finding`` to build classified findings by hand.

The model's per-record types (Item, Value, Keyword, Binding, SourceLocation) are named tuples,
the others (Template, ValueList, Term, Export …) and the result types are dataclasses; tests
edit both kinds of object the same way. A Finding wraps a raw Deviation: ``replace`` on a
finding changes the deviation's fields too.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.finding import AppliedWaiver, Finding
from cosmicdiff.rules import get_rule, rule_for
from cosmicdiff.vocabulary import Severity, TrendState

T = TypeVar("T")

_FINDING_FIELDS = frozenset(Finding._fields)


def replace(obj: T, **changes: Any) -> T:
    """Return a copy of ``obj`` with ``changes``."""
    if isinstance(obj, Finding):
        own = {k: v for k, v in changes.items() if k in _FINDING_FIELDS}
        raw = {k: v for k, v in changes.items() if k not in _FINDING_FIELDS}
        if raw:
            own["deviation"] = obj.deviation._replace(**raw)
        return obj._replace(**own)  # type: ignore[return-value]
    if dataclasses.is_dataclass(obj):
        return dataclasses.replace(obj, **changes)  # type: ignore[type-var]
    return obj._replace(**changes)  # type: ignore[attr-defined,no-any-return]


def as_finding(
    d: Deviation,
    rule: str | None = None,
    severity: Severity | None = None,
    *,
    message: str = "",
    allowed: bool = False,
    waiver: AppliedWaiver | None = None,
    trend: TrendState | None = None,
) -> Finding:
    """Return ``d`` classified by ``rule`` (default: the rule that classifies it)."""
    cls = rule_for(d) if rule is None else get_rule(rule)
    f = Finding.of(d, rule=cls.code, severity=severity or cls.default_severity, message=message)
    return f._replace(allowed=allowed, waiver=waiver, trend=trend)


def finding(
    rule: str | None = None,
    severity: Severity | None = None,
    *,
    message: str = "",
    allowed: bool = False,
    waiver: AppliedWaiver | None = None,
    trend: TrendState | None = None,
    **fields: Any,
) -> Finding:
    """Return a finding of a deviation with ``fields`` (region, kind, entity, ids …)."""
    fields.setdefault("baseline_id", None)
    fields.setdefault("local_id", None)
    fields.setdefault("path", None)
    return as_finding(
        Deviation(**fields),
        rule,
        severity,
        message=message,
        allowed=allowed,
        waiver=waiver,
        trend=trend,
    )
