"""Every shell block of README.md and docs/*.md works as shown (issue 18).

Each document's ``console``/``sh``/``bash`` blocks run top to bottom in a temporary copy of
the repository (the convention is in tests/docs_console.py and docs/architecture.md):
``cosmicdiff …`` lines in this process as on a terminal 100 columns wide, other lines in
bash, outputs compared where a block shows them. The install lines are replaced by the venv
running the tests; the slow test runs the README's first block for real. PowerShell blocks
are not run (no ``pwsh``): each must be its POSIX twin translated, and every ``cosmicdiff``
line of any block must name a command and options that exist.
"""

from __future__ import annotations

import enum
import functools
import os
import re
import shlex
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import typer.main
from docs_console import (
    DOCS,
    POSIX,
    ROOT,
    SHARED,
    Block,
    Runner,
    all_shell_blocks,
    copy_repository,
    environment,
    matches,
    normalise_powershell,
    powershell_commands,
    shell_blocks,
    steps,
    to_powershell,
    twins,
)

README = ROOT / "README.md"
#: documents with a block to run (docs/release.md's are all skipped: tagging, building)
RUNNABLE = [d for d in DOCS if any(b.lang in POSIX and not b.skip for b in shell_blocks(d))]


@pytest.mark.parametrize("doc", RUNNABLE, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_shell_blocks_work_as_shown(doc: Path, tmp_path: Path) -> None:
    runner = Runner(copy_repository(tmp_path))
    runner.run_document(doc)
    assert not runner.failures, "\n\n".join(runner.failures)
    assert runner.ran, f"{doc.name}: no command was run"
    if os.environ.get("CI") and not SHARED.is_dir():
        pytest.fail(f"{SHARED} is missing under CI; the realdata examples need it")
    missing = [s for s in runner.skipped if str(SHARED) in s]
    if missing:
        pytest.skip("not run: " + "; ".join(missing))


def test_every_skip_says_why() -> None:
    for block in all_shell_blocks():
        if block.skip is not None:
            assert len(block.skip) > 10, f"{block.where}: skip without a reason"


def _blocks(doc: Path, lang: str) -> list[Block]:
    return [b for b in shell_blocks(doc) if b.lang == lang]


def _ci_run_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return next(line for line in lines if line.startswith("python3 -m venv"))


def test_readme_starts_with_the_two_commands_and_their_twins() -> None:
    first = shell_blocks(README)[:4]
    assert [b.lang for b in first] == ["sh", "powershell", "sh", "powershell"]
    install, tests = first[0].body, first[2].body
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . &&")
    assert "cosmicdiff compare --baseline baselines/espir examples/regions/*" in install
    assert tests == _ci_run_command(), "the README's test command is not .ci/run's"
    assert first[2].skip and "ci/run" in first[2].skip


def test_readme_blocks_that_need_a_powershell_twin_have_one() -> None:
    """Commands PowerShell reads otherwise (python3, the venv's activate script, a glob, a
    redirect into a file, ``$?``, a ``\\`` continuation) have a PowerShell block below them."""
    posix_only = re.compile(r"python3 |/bin/activate|\S\*|\s>\s?\S|\$\?")
    with_twin = {posix.where for posix, _ in twins(README)}
    lacking = [
        b.where
        for b in shell_blocks(README)
        if b.lang in POSIX
        and (
            any(posix_only.search(s.command) for s in steps(b))
            or any(line.endswith("\\") for line in b.body.split("\n"))
        )
        and b.where not in with_twin
        and not b.skip
    ]
    assert not lacking, f"POSIX blocks without a PowerShell twin: {lacking}"
    assert len(with_twin) >= 8


def _ci_blocks() -> tuple[Block, Block]:
    """The README's CI snippets: the templates' commands, then one format per run."""
    found = [b for b in shell_blocks(README) if b.run_in == "demo"]
    assert len(found) == 2, [b.where for b in found]
    return found[0], found[1]


@pytest.mark.parametrize("template", sorted((ROOT / "ci").glob("*.yml")), ids=lambda p: p.name)
def test_readme_ci_snippet_is_the_templates_commands(template: Path) -> None:
    snippet, _ = _ci_blocks()
    shown = [shlex.split(s.command, comments=True) for s in steps(snippet)]
    lines = template.read_text(encoding="utf-8").splitlines()
    run = [re.sub(r"^\s*(?:- )?(?:script: |run: )?", "", line) for line in lines]
    used = [shlex.split(line) for line in run if line.startswith("cosmicdiff ")]
    assert used == shown, f"{template.name} runs {used}, the README shows {shown}"


def test_readme_one_format_lines_write_the_files_init_configures(tmp_path: Path) -> None:
    """Each ``--format F --output P`` line writes the file ``[outputs] F`` of a repository made
    by ``cosmicdiff init``: the file the CI templates publish."""
    import tomllib

    from typer.testing import CliRunner

    from cosmicdiff.cli.app import app

    done = CliRunner().invoke(app, ["init", "--region", "kalmar", str(tmp_path / "demo")])
    assert done.exit_code == 0, done.output
    settings = tomllib.loads((tmp_path / "demo" / "cosmicdiff.toml").read_text("utf-8"))
    _, one_per_run = _ci_blocks()
    written = {}
    for step in steps(one_per_run):
        words = shlex.split(step.command, comments=True)
        written[words[words.index("--format") + 1]] = words[words.index("--output") + 1]
    assert len(written) == 4
    assert written == {f: settings["outputs"][f] for f in written}


@pytest.mark.parametrize(
    "doc", [d for d in DOCS if twins(d)], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_powershell_twins_are_their_posix_blocks_translated(doc: Path) -> None:
    for posix, ps in twins(doc):
        cwd = ROOT / posix.run_in
        wanted = [c for step in steps(posix) for c in to_powershell(step.command, cwd)]
        written = [normalise_powershell(c) for c in powershell_commands(ps)]
        assert written == wanted, f"{ps.where}: not the translation of {posix.where}"


# --- every cosmicdiff line names commands and options that exist ----------------------------


def _cosmicdiff_lines(block: Block) -> list[list[str]]:
    commands = (
        powershell_commands(block)
        if block.lang == "powershell"
        else [s.command for s in steps(block)]
    )
    found = []
    for command in commands:
        for part in re.split(r" && | \| |; ", command):
            part = re.sub(r"\s[12]?>\s?\S+", "", part).strip()
            if part.startswith("cosmicdiff"):
                found.append(shlex.split(part, comments=True))
    return found


def _choices(option: object) -> list[str]:
    """Return the values an option takes when they are a Literal or an Enum, else []."""
    descriptor = getattr(option, "type_descriptor", None)
    annotation = getattr(descriptor, "annotation", None)
    if typing.get_origin(annotation) is typing.Literal:
        return [str(a) for a in typing.get_args(annotation)]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [str(m.value) for m in annotation]
    return []


@functools.cache
def _command_tree(app: typer.Typer) -> Any:
    return typer.main.get_command(app)


def check_words(words: list[str]) -> list[str]:
    """Return what does not exist in a cosmicdiff command line: commands, options, choices."""
    from cosmicdiff.cli.app import app

    command = _command_tree(app)  # typer's own click: looked at by duck typing
    path = ["cosmicdiff"]
    problems = []
    i = 1
    while i < len(words):
        word = words[i]
        if word.startswith("-") and word != "-":
            name, eq, value = word.partition("=")
            option = next(
                (
                    p
                    for p in command.params
                    if p.param_type_name == "option" and name in (*p.opts, *p.secondary_opts)
                ),
                None,
            )
            if option is None:
                problems.append(f"{' '.join(path)} has no option {name}")
                i += 1
                continue
            if getattr(option, "is_flag", False) or getattr(option, "count", False):
                i += 1
                continue
            if not eq:
                value = words[i + 1] if i + 1 < len(words) else ""
            choices = _choices(option)
            if choices and value not in choices:
                problems.append(f"{' '.join(path)} {name}: {value!r} is not a choice")
            i += 1 if eq else 2
            continue
        if hasattr(command, "commands"):
            sub = command.commands.get(word)
            if sub is None:
                problems.append(f"{' '.join(path)} has no command {word!r}")
                return problems
            command = sub
            path.append(word)
        i += 1
    bare = {"--version", "--help", "--install-completion", "--show-completion"}
    if hasattr(command, "commands") and not bare & set(words):
        problems.append(f"{' '.join(words)}: no command")
    return problems


def test_every_cosmicdiff_line_names_existing_commands_and_options() -> None:
    problems = []
    count = 0
    for block in all_shell_blocks():
        for words in _cosmicdiff_lines(block):
            count += 1
            problems += [f"{block.where}: {p}" for p in check_words(words)]
    assert not problems, "\n".join(problems)
    assert count > 40


def test_the_option_check_catches_drift() -> None:
    assert check_words(["cosmicdiff", "compare", "--baseline", "b", "r", "--format", "json"]) == []
    assert check_words(["cosmicdiff", "--quiet", "decisions", "apply", "x.yaml", "--write"]) == []
    assert check_words(["cosmicdiff", "compare", "--formt", "json"]) == [
        "cosmicdiff compare has no option --formt"
    ]
    assert check_words(["cosmicdiff", "compare", "--format=jsn"]) == [
        "cosmicdiff compare --format: 'jsn' is not a choice"
    ]
    assert check_words(["cosmicdiff", "comprae", "x"]) == ["cosmicdiff has no command 'comprae'"]
    assert check_words(["cosmicdiff", "baseline"]) == ["cosmicdiff baseline: no command"]


# --- the convention itself --------------------------------------------------------------------


def test_wildcards() -> None:
    assert matches(["a", "b"], "a\nb\n")
    assert matches(["a", "b   "], "a\nb")
    assert not matches(["a", "b"], "a\nb\nc\n")
    assert matches(["a", "...", "d"], "a\nb\nc\nd\n")
    assert matches(["a", "    …", "b"], "a\nb\n")
    assert not matches(["a", "...", "d"], "a\nb\nc\n")
    assert matches(
        ["Evaluated ... with cosmicdiff ..."], "Evaluated 2026-12-04 with cosmicdiff 0.1.0"
    )
    assert not matches(["Evaluated ... with"], "Evaluated\nwith")
    assert matches([], "")
    assert not matches([], "something\n")


def test_blocks_steps_and_directives(tmp_path: Path) -> None:
    doc = tmp_path / "x.md"
    doc.write_text(
        "text\n\n<!-- run-in: sub -->\n<!-- setup: touch a -->\n```console\n"
        "$ cosmicdiff a \\\n  --b\nout 1\n\nout 2\n$ echo $?\n1\n```\n\n"
        "<!-- skip: needs the network to be there -->\n```sh\n# comment\nfoo x  # c\n```\n"
        "```powershell\nfoo x\n```\n  ```yaml\n  a: 1\n  ```\n",
        encoding="utf-8",
    )
    found = _all_blocks(doc)
    assert [(b.lang, b.line, b.run_in, b.setup, b.skip) for b in found] == [
        ("console", 5, "sub", ["touch a"], None),
        ("sh", 16, ".", [], "needs the network to be there"),
        ("powershell", 20, ".", [], None),
        ("yaml", 23, ".", [], None),
    ]
    assert found[3].body == "a: 1"
    first = steps(found[0])
    assert [(s.command, s.expected, s.line) for s in first] == [
        ("cosmicdiff a  --b", ["out 1", "", "out 2"], 6),
        ("echo $?", ["1"], 11),
    ]
    assert [s.command for s in steps(found[1])] == ["foo x  # c"]
    assert [(a.line, b.line) for a, b in twins(doc)] == [(16, 20)]


def _all_blocks(doc: Path) -> list[Block]:
    from docs_console import blocks

    return blocks(doc)


def test_translation_to_powershell() -> None:
    line = (
        "python3 -m venv .venv && . .venv/bin/activate && pip install '.[test]' && "
        "cosmicdiff validate baselines/espir examples/regions/*"
    )
    assert to_powershell(line, ROOT) == [
        "py -3 -m venv .venv",
        r".venv\Scripts\Activate.ps1",
        "pip install '.[test]'",
        "cosmicdiff validate baselines/espir examples/regions/jonkoping "
        "examples/regions/kalmar examples/regions/ostergotland",
    ]
    assert to_powershell("cosmicdiff report r.json --format markdown > mr.md", ROOT) == [
        "cosmicdiff report r.json --format markdown --output mr.md"
    ]


# --- for real ---------------------------------------------------------------------------------


PDF_BLOCKS = [
    b for d in RUNNABLE for b in shell_blocks(d) if b.lang in POSIX and "--format pdf" in b.body
]


@pytest.mark.slow
@pytest.mark.parametrize("block", PDF_BLOCKS, ids=lambda b: b.where)
def test_blocks_that_print_a_pdf(block: Block, tmp_path: Path) -> None:
    """The default suite leaves out the ``--format pdf`` lines (seconds each); here they run."""
    runner = Runner(copy_repository(tmp_path), slow=True)
    runner.run(block)
    assert not runner.failures, "\n\n".join(runner.failures)
    assert list(runner.repo.glob("*.pdf")), "no PDF was written"


@pytest.mark.slow
def test_readme_install_line_on_a_fresh_copy(tmp_path: Path) -> None:
    """The README's first command as written: a new venv, pip install ., compare (exit 1)."""
    repo = copy_repository(tmp_path)
    install = shell_blocks(README)[0]
    env = environment()
    env["PATH"] = os.pathsep.join(
        p for p in env["PATH"].split(os.pathsep) if Path(p) != Path(sys.executable).parent
    )
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        ["bash", "-c", install.body],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 1, done.stdout[-3000:] + done.stderr[-3000:]
    assert (repo / ".venv" / "bin" / "cosmicdiff").is_file()
    assert "54 deviations (18 error, 27 warning, 9 info; 1 waived)" in done.stderr
