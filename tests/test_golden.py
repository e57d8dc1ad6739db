"""Golden files: every report format on the shipped examples, byte for byte.

Regenerate with ``pytest --update-golden`` only when a change of output is intended,
and say so in the commit message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ESPIR, EXAMPLES, ROOT, run_cli

GOLDEN = ROOT / "tests" / "golden" / "examples"
REGIONS = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
CASES = [
    ("result.json", ["--format", "json"]),
    ("terminal.sv.txt", ["--format", "text"]),
    ("terminal.en.txt", ["--format", "text", "--lang", "en"]),
    ("junit.xml", ["--format", "junit"]),
    ("result.sarif", ["--format", "sarif"]),
    ("gl-code-quality.json", ["--format", "gitlab"]),
    ("report.sv.html", ["--format", "html"]),
    ("report.en.html", ["--format", "html", "--lang", "en"]),
    ("report.sv.md", ["--format", "markdown"]),
    ("report.en.md", ["--format", "markdown", "--lang", "en"]),
]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, args: list[str], tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / name
    r = run_cli("compare", "--baseline", ESPIR, *REGIONS, *args, "--output", out,
                "--today", "2026-11-23")
    assert r.code == 1, r.stderr
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r\n" not in text
    golden = GOLDEN / name
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.is_file(), f"missing golden file {golden}; run pytest --update-golden"
    assert text == golden.read_text(encoding="utf-8")
