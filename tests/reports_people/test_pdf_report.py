"""PDF: the HTML report printed to A4 by WeasyPrint (optional extra ``cosmicdiff[pdf]``)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cosmicdiff.cli.emit
from reports_people._helpers import (
    ESPIR,
    MINI_BASELINE,
    MINI_COPY,
    TODAY,
    baseline_templates,
    catalogue,
    compare_examples,
    load_yaml,
    run,
)

# prints, builds packages or runs CI templates: `-m 'not slow'` skips these locally
pytestmark = pytest.mark.slow

SV = catalogue("sv")
BASELINE: dict = load_yaml(ESPIR / "baseline.yaml")  # type: ignore[assignment]
RUNNING_LEFT = f"{BASELINE['name']} {BASELINE['version']}"
CHAPTERS = (
    [SV["overview"]]
    + [f"{c['name']} ({cid})" for cid, c in BASELINE["cases"].items()]
    + [SV["glossary"]]
)

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="poppler-utils (pdftoppm, pdfinfo, pdftotext) not installed",
)


@pytest.fixture(scope="module")
def example_pdf(_session_root: None, out_dir: Path) -> Path:
    pytest.importorskip("weasyprint")
    path = out_dir / "examples.pdf"
    r = compare_examples("--format", "pdf", "--output", path)
    assert r.code == 1, r.stderr
    return path


@pytest.fixture(scope="module")
def pages(example_pdf: Path) -> list[list[str]]:
    """The non-empty lines of every page (pdftotext -layout)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    text = subprocess.run(
        ["pdftotext", "-layout", str(example_pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    out = [
        [line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")
    ]
    return [p for p in out if p]


def test_pdf_file_starts_with_the_pdf_signature(example_pdf: Path) -> None:
    data = example_pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


@needs_poppler
def test_pdf_is_a4_landscape_with_several_pages(example_pdf: Path, tmp_path: Path) -> None:
    info = subprocess.run(
        ["pdfinfo", str(example_pdf)], check=True, capture_output=True, text=True
    ).stdout
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert int(fields["Pages"]) > 3
    assert "(A4)" in fields["Page size"]
    width, height = (float(x) for x in fields["Page size"].split("pts")[0].split(" x "))
    assert width > height  # landscape: side-by-side tables need the width
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "30",
            "-f",
            "1",
            "-l",
            "1",
            str(example_pdf),
            str(tmp_path / "page"),
        ],
        check=True,
        capture_output=True,
    )
    pngs = sorted(tmp_path.glob("page*.png"))
    assert len(pngs) == 1
    assert pngs[0].read_bytes().startswith(b"\x89PNG")


@needs_poppler
def test_pdf_running_header_and_page_numbers(pages: list[list[str]]) -> None:
    n = len(pages)
    assert n > 3
    assert pages[0][0] == f"{SV['report_title']}: {RUNNING_LEFT}"  # the cover has no header
    for number, lines in enumerate(pages, start=1):
        assert lines[-1] == f"{SV['page']} {number} {SV['of']} {n}", number
        if number > 1:
            assert lines[0].startswith(RUNNING_LEFT), number
            assert lines[0][len(RUNNING_LEFT) :].strip() in CHAPTERS, lines[0]


@needs_poppler
def test_pdf_table_headers_repeat_on_continued_pages(pages: list[list[str]]) -> None:
    """A page that does not start with a heading continues a table: its header row is
    printed again at the top."""
    headings = (
        set(CHAPTERS)
        | {SV["chapter_catalogue"], SV["contents"]}
        | {f"{name} {tid}" for tid, name in baseline_templates(ESPIR).items()}
    )
    continued = [lines[1] for lines in pages[1:] if lines[1] not in headings]
    assert continued, "no page continues a table"
    for first in continued:
        assert first.startswith((f"{SV['item']} ", f"{SV['rule_code']} ")), first


@needs_poppler
def test_pdf_running_header_names_the_chapter_at_the_top_of_the_page(
    pages: list[list[str]],
) -> None:
    current = None
    wrong = []
    for number, lines in enumerate(pages, start=1):
        body = lines[1:-1] if number > 1 else lines[:-1]
        if number > 1:
            expected = body[0] if body and body[0] in CHAPTERS else current
            shown = lines[0][len(RUNNING_LEFT) :].strip()
            if shown != expected:
                wrong.append((number, shown, expected))
        for line in body:
            if line in CHAPTERS:
                current = line
    assert wrong == []


@needs_poppler
def test_pdf_has_cover_then_overview_and_no_contents_page(pages: list[list[str]]) -> None:
    # the linked contents list is for the screen; in print the cover and the overview
    # each take one page and every case chapter starts on a new page
    assert not any(SV["contents"] in lines for lines in pages)
    assert pages[0][0].startswith(SV["report_title"])
    assert any(line.startswith(SV["overview"]) for line in pages[1])


def test_pdf_overview_page_has_the_chart(pages: list[list[str]]) -> None:
    # WeasyPrint draws the inline SVG: its legend and its numbers are on the overview page
    overview = " ".join(pages[1])
    assert SV["chart.after_waivers"] in overview and SV["chart.raw"] in overview
    assert overview.count("99 %") >= 3  # the table's Östergötland score and its two bars


def test_pdf_to_stdout_when_not_a_terminal() -> None:
    pytest.importorskip("weasyprint")
    r = run("compare", "-b", MINI_BASELINE, MINI_COPY, "--today", TODAY, "--format", "pdf")
    assert r.code == 0, r.stderr
    assert r.stdout_bytes.startswith(b"%PDF-")
    assert r.stdout_bytes.rstrip().endswith(b"%%EOF")
    assert r.stderr.startswith("cosmicdiff: 0 deviations")


def test_pdf_refused_on_a_terminal_without_output(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cosmicdiff.cli.emit, "is_tty", lambda: True)
    r = run("compare", "-b", MINI_BASELINE, MINI_COPY, "--today", TODAY, "--format", "pdf")
    assert r.code == 2
    assert r.stdout_bytes == b""
    assert len(r.stderr.splitlines()) == 1 and "--output" in r.stderr


@pytest.mark.parametrize("command", ["compare", "report"])
def test_pdf_without_weasyprint_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str
) -> None:
    saved = tmp_path / "result.json"
    assert (
        run(
            "compare", "-b", MINI_BASELINE, MINI_COPY, "--today", TODAY, "-f", "json", "-o", saved
        ).code
        == 0
    )
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint -> ImportError
    out = tmp_path / "r.pdf"
    if command == "compare":
        r = run(
            "compare",
            "-b",
            MINI_BASELINE,
            MINI_COPY,
            "--today",
            TODAY,
            "--format",
            "pdf",
            "-o",
            out,
        )
    else:
        r = run("report", saved, "--format", "pdf", "-o", out)
    assert r.code == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert "cosmicdiff[pdf]" in lines[0]
    # cosmicdiff is on no package index: the hint never says to install the bare name
    assert "pip install 'weasyprint>=60'" in lines[0]
    assert "install 'cosmicdiff[pdf]'" not in lines[0]
    assert "internal error" not in r.stderr
    assert not out.exists()


def test_pdf_is_byte_identical_across_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    outs = []
    for i in range(2):
        if i:
            time.sleep(1.1)  # a timestamp in seconds must change between the runs
        path = tmp_path / f"r{i}.pdf"
        assert (
            run(
                "compare",
                "-b",
                MINI_BASELINE,
                MINI_COPY,
                "--today",
                TODAY,
                "--format",
                "pdf",
                "-o",
                path,
            ).code
            == 0
        )
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]
