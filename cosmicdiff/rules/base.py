"""The Rule base class and the context rules are evaluated in."""

from __future__ import annotations

import inspect
from abc import ABC
from dataclasses import dataclass, field
from typing import ClassVar

from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.finding import Finding
from cosmicdiff.vocabulary import Entity, Kind, Severity

ENTITY_LABEL = {
    Entity.TEMPLATE: "template",
    Entity.KEYWORD: "keyword",
    Entity.VALUELIST: "value list",
    Entity.VALUE: "value",
    Entity.TERM: "term",
}


@dataclass(frozen=True, slots=True)
class SeverityPolicy:
    """Severity overrides from the baseline's rules.yaml: global, then per case."""

    global_: dict[str, Severity] = field(default_factory=dict)
    per_case: dict[str, dict[str, Severity]] = field(default_factory=dict)

    def severity(self, code: str, default: Severity, case: str | None) -> Severity:
        """Return the severity of rule ``code`` in ``case``."""
        if case is not None and code in self.per_case.get(case, {}):
            return self.per_case[case][code]
        return self.global_.get(code, default)


@dataclass(frozen=True, slots=True)
class RuleContext:
    """What a rule may consult besides the deviation: the severity policy."""

    policy: SeverityPolicy = field(default_factory=SeverityPolicy)


class Rule(ABC):
    """A classification of deviations: stable code, name, default severity, documentation."""

    code: ClassVar[str]
    name: ClassVar[str]
    kinds: ClassVar[frozenset[Kind]]
    entities: ClassVar[frozenset[Entity] | None] = None
    fields: ClassVar[frozenset[str | None] | None] = None
    default_severity: ClassVar[Severity]
    summary: ClassVar[str]

    @classmethod
    def applies(cls, deviation: Deviation) -> bool:
        """Return True when this rule classifies the deviation."""
        if deviation.kind not in cls.kinds:
            return False
        if cls.entities is not None and deviation.entity not in cls.entities:
            return False
        return cls.fields is None or deviation.field in cls.fields

    @classmethod
    def doc(cls) -> str:
        """Return the rule's documentation (its docstring, dedented)."""
        return inspect.cleandoc(cls.__doc__ or "")

    def message(self, d: Deviation) -> str:
        """Return the English one-line message for a deviation of this rule."""
        return describe(d)

    def evaluate(self, deviation: Deviation, ctx: RuleContext) -> Finding:
        """Return the deviation classified: rule code, severity and message."""
        severity = ctx.policy.severity(self.code, self.default_severity, deviation.case)
        return Finding.of(
            deviation, rule=self.code, severity=severity, message=self.message(deviation)
        )


def _q(value: str | None) -> str:
    return "(none)" if value is None else repr(value)


def describe(d: Deviation) -> str:
    """Return a plain English sentence describing a deviation."""
    what = ENTITY_LABEL[d.entity]
    item = d.baseline_id or d.local_id or "?"
    where = f" in {d.path.split('/')[0]}" if d.path and "/" in d.path else ""
    k = d.kind
    if k is Kind.MISSING:
        return f"{what} {d.baseline_id} {_q(d.expected)}{where} is missing in region {d.region}"
    if k is Kind.EXTRA:
        return f"{what} {d.local_id} {_q(d.actual)}{where} has no counterpart in the baseline"
    if k is Kind.UNRESOLVED_REFERENCE:
        return (
            f"{d.path or d.region} refers to {what} {d.local_id}, which the export does not define"
        )
    if d.name and k is not Kind.RENAMED:
        item = f"{item} {d.name!r}"
    if k is Kind.MOVED:
        return f"{what} {item} stands under {d.actual} instead of {d.expected}"
    if k is Kind.ORDER_CHANGED:
        return (
            f"{what} {item} is at position {d.actual} instead of {d.expected} among the "
            "items both have"
        )
    field_text = f" {d.field}" if d.field else ""
    label = {
        Kind.RENAMED: "name",
        Kind.TYPE_CHANGED: "type",
        Kind.UNIT_CHANGED: "unit",
        Kind.BINDING_CHANGED: "binding",
        Kind.VALUELIST_CHANGED: "value list",
        Kind.STATUS_CHANGED: "status",
        Kind.VISIBILITY_CHANGED: "1177 visibility",
        Kind.MANDATORY_CHANGED: "",
        Kind.ATTRIBUTE_CHANGED: "",
    }[k]
    return (
        f"{what} {item}{where}: {label}{field_text}".replace(":  ", ": ").rstrip()
        + f" is {_q(d.actual)}, baseline has {_q(d.expected)}"
    )


def rule_doc_sections(doc: str) -> list[str]:
    """Return the bold section headings found in a rule docstring."""
    return [part.split("**")[0] for part in doc.split("**")[1::2]]
