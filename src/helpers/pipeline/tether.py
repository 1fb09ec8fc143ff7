"""An edition on a Dask worker ends what it started as soon as the build that asked for it is gone.

A local build's workers die with the build (`helpers.pipeline.stopping`). A
Dask worker is the cluster's, not the build's: nothing tells it that the build
ended, and it goes on with the edition it was given -- a chapter running in
its kernel, Chromium printing a PDF -- long after a `kill -9`, a SIGTERM or a
Ctrl-C of the build. What does tell it is the output folder: the build holds
`<out>/build.lock` for as long as it lives, and the operating system lets go
of that lock however the build ends (`helpers.pipeline.outdir.abandoned`).

So every edition on a cluster runs `tethered`: a thread of the worker asks
every `POLL_SECONDS` whether the build still holds the folder. Once it does
not, the thread ends every process the edition started -- the kernel with its
relay, Chromium with its Playwright driver, each with its process group, so
that Chromium's helpers and a kernel's own children go too: SIGTERM (Playwright
then removes its browser profile), SIGKILL after `GRACE_SECONDS` -- and keeps
ending whatever the edition still starts until it returns. The edition fails
at its next step, sees that its build is gone and publishes nothing
(`build_edition`), and the worker is free for the next build. Processes the
worker had before the edition began (a kernel template kept from an earlier
edition, which holds no data) are left alone.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import psutil

from helpers.pipeline.outdir import abandoned

POLL_SECONDS = 0.5
GRACE_SECONDS = 2.0


def run(out: str | Path, token: str | None, function: Callable, *args):
    """`function(*args)`, tethered to the build `token` that holds `out` (what a cluster worker runs)."""
    with tethered(out, token):
        return function(*args)


@contextlib.contextmanager
def tethered(out: str | Path, token: str | None) -> Iterator[None]:
    """While the block runs, end what it starts once the build `token` no longer holds `out` (see the module)."""
    if token is None:
        yield
        return
    me = psutil.Process()
    earlier = {_identity(p) for p in me.children(recursive=True)}
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(POLL_SECONDS):
            with contextlib.suppress(OSError):  # the shared disk did not answer this time: ask again
                if abandoned(out, token):
                    break
        while not finished.is_set():  # the build is gone for good: end what the edition has started, and starts
            end_started(me, earlier)
            finished.wait(POLL_SECONDS)

    watcher = threading.Thread(target=watch, name="monitorbook-tether", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        finished.set()
        watcher.join()


def _identity(process: psutil.Process) -> tuple[int, float]:
    """A process, told apart from a later one that gets the same pid."""
    try:
        return process.pid, process.create_time()
    except psutil.Error:
        return process.pid, 0.0


def end_started(me: psutil.Process, earlier: set[tuple[int, float]]) -> None:
    """End the descendants of `me` that are not in `earlier`, with their process groups."""
    try:
        started = [p for p in me.children(recursive=True) if _identity(p) not in earlier]
    except psutil.Error:
        return
    if not started:
        return
    # Never a group that holds this process or one it keeps (the worker itself, its nanny, a kept template).
    spared = {os.getpgrp()} | {_group(pid) for pid, _ in earlier}
    groups = {_group(p.pid) for p in started} - spared - {None}
    for signum in (signal.SIGTERM, signal.SIGKILL):
        for group in groups:
            with contextlib.suppress(OSError):
                os.killpg(group, signum)
        for process in started:
            with contextlib.suppress(psutil.Error):
                process.send_signal(signum)
        deadline = time.monotonic() + GRACE_SECONDS
        while signum == signal.SIGTERM and time.monotonic() < deadline:
            started = [p for p in started if _alive(p)]
            groups = {g for g in groups if _group_alive(g)}
            if not started and not groups:
                return
            time.sleep(0.05)


def _alive(process: psutil.Process) -> bool:
    """Running and not a zombie (its parent reaps it; waiting here would take its exit status from the parent)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _group(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except OSError:
        return None


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except OSError:
        return False
    return True
