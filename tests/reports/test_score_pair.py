"""Changed scores under --reference: never "94 % → 94 %" (the rounding hid the change)."""

from __future__ import annotations

import pytest

from cosmicdiff.reports.i18n import score_pair


@pytest.mark.parametrize(
    ("before", "after", "lang", "shown"),
    [
        (0.9412, 0.9438, "sv", ("94,1 %", "94,4 %")),
        (0.9412, 0.9438, "en", ("94.1 %", "94.4 %")),
        (0.9412, 0.9588, "sv", ("94 %", "96 %")),  # whole percentages while they differ
        (None, 0.95, "sv", ("–", "95 %")),
        (0.95, None, "en", ("95 %", "–")),
    ],
)
def test_scores_print_as_whole_percentages_unless_that_hides_the_change(
    before: float | None, after: float | None, lang: str, shown: tuple[str, str]
) -> None:
    assert score_pair(before, after, lang) == shown


def test_two_printed_scores_of_a_change_always_differ() -> None:
    for step in range(1, 200):
        before, after = 0.9, 0.9 + step / 100_000
        first, second = score_pair(before, after, "sv")
        assert first != second, (before, after)
