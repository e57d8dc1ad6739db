"""Write output files atomically: a reader never sees half a report."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from cosmicdiff.errors import ReportError


def write_atomic(path: Path, data: str | bytes | Iterable[str | bytes]) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    ``data`` is text (written as UTF-8), bytes, or an iterable of either, written piece by
    piece as it is produced. If producing it fails, the temporary file is removed and
    ``path`` is left as it was.
    """
    pieces: Iterable[str | bytes] = [data] if isinstance(data, str | bytes) else data
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ReportError(f"{path}: cannot write output: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ReportError(f"{path}: cannot write output: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            for piece in pieces:
                fh.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:  # writing, or producing the data, failed: no temporary left
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise ReportError(f"{path}: cannot write output: {exc.strerror or exc}") from None
        raise
