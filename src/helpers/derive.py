"""Variables derived from the answers, each defined once.

A derived variable is added as a column so that statistics, figures and
tables can treat it like any variable from the questionnaire.
"""
from __future__ import annotations

import pandas as pd

from .codebook import Codebook, load_codebook

PROF_COUNT = "prof_aantal"
PROF_GROUP = "prof_groep"
THEME_COUNT = "thema_aantal"

# Labels of derived variables, beside the codebook's own labels.
DERIVED_LABELS = {
    PROF_COUNT: "Aantal professionaliseringsactiviteiten",
    PROF_GROUP: "Professionalisering afgelopen drie jaar",
    THEME_COUNT: "Aantal gekozen thema's",
}


def add_derived(respondents: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Return a copy with the derived variables added."""
    cb = codebook or load_codebook()
    df = respondents.copy()
    activities = df[list(cb.activities)].astype("Float64")
    df[PROF_COUNT] = activities.sum(axis=1, skipna=True).astype("Int64")
    groups = list(cb.activity_groups)  # [fewer, many]
    many = df[PROF_COUNT] >= cb.many_activities_threshold
    df[PROF_GROUP] = pd.Categorical(
        many.map({True: groups[1], False: groups[0]}), categories=groups
    )
    themes = df[cb.substantive_themes].astype("Float64")
    df[THEME_COUNT] = themes.sum(axis=1, skipna=False).astype("Int64")
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
    return cb.value_labels(column)
