"""Running one chapter notebook for one edition with papermill.

After execution the `parameters` and `injected-parameters` cells are tagged
`remove-cell`, so the rendered book never shows paths or parameters.
"""
from __future__ import annotations

import time
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


def execute_chapter(source: Path, target: Path, parameters: dict, chapter: str) -> ChapterRun:
    """Execute `source` into `target` with `parameters`; the target is kept even on failure."""
    target.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    try:
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
