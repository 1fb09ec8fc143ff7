"""Katern A: the state of affairs on every scale of the research model.

A respondent's scale score is the mean of the scale's items and needs every
item (:func:`helpers.stats.typology.practice_score`, the one implementation);
the score runs from 1 to 5. This module describes those scores and tests
differences between groups of teachers:

* :func:`scale_summary`: mean, standard deviation, 95% t-interval of the mean
  and the share of teachers in three bands (:data:`BANDS`, the cut-offs of the
  meerwaarde groups; named for the reader in `helpers.chapters.katern_a.common.BAND_LABELS`)
  per scale and group.
* :func:`reliability`: Cronbach's alpha with its 95% interval per wave and
  scale (``pingouin.cronbach_alpha``, complete cases).
* :func:`group_differences`: Welch's ANOVA per scale and breakdown
  (``pingouin.welch_anova``) with partial eta squared; Holm over the family.
* :func:`pairwise_differences`: Games-Howell pairs with Hedges' g
  (:func:`games_howell`); Holm over the pairs.
* :func:`practice_regression`: standardised OLS of a practice domain's score
  on every competence scale (``pingouin.linear_regression``).
* :func:`variance_shares`: how the variance of a score divides over
  institutions, teams and teachers (null mixed model, statsmodels MixedLM).

A difference is *notable* under one rule (:func:`is_notable`; told to the
reader by `helpers.chapters.katern_a.introduction.notable_rule`): significant
after Holm (p_holm < .05) and at least a small effect by Cohen's conventions
(:data:`NP2_THRESHOLDS`, :data:`HEDGES_G_THRESHOLDS`).

Groups are shown in codebook order with their Dutch labels (the same
iteration as the Katern C breakdowns, :func:`helpers.stats.themes._groups`);
respondents with a missing group code are left out of a breakdown. A scale
that was not asked in the wave(s) of the rows has no scores: it gives n = 0
and missing statistics in the descriptive tables and no test.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats
from statsmodels.regression.mixed_linear_model import MixedLM
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from helpers.data.codebook import Codebook, load_codebook
from helpers.data.waves import scale_asked, scale_waves, waves
from helpers.data.derive import MEERWAARDE_VEEL_MIN, MEERWAARDE_WEINIG_MAX, meerwaarde_group, value_labels
from helpers.stats.association import ALPHA, _holm, _label
from helpers.stats.competence import competence_scales
from helpers.stats.pvalues import reported_p, studentized_range_sf
from helpers.stats.themes import _groups
from helpers.stats.typology import practice_score

CONFIDENCE = 0.95  # level of every interval in this module

# -- bands of a scale score ------------------------------------------------------------
SCALE_MIN, SCALE_MAX = load_codebook().score_range  # the answer formats decide
LOW, MIDDLE, HIGH = "laag", "midden", "hoog"
BANDS = (LOW, MIDDLE, HIGH)
# The bands are the meerwaarde groups under neutral names: one rule, one implementation.
_BAND_OF_MEERWAARDE = {"weinig_geen": LOW, "enige": MIDDLE, "veel": HIGH}


def score_band(score):
    """Band of a 1-5 scale score: 'laag' (<= 2.5), 'hoog' (>= 3.5), else 'midden'.

    The cut-offs are those of the meerwaarde groups
    (:func:`helpers.data.derive.meerwaarde_group`). Works on a number (a code
    or None if missing) or a Series (object Series, None where missing).
    """
    group = meerwaarde_group(score)
    if isinstance(group, pd.Series):
        return group.map(_BAND_OF_MEERWAARDE, na_action="ignore").astype(object).where(group.notna(), None)
    return None if group is None else _BAND_OF_MEERWAARDE[group]


def band_counts(scores: np.ndarray) -> dict[str, int]:
    """{band: number of scores in it} of an array of scores without missing values.

    The counts of :func:`score_band` (the same cut-offs), counted in numpy:
    a scale summary needs them for every group of every scale, and building
    a Series of codes for each costs more than the rest of the summary.
    """
    high = int(np.count_nonzero(scores >= MEERWAARDE_VEEL_MIN))
    low = int(np.count_nonzero(scores <= MEERWAARDE_WEINIG_MAX))
    return {LOW: low, MIDDLE: len(scores) - low - high, HIGH: high}


# -- effect sizes and the notable rule -------------------------------------------------
# Cohen's (1988) conventional lower bounds of a small, medium and large effect.
NP2_THRESHOLDS = (0.01, 0.06, 0.14)  # partial eta squared
HEDGES_G_THRESHOLDS = (0.2, 0.5, 0.8)  # |Hedges' g|, like Cohen's d
COHENS_H_THRESHOLDS = (0.2, 0.5, 0.8)  # |Cohen's h|, the difference of two shares on the arcsine scale
EFFECT_THRESHOLDS = {"np2": NP2_THRESHOLDS, "hedges_g": HEDGES_G_THRESHOLDS, "cohens_h": COHENS_H_THRESHOLDS}
NEGLIGIBLE, SMALL, MEDIUM, LARGE = "verwaarloosbaar", "klein", "middelgroot", "groot"
EFFECT_LABELS = (NEGLIGIBLE, SMALL, MEDIUM, LARGE)


def _thresholds(kind: str) -> tuple[float, float, float]:
    try:
        return EFFECT_THRESHOLDS[kind]
    except KeyError:
        raise ValueError(f"Onbekende effectmaat '{kind}'; kies uit {', '.join(EFFECT_THRESHOLDS)}") from None


def _missing(value) -> bool:
    return value is None or bool(pd.isna(value))


def effect_size_label(value, kind: str) -> str | None:
    """'verwaarloosbaar', 'klein', 'middelgroot' or 'groot' for an effect size; None if missing.

    `kind` is 'np2' (partial eta squared), 'hedges_g' or 'cohens_h' (the sign is ignored).
    A value exactly at a threshold belongs to the larger category.
    """
    thresholds = _thresholds(kind)
    if _missing(value):
        return None
    size = abs(float(value))
    return EFFECT_LABELS[sum(size >= t for t in thresholds)]


def is_notable(p_holm, effect, kind: str) -> bool:
    """The one notable rule: p_holm < .05 and at least a small effect (|effect| >= small threshold)."""
    small = _thresholds(kind)[0]
    if _missing(p_holm) or _missing(effect):
        return False
    return bool(float(p_holm) < ALPHA and abs(float(effect)) >= small)


# -- shared helpers --------------------------------------------------------------------



def _asked(sid: str, df: pd.DataFrame, cb: Codebook) -> bool:
    """Scale `sid` has item columns and was asked (has answers) in every wave present in `df`."""
    return set(cb.scales[sid].items) <= set(df.columns) and scale_asked(df, sid, cb)


def _scores(df: pd.DataFrame, scales, cb: Codebook) -> pd.DataFrame:
    """One column per scale: each respondent's scale score (missing unless every item is answered)."""
    return pd.DataFrame({sid: practice_score(df, [sid], cb) for sid in scales}, index=df.index)


def _with_by(frame: pd.DataFrame, df: pd.DataFrame, by: str | None) -> pd.DataFrame:
    if by is not None:
        frame = frame.assign(**{by: df[by]})
    return frame


def _testable_groups(score: pd.Series, df: pd.DataFrame, by: str, allowed=None):
    """(code, label, values) per group of `by` in codebook order that a Welch test can use.

    A group needs at least two scores and a non-zero variance (Welch's weights
    are n / variance); other groups and missing codes are left out, and so is
    every group not in `allowed` (when given: the groups the test's table shows).
    """
    # The groups of `_groups`, selected on numpy arrays: this runs for every scale × breakdown of a chapter.
    scores = score.to_numpy(dtype=float, na_value=np.nan)
    codes = df[by]
    out = []
    for code, text in value_labels(by).items():
        if allowed is not None and code not in allowed:
            continue
        values = scores[(codes == code).to_numpy(dtype=bool, na_value=False)]
        values = values[~np.isnan(values)]
        if len(values) >= 2 and np.var(values, ddof=1) > 0:
            out.append((code, text, values))
    return out


def _long(groups) -> pd.DataFrame:
    """Stack (code, label, values) groups into a frame with columns score, groep (ordered categorical)."""
    codes = [code for code, _, _ in groups]
    return pd.DataFrame({
        "score": np.concatenate([values for _, _, values in groups]),
        "groep": pd.Categorical(np.repeat(np.array(codes, dtype=object), [len(v) for _, _, v in groups]),
                                categories=codes),
    })


def _t_interval(values: np.ndarray) -> tuple[float, float, float, float]:
    """Mean, sd (n - 1) and the 95% t-interval of the mean; missing where n is too small."""
    n = len(values)
    if n == 0:
        return (math.nan,) * 4
    mean = float(values.mean())
    if n == 1:
        return mean, math.nan, math.nan, math.nan
    sd = float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1)) * sd / math.sqrt(n)
    return mean, sd, mean - half, mean + half


# -- 2. descriptives -------------------------------------------------------------------
SUMMARY_COLUMNS = ["groep", "groep_label", "schaal", "schaal_label", "domein", "domein_label", "n",
                   "gemiddelde", "sd", "ci_laag", "ci_hoog", "aandeel_laag", "aandeel_midden", "aandeel_hoog"]


def scale_summary(df: pd.DataFrame, scales, by: str | None = None,
                  codebook: Codebook | None = None) -> pd.DataFrame:
    """Mean, sd, 95% t-interval and band shares of each scale score, per group of `by`.

    One row per group × scale, groups in codebook order (``by=None``: one
    group 'totaal'), scales in the order given. Columns: groep, groep_label,
    schaal, schaal_label, domein, domein_label, n (respondents with a score),
    gemiddelde, sd, ci_laag, ci_hoog, aandeel_laag, aandeel_midden,
    aandeel_hoog (fractions of n). A scale without scores (not asked in these
    rows' wave) gives n = 0 and missing statistics.
    """
    cb = codebook or load_codebook()
    scales = list(scales)
    scores = _with_by(_scores(df, scales, cb), df, by)
    rows = []
    for code, text, part in _groups(scores, by):
        for sid in scales:
            values = part[sid].dropna().to_numpy(dtype=float)
            n = len(values)
            mean, sd, low, high = _t_interval(values)
            bands = band_counts(values)
            scale = cb.scales[sid]
            rows.append(dict(
                groep=code, groep_label=text, schaal=sid, schaal_label=scale.label,
                domein=scale.domain, domein_label=cb.domains[scale.domain]["label"], n=n,
                gemiddelde=mean, sd=sd, ci_laag=low, ci_hoog=high,
                **{f"aandeel_{band}": int(bands.get(band, 0)) / n if n else math.nan for band in BANDS},
            ))
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


# -- 3. reliability --------------------------------------------------------------------
RELIABILITY_COLUMNS = ["meting", "schaal", "schaal_label", "k", "n", "gemiddelde", "sd",
                       "alpha", "alpha_ci_laag", "alpha_ci_hoog"]


def reliability(df: pd.DataFrame, scales=None, codebook: Codebook | None = None) -> pd.DataFrame:
    """Cronbach's alpha with its 95% interval per wave in `df` and scale asked in that wave.

    Columns: meting, schaal, schaal_label, k (items), n (complete cases),
    gemiddelde and sd of the scale score (complete cases), alpha,
    alpha_ci_laag, alpha_ci_hoog. Waves are those present in the column
    ``meting``; a scale not asked in a wave (no answers in it) gets no row for it.
    Fewer than two complete cases: alpha and interval missing.
    """
    cb = codebook or load_codebook()
    scales = list(cb.scales) if scales is None else list(scales)
    rows = []
    asked = {sid: set(scale_waves(df, sid, cb)) for sid in scales}
    for wave in waves(df):
        in_wave = df.loc[df["meting"] == wave]
        for sid in scales:
            scale = cb.scales[sid]
            if wave not in asked[sid] or not set(scale.items) <= set(df.columns):
                continue
            # Complete cases passed explicitly: pingouin takes n for the interval before it drops rows.
            items = in_wave[scale.items].astype("Float64").astype(float).dropna()
            n, k = len(items), len(scale.items)
            alpha = low = high = math.nan
            if n >= 2 and items.var(ddof=1).sum() > 0:
                alpha, (low, high) = pg.cronbach_alpha(items, ci=CONFIDENCE)
            score = items.mean(axis=1)
            rows.append(dict(meting=wave, schaal=sid, schaal_label=scale.label, k=k, n=n,
                             gemiddelde=float(score.mean()) if n else math.nan,
                             sd=float(score.std(ddof=1)) if n >= 2 else math.nan,
                             alpha=float(alpha), alpha_ci_laag=float(low), alpha_ci_hoog=float(high)))
    return pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)


# -- 5. Welch's ANOVA per scale × breakdown ---------------------------------------------
DIFFERENCE_COLUMNS = ["schaal", "schaal_label", "variabele", "variabele_label", "k_groepen", "groepen", "n", "F",
                      "df1", "df2", "p", "np2", "effect", "p_holm", "opvallend"]
GROUP_SEPARATOR = ";"  # between the codes of the groups a test used, in the column `groepen`


def _allowed(groups, sid: str, by: str):
    """The groups a test of `sid` by `by` may use: all (None), or those `groups` gives for the pair (none if absent)."""
    return None if groups is None else set(groups.get((sid, by), ()))


def group_differences(df: pd.DataFrame, scales, breakdowns, codebook: Codebook | None = None,
                      groups=None) -> pd.DataFrame:
    """Welch's ANOVA of each scale score by each breakdown, with partial eta squared.

    One row per scale × breakdown that can be tested. Columns: schaal,
    schaal_label, variabele, variabele_label, k_groepen (groups tested),
    groepen (their codes, separated by ';'), n (scores in them), F, df1, df2,
    p, np2, effect (Dutch label of np2), p_holm (Holm over every row
    returned), opvallend (:func:`is_notable`). A group needs two scores and
    some spread; with fewer than two such groups the pair scale × breakdown
    is left out. Missing codes are left out. `groups`: {(scale, breakdown):
    codes} of the groups the tables show; when given, a test uses only those
    (a pair not in it is not tested), so the Holm family holds only tests of
    groups shown.
    """
    cb = codebook or load_codebook()
    breakdowns = list(breakdowns)
    rows = []
    for sid in scales:
        score = practice_score(df, [sid], cb)
        if score.notna().sum() < 4:  # two groups of two at least; also skips a scale not asked
            continue
        for by in breakdowns:
            tested = _testable_groups(score, df, by, _allowed(groups, sid, by))
            if len(tested) < 2:
                continue
            data = _long(tested)
            result = pg.welch_anova(data=data, dv="score", between="groep").iloc[0]
            rows.append(dict(
                schaal=sid, schaal_label=cb.scales[sid].label, variabele=by, variabele_label=_label(by),
                k_groepen=len(tested), groepen=GROUP_SEPARATOR.join(str(code) for code, _, _ in tested), n=len(data),
                F=float(result["F"]), df1=int(result["ddof1"]), df2=float(result["ddof2"]),
                p=reported_p(float(result["p_unc"])), np2=float(result["np2"]),
            ))
    table = pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS[:-3])
    return _add_verdict(table, "np2", "np2", DIFFERENCE_COLUMNS)


def _add_verdict(table: pd.DataFrame, effect_column: str, kind: str, columns: list[str],
                 tested=None) -> pd.DataFrame:
    """Add effect (label), p_holm (Holm over the table) and opvallend; order the columns.

    `tested`: a boolean mask of the rows in the Holm family (default every
    row); a row outside it gets no p_holm and is not notable.
    """
    table = table.copy()
    table["effect"] = pd.Series([effect_size_label(v, kind) for v in table[effect_column]],
                                index=table.index, dtype=object)
    p = pd.to_numeric(table["p"], errors="coerce").astype(float)
    if tested is not None:
        p = p.where(np.asarray(tested, dtype=bool))
    table["p_holm"] = _holm(p) if len(table) else pd.Series(dtype=float)
    table["opvallend"] = pd.Series([is_notable(p, e, kind) for p, e in zip(table["p_holm"], table[effect_column])],
                                   index=table.index, dtype=bool)
    return table[columns]


# -- 6. Games-Howell pairs -------------------------------------------------------------
PAIR_COLUMNS = ["groep_a", "groep_a_label", "groep_b", "groep_b_label", "gemiddelde_a", "gemiddelde_b",
                "verschil", "hedges_g", "p", "p_holm", "effect", "opvallend"]


def games_howell(data: pd.DataFrame, dv: str, between: str) -> pd.DataFrame:
    """``pingouin.pairwise_gameshowell`` (Hedges' g) with every p from :func:`studentized_range_sf`.

    pingouin takes p from scipy's studentized range, whose ``sf`` is 1 − CDF:
    below about 1e-13 it is stuck or 0. The statistic stays pingouin's:
    q = √2 |T| with the pair's Welch degrees of freedom and k groups.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pingouin's inexact p is replaced below; its warnings do not matter
        result = pg.pairwise_gameshowell(data=data, dv=dv, between=between, effsize="hedges")
    k = len(set(result["A"]) | set(result["B"]))
    result["pval"] = reported_p(np.array([studentized_range_sf(math.sqrt(2) * abs(t), k, dof)
                                          for t, dof in zip(result["T"], result["df"])], dtype=float))
    return result


def pairwise_differences(df: pd.DataFrame, scale: str, by: str, codebook: Codebook | None = None,
                         groups=None) -> pd.DataFrame:
    """Games-Howell comparison of every pair of groups of `by` on one scale score, with Hedges' g.

    Pairs in codebook order (group a before group b); verschil = gemiddelde_a
    − gemiddelde_b and hedges_g has the same sign. Columns: groep_a,
    groep_a_label, groep_b, groep_b_label, gemiddelde_a, gemiddelde_b,
    verschil, hedges_g, p (Games-Howell), p_holm (Holm over the pairs
    returned), effect (Dutch label of g), opvallend (:func:`is_notable`).
    The groups are those :func:`group_differences` tests (with the same `groups`).
    """
    cb = codebook or load_codebook()
    groups = _testable_groups(practice_score(df, [scale], cb), df, by, _allowed(groups, scale, by))
    if len(groups) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    labels = {code: text for code, text, _ in groups}
    result = games_howell(_long(groups), "score", "groep")
    table = pd.DataFrame({
        "groep_a": result["A"].astype(object), "groep_a_label": result["A"].map(labels).astype(object),
        "groep_b": result["B"].astype(object), "groep_b_label": result["B"].map(labels).astype(object),
        "gemiddelde_a": result["mean_A"].astype(float), "gemiddelde_b": result["mean_B"].astype(float),
        "verschil": result["diff"].astype(float), "hedges_g": result["hedges"].astype(float),
        "p": result["pval"].astype(float),
    })
    return _add_verdict(table, "hedges_g", "hedges_g", PAIR_COLUMNS)


# -- 6b. a group against its benchmark -------------------------------------------------
BENCHMARK_COLUMNS = ["schaal", "schaal_label", "domein", "n", "gemiddelde", "n_referentie", "gemiddelde_referentie",
                     "verschil", "hedges_g", "p", "p_holm", "effect", "opvallend"]


def benchmark_differences(group: pd.DataFrame, reference: pd.DataFrame, scales,
                          codebook: Codebook | None = None) -> pd.DataFrame:
    """Each scale score of `group` against `reference` (e.g. an institution against all other teachers).

    Welch's t-test and Hedges' g (positive: `group` scores higher); Holm over
    the scales returned; effect and opvallend as everywhere (:func:`is_notable`).
    `reference` must not contain the rows of `group`: the two samples are
    independent. A scale with fewer than two scores on either side is left out.
    """
    cb = codebook or load_codebook()
    rows = []
    for sid in scales:
        a = practice_score(group, [sid], cb).dropna().to_numpy(dtype=float)
        b = practice_score(reference, [sid], cb).dropna().to_numpy(dtype=float)
        if len(a) < 2 or len(b) < 2 or (np.var(a, ddof=1) == 0 and np.var(b, ddof=1) == 0):
            continue
        test = stats.ttest_ind(a, b, equal_var=False)
        rows.append(dict(schaal=sid, schaal_label=cb.scales[sid].label, domein=cb.scales[sid].domain,
                         n=len(a), gemiddelde=float(a.mean()), n_referentie=len(b),
                         gemiddelde_referentie=float(b.mean()), verschil=float(a.mean() - b.mean()),
                         hedges_g=float(pg.compute_effsize(a, b, eftype="hedges")), p=reported_p(float(test.pvalue))))
    table = pd.DataFrame(rows, columns=BENCHMARK_COLUMNS[:-3])
    return _add_verdict(table, "hedges_g", "hedges_g", BENCHMARK_COLUMNS)


# -- 7. practice on competences --------------------------------------------------------
REGRESSION_COLUMNS = ["schaal", "schaal_label", "domein", "beta", "se", "ci_laag", "ci_hoog", "p", "p_holm"]


def practice_domains(codebook: Codebook | None = None) -> list[str]:
    """Domains of kind 'praktijk' (what teachers do), in codebook order."""
    cb = codebook or load_codebook()
    return [d for d, spec in cb.domains.items() if spec["soort"] == "praktijk"]


def _zscore(frame: pd.DataFrame) -> pd.DataFrame:
    return (frame - frame.mean()) / frame.std(ddof=1)


def practice_regression(df: pd.DataFrame, practice_domain: str,
                        codebook: Codebook | None = None) -> tuple[pd.DataFrame, dict]:
    """Standardised OLS of a practice domain's score on every competence scale score.

    Outcome: :func:`practice_score` over the domain's scales asked in the
    rows' wave(s); predictors: every competence scale asked in the rows'
    wave(s). Complete cases only; outcome and predictors are z-scored on
    those cases, so the coefficients are standardised betas (the intercept is
    0 and not returned). A predictor without spread is left out.

    Returns (coefficients, fit). Coefficients: schaal, schaal_label, domein,
    beta, se, ci_laag, ci_hoog (95%), p, p_holm (Holm over the predictors).
    fit: n, k (predictors), r2, r2_adj, uitkomst (the domain), schalen_uitkomst.
    Too few complete cases for the model (n <= k + 1): no coefficients and
    missing r2.
    """
    cb = codebook or load_codebook()
    if practice_domain not in practice_domains(cb):
        raise ValueError(f"Onbekend praktijkdomein '{practice_domain}'; kies uit {', '.join(practice_domains(cb))}")
    outcome_scales = [sid for sid, s in cb.scales.items() if s.domain == practice_domain and _asked(sid, df, cb)]
    predictors = [sid for sid in competence_scales() if _asked(sid, df, cb)]
    outcome = practice_score(df, outcome_scales, cb).rename("_uitkomst")
    data = pd.concat([_scores(df, predictors, cb), outcome], axis=1).dropna()
    predictors = [sid for sid in predictors if data[sid].nunique() > 1]
    fit = dict(n=len(data), k=len(predictors), r2=math.nan, r2_adj=math.nan,
               uitkomst=practice_domain, schalen_uitkomst=tuple(outcome_scales))
    if not predictors or len(data) <= len(predictors) + 1 or data["_uitkomst"].nunique() < 2:
        return pd.DataFrame(columns=REGRESSION_COLUMNS), fit
    z = _zscore(data[[*predictors, "_uitkomst"]])
    result = pg.linear_regression(z[predictors], z["_uitkomst"], alpha=1 - CONFIDENCE)
    fit.update(r2=float(result["r2"].iloc[0]), r2_adj=float(result["adj_r2"].iloc[0]))
    coef = result.loc[result["names"] != "Intercept"].reset_index(drop=True)
    lower, upper = f"CI{100 * (1 - CONFIDENCE) / 2:g}", f"CI{100 * (1 + CONFIDENCE) / 2:g}"
    table = pd.DataFrame({
        "schaal": coef["names"].astype(object),
        "schaal_label": [cb.scales[sid].label for sid in coef["names"]],
        "domein": [cb.scales[sid].domain for sid in coef["names"]],
        "beta": coef["coef"].astype(float), "se": coef["se"].astype(float),
        "ci_laag": coef[lower].astype(float), "ci_hoog": coef[upper].astype(float),
        "p": reported_p(coef["pval"].astype(float).to_numpy()),
    })
    table["p_holm"] = _holm(table["p"])
    return table[REGRESSION_COLUMNS], fit


# -- 7b. verdicts over a family: pairs of every scale, predictors of a model ------------
PAIR_FAMILY_COLUMNS = ["schaal", "schaal_label", "domein", *PAIR_COLUMNS]


def pairwise_family(df: pd.DataFrame, scales, by: str, codebook: Codebook | None = None,
                    groups=None) -> pd.DataFrame:
    """:func:`pairwise_differences` of every scale in `scales` by `by`, with Holm over all the pairs returned.

    One row per scale × pair of groups (scales in the order given). Columns:
    schaal, schaal_label, domein, then those of :func:`pairwise_differences`;
    p_holm, effect and opvallend are decided over the whole family. `groups`
    as in :func:`group_differences`.
    """
    cb = codebook or load_codebook()
    parts = []
    for sid in scales:
        pairs = pairwise_differences(df, sid, by, cb, groups)
        if len(pairs):
            parts.append(pairs.assign(schaal=sid, schaal_label=cb.scales[sid].label, domein=cb.scales[sid].domain))
    if not parts:
        return pd.DataFrame(columns=PAIR_FAMILY_COLUMNS)
    table = pd.concat(parts, ignore_index=True)
    return _add_verdict(table, "hedges_g", "hedges_g", PAIR_FAMILY_COLUMNS)


REGRESSION_VERDICT_COLUMNS = [*REGRESSION_COLUMNS, "t", "np2", "effect", "opvallend"]


def regression_verdict(coefficients: pd.DataFrame, fit: dict) -> pd.DataFrame:
    """The coefficients of :func:`practice_regression` with each predictor's effect size and the notable rule.

    The effect size of one predictor is its partial eta squared,
    t² / (t² + n − k − 1) with t = beta / se (a one-degree-of-freedom F over
    the residual degrees of freedom), so a coefficient is judged by the same
    rule and thresholds as a comparison of groups (:func:`is_notable`, 'np2')
    with the Holm-adjusted p of the model. Adds t, np2, effect, opvallend.
    """
    table = coefficients.copy()
    residual_df = fit["n"] - fit["k"] - 1
    t = table["beta"].astype(float) / table["se"].astype(float)
    table["t"] = t
    table["np2"] = t ** 2 / (t ** 2 + residual_df) if residual_df > 0 else math.nan
    table["effect"] = pd.Series([effect_size_label(v, "np2") for v in table["np2"]], index=table.index,
                                dtype=object)
    table["opvallend"] = pd.Series([is_notable(p, e, "np2") for p, e in zip(table["p_holm"], table["np2"])],
                                   index=table.index, dtype=bool)
    return table[REGRESSION_VERDICT_COLUMNS]


MEANS_COLUMNS = ["groep", "n", "gemiddelde", "sd", "ci_laag", "ci_hoog"]


def score_means(df: pd.DataFrame, scales, by: str, codebook: Codebook | None = None) -> pd.DataFrame:
    """Mean, sd and 95% t-interval of the score over `scales` (:func:`practice_score`) per value of column `by`.

    For a column without codebook labels (e.g. ``instelling``): groups are
    the values present, sorted; rows without a score or a value are left out.
    Columns: groep, n, gemiddelde, sd, ci_laag, ci_hoog.
    """
    cb = codebook or load_codebook()
    frame = pd.DataFrame({"score": practice_score(df, list(scales), cb), "groep": df[by].astype(object)}).dropna()
    rows = []
    for code in sorted(frame["groep"].astype(str).unique()):
        values = frame.loc[frame["groep"].astype(str) == code, "score"].to_numpy(dtype=float)
        mean, sd, low, high = _t_interval(values)
        rows.append(dict(groep=code, n=len(values), gemiddelde=mean, sd=sd, ci_laag=low, ci_hoog=high))
    return pd.DataFrame(rows, columns=MEANS_COLUMNS)


# -- 8. variance at institution, team and teacher level --------------------------------
NO_TEAM = "zonder team"  # the one team unit per institution of respondents without a team
# Optimisers in the order tried. On the shipped data's main wave statsmodels' default
# (lbfgs) alone stops at a worse optimum for lesgeven met ict (REML
# log-likelihood -7771.8 against -7757.8) and calls it converged, while Powell
# reaches the better one; for another scale Powell stops a hair short of lbfgs.
# So the first COMPARED_FITS optimisers that converge are all run and the fit
# with the highest log-likelihood is kept.
OPTIMIZERS = ("powell", "lbfgs", "nm", "bfgs")
COMPARED_FITS = 2
# Convergence warnings that do not mean the optimisation failed: a variance
# estimated at (or near) zero, and the standard errors that follow from it.
_BENIGN_WARNINGS = ("may be on the boundary", "Hessian matrix at the estimated parameter values")
MIN_INSTITUTIONS = 2


def _no_variance(n: int, n_institutions: int, n_teams: int, reason: str) -> dict:
    return dict(n=n, n_instellingen=n_institutions, n_teams=n_teams,
                var_instelling=math.nan, var_team=math.nan, var_docent=math.nan,
                aandeel_instelling=math.nan, aandeel_team=math.nan, aandeel_docent=math.nan,
                optimalisatie=None, reden=reason)


def _fit_null_model(model: MixedLM, method: str):
    """REML fit with one optimiser; None if it fails or warns that it failed. No warning escapes."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = model.fit(method=method, reml=True)
        except (np.linalg.LinAlgError, ValueError, FloatingPointError):
            return None
    failed = [w for w in caught if issubclass(w.category, ConvergenceWarning)
              and not any(text in str(w.message) for text in _BENIGN_WARNINGS)]
    if failed or not result.converged or not np.isfinite(result.llf):
        return None
    variances = (float(result.cov_re.iloc[0, 0]), float(result.vcomp[0]), float(result.scale))
    if not all(math.isfinite(v) and v >= 0 for v in variances) or sum(variances) <= 0:
        return None
    return float(result.llf), variances


def variance_shares(df: pd.DataFrame, outcome_scales, codebook: Codebook | None = None) -> dict:
    """Share of the variance of a score at institution, team and teacher level.

    The score is :func:`practice_score` over `outcome_scales` (one scale or
    a domain's scales). A null model (intercept only) is fitted by REML with
    statsmodels MixedLM: a random intercept per ``instelling`` and a variance
    component for ``team`` within the institution; respondents without a team
    form one unit 'zonder team' per institution. Pass rows of one wave.

    Returns a dict: n, n_instellingen, n_teams (team units), var_instelling,
    var_team, var_docent (residual), aandeel_instelling, aandeel_team,
    aandeel_docent (summing to 1), optimalisatie (the optimiser of the fit
    kept) and reden (None, or in Dutch why the shares are missing).
    Optimisers are tried in the order of :data:`OPTIMIZERS`; a fit that does
    not converge or warns that it failed is passed over, and of the first
    :data:`COMPARED_FITS` good fits the one with the highest log-likelihood is
    kept. No warning escapes.
    """
    cb = codebook or load_codebook()
    return outcome_variance_shares(df, practice_score(df, list(outcome_scales), cb))


def outcome_variance_shares(df: pd.DataFrame, outcome: pd.Series) -> dict:
    """:func:`variance_shares` of any numeric outcome (one value per row of `df`), e.g. a number of activities."""
    team = df["team"].astype(object) if "team" in df.columns else pd.Series(None, index=df.index, dtype=object)
    has_team = team.notna() & (team.astype(str).str.strip() != "")
    data = pd.DataFrame({
        "score": pd.to_numeric(outcome, errors="coerce").astype(float),
        "instelling": df["instelling"].astype(object),
        "team": team.where(has_team, NO_TEAM).astype(str),
    }).dropna(subset=["score", "instelling"])
    data["instelling"] = data["instelling"].astype(str)
    n, n_institutions = len(data), data["instelling"].nunique()
    n_teams = len(data.drop_duplicates(["instelling", "team"]))
    if n_institutions < MIN_INSTITUTIONS:
        return _no_variance(n, n_institutions, n_teams, "Minder dan twee instellingen met een score")
    if data["score"].nunique() < 2:
        return _no_variance(n, n_institutions, n_teams, "De score varieert niet")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nothing from statsmodels reaches the reader
        model = MixedLM.from_formula("score ~ 1", groups="instelling", re_formula="1",
                                     vc_formula={"team": "0 + C(team)"}, data=data)
    fits = {}
    for method in OPTIMIZERS:
        fit = _fit_null_model(model, method)
        if fit is not None:
            fits[method] = fit
            if len(fits) == COMPARED_FITS:
                break
    if not fits:
        return _no_variance(n, n_institutions, n_teams,
                            f"Het multilevelmodel convergeert niet (geprobeerd: {', '.join(OPTIMIZERS)})")
    method = max(fits, key=lambda m: fits[m][0])
    var_institution, var_team, var_teacher = fits[method][1]
    total = var_institution + var_team + var_teacher
    return dict(n=n, n_instellingen=n_institutions, n_teams=n_teams,
                var_instelling=var_institution, var_team=var_team, var_docent=var_teacher,
                aandeel_instelling=var_institution / total, aandeel_team=var_team / total,
                aandeel_docent=var_teacher / total, optimalisatie=method, reden=None)
