"""Nothing tells anyone (or any CI job) to install cosmicdiff from a package index: the CI
templates install a pinned tag or a hashed wheel, and every other install command they run is
pinned; the README, docs/ and the package's texts and messages name no unpinned cosmicdiff.
(Running the templates' install steps: test_ci_install.py.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from ._support import PACKAGE_TEMPLATES, PUBLIC_CI, ROOT
from .pins import check_requirement, problems

TEMPLATES = sorted([*PUBLIC_CI.glob("*.yml"), *(PACKAGE_TEMPLATES / "ci").glob("*.yml")])
DOCS = sorted(
    [ROOT / "README.md", *(ROOT / "docs").glob("*.md"), ROOT / "benchmarks" / "README.md"]
)
PACKAGE_TEXTS = sorted(
    p
    for p in (ROOT / "cosmicdiff").rglob("*")
    if p.suffix in {".j2", ".json", ".yml", ".yaml", ".md", ".toml"} and p.is_file()
)


def _strings(node: object) -> list[str]:
    """Every string in a parsed YAML document (shell steps, variables, inputs)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(node, list):
        return [s for item in node for s in _strings(item)]
    return []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_ci_templates_install_only_pinned_things(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    where = str(path.relative_to(ROOT))
    # the raw text (comments included: no comment suggests an unpinned install) ...
    found = problems(text, where, strict=True)
    # ... and every string of the parsed document, so that YAML quoting hides nothing
    for s in _strings(yaml.safe_load(text)):
        found += problems(s, f"{where} (parsed)", strict=True)
    assert not found, "\n".join(map(str, found))
    installs = [s for s in _strings(yaml.safe_load(text)) if re.search(r"\bpip install\b", s)]
    assert len(installs) == 1, installs
    # both ways of installing, each pinned: the tag of the repository, the wheel by its hash
    assert 'cosmicdiff @ git+${COSMICDIFF_REPO}@${COSMICDIFF_VERSION}"' in installs[0]
    assert "cosmicdiff @ ${COSMICDIFF_WHEEL}#sha256=${COSMICDIFF_WHEEL_SHA256:?}" in installs[0]


def test_ci_templates_pin_the_latest_release_of_the_changelog() -> None:
    """Releasing is one step: the tag the templates install is the newest version section of
    CHANGELOG.md (docs/release.md says to change both)."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    versions = re.findall(r"(?m)^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d\d-\d\d$", changelog)
    assert versions, "no released version in CHANGELOG.md"
    for path in TEMPLATES:
        pinned = re.findall(r'(?m)^\s*COSMICDIFF_VERSION: "v([^"]+)"$', path.read_text("utf-8"))
        assert pinned == [versions[0]], (path, pinned, versions[0])


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_never_install_cosmicdiff_from_an_index(path: Path) -> None:
    found = problems(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), strict=False)
    assert not found, "\n".join(map(str, found))


def test_package_texts_and_messages_never_install_cosmicdiff_from_an_index() -> None:
    """The package's templates and texts, and every string constant in its code (the PDF hint
    when WeasyPrint is missing, help texts): no install of cosmicdiff from an index."""
    found = []
    for path in PACKAGE_TEXTS:
        found += problems(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), strict=False
        )
    for path in sorted((ROOT / "cosmicdiff").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                found += problems(node.value, where, strict=False)
    assert not found, "\n".join(map(str, found))


@pytest.mark.parametrize(
    "command",
    [
        "pip install cosmicdiff",
        "python -m pip install -U cosmicdiff",
        'pip install "cosmicdiff==0.1.0"',
        "pip install 'cosmicdiff[pdf]'",
        "pipx install cosmicdiff",
        'pip install "cosmicdiff @ git+https://git.example.org/espir/cosmicdiff.git"',
        'pip install "cosmicdiff @ git+https://git.example.org/espir/cosmicdiff.git@main"',
        'pip install "cosmicdiff @ https://git.example.org/cosmicdiff-0.1.0-py3-none-any.whl"',
        "pip install weasyprint",  # strict: unpinned from an index
        "pip install $SOMETHING",
        "pip install \\",
    ],
)
def test_the_check_finds_unpinned_installs(command: str) -> None:
    assert problems(command, "x", strict=True), command


@pytest.mark.parametrize(
    "command",
    [
        "pip install . && cosmicdiff compare",
        "pip install '.[pdf]'",
        "pipx install dist/cosmicdiff-0.2.0-py3-none-any.whl",
        'pip install "cosmicdiff @ git+https://oauth2:${TOKEN}@git.example.org/c.git@v0.2.0"',
        'pip install "cosmicdiff[pdf] @ git+${COSMICDIFF_REPO}@${COSMICDIFF_VERSION}"',
        "pip install 'cosmicdiff @ https://h.example.org/c.whl#sha256=" + "0a" * 32 + "'",
        'pip install "weasyprint==62.3"',
    ],
)
def test_the_check_lets_pinned_installs_pass(command: str) -> None:
    assert not problems(command, "x", strict=True), problems(command, "x", strict=True)


def test_a_bare_name_is_allowed_in_docs_only_when_it_is_not_cosmicdiff() -> None:
    assert check_requirement("pre-commit", strict=False) is None
    assert check_requirement("pre-commit", strict=True)
    assert check_requirement("cosmicdiff", strict=False)
