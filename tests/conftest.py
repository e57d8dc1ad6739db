"""Shared fixtures: paths to the fixture data and a CLI runner that keeps stdout/stderr apart."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.testing
from typer.testing import CliRunner

from cosmicdiff.cli.app import app

# typer builds the click command tree anew on every CliRunner.invoke (70 % of a small
# in-process run); the tree depends only on the app, so the tests build it once per app.
_COMMANDS: dict[int, object] = {}
_build_command = typer.testing._get_command


def _cached_command(typer_app: typer.Typer) -> object:
    command = _COMMANDS.get(id(typer_app))
    if command is None:
        command = _COMMANDS[id(typer_app)] = _build_command(typer_app)
    return command


typer.testing._get_command = _cached_command

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINI_BASELINE = FIXTURES / "baselines" / "mini"
MINI_COPY = FIXTURES / "regions" / "mini-copy"
ESPIR = ROOT / "baselines" / "espir"
EXAMPLES = ROOT / "examples" / "regions"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden report files instead of comparing with them.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str | Path) -> CliResult:
    """Run the cosmicdiff CLI in-process and return exit code, stdout and stderr."""
    runner = CliRunner()
    result = runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    return CliResult(code=result.exit_code, stdout=result.stdout, stderr=result.stderr)


@pytest.fixture
def cli():
    return run_cli
