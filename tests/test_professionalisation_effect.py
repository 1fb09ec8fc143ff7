"""Katern B, what professionalisation does (helpers.stats.professionalisation_effect).

Hand-made frames check each function (several waves, two waves such as
2020 + 2024 only, one wave, a scale missing in a wave, a form missing in a
wave); the back-tests check the published Katern B directions
(../shared/reference/monitor-facts.md, "Katern B") on the shipped synthetic
data, the way the book gets the numbers. Each back-test collects every
discrepancy before failing.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.data.codebook import load_codebook
from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS
from helpers.data.derive import PROF_COUNT
from helpers.data.validation import load_survey
from helpers.stats import professionalisation_effect as pe
from helpers.stats.competence import competence_scales
from helpers.stats.scales import GROUP_SEPARATOR, NP2_THRESHOLDS, variance_shares
from helpers.stats.typology import domain_scales, practice_score

CB = load_codebook()
FORMS = list(CB.professionalisation_forms)
SHORT_ACTS = [c for c, d in CB.activity_duration.items() if d == pe.SHORT]
LONG_ACTS = [c for c, d in CB.activity_duration.items() if d == pe.LONG]
COMPETENCE = competence_scales()
MET, OVER = domain_scales("met", CB), domain_scales("over", CB)
SCALE, OTHER = COMPETENCE[0], MET[0]  # any two scales: hand-made frames fill their items
SELF_RATED_COMPETENCE = [sid for sid in COMPETENCE if CB.scales[sid].answer_format == "bekwaam5"]
# [PUB] Katern B: without professionalisation ict for zelfregie and data-based monitoring of learning decline.
DECLINING = ["met_zelfregie", "met_data"]


# -- hand-made frames --------------------------------------------------------------------
def _activities(form: str) -> dict:
    row = {c: 0 for c in CB.activities}
    if form in (pe.SHORT_ONLY, pe.SHORT_AND_LONG):
        row[SHORT_ACTS[0]] = 1
    if form in (pe.LONG_ONLY, pe.SHORT_AND_LONG):
        row[LONG_ACTS[-1]] = 1
    return row


def _person(meting: int, form: str, scores: dict, instelling: str = "I1", team: str | None = "t1") -> dict:
    row = {"meting": meting, "instelling": instelling, "team": team, **_activities(form)}
    for sid, value in scores.items():
        row |= {item: value for item in CB.scales[sid].items}
    return row


def _frame(people: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(people)
    for sid in (SCALE, OTHER):
        for item in CB.scales[sid].items:
            if item not in df.columns:
                df[item] = np.nan
    return df


def _cells(design: dict, sd: float = 0.9, seed: int = 1, scale: str = SCALE) -> pd.DataFrame:
    """A frame with exactly the given cell means and sd: {(wave, form): (n, mean)}."""
    rng = np.random.default_rng(seed)
    people = []
    for (wave, form), (n, mean) in design.items():
        noise = rng.standard_normal(n)
        noise = (noise - noise.mean()) / noise.std(ddof=1) * sd if n > 1 else np.zeros(n)
        people += [_person(wave, form, {scale: mean + e}) for e in noise]
    return _frame(people)


# -- 1. the form -------------------------------------------------------------------------
def test_form_codes_and_durations_follow_the_codebook():
    assert [pe.NONE, pe.SHORT_ONLY, pe.LONG_ONLY, pe.SHORT_AND_LONG] == FORMS
    assert set(CB.activity_duration.values()) == {pe.SHORT, pe.LONG}
    assert set(CB.activity_duration) == set(CB.activities)


def test_professionalisation_form():
    people = [_person(2022, form, {}) for form in FORMS]
    every_activity = _person(2022, pe.NONE, {}) | {c: 1 for c in CB.activities}
    empty = _person(2022, pe.NONE, {}) | {c: None for c in CB.activities}
    one_empty = _person(2022, pe.NONE, {}) | {SHORT_ACTS[-1]: None, LONG_ACTS[0]: 1}
    df = _frame(people + [every_activity, empty, one_empty])
    form = pe.professionalisation_form(df)
    assert form.name == "vorm" and list(form.cat.categories) == FORMS
    assert list(form.iloc[:4]) == FORMS
    assert form.iloc[4] == pe.SHORT_AND_LONG
    assert pd.isna(form.iloc[5]), "no activity answered at all: no form"
    assert form.iloc[6] == pe.LONG_ONLY, "an empty activity cell counts as not taken part"
    assert list(form.index) == list(df.index)


# -- 7. shares ---------------------------------------------------------------------------
def test_form_shares_two_waves():
    df = _frame([_person(2020, pe.NONE, {}), _person(2020, pe.SHORT_AND_LONG, {}), _person(2020, pe.SHORT_AND_LONG, {}),
                 _person(2024, pe.SHORT_ONLY, {})])
    table = pe.form_shares(df)
    assert list(table.columns) == pe.FORM_SHARE_COLUMNS
    assert list(table["meting"].unique()) == [2020, 2024]
    assert len(table) == 2 * len(FORMS), "every form in every wave, also with 0"
    got = table.set_index(["meting", "vorm"])
    assert got.loc[(2020, pe.SHORT_AND_LONG), "aantal"] == 2 and got.loc[(2020, pe.SHORT_AND_LONG), "n"] == 3
    assert got.loc[(2020, pe.SHORT_AND_LONG), "aandeel"] == pytest.approx(2 / 3)
    assert got.loc[(2024, pe.NONE), "aantal"] == 0 and got.loc[(2024, pe.SHORT_ONLY), "aandeel"] == 1
    assert got.loc[(2024, pe.SHORT_ONLY), "vorm_label"] == CB.professionalisation_forms[pe.SHORT_ONLY]
    assert table.groupby("meting")["aandeel"].sum().tolist() == pytest.approx([1, 1])


def test_activity_shares_by_wave():
    df = _frame([_person(2020, pe.SHORT_ONLY, {}), _person(2020, pe.NONE, {}), _person(2024, pe.SHORT_AND_LONG, {})])
    table = pe.activity_shares_by_wave(df)
    assert list(table.columns) == pe.ACTIVITY_SHARE_COLUMNS
    assert len(table) == 2 * len(CB.activities)
    got = table.set_index(["meting", "activiteit"])
    assert got.loc[(2020, SHORT_ACTS[0]), "aandeel"] == 0.5 and got.loc[(2020, SHORT_ACTS[0]), "duur"] == pe.SHORT
    assert got.loc[(2024, LONG_ACTS[-1]), "aandeel"] == 1 and got.loc[(2024, LONG_ACTS[-1]), "duur"] == pe.LONG
    assert pe.activity_shares_by_wave(df.iloc[:0]).empty


# -- 2. means ----------------------------------------------------------------------------
def test_form_means_skips_a_scale_in_a_wave_without_scores():
    df = _frame([_person(2020, pe.NONE, {SCALE: 2.0}), _person(2020, pe.NONE, {SCALE: 4.0}),
                 _person(2020, pe.SHORT_ONLY, {SCALE: 3.0}),
                 _person(2024, pe.NONE, {SCALE: 1.0, OTHER: 2.0}),
                 _person(2024, pe.SHORT_AND_LONG, {SCALE: 5.0, OTHER: 4.0})])
    table = pe.form_means(df, [SCALE, OTHER])
    assert list(table.columns) == pe.FORM_MEANS_COLUMNS
    assert set(table.loc[table["schaal"] == OTHER, "meting"]) == {2024}, "OTHER was not measured in 2020"
    assert len(table) == len(FORMS) * 3
    none20 = table[(table["meting"] == 2020) & (table["groep"] == pe.NONE) & (table["schaal"] == SCALE)].iloc[0]
    assert none20["n"] == 2 and none20["gemiddelde"] == 3.0 and none20["sd"] == pytest.approx(math.sqrt(2))
    half = stats.t.ppf(0.975, 1) * math.sqrt(2) / math.sqrt(2)
    assert none20["ci_laag"] == pytest.approx(3 - half) and none20["ci_hoog"] == pytest.approx(3 + half)
    empty = table[(table["meting"] == 2020) & (table["groep"] == pe.LONG_ONLY) & (table["schaal"] == SCALE)].iloc[0]
    assert empty["n"] == 0 and pd.isna(empty["gemiddelde"])


# -- 3. wave × form ----------------------------------------------------------------------
GROWING = {(2020, pe.NONE): (40, 3.0), (2020, pe.SHORT_ONLY): (60, 3.0), (2020, pe.LONG_ONLY): (30, 3.0),
           (2020, pe.SHORT_AND_LONG): (120, 3.0),
           (2024, pe.NONE): (50, 3.0), (2024, pe.SHORT_ONLY): (90, 3.6), (2024, pe.LONG_ONLY): (45, 3.6),
           (2024, pe.SHORT_AND_LONG): (200, 3.9)}  # unbalanced, and the gap grows from 0


def _interaction_f(df: pd.DataFrame, scale: str) -> float:
    """F of the interaction by comparing the cell-means model with the additive model (least squares)."""
    data = pd.DataFrame({"y": practice_score(df, [scale]), "w": df["meting"],
                         "f": pe.professionalisation_form(df).astype(str)}).dropna()
    full = pd.get_dummies(data["w"].astype(str) + "|" + data["f"], dtype=float).to_numpy()
    additive = np.column_stack([np.ones(len(data)), pd.get_dummies(data["w"], drop_first=True, dtype=float),
                                pd.get_dummies(data["f"], drop_first=True, dtype=float)])
    y = data["y"].to_numpy()
    rss = [float(((y - x @ np.linalg.lstsq(x, y, rcond=None)[0]) ** 2).sum()) for x in (full, additive)]
    df_int = (data["w"].nunique() - 1) * (data["f"].nunique() - 1)
    return ((rss[1] - rss[0]) / df_int) / (rss[0] / (len(data) - full.shape[1]))


def test_wave_by_form_gap_grows_in_an_unbalanced_design():
    df = _cells(GROWING)
    table = pe.wave_by_form(df, [SCALE])
    assert list(table.columns) == pe.WAVE_BY_FORM_COLUMNS
    assert list(table["term"]) == list(pe.TERMS)
    inter = table.set_index("term").loc[pe.INTERACTION_TERM]
    assert (inter["meting_eerder"], inter["meting_later"], inter["k_metingen"], inter["k_vormen"]) == (2020, 2024, 2, 4)
    assert inter["n"] == sum(n for n, _ in GROWING.values())
    assert inter["df1"] == 3 and inter["df2"] == inter["n"] - 8
    assert inter["F"] == pytest.approx(_interaction_f(df, SCALE)), "type II interaction = model comparison"
    assert inter["kloof_eerder"] == pytest.approx(0, abs=1e-9)
    later = (90 * 3.6 + 45 * 3.6 + 200 * 3.9) / 335 - 3.0
    assert inter["kloof_later"] == pytest.approx(later) and inter["kloof_verschil"] == pytest.approx(later)
    score, form = practice_score(df, [SCALE]), pe.professionalisation_form(df)
    cells = [score[(df["meting"] == w) & ((form == pe.NONE) == none)] for w in (2020, 2024) for none in (True, False)]
    pooled = math.sqrt(sum((len(c) - 1) * c.var(ddof=1) for c in cells) / (inter["n"] - 4))
    assert inter["kloof_g"] == pytest.approx(later / pooled * (1 - 3 / (4 * (inter["n"] - 4) - 1)))
    assert inter["kloof"] == pe.GROWN and inter["kloof_effect"] in ("middelgroot", "groot")
    assert pd.isna(inter["reden"])
    # the same p_holm over the three term rows
    assert table["p_holm"].tolist() == pytest.approx(pg.multicomp(table["p"].to_numpy(), method="holm")[1].tolist())


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::FutureWarning")
def test_type_ii_and_type_iii_give_the_same_interaction():
    df = _cells(GROWING)
    data = pd.DataFrame({"score": practice_score(df, [SCALE]), "meting": df["meting"].astype(str),
                         "vorm": pe.professionalisation_form(df).astype(str)})
    two, three = (pg.anova(data=data, dv="score", between=["meting", "vorm"], ss_type=t).set_index("Source")
                  for t in (2, 3))
    assert two.loc["meting * vorm", "F"] == pytest.approx(three.loc["meting * vorm", "F"])
    assert pe.wave_by_form(df, [SCALE]).set_index("term").loc[pe.INTERACTION_TERM, "F"] == \
        pytest.approx(two.loc["meting * vorm", "F"])


def test_a_shrinking_and_a_stable_gap():
    shrinking = {(2020 if w == 2024 else 2024, f): v for (w, f), v in GROWING.items()}  # the waves swapped
    assert pe.wave_by_form(_cells(shrinking), [SCALE])["kloof"].iloc[0] == pe.SHRUNK
    stable = {(w, f): (n, 3.0 if f == pe.NONE else 3.5) for (w, f), (n, _) in GROWING.items()}
    row = pe.wave_by_form(_cells(stable), [SCALE]).set_index("term").loc[pe.INTERACTION_TERM]
    assert row["kloof"] == pe.NOT_GROWN and row["kloof_verschil"] == pytest.approx(0, abs=1e-9)


def test_omnibus_np2_stays_below_small_when_a_gap_grows_from_nothing():
    """Why the gap, not the omnibus np2, decides 'gegroeid' (module docstring): about one teacher in
    eight without professionalisation, the gap grows from 0 to half a standard deviation."""
    shares = {pe.NONE: 0.13, pe.SHORT_ONLY: 0.20, pe.LONG_ONLY: 0.10, pe.SHORT_AND_LONG: 0.57}
    design = {}
    for wave, size in ((2017, 1000), (2022, 3000)):
        for form, share in shares.items():
            design[wave, form] = (round(share * size), 3.0 if wave == 2017 or form == pe.NONE else 3.45)
    row = pe.wave_by_form(_cells(design), [SCALE]).set_index("term").loc[pe.INTERACTION_TERM]
    assert row["np2"] < NP2_THRESHOLDS[0] and not row["opvallend"]
    assert row["p_holm"] < 0.001 and row["kloof_g"] == pytest.approx(0.5, abs=0.01)
    assert row["kloof"] == pe.GROWN


def test_wave_by_form_one_wave_says_so():
    df = _cells({(2022, f): (10, 3.0 + k / 10) for k, f in enumerate(FORMS)})
    table = pe.wave_by_form(df, [SCALE, OTHER])
    assert len(table) == 1, "OTHER has no scores: no row; SCALE: one row with the reason"
    row = table.iloc[0]
    assert row["term"] == pe.INTERACTION_TERM and row["reden"] == pe.ONE_WAVE
    assert pd.isna(row["F"]) and pd.isna(row["p_holm"]) and row["kloof"] is None and not row["opvallend"]
    assert row["meting_eerder"] == row["meting_later"] == 2022 and row["n"] == 40


def test_wave_by_form_scale_measured_in_one_of_two_waves():
    df = _cells(GROWING)
    later = df["meting"] == 2024
    for item in CB.scales[OTHER].items:
        df.loc[later, item] = 3.0 + np.arange(later.sum()) % 3
    table = pe.wave_by_form(df, [SCALE, OTHER])
    assert (table["schaal"] == SCALE).sum() == 3
    other = table[table["schaal"] == OTHER]
    assert len(other) == 1 and other["reden"].iloc[0] == pe.ONE_WAVE and other["meting_eerder"].iloc[0] == 2024
    assert table.loc[table["schaal"] == SCALE, "p_holm"].notna().all(), "Holm over the testable rows only"


def test_wave_by_form_leaves_out_a_form_missing_in_a_wave():
    design = {key: value for key, value in GROWING.items() if key != (2020, pe.LONG_ONLY)}
    row = pe.wave_by_form(_cells(design), [SCALE]).set_index("term").loc[pe.INTERACTION_TERM]
    assert row["k_vormen"] == 3 and row["df1"] == 2
    assert row["n"] == sum(n for (w, f), (n, _) in design.items() if f != pe.LONG_ONLY)
    only_two = {key: value for key, value in GROWING.items() if key[1] in (pe.NONE, pe.SHORT_ONLY) or key[0] == 2024}
    only_two = {k: v for k, v in only_two.items() if not (k[0] == 2024 and k[1] == pe.SHORT_ONLY)}
    row = pe.wave_by_form(_cells(only_two), [SCALE]).iloc[0]
    assert row["reden"] == pe.TOO_FEW_FORMS and row["kloof"] is None



def test_wave_by_form_uses_only_the_forms_shown():
    """A form the page withholds in one wave leaves the test in every wave, and the gap of that wave too."""
    df = _cells(GROWING)
    every = {(SCALE, w): tuple(FORMS) for w in (2020, 2024)}
    assert pe.wave_by_form(df, [SCALE], shown=every).equals(pe.wave_by_form(df, [SCALE]))
    shown = dict(every)
    shown[(SCALE, 2020)] = (pe.SHORT_ONLY, pe.SHORT_AND_LONG)  # 'geen' and 'alleen lang' withheld in 2020
    row = pe.wave_by_form(df, [SCALE], shown=shown).set_index("term").loc[pe.INTERACTION_TERM]
    assert row["vormen"] == f"{pe.SHORT_ONLY}{GROUP_SEPARATOR}{pe.SHORT_AND_LONG}" and row["k_vormen"] == 2
    assert row["n"] == sum(n for (_, f), (n, _) in GROWING.items() if f in shown[(SCALE, 2020)])
    form = pe.professionalisation_form(df)
    kept = form.isin(list(shown[(SCALE, 2020)])).to_numpy()
    assert row["df1"] == 1 and row["F"] == pytest.approx(_interaction_f(df.loc[kept], SCALE))
    assert pd.isna(row["kloof_eerder"]) and row["kloof"] is None, "no gap, and no verdict, without 'geen' in 2020"

# -- 4. change without professionalisation -----------------------------------------------
def test_change_without_professionalisation():
    design = {(2020, pe.NONE): (40, 3.4), (2020, pe.SHORT_AND_LONG): (60, 3.0),
              (2024, pe.NONE): (50, 3.0), (2024, pe.SHORT_AND_LONG): (70, 3.0), (2024, pe.SHORT_ONLY): (30, 3.0)}
    df = _cells(design, sd=0.6)
    table = pe.change_without_professionalisation(df, [SCALE])
    assert list(table.columns) == pe.CHANGE_COLUMNS
    assert list(table["groep"]) == [pe.NONE, pe.PROFESSIONALISED]
    none, rest = table.iloc[0], table.iloc[1]
    assert (none["n_eerder"], none["n_later"], rest["n_eerder"], rest["n_later"]) == (40, 50, 60, 100)
    assert none["verschil"] == pytest.approx(-0.4) and none["hedges_g"] < 0
    score, form = practice_score(df, [SCALE]), pe.professionalisation_form(df)
    a = score[(df["meting"] == 2020) & (form == pe.NONE)]
    b = score[(df["meting"] == 2024) & (form == pe.NONE)]
    assert none["p"] == pytest.approx(stats.ttest_ind(b, a, equal_var=False).pvalue)
    assert none["hedges_g"] == pytest.approx(pg.compute_effsize(b, a, eftype="hedges"))
    assert none["richting"] == pe.FELL and none["opvallend"]
    assert rest["verschil"] == pytest.approx(0, abs=1e-9) and rest["richting"] == pe.NO_CHANGE
    assert table["p_holm"].tolist() == pytest.approx(pg.multicomp(table["p"].to_numpy(), method="holm")[1].tolist())


def test_change_one_wave_says_so():
    df = _cells({(2022, pe.NONE): (5, 3.0), (2022, pe.SHORT_ONLY): (5, 3.5)})
    table = pe.change_without_professionalisation(df, [SCALE, OTHER])
    assert len(table) == 2 and (table["reden"] == pe.ONE_WAVE).all()
    assert table["richting"].isna().all() and not table["opvallend"].any() and table["p"].isna().all()


# -- 5. best form ------------------------------------------------------------------------
def test_best_form_default_newest_wave():
    design = {(2020, f): (30, 3.0) for f in FORMS}
    design |= {(2024, pe.NONE): (30, 2.5), (2024, pe.SHORT_ONLY): (40, 3.0), (2024, pe.LONG_ONLY): (40, 3.0),
               (2024, pe.SHORT_AND_LONG): (80, 3.6)}
    df = _cells(design, sd=0.6)
    table = pe.best_form(df, [SCALE, OTHER])
    assert list(table.columns) == pe.BEST_FORM_COLUMNS
    assert (table["meting"] == 2024).all() and list(table["vorm"]) == [pe.NONE, pe.SHORT_ONLY, pe.LONG_ONLY]
    assert (table["hoogste_vorm"] == pe.SHORT_AND_LONG).all() and table["combinatie_best"].all()
    assert (table["hedges_g"] > 0).all() and table["verschil"].tolist() == pytest.approx([1.1, 0.6, 0.6])
    assert table["p_holm"].tolist() == pytest.approx(pg.multicomp(table["p"].to_numpy(), method="holm")[1].tolist())
    earlier = pe.best_form(df, [SCALE], wave=2020)
    assert not earlier["combinatie_best"].any() and not earlier["opvallend"].any()


def test_best_form_when_a_single_form_is_highest_or_the_wave_is_missing():
    design = {(2022, pe.NONE): (30, 2.5), (2022, pe.SHORT_ONLY): (40, 3.9), (2022, pe.LONG_ONLY): (40, 3.0),
              (2022, pe.SHORT_AND_LONG): (80, 3.6)}
    table = pe.best_form(_cells(design, sd=0.6), [SCALE])
    assert (table["hoogste_vorm"] == pe.SHORT_ONLY).all() and not table["combinatie_best"].any()
    short = table.set_index("vorm").loc[pe.SHORT_ONLY]
    assert short["hedges_g"] < 0 and short["verschil"] == pytest.approx(-0.3)
    missing = pe.best_form(_cells(design), [SCALE], wave=2030)
    assert len(missing) == 1 and missing["reden"].iloc[0] == pe.WAVE_NOT_IN_DATA
    alone = pe.best_form(_cells({(2022, pe.SHORT_AND_LONG): (5, 3.0), (2022, pe.NONE): (1, 2.0)}), [SCALE])
    assert len(alone) == 1 and alone["reden"].iloc[0] == pe.TOO_FEW_SCORES and alone["combinatie_best"].iloc[0] is None


# -- 6. spread ---------------------------------------------------------------------------
def _counts_frame(between: float, seed: int = 3, wave: int = 2024) -> pd.DataFrame:
    """Teachers in 8 institutions × 3 teams; the number of activities differs `between` institutions."""
    rng = np.random.default_rng(seed)
    people = []
    for i in range(8):
        level = between * (i - 3.5)
        for t in range(3):
            for _ in range(25):
                k = int(np.clip(round(2.5 + level + rng.normal(0, 1.2)), 0, len(CB.activities)))
                row = _person(wave, pe.NONE, {}, instelling=f"I{i}", team=f"t{t}" if t else None)
                row |= {c: int(j < k) for j, c in enumerate(CB.activities)}
                people.append(row)
    return _frame(people)


def test_professionalisation_spread():
    within = pe.professionalisation_spread(_counts_frame(0.0))
    between = pe.professionalisation_spread(_counts_frame(0.6))
    assert set(within) == set(pe.SPREAD_KEYS)
    assert within["meting"] == 2024 and within["reden"] is None and within["n"] == 600
    assert within["n_instellingen"] == 8 and within["n_teams"] == 24
    assert within["aandeel_docent"] > 0.9 > between["aandeel_docent"]
    assert between["aandeel_instelling"] > 0.3
    for result in (within, between):
        assert result["aandeel_instelling"] + result["aandeel_team"] + result["aandeel_docent"] == pytest.approx(1)


def test_professionalisation_spread_uses_prof_aantal_and_wave():
    df = pd.concat([_counts_frame(0.6, wave=2020), _counts_frame(0.0, wave=2024)], ignore_index=True)
    assert pe.professionalisation_spread(df, wave=2020)["aandeel_instelling"] > 0.3
    assert pe.professionalisation_spread(df)["meting"] == 2024
    derived = df.assign(**{PROF_COUNT: 0})  # a derived count is used as given
    assert pe.professionalisation_spread(derived)["reden"] == "De score varieert niet"
    assert pe.professionalisation_spread(df, wave=2030)["reden"] == pe.WAVE_NOT_IN_DATA
    one = df[df["instelling"] == "I0"]
    assert pe.professionalisation_spread(one)["reden"].startswith("Minder dan twee instellingen")


def test_outcome_variance_shares_is_variance_shares_for_a_scale():
    df = _counts_frame(0.4)
    df = df.assign(**{item: df[list(CB.activities)].sum(axis=1) for item in CB.scales[SCALE].items})
    assert pe.outcome_variance_shares(df, practice_score(df, [SCALE])) == variance_shares(df, [SCALE])


# -- back-tests on the shipped data --------------------------------------------------------
@pytest.fixture(scope="module")
def shipped() -> pd.DataFrame:
    return load_survey(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS).respondents


@pytest.fixture(scope="module")
def effects(shipped) -> pd.DataFrame:
    return pe.wave_by_form(shipped, list(CB.scales))


@pytest.fixture(scope="module")
def means(shipped) -> pd.DataFrame:
    return pe.form_means(shipped, list(CB.scales))


def _term(effects: pd.DataFrame, term: str) -> pd.DataFrame:
    return effects[effects["term"] == term].set_index("schaal")


def _gaps(means: pd.DataFrame, sid: str) -> dict[int, float]:
    """The gap per wave from form_means: n-weighted mean of the professionalising forms minus 'geen'."""
    out = {}
    for wave, part in means[means["schaal"] == sid].groupby("meting"):
        rest = part[part["groep"] != pe.NONE]
        none = part[part["groep"] == pe.NONE].iloc[0]
        out[int(wave)] = float((rest["n"] * rest["gemiddelde"]).sum() / rest["n"].sum() - none["gemiddelde"])
    return out


def test_shipped_shares(shipped):
    forms = pe.form_shares(shipped)
    assert forms.groupby("meting")["aandeel"].sum().tolist() == pytest.approx([1.0] * shipped["meting"].nunique())
    assert (forms["aantal"] > 0).all(), "every form occurs in every wave"
    activities = pe.activity_shares_by_wave(shipped)
    assert len(activities) == len(CB.activities) * shipped["meting"].nunique()


@pytest.mark.parametrize("what, scales", [
    ("professionalisers use ict more (lesgeven met ict)", MET),
    ("professionalisers pay more attention to students' ict-geletterdheid (lesgeven over ict)", OVER),
])
def test_professionalisers_practise_more(effects, means, what, scales):
    form = _term(effects, pe.FORM_TERM)
    inter = _term(effects, pe.INTERACTION_TERM)
    problems = []
    for sid in scales:
        gaps = _gaps(means, sid)
        assert gaps[inter.loc[sid, "meting_eerder"]] == pytest.approx(inter.loc[sid, "kloof_eerder"])
        assert gaps[inter.loc[sid, "meting_later"]] == pytest.approx(inter.loc[sid, "kloof_later"])
        numbers = (f"gap per wave {', '.join(f'{w}: {g:+.2f}' for w, g in gaps.items())}; form effect "
                   f"np2 = {form.loc[sid, 'np2']:.3f}, p_holm = {form.loc[sid, 'p_holm']:.2g}")
        if min(gaps.values()) <= 0:
            problems.append(f"{what}: on {sid} professionalisers are not above 'geen' in every wave ({numbers})")
        if not form.loc[sid, "opvallend"]:
            problems.append(f"{what}: on {sid} the book does not call the form difference notable ({numbers})")
    assert not problems, "\n".join(problems)


def test_competence_gap_grows(effects):
    """[PUB] Katern B: teachers who professionalise grow more in competences. As repeated cross-sections:
    the gap professionalised - geen is larger in the latest wave than in the earliest (gap_explanation)."""
    inter = _term(effects, pe.INTERACTION_TERM)
    verdicts = inter.loc[COMPETENCE, "kloof"]
    problems = [
        f"{sid}: gap {inter.loc[sid, 'meting_eerder']} {inter.loc[sid, 'kloof_eerder']:+.2f} -> "
        f"{inter.loc[sid, 'meting_later']} {inter.loc[sid, 'kloof_later']:+.2f} (g = {inter.loc[sid, 'kloof_g']:.2f}, "
        f"interaction p_holm = {inter.loc[sid, 'p_holm']:.2g}): '{inter.loc[sid, 'kloof']}'"
        for sid in SELF_RATED_COMPETENCE if inter.loc[sid, "kloof"] != pe.GROWN
    ]
    assert not problems, "self-rated competence scales whose gap the book does not call grown:\n" + "\n".join(problems)
    assert (verdicts == pe.GROWN).mean() > 0.5, f"most competence scales: {verdicts.to_dict()}"
    assert not (verdicts == pe.SHRUNK).any(), f"no competence gap shrinks: {verdicts.to_dict()}"


def test_decline_without_professionalisation(shipped):
    table = pe.change_without_professionalisation(shipped, list(CB.scales)).set_index(["groep", "schaal"])
    problems = []
    for sid in DECLINING:
        row = table.loc[(pe.NONE, sid)]
        numbers = (f"{row['meting_eerder']} {row['gemiddelde_eerder']:.2f} -> {row['meting_later']} "
                   f"{row['gemiddelde_later']:.2f}, g = {row['hedges_g']:.2f}, p_holm = {row['p_holm']:.2g}")
        if row["richting"] != pe.FELL:
            problems.append(f"without professionalisation {sid} does not notably decline ({numbers})")
        if table.loc[(pe.PROFESSIONALISED, sid), "richting"] == pe.FELL:
            problems.append(f"{sid} declines for professionalisers too: the decline is not specific")
    assert not problems, "\n".join(problems)


def test_combination_of_short_and_long_goes_with_the_best_results(shipped):
    """[PUB] Katern B 2024: a combination of short and longer activities works best (newest wave)."""
    table = pe.best_form(shipped, list(CB.scales))
    assert (table["meting"] == shipped["meting"].max()).all()
    per_scale = table.groupby("schaal", sort=False).first()
    not_highest = per_scale.index[per_scale["hoogste_vorm"] != pe.SHORT_AND_LONG].tolist()
    assert not not_highest, f"kort_en_lang is not the highest form on {not_highest}"
    must = MET + SELF_RATED_COMPETENCE
    problems = [
        f"{r.schaal}: against {r.vorm} g = {r.hedges_g:.2f}, p_holm = {r.p_holm:.2g}"
        for r in table.itertuples() if r.schaal in must and r.vorm in pe.SINGLE_FORMS and not r.opvallend
    ]
    assert not problems, "kort_en_lang not notably above a single form:\n" + "\n".join(problems)
    assert per_scale["combinatie_best"].mean() >= 0.75, per_scale["combinatie_best"].to_dict()
    assert (table.loc[table["vorm"] == pe.NONE, "opvallend"]).all(), "far above no professionalisation everywhere"


def test_teachers_within_an_institution_differ_in_professionalisation(shipped):
    spread = pe.professionalisation_spread(shipped)
    assert spread["reden"] is None and spread["meting"] == shipped["meting"].max()
    within = spread["aandeel_team"] + spread["aandeel_docent"]
    assert within > 0.5 and spread["aandeel_docent"] > spread["aandeel_instelling"], (
        f"most of the variance of the number of activities lies within institutions: institution "
        f"{spread['aandeel_instelling']:.3f}, team {spread['aandeel_team']:.3f}, "
        f"teacher {spread['aandeel_docent']:.3f}")
