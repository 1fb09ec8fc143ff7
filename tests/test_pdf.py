"""The printed PDFs: the report of every edition and the praatplaat, as a reader receives them.

The first tests print a tiny hand-made book (seconds); the others read the
PDFs of the shared small build (`built` in conftest.py).
"""
from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import ipywidgets as W
import pandas as pd
import pytest
from ipywidgets.embed import dependency_state
from pypdf import PdfReader

from helpers.book.widgets import switcher
from helpers.core.edition_manifest import chapters_for
from helpers.pipeline.print_pdf import (
    OTHER_VIEWS,
    PRAATPLAAT_FILE,
    PRAATPLAAT_PAGE,
    REPORT_FILE,
    Cover,
    PrintError,
    chromium_available,
    deterministic_pdf,
    launch_chromium,
    print_edition,
    print_praatplaat,
    render_widget,
)

MAX_BYTES = 15 * 1024 * 1024
HIDDEN_CODE = "geheime_code_regel()"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def words(text: str) -> str:
    """Text with runs of whitespace as one space: a PDF breaks lines where a page does not."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def chromium():
    if not chromium_available():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): `make test` installs it with apt-get")


def _switcher_state(labels: list[str]) -> tuple[str, dict]:
    box = switcher({label: f"<p>Weergave {html.escape(label)}</p>" for label in labels}, "Weergave")
    state = dependency_state(box)
    return box.model_id, state


def test_a_switcher_prints_its_first_view_and_names_the_others():
    model_id, state = _switcher_state(["Alle docenten", "Functie", "Team <b>&</b>"])
    printed = render_widget(model_id, state, "pagina")
    assert "Weergave Alle docenten" in printed and "Weergave Functie" not in printed
    assert f"{OTHER_VIEWS}: Functie en Team &lt;b&gt;&amp;&lt;/b&gt;." in printed


def test_a_widget_that_cannot_be_printed_is_an_error_not_a_blank():
    slider = W.IntSlider(value=3)
    with pytest.raises(PrintError, match="IntSliderModel"):
        render_widget(slider.model_id, dependency_state(slider), "pagina")


def _page(title: str, body: str, state: dict | None = None) -> str:
    script = (f'<script type="application/vnd.jupyter.widget-state+json">{json.dumps({"state": state})}</script>'
              if state else "")
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">{script}</head><body>'
            f'<nav class="bd-sidebar">Navigatie die niet gedrukt wordt</nav>'
            f'<article class="bd-article"><section id="s"><h1>{title}<a class="headerlink" href="#s">#</a></h1>'
            f'{body}</section></article></body></html>')


def _tiny_book(root: Path, second_body: str = "") -> tuple[Path, dict]:
    """Two pages, a widget, a hidden code cell and a link between the pages."""
    model_id, state = _switcher_state(["Alle docenten", "Functie"])
    pages = {
        "notebooks/index": _page("Over dit boek", "<p>Eerste pagina.</p>"),
        "notebooks/a/een": _page(
            "1. Hoofdstuk een",
            '<div class="cell tag_hide-input"><details class="admonition hide above-input"><summary>Toon de code'
            f'</summary><div class="cell_input"><pre>{HIDDEN_CODE}</pre></div></details><div class="cell_output">'
            f'<script type="application/vnd.jupyter.widget-view+json">{{"model_id": "{model_id}"}}</script></div></div>'
            '<p>Zie <a class="reference internal" href="twee.html#s">hoofdstuk twee</a> en de '
            '<a href="../../genindex.html">index</a>.</p>'
            + "<p>Tekst die doorloopt.</p>" * 80,
            state),
        "notebooks/a/twee": _page("2. Hoofdstuk twee", "<p>Laatste pagina.</p>" + second_body),
    }
    html_dir = root / "html"
    for page, text in pages.items():
        (html_dir / f"{page}.html").parent.mkdir(parents=True, exist_ok=True)
        (html_dir / f"{page}.html").write_text(text, encoding="utf-8")
    toc = {"root": "notebooks/index",
           "parts": [{"caption": "Katern A", "chapters": [{"file": "notebooks/a/een"}, {"file": "notebooks/a/twee"}]}]}
    return html_dir, toc


COVER = Cover("Monitor Leren en lesgeven met ict in het mbo", "Editie <Test> & co", 2022, True)


def test_a_tiny_book_prints_with_cover_contents_page_numbers_and_the_default_views(chromium, tmp_path):
    html_dir, toc = _tiny_book(tmp_path)
    printed, seconds = print_edition(html_dir, tmp_path, "T1", toc, COVER, work_dir=tmp_path)
    assert printed == {"rapport": {"bestand": "rapport-T1.pdf", "paginas": printed["rapport"]["paginas"],
                                   "bytes": (tmp_path / "rapport-T1.pdf").stat().st_size}}
    reader = PdfReader(tmp_path / "rapport-T1.pdf")
    pages = [words(page.extract_text()) for page in reader.pages]
    assert len(pages) >= 5, "cover, contents, one page each, chapter one runs over two"
    assert "Editie <Test> & co" in pages[0] and "Meting 2022" in pages[0] and "synthetische gegevens" in pages[0]
    starts = {title: next(i + 1 for i, text in enumerate(pages) if i > 1 and text.startswith(title))
              for title in ("Over dit boek", "1. Hoofdstuk een", "2. Hoofdstuk twee")}
    assert starts["2. Hoofdstuk twee"] > starts["1. Hoofdstuk een"] + 1
    for title, number in starts.items():  # the contents give the page each chapter starts on
        assert f"{title} {number}" in pages[1], (title, number, pages[1])
    assert "Katern A" in pages[1]
    assert all(f"pagina {i + 1} van {len(pages)}" in text for i, text in enumerate(pages))
    text = " ".join(pages)
    assert "Weergave Alle docenten" in text and f"{OTHER_VIEWS}: Functie." in text
    assert "Weergave Functie" not in text
    for hidden in (HIDDEN_CODE, "Toon de code", "Navigatie die niet gedrukt wordt"):
        assert hidden not in text
    assert seconds > 0


def _contents_and_starts(report: Path) -> tuple[str, dict[str, int]]:
    """The contents page's text, and the page on which each chapter's heading actually is."""
    pages = [words(page.extract_text()) for page in PdfReader(report).pages]
    starts = {title: next(i + 1 for i, text in enumerate(pages) if i > 1 and text.startswith(title))
              for title in ("Over dit boek", "1. Hoofdstuk een", "2. Hoofdstuk twee")}
    return pages[1], starts


def _counting_prints(monkeypatch) -> list[int]:
    """Every Chromium print from now on, counted."""
    from playwright.sync_api import Page

    prints, original = [], Page.pdf
    monkeypatch.setattr(Page, "pdf", lambda self, **options: prints.append(1) or original(self, **options))
    return prints


def test_the_report_is_printed_once_and_its_contents_give_the_pages_where_the_headings_are(
        chromium, tmp_path, monkeypatch):
    html_dir, toc = _tiny_book(tmp_path)
    prints = _counting_prints(monkeypatch)
    print_edition(html_dir, tmp_path, "T1", toc, COVER, work_dir=tmp_path)
    assert len(prints) == 1, "the report was printed more than once"
    contents, starts = _contents_and_starts(tmp_path / "rapport-T1.pdf")
    assert starts["2. Hoofdstuk twee"] > starts["1. Hoofdstuk een"] + 1  # chapter one runs over two pages
    for title, number in starts.items():
        assert f"{title} {number}" in contents, (title, number, contents)
    assert "000" not in contents, "a placeholder was left in the contents"


def test_when_the_numbers_cannot_be_filled_in_the_report_is_printed_again_with_them(chromium, tmp_path,
                                                                                     monkeypatch):
    import helpers.pipeline.print_pdf as print_pdf

    html_dir, toc = _tiny_book(tmp_path)
    monkeypatch.setattr(print_pdf, "_fill_numbers", lambda pdf, numbers: None)  # e.g. a digit the font lacks
    prints = _counting_prints(monkeypatch)
    print_edition(html_dir, tmp_path, "T1", toc, COVER, work_dir=tmp_path)
    assert len(prints) == 2
    contents, starts = _contents_and_starts(tmp_path / "rapport-T1.pdf")
    for title, number in starts.items():
        assert f"{title} {number}" in contents, (title, number, contents)
    assert "000" not in contents


def test_page_numbers_wider_than_the_placeholder_are_not_filled_in():
    from helpers.pipeline.print_pdf import NUMBER_DIGITS, _fill_numbers

    assert _fill_numbers(b"%PDF-1.4", [3, 10 ** NUMBER_DIGITS]) is None


def test_the_same_book_gives_the_same_pdf_bytes(chromium, tmp_path):
    html_dir, toc = _tiny_book(tmp_path / "book")
    outputs = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        print_edition(html_dir, tmp_path / run, "T1", toc, COVER, work_dir=tmp_path)
        outputs.append((tmp_path / run / "rapport-T1.pdf").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"/CreationDate (D:19800101000000" in outputs[0]


def test_printing_refuses_a_page_that_would_load_something_from_the_internet(chromium, tmp_path):
    html_dir, toc = _tiny_book(tmp_path, second_body='<img src="http://example.org/volg.png" alt="x">')
    with pytest.raises(PrintError, match="example.org"):
        print_edition(html_dir, tmp_path, "T1", toc, COVER, work_dir=tmp_path)
    assert not (tmp_path / "rapport-T1.pdf").exists()


def test_a_praatplaat_page_prints_on_one_landscape_sheet(chromium, tmp_path):
    page = tmp_path / "praatplaat.html"
    page.write_text(_page("Praatplaat", "<p>Vier vragen voor het team.</p>" * 10), encoding="utf-8")
    with launch_chromium() as browser:
        printed = print_praatplaat(browser, page, tmp_path / "praatplaat-T1.pdf")
    reader = PdfReader(tmp_path / "praatplaat-T1.pdf")
    box = reader.pages[0].mediabox
    assert printed.pages == len(reader.pages) == 1 and box.width > box.height
    assert "Vier vragen voor het team." in reader.pages[0].extract_text()


def test_without_chromium_the_build_refuses_before_any_edition_is_started(small_data, tmp_path, monkeypatch, capsys):
    import helpers.pipeline.print_pdf as print_pdf
    from helpers.cli import main

    monkeypatch.setattr(print_pdf, "CHROMIUM", tmp_path / "geen-chromium")
    status = main(["build", "--data", str(small_data[0]), "--institutions", str(small_data[1]),
                   "--out", str(tmp_path / "out"), "--edition", "landelijk", "--no-progress"])
    assert status == 2
    assert "Chromium ontbreekt" in capsys.readouterr().err
    assert not (tmp_path / "out" / "editions").exists() and not (tmp_path / "out" / "staging").exists()


# --- the PDFs of the shared small build --------------------------------------------------------------------------


def _editions(institution: str) -> list[str]:
    return ["landelijk", institution]


def _chapter_titles(built: Path, edition: str) -> dict[str, str]:
    """Per chapter the title its page shows (h1, without the link sign)."""
    titles = {}
    for chapter in chapters_for(edition):
        page = (built / "editions" / edition / "html" / f"{chapter}.html").read_text(encoding="utf-8")
        article = page[page.index('<article class="bd-article"'):]
        heading = re.search(r"<h1>(.*?)<a class=\"headerlink\"", article, re.S).group(1)
        titles[chapter] = words(html.unescape(re.sub(r"<[^>]+>", "", heading)))
    return titles


@pytest.mark.slow
def test_every_edition_has_a_report_with_every_chapter_in_its_manifest_and_zip(built, institution):
    for edition in _editions(institution):
        root = built / "editions" / edition
        name = REPORT_FILE.format(edition=edition)
        report = root / name
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        reader = PdfReader(report)
        assert manifest["pdf"]["rapport"] == {"bestand": name, "paginas": len(reader.pages),
                                              "bytes": report.stat().st_size}
        assert 0 < report.stat().st_size < MAX_BYTES
        chapters = _chapter_titles(built, edition)
        assert len(reader.pages) > len(chapters) + 2, "cover, contents and at least a page per chapter"
        pages = [words(page.extract_text()) for page in reader.pages]
        assert all(len(text) > 40 for text in pages[2:]), "a page without extractable text"
        box = reader.pages[0].mediabox
        assert box.height > box.width, "the report is printed portrait (the praatplaat's landscape stays its own)"
        assert pages[1].startswith("Inhoud"), "the contents follow the cover"
        # The contents run until the first chapter's first page (more than one page in a big edition).
        first = next(i for i, text in enumerate(pages) if i > 1 and text.startswith(next(iter(chapters.values()))))
        contents, body = " ".join(pages[1:first]), " ".join(pages[first:])
        for chapter, title in chapters.items():
            assert title in body, f"{edition}: {title} ({chapter}) missing"
            start = next(i + 1 for i, text in enumerate(pages) if i >= first and text.startswith(title))
            assert f"{title} {start}" in contents, f"{edition}: contents do not give page {start} for {title}"
        assert OTHER_VIEWS in body, "a switcher's other views are named"
        assert "Toon de code" not in body and "ctx.publish" not in body, "hidden code printed"
        with zipfile.ZipFile(built / "editions" / f"{edition}.zip") as archive:
            assert archive.read(f"{edition}/{name}") == report.read_bytes()


@pytest.mark.slow
def test_an_institution_report_names_no_other_institution(built, institution, small_data):
    text = pdf_text(built / "editions" / institution / REPORT_FILE.format(edition=institution))
    institutions = pd.read_csv(small_data[1], dtype=str)
    own = institutions.loc[institutions["instelling"] == institution, "naam"].iloc[0]
    assert own in text
    for row in institutions[institutions["instelling"] != institution].itertuples():
        assert row.naam not in text, f"{row.naam} in the report of {institution}"
        assert not re.search(rf"\b{row.instelling}\b", text), f"code {row.instelling} in the report of {institution}"


@pytest.mark.slow
def test_the_praatplaat_is_printed_landscape_on_one_sheet_where_the_edition_has_it(built, institution):
    for edition in _editions(institution):
        root = built / "editions" / edition
        if not (root / "html" / f"{PRAATPLAAT_PAGE}.html").exists():
            pytest.skip(f"{PRAATPLAAT_PAGE} is not part of this book yet")
        name = PRAATPLAAT_FILE.format(edition=edition)
        reader = PdfReader(root / name)
        box = reader.pages[0].mediabox
        assert len(reader.pages) == 1 and box.width > box.height
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["pdf"]["praatplaat"]["bestand"] == name
        with zipfile.ZipFile(built / "editions" / f"{edition}.zip") as archive:
            assert f"{edition}/{name}" in archive.namelist()


def test_node_ids_of_the_tagged_pdf_do_not_depend_on_when_figures_were_decoded():
    """Chromium names table cells after a DOM node counter that SVG figures also advance, at their own moment."""
    def printed(first: int) -> bytes:
        cells = b"".join(b"<</S /TD /ID (node%08d) /A [<</Headers [(node%08d)]>>]>>\n" % (first + i, first + i)
                         for i in range(12))
        return b"%PDF-1.4\n/CreationDate (D:20261127050000)\n" + cells + b"(nodes) (node7)"
    early, late = deterministic_pdf(printed(6279)), deterministic_pdf(printed(6294))
    assert early == late
    assert len(early) == len(printed(6279))  # same length: the cross-reference offsets stay valid
    assert b"(node00000001)" in early and b"(node00000012)" in early and b"(nodes)" in early
    assert b"D:19800101000000" in early


KEPT_BROWSER_SCRIPT = """
from helpers.pipeline import print_pdf
with print_pdf.edition_browser() as first:
    pass
fresh_closed = not first.is_connected()
print_pdf.keep_browser()
with print_pdf.edition_browser() as kept:
    pass
with print_pdf.edition_browser() as again:
    pass
same = again is kept and kept.is_connected()
kept.close()  # as if Chromium went away between editions
with print_pdf.edition_browser() as relaunched:
    page = relaunched.new_page()
    page.set_content("<p>Editie</p>")
    printed = page.pdf().startswith(b"%PDF")
print(fresh_closed, same, relaunched is not kept and relaunched.is_connected(), printed)
"""


@pytest.mark.skipif(not chromium_available(), reason="Chromium ontbreekt")
def test_a_build_worker_keeps_its_chromium_between_editions_and_launches_again_if_it_went_away():
    # Outside a build worker an edition gets its own browser; inside one, the worker's (launching costs ~0.4 s).
    result = subprocess.run([sys.executable, "-c", KEPT_BROWSER_SCRIPT], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True"]
