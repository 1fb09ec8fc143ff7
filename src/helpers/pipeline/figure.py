"""One figure of the book as files: `monitorbook figuur <id>`.

A figure is known by the id under which its chapter publishes it (its table
id). `figuren.yml` lists, per chapter, the figures it shows. To make one
figure, the input is validated and prepared as the build does it
(`helpers.pipeline.build.prepared_input`), and only that chapter runs, on the
build's offline kernel (`EditionKernel`) with the build's parameters and one
cell put in front: `export_figure`, which makes the Publisher save that
figure as PNG and SVG when the chapter shows it (for a switcher the view shown
first, or the view asked for). The chapter writes the figure's table as it
does in the book, so the CSV is the book's CSV. The three files are moved
into the output folder only when all three exist.
"""
from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from helpers.book.publish import TABLE_ID
from helpers.data.codebook import PROJECT_ROOT, load_codebook
from helpers.pipeline.build import chapter_parameters, prepared_input, select_editions
from helpers.core.edition_manifest import NATIONAL, chapters_for, edition_chapters, load_manifest, resolve

INDEX_FILE = "figuren.yml"
#: The files `make_figure` writes, per figure id.
SUFFIXES = (".png", ".svg", ".csv")
#: How the Publisher's refusal (e.g. an unknown view) shows in a failed chapter's error.
EXPORT_ERROR = "FigureExportError: "


class FigureError(ValueError):
    """A figure that cannot be made; the message says why, in Dutch."""


@dataclass(frozen=True)
class IndexedFigure:
    id: str
    chapter: str  # notebook path without suffix, as in _toc.yml
    title: str  # the chapter's heading
    institution_only: bool  # the chapter is only in institution editions


def _chapter_title(notebook: Path) -> str:
    # Plain JSON, not nbformat: listing the figures must not pay for a notebook validator.
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and source.startswith("# "):
            return source.splitlines()[0][2:].strip()
    return notebook.stem


def figure_index(root: Path = PROJECT_ROOT) -> dict[str, IndexedFigure]:
    """Every figure of `figuren.yml` by id, in the order of the book."""
    path = root / INDEX_FILE
    declared = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    national = chapters_for(NATIONAL, root)
    institution = [c for c in chapters_for("instelling", root) if c not in national]
    order = national + institution
    problems, index = [], {}
    for chapter in sorted(declared, key=lambda c: order.index(c) if c in order else len(order)):
        if chapter not in order:
            problems.append(f"{chapter}: geen hoofdstuk van het boek (_toc.yml, edities.yml)")
            continue
        title = _chapter_title(root / f"{chapter}.ipynb")
        for figure_id in declared[chapter] or []:
            if not TABLE_ID.match(str(figure_id)):
                problems.append(f"{chapter}: '{figure_id}' is geen geldige figuur-id")
            elif figure_id in index:
                problems.append(f"{figure_id} staat bij {index[figure_id].chapter} en bij {chapter}")
            else:
                index[figure_id] = IndexedFigure(figure_id, chapter, title, chapter in institution)
    if problems:
        raise ValueError(f"{path} klopt niet:\n" + "\n".join(f"  - {p}" for p in problems))
    return index


def find_figure(figure_id: str, index: dict[str, IndexedFigure]) -> IndexedFigure:
    """The figure with this id; an unknown id is refused with the ids that look like it."""
    if figure_id in index:
        return index[figure_id]
    close = difflib.get_close_matches(figure_id, list(index), n=5, cutoff=0.6)
    message = f"Onbekende figuur-id '{figure_id}'."
    if close:
        message += " Bedoelt u: " + ", ".join(close) + "?"
    raise FigureError(message + " Alle figuren: monitorbook figuur --lijst")


def listing(index: dict[str, IndexedFigure]) -> str:
    """Every figure id with its chapter, for the reader (Dutch)."""
    width = max(len(i) for i in index)
    lines = [f"{len(index)} figuren (figuur-id, hoofdstuk):"]
    for figure in index.values():
        where = f"{figure.title} ({figure.chapter}.ipynb)"
        if figure.institution_only:
            where += ", alleen in instellingsedities"
        lines.append(f"  {figure.id:<{width}}  {where}")
    lines.append("Maak er één met: monitorbook figuur <figuur-id> [--editie CODE] [--weergave LABEL]")
    return "\n".join(lines)


def _chapter_with_export(source: Path, target: Path, figure_id: str, folder: Path, view: str | None) -> None:
    """A copy of the chapter whose first cell tells the Publisher to save this figure."""
    import nbformat

    nb = nbformat.read(source, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(
        "from helpers.book.publish import export_figure\n"
        f"export_figure({figure_id!r}, {str(folder)!r}, {view!r})"))
    nbformat.write(nb, target)


def make_figure(figure_id: str, respondents: Path, institutions: Path, out: Path, edition: str = NATIONAL,
                view: str | None = None, work: Path = PROJECT_ROOT / "_build",
                root: Path = PROJECT_ROOT) -> list[Path]:
    """Write `<figure_id>.png`, `.svg` and `.csv` into `out` from the edition's chapter; return the paths.

    `work` is the build's output folder: validated input and shared results
    are kept and reused there as by `monitorbook build`. Raises `FigureError`
    (nothing written) when the figure cannot be made, `InvalidInput` for bad
    data and `UnknownEdition` for an edition that does not exist.
    """
    from helpers.pipeline.execute import EditionKernel

    figure = find_figure(figure_id, figure_index(root))
    out, work = Path(out), Path(work)
    if out.exists() and not out.is_dir():
        raise FigureError(f"De uitvoermap {out} is een bestand; kies een map met --out.")
    manifest = load_manifest(root=root)
    prepared = prepared_input(Path(respondents), Path(institutions), work)
    every_edition = resolve(manifest, prepared.institutions)
    (chosen,), _ = select_editions(every_edition, [edition], prepared.absent(every_edition))
    data_dir = prepared.keep()
    if figure.chapter not in edition_chapters(chosen, root):
        raise FigureError(f"Figuur '{figure_id}' staat in {figure.chapter}, dat niet in de editie '{chosen.id}' "
                          "staat. Kies een instellingseditie met --editie CODE.")
    parameters = chapter_parameters(chosen, data_dir, work, load_codebook().min_n)
    with tempfile.TemporaryDirectory(prefix="monitorbook-figuur-") as scratch:
        scratch = Path(scratch)
        files, tables = scratch / "figuur", scratch / "tabellen"
        source = scratch / f"{Path(figure.chapter).name}.ipynb"
        _chapter_with_export(root / f"{figure.chapter}.ipynb", source, figure_id, files, view)
        with EditionKernel(cwd=root / "notebooks", log_path=scratch / "kernel.log") as kernel:
            run = kernel.run(source, scratch / "uitgevoerd.ipynb", dict(parameters, tables_dir=str(tables)),
                             figure.chapter)
        if run.status != "ok":
            if run.error and run.error.startswith(EXPORT_ERROR):
                raise FigureError(run.error[len(EXPORT_ERROR):])
            raise FigureError(f"Hoofdstuk {figure.chapter} faalde: {run.error}")
        made = [files / f"{figure_id}.png", files / f"{figure_id}.svg", tables / f"{figure_id}.csv"]
        if not all(path.exists() for path in made):
            raise FigureError(f"Hoofdstuk {figure.chapter} toont figuur '{figure_id}' niet in de editie "
                              f"'{chosen.id}' met deze gegevens. Sommige figuren staan alleen in instellingsedities "
                              "(kies er een met --editie CODE); andere vallen weg als een groep kleiner is dan de "
                              "privacydrempel of een vraag niet in twee metingen is gesteld.")
        out.mkdir(parents=True, exist_ok=True)
        staged = []
        for path in made:  # next to the target first, then renamed: no half-written file in `out`
            part = out / f".{path.name}.deel"
            shutil.copyfile(path, part)
            staged.append(part)
        written = []
        for part, path in zip(staged, made):
            os.replace(part, out / path.name)
            written.append(out / path.name)
    return written
