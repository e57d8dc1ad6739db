"""The command line's house rules: commands registered explicitly by cli.app, no command
module importing another one (or the app), no import circle inside ``cosmicdiff.cli``."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(__file__).resolve().parents[1] / "cosmicdiff" / "cli"
#: modules every command may use; the rest (but app) are command modules
HELPERS = frozenset(
    {"common", "choices", "emit", "settings", "progress", "helpformat", "options", "paths"}
)
MODULES = sorted(p.stem for p in CLI.glob("*.py") if p.stem != "__init__")
COMMANDS = sorted(set(MODULES) - HELPERS - {"app"})


def _cli_imports(module: str) -> set[str]:
    """Return the cosmicdiff.cli modules ``module`` imports, at the top or in a function."""
    tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        else:
            continue
        found |= {
            n.split(".")[2]
            for n in names
            if n.startswith("cosmicdiff.cli.") and n.split(".")[2] in MODULES
        }
    return found - {module}


GRAPH = {m: _cli_imports(m) for m in MODULES}


def test_the_modules_are_the_app_the_helpers_and_the_command_groups() -> None:
    assert "app" in MODULES and set(MODULES) >= HELPERS
    assert COMMANDS == [
        "baseline",
        "check",
        "compare",
        "decisions",
        "info",
        "init",
        "matrix",
        "report",
        "suggest",
        "trend",
        "waivers",
    ]


def test_the_app_imports_every_command_module_and_nothing_imports_the_app() -> None:
    assert set(COMMANDS) <= GRAPH["app"]
    assert [m for m in MODULES if "app" in GRAPH[m]] == []


@pytest.mark.parametrize("module", COMMANDS)
def test_a_command_module_imports_helpers_only(module: str) -> None:
    assert GRAPH[module] <= HELPERS, GRAPH[module] - HELPERS


@pytest.mark.parametrize("module", sorted(HELPERS))
def test_a_helper_imports_no_command_module(module: str) -> None:
    assert GRAPH[module] <= HELPERS, GRAPH[module] - HELPERS


def test_no_import_circle_inside_the_cli() -> None:
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for imported in sorted(GRAPH[module]):
            visit(imported, (*path, module))
        done.add(module)

    for module in MODULES:
        visit(module, ())


_LOADED = """
import importlib, json, sys
out = {}
for module in sys.argv[1:]:
    for name in [n for n in sys.modules if n.startswith("cosmicdiff.cli")]:
        del sys.modules[name]
    importlib.import_module(f"cosmicdiff.cli.{module}")
    out[module] = sorted(n.split(".")[2] for n in sys.modules
                         if n.startswith("cosmicdiff.cli.") and n.count(".") == 2)
print(json.dumps(out))
"""


def test_importing_a_command_module_loads_no_other_command_module() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", _LOADED, *COMMANDS], capture_output=True, text=True, check=True
    )
    loaded = json.loads(proc.stdout)
    for module in COMMANDS:
        assert set(loaded[module]) - HELPERS == {module}, (module, loaded[module])
