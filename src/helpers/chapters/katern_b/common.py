"""What every Katern B chapter shares: the waves, whose trend a page shows, and the one way of saying it.

Katern B runs from the earliest wave in the data up to the reported wave (the
newest, or the one chosen with ``--meting``). The waves are repeated
cross-sections: different teachers answer each time, so the book compares the
teachers of one wave with the teachers of another and never speaks of a
teacher's growth. A national trend is computed on the institutions present in
both compared waves (:mod:`helpers.stats.trends`) and is the same in every
edition, so it is computed once per build.
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.edition import EditionContext
from helpers.book.sentences import sentence_file
from helpers.chapters.common import too_few_others  # the one few-institutions rule; used here and re-exported
from helpers.data.waves import waves
from helpers.core.memo import shared
from helpers.stats import trends

NATIONAL_GROUP = "landelijk"  # the comparable institutions, nationally
OWN_GROUP = "instelling"
SENTENCES = sentence_file("katern_b/gedeeld")


def national_waves(ctx: EditionContext) -> list[int]:
    return waves(ctx.national)


def reported_wave(ctx: EditionContext) -> int | None:
    """The wave Katern B runs up to: the newest in the data."""
    present = national_waves(ctx)
    return present[-1] if present else None


def own_waves(ctx: EditionContext) -> list[int]:
    """The waves in which at least `min_n` teachers of the institution answered (all waves nationally)."""
    if ctx.edition.is_national:
        return national_waves(ctx)
    counts = ctx.own["meting"].value_counts()
    return sorted(int(w) for w, n in counts.items() if n >= ctx.min_n)


def has_own_trend(ctx: EditionContext) -> bool:
    """An institution edition shows its own trend when it took part, with enough teachers, in two waves or more."""
    return not ctx.edition.is_national and len(own_waves(ctx)) >= 2


def withheld_comparisons(ctx: EditionContext, table: pd.DataFrame, measured: str) -> pd.Series:
    """The rows of a national comparison table (column `vergelijking`, 'earlier-later') this edition withholds.

    Those are the rows with a number (`measured`: the column saying the
    comparison was measured or asked) of a comparison on which too few other
    institutions took part in both waves (:func:`~helpers.chapters.common.too_few_others`). The one
    rule for every national comparison of Katern B (scales and themes).
    """
    hidden = table["vergelijking"].map(lambda c: too_few_others(ctx, [int(w) for w in str(c).split("-")]))
    return hidden.astype(bool) & table[measured].astype(bool)


def few_others_sentence(ctx: EditionContext, earlier: int, later: int) -> str:
    """Why a national comparison of Katern B is not on this institution's page."""
    return SENTENCES.say("vergelijking_te_weinig_andere", eerder=earlier, later=later, instelling=ctx.title_md)


def wave_list(values) -> str:
    """The years of `values` as a Dutch enumeration: 'a, b en c'."""
    return dutch.join([str(int(v)) for v in values]) if len(values) else ""


@shared
def _national_trends(frame: pd.DataFrame, scales: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    return trends.scale_trends(frame, list(scales)), trends.trend_differences(frame, list(scales))


def national_trends(ctx: EditionContext, scales: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(trends, differences) of `scales` on the comparable institutions; the same in every edition."""
    columns = ["meting", "instelling", *trends.MARGINS,
               *dict.fromkeys(c for sid in scales for c in _items(sid))]
    frame = ctx.national[[c for c in columns if c in ctx.national.columns]]
    return _national_trends(frame, tuple(scales))


def own_trends(ctx: EditionContext, scales: list[str]) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """(trends, differences) of the institution's own teachers over its waves with enough teachers, or None."""
    if not has_own_trend(ctx):
        return None
    own = ctx.own.loc[ctx.own["meting"].isin(own_waves(ctx))]
    return trends.scale_trends(own, scales), trends.trend_differences(own, scales)


def _items(sid: str) -> list[str]:
    from helpers.data.codebook import load_codebook

    return load_codebook().scales[sid].items
