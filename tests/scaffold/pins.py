"""Find the ``pip install`` (and ``pipx install``) commands in a text and say which of them
install from a package index what they should not.

cosmicdiff is published on no package index: a ``pip install cosmicdiff`` fails, and installs
someone else's code the day anyone registers the name (dependency confusion). So cosmicdiff
is installed only from what the programme controls: a local path or wheel (``.``,
``'.[pdf]'``, ``dist/….whl``), a tag or commit of its repository
(``cosmicdiff @ git+URL@REF``) or a wheel URL with its hash
(``cosmicdiff @ URL#sha256=HASH``). In a CI template (``strict``) every other requirement
must be pinned too (``name==X.Y``).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

from packaging.requirements import InvalidRequirement, Requirement

#: ``pip install …`` up to the end of the command: a line end, ``&&``, ``||``, ``;``, ``|``
#: a backtick (the end of a Markdown code span) or a parenthesis (prose after the command)
_COMMAND = re.compile(r"\b(?:python3? -m )?pipx? install\b(?P<args>[^\n`;|&()]*)")
#: options that take a value (the value is not a requirement)
_VALUE_OPTIONS = {
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--python",
}
_HASH = re.compile(r"#sha256=(?:[0-9a-f]{64}|\$\{?\w+(?::\?[^}]*)?\}?)$")
#: a git ref that is a branch, not a release: installs whatever it points at today
_MOVING_REFS = {"main", "master", "HEAD", "develop", "trunk"}


@dataclass(frozen=True)
class Problem:
    where: str  # file:line
    command: str
    why: str

    def __str__(self) -> str:
        return f"{self.where}: {self.command.strip()}: {self.why}"


def _local(token: str) -> bool:
    """A path on this machine: the working tree (``.``, ``.[pdf]``) or a built file."""
    return token.startswith((".", "/", "~")) or token.endswith((".whl", ".tar.gz", ".zip"))


def _direct(name: str, url: str) -> str | None:
    """Why a direct reference ``name @ url`` is not pinned, or None when it is."""
    if url.startswith("git+"):
        last = url.rsplit("/", 1)[-1]
        if "@" not in last or not last.rsplit("@", 1)[1]:
            return "a git URL without a tag: installs whatever the default branch holds today"
        ref = last.rsplit("@", 1)[1]
        if ref in _MOVING_REFS:
            return f"a git URL at the branch {ref!r}, not at a tag"
        return None
    if _HASH.search(url):
        return None
    return "a URL without #sha256=…: nothing checks that the file is the release's"


def _requirements(args: str) -> list[str]:
    """The requirement arguments of one install command (options and their values dropped),
    with an unquoted ``name @ url`` joined back into one."""
    tokens = shlex.split(args, comments=True)
    out: list[str] = []
    skip = False
    for token in tokens:
        if skip:
            skip = False
            continue
        if token.startswith("-"):
            skip = token in _VALUE_OPTIONS
            continue
        joins = token.startswith("@") or out[-1].endswith(" @") if out else False
        if joins:
            out[-1] = f"{out[-1]} {token}"
        else:
            out.append(token)
    return out


def check_requirement(token: str, *, strict: bool) -> str | None:
    """Why installing ``token`` is not allowed, or None."""
    if " @ " in token or re.match(r"^[\w.\-\[\], ]+@", token):
        name, url = (part.strip() for part in token.split("@", 1))
        name = re.sub(r"\[.*\]$", "", name)
        return _direct(name, url.strip())
    if _local(token):
        return None
    if token.startswith("$"):
        return f"cannot tell what {token} installs" if strict else None
    try:
        req = Requirement(token)
    except InvalidRequirement:
        return f"cannot read {token!r} as a requirement"
    if req.name.lower().replace("_", "-") == "cosmicdiff":
        return (
            "cosmicdiff from a package index: it is published on none (whoever registers the "
            "name gets installed); install a tag of its repository or a wheel with its sha256"
        )
    if strict and not any(spec.operator in ("==", "===") for spec in req.specifier):
        return f"{req.name} from a package index without a pinned version (==)"
    return None


def problems(text: str, where: str, *, strict: bool) -> list[Problem]:
    """Every install command in ``text`` that installs from an index what it should not."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _COMMAND.finditer(line):
            command = match.group(0)
            try:
                tokens = _requirements(match.group("args"))
            except ValueError:  # unbalanced quotes: a command wrapped over lines in prose
                found.append(Problem(f"{where}:{number}", command, "cannot read the command"))
                continue
            if not tokens:
                found.append(Problem(f"{where}:{number}", command, "installs nothing named"))
            for token in tokens:
                why = check_requirement(token, strict=strict)
                if why:
                    found.append(Problem(f"{where}:{number}", command, why))
    return found
