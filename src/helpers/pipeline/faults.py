"""Named points where the fault-injection tests stop, kill or fail the build (`tests/test_faults.py`).

Outside those tests nothing happens here: `reach` returns at once unless the
environment variable `FAULT_ENV` names the point. Its value is one or more
`<point>[@<edition>]:<action>`, separated by commas; the points are

- `validating`: the input files are read and hashed, validation has not begun;
- `chapter-done`: a chapter of the edition was executed, its kernel is running;
- `printing`: Chromium is running and is about to print the edition;
- `write-zip`: the edition's zip is about to be written in staging;
- `publish-between`: the new edition folder is in place, its zip not yet;

and the actions

- `wait`: write this process's id to the file named by `FAULT_FILE_ENV` and
  wait until the test removes that file (at most `WAIT_SECONDS`); meanwhile
  the test kills or signals the build, or changes its input;
- `kill`: SIGKILL the build's main process and this one, as a power cut would;
- `enospc`, `eacces`, `erofs`: raise the `OSError` of a full disk, a missing
  permission or a read-only file system for the path at hand.
"""
from __future__ import annotations

import errno
import os
import signal
import time
from pathlib import Path

FAULT_ENV = "MONITORBOOK_FAULT"
FAULT_FILE_ENV = "MONITORBOOK_FAULT_FILE"
#: The build's main process, set by `build` for the processes it starts.
BUILD_PID_ENV = "MONITORBOOK_BUILD_PID"
WAIT_SECONDS = 600
_ERRORS = {"enospc": errno.ENOSPC, "eacces": errno.EACCES, "erofs": errno.EROFS}


def _actions(point: str, edition: str | None) -> list[str]:
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return []
    actions = []
    for item in spec.split(","):
        where, _, action = item.strip().rpartition(":")
        name, _, only = where.partition("@")
        if name == point and (not only or only == edition):
            actions.append(action)
    return actions


def reach(point: str, edition: str | None = None, path: str | Path | None = None) -> None:
    """The build is at `point` (for `edition`, writing `path`): do what the test asked there, if anything."""
    for action in _actions(point, edition):
        if action == "wait":
            marker = Path(os.environ[FAULT_FILE_ENV])
            marker.write_text(str(os.getpid()), encoding="utf-8")
            deadline = time.monotonic() + WAIT_SECONDS
            while marker.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
        elif action == "kill":
            main = int(os.environ.get(BUILD_PID_ENV, os.getpid()))
            if main != os.getpid():
                os.kill(main, signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)
        elif action in _ERRORS:
            code = _ERRORS[action]
            raise OSError(code, os.strerror(code), str(path) if path is not None else None)
        else:
            raise ValueError(f"unknown fault action {action!r} at {point}")
