"""Katern B chapter 6: conclusions generated from the tables of chapters 2-5, every number cited.

Each :class:`~helpers.chapters.conclusions.Conclusion` cites its numbers
(years included) from a table this edition published; a withheld or missing
cell leaves its conclusion out. Recommendations follow from what the data
show. The waves are cross-sections: the sentences compare the teachers of one
wave with those of another, never a teacher with herself.
"""
from __future__ import annotations

import math

import pandas as pd

from helpers.core import dutch
from helpers.book.edition import EditionContext
from helpers.book.escaping import markdown_text
from helpers.book.sentences import sentence_file
from helpers.chapters.common import variance_caveat, variance_share
from helpers.chapters.conclusions import Conclusion, Recommendation, Source, cite
from helpers.chapters.katern_b import professionalisation as prof
from helpers.chapters.katern_b import trends
from helpers.chapters.katern_b.common import NATIONAL_GROUP, OWN_GROUP
from helpers.data.codebook import load_codebook
from helpers.stats import professionalisation_effect as effect

TABLES = {"competenties": "b2-verschillen", "handelen": "b3-verschillen"}
SENTENCES = sentence_file("katern_b/b6_conclusies")


def _complete(sources: list[Source]) -> bool:
    return all(not math.isnan(s.value) for s in sources)


def _label(text: str) -> str:
    return markdown_text(dutch.lower_first(text))


def _trend(ctx: EditionContext, kind: str, group: str) -> Conclusion | None:
    """The largest notable difference of the widest comparison (earliest wave vs the reported wave)."""
    table_id = TABLES[kind]
    differences = trends.difference_table(ctx, trends.chapter_scales(kind))
    widest = trends.widest_comparison(differences, group)
    notable = widest.loc[widest["opvallend"].astype(bool)]
    if notable.empty:
        return None
    top = notable.loc[notable["hedges_g"].abs().idxmax()]
    where = {"groep": group, "vergelijking": top["vergelijking"], "schaal": top["schaal"]}
    early = cite(differences, table_id, where, "meting_eerder", dutch.year)
    late = cite(differences, table_id, where, "meting_later", dutch.year)
    m_early = cite(differences, table_id, where, "gemiddelde_eerder", dutch.two_decimals)
    m_late = cite(differences, table_id, where, "gemiddelde_later", dutch.two_decimals)
    g = cite(differences, table_id, where, "hedges_g", dutch.two_decimals)
    sources = [early, late, m_early, m_late, g]
    if not _complete(sources):
        return None
    # "the largest" only among several notable differences, and by the measure the sentence names
    return Conclusion(SENTENCES.say(
        "ontwikkeling", instelling="" if group == NATIONAL_GROUP else ctx.title_md, soort=kind,
        van_meerdere=len(notable) > 1, eerder=early.shown, later=late.shown, schaal=_label(top["schaal_label"]),
        verschil=top["verschil"], gemiddelde_eerder=m_early.shown, gemiddelde_later=m_late.shown, g=g.shown), sources)


def _gap(ctx: EditionContext, gaps: pd.DataFrame) -> Conclusion | None:
    rows = prof.gap_rows(gaps)
    grown = rows.loc[rows["kloof"] == effect.GROWN]
    if grown.empty:
        return None
    top = grown.loc[grown["kloof_g"].abs().idxmax()]
    where = {"schaal": top["schaal"], "term": effect.INTERACTION_TERM}
    sources = [cite(gaps, prof.TABLE_GAP, where, column, shown) for column, shown in
               (("kloof_eerder", dutch.two_decimals), ("meting_eerder", dutch.year),
                ("kloof_later", dutch.two_decimals), ("meting_later", dutch.year))]
    if not _complete(sources):
        return None
    gap_early, early, gap_late, late = sources
    return Conclusion(SENTENCES.say("kloof_gegroeid", schaal=_label(top["schaal_label"]), kloof_eerder=gap_early.shown,
                                    eerder=early.shown, kloof_later=gap_late.shown, later=late.shown), sources)


def _without(ctx: EditionContext, change: pd.DataFrame) -> list[Conclusion]:
    out = []
    fell = change.loc[(change["groep"] == effect.NONE) & (change["richting"] == effect.FELL)]
    for r in fell.itertuples():
        where = {"groep": effect.NONE, "schaal": r.schaal}
        sources = [cite(change, prof.TABLE_WITHOUT, where, column, shown) for column, shown in
                   (("gemiddelde_eerder", dutch.two_decimals), ("meting_eerder", dutch.year),
                    ("gemiddelde_later", dutch.two_decimals), ("meting_later", dutch.year))]
        if not _complete(sources):
            continue
        m_early, early, m_late, late = sources
        out.append(Conclusion(SENTENCES.say("zonder_professionalisering", schaal=_label(r.schaal_label),
                                            gemiddelde_eerder=m_early.shown, eerder=early.shown,
                                            gemiddelde_later=m_late.shown, later=late.shown), sources))
    return out


def _best(ctx: EditionContext, best: pd.DataFrame) -> Conclusion | None:
    found = prof.best_summary(best)
    if not found["n_schalen"] or found["n_best"] * 2 <= found["n_schalen"]:
        return None
    rows = best.loc[best["combinatie_best"].fillna(False).astype(bool)
                    & best["vorm"].isin([effect.SHORT_ONLY, effect.LONG_ONLY])]
    top = rows.loc[rows["hedges_g"].idxmax()]
    where = {"schaal": top["schaal"], "vorm": top["vorm"]}
    sources = [cite(best, prof.TABLE_BEST, where, column, shown) for column, shown in
               (("meting", dutch.year), ("gemiddelde_combinatie", dutch.two_decimals),
                ("gemiddelde_vorm", dutch.two_decimals))]
    if not _complete(sources):
        return None
    wave, combined, single = sources
    single_label = dutch.lower_first(load_codebook().professionalisation_forms[top["vorm"]])
    return Conclusion(SENTENCES.say("combinatie_best", meting=wave.shown, schaal=_label(top["schaal_label"]),
                                    gemiddelde_combinatie=combined.shown, gemiddelde_vorm=single.shown,
                                    vorm=single_label), sources)


def _spread(ctx: EditionContext, spread: pd.DataFrame) -> Conclusion | None:
    sources = [cite(spread, prof.TABLE_SPREAD, {}, "meting", dutch.year),
               cite(spread, prof.TABLE_SPREAD, {}, "aandeel_instelling", variance_share),
               cite(spread, prof.TABLE_SPREAD, {}, "aandeel_docent", variance_share)]
    if not _complete(sources):
        return None
    wave, between, teachers = sources
    return Conclusion(SENTENCES.say("spreiding", meting=wave.shown, tussen_instellingen=between.shown,
                                    tussen_docenten=teachers.shown,
                                    voorbehoud=variance_caveat({"tussen instellingen": between.value})), sources)


def conclusions(ctx: EditionContext) -> list[Conclusion]:
    found: list[Conclusion | None] = []
    if not ctx.edition.is_national:
        found += [_trend(ctx, kind, OWN_GROUP) for kind in TABLES]
    found += [_trend(ctx, kind, NATIONAL_GROUP) for kind in TABLES]
    _means, gaps, change, best = prof.effect_tables(ctx)
    found.append(_gap(ctx, gaps))
    found += _without(ctx, change)
    found.append(_best(ctx, best))
    found.append(_spread(ctx, prof.spread_table(ctx)))
    return [c for c in found if c is not None]


def recommendations(ctx: EditionContext) -> list[Recommendation]:
    _means, gaps, change, best = prof.effect_tables(ctx)
    out = []
    if (prof.gap_rows(gaps)["kloof"] == effect.GROWN).any():
        out.append(Recommendation(SENTENCES.say("bereik_titel"),
                                  SENTENCES.say("bereik_tekst")))
    fell = change.loc[(change["groep"] == effect.NONE) & (change["richting"] == effect.FELL)]
    if len(fell):
        names = [_label(label) for label in dict.fromkeys(fell["schaal_label"])]
        out.append(Recommendation(SENTENCES.say("onderhoud_titel"),
                                  SENTENCES.say("onderhoud_tekst", schalen=names)))
    found = prof.best_summary(best)
    if found["n_schalen"] and found["n_best"] * 2 > found["n_schalen"]:
        out.append(Recommendation(SENTENCES.say("combineer_titel"),
                                  SENTENCES.say("combineer_tekst")))
    spread = prof.spread_table(ctx).iloc[0]
    within = spread["aandeel_team"] + spread["aandeel_docent"]
    if pd.notna(within) and within > spread["aandeel_instelling"]:
        out.append(Recommendation(SENTENCES.say("teams_titel"), SENTENCES.say("teams_tekst")))
    return out
