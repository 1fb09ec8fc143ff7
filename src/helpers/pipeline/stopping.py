"""Stopping a build: Ctrl-C and SIGTERM stop it cleanly, and nothing it started outlives it.

The build's main process turns SIGINT and SIGTERM into `BuildInterrupted`
(`interruptible`): it stops its workers (SIGTERM, then SIGKILL after
`WORKER_GRACE_SECONDS`), publishes nothing half, and the command prints one
Dutch line and exits with 130 or 143.

A local build worker (`init_worker`, the process pool's initializer)

- asks the kernel for SIGTERM when its parent dies (`PR_SET_PDEATHSIG`), so a
  `kill -9` of the build ends its workers too;
- has a process group of its own, so a Ctrl-C in the terminal reaches only
  the main process, which stops the workers in order (no tracebacks from
  every process);
- on SIGTERM stops the edition it is building (its kernel is shut down, its
  staging removed), closes its kernel template and Chromium, and exits
  (`WORKER_GRACE_SECONDS` at most; then SIGALRM ends it).

What a worker starts ends with it: its kernel template stops when its standing
connection to the worker closes, and kills its kernels (which themselves die
with the template, `PR_SET_PDEATHSIG`); a kernel's relay ends with its kernel;
Playwright's driver ends when its pipe to the worker closes, and closes
Chromium. On a Dask cluster the workers are not the build's: there each
edition is tethered to its build (`helpers.pipeline.tether`), which ends what
the edition started within seconds of the build, and the edition itself checks
before every chapter, before printing and before publishing whether its build
still holds the output folder (`helpers.pipeline.outdir.abandoned`).
"""
from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import signal
import threading
from collections.abc import Iterator

WORKER_GRACE_SECONDS = 15
_PR_SET_PDEATHSIG = 1
EXIT_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}


class BuildInterrupted(KeyboardInterrupt):
    """The build was asked to stop (Ctrl-C or SIGTERM); `signum` says which."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_status(self) -> int:
        return EXIT_STATUS.get(self.signum, 128 + self.signum)


class WorkerStopped(BaseException):
    """Raised in a build worker's edition when the worker is told to stop."""


def die_with_parent(signum: int = signal.SIGTERM, parent: int | None = None) -> None:
    """Ask Linux to send `signum` to this process when its parent ends; end now if it already has."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the other safeguards (pipes, the lock) remain
        return
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), signum)


_pending: BuildInterrupted | None = None


def pending() -> BuildInterrupted | None:
    """The interruption under way, if any: an edition that fails while it stops (Chromium closed under it by
    the same Ctrl-C) must stop the build, not be reported as failed."""
    return _pending


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise `BuildInterrupted` in the main thread (once; a second signal is ignored)."""
    global _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, _frame):
        global _pending
        if _pending is not None:
            return
        _pending = BuildInterrupted(signum)
        raise _pending

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, action in previous.items():
            signal.signal(signum, action)
        _pending = None


# --- in a local build worker ---------------------------------------------------------------------------------

_IN_EDITION = False
_STOP_REQUESTED = False


def init_worker(parent: int) -> None:
    """The process pool's initializer (see the module's docstring)."""
    os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    die_with_parent(signal.SIGTERM, parent)


def _worker_stop(_signum, _frame) -> None:
    global _STOP_REQUESTED
    _STOP_REQUESTED = True
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.alarm(WORKER_GRACE_SECONDS)  # SIGALRM ends the process if stopping hangs
    if _IN_EDITION:
        raise WorkerStopped()  # unwinds the edition; `in_worker` then ends the process
    end_worker()


def end_worker() -> None:
    """Close what this worker keeps (kernel template, Chromium, temporary folders) and end the process."""
    try:
        atexit._run_exitfuncs()
    finally:
        os._exit(143)


def in_worker(function, *args):
    """Run `function(*args)` as a worker's edition: a stop request unwinds it and ends the worker."""
    global _IN_EDITION
    _IN_EDITION = True
    try:
        result = function(*args)
    except BaseException:
        if _STOP_REQUESTED:  # WorkerStopped, or whatever stopping the edition halfway raised instead
            end_worker()
        raise
    finally:
        _IN_EDITION = False
    if _STOP_REQUESTED:
        end_worker()
    return result
_STOP_REQUESTED = False
