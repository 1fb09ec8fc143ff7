"""The build cache: an executed chapter is reused while nothing it depends on changed.

A chapter's key is the hash of everything its result depends on: the
notebook's content, its parameters (edition, threshold), the hash of the
input data, the helpers code and codebook (`memo.code_version`), the reviewed
quotes and the pinned requirements. Paths are not part of the key, so the
same content gives the same key wherever it is built.

An entry holds the executed notebook, the tables it wrote and, written last,
their checksums (`integrity.CHECKSUM_FILE`). It is written only after a
successful run, in a temporary folder that is renamed into place: a failed or
interrupted run never leaves an entry behind. An entry is restored only when
every file matches its checksum, and then byte for byte; one that does not
(edited, truncated, half deleted) is thrown away, logged, and the chapter is
executed again.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from helpers.data.codebook import PROJECT_ROOT
from helpers.pipeline import integrity, memo

NOTEBOOK_FILE = "notebook.ipynb"
TABLES_DIR = "tables"
#: Inputs outside the notebook and the data that change what a chapter shows.
DEPENDENCIES = [PROJECT_ROOT / "requirements.txt", PROJECT_ROOT / "data" / "citaten.csv"]


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def environment_key() -> str:
    """Helpers code, codebook, quotes and pinned requirements in one hash."""
    return _digest(memo.code_version().encode(), *(p.read_bytes() for p in DEPENDENCIES if p.exists()))


def chapter_key(notebook: Path, parameters: dict, data_hash: str, environment: str) -> str:
    return _digest(
        Path(notebook).read_bytes(),
        json.dumps(parameters, sort_keys=True).encode(),
        data_hash.encode(),
        environment.encode(),
    )


class ChapterCache:
    """Executed chapters under `<folder>/<key>/`; discarded entries are logged in `<folder>/../DISCARD_LOG`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.log = self.folder.parent / integrity.DISCARD_LOG

    def entry(self, key: str) -> Path:
        return self.folder / key

    def has(self, key: str) -> bool:
        """Whether there is a finished entry for `key` (whether it is intact, `restore` finds out)."""
        return (self.entry(key) / integrity.CHECKSUM_FILE).exists()

    def restore(self, key: str, notebook_target: Path, tables_target: Path, what: str = "") -> bool:
        """Write the entry's notebook and tables, byte for byte, if every file matches its checksum.

        Returns False -- and writes nothing -- for an entry that does not match: it is removed and logged.
        """
        entry = self.entry(key)
        files = integrity.verified_files(entry)
        tables = {name: data for name, data in (files or {}).items() if name.startswith(f"{TABLES_DIR}/")}
        if files is None or NOTEBOOK_FILE not in files or len(tables) + 1 != len(files) \
                or any("/" in name[len(TABLES_DIR) + 1:] or not name.endswith(".csv") for name in tables):
            self.discard(key, what or key, "de inhoud klopt niet met het controlegetal")
            return False
        notebook_target.parent.mkdir(parents=True, exist_ok=True)
        notebook_target.write_bytes(files[NOTEBOOK_FILE])
        tables_target.mkdir(parents=True, exist_ok=True)
        for name, data in sorted(tables.items()):
            (tables_target / name[len(TABLES_DIR) + 1:]).write_bytes(data)
        return True

    def discard(self, key: str, what: str, why: str) -> None:
        entry = self.entry(key)
        trash = self.folder / f".{key}.{os.getpid()}.weg"
        try:
            os.replace(entry, trash)
        except OSError:
            trash = entry
        shutil.rmtree(trash, ignore_errors=True)
        integrity.log_discarded(self.log, f"cache-item van {what}", why)

    def store(self, key: str, notebook: Path, tables: list[Path]) -> None:
        entry = self.entry(key)
        if self.has(key):
            return
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        try:
            if tmp.exists():
                shutil.rmtree(tmp)
            (tmp / TABLES_DIR).mkdir(parents=True)
            files = {NOTEBOOK_FILE: Path(notebook).read_bytes()}
            files.update({f"{TABLES_DIR}/{table.name}": table.read_bytes() for table in tables})
            for name, data in files.items():
                (tmp / name).write_bytes(data)
            integrity.write_checksums(tmp, files)  # last: an entry without it is not finished
            if entry.exists():  # unfinished, or from before entries had checksums
                shutil.rmtree(entry, ignore_errors=True)
            os.replace(tmp, entry)
        except OSError:
            # Another worker stored the same key first, or the disk is full: the chapter ran all the same.
            shutil.rmtree(tmp, ignore_errors=True)
            if not self.has(key):
                raise


def remove_unfinished(folder: Path) -> int:
    """Remove the temporary folders of entries a killed build was writing or throwing away; their number."""
    count = 0
    for path in Path(folder).glob(".*"):
        if path.name.endswith((".tmp", ".weg")):
            shutil.rmtree(path, ignore_errors=True)
            count += 1
    return count
