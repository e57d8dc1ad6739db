"""Turn SIGTERM and SIGHUP into an exception, as Python does with SIGINT.

A cancelled CI job sends SIGTERM (a closed terminal SIGHUP). Left to their default action,
these signals end the process on the spot: a half-written temporary report stays behind and
forked workers run on. Raised as :class:`Terminated` instead, they unwind the stack like
``KeyboardInterrupt``: the writer removes its temporary file (the old report is kept), the
worker pool stops its workers, and the command line exits ``128 + signal number`` (143 for
SIGTERM, 129 for SIGHUP) with one line.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

#: The signals that end a run cleanly (besides SIGINT, which Python already raises);
#: Windows has no SIGHUP.
SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Terminated(BaseException):  # noqa: N818 - named like KeyboardInterrupt, as it behaves
    """The process was asked to end (SIGTERM or SIGHUP).

    A BaseException, like KeyboardInterrupt, so that ``except Exception`` does not stop it.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(f"terminated ({self.name})")

    @property
    def exit_status(self) -> int:
        """Return the shell's status of a process ended by this signal (128 + number)."""
        return 128 + self.signum


class _Handler:
    """Raise Terminated once; a second signal while unwinding does not interrupt cleanup."""

    def __init__(self) -> None:
        self.raised = False

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if self.raised:
            return
        self.raised = True
        raise Terminated(signum)


@contextmanager
def raise_on_termination() -> Iterator[None]:
    """Raise :class:`Terminated` on SIGTERM or SIGHUP inside the block.

    The previous handlers come back afterwards. Outside the main thread (where Python
    cannot set handlers) the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handler = _Handler()
    previous: dict[signal.Signals, Any] = {}
    try:
        for signum in SIGNALS:
            previous[signum] = signal.signal(signum, handler)
        yield
    finally:
        for which, old in previous.items():
            # None: a handler set outside Python, which cannot be put back; the default then
            signal.signal(which, signal.SIG_DFL if old is None else old)


def reset_in_child() -> None:
    """Give a forked worker the default actions: a signal ends it, the parent cleans up."""
    for signum in (signal.SIGINT, *SIGNALS):
        signal.signal(signum, signal.SIG_DFL)
