"""The baseline's ``rules.yaml``: severities per rule and case, allowed local extensions,
and expected differences that are never reported.

```yaml
severities: {CD107: info}                 # rule code or name -> error|warning|info
cases:
  referrals: {severities: {renamed: error}}
allowed_extensions:
  - description: Lokala sökord med regionprefix
    rules: [CD104]                        # default: CD104 extra-item
    templates: [ESP-JM-PSY-001]           # baseline templates the extension applies to
    prefix: ["RJL-LOK-", "ROG-LOK-"]      # local id prefixes (a string or a list)
    regions: [jonkoping]                  # default: every region
    severity: info                        # default info
expected:
  - rule: CD111                           # what is never reported
    item: ESP-JM-PSY-001                  # baseline or local id (value: VL#code)
    region: kalmar                        # optional
    field: version                        # optional
    reason: Versionsnummer följer regionens förvaltningsprocess
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cosmicdiff.errors import ConfigError, ExportError, excerpt, quoted
from cosmicdiff.io.safe_yaml import line_of, load_yaml
from cosmicdiff.result.finding import Finding
from cosmicdiff.rules import find_rule
from cosmicdiff.rules.base import SeverityPolicy
from cosmicdiff.vocabulary import Severity


@dataclass(frozen=True, kw_only=True, slots=True)
class AllowedExtension:
    """Extra items that are a declared, acceptable local extension."""

    rules: frozenset[str]
    templates: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()
    regions: frozenset[str] = frozenset()
    severity: Severity = Severity.INFO
    description: str = ""

    def matches(self, d: Finding) -> bool:
        """Return True when the deviation falls under this extension."""
        if d.rule not in self.rules or (self.regions and d.region not in self.regions):
            return False
        if self.templates and not any(
            u == ("template", t) for t in self.templates for u in d.units
        ):
            return False
        return not self.prefixes or (d.local_id or "").startswith(self.prefixes)


@dataclass(frozen=True, kw_only=True, slots=True)
class ExpectedDifference:
    """A difference the baseline expects; it is never reported."""

    rule: str
    item: str
    region: str | None = None
    field: str | None = None
    reason: str = ""

    def matches(self, d: Finding) -> bool:
        """Return True when the deviation is this expected difference."""
        return (
            d.rule == self.rule
            and self.item in (d.baseline_id, d.local_id)
            and (self.region is None or self.region == d.region)
            and (self.field is None or self.field == d.field)
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleSettings:
    """Everything rules.yaml says, validated."""

    policy: SeverityPolicy = field(default_factory=SeverityPolicy)
    extensions: tuple[AllowedExtension, ...] = ()
    expected: tuple[ExpectedDifference, ...] = ()
    path: str | None = None


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, container: Any, key: Any, message: str) -> ConfigError:
        return ConfigError(message, path=self.path, line=line_of(container, key))

    def mapping(self, data: Any, key: Any, what: str, allowed: set[str]) -> dict[str, Any]:
        value = data if key is None else data.get(key) if isinstance(data, dict) else None
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise self.fail(data, key, f"{what} must be a mapping")
        for k in value:
            if k not in allowed:
                raise self.fail(
                    value,
                    k,
                    f"unknown key {excerpt(k)} in {what}; allowed: {', '.join(sorted(allowed))}",
                )
        return value

    def rule(self, container: Any, key: Any, value: Any) -> str:
        rule = find_rule(str(value)) if isinstance(value, str) else None
        if rule is None:
            raise self.fail(
                container, key, f"unknown rule {excerpt(value)}; run 'cosmicdiff rules'"
            )
        return rule.code

    def severity(self, container: Any, key: Any, value: Any) -> Severity:
        try:
            return Severity(str(value))
        except ValueError:
            raise self.fail(
                container, key, f"unknown severity {excerpt(value)}; use error, warning or info"
            ) from None

    def strings(self, container: Any, key: str) -> list[str]:
        value = container.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(container, key, f"{key!r} must be a string or a list of strings")
        return list(value)

    def severities(self, data: Any, key: str, what: str) -> dict[str, Severity]:
        table = data.get(key) or {}
        if not isinstance(table, dict):
            raise self.fail(data, key, f"{what} must map rule codes to severities")
        return {self.rule(table, k, k): self.severity(table, k, v) for k, v in table.items()}


def load_rule_settings(path: Path, display: str, case_ids: set[str]) -> RuleSettings:
    """Read and validate rules.yaml; raise ConfigError naming file, line and key."""
    try:
        data = load_yaml(path, display)
    except ExportError as exc:  # not YAML at all: the same problem, of a settings file
        raise ConfigError(exc.message, path=exc.path, line=exc.line, context=exc.context) from None
    if data is None:
        return RuleSettings(path=display)
    r = _Reader(display)
    top = r.mapping(
        data, None, "rules.yaml", {"severities", "cases", "allowed_extensions", "expected"}
    )
    global_ = r.severities(top, "severities", "severities")
    per_case = {}
    cases = r.mapping(top, "cases", "cases", case_ids)
    for cid in cases:
        body = r.mapping(cases, cid, f"case {quoted(cid)}", {"severities"})
        per_case[str(cid)] = r.severities(body, "severities", f"case {quoted(cid)} severities")
    return RuleSettings(
        policy=SeverityPolicy(global_=global_, per_case=per_case),
        extensions=tuple(_extensions(r, top)),
        expected=tuple(_expected(r, top)),
        path=display,
    )


def _entries(r: _Reader, top: dict[str, Any], key: str) -> list[Any]:
    value = top.get(key) or []
    if not isinstance(value, list):
        raise r.fail(top, key, f"{key!r} must be a list")
    return value


def _extensions(r: _Reader, top: dict[str, Any]) -> list[AllowedExtension]:
    out = []
    for raw in _entries(r, top, "allowed_extensions"):
        e = r.mapping(
            raw,
            None,
            "an allowed extension",
            {"description", "rules", "templates", "prefix", "regions", "severity"},
        )
        rules = [r.rule(e, "rules", x) for x in r.strings(e, "rules")] or ["CD104"]
        if not (e.get("templates") or e.get("prefix")):
            raise r.fail(e, None, "an allowed extension needs 'templates' or 'prefix' (or both)")
        out.append(
            AllowedExtension(
                rules=frozenset(rules),
                templates=frozenset(r.strings(e, "templates")),
                prefixes=tuple(r.strings(e, "prefix")),
                regions=frozenset(r.strings(e, "regions")),
                severity=r.severity(e, "severity", e.get("severity", "info")),
                description=str(e.get("description") or ""),
            )
        )
    return out


def _expected(r: _Reader, top: dict[str, Any]) -> list[ExpectedDifference]:
    out = []
    for raw in _entries(r, top, "expected"):
        e = r.mapping(
            raw, None, "an expected difference", {"rule", "item", "region", "field", "reason"}
        )
        for need in ("rule", "item", "reason"):
            if not e.get(need):
                raise r.fail(e, None, f"an expected difference needs {need!r}")
        out.append(
            ExpectedDifference(
                rule=r.rule(e, "rule", e["rule"]),
                item=str(e["item"]),
                region=str(e["region"]) if e.get("region") else None,
                field=str(e["field"]) if e.get("field") else None,
                reason=str(e["reason"]),
            )
        )
    return out
