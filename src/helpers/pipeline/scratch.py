"""Temporary folders that a killed build cannot leave behind for good.

Every temporary folder the build makes (a kernel's private folder, a kernel
template's folder, a private copy of the input while it is checked, a local
build's run folder, which its workers give their children as TMPDIR, so that
what Playwright, Chromium and multiprocessing put there goes with it) is made by
`private_dir`: a folder of `tempfile.mkdtemp` (mode 0700) with a marker file,
`OWNER_FILE`, on which the process that made it holds an exclusive lock for as
long as it lives. The operating system releases that lock when the process
ends, however it ends. `remove_stale` -- run at the start of every build, and
by a Dask worker before its first edition -- removes every such folder whose
lock is free: its maker is gone, by `kill -9` too. Folders without the marker
(another program's, or one of ours in the moment between `mkdtemp` and the
marker) are never touched.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import threading
from pathlib import Path

OWNER_FILE = ".monitorbook-eigenaar"
#: The temporary directory of the machine, when a local build worker has pointed TMPDIR at its run folder: the
#: private folders of kernels and kernel templates hold Unix sockets, whose paths must stay short (108 bytes).
ROOT_ENV = "MONITORBOOK_TMP"
#: What every folder `private_dir` makes starts with (the kernel's, the template's, a run's).
PREFIX = "monitorbook-"
RUN_PREFIX = "monitorbook-run-"

_held: dict[str, int] = {}  # folder -> the descriptor that holds its lock
_lock = threading.Lock()


def root() -> Path:
    """The machine's temporary directory (see `ROOT_ENV`)."""
    return Path(os.environ.get(ROOT_ENV) or tempfile.gettempdir())


def private_dir(prefix: str, parent: str | Path | None = None) -> Path:
    """A new folder (mode 0700) in `parent` (default: `root()`), marked as this process's."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent if parent is not None else root()))
    # Locked under another name, then renamed: a cleaner never sees the marker unlocked.
    pending = folder / (OWNER_FILE + ".nieuw")
    fd = os.open(pending, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.rename(pending, folder / OWNER_FILE)
    except BaseException:
        os.close(fd)
        shutil.rmtree(folder, ignore_errors=True)
        raise
    with _lock:
        _held[str(folder)] = fd
    return folder


def remove(folder: str | Path | None) -> None:
    """Remove a folder made by `private_dir` (or any folder) and let go of its lock."""
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    with _lock:
        fd = _held.pop(str(folder), None)
    if fd is not None:
        os.close(fd)


def _owner_gone(folder: Path) -> bool:
    try:
        fd = os.open(folder / OWNER_FILE, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return False  # no marker: not ours to judge
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return False  # its maker is alive
    os.close(fd)
    return True


def remove_stale(parent: str | Path | None = None) -> list[Path]:
    """Remove the marked folders in `parent` (default: `root()`) whose maker has ended."""
    parent = Path(parent if parent is not None else root())
    removed = []
    try:
        candidates = [p for p in parent.iterdir() if p.name.startswith(PREFIX)]
    except OSError:
        return removed
    for folder in candidates:
        try:
            if folder.is_dir() and not folder.is_symlink() and folder.stat().st_uid == os.getuid() \
                    and _owner_gone(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
        except OSError:
            continue
    return removed
