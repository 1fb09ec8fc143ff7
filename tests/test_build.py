"""End to end: a small generated data set -> national and one institution edition."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.codebook import load_codebook
from helpers.data.derive import add_derived
from helpers.data.validation import load_survey
from helpers.pipeline.build import build
from helpers.core.edition_manifest import chapters_for
from helpers.stats.themes import katern_c_sample, theme_shares

pytestmark = pytest.mark.slow
CB = load_codebook()
# Switchable figures per chapter page (the small data set's largest institution is above the threshold).
SWITCHERS = {
    "notebooks/katern_c/c1_inleiding": 1,
    "notebooks/katern_c/c2_1_themas": 2,
    "notebooks/katern_c/c2_2_verschillen": 2,
    "notebooks/katern_c/c3_motieven": 1,
}


def chapter_html(out: Path, edition: str) -> dict[str, str]:
    html = out / "editions" / edition / "html"
    return {c: (html / f"{c}.html").read_text(encoding="utf-8") for c in chapters_for(edition)}


def test_both_editions_have_every_chapter_tables_and_manifest(built, institution):
    for edition in ("landelijk", institution):
        root = built / "editions" / edition
        assert (root / "html" / "index.html").exists()
        assert set(chapter_html(built, edition)) == set(chapters_for(edition))
        manifest = json.loads((root / "manifest.json").read_text())
        assert manifest["editie"] == edition
        assert [c["status"] for c in manifest["hoofdstukken"]] == ["ok"] * len(chapters_for(edition))
        assert {"c2-1-themas.csv", "c2-1-aantal-themas.csv", "c3-motieven.csv", "bijlage1-landelijk.csv",
                "c4-conclusies-bronnen.csv"} <= set(manifest["tabellen"])
        assert all((root / "tables" / t).exists() for t in manifest["tabellen"])
    assert not (built / "staging").exists(), "staging folder left behind"


def test_national_table_equals_a_direct_computation(built, small_data):
    table = pd.read_csv(built / "editions" / "landelijk" / "tables" / "c2-1-themas.csv")
    overall = table[table["weergave"] == "totaal"].set_index("thema")["aandeel"]
    survey = load_survey(*small_data)
    direct = theme_shares(katern_c_sample(add_derived(survey.respondents))).set_index("thema")["aandeel"]
    pd.testing.assert_series_equal(overall.sort_index(), direct.sort_index().round(6), check_names=False)


def test_parameters_are_not_rendered(built, small_data):
    for edition in ("landelijk",):
        for name, page in chapter_html(built, edition).items():
            assert "tables_dir" not in page and "data_dir" not in page, f"parameters shown on {name}"
            assert str(small_data[0].parent) not in page


def test_no_page_shows_a_python_object_instead_of_its_content(built, institution):
    """An output the page cannot render falls back to its repr, e.g. '<IPython.core.display.Markdown object>'."""
    for edition in ("landelijk", institution):
        for name, page in chapter_html(built, edition).items():
            text = html.unescape(page)
            assert not re.search(r"<[\w.]+ object(?: at 0x[0-9a-f]+)?>", text), f"a Python object on {edition} {name}"


def test_widget_state_is_embedded_and_script_is_local(built):
    page = chapter_html(built, "landelijk")["notebooks/katern_c/c2_1_themas"]
    assert "application/vnd.jupyter.widget-state+json" in page
    assert "cdn.jsdelivr" not in page and "unpkg.com" not in page and "cdnjs" not in page


def test_prose_numbers_are_computed_and_dutch(built):
    page = chapter_html(built, "landelijk")["notebooks/katern_c/c2_1_themas"]
    table = pd.read_csv(built / "editions" / "landelijk" / "tables" / "c2-1-themas.csv")
    overall = table[table["weergave"] == "totaal"]
    top = overall[overall["thema"] != CB.theme_none].sort_values("aandeel", ascending=False).iloc[0]
    assert f"{round(100 * top['aandeel'])}%" in page


def test_institution_edition_shows_no_other_institution(built, small_data, institution):
    names = pd.read_csv(small_data[1])
    others = names[names["instelling"] != institution]
    root = built / "editions" / institution
    text = "\n".join(p.read_text(encoding="utf-8", errors="ignore")
                     for p in root.rglob("*") if p.suffix in {".html", ".csv", ".json"})
    for row in others.itertuples():
        assert row.naam not in text, f"{row.naam} appears in the edition of {institution}"
    respondents = pd.read_csv(small_data[0], usecols=["respondent"])["respondent"].astype(str)
    leaked = [r for r in respondents.unique() if f">{r}<" in text or f",{r}," in text]
    assert not leaked, f"respondent ids in edition: {leaked[:5]}"


def test_rebuild_after_bad_input_leaves_editions_untouched(built, small_data, tmp_path):
    from helpers.data.validation import InvalidInput

    bad = tmp_path / "respondenten.csv"
    frame = pd.read_csv(small_data[0], dtype=str)
    frame.loc[frame.index[0], "functie"] = "leraar"
    frame.to_csv(bad, index=False)
    before = {p: p.stat().st_mtime_ns for p in (built / "editions").rglob("*") if p.is_file()}
    with pytest.raises(InvalidInput):
        build(bad, small_data[1], out=built, show_progress=False)
    after = {p: p.stat().st_mtime_ns for p in (built / "editions").rglob("*") if p.is_file()}
    assert before == after


def test_widgets_render_and_switch_offline_in_chromium(built, institution, tmp_path):
    """Every chapter page: widgets render, every view switches to another figure, clean console."""
    from browser import chromium_available, exercise_widgets, launch_browser, open_page, serve_directory

    if not chromium_available():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): `make test` installs it with apt-get")
    switchers = {}
    for edition in ("landelijk", institution):
        html = built / "editions" / edition / "html"
        with serve_directory(html) as base_url, launch_browser() as browser:
            for chapter in chapters_for(edition):
                with open_page(browser, base_url) as (page, monitor):
                    report = exercise_widgets(page, f"{base_url}/{chapter}.html")
                    assert report.rendered == report.widget_views, f"{edition}/{chapter}: not every widget rendered"
                    if chapter.endswith("c2_1_themas"):
                        page.screenshot(path=str(tmp_path / f"{edition}.png"), full_page=True)
                monitor.assert_clean()
                switchers[(edition, chapter)] = len(report.switchers)
    for edition in ("landelijk", institution):
        for chapter, expected in SWITCHERS.items():
            assert switchers[(edition, chapter)] == expected, (edition, chapter, switchers)


def readable(text: str) -> str:
    """Text as a reader sees it: entities decoded, Sphinx's curly apostrophes straightened."""
    return html.unescape(text).replace("’", "'")




def test_only_reviewed_quotes_and_no_raw_answers_in_any_edition(built, small_data, institution):
    from helpers.data.quotes import load_quotes

    quotes = load_quotes()
    rejected = quotes.loc[~quotes["goedgekeurd"], "citaat"].tolist()
    approved = quotes.loc[quotes["goedgekeurd"], "citaat"].tolist()
    answers = pd.read_csv(small_data[0], usecols=["motief_tekst"])["motief_tekst"].dropna().unique()
    for edition in ("landelijk", institution):
        text = "\n".join(p.read_text(encoding="utf-8", errors="ignore")
                         for p in (built / "editions" / edition).rglob("*") if p.suffix in {".html", ".csv", ".json"})
        text = readable(text)
        assert not [q for q in rejected if readable(q) in text]
        assert not [a for a in answers if len(a) > 20 and readable(a) in text]
    national = readable(chapter_html(built, "landelijk")["notebooks/katern_c/c3_motieven"])
    assert any(readable(q) in national for q in approved), "no reviewed quote shown nationally"


def test_every_local_link_resolves_inside_the_edition(built, institution):
    """A reader clicking any link in an edition (served or unpacked) never meets a missing page."""
    href = re.compile(r'<a\b[^>]*\bhref="([^"#?]*)[^"]*"')
    for edition in ("landelijk", institution):
        root = built / "editions" / edition / "html"
        broken = []
        for page in root.rglob("*.html"):
            for target in href.findall(page.read_text(encoding="utf-8")):
                if not target or re.match(r"^[a-z]+:", target):
                    continue
                resolved = (page.parent / html.unescape(target)).resolve()
                if resolved.is_dir():
                    resolved = resolved / "index.html"
                if not resolved.exists():
                    broken.append(f"{page.relative_to(root)} -> {target}")
        assert not broken, f"{edition}: broken links {broken[:10]}"
