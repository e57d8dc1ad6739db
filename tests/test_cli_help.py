"""Every command's --help names what its options and arguments take by a real metavar.

The walk goes through the click tree typer builds (every command of every group) and looks
at what the help shows: the usage line's pieces and each parameter's help record.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
import typer
from conftest import ROOT, run_cli
from typer.core import TyperArgument

from cosmicdiff.cli.app import app
from cosmicdiff.cli.helpformat import argument_label

#: what a type name looks like in a metavar: <str>, <list[Path]>, <int range>, {name}
TYPE_METAVAR = re.compile(r"<[^>]*>|\{[^}]*\}")
#: Python's type names and click's default metavars (TEXT, INTEGER, PATH ...), any case
PYTHON_TYPES = frozenset(
    {"str", "int", "float", "bool", "boolean", "path", "list", "tuple", "dict", "none"}
    | {"text", "integer", "filename", "directory", "uuid", "choice", "datetime"}
)


def _commands() -> list[tuple[str, typer.main.TyperCommand]]:
    root = typer.main.get_command(app)
    out = []
    ctx = typer.Context(root, info_name="cosmicdiff")

    def walk(cmd: object, path: str) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name in sorted(subs):
                walk(subs[name], f"{path} {name}")
        else:
            out.append((path, cmd))

    walk(root, "cosmicdiff")
    del ctx
    return out


COMMANDS = _commands()


def _metavars(cmd: typer.main.TyperCommand) -> list[tuple[str, str]]:
    """Return (parameter, what --help shows for what it takes) for every parameter."""
    ctx = typer.Context(cmd, info_name=cmd.name)
    shown = []
    for param in cmd.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        if isinstance(param, TyperArgument):
            shown.append((param.name or "", argument_label(param)))
            continue
        if param.is_flag:
            continue
        names = record[0].split(" / ")[0]
        shown.append((param.name or "", names.rsplit(" ", 1)[1] if " " in names else ""))
    return shown


def test_the_walk_finds_every_command() -> None:
    names = [path for path, _ in COMMANDS]
    assert "cosmicdiff compare" in names and "cosmicdiff decisions apply" in names
    assert len(names) >= 15


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_every_metavar_is_a_name_not_a_type(path: str, cmd: typer.main.TyperCommand) -> None:
    ctx = typer.Context(cmd, info_name=path)
    usage = " ".join(cmd.collect_usage_pieces(ctx))
    assert not TYPE_METAVAR.search(usage), f"{path}: usage {usage!r}"
    for name, metavar in _metavars(cmd):
        assert metavar, f"{path} {name}: no metavar"
        assert not TYPE_METAVAR.search(metavar), f"{path} {name}: {metavar!r}"
        bare = metavar.strip("[].").lower()
        assert bare not in PYTHON_TYPES, f"{path} {name}: {metavar!r} is a type name"
        assert metavar == metavar.upper() or metavar.startswith("["), f"{path} {name}"


def test_the_rendered_help_shows_the_metavars() -> None:
    res = run_cli("compare", "--help")
    assert res.code == 0
    assert "Usage: cosmicdiff compare [OPTIONS] [REGION]..." in res.stdout
    assert "  REGION...  Region export folders or files" in res.stdout
    for shown in ("--baseline DIR", "--output FILE", "--today DATE", "--jobs N", "--case CASE"):
        assert shown in res.stdout
    assert "--fail-on [error|warning|info|never]" in res.stdout
    assert not TYPE_METAVAR.search(res.stdout.split("Options:")[0])
    report = run_cli("report", "--help").stdout
    assert "Usage: cosmicdiff report [OPTIONS] RESULT" in report
    assert "{" not in report


def test_a_missing_argument_is_named_by_its_metavar() -> None:
    res = run_cli("report")
    assert res.code == 2
    assert "Missing argument 'RESULT'" in res.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["compare"],
        ["matrix"],
        ["validate"],
        ["report"],
        ["suggest-mapping"],
        ["waivers", "check"],
        ["baseline", "propose"],
        ["baseline", "diff"],
        ["decisions", "template"],
        ["decisions", "apply"],
    ],
)
def test_every_command_taking_paths_documents_the_wildcards(args: list[str]) -> None:
    text = " ".join(run_cli(*args, "--help").stdout.split())
    assert "A path with *, ? or [ that does not exist is expanded (sorted)" in text


def test_compare_and_matrix_share_their_option_declarations() -> None:
    from cosmicdiff.cli import compare, matrix, options

    shared = {"regions", "baseline", "case", "output", "lang", "waivers", "today", "terminology"}
    for module in (compare, matrix):
        func = getattr(module, module.__name__.rsplit(".", 1)[1])
        hints = func.__annotations__
        for name in shared:
            assert hints[name].startswith("o."), (module.__name__, name, hints[name])
            assert hasattr(options, hints[name][2:])


def _complete(words: str) -> list[str]:
    env = {
        **os.environ,
        "_COSMICDIFF_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "cosmicdiff"], capture_output=True, text=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_completion_offers_commands_and_choices() -> None:
    assert _complete("cosmicdiff com") == ["compare"]
    assert _complete("cosmicdiff compare --fail-on ") == ["error", "warning", "info", "never"]


def test_the_readme_documents_completion_for_bash_zsh_and_powershell() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Shell completion\n", 1)[1].split("\n## ", 1)[0]
    assert "cosmicdiff --install-completion" in section
    assert "cosmicdiff --show-completion >> $PROFILE" in section
    for shell in ("bash", "zsh", "PowerShell"):
        assert f"- **{shell}**" in section
    assert "'examples/regions/*'" in section  # the wildcards cosmicdiff expands itself
