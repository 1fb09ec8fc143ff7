"""Katern B in the book: chapters built in every edition, honest about the design, traceable and private."""
from __future__ import annotations

import html
import re
from types import SimpleNamespace

import pandas as pd
import pytest

from helpers.core import dutch
from helpers.chapters.katern_b.common import too_few_others
from helpers.data.codebook import load_codebook
from helpers.data.validation import load_survey

CB = load_codebook()
MIN_N = 10
# A number as the prose shows it: a year, 5.467, 2,09, 48%, with its sign.
CHAPTERS = ("b1_inleiding", "b2_competenties", "b3_lesgeven", "b4_professionalisering", "b5_opbrengst",
            "b6_conclusies")


def page_text(built, edition: str, chapter: str) -> str:
    text = (built / "editions" / edition / "html" / "notebooks" / "katern_b" / f"{chapter}.html").read_text(
        encoding="utf-8")
    text = re.sub(r"<script.*?</script>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def tables(built, edition: str) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p) for p in (built / "editions" / edition / "tables").glob("b*.csv")}


@pytest.fixture(scope="module")
def respondents(small_data) -> pd.DataFrame:
    return load_survey(*small_data).respondents


def test_every_chapter_is_in_both_editions(built, institution):
    for edition in ("landelijk", institution):
        for chapter in CHAPTERS:
            assert page_text(built, edition, chapter), (edition, chapter)


def test_the_waves_come_from_the_data(built, respondents):
    waves = tables(built, "landelijk")["b1-metingen"]
    per_wave = waves.dropna(subset=["meting"])
    expected = respondents.groupby("meting").size()
    assert dict(zip(per_wave["meting"].astype(int), per_wave["n_respondenten"])) == expected.to_dict()
    text = page_text(built, "landelijk", "b1_inleiding")
    assert f"vergelijkt {dutch.integer(len(expected))} metingen" in text
    assert "geen panel" in text


def test_a_scale_a_wave_did_not_ask_reads_niet_gemeten(built, respondents):
    earliest = int(respondents["meting"].min())
    first = respondents.loc[respondents["meting"] == earliest]
    absent = [sid for sid, s in CB.scales.items() if first[s.items].isna().all().all()]
    assert absent, "the small set lacks some scales in its first wave"
    differences = pd.concat([tables(built, "landelijk")[t] for t in ("b2-verschillen", "b3-verschillen")])
    for sid in absent:
        row = differences.loc[(differences["schaal"] == sid) & (differences["meting_eerder"] == earliest)].iloc[0]
        assert not row["gemeten"] and str(earliest) in str(row["niet_gemeten_in"])
        assert pd.isna(row["verschil"]), "not measured is not a fall to zero"
    pages = page_text(built, "landelijk", "b2_competenties") + page_text(built, "landelijk", "b3_lesgeven")
    assert f"niet gemeten in {earliest}" in pages


def test_trends_are_on_institutions_present_in_both_waves(built, respondents):
    differences = tables(built, "landelijk")["b2-verschillen"]
    for comparison, rows in differences.groupby("vergelijking"):
        earlier, later = (int(w) for w in comparison.split("-"))
        both = (set(respondents.loc[respondents["meting"] == earlier, "instelling"])
                & set(respondents.loc[respondents["meting"] == later, "instelling"]))
        assert rows["n_instellingen"].dropna().max() == len(both)


def test_conclusions_never_speak_of_individual_growth(built, institution):
    for edition in ("landelijk", institution):
        text = " ".join(page_text(built, edition, c) for c in CHAPTERS).lower()
        for phrase in ("zijn gegroeid", "zijn gestegen", "is gegroeid in", "dezelfde docenten zijn"):
            assert phrase not in text, (edition, phrase)


# Wording that treats the waves as a panel: the same teachers followed over time.
PANEL_WORDING = re.compile(r"\b(volg(t|en) (de )?docenten|docenten (worden )?gevolgd|dezelfde docenten (over|door)|"
                           r"groei van (de|één|elke) docent)", re.I)


def test_no_page_source_speaks_of_following_teachers():
    """Every notebook and sentence template, in any edition: the waves are repeated cross-sections."""
    from helpers.core.paths import NOTEBOOKS, SENTENCES_SUFFIX
    import nbformat
    texts = {path.name: " ".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "markdown")
             for path in sorted(NOTEBOOKS.rglob("*.ipynb"))}
    texts.update({path.name: path.read_text(encoding="utf-8") for path in sorted(NOTEBOOKS.rglob(f"*{SENTENCES_SUFFIX}"))})
    found = [(name, m.group(0)) for name, text in texts.items() for m in PANEL_WORDING.finditer(text)
             if "niets" not in text[m.start() - 80:m.end() + 40] and "niet om" not in text[m.start() - 40:m.start()]]
    assert not found, found


def test_own_trend_rows_have_enough_teachers(built, institution):
    trends = tables(built, institution)["b2-trends"]
    own = trends.loc[(trends["groep"] == "instelling") & ~trends["onderdrukt"].astype(bool)]
    assert (own["n"].dropna() >= MIN_N).all()
    means = tables(built, "landelijk")["b5-gemiddelden"]
    shown = means.loc[~means["onderdrukt"].astype(bool)]
    assert (shown["n"].dropna().loc[lambda n: n > 0] >= MIN_N).all()


def test_a_national_comparison_needs_three_other_institutions():
    rows = pd.DataFrame({"meting": [2020, 2020, 2020, 2022, 2022, 2022, 2022],
                         "instelling": ["A", "B", "C", "A", "B", "C", "D"]})
    ctx = SimpleNamespace(edition=SimpleNamespace(is_national=False, id="A"), national=rows,
                          once=lambda name, make: make())
    assert too_few_others(ctx, [2020, 2022]), "B and C alone would be recoverable beside A's own figures"
    ctx.edition.id = "D"  # D did not take part in 2020: A, B and C are three others
    assert not too_few_others(ctx, [2020, 2022])
    ctx.edition.is_national = True
    assert not too_few_others(ctx, [2020, 2022])


def test_katern_c_recommendation_on_short_and_long_comes_from_katern_b(built):
    text = page_text(built, "landelijk", "b5_opbrengst")
    recommendation = (built / "editions" / "landelijk" / "html" / "notebooks" / "katern_c"
                      / "c4_conclusies.html").read_text(encoding="utf-8")
    shown = "gaat in deze gegevens samen met de beste resultaten" in text
    if shown:
        assert "Combineer korte en langere activiteiten" in recommendation
    assert "werkt het best" not in recommendation


def test_a_variance_share_at_zero_comes_with_its_caveat_and_no_level_reads_as_all():
    """Katern B 4 printed '0% tussen instellingen, 0% tussen teams, 100% tussen docenten' as a plain finding."""
    from helpers.chapters.katern_b.professionalisation import spread_paragraph

    at_boundary = pd.DataFrame([dict(meting=7, aandeel_instelling=0.0007, aandeel_team=6e-9, aandeel_docent=0.9993,
                                     reden=None)])
    text = spread_paragraph(None, at_boundary)
    assert "vrijwel 0% tussen teams" in text and "0,1% van de verschillen" in text
    assert "ruim 99% tussen docenten" in text and "100%" not in text
    assert "ondergrens nul" in text and "niet dat alle teams precies gelijk zijn" in text
    assert text.count("0%") == 1, "the caveat does not say the number again"
    inside = at_boundary.assign(aandeel_instelling=0.04, aandeel_team=0.06, aandeel_docent=0.90)
    text = spread_paragraph(None, inside)
    assert "ondergrens" not in text and "4,0% van de verschillen" in text
