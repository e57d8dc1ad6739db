"""Golden files: every report format on the shipped examples, byte for byte.

Regenerate with ``pytest --update-golden`` only when a change of output is intended,
and say so in the commit message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import ESPIR, EXAMPLES, ROOT, run_cli

GOLDEN = ROOT / "tests" / "golden" / "examples"
#: The tool version the goldens record. The real one comes from the git tag (setuptools-scm)
#: and between tags changes with every commit; the reports only print it.
GOLDEN_VERSION = "0.1.0"
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


@pytest.fixture(autouse=True)
def golden_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compare as the version the goldens were written with (the pipeline stamps it)."""
    monkeypatch.setattr("cosmicdiff.pipeline.__version__", GOLDEN_VERSION)


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, args: list[str], tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / name
    r = run_cli(
        "compare", "--baseline", ESPIR, *REGIONS, *args, "--output", out, "--today", "2026-11-23"
    )
    assert r.code == 1, r.stderr
    text = out.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r\n" not in text
    golden = GOLDEN / name
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.is_file(), f"missing golden file {golden}; run pytest --update-golden"
    expected = golden.read_text(encoding="utf-8")
    if text != expected and name.endswith((".json", ".sarif")):
        pytest.fail(
            f"{name} differs from its golden file:\n"
            f"{json_changes(json.loads(expected), json.loads(text))}"
        )
    assert text == expected


def json_changes(expected: Any, actual: Any) -> str:
    """Return what differs between two JSON documents, path by path (deepdiff), readably."""
    from deepdiff import DeepDiff

    return str(DeepDiff(expected, actual, verbose_level=2).pretty()) or "only the layout differs"


def test_json_changes_name_the_changed_paths() -> None:
    golden = json.loads((GOLDEN / "result.json").read_text(encoding="utf-8"))
    changed = json.loads(json.dumps(golden))
    changed["deviations"][3]["actual"] = "ändrat"
    del changed["summary"]["waived"]
    text = json_changes(golden, changed)
    assert "root['deviations'][3]['actual']" in text and '"ändrat"' in text
    assert "root['summary']['waived']" in text
    assert json_changes(golden, golden) == "only the layout differs"
