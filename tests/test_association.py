"""Chi-square tests, adjusted residuals and Holm (stats/association.py).

scipy does the test on the tabulated counts; every number is checked here
against pingouin's chi2_independence on the respondent rows (the client's
statistics package), the formula for Cramér's V, a hand computation of Haberman's adjusted residuals
and a hand computation of Holm's step-down adjustment.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy.stats import chi2_contingency

from helpers.data.codebook import load_codebook
from helpers.stats.association import (
    BACKGROUND,
    adjusted_residuals,
    associations,
    chi_square,
    deviating_groups,
)


def frame_from_table(table, by: str = "groep", outcome: str = "uitkomst", codes=None) -> pd.DataFrame:
    """Respondent rows reproducing a groups × (outcome 0, outcome 1) table of counts."""
    table = np.asarray(table)
    codes = codes or [f"g{i}" for i in range(len(table))]
    rows = [(code, k) for code, counts in zip(codes, table) for k in (0, 1) for _ in range(int(counts[k]))]
    return pd.DataFrame(rows, columns=[by, outcome])


HAND_TABLES = [
    [[10, 20], [30, 40]],  # 2 × 2: dof 1, where pingouin would apply Yates by default
    [[5, 15], [20, 10], [12, 12]],
    [[50, 3], [40, 9], [33, 12], [20, 20]],
    [[1, 0], [0, 1], [3, 3]],  # tiny expected counts
]


def random_tables(count: int = 8, seed: int = 20220) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    tables = []
    for _ in range(count):
        k = int(rng.integers(2, 7))
        n_group = rng.integers(5, 400, size=k)
        p_group = rng.uniform(0.05, 0.9, size=k)
        yes = rng.binomial(n_group, p_group)
        tables.append(np.column_stack([n_group - yes, yes]))
    return tables


@pytest.mark.parametrize("table", HAND_TABLES + random_tables(), ids=lambda t: "x".join(map(str, np.shape(t))))
def test_chi2_p_dof_match_scipy(table):
    result = chi_square(frame_from_table(table), "uitkomst", "groep")
    chi2, p, dof, _ = chi2_contingency(np.asarray(table), correction=False)
    assert result.chi2 == pytest.approx(chi2, rel=1e-10)
    assert result.p == pytest.approx(p, rel=1e-8, abs=1e-300)
    assert result.dof == dof
    assert result.n == int(np.sum(table))
    assert (result.observed.to_numpy() == np.asarray(table)).all()


@pytest.mark.parametrize("table", HAND_TABLES + random_tables(), ids=lambda t: "x".join(map(str, np.shape(t))))
@pytest.mark.filterwarnings("ignore")  # pingouin's other divergence statistics divide by empty cells
def test_same_numbers_as_pingouin_chi2_independence(table):
    frame = frame_from_table(table)
    result = chi_square(frame, "uitkomst", "groep")
    _, _, stats = pg.chi2_independence(frame, x="groep", y="uitkomst", correction=False)
    pearson = stats.set_index("test").loc["pearson"]
    assert result.chi2 == pytest.approx(float(pearson["chi2"]), rel=1e-10)
    assert result.p == pytest.approx(float(pearson["pval"]), rel=1e-8, abs=1e-300)
    assert result.dof == int(pearson["dof"])
    assert result.cramers_v == pytest.approx(float(pearson["cramer"]), rel=1e-10)


@pytest.mark.parametrize("table", HAND_TABLES + random_tables(), ids=lambda t: "x".join(map(str, np.shape(t))))
def test_cramers_v_formula(table):
    result = chi_square(frame_from_table(table), "uitkomst", "groep")
    r, c = np.shape(table)
    assert result.cramers_v == pytest.approx(math.sqrt(result.chi2 / (result.n * (min(r, c) - 1))), rel=1e-10)


def test_adjusted_residuals_by_hand_2x2():
    # groups g0 (10 no, 20 yes) and g1 (30 no, 40 yes); N = 100, 'yes' column total 60.
    # g0: E = 30 * 60 / 100 = 18; r = (20 - 18) / sqrt(18 * (1 - .3) * (1 - .6)) = 2 / sqrt(5.04)
    result = chi_square(frame_from_table([[10, 20], [30, 40]]), "uitkomst", "groep")
    residu = result.groups.set_index("groep")["residu"]
    assert residu["g0"] == pytest.approx(2 / math.sqrt(5.04), rel=1e-12)
    assert residu["g1"] == pytest.approx(-2 / math.sqrt(5.04), rel=1e-12)
    # in a 2 x 2 table the adjusted residual squared is Pearson's chi-square
    assert residu["g0"] ** 2 == pytest.approx(result.chi2, rel=1e-12)


def test_adjusted_residuals_by_hand_3x2():
    # g0: 5 no, 15 yes; g1: 20 no, 10 yes; g2: 12 no, 12 yes. N = 74, yes total 37 (column share 1/2).
    result = chi_square(frame_from_table([[5, 15], [20, 10], [12, 12]]), "uitkomst", "groep")
    residu = result.groups.set_index("groep")["residu"]
    for code, n_group, yes in (("g0", 20, 15), ("g1", 30, 10), ("g2", 24, 12)):
        expected = n_group * 37 / 74
        hand = (yes - expected) / math.sqrt(expected * (1 - n_group / 74) * (1 - 37 / 74))
        assert residu[code] == pytest.approx(hand, rel=1e-12)
    assert residu["g2"] == pytest.approx(0.0, abs=1e-12)
    shares = result.groups.set_index("groep")["aandeel"]
    assert shares["g0"] == pytest.approx(0.75) and shares["g1"] == pytest.approx(1 / 3)
    assert result.share == pytest.approx(0.5)


def test_adjusted_residuals_of_whole_table_are_antisymmetric_in_two_columns():
    res = adjusted_residuals(np.array([[5, 15], [20, 10], [12, 12]]))
    assert np.allclose(res[:, 0], -res[:, 1])


def test_missing_rows_are_left_out_and_empty_groups_dropped():
    df = frame_from_table([[10, 20], [30, 40]])
    df["groep"] = pd.Categorical(df["groep"], categories=["g0", "leeg", "g1"])
    extra = pd.DataFrame({"groep": pd.Categorical([None, "g0"], categories=["g0", "leeg", "g1"]),
                          "uitkomst": [1, None]})
    df = pd.concat([df, extra], ignore_index=True)
    df["uitkomst"] = df["uitkomst"].astype("Int8")
    result = chi_square(df, "uitkomst", "groep")
    assert result.n == 100
    assert list(result.groups["groep"]) == ["g0", "g1"]  # category order kept, empty group dropped
    chi2, _, dof, _ = chi2_contingency(np.array([[10, 20], [30, 40]]), correction=False)
    assert result.chi2 == pytest.approx(chi2) and result.dof == dof == 1


def test_no_test_possible_gives_missing_statistics():
    constant = chi_square(frame_from_table([[10, 0], [20, 0]]), "uitkomst", "groep")
    assert math.isnan(constant.p) and math.isnan(constant.chi2) and not constant.tested
    one_group = chi_square(frame_from_table([[10, 5]]), "uitkomst", "groep")
    assert math.isnan(one_group.p) and math.isnan(one_group.groups["residu"].iloc[0])


def test_holm_over_the_family_by_hand():
    # four tests with known p-values: build outcomes by one grouping variable each
    tables = {"a": [[40, 10], [10, 40]], "b": [[30, 20], [20, 30]], "c": [[26, 24], [24, 26]], "d": [[35, 15], [20, 30]]}
    frames = [frame_from_table(t, by="groep", outcome=name) for name, t in tables.items()]
    df = pd.concat([f[[name]] for f, name in zip(frames, tables)], axis=1)
    df["groep"] = frames[0]["groep"]  # every table has 50 + 50 rows in the same group order
    result = associations(df, list(tables), ["groep"])
    p = result["p"].to_numpy()
    m = len(p)
    order = np.argsort(p)
    hand = np.empty(m)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        hand[i] = running
    assert np.allclose(result["p_holm"].to_numpy(), hand)
    assert list(result.columns) == ["uitkomst", "variabele", "chi2", "df", "p", "p_holm", "cramers_v", "n"]


def test_holm_on_fixed_p_values():
    from helpers.stats.association import _holm

    got = _holm(pd.Series([0.01, 0.04, 0.03, 0.005]))
    # sorted: .005*4 = .02, .01*3 = .03, .03*2 = .06, .04*1 = .04 -> monotone .06
    assert np.allclose(got, [0.03, 0.06, 0.06, 0.02])
    with_missing = _holm(pd.Series([0.01, np.nan, 0.04]))
    assert np.isnan(with_missing[1]) and np.allclose(with_missing[[0, 2]], [0.02, 0.04])


def test_deviating_groups_direction_labels_and_threshold():
    # avo teachers choose the outcome far more often; the residual is large
    df = frame_from_table([[20, 80], [70, 30]], by="vak", outcome="thema_data", codes=["avo", "beroeps"])
    dev = deviating_groups(df, ["thema_data"], ["vak"]).set_index("groep")
    assert dev.loc["avo", "richting"] == "vaker" and dev.loc["beroeps", "richting"] == "minder vaak"
    assert dev.loc["avo", "groep_label"] == "Algemeen vormende vakken (avo)"
    assert dev.loc["avo", "aandeel_groep"] == pytest.approx(0.8)
    assert dev.loc["avo", "aandeel_totaal"] == pytest.approx(0.55)
    assert dev.loc["avo", "n_groep"] == 100
    assert dev.loc["avo", "uitkomst_label"] == load_codebook().label("thema_data")
    assert dev.loc["avo", "variabele_label"] == "Type vak"
    # a weak difference is not listed
    weak = frame_from_table([[48, 52], [52, 48]], by="vak", outcome="thema_data", codes=["avo", "beroeps"])
    assert deviating_groups(weak, ["thema_data"], ["vak"]).empty


def test_deviating_groups_needs_significant_test_and_large_residual():
    # the rule, checked on the test result itself: listed = significant test and |residual| >= 1.96
    table = [[30, 70], [55, 45], [50, 50], [62, 38]]
    df = frame_from_table(table, by="g", outcome="y")
    result = chi_square(df, "y", "g")
    dev = deviating_groups(df, ["y"], ["g"])
    expected = result.groups[result.groups["residu"].abs() >= 1.96] if result.p <= 0.05 else result.groups.iloc[0:0]
    assert sorted(dev["groep"]) == sorted(expected["groep"])
    assert deviating_groups(df, ["y"], ["g"], alpha=1e-12).empty


def test_large_residual_without_significant_test_is_not_listed():
    table = [[38, 62]] + [[50, 50]] * 9  # one group deviates, ten groups: the omnibus test is not significant
    df = frame_from_table(table, by="g", outcome="y")
    result = chi_square(df, "y", "g")
    assert result.p > 0.05 and result.groups["residu"].iloc[0] >= 1.96
    assert deviating_groups(df, ["y"], ["g"]).empty


def test_background_variables_of_katern_c():
    assert BACKGROUND == ["functie", "ervaring", "leeftijd", "vak", "domein", "bevoegdheid",
                          "instellingstype", "prof_groep"]
