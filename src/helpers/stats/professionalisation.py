"""Professionalisation in onderwijs en ict in the last three years (Katern A).

The questionnaire asks which of six kinds of activity (codebook
`activiteiten`) a teacher took part in; every respondent answers it (the
activities are required by validation). Shares are fractions (0-1) of the
respondents in a group.
"""
from __future__ import annotations

import pandas as pd

from helpers.data.codebook import Codebook, load_codebook
from helpers.data.derive import PROF_COUNT
from helpers.stats.themes import ALL_GROUP, ALL_LABEL, item_shares


def activity_shares(df: pd.DataFrame, by: str | None = None, codebook: Codebook | None = None) -> pd.DataFrame:
    """Share of teachers that took part in each activity, per group of `by` (groups in codebook order).

    Columns: groep, groep_label, activiteit, activiteit_label, n, aantal, aandeel.
    """
    cb = codebook or load_codebook()
    return item_shares(df, cb.activities, "activiteit", by)


def activity_count_distribution(df: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """How the teachers divide over the number of activities (0 to all kinds), as a composition.

    `labels` names each number, as text, from 0 to all kinds
    (`helpers.chapters.common.activity_count_labels`). Columns as
    :func:`helpers.stats.composition.distribution_of`: groep, groep_label,
    variabele, categorie (the number as text), categorie_label, n, aantal,
    aandeel.
    """
    counts = df[PROF_COUNT].dropna().astype(int).astype(str).value_counts()
    n = int(df[PROF_COUNT].notna().sum())
    return pd.DataFrame([
        dict(groep=ALL_GROUP, groep_label=ALL_LABEL, variabele=PROF_COUNT, categorie=code, categorie_label=text,
             n=n, aantal=int(counts.get(code, 0)), aandeel=int(counts.get(code, 0)) / n if n else float("nan"))
        for code, text in labels.items()
    ])
