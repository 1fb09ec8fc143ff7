"""Committed notebooks: no outputs, one parameters cell, no number typed into prose; and each runs top to
bottom as a student opens it in JupyterLab (`make lab`), showing the figures `figuren.yml` lists."""
import ast
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers.book.publish import FIGURE_NOTE_CLASS
from helpers.data.codebook import PROJECT_ROOT
from helpers.data.dataset import SHIPPED_INSTITUTIONS
from helpers.core.edition_manifest import NATIONAL, chapters_for
from helpers.pipeline.execute import KERNEL
from helpers.pipeline.figure import figure_index

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


# -- run as a student runs them in JupyterLab (`make lab`) ------------------------------------------

#: Notebooks executed side by side by `lab_runs` (each in its own kernel).
LAB_RUNS_AT_ONCE = 2
#: Finds the id in the note the Publisher puts under every figure.
FIGURE_NOTE = re.compile(rf'<details class="{FIGURE_NOTE_CLASS}[^"]*"[^>]*><summary>Figuur-id: <code>([^<]+)</code>')


def parameters_cell(nb) -> dict:
    """The values the `parameters` cell assigns (literals only, as papermill needs them)."""
    cell, = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    return {node.targets[0].id: ast.literal_eval(node.value) for node in ast.parse(cell.source).body}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(PROJECT_ROOT / "notebooks").as_posix())
def test_parameter_defaults_are_the_national_edition_on_the_shipped_data(path: Path):
    """Opened in Lab, a chapter runs as it is: no path of some build or machine in its defaults."""
    assert parameters_cell(nbformat.read(path, as_version=4)) == {
        "edition": NATIONAL, "data_dir": None, "tables_dir": None, "min_n": None, "cache_dir": None}


def test_lab_uses_the_build_kernel_of_the_venv_even_beside_a_users_own(tmp_path: Path):
    """`make lab`'s environment resolves the notebooks' kernel to this interpreter, not a user's python3 kernel."""
    recipe = re.search(r"^lab:.*\n\t(.+)$", (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    # A user who set up Jupyter to prefer their own kernels, then the variables the recipe sets.
    env = dict(os.environ, JUPYTER_PREFER_ENV_PATH="0")
    env.update(re.findall(r"(\w+)=(\S+)\s", recipe.split("$(PY)")[0] + " "))
    user_kernel = tmp_path / "kernels" / KERNEL
    user_kernel.mkdir(parents=True)
    (user_kernel / "kernel.json").write_text(json.dumps(
        {"argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
         "display_name": "Someone else's Python", "language": "python"}))
    env["JUPYTER_DATA_DIR"] = str(tmp_path)  # the user's own Jupyter folder
    probe = ("from jupyter_client.manager import KernelManager; import sys; "
             f"print(KernelManager(kernel_name={KERNEL!r}).format_kernel_cmd()[0] == sys.executable)")
    result = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True", "the notebooks would run on another Python than the project's"


def run_as_in_lab(path: Path, edition: str = NATIONAL):
    """Execute a committed notebook as JupyterLab does: a fresh kernel of the notebook's kernel spec (the
    build's), in the notebook's own folder, its parameters cell as committed or with `edition` typed in."""
    nb = nbformat.read(path, as_version=4)
    if edition != NATIONAL:
        cell, = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        cell.source = cell.source.replace(f'edition = "{NATIONAL}"', f'edition = "{edition}"')
        assert parameters_cell(nb)["edition"] == edition
    assert nb.metadata["kernelspec"]["name"] == KERNEL
    client = NotebookClient(nb, kernel_name=nb.metadata["kernelspec"]["name"], timeout=900,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellExecutionError as err:
        return nb, str(err).strip().splitlines()[-1]
    return nb, None


def shown_figures(nb) -> list[str]:
    return [m for cell in nb.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
            for m in FIGURE_NOTE.findall(output.get("data", {}).get("text/html", ""))]


@pytest.fixture(scope="module")
def lab_runs() -> dict[tuple[str, str], tuple]:
    """(edition, chapter) -> (executed notebook, error or None), each notebook run once.

    Every notebook with its defaults; then, for the first institution, every
    page only institution editions have and every chapter with a figure of
    `figuren.yml` that the national edition does not show.
    """
    def run_all(edition: str, chapters: list[str]) -> dict:
        # Each notebook has its own kernel process, so two at a time keep both cores busy.
        with ThreadPoolExecutor(max_workers=LAB_RUNS_AT_ONCE) as pool:
            done = pool.map(lambda c: run_as_in_lab(PROJECT_ROOT / f"{c}.ipynb", edition), chapters)
            return {(edition, chapter): run for chapter, run in zip(chapters, done)}

    runs = run_all(NATIONAL, [p.relative_to(PROJECT_ROOT).with_suffix("").as_posix() for p in NOTEBOOKS])
    institution = sorted(pd.read_csv(SHIPPED_INSTITUTIONS, dtype=str)["instelling"])[0]
    national_chapters = chapters_for(NATIONAL)
    shown = {f for nb, _ in runs.values() for f in shown_figures(nb)}
    again = [c for c in chapters_for(institution) if c not in national_chapters]
    again += [f.chapter for f in figure_index().values() if f.id not in shown and f.chapter not in again]
    runs.update(run_all(institution, again))
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(PROJECT_ROOT / "notebooks").as_posix())
def test_every_notebook_runs_top_to_bottom_with_its_defaults(lab_runs, path: Path):
    nb, error = lab_runs[(NATIONAL, path.relative_to(PROJECT_ROOT).with_suffix("").as_posix())]
    assert error is None, f"{path.name} stops with its default parameters: {error}"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), f"{path.name}: not every cell ran"


@pytest.mark.slow
def test_institution_pages_run_for_an_institution(lab_runs):
    institution_runs = {key: run for key, run in lab_runs.items() if key[0] != NATIONAL}
    assert any(chapter not in chapters_for(NATIONAL) for _, chapter in institution_runs), \
        "no page of an institution edition was run"
    failed = {key: error for key, (_, error) in institution_runs.items() if error}
    assert not failed, f"with an institution typed in: {failed}"


@pytest.mark.slow
def test_figure_list_names_every_figure_the_chapters_show_under_its_chapter(lab_runs):
    """`figuren.yml` (what `monitorbook figuur` knows) against the notes under the figures the chapters show.

    A listed figure may be missing here when the shipped data does not draw it (see figuren.yml); that every
    listed id is a table of the book is checked in tests/test_figure.py.
    """
    shown = {}
    for (edition, chapter), (nb, _) in lab_runs.items():
        for figure_id in shown_figures(nb):
            assert shown.setdefault(figure_id, chapter) == chapter, f"{figure_id} shown by two chapters"
    listed = {f.id: f.chapter for f in figure_index().values()}
    assert len(shown) > 20
    assert not set(shown) - set(listed), f"shown but not in figuren.yml: {sorted(set(shown) - set(listed))}"
    assert {i: c for i, c in shown.items() if listed[i] != c} == {}, "figuren.yml names another chapter"
