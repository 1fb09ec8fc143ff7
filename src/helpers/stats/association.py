"""Katern C §2.2 and Bijlage 1: which groups choose a theme more or less often.

For a 0/1 outcome (a theme) and a grouping variable (a background
characteristic), :func:`chi_square` runs Pearson's chi-square test of
independence on the groups × outcome table (``scipy.stats.chi2_contingency``
on the counts, without Yates' correction, so a 2 × 2 table gets the same
Pearson statistic as a larger one; Cramér's V from
``scipy.stats.contingency.association``) and gives, per group, the share with outcome = 1 and the
adjusted standardised residual of that cell (Haberman 1973):

    r = (O − E) / sqrt(E · (1 − row share) · (1 − column share)),

approximately standard normal under independence. A group *deviates* when
the test is significant (p ≤ alpha) and |r| ≥ z (1.96): positive means the
group chooses the theme more often than the other teachers, negative less
often. The counts are tabulated once and handed to scipy directly:
``pingouin.chi2_independence`` gives the same numbers (a test checks it) but
rebuilds the table and runs six divergence statistics per call, 20 ms each,
over a hundred times per edition. :func:`associations` collects many tests and adds Holm-adjusted
p-values over the whole family of tests (``pingouin.multicomp``).

Rows with a missing outcome or group are left out of a test; groups without
respondents are dropped before testing. A table with fewer than two groups
or an outcome that is the same for everyone allows no test: chi2, p and
Cramér's V are then missing and the test is not part of the Holm family.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pingouin as pg
from scipy.stats import chi2_contingency
from scipy.stats.contingency import association

from helpers.data.derive import INSTITUTION_TYPE, PROF_GROUP, label, value_labels
from helpers.core.memo import shared
from helpers.stats.pvalues import reported_p

# Background characteristics of Katern C §2.2 / Bijlage 1.
BACKGROUND = ["functie", "ervaring", "leeftijd", "vak", "domein", "bevoegdheid", INSTITUTION_TYPE, PROF_GROUP]
ALPHA = 0.05  # Katern C Bijlage 1: differences significant at p <= .05
Z = 1.96  # |adjusted residual| from which a group counts as deviating (two-sided 5%)
MORE, LESS = "vaker", "minder vaak"


@dataclass
class AssociationResult:
    """Chi-square test of one 0/1 outcome by one grouping variable."""

    outcome: str
    by: str
    chi2: float
    dof: int
    p: float
    cramers_v: float
    n: int
    share: float  # share with outcome = 1 among the n respondents of the test
    observed: pd.DataFrame  # groups (rows, codes) × outcome 0/1 (columns), counts
    groups: pd.DataFrame  # per group: groep, n, aantal (outcome = 1), aandeel, residu

    @property
    def tested(self) -> bool:
        return not np.isnan(self.p)


def _group_order(values: pd.Series, by: str) -> list:
    """Codes of `by` in the order to show them: categories, codebook order, else sorted."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return list(values.cat.categories)
    try:
        return list(value_labels(by))
    except KeyError:
        return sorted(values.dropna().unique().tolist(), key=str)


def adjusted_residuals(observed: np.ndarray) -> np.ndarray:
    """Adjusted standardised residuals (Haberman) of every cell of a two-way table of counts."""
    obs = np.asarray(observed, dtype=float)
    n = obs.sum()
    rows = obs.sum(axis=1, keepdims=True)
    cols = obs.sum(axis=0, keepdims=True)
    expected = rows @ cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        return (obs - expected) / np.sqrt(expected * (1 - rows / n) * (1 - cols / n))


def chi_square(df: pd.DataFrame, outcome: str, by: str) -> AssociationResult:
    """Pearson chi-square test of `outcome` (0/1) by the groups of `by`, with per-group residuals."""
    data = df[[outcome, by]].dropna()
    order = _group_order(df[by], by)
    y = data[outcome].astype(int).to_numpy()
    if not set(np.unique(y)) <= {0, 1}:
        raise ValueError(f"'{outcome}' moet 0/1 zijn")
    g = data[by].astype(object).to_numpy()
    seen = set(pd.unique(g))
    present = [code for code in order if code in seen]
    present += sorted(seen - set(present), key=str)  # codes outside the known order
    index = {code: i for i, code in enumerate(present)}
    group_index = np.fromiter((index[v] for v in g), dtype=np.int64, count=len(g))
    cells = np.zeros((len(present), 2), dtype=np.int64)
    np.add.at(cells, (group_index, y), 1)
    observed = pd.DataFrame(cells, index=pd.Index(present, name=by, dtype=object),
                            columns=pd.Index([0, 1], name=outcome))
    n = int(observed.to_numpy().sum())
    counts = observed.to_numpy()
    chi2 = p = cramers_v = float("nan")
    dof = 0
    if len(present) >= 2 and 0 < counts[:, 1].sum() < n:
        test = chi2_contingency(counts, correction=False)  # only groups present, so no empty rows
        chi2, dof, p = float(test.statistic), int(test.dof), reported_p(float(test.pvalue))
        cramers_v = float(association(counts, method="cramer", correction=False))
    residuals = adjusted_residuals(counts)[:, 1] if n else np.full(len(present), np.nan)
    group_n = counts.sum(axis=1)
    groups = pd.DataFrame({
        "groep": present,
        "n": group_n.astype(int),
        "aantal": counts[:, 1].astype(int),
        "aandeel": counts[:, 1] / np.where(group_n > 0, group_n, 1),
        "residu": residuals if len(present) >= 2 else np.full(len(present), np.nan),
    })
    return AssociationResult(outcome=outcome, by=by, chi2=chi2, dof=dof, p=p, cramers_v=cramers_v, n=n,
                             share=counts[:, 1].sum() / n if n else float("nan"),
                             observed=observed, groups=groups)


def _tests(df: pd.DataFrame, outcomes, variables) -> list[AssociationResult]:
    return [chi_square(df, outcome, by) for outcome in outcomes for by in variables]


def _holm(p: pd.Series) -> np.ndarray:
    """Holm-adjusted p-values over the non-missing entries of `p` (missing stays missing)."""
    values = p.to_numpy(dtype=float)
    if np.isfinite(values).sum() == 0:
        return values
    _, adjusted = pg.multicomp(values, method="holm")
    return adjusted


def _summary(results: list[AssociationResult]) -> pd.DataFrame:
    table = pd.DataFrame([
        dict(uitkomst=r.outcome, variabele=r.by, chi2=r.chi2, df=r.dof, p=r.p, cramers_v=r.cramers_v, n=r.n)
        for r in results
    ], columns=["uitkomst", "variabele", "chi2", "df", "p", "cramers_v", "n"])
    table.insert(5, "p_holm", _holm(table["p"]) if len(table) else pd.Series(dtype=float))
    return table


@shared
def associations(df: pd.DataFrame, outcomes, variables) -> pd.DataFrame:
    """Chi-square tests of every outcome by every variable, long format.

    Columns: uitkomst, variabele, chi2, df, p, p_holm, cramers_v, n. `p_holm`
    is Holm-adjusted over all tests in this call (the family).
    """
    return _summary(_tests(df, list(outcomes), list(variables)))


def _labels(column: str) -> dict:
    try:
        return value_labels(column)
    except KeyError:
        return {}


def _label(column: str) -> str:
    try:
        return label(column)
    except KeyError:
        return column


@shared
def deviating_groups(df: pd.DataFrame, outcomes, variables, alpha: float = ALPHA, z: float = Z) -> pd.DataFrame:
    """Groups that choose an outcome significantly more or less often than the other teachers.

    One row per outcome × variable × group with test p ≤ `alpha` and
    |adjusted residual| ≥ `z`. Columns: uitkomst, uitkomst_label, variabele,
    variabele_label, groep, groep_label, n_groep, aandeel_groep,
    aandeel_totaal, residu, richting ("vaker" / "minder vaak"), p, p_holm
    (Holm over all outcome × variable tests of this call), cramers_v (the
    effect size of the outcome × variable test).
    """
    results = _tests(df, list(outcomes), list(variables))
    summary = _summary(results)
    rows = []
    for result, (_, test) in zip(results, summary.iterrows()):
        if not (result.tested and result.p <= alpha):
            continue
        names = _labels(result.by)
        for grp in result.groups.itertuples(index=False):
            if np.isnan(grp.residu) or abs(grp.residu) < z:
                continue
            rows.append(dict(
                uitkomst=result.outcome, uitkomst_label=_label(result.outcome),
                variabele=result.by, variabele_label=_label(result.by),
                groep=grp.groep, groep_label=names.get(grp.groep, str(grp.groep)),
                n_groep=int(grp.n), aandeel_groep=float(grp.aandeel), aandeel_totaal=float(result.share),
                residu=float(grp.residu), richting=MORE if grp.residu > 0 else LESS,
                p=result.p, p_holm=float(test["p_holm"]), cramers_v=float(result.cramers_v),
            ))
    columns = ["uitkomst", "uitkomst_label", "variabele", "variabele_label", "groep", "groep_label", "n_groep",
               "aandeel_groep", "aandeel_totaal", "residu", "richting", "p", "p_holm", "cramers_v"]
    return pd.DataFrame(rows, columns=columns)
