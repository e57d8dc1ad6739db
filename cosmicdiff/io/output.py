"""Write output files without destroying anything: a reader never sees half a report.

A regular file is replaced atomically (a temporary file in the same folder, then a rename),
keeping its permission bits. A symbolic link stays a link: its target is replaced. A
character device or FIFO (``/dev/null``, a named pipe), and anything under ``/dev/`` or
``/proc/`` (``/dev/stdout``, ``/dev/fd/3``), is written *through*: opened and written, never
replaced, created or renamed. Folders, sockets and block devices are refused. See
docs/outputs.md.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cosmicdiff.errors import ReportError

#: Paths that name a file descriptor of this process rather than a file.
_FD_ALIAS = re.compile(
    r"^/(?:dev/(?:std(?P<std>in|out|err)|fd/(?P<fd>\d+))"
    r"|proc/(?:self|thread-self|(?P<pid>\d+))/fd/(?P<pfd>\d+))$"
)
_STD_FDS = {"in": 0, "out": 1, "err": 2}
#: Folders whose entries are devices or kernel interfaces: written through, never replaced.
_SPECIAL_ROOTS = ("/dev/", "/proc/")
_MAX_LINKS = 40
#: Opening a terminal device must not make it the controlling terminal (absent on Windows).
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True, slots=True)
class _Target:
    """Where and how one output is written."""

    how: str  # "atomic" (temporary file and rename), "through" (open and write) or "fd"
    path: str  # the file really written: symbolic links resolved for "atomic"
    fd: int = -1  # for "fd": the descriptor of this process the path names
    existing: os.stat_result | None = None  # for "atomic": the file being replaced


def write_atomic(path: Path, data: str | bytes | Iterable[str | bytes]) -> None:
    """Write ``data`` to ``path`` without ever leaving half a file or replacing a device.

    ``data`` is text (written as UTF-8), bytes, or an iterable of either, written piece by
    piece as it is produced. A regular file is written through a temporary file in its
    folder and a rename; if producing the data fails (or the process is interrupted or
    terminated), the temporary file is removed and ``path`` is left as it was. An existing
    file keeps its permission bits (and, where allowed, its owner and group); a new one gets
    ``0o666`` less the umask. A symbolic link stays a link: its target is written. Devices,
    FIFOs and paths under ``/dev/`` or ``/proc/`` are written through. Raises ReportError
    (``PATH: cannot write output: ...``) when the path cannot be written.
    """
    pieces: Iterable[str | bytes] = [data] if isinstance(data, str | bytes) else data
    target = _target(path)
    if target.how == "atomic":
        _write_replacing(path, target, pieces)
    else:
        _write_through(path, target, pieces)


def _fail(path: Path, why: str) -> ReportError:
    return ReportError(f"cannot write output: {why}", path=str(path))


def _target(path: Path) -> _Target:
    """Decide how ``path`` is written, following its symbolic links one by one."""
    current = _canonical(os.path.join(os.getcwd(), path))
    for _ in range(_MAX_LINKS):
        alias = _FD_ALIAS.match(current)
        if alias and (alias["pid"] is None or int(alias["pid"]) == os.getpid()):
            number = _STD_FDS[alias["std"]] if alias["std"] else int(alias["fd"] or alias["pfd"])
            return _Target("fd", current, fd=number)
        if current.startswith(_SPECIAL_ROOTS):
            return _through(path, current)
        if not os.path.islink(current):
            break
        try:
            link = os.readlink(current)
        except OSError as exc:
            raise _fail(path, exc.strerror or str(exc)) from None
        current = _canonical(os.path.join(os.path.dirname(current), link))
    else:
        raise _fail(path, "too many levels of symbolic links")
    try:
        st = os.stat(current)
    except FileNotFoundError:
        folder = os.path.dirname(current)
        if not os.path.isdir(folder):
            shown = folder if os.path.islink(path) else (path.parent if str(path.parent) else ".")
            raise _fail(path, f"folder {shown} does not exist") from None
        return _Target("atomic", current)
    except OSError as exc:
        raise _fail(path, exc.strerror or str(exc)) from None
    _refuse_kind(path, st.st_mode)
    if stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return _Target("through", current)
    return _Target("atomic", current, existing=st)


def _canonical(path: str) -> str:
    """Return ``path`` with its folder's symbolic links and ``..`` resolved (not its name).

    Resolving the folder as the kernel does keeps ``..`` after a linked folder right, and
    turns ``/dev/fd/1`` into ``/proc/<pid>/fd/1``; the name itself may be a link, followed
    one step at a time by the caller.
    """
    folder, name = os.path.split(path)
    return os.path.join(os.path.realpath(folder), name)


def _through(path: Path, current: str) -> _Target:
    """Return a write-through target for a path under /dev/ or /proc/ (never created)."""
    try:
        st = os.stat(current)
    except OSError as exc:
        raise _fail(path, exc.strerror or str(exc)) from None
    _refuse_kind(path, st.st_mode)
    return _Target("through", current, existing=st)


def _refuse_kind(path: Path, mode: int) -> None:
    """Refuse what no report may be written to."""
    if stat.S_ISDIR(mode):
        raise _fail(path, os.strerror(errno.EISDIR))  # as the rename would say
    if stat.S_ISSOCK(mode):
        raise _fail(path, "Is a socket; give a file name")
    if stat.S_ISBLK(mode):
        raise _fail(path, "Is a block device (a disk); give a file name")


def _write_pieces(fh: BinaryIO, pieces: Iterable[str | bytes]) -> None:
    for piece in pieces:
        fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)


def _write_through(path: Path, target: _Target, pieces: Iterable[str | bytes]) -> None:
    """Write into an open descriptor: a device, a FIFO, a descriptor of this process."""
    try:
        if target.how == "fd":
            for stream in (sys.stdout, sys.stderr):  # what is already written comes first
                if stream is not None and target.fd in (1, 2):
                    stream.flush()
            fd = os.dup(target.fd)
        else:
            regular = target.existing is not None and stat.S_ISREG(target.existing.st_mode)
            # a regular file here (under /proc/ or /dev/shm) is overwritten in place, whole
            fd = os.open(
                target.path, os.O_WRONLY | _NOCTTY | _CLOEXEC | (os.O_TRUNC if regular else 0)
            )
    except OSError as exc:
        raise _fail(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_pieces(fh, pieces)
    except OSError as exc:
        raise _fail(path, exc.strerror or str(exc)) from None


def _write_replacing(path: Path, target: _Target, pieces: Iterable[str | bytes]) -> None:
    """Write a regular file through a temporary file next to it and a rename."""
    folder, name = os.path.split(target.path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise _fail(path, exc.strerror or str(exc)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            _write_pieces(fh, pieces)
            fh.flush()
            os.fsync(fh.fileno())
        _copy_mode(tmp, target.existing)
        os.replace(tmp, target.path)
    except BaseException as exc:  # writing, or producing the data, failed: no temporary left
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise _fail(path, exc.strerror or str(exc)) from None
        raise


def _copy_mode(tmp: str, existing: os.stat_result | None) -> None:
    """Give the new file the old one's permission bits (and owner), or the umask's."""
    if existing is None:
        os.chmod(tmp, 0o666 & ~_umask())
        return
    mine = os.stat(tmp)
    if hasattr(os, "chown") and (mine.st_uid, mine.st_gid) != (existing.st_uid, existing.st_gid):
        with contextlib.suppress(OSError):  # best effort: only root may give files away
            os.chown(tmp, existing.st_uid, existing.st_gid)
    os.chmod(tmp, stat.S_IMODE(existing.st_mode))  # after chown, which clears set-id bits


def _umask() -> int:
    """Return the process's umask (reading it means setting it: put it straight back)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask
