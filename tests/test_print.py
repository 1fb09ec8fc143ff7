"""The report and the praatplaat made for paper: text a reader can read, nothing only the web can do, the
institution's own teams, the praatplaat on its own landscape sheet, and its data note.

The layout rules are tested on their own (fast); the PDFs of the shared small build (`built` in conftest.py)
are read as a reader receives them.
"""
from __future__ import annotations

import base64
import json
import re
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from helpers.book.medium import print_only, web_only
from helpers.pipeline.print_pdf import (
    LANDSCAPE_AREA,
    MIN_TEXT_PT,
    PORTRAIT_AREA,
    PRAATPLAAT_FILE,
    REPORT_FILE,
    PrintError,
    figure_layout,
    report_pages,
    toc_entries,
)

#: Phrases that only make sense on a screen: none may be printed.
WEB_ONLY_PHRASES = ("Figuur-id", "openklappen", "keuzelijst", "klik", "Kies hieronder", "Kies daaronder",
                    "Kies in de figuur", "schuifregelaar", "dropdown", "Zelf maken:")


def printed_texts(path: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, every piece of text as (size in points, x of its start in points, text)."""
    pages = []
    for page in PdfReader(path).pages:
        found = []

        def visit(text, cm, tm, font, size, found=found):
            if not text.strip():
                return
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            c, d = tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            found.append((size * abs(a * d - b * c) ** 0.5, x, text.strip()))

        page.extract_text(visitor_text=visit)
        pages.append(found)
    return pages


def words(text: str) -> str:
    """Text with runs of whitespace as one space and ligatures as their letters (a PDF sets 'ff' as one glyph)."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --- the layout rules --------------------------------------------------------------------------------------------


def _svg(width: float, height: float, texts: list[tuple[float, float, str]]) -> bytes:
    body = "".join(f'<text style="font-size: {size}px; font-family: sans-serif" x="10" y="{y}">{text}</text>'
                   for size, y, text in texts)
    return (f'<svg width="{width}pt" height="{height}pt" viewBox="0 0 {width} {height}" '
            f'xmlns="http://www.w3.org/2000/svg">{body}</svg>').encode()


def test_a_figure_prints_at_a_size_where_its_smallest_text_is_7_pt():
    layout = figure_layout(_svg(576, 300, [(8, 50, "Schaal"), (9, 100, "Titel")]))
    assert layout.smallest_printed >= MIN_TEXT_PT and not layout.landscape and len(layout.parts) == 1
    assert layout.width * layout.scale <= PORTRAIT_AREA[0]


def test_a_figure_too_wide_for_portrait_gets_a_landscape_sheet_and_one_too_small_even_there_is_refused():
    layout = figure_layout(_svg(576, 300, [(6.5, 50, "klein")]))
    assert layout.landscape and layout.smallest_printed >= MIN_TEXT_PT
    assert layout.width * layout.scale <= LANDSCAPE_AREA[0]
    with pytest.raises(PrintError, match="past niet leesbaar"):
        figure_layout(_svg(1200, 300, [(4, 50, "piepklein")]))


def test_a_figure_taller_than_a_sheet_is_cut_between_its_rows_of_text():
    rows = [(9, 30 + 20 * i, f"Schaal {i}") for i in range(60)]  # 60 labelled rows, 1.230 pt tall
    layout = figure_layout(_svg(576, 1230, rows))
    assert len(layout.parts) >= 2
    assert layout.parts[0][0] == 0 and layout.parts[-1][1] == 1230
    for (_, bottom), (top, _) in zip(layout.parts, layout.parts[1:]):
        assert bottom == top
    for top, bottom in layout.parts:
        assert (bottom - top) * layout.scale <= PORTRAIT_AREA[1] + 0.01
    cuts = [bottom for _, bottom in layout.parts[:-1]]
    for cut in cuts:  # no label is cut through: every cut lies between a label's top and the next one's
        assert all(not (y - 9 < cut < y + 0.35 * 9) for _, y, _ in rows), cut


def _page(body: str) -> str:
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"></head><body>'
            f'<article class="bd-article"><section id="s"><h1>Titel</h1>{body}</section></article></body></html>')


def test_the_report_leaves_out_web_only_text_and_shows_the_print_only_text(tmp_path):
    svg = _svg(576, 200, [(8, 50, "Schaal")])
    body = (f"<p>Zo is het. {web_only('Kies hieronder een team.')}{print_only('De tabel toont elk team.')}</p>"
            f'<details class="mb-figuur-id mb-alleen-web"><summary>Figuur-id: a</summary></details>'
            f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg).decode()}" alt="Een figuur">')
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "index.html").write_text(_page(body), encoding="utf-8")
    [(_, _, printed)] = report_pages(tmp_path, toc_entries({"root": "notebooks/index"})).pages
    assert "Kies hieronder" not in printed and "Figuur-id" not in printed
    assert "De tabel toont elk team." in printed and " hidden" not in printed
    assert 'class="print-figure"' in printed and 'alt="Een figuur"' in printed


# --- the PDFs of the shared small build --------------------------------------------------------------------------


def _editions(institution: str) -> list[str]:
    return ["landelijk", institution]


@pytest.mark.slow
def test_no_text_in_a_report_or_praatplaat_is_under_7_pt_or_outside_its_sheet(built, institution):
    for edition in _editions(institution):
        root = built / "editions" / edition
        for name in (REPORT_FILE.format(edition=edition), PRAATPLAAT_FILE.format(edition=edition)):
            reader = PdfReader(root / name)
            for number, (page, texts) in enumerate(zip(reader.pages, printed_texts(root / name)), start=1):
                assert texts, f"{name} p. {number}: no text"
                small = [(round(size, 2), text) for size, _, text in texts if size < MIN_TEXT_PT - 0.01]
                assert not small, f"{name} p. {number}: text under {MIN_TEXT_PT} pt: {small[:5]}"
                width = float(page.mediabox.width)
                outside = [text for _, x, text in texts if not 0 <= x < width - 5]
                assert not outside, f"{name} p. {number}: text starts outside the sheet (clipped): {outside[:5]}"


@pytest.mark.slow
def test_no_report_says_what_only_the_web_can_do(built, institution):
    for edition in _editions(institution):
        root = built / "editions" / edition
        for name in (REPORT_FILE.format(edition=edition), PRAATPLAAT_FILE.format(edition=edition)):
            text = words(" ".join(page.extract_text() for page in PdfReader(root / name).pages))
            found = [phrase for phrase in WEB_ONLY_PHRASES if phrase.lower() in text.lower()]
            assert not found, f"{name}: web-only text {found}"


@pytest.mark.slow
def test_the_praatplaat_has_a_landscape_sheet_of_its_own_in_the_report(built, institution):
    for edition in _editions(institution):
        reader = PdfReader(built / "editions" / edition / REPORT_FILE.format(edition=edition))
        pages = [words(page.extract_text()) for page in reader.pages]
        start = next(i for i, text in enumerate(pages) if i > 1 and text.startswith("Praatplaat"))
        box = reader.pages[start].mediabox
        assert box.width > box.height, f"{edition}: the praatplaat's page is not landscape"
        after = reader.pages[start + 1].mediabox
        assert after.height > after.width, f"{edition}: the praatplaat runs over more than one sheet"
        others = [i for i, page in enumerate(reader.pages) if i != start and page.mediabox.width > page.mediabox.height]
        assert len(others) <= 3, f"{edition}: many landscape sheets besides the praatplaat: {others}"


@pytest.mark.slow
def test_the_praatplaat_pdf_says_on_which_data_and_when_it_was_built(built, institution):
    [source] = (built / "work").glob("data-*/bron.json")  # the build's prepared data set
    synthetic = json.loads(source.read_text(encoding="utf-8"))["meegeleverde_gegevens"]
    for edition in _editions(institution):
        manifest = json.loads((built / "editions" / edition / "manifest.json").read_text(encoding="utf-8"))
        text = words(PdfReader(built / "editions" / edition / PRAATPLAAT_FILE.format(edition=edition))
                     .pages[0].extract_text())
        expected = "synthetische gegevens" if synthetic else manifest["data_hash"][:12]
        assert expected in text, f"{edition}: no data note on the praatplaat"
        assert re.search(r"gemaakt op \d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|"
                         r"oktober|november|december) \d{4}", text), f"{edition}: no build date on the praatplaat"


@pytest.mark.slow
def test_an_institution_report_lists_every_team_its_team_page_shows_with_its_n(built, institution):
    tables = built / "editions" / institution / "tables"
    overview = pd.read_csv(tables / "teams-overzicht.csv", dtype={"team": str})
    teams = overview.drop_duplicates("team")[["team_label", "n_team"]]
    page = (built / "editions" / institution / "html" / "notebooks" / "teams.html").read_text(encoding="utf-8")
    themes = pd.read_csv(tables / "teams-themas.csv", dtype={"groep": str})
    offered = set(themes.loc[themes["groep"] != "instelling", "groep_label"]) - set(
        themes.loc[(themes["groep"] != "instelling") & themes["onderdrukt"].astype(bool), "groep_label"])
    assert set(teams["team_label"]) == offered, "the overview lists exactly the teams the page offers"
    report = words(" ".join(p.extract_text() for p in
                            PdfReader(built / "editions" / institution / REPORT_FILE.format(edition=institution)).pages))
    # The team page, not the table of contents nor the Downloads page that name it too: it opens with the overview.
    start = next(m.start() for m in re.finditer("Teams in beeld", report)
                 if "Docenten (n)" in report[m.start():m.start() + 3000])
    for row in teams.itertuples():
        assert row.team_label in page
        assert re.search(rf"{re.escape(row.team_label)} {row.n_team}\b", report[start:]), \
            f"{row.team_label} (n = {row.n_team}) missing from the report's team page"


@pytest.mark.slow
def test_the_research_model_is_printed_whole_on_one_page(built, institution):
    """The model's boxes sit on one sheet: a box cut in two over a page break reads as two models."""
    import html as html_module

    from helpers.chapters.research_questions import model_html

    headings = [words(html_module.unescape(found))
                for found in re.findall(r'<p class="mb-model-kop">(.*?)</p>', model_html())]
    items = [words(html_module.unescape(re.sub(r"<[^>]+>", "", found)))
             for found in re.findall(r"<li>(.*?)</li>", model_html())]
    assert len(headings) == 3 and items
    for edition in _editions(institution):
        pages = [words(page.extract_text()).replace("- ", "-")
                 for page in PdfReader(built / "editions" / edition / REPORT_FILE.format(edition=edition)).pages]
        first = next(i for i, text in enumerate(pages) if headings[1] in text)  # the first is a chapter's title too
        # Every heading, and the last word of each box's list, on the model's page.
        missing = [text for text in headings + [item.split()[-1] for item in items] if text not in pages[first]]
        assert not missing, f"{edition}: the research model runs over to the next page: {missing}"
