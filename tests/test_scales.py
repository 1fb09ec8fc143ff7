"""Scale scores of the research model (stats/scales.py, Katern A).

Every number is checked against an independent computation: the t-interval,
Cronbach's alpha and its F-based interval, Welch's F (by its formula and with
scipy), Games-Howell and Hedges' g, standardised OLS with numpy, Holm's
step-down adjustment and, for the mixed model, the ANOVA estimators of nested
variance components (on balanced data REML gives exactly these when they are
positive).
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.chapters.katern_a.common import BAND_LABELS
from helpers.chapters.katern_a.introduction import notable_rule
from helpers.data.codebook import load_codebook
from helpers.data.derive import MEERWAARDE_VEEL_MIN, MEERWAARDE_WEINIG_MAX, add_derived
from helpers.data.validation import load_survey
from helpers.stats import scales as S
from helpers.stats.scales import (
    BANDS,
    NO_TEAM,
    effect_size_label,
    group_differences,
    is_notable,
    pairwise_differences,
    practice_regression,
    reliability,
    scale_summary,
    band_counts,
    score_band,
    variance_shares,
)
from helpers.stats.typology import domain_scales, practice_score

CB = load_codebook()


def asked_in(df: pd.DataFrame, wave: int) -> list[str]:
    """The scales with an answer in `wave` (the data decides what a wave asked)."""
    rows = df[df["meting"] == wave]
    return [sid for sid, s in CB.scales.items() if rows[s.items].notna().any().any()]
MEERWAARDE = "visie_meerwaarde"
STUDENTGESTUURD = "visie_studentgestuurd"
NETWERKEN = "geletterd_netwerken"  # asked in 2020 and 2022, not in 2017


# -- independent computations ------------------------------------------------------------
def holm(p) -> np.ndarray:
    """Holm's step-down adjustment, by hand."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    m = len(p)
    adjusted = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, (m - rank) * p[i])
        adjusted[i] = min(1.0, running)
    return adjusted


def welch_by_formula(groups: list[np.ndarray]) -> tuple[float, float, float, float]:
    """Welch's F, df1, df2 and p from Welch (1951)."""
    k = len(groups)
    n = np.array([len(g) for g in groups], dtype=float)
    means = np.array([g.mean() for g in groups])
    w = n / np.array([g.var(ddof=1) for g in groups])
    grand = (w * means).sum() / w.sum()
    a = (w * (means - grand) ** 2).sum() / (k - 1)
    lam = ((1 - w / w.sum()) ** 2 / (n - 1)).sum()
    f = a / (1 + 2 * (k - 2) / (k ** 2 - 1) * lam)
    df2 = (k ** 2 - 1) / (3 * lam)
    return f, k - 1, df2, stats.f.sf(f, k - 1, df2)


def eta_squared(groups: list[np.ndarray]) -> float:
    values = np.concatenate(groups)
    between = sum(len(g) * (g.mean() - values.mean()) ** 2 for g in groups)
    return between / ((values - values.mean()) ** 2).sum()


def respondents(scores: dict[str, list], wave: int = 2022, **columns) -> pd.DataFrame:
    """Rows whose every item of a scale equals the given score (None: items not answered)."""
    n = len(next(iter(scores.values())))
    df = pd.DataFrame({"meting": [wave] * n, **columns})
    for sid, values in scores.items():
        for item in CB.scales[sid].items:
            df[item] = pd.array(values, dtype="Float64")
    return df


@pytest.fixture(scope="module")
def synthetic(small_data) -> pd.DataFrame:
    survey = load_survey(*small_data)
    return add_derived(survey.respondents, CB, survey.institutions)


# -- 1. bands ------------------------------------------------------------------------------
def test_bands_use_the_meerwaarde_cut_offs_inclusive_at_both_ends():
    eps = 1e-6
    assert score_band(MEERWAARDE_WEINIG_MAX) == "laag"
    assert score_band(MEERWAARDE_WEINIG_MAX + eps) == "midden"
    assert score_band(MEERWAARDE_VEEL_MIN - eps) == "midden"
    assert score_band(MEERWAARDE_VEEL_MIN) == "hoog"
    assert (score_band(1.0), score_band(5.0)) == ("laag", "hoog")
    assert score_band(float("nan")) is None and score_band(None) is None
    series = score_band(pd.Series([1.0, np.nan, 3.0, 4.0], index=[10, 11, 12, 13]))
    assert series.tolist() == ["laag", None, "midden", "hoog"]
    assert series.index.tolist() == [10, 11, 12, 13]
    assert list(BANDS) == ["laag", "midden", "hoog"]
    assert "2,5" in BAND_LABELS["laag"] and "3,5" in BAND_LABELS["hoog"]


def test_band_counts_equal_the_bands_of_score_band_at_and_around_the_cut_offs():
    rng = np.random.default_rng(3)
    scores = np.concatenate([rng.uniform(1, 5, 500).round(2),
                             [MEERWAARDE_WEINIG_MAX, MEERWAARDE_VEEL_MIN, 1.0, 5.0]])
    expected = score_band(pd.Series(scores)).value_counts()
    assert band_counts(scores) == {band: int(expected.get(band, 0)) for band in BANDS}


# -- 2. scale_summary ----------------------------------------------------------------------
def test_summary_matches_a_hand_t_interval_and_band_shares():
    values = [1.0, 2.5, 3.0, 3.25, 3.5, 5.0, None]  # the last teacher skipped the items
    table = scale_summary(respondents({MEERWAARDE: values}), [MEERWAARDE])
    row = table.iloc[0]
    x = np.array(values[:-1])
    mean, sd = x.mean(), math.sqrt(((x - x.mean()) ** 2).sum() / (len(x) - 1))
    half = stats.t.ppf(0.975, len(x) - 1) * sd / math.sqrt(len(x))
    assert (row["groep"], row["groep_label"], row["n"]) == ("totaal", "Alle docenten", 6)
    assert (row["schaal_label"], row["domein"]) == ("Meerwaarde van ict", "visie")
    assert row["gemiddelde"] == pytest.approx(mean)
    assert row["sd"] == pytest.approx(sd)
    assert (row["ci_laag"], row["ci_hoog"]) == (pytest.approx(mean - half), pytest.approx(mean + half))
    # 1 and 2.5 low, 3 and 3.25 middle, 3.5 and 5 high: shares of the 6 with a score, not of 7 rows
    assert [row["aandeel_laag"], row["aandeel_midden"], row["aandeel_hoog"]] == [pytest.approx(2 / 6)] * 3


def test_one_missing_item_means_no_score():
    df = respondents({MEERWAARDE: [4.0, 4.0, 2.0]})
    df.loc[2, CB.scales[MEERWAARDE].items[-1]] = pd.NA  # teacher 3 answered three of four items
    row = scale_summary(df, [MEERWAARDE]).iloc[0]
    assert row["n"] == 2 and row["gemiddelde"] == pytest.approx(4.0) and row["aandeel_laag"] == 0


def test_groups_come_in_codebook_order_with_a_group_of_one_and_an_empty_group():
    df = respondents({MEERWAARDE: [4.0, 3.0, 5.0, 2.0, 4.5]},
                     vak=["beroeps", "beroeps", "beroeps", "avo", None],
                     leeftijd=["lt30", "lt30", "30-39", "30-39", "30-39"])
    table = scale_summary(df, [MEERWAARDE], by="vak")
    assert table["groep"].tolist() == list(CB.value_labels("vak"))  # avo before beroeps
    assert table["groep_label"].tolist() == list(CB.value_labels("vak").values())
    avo, beroeps = table.iloc[0], table.iloc[1]
    assert (avo["n"], avo["gemiddelde"]) == (1, 2.0)
    assert math.isnan(avo["sd"]) and math.isnan(avo["ci_laag"]) and math.isnan(avo["ci_hoog"])
    assert (beroeps["n"], beroeps["gemiddelde"]) == (3, pytest.approx(4.0))
    assert table["n"].sum() == 4  # the teacher without a vak is in no group
    ages = scale_summary(df, [MEERWAARDE], by="leeftijd").set_index("groep")
    assert ages.loc["40-49", "n"] == 0 and math.isnan(ages.loc["40-49", "gemiddelde"])
    assert math.isnan(ages.loc["40-49", "aandeel_hoog"])


def test_a_scale_not_asked_in_the_wave_gives_n_zero_not_an_error():
    df = respondents({MEERWAARDE: [3.0, 4.0], NETWERKEN: [None, None]}, wave=2017)
    table = scale_summary(df.drop(columns=CB.scales["geletterd_gamen"].items, errors="ignore"),
                          [MEERWAARDE, NETWERKEN, "geletterd_gamen"]).set_index("schaal")
    assert table.loc[MEERWAARDE, "n"] == 2
    for sid in (NETWERKEN, "geletterd_gamen"):  # all items empty / item columns absent
        assert table.loc[sid, "n"] == 0
        assert table.loc[sid, ["gemiddelde", "sd", "ci_laag", "aandeel_laag"]].isna().all()


def test_summary_on_generated_data_adds_up(synthetic):
    rows = synthetic[synthetic["meting"] == 2022]
    scales = asked_in(synthetic, 2022)
    total = scale_summary(rows, scales)
    by_vak = scale_summary(rows, scales, by="vak")
    assert len(total) == len(scales) and len(by_vak) == 2 * len(scales)
    for sid in scales:
        complete = int(rows[CB.scales[sid].items].notna().all(axis=1).sum())
        row = total.set_index("schaal").loc[sid]
        assert row["n"] == complete > 0
        assert by_vak.loc[by_vak["schaal"] == sid, "n"].sum() == complete  # vak is never missing
        assert row["ci_laag"] < row["gemiddelde"] < row["ci_hoog"]
        assert row[["aandeel_laag", "aandeel_midden", "aandeel_hoog"]].sum() == pytest.approx(1)


# -- 3. reliability --------------------------------------------------------------------------
def alpha_by_formula(items: np.ndarray) -> float:
    k = items.shape[1]
    return k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))


def test_alpha_and_its_interval_from_the_formula_on_complete_cases_per_wave():
    rng = np.random.default_rng(3)
    frames = []
    for wave, n in ((2017, 40), (2022, 60)):
        true = rng.normal(3, 0.8, n)
        df = pd.DataFrame({"meting": wave}, index=range(n))
        for sid in (STUDENTGESTUURD, NETWERKEN):
            for item in CB.scales[sid].items:
                df[item] = pd.array(np.clip(np.round(true + rng.normal(0, 0.7, n)), 1, 5), dtype="Float64")
        if wave == 2017:
            df[CB.scales[NETWERKEN].items] = pd.NA  # not asked in 2017
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    first_item = CB.scales[STUDENTGESTUURD].items[0]
    df.loc[[0, 50, 51], first_item] = pd.NA  # incomplete cases: one in 2017, two in 2022
    table = reliability(df, [STUDENTGESTUURD, NETWERKEN])
    assert table[["meting", "schaal"]].values.tolist() == [
        [2017, STUDENTGESTUURD], [2022, STUDENTGESTUURD], [2022, NETWERKEN]]  # 2020 not in the data
    for row in table.itertuples():
        items = df.loc[df["meting"] == row.meting, CB.scales[row.schaal].items].astype(float).dropna().to_numpy()
        n, k = items.shape
        alpha = alpha_by_formula(items)
        low = 1 - (1 - alpha) * stats.f.isf(0.025, n - 1, (n - 1) * (k - 1))
        high = 1 - (1 - alpha) * stats.f.isf(0.975, n - 1, (n - 1) * (k - 1))
        assert (row.k, row.n) == (k, n)
        assert row.alpha == pytest.approx(alpha)
        assert row.alpha_ci_laag == pytest.approx(low, abs=1e-3)  # pingouin rounds the interval
        assert row.alpha_ci_hoog == pytest.approx(high, abs=1e-3)
        assert row.gemiddelde == pytest.approx(items.mean(axis=1).mean())
        assert row.sd == pytest.approx(items.mean(axis=1).std(ddof=1))
    assert table.set_index(["meting", "schaal"]).loc[(2022, STUDENTGESTUURD), "n"] == 58


def test_reliability_without_enough_cases_is_missing_not_an_error():
    df = respondents({STUDENTGESTUURD: [3.0, None]})
    row = reliability(df, [STUDENTGESTUURD]).iloc[0]
    assert row["n"] == 1 and math.isnan(row["alpha"]) and math.isnan(row["alpha_ci_laag"])


def test_reliability_on_generated_data_covers_every_wave_and_scale_asked(synthetic):
    table = reliability(synthetic)
    expected = [(w, sid) for w in sorted(synthetic["meting"].unique()) for sid in asked_in(synthetic, int(w))]
    assert list(zip(table["meting"], table["schaal"])) == expected
    assert (table["alpha"] > 0.5).all() and (table["alpha_ci_laag"] < table["alpha"]).all()


# -- 4. effect sizes and the notable rule ---------------------------------------------------
@pytest.mark.parametrize("kind, value, label", [
    ("np2", 0.0, "verwaarloosbaar"), ("np2", 0.0099, "verwaarloosbaar"), ("np2", 0.01, "klein"),
    ("np2", 0.0599, "klein"), ("np2", 0.06, "middelgroot"), ("np2", 0.14, "groot"),
    ("hedges_g", 0.19, "verwaarloosbaar"), ("hedges_g", -0.2, "klein"), ("hedges_g", 0.5, "middelgroot"),
    ("hedges_g", -0.79, "middelgroot"), ("hedges_g", 0.8, "groot"), ("hedges_g", float("nan"), None),
])
def test_effect_size_labels_follow_cohen(kind, value, label):
    assert effect_size_label(value, kind) == label


def test_notable_needs_both_significance_after_holm_and_at_least_a_small_effect():
    assert is_notable(1e-12, 0.005, "np2") is False  # significant but negligible
    assert is_notable(0.2, 0.30, "np2") is False  # large but not significant
    assert is_notable(0.05, 0.30, "np2") is False  # p_holm < .05 is strict
    assert is_notable(0.049, 0.01, "np2") is True
    assert is_notable(0.001, -0.25, "hedges_g") is True  # sign of g does not matter
    assert is_notable(0.001, 0.15, "hedges_g") is False
    assert is_notable(float("nan"), 0.5, "hedges_g") is False
    with pytest.raises(ValueError):
        is_notable(0.01, 0.5, "cohen_f")
    for number in ("0,05", "0,01", "0,2"):
        assert number in notable_rule()


# -- 5. Welch's ANOVA -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def differing():
    """Two scales; vak and leeftijd with unequal spreads, a group of one, a missing code."""
    rng = np.random.default_rng(11)
    n = 90
    leeftijd = np.array(["lt30"] * 30 + ["30-39"] * 30 + ["50-59"] * 29 + ["60plus"], dtype=object)
    vak = np.array((["avo", "beroeps"] * 45), dtype=object)
    vak[:3] = None
    shift = {"lt30": 0.0, "30-39": 0.4, "50-59": 0.8, "60plus": 0.0}
    spread = {"lt30": 0.3, "30-39": 0.6, "50-59": 0.9, "60plus": 0.1}
    a = np.array([2.5 + shift[g] + rng.normal(0, spread[g]) for g in leeftijd])
    b = rng.normal(3, 0.7, n) + np.where(vak == "beroeps", 0.3, 0.0)
    df = respondents({MEERWAARDE: a.round(9).tolist(), STUDENTGESTUURD: b.round(9).tolist()},
                     leeftijd=leeftijd, vak=vak, functie=["docent"] * n)
    return df


def test_welch_anova_matches_the_formula_scipy_and_holm(differing):
    table = group_differences(differing, [MEERWAARDE, STUDENTGESTUURD], ["leeftijd", "vak", "functie"])
    # functie has one group: not testable, left out; 2 scales x 2 breakdowns remain
    assert table[["schaal", "variabele"]].values.tolist() == [
        [MEERWAARDE, "leeftijd"], [MEERWAARDE, "vak"], [STUDENTGESTUURD, "leeftijd"], [STUDENTGESTUURD, "vak"]]
    for row in table.itertuples():
        score = practice_score(differing, [row.schaal])
        codes = [c for c in CB.value_labels(row.variabele)]
        groups = [score[differing[row.variabele] == c].dropna().to_numpy() for c in codes]
        groups = [g for g in groups if len(g) >= 2]  # the one teacher of 60 or older is left out
        f, df1, df2, p = welch_by_formula(groups)
        scipy_result = stats.f_oneway(*groups, equal_var=False)
        assert row.k_groepen == len(groups) and row.n == sum(len(g) for g in groups)
        assert row.F == pytest.approx(f) and row.F == pytest.approx(scipy_result.statistic)
        assert (row.df1, row.df2) == (df1, pytest.approx(df2))
        assert row.p == pytest.approx(p) and row.p == pytest.approx(scipy_result.pvalue)
        assert row.np2 == pytest.approx(eta_squared(groups))
        assert row.effect == effect_size_label(row.np2, "np2")
    assert table["p_holm"].to_numpy() == pytest.approx(holm(table["p"]))
    by_age = table.set_index(["schaal", "variabele"]).loc[(MEERWAARDE, "leeftijd")]
    assert by_age["k_groepen"] == 3 and by_age["n"] == 89  # group of one and empty 40-49 left out
    assert table.set_index(["schaal", "variabele"]).loc[(MEERWAARDE, "vak"), "n"] == 87  # missing vak left out
    assert by_age["opvallend"] and by_age["effect"] == "groot"


def test_significant_but_negligible_difference_is_not_notable():
    rng = np.random.default_rng(5)
    n = 5000
    vak = np.repeat(["avo", "beroeps"], n)
    # np2 = d^2 / (d^2 + 4) for two equal groups: d = 0.1 gives .0025, d = 0.3 gives .022
    for shift, notable, label in ((0.1, False, "verwaarloosbaar"), (0.3, True, "klein")):
        score = rng.normal(3, 1, 2 * n) + np.where(vak == "beroeps", shift, 0.0)
        df = respondents({MEERWAARDE: score.round(9).tolist()}, vak=vak)
        row = group_differences(df, [MEERWAARDE], ["vak"]).iloc[0]
        assert row["p_holm"] < 1e-4
        assert (row["effect"], row["opvallend"]) == (label, notable)
        pair = pairwise_differences(df, MEERWAARDE, "vak").iloc[0]
        assert pair["p_holm"] < 1e-4
        assert (pair["effect"], pair["opvallend"]) == (label, notable)  # |g| about 0.1 and 0.3


def test_no_testable_groups_gives_an_empty_table_with_the_columns():
    df = respondents({MEERWAARDE: [3.0, 4.0, 2.0]}, vak=["avo", "beroeps", "beroeps"])
    table = group_differences(df, [MEERWAARDE, NETWERKEN], ["vak"])  # avo has one score; no netwerken items
    assert table.empty and list(table.columns) == S.DIFFERENCE_COLUMNS
    assert pairwise_differences(df, MEERWAARDE, "vak").empty


# -- 6. Games-Howell -----------------------------------------------------------------------
def test_games_howell_pairs_match_a_hand_computation_in_codebook_order(differing):
    table = pairwise_differences(differing, MEERWAARDE, "leeftijd")
    order = ["lt30", "30-39", "50-59"]  # codebook order, without the empty and the single-teacher group
    assert table[["groep_a", "groep_b"]].values.tolist() == [["lt30", "30-39"], ["lt30", "50-59"], ["30-39", "50-59"]]
    assert table["groep_a_label"].tolist() == [CB.value_labels("leeftijd")[c] for c in table["groep_a"]]
    score = practice_score(differing, [MEERWAARDE])
    groups = {c: score[differing["leeftijd"] == c].to_numpy() for c in order}
    for row in table.itertuples():
        x, y = groups[row.groep_a], groups[row.groep_b]
        vx, vy = x.var(ddof=1) / len(x), y.var(ddof=1) / len(y)
        t = (x.mean() - y.mean()) / math.sqrt(vx + vy)
        df = (vx + vy) ** 2 / (vx ** 2 / (len(x) - 1) + vy ** 2 / (len(y) - 1))
        p = stats.studentized_range.sf(math.sqrt(2) * abs(t), len(order), df)
        pooled = math.sqrt(((len(x) - 1) * x.var(ddof=1) + (len(y) - 1) * y.var(ddof=1)) / (len(x) + len(y) - 2))
        g = (x.mean() - y.mean()) / pooled * (1 - 3 / (4 * (len(x) + len(y)) - 9))
        assert (row.gemiddelde_a, row.gemiddelde_b) == (pytest.approx(x.mean()), pytest.approx(y.mean()))
        assert row.verschil == pytest.approx(x.mean() - y.mean())
        assert row.p == pytest.approx(p, rel=1e-6)
        assert row.hedges_g == pytest.approx(g)
        assert np.sign(row.hedges_g) == np.sign(row.verschil)
    assert table["p_holm"].to_numpy() == pytest.approx(holm(table["p"]))
    assert table.iloc[1]["opvallend"] and table.iloc[1]["effect"] == "groot"  # lt30 vs 50-59: 0.8 apart


# -- 7. regression -------------------------------------------------------------------------
def test_standardised_regression_matches_numpy(synthetic):
    rows = synthetic[synthetic["meting"] == 2022]
    coefficients, fit = practice_regression(rows, "over")
    predictors = [sid for sid, s in CB.scales.items()
                  if CB.domains[s.domain]["soort"] == "competentie" and sid in asked_in(synthetic, 2022)]
    assert coefficients["schaal"].tolist() == predictors
    x = pd.DataFrame({sid: practice_score(rows, [sid]) for sid in predictors})
    y = practice_score(rows, domain_scales("over"))
    data = pd.concat([x, y.rename("y")], axis=1).dropna()
    z = (data - data.mean()) / data.std(ddof=1)
    design = np.column_stack([np.ones(len(z)), z[predictors].to_numpy()])
    beta, *_ = np.linalg.lstsq(design, z["y"].to_numpy(), rcond=None)
    residuals = z["y"].to_numpy() - design @ beta
    n, k = design.shape
    sigma2 = residuals @ residuals / (n - k)
    se = np.sqrt(np.diag(np.linalg.inv(design.T @ design)) * sigma2)
    r2 = 1 - residuals @ residuals / ((z["y"] - z["y"].mean()) ** 2).sum()
    assert abs(beta[0]) < 1e-10  # standardised: no intercept to report
    assert coefficients["beta"].to_numpy() == pytest.approx(beta[1:])
    assert coefficients["se"].to_numpy() == pytest.approx(se[1:])
    half = stats.t.ppf(0.975, n - k) * se[1:]
    assert coefficients["ci_laag"].to_numpy() == pytest.approx(beta[1:] - half)
    assert coefficients["ci_hoog"].to_numpy() == pytest.approx(beta[1:] + half)
    assert coefficients["p_holm"].to_numpy() == pytest.approx(holm(coefficients["p"]))
    assert (fit["n"], fit["k"]) == (len(data), len(predictors))
    assert fit["r2"] == pytest.approx(r2)
    assert fit["r2_adj"] == pytest.approx(1 - (1 - r2) * (n - 1) / (n - k))


def test_regression_uses_only_the_scales_asked_in_the_wave(synthetic):
    rows = synthetic[synthetic["meting"] == 2017]
    coefficients, fit = practice_regression(rows, "met")
    assert not {NETWERKEN, "geletterd_gamen", "geletterd_produceren"} & set(coefficients["schaal"])
    assert fit["schalen_uitkomst"] == tuple(s for s in domain_scales("met") if s in asked_in(synthetic, 2017))
    assert fit["n"] > 0 and 0 < fit["r2"] < 1
    with pytest.raises(ValueError):
        practice_regression(rows, "visie")  # a competence domain is no outcome


# -- 8. variance shares ----------------------------------------------------------------------
def nested(seed: int, institutions: int, teams: int, teachers: int,
           var_institution: float, var_team: float, var_teacher: float) -> pd.DataFrame:
    """Balanced institutions > teams > teachers with known variance components; score in visie_meerwaarde."""
    rng = np.random.default_rng(seed)
    inst = np.repeat(np.arange(institutions), teams * teachers)
    team = np.repeat(np.arange(institutions * teams), teachers)
    score = (3 + rng.normal(0, math.sqrt(var_institution), institutions)[inst]
             + rng.normal(0, math.sqrt(var_team), institutions * teams)[team]
             + rng.normal(0, math.sqrt(var_teacher), len(inst)))
    df = respondents({MEERWAARDE: score.round(9).tolist()},
                     instelling=[f"I{i:02d}" for i in inst], team=[f"t{t % teams}" for t in team])
    return df  # team codes repeat across institutions: nesting must come from the model


def anova_components(df: pd.DataFrame) -> tuple[float, float, float]:
    """ANOVA estimators of the nested variance components on balanced data."""
    y = practice_score(df, [MEERWAARDE])
    a, b = df["instelling"].nunique(), df.groupby("instelling")["team"].nunique().iloc[0]
    n = len(df) // (a * b)
    team_means = y.groupby([df["instelling"], df["team"]]).transform("mean")
    inst_means = y.groupby(df["instelling"]).transform("mean")
    ms_within = ((y - team_means) ** 2).sum() / (a * b * (n - 1))
    ms_team = ((team_means - inst_means) ** 2).sum() / (a * (b - 1))
    ms_inst = ((inst_means - y.mean()) ** 2).sum() / (a - 1)
    return (ms_inst - ms_team) / (b * n), (ms_team - ms_within) / n, ms_within


@pytest.fixture(scope="module")
def simulated():
    return nested(seed=2, institutions=40, teams=5, teachers=20, var_institution=0.1, var_team=0.2, var_teacher=1)


def test_variance_shares_recover_known_components(simulated):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = variance_shares(simulated, [MEERWAARDE])
    assert caught == []
    assert result["reden"] is None
    assert (result["n"], result["n_instellingen"], result["n_teams"]) == (4000, 40, 200)
    inst, team, teacher = anova_components(simulated)  # positive here, so REML equals them
    assert result["var_instelling"] == pytest.approx(inst, rel=0.02)
    assert result["var_team"] == pytest.approx(team, rel=0.02)
    assert result["var_docent"] == pytest.approx(teacher, rel=0.005)
    shares = [result["aandeel_instelling"], result["aandeel_team"], result["aandeel_docent"]]
    assert sum(shares) == pytest.approx(1)
    truth = np.array([0.1, 0.2, 1.0]) / 1.3  # .077, .154, .769
    assert shares == pytest.approx(truth.tolist(), abs=0.04)


def test_respondents_without_a_team_form_one_unit_per_institution(simulated):
    df = simulated.copy()
    df["team"] = df["team"].astype(object)
    no_team = df.index % 20 == 0  # the first teacher of every team: every institution has some
    df.loc[no_team, "team"] = None
    df.loc[df.index % 20 == 1, "team"] = ""
    result = variance_shares(df, [MEERWAARDE])
    assert result["n_teams"] == 200 + 40  # one 'zonder team' unit in each of the 40 institutions
    assert result["reden"] is None and NO_TEAM == "zonder team"


def test_too_few_institutions_or_no_scores_give_missing_shares_with_a_reason(simulated):
    one = simulated[simulated["instelling"] == "I00"]
    result = variance_shares(one, [MEERWAARDE])
    assert math.isnan(result["aandeel_instelling"]) and result["reden"]
    none = variance_shares(simulated, [NETWERKEN])  # no item columns of this scale
    assert none["n"] == 0 and math.isnan(none["aandeel_docent"]) and none["reden"]


def test_convergence_trouble_tries_another_optimizer_and_never_warns(simulated, monkeypatch):
    from statsmodels.regression.mixed_linear_model import MixedLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning

    original = MixedLM.fit
    failing: set[str] = set()

    def fit(self, *args, method=None, **kwargs):
        result = original(self, *args, method=method, **kwargs)
        if method in failing:
            warnings.warn("Maximum Likelihood optimization failed to converge.", ConvergenceWarning)
        return result

    monkeypatch.setattr(MixedLM, "fit", fit)
    failing.update({"powell"})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fallback = variance_shares(simulated, [MEERWAARDE])
    assert caught == [] and fallback["optimalisatie"] != "powell" and fallback["reden"] is None
    assert fallback["var_team"] == pytest.approx(anova_components(simulated)[1], rel=0.02)

    failing.update(S.OPTIMIZERS)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        failed = variance_shares(simulated, [MEERWAARDE])
    assert caught == []
    assert math.isnan(failed["aandeel_team"]) and "convergeert niet" in failed["reden"]
    assert failed["n"] == 4000  # the counts are still reported


def test_shipped_data_get_the_best_optimum_not_the_default_optimizers():
    """On the shipped 2022 data statsmodels' default optimiser stops at a worse optimum for 'met'."""
    from statsmodels.regression.mixed_linear_model import MixedLM

    from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS

    rows = load_survey(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS).respondents
    rows = rows[rows["meting"] == 2022]
    result = variance_shares(rows, domain_scales("met"))
    data = pd.DataFrame({"score": practice_score(rows, domain_scales("met")),
                         "instelling": rows["instelling"].astype(str), "team": rows["team"].astype(str)}).dropna()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = MixedLM.from_formula("score ~ 1", groups="instelling", re_formula="1",
                                     vc_formula={"team": "0 + C(team)"}, data=data)
        nelder_mead = model.fit(method="nm", reml=True)  # an independent, derivative-free optimiser
    assert result["n"] == len(data)
    assert result["var_instelling"] == pytest.approx(float(nelder_mead.cov_re.iloc[0, 0]), abs=1e-3)
    assert result["var_team"] == pytest.approx(float(nelder_mead.vcomp[0]), abs=1e-3)
    assert result["var_docent"] == pytest.approx(float(nelder_mead.scale), abs=1e-3)


# -- a group against its benchmark -------------------------------------------------------------
def test_benchmark_differences_against_scipy_and_the_notable_rule():
    from scipy import stats as sps

    from helpers.stats.scales import benchmark_differences

    rng = np.random.default_rng(3)
    scale = "visie_meerwaarde"
    items = CB.scales[scale].items

    def frame(n, shift):
        values = np.clip(np.round(rng.normal(3 + shift, 0.8, size=(n, len(items)))), 1, 5).astype(int)
        return pd.DataFrame(values, columns=items).assign(meting=2022)

    group, reference = frame(120, 0.6), frame(900, 0.0)
    table = benchmark_differences(group, reference, [scale])
    row = table.iloc[0]
    a, b = group[items].mean(axis=1), reference[items].mean(axis=1)
    assert row["n"] == 120 and row["n_referentie"] == 900
    assert row["verschil"] == pytest.approx(a.mean() - b.mean())
    assert row["p"] == pytest.approx(sps.ttest_ind(a, b, equal_var=False).pvalue)
    pooled = np.sqrt(((len(a) - 1) * a.var() + (len(b) - 1) * b.var()) / (len(a) + len(b) - 2))
    g = (a.mean() - b.mean()) / pooled * (1 - 3 / (4 * (len(a) + len(b)) - 9))
    assert row["hedges_g"] == pytest.approx(g, rel=1e-3)
    assert row["opvallend"] and row["effect"] in ("middelgroot", "groot")
    # The same group against itself-like data: not notable.
    same = benchmark_differences(frame(120, 0.0), reference, [scale]).iloc[0]
    assert not same["opvallend"]
