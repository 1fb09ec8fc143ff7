"""Checksums for what the build keeps between runs, and the log of entries it threw away.

A cache entry (an executed chapter, a shared result, the checked input) is
only used after its content matches the checksum written with it, last. An
entry that does not match -- truncated, edited, half deleted -- is removed
and computed again, and one Dutch line goes to `<out>/cache/DISCARD_LOG`,
which the build reports at its end (`build-manifest.json`: `cache_verworpen`).
"""
from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

CHECKSUM_FILE = "controle.json"
DISCARD_LOG = "verworpen.log"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_checksums(folder: Path, files: dict[str, bytes]) -> None:
    """Write `CHECKSUM_FILE` in `folder` for `files` ({relative path: content}); call it after writing them."""
    record = {name: digest(data) for name, data in sorted(files.items())}
    (Path(folder) / CHECKSUM_FILE).write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")


def verified_files(folder: Path) -> dict[str, bytes] | None:
    """{relative path: content} of every file `CHECKSUM_FILE` lists, if all are there and match, and no other file
    is; else None."""
    folder = Path(folder)
    try:
        record = json.loads((folder / CHECKSUM_FILE).read_text(encoding="utf-8"))
        present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {CHECKSUM_FILE}
        if not isinstance(record, dict) or set(record) != present:
            return None
        files = {name: (folder / name).read_bytes() for name in record}
    except (OSError, ValueError):
        return None
    if any(digest(data) != record[name] for name, data in files.items()):
        return None
    return files


def log_discarded(log: Path | None, what: str, why: str) -> None:
    """Append one line to the discard log (several processes may at once: one write of one line each)."""
    line = f"{time.strftime('%Y-%m-%d %H:%M:%S')} {what} weggegooid en opnieuw berekend: {why}\n"
    if log is None:
        return
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, line.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        pass  # a full disk: the entry is recomputed all the same


def discarded_since(log: Path, offset: int) -> list[str]:
    """The lines the discard log got after `offset` bytes, without their time stamp."""
    try:
        with open(log, "rb") as handle:
            handle.seek(offset)
            text = handle.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    return [line.split(" ", 2)[2] if line.count(" ") >= 2 else line for line in text.splitlines() if line.strip()]


def log_size(log: Path) -> int:
    try:
        return log.stat().st_size
    except OSError:
        return 0
