"""Running one chapter notebook for one edition with papermill.

After execution the `parameters` and `injected-parameters` cells are tagged
`remove-cell`, so the rendered book never shows paths or parameters.
"""
from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill

HIDDEN_TAGS = {"parameters", "injected-parameters"}
KERNEL = "python3"


@dataclass
class ChapterRun:
    chapter: str
    status: str  # "ok" or "fout"
    seconds: float
    error: str | None = None


def hide_parameter_cells(notebook_path: Path) -> None:
    nb = nbformat.read(notebook_path, as_version=4)
    for cell in nb.cells:
        tags = cell.metadata.setdefault("tags", [])
        if HIDDEN_TAGS & set(tags) and "remove-cell" not in tags:
            tags.append("remove-cell")
    nbformat.write(nb, notebook_path)


@contextmanager
def _output_to(log_path: Path):
    """Send this process's stdout/stderr (and so the kernel's, which inherits them) to a log file.

    Kernel start-up and shutdown messages would otherwise interleave with the
    progress bar; the log stays with the edition for diagnosis.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(log_path, "ab") as log:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def execute_chapter(source: Path, target: Path, parameters: dict, chapter: str) -> ChapterRun:
    """Execute `source` into `target` with `parameters`; the target is kept even on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
        with _output_to(target.with_suffix(".log")):
            papermill.execute_notebook(
                str(source),
                str(target),
                parameters=parameters,
                kernel_name=KERNEL,
                cwd=str(source.parent),
                progress_bar=False,
                log_output=False,
                report_mode=False,
            )
    except papermill.PapermillExecutionError as err:
        return ChapterRun(chapter, "fout", time.perf_counter() - start, f"{err.ename}: {err.evalue}")
    hide_parameter_cells(target)
    return ChapterRun(chapter, "ok", time.perf_counter() - start)
