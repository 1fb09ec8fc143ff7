"""Disclosure control: the one place that decides what may be shown.

Every table a notebook publishes passes through this module. A figure whose
group has fewer than `min_n` respondents is blanked and flagged in the column
`onderdrukt`, with the reason in `reden`, so the table CSV, the figure and the
manifest all agree on what was withheld and why.

Three reasons, checked in this order:

- *primair*: the group itself is smaller than the threshold;
- *aanvullend*: the groups hidden so far, together with the respondents
  outside every group, are a small remainder of a shown total (1 to
  `min_n` - 1 people), so their figure would follow by subtraction; the
  smallest shown group is hidden as well until the remainder is either empty
  or at least `min_n`;
- *editiebreed*: the group is hidden in the edition's own breakdown of its
  whole sample (see `groups_to_hide` with `hidden=`), so it is hidden in every
  table of the edition alike and no table can be held against another.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

SUPPRESSED = "onderdrukt"
REASON = "reden"

PRIMARY = "primair"
COMPLEMENTARY = "aanvullend"
EDITION_WIDE = "editiebreed"
FEW_INSTITUTIONS = "te_weinig_instellingen"
REASON_TEXT = {
    PRIMARY: "groep kleiner dan de drempel",
    COMPLEMENTARY: "aanvullend verborgen: anders af te leiden uit het totaal en de getoonde groepen",
    EDITION_WIDE: "verborgen in de hele editie, zodat tabellen elkaar niet verraden",
    FEW_INSTITUTIONS: "te weinig andere instellingen: naast het eigen cijfer zou dit hun cijfers verraden",
}


def groups_to_hide(sizes: Mapping, min_n: int, total: int | None = None,
                   hidden: Iterable = ()) -> dict:
    """{group: reason} of the groups of one breakdown that must not be shown.

    `sizes` maps each group to its number of respondents, in a fixed order
    (ties between equally small groups go to the first). `total` is the shown
    number the groups are part of (default: their sum; larger when some
    respondents belong to no group). `hidden` are groups hidden elsewhere in
    the edition. Deterministic: the same sizes give the same groups.
    """
    sizes = {g: int(n) for g, n in sizes.items() if pd.notna(n)}
    total = sum(sizes.values()) if total is None else int(total)
    reasons = {g: EDITION_WIDE for g in hidden if sizes.get(g, 0) > 0}
    for group, n in sizes.items():
        if 0 < n < min_n:
            reasons[group] = PRIMARY
    while True:
        shown_sizes = {g: n for g, n in sizes.items() if g not in reasons and n > 0}
        remainder = total - sum(shown_sizes.values())
        if remainder == 0 or remainder >= min_n or not shown_sizes:
            return reasons
        smallest = min(shown_sizes, key=lambda g: shown_sizes[g])  # first of equals: dict order
        reasons[smallest] = COMPLEMENTARY


def _mark(table: pd.DataFrame, reasons: pd.Series, n_column: str, value_columns) -> pd.DataFrame:
    out = table.copy()
    mask = reasons.notna().to_numpy()
    for column in value_columns:
        out[column] = out[column].astype("Float64").mask(mask)
    out[n_column] = out[n_column].astype("Int64").mask(mask)
    out[SUPPRESSED] = mask
    out[REASON] = reasons.fillna("").to_numpy()
    return out


def suppress_small_groups(
    table: pd.DataFrame,
    min_n: int,
    n_column: str = "n",
    value_columns: tuple[str, ...] = ("aantal", "aandeel"),
) -> pd.DataFrame:
    """Blank every value whose group has fewer than `min_n` respondents."""
    small = table[n_column] < min_n
    reasons = pd.Series([PRIMARY if s else None for s in small], index=table.index, dtype=object)
    return _mark(table, reasons, n_column, value_columns)


def suppress_breakdown(
    table: pd.DataFrame,
    min_n: int,
    group_column: str = "groep",
    n_column: str = "n",
    value_columns: tuple[str, ...] = ("aantal", "aandeel"),
    total: int | None = None,
    hidden: Iterable = (),
) -> pd.DataFrame:
    """Suppress the groups of a breakdown whose groups add up to a shown `total`.

    See `groups_to_hide`; `hidden` are the groups the edition hides everywhere.
    Every row of a hidden group is blanked (one breakdown may have several rows
    per group, e.g. one per theme).
    """
    sizes = table.drop_duplicates(group_column).set_index(group_column)[n_column]
    reasons = groups_to_hide(sizes.to_dict(), min_n, total, hidden)
    per_row = table[group_column].map(reasons).where(table[n_column].fillna(0) > 0)
    return _mark(table, per_row.astype(object), n_column, value_columns)


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that survived suppression."""
    if SUPPRESSED not in table:
        return table
    return table.loc[~table[SUPPRESSED].astype(bool)]


def count_suppressed(table: pd.DataFrame) -> int:
    return int(table[SUPPRESSED].astype(bool).sum()) if SUPPRESSED in table else 0


def suppressed_records(table_id: str, table: pd.DataFrame) -> list[dict]:
    """Each withheld cell of a published table: which table, which row (by its labels), and why."""
    if SUPPRESSED not in table:
        return []
    keys = [c for c in table.columns
            if c not in (SUPPRESSED, REASON) and not pd.api.types.is_numeric_dtype(table[c])]
    records = []
    for _, row in table.loc[table[SUPPRESSED].astype(bool)].iterrows():
        reason = row.get(REASON) if REASON in table else None
        reason = reason if isinstance(reason, str) and reason else PRIMARY
        records.append({
            "tabel": table_id,
            "rij": {k: (None if pd.isna(row[k]) else str(row[k])) for k in keys},
            "reden": reason,
            "uitleg": REASON_TEXT.get(reason, reason),
        })
    return records
