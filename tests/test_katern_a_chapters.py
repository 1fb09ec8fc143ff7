"""Katern A chapters 8-11 on the small generated data set: numbers against direct computations, disclosure control."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from helpers.core import dutch
from helpers.book.disclosure import SUPPRESSED, shown
from helpers.book.edition import open_edition
from helpers.chapters.katern_a import professionalisation, regression, typology, variation
from helpers.chapters.common import edition_withheld
from helpers.chapters.katern_a.common import sample
from helpers.data.codebook import load_codebook
from helpers.data.derive import PROF_COUNT, PROF_GROUP, TYPOLOGY_MET
from helpers.stats.competence import competence_scales
from helpers.stats.scales import ALPHA, HEDGES_G_THRESHOLDS, NP2_THRESHOLDS, variance_shares
from helpers.stats.typology import practice_score

CB = load_codebook()


@pytest.fixture(scope="module")
def codes(small_data) -> list[str]:
    return pd.read_csv(small_data[1], dtype=str)["instelling"].tolist()


def context(prepared, tmp_path, edition="landelijk", min_n=None):
    return open_edition(edition, prepared, tmp_path / f"tables-{edition}-{min_n}", min_n, None)


@pytest.fixture(scope="module")
def national(prepared, tmp_path_factory):
    return context(prepared, tmp_path_factory.mktemp("nat"))


def holm(p) -> np.ndarray:
    return pg.multicomp(np.asarray(p, dtype=float), method="holm")[1]


# -- chapter 8 -----------------------------------------------------------------------------
def test_type_shares_equal_a_direct_count(national):
    table = typology.shares_table(national)
    wave = national.national.loc[national.national["meting"] == national.national["meting"].max()]
    direct = wave[TYPOLOGY_MET].dropna().astype(str).value_counts(normalize=True)
    rows = table.loc[(table["weergave"] == TYPOLOGY_MET)].set_index("categorie")
    for kind, share in direct.items():
        assert rows.loc[kind, "aandeel"] == pytest.approx(share)
    assert int(rows["n"].iloc[0]) == int(wave[TYPOLOGY_MET].notna().sum())
    text = typology.shares_paragraph(national, table)
    assert f"is {dutch.percent(direct['koplopers'])} koploper" in text


def test_type_profile_and_tests_follow_the_data_and_the_notable_rule(national):
    profile = typology.profile_table(national)
    own, _ = sample(national)
    scale = competence_scales()[0]
    row = profile.loc[(profile["weergave"] == TYPOLOGY_MET) & (profile["groep"] == "koplopers")
                      & (profile["schaal"] == scale)].iloc[0]
    direct = practice_score(own.loc[own[TYPOLOGY_MET] == "koplopers"], [scale]).dropna()
    assert row["gemiddelde"] == pytest.approx(direct.mean())
    assert int(row["n"]) == len(direct)
    differences = typology.differences_table(national)
    assert len(differences) == 2 * len(competence_scales())  # every competence scale by both typologies
    assert np.allclose(differences["p_holm"], holm(differences["p"]))
    rule = (differences["p_holm"] < ALPHA) & (differences["np2"] >= NP2_THRESHOLDS[0])
    assert (differences["opvallend"] == rule).all()
    assert "competentieschalen" in typology.profile_paragraph(national, profile, differences)


# -- chapter 9 -----------------------------------------------------------------------------
def test_regression_betas_equal_least_squares_on_z_scores(national):
    coefficients, fits = regression.models(national)
    own, _ = sample(national)
    met = coefficients.loc[coefficients["uitkomst"] == "met"]
    predictors = met["schaal"].tolist()
    outcome_scales = [s for s, spec in CB.scales.items() if spec.domain == "met"]
    data = pd.concat([pd.DataFrame({s: practice_score(own, [s]) for s in predictors}),
                      practice_score(own, outcome_scales).rename("y")], axis=1).dropna()
    z = (data - data.mean()) / data.std(ddof=1)
    betas, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(z)), z[predictors]]), z["y"], rcond=None)
    assert np.allclose(met["beta"], betas[1:], atol=1e-8)
    fit = fits.set_index("uitkomst").loc["met"]
    assert int(fit["n"]) == len(data) and (fits["bron"] == "landelijk").all()
    t = met["beta"] / met["se"]
    assert np.allclose(met["np2"], t ** 2 / (t ** 2 + len(data) - len(predictors) - 1))
    rule = (met["p_holm"] < ALPHA) & (met["np2"] >= NP2_THRESHOLDS[0])
    assert (met["opvallend"] == rule).all()
    assert dutch.percent(fit["r2"]) in regression.fit_paragraph(national, fits)


def test_an_institution_runs_its_own_model_only_with_enough_complete_cases(prepared, codes, tmp_path):
    for code in codes:
        ctx = context(prepared, tmp_path, code)
        _, fits = regression.models(ctx)
        for row in fits.itertuples():
            own = row.bron == "instelling"
            needed = max(ctx.min_n, regression.CASES_PER_PREDICTOR * row.k)
            assert own == bool(row.eigen_genoeg)
            if own:
                assert row.n >= needed
            elif pd.notna(row.n_eigen):
                assert ctx.min_n <= row.n_eigen < needed
            if not own:
                assert "landelijke resultaat" in regression.fit_paragraph(ctx, fits)
    large = context(prepared, tmp_path, codes[0], min_n=10_000)
    _, fits = regression.models(large)
    assert (fits["bron"] == "landelijk").all() and fits["n_eigen"].isna().all()


# -- chapter 10 ----------------------------------------------------------------------------
def test_activity_shares_count_distribution_and_any_activity(national):
    own, _ = sample(national)
    activities = professionalisation.activities_table(national)
    overall = activities.loc[activities["weergave"] == "totaal"].set_index("activiteit")
    for activity in CB.activities:
        assert overall.loc[activity, "aandeel"] == pytest.approx((own[activity].astype(float) == 1).mean())
    counts = professionalisation.count_table(national).set_index("categorie")
    direct = own[PROF_COUNT].astype(int).value_counts(normalize=True)
    for k, share in direct.items():
        assert counts.loc[str(k), "aandeel"] == pytest.approx(share)
    any_activity = float((own[PROF_COUNT] > 0).mean())
    assert f"{dutch.percent(any_activity)} van de docenten" in professionalisation.participation_paragraph(
        national, activities, professionalisation.count_table(national))


def test_professionalisation_groups_are_compared_with_hedges_g_and_the_notable_rule(national):
    differences = professionalisation.differences_table(national)
    own, _ = sample(national)
    fewer, many = CB.activity_groups
    scale = differences["schaal"].iloc[0]
    score = practice_score(own, [scale])
    a, b = score[own[PROF_GROUP] == many].dropna(), score[own[PROF_GROUP] == fewer].dropna()
    row = differences.iloc[0]
    assert row["g_veel"] == pytest.approx(pg.compute_effsize(a, b, eftype="hedges"))
    assert np.allclose(differences["p_holm"], holm(differences["p"]))
    rule = (differences["p_holm"] < ALPHA) & (differences["hedges_g"].abs() >= HEDGES_G_THRESHOLDS[0])
    assert (differences["opvallend"] == rule).all()


# -- chapter 11 ----------------------------------------------------------------------------
def test_variance_shares_per_domain_are_national_and_add_up(national, prepared, codes, tmp_path):
    table = variation.shares_table(national)
    assert table["domein"].tolist() == variation.domains()
    assert np.allclose(table[list(variation.LEVELS)].sum(axis=1), 1)
    _, rows = sample(national)
    direct = variance_shares(rows, [s for s, spec in CB.scales.items() if spec.domain == "met"])
    assert table.set_index("domein").loc["met", "aandeel_instelling"] == pytest.approx(direct["aandeel_instelling"])
    institution = context(prepared, tmp_path, codes[0])
    pd.testing.assert_frame_equal(variation.shares_table(institution), table)  # national in every edition
    text = variation.shares_paragraph(table)
    assert "binnen instellingen" in text and "Katern A" in text


def test_institution_means_are_anonymous_and_only_in_the_national_edition(prepared, codes, small_data, tmp_path):
    ctx = context(prepared, tmp_path, "landelijk", min_n=45)
    table = variation.institutions_table(ctx)
    names = pd.read_csv(small_data[1], dtype=str)
    text = table.to_csv(index=False)
    assert not any(code in text for code in names["instelling"]) and not any(n in text for n in names["naam"])
    _, rows = sample(ctx)
    scales = [s for s, spec in CB.scales.items() if spec.domain == "met"]
    score = practice_score(rows, scales)
    sizes = score.groupby(rows["instelling"].astype(str)).count()
    means = score.groupby(rows["instelling"].astype(str)).mean()
    visible = shown(table)
    assert sorted(visible["gemiddelde"].round(9)) == sorted(means[sizes >= 45].round(9))
    assert int(table[SUPPRESSED].sum()) == int((sizes < 45).sum())
    assert visible["gemiddelde"].is_monotonic_decreasing and list(visible["rang"]) == list(range(1, len(visible) + 1))
    assert variation.institutions_table(context(prepared, tmp_path, codes[0])) is None


# -- disclosure control in every institution edition ---------------------------------------
def _check_breakdown(table: pd.DataFrame, min_n: int, where: str) -> None:
    """No shown group below min_n, and what is hidden never follows by subtraction from a shown total."""
    groups = table.loc[~table["weergave"].isin(["vergelijking", "totaal"])]
    visible = groups.loc[~groups[SUPPRESSED] & (groups["n"].fillna(0) > 0)]
    assert (visible["n"] >= min_n).all(), f"{where}: a group below {min_n} shown"
    key = "schaal" if "schaal" in table else None
    whole = table.loc[table["groep"] == "instelling"]
    for view, part in groups.groupby("weergave"):
        if str(view).startswith("landelijk:"):
            continue
        for item, rows in (part.groupby(key) if key else [(None, part.drop_duplicates("groep"))]):
            total = whole.loc[whole[key] == item, "n"] if key else whole["n"]
            if total.dropna().empty:
                continue
            remainder = int(total.dropna().iloc[0]) - int(rows.loc[~rows[SUPPRESSED], "n"].fillna(0).sum())
            assert remainder == 0 or remainder >= min_n, f"{where} {view} {item}: {remainder} follow by subtraction"


def _check_composition(table: pd.DataFrame, min_n: int, where: str) -> None:
    own = table.loc[table["groep"] == "instelling"]
    for view, rows in own.groupby("weergave"):
        if rows["n"].dropna().empty:
            continue
        visible = rows.loc[~rows[SUPPRESSED] & (rows["aantal"].fillna(0) > 0)]
        assert (visible["aantal"] >= min_n).all(), f"{where} {view}: a category below {min_n} shown"
        remainder = int(rows["n"].dropna().iloc[0]) - int(visible["aantal"].sum())
        assert remainder == 0 or remainder >= min_n, f"{where} {view}: {remainder} follow by subtraction"


@pytest.mark.parametrize("min_n", [10, 30])
def test_institution_tables_never_show_a_group_below_the_threshold(prepared, codes, tmp_path, min_n):
    for code in codes:
        ctx = context(prepared, tmp_path, code, min_n)
        where = f"{code} (min_n {min_n})"
        _check_composition(typology.shares_table(ctx), min_n, where + " a8-typen")
        _check_composition(professionalisation.count_table(ctx), min_n, where + " a10-aantal")
        for name, table in (("a8-profiel", typology.profile_table(ctx)),
                            ("a10-profiel", professionalisation.profile_table(ctx)),
                            ("a10-activiteiten", professionalisation.activities_table(ctx).rename(
                                columns={"activiteit": "schaal"}))):
            _check_breakdown(table, min_n, f"{where} {name}")
            for view in set(table["weergave"]) - {"vergelijking"}:
                if view.startswith("landelijk:"):
                    continue
                hidden = set(edition_withheld(ctx, view))
                shown_groups = set(table.loc[(table["weergave"] == view) & ~table[SUPPRESSED]
                                             & (table["n"].fillna(0) > 0), "groep"])
                assert not hidden & shown_groups, f"{where} {name}: edition-wide hidden group shown in {view}"
        # Tests never use a withheld group: each typology test has only groups the profile table shows.
        differences = typology.differences_table(ctx)
        profile = typology.profile_table(ctx)
        for row in differences.itertuples():
            view = row.variabele if len(sample(ctx)[0]) >= min_n else f"landelijk:{row.variabele}"
            visible = profile.loc[(profile["weergave"] == view) & (profile["schaal"] == row.schaal)
                                  & ~profile[SUPPRESSED] & (profile["n"].fillna(0) > 0)]
            assert row.k_groepen <= len(visible), f"{where}: a withheld type takes part in a test"
        fewer, many = CB.activity_groups
        if set(edition_withheld(ctx, PROF_GROUP)) & {fewer, many} and len(sample(ctx)[0]) >= min_n:
            assert professionalisation.differences_table(ctx).empty


def test_a_table_cited_again_is_computed_once_per_edition_and_each_caller_gets_a_copy(prepared, codes, tmp_path,
                                                                                      monkeypatch):
    # The conclusions chapter asks again for every domain's tests; the kernel serves one edition.
    import dataclasses

    from helpers.chapters.katern_a import domains

    calls = []
    original = domains.group_differences
    monkeypatch.setattr(domains, "group_differences", lambda *a, **k: calls.append(1) or original(*a, **k))
    ctx = context(prepared, tmp_path, codes[0])
    domain = next(iter(CB.domains))
    first = domains.differences_table(ctx, domain)
    first.loc[:, "F"] = -1.0  # a caller changing its copy changes nothing for the next
    again = domains.differences_table(context(prepared, tmp_path, codes[0]), domain)  # the next chapter's context
    assert len(calls) == 1 and (again["F"] != -1.0).all()
    domains.differences_table(context(prepared, tmp_path, codes[1]), domain)
    domains.differences_table(context(prepared, tmp_path, codes[0], min_n=ctx.min_n + 5), domain)
    ctx.edition = dataclasses.replace(ctx.edition, benchmarks=())
    domains.differences_table(ctx, domain)
    assert len(calls) == 4, "another edition, another threshold or another edition manifest computes anew"
    pd.testing.assert_frame_equal(again, domains.differences_table.__wrapped__(context(prepared, tmp_path, codes[0]),
                                                                                domain))
