"""Generate documentation from the code, so that it cannot drift from what the code does.

``python -m cosmicdiff.authoring.docgen rules > docs/rules.md`` writes the rule reference from
:data:`cosmicdiff.rules.ALL_RULES` (code, name, default severity, summary and each rule's
docstring) and from the module docstrings of ``cosmicdiff/rules/config.py`` (``rules.yaml``)
and ``cosmicdiff/rules/waivers.py`` (``waivers.yaml``).
``python -m cosmicdiff.authoring.docgen rules --check docs/rules.md`` exits 1 when the file
is stale.

The output is deterministic: the same code gives the same bytes (LF line ends, one final
newline, no dates or versions).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from cosmicdiff.rules import ALL_RULES, Rule
from cosmicdiff.rules.docs import SECTIONS, literals, rule_markdown, rule_sections

__all__ = ["REGENERATE", "SECTIONS", "main", "rule_sections", "rules_markdown"]

#: The command that regenerates docs/rules.md (printed by --check and by the docs test).
REGENERATE = "python -m cosmicdiff.authoring.docgen rules > docs/rules.md"


def _slug(heading: str) -> str:
    """Return the anchor GitHub and GitLab give a heading (lower case, spaces to hyphens)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _module_doc(module: object) -> str:
    """Return a module docstring as Markdown (dedented, literals converted, ends stripped)."""
    import inspect

    return literals(inspect.cleandoc(getattr(module, "__doc__", None) or "")).strip()


def _rule_block(rule: type[Rule]) -> list[str]:
    rule_sections(rule)  # refuses a docstring without its four sections
    return [
        f"## {rule.code} {rule.name}",
        "",
        f"- Default severity: **{rule.default_severity.value}**",
        f"- Summary: {literals(rule.summary)}",
        f"- In rules.yaml and waivers: `{rule.code}` or `{rule.name}`",
        "",
        rule_markdown(rule),
        "",
    ]


def rules_markdown() -> str:
    """Return the rule reference (docs/rules.md) as Markdown: LF line ends, final newline."""
    from cosmicdiff.rules import config, waivers

    rules = list(ALL_RULES)
    lines = [
        "# Rule reference",
        "",
        "<!-- Generated from the rule classes in cosmicdiff/rules/; do not edit by hand.",
        "     Regenerate with: " + REGENERATE + " -->",
        "",
        "Every deviation cosmicdiff finds is classified by exactly one rule. A rule has a",
        "stable **code**: `CD1xx` for journal templates (journalmallar) and their item trees,",
        "`CD2xx` for keyword (sökord) definitions, `CD3xx` for value lists (fasta värden),",
        "values and terms. Its **name** may be written instead of the code in `rules.yaml`",
        "and `waivers.yaml`. Its **default severity** is one of:",
        "",
        "- `error`: the regions cannot share documentation or decision support until it is",
        "  fixed;",
        "- `warning`: a difference the harmonisation work should decide on;",
        "- `info`: cosmetic or expected, shown for completeness.",
        "",
        "`cosmicdiff compare` exits 1 when an unwaived deviation is at or above `--fail-on`",
        "(default `error`). The baseline's `rules.yaml` can change severities (see",
        "[Configuring the rules](#configuring-the-rules-rulesyaml)); a waiver accepts one",
        "deviation for a time (see [Waivers](#waivers-waiversyaml)). `cosmicdiff rules` lists",
        "the rules in the terminal and `cosmicdiff explain CODE` prints one of them. When and",
        "how each deviation kind is found is described in [comparison.md](comparison.md); the",
        "input format in [export-format.md](export-format.md).",
        "",
        "| code | name | default severity | finds |",
        "| --- | --- | --- | --- |",
    ]
    for rule in rules:
        anchor = _slug(f"{rule.code} {rule.name}")
        lines.append(
            f"| [{rule.code}](#{anchor}) | `{rule.name}` | "
            f"{rule.default_severity.value} | {literals(rule.summary)} |"
        )
    lines += [
        "",
        "## Configuring the rules (rules.yaml)",
        "",
        "A baseline folder may hold a `rules.yaml` next to `baseline.yaml`. Without it every",
        "rule has its default severity, nothing is an allowed extension and nothing is expected.",
        "A per-case severity wins over a global one; a rule may be named by code or name. An",
        "**allowed extension** turns the matching deviations (by default `CD104`",
        "extra-item) into its `severity` (default `info`) and marks them `allowed_extension`;",
        "they do not lower the harmonisation score. An **expected difference** is never",
        "reported; the result counts it in `summary.expected_suppressed`. Any unknown key,",
        "rule, case or severity stops the run with `rules.yaml:LINE: message` (exit status 2).",
        "",
        "From `cosmicdiff/rules/config.py`:",
        "",
        _module_doc(config),
        "",
        "## Waivers (waivers.yaml)",
        "",
        "Each rule below says when a waiver is reasonable. Waivers are read from",
        "`waivers.yaml` in the baseline folder, or from `--waivers FILE`. An entry needs",
        "`region`, `rule`, `item`, `reason`, `owner` and `expires` (a date `YYYY-MM-DD`; the",
        "waiver still applies on that day), and should pin the values it accepts with",
        "`expected` and `actual` (a waiver without them is *unpinned*: it still waives, and is",
        "reported); `id` (default `W1`, `W2` … by position), `path`, `kind`, `approver` and",
        "`decision` are optional. `cosmicdiff waivers check FILE` checks a waiver file on its",
        "own, and with `--result RESULT.json` against a saved result. Pinning, mismatches and",
        "the checks are described in [waivers.md](waivers.md).",
        "",
        "From `cosmicdiff/rules/waivers.py`:",
        "",
        _module_doc(waivers),
        "",
    ]
    for rule in rules:
        lines += _rule_block(rule)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"


_USAGE = f"""usage: python -m cosmicdiff.authoring.docgen rules [--check FILE]

  rules               write the rule reference (Markdown) to standard output:
                        {REGENERATE}
  rules --check FILE  exit 1 with one line if FILE differs from what would be generated
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``rules`` prints docs/rules.md, ``rules --check FILE`` checks it."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["-h"], ["--help"]):
        sys.stdout.write(_USAGE)
        return 0
    if (
        not args
        or args[0] != "rules"
        or len(args) not in (1, 3)
        or (len(args) == 3 and args[1] != "--check")
    ):
        sys.stderr.write(_USAGE)
        return 2
    text = rules_markdown()
    if len(args) == 1:
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.flush()
        return 0
    target = Path(args[2])
    try:
        current = target.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        sys.stderr.write(
            f"{target}: cannot read: {getattr(exc, 'strerror', None) or exc}; run: {REGENERATE}\n"
        )
        return 1
    if current != text:
        sys.stderr.write(f"{target} is out of date with the rules in the code; run: {REGENERATE}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
