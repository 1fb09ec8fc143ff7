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
import re
import shutil
from pathlib import Path

from helpers.data.codebook import PROJECT_ROOT
from helpers.pipeline import integrity

NOTEBOOK_FILE = "notebook.ipynb"
TABLES_DIR = "tables"
_HELPERS = Path(__file__).resolve().parents[1]  # the helpers package
_SOURCES = _HELPERS.parent
#: Inputs outside the notebook, the data and the helpers code that change what a chapter shows: the pinned
#: requirements, the codebook, the reviewed quotes, and the book's structure (chapters cite and number each other).
DEPENDENCIES = [PROJECT_ROOT / name for name in
                ("requirements.txt", "data/codebook.yaml", "data/citaten.csv", "_toc.yml", "edities.yml")]
#: The module that builds an edition: what it imports (the renderer, the printer, ...) is part of every edition's key.
BUILDER = "helpers.pipeline.build"
#: The module that checks the input: what it imports is part of the key of the checked data.
VALIDATOR = "helpers.data.validation"


@functools.lru_cache(maxsize=None)
def _module_file(name: str) -> Path | None:
    """The source file of helpers module `name` ('helpers.book.dutch'), or None if it is not one."""
    base = _SOURCES.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


#: An import statement: `import a.b, c` or `from a.b import c, d` / `from . import (c,\n d)`. Read as text, not
#: parsed: this runs on every build, also one with nothing to do. An import inside a string counts too (harmless:
#: a key that holds one module too many only reruns a chapter once more).
_IMPORT = re.compile(r"^[ \t]*(?:import[ \t]+([\w., \t]+)|from[ \t]+([.\w]+)[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*))",
                     re.MULTILINE)


def _imported_names(source: str, package: str) -> set[str]:
    """Every helpers module a source imports, anywhere (also inside functions), by absolute name."""
    names = set()
    for plain, origin, imported in _IMPORT.findall(source):
        if plain:
            names.update(n.split(" as ")[0].strip() for n in plain.split(","))
            continue
        level = len(origin) - len(origin.lstrip("."))
        if level:  # relative: from the package of the importing module
            parts = package.split(".")[: len(package.split(".")) - level + 1]
            base = ".".join(parts + ([origin[level:]] if origin[level:] else []))
        else:
            base = origin
        names.add(base)
        for alias in imported.strip("()").replace("\\\n", " ").split(","):  # `from package import module`
            if alias.split(" as ")[0].strip():
                names.add(f"{base}.{alias.split(' as ')[0].strip()}")
    return {n for n in names if n == "helpers" or n.startswith("helpers.")}


@functools.lru_cache(maxsize=None)
def _direct_imports(path: Path) -> frozenset[Path]:
    """The helpers source files one module imports directly, with their packages."""
    package = ".".join(path.relative_to(_SOURCES).with_suffix("").parts[:-1])
    return _files_of(_imported_names(path.read_text(encoding="utf-8"), package))


def _files_of(names: set[str]) -> frozenset[Path]:
    files = set()
    for name in names:
        parts = name.split(".")
        for depth in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__ too
            found = _module_file(".".join(parts[:depth]))
            if found is not None:
                files.add(found)
    return frozenset(files)


def module_closure(start: frozenset[Path]) -> list[Path]:
    """`start` and every helpers source file they import, transitively, sorted."""
    seen, todo = set(), list(start)
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo.extend(_direct_imports(path) - seen)
    return sorted(seen)


def notebook_modules(notebook: Path) -> list[Path]:
    """The helpers source files a chapter notebook runs: what its code cells import, transitively."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return _code_modules("\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                                   for c in cells if c["cell_type"] == "code"))


@functools.lru_cache(maxsize=None)
def _code_modules(code: str) -> list[Path]:
    return module_closure(_files_of(_imported_names(code, "")))


def modules_of(name: str) -> list[Path] | None:
    """The helpers source files module `name` runs (itself and its imports, transitively); None: not a helpers
    module (then a caller keys on every helpers file)."""
    path = _module_file(name) if name == "helpers" or name.startswith("helpers.") else None
    return None if path is None else module_closure(frozenset({path}))


def code_version(files: list[Path] | None = None) -> str:
    """Hash of helpers source files (default: all of them): a change to one of them invalidates what used it."""
    return _code_version(tuple(files) if files is not None else tuple(sorted(_HELPERS.rglob("*.py"))))


@functools.lru_cache(maxsize=None)
def _code_version(files: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(_SOURCES)).encode())
        digest.update(_file_digest(path))
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def _file_digest(path: Path) -> bytes:
    """Each source file is read once per process, however many keys it is part of."""
    return hashlib.sha256(path.read_bytes()).digest()


def forget_file_contents() -> None:
    """Hash the sources again on next use: for a process that outlives edits to them (`monitorbook preview`)."""
    for remembered in (_module_file, _direct_imports, _code_modules, _code_version, _file_digest):
        remembered.cache_clear()


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def environment_key() -> str:
    """Requirements, codebook, quotes and the book's structure in one hash (the helpers code is keyed per use)."""
    return _digest(*(p.read_bytes() for p in DEPENDENCIES if p.exists()))


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
