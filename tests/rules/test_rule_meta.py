"""The rule set keeps its promises: unique codes and names, documented rules, and cases for
every rule that show it firing (at its default severity, per case, as an allowed extension
where its documentation says rules.yaml may allow it) and not firing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from cosmicdiff.authoring.docgen import rule_sections
from cosmicdiff.rules import ALL_RULES, Rule, find_rule
from cosmicdiff.vocabulary import Entity, Kind, Severity

from .casefile import CASES_DIR, CaseFile, RuleCase, case_files, read_case_file

RULE_IDS = [r.code for r in ALL_RULES]
FILES = case_files()


def _cases_of(rule: type[Rule]) -> tuple[RuleCase, ...]:
    path = CASES_DIR / f"{rule.name}.yaml"
    return read_case_file(path).cases if path.is_file() else ()


def _findings_of(
    rule: type[Rule], cases: tuple[RuleCase, ...]
) -> Iterator[tuple[RuleCase, Mapping[str, Any]]]:
    """Yield each expected finding of ``rule`` with its case."""
    for case in cases:
        for finding in case.expect:
            if finding["rule"] == rule.code:
                yield case, finding


def _case_severities(case: RuleCase) -> dict[tuple[str, str], str]:
    """Return the per-case severities the case's rules.yaml sets: (case, code) -> severity."""
    out = {}
    for case_id, body in ((case.options or {}).get("cases") or {}).items():
        for key, severity in ((body or {}).get("severities") or {}).items():
            rule = find_rule(str(key))
            if rule is not None:
                out[(str(case_id), rule.code)] = str(severity)
    return out


# -- the rules themselves --------------------------------------------------------------------


def test_codes_and_names_are_unique_and_in_code_order() -> None:
    codes = [r.code for r in ALL_RULES]
    names = [r.name for r in ALL_RULES]
    assert len(set(codes)) == len(codes), "a rule code is used twice"
    assert len(set(names)) == len(names), "a rule name is used twice"
    assert not set(codes) & set(names)
    assert codes == sorted(codes), "ALL_RULES is not in code order"


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_rule_metadata(rule: type[Rule]) -> None:
    assert re.fullmatch(r"CD[1-9]\d\d", rule.code), rule.code
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name), rule.name
    assert isinstance(rule.default_severity, Severity)
    assert rule.kinds and all(isinstance(k, Kind) for k in rule.kinds)
    assert rule.entities is None or all(isinstance(e, Entity) for e in rule.entities)
    assert rule.summary.strip(), f"{rule.code} has no summary"


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_rule_docstring_has_the_sections(rule: type[Rule]) -> None:
    """The docstring is the user documentation (docs/rules.md is generated from it)."""
    try:
        description, sections = rule_sections(rule)
    except ValueError as exc:
        pytest.fail(str(exc))
    assert description, f"{rule.code} has no description before its sections"
    for head, body in sections:
        assert body, f"{rule.code}: the section {head!r} is empty"


# -- case files and rules match --------------------------------------------------------------


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_every_rule_has_a_case_file(rule: type[Rule]) -> None:
    path = CASES_DIR / f"{rule.name}.yaml"
    assert path.is_file(), f"{rule.code} has no case file {path.name} in {CASES_DIR}"
    assert read_case_file(path).rule == rule.code, f"{path.name} must say 'rule: {rule.code}'"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_case_file_names_an_existing_rule(path: Path) -> None:
    case_file: CaseFile = read_case_file(path)  # raises CaseFileError on a malformed file
    rule = find_rule(path.stem)
    assert rule is not None and rule.name == path.stem, (
        f"{path.name}: no rule is named {path.stem!r}"
    )
    assert case_file.rule == rule.code, (
        f"{path.name}: says rule {case_file.rule}, the rule named {rule.name} is {rule.code}"
    )


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_expected_findings_are_ones_their_rule_gives(path: Path) -> None:
    """An expected finding's rule exists and classifies that kind of deviation."""
    for case in read_case_file(path).cases:
        for finding in case.expect:
            rule = find_rule(str(finding["rule"]))
            where = f"{case.id}: expected {finding['rule']} {finding['kind']}"
            assert rule is not None and rule.code == finding["rule"], f"{where}: unknown rule"
            assert finding["kind"] in {k.value for k in rule.kinds}, f"{where}: not its kind"
            assert rule.entities is None or finding["entity"] in {e.value for e in rule.entities}, (
                f"{where}: not its entity"
            )
            assert finding["severity"] in {s.value for s in Severity}, f"{where}: severity"


# -- what every rule's cases show ------------------------------------------------------------


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_every_rule_fires_and_does_not_fire(rule: type[Rule]) -> None:
    cases = _cases_of(rule)
    assert any(c.fires() for c in cases), f"{rule.code} has no case in which it fires"
    assert any(not c.fires() for c in cases), f"{rule.code} has no case in which it must not fire"


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_every_rule_fires_at_its_default_severity(rule: type[Rule]) -> None:
    assert any(
        case.options is None and f["severity"] == rule.default_severity.value
        for case, f in _findings_of(rule, _cases_of(rule))
    ), (
        f"{rule.code} has no case without rules.yaml in which it fires at its default "
        f"severity {rule.default_severity.value}"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_every_rule_has_a_per_case_severity(rule: type[Rule]) -> None:
    """Some case's rules.yaml sets the rule's severity for a case, and a finding of the
    rule in that case (named in the expectation) has it."""
    assert any(
        _case_severities(case).get((str(f.get("case")), rule.code)) == f["severity"]
        for case, f in _findings_of(rule, _cases_of(rule))
    ), (
        f"{rule.code} has no case showing a per-case severity from rules.yaml "
        "(options: {cases: {<case>: {severities: {...}}}} and an expected finding naming "
        "its case)"
    )


@pytest.mark.parametrize("rule", ALL_RULES, ids=RULE_IDS)
def test_every_kind_and_entity_of_a_rule_fires(rule: type[Rule]) -> None:
    found = list(_findings_of(rule, _cases_of(rule)))
    for kind in rule.kinds:
        assert any(f["kind"] == kind.value for _, f in found), f"{rule.code}: no {kind.value}"
    for entity in rule.entities or ():
        assert any(f["entity"] == entity.value for _, f in found), (
            f"{rule.code}: no finding about a {entity.value}"
        )


def _allowed_by_rules_yaml(rule: type[Rule]) -> bool:
    """Return True when the rule's docs say rules.yaml may allow it as a local extension."""
    _description, sections = rule_sections(rule)
    return "rules.yaml" in dict(sections)["Allowed locally"]


ALLOWABLE = [r for r in ALL_RULES if _allowed_by_rules_yaml(r)]


def test_the_documented_allowable_rules() -> None:
    """The rules whose documentation says rules.yaml may allow them (keeps the next test
    from passing vacuously when a docstring changes)."""
    assert [r.code for r in ALLOWABLE] == ["CD102", "CD104", "CD302", "CD304"]


@pytest.mark.parametrize("rule", ALLOWABLE, ids=[r.code for r in ALLOWABLE])
def test_every_allowable_rule_has_an_allowed_extension_case(rule: type[Rule]) -> None:
    assert any(
        f.get("allowed_extension") is True for _, f in _findings_of(rule, _cases_of(rule))
    ), (
        f"{rule.code}: its documentation says rules.yaml may allow it, and no case shows "
        "an allowed extension"
    )
