"""A rule's documentation as Markdown and as plain text, made once from its docstring.

Rule docstrings are written reStructuredText-ish: a description (one or more paragraphs),
then the four bold sections ``**Why it matters**``, ``**Example**``, ``**Allowed locally**``
and ``**Waiver**``, each running on until the next; literals as ````x````, emphasis as
``*x*``. :func:`rule_markdown` turns that into Markdown (paragraphs kept, each section a
paragraph led by ``**Heading:**``, literals as code spans): ``cosmicdiff explain`` renders it
(with rich on a terminal), SARIF carries it as ``help.markdown`` and docs/rules.md is built
from it. :func:`rule_text` is the same as plain text (SARIF ``help.text``).
"""

from __future__ import annotations

import re

from cosmicdiff.rules.base import Rule

#: The bold section headings every rule docstring has, in this order.
SECTIONS = ("Why it matters", "Example", "Allowed locally", "Waiver")

_SECTION = re.compile(r"\*\*(?P<head>[^*]+?)\*\*")
_RST_LITERAL = re.compile(r"``(?P<text>[^`]+?)``")
_FENCE = re.compile(r"^\s*(```|~~~)")
_CODE = re.compile(r"`(?P<text>[^`]+)`")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?P<text>[^*\s][^*]*?)\*(?![\w*])")
_BLANK = re.compile(r"\n[ \t]*\n")


def literals(text: str) -> str:
    """Turn reStructuredText literals (``x``) into Markdown code spans (`x`), outside fences."""
    out = []
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        out.append(line if fenced else _RST_LITERAL.sub(r"`\g<text>`", line))
    return "\n".join(out)


def unwrap(text: str) -> str:
    """Join a docstring paragraph's wrapped lines into one line."""
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def paragraphs(text: str) -> list[str]:
    """Return the paragraphs of ``text`` (separated by blank lines), each on one line."""
    return [p for p in (unwrap(part) for part in _BLANK.split(text)) if p]


def _split(rule: type[Rule]) -> tuple[str, list[tuple[str, str]]]:
    """Return a rule's description (as written) and its (heading, text) sections."""
    doc = rule.doc()
    matches = list(_SECTION.finditer(doc))
    description = doc[: matches[0].start()] if matches else doc
    sections = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        sections.append((m.group("head").strip(), unwrap(doc[m.end() : end])))
    heads = tuple(h for h, _ in sections)
    if heads != SECTIONS:
        raise ValueError(
            f"{rule.code} {rule.name}: the docstring has the sections "
            f"{list(heads)}; expected {list(SECTIONS)}"
        )
    return description, sections


def rule_sections(rule: type[Rule]) -> tuple[str, list[tuple[str, str]]]:
    """Split a rule's docstring into its description and its ``**Heading** text`` sections.

    Raise ValueError when a section is missing, unknown or out of order, so that a new rule
    cannot be documented by halves.
    """
    description, sections = _split(rule)
    return unwrap(description), sections


def rule_markdown(rule: type[Rule]) -> str:
    """Return a rule's documentation as Markdown: the description's paragraphs, then one
    paragraph per section (``**Why it matters:** …``); no final newline."""
    description, sections = _split(rule)
    parts = [literals(p) for p in paragraphs(description)]
    parts += [f"**{head}:** {literals(text)}" for head, text in sections]
    return "\n\n".join(parts)


def plain(markdown: str) -> str:
    """Return Markdown of the kind :func:`rule_markdown` writes as plain text."""
    text = markdown.replace("**", "")
    text = _CODE.sub(r"\g<text>", text)
    return _EMPHASIS.sub(r"\g<text>", text)


def rule_text(rule: type[Rule]) -> str:
    """Return a rule's documentation as plain text, paragraphs kept (SARIF ``help.text``)."""
    return plain(rule_markdown(rule))
