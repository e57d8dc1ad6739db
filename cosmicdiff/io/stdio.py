"""Standard output and standard error that fail in one clear way, or not at all.

A CI job may start cosmicdiff with standard output closed (``>&-``) or on a full device
(``>/dev/full``). Python then starts with ``sys.stdout`` set to None, or the error shows only
when the buffer is flushed, often at exit: either way a traceback and the wrong exit status.
:func:`install` (called first thing by the console script) makes every failed write to
standard output raise :class:`StandardOutputError`, which the command line reports as one
line, ``cosmicdiff: cannot write to standard output: <reason>``, with exit status 2. A
closed or failing standard error is never an error: there is nobody to tell, and the exit
status still says how the run went.

An encoding that cannot write every character (``PYTHONIOENCODING=cp1252``, a Windows
console) writes a plain stand-in for what it cannot write (``->`` for →, ``-|+`` for table
lines, ``?`` for the rest) instead of raising.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys
import unicodedata
from typing import TextIO

#: The exit status when standard output cannot be written (the input/arguments status).
EXIT_STATUS = 2


class StandardOutputError(OSError):
    """Writing to standard output failed (closed, full, an I/O error); not a broken pipe."""

    def message(self) -> str:
        """Return the line the command line prints on standard error."""
        return f"cosmicdiff: cannot write to standard output: {self.strerror or self}"


class _StdoutRaw(io.FileIO):
    """Standard output's descriptor: a failed write raises StandardOutputError.

    A broken pipe (the reader went away, ``| head``) stays a BrokenPipeError: the command
    line treats it on its own.
    """

    def write(self, data: bytes) -> int:  # type: ignore[override]
        """Write to the descriptor, naming standard output in any error."""
        try:
            return super().write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise StandardOutputError(exc.errno, exc.strerror or str(exc)) from None


class _StderrRaw(io.FileIO):
    """Standard error's descriptor: a failed write is dropped (there is nobody to tell)."""

    def write(self, data: bytes) -> int:  # type: ignore[override]
        """Write to the descriptor; on failure, pretend the bytes were written."""
        try:
            return super().write(data) or 0
        except OSError:
            return len(data)


def install() -> None:
    """Make standard output's failures StandardOutputError and standard error's harmless.

    A closed descriptor 0, 1 or 2 is first filled with ``/dev/null`` so that no file the
    run opens (a report's temporary file) takes its number: opened read-only on 1, where
    every write then fails with EBADF ("Bad file descriptor"), as it would on the closed
    descriptor; write-only on 2, where writes vanish.
    """
    closed = {fd for fd in (0, 1, 2) if not _is_open(fd)}
    for fd in sorted(closed):
        _fill(fd, os.O_WRONLY if fd == 2 else os.O_RDONLY)
    if sys.stdout is None or _fileno(sys.stdout) == 1:  # not when embedded or captured
        sys.stdout = _wrap(1, sys.stdout, _StdoutRaw)
    if sys.stderr is None or _fileno(sys.stderr) == 2:
        sys.stderr = _wrap(2, sys.stderr, _StderrRaw)


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError as exc:
        return exc.errno != errno.EBADF
    return True


def _fill(fd: int, flags: int) -> None:
    opened = os.open(os.devnull, flags)
    if opened != fd:
        os.dup2(opened, fd, inheritable=True)
        os.close(opened)
    else:
        os.set_inheritable(fd, True)


def _fileno(stream: TextIO | None) -> int | None:
    try:
        return stream.fileno() if stream is not None else None
    except (OSError, ValueError, AttributeError):
        return None


def _wrap(fd: int, old: TextIO | None, raw_type: type[io.FileIO]) -> TextIO:
    """Return a text stream on ``fd`` with the old one's settings and ``raw_type`` below."""
    if old is not None:
        with contextlib.suppress(OSError, ValueError):
            old.flush()
    settings = {
        "encoding": "utf-8",
        "errors": "backslashreplace",
        "line_buffering": False,
        "write_through": fd == 2,
    }
    if isinstance(old, io.TextIOWrapper):
        settings.update(
            encoding=old.encoding,
            errors=old.errors,
            line_buffering=old.line_buffering,
            write_through=old.write_through,
        )
    if settings["errors"] == "strict" and not _is_unicode(str(settings["encoding"])):
        # a Windows console (cp1252, cp850) cannot show every character a report has
        # (→, ≥, ✓, names from other scripts): show a ? rather than fail half way
        settings["errors"] = _REPLACE
    raw = raw_type(fd, "wb", closefd=False)
    return io.TextIOWrapper(io.BufferedWriter(raw), **settings)  # type: ignore[arg-type]


#: the error handler of a console that cannot write every character: see :func:`_replace`
_REPLACE = "cosmicdiff-replace"
#: plain replacements for what the reports draw with (tables, arrows, marks)
_PLAIN = {
    "→": "->",
    "←": "<-",
    "↔": "<->",
    "≥": ">=",
    "≤": "<=",
    "≠": "!=",
    "✓": "v",
    "✗": "x",
    "…": "...",
    "—": "-",
    "–": "-",
    "•": "*",
}


def _plain(char: str) -> str:
    """Return an ASCII stand-in for one character: box drawing as ``-|+``, else ``?``."""
    if char in _PLAIN:
        return _PLAIN[char]
    code = ord(char)
    if 0x2500 <= code <= 0x257F:  # box drawing
        name = unicodedata.name(char, "")
        if "HORIZONTAL" in name and "VERTICAL" not in name:
            return "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name:
            return "|"
        return "+"
    base = unicodedata.normalize("NFKD", char)
    ascii_base = "".join(c for c in base if c.isascii() and c.isprintable())
    return ascii_base or "?"


def _replace(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: write plain stand-ins for the characters the encoding lacks."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    return "".join(_plain(c) for c in text), exc.end


codecs.register_error(_REPLACE, _replace)


def _is_unicode(encoding: str) -> bool:
    """Return True if ``encoding`` can write every character (a UTF codec)."""
    try:
        return codecs.lookup(encoding).name.startswith("utf")
    except LookupError:
        return False


def silence_stdout() -> None:
    """Point descriptor 1 at /dev/null: what is still buffered for it goes nowhere.

    Called once a failure of standard output has been reported, so that the final flush
    neither fails again nor reports it twice.
    """
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.close(devnull)


def finish(code: int) -> int:
    """Flush standard output and error at exit; return the exit status to use.

    A failure of standard output that shows only now is reported (one line) and makes a
    clean or deviations-found status 2: the report did not arrive. A broken pipe makes a
    clean status 2 (as a broken pipe during the command does). Standard error's failures
    change nothing.
    """
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except StandardOutputError as exc:
        write_error(exc.message())
        silence_stdout()
        if code in (0, 1):
            code = EXIT_STATUS
    except (OSError, ValueError):  # the reader went away (e.g. `| head`)
        silence_stdout()
        if code == 0:
            code = EXIT_STATUS
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.flush()
    return code


def write_error(line: str) -> None:
    """Write one line on standard error; never fail (a closed stderr has no reader)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
