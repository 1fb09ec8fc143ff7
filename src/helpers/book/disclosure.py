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

`decide_groups` turns these rules into one `GroupDecision` per breakdown:
the groups shown and the reason for each group withheld. A table, the test
of its groups, its figure and the sentences about it take their groups from
the same decision (`helpers.chapters.common.group_decision` adds what the
edition hides everywhere).

Not asked is not withheld: a scale a wave did not ask has no number at all.
Its rows carry the reason *niet_gevraagd* (`mark_not_asked`) and stay
unflagged in `onderdrukt`, so the manifest lists them apart from the cells
withheld. A row without a number carries no verdict either: withholding or
marking a row blanks its effect label, notable flag and direction
(`VERDICT_COLUMNS`).

A shown group can still give its members away: in a group of fewer than
`ATTRIBUTE_N` teachers a share of 0% or 100% tells every member's answer.
Following CBS practice such a group's shares are bounded (`bound_shares`):
below 5% reads "< 5%", above 95% "> 95%"; the table holds the bound and
names it in the column `begrensd`, so the CSV, the figure and the text agree.
Where the bounded share is one part of a whole (the three bands of a scale,
the numbers of themes chosen), the other parts of that whole are rounded to
whole 5% steps, so the hidden part does not follow by subtraction; counts of
a bounded group are blanked, since count / n is the share.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.core import dutch

SUPPRESSED = "onderdrukt"
REASON = "reden"

PRIMARY = "primair"
COMPLEMENTARY = "aanvullend"
EDITION_WIDE = "editiebreed"
FEW_INSTITUTIONS = "te_weinig_instellingen"
FEW_INSTITUTIONS_IN_GROUP = "groep_van_weinig_instellingen"
BOUNDED = "begrensd"
NOT_ASKED = "niet_gevraagd"  # not a withheld cell: the wave did not ask the question

ATTRIBUTE_N = 50  # CBS: in a group smaller than this, shares near 0% or 100% are shown as a bound
SHARE_FLOOR = 0.05
SHARE_CEILING = 0.95
BELOW = f"< {round(SHARE_FLOOR * 100)}%"
ABOVE = f"> {round(SHARE_CEILING * 100)}%"
ROUNDED = "afgerond"
ROUNDING_STEP = 0.05
REASON_TEXT = {
    PRIMARY: "groep kleiner dan de drempel",
    COMPLEMENTARY: "aanvullend verborgen: anders af te leiden uit het totaal en de getoonde groepen",
    EDITION_WIDE: "verborgen in de hele editie, zodat tabellen elkaar niet verraden",
    FEW_INSTITUTIONS: "te weinig andere instellingen: naast het eigen cijfer zou dit hun cijfers verraden",
    FEW_INSTITUTIONS_IN_GROUP: "de groep bestaat uit te weinig instellingen: haar cijfers zouden die van herkenbare "
                               "instellingen zijn",
}
NOT_ASKED_TEXT = "niet gevraagd in deze meting: er is geen cijfer, en er is niets onderdrukt"
#: Columns that judge a number (effect label, notable rule, direction): blank wherever the number is blank.
VERDICT_COLUMNS = ("effect", "effect_herwogen", "opvallend", "opvallend_herwogen", "steekproefeffect", "richting",
                   "combinatie_best")


@dataclass(frozen=True)
class GroupDecision:
    """Which groups of one breakdown are shown, and why each withheld group is withheld.

    `shown`: the groups with members that may be shown, in the breakdown's
    order; `withheld`: {group: reason}. A group without members is neither.
    """
    shown: tuple = ()
    withheld: dict = field(default_factory=dict)

    def __contains__(self, group) -> bool:
        return group in self.shown


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
    # A group of too few institutions keeps that reason; any other group hidden elsewhere is hidden edition-wide.
    kept = {g: r for g, r in hidden.items() if r == FEW_INSTITUTIONS_IN_GROUP} if isinstance(hidden, Mapping) else {}
    reasons = {g: kept.get(g, EDITION_WIDE) for g in hidden if sizes.get(g, 0) > 0}
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


def decide_groups(sizes: Mapping, min_n: int, total: int | None = None, hidden: Iterable = ()) -> GroupDecision:
    """The groups of one breakdown that may be shown, and the reason for every other group (`groups_to_hide`)."""
    withheld = groups_to_hide(sizes, min_n, total, hidden)
    shown = tuple(g for g, n in sizes.items() if pd.notna(n) and int(n) > 0 and g not in withheld)
    return GroupDecision(shown, withheld)


def groups_of_few_institutions(institutions: Mapping, minimum: int, hidden: Iterable = ()) -> dict:
    """{group: reason} of a breakdown whose groups are sets of institutions (e.g. the type of institution).

    `institutions` maps each group to its number of institutions, in a fixed
    order. A group of fewer than `minimum` institutions would show those
    institutions' own figures: it is withheld, and with it the group of the
    fewest institutions after it, until the withheld groups together span at
    least `minimum` institutions, so that they cannot be recovered from the
    total either. `hidden`: groups withheld elsewhere, withheld here too (with
    their reason if given). Deterministic: ties go to the first group.
    """
    counts = {g: int(k) for g, k in institutions.items() if pd.notna(k) and int(k) > 0}
    given = hidden if isinstance(hidden, Mapping) else {g: FEW_INSTITUTIONS_IN_GROUP for g in hidden}
    reasons = {g: given[g] for g in counts if g in given}
    reasons.update({g: FEW_INSTITUTIONS_IN_GROUP for g, k in counts.items() if k < minimum and g not in reasons})
    while reasons and sum(counts[g] for g in reasons) < minimum:
        rest = {g: k for g, k in counts.items() if g not in reasons}
        if not rest:
            break
        reasons[min(rest, key=lambda g: rest[g])] = COMPLEMENTARY
    return reasons


def _floats(column: pd.Series) -> np.ndarray:
    """A column's values as floats; anything missing or not a number is NaN."""
    if not pd.api.types.is_numeric_dtype(column):
        column = pd.to_numeric(column, errors="coerce")
    return column.to_numpy(dtype=float, na_value=np.nan)


def _blanked(column: pd.Series, blank: np.ndarray, dtype: str) -> pd.Series:
    """`column` as the nullable `dtype` with the rows of `blank` missing."""
    values = column.astype(dtype)
    if blank.any():
        values = values.mask(blank)
    return values


# Both functions below run a few hundred times per edition on small tables; they work on
# numpy arrays and write each column once, because pandas' per-operation cost dominates there.
def _mark(table: pd.DataFrame, reasons: pd.Series, n_column: str, value_columns, whole: str | None,
          bound: bool = True) -> pd.DataFrame:
    out = table.copy()
    mask = reasons.notna().to_numpy()
    for column in value_columns:
        out[column] = _blanked(out[column], mask, "Float64")
    out[n_column] = _blanked(out[n_column], mask, "Int64")
    out = without_verdict(out, mask)
    out[SUPPRESSED] = mask
    out[REASON] = reasons.fillna("").to_numpy()
    shares = [c for c in value_columns if c.startswith("aandeel")]
    counts = [c for c in value_columns if c.startswith("aantal")]
    # The group a share is of: `n` where the table has it (a composition's rows count categories in `n_column`).
    size = "n" if "n" in out else n_column
    return bound_shares(out, size, shares, counts, whole) if shares and bound else out


def _bound(value: float) -> str:
    if value < SHARE_FLOOR:
        return BELOW
    if value > SHARE_CEILING:
        return ABOVE
    return ""


def bound_shares(table: pd.DataFrame, n_column: str = "n", shares: tuple[str, ...] | list[str] = ("aandeel",),
                 counts: tuple[str, ...] | list[str] = ("aantal",), whole: str | None = None) -> pd.DataFrame:
    """The shares of every group smaller than `ATTRIBUTE_N` bounded to 5%–95%, named in `begrensd`.

    Several share columns in a row are parts of one whole (a scale's bands);
    `whole` names a column whose rows, per `groep` (or the whole table), are
    the parts of one whole in long form (e.g. `band`). When a part is bounded,
    the other parts of its whole are rounded to 5% steps and their counts
    blanked, and the cell `begrensd` lists each such column with what was done
    ("aandeel < 5%", "aandeel_midden afgerond"; one share column: just "< 5%").
    """
    out = table.copy()
    rows = len(out)
    n = _floats(out[n_column])
    small = (n > 0) & (n < ATTRIBUTE_N)  # NaN compares false: no size, no bound
    if not small.any():
        out[BOUNDED] = np.full(rows, "", dtype=object)
        return out
    values = {c: _floats(out[c]) for c in shares}
    below = {c: small & (values[c] < SHARE_FLOOR) for c in shares}
    above = {c: small & (values[c] > SHARE_CEILING) for c in shares}
    bounded_row = np.zeros(rows, dtype=bool)
    for c in shares:
        bounded_row |= below[c] | above[c]
    # Parts of one whole: every row (wide) or every row of the group (long) with a bounded part.
    if whole is not None and whole in out:
        keys = out["groep"].astype(str) if "groep" in out else pd.Series("", index=out.index)
        codes, uniques = pd.factorize(keys.to_numpy())
        group_hit = np.zeros(len(uniques), dtype=bool)
        np.logical_or.at(group_hit, codes, bounded_row)
        whole_hit = group_hit[codes] & small
    else:
        whole_hit = bounded_row if len(shares) > 1 else np.zeros(rows, dtype=bool)
    single = len(shares) == 1
    labels: list[list[str]] = [[] for _ in range(rows)]
    for c in shares:
        value = values[c]
        bounded = below[c] | above[c]
        rounded = whole_hit & ~bounded & ~np.isnan(value)
        new = np.where(below[c], SHARE_FLOOR, np.where(above[c], SHARE_CEILING, value))
        new = np.where(rounded, np.round(value / ROUNDING_STEP) * ROUNDING_STEP, new)
        out[c] = pd.Series(np.round(new, 6), index=out.index, dtype="Float64")  # NaN stays missing
        for i in np.flatnonzero(bounded | rounded):
            text = BELOW if below[c][i] else ABOVE if above[c][i] else ROUNDED
            labels[i].append(text if single else f"{c} {text}")
    notes = np.array(["; ".join(parts) for parts in labels], dtype=object)
    noted = notes != ""
    for c in counts:
        if c in out:
            out[c] = _blanked(out[c], noted, "Float64")
    out[BOUNDED] = notes
    return out


def group_percent(share: float, n) -> str:
    """A share of a group of `n` teachers as the reader sees it: '48%', or its bound in a small group."""
    if share is None or pd.isna(share):
        return "–"
    if n is not None and not pd.isna(n) and 0 < n < ATTRIBUTE_N and _bound(float(share)):
        return _bound(float(share))
    return dutch.percent(float(share))


def share_text(row, column: str = "aandeel", n_column: str = "n") -> str:
    """A share of a table row as the reader sees it: '48%', or its bound ('< 5%') in a small group; '' if withheld."""
    value = row[column]
    if value is None or pd.isna(value):
        return ""
    n = row[n_column] if n_column in row else None
    return bound_of(row, column) or group_percent(float(value), n)


def complement_text(row, column: str = "aandeel", n_column: str = "n") -> str:
    """One minus a share of a table row, as the reader sees it: a bound flips ('< 5%' becomes '> 95%')."""
    flipped = {BELOW: ABOVE, ABOVE: BELOW}.get(bound_of(row, column))
    if flipped:
        return flipped
    return group_percent(1 - float(row[column]), row[n_column] if n_column in row else None)


def bound_of(row, column: str = "aandeel") -> str:
    """'< 5%', '> 95%' or '' for `column` of a table row (a bounded share's shown text, or none)."""
    note = row.get(BOUNDED, "") if hasattr(row, "get") else ""
    if not isinstance(note, str) or not note:
        return ""
    for part in note.split("; "):
        for bound in (BELOW, ABOVE):
            if part == bound or part == f"{column} {bound}":
                return bound
    return ""


def suppress_small_groups(
    table: pd.DataFrame,
    min_n: int,
    n_column: str = "n",
    value_columns: tuple[str, ...] = ("aantal", "aandeel"),
    whole: str | None = None,
    bound: bool = True,
) -> pd.DataFrame:
    """Blank every value whose group has fewer than `min_n` respondents; bound the shares of small groups.

    `whole`: see `bound_shares`; `bound=False` leaves the bounding to a later pass over the same rows.
    """
    small = table[n_column] < min_n
    reasons = pd.Series([PRIMARY if s else None for s in small], index=table.index, dtype=object)
    return _mark(table, reasons, n_column, value_columns, whole, bound)


def breakdown_sizes_of(table: pd.DataFrame, group_column: str = "groep", n_column: str = "n") -> dict:
    """{group: size} of a breakdown table (one or more rows per group), in the table's order."""
    return table.drop_duplicates(group_column).set_index(group_column)[n_column].to_dict()


def suppress_breakdown(
    table: pd.DataFrame,
    min_n: int,
    group_column: str = "groep",
    n_column: str = "n",
    value_columns: tuple[str, ...] = ("aantal", "aandeel"),
    total: int | None = None,
    hidden: Iterable = (),
    whole: str | None = None,
    bound: bool = True,
) -> pd.DataFrame:
    """Suppress the groups of a breakdown whose groups add up to a shown `total`.

    See `groups_to_hide`; `hidden` are the groups the edition hides everywhere.
    Every row of a hidden group is blanked (one breakdown may have several rows
    per group, e.g. one per theme).
    """
    decision = decide_groups(breakdown_sizes_of(table, group_column, n_column), min_n, total, hidden)
    return withhold_groups(table, decision, group_column, n_column, value_columns, whole, bound)


def withhold_groups(table: pd.DataFrame, decision: GroupDecision, group_column: str = "groep", n_column: str = "n",
                    value_columns: tuple[str, ...] = ("aantal", "aandeel"), whole: str | None = None,
                    bound: bool = True) -> pd.DataFrame:
    """Blank and flag every row of a group `decision` withholds (a group without members stays as it is)."""
    per_row = table[group_column].map(decision.withheld).where(table[n_column].fillna(0) > 0)
    return _mark(table, per_row.astype(object), n_column, value_columns, whole, bound)


def without_verdict(table: pd.DataFrame, rows) -> pd.DataFrame:
    """`table` with the verdict columns (`VERDICT_COLUMNS`) of `rows` blank: no label beside a missing number."""
    rows = np.asarray(rows, dtype=bool)
    present = [c for c in VERDICT_COLUMNS if c in table.columns]
    if not rows.any() or not present:
        return table
    out = table.copy()
    for column in present:
        if pd.api.types.is_bool_dtype(out[column]) or str(out[column].dtype) == "boolean":
            out[column] = out[column].astype("boolean").mask(rows)
        else:
            out[column] = out[column].astype(object).mask(rows, None)
    return out


def withhold_rows(table: pd.DataFrame, rows, reason: str, value_columns, size_columns=()) -> pd.DataFrame:
    """`table` with `rows` withheld for `reason`: numbers and sizes blank, no verdict, flagged in `onderdrukt`.

    For tables whose rows are not groups of one breakdown (a comparison, a
    wave, a form per wave); rows already withheld keep their reason.
    """
    rows = np.asarray(rows, dtype=bool)
    out = _without_numbers(table, rows, value_columns, size_columns)
    before = out[SUPPRESSED].astype("boolean").fillna(False).to_numpy(dtype=bool) if SUPPRESSED in out \
        else np.zeros(len(out), dtype=bool)
    old = out[REASON].fillna("").astype(str).to_numpy() if REASON in out else np.full(len(out), "", dtype=object)
    out[SUPPRESSED] = before | rows
    out[REASON] = np.where(before & (old != ""), old, np.where(rows, reason, old))
    return out


def _without_numbers(table: pd.DataFrame, rows: np.ndarray, value_columns, size_columns) -> pd.DataFrame:
    """A copy of `table` whose `rows` have no value, no size and no verdict (withheld or not asked alike)."""
    out = table.copy()
    for column in value_columns:
        out[column] = _blanked(out[column], rows, "Float64")
    for column in size_columns:
        out[column] = _blanked(out[column], rows, "Int64")
    return without_verdict(out, rows)


def mark_not_asked(table: pd.DataFrame, rows, value_columns, size_columns=("n",)) -> pd.DataFrame:
    """`table` with `rows` marked as not asked: no number, no size, no verdict, reason `niet_gevraagd`, not withheld.

    Not asked is not withheld: the rows are not flagged in `onderdrukt`, so
    the manifest lists them apart from the withheld cells, the same way in
    every edition.
    """
    rows = np.asarray(rows, dtype=bool)
    out = _without_numbers(table, rows, [c for c in value_columns if c in table],
                           [c for c in size_columns if c in table])
    flags = out[SUPPRESSED].astype("boolean").fillna(False).to_numpy(dtype=bool) if SUPPRESSED in out \
        else np.zeros(len(out), dtype=bool)
    old = out[REASON].fillna("").astype(str).to_numpy() if REASON in out else np.full(len(out), "", dtype=object)
    out[SUPPRESSED] = flags & ~rows
    out[REASON] = np.where(rows, NOT_ASKED, old)
    if BOUNDED in out:
        out[BOUNDED] = out[BOUNDED].mask(rows, "")
    return out


def shown(table: pd.DataFrame) -> pd.DataFrame:
    """Rows that survived suppression."""
    if SUPPRESSED not in table:
        return table
    return table.loc[~table[SUPPRESSED].astype(bool)]


def count_suppressed(table: pd.DataFrame) -> int:
    return int(table[SUPPRESSED].astype(bool).sum()) if SUPPRESSED in table else 0


def _row_keys(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in (SUPPRESSED, REASON) and not pd.api.types.is_numeric_dtype(table[c])]


def not_asked_records(table_id: str, table: pd.DataFrame) -> list[dict]:
    """Each row of a published table that has no number because its wave did not ask the question."""
    if REASON not in table:
        return []
    keys = _row_keys(table)
    rows = table.loc[table[REASON].astype("string").fillna("") == NOT_ASKED]
    return [{"tabel": table_id, "rij": {k: (None if pd.isna(row[k]) else str(row[k])) for k in keys},
             "reden": NOT_ASKED, "uitleg": NOT_ASKED_TEXT} for _, row in rows.iterrows()]


def suppressed_records(table_id: str, table: pd.DataFrame) -> list[dict]:
    """Each withheld cell of a published table: which table, which row (by its labels), and why."""
    if SUPPRESSED not in table:
        return []
    keys = _row_keys(table)
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


#: Columns that name the group of a row whose `groep` is a population (a category, a form of professionalisation,
#: a number of activities within it), in the order they are looked for (`withheld_groups`).
CATEGORY_LABEL_COLUMNS = ("categorie_label", "vorm_label", "aantal_label")
#: How a population code reads where a row's group is a population (Katern B's comparisons and waves).
POPULATION_WORDS = {"instelling": "de eigen instelling", "landelijk": "landelijk", "zelfde_type": "hetzelfde type",
                    "totaal": "alle docenten"}


def _group_name(row: pd.Series) -> str:
    """How a reader names the group of a row: its label, with the wave or the comparison of waves it belongs to.

    Where `groep` names a population (the institution, the national benchmark) the group is the row's category
    within it; elsewhere `groep_label` names it.
    """
    def text(column: str) -> str:
        return str(row[column]) if column in row and pd.notna(row[column]) and str(row[column]) else ""

    category = next((text(c) for c in CATEGORY_LABEL_COLUMNS if text(c)), "")
    population = text("groep") in POPULATION_WORDS or not text("groep")
    name = category if category and population else (text("groep_label") or text("groep"))
    if "vergelijking" in row and pd.notna(row["vergelijking"]):
        name = f"{POPULATION_WORDS.get(name, name)}, vergelijking {row['vergelijking']}"
    elif "meting" in row and pd.notna(row["meting"]):
        name = f"{POPULATION_WORDS.get(name, name)} in {int(row['meting'])}"
    return name


def withheld_groups(table: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(breakdown, group, reason) of every withheld row of `table`, each once, in the table's order.

    The breakdown is the row's view (`weergave`: a breakdown variable, or '' for a table without views), the
    group as a reader names it (`_group_name`). A row not asked is not withheld and is left out.
    """
    if SUPPRESSED not in table or not len(table):
        return []
    reasons = table[REASON].astype("string").fillna("") if REASON in table else pd.Series("", index=table.index)
    rows = table.loc[table[SUPPRESSED].astype(bool).to_numpy() & (reasons != NOT_ASKED).to_numpy()]
    found: dict[tuple[str, str, str], None] = {}
    for _, row in rows.iterrows():
        view = str(row["weergave"]) if "weergave" in row and pd.notna(row["weergave"]) else ""
        reason = "" if pd.isna(row.get(REASON, "")) else str(row.get(REASON, ""))
        found[(view, _group_name(row), reason)] = None
    return list(found)
