"""Rule documentation rendered once from the docstrings: Markdown (explain, SARIF help,
docs/rules.md) and plain text (SARIF help.text), paragraphs kept."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES, run_cli

from cosmicdiff.rules import ALL_RULES, get_rule
from cosmicdiff.rules.docs import SECTIONS, paragraphs, plain, rule_markdown, rule_text


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.code for r in ALL_RULES])
def test_every_rule_is_markdown_with_a_paragraph_per_section(rule: type) -> None:
    md = rule_markdown(rule)
    assert "``" not in md and not md.endswith("\n")
    parts = md.split("\n\n")
    assert [p.split(":**")[0] for p in parts[-4:]] == [f"**{h}" for h in SECTIONS]
    assert all("\n" not in p for p in parts)  # wrapped lines joined, paragraphs apart
    text = rule_text(rule)
    assert "**" not in text and "`" not in text
    assert text.split("\n\n")[-1].startswith("Waiver: ")


def test_rst_literals_and_emphasis() -> None:
    md = rule_markdown(get_rule("CD206"))
    assert "Undantagna sökord (`hiddenFrom1177`) protect" in md
    assert "\n\n**Example:** *Tredje person* hidden in the baseline" in md
    text = rule_text(get_rule("CD206"))
    assert "Example: Tredje person hidden" in text and "(hiddenFrom1177)" in text


def test_a_description_of_several_paragraphs_keeps_them() -> None:
    md = rule_markdown(get_rule("CD209"))
    first, second = md.split("\n\n")[:2]
    assert (
        first == "An openEHR slot that the baseline leaves empty holds an archetype in the region."
    )
    assert second.startswith("One finding per filled slot:")


def test_paragraphs_and_plain() -> None:
    assert paragraphs("a\nb\n\n  c\n \n\nd") == ["a b", "c", "d"]
    assert plain("**H:** x `y` *z* 2 * 3 *a*b") == "H: x y z 2 * 3 *a*b"


def test_sarif_help_is_the_rendered_documentation(tmp_path) -> None:
    out = tmp_path / "r.sarif"
    res = run_cli("compare", "-b", "espir", EXAMPLES / "kalmar", "-o", out)
    assert res.code == 1
    rules = json.loads(out.read_text(encoding="utf-8"))["runs"][0]["tool"]["driver"]["rules"]
    by_id = {r["id"]: r for r in rules}
    cd206 = get_rule("CD206")
    assert by_id["CD206"]["help"] == {"text": rule_text(cd206), "markdown": rule_markdown(cd206)}


def test_explain_on_a_terminal_renders_the_markdown(monkeypatch: pytest.MonkeyPatch) -> None:
    from cosmicdiff.cli import info

    monkeypatch.setattr(info, "is_tty", lambda: True)
    monkeypatch.setattr(info, "color", lambda: False)
    res = run_cli("explain", "CD206")
    assert res.code == 0
    lines = [line.rstrip() for line in res.stdout.splitlines()]
    assert lines[0] == "CD206 visibility-changed (default severity: error)"
    assert "**" not in res.stdout and "``" not in res.stdout
    assert any(line.startswith("Why it matters: Undantagna sökord") for line in lines)
    assert "Example: Tredje person hidden" in res.stdout
