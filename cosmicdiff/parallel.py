"""Run independent tasks in forked worker processes and collect their results in order.

A compare reads the baseline once and then does the same work for every region: read the
export, match, diff, classify. That per-region work shares nothing but the (read-only)
baseline, so on a machine with more than one core each region can be handled by a forked
child: the child sees the parent's baseline copy-on-write, nothing is shipped to it, and
only its result (the region's deviations) travels back, pickled, through a pipe.

Fork is used only where it is safe and cheap: on Linux, from a process with no other thread.
Anywhere else, with one core or one task, the tasks simply run one after the other in this
process, with exactly the same results.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import selectors
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from cosmicdiff.errors import UsageError
from cosmicdiff.io.signals import SIGNALS, reset_in_child

T = TypeVar("T")

#: Environment variable that sets the default number of worker processes (1: no workers).
JOBS_ENV = "COSMICDIFF_JOBS"


class WorkerFailed(RuntimeError):
    """A worker process died without sending its result (killed, out of memory …)."""


def fork_available() -> bool:
    """Return True where forking workers is safe: Linux, and no other thread running."""
    return (
        sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1
    )


def default_jobs() -> int:
    """Return how many workers to allow where ``--jobs`` does not say.

    With more than one usable core: twice the cores. Tasks beyond the cores share them, which
    finishes sooner than queueing (three regions on two cores: 1.5 rounds instead of 2).
    With one core: 1 (no workers). ``COSMICDIFF_JOBS`` overrides it (a CI runner that shares
    its cores with other jobs may set 1).
    """
    raw = os.environ.get(JOBS_ENV, "").strip()
    if raw and not raw.isdigit():
        raise UsageError(
            f"{JOBS_ENV}={raw!r} is not a number of worker processes; use 0 "
            "(automatic), 1 (none) or more"
        )
    if raw and int(raw) > 0:
        return int(raw)
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return 2 * cores if cores > 1 else 1


def run_tasks(
    tasks: Sequence[Callable[[], T]],
    jobs: int,
    meanwhile: Callable[[], None] | None = None,
    stop_on_error: bool = False,
) -> list[tuple[bool, Any]]:
    """Run every task and return ``(True, result)`` or ``(False, exception)`` per task, in order.

    With ``jobs`` > 1 (and fork available) up to ``jobs`` tasks run at once in forked
    children; otherwise they run here, one after the other. An exception a task raises is
    returned, not raised, so the caller decides what one failed task means. A child that
    dies without an answer raises :class:`WorkerFailed`. ``meanwhile`` is called once in
    this process: while the first workers run, or before the tasks when there are none.
    With ``stop_on_error``, tasks run here stop at the first failure (the list is shorter);
    workers already started finish.
    """
    workers = worker_count(len(tasks), jobs)
    if not workers:
        if meanwhile is not None:
            meanwhile()
        out: list[tuple[bool, Any]] = []
        for task in tasks:
            out.append(_run_here(task))
            if stop_on_error and not out[-1][0]:
                break
        return out
    return _run_forked(tasks, workers, meanwhile)


def worker_count(tasks: int, jobs: int) -> int:
    """Return how many worker processes :func:`run_tasks` would fork (0: it runs them here)."""
    if jobs <= 1 or tasks <= 1 or not fork_available():
        return 0
    return min(jobs, tasks)


def _run_here(task: Callable[[], T]) -> tuple[bool, Any]:
    try:
        return True, task()
    except Exception as exc:  # noqa: BLE001 - handed to the caller, which re-raises or reports
        return False, exc


def _child(task: Callable[[], Any], fd: int) -> None:
    """Run one task in the forked child, write its pickled outcome to ``fd`` and exit."""
    status = 0
    try:
        outcome = _run_here(task)
        if not outcome[0]:  # the traceback stays here; keep it for --debug in the parent
            exc = outcome[1]
            exc.add_note("in a worker process:\n" + "".join(traceback.format_exception(exc)))
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # noqa: BLE001 - an unpicklable result or exception
            data = pickle.dumps((False, WorkerFailed(f"worker result cannot be sent: {exc!r}")))
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except BaseException:  # noqa: BLE001 - nothing may escape into the parent's code
        status = 1
    finally:
        os._exit(status)


@contextlib.contextmanager
def _signals_held() -> Iterator[set[int]]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP while a worker is forked and registered.

    The parent turns these signals into exceptions (see cosmicdiff.io.signals). Held back,
    one arriving during the fork reaches the parent only once the child is registered (so
    the parent's cleanup stops it), and never reaches a child that still has the parent's
    handlers (it would unwind into the parent's code). Yields the mask to restore, which a
    child restores itself after resetting its handlers.
    """
    previous: set[int] = set(signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, *SIGNALS}))
    try:
        yield previous
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _run_forked(
    tasks: Sequence[Callable[[], Any]], jobs: int, meanwhile: Callable[[], None] | None
) -> list[tuple[bool, Any]]:
    results: list[tuple[bool, Any] | None] = [None] * len(tasks)
    chunks: dict[int, list[bytes]] = {}
    running: dict[int, tuple[int, int]] = {}  # read fd -> (task index, pid)
    pending = list(range(len(tasks)))
    sel = selectors.DefaultSelector()
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        while pending or running:
            while pending and len(running) < jobs:
                index = pending.pop(0)
                read_fd, write_fd = os.pipe()
                with _signals_held() as mask:
                    # what exists now is shared copy-on-write: a collection in a worker must
                    # not write to the parent's objects (gc.freeze puts them out of its reach)
                    gc.freeze()
                    pid = os.fork()
                    if pid == 0:  # the child: default actions (a signal ends it), then run
                        reset_in_child()
                        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                        os.close(read_fd)
                        _child(tasks[index], write_fd)
                    running[read_fd] = (index, pid)
                os.close(write_fd)
                chunks[read_fd] = []
                sel.register(read_fd, selectors.EVENT_READ)
            if meanwhile is not None:
                meanwhile()
                meanwhile = None
            for key, _events in sel.select():
                fd = key.fd
                block = os.read(fd, 1 << 20)
                if block:
                    chunks[fd].append(block)
                    continue
                sel.unregister(fd)
                os.close(fd)
                index, pid = running.pop(fd)
                _, status = os.waitpid(pid, 0)
                data = b"".join(chunks.pop(fd))
                if not data or os.waitstatus_to_exitcode(status) != 0:
                    raise WorkerFailed(
                        f"worker process for task {index + 1} ended without a result "
                        f"(exit status {os.waitstatus_to_exitcode(status)})"
                    )
                results[index] = pickle.loads(data)
    finally:
        for fd, (_index, pid) in running.items():
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            os.close(fd)
        sel.close()
    return [r for r in results if r is not None]
