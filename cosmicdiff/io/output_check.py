"""Refuse, before anything is written, an output that is also an input of the same run.

``cosmicdiff report result.json -o result.json``, a draft mapping written over the
region's ``mapping.yaml``, a settings-file report path that names an export file: each
would destroy what the run reads (or read half of what it writes). Every command that
writes files lists its outputs and its inputs and calls :func:`check_outputs` first. Two
paths are the same file when they are one inode (symbolic and hard links included) or,
where the file does not exist yet, when they resolve to the same path. Two outputs of one
run must not be the same file either. A character device (``/dev/null``) is never the same
file as an input: reading it and writing it are independent streams.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cosmicdiff.errors import UsageError


@dataclass(frozen=True, slots=True)
class Output:
    """A file a command will write, named as the user gave it."""

    label: str  # how the user set it: "--output", "[outputs] html", "--proposal" …
    path: Path


@dataclass(frozen=True, slots=True)
class Input:
    """A file a command reads, and what it is to the user."""

    path: Path
    reason: str  # "the settings file", "a file of the region export regions/kalmar" …


def file_input(path: Path | str | None, reason: str) -> list[Input]:
    """Return ``path`` as an input (none when not given)."""
    return [] if path is None else [Input(Path(path), reason)]


def export_inputs(path: Path, what: str) -> list[Input]:
    """Return the files read from a region export or baseline (``what``): one file, or a folder's.

    A folder's inputs are all the files cosmicdiff may read there, subfolders included:
    every model file and its region.yaml, mapping.yaml, baseline.yaml, rules.yaml and
    waivers.yaml (hidden files are never read).
    """
    from cosmicdiff.parsers import MODEL_SUFFIXES, display_path

    shown = display_path(path)
    if not path.is_dir():
        return [Input(path, f"the {what} {shown}")]
    return [Input(f, f"a file of the {what} {shown}") for f in _files(path, MODEL_SUFFIXES)]


def run_inputs(
    *,
    settings: Path | None = None,
    baseline: Path | None = None,
    regions: Sequence[Path] = (),
    waivers: Path | None = None,
    reference: Path | None = None,
    result: Path | None = None,
    decisions: Path | None = None,
) -> Iterator[Input]:
    """Yield every input of a run, from the arguments of the command that reads them."""
    yield from file_input(settings, "the settings file")
    yield from file_input(result, "the JSON result it reads")
    yield from file_input(decisions, "the decisions file")
    yield from file_input(waivers, "the waiver file")
    yield from file_input(reference, "the --reference result")
    if baseline is not None:
        yield from export_inputs(baseline, "baseline")
    for region in regions:
        yield from export_inputs(region, "region export")


def _files(folder: Path, suffixes: frozenset[str]) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if (
            path.suffix.lower() in suffixes
            and not any(p.startswith(".") for p in rel.parts)
            and path.is_file()
        ):
            yield path


def check_outputs(outputs: Sequence[Output], inputs: Iterable[Input]) -> None:
    """Raise UsageError if an output is also an input, or two outputs are one file."""
    keys = [(out, _identity(out.path)) for out in outputs]
    for i, (out, key) in enumerate(keys):
        for other, other_key in keys[:i]:
            if key == other_key:
                raise UsageError(
                    f"cosmicdiff: {other.label} {shown(other.path)} and "
                    f"{out.label} {shown(out.path)} are the same file; choose "
                    "different output paths"
                )
    checked = [(out, key) for out, key in keys if not _is_char_device(key)]
    if not checked:
        return
    reasons: dict[tuple[object, ...], str] = {}
    for inp in inputs:
        reasons.setdefault(_identity(inp.path), inp.reason)
    for out, key in checked:
        if key in reasons:
            raise UsageError(
                f"cosmicdiff: {out.label} {shown(out.path)} is also an input "
                f"({reasons[key]}); choose another output path"
            )


def same_file(a: Path, b: Path) -> bool:
    """Return True if ``a`` and ``b`` are one file, as :func:`check_outputs` tells."""
    return _identity(a) == _identity(b)


def _identity(path: Path) -> tuple[object, ...]:
    """Return what makes two paths one file: the inode if it exists, else the real path."""
    try:
        st = os.stat(path)
    except OSError:
        return ("path", os.path.realpath(path))
    return ("inode", st.st_dev, st.st_ino, stat.S_ISCHR(st.st_mode))


def _is_char_device(key: tuple[object, ...]) -> bool:
    return key[0] == "inode" and bool(key[3])


def shown(path: Path) -> str:
    """Return a path as the user should see it: relative to the working directory if below it."""
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return str(path)
    return str(path)
