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
from helpers.chapters.common import variance_caveat, variance_share
from helpers.chapters.conclusions import Conclusion, Recommendation, Source, cite
from helpers.chapters.katern_b import professionalisation as prof
from helpers.chapters.katern_b import trends
from helpers.chapters.katern_b.common import NATIONAL_GROUP, OWN_GROUP
from helpers.data.codebook import load_codebook
from helpers.stats import professionalisation_effect as effect

TABLES = {"competenties": "b2-verschillen", "handelen": "b3-verschillen"}
WHAT = {"competenties": "de competenties", "handelen": "het lesgeven met en over ict"}


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
    who = "Landelijk" if group == NATIONAL_GROUP else f"Bij {ctx.title_md}"
    direction = "hoger" if top["verschil"] > 0 else "lager"
    # "the largest" only among several notable differences, and by the measure the sentence names
    which = "het grootste verschil (naar Hedges' g)" if len(notable) > 1 else "het enige opvallende verschil"
    return Conclusion(
        f"{who} is bij {WHAT[kind]} {which} tussen de docenten van {early.shown} en die van "
        f"{late.shown} te zien op ‘{_label(top['schaal_label'])}’: de docenten van de laatste meting scoren "
        f"{direction} ({m_late.shown} tegen {m_early.shown}; Hedges' g = {g.shown}).", sources)


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
    return Conclusion(
        f"Het verschil tussen docenten die zich wel en niet professionaliseren is groter geworden: op "
        f"‘{_label(top['schaal_label'])}’ scoorden professionaliseerders {gap_early.shown} punt hoger in "
        f"{early.shown} en {gap_late.shown} punt hoger in {late.shown}.", sources)


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
        out.append(Conclusion(
            f"Zonder professionalisering ligt ‘{_label(r.schaal_label)}’ lager: docenten die zich niet "
            f"professionaliseerden scoren {m_early.shown} in {early.shown} en {m_late.shown} in {late.shown}.",
            sources))
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
    single_label = load_codebook().professionalisation_forms[top["vorm"]].lower()
    return Conclusion(
        f"Docenten die korte en langere activiteiten combineerden, scoren het hoogst. In {wave.shown} scoren docenten "
        f"die beide combineerden op ‘{_label(top['schaal_label'])}’ {combined.shown}, tegen {single.shown} bij "
        f"docenten met {single_label}.", sources)


def _spread(ctx: EditionContext, spread: pd.DataFrame) -> Conclusion | None:
    sources = [cite(spread, prof.TABLE_SPREAD, {}, "meting", dutch.year),
               cite(spread, prof.TABLE_SPREAD, {}, "aandeel_instelling", variance_share),
               cite(spread, prof.TABLE_SPREAD, {}, "aandeel_docent", variance_share)]
    if not _complete(sources):
        return None
    wave, between, teachers = sources
    return Conclusion(
        f"Hoeveel docenten zich professionaliseren, verschilt vooral tussen collega's: in {wave.shown} ligt "
        f"{between.shown} van de verschillen in het aantal soorten activiteiten tussen instellingen en {teachers.shown} "
        "tussen docenten binnen hetzelfde team." + _caveat(between.value), sources)


def _caveat(between: float) -> str:
    caveat = variance_caveat({"tussen instellingen": between})
    return f" {caveat}" if caveat else ""


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
        out.append(Recommendation(
            "Bereik ook wie (nog) niet meedoet",
            "Het verschil tussen docenten die zich wel en niet professionaliseren wordt groter. Zoek de docenten op "
            "die niet meedoen, en begin bij wat zij in hun eigen lessen tegenkomen."))
    fell = change.loc[(change["groep"] == effect.NONE) & (change["richting"] == effect.FELL)]
    if len(fell):
        names = dutch.join([f"‘{_label(label)}’" for label in dict.fromkeys(fell["schaal_label"])])
        out.append(Recommendation(
            "Houd ook bestaande vaardigheden bij",
            f"Zonder professionalisering liggen sommige schalen lager dan bij eerdere metingen: {names}. Ook wat "
            "docenten al kunnen, vraagt onderhoud."))
    found = prof.best_summary(best)
    if found["n_schalen"] and found["n_best"] * 2 > found["n_schalen"]:
        out.append(Recommendation(
            "Combineer korte en langere activiteiten",
            "Een studiedag of training geeft een impuls; een traject met een ontwikkelteam of een iCoach geeft die "
            "impuls een vervolg in de eigen praktijk. Docenten die beide combineerden, scoren het hoogst."))
    spread = prof.spread_table(ctx).iloc[0]
    within = spread["aandeel_team"] + spread["aandeel_docent"]
    if pd.notna(within) and within > spread["aandeel_instelling"]:
        out.append(Recommendation(
            "Bespreek de ontwikkeling in teams",
            "Hoeveel docenten zich professionaliseren, verschilt meer binnen instellingen dan ertussen. Laat teams "
            "hun eigen resultaten naast eerdere metingen leggen en van elkaar leren."))
    return out
