"""The Downloads page of an edition, filled with the files the build wrote.

The page `notebooks/downloads` shows a placeholder (`helpers.chapters.downloads`).
After the book is compiled, `fill` replaces it with links to the report PDF,
the praatplaat PDF (where the edition has that page: the same condition the
printer uses) and every table CSV the chapters wrote, grouped by the chapter
that wrote them. The links are relative to the page inside the edition
folder (`html/notebooks/downloads.html` -> `../../tables/<id>.csv`), so they
work from the folder on disk and from the unpacked zip alike. After printing,
`broken_links` lists every link that does not resolve; the build fails the
edition on any.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

from helpers.book.publish import chapter_title
from helpers.chapters.downloads import PLACEHOLDER_CLASS
from helpers.pipeline.print_pdf import PRAATPLAAT_FILE, PRAATPLAAT_PAGE, REPORT_FILE

PAGE = "notebooks/downloads"
TABLES_FOLDER = "tables"
_PLACEHOLDER = re.compile(rf'<div class="{PLACEHOLDER_CLASS}">.*?</div>', re.S)
_HREF = re.compile(r'<a\b[^>]*\bhref="([^"#?]*)[^"]*"')
_UP = "../" * len(Path(PAGE).parts)  # from html/<PAGE>.html up to the edition folder


def _size(path: Path) -> str:
    kilobytes = max(1, round(path.stat().st_size / 1024)) if path.exists() else None
    return "" if kilobytes is None else f" ({kilobytes:,} kB)".replace(",", ".")


def pdf_files(html_dir: Path, edition_id: str) -> list[tuple[str, str]]:
    """(file name, what it is) of the PDFs the printer makes for this edition."""
    files = [(REPORT_FILE.format(edition=edition_id), "Het rapport: de hele editie als één pdf-bestand, om te printen of "
                                                       "te mailen")]
    if (html_dir / f"{PRAATPLAAT_PAGE}.html").is_file():
        files.append((PRAATPLAAT_FILE.format(edition=edition_id), "De praatplaat op één liggend A4-vel"))
    return files


def downloads_html(html_dir: Path, edition_id: str, tables: dict[str, list[str]], root: Path | None = None) -> str:
    """The list of files: the PDFs, then per chapter (in reading order) the CSVs it wrote."""
    pdfs = "".join(f'<li><a href="{html.escape(_UP + name)}" download>{html.escape(name)}</a> — '
                   f"{html.escape(what)}</li>" for name, what in pdf_files(html_dir, edition_id))
    style = f"<style>.{PLACEHOLDER_CLASS} h3 {{ font-size: 1.1rem; margin: 1.2rem 0 .3rem; }}</style>"
    parts = [f'{style}<div class="{PLACEHOLDER_CLASS}"><h2 id="downloads-pdf">Rapport en praatplaat</h2><ul>{pdfs}</ul>',
             '<h2 id="downloads-tabellen">Tabellen (CSV)</h2>'
             "<p>De getallen achter elke figuur en tabel, per hoofdstuk. Een rij die om privacyredenen is "
             "weggelaten, staat erin zonder getallen, met de reden in de kolommen <code>onderdrukt</code> en "
             "<code>reden</code>.</p>"]
    for chapter, names in tables.items():
        if not names:
            continue
        links = "".join(f'<li><a href="{html.escape(f"{_UP}{TABLES_FOLDER}/{name}.csv")}" download>'
                        f"{html.escape(name)}.csv</a></li>" for name in sorted(names))
        parts.append(f"<h3>{html.escape(chapter_title(chapter, root))}</h3><ul>{links}</ul>")
    return "".join(parts) + "</div>"


def fill(html_dir: Path, edition_id: str, tables: dict[str, list[str]], root: Path | None = None) -> bool:
    """Put the list into the compiled Downloads page; False if the edition has no such page."""
    page = Path(html_dir) / f"{PAGE}.html"
    if not page.is_file():
        return False
    text = page.read_text(encoding="utf-8")
    if not _PLACEHOLDER.search(text):
        raise RuntimeError(f"{PAGE}.html: de plek voor de lijst met downloads ontbreekt")
    listing = downloads_html(Path(html_dir), edition_id, tables, root)
    page.write_text(_PLACEHOLDER.sub(lambda _: listing, text, count=1), encoding="utf-8")
    return True


def links(edition_dir: Path) -> list[str]:
    """Every file the Downloads page links to, as a path relative to the edition folder (as written if outside it)."""
    root = Path(edition_dir).resolve()
    page = root / "html" / f"{PAGE}.html"
    if not page.is_file():
        return []
    found = []
    for target in _HREF.findall(page.read_text(encoding="utf-8")):
        if not target or target.endswith(".html") or re.match(r"^[a-z]+:", target):
            continue  # the book's own pages (Sphinx checks those) and no link outside the edition
        resolved = (page.parent / html.unescape(target)).resolve()
        found.append(resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else target)
    return found


def broken_links(edition_dir: Path) -> list[str]:
    """The Downloads page's file links that do not resolve to a file of the edition folder."""
    root = Path(edition_dir).resolve()
    return [target for target in links(edition_dir) if not (root / target).is_file()]
