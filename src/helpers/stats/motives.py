"""Katern C §3: motives for professionalisation (the open question).

The question "Wat motiveert jou om deel te nemen aan
professionaliseringsactiviteiten gericht op onderwijs en ict? Voor mij is het
belangrijk dat…" was open and not compulsory. The answers are coded into the
codebook's motive categories (0/1 per category, several per answer); the
coded columns are empty for a teacher who did not answer.

Every function takes the Katern C sample (:func:`katern_c_sample`: the reported
wave, questionnaire completed). Shares are fractions (0-1) over the teachers who
answered the open question, not over the whole sample. The text of the
answers (``motief_tekst``) is only used to tell who answered; it is never
returned (quotes come from :mod:`helpers.data.quotes`).
"""
from __future__ import annotations

import pandas as pd

from helpers.data.codebook import Codebook, load_codebook
from helpers.stats.themes import _groups, katern_c_sample

__all__ = ["answered", "answered_mask", "motive_frequencies", "motive_order", "katern_c_sample"]


def _motive_columns(df: pd.DataFrame, cb: Codebook) -> list[str]:
    return [m for m in cb.motives if m in df.columns]


def answered_mask(df: pd.DataFrame, codebook: Codebook | None = None) -> pd.Series:
    """True for a respondent with a non-empty answer text or any coded motive."""
    cb = codebook or load_codebook()
    mask = pd.Series(False, index=df.index)
    if cb.motive_text in df.columns:
        text = df[cb.motive_text].astype("string").str.strip()
        mask |= text.fillna("").ne("").astype(bool)
    columns = _motive_columns(df, cb)
    if columns:
        mask |= df[columns].notna().any(axis=1).astype(bool)
    return mask


def answered(df: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Rows of the teachers who answered the open motive question."""
    return df.loc[answered_mask(df, codebook)]


def _counts(part: pd.DataFrame, cb: Codebook) -> dict[str, int]:
    """Number of answerers in `part` naming each codebook motive."""
    rows = answered(part, cb)
    return {
        m: int(rows[m].fillna(0).astype(int).sum()) if m in rows.columns else 0
        for m in cb.motives
    }


def motive_order(df: pd.DataFrame, codebook: Codebook | None = None) -> list[str]:
    """Motive codes from most to least often named (ties in codebook order)."""
    cb = codebook or load_codebook()
    counts = _counts(df, cb)
    position = {m: i for i, m in enumerate(cb.motives)}
    return sorted(cb.motives, key=lambda m: (-counts[m], position[m]))


def motive_frequencies(df: pd.DataFrame, by: str | None = None, codebook: Codebook | None = None) -> pd.DataFrame:
    """How often each motive is named, per group of `by` (or for everyone).

    Columns: groep, groep_label, motief, motief_label, n_antwoorders, aantal,
    aandeel. ``n_antwoorders`` is the number of teachers in the group who
    answered the open question; ``aandeel`` = aantal / n_antwoorders (NaN for a
    group without answerers). Groups in codebook order; within each group the
    motives in the overall order of :func:`motive_order`.
    """
    cb = codebook or load_codebook()
    order = motive_order(df, cb)
    rows = []
    for code, text, part in _groups(df, by, [cb.motive_text, *cb.motives]):
        n = int(answered_mask(part, cb).sum())
        counts = _counts(part, cb)
        for motive in order:
            k = counts[motive]
            rows.append(dict(
                groep=code, groep_label=text, motief=motive, motief_label=cb.motives[motive],
                n_antwoorders=n, aantal=k, aandeel=k / n if n else float("nan"),
            ))
    return pd.DataFrame(
        rows,
        columns=["groep", "groep_label", "motief", "motief_label", "n_antwoorders", "aantal", "aandeel"],
    )
