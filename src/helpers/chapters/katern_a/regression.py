"""Katern A chapter 9: which competences go together with teaching practice?

For every practice domain of the codebook (soort 'praktijk') the practice
score is regressed on every competence scale (standardised OLS,
:func:`helpers.stats.scales.practice_regression`). The chapter shows the
standardised betas with their 95% intervals, the share of variance explained
(R²) and which competences weigh most; a coefficient is notable under the one
rule, judged by its partial eta squared (:func:`regression_verdict`).

An institution edition runs the model on the institution's own teachers
where it has enough complete cases (at least :data:`CASES_PER_PREDICTOR` per
predictor and at least `min_n`), else it shows the national model and says so.
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.edition import EditionContext
from helpers.book.figures import coefficient_intervals
from helpers.book.sentences import sentence_file
from helpers.chapters.katern_a.common import sample
from helpers.data.codebook import load_codebook
from helpers.stats.competence import competence_scales
from helpers.stats.scales import REGRESSION_VERDICT_COLUMNS, practice_domains, practice_regression, regression_verdict

CASES_PER_PREDICTOR = 5  # complete cases per predictor an institution needs for its own model
TABLE_COEFFICIENTS = "a9-regressie"
TABLE_MODELS = "a9-modellen"
OWN, NATIONAL = "instelling", "landelijk"
MODEL_COLUMNS = ["uitkomst", "uitkomst_label", "bron", "n", "k", "r2", "r2_adj", "n_eigen", "eigen_genoeg"]
SENTENCES = sentence_file("katern_a/a9_competenties_handelen")


def _domain_label(domain: str) -> str:
    return load_codebook().domains[domain]["label"]


def enough_cases(ctx: EditionContext, fit: dict) -> bool:
    """Whether a model on an institution's own teachers may be shown: enough complete cases, and a fit."""
    k = fit["k"]
    return bool(k > 0 and fit["n"] >= max(ctx.min_n, CASES_PER_PREDICTOR * k) and pd.notna(fit["r2"]))


def models(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(coefficients, fits) of the model of every practice domain, each on the teachers it may describe.

    Coefficients: uitkomst, uitkomst_label, bron ('instelling' or 'landelijk'),
    then the columns of :func:`regression_verdict`. Fits: one row per domain
    with n, k, r2, r2_adj, and for an institution edition the number of its
    own complete cases (n_eigen, blank below `min_n`) and whether they sufficed.
    """
    own, national = sample(ctx)
    coefficient_parts, fit_rows = [], []
    for domain in practice_domains():
        n_own, own_ok = None, None
        if ctx.edition.is_national:
            coefficients, fit = practice_regression(national, domain)
            source = NATIONAL
        else:
            coefficients, fit = practice_regression(own, domain)
            n_own, own_ok = fit["n"], enough_cases(ctx, fit)
            source = OWN
            if not own_ok:
                coefficients, fit = practice_regression(national, domain)
                source = NATIONAL
        if pd.isna(fit["r2"]):
            continue  # no model for this domain in these data (not asked, or too few cases)
        label = _domain_label(domain)
        coefficient_parts.append(regression_verdict(coefficients, fit).assign(uitkomst=domain, uitkomst_label=label,
                                                                             bron=source))
        fit_rows.append(dict(uitkomst=domain, uitkomst_label=label, bron=source, n=fit["n"], k=fit["k"],
                             r2=fit["r2"], r2_adj=fit["r2_adj"],
                             n_eigen=n_own if n_own is not None and n_own >= ctx.min_n else None,
                             eigen_genoeg=own_ok))
    columns = ["uitkomst", "uitkomst_label", "bron", *REGRESSION_VERDICT_COLUMNS]
    coefficients = (pd.concat(coefficient_parts, ignore_index=True)[columns] if coefficient_parts
                    else pd.DataFrame(columns=columns))
    fits = pd.DataFrame(fit_rows, columns=MODEL_COLUMNS)
    fits["n_eigen"] = fits["n_eigen"].astype("Int64")
    return coefficients, fits


def _series_label(ctx: EditionContext, row) -> str:
    """Name of one model in the figure: the domain, and in an institution edition whose teachers it describes."""
    if ctx.edition.is_national:
        return row["uitkomst_label"]
    return f"{row['uitkomst_label']} ({ctx.edition.title if row['bron'] == OWN else 'landelijk'})"


def _rounded(value: float) -> float:
    """A beta as shown, to two decimals, without a minus sign on a zero."""
    return round(value, 2) + 0.0


def _beta(value: float) -> str:
    return dutch.decimal(_rounded(value), 2)


def show_coefficients(ctx: EditionContext, coefficients: pd.DataFrame, fits: pd.DataFrame) -> None:
    """The betas with their intervals, one colour per practice domain; the fits are written beside them."""
    ctx.publish.record(TABLE_MODELS, fits)
    if coefficients.empty:
        ctx.publish.record(TABLE_COEFFICIENTS, coefficients)
        return
    cb = load_codebook()
    data = coefficients.assign(model=[_series_label(ctx, r) for _, r in coefficients.iterrows()])
    order = [cb.scales[sid].label for sid in competence_scales() if sid in set(data["schaal"])]
    hues = list(dict.fromkeys(data["model"]))
    fig = coefficient_intervals(data, "schaal_label", "Competenties en handelen",
                                hue="model", hue_order=hues, category_order=order)
    ctx.publish.figure(TABLE_COEFFICIENTS, coefficients, fig)


def fit_paragraph(ctx: EditionContext, fits: pd.DataFrame) -> str:
    """R² per practice domain, and for an institution whose teachers each model describes (Dutch, computed)."""
    if fits.empty:
        return SENTENCES.say("geen_model")
    own_model, national_model = [], []
    if not ctx.edition.is_national:
        own_model = fits.loc[fits["bron"] == OWN, "uitkomst_label"].tolist()
        national_model = fits.loc[fits["bron"] == NATIONAL, "uitkomst_label"].tolist()
    models_said = [SENTENCES.say("model_verklaart", handelen=r.uitkomst_label, r2=r.r2, docenten=r.n,
                                 landelijk=r.bron == NATIONAL and not ctx.edition.is_national)
                   for r in fits.itertuples()]
    return SENTENCES.say("verklaarde_variantie", instelling=ctx.title_md, eigen_model=own_model,
                         landelijk_model=national_model,
                         nodig=max(ctx.min_n, CASES_PER_PREDICTOR * int(fits["k"].max())),
                         per_schaal=CASES_PER_PREDICTOR, drempel=ctx.min_n, modellen=models_said)


def _with_beta(rows: pd.DataFrame) -> list[str]:
    return [SENTENCES.say("competentie_met_beta", competentie=r.schaal_label, beta=_rounded(r.beta))
            for r in rows.itertuples()]


def weights_paragraph(coefficients: pd.DataFrame) -> str:
    """Which competences weigh most per domain, and which do so in every domain (Dutch, computed)."""
    if coefficients.empty:
        return ""
    sentences = []
    for _, part in coefficients.groupby("uitkomst", sort=False):
        notable = part.loc[part["opvallend"]]
        positive = notable.loc[notable["beta"] > 0].sort_values("beta", ascending=False, kind="stable")
        negative = notable.loc[notable["beta"] < 0].sort_values("beta", kind="stable")
        largest = part.sort_values("beta", ascending=False, kind="stable").head(3)
        sentences.append(SENTENCES.say("gewichten", handelen=part["uitkomst_label"].iloc[0],
                                       positief=_with_beta(positive.head(3)), aantal_positief=len(positive),
                                       negatief=_with_beta(negative.head(2)), grootste=_with_beta(largest)))
    both = coefficients.loc[coefficients["opvallend"] & (coefficients["beta"] > 0)]
    shared = both.groupby("schaal")["uitkomst"].nunique()
    domains = coefficients["uitkomst"].nunique()
    everywhere = both.drop_duplicates("schaal").set_index("schaal").loc[shared[shared == domains].index,
                                                                         "schaal_label"].tolist()
    if domains > 1 and everywhere:
        sentences.append(SENTENCES.say("overal_opvallend", domeinen=domains, competenties=everywhere))
    return " ".join(sentences)


def coefficients_shown(coefficients: pd.DataFrame) -> pd.DataFrame:
    """A reader's version of the notable coefficients."""
    notable = coefficients.loc[coefficients["opvallend"]]
    return pd.DataFrame({
        "Handelen": notable["uitkomst_label"],
        "Competentie": notable["schaal_label"],
        "β": notable["beta"].map(_beta),
        "95%-interval": [f"{_beta(lo)} tot {_beta(hi)}" for lo, hi in zip(notable["ci_laag"], notable["ci_hoog"])],
        "p (Holm)": notable["p_holm"].map(lambda p: "< 0,001" if p < 0.001 else dutch.decimal(p, 3)),
        "η² (partieel)": notable["np2"].map(lambda v: dutch.decimal(v, 3)),
        "Effect": notable["effect"],
    })


def show_notable(ctx: EditionContext, coefficients: pd.DataFrame) -> None:
    """The notable coefficients as a table (its CSV holds every coefficient's verdict)."""
    if len(coefficients) and coefficients["opvallend"].any():
        ctx.publish.table("a9-opvallend", coefficients, coefficients_shown(coefficients))
    else:
        ctx.publish.record("a9-opvallend", coefficients)
