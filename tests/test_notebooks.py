"""Committed notebooks: no outputs, one parameters cell, no number typed into prose."""
import re
from pathlib import Path

import nbformat
import pytest

from helpers.data.codebook import PROJECT_ROOT
from helpers.pipeline.edition_manifest import chapters_for

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(PROJECT_ROOT / "notebooks").as_posix())
def test_committed_notebook_has_no_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    dirty = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and (c.outputs or c.execution_count)]
    assert not dirty, f"{path.name}: cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(PROJECT_ROOT / "notebooks").as_posix())
def test_exactly_one_parameters_cell(path: Path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name} has {len(tagged)} parameters cells"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(PROJECT_ROOT / "notebooks").as_posix())
def test_prose_has_no_typed_numbers(path: Path):
    """Every number a reader sees is computed: markdown cells may not contain digits."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            assert not re.search(r"\d", cell.source), f"{path.name}: typed number in prose: {cell.source[:80]!r}"


def test_every_notebook_is_in_some_edition():
    listed = {PROJECT_ROOT / f"{c}.ipynb" for e in ("landelijk", "I01") for c in chapters_for(e)}
    assert set(NOTEBOOKS) == listed


def test_every_notebook_takes_the_same_parameters():
    """The build passes every chapter the same parameters, so every parameters cell is the same."""
    cells = {path.relative_to(PROJECT_ROOT).as_posix(): next(
        c.source for c in nbformat.read(path, as_version=4).cells if "parameters" in c.metadata.get("tags", []))
        for path in NOTEBOOKS}
    assert len(set(cells.values())) == 1, cells


def test_the_praatplaat_opens_every_edition():
    """Right after the root page, before the Katerns, in the national and in an institution edition."""
    for edition in ("landelijk", "I01"):
        assert chapters_for(edition)[:2] == ["notebooks/index", "notebooks/praatplaat"]
