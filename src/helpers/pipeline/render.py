"""Assembling an edition's book and compiling it to HTML with Jupyter Book 1.

The project's `_config.yml` and `_toc.yml` describe the book every edition
shares; the edition manifest (`edities.yml`, see `helpers.core.edition_manifest`)
adds each edition's title and pages. Each edition gets its own generated
`_config.yml` (title, offline widget assets) and `_toc.yml` next to its
executed notebooks, and is compiled with warnings as errors.
"""
from __future__ import annotations

import contextlib
import io
import shutil
import traceback
from pathlib import Path

import yaml

from helpers.book.edition import BOOK_TITLE
from helpers.data.codebook import PROJECT_ROOT
from helpers.pipeline.accessibility import install_accessibility
from helpers.pipeline.assets import (
    install_offline_assets,
    jupyter_book_config_overrides,
    sphinx_config_overrides,
)
from helpers.core.edition_manifest import (CONFIG_FILE, MANIFEST_FILE, TOC_FILE, Edition, edition_chapters,
                                           edition_toc)

# The edition title holds the institution's name; this extension makes it text, never markup, in every page.
SITE_TITLE_EXTENSION = "helpers.book.escaping"
# Dutch entry page (index.html) with lang="nl"; the catalogue, script and style sheet come with install_accessibility.
ACCESSIBILITY_EXTENSION = "helpers.pipeline.accessibility"

__all__ = ["CONFIG_FILE", "MANIFEST_FILE", "TOC_FILE", "assemble_book", "compile_book", "edition_config"]


class BookBuildError(RuntimeError):
    pass


def _merged(base: dict, overrides: dict) -> dict:
    """`base` with `overrides` applied, merging nested sections instead of replacing them."""
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


def edition_config(edition: Edition, book_dir: Path, root: Path = PROJECT_ROOT) -> dict:
    """The project's `_config.yml` with the edition's title, the offline assets and the accessibility fixes installed."""
    config = _merged(yaml.safe_load((root / CONFIG_FILE).read_text(encoding="utf-8")),
                     jupyter_book_config_overrides())
    config["title"] = f"{BOOK_TITLE} — {edition.title}"
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config.update(sphinx_config_overrides(extra_extensions=(SITE_TITLE_EXTENSION, ACCESSIBILITY_EXTENSION)))
    sphinx_config.update(install_offline_assets(book_dir))
    sphinx_config.update(install_accessibility(book_dir))
    return config


def assemble_book(edition: Edition, executed_dir: Path, book_dir: Path, root: Path = PROJECT_ROOT) -> None:
    """Lay out a compilable book: config, TOC, executed notebooks, static assets."""
    book_dir.mkdir(parents=True, exist_ok=True)
    for chapter in edition_chapters(edition, root):
        target = book_dir / f"{chapter}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(executed_dir / f"{chapter}.ipynb", target)
    (book_dir / TOC_FILE).write_text(
        yaml.safe_dump(edition_toc(edition, root), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    config = edition_config(edition, book_dir, root)
    (book_dir / CONFIG_FILE).write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def compile_book(book_dir: Path) -> Path:
    """Run Jupyter Book (warnings are errors); return the HTML folder.

    Jupyter Book runs in this process rather than as a command: Sphinx and its
    extensions are then imported once per build worker instead of once per
    edition (each build still gets its own Sphinx application).
    """
    from jupyter_book.cli.main import build as jupyter_book_build

    log = io.StringIO()
    with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        try:
            jupyter_book_build.main([str(book_dir), "--builder", "html", "--warningiserror", "--quiet"],
                                    standalone_mode=False)
            status = 0
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 1
        except Exception:  # reported below with Sphinx's own output
            log.write(traceback.format_exc())
            status = 1
    html_dir = book_dir / "_build" / "html"
    if status != 0 or not (html_dir / "index.html").exists():
        raise BookBuildError("Jupyter Book kon de editie niet bouwen:\n" + log.getvalue()[-8000:])
    return html_dir
