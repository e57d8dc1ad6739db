"""Every HTML report carries a Content-Security-Policy that allows nothing but its own inline
CSS (and data: images): no script, no fetch, no form. The report uses nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ESPIR, EXAMPLES
from lxml import html

from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.reports import pdf
from cosmicdiff.reports.base import RenderContext

Cli = Callable[..., Any]
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
REGIONS = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())


def _check(text: str) -> None:
    doc = html.document_fromstring(text.encode("utf-8"))
    head = doc.find("head")
    metas = head.findall("meta")
    assert metas[0].get("charset") == "utf-8"
    # right after the charset, before anything the policy governs
    assert (metas[1].get("http-equiv"), metas[1].get("content")) == ("Content-Security-Policy", CSP)
    assert len(doc.xpath("//meta[@http-equiv='Content-Security-Policy']")) == 1
    # what the policy forbids is not used: no script, handler, form, frame or outside fetch
    assert not doc.xpath("//script | //form | //iframe | //object | //embed | //link | //base")
    assert not [
        a
        for el in doc.iter()
        if isinstance(el.tag, str)
        for a in el.attrib
        if a.lower().startswith("on")
    ]
    for el in doc.xpath("//*[@href]"):
        assert el.get("href").startswith("#"), el.get("href")
    for el in doc.xpath("//*[@src]"):
        assert el.get("src").startswith("data:"), el.get("src")
    assert "url(" not in "".join(doc.xpath("//style/text()"))


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_compare_html_report_has_the_policy(cli: Cli, tmp_path: Path, lang: str) -> None:
    out = tmp_path / "r.html"
    got = cli(
        "compare",
        "--baseline",
        ESPIR,
        *REGIONS,
        "--format",
        "html",
        "--lang",
        lang,
        "--output",
        out,
        "--today",
        "2026-11-23",
    )
    assert got.code == 1, got.stderr
    _check(out.read_text(encoding="utf-8"))


def test_report_from_a_saved_result_has_the_policy(cli: Cli, tmp_path: Path) -> None:
    saved, out = tmp_path / "r.json", tmp_path / "r.html"
    assert (
        cli(
            "compare",
            "--baseline",
            ESPIR,
            *REGIONS,
            "--format",
            "json",
            "--output",
            saved,
            "--today",
            "2026-11-23",
        ).code
        == 1
    )
    assert cli("report", saved, "--output", out).code == 1
    _check(out.read_text(encoding="utf-8"))


def test_matrix_html_has_the_policy(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    got = cli(
        "matrix",
        "--baseline",
        ESPIR,
        *REGIONS,
        "--format",
        "html",
        "--output",
        out,
        "--today",
        "2026-11-23",
    )
    assert got.code in (0, 1), got.stderr
    _check(out.read_text(encoding="utf-8"))


def test_the_html_printed_to_pdf_has_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    weasyprint = pytest.importorskip("weasyprint")
    printed: list[str] = []

    class FakeHTML:
        def __init__(self, string: str, base_url: object) -> None:
            printed.append(string)

        def write_pdf(self) -> bytes:
            return b"%PDF-1.7\n"

    monkeypatch.setattr(weasyprint, "HTML", FakeHTML)
    result = compare(ESPIR, REGIONS, CompareOptions(today=dt.date(2026, 11, 23)))
    assert pdf.PdfReporter().render_bytes(result, RenderContext(lang="sv")) == b"%PDF-1.7\n"
    (text,) = printed
    _check(text)
