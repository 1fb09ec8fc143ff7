"""The apparatus around the chapters: the Downloads page, the note on withheld groups, the research questions."""
from __future__ import annotations

import html
import re
import zipfile

import pandas as pd
import pytest

from helpers.book.disclosure import EDITION_WIDE, NOT_ASKED, PRIMARY, REASON_TEXT, withheld_groups
from helpers.book.publish import Publisher
from helpers.chapters import research_questions
from helpers.chapters.conclusions import Conclusion, Source, conclusions_markdown
from helpers.chapters.downloads import placeholder_html
from helpers.pipeline import downloads


# -- the Downloads page --------------------------------------------------------------------------------
def _edition(tmp_path, praatplaat: bool = True):
    """An edition folder as the build lays it out, with a compiled Downloads page still holding its placeholder."""
    edition = tmp_path / "I07"
    page = edition / "html" / f"{downloads.PAGE}.html"
    page.parent.mkdir(parents=True)
    page.write_text(f"<html><body><h1>Downloads</h1>{placeholder_html()}</body></html>", encoding="utf-8")
    if praatplaat:
        (edition / "html" / "notebooks" / "praatplaat.html").write_text("<html></html>", encoding="utf-8")
    (edition / "tables").mkdir()
    for name in ("a-visie-schalen", "a-visie-verschillen", "c2-1-themas"):
        (edition / "tables" / f"{name}.csv").write_text("a\n1\n", encoding="utf-8")
    written = {"notebooks/katern_a/a2_visie": ["a-visie-schalen", "a-visie-verschillen"],
               "notebooks/katern_c/c2_1_themas": ["c2-1-themas"], "notebooks/bevindingen": []}
    return edition, page, written


def test_the_list_links_every_table_and_both_pdfs_relative_to_the_edition_folder(tmp_path):
    edition, page, written = _edition(tmp_path)
    assert downloads.fill(edition / "html", "I07", written)
    text = page.read_text(encoding="utf-8")
    assert "Deze lijst vult de build" not in text
    assert downloads.links(edition) == ["rapport-I07.pdf", "praatplaat-I07.pdf", "tables/a-visie-schalen.csv",
                                        "tables/a-visie-verschillen.csv", "tables/c2-1-themas.csv"]
    assert "A2 " in html.unescape(text)  # grouped under the chapter that wrote them
    # Before printing the PDFs are missing; after, nothing is.
    assert downloads.broken_links(edition) == ["rapport-I07.pdf", "praatplaat-I07.pdf"]
    for name in ("rapport-I07.pdf", "praatplaat-I07.pdf"):
        (edition / name).write_bytes(b"%PDF")
    assert downloads.broken_links(edition) == []


def test_the_links_work_inside_the_zip_too(tmp_path):
    from helpers.pipeline.deliver import zip_edition

    edition, page, written = _edition(tmp_path)
    downloads.fill(edition / "html", "I07", written)
    for name in ("rapport-I07.pdf", "praatplaat-I07.pdf"):
        (edition / name).write_bytes(b"%PDF")
    archive = zip_edition(edition, "I07", tmp_path / "I07.zip")
    unpacked = tmp_path / "uitgepakt"
    zipfile.ZipFile(archive).extractall(unpacked)
    assert downloads.broken_links(unpacked / "I07") == []
    assert len(downloads.links(unpacked / "I07")) == 5


def test_no_praatplaat_pdf_is_offered_without_the_page(tmp_path):
    edition, _, written = _edition(tmp_path, praatplaat=False)
    downloads.fill(edition / "html", "I07", written)
    assert not [link for link in downloads.links(edition) if "praatplaat" in link]


def test_a_missing_file_is_reported(tmp_path):
    edition, _, written = _edition(tmp_path)
    downloads.fill(edition / "html", "I07", written)
    (edition / "tables" / "c2-1-themas.csv").unlink()
    assert "tables/c2-1-themas.csv" in downloads.broken_links(edition)


# -- the note on withheld groups -----------------------------------------------------------------------
def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "weergave": ["functie", "functie", "functie", "domein", "domein"],
        "groep": ["docent", "instructeur", "overig", "groen", "zorg"],
        "groep_label": ["Docent", "Instructeur", "Overig", "Groen", "Zorg"],
        "gemiddelde": [3.1, None, None, None, 3.0],
        "onderdrukt": [False, True, True, True, True],
        "reden": ["", PRIMARY, EDITION_WIDE, PRIMARY, NOT_ASKED],
    })


def test_withheld_groups_are_named_once_with_their_reason_and_not_asked_is_not_withheld():
    assert withheld_groups(_table()) == [("functie", "Instructeur", PRIMARY), ("functie", "Overig", EDITION_WIDE),
                                         ("domein", "Groen", PRIMARY)]


def test_every_page_says_which_groups_it_leaves_out_and_why():
    publish = Publisher(None)
    publish.record("t-een", _table())
    publish.record("t-twee", _table())  # the same groups in a second table: named once
    note = publish.withheld_note()
    assert note.startswith("**Weggelaten op deze pagina.**")
    assert note.count("‘Instructeur’") == 1
    assert "Zorg" not in note  # not asked is not withheld
    assert Publisher(None).withheld_note() == ""
    # One list item per reason, each naming its groups per breakdown: the reader sees why at a glance.
    items = [line for line in note.splitlines() if line.startswith("- ")]
    assert items == [f"- {REASON_TEXT[PRIMARY][0].upper()}{REASON_TEXT[PRIMARY][1:]}: bij functie ‘Instructeur’; "
                     "bij opleidingsdomein ‘Groen’.",
                     f"- {REASON_TEXT[EDITION_WIDE][0].upper()}{REASON_TEXT[EDITION_WIDE][1:]}: bij functie ‘Overig’."]


def test_teams_are_counted_not_named():
    teams = pd.DataFrame({"groep": ["Team geheim", "Team open"], "groep_label": ["Team geheim", "Team open"],
                          "gemiddelde": [None, 3.0], "onderdrukt": [True, False], "reden": [PRIMARY, ""]})
    publish = Publisher(None)
    publish.record("teams-x", teams)
    note = publish.withheld_note(anonymous=("team", "teams"))
    assert "geheim" not in note and re.search(r"\b1 team\.", note)  # one team, in the singular


# -- research questions --------------------------------------------------------------------------------
def test_each_conclusion_names_the_question_of_the_table_it_cites():
    found = [Conclusion("Over thema's.", [Source("c2-1-themas", {}, "aandeel", 0.4, "40%")]),
             Conclusion("Over de metingen.", [Source("b2-verschillen", {}, "verschil", 0.1, "0,1")]),
             Conclusion("Geen verschil.", question="eigen")]
    numbers = research_questions.numbers(national=False)
    lines = conclusions_markdown(found).splitlines()
    assert lines[0].endswith(f"*(Onderzoeksvraag {numbers['kansen']}.)*")
    assert lines[1].endswith(f"*(Onderzoeksvraag {numbers['ontwikkeling']}.)*")
    assert lines[2].endswith(f"*(Onderzoeksvraag {numbers['eigen']}.)*")


def test_the_national_questions_keep_their_numbers_in_an_institution_edition():
    national = research_questions.numbers(national=True)
    institution = research_questions.numbers(national=False)
    assert {k: institution[k] for k in national} == national
    assert "eigen" in institution and "eigen" not in national


@pytest.mark.parametrize("table, question", [("a-met-verschillen", "stand"), ("a-profiel-verschillen", "eigen"),
                                             ("a9-modellen", "samenhang"), ("a10-aantal", "professionalisering"),
                                             ("b5-kloof", "opbrengst"), ("bijlage1-landelijk", "kansen")])
def test_tables_answer_their_chapters_question(table, question):
    assert research_questions.question_of_table(table) == question


def test_the_model_lists_every_domain_and_scale_of_the_codebook():
    from helpers.data.codebook import load_codebook

    cb = load_codebook()
    model = html.unescape(research_questions.model_html())
    assert all(spec["label"] in model for spec in cb.domains.values())
    assert all(scale.label[1:] in model for scale in cb.scales.values())


# -- in a built edition --------------------------------------------------------------------------------
def _tables_per_page(edition_dir) -> dict[str, list[str]]:
    """{chapter: the tables it wrote}, read from the edition's Downloads page."""
    from helpers.book.publish import chapter_title
    from helpers.core.edition_manifest import chapters_for

    text = (edition_dir / "html" / f"{downloads.PAGE}.html").read_text(encoding="utf-8")
    titles = {chapter_title(c): c for c in chapters_for(edition_dir.name)}
    found = {}
    for title, items in re.findall(r"<h3>(.*?)</h3><ul>(.*?)</ul>", text, flags=re.S):
        found[titles[html.unescape(title)]] = re.findall(r"tables/([^\"]+)\.csv", items)
    return found


def test_the_downloads_page_links_every_file_the_edition_holds(built, institution):
    for edition in ("landelijk", institution):
        root = built / "editions" / edition
        links = downloads.links(root)
        assert downloads.broken_links(root) == [], edition
        assert sorted(link for link in links if link.startswith("tables/")) == \
            sorted(f"tables/{p.name}" for p in (root / "tables").glob("*.csv"))
        assert {f"rapport-{edition}.pdf", f"praatplaat-{edition}.pdf"} <= set(links)
        with zipfile.ZipFile(built / "editions" / f"{edition}.zip") as archive:
            names = set(archive.namelist())
        assert all(f"{edition}/{link}" in names for link in links)


def test_every_page_that_withholds_a_group_says_so(built, institution):
    import json

    for edition in ("landelijk", institution):
        root = built / "editions" / edition
        manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
        withheld = {record["tabel"] for record in manifest["onderdrukt_per_cel"]}
        pages = _tables_per_page(root)
        assert pages, edition
        for chapter, tables in pages.items():
            text = (root / "html" / f"{chapter}.html").read_text(encoding="utf-8")
            assert ("Weggelaten op deze pagina" in text) == bool(withheld & set(tables)), (edition, chapter)


def test_katern_b_groups_are_named_with_their_wave_or_comparison():
    forms = pd.DataFrame({"groep": ["instelling", "instelling"], "meting": [2017, 2017],
                          "vorm": ["geen", "alleen_kort"], "vorm_label": ["Geen professionalisering", "Alleen kort"],
                          "onderdrukt": [True, False], "reden": [PRIMARY, ""]})
    assert withheld_groups(forms) == [("", "Geen professionalisering in 2017", PRIMARY)]
    comparisons = pd.DataFrame({"groep": ["landelijk"], "vergelijking": ["2017-2022"], "schaal": ["x"],
                                "onderdrukt": [True], "reden": ["te_weinig_instellingen"]})
    assert withheld_groups(comparisons) == [("", "landelijk, vergelijking 2017-2022", "te_weinig_instellingen")]


def test_a_category_withheld_within_the_institution_is_named_not_the_institution():
    composition = pd.DataFrame({"weergave": ["domein", "domein"], "groep": ["instelling", "instelling"],
                                "groep_label": ["ROC Lindevaart", "ROC Lindevaart"], "variabele": ["domein", "domein"],
                                "categorie": ["groen", "zorg"], "categorie_label": ["Groen", "Zorg"],
                                "onderdrukt": [True, False], "reden": [PRIMARY, ""]})
    assert withheld_groups(composition) == [("domein", "Groen", PRIMARY)]
    counts = pd.DataFrame({"weergave": ["functie"], "groep": ["instructeur"], "groep_label": ["Instructeur"],
                           "categorie": ["0"], "categorie_label": ["Geen activiteit"], "onderdrukt": [True],
                           "reden": [PRIMARY]})
    assert withheld_groups(counts) == [("functie", "Instructeur", PRIMARY)]


# -- tables as a reader reads them ---------------------------------------------------------------------
def test_a_table_sets_numbers_right_under_their_heading_and_words_left_under_theirs():
    from helpers.book.html import reader_table

    shown = pd.DataFrame({"Schaal": ["Gamen", "Netwerken"], "n": ["133", "1.234"], "p (Holm)": ["0,037", "< 0,001"],
                          "Groep (%)": ["48%", "–"], "Effect": ["klein", "middelgroot"]})
    page = reader_table(shown)
    cells = re.findall(r'<t([hd]) style="text-align:(left|right)[^"]*">([^<]*)</t[hd]>', page)
    align = {}
    for kind, side, text in cells:
        align.setdefault(kind, []).append((text, side))
    assert align["h"] == [("Schaal", "left"), ("n", "right"), ("p (Holm)", "right"), ("Groep (%)", "right"),
                          ("Effect", "left")]
    assert ("Gamen", "left") in align["d"] and ("&lt; 0,001", "right") in align["d"] and ("–", "right") in align["d"]
    assert 'style="text-align: right;"' not in page  # pandas' own right-aligned heading row is gone
    # A column of numbers that notes 'niet gemeten' in one row stays a column of numbers; only numbers never wrap.
    mixed = reader_table(pd.DataFrame({"Metingen": ["2017–2022", "2020–2022", "2017–2022"],
                                       "Verschil": ["+0,37", "niet gemeten in 2017", "−0,12"]}))
    assert re.search(r'<td style="text-align:right;padding-left:0.5em">niet gemeten in 2017</td>', mixed)
    assert re.search(r'<td style="text-align:left">Gamen</td>', page)  # the first column starts at the edge
    assert re.search(r'<td style="text-align:left;padding-left:0.5em">klein</td>', page)  # "+0,43ja" no more
    assert re.search(r'<td style="[^"]*text-align:right[^"]*white-space:nowrap">2017–2022</td>', mixed)
