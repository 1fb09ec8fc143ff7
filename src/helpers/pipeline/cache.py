"""The build cache: an executed chapter is reused while nothing it depends on changed.

A chapter's key is the hash of everything its result depends on: the
notebook's content, its parameters (edition, threshold), the hash of the
input data, the helpers modules the notebook imports (transitively, found by
reading the sources: `notebook_modules`), the codebook, the reviewed quotes,
the book's structure and the pinned requirements. Paths are not part of the key, so the
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

import functools
import hashlib
import json
import os
import shutil
from pathlib import Path

from helpers.core import integrity, memo
from helpers.core.code_version import code_version, files_of, imported_names, module_closure, modules_of
from helpers.core.code_version import forget as code_version_cache_forget
from helpers.data.codebook import PROJECT_ROOT

NOTEBOOK_FILE = "notebook.ipynb"
TABLES_DIR = "tables"
#: Inputs outside the notebook, the data and the helpers code that change what a chapter shows: the pinned
#: requirements, the codebook, the reviewed quotes, and the book's structure (chapters cite and number each other).
DEPENDENCIES = [PROJECT_ROOT / name for name in
                ("requirements.txt", "data/codebook.yaml", "data/citaten.csv", "_toc.yml", "edities.yml")]
#: The module that builds an edition: what it imports (the renderer, the printer, ...) is part of every edition's key.
BUILDER = "helpers.pipeline.build"
#: The module that checks the input: what it imports is part of the key of the checked data.
VALIDATOR = "helpers.data.validation"


def notebook_modules(notebook: Path) -> list[Path]:
    """The helpers source files a chapter notebook runs: what its code cells import, transitively."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return _code_modules("\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                                   for c in cells if c["cell_type"] == "code"))


@functools.lru_cache(maxsize=None)
def _code_modules(code: str) -> list[Path]:
    return module_closure(files_of(imported_names(code, "")))


def forget_file_contents() -> None:
    """Hash the sources again on next use: for a process that outlives edits to them (`monitorbook preview`)."""
    code_version_cache_forget()
    _code_modules.cache_clear()


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def environment_key() -> str:
    """What every chapter depends on besides its notebook, code, parameters and data, in one hash.

    The environment of the shared results (`memo.environment`: the Python and library versions that compute and
    draw, which may differ from the pinned requirements on a machine installed otherwise) and the files of
    `DEPENDENCIES`, read now (a preview sees them edited).
    """
    return _digest(memo.environment().encode(), *(p.read_bytes() for p in DEPENDENCIES if p.exists()))


def chapter_key(notebook: Path, parameters: dict, data_hash: str, environment: str) -> str:
    """Everything a chapter's result depends on: the notebook, the helpers modules it imports, parameters,
    data and environment. Editing a chapter module re-executes only the chapters that import it."""
    return _digest(
        Path(notebook).read_bytes(),
        code_version(notebook_modules(notebook)).encode(),
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
