"""A second implementation of Katern A 8 and 9, Katern B 4 and the team tables.

The book's numbers come from its chapter functions on the small generated
data set (no build), in the national edition and in every institution
edition. The second computation starts again from the item columns with
plain pandas, numpy, scipy and statsmodels and shares no code with the book:
a scale score is the mean of its items where every item is answered, a
domain score the mean of its scale scores where every one is present;
groups are plain groupbys; Welch's ANOVA is statsmodels' ``anova_oneway``,
the regression statsmodels' OLS, the chi-square test statsmodels'
``proportions_chisquare``, Holm statsmodels' ``multipletests``.

Only what a reader sees exactly is compared: rows withheld by disclosure
control are left out, and so are the counts and shares it bounds or rounds
(which those are is tested elsewhere). Shares are compared to 1e-6 (the
tables round them), means and test results to 1e-8 (the book rounds scores
to 9 decimals, so that float noise never moves a teacher across a cut-off).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.oneway import anova_oneway
from statsmodels.stats.proportion import proportions_chisquare

from helpers.book.disclosure import BOUNDED, SUPPRESSED
from helpers.book.edition import open_edition
from helpers.chapters import teams
from helpers.chapters.common import sample as katern_c_sample
from helpers.chapters.katern_a import regression, typology
from helpers.chapters.katern_a.common import sample as katern_a_sample
from helpers.chapters.katern_b import professionalisation as katern_b4
from helpers.data.codebook import load_codebook
from helpers.stats.trends import theme_trends

CB = load_codebook()
TYPES = ["koplopers", "peloton", "achterblijvers"]
TYPOLOGY = {"met": "typologie_met", "over": "typologie_over"}
QUANTILES = (0.20, 0.80)  # the documented rule: achterblijvers at or below the 20th percentile, koplopers from the 80th
DECIMALS = 9
SHARE, VALUE = 1e-6, 1e-8
SHORT = [a for a, d in CB.activity_duration.items() if d == "kort"]
LONG = [a for a, d in CB.activity_duration.items() if d == "lang"]


@pytest.fixture(scope="module")
def editions(prepared, small_data, tmp_path_factory) -> dict:
    """{edition id: its context}: the national edition and every institution."""
    codes = pd.read_csv(small_data[1], dtype=str)["instelling"].tolist()
    tables = tmp_path_factory.mktemp("tables")
    return {code: open_edition(code, prepared, tables / code) for code in ["landelijk", *codes]}


# -- the second implementation -----------------------------------------------------------
def scale_score(rows: pd.DataFrame, sid: str) -> pd.Series:
    items = rows[CB.scales[sid].items].astype(float)
    return items.mean(axis=1).where(items.notna().all(axis=1))


def domain_score(rows: pd.DataFrame, scales) -> pd.Series:
    scores = pd.concat([scale_score(rows, sid) for sid in scales], axis=1)
    return scores.mean(axis=1).where(scores.notna().all(axis=1))


def scale_scores(rows: pd.DataFrame) -> pd.DataFrame:
    """Every scale's score, one column each (a narrow frame: selecting rows of the wide one is slow)."""
    return pd.DataFrame({sid: scale_score(rows, sid) for sid in CB.scales}, index=rows.index)


def domain_scales(domain: str) -> list[str]:
    return [sid for sid, scale in CB.scales.items() if scale.domain == domain]


def summary(values: pd.Series) -> dict:
    """n, mean, sd, 95% t-interval and the three bands (<= 2.5, between, >= 3.5) of the scores present."""
    v = values.dropna().to_numpy(dtype=float)
    n = len(v)
    half = stats.t.ppf(0.975, n - 1) * v.std(ddof=1) / np.sqrt(n)
    return dict(n=n, gemiddelde=v.mean(), sd=v.std(ddof=1), ci_laag=v.mean() - half, ci_hoog=v.mean() + half,
                aandeel_laag=(v <= 2.5).mean(), aandeel_midden=((v > 2.5) & (v < 3.5)).mean(),
                aandeel_hoog=(v >= 3.5).mean())


def shown_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows a reader sees: not withheld."""
    return table.loc[~table[SUPPRESSED].astype(bool)]


def holm(p) -> np.ndarray:
    return multipletests(np.asarray(p, dtype=float), method="holm")[1]


def assert_row(row, expected: dict, where, tolerance: float | None = None) -> None:
    """Each value of `expected` in `row`: shares (aandeel*) to SHARE, other numbers to VALUE, unless `tolerance`.

    Where disclosure control bounded or rounded a share, the row's shares and count are not the exact ones.
    """
    bounded = bool(str(row.get(BOUNDED, "") or ""))
    for column, value in expected.items():
        if bounded and (column == "aantal" or column.startswith("aandeel")):
            continue
        allowed = tolerance if tolerance is not None else SHARE if column.startswith("aandeel") else VALUE
        assert float(row[column]) == pytest.approx(value, abs=allowed), (where, column)


def independent_types(national: pd.DataFrame) -> dict[str, pd.Series]:
    """Every respondent's type per practice domain: cut-offs at the quantiles of the latest wave's scores."""
    latest = national.loc[national["meting"] == national["meting"].max()]
    types = {}
    for domain, column in TYPOLOGY.items():
        lower, upper = (round(q, DECIMALS) for q in domain_score(latest, domain_scales(domain)).quantile(QUANTILES))
        score = domain_score(national, domain_scales(domain)).round(DECIMALS)
        kind = np.where(score >= upper, "koplopers", np.where(score <= lower, "achterblijvers", "peloton"))
        types[column] = pd.Series(kind, index=national.index, dtype=object).where(score.notna())
    return types


# -- Katern A 8: koplopers, peloton, achterblijvers --------------------------------------
def test_typology_cut_offs_and_every_teachers_type(editions):
    national = editions["landelijk"]
    latest = national.national.loc[national.national["meting"] == national.national["meting"].max()]
    for domain, model in national.typology.items():
        lower, upper = domain_score(latest, domain_scales(domain)).quantile(QUANTILES)
        assert (model.lower, model.upper) == pytest.approx((lower, upper), abs=VALUE), domain
    expected = independent_types(national.national)
    for code, ctx in editions.items():  # an institution edition classifies its teachers as the national one does
        for column, kind in expected.items():
            book = ctx.own[column].astype(object)
            assert book.fillna("-").equals(kind.reindex(ctx.own.index).fillna("-")), (code, column)


def test_typology_shares_profiles_and_welch_tests(editions):
    for code, ctx in editions.items():
        own, national = katern_a_sample(ctx)
        rows_of = {"totaal": own, "instelling": own, "landelijk": national}
        shares = typology.shares_table(ctx)
        compared = 0
        for _, row in shown_rows(shares).iterrows():
            if row["groep"] not in rows_of:
                continue  # a benchmark: another population, checked by the composition tests
            typed = rows_of[row["groep"]][row["weergave"]].dropna().astype(str)
            assert_row(row, dict(n=len(typed), aantal=(typed == row["categorie"]).sum(),
                                 aandeel=(typed == row["categorie"]).mean()), (code, row["categorie"]))
            compared += 1
        assert compared, code

        profile = typology.profile_table(ctx)
        scores = {"own": scale_scores(own), "landelijk": scale_scores(national)}
        compared = 0
        for _, row in shown_rows(profile.loc[profile["groep"].isin(TYPES)]).iterrows():
            view = row["weergave"]
            population = "landelijk" if view.startswith("landelijk:") else "own"
            rows = national if population == "landelijk" else own
            score = scores[population].loc[rows[view.removeprefix("landelijk:")].astype(object) == row["groep"],
                                           row["schaal"]]
            if score.notna().sum() >= 2:
                assert_row(row, summary(score), (code, view, row["groep"], row["schaal"]))
                compared += 1
        assert compared, code

        differences = typology.differences_table(ctx)
        tested = own if ctx.edition.is_national or len(own) >= ctx.min_n else national
        prefix = "" if tested is own else "landelijk:"
        for _, row in differences.iterrows():
            visible = shown_rows(profile.loc[(profile["weergave"] == prefix + row["variabele"])
                                             & (profile["schaal"] == row["schaal"])])
            score = scores["own" if tested is own else "landelijk"][row["schaal"]]
            groups = [score[tested[row["variabele"]].astype(object) == kind].dropna()
                      for kind in TYPES if kind in set(visible["groep"])]
            groups = [g.to_numpy() for g in groups if len(g) >= 2 and g.var() > 0]
            welch = anova_oneway(groups, use_var="unequal", welch_correction=True)
            values = np.concatenate(groups)
            between = sum(len(g) * (g.mean() - values.mean()) ** 2 for g in groups)
            assert row["k_groepen"] == len(groups) and row["n"] == len(values), code
            assert float(row["F"]) == pytest.approx(welch.statistic, rel=VALUE)
            assert float(row["df2"]) == pytest.approx(welch.df[1], rel=VALUE)
            assert float(row["p"]) == pytest.approx(welch.pvalue, rel=1e-6, abs=0)
            assert float(row["np2"]) == pytest.approx(between / ((values - values.mean()) ** 2).sum(), rel=VALUE)
        if len(differences):
            assert np.allclose(differences["p_holm"], holm(differences["p"]), rtol=1e-9, atol=0)


# -- Katern A 9: competences and practice -------------------------------------------------
def test_regression_against_statsmodels_ols(editions):
    for code, ctx in editions.items():
        own, national = katern_a_sample(ctx)
        coefficients, fits = regression.models(ctx)
        assert len(fits), code
        for domain, part in coefficients.groupby("uitkomst", sort=False):
            fit = fits.set_index("uitkomst").loc[domain]
            rows = own if fit["bron"] == regression.OWN else national
            predictors = part["schaal"].tolist()
            data = pd.concat([pd.DataFrame({sid: scale_score(rows, sid) for sid in predictors}),
                              domain_score(rows, domain_scales(domain)).rename("uitkomst")], axis=1).dropna()
            z = (data - data.mean()) / data.std(ddof=1)
            ols = sm.OLS(z["uitkomst"], sm.add_constant(z[predictors])).fit()
            interval = ols.conf_int(0.05).loc[predictors]
            book = part.set_index("schaal").loc[predictors]
            where = (code, domain)
            assert (int(fit["n"]), int(fit["k"])) == (int(ols.nobs), len(predictors)), where
            assert float(fit["r2"]) == pytest.approx(ols.rsquared, abs=VALUE), where
            assert float(fit["r2_adj"]) == pytest.approx(ols.rsquared_adj, abs=VALUE), where
            assert np.allclose(book["beta"], ols.params[predictors], rtol=0, atol=VALUE), where
            assert np.allclose(book["se"], ols.bse[predictors], rtol=0, atol=VALUE), where
            assert np.allclose(book["ci_laag"], interval[0], rtol=0, atol=VALUE), where
            assert np.allclose(book["ci_hoog"], interval[1], rtol=0, atol=VALUE), where
            assert np.allclose(book["p"], ols.pvalues[predictors], rtol=1e-6, atol=0), where
            assert np.allclose(book["p_holm"], holm(ols.pvalues[predictors]), rtol=1e-6, atol=0), where


# -- Katern B 4: professionalisation over the waves ---------------------------------------
def independent_form(rows: pd.DataFrame) -> pd.Series:
    """none / only short / only long / short and long from the activities; missing if none is answered."""
    activities = rows[list(CB.activities)].astype(float)
    took = activities.fillna(0) == 1
    short, long = took[SHORT].any(axis=1), took[LONG].any(axis=1)
    form = np.select([short & long, short, long], ["kort_en_lang", "alleen_kort", "alleen_lang"], "geen")
    return pd.Series(form, index=rows.index, dtype=object).where(activities.notna().any(axis=1))


def test_forms_and_activities_per_wave(editions):
    for code, ctx in editions.items():
        forms = katern_b4.forms_table(ctx)
        for _, row in shown_rows(forms).iterrows():
            rows = ctx.national if row["groep"] == "landelijk" else ctx.own
            form = independent_form(rows.loc[rows["meting"] == row["meting"]]).dropna()
            assert_row(row, dict(n=len(form), aantal=(form == row["vorm"]).sum(), aandeel=(form == row["vorm"]).mean()),
                       (code, row["groep"], row["meting"], row["vorm"]))
        assert (forms["groep"] == "instelling").any() != ctx.edition.is_national, code

    national = editions["landelijk"].national
    taken = national.melt(id_vars="meting", value_vars=list(CB.activities), var_name="activiteit", value_name="ja")
    taken["ja"] = taken["ja"].astype(float).fillna(0) == 1
    direct = taken.groupby(["meting", "activiteit"])["ja"].agg(["size", "sum", "mean"])
    book = katern_b4.activities_table(editions["landelijk"]).set_index(["meting", "activiteit"])
    assert sorted(book.index) == sorted(direct.index)
    direct = direct.loc[book.index]
    assert (book["n"].to_numpy() == direct["size"].to_numpy()).all()
    assert (book["aantal"].to_numpy() == direct["sum"].to_numpy()).all()
    assert np.allclose(book["aandeel"], direct["mean"], rtol=0, atol=1e-12)
    assert (book["duur"] == book.index.get_level_values("activiteit").map(CB.activity_duration)).all()


def test_themes_over_the_waves_against_statsmodels(editions):
    """The small set asks the themes in its last wave only; here the earlier waves' completers answer them too."""
    national = editions["landelijk"].national.copy()
    themes = [t for t in CB.theme_columns if t in national.columns and national[t].notna().any()]
    rng = np.random.default_rng(24)
    earlier = (national["meting"] < national["meting"].max()) & national["volledig"].astype(bool)
    for k, theme in enumerate(themes):
        chosen = rng.random(len(national)) < 0.1 + 0.05 * k  # shares that differ from the last wave's
        national[theme] = national[theme].astype("Float64").where(~earlier, chosen.astype(float))
    table = theme_trends(national)
    assert table["gevraagd"].all() and len(table) == len(themes) * (national["meting"].nunique() - 1)

    completers = national.loc[national["volledig"].astype(bool)]
    for _, row in table.iterrows():
        both = (set(national.loc[national["meting"] == row["meting_eerder"], "instelling"])
                & set(national.loc[national["meting"] == row["meting_later"], "instelling"]))
        part = completers.loc[completers["instelling"].isin(both)]
        a = part.loc[part["meting"] == row["meting_eerder"], row["thema"]].dropna().astype(float)
        b = part.loc[part["meting"] == row["meting_later"], row["thema"]].dropna().astype(float)
        _, p, _ = proportions_chisquare([a.sum(), b.sum()], [len(a), len(b)])
        h = 2 * np.arcsin(np.sqrt(b.mean())) - 2 * np.arcsin(np.sqrt(a.mean()))
        where = (row["vergelijking"], row["thema"])
        assert (row["n_instellingen"], row["n_eerder"], row["n_later"]) == (len(both), len(a), len(b)), where
        assert_row(row, dict(aandeel_eerder=a.mean(), aandeel_later=b.mean(), verschil=b.mean() - a.mean(),
                             cohens_h=h), where, tolerance=1e-12)
        assert float(row["p"]) == pytest.approx(p, rel=1e-9, abs=0), where
    assert np.allclose(table["p_holm"], holm(table["p"]), rtol=1e-9, atol=0)
    rule = (table["p_holm"] < 0.05) & (table["cohens_h"].abs() >= 0.2)
    assert (table["opvallend"] == rule).all() and rule.any() and not rule.all()


# -- the team tables ------------------------------------------------------------------------
def test_team_tables_against_groupby(editions):
    competence = {d: domain_scales(d) for d, spec in CB.domains.items() if spec["soort"] == "competentie"}
    offered = 0
    for code, ctx in editions.items():
        if ctx.edition.is_national:
            continue
        own = katern_c_sample(ctx)[0]  # themes and domains: the Katern C sample
        team_of = own["team"].astype("string")
        chosen = own.melt(id_vars="team", value_vars=[t for t in CB.theme_columns if t in own.columns],
                          var_name="thema", value_name="ja")
        chosen["ja"] = chosen["ja"].astype(float).fillna(0) == 1
        per_team = chosen.groupby(["team", "thema"])["ja"].agg(["size", "sum", "mean"])
        whole = chosen.groupby("thema")["ja"].agg(["size", "sum", "mean"])
        themes = shown_rows(teams.theme_table(ctx))
        for _, row in themes.iterrows():
            direct = whole.loc[row["thema"]] if row["groep"] == teams.INSTITUTION else per_team.loc[
                (row["groep"], row["thema"])]
            assert_row(row, dict(n=direct["size"], aantal=direct["sum"], aandeel=direct["mean"]),
                       (code, row["groep"], row["thema"]))

        scores = pd.DataFrame({d: domain_score(own, scales) for d, scales in competence.items()})
        for _, row in shown_rows(teams.scale_table(ctx)).iterrows():
            members = scores if row["groep"] == teams.INSTITUTION else scores.loc[team_of == row["groep"]]
            values = members[row["domein"]].dropna()
            assert_row(row, dict(n=len(values), gemiddelde=values.mean()), (code, row["groep"], row["domein"]))

        everyone = katern_a_sample(ctx)[0]  # the scale profile: the Katern A sample
        profile_scores = scale_scores(everyone)
        for _, row in shown_rows(teams.profile_table(ctx)).iterrows():
            score = profile_scores[row["schaal"]]
            if row["groep"] != teams.INSTITUTION:
                score = score[everyone["team"].astype("string") == row["groep"]]
            if score.notna().sum() >= 2:
                assert_row(row, summary(score), (code, row["groep"], row["schaal"]))
        offered += len(teams.shown_teams(ctx))
    assert offered, "the small set must offer some team, or this test checks only institutions"


def test_team_themes_against_the_rest_of_the_institution_against_statsmodels(editions):
    """Teams in beeld marks a theme a team chooses notably more or less often than the rest of its institution."""
    compared = 0
    for code, ctx in editions.items():
        if ctx.edition.is_national:
            continue
        own = katern_c_sample(ctx)[0]
        team_of = own["team"].astype("string")
        table = teams.theme_differences(ctx)
        assert set(table["team"]) <= set(teams.shown_teams(ctx)), "only teams the page may show are compared"
        for team, rows in table.groupby("team"):
            mine = team_of == team
            assert int((~mine).sum()) >= ctx.min_n, "the rest of the institution is a group of its own"
            for _, row in rows.iterrows():
                a = own.loc[~mine, row["thema"]].dropna().astype(float)
                b = own.loc[mine, row["thema"]].dropna().astype(float)
                where = (code, team, row["thema"])
                if a.sum() + b.sum() in (0, len(a) + len(b)):
                    assert np.isnan(row["p"]), where
                    continue
                _, p, _ = proportions_chisquare([b.sum(), a.sum()], [len(b), len(a)])
                h = 2 * np.arcsin(np.sqrt(b.mean())) - 2 * np.arcsin(np.sqrt(a.mean()))
                assert_row(row, dict(n_team=len(b), n_rest=len(a), aandeel_team=b.mean(), aandeel_rest=a.mean(),
                                     cohens_h=h), where, tolerance=1e-12)
                assert float(row["p"]) == pytest.approx(p, rel=1e-9, abs=0), where
            tested = rows["p"].notna()
            assert np.allclose(rows.loc[tested, "p_holm"], holm(rows.loc[tested, "p"]), rtol=1e-9, atol=0)
            rule = (rows["p_holm"] < 0.05) & (rows["cohens_h"].abs() >= 0.2)
            assert (rows["opvallend"] == rule).all(), (code, team)
            compared += 1
    assert compared, "the small set must compare some team"
