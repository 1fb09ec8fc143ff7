"""Katern B: how the scale scores change between waves.

The waves are repeated cross-sections, not a panel: no respondent is ever
linked across waves. Two things besides a real change can move a national
mean between two waves, and this module separates them:

* **Which institutions took part.** An institution that joins in a later
  wave with high scores lifts the national mean without any teacher
  changing. Every comparison "W vs reference" therefore uses only the
  institutions with respondents in both waves (:func:`comparable_institutions`);
  basis ``"vergelijkbaar"``.
* **Which teachers answered.** Within those institutions the mix of
  teachers can differ (more avo teachers, more starters). Basis
  ``"herwogen"`` rakes the earlier wave to the reference wave's composition
  on :data:`MARGINS` (:func:`rake_weights`, iterative proportional fitting);
  the reference wave itself is never weighted.

A scale score is :func:`helpers.stats.typology.practice_score` (the mean of
the items, missing unless every item is answered). Whether a scale was
measured in a wave is decided by the data: measured iff at least one
respondent of that wave (all its institutions, not only the comparable ones)
has a score. A scale not measured gets ``gemeten=False`` and missing numbers,
never 0.

Weighted estimates use Kish's effective sample size
n_eff = (Σw)² / Σw² (:func:`weighted_interval`): the weighted variance is
bias-corrected with n_eff, the standard error is sd / √n_eff and the interval
and the test use t with n_eff − 1 degrees of freedom. This is the usual
approximation; it ignores that the weights themselves are estimated. With
equal weights every weighted number equals its unweighted counterpart.

Public functions: :func:`comparable_institutions`, :func:`rake_weights`,
:func:`weighted_interval`, :func:`scale_trends`, :func:`trend_differences`,
:func:`trend_verdicts`, :func:`reweighting_changes_verdict`, :func:`wave_means`, :func:`waves_overview`,
:func:`theme_trends`, :func:`theme_verdicts`. Wave years, counts and scale lists always come from
the rows passed in.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

from helpers.data.codebook import Codebook, load_codebook
from helpers.stats.association import _holm
from helpers.stats.pvalues import reported_p
from helpers.data.waves import theme_labels
from helpers.data.waves import waves as _waves
from helpers.stats.scales import CONFIDENCE, _t_interval, effect_size_label, is_notable
from helpers.stats.typology import practice_score

MARGINS = ("functie", "vak", "ervaring")  # background characteristics the earlier wave is raked on
COMPARABLE, REWEIGHTED = "vergelijkbaar", "herwogen"
BASES = (COMPARABLE, REWEIGHTED)
RAKE_TOLERANCE = 1e-10  # largest allowed |weighted share − target share| over every margin category
RAKE_MAX_ITERATIONS = 1000  # full cycles over the margins before raking gives up (attrs say so)


# -- helpers ---------------------------------------------------------------------------
def _wave_mask(df: pd.DataFrame, wave: int) -> pd.Series:
    return (df["meting"] == wave).fillna(False).astype(bool)


def _institutions(df: pd.DataFrame) -> set[str]:
    if "instelling" not in df.columns:
        return set()
    return {str(code) for code in df["instelling"].dropna()}


def _comparison(earlier: int, later: int) -> str:
    return f"{earlier}-{later}"


def _scores(df: pd.DataFrame, scales, cb: Codebook) -> pd.DataFrame:
    return pd.DataFrame({sid: practice_score(df, [sid], cb) for sid in scales}, index=df.index)


def _measured(scores: pd.DataFrame, mask: pd.Series) -> dict[str, bool]:
    """Per scale: does at least one respondent of the wave (`mask`) have a score? The data decides."""
    return {sid: bool(scores.loc[mask, sid].notna().any()) for sid in scores.columns}


# -- 1. comparable institutions ----------------------------------------------------------
def comparable_institutions(df: pd.DataFrame, earlier: int, later: int) -> list[str]:
    """Institution codes (sorted) with at least one respondent in wave `earlier` and in wave `later`."""
    if "meting" not in df.columns:
        return []
    both = _institutions(df.loc[_wave_mask(df, earlier)]) & _institutions(df.loc[_wave_mask(df, later)])
    return sorted(both)


# -- 2. raking ---------------------------------------------------------------------------
def rake_weights(df: pd.DataFrame, target: pd.DataFrame, margins=MARGINS,
                 tolerance: float = RAKE_TOLERANCE, max_iterations: int = RAKE_MAX_ITERATIONS) -> pd.Series:
    """Raking weights that give `df` the margins of `target` on each column of `margins`.

    Iterative proportional fitting: per margin in turn, every respondent's
    weight is multiplied by target share / current weighted share of their
    category, until no category is further than `tolerance` from its target
    (or `max_iterations` full cycles). Weights have mean 1 over the weighted
    respondents, indexed like `df`.

    * A respondent of `df` with a missing code on any margin is left out: the
      weight is missing (NaN). The target shares are taken over the `target`
      rows with every margin code, so both sides are complete cases.
    * A category of `target` absent in `df` cannot be reached and is skipped;
      the other target shares of that margin are rescaled to sum to 1.
    * A category of `df` absent in `target` gets weight 0: the target has no
      such teachers.
    * A margin on which `df` and `target` share no category is not raked.
    * Zero weights can add up to everyone (no teacher of `df` fits the
      target): all weights stay 0 and ``geconvergeerd`` is False.

    ``weights.attrs`` holds ``marges`` (margins raked), ``iteraties``,
    ``geconvergeerd`` and ``max_afwijking`` (largest |share − target| left).
    """
    margins = list(margins)
    weights = pd.Series(np.nan, index=df.index, dtype=float, name="gewicht")
    complete = df[margins].notna().all(axis=1) if margins else pd.Series(True, index=df.index)
    rows = df.loc[complete, margins].astype(object)
    goal = target[margins].dropna().astype(object) if margins else target
    plan = []  # (category index per respondent, -1 = not in target; target shares)
    for margin in margins:
        shares = goal[margin].value_counts(normalize=True)
        shares = shares[shares.index.isin(set(rows[margin]))]  # skip target categories absent in df
        if len(rows) == 0 or shares.sum() <= 0:
            continue
        shares = shares / shares.sum()
        position = {code: i for i, code in enumerate(shares.index)}
        index = rows[margin].map(position).fillna(-1).to_numpy(dtype=np.int64)
        plan.append((margin, index, shares.to_numpy(dtype=float)))
    w = np.ones(len(rows))
    for _, index, _ in plan:
        w[index < 0] = 0.0

    def deviation() -> float:
        if not plan:
            return 0.0
        total = w.sum()
        if total <= 0:  # every respondent in a category the target lacks: nothing to rake
            return math.inf
        return max((float(np.abs(np.bincount(i[i >= 0], w[i >= 0], minlength=len(t)) / total - t).max())
                    for _, i, t in plan), default=0.0)

    iterations = 0
    gap = deviation()
    while math.isfinite(gap) and gap > tolerance and iterations < max_iterations:
        for _, index, share in plan:
            inside = index >= 0
            current = np.bincount(index[inside], w[inside], minlength=len(share)) / w.sum()
            # A category whose weight vanished (through another margin) cannot be lifted: leave it.
            factor = np.divide(share, current, out=np.ones_like(share), where=current > 0)
            w[inside] *= factor[index[inside]]
        iterations += 1
        gap = deviation()
    if len(w) and w.sum() > 0:
        w = w / w.mean()
    weights.loc[rows.index] = w
    weights.attrs.update(marges=[m for m, _, _ in plan], iteraties=iterations,
                         geconvergeerd=bool(gap <= tolerance), max_afwijking=float(gap))
    return weights


# -- 3. weighted mean and interval -------------------------------------------------------
def weighted_interval(values, weights) -> tuple[float, float, float, float, float]:
    """Weighted mean, sd, 95% interval (low, high) and Kish's effective n.

    n_eff = (Σw)² / Σw²; sd² = Σw(x − mean)² / Σw · n_eff / (n_eff − 1); the
    interval is mean ± t(n_eff − 1) · sd / √n_eff. Pairs with a missing value
    or weight are left out; weight 0 counts for nothing. With equal weights
    this is the ordinary t-interval. Missing where n_eff is too small.
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    keep = np.isfinite(x) & np.isfinite(w) & (w > 0)
    x, w = x[keep], w[keep]
    if len(x) == 0:
        return math.nan, math.nan, math.nan, math.nan, 0.0
    total = w.sum()
    n_eff = float(total ** 2 / (w ** 2).sum())
    mean = float((w * x).sum() / total)
    if n_eff <= 1 + 1e-12:
        return mean, math.nan, math.nan, math.nan, n_eff
    sd = math.sqrt(float((w * (x - mean) ** 2).sum() / total) * n_eff / (n_eff - 1))
    half = float(stats.t.ppf(0.5 + CONFIDENCE / 2, n_eff - 1)) * sd / math.sqrt(n_eff)
    return mean, sd, mean - half, mean + half, n_eff


# -- 4. trends per comparison ------------------------------------------------------------
TREND_COLUMNS = ["vergelijking", "meting", "basis", "schaal", "schaal_label", "domein", "gemeten", "n",
                 "n_effectief", "n_instellingen", "gemiddelde", "sd", "ci_laag", "ci_hoog"]


def _reference(df: pd.DataFrame, reference_wave) -> tuple[list[int], int | None]:
    """(earlier waves, reference wave): the reference is the newest wave unless given."""
    waves = _waves(df)
    if not waves:
        return [], None
    if reference_wave is None:
        reference_wave = waves[-1]
    elif int(reference_wave) not in waves:
        raise ValueError(f"Meting {reference_wave} komt niet voor in de gegevens (wel: "
                         f"{', '.join(str(w) for w in waves)})")
    reference_wave = int(reference_wave)
    return [w for w in waves if w < reference_wave], reference_wave


def _comparisons(df: pd.DataFrame, scales, reference_wave, cb: Codebook):
    """Yield per earlier wave everything both tables need: rows, scores, weights, measured flags."""
    earlier_waves, later = _reference(df, reference_wave)
    if not earlier_waves:
        return
    scores = _scores(df, scales, cb)
    later_mask = _wave_mask(df, later)
    measured_later = _measured(scores, later_mask)
    institution = df["instelling"].astype(object)
    for earlier in earlier_waves:
        earlier_mask = _wave_mask(df, earlier)
        common = set(comparable_institutions(df, earlier, later))
        in_common = institution.isin(common)
        early_rows, late_rows = earlier_mask & in_common, later_mask & in_common
        weights = rake_weights(df.loc[early_rows], df.loc[late_rows])
        yield dict(
            vergelijking=_comparison(earlier, later), earlier=earlier, later=later, n_common=len(common),
            early=scores.loc[early_rows], late=scores.loc[late_rows], weights=weights,
            early_institution=institution[early_rows], late_institution=institution[late_rows],
            measured_early=_measured(scores, earlier_mask), measured_later=measured_later,
        )


def _trend_row(c: dict, wave: int, basis: str, sid: str, measured: bool, values: pd.Series,
               institutions: pd.Series, weights: pd.Series | None, cb: Codebook) -> dict:
    scale = cb.scales[sid]
    row = dict(vergelijking=c["vergelijking"], meting=wave, basis=basis, schaal=sid, schaal_label=scale.label,
               domein=scale.domain, gemeten=measured, n=pd.NA, n_effectief=math.nan, n_instellingen=pd.NA,
               gemiddelde=math.nan, sd=math.nan, ci_laag=math.nan, ci_hoog=math.nan)
    if not measured:
        return row  # not measured: missing, never 0
    scored = values.notna()
    if weights is not None:
        scored &= weights.reindex(values.index).gt(0)  # left out of the raking or weight 0: not counted
    x = values[scored].to_numpy(dtype=float)
    if weights is None:
        mean, sd, low, high = _t_interval(x)
        n_eff = float(len(x))
    else:
        mean, sd, low, high, n_eff = weighted_interval(x, weights[values.index[scored]].to_numpy(dtype=float))
    row.update(n=int(len(x)), n_effectief=n_eff, n_instellingen=int(institutions[scored].nunique()),
               gemiddelde=mean, sd=sd, ci_laag=low, ci_hoog=high)
    return row


def _trend_table(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=TREND_COLUMNS)
    for column in ("n", "n_instellingen"):
        table[column] = table[column].astype("Int64")
    table["gemeten"] = table["gemeten"].astype(bool)
    for column in ("n_effectief", "gemiddelde", "sd", "ci_laag", "ci_hoog"):
        table[column] = table[column].astype(float)
    return table


def scale_trends(df: pd.DataFrame, scales, reference_wave: int | None = None,
                 codebook: Codebook | None = None) -> pd.DataFrame:
    """Mean and 95% interval of each scale per comparison "W vs reference", on comparable institutions.

    For every wave W before the reference wave (default: the newest wave in
    `df`), only the institutions with respondents in both W and the
    reference wave. One row per (vergelijking, meting, basis, schaal), in
    that order, scales in the order given; basis "vergelijkbaar" (plain
    means) and "herwogen" (W raked to the reference wave's composition on
    :data:`MARGINS`; the reference wave's herwogen row equals its plain row).

    Columns: vergelijking ("W-reference"), meting, basis, schaal,
    schaal_label, domein, gemeten (the wave has any score on the scale), n
    (respondents with a score; Int64), n_effectief (Kish; = n unweighted),
    n_instellingen (institutions among them; Int64), gemiddelde, sd, ci_laag,
    ci_hoog. On a herwogen row of W, n counts the respondents with a positive
    weight (a missing margin code or a category the reference wave lacks
    leaves a teacher out). Not measured: n and every statistic missing. Measured but
    without comparable respondents: n = 0, statistics missing. Fewer than two
    waves: an empty table with these columns.
    """
    cb = codebook or load_codebook()
    scales = list(scales)
    rows = []
    for c in _comparisons(df, scales, reference_wave, cb):
        for wave, values, institutions, measured, weights in (
            (c["earlier"], c["early"], c["early_institution"], c["measured_early"], c["weights"]),
            (c["later"], c["late"], c["late_institution"], c["measured_later"], None),
        ):
            for basis in BASES:
                for sid in scales:
                    rows.append(_trend_row(c, wave, basis, sid, measured[sid], values[sid], institutions,
                                           weights if basis == REWEIGHTED else None, cb))
    return _trend_table(rows)


# -- 4b. every wave at once ------------------------------------------------------------
WAVE_MEAN_COLUMNS = ["schaal", "schaal_label", "domein", "meting", "gemeten", "metingen_gevraagd",
                     "n_instellingen", "n", "gemiddelde", "sd", "ci_laag", "ci_hoog"]


def wave_means(df: pd.DataFrame, scales, reference_wave: int | None = None,
               codebook: Codebook | None = None) -> pd.DataFrame:
    """Per scale and wave (up to the reference wave): the mean and 95% interval over every wave that asked the scale.

    Comparable institutions as the comparisons of two waves define them,
    over all the waves compared: only the institutions with respondents in
    every wave that asked the scale (so an institution that joined later
    moves no point). A wave asked the scale when any of its respondents (all
    institutions) has a score. One row per (schaal, meting), waves ascending;
    a wave that did not ask the scale has gemeten False and missing numbers,
    never 0. metingen_gevraagd: how many waves asked the scale;
    n_instellingen: the comparable institutions of the scale. Plain means
    (no weights), t-interval as everywhere in the book.
    """
    cb = codebook or load_codebook()
    scales = list(scales)
    earlier, reference = _reference(df, reference_wave)
    rows = []
    if reference is not None:
        waves = [*earlier, reference]
        scores = _scores(df, scales, cb)
        masks = {w: _wave_mask(df, w) for w in waves}
        institution = df["instelling"].astype(object)
        for sid in scales:
            scale = cb.scales[sid]
            asked = [w for w in waves if scores.loc[masks[w], sid].notna().any()]
            common = set.intersection(*(_institutions(df.loc[masks[w]]) for w in asked)) if asked else set()
            for w in waves:
                row = dict(schaal=sid, schaal_label=scale.label, domein=scale.domain, meting=w, gemeten=w in asked,
                           metingen_gevraagd=len(asked), n_instellingen=len(common), n=pd.NA, gemiddelde=math.nan,
                           sd=math.nan, ci_laag=math.nan, ci_hoog=math.nan)
                if w in asked:
                    x = scores.loc[masks[w] & institution.isin(common), sid].dropna().to_numpy(dtype=float)
                    mean, sd, low, high = _t_interval(x)
                    row.update(n=len(x), gemiddelde=mean, sd=sd, ci_laag=low, ci_hoog=high)
                rows.append(row)
    table = pd.DataFrame(rows, columns=WAVE_MEAN_COLUMNS)
    for column in ("meting", "metingen_gevraagd", "n_instellingen", "n"):
        table[column] = table[column].astype("Int64")
    for column in ("gemiddelde", "sd", "ci_laag", "ci_hoog"):
        table[column] = table[column].astype(float)
    table["gemeten"] = table["gemeten"].astype(bool)
    return table


# -- 5. differences per comparison -------------------------------------------------------
DIFFERENCE_COLUMNS = [
    "vergelijking", "meting_eerder", "meting_later", "schaal", "schaal_label", "domein", "gemeten",
    "niet_gemeten_in", "n_instellingen", "n_eerder", "n_later", "gemiddelde_eerder", "gemiddelde_later",
    "verschil", "hedges_g", "p", "p_holm", "effect", "opvallend",
    "n_eerder_effectief", "gemiddelde_eerder_herwogen", "verschil_herwogen", "hedges_g_herwogen",
    "p_herwogen", "p_holm_herwogen", "effect_herwogen", "opvallend_herwogen", "steekproefeffect",
]


def _plain_test(later: np.ndarray, earlier: np.ndarray) -> tuple[float, float]:
    """(Hedges' g, Welch p) of later against earlier; g > 0: later is higher. Missing if untestable."""
    if len(later) < 2 or len(earlier) < 2 or (np.var(later) == 0 and np.var(earlier) == 0):
        return math.nan, math.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pingouin's Bayes factor may overflow on huge t; we do not use it
        p = float(pg.ttest(later, earlier, correction=True)["p_val"].iloc[0])
    return float(pg.compute_effsize(later, earlier, eftype="hedges")), reported_p(p)


def _weighted_test(later: np.ndarray, earlier: np.ndarray, weights: np.ndarray) -> tuple[float, float, float, float]:
    """(weighted earlier mean, n_eff, g, Welch p) with the earlier wave weighted, the later one not.

    The earlier side enters with its weighted mean and sd and Kish's n_eff
    in place of n. g = difference / pooled sd (pooled with n_eff − 1 and
    n − 1), times Hedges' small-sample factor 1 − 3 / (4(n_eff + n) − 9).
    Welch: t = difference / √(sd₁²/n_eff + sd₂²/n), Welch-Satterthwaite df.
    With equal weights these are pingouin's g and Welch p.
    """
    mean_e, sd_e, _, _, n_e = weighted_interval(earlier, weights)
    n_l = len(later)
    if n_l < 2 or not math.isfinite(sd_e):
        return mean_e, n_e, math.nan, math.nan
    mean_l, sd_l = float(later.mean()), float(later.std(ddof=1))
    difference = mean_l - mean_e
    pooled = math.sqrt(((n_e - 1) * sd_e ** 2 + (n_l - 1) * sd_l ** 2) / (n_e + n_l - 2))
    se_e, se_l = sd_e ** 2 / n_e, sd_l ** 2 / n_l
    if pooled == 0:
        return mean_e, n_e, math.nan, math.nan
    g = difference / pooled * (1 - 3 / (4 * (n_e + n_l) - 9))
    t = difference / math.sqrt(se_e + se_l)
    dof = (se_e + se_l) ** 2 / (se_e ** 2 / (n_e - 1) + se_l ** 2 / (n_l - 1))
    return mean_e, n_e, g, reported_p(float(2 * stats.t.sf(abs(t), dof)))


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else math.nan


def trend_differences(df: pd.DataFrame, scales, reference_wave: int | None = None,
                      codebook: Codebook | None = None) -> pd.DataFrame:
    """Per comparison "W vs reference" and scale: the change on the comparable institutions, plain and re-weighted.

    Plain: Welch's t-test (``pingouin.ttest``, correction=True) and Hedges'
    g (``pingouin.compute_effsize``) of the reference wave against W;
    verschil = later − earlier, g has the same sign. Re-weighted: W raked
    to the reference wave's composition (:func:`rake_weights`); the same
    Welch test and g with W's weighted mean and sd and Kish's n_eff
    (:func:`_weighted_test`: g = difference / pooled weighted sd × Hedges'
    factor). p_holm and p_holm_herwogen: Holm over the p-values of the whole
    table (each basis its own family of the same tests; a chapter that shows
    only some rows corrects over those with :func:`trend_verdicts`); effect (label of
    g) and opvallend by the book's one rule (:func:`is_notable`).
    steekproefeffect: the plain and re-weighted verdicts differ
    (:func:`reweighting_changes_verdict`: notably higher, notably lower or
    not notable; a flipped sign of a difference that is notable on neither
    basis is no change of verdict).

    Columns (:data:`DIFFERENCE_COLUMNS`): vergelijking, meting_eerder,
    meting_later, schaal, schaal_label, domein, gemeten, niet_gemeten_in,
    n_instellingen (comparable institutions), n_eerder, n_later,
    gemiddelde_eerder, gemiddelde_later, verschil, hedges_g, p, p_holm,
    effect, opvallend, n_eerder_effectief (Kish), gemiddelde_eerder_herwogen,
    verschil_herwogen, hedges_g_herwogen, p_herwogen, p_holm_herwogen,
    effect_herwogen, opvallend_herwogen, steekproefeffect.

    A scale not measured in W or the reference wave: gemeten=False, missing
    numbers and niet_gemeten_in = the wave year(s) without it (a tuple of
    ints; empty when measured). Fewer than two waves: empty table.
    """
    cb = codebook or load_codebook()
    scales = list(scales)
    rows = []
    for c in _comparisons(df, scales, reference_wave, cb):
        for sid in scales:
            scale = cb.scales[sid]
            missing_in = tuple(w for w, measured in ((c["earlier"], c["measured_early"][sid]),
                                                      (c["later"], c["measured_later"][sid])) if not measured)
            row = dict(vergelijking=c["vergelijking"], meting_eerder=c["earlier"], meting_later=c["later"],
                       schaal=sid, schaal_label=scale.label, domein=scale.domain, gemeten=not missing_in,
                       niet_gemeten_in=missing_in, n_instellingen=c["n_common"])
            if not missing_in:
                early = c["early"][sid]
                early = early[early.notna()]
                late = c["late"][sid].dropna().to_numpy(dtype=float)
                weights = c["weights"].reindex(early.index)
                x = early.to_numpy(dtype=float)
                g, p = _plain_test(late, x)
                weighted_mean, n_eff, g_w, p_w = _weighted_test(late, x, weights.to_numpy(dtype=float))
                row.update(n_eerder=len(x), n_later=len(late), gemiddelde_eerder=_mean(x),
                           gemiddelde_later=_mean(late), verschil=_mean(late) - _mean(x), hedges_g=g, p=p,
                           n_eerder_effectief=n_eff, gemiddelde_eerder_herwogen=weighted_mean,
                           verschil_herwogen=_mean(late) - weighted_mean, hedges_g_herwogen=g_w, p_herwogen=p_w)
            rows.append(row)
    table = pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)
    for column in ("meting_eerder", "meting_later", "n_instellingen", "n_eerder", "n_later"):
        table[column] = table[column].astype("Int64")
    for column in ("gemiddelde_eerder", "gemiddelde_later", "verschil", "hedges_g", "p",
                   "n_eerder_effectief", "gemiddelde_eerder_herwogen", "verschil_herwogen",
                   "hedges_g_herwogen", "p_herwogen"):
        table[column] = table[column].astype(float)
    table["gemeten"] = table["gemeten"].astype(bool)
    return trend_verdicts(table)


def trend_verdicts(table: pd.DataFrame, tested=None) -> pd.DataFrame:
    """`table` (of :func:`trend_differences`) with its Holm family and verdicts (re)computed over `tested` only.

    `tested`: a boolean mask of the rows a page shows (default every row).
    Per basis, p_holm (p_holm_herwogen) is Holm over the p (p_herwogen) of
    the rows in `tested` that have one; a row outside it gets no p_holm and
    is not notable, so a test an edition withholds never makes the tests it
    shows stricter. effect, opvallend (the book's one rule, :func:`is_notable`)
    and steekproefeffect follow from them. The caller decides the rows;
    this function only corrects over them.
    """
    table = table.copy()
    family = np.ones(len(table), dtype=bool) if tested is None else np.asarray(tested, dtype=bool)
    for suffix in ("", "_herwogen"):
        g = table[f"hedges_g{suffix}"]
        p = pd.to_numeric(table[f"p{suffix}"], errors="coerce").astype(float).where(family)
        table[f"p_holm{suffix}"] = _holm(p) if len(table) else pd.Series(dtype=float)
        table[f"effect{suffix}"] = pd.Series([effect_size_label(v, "hedges_g") for v in g],
                                             index=table.index, dtype=object)
        table[f"opvallend{suffix}"] = pd.Series(
            [is_notable(ph, e, "hedges_g") for ph, e in zip(table[f"p_holm{suffix}"], g)],
            index=table.index, dtype=bool)
    table["steekproefeffect"] = reweighting_changes_verdict(table)
    return table[[*DIFFERENCE_COLUMNS, *[c for c in table.columns if c not in DIFFERENCE_COLUMNS]]]


def _verdict(notable: pd.Series, difference: pd.Series) -> pd.Series:
    """+1 notably higher, −1 notably lower, 0 not notable: what the page says about a difference."""
    return np.sign(difference.astype(float)).where(notable.astype(bool), 0.0)


def reweighting_changes_verdict(table: pd.DataFrame) -> pd.Series:
    """steekproefeffect: the plain and the re-weighted verdict differ (notably higher / notably lower / neither).

    Only the book's verdict counts (:func:`is_notable`, with its direction). A
    negligible, non-significant difference whose sign flips when re-weighted
    keeps its verdict "not notable": the page must not say the composition
    decides it. Needs the columns verschil, opvallend and their _herwogen twins.
    """
    both = table["verschil"].notna() & table["verschil_herwogen"].notna()
    plain = _verdict(table["opvallend"], table["verschil"])
    reweighted = _verdict(table["opvallend_herwogen"], table["verschil_herwogen"])
    return (both & (plain != reweighted)).astype(bool)


# -- 6. who took part ------------------------------------------------------------------
def _participation_column(k: int) -> str:
    return f"instellingen_in_{k}_metingen"


def waves_overview(df: pd.DataFrame, institutions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Respondents and institutions per wave, and how many waves the institutions took part in.

    One row per wave (ascending) and a last row for all waves together
    (meting missing). Columns: meting (Int64), n_respondenten,
    n_instellingen, then with `institutions` (columns instelling, type)
    n_respondenten_<type> and n_instellingen_<type> per type present in that
    table (category order if categorical, else sorted; respondents of a code
    not in the table count in no type), then instellingen_in_<k>_metingen
    for k = 1 … number of waves: of the row's institutions, how many took
    part in exactly k waves (the last row: of all institutions). Rows
    without an institution code count as respondents only.
    """
    waves = _waves(df)
    frame = pd.DataFrame({
        "meting": df["meting"] if "meting" in df.columns else pd.Series(dtype="Int64"),
        "instelling": df["instelling"].astype(object) if "instelling" in df.columns else None,
    })
    type_of: dict[str, str] = {}
    types: list[str] = []
    if institutions is not None:
        kinds = institutions["type"]
        present = set(kinds.dropna().astype(str))
        order = [str(c) for c in kinds.cat.categories] if isinstance(kinds.dtype, pd.CategoricalDtype) \
            else sorted(present)
        types = [t for t in order if t in present]
        type_of = {str(code): str(kind) for code, kind in zip(institutions["instelling"], kinds) if pd.notna(kind)}
    frame["type"] = frame["instelling"].map(lambda code: type_of.get(str(code)) if pd.notna(code) else None)
    taken_part = frame.dropna(subset=["instelling", "meting"]).groupby("instelling")["meting"].nunique()
    columns = ["meting", "n_respondenten", "n_instellingen",
               *[f"n_respondenten_{t}" for t in types], *[f"n_instellingen_{t}" for t in types],
               *[_participation_column(k) for k in range(1, len(waves) + 1)]]

    def describe(rows: pd.DataFrame, wave) -> dict:
        codes = rows["instelling"].dropna()
        row = dict(meting=wave, n_respondenten=len(rows), n_instellingen=codes.nunique())
        for t in types:
            of_type = rows["type"] == t
            row[f"n_respondenten_{t}"] = int(of_type.sum())
            row[f"n_instellingen_{t}"] = int(rows.loc[of_type, "instelling"].nunique())
        counts = taken_part[taken_part.index.isin(set(codes))].value_counts()
        for k in range(1, len(waves) + 1):
            row[_participation_column(k)] = int(counts.get(k, 0))
        return row

    if not waves:
        return pd.DataFrame(columns=columns)
    rows = [describe(frame.loc[_wave_mask(frame, w)], w) for w in waves]
    rows.append(describe(frame.loc[frame["meting"].notna()], pd.NA))
    table = pd.DataFrame(rows, columns=columns)
    table["meting"] = table["meting"].astype("Int64")
    return table


# -- 7. themes over the waves ------------------------------------------------------------------
THEME_TREND_COLUMNS = ["vergelijking", "meting_eerder", "meting_later", "thema", "thema_label", "gevraagd",
                       "niet_gevraagd_in", "n_instellingen", "n_eerder", "n_later", "aandeel_eerder",
                       "aandeel_later", "verschil", "cohens_h", "p", "p_holm", "effect", "opvallend"]


def cohens_h(earlier: float, later: float) -> float:
    """Cohen's h of two shares (later − earlier): the difference of their arcsine-square-root transforms."""
    return 2 * math.asin(math.sqrt(later)) - 2 * math.asin(math.sqrt(earlier))


def share_comparison(a: pd.Series, b: pd.Series) -> dict:
    """Two shares of 0/1 answers compared: n, share and their difference (b − a), Cohen's h, and the p of the
    chi-square test of the 2 × 2 table (no continuity correction; missing p when an answer occurs in neither)."""
    a, b = a.dropna().astype(float), b.dropna().astype(float)
    pa, pb = float(a.mean()), float(b.mean())
    table = np.array([[a.sum(), len(a) - a.sum()], [b.sum(), len(b) - b.sum()]])
    p = math.nan
    if (table.sum(axis=0) > 0).all():
        p = reported_p(float(stats.chi2_contingency(table, correction=False)[1]))
    return dict(n_a=len(a), n_b=len(b), aandeel_a=pa, aandeel_b=pb, verschil=pb - pa, cohens_h=cohens_h(pa, pb), p=p)


def theme_trends(df: pd.DataFrame, reference_wave: int | None = None, codebook: Codebook | None = None) -> pd.DataFrame:
    """Share choosing each theme, every earlier wave against the reference wave (default the newest).

    On the teachers who completed the questionnaire (``volledig``) at the
    institutions present in both waves. A theme counts as asked in a wave when
    one of those waves' completers answered it; a theme not asked in both gets
    a row with gevraagd False and the missing wave(s) in niet_gevraagd_in.
    The difference is tested with the chi-square test of the 2 × 2 table
    (no continuity correction) and sized with Cohen's h; Holm over the table;
    opvallend under the book's one rule (:func:`is_notable`, kind 'cohens_h').
    """
    cb = codebook or load_codebook()
    earlier_waves, later = _reference(df, reference_wave)
    rows = []
    if not earlier_waves or "volledig" not in df.columns:
        return pd.DataFrame(rows, columns=THEME_TREND_COLUMNS)
    completers = df.loc[df["volledig"].fillna(False).astype(bool)]
    labels = theme_labels(completers, cb)
    for earlier in earlier_waves:
        common = comparable_institutions(df, earlier, later)
        part = completers.loc[completers["instelling"].astype(object).isin(set(common))]
        waves_rows = {w: part.loc[_wave_mask(part, w)] for w in (earlier, later)}
        for theme, label in labels.items():
            asked = {w: theme in rows_w.columns and rows_w[theme].notna().any() for w, rows_w in waves_rows.items()}
            row = dict(vergelijking=_comparison(earlier, later), meting_eerder=earlier, meting_later=later,
                       thema=theme, thema_label=label, gevraagd=all(asked.values()),
                       niet_gevraagd_in=tuple(w for w, a in asked.items() if not a), n_instellingen=len(common))
            if row["gevraagd"]:
                found = share_comparison(waves_rows[earlier][theme], waves_rows[later][theme])
                row |= dict(n_eerder=found["n_a"], n_later=found["n_b"], aandeel_eerder=found["aandeel_a"],
                            aandeel_later=found["aandeel_b"], verschil=found["verschil"],
                            cohens_h=found["cohens_h"], p=found["p"])
            rows.append(row)
    return theme_verdicts(pd.DataFrame(rows, columns=THEME_TREND_COLUMNS))


def theme_verdicts(table: pd.DataFrame, tested=None) -> pd.DataFrame:
    """`table` (of :func:`theme_trends`) with p_holm, effect and opvallend (re)computed over `tested` only.

    `tested`: a boolean mask of the rows a page shows (default every row);
    Holm runs over the p of those rows, as :func:`trend_verdicts` does for the
    scales: a row outside it gets no p_holm and is not notable.
    """
    table = table.copy()
    family = np.ones(len(table), dtype=bool) if tested is None else np.asarray(tested, dtype=bool)
    p = pd.to_numeric(table["p"], errors="coerce").astype(float).where(family)
    table["p_holm"] = _holm(p) if len(table) else pd.Series(dtype=float)
    table["effect"] = pd.Series([effect_size_label(h, "cohens_h") for h in table["cohens_h"]], index=table.index,
                                dtype=object)
    table["opvallend"] = pd.Series([is_notable(ph, h, "cohens_h") for ph, h in zip(table["p_holm"], table["cohens_h"])],
                                   index=table.index, dtype=bool)
    return table
