"""The house keeps its shape: stage folders, modules under 400 lines, no import circle, no
``_private`` module used from another package (docs/architecture.md; ``python tests/layout.py``
prints the tree)."""

from __future__ import annotations

import layout

#: what may lie loose at the top of the package: the vocabulary every stage shares, and the
#: pipeline that strings the stages together
TOP_LEVEL = {
    "cosmicdiff",
    "cosmicdiff.__main__",
    "cosmicdiff.errors",
    "cosmicdiff.model",
    "cosmicdiff.names",
    "cosmicdiff.vocabulary",
    "cosmicdiff.pipeline",
    "cosmicdiff.parallel",
    "cosmicdiff._version",  # written by the build (setuptools-scm), not in git: docs/release.md
}
STAGES = {
    "io",
    "parsers",
    "checks",
    "match",
    "diff",
    "rules",
    "result",
    "reports",
    "workshop",
    "authoring",
    "cli",
    "schemas",
}


def test_no_module_is_over_400_lines() -> None:
    big = {
        name: layout.line_count(path)
        for name, path in layout.modules().items()
        if layout.line_count(path) > layout.MAX_LINES
    }
    assert big == {}, "split these along their jobs (docs/architecture.md)"


def test_no_import_circle() -> None:
    assert layout.cycles(layout.import_graph()) == []


def test_no_private_module_is_imported_from_another_package() -> None:
    assert layout.private_imports() == []


def test_the_top_of_the_package_holds_only_the_shared_vocabulary_and_the_pipeline() -> None:
    loose = {n for n, path in layout.modules().items() if path.parent == layout.PACKAGE}
    assert loose <= TOP_LEVEL, f"move into a stage folder: {sorted(loose - TOP_LEVEL)}"
    folders = {p.name for p in layout.PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == STAGES


def test_every_stage_folder_says_what_it_holds() -> None:
    for stage in STAGES - {"schemas"}:
        doc = (layout.PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")
        assert doc.startswith('"""') and len(doc) > 60, stage


def test_the_checks_find_what_they_look_for() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e2"}, "e2": {"e"}}
    assert sorted(map(sorted, layout.cycles(graph))) == [["a", "a", "b", "c"], ["e", "e", "e2"]]
    assert layout.cycles({"a": {"b"}, "b": set()}) == []
    assert any("cli/app.py" in line or "app.py" in line for line in layout.tree_lines())
