"""Koplopers, peloton and achterblijvers (Katern A, used in Katern C §2.2).

The monitor speaks of three groups of teachers, both for *lesgeven met ict*
and for *lesgeven over ict*: a group of koplopers, a large peloton and a
group of achterblijvers. The publications do not say how the groups were
formed. This book uses one fixed, documented rule:

1. **Practice score.** Per teacher, the mean of the scale scores of the
   practice domain (``met``: the ``met_*`` scales; ``over``: the ``over_*``
   scales). A scale score is the mean of its items and needs every item of
   the scale; the practice score needs every scale of the model. A teacher
   without a complete practice score gets no type (missing).
2. **Cut-offs fitted once, nationally.** The cut-offs are the 20th and 80th
   percentile of the practice score in the national data of the reference
   wave (the latest wave in the data; all respondents of that wave with a
   complete score, as in Katern A). The scales of the model are the domain's scales observed in
   that wave.
3. **Classification.** Score at or above the upper cut-off: *koplopers*;
   at or below the lower cut-off: *achterblijvers*; in between: *peloton*.
   Ties at a cut-off join the outer group, so koplopers and achterblijvers
   are each about a fifth of the teachers and the peloton the large middle
   group.

The rule has no random element, so it is reproducible by construction. A
model fitted on the national data is applied unchanged to any subset: an
institution edition classifies its teachers exactly as the national edition
does (pass the national model, never refit on an institution).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.data.codebook import Codebook, load_codebook
from helpers.data.derive import ACHTERBLIJVERS, KOPLOPERS, PELOTON, TYPE_LABELS, TYPOLOGY_COLUMNS

LOWER_QUANTILE = 0.20  # at or below: achterblijvers
UPPER_QUANTILE = 0.80  # at or above: koplopers
DOMAINS = ("met", "over")
DECIMALS = 9  # scores and cut-offs are rounded to this many decimals, so float noise never moves a teacher

DOMAIN_TEXT = {"met": "lesgeven met ict", "over": "lesgeven over ict"}


@dataclass(frozen=True)
class TypologyModel:
    """Cut-offs of the typology of one practice domain, fitted on national data."""

    domain: str
    scales: tuple[str, ...]
    lower: float
    upper: float
    wave: int | None  # the reference wave; None for rows without `meting`
    n_fit: int
    lower_quantile: float = LOWER_QUANTILE
    upper_quantile: float = UPPER_QUANTILE

    def score(self, respondents: pd.DataFrame, codebook: Codebook | None = None) -> pd.Series:
        return practice_score(respondents, self.scales, codebook)


def domain_scales(domain: str, codebook: Codebook | None = None) -> list[str]:
    """Scale ids of a practice domain (`met` or `over`), in codebook order."""
    if domain not in DOMAINS:
        raise ValueError(f"Onbekend praktijkdomein '{domain}'; kies uit {', '.join(DOMAINS)}")
    cb = codebook or load_codebook()
    return [sid for sid, s in cb.scales.items() if s.domain == domain]


def _scale_score(respondents: pd.DataFrame, items) -> np.ndarray:
    """Each respondent's mean of `items`; NaN unless every item is answered.

    Column by column in numpy: this runs some thousand times per edition, and
    selecting a sub-frame costs more than the arithmetic. Item answers are
    whole numbers, so their sum is exact and the mean is the same as pandas'.
    """
    total = respondents[items[0]].to_numpy(dtype=float, na_value=np.nan)
    for item in items[1:]:
        total = total + respondents[item].to_numpy(dtype=float, na_value=np.nan)
    return total / len(items)


def practice_score(respondents: pd.DataFrame, scales, codebook: Codebook | None = None) -> pd.Series:
    """Mean of the scale scores of `scales`; missing unless every item of every scale is answered."""
    cb = codebook or load_codebook()
    item_lists = [cb.scales[sid].items for sid in scales]
    columns = set(respondents.columns)
    if not item_lists or any(not set(items) <= columns for items in item_lists):
        return pd.Series(np.nan, index=respondents.index, dtype=float)
    # One row per scale, averaged down the rows: the summation order of pandas' row mean.
    parts = np.vstack([_scale_score(respondents, items) for items in item_lists])
    return pd.Series(parts.mean(axis=0).round(DECIMALS), index=respondents.index, dtype=float)


def _reference_rows(respondents: pd.DataFrame, wave: int | None) -> tuple[pd.DataFrame, int | None]:
    """Rows of the reference wave: `wave`, else the latest wave present (the data decides)."""
    if "meting" not in respondents.columns:
        return respondents, wave
    waves = set(pd.Series(respondents["meting"]).dropna().astype(int))
    if wave is None:
        wave = max(waves) if waves else None
    return respondents.loc[respondents["meting"] == wave], wave


def fit_typology(respondents: pd.DataFrame, domain: str = "met", wave: int | None = None,
                 codebook: Codebook | None = None) -> TypologyModel:
    """Fit the cut-offs of one domain on the national respondents of the reference wave.

    `respondents` must be the national data (every wave may be passed; only
    the reference wave is used). Raises ValueError if that wave has no
    teacher with a complete practice score.
    """
    cb = codebook or load_codebook()
    rows, wave = _reference_rows(respondents, wave)
    scales = [sid for sid in domain_scales(domain, cb)
              if set(cb.scales[sid].items) <= set(rows.columns) and rows[cb.scales[sid].items].notna().any().any()]
    if not scales:
        raise ValueError(f"Geen gegevens over {DOMAIN_TEXT[domain]} in meting {wave}")
    score = practice_score(rows, scales, cb).dropna()
    if score.empty:
        raise ValueError(f"Geen volledige praktijkscores voor {DOMAIN_TEXT[domain]} in meting {wave}")
    lower, upper = np.quantile(score.to_numpy(), [LOWER_QUANTILE, UPPER_QUANTILE])
    return TypologyModel(domain=domain, scales=tuple(scales), lower=round(float(lower), DECIMALS),
                         upper=round(float(upper), DECIMALS), wave=int(wave) if wave is not None else None,
                         n_fit=int(len(score)))


def fit_typologies(respondents: pd.DataFrame, wave: int | None = None,
                   codebook: Codebook | None = None) -> dict[str, TypologyModel | None]:
    """Models for `met` and `over`; None for a domain that cannot be fitted on these data."""
    models: dict[str, TypologyModel | None] = {}
    for domain in DOMAINS:
        try:
            models[domain] = fit_typology(respondents, domain, wave, codebook)
        except ValueError:
            models[domain] = None
    return models


def classify(respondents: pd.DataFrame, model: TypologyModel | None,
             codebook: Codebook | None = None) -> pd.Series:
    """Type of each respondent under `model` (Categorical: koplopers, peloton, achterblijvers; missing if no score)."""
    categories = list(TYPE_LABELS)
    if model is None:
        return pd.Series(pd.Categorical([None] * len(respondents), categories=categories), index=respondents.index)
    score = model.score(respondents, codebook).to_numpy()
    codes = np.where(score >= model.upper, KOPLOPERS, np.where(score <= model.lower, ACHTERBLIJVERS, PELOTON))
    codes = np.where(np.isnan(score), None, codes)
    return pd.Series(pd.Categorical(codes, categories=categories), index=respondents.index)


def add_typologies(respondents: pd.DataFrame, models: dict[str, TypologyModel | None] | None = None,
                   codebook: Codebook | None = None) -> pd.DataFrame:
    """Return a copy with each teacher's type added (``typologie_met`` / ``typologie_over``, `derive.TYPOLOGY_COLUMNS`).

    `models` are those of :func:`fit_typologies`; by default they are fitted
    on `respondents` itself, which is right when `respondents` is the national
    data. For a subset (one institution) pass the national models.
    """
    cb = codebook or load_codebook()
    models = models if models is not None else fit_typologies(respondents, codebook=cb)
    df = respondents.copy()
    for domain, column in TYPOLOGY_COLUMNS.items():
        df[column] = classify(df, models.get(domain), cb)
    return df


def group_sizes(respondents: pd.DataFrame, column: str) -> pd.DataFrame:
    """Size of each type in `column` among the classified respondents.

    Columns: groep, groep_label, n, aandeel (fraction of the classified),
    in the order koplopers, peloton, achterblijvers.
    """
    counts = respondents[column].value_counts(dropna=True)
    total = int(counts.sum())
    rows = [dict(groep=code, groep_label=text, n=int(counts.get(code, 0)),
                 aandeel=int(counts.get(code, 0)) / total if total else float("nan"))
            for code, text in TYPE_LABELS.items()]
    return pd.DataFrame(rows)
