"""However an edition is built -- one after the other, in parallel, or from the cache --
it shows the same tables and the same figures; and the cache reuses exactly what did
not change: nothing after a no-op, one chapter after an edit, everything after a data change."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.data.codebook import PROJECT_ROOT
from helpers.pipeline.build import build
from helpers.core.edition_manifest import chapters_for
from helpers.pipeline.render import CONFIG_FILE, MANIFEST_FILE, TOC_FILE

pytestmark = pytest.mark.slow
FIGURE = re.compile(r"data:image/(?:png|svg\+xml);base64,([A-Za-z0-9+/=]+)")
EDITED_CHAPTER = "notebooks/katern_c/c3_motieven"


def editions_of(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "editions").iterdir() if p.is_dir())


def tables(out: Path, edition: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "editions" / edition / "tables").glob("*.csv"))}


def figures(out: Path, edition: str) -> dict[str, list[str]]:
    """Per page, every embedded figure (sorted: the page orders widget models by their random ids)."""
    html = out / "editions" / edition / "html"
    return {c: sorted(FIGURE.findall((html / f"{c}.html").read_text(encoding="utf-8"))) for c in chapters_for(edition)}


def printed(out: Path, edition: str) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((out / "editions" / edition).glob("*.pdf"))}


def executed(out: Path) -> dict[str, list[str]]:
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    return {e["editie"]: e["uitgevoerd"] for e in manifest["edities"]}


def run(small_data, out: Path, editions: list[str], **kwargs) -> None:
    results = build(*small_data, out=out, editions=editions, show_progress=False, **kwargs)
    failures = {r.edition: r.error for r in results if not r.ok}
    assert not failures, f"editions failed: {failures}"


@pytest.fixture(scope="module")
def editions(institution) -> list[str]:
    return ["landelijk", institution]


@pytest.fixture(scope="module")
def sequential(small_data, editions, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sequential")
    run(small_data, out, editions, jobs=1, use_cache=False)
    return out


@pytest.fixture(scope="module")
def from_cache(small_data, editions, built, tmp_path_factory) -> Path:
    """A new output folder that only has the parallel build's cache: every chapter comes from it."""
    out = tmp_path_factory.mktemp("cached")
    shutil.copytree(built / "cache", out / "cache")
    run(small_data, out, editions, jobs=2)
    return out


def test_sequential_parallel_and_cached_builds_show_identical_tables_figures_and_pdfs(
        built, sequential, from_cache, editions):
    assert all(chapters == [] for chapters in executed(from_cache).values()), "cached build executed chapters"
    assert all(len(chapters) == len(chapters_for(e)) for e, chapters in executed(sequential).items())
    for edition in editions:
        reference_tables = tables(built, edition)
        reference_figures = figures(built, edition)
        reference_pdfs = printed(built, edition)
        assert reference_tables and sum(len(f) for f in reference_figures.values()) > 10 and reference_pdfs
        for other in (sequential, from_cache):
            assert tables(other, edition) == reference_tables, f"{edition}: tables differ in {other.name}"
            assert figures(other, edition) == reference_figures, f"{edition}: figures differ in {other.name}"
            assert printed(other, edition) == reference_pdfs, f"{edition}: PDFs differ in {other.name}"


def test_a_fresh_output_with_the_national_work_kept_shows_the_same_edition_and_computes_none_of_it_again(
        small_data, sequential, institution, tmp_path):
    """The shared results outlive an output folder: the second build, into a folder of its own, executes every
    chapter (its chapter cache is empty) but finds every shared result in the user's build cache, and its
    edition is the same as one built without any cache."""
    cache = tmp_path / "gebruikerscache"
    cold, warm = tmp_path / "eerste", tmp_path / "tweede"
    run(small_data, cold, [institution], jobs=1, cache=cache)
    kept = {p.name: p.read_bytes() for p in (cache / "shared").glob("*.pkl")}
    assert len(kept) > 5, "the national work was not kept in the build cache"
    run(small_data, warm, [institution], jobs=1, cache=cache)
    assert executed(warm)[institution] == chapters_for(institution), "a fresh output executes every chapter"
    assert {p.name: p.read_bytes() for p in (cache / "shared").glob("*.pkl")} == kept, \
        "the second build computed shared results again"
    assert not (warm / "cache" / "shared").exists() and not (cold / "cache" / "shared").exists()
    for out in (cold, warm):
        assert tables(out, institution) == tables(sequential, institution)
        assert figures(out, institution) == figures(sequential, institution)
        assert printed(out, institution) == printed(sequential, institution)


def test_a_no_op_rebuild_executes_nothing_and_leaves_every_edition_in_place(small_data, editions, built):
    def stamps():
        return {p: p.stat().st_mtime_ns for e in editions
                for p in [built / "editions" / f"{e}.zip", *(built / "editions" / e).glob("*.pdf")]}

    before = stamps()
    results = build(*small_data, out=built, editions=editions, show_progress=False)
    assert all(r.ok and r.from_cache and r.print_seconds == 0 for r in results)
    assert executed(built) == {e: [] for e in editions}
    assert stamps() == before and len(before) >= 2 * len(editions), "a no-op rebuild zipped or printed again"


def test_an_edition_whose_pdf_went_missing_is_built_again(small_data, editions, built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "editions" / editions[0] / f"rapport-{editions[0]}.pdf").unlink()
    run(small_data, out, editions, jobs=1)
    assert (out / "editions" / editions[0] / f"rapport-{editions[0]}.pdf").exists()
    assert executed(out) == {e: [] for e in editions}, "its chapters come from the cache"


def test_editing_one_chapter_executes_only_that_chapter(small_data, editions, built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    root = tmp_path / "sources"
    shutil.copytree(PROJECT_ROOT / "notebooks", root / "notebooks")
    for name in (CONFIG_FILE, TOC_FILE, MANIFEST_FILE):
        shutil.copyfile(PROJECT_ROOT / name, root / name)
    nb = nbformat.read(root / f"{EDITED_CHAPTER}.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("Een alinea die er na een bewerking bij kwam."))
    nbformat.write(nb, root / f"{EDITED_CHAPTER}.ipynb")

    run(small_data, out, editions, jobs=2, root=root)
    assert executed(out) == {e: [EDITED_CHAPTER] for e in editions}
    page = (out / "editions" / editions[1] / "html" / f"{EDITED_CHAPTER}.html").read_text(encoding="utf-8")
    assert "Een alinea die er na een bewerking bij kwam." in page
    assert tables(out, editions[1]) == tables(built, editions[1])


def test_changing_the_data_executes_every_chapter_again(small_data, editions, built, institution, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    respondents = pd.read_csv(small_data[0], dtype=str, keep_default_na=False)
    row = respondents.index[respondents["instelling"] == institution][0]
    respondents.loc[row, "team"] = respondents.loc[row, "team"] + "x"
    changed = tmp_path / "respondenten.csv"
    respondents.to_csv(changed, index=False)

    run((changed, small_data[1]), out, editions, jobs=2)
    assert executed(out) == {e: chapters_for(e) for e in editions}
