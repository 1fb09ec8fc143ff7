"""Katern C Bijlage 1: per theme, the groups that choose it significantly more or less often.

Generated from the chi-square tests in `helpers.stats.appendix`; never typed.
An institution edition shows the national appendix and, where the institution
is large enough, its own, with every group below the threshold left out.
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import bound_shares, group_percent
from helpers.book.edition import EditionContext
from helpers.book.sentences import sentence_file
from helpers.chapters.common import (few_institutions_note, national_benchmark_withheld, reported_wave, sample,
                                     tested_rows)
from helpers.data.codebook import Codebook, load_codebook
from helpers.stats.appendix import bijlage1_groups, theme_order
from helpers.stats.association import ALPHA, BACKGROUND, LESS, MORE, Z

NO_DIFFERENCES = "Geen opvallende verschillen"
SEPARATOR = "; "
SENTENCES = sentence_file("katern_c/c_bijlage1")


def _describe(rows: pd.DataFrame) -> str:
    if rows.empty:
        return NO_DIFFERENCES
    return SEPARATOR.join(f"{r.variabele_label}: {r.groep_label} ({group_percent(r.aandeel_groep, r.n_groep)})"
                          for r in rows.itertuples(index=False))


def bijlage1(df: pd.DataFrame, variables=BACKGROUND, alpha: float = ALPHA, z: float = Z,
             codebook: Codebook | None = None, groups: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bijlage 1 as the booklet shows it: one row per theme.

    Columns: thema, thema_label, n, aandeel (overall share), vaker, minder_vaak
    (text: "<characteristic>: <group> (<share>)", joined by "; ", or
    "Geen opvallende verschillen"), n_vaker, n_minder_vaak (number of groups
    listed). `groups` may pass a ready :func:`bijlage1_groups` result.
    """
    cb = codebook or load_codebook()
    themes = theme_order(df, cb)
    detail = groups if groups is not None else bijlage1_groups(df, variables, alpha, z, cb)
    rows = []
    for theme in themes.itertuples(index=False):
        part = detail[detail["thema"] == theme.thema]
        more, less = part[part["richting"] == MORE], part[part["richting"] == LESS]
        rows.append(dict(thema=theme.thema, thema_label=theme.thema_label, n=theme.n, aandeel=theme.aandeel,
                         vaker=_describe(more), minder_vaak=_describe(less),
                         n_vaker=len(more), n_minder_vaak=len(less)))
    return pd.DataFrame(rows)


def _table(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    groups = bijlage1_groups(df)
    # The per-theme text is written from the exact shares (bounded there in a small group); the table is bounded.
    return bound_shares(groups, "n_groep", ["aandeel_groep"], []), bijlage1(df, groups=groups)


def national(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(groups, one row per theme) for all teachers nationally, groups below the threshold left out.

    In an institution edition with too few other institutions in the wave
    (:func:`national_benchmark_withheld`), the national groups beside the
    institution's own would be the others': no group is listed and no share shown.
    """
    groups, table = _table(tested_rows(ctx, sample(ctx)[1], BACKGROUND, national=True))
    if national_benchmark_withheld(ctx, reported_wave(ctx)):
        return groups.iloc[:0], table.assign(aandeel=float("nan"), vaker="", minder_vaak="")
    return groups, table


def own(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The same for the institution's own teachers, or None if too few."""
    rows, _ = sample(ctx)
    if ctx.edition.is_national or len(rows) < ctx.min_n:
        return None
    return _table(tested_rows(ctx, rows, BACKGROUND))


def for_reader(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Thema": table["thema_label"],
        "Alle docenten": table["aandeel"].map(dutch.percent),
        "Kiezen het vaker": table["vaker"],
        "Kiezen het minder vaak": table["minder_vaak"],
    })


def method_paragraph(ctx: EditionContext) -> str:
    _, national_rows = sample(ctx)
    return SENTENCES.say("methode", n=len(national_rows), alfa=ALPHA, z=Z)


def own_paragraph(ctx: EditionContext) -> str:
    if ctx.edition.is_national:
        return ""
    # With too few other institutions the national overview above is empty: the note says why, before the own.
    note = few_institutions_note(ctx, reported_wave(ctx))
    if own(ctx) is None:
        return SENTENCES.say("eigen_te_weinig", toelichting=note, instelling=ctx.title_md, drempel=ctx.min_n)
    return SENTENCES.say("eigen", toelichting=note, instelling=ctx.title_md, drempel=ctx.min_n)
