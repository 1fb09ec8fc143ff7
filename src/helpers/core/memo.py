"""Expensive statistics computed once and reused, keyed on their content.

Every institution edition shows the national appendix and national
breakdowns: the same chi-square families on the same national data, 33 times
over. A function decorated with :func:`shared` is keyed on its name, the
content of its arguments (DataFrames by their values, dtypes and index) and
the code of its module and every helpers module that module imports
(`code_version.code_version`, `code_version.modules_of`), so a result is only reused when
recomputing it would give the same answer.

Results are kept in memory for the kernel (chapter 4 reuses what chapters 2
and 3 computed) and, once :func:`use` has named a folder (the build does,
through the notebooks' `cache_dir` parameter), on disk for every edition of
the build and for later builds. Without a folder, nothing is written: a
student running one notebook by hand just computes.

The build's folder (`shared_folder`) is the user's cache, not the output
folder: the national work (the mixed model, the national benchmarks and
figures, the wave comparisons) outlives an output folder, so a build into a
fresh output, or of new editions, does not compute it again. That is safe
because an entry is immutable and named by its content key: the same key
always holds the same result, whoever wrote it. It is also why a key is made
of the real inputs only: a result computed for one institution's edition can
only be found by a call with that institution's data among its arguments.

Concurrent workers -- of one build or of builds into different output
folders -- wait on a per-key file lock, so a shared result is computed once
even when two editions need it at the same moment; no other lock is needed.

A result on disk carries the checksum of its bytes in front of them
(`_HEADER`). One that does not match -- truncated, edited, or written by an
older version -- is removed and computed again, with a line in the cache's
discard log (`helpers.core.integrity`); it never fails a chapter.
"""
from __future__ import annotations

import functools
import hashlib
import os
import pickle
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.core.code_version import code_version, modules_of

try:  # POSIX; elsewhere two workers may both compute a result once
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

_memory: dict[str, object] = {}
_folder: Path | None = None

#: The folder of the build's cache that outlives output folders (default: `$XDG_CACHE_HOME/monitorbook`).
CACHE_ENV = "MONITORBOOK_CACHE"
SHARED = "shared"


def cache_root(cache: str | Path | None = None) -> Path:
    """The user's build cache: `cache` if given, else $MONITORBOOK_CACHE, else $XDG_CACHE_HOME/monitorbook
    (~/.cache/monitorbook)."""
    if cache is not None:
        return Path(cache).expanduser()
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV]).expanduser()
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "monitorbook"


def shared_folder(cache: str | Path | None = None) -> Path:
    """Where the build keeps shared results (see `cache_root`); its discard log is beside it."""
    return cache_root(cache) / SHARED


def use(folder: str | Path | None) -> None:
    """Keep results in `folder` (created if needed); None: memory only."""
    global _folder
    _folder = Path(folder) if folder is not None else None
    if _folder is not None:
        _folder.mkdir(parents=True, exist_ok=True)


def remove_unfinished(folder: Path) -> int:
    """Remove the temporary files of writers that are gone (killed mid-write); returns how many.

    A result is written under its key's lock, so a temporary file whose lock is
    free has no writer: builds into other output folders may be writing at the
    same time, and their files are left alone.
    """
    removed = 0
    for leftover in Path(folder).glob("*.tmp"):
        lock_path = leftover.with_name(leftover.name.split(".", 1)[0] + ".lock")
        try:
            with open(lock_path, "a") as lock:
                if fcntl is not None:
                    try:
                        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    except BlockingIOError:
                        continue  # being written now
                leftover.unlink(missing_ok=True)
                removed += 1
        except OSError:
            continue
    return removed


class Unkeyable(TypeError):
    """An argument whose content cannot be hashed reliably; the call is then not shared."""


def _feed(digest, value) -> None:
    if isinstance(value, pd.DataFrame):
        digest.update(b"frame")
        digest.update(repr(list(value.columns)).encode())
        digest.update(repr([str(t) for t in value.dtypes]).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, pd.Series):
        digest.update(b"series" + repr(value.name).encode() + str(value.dtype).encode())
        digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
    elif isinstance(value, (list, tuple)):
        digest.update(f"seq{len(value)}".encode())
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        digest.update(f"dict{len(value)}".encode())
        for key in sorted(value, key=repr):
            _feed(digest, key)
            _feed(digest, value[key])
    elif value is None or isinstance(value, (str, int, float, bool, np.integer, np.floating)):
        digest.update(repr(value).encode())
    else:
        raise Unkeyable(type(value).__name__)


#: Besides the helpers code, what a shared result depends on: the codebook (labels, thresholds, scales) and the
#: versions of the libraries that compute it. The cache outlives output folders and checkouts, so both are keyed.
_ENVIRONMENT_FILES = ("data/codebook.yaml", "requirements.txt")
_LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels", "pingouin", "matplotlib", "seaborn", "ipywidgets")


@functools.lru_cache(maxsize=None)
def environment() -> str:
    """The fingerprint of what a shared result depends on besides its code and arguments."""
    from importlib import metadata
    import sys

    from helpers.core.paths import PROJECT_ROOT

    digest = hashlib.sha256(sys.version.encode())
    for name in _ENVIRONMENT_FILES:
        path = PROJECT_ROOT / name
        digest.update(name.encode() + (path.read_bytes() if path.is_file() else b"-"))
    for library in _LIBRARIES:
        try:
            version = metadata.version(library)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}".encode())
    return digest.hexdigest()


def key(name: str, args: tuple, kwargs: dict, module: str = "") -> str:
    """The content key of a call: the code of `module` (the function's, with what it imports), the environment
    (`environment`), name, arguments."""
    digest = hashlib.sha256()
    digest.update(code_version(modules_of(module)).encode())
    digest.update(environment().encode())
    digest.update(name.encode())
    _feed(digest, list(args))
    _feed(digest, kwargs)
    return digest.hexdigest()


#: A result file: this marker, the sha256 of the pickle, the pickle.
_HEADER = b"monitorbook-gedeeld-1\n"
_DIGEST_SIZE = 32
_MISSING = object()


def _from_disk(path: Path):
    """The result kept in `path`; `_MISSING` if there is none or it does not match its checksum (then removed)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return _MISSING
    start = len(_HEADER) + _DIGEST_SIZE
    payload = data[start:]
    value = _MISSING
    if data.startswith(_HEADER) and hashlib.sha256(payload).digest() == data[len(_HEADER):start]:
        try:
            value = pickle.loads(payload)
        except Exception:  # the same bytes as written: only another pickle module could get here
            value = _MISSING
    if value is _MISSING:
        path.unlink(missing_ok=True)
        _log_discarded(f"gedeeld resultaat {path.name}", "de inhoud klopt niet met het controlegetal")
    return value


def _log_discarded(what: str, why: str) -> None:
    from helpers.core import integrity

    integrity.log_discarded(_folder.parent / integrity.DISCARD_LOG if _folder is not None else None, what, why)


def _to_disk(path: Path, value) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(_HEADER + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _compute_once(path: Path, compute):
    lock_path = path.with_suffix(".lock")
    with open(lock_path, "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        value = _from_disk(path)
        if value is not _MISSING:
            return value
        value = compute()
        _to_disk(path, value)
        return value


def shared(func):
    """Decorator: reuse the result of `func` for arguments with the same content.

    Across editions and builds (with a cache folder); for results that live
    within one edition or one chapter, see `helpers.book.edition.kept` and
    `EditionContext.once`.
    """
    name = f"{func.__module__}.{func.__qualname__}"

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            k = key(name, args, kwargs, func.__module__)
        except Unkeyable:
            return func(*args, **kwargs)
        if k in _memory:
            return copied(_memory[k])
        compute = functools.partial(func, *args, **kwargs)
        value = compute() if _folder is None else _compute_once(_folder / f"{k}.pkl", compute)
        _memory[k] = value
        return copied(value)

    wrapper.uncached = func
    return wrapper


def copied(value):
    """A kept result as a caller gets it: callers may modify what they get back; the kept result must not change."""
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(copied(v) for v in value)
    return value
