"""Katern C §2.1: which themes teachers want to develop in, and how many.

National edition: one view per breakdown (all teachers, experience, function,
subject type, professionalisation). Institution edition: the institution
beside the same-type and national benchmarks, and its own breakdowns where
the groups shown have at least `min_n` respondents (see `common`).
"""
from __future__ import annotations

import pandas as pd

from helpers.book.disclosure import group_percent, share_text
from helpers.book.edition import EditionContext, kept
from helpers.book.medium import print_only, web_only
from helpers.book.sentences import sentence_file
from helpers.data.codebook import load_codebook
from helpers.data.derive import PROF_GROUP
from helpers.stats.themes import (
    COUNT_BANDS,
    ranked_themes,
    theme_count_distribution,
    theme_shares,
    theme_summary,
)
from helpers.chapters.common import bar_views, edition_table, national_benchmark_withheld, reported_wave, sample, shows

BREAKDOWNS = ["ervaring", "functie", "vak", PROF_GROUP]
SENTENCES = sentence_file("katern_c/c2_1_themas")


def theme_order(ctx: EditionContext) -> list[str]:
    """Theme labels by national share (most chosen first), `geen` last, as in figure 2.1."""
    _, national = sample(ctx)
    ranked = ranked_themes(theme_shares(national))
    return ranked["thema_label"].tolist() + [load_codebook().themes[load_codebook().theme_none]]


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def theme_table(ctx: EditionContext) -> pd.DataFrame:
    """The table behind figure 2.1: share choosing each theme, per view."""
    return edition_table(ctx, theme_shares, ["thema", "thema_label"], BREAKDOWNS)


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def distribution_table(ctx: EditionContext) -> pd.DataFrame:
    """The table behind the number-of-themes figure, per view."""
    return edition_table(ctx, theme_count_distribution, ["band", "band_label"], BREAKDOWNS, whole="band")


def theme_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    """Figure 2.1 per view, themes ordered by how often they are chosen."""
    return bar_views(ctx, table, "thema_label", theme_order(ctx), "Gekozen thema's")


def distribution_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    """The number of themes chosen, per view."""
    return bar_views(ctx, table, "band_label", list(COUNT_BANDS.values()), "Aantal gekozen thema's")


def headline(ctx: EditionContext) -> dict:
    """Figures quoted in the prose: own and national summaries and the ranked themes."""
    own, national = sample(ctx)
    own_shares = theme_shares(own)
    result = {
        "own": theme_summary(own),
        "national": theme_summary(national),
        "ranked": ranked_themes(own_shares),
        "national_ranked": ranked_themes(theme_shares(national)),
        "enough": len(own) >= ctx.min_n,
        # The national figures beside the institution's, unless too few other institutions took part.
        "benchmark": not national_benchmark_withheld(ctx, reported_wave(ctx)),
    }
    by_prof = theme_shares(own, PROF_GROUP)
    wide = by_prof.pivot(index="thema", columns="groep", values="aandeel")
    substantive = result["ranked"]["thema"].tolist()
    groups = list(load_codebook().activity_groups)  # [fewer, many]
    result["many_more_often"] = int((wide.loc[substantive, groups[1]] > wide.loc[substantive, groups[0]]).sum())
    result["n_themes"] = len(substantive)
    result["prof_groups_large_enough"] = shows(ctx, PROF_GROUP, own, groups)
    return result


# -- prose -------------------------------------------------------------------
def _own_figures(ctx: EditionContext, facts: dict) -> bool:
    """Whether the prose cites the institution's own figures (else the national ones)."""
    return not ctx.edition.is_national and facts["enough"]


def sample_sentence(ctx: EditionContext, facts: dict) -> str:
    national = facts["national"]["n"]
    if ctx.edition.is_national:
        return SENTENCES.say("steekproef_landelijk", landelijk=national)
    if not facts["enough"]:
        if not facts["benchmark"]:
            return SENTENCES.say("steekproef_te_weinig_zonder_landelijk", instelling=ctx.title_md, drempel=ctx.min_n)
        return SENTENCES.say("steekproef_te_weinig", instelling=ctx.title_md, drempel=ctx.min_n, landelijk=national)
    return SENTENCES.say("steekproef_eigen", instelling=ctx.title_md, aantal=facts["own"]["n"],
                         landelijk=national if facts["benchmark"] else None)


def themes_paragraph(ctx: EditionContext, facts: dict) -> str:
    if not (facts["enough"] or facts["benchmark"]):  # neither the institution's figures nor the national ones
        return ""
    ranked = facts["ranked"] if facts["enough"] else facts["national_ranked"]
    national = facts["national_ranked"].set_index("thema")["aandeel"]
    own_figures = _own_figures(ctx, facts)

    def theme(position: int) -> dict:
        row = ranked.iloc[position]
        beside = own_figures and facts["benchmark"]  # the national share beside the institution's
        return {"naam": row["thema_label"], "aandeel": share_text(row),
                "landelijk": national[row["thema"]] if beside else None}

    return SENTENCES.say("themas", instelling=ctx.title_md if own_figures else "",
                         eerste=theme(0), tweede=theme(1), voorlaatste=theme(-2), laatste=theme(-1))


def figure_note(ctx: EditionContext) -> str:
    # The spans keep the space before the next sentence: the other medium's span is hidden between them.
    return (web_only(SENTENCES.say("figuur_toelichting_web") + " ")
            + print_only(SENTENCES.say("figuur_toelichting_druk") + " ")
            + SENTENCES.say("figuur_toelichting", drempel=ctx.min_n))


def count_paragraph(ctx: EditionContext, facts: dict) -> str:
    if not (facts["enough"] or facts["benchmark"]):
        return ""
    s = facts["own"] if facts["enough"] else facts["national"]
    nat = facts["national"]
    own_figures = _own_figures(ctx, facts)

    def pct(key: str) -> str:
        return group_percent(s[key], s["n"])

    national = {key: nat[key] for key in ("minstens_een", "vier_of_meer", "geen")}
    return SENTENCES.say("aantal_themas", instelling=ctx.title_md if own_figures else "",
                         minstens_een=pct("minstens_een"), vier_of_meer=pct("vier_of_meer"), geen=pct("geen"),
                         gemiddeld=s["gemiddeld_aantal"],
                         landelijk=national if own_figures and facts["benchmark"] else None)


def professionalisation_paragraph(ctx: EditionContext, facts: dict) -> str:
    if not (facts["enough"] and facts["prof_groups_large_enough"]):
        return SENTENCES.say("professionalisering_te_klein", instelling=ctx.title_md, drempel=ctx.min_n)
    text = SENTENCES.say("professionalisering", instelling="" if ctx.edition.is_national else ctx.title_md,
                         grens=load_codebook().many_activities_threshold, vaker=facts["many_more_often"],
                         themas=facts["n_themes"])
    return (text + " " + web_only(SENTENCES.say("professionalisering_web"))
            + print_only(SENTENCES.say("professionalisering_druk")))
