"""Walk a region or baseline folder: which files are read, and which are left unread.

A folder is read as it stands inside itself. An entry that is a symbolic link resolving to a
place outside the folder (resolved paths compared) is not read, and an
:class:`~cosmicdiff.model.InputNote` of kind ``not_read`` says so: otherwise a link such as
``region/env.yaml -> ../secret.env`` would be read as a model file, and a message about
it could carry what it holds into a CI log. A link to nothing is not read either, with a
note. Links that stay inside the folder are followed. A path given on the command line is
the user's choice and is read wherever it points.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from cosmicdiff.errors import ExportError
from cosmicdiff.io.shipped import shipped_name
from cosmicdiff.model import InputNote

#: File names in an export or baseline folder that are not model files.
RESERVED = frozenset({"region.yaml", "mapping.yaml", "baseline.yaml", "rules.yaml", "waivers.yaml"})

#: Extensions of model files; a folder's other files (README.md, notes) are not read.
MODEL_SUFFIXES = frozenset({".xml", ".csv", ".yaml", ".yml", ".opt", ".adl", ".json", ".xlsx"})

OUTSIDE = "not read: a link to a place outside the folder"
DANGLING = "not read: a link to nothing (its target does not exist)"
LOCK_FILE = "not read: Excel's lock file of an open workbook (~$name.xlsx)"
BESIDE_CSV = "not read: the CSV list of the same name beside it is read (taken to be saved from it)"


def resolved(path: Path) -> Path:
    """Return the path with its links and ``..`` resolved, as far as they resolve.

    Unlike ``Path.resolve``, a loop of links is not an error here: the path is then what
    could be resolved, and reading it fails later with a message that names it.
    """
    return Path(os.path.realpath(path))


def display_path(path: Path, base: Path | None = None) -> str:
    """Return the path as the user should see it: relative to ``base`` or the cwd if possible.

    A file of a baseline shipped with cosmicdiff is ``espir:lakemedel.yaml`` wherever
    cosmicdiff is installed (see cosmicdiff.io.shipped).
    """
    real = resolved(path)
    shipped = shipped_name(real)
    if shipped is not None:
        return shipped
    roots = [resolved(root) for root in (base, Path.cwd()) if root is not None]
    return relative_posix(real, roots, otherwise=path)


def relative_posix(
    path: PurePath, roots: Sequence[PurePath], otherwise: PurePath | None = None
) -> str:
    """Return ``path`` relative to the first of ``roots`` it is under (else ``otherwise``,
    or ``path`` whole), with ``/`` as separator on every platform: reports, SARIF and
    GitLab need it."""
    for root in roots:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            continue
    return (otherwise or path).as_posix()


def entry_path(path: Path, base: Path | None = None) -> str:
    """Return a link's own path as the user sees it (not where it points)."""
    parent = display_path(path.parent, base)
    return path.name if parent == "." else f"{parent}/{path.name}"


def unread_reason(path: Path, root: Path) -> str | None:
    """Return why the entry ``path`` of the folder ``root`` (resolved) is not read, or None.

    Only a symbolic link can be a reason: to a place outside ``root``, or to nothing.
    """
    if not path.is_symlink():
        return None
    target = resolved(path)
    if not target.is_relative_to(root):
        return OUTSIDE
    if not target.exists():
        return DANGLING
    return None


@dataclass(slots=True)
class FolderScan:
    """The model files of a folder, and a note for every entry left unread."""

    files: list[Path] = field(default_factory=list)
    notes: list[InputNote] = field(default_factory=list)

    def note(self, path: Path, base: Path | None, reason: str) -> None:
        """Record that ``path`` is not read, and why."""
        self.notes.append(
            InputNote(kind="not_read", path=entry_path(path, base), line=None, message=reason)
        )


def scan_folder(folder: Path, base: Path | None = None) -> FolderScan:
    """Return the folder's model files (subfolders included, in path order) and notes.

    Hidden files and folders are skipped; other files (README.md, notes) are not model
    files. A reserved file (region.yaml, mapping.yaml …) in a subfolder is an error: it
    would otherwise be silently ignored or read as model data. A link to outside the folder
    or to nothing is not read (a note says so); a link to a folder is not walked (what it
    holds inside the folder is read where it is).
    """
    root = resolved(folder)
    scan = FolderScan()
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts):
            continue
        reason = unread_reason(path, root)
        if reason is not None:
            if path.is_dir() or path.suffix.lower() in MODEL_SUFFIXES:  # else never read
                scan.note(path, base, reason)
            continue
        if not path.is_file() or path.suffix.lower() not in MODEL_SUFFIXES:
            continue
        if path.suffix.lower() == ".xlsx" and (
            path.name.startswith("~$") or path.with_suffix(".csv").is_file()
        ):
            # Excel's lock file, or the workbook a CSV list beside it was saved from (before
            # workbooks were read, folders held both; reading both would define every keyword twice)
            scan.note(path, base, LOCK_FILE if path.name.startswith("~$") else BESIDE_CSV)
            continue
        if path.name in RESERVED:
            if len(rel.parts) > 1:
                raise ExportError(
                    display_path(path, base),
                    None,
                    f"{path.name} belongs at the top of the folder "
                    f"{display_path(folder, base)}, not in a subfolder",
                )
            continue
        scan.files.append(path)
    return scan


def folder_file(folder: Path, name: str) -> Path | None:
    """Return the folder's own file ``name`` (region.yaml …), or None if it has none.

    A link to outside the folder or to nothing counts as none; :func:`scan_folder` notes it.
    """
    path = folder / name
    if unread_reason(path, resolved(folder)) is not None or not path.is_file():
        return None
    return path
