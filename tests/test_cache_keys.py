"""A chapter's cache key holds the helpers modules it actually runs, so an edit reruns only what it touches.

The modules are found by reading the sources (the notebook's code cells,
then every imported helpers module, transitively, imports inside functions
included). Editing a chapter module changes the keys of the chapters that
import it and no other; editing a shared module changes every chapter that
imports it, never fewer.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers.data.codebook import PROJECT_ROOT
from helpers.core import code_version
from helpers.core.paths import SENTENCES_SUFFIX
from helpers.pipeline import cache

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").rglob("*.ipynb"))
PARAMETERS = {"edition": "landelijk", "min_n": 10}
#: What the key functions remember per process; cleared when the sources under them change.
_MEMOISED = (code_version._direct_imports, cache._code_modules, code_version._code_version,
             code_version._file_digest, code_version._module_file)


def _chapter(path: Path) -> str:
    return str(path.relative_to(PROJECT_ROOT).with_suffix(""))


def _relative(files: list[Path]) -> set[str]:
    """Modules by their path under src/, sentence templates by their path in the project."""
    return {str(f.relative_to(code_version._SOURCES) if f.is_relative_to(code_version._SOURCES)
                else f.relative_to(code_version.PROJECT_ROOT)) for f in files}


def test_a_chapter_runs_its_own_module_and_the_shared_ones_not_another_chapters():
    motives = _relative(cache.notebook_modules(PROJECT_ROOT / "notebooks/katern_c/c3_motieven.ipynb"))
    vision = _relative(cache.notebook_modules(PROJECT_ROOT / "notebooks/katern_a/a2_visie.ipynb"))
    assert "helpers/chapters/katern_c/c3_motives.py" in motives
    assert "helpers/chapters/katern_a/domains.py" not in motives
    assert "helpers/chapters/katern_a/domains.py" in vision
    assert "helpers/chapters/katern_c/c3_motives.py" not in vision
    for shared in ("helpers/core/dutch.py", "helpers/book/disclosure.py", "helpers/__init__.py"):
        assert shared in motives and shared in vision


def test_imports_are_read_like_python_reads_them():
    source = (
        "import helpers.core.dutch as dutch, os\n"
        "from helpers.stats import scales, trends\n"
        "from . import common\n"
        "from ..book.figures import (\n    drawn,\n    PALETTE,\n)\n"
        "def later():\n    from helpers.core.memo import shared\n"
    )
    names = code_version.imported_names(source, "helpers.chapters")
    assert {"helpers.core.dutch", "helpers.stats", "helpers.stats.scales", "helpers.stats.trends",
            "helpers.chapters", "helpers.chapters.common", "helpers.book.figures",
            "helpers.core.memo"} <= names
    assert "os" not in names


@pytest.fixture
def sources(tmp_path, monkeypatch) -> Path:
    """A copy of the helpers sources that the key functions read instead of the real ones."""
    copy = tmp_path / "src"
    shutil.copytree(code_version._HELPERS, copy / "helpers", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(PROJECT_ROOT / "notebooks", tmp_path / "notebooks", ignore=shutil.ignore_patterns("*.ipynb"))
    monkeypatch.setattr(code_version, "_SOURCES", copy)
    monkeypatch.setattr(code_version, "_HELPERS", copy / "helpers")
    monkeypatch.setattr(code_version, "NOTEBOOKS", tmp_path / "notebooks")
    monkeypatch.setattr(code_version, "PROJECT_ROOT", tmp_path)
    monkeypatch.setattr(code_version, "sentence_template",
                        lambda name: tmp_path / "notebooks" / f"{name}{SENTENCES_SUFFIX}")
    for memoised in _MEMOISED:
        memoised.cache_clear()
    yield copy
    for memoised in _MEMOISED:
        memoised.cache_clear()


def _keys() -> dict[str, str]:
    for memoised in _MEMOISED:
        memoised.cache_clear()
    environment = cache.environment_key()
    return {_chapter(nb): cache.chapter_key(nb, PARAMETERS, "data", environment) for nb in NOTEBOOKS}


def _importers(module: str) -> set[str]:
    return {_chapter(nb) for nb in NOTEBOOKS if module in _relative(cache.notebook_modules(nb))}


def test_an_edited_sentence_changes_the_keys_of_exactly_the_chapters_that_say_it(sources):
    """A word changed in a sentence template reruns the chapters whose modules read that template, no other."""
    template = "notebooks/katern_c/c3_motieven.zinnen.md"
    sayers = _importers(template)
    before = _keys()
    path = sources.parent / template
    path.write_text(path.read_text(encoding="utf-8").replace("het vaakst", "het meest", 1), encoding="utf-8")
    after = _keys()
    changed = {chapter for chapter in before if before[chapter] != after[chapter]}
    assert changed == sayers
    assert "notebooks/katern_c/c3_motieven" in changed
    assert "notebooks/katern_a/a2_visie" not in changed


@pytest.mark.parametrize("module", ["helpers/chapters/katern_c/c3_motives.py", "helpers/core/dutch.py"])
def test_an_edit_changes_the_keys_of_exactly_the_chapters_that_import_the_module(sources, module):
    importers = _importers(module)
    before = _keys()
    with open(sources / module, "a", encoding="utf-8") as handle:
        handle.write("\n# an edit\n")
    after = _keys()
    changed = {chapter for chapter in before if before[chapter] != after[chapter]}
    assert changed == importers
    if module.endswith("c3_motives.py"):
        # The chapter itself and the pages that cite it; not Katern A.
        assert {"notebooks/katern_c/c3_motieven", "notebooks/praatplaat"} <= changed
        assert "notebooks/katern_a/a2_visie" not in changed
    else:
        assert len(changed) > len(NOTEBOOKS) // 2


def test_another_library_version_changes_every_chapter_key(monkeypatch):
    """A machine with another matplotlib (or pandas, ...) than the pinned one draws and computes otherwise: no
    chapter executed under the old versions may be restored."""
    from helpers.core import memo

    before = cache.environment_key()
    monkeypatch.setattr(memo, "environment", lambda: "matplotlib=een andere versie")
    assert cache.environment_key() != before
