"""Path arguments as the user means them: wildcards expanded, a folder of regions explained.

cmd and PowerShell hand ``examples/regions/*`` to the program as it is written; so does a
POSIX shell when nothing matches. Every path argument goes through :func:`expand_paths`
(or :func:`expand_path` for one path): a path that does not exist and holds ``*``, ``?``
or ``[`` is replaced by what it matches, sorted, so that a run is the same on every
platform. An existing path is never expanded; a pattern that matches nothing stays as it
is written, and is then refused as any missing path is ("no such file or folder"). On a
POSIX system, a missing path written with ``\\`` (``examples\\regions\\kalmar``, a command
copied from Windows) is read with ``/`` when that exists.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Sequence
from pathlib import Path, PurePath

import typer

from cosmicdiff.errors import UsageError

#: the sentence every ``--help`` of a command taking paths ends with
GLOB_HELP = (
    "A path with *, ? or [ that does not exist is expanded (sorted), also where the shell "
    "does not (cmd, PowerShell)."
)
#: the files that make a folder a region folder
REGION_MARKERS = ("region.yaml", "mapping.yaml")
_WILDCARDS = frozenset("*?[")


def is_pattern(text: str) -> bool:
    """Return True if ``text`` holds a wildcard (``*``, ``?`` or ``[``)."""
    return not _WILDCARDS.isdisjoint(text)


def _exists(path: Path) -> bool:
    """Return True if ``path`` exists, or the system refuses to look (too long, no
    permission): such a path is used as written, and the reader names the problem."""
    try:
        return path.exists()
    except OSError:
        return True


def expand(path: Path) -> list[Path]:
    """Return what ``path`` stands for: itself, or the sorted matches of its pattern.

    A path that exists, has no wildcard or matches nothing is returned as it is.
    """
    text = str(path)
    if _exists(path):
        return [path]
    if "\\" in text and os.sep == "/":  # a Windows path (a command copied from Windows)
        slashed = Path(text.replace("\\", "/"))
        if _exists(slashed) or is_pattern(text):
            return [p for p in expand(slashed) if _exists(p)] or [path]
    if not is_pattern(text):
        return [path]
    found = sorted(glob.glob(text), key=lambda p: PurePath(p).as_posix())
    return [Path(p) for p in found] or [path]


def expand_paths(paths: Sequence[Path] | None) -> list[Path] | None:
    """Option callback: every path expanded (see :func:`expand`), in the order given."""
    if paths is None:
        return None
    return [found for path in paths for found in expand(path)]


def expand_path(path: Path | None) -> Path | None:
    """Option callback for one path: its pattern must match one path (a usage error if more)."""
    if path is None:
        return None
    found = expand(path)
    if len(found) > 1:
        shown = ", ".join(posix(p) for p in found[:3]) + (", …" if len(found) > 3 else "")
        raise typer.BadParameter(f"{posix(path)} matches {len(found)} paths ({shown}); give one")
    return found[0]


def posix(path: PurePath | str) -> str:
    """Return a path as reports and messages show it: with ``/`` on every platform."""
    if isinstance(path, str):
        return path
    return path.as_posix()


def region_folders(folder: Path) -> list[Path]:
    """Return the region folders directly inside ``folder`` (those with a region marker)."""
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    return [e for e in entries if e.is_dir() and any((e / m).is_file() for m in REGION_MARKERS)]


def refuse_folder_of_regions(paths: Sequence[Path]) -> None:
    """Refuse a folder that holds region folders given as one region: say how to give them.

    ``examples/regions`` has ``jonkoping/``, ``kalmar/`` and ``ostergotland/``, each with a
    region.yaml; read as one region it would fail on the second region.yaml.
    """
    for path in paths:
        if not _is_dir(path) or any((path / m).is_file() for m in REGION_MARKERS):
            continue
        inner = region_folders(path)
        if inner:
            shown = posix(path).rstrip("/")
            raise UsageError(
                f"{shown} holds {len(inner)} region folder{'s' if len(inner) > 1 else ''} "
                f"({', '.join(p.name for p in inner)}); pass them as {shown}/*"
            )


def _is_dir(path: Path) -> bool:
    """Return True if ``path`` is a folder (False for a path the system refuses: the
    writer names that one)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def refuse_folder_output(output: Path | None, example: str = "report.html") -> None:
    """Refuse an ``--output`` that is an existing folder: it names the file to write."""
    if output is not None and _is_dir(output):
        shown = posix(output).rstrip("/") or "/"
        raise UsageError(
            f"--output {shown} is a folder; give the file to write, e.g. --output {shown}/{example}"
        )
