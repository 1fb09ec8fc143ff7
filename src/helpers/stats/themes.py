"""Katern C §2.1: interest in professionalisation themes.

All shares are fractions (0-1) over the Katern C sample: the respondents of
the wave Katern C reports on (the latest wave in the data that asked the
themes) who reached the end of the questionnaire (`volledig`).
"""
from __future__ import annotations

import pandas as pd

from helpers.data.codebook import Codebook, load_codebook
from helpers.data.derive import THEME_COUNT, value_labels
from helpers.data.waves import theme_labels

ALL_GROUP = "totaal"
ALL_LABEL = "Alle docenten"

# Bands of the number of themes chosen, as Katern C reports them.
COUNT_BANDS = {
    "geen": "Geen thema",
    "1": "1 thema",
    "2": "2 thema's",
    "3": "3 thema's",
    "4+": "4 of meer thema's",
}


def katern_c_wave(respondents: pd.DataFrame, codebook: Codebook | None = None) -> int:
    """The wave Katern C reports on: the latest in the data with an answer on a theme (else the latest wave).

    Pass the national data: an institution that missed that wave must not
    get an older one.
    """
    cb = codebook or load_codebook()
    themes = [c for c in cb.theme_columns if c in respondents.columns]
    asked = respondents.loc[respondents[themes].notna().any(axis=1), "meting"] if themes else respondents["meting"][:0]
    return int((asked if len(asked) else respondents["meting"]).max())


def katern_c_sample(respondents: pd.DataFrame, wave: int | None = None) -> pd.DataFrame:
    """Rows Katern C is about: the reported wave (`katern_c_wave` of these rows unless given), completed."""
    wave = katern_c_wave(respondents) if wave is None else wave
    mask = (respondents["meting"] == wave) & respondents["volledig"].astype(bool)
    return respondents.loc[mask]


def _groups(df: pd.DataFrame, by: str | None, columns: list[str] | None = None):
    """Yield (code, label, rows) per group of `by`, in codebook order; one group if None.

    With `columns`, the rows carry only those columns: selecting rows costs a
    copy of every column, and the respondent frame has over a hundred.
    """
    if columns is not None:
        df = df[[c for c in dict.fromkeys([*columns, *([by] if by else [])]) if c in df.columns]]
    if by is None:
        yield ALL_GROUP, ALL_LABEL, df
        return
    for code, text in value_labels(by).items():
        yield code, text, df.loc[df[by] == code]


def theme_shares(df: pd.DataFrame, by: str | None = None, codebook: Codebook | None = None) -> pd.DataFrame:
    """Share choosing each theme (incl. `thema_geen`), per group of `by`.

    Columns: groep, groep_label, thema, thema_label, n, aantal, aandeel.
    """
    return item_shares(df, theme_labels(df, codebook), "thema", by)


def item_shares(df: pd.DataFrame, items: dict[str, str], key: str, by: str | None = None) -> pd.DataFrame:
    """Share of the respondents with 1 on each 0/1 column of `items` ({column: Dutch label}), per group of `by`.

    Columns: groep, groep_label, <key>, <key>_label, n, aantal, aandeel; an
    empty cell counts as 0 (not chosen, not taken part).
    """
    rows = []
    for code, text, part in _groups(df, by, list(items)):
        n = len(part)
        for column, column_label in items.items():
            yes = int((part[column].astype("Float64").fillna(0) == 1).sum())
            rows.append({"groep": code, "groep_label": text, key: column, f"{key}_label": column_label,
                         "n": n, "aantal": yes, "aandeel": yes / n if n else float("nan")})
    return pd.DataFrame(rows, columns=["groep", "groep_label", key, f"{key}_label", "n", "aantal", "aandeel"])


def count_band(count: int, chose_none: bool) -> str:
    """The band of a teacher's number of themes; 'geen' is the one definition of "no theme": no theme chosen,
    whether the teacher ticked 'geen enkel thema' or ticked nothing."""
    if chose_none or count == 0:
        return "geen"
    return "4+" if count >= 4 else str(count)


def theme_count_distribution(df: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Distribution of the number of themes chosen, in COUNT_BANDS, per group of `by`.

    Columns: groep, groep_label, band, band_label, n, aantal, aandeel.
    """
    cb = load_codebook()
    rows = []
    for code, text, part in _groups(df, by, [THEME_COUNT, cb.theme_none]):
        n = len(part)
        bands = [
            count_band(int(c), bool(g))
            for c, g in zip(part[THEME_COUNT].fillna(0), part[cb.theme_none].fillna(0))
        ]
        counts = pd.Series(bands, dtype="object").value_counts()
        for band, band_label in COUNT_BANDS.items():
            k = int(counts.get(band, 0))
            rows.append(dict(groep=code, groep_label=text, band=band, band_label=band_label,
                             n=n, aantal=k, aandeel=k / n if n else float("nan")))
    return pd.DataFrame(rows)


def theme_summary(df: pd.DataFrame) -> dict[str, float]:
    """Headline figures of §2.1: n, share with ≥ 1 theme, ≥ 4 themes, none, mean among choosers.

    'geen' is the share that chose no theme (:func:`count_band`: also who ticked nothing), so it equals the
    band 'geen' of :func:`theme_count_distribution` and 1 − 'minstens_een'.
    """
    cb = load_codebook()
    counts = df[THEME_COUNT].fillna(0).astype(int)
    ticked_none = df[cb.theme_none].fillna(0).astype(int) == 1
    chose_none = pd.Series([count_band(c, t) == "geen" for c, t in zip(counts, ticked_none)], index=df.index,
                           dtype=bool)
    n = len(df)
    choosers = counts[counts > 0]
    return {
        "n": n,
        "minstens_een": float((counts >= 1).mean()) if n else float("nan"),
        "vier_of_meer": float((counts >= 4).mean()) if n else float("nan"),
        "geen": float(chose_none.mean()) if n else float("nan"),
        "gemiddeld_aantal": float(choosers.mean()) if len(choosers) else float("nan"),
    }


def ranked_themes(shares: pd.DataFrame) -> pd.DataFrame:
    """Substantive themes of one group, most chosen first (ties in the order of `shares`: codebook order)."""
    part = shares[shares["thema"] != load_codebook().theme_none].copy()
    part["_order"] = range(len(part))
    return part.sort_values(["aandeel", "_order"], ascending=[False, True]).drop(columns="_order")
