"""The build cache: an executed chapter is reused while nothing it depends on changed.

A chapter's key is the hash of everything its result depends on: the
notebook's content, its parameters (edition, threshold), the hash of the
input data, the helpers code and codebook (`code_version`), the reviewed
quotes and the pinned requirements. Paths are not part of the key, so the
same content gives the same key wherever it is built.

An entry holds the executed notebook and the tables it wrote, and is written
only after a successful run, by an atomic rename: a failed or interrupted run
never leaves an entry behind.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from pathlib import Path

from helpers.data.codebook import PROJECT_ROOT

NOTEBOOK_FILE = "notebook.ipynb"
TABLES_DIR = "tables"
#: Inputs outside the notebook and the data that change what a chapter shows.
_HELPERS = Path(__file__).resolve().parents[1]  # every module of the helpers package
DEPENDENCIES = [PROJECT_ROOT / "requirements.txt", PROJECT_ROOT / "data" / "citaten.csv"]


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """Hash of every helpers source file and the codebook: a code change invalidates every result."""
    digest = hashlib.sha256()
    files = sorted(_HELPERS.rglob("*.py")) + [PROJECT_ROOT / "data" / "codebook.yaml"]
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def environment_key() -> str:
    """Helpers code, codebook, quotes and pinned requirements in one hash."""
    return _digest(code_version().encode(), *(p.read_bytes() for p in DEPENDENCIES if p.exists()))


def chapter_key(notebook: Path, parameters: dict, data_hash: str, environment: str) -> str:
    return _digest(
        Path(notebook).read_bytes(),
        json.dumps(parameters, sort_keys=True).encode(),
        data_hash.encode(),
        environment.encode(),
    )


class ChapterCache:
    """Executed chapters under `<folder>/<key>/`."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def entry(self, key: str) -> Path:
        return self.folder / key

    def has(self, key: str) -> bool:
        return (self.entry(key) / NOTEBOOK_FILE).exists()

    def restore(self, key: str, notebook_target: Path, tables_target: Path) -> None:
        entry = self.entry(key)
        notebook_target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry / NOTEBOOK_FILE, notebook_target)
        tables_target.mkdir(parents=True, exist_ok=True)
        for table in sorted((entry / TABLES_DIR).glob("*.csv")):
            shutil.copyfile(table, tables_target / table.name)

    def store(self, key: str, notebook: Path, tables: list[Path]) -> None:
        entry = self.entry(key)
        if self.has(key):
            return
        tmp = self.folder / f".{key}.{os.getpid()}.tmp"
        if tmp.exists():
            shutil.rmtree(tmp)
        (tmp / TABLES_DIR).mkdir(parents=True)
        shutil.copyfile(notebook, tmp / NOTEBOOK_FILE)
        for table in tables:
            shutil.copyfile(table, tmp / TABLES_DIR / table.name)
        try:
            os.replace(tmp, entry)
        except OSError:  # another worker stored the same key first
            shutil.rmtree(tmp, ignore_errors=True)
