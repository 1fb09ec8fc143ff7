"""Which waves are in the data, and what each wave asked — decided by the data, never typed.

The questionnaire changes between rounds: a wave may lack a scale, a theme or
the motive question, and a later round may add a theme (e.g. ``thema_genai``).
The codebook says what a column *means*; the rows say *when* it was asked: a
column group was asked in a wave when at least one respondent of that wave has
an answer in it. Every chapter asks this module, so an export of a later round,
or one with only two non-adjacent waves, needs no code change.
"""
from __future__ import annotations

import pandas as pd

from helpers.data.codebook import Codebook, load_codebook

THEME_PREFIX = "thema_"
#: The number of themes a teacher chose, which `helpers.data.derive` adds: under the theme prefix, but no theme.
THEME_COUNT = "thema_aantal"


def waves(df: pd.DataFrame) -> list[int]:
    """The waves present in the rows, ascending."""
    if "meting" not in df.columns or df.empty:
        return []
    return sorted(int(w) for w in pd.unique(df["meting"].dropna()))


def newest_wave(df: pd.DataFrame) -> int | None:
    present = waves(df)
    return present[-1] if present else None


def _answered(df: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Per row: any of `columns` (those present) holds an answer."""
    present = [c for c in columns if c in df.columns]
    if not present:
        return pd.Series(False, index=df.index)
    return df[present].notna().any(axis=1)


def asked_waves(df: pd.DataFrame, columns: list[str]) -> list[int]:
    """The waves in which at least one respondent answered one of `columns`, ascending."""
    if df.empty or "meting" not in df.columns:
        return []
    return sorted(int(w) for w in pd.unique(df.loc[_answered(df, columns), "meting"].dropna()))


def scale_waves(df: pd.DataFrame, scale: str, codebook: Codebook | None = None) -> list[int]:
    """The waves in which the scale was asked (an answer on one of its items)."""
    cb = codebook or load_codebook()
    return asked_waves(df, cb.scales[scale].items)


def scale_asked(df: pd.DataFrame, scale: str, codebook: Codebook | None = None) -> bool:
    """The scale was asked in every wave of the rows (and there are rows)."""
    present = waves(df)
    return bool(present) and set(present) <= set(scale_waves(df, scale, codebook))


def not_asked_in(df: pd.DataFrame, scale: str, codebook: Codebook | None = None) -> list[int]:
    """The waves of the rows in which the scale was not asked."""
    asked = set(scale_waves(df, scale, codebook))
    return [w for w in waves(df) if w not in asked]


def _extra_columns(df: pd.DataFrame, prefix: str, declared) -> list[str]:
    """Columns a round added under `prefix` (not declared, not one the book derives itself)."""
    return [c for c in df.columns if c.startswith(prefix) and c not in declared and c != THEME_COUNT]


def _label_from_name(column: str, prefix: str) -> str:
    """A readable label for a column a round added without declaring it in the codebook."""
    return column.removeprefix(prefix).replace("_", " ").strip().capitalize() or column


def theme_labels(df: pd.DataFrame, codebook: Codebook | None = None) -> dict[str, str]:
    """{column: Dutch label} of every theme asked in these rows, including the 'geen' option.

    Codebook themes first in codebook order, then themes a round added that the
    codebook does not declare (labelled from their name). A theme counts as
    asked when a respondent of these rows answered it.
    """
    cb = codebook or load_codebook()
    labels = {c: cb.themes[c] for c in cb.themes}
    labels |= {c: _label_from_name(c, THEME_PREFIX) for c in _extra_columns(df, THEME_PREFIX, labels)}
    return {c: text for c, text in labels.items() if c in df.columns and df[c].notna().any()}


def substantive_themes(df: pd.DataFrame, codebook: Codebook | None = None) -> list[str]:
    """The themes a teacher could choose in these rows, without the 'geen' option."""
    cb = codebook or load_codebook()
    return [c for c in theme_labels(df, cb) if c != cb.theme_none]



def participation(df: pd.DataFrame) -> dict[str, list[int]]:
    """{institution: the waves in which it has teachers, ascending}; institutions without any are left out."""
    if df.empty or "instelling" not in df.columns or "meting" not in df.columns:
        return {}
    pairs = df[["instelling", "meting"]].dropna().drop_duplicates()
    return {str(code): sorted(int(w) for w in group["meting"])
            for code, group in pairs.groupby("instelling", observed=True, sort=True)}
