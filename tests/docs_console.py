"""Reading and running the shell blocks of README.md and docs/*.md (tests/test_docs_console.py).

The convention (also in docs/architecture.md, "Commands in the documentation"):

- ```` ```console ````: commands after ``$ `` and, below each, the output it prints (stdout
  and stderr as a terminal shows them). A line ``...`` or ``…`` alone (indented or not)
  stands for any number of lines; ``...`` inside a line for any text on that line (dates,
  versions), and so does ``…`` inside a line (a shortened id; it matches the tool's own
  ``…`` too). Trailing blanks are ignored. ``$ echo $?`` shows the previous command's exit
  status; without it a command must exit 0 or 1.
- ```` ```sh ```` / ```` ```bash ````: commands only (``#`` comments, ``\\`` continuations);
  each must exit 0 or 1. Output is not compared.
- ```` ```powershell ````: the PowerShell twin of the POSIX block just above it (only blank
  lines between); never run (no ``pwsh`` here), checked against the POSIX block by
  :func:`to_powershell`.
- HTML comments on the lines right above a block: ``<!-- run-in: DIR -->`` (the folder,
  relative to the repository root, the block runs in), ``<!-- setup: COMMAND -->`` (a shell
  command run first in the repository root, for what a reader does by hand, such as filling
  in a file), ``<!-- skip: REASON -->`` (not run, e.g. a long run or the suite itself),
  ``<!-- file: PATH -->`` (any block: its text is written to PATH, relative to the
  repository root, before the document's first command runs; ``howto-file:`` of
  docs/howto-export.md is the same).

Every document runs top to bottom in one temporary copy of the repository, with the real
``../shared`` next to it, so a block may use what an earlier one wrote. Lines that install
(``python3 -m venv``, ``. .venv/bin/activate``, ``pip install``) are replaced by the venv
running the tests, except in the slow test that installs for real; commands that print a PDF
(``--format pdf``) run in the slow tests only.
"""

from __future__ import annotations

import gc
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
POSIX = ("console", "sh", "bash")
SHELLS = (*POSIX, "powershell")

_FENCE = re.compile(
    r"^(?P<indent> *)(?P<fence>```+|~~~+)(?P<info>[^\n`]*)\n"
    r"(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.M | re.S,
)
_DIRECTIVE = re.compile(r"^ *<!-- *(run-in|setup|skip|file|howto-file): *(.*?) *-->$")
_INSTALL = re.compile(r"^(python3? -m venv \S+|\. \S+/bin/activate|pip install .*)$")


@dataclass
class Block:
    """One fenced block of a document."""

    doc: Path
    line: int  # the line of the opening fence, 1-based
    lang: str
    body: str
    run_in: str = "."
    setup: list[str] = field(default_factory=list)
    skip: str | None = None
    file: str | None = None

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT).as_posix()}:{self.line}"


@dataclass
class Step:
    """A command and, in a console block, the output shown below it (None: not shown)."""

    command: str
    expected: list[str] | None
    line: int


def blocks(doc: Path) -> list[Block]:
    """Return the fenced blocks of ``doc`` with their directives."""
    text = doc.read_text(encoding="utf-8")
    lines = text.split("\n")
    found = []
    for m in _FENCE.finditer(text):
        start = text.count("\n", 0, m.start())
        indent = len(m["indent"])
        body = "\n".join(line[indent:] for line in m["body"].split("\n"))
        block = Block(doc, start + 1, m["info"].strip().split(" ")[0], body.rstrip("\n"))
        i = start - 1
        while i >= 0 and (d := _DIRECTIVE.match(lines[i])):
            key, value = d.groups()
            if key == "run-in":
                block.run_in = value
            elif key == "setup":
                block.setup.insert(0, value)
            elif key in ("file", "howto-file"):  # howto-file: docs/howto-export.md's own
                block.file = value
            else:
                block.skip = value
            i -= 1
        found.append(block)
    return found


def shell_blocks(doc: Path) -> list[Block]:
    return [b for b in blocks(doc) if b.lang in SHELLS]


def twins(doc: Path) -> list[tuple[Block, Block]]:
    """Return (POSIX block, PowerShell block) pairs: a powershell block right after another."""
    text = doc.read_text(encoding="utf-8").split("\n")
    all_blocks = blocks(doc)
    pairs = []
    for prev, block in zip(all_blocks, all_blocks[1:], strict=False):
        if block.lang != "powershell" or prev.lang not in POSIX:
            continue
        end_of_prev = prev.line + prev.body.count("\n") + 2  # the closing fence, 1-based
        between = text[end_of_prev : block.line - 1]
        if all(not line.strip() for line in between):
            pairs.append((prev, block))
    return pairs


def steps(block: Block) -> list[Step]:
    """Split a shell block into its commands (and, in console blocks, their outputs)."""
    out: list[Step] = []
    lines = block.body.split("\n")
    i = 0
    while i < len(lines):
        raw = lines[i]
        n = block.line + 1 + i
        if block.lang == "console" and not raw.startswith("$ "):
            if out and out[-1].expected is not None:
                out[-1].expected.append(raw)
            elif raw.strip():
                raise ValueError(f"{block.where}: output before the first '$ ' command: {raw!r}")
            i += 1
            continue
        command = raw[2:] if block.lang == "console" else raw
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command[:-1] + " " + lines[i].strip()
        i += 1
        if not command.strip() or command.lstrip().startswith("#"):
            continue
        out.append(Step(command.strip(), [] if block.lang == "console" else None, n))
    return out


# --- PowerShell twins -------------------------------------------------------------------------

#: How a POSIX word or command becomes PowerShell: (pattern, replacement), in order
TRANSLATIONS: list[tuple[str, str]] = [
    (r"^python3 -m venv (\S+)$", r"py -3 -m venv \1"),
    (r"^\. (\S+)/bin/activate$", lambda m: m[1].replace("/", "\\") + r"\Scripts\Activate.ps1"),  # type: ignore[list-item]
]


def expand(word: str, cwd: Path) -> list[str]:
    """Return a glob word's matches (relative, sorted, as bash gives them), else the word."""
    if not any(c in word for c in "*?["):
        return [word]
    found = sorted(glob.glob(word, root_dir=cwd))
    return found or [word]


def to_powershell(command: str, cwd: Path) -> list[str]:
    """Return the PowerShell commands a POSIX command line is written as in the twin.

    ``&&`` becomes separate commands (``;``), globs the folders they match (PowerShell does
    not expand them for programs), ``> FILE`` after a cosmicdiff command ``--output FILE``
    (PowerShell re-encodes a program's output), the venv lines their Windows form.
    """
    out = []
    for part in (p.strip() for p in command.split(" && ")):
        for pattern, repl in TRANSLATIONS:
            part = re.sub(pattern, repl, part)  # type: ignore[call-overload]
        words = shlex.split(part, comments=True)
        if words and words[0] == "cosmicdiff" and ">" in words:
            at = words.index(">")
            words[at : at + 2] = ["--output", words[at + 1]]
        if words and words[0] == "cosmicdiff":
            words = [w for word in words for w in expand(word, cwd)]
            part = " ".join(shlex.quote(w) for w in words)
        out.append(part)
    return out


def powershell_commands(block: Block) -> list[str]:
    """Return the PowerShell block's commands, split at ``;`` and lines; `` ` `` joins lines."""
    text = re.sub(r" `\n\s*", " ", block.body)
    out = []
    for line in text.split("\n"):
        if line.strip().startswith("#"):
            continue
        out += [c.strip() for c in line.split("; ") if c.strip()]
    return out


def normalise_powershell(command: str) -> str:
    """Return a PowerShell command with its words as shlex would quote them (for comparing)."""
    if command.startswith("cosmicdiff "):
        return " ".join(shlex.quote(w) for w in shlex.split(command, comments=True))
    return command


# --- running ----------------------------------------------------------------------------------


def copy_repository(dest: Path) -> Path:
    """Copy the repository's files (not the venv, caches or builds) to ``dest``/repo and put
    the real ``../shared`` next to it; return the copy."""
    repo = dest / "repo"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode == 0:
        for name in filter(None, listed.stdout.decode("utf-8").split("\0")):
            src = ROOT / name
            if src.is_file():
                (repo / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, repo / name)
    else:  # not a git checkout (an unpacked sdist)
        ignore = shutil.ignore_patterns(
            ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"
        )
        shutil.copytree(ROOT, repo, ignore=ignore)
    if SHARED.is_dir():
        (dest / "shared").symlink_to(SHARED, target_is_directory=True)
    return repo


def environment() -> dict[str, str]:
    """The environment of commands run as processes: the venv's commands first on PATH."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "100"
    for name in ("COSMICDIFF_JOBS", "COSMICDIFF_DEBUG", "PYTEST_ADDOPTS"):
        env.pop(name, None)
    return env


_IN_PROCESS = re.compile(r"cosmicdiff(?: [^|&;<>$`()]*)?(?: > (?P<to>[\w./-]+))?")


def in_process(command: str) -> bool:
    """Return True if the command is a plain cosmicdiff call (no pipe, no variable …)."""
    return _IN_PROCESS.fullmatch(command) is not None


def run_in_process(command: str, cwd: Path) -> tuple[int, str]:
    """Run a cosmicdiff command line in this process as on a terminal 100 columns wide
    without colour (NO_COLOR); return the exit status and what the terminal shows."""
    from typer.testing import CliRunner

    import cosmicdiff.cli.common as common
    import cosmicdiff.cli.emit as emit
    import cosmicdiff.cli.matrix as matrix
    from cosmicdiff.cli.app import app

    m = _IN_PROCESS.fullmatch(command)
    assert m is not None
    target = m["to"]
    line = command if target is None else command[: command.rindex(" > ")]
    words = [w for word in shlex.split(line, comments=True)[1:] for w in expand(word, cwd)]
    saved = {mod: mod.is_tty for mod in (common, emit, matrix)}
    old_size, old_cwd = os.get_terminal_size, Path.cwd()
    old_env = {k: os.environ.get(k) for k in ("NO_COLOR", "COSMICDIFF_JOBS")}
    try:
        for mod in saved:
            mod.is_tty = (lambda: False) if target else (lambda: True)  # type: ignore[assignment]
        os.get_terminal_size = lambda *_: os.terminal_size((100, 40))  # type: ignore[assignment]
        os.environ["NO_COLOR"] = "1"
        os.environ["COSMICDIFF_JOBS"] = "1"  # no forked workers inside the test process
        os.chdir(cwd)
        result = CliRunner().invoke(app, words, catch_exceptions=False)
    finally:
        os.chdir(old_cwd)
        for mod, func in saved.items():
            mod.is_tty = func  # type: ignore[method-assign]
        os.get_terminal_size = old_size
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        gc.enable()  # the CLI pauses the collector for the rest of its (short) process
    if target is None:
        return result.exit_code, result.output
    (cwd / target).write_bytes(result.stdout_bytes)
    return result.exit_code, result.stderr


def run_process(command: str, cwd: Path) -> tuple[int, str]:
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    return done.returncode, done.stdout


def matches(expected: list[str], actual: str) -> bool:
    """Return True if the output ``actual`` is what ``expected`` shows (wildcards: ``...``)."""
    parts = []
    for line in expected:
        if line.strip() in ("...", "…"):
            parts.append(r"(?:[^\n]*\n)*?")
        else:
            pieces = [re.escape(p) for p in re.split(r"\.\.\.|…", line.rstrip())]
            parts.append(r"[^\n]*?".join(pieces) + r"[ \t]*\n")
    text = "".join(line.rstrip() + "\n" for line in actual.rstrip("\n").split("\n"))
    if not actual.strip():
        text = ""
    return re.fullmatch("".join(parts), text) is not None


@dataclass
class Runner:
    """Runs a document's blocks in order in one copy of the repository."""

    repo: Path
    install: bool = False  # run the install lines for real (the slow test)
    failures: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ran: int = 0
    slow: bool = False  # also print PDFs (seconds each)
    echo: bool = False  # print every command and its output (python tests/docs_console.py)

    def run_document(self, doc: Path) -> None:
        """Write the files the document shows (``file:``), then run its blocks in order."""
        found = blocks(doc)
        for block in found:
            if block.file:
                path = self.repo / block.file
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(block.body + "\n", encoding="utf-8")
        for block in found:
            if block.lang in POSIX:
                self.run(block)

    def run(self, block: Block) -> None:
        assert block.lang in POSIX, f"{block.where}: a {block.lang} block is not run"
        if block.skip:
            self.skipped.append(f"{block.where}: {block.skip}")
            return
        uses_shared = "../shared" in block.run_in or "../shared/" in block.body
        if uses_shared and not SHARED.is_dir():
            self.skipped.append(f"{block.where}: {SHARED} is not there")
            return
        for command in block.setup:
            status, output = self.execute(command, self.repo)
            if status not in (0, 1):
                self.failures.append(f"{block.where}: setup {command!r} exit {status}: {output}")
                return
        cwd = (self.repo / block.run_in).resolve()
        self._run_steps(block, steps(block), cwd)

    def _run_steps(self, block: Block, found: list[Step], cwd: Path) -> None:
        status = 0
        for i, step in enumerate(found):
            at = f"{block.doc.relative_to(ROOT).as_posix()}:{step.line}"
            if step.command == "echo $?":
                status, output = 0, f"{status}\n"
            elif not self.slow and "--format pdf" in step.command:
                self.skipped.append(f"{at}: a PDF is printed in the slow test only")
                continue
            else:
                status, output = self.execute(step.command, cwd)
            self.ran += 1
            if self.echo:
                print(f"{at}: $ {step.command}  [exit {status}]\n{output}", end="", flush=True)
            if step.expected is not None and not matches(step.expected, output):
                shown = "\n".join(step.expected)
                self.failures.append(
                    f"{at}: $ {step.command}\n--- shown ---\n{shown}\n--- printed ---\n{output}"
                )
            stated = i + 1 < len(found) and found[i + 1].command == "echo $?"
            if not stated and status not in (0, 1):
                self.failures.append(f"{at}: $ {step.command}: exit {status}\n{output}")

    def execute(self, command: str, cwd: Path) -> tuple[int, str]:
        """Run one command line; ``&&`` chains stop at the first failure, as in a shell."""
        if self.install:
            return run_process(command, cwd)
        output = ""
        status = 0
        for part in (p.strip() for p in command.split(" && ")):
            if _INSTALL.match(part):
                continue  # the venv running the tests stands in for the install
            if in_process(part):
                status, out = run_in_process(part, cwd)
            else:
                status, out = run_process(part, cwd)
            output += out
            if status != 0:
                break
        return status, output


def all_shell_blocks() -> Iterator[Block]:
    for doc in DOCS:
        yield from shell_blocks(doc)


def main(argv: list[str]) -> int:
    """``python tests/docs_console.py DOC…``: run the documents' blocks in a temporary copy and
    print what every command printed (to paste into a console block); exit 1 on a mismatch."""
    import tempfile

    status = 0
    for name in argv:
        doc = (ROOT / name).resolve()
        with tempfile.TemporaryDirectory() as tmp:
            runner = Runner(copy_repository(Path(tmp)), slow=True, echo=True)
            runner.run_document(doc)
        for failure in runner.failures:
            print(f"FAILED {failure}", file=sys.stderr)
        status |= bool(runner.failures)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
