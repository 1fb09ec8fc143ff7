"""Exact tails: every p-value of the book is a survival function, however small (helpers.stats.pvalues).

For each test family the book uses, a hand-made frame gives a p below
1e-12; the book's p must match scipy's exact ``sf`` of the statistic,
computed here from the formulas, to a relative 1e-6 (1 − CDF is off by up to
17% below 1e-9, and stuck or 0 below 1e-13). A second frame makes the exact
p smaller than the smallest double: the book must report a positive p, never
p = 0.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats
from statsmodels.formula.api import ols
from statsmodels.stats.anova import anova_lm

from helpers.data.codebook import load_codebook
from helpers.data.derive import THEME_COUNT
from helpers.stats import professionalisation_effect as pe
from helpers.stats.association import chi_square
from helpers.stats.competence import theme_count_correlations
from helpers.stats.pvalues import SMALLEST_P, _range_tail, reported_p, studentized_range_sf
from helpers.stats.scales import benchmark_differences, group_differences, pairwise_differences, practice_regression
from helpers.stats.trends import trend_differences

CB = load_codebook()
SCALE = "visie_meerwaarde"  # any scale: the frames fill its items with the score
TINY = 1e-12  # every "small" case must give a p below this
REL = 1e-6


def scored(scores, **columns) -> pd.DataFrame:
    """One row per score; every item of SCALE equals the score (so the scale score is the score)."""
    scores = np.asarray(scores, dtype=float)
    frame = pd.DataFrame({"meting": 2022, "instelling": "A", **columns}, index=range(len(scores)))
    for item in CB.scales[SCALE].items:
        frame[item] = pd.array(scores, dtype="Float64")
    return frame


def groups_frame(by: str, groups: dict[str, np.ndarray]) -> pd.DataFrame:
    return scored(np.concatenate(list(groups.values())),
                  **{by: np.repeat(list(groups), [len(v) for v in groups.values()])})


def sample(mean: float, n: int, sd: float, seed: int) -> np.ndarray:
    """n scores with exactly this mean and sd, rounded to 2 decimals (as the items would allow)."""
    noise = np.random.default_rng(seed).standard_normal(n)
    return np.round(mean + (noise - noise.mean()) / noise.std(ddof=1) * sd, 2)


def welch(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Welch's t and its Welch-Satterthwaite degrees of freedom."""
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    dof = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return (a.mean() - b.mean()) / math.sqrt(va + vb), dof


def assert_exact(p, exact):
    assert 0 < exact < TINY, exact  # the case is in the far tail ...
    assert p == pytest.approx(exact, rel=REL, abs=0)  # ... and the book's p is its exact value


def assert_positive(p):
    assert p > 0, "a p too small for a double is reported as the smallest double, never 0"


# -- the studentized range itself --------------------------------------------------------
def test_studentized_range_sf_for_two_means_is_the_t_tail():
    # k = 2 is exact through the t distribution: the integration must find the same tail.
    for df in (3.0, 57.3, 2974.2):
        for q in (4.0, 12.0, 25.0):
            exact = 2 * stats.t.sf(q / math.sqrt(2), df)
            assert _range_tail(q, 2, df) == pytest.approx(exact, rel=1e-8, abs=0), (q, df)
            assert studentized_range_sf(q, 2, df) == exact


def test_studentized_range_sf_agrees_with_scipy_where_one_minus_cdf_still_works():
    for k in (3, 4, 6):
        for df in (5.0, 250.0, 3000.0):
            for q in (1.0, 3.0, 5.0):
                assert studentized_range_sf(q, k, df) == pytest.approx(stats.studentized_range.sf(q, k, df),
                                                                       rel=1e-6, abs=0), (q, k, df)


def test_studentized_range_sf_in_the_far_tail_against_adaptive_quadrature():
    """k = 3, p ≈ 7e-13, where scipy's 1 − CDF is 2% off: an independent double integral (quadpack)."""
    q, k, df = 14.0, 3, 50.0

    def range_tail(r):  # P(R > r) = k ∫ φ(z) Φ̄(z)^(k−1) [1 − (1 − Φ̄(z + r)/Φ̄(z))^(k−1)] dz
        def integrand(z):
            upper = special.ndtr(-z)
            rho = min(special.ndtr(-(z + r)) / upper, 1.0)
            density = k * math.exp(-z * z / 2) / math.sqrt(2 * math.pi) * upper ** (k - 1)
            return density * -math.expm1((k - 1) * math.log1p(-rho)) if rho < 1 else density
        return integrate.quad(integrand, min(-r / 2 - 12, -12), 12, points=[-r / 2], epsabs=0, epsrel=1e-10,
                              limit=200)[0]

    reference = integrate.quad(lambda s: 2 * df * s * stats.chi2.pdf(df * s * s, df) * range_tail(q * s),
                               0, 3, points=[0.5, 1], epsabs=0, epsrel=1e-9, limit=200)[0]
    assert reference < TINY
    assert studentized_range_sf(q, k, df) == pytest.approx(reference, rel=REL, abs=0)
    assert abs(stats.studentized_range.sf(q, k, df) / reference - 1) > 0.01  # why this module exists


def test_reported_p_is_never_zero_and_keeps_missing():
    assert reported_p(0.0) == SMALLEST_P > 0
    assert reported_p(0.03) == 0.03
    assert math.isnan(reported_p(math.nan))
    assert list(reported_p(np.array([0.0, 0.5]))) == [SMALLEST_P, 0.5]
    series = reported_p(pd.Series([0.0, np.nan], index=[3, 4]))
    assert series.index.tolist() == [3, 4] and series.iloc[0] == SMALLEST_P and np.isnan(series.iloc[1])


# -- the book's test families ------------------------------------------------------------
def test_welch_anova():
    groups = {"docent": sample(2.6, 150, 0.6, 1), "instructeur": sample(3.1, 120, 0.4, 2),
              "overig": sample(3.4, 100, 0.8, 3)}
    row = group_differences(groups_frame("functie", groups), [SCALE], ["functie"], CB).iloc[0]
    n = np.array([len(v) for v in groups.values()])
    m = np.array([v.mean() for v in groups.values()])
    w = n / np.array([v.var(ddof=1) for v in groups.values()])
    k, centre = len(n), (w * m).sum() / w.sum()
    extra = ((1 - w / w.sum()) ** 2 / (n - 1)).sum()
    f = ((w * (m - centre) ** 2).sum() / (k - 1)) / (1 + 2 * (k - 2) / (k ** 2 - 1) * extra)
    assert_exact(row["p"], stats.f.sf(f, k - 1, (k ** 2 - 1) / (3 * extra)))

    far = {"docent": sample(1.5, 200, 0.1, 1), "instructeur": sample(3.0, 200, 0.1, 2),
           "overig": sample(4.5, 200, 0.1, 3)}
    assert_positive(group_differences(groups_frame("functie", far), [SCALE], ["functie"], CB).iloc[0]["p"])


def test_welch_t():
    a, b = sample(3.4, 150, 0.7, 4), sample(2.8, 300, 0.9, 5)
    t, df = welch(a, b)
    exact = 2 * stats.t.sf(abs(t), df)
    row = benchmark_differences(scored(a), scored(b), [SCALE], CB).iloc[0]
    assert_exact(row["p"], exact)
    trend = trend_differences(pd.concat([scored(b).assign(meting=2020), scored(a)], ignore_index=True).assign(
        functie="docent", vak="avo", ervaring="1-3"), [SCALE], codebook=CB).iloc[0]
    assert_exact(trend["p"], exact)
    assert_exact(trend["p_herwogen"], exact)  # one composition: the weights are all 1

    far_a, far_b = sample(4.5, 400, 0.2, 4), sample(1.5, 400, 0.2, 5)
    assert_positive(benchmark_differences(scored(far_a), scored(far_b), [SCALE], CB).iloc[0]["p"])
    far = trend_differences(pd.concat([scored(far_b).assign(meting=2020), scored(far_a)], ignore_index=True).assign(
        functie="docent", vak="avo", ervaring="1-3"), [SCALE], codebook=CB).iloc[0]
    assert_positive(far["p"])
    assert_positive(far["p_herwogen"])


def test_games_howell_two_groups():
    """With two groups the studentized range is √2|t|: the p is Welch's, exactly."""
    avo, beroeps = sample(3.6, 200, 0.6, 6), sample(3.0, 300, 0.8, 7)
    row = pairwise_differences(groups_frame("vak", {"avo": avo, "beroeps": beroeps}), SCALE, "vak", CB).iloc[0]
    t, df = welch(avo, beroeps)
    assert_exact(row["p"], 2 * stats.t.sf(abs(t), df))

    far = groups_frame("vak", {"avo": sample(4.5, 300, 0.2, 6), "beroeps": sample(1.5, 300, 0.2, 7)})
    assert_positive(pairwise_differences(far, SCALE, "vak", CB).iloc[0]["p"])


def test_games_howell_three_groups():
    groups = {"docent": sample(2.6, 150, 0.6, 8), "instructeur": sample(3.2, 150, 0.5, 9),
              "overig": sample(3.0, 150, 0.9, 10)}
    table = pairwise_differences(groups_frame("functie", groups), SCALE, "functie", CB)
    row = table.loc[(table["groep_a"] == "docent") & (table["groep_b"] == "instructeur")].iloc[0]
    t, df = welch(groups["docent"], groups["instructeur"])
    assert_exact(row["p"], studentized_range_sf(math.sqrt(2) * abs(t), 3, df))


def _form_frame(design: dict[str, tuple[float, int, float]], seed: int) -> pd.DataFrame:
    """One wave; per form (mean, n, sd) of the scale; activities make the form."""
    short = next(c for c, d in CB.activity_duration.items() if d == pe.SHORT)
    long = next(c for c, d in CB.activity_duration.items() if d == pe.LONG)
    parts = []
    for i, (form, (mean, n, sd)) in enumerate(design.items()):
        part = scored(sample(mean, n, sd, seed + i))
        for activity in CB.activities:
            part[activity] = 0
        part[short] = int(form in (pe.SHORT_ONLY, pe.SHORT_AND_LONG))
        part[long] = int(form in (pe.LONG_ONLY, pe.SHORT_AND_LONG))
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def test_games_howell_of_the_best_form():
    design = {pe.NONE: (2.5, 100, 0.7), pe.SHORT_ONLY: (2.9, 100, 0.7), pe.LONG_ONLY: (3.0, 80, 0.7),
              pe.SHORT_AND_LONG: (3.3, 300, 0.7)}
    frame = _form_frame(design, seed=11)
    row = pe.best_form(frame, [SCALE], codebook=CB).set_index("vorm").loc[pe.NONE]
    scores = frame[CB.scales[SCALE].items[0]].astype(float).to_numpy()
    form = pe.professionalisation_form(frame, CB).to_numpy()
    t, df = welch(scores[form == pe.SHORT_AND_LONG], scores[form == pe.NONE])
    assert_exact(row["p"], studentized_range_sf(math.sqrt(2) * abs(t), 4, df))


def test_chi_square():
    vak = np.repeat(["avo", "beroeps"], 400)
    chosen = np.r_[np.arange(400) < 40, np.arange(400) < 240].astype(int)
    result = chi_square(pd.DataFrame({"vak": vak, "thema": chosen}), "thema", "vak")
    observed = np.array([[360, 40], [160, 240]])
    expected = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0) / observed.sum()
    assert_exact(result.p, stats.chi2.sf(((observed - expected) ** 2 / expected).sum(), 1))

    separated = pd.DataFrame({"vak": np.repeat(["avo", "beroeps"], 2000), "thema": np.repeat([0, 1], 2000)})
    assert_positive(chi_square(separated, "thema", "vak").p)


def _waves_by_form(gap_early: float, gap_late: float, n: int, sd: float) -> pd.DataFrame:
    frames = []
    for wave, gap in ((2020, gap_early), (2022, gap_late)):
        design = {pe.NONE: (3.0, n, sd), pe.SHORT_AND_LONG: (3.0 + gap, n + 37, sd)}  # unbalanced, as the data
        frames.append(_form_frame(design, seed=wave).assign(meting=wave))
    return pd.concat(frames, ignore_index=True)


def test_two_way_anova():
    frame = _waves_by_form(0.0, 0.7, 300, 0.6)
    row = pe.wave_by_form(frame, [SCALE], codebook=CB).set_index("term").loc[pe.INTERACTION_TERM]
    data = pd.DataFrame({"score": frame[CB.scales[SCALE].items[0]].astype(float),
                         "meting": frame["meting"].astype(str),
                         "vorm": pe.professionalisation_form(frame, CB).astype(str)})
    table = anova_lm(ols("score ~ C(meting) * C(vorm)", data).fit(), typ=2)
    term = "C(meting):C(vorm)"
    assert_exact(row["p"], stats.f.sf(table.loc[term, "F"], table.loc[term, "df"], table.loc["Residual", "df"]))

    far = pe.wave_by_form(_waves_by_form(-1.5, 1.5, 400, 0.2), [SCALE], codebook=CB)
    assert_positive(far.set_index("term").loc[pe.INTERACTION_TERM, "p"])


def _regression_frame(noise_sd: float, n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(12)
    predictors = {"visie_meerwaarde": np.round(rng.uniform(1, 5, n), 2),
                  "geletterd_netwerken": np.round(rng.uniform(1, 5, n), 2)}
    outcome = np.round(1 + 0.5 * predictors["visie_meerwaarde"] + 0.1 * predictors["geletterd_netwerken"]
                       + rng.normal(0, noise_sd, n), 2)
    frame = pd.DataFrame({"meting": np.full(n, 2022)})
    for sid, values in [*predictors.items(), ("met_data", outcome)]:
        for item in CB.scales[sid].items:
            frame[item] = pd.array(values, dtype="Float64")
    return frame


def test_regression():
    frame = _regression_frame(0.5)
    coefficients, fit = practice_regression(frame, "met", CB)
    x = np.column_stack([frame[CB.scales[sid].items[0]].astype(float) for sid in coefficients["schaal"]])
    y = frame[CB.scales["met_data"].items[0]].astype(float).to_numpy()
    z = lambda v: (v - v.mean(axis=0)) / v.std(axis=0, ddof=1)  # noqa: E731
    design = np.column_stack([np.ones(len(y)), z(x)])
    beta, *_ = np.linalg.lstsq(design, z(y), rcond=None)
    residual_df = len(y) - design.shape[1]
    sigma2 = ((z(y) - design @ beta) ** 2).sum() / residual_df
    se = np.sqrt(np.diag(sigma2 * np.linalg.inv(design.T @ design)))
    t = beta[1:] / se[1:]
    strongest = int(np.argmax(np.abs(t)))
    assert_exact(coefficients["p"].iloc[strongest], 2 * stats.t.sf(abs(t[strongest]), residual_df))

    far, _ = practice_regression(_regression_frame(0.001), "met", CB)
    assert (far["p"] > 0).all()


def test_spearman_correlation():
    rng = np.random.default_rng(13)
    count = rng.integers(0, 10, 400)
    score = np.round(np.clip(1 + 0.35 * count + rng.normal(0, 0.9, 400), 1, 5), 2)
    frame = scored(score, **{THEME_COUNT: pd.array(count, dtype="Int64")})
    row = theme_count_correlations(frame).set_index("schaal").loc[SCALE]
    rho = stats.spearmanr(score, count).statistic
    t = rho * math.sqrt((len(score) - 2) / (1 - rho ** 2))
    assert_exact(row["p"], 2 * stats.t.sf(abs(t), len(score) - 2))

    order = np.arange(2000)
    nearly = order.copy()
    nearly[::100] = nearly[::100] + 50  # a few teachers out of line: rho just below 1, p far below any double
    frame = scored(np.round(1 + nearly / 600, 4), **{THEME_COUNT: pd.array(order, dtype="Int64")})
    row = theme_count_correlations(frame).set_index("schaal").loc[SCALE]
    assert row["rho"] < 1
    assert_positive(row["p"])
