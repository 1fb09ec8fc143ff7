"""Small notebooks for the kernel tests: a `parameters` cell (`waarde = 0`) and one code cell."""
from __future__ import annotations

from pathlib import Path

import nbformat

from helpers.pipeline.execute import KERNEL


def code_notebook(path: Path, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "language": "python", "display_name": "Python 3"}
    nb.cells = [
        nbformat.v4.new_code_cell("waarde = 0", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(code),
    ]
    nbformat.write(nb, path)
    return path
