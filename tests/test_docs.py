"""The documentation stays true to the code: the generated rule reference is current, it
names every rule, every relative link in README.md and docs/*.md points at a file that
exists (and, inside Markdown files, at a heading that exists), and the export script of
docs/howto-export.md works on the example input shown there."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cosmicdiff.authoring.docgen import REGENERATE, main, rule_sections, rules_markdown
from cosmicdiff.rules import ALL_RULES

ROOT = Path(__file__).resolve().parents[1]
RULES_MD = ROOT / "docs" / "rules.md"
HOWTO_MD = ROOT / "docs" / "howto-export.md"
DOCS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])

_FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_INLINE_LINK = re.compile(
    r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]"  # [text], which may hold [brackets]
    r"\(\s*(<[^>]*>|[^)\s]+)(?:\s+[\"'(][^)]*)?\)"
)  # (target "optional title")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)", re.M)
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$", re.M)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def _prose(text: str) -> str:
    """Return Markdown text without fenced code, code spans and comments (links there are
    not links)."""
    text = _FENCE.sub("", text)
    text = _COMMENT.sub("", text)
    return _CODE_SPAN.sub("", text)


def _links(text: str) -> list[str]:
    prose = _prose(text)
    found = [m.group(1) for m in _INLINE_LINK.finditer(prose)]
    found += [m.group(1) for m in _REF_DEF.finditer(prose)]
    return [t[1:-1] if t.startswith("<") else t for t in found]


def _slug(heading: str) -> str:
    """GitHub's/GitLab's anchor of a heading: no markup, lower case, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"[`*_]", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    text = _FENCE.sub("", path.read_text(encoding="utf-8"))
    seen: dict[str, int] = {}
    out = set()
    for m in _HEADING.finditer(text):
        slug = _slug(m.group(2))
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    out |= {m.group(1) for m in re.finditer(r"<a\s+(?:name|id)=\"([^\"]+)\"", text)}
    return out


def test_rules_md_is_current() -> None:
    current = RULES_MD.read_text(encoding="utf-8") if RULES_MD.is_file() else ""
    assert current == rules_markdown(), (
        f"docs/rules.md is out of date with the rules in the code; run: {REGENERATE}"
    )


def test_rules_markdown_is_deterministic_lf_with_final_newline() -> None:
    text = rules_markdown()
    assert text == rules_markdown()
    assert "\r" not in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_every_rule_is_documented() -> None:
    text = rules_markdown()
    for rule in ALL_RULES:
        assert f"\n## {rule.code} {rule.name}\n" in text, rule.code
        assert f"| [{rule.code}](#" in text, f"{rule.code} is not in the table of codes"
        description, sections = rule_sections(rule)  # raises if a section is missing
        assert description, f"{rule.code} has no description before its sections"
        assert all(body for _, body in sections), f"{rule.code} has an empty section"
    codes = re.findall(r"^## (CD\d{3}) ", text, re.M)
    assert codes == [r.code for r in ALL_RULES], "rules are missing, doubled or out of order"


def test_rules_yaml_settings_are_documented() -> None:
    text = rules_markdown()
    for key in ("severities:", "allowed_extensions:", "expected:", "waivers:", "expires:"):
        assert key in text, key


def test_check_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "rules.md"
    good.write_bytes(rules_markdown().encode("utf-8"))
    assert main(["rules", "--check", str(good)]) == 0
    stale = tmp_path / "stale.md"
    stale.write_text("# Rule reference\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["rules", "--check", str(stale)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and REGENERATE in err
    assert main(["rules", "--check", str(tmp_path / "absent.md")]) == 1
    assert main(["nonsense"]) == 2


def test_main_prints_the_reference(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["rules"]) == 0
    assert capsysbinary.readouterr().out == rules_markdown().encode("utf-8")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_relative_links_point_at_existing_files(doc: Path) -> None:
    broken = []
    for target in _links(doc.read_text(encoding="utf-8")):
        if _SCHEME.match(target) or target.startswith("//"):
            continue  # http:, https:, mailto: …
        file_part, _, anchor = target.partition("#")
        dest = (doc.parent / file_part).resolve() if file_part else doc
        if not dest.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and dest.suffix.lower() == ".md" and anchor not in _anchors(dest):
            broken.append(f"{target} (no heading with that anchor)")
    assert not broken, f"{doc.relative_to(ROOT)}: broken links: {', '.join(broken)}"


def test_link_finder() -> None:
    text = (
        'See [a](docs/a.md), ![img](images/x.png "title"), [b](<with space.md>),\n'
        "`[not](a-link.md)` and [c][ref].\n\n[ref]: other.md\n\n"
        "```\n[also not](x.md)\n```\n"
    )
    assert _links(text) == ["docs/a.md", "images/x.png", "with space.md", "other.md"]
    assert _slug("CD101 missing-template") == "cd101-missing-template"
    assert _slug("Configuring the rules (rules.yaml)") == "configuring-the-rules-rulesyaml"
    assert _slug("Sökord: `CSV` lists") == "sökord-csv-lists"


_HOWTO_BLOCK = re.compile(
    r"<!-- howto-(?P<kind>file|output): (?P<name>\S+) -->\n```[a-z]*\n(?P<body>.*?)\n```\n", re.S
)


def _howto_blocks() -> list[tuple[str, str, str]]:
    text = HOWTO_MD.read_text(encoding="utf-8")
    return [(m["kind"], m["name"], m["body"] + "\n") for m in _HOWTO_BLOCK.finditer(text)]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("NO_COLOR", None)
    return subprocess.run(
        args,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_howto_export_script_runs_on_its_example(tmp_path: Path) -> None:
    blocks = _howto_blocks()
    names = {name for kind, name, _ in blocks if kind == "file"}
    assert {
        "build_export.py",
        "query/items.csv",
        "regions/exempel/region.yaml",
        "regions/exempel/mapping.yaml",
        "yaml/suicidrisk.yaml",
    } <= names
    for kind, name, body in blocks:
        if kind == "file":
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(body, encoding="utf-8", newline="\n")
    built = _run(
        [
            sys.executable,
            "build_export.py",
            "query",
            "regions/exempel/exempel-export.xml",
            "--region",
            "exempel",
            "--cosmic-version",
            "R8.1",
            "--exported",
            "2026-11-02T08:00:00+01:00",
        ],
        tmp_path,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    assert "ok: regions/exempel: region exempel" in built.stdout
    shown = [
        body
        for kind, name, body in blocks
        if kind == "output" and name == "regions/exempel/exempel-export.xml"
    ]
    assert shown, "the how-to no longer shows the script's output"
    written = (tmp_path / "regions/exempel/exempel-export.xml").read_text(encoding="utf-8")
    assert written == shown[0], "docs/howto-export.md shows another XML than the script writes"
    baseline = ROOT / "baselines" / "espir"
    checked = _run(
        [
            sys.executable,
            "-m",
            "cosmicdiff",
            "validate",
            str(baseline),
            "regions/exempel",
            "yaml/suicidrisk.yaml",
        ],
        tmp_path,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "warning" not in checked.stdout


def test_howto_export_script_reports_a_broken_parent(tmp_path: Path) -> None:
    for kind, name, body in _howto_blocks():
        if kind == "file":
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).write_text(body, encoding="utf-8", newline="\n")
    items = tmp_path / "query" / "items.csv"
    items.write_text(
        items.read_text(encoding="utf-8").replace(";502;501;", ";502;999;"), encoding="utf-8"
    )
    built = _run([sys.executable, "build_export.py", "query", "out.xml", "--region", "x"], tmp_path)
    assert built.returncode == 2
    assert "items.csv:3: row 502 is not reachable" in built.stderr
