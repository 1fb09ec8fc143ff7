"""Composition of a sample: the share of each category of a background variable."""
from __future__ import annotations

import pandas as pd

from helpers.data.derive import value_labels
from helpers.stats.themes import ALL_GROUP, ALL_LABEL


def distribution_of(variable: str):
    """A statistic `f(df, by=None)` giving the distribution of `variable` (breakdowns not used)."""
    labels = value_labels(variable)

    def statistic(df: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
        if by is not None:
            raise ValueError("de samenstelling wordt niet verder uitgesplitst")
        known = df[variable].notna()
        n = int(known.sum())
        counts = df.loc[known, variable].astype(str).value_counts()
        return pd.DataFrame([
            dict(groep=ALL_GROUP, groep_label=ALL_LABEL, variabele=variable, categorie=code,
                 categorie_label=text, n=n, aantal=int(counts.get(code, 0)),
                 aandeel=counts.get(code, 0) / n if n else float("nan"))
            for code, text in labels.items()
        ])

    return statistic
