"""Every rule case of tests/rules/cases/*.yaml, run by one test (see casefile.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .casefile import RuleCase, all_cases, classified, mismatch_report, unmatched, write_case

CASES = all_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(case: RuleCase, tmp_path: Path) -> None:
    found, suppressed = classified(*write_case(case, tmp_path))
    missing, extra = unmatched(case.expect, found)
    assert not missing and not extra, mismatch_report(case, missing, extra)
    assert suppressed == case.suppressed, (
        f"{case.id} ({case.where}): {suppressed} expected differences left out, "
        f"the case says {case.suppressed}"
    )
