"""Variables derived from the answers, each defined once.

A derived variable is added as a column so that statistics, figures and
tables can treat it like any variable from the questionnaire.

* ``prof_aantal`` / ``prof_groep``: number of professionalisation activities
  and the Katern C split at ``grens_veel`` (codebook).
* ``thema_aantal``: number of substantive themes chosen (missing if the theme
  question was not answered).
* ``meerwaarde_groep``: how much added value of ict a teacher sees, from the
  mean of the ``visie_meerwaarde`` items (rule: :func:`meerwaarde_group`).
* ``instellingstype``: the type of the teacher's institution (roc, aoc,
  vakschool), joined from the institutions table.
* ``typologie_met`` / ``typologie_over``: koplopers, peloton or achterblijvers
  in lesgeven met / over ict. Named and labelled here; the columns are added by
  :func:`helpers.stats.typology.add_typologies` (the method is a statistic).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.data.codebook import Codebook, load_codebook
from helpers.data import waves as _waves

PROF_COUNT = "prof_aantal"
PROF_GROUP = "prof_groep"
THEME_COUNT = _waves.THEME_COUNT
MEERWAARDE_GROUP = "meerwaarde_groep"
INSTITUTION_TYPE = "instellingstype"
TYPOLOGY_MET = "typologie_met"
TYPOLOGY_OVER = "typologie_over"
TYPOLOGY_COLUMNS = {"met": TYPOLOGY_MET, "over": TYPOLOGY_OVER}

# The meerwaarde rule. The monitor publishes the groups (79% "(veel)
# meerwaarde", 2% "weinig of geen", Katern A) but not the rule; this is the
# book's rule, and the synthetic data generator uses the same function.
MEERWAARDE_SCALE = "visie_meerwaarde"  # codebook scale behind the meerwaarde groups
MEERWAARDE_VEEL_MIN = 3.5  # mean of the items at or above which a teacher sees "(much) added value"
MEERWAARDE_WEINIG_MAX = 2.5  # mean at or below which a teacher sees little or no added value
MEERWAARDE_LABELS = {
    "veel": "(Veel) meerwaarde",
    "enige": "Enige meerwaarde",
    "weinig_geen": "Weinig of geen meerwaarde",
}
KOPLOPERS, PELOTON, ACHTERBLIJVERS = "koplopers", "peloton", "achterblijvers"
TYPE_LABELS = {KOPLOPERS: "Koplopers", PELOTON: "Peloton", ACHTERBLIJVERS: "Achterblijvers"}

# Labels of derived variables, beside the codebook's own labels.
DERIVED_LABELS = {
    PROF_COUNT: "Aantal professionaliseringsactiviteiten",
    PROF_GROUP: "Professionalisering afgelopen drie jaar",
    THEME_COUNT: "Aantal gekozen thema's",
    MEERWAARDE_GROUP: "Meerwaarde van ict (groep)",
    INSTITUTION_TYPE: "Type instelling",
    TYPOLOGY_MET: "Typologie lesgeven met ict",
    TYPOLOGY_OVER: "Typologie lesgeven over ict",
}


def meerwaarde_group(mean_score):
    """Meerwaarde group of a teacher from the mean of the visie_meerwaarde items.

    ``"veel"`` (mean >= 3.5), ``"weinig_geen"`` (mean <= 2.5), else
    ``"enige"``; missing stays missing. Works on a number (returns a code or
    None) or a pandas Series (returns an object Series of codes, None where
    missing).
    """
    if isinstance(mean_score, pd.Series):
        out = pd.Series(np.where(mean_score >= MEERWAARDE_VEEL_MIN, "veel",
                                 np.where(mean_score <= MEERWAARDE_WEINIG_MAX, "weinig_geen", "enige")),
                        index=mean_score.index, dtype=object)
        out[mean_score.isna()] = None
        return out
    if mean_score is None or (isinstance(mean_score, float) and np.isnan(mean_score)):
        return None
    if mean_score >= MEERWAARDE_VEEL_MIN:
        return "veel"
    if mean_score <= MEERWAARDE_WEINIG_MAX:
        return "weinig_geen"
    return "enige"


def _meerwaarde_column(df: pd.DataFrame, cb: Codebook) -> pd.Categorical:
    items = cb.scales[MEERWAARDE_SCALE].items
    if set(items) <= set(df.columns):
        mean = df[items].astype("Float64").astype(float).mean(axis=1, skipna=False)  # every item needed
        codes = meerwaarde_group(mean)
    else:
        codes = pd.Series([None] * len(df), index=df.index, dtype=object)
    return pd.Categorical(codes, categories=list(MEERWAARDE_LABELS))


def _institution_type_column(df: pd.DataFrame, cb: Codebook, institutions: pd.DataFrame | None) -> pd.Categorical:
    categories = list(cb.value_labels("type"))
    if institutions is None or "instelling" not in df.columns:
        return pd.Categorical([None] * len(df), categories=categories)
    types = dict(zip(institutions["instelling"].astype(str), institutions["type"].astype(object)))
    codes = df["instelling"].astype(object).map(lambda code: types.get(str(code)) if pd.notna(code) else None)
    return pd.Categorical(codes, categories=categories)


def add_derived(respondents: pd.DataFrame, codebook: Codebook | None = None,
                institutions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return a copy with the derived variables added, the typology aside (`helpers.stats.typology.add_typologies`).

    `institutions` (the institutions table) fills ``instellingstype``; without
    it that column is all missing.
    """
    cb = codebook or load_codebook()
    df = respondents.copy()
    activities = df[list(cb.activities)].astype("Float64")
    df[PROF_COUNT] = activities.sum(axis=1, skipna=True).astype("Int64")
    groups = list(cb.activity_groups)  # [fewer, many]
    many = df[PROF_COUNT] >= cb.many_activities_threshold
    df[PROF_GROUP] = pd.Categorical(
        many.map({True: groups[1], False: groups[0]}), categories=groups
    )
    # Over the themes each row's wave asked: a theme a later round added is no gap in an earlier one.
    themes = df[_waves.substantive_themes(df, cb)].astype("Float64")
    df[THEME_COUNT] = themes.sum(axis=1, skipna=True, min_count=1).astype("Int64")
    df[MEERWAARDE_GROUP] = _meerwaarde_column(df, cb)
    df[INSTITUTION_TYPE] = _institution_type_column(df, cb, institutions)
    return df


def label(column: str, codebook: Codebook | None = None) -> str:
    """Dutch label of a codebook column or a derived variable."""
    if column in DERIVED_LABELS:
        return DERIVED_LABELS[column]
    return (codebook or load_codebook()).label(column)


def value_labels(column: str, codebook: Codebook | None = None) -> dict[str, str]:
    """Dutch value labels of a categorical codebook or derived variable."""
    cb = codebook or load_codebook()
    if column == PROF_GROUP:
        return dict(cb.activity_groups)
    if column == MEERWAARDE_GROUP:
        return dict(MEERWAARDE_LABELS)
    if column == INSTITUTION_TYPE:
        return cb.value_labels("type")
    if column in (TYPOLOGY_MET, TYPOLOGY_OVER):
        return dict(TYPE_LABELS)
    return cb.value_labels(column)
