"""Which helpers code a result depends on, and a fingerprint of that code.

A cached result -- an executed chapter (`helpers.pipeline.cache`), a shared
statistic (`helpers.core.memo`) -- is reused only while the code that made it is
unchanged. That code is the module that made it and every helpers module it
imports, transitively, found by reading the sources (`modules_of`), with the
sentence templates those modules read (see `helpers.book.sentences`); its fingerprint is the hash of those files
(`code_version`).
"""
from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path

from helpers.core.paths import NOTEBOOKS, PROJECT_ROOT, SENTENCES_SUFFIX, sentence_template

_HELPERS = Path(__file__).resolve().parents[1]  # the helpers package
_SOURCES = _HELPERS.parent


@functools.lru_cache(maxsize=None)
def _module_file(name: str) -> Path | None:
    """The source file of helpers module `name` ('helpers.core.dutch'), or None if it is not one."""
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


def imported_names(source: str, package: str) -> set[str]:
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


#: A module's sentence templates: `sentence_file` called with the template's name typed as a literal.
_SENTENCE_FILE = re.compile(r"""\bsentence_file\(\s*["']([\w/]+)["']""")


@functools.lru_cache(maxsize=None)
def _direct_imports(path: Path) -> frozenset[Path]:
    """The helpers source files one module imports directly, with their packages, and its sentence templates."""
    if path.suffix != ".py":  # a template imports nothing
        return frozenset()
    package = ".".join(path.relative_to(_SOURCES).with_suffix("").parts[:-1])
    source = path.read_text(encoding="utf-8")
    templates = {sentence_template(name) for name in _SENTENCE_FILE.findall(source)}
    return files_of(imported_names(source, package)) | frozenset(templates)


def files_of(names: set[str]) -> frozenset[Path]:
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


def modules_of(name: str) -> list[Path] | None:
    """The helpers source files module `name` runs (itself and its imports, transitively); None: not a helpers
    module (then a caller keys on every helpers file)."""
    path = _module_file(name) if name == "helpers" or name.startswith("helpers.") else None
    return None if path is None else module_closure(frozenset({path}))


def code_version(files: list[Path] | None = None) -> str:
    """Hash of helpers source files (default: all of them, and every sentence template): a change to one of them
    invalidates what used it."""
    if files is None:
        files = sorted([*_HELPERS.rglob("*.py"), *NOTEBOOKS.rglob(f"*{SENTENCES_SUFFIX}")])
    return _code_version(tuple(files))


@functools.lru_cache(maxsize=None)
def _code_version(files: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for path in files:
        # Sources by their module path (as before templates existed), templates by their path in the project.
        name = path.relative_to(_SOURCES) if path.is_relative_to(_SOURCES) else path.relative_to(PROJECT_ROOT)
        digest.update(str(name).encode())
        digest.update(_file_digest(path))
    return digest.hexdigest()


@functools.lru_cache(maxsize=None)
def _file_digest(path: Path) -> bytes:
    """Each source file is read once per process, however many keys it is part of."""
    return hashlib.sha256(path.read_bytes()).digest()


def forget() -> None:
    """Read and hash the sources again on next use: for a process that outlives edits to them (a preview)."""
    for remembered in (_module_file, _direct_imports, _code_version, _file_digest):
        remembered.cache_clear()
