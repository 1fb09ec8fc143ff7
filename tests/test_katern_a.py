"""Katern A as a reader gets it: the numbers in its tables and prose, checked against direct computations."""
from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd
import pytest

from helpers.core import dutch
from helpers.chapters.katern_a.overview import difference_matrix
from helpers.data.codebook import load_codebook
from helpers.data.validation import load_survey

pytestmark = pytest.mark.slow
CB = load_codebook()
DOMAINS = [d for d in CB.domains]


def tables(built, edition: str) -> dict[str, pd.DataFrame]:
    root = built / "editions" / edition / "tables"
    return {p.stem: pd.read_csv(p) for p in root.glob("a*.csv")}


def page_text(built, edition: str, chapter: str) -> str:
    text = (built / "editions" / edition / "html" / "notebooks" / "katern_a" / f"{chapter}.html").read_text(
        encoding="utf-8")
    text = re.sub(r"<script.*?</script>", " ", text, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.fixture(scope="module")
def wave_rows(small_data) -> pd.DataFrame:
    respondents = load_survey(*small_data).respondents
    return respondents.loc[respondents["meting"] == respondents["meting"].max()]


def direct_mean(rows: pd.DataFrame, scale: str) -> tuple[int, float]:
    items = rows[CB.scales[scale].items].astype("Float64").astype(float)
    score = items.mean(axis=1).where(items.notna().all(axis=1))
    return int(score.notna().sum()), float(score.mean())


def test_every_scale_mean_equals_a_direct_computation(built, wave_rows):
    every = pd.concat([tables(built, "landelijk")[f"a-{domain}-schalen"] for domain in DOMAINS])
    national = every.loc[every["weergave"] == "totaal"]
    assert sorted(national["schaal"]) == sorted(CB.scales)
    for row in national.itertuples():
        n, mean = direct_mean(wave_rows, row.schaal)
        assert row.n == n and row.gemiddelde == pytest.approx(mean, abs=1e-6), row.schaal
        assert row.ci_laag < row.gemiddelde < row.ci_hoog
        assert row.aandeel_laag + row.aandeel_midden + row.aandeel_hoog == pytest.approx(1, abs=1e-5)  # CSV: 6 decimals


def test_institution_beside_its_benchmarks_and_its_own_groups(built, institution, wave_rows):
    table = tables(built, institution)["a-met-schalen"]
    comparison = table.loc[table["weergave"] == "vergelijking"]
    assert {"instelling", "landelijk"} <= set(comparison["groep"])
    own = wave_rows.loc[wave_rows["instelling"] == institution]
    for row in comparison.loc[comparison["groep"] == "instelling"].itertuples():
        n, mean = direct_mean(own, row.schaal)
        assert row.n == n and row.gemiddelde == pytest.approx(mean, abs=1e-6)
    shown = table.loc[~table["onderdrukt"] & table["weergave"].isin(["functie", "domein"])]
    assert (shown["n"] >= 10).all(), "a group below the threshold is shown"
    assert not table.loc[table["onderdrukt"], "gemiddelde"].notna().any(), "a withheld group keeps its mean"


def test_the_prose_names_the_highest_and_lowest_scale_with_the_table_numbers(built, institution):
    for edition, who in (("landelijk", "totaal"), (institution, "instelling")):
        for domain, chapter in (("visie", "a2_visie"), ("met", "a6_lesgeven_met")):
            table = tables(built, edition)[f"a-{domain}-schalen"]
            own = table.loc[table["groep"] == who].sort_values("gemiddelde", ascending=False)
            text = page_text(built, edition, chapter)
            top, low = own.iloc[0], own.iloc[-1]
            assert (f"‘{dutch.lower_first(top['schaal_label'])}’ (gemiddeld {dutch.decimal(top['gemiddelde'], 1)}"
                    in text), (edition, chapter)
            assert f"‘{dutch.lower_first(low['schaal_label'])}’ (gemiddeld {dutch.decimal(low['gemiddelde'], 1)}" in text


def test_notable_differences_follow_the_one_rule(built, institution):
    for edition in ("landelijk", institution):
        for domain in DOMAINS:
            table = tables(built, edition)[f"a-{domain}-verschillen"]
            expected = (table["p_holm"] < 0.05) & (table["np2"] >= 0.01)
            assert (table["opvallend"] == expected).all(), (edition, domain)


def test_strong_points_are_the_notable_differences_from_other_institutions(built, institution):
    table = tables(built, institution)["a-profiel-verschillen"]
    text = page_text(built, institution, "a12_overzicht")
    assert f"op elk van de {len(table)} schalen vergeleken" in text
    for row in table.itertuples():
        named = f"‘{dutch.lower_first(row.schaal_label)}’ ({dutch.decimal(row.gemiddelde, 1)} tegen" in text
        assert named == bool(row.opvallend), row.schaal_label
    assert "a-profiel-verschillen" not in tables(built, "landelijk")


def test_heatmap_cells_are_group_minus_edition_means(built, institution):
    for edition in ("landelijk", institution):
        table = tables(built, edition)["a-overzicht"]
        view = "domein"
        matrix = difference_matrix(table, view)
        reference = table.loc[table["groep"].isin(["totaal", "instelling"])].set_index("schaal_label")["gemiddelde"]
        rows = table.loc[(table["weergave"] == view) & ~table["onderdrukt"]]
        for row in rows.dropna(subset=["gemiddelde"]).itertuples():
            assert matrix.loc[row.schaal_label, row.groep_label] == pytest.approx(
                row.gemiddelde - reference[row.schaal_label])
        hidden = table.loc[(table["weergave"] == view) & table["onderdrukt"]]
        for row in hidden.itertuples():  # withheld per scale: that cell stays empty
            assert row.groep_label not in matrix.columns or pd.isna(matrix.loc[row.schaal_label, row.groep_label])


def test_reliability_appendix_has_every_asked_scale_and_wave(built, small_data):
    table = tables(built, "landelijk")["a-bijlage-schalen"]
    respondents = load_survey(*small_data).respondents
    # the data decides which wave asked a scale: a wave with an answer on one of its items
    expected = {(int(w), s) for s, scale in CB.scales.items()
                for w in respondents.loc[respondents[scale.items].notna().any(axis=1), "meting"].unique()}
    assert set(zip(table["meting"], table["schaal"])) == expected
    assert ((table["alpha"] > 0) & (table["alpha"] < 1)).all()
    assert np.all(table["alpha_ci_laag"] <= table["alpha"]) and np.all(table["alpha"] <= table["alpha_ci_hoog"])




