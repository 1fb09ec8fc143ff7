"""The output folder: one build at a time, and problems with it told in Dutch.

A build holds an exclusive lock (`flock`) on `<out>/LOCK_FILE` from before it
writes anything until it ends. The operating system releases the lock when the
process ends, however it ends, so a killed build never blocks the next one. A
second build into the same folder refuses at once (`BuildRunning`, with the
first one's process id), touching nothing.

The lock file also names the build (`token`): a process that works for a build
(a local worker, a Dask worker, the build itself) asks `abandoned` before each
chapter, before printing and before publishing, and stops when the build that
started it is gone or another build owns the folder now; on a Dask worker a
thread also asks every half second (`helpers.pipeline.tether`).

Disk and permission problems (a full disk, a read-only file system, a missing
permission, an `--out` that is a file) become `OutputProblem`: one Dutch
message naming the path and what to do (the command's exit status 2).
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import socket
import time
import uuid
from pathlib import Path

LOCK_FILE = "build.lock"
#: How long a new build retries the lock: a worker's `abandoned` holds it for a moment.
LOCK_RETRY_SECONDS = 2.0
#: The errors that are the operator's to solve (disk, permissions), not the edition's.
STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOTDIR, errno.EEXIST}
_ERRNO_TEXT = re.compile(r"\[Errno (\d+)\][^'\n]*(?:'([^'\n]+)')?")
NOTHING_HALF = ("Er is geen editie half geschreven: wat al gepubliceerd was, staat er nog ongewijzigd; "
                "start de build opnieuw als het probleem verholpen is.")


class BuildRunning(RuntimeError):
    """Another build holds the output folder."""


class OutputProblem(RuntimeError):
    """The output folder cannot be written: the message says where and what to do."""


def problem_message(code: int, path: str | Path | None, out: str | Path | None = None) -> str:
    """One Dutch sentence or two for an `OSError` with errno `code` on `path`."""
    if path is not None and Path(path).name.startswith(".") and Path(path).name.endswith(".tmp"):
        path = Path(path).parent  # a temporary name of the build's: the folder says more
    where = str(path or out or "de uitvoermap")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return (f"De schijf is vol: {where} kon niet worden geschreven. Maak ruimte vrij op die schijf, "
                f"of kies met --out een map op een andere schijf.")
    if code == errno.EROFS:
        return (f"{where} staat op een alleen-lezen bestandssysteem. Kies met --out een map waarin geschreven "
                f"mag worden.")
    if code in (errno.EACCES, errno.EPERM):
        return (f"Geen toestemming om te schrijven in {where}. Geef deze gebruiker schrijfrechten op die map, "
                f"of kies met --out een andere map.")
    if code in (errno.ENOTDIR, errno.EEXIST):
        return (f"De uitvoermap {out or where} is geen map (er staat een bestand op die plek of erboven). "
                f"Kies met --out een map.")
    return f"{where} kon niet worden geschreven ({os.strerror(code)})."


def storage_problem(err: BaseException | str | None) -> tuple[int, str | None] | None:
    """(errno, path) if `err` -- an exception (and what caused it), or the text of one -- is a disk or
    permission problem; else None."""
    seen = set()
    while isinstance(err, BaseException) and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, OSError) and err.errno in STORAGE_ERRNOS - {errno.ENOTDIR, errno.EEXIST}:
            return err.errno, err.filename
        text = str(err)
        found = _storage_text(text)
        if found:
            return found
        err = err.__cause__ or err.__context__
    return _storage_text(err) if isinstance(err, str) else None


def _storage_text(text: str) -> tuple[int, str | None] | None:
    for match in _ERRNO_TEXT.finditer(text or ""):
        code = int(match.group(1))
        if code in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM):
            return code, match.group(2)
    return None


def _unusable(err: OSError, out: Path) -> OutputProblem:
    code = err.errno
    if isinstance(err, (FileExistsError, NotADirectoryError)):
        code = errno.ENOTDIR
    return OutputProblem(problem_message(code, out, out) + " Er is niets gebouwd.")


class OutputLock:
    """The exclusive lock of one build on its output folder (a context manager)."""

    def __init__(self, out: Path):
        self.out = Path(out)
        self.path = self.out / LOCK_FILE
        self.token = uuid.uuid4().hex
        self._fd: int | None = None

    def __enter__(self) -> "OutputLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        out = self.out
        if out.exists() and not out.is_dir():
            raise _unusable(NotADirectoryError(errno.ENOTDIR, "not a directory", str(out)), out)
        try:
            out.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as err:
            raise _unusable(err, out) from None
        deadline = time.monotonic() + LOCK_RETRY_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    holder = _holder(fd)
                    os.close(fd)
                    raise BuildRunning(
                        f"In {out} draait al een build (proces {holder.get('pid', '?')} op "
                        f"{holder.get('machine', '?')}, gestart {holder.get('gestart', '?')}). Er is niets veranderd. "
                        "Wacht tot die build klaar is, of stop hem eerst; gebruik anders een andere uitvoermap "
                        "(--out).") from None
                time.sleep(0.1)
        probe = out / f".schrijfproef.{os.getpid()}.tmp"  # the lock file may be writable in a folder that is not
        try:
            os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600))
            os.unlink(probe)
        except OSError as err:
            os.close(fd)
            raise _unusable(err, out) from None
        record = json.dumps({"pid": os.getpid(), "machine": socket.gethostname(), "token": self.token,
                             "gestart": time.strftime("%Y-%m-%d %H:%M:%S")}).encode()
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, record + b"\n", 0)
        except OSError as err:
            os.close(fd)
            raise _unusable(err, out) from None
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None


def _holder(fd: int) -> dict:
    try:
        return json.loads(os.pread(fd, 4096, 0).decode() or "{}")
    except (OSError, ValueError):
        return {}


def abandoned(out: str | Path, token: str | None) -> bool:
    """Whether the build `token` no longer holds `out`: it ended (or was killed), or another build took over.

    Works from any process that sees the folder (a local or a Dask worker). With
    no token (an edition built outside `build`), never.
    """
    if token is None:
        return False
    path = Path(out) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return True
    try:
        if _holder(fd).get("token") != token:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return False  # held, by the build that wrote the token
        return True  # nobody holds it: the build is gone
    finally:
        os.close(fd)  # also lets go of the shared lock
