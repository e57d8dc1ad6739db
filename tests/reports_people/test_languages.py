"""Swedish by default, English with --lang en; every label from the catalogues, which have
the same keys (and every key the templates use)."""

from __future__ import annotations

import re
import string
from collections.abc import Callable

import pytest

from cosmicdiff.parsers.fragment import NOTE_KINDS
from cosmicdiff.reports.paper import STATED as PAPER_STATED
from cosmicdiff.reports.view import band
from cosmicdiff.rules import ALL_RULES
from cosmicdiff.vocabulary import Entity, Kind, Severity
from reports_people._helpers import ROOT, TEMPLATES, catalogue, html_doc, norm, style_text

SV = catalogue("sv")
EN = catalogue("en")

#: labels that differ between the languages and never occur in the example data
LABEL_KEYS = [
    "report_title",
    "cover_baseline",
    "cover_tool",
    "cover_evaluated",
    "cover_digest",
    "cover_exported",
    "overview",
    "contents",
    "glossary",
    "decision_adopt",
    "decision_align",
    "decision_local",
    "legend",
    "chapter_catalogue",
    "default_severity",
    "rule_code",
    "justification",
    "no_deviation_in_template",
    "paper.owner",
    "paper.expires",
]


def test_catalogues_have_the_same_keys() -> None:
    assert sorted(SV) == sorted(EN)


def test_catalogue_values_are_filled_and_take_the_same_parameters() -> None:
    def params(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key in EN:
        assert SV[key].strip() and EN[key].strip(), key
        assert params(SV[key]) == params(EN[key]), key


def _keys_used(text: str) -> tuple[set[str], set[str]]:
    """Return (literal keys, dynamic prefixes) of t(...) calls in a template or module."""
    literal: set[str] = set()
    prefixes: set[str] = set()
    for call in re.finditer(r"\bt\(([^()]*)", text):
        args = re.sub(r"==\s*\"[^\"]*\"", "", call.group(1))  # comparisons are not keys
        args = re.sub(r"\w+=[^,]*", "", args)  # keyword parameters are not keys
        for key in re.findall(r"[\"']([\w.]+)[\"']", args):
            (prefixes if key.endswith(".") else literal).add(key)
    return literal, prefixes


DYNAMIC = {
    "severity.": [s.value for s in Severity],
    "kind.": [k.value for k in Kind],
    "entity.": [e.value for e in Entity],
    "band.": sorted({band(x / 100) for x in range(101)} | {"none"}),
    "rule.": [r.code for r in ALL_RULES],
    "note_kind.": sorted(NOTE_KINDS),
    "paper.baseline.": [
        *(k.value for k in Kind if k.value in PAPER_STATED),
        "mandatory",
        "repeatable",
    ],
}


@pytest.mark.parametrize(
    "source", ["templates/report.html.j2", "templates/report.md.j2", "view.py", "paper.py"]
)
def test_every_key_used_exists_in_both_catalogues(source: str) -> None:
    path = TEMPLATES.parent / source
    literal, prefixes = _keys_used(path.read_text(encoding="utf-8"))
    assert literal, "no t(...) call found; the scan is broken"
    missing = sorted(k for k in literal if k not in SV or k not in EN)
    assert missing == []
    for prefix in prefixes:
        assert prefix in DYNAMIC, f"unknown dynamic key prefix {prefix!r} in {source}"
        missing = sorted(
            prefix + v for v in DYNAMIC[prefix] if prefix + v not in SV or prefix + v not in EN
        )
        assert missing == [], source


def test_markdown_module_uses_no_other_keys() -> None:
    text = (ROOT / "cosmicdiff" / "reports" / "markdown.py").read_text(encoding="utf-8")
    literal, prefixes = _keys_used(text)
    assert all(k in SV and k in EN for k in literal) and not prefixes


@pytest.fixture(scope="module")
def html_sv(example: Callable[..., str]) -> str:
    return example("html")


@pytest.fixture(scope="module")
def html_en(example: Callable[..., str]) -> str:
    return example("html", "--lang", "en")


def test_swedish_is_the_default(html_sv: str, example: Callable[..., str]) -> None:
    doc = html_doc(html_sv)
    assert doc.get("lang") == "sv"
    text = norm(doc.body.text_content())
    for key in LABEL_KEYS:
        assert SV[key] in text, key
    assert f'"{SV["page"]}"' in style_text(html_sv)
    md = example("markdown")
    assert md.startswith(f"## {SV['report_title']}: ")
    assert f"### {SV['top_deviations']}" in md


def test_english_has_no_swedish_label(html_en: str, example: Callable[..., str]) -> None:
    doc = html_doc(html_en)
    assert doc.get("lang") == "en"
    text = norm(doc.body.text_content())
    for key in LABEL_KEYS:
        assert SV[key] != EN[key]
        assert SV[key] not in text, key
        assert EN[key] in text, key
    head = [
        norm(th.text_content())
        for th in doc.xpath("//table[contains(@class, 'side-by-side')][1]/thead/tr/th")
    ]
    assert head[:2] == [EN["item"], EN["baseline"]] and EN["decision"] not in head
    sev = {norm(s.text_content()) for s in doc.find_class("sev")}
    assert sev <= {
        EN["severity.error"],
        EN["severity.warning"],
        EN["severity.info"],
        EN["region_not_compared"],
    }
    css = style_text(html_en)
    assert f'"{EN["page"]}"' in css and f'"{SV["page"]}"' not in css
    md = example("markdown", "--lang", "en")
    assert md.startswith(f"## {EN['report_title']}: ")
    assert f"### {EN['top_deviations']}" in md
    for key in ("top_deviations", "all_deviations", "cover_evaluated", "cover_fail_on"):
        assert SV[key] not in md, key
