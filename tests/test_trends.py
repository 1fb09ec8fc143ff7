"""Trends between waves (stats/trends.py, Katern B).

Hand-made frames show what a reader would notice: an institution that joins
late must not make a flat trend rise, a change in the mix of teachers must
shrink in the re-weighted comparison, a scale that was not asked is "niet
gemeten", never 0. The numbers are checked against scipy, pingouin and the
formulas written out here; the back-test runs on the shipped data.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers.book.disclosure import SUPPRESSED
from helpers.chapters.katern_b.common import NATIONAL_GROUP
from helpers.chapters.katern_b.trends import summary_paragraph
from helpers.data.codebook import load_codebook
from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS
from helpers.data.validation import load_survey
from helpers.stats.scales import _t_interval
from helpers.stats.trends import (
    DIFFERENCE_COLUMNS,
    TREND_COLUMNS,
    comparable_institutions,
    rake_weights,
    reweighting_changes_verdict,
    scale_trends,
    trend_differences,
    wave_means,
    waves_overview,
    weighted_interval,
)
from helpers.stats.typology import practice_score

CB = load_codebook()
SCALE = "visie_meerwaarde"
OTHER = "geletterd_netwerken"  # a second scale, left empty where a test needs it "not asked"
EXPERIENCE = list(CB.value_labels("ervaring"))


def respondents(wave: int, institution: str, scores, vak: str = "beroeps", other=None,
                functie: str = "docent") -> pd.DataFrame:
    """Teachers of one wave and institution; every item of SCALE equals the given score.

    `other`: scores on OTHER (None: OTHER not answered, as in a wave that did not ask it).
    Experience cycles through the codebook's categories, the same way in every group.
    """
    scores = list(scores)
    frame = pd.DataFrame({
        "meting": wave, "instelling": institution, "functie": functie, "vak": vak,
        "ervaring": [EXPERIENCE[i % len(EXPERIENCE)] for i in range(len(scores))],
    })
    for item in CB.scales[SCALE].items:
        frame[item] = pd.array(scores, dtype="Float64")
    values = other if other is not None else [None] * len(scores)
    for item in CB.scales[OTHER].items:
        frame[item] = pd.array(list(values), dtype="Float64")
    return frame


def survey(*parts: pd.DataFrame) -> pd.DataFrame:
    return pd.concat(parts, ignore_index=True)


def spread(centre: float, n: int) -> list[float]:
    """n scores evenly around `centre` (within ±1), the same list every time it is asked for."""
    return list(np.round(np.linspace(centre - 1, centre + 1, n), 6))


def balanced(centre: float, n: int) -> list[float]:
    """Like :func:`spread`, but every experience category gets the same scores (n a multiple of their number)."""
    k = len(EXPERIENCE)
    assert n % k == 0
    return list(np.repeat(np.round(np.linspace(centre - 1, centre + 1, n // k), 6), k))


def row(table: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for column, value in where.items():
        mask &= table[column] == value
    assert mask.sum() == 1, where
    return table.loc[mask].iloc[0]


# -- (a) an institution joining late -----------------------------------------------------
@pytest.fixture(scope="module")
def newcomer() -> pd.DataFrame:
    """A and B score the same in both waves; C joins in the later wave and scores high."""
    return survey(
        respondents(2020, "A", spread(3.0, 40)), respondents(2020, "B", spread(2.6, 30)),
        respondents(2022, "A", spread(3.0, 40)), respondents(2022, "B", spread(2.6, 30)),
        respondents(2022, "C", spread(4.4, 60)),
    )


def test_a_newcomer_lifts_the_national_mean_but_not_the_comparable_trend(newcomer):
    score = practice_score(newcomer, [SCALE], CB)
    national = score.groupby(newcomer["meting"]).mean()
    assert national[2022] - national[2020] > 0.5  # what a naive table would report

    assert comparable_institutions(newcomer, 2020, 2022) == ["A", "B"]
    trends = scale_trends(newcomer, [SCALE], codebook=CB)
    early = row(trends, meting=2020, basis="vergelijkbaar", schaal=SCALE)
    late = row(trends, meting=2022, basis="vergelijkbaar", schaal=SCALE)
    assert late["gemiddelde"] == pytest.approx(early["gemiddelde"], abs=1e-12)
    assert late["n"] == early["n"] == 70 and late["n_instellingen"] == 2

    diff = row(trend_differences(newcomer, [SCALE], codebook=CB), schaal=SCALE)
    assert diff["verschil"] == pytest.approx(0, abs=1e-12)
    assert diff["n_instellingen"] == 2 and not diff["opvallend"] and not diff["steekproefeffect"]


# -- (b) a change in the mix of teachers ---------------------------------------------------
@pytest.fixture(scope="module")
def more_avo() -> pd.DataFrame:
    """Same institution, same scores per group; avo teachers score higher and are 30% in 2020, 70% in 2022.

    Experience is spread evenly over every group, so only the mix of vak changes.
    """
    return survey(
        respondents(2020, "A", balanced(3.0, 126), vak="beroeps"), respondents(2020, "A", balanced(4.0, 54), vak="avo"),
        respondents(2022, "A", balanced(3.0, 54), vak="beroeps"), respondents(2022, "A", balanced(4.0, 126), vak="avo"),
    )


def test_b_reweighting_removes_a_change_that_only_the_mix_made(more_avo):
    diff = row(trend_differences(more_avo, [SCALE], codebook=CB), schaal=SCALE)
    assert diff["verschil"] == pytest.approx(0.4, abs=1e-9)  # (0.7 − 0.3) × 1 point
    assert diff["opvallend"] and diff["effect"] != "verwaarloosbaar"
    assert abs(diff["verschil_herwogen"]) < 1e-6 < abs(diff["verschil"])
    assert not diff["opvallend_herwogen"]
    assert diff["steekproefeffect"]  # the verdict changes: the book must say so

    trends = scale_trends(more_avo, [SCALE], codebook=CB)
    assert row(trends, meting=2020, basis="herwogen")["gemiddelde"] == pytest.approx(
        row(trends, meting=2022, basis="vergelijkbaar")["gemiddelde"], abs=1e-6)
    # The reference wave is never weighted: its re-weighted row is its plain row.
    plain, weighted = row(trends, meting=2022, basis="vergelijkbaar"), row(trends, meting=2022, basis="herwogen")
    assert plain.drop("basis").equals(weighted.drop("basis"))


@pytest.fixture(scope="module")
def flipped_sign() -> pd.DataFrame:
    """Re-weighting turns +0.01 into −0.003, both far from significant."""
    return survey(
        respondents(2020, "A", balanced(3.0, 240), vak="beroeps"),
        respondents(2020, "A", balanced(4.0, 240), vak="avo"),
        respondents(2022, "A", balanced(2.997, 234), vak="beroeps"),
        respondents(2022, "A", balanced(3.997, 246), vak="avo"),
    )


def test_a_flipped_sign_of_a_negligible_difference_is_no_steekproefeffect(flipped_sign):
    diff = row(trend_differences(flipped_sign, [SCALE], codebook=CB), schaal=SCALE)
    assert diff["verschil"] > 0 > diff["verschil_herwogen"]  # the sign flips ...
    assert diff["p_holm"] > 0.5 and diff["p_holm_herwogen"] > 0.5  # ... of a difference nobody would call one
    assert not diff["opvallend"] and not diff["opvallend_herwogen"]
    assert not diff["steekproefeffect"]


def test_the_page_says_the_verdict_stands_when_only_a_negligible_sign_flips(flipped_sign):
    differences = trend_differences(flipped_sign, [SCALE], codebook=CB).assign(
        groep=NATIONAL_GROUP, **{SUPPRESSED: False})
    text = summary_paragraph(None, differences, "visie")  # the context is only asked for when nothing is shown
    assert "blijft dat oordeel gelijk" in text
    assert "hangt het oordeel af van de samenstelling" not in text


def test_steekproefeffect_is_a_change_of_the_notable_verdict():
    """Constructed rows: only where the book's verdict (notably higher / lower / neither) differs is it raised."""
    table = pd.DataFrame([
        # sign flips, p_holm 1.0 on both bases: not notable either way
        dict(verschil=0.003, opvallend=False, verschil_herwogen=-0.003, opvallend_herwogen=False),
        # notable plain, not notable re-weighted (same sign): the verdict depends on the composition
        dict(verschil=0.40, opvallend=True, verschil_herwogen=0.05, opvallend_herwogen=False),
        # not notable plain, notable re-weighted
        dict(verschil=-0.02, opvallend=False, verschil_herwogen=-0.30, opvallend_herwogen=True),
        # notably higher against notably lower
        dict(verschil=0.40, opvallend=True, verschil_herwogen=-0.40, opvallend_herwogen=True),
        # notably higher on both
        dict(verschil=0.40, opvallend=True, verschil_herwogen=0.35, opvallend_herwogen=True),
        # no re-weighted difference (nobody to weigh): no verdict to compare
        dict(verschil=0.40, opvallend=True, verschil_herwogen=math.nan, opvallend_herwogen=False),
    ])
    assert reweighting_changes_verdict(table).tolist() == [False, True, True, True, False, False]


def test_without_a_change_of_mix_the_reweighted_numbers_are_the_plain_ones():
    frame = survey(
        respondents(2020, "A", balanced(3.0, 48), vak="beroeps"), respondents(2020, "A", balanced(3.5, 48), vak="avo"),
        respondents(2022, "A", balanced(3.3, 78), vak="beroeps"), respondents(2022, "A", balanced(3.8, 78), vak="avo"),
    )
    diff = row(trend_differences(frame, [SCALE], codebook=CB), schaal=SCALE)
    assert diff["verschil_herwogen"] == pytest.approx(diff["verschil"], abs=1e-9)
    assert diff["hedges_g_herwogen"] == pytest.approx(diff["hedges_g"], rel=1e-9)
    assert diff["p_herwogen"] == pytest.approx(diff["p"], rel=1e-6)
    assert diff["n_eerder_effectief"] == pytest.approx(96)
    assert not diff["steekproefeffect"]


def test_plain_difference_is_welch_and_hedges_g():
    rng = np.random.default_rng(3)
    early, late = np.round(rng.uniform(1, 5, 80), 2), np.round(rng.uniform(1.5, 5, 120), 2)
    frame = survey(respondents(2020, "A", early), respondents(2022, "A", late))
    diff = row(trend_differences(frame, [SCALE], codebook=CB), schaal=SCALE)
    assert diff["p"] == pytest.approx(stats.ttest_ind(late, early, equal_var=False).pvalue, rel=1e-9)
    pooled = math.sqrt((79 * early.var(ddof=1) + 119 * late.var(ddof=1)) / 198)
    g = (late.mean() - early.mean()) / pooled * (1 - 3 / (4 * 200 - 9))
    assert diff["hedges_g"] == pytest.approx(g, rel=1e-9)
    assert diff["verschil"] == pytest.approx(late.mean() - early.mean())
    assert diff["p_holm"] == pytest.approx(diff["p"])  # a family of one


# -- raking ------------------------------------------------------------------------------
def margins_frame(n: int, seed: int, p_avo: float) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "functie": rng.choice(["docent", "instructeur", "overig"], n, p=[0.7, 0.2, 0.1]),
        "vak": rng.choice(["avo", "beroeps"], n, p=[p_avo, 1 - p_avo]),
        "ervaring": rng.choice(EXPERIENCE, n),
    })


def shares(frame: pd.DataFrame, column: str, weights=None) -> pd.Series:
    w = pd.Series(1.0, index=frame.index) if weights is None else weights
    return w.groupby(frame[column]).sum() / w.sum()


def test_raking_reproduces_the_target_margins():
    df, target = margins_frame(600, 1, 0.2), margins_frame(900, 2, 0.6)
    weights = rake_weights(df, target)
    assert weights.attrs["geconvergeerd"] and weights.attrs["marges"] == ["functie", "vak", "ervaring"]
    assert weights.mean() == pytest.approx(1)
    for margin in ("functie", "vak", "ervaring"):
        got, want = shares(df, margin, weights), shares(target, margin)
        assert (got - want.reindex(got.index)).abs().max() < 1e-6


def test_raking_missing_codes_and_categories():
    df, target = margins_frame(300, 4, 0.3), margins_frame(400, 5, 0.5)
    df.loc[:9, "vak"] = None  # missing code: left out
    target = target[target["functie"] != "overig"]  # in df, not in the target: weight 0
    df = df[df["ervaring"] != EXPERIENCE[0]]  # in the target, not in df: skipped, the rest rescaled
    weights = rake_weights(df, target)
    assert weights[df["vak"].isna()].isna().all() and weights[df["vak"].notna()].notna().all()
    kept = df["vak"].notna()
    assert (weights[kept & (df["functie"] == "overig")] == 0).all()
    got = shares(df[kept], "ervaring", weights[kept])
    want = shares(target.dropna(), "ervaring").drop(EXPERIENCE[0])
    assert (got - want / want.sum()).abs().max() < 1e-6
    assert weights[kept].mean() == pytest.approx(1)


def test_raking_without_anyone_to_weigh_does_not_fail():
    df = pd.DataFrame({"functie": ["overig", "docent"], "vak": ["avo", "beroeps"], "ervaring": ["lt1", "lt1"]})
    target = pd.DataFrame({"functie": ["docent"], "vak": ["avo"], "ervaring": ["lt1"]})
    weights = rake_weights(df, target)  # the target's teachers are not in df: every weight 0
    assert (weights == 0).all() and not weights.attrs["geconvergeerd"]
    empty = rake_weights(df.iloc[:0], target)
    assert empty.empty and empty.attrs["geconvergeerd"]
    assert weighted_interval([3.0, 4.0], weights)[4] == 0


# -- weighted interval ---------------------------------------------------------------------
def test_weighted_interval_equal_weights_is_the_t_interval_and_kish_n():
    x = np.array([1.0, 2.5, 3.0, 4.0, 4.5, 2.0])
    mean, sd, low, high, n_eff = weighted_interval(x, np.full(len(x), 2.0))
    assert (mean, sd, low, high) == pytest.approx(_t_interval(x))
    assert n_eff == pytest.approx(len(x))

    w = np.array([1.0, 2.0, 0.5, 1.5, 1.0, 3.0])
    mean, sd, low, high, n_eff = weighted_interval(x, w)
    n_kish = w.sum() ** 2 / (w ** 2).sum()
    m = (w * x).sum() / w.sum()
    s = math.sqrt((w * (x - m) ** 2).sum() / w.sum() * n_kish / (n_kish - 1))
    half = stats.t.ppf(0.975, n_kish - 1) * s / math.sqrt(n_kish)
    assert (mean, sd, low, high, n_eff) == pytest.approx((m, s, m - half, m + half, n_kish))
    assert math.isnan(weighted_interval([3.0], [1.0])[1]) and math.isnan(weighted_interval([], [])[0])


# -- a scale not measured in a wave --------------------------------------------------------
def test_a_scale_not_asked_in_the_earlier_wave_is_niet_gemeten_not_zero():
    frame = survey(respondents(2017, "A", spread(3.0, 20)),  # OTHER not asked in the earlier wave
                   respondents(2022, "A", spread(3.2, 20), other=spread(3.5, 20)))
    diff = trend_differences(frame, [SCALE, OTHER], codebook=CB)
    missing = row(diff, schaal=OTHER)
    assert not missing["gemeten"] and missing["niet_gemeten_in"] == (2017,)
    assert pd.isna(missing["verschil"]) and pd.isna(missing["gemiddelde_later"]) and pd.isna(missing["n_eerder"])
    assert not missing["opvallend"] and not missing["steekproefeffect"]
    measured = row(diff, schaal=SCALE)
    assert measured["gemeten"] and measured["niet_gemeten_in"] == () and math.isfinite(measured["p_holm"])

    trends = scale_trends(frame, [SCALE, OTHER], codebook=CB)
    early = trends[(trends["schaal"] == OTHER) & (trends["meting"] == 2017)]
    assert len(early) == 2 and not early["gemeten"].any()
    assert early[["n", "gemiddelde", "sd", "ci_laag", "ci_hoog"]].isna().all().all()
    late = row(trends, schaal=OTHER, meting=2022, basis="vergelijkbaar")
    assert late["gemeten"] and late["gemiddelde"] == pytest.approx(3.5)


def test_a_scale_without_columns_is_not_measured_in_either_wave():
    frame = survey(respondents(2020, "A", spread(3.0, 10)), respondents(2022, "A", spread(3.0, 10)))
    absent = "met_data"
    diff = row(trend_differences(frame, [absent], codebook=CB), schaal=absent)
    assert not diff["gemeten"] and diff["niet_gemeten_in"] == (2020, 2022)


# -- any waves, one wave -------------------------------------------------------------------
def test_two_waves_four_years_apart():
    frame = survey(respondents(2020, "A", spread(3.0, 30)), respondents(2020, "B", spread(3.0, 30)),
                   respondents(2024, "A", spread(3.4, 30)))
    trends = scale_trends(frame, [SCALE], codebook=CB)
    assert set(trends["vergelijking"]) == {"2020-2024"} and set(trends["meting"]) == {2020, 2024}
    assert len(trends) == 4 and (trends["n_instellingen"] == 1).all()
    diff = row(trend_differences(frame, [SCALE], codebook=CB), schaal=SCALE)
    assert (diff["meting_eerder"], diff["meting_later"]) == (2020, 2024)
    assert diff["verschil"] == pytest.approx(0.4)


def test_every_earlier_wave_is_compared_with_the_reference_wave():
    frame = survey(*(respondents(w, "A", spread(3.0 + k / 10, 20)) for k, w in enumerate((2017, 2020, 2022))))
    diff = trend_differences(frame, [SCALE], codebook=CB)
    assert list(diff["vergelijking"]) == ["2017-2022", "2020-2022"]
    middle = trend_differences(frame, [SCALE], reference_wave=2020, codebook=CB)
    assert list(middle["vergelijking"]) == ["2017-2020"]
    assert scale_trends(frame, [SCALE], reference_wave=2017, codebook=CB).empty
    with pytest.raises(ValueError, match="komt niet voor"):
        scale_trends(frame, [SCALE], reference_wave=2019, codebook=CB)


def test_a_single_wave_gives_empty_tables_with_the_columns():
    frame = respondents(2022, "A", spread(3.0, 10))
    trends = scale_trends(frame, [SCALE], codebook=CB)
    diff = trend_differences(frame, [SCALE], codebook=CB)
    assert trends.empty and list(trends.columns) == TREND_COLUMNS
    assert diff.empty and list(diff.columns) == DIFFERENCE_COLUMNS
    overview = waves_overview(frame)
    assert list(overview["n_respondenten"]) == [10, 10]
    assert overview["instellingen_in_1_metingen"].tolist() == [1, 1]


def test_no_comparable_institutions_gives_n_zero_not_an_error():
    frame = survey(respondents(2020, "A", spread(3.0, 10)), respondents(2022, "B", spread(3.0, 10)))
    trends = scale_trends(frame, [SCALE], codebook=CB)
    assert (trends["n"] == 0).all() and trends["gemeten"].all() and trends["gemiddelde"].isna().all()
    diff = row(trend_differences(frame, [SCALE], codebook=CB), schaal=SCALE)
    assert diff["gemeten"] and diff["n_instellingen"] == 0 and pd.isna(diff["p"])


# -- waves overview ------------------------------------------------------------------------
def test_waves_overview_counts_from_the_data():
    frame = survey(respondents(2017, "A", [3] * 4), respondents(2020, "A", [3] * 2), respondents(2020, "B", [3] * 3),
                   respondents(2022, "A", [3] * 5), respondents(2022, "C", [3] * 1))
    institutions = pd.DataFrame({"instelling": ["A", "B", "C"],
                                 "type": pd.Categorical(["roc", "aoc", "roc"], categories=["roc", "aoc", "vakschool"])})
    table = waves_overview(frame, institutions)
    assert table["meting"].tolist()[:3] == [2017, 2020, 2022] and pd.isna(table["meting"].iloc[3])
    assert table["n_respondenten"].tolist() == [4, 5, 6, 15]
    assert table["n_instellingen"].tolist() == [1, 2, 2, 3]
    assert table["n_instellingen_roc"].tolist() == [1, 1, 2, 2]
    assert table["n_respondenten_aoc"].tolist() == [0, 3, 0, 3]
    assert "n_instellingen_vakschool" not in table  # no such institution in the data
    # A took part three times, B and C once.
    assert table["instellingen_in_1_metingen"].tolist() == [0, 1, 1, 2]
    assert table["instellingen_in_3_metingen"].tolist() == [1, 1, 1, 1]
    assert table["instellingen_in_2_metingen"].tolist() == [0, 0, 0, 0]


# -- back-test on the shipped data ---------------------------------------------------------
@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return load_survey(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS).respondents


def test_backtest_shipped_data(shipped):
    waves = sorted(shipped["meting"].unique())
    scales = list(CB.scales)
    diff = trend_differences(shipped, scales, codebook=CB)
    trends = scale_trends(shipped, scales, codebook=CB)
    expected = [f"{w}-{waves[-1]}" for w in waves[:-1]]
    assert list(dict.fromkeys(diff["vergelijking"])) == expected
    assert len(diff) == len(expected) * len(scales)
    assert len(trends) == len(expected) * 2 * 2 * len(scales)
    for earlier in waves[:-1]:
        common = comparable_institutions(shipped, earlier, waves[-1])
        part = diff[diff["meting_eerder"] == earlier]
        assert common and (part["n_instellingen"] == len(common)).all()
        for _, d in part.iterrows():
            asked = [w for w in (earlier, waves[-1])
                     if practice_score(shipped[shipped["meting"] == w], [d["schaal"]], CB).notna().any()]
            assert d["gemeten"] == (len(asked) == 2)
            assert d["niet_gemeten_in"] == tuple(w for w in (earlier, waves[-1]) if w not in asked)
            numbers = d[["gemiddelde_eerder", "gemiddelde_later", "verschil", "hedges_g", "p", "p_holm",
                         "verschil_herwogen", "hedges_g_herwogen", "p_holm_herwogen"]].astype(float)
            assert np.isfinite(numbers).all() if d["gemeten"] else numbers.isna().all()
    measured = trends[trends["gemeten"]]
    assert np.isfinite(measured[["gemiddelde", "sd", "ci_laag", "ci_hoog", "n_effectief"]].to_numpy()).all()
    assert (measured["ci_laag"] < measured["gemiddelde"]).all() and (measured["gemiddelde"] < measured["ci_hoog"]).all()

    # The comparable means are plain means over the comparable institutions' respondents.
    earlier = waves[0]
    common = comparable_institutions(shipped, earlier, waves[-1])
    rows = shipped[(shipped["meting"] == earlier) & shipped["instelling"].isin(common)]
    plain = row(trends, vergelijking=expected[0], meting=earlier, basis="vergelijkbaar", schaal=SCALE)
    assert plain["gemiddelde"] == pytest.approx(practice_score(rows, [SCALE], CB).mean())


def test_backtest_overview_shipped_data(shipped):
    table = waves_overview(shipped)
    per_wave = table[table["meting"].notna()]
    assert per_wave["n_respondenten"].sum() == len(shipped) == table["n_respondenten"].iloc[-1]
    assert per_wave["n_instellingen"].tolist() == shipped.groupby("meting")["instelling"].nunique().tolist()
    k_columns = [c for c in table if c.startswith("instellingen_in_")]
    assert len(k_columns) == shipped["meting"].nunique()
    assert table[k_columns].iloc[-1].sum() == shipped["instelling"].nunique()


# -- every wave at once ----------------------------------------------------------------------
def test_over_all_waves_a_late_joiner_moves_no_point_and_a_wave_that_did_not_ask_is_empty():
    """A stays at 3.0 in every wave; B joins in the last wave at 4.5: A alone is compared. OTHER skips the middle
    wave, so over its waves B (absent in the first) is left out too, and the middle wave has no number."""
    frame = survey(respondents(2017, "A", spread(3.0, 20), other=spread(2.0, 20)),
                   respondents(2020, "A", spread(3.0, 20)),
                   respondents(2022, "A", spread(3.0, 20), other=spread(2.5, 20)),
                   respondents(2022, "B", spread(4.5, 20), other=spread(4.5, 20)))
    means = wave_means(frame, [SCALE, OTHER], codebook=CB)
    scale = means.loc[means["schaal"] == SCALE]
    assert list(scale["meting"]) == [2017, 2020, 2022] and scale["gemeten"].all()
    assert scale["gemiddelde"].to_numpy() == pytest.approx([3.0, 3.0, 3.0]), "the late joiner lifts the last point"
    assert (scale["n"] == 20).all() and (scale["n_instellingen"] == 1).all()
    assert scale["ci_laag"].iloc[0] == pytest.approx(_t_interval(np.array(spread(3.0, 20)))[2])
    other = means.loc[means["schaal"] == OTHER].set_index("meting")
    assert list(other["gemeten"]) == [True, False, True] and (other["metingen_gevraagd"] == 2).all()
    assert math.isnan(other.loc[2020, "gemiddelde"]) and pd.isna(other.loc[2020, "n"]), "not asked is never 0"
    assert other.loc[2022, "gemiddelde"] == pytest.approx(2.5)
    assert wave_means(respondents(2022, "A", spread(3.0, 10)), [SCALE], codebook=CB)["n"].tolist() == [10]
