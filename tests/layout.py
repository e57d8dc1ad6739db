"""The shape of the house: the package tree with line counts, its imports, and its rules.

Run it to see the tree (``python tests/layout.py``); ``tests/test_architecture.py`` holds the
rules: no module over 400 lines, no import circle, no ``_private`` module imported from
another package, nothing loose at the top of the package but what belongs there.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "cosmicdiff"
#: modules longer than this are a sign to split (docs/architecture.md)
MAX_LINES = 400


def module_name(path: Path) -> str:
    """Return the dotted name of a module file of the package."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def line_count(path: Path) -> int:
    """Return a file's number of lines."""
    return len(path.read_text(encoding="utf-8").splitlines())


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(tree: ast.Module) -> Iterator[ast.Import | ast.ImportFrom]:
    """Yield the imports executed when the module is imported (not inside functions, not
    under ``if TYPE_CHECKING``)."""
    stack: list[ast.stmt] = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and not _type_checking_only(node):
            stack.extend(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            stack.extend(
                node.body
                + node.orelse
                + node.finalbody
                + [s for h in node.handlers for s in h.body]
            )


def imported(name: str, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """Return the package modules an import statement of module ``name`` loads."""
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in known}
    if node.level:
        raise ValueError(
            f"{name}: relative import at line {node.lineno}; the package uses absolute imports only"
        )
    mod = node.module or ""
    out = {mod} if mod in known else set()
    out |= {f"{mod}.{a.name}" for a in node.names if f"{mod}.{a.name}" in known}
    return out


def import_graph(every: bool = False) -> dict[str, set[str]]:
    """Return module -> the package modules it imports when imported (``every``: also the
    imports inside functions)."""
    found = modules()
    known = set(found)
    graph: dict[str, set[str]] = {}
    for name, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        nodes = (
            (n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom))
            if every
            else _top_level_imports(tree)
        )
        targets: set[str] = set()
        for node in nodes:
            targets |= imported(name, node, known)
        # importing a.b.c runs a/__init__ and a/b/__init__ first: a package's own parents
        # are not a circle
        graph[name] = {t for t in targets if t != name and not name.startswith(t + ".")}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the import circles of a graph (each once, as a path that returns to its start)."""
    out: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                circle = path[path.index(nxt) :] + [nxt]
                if frozenset(circle) not in seen:
                    seen.add(frozenset(circle))
                    out.append(circle)
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return out


def private_imports() -> list[str]:
    """Return imports of a ``_private`` module from outside the package that holds it."""
    out = []
    for name, targets in import_graph(every=True).items():
        for target in sorted(targets):
            leaf = target.rsplit(".", 1)[-1]
            owner = target.rsplit(".", 1)[0]
            if leaf.startswith("_") and not name.startswith(owner + ".") and name != owner:
                out.append(f"{name} imports {target}")
    return out


def tree_lines() -> list[str]:
    """Return the package tree: one line per module, indented by package, with line counts."""
    lines = []
    for name, path in modules().items():
        depth = name.count(".")
        shown = path.name if path.name != "__init__.py" else f"{path.parent.name}/"
        lines.append(f"{'  ' * depth}{shown:<{40 - 2 * depth}} {line_count(path):>5}")
    return lines


if __name__ == "__main__":
    print("\n".join(tree_lines()))
    big = [
        f"{n} ({line_count(p)} lines)" for n, p in modules().items() if line_count(p) > MAX_LINES
    ]
    print(f"\nmodules over {MAX_LINES} lines: {', '.join(big) or 'none'}")
    circles = cycles(import_graph())
    print(f"import circles: {'; '.join(' -> '.join(c) for c in circles) or 'none'}")
    private = private_imports()
    print(f"private modules imported from another package: {'; '.join(private) or 'none'}")
    sys.exit(1 if big or circles or private else 0)
