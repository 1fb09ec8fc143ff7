"""Disclosure control: the one place that decides what may be shown.

Every table a notebook publishes passes through `suppress_small_groups`:
a figure whose group has fewer than `min_n` respondents is blanked and
flagged in the column `onderdrukt`, so the table CSV, the figure and the
manifest all agree on what was withheld.
"""
from __future__ import annotations

import pandas as pd

SUPPRESSED = "onderdrukt"


def suppress_small_groups(
    table: pd.DataFrame,
    min_n: int,
    n_column: str = "n",
    value_columns: tuple[str, ...] = ("aantal", "aandeel"),
) -> pd.DataFrame:
    """Blank every value whose group has fewer than `min_n` respondents."""
    out = table.copy()
    small = out[n_column] < min_n
    for column in value_columns:
        out[column] = out[column].astype("Float64").mask(small)
    out[n_column] = out[n_column].astype("Int64").mask(small)
    out[SUPPRESSED] = small.to_numpy()
    return out


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that survived suppression."""
    if SUPPRESSED not in table:
        return table
    return table.loc[~table[SUPPRESSED].astype(bool)]


def count_suppressed(table: pd.DataFrame) -> int:
    return int(table[SUPPRESSED].astype(bool).sum()) if SUPPRESSED in table else 0


def suppress_breakdown(
    table: pd.DataFrame,
    min_n: int,
    group_column: str = "groep",
    n_column: str = "n",
    value_columns: tuple[str, ...] = ("aantal", "aandeel"),
) -> pd.DataFrame:
    """Suppress small groups of a breakdown whose groups add up to a shown total.

    Primary: every group below `min_n`. Secondary: if exactly one group is
    hidden, the smallest other group is hidden too, so the hidden one cannot
    be recovered as total minus the shown groups. Deterministic, so every table
    with the same breakdown hides the same groups.
    """
    sizes = table.drop_duplicates(group_column).set_index(group_column)[n_column]
    hidden = set(sizes[sizes < min_n].index)
    if len(hidden) == 1:
        visible = sizes.drop(index=list(hidden))
        visible = visible[visible > 0]
        if len(visible):
            hidden.add(visible.sort_values(kind="stable").index[0])
    out = table.copy()
    mask = out[group_column].isin(hidden) & (out[n_column] > 0)
    for column in value_columns:
        out[column] = out[column].astype("Float64").mask(mask)
    out[n_column] = out[n_column].astype("Int64").mask(mask)
    out[SUPPRESSED] = mask.to_numpy()
    return out
