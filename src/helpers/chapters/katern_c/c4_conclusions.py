"""Katern C chapter 4: conclusions and recommendations, generated from the results.

Every conclusion carries its sources: for each number in the sentence, the
published table, the row and the column it comes from. The chapter publishes
those sources as a table, and a test checks every number against the CSV of
the table it names. Recommendations hold no numbers; each applies only when
its condition holds on the edition's own results.
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.edition import EditionContext
from helpers.book.sentences import sentence_file
from helpers.chapters.common import national_benchmark_withheld, people, reported_wave, sample
from helpers.chapters import conclusions as traceable
from helpers.chapters.conclusions import Conclusion, Recommendation, Source, cite, rows_where
from helpers.chapters.katern_c import appendix_1, c2_1_themes, c3_motives
from helpers.data.codebook import load_codebook
from helpers.data.derive import PROF_GROUP
from helpers.stats.association import MORE
from helpers.chapters.katern_b import professionalisation as katern_b
from helpers.stats.motives import motive_order

# Tables (published by earlier chapters) that conclusions cite.
THEMES_TABLE = "c2-1-themas"
COUNTS_TABLE = "c2-1-aantal-themas"
MOTIVES_TABLE = "c3-motieven"
APPENDIX_TABLE = "bijlage1-landelijk"
SENTENCES = sentence_file("katern_c/c4_conclusies")


def _ranked(themes: pd.DataFrame, where: dict, none: str) -> pd.DataFrame:
    """Rows of the substantive themes that `where` selects, most chosen first."""
    rows = rows_where(themes, where)
    return rows[rows["thema"] != none].sort_values("aandeel", ascending=False, kind="stable")


def ranked_national(themes: pd.DataFrame, where: dict, none: str) -> list[str]:
    """Substantive themes of the rows selected by `where`, most chosen first."""
    return _ranked(themes, where, none)["thema"].tolist()


def _who(ctx: EditionContext) -> tuple[dict, str, bool]:
    """Row selector and institution ('' if national) of the edition's own figures; False if they are suppressed."""
    own, _ = sample(ctx)
    if ctx.edition.is_national:
        return {"weergave": "totaal"}, "", True
    enough = len(own) >= ctx.min_n
    return {"weergave": "vergelijking", "groep": "instelling"}, ctx.title_md, enough


def conclusions(ctx: EditionContext) -> list[Conclusion]:
    cb = load_codebook()
    where, institution, enough = _who(ctx)
    # With too few other institutions the national rows beside the institution are withheld: cite none of them.
    benchmark = not national_benchmark_withheld(ctx, reported_wave(ctx))
    if not enough:
        where, institution = {"weergave": "vergelijking", "groep": "landelijk"}, ""
    national_where = {"weergave": "totaal"} if ctx.edition.is_national else \
        {"weergave": "vergelijking", "groep": "landelijk"}
    themes = c2_1_themes.theme_table(ctx)
    counts = c2_1_themes.distribution_table(ctx)
    motives = c3_motives.motive_table(ctx)
    result = []

    if not (enough or benchmark):
        return result
    ranked = _ranked(themes, where, cb.theme_none)
    first, second, last = ranked.iloc[0], ranked.iloc[1], ranked.iloc[-1]
    s1 = cite(themes, THEMES_TABLE, {**where, "thema": first["thema"]})
    s2 = cite(themes, THEMES_TABLE, {**where, "thema": second["thema"]})
    s3 = cite(themes, THEMES_TABLE, {**where, "thema": last["thema"]})

    def theme(row: pd.Series, source: Source) -> dict:
        return {"naam": row["thema_label"], "aandeel": source.shown}

    result.append(Conclusion(
        SENTENCES.say("themas", instelling=institution, eerste=theme(first, s1), tweede=theme(second, s2),
                      laatste=theme(last, s3)), [s1, s2, s3]))
    if not ctx.edition.is_national and enough and benchmark:
        benchmark = [cite(themes, THEMES_TABLE, {**national_where, "thema": row["thema"]})
                     for row in (first, second, last)]
        theme_label = dict(zip(themes["thema"], themes["thema_label"]))
        national_top = [theme_label[t] for t in ranked_national(themes, national_where, cb.theme_none)[:2]]
        same_top = [label.lower() for label in national_top] == [first["thema_label"].lower(),
                                                                  second["thema_label"].lower()]
        result.append(Conclusion(
            SENTENCES.say("themas_landelijk", zelfde_top=same_top, landelijke_top=national_top,
                          eerste=theme(first, benchmark[0]), tweede=theme(second, benchmark[1]),
                          laatste=theme(last, benchmark[2])), benchmark))

    four = cite(counts, COUNTS_TABLE, {**where, "band": "4+"})
    none = cite(counts, COUNTS_TABLE, {**where, "band": "geen"})
    result.append(Conclusion(SENTENCES.say("aantal_themas", vier_of_meer=four.shown, geen=none.shown), [four, none]))
    if not ctx.edition.is_national and enough and benchmark:
        n_four = cite(counts, COUNTS_TABLE, {**national_where, "band": "4+"})
        n_none = cite(counts, COUNTS_TABLE, {**national_where, "band": "geen"})
        result.append(Conclusion(SENTENCES.say("aantal_themas_landelijk", vier_of_meer=n_four.shown, geen=n_none.shown),
                                 [n_four, n_none]))

    _, national_answerers = c3_motives.answerers(ctx)
    top_motive = motive_order(national_answerers)[0]
    m1 = cite(motives, MOTIVES_TABLE, {**national_where, "motief": top_motive})
    if benchmark:
        result.append(Conclusion(SENTENCES.say("motief", motief=cb.motives[top_motive], aandeel=m1.shown), [m1]))

    groups, _ = appendix_1.national(ctx)
    if len(groups):
        strongest = groups.reindex(groups["residu"].abs().sort_values(ascending=False).index).iloc[0]
        g1 = cite(groups, APPENDIX_TABLE, {"thema": strongest["thema"], "variabele": strongest["variabele"],
                                             "groep": strongest["groep"]}, column="aandeel_groep")
        result.append(Conclusion(
            SENTENCES.say("grootste_verschil", groep=people(strongest["variabele"], strongest["groep"]),
                          thema=strongest["thema_label"], richting=strongest["richting"], aandeel_groep=g1.shown,
                          aandeel_alle=strongest["aandeel_thema"]),
            [g1, Source(APPENDIX_TABLE, {"thema": strongest["thema"], "variabele": strongest["variabele"],
                                         "groep": strongest["groep"]}, "aandeel_thema",
                        float(strongest["aandeel_thema"]), dutch.percent(strongest["aandeel_thema"]))]))
    return result


# -- recommendations -------------------------------------------------------------------------------------
def _combination(ctx: EditionContext) -> dict:
    """What Katern B found about short and long activities together (national): on how many of its scales the
    combination scores notably higher, if on more than half of them (else `beste` is None)."""
    best = katern_b.effect_tables(ctx)[3]
    found = katern_b.best_summary(best)
    if found["n_schalen"] and found["n_best"] * 2 > found["n_schalen"]:
        return {"beste": found["n_best"], "schalen": found["n_schalen"]}
    return {"beste": None, "schalen": found["n_schalen"]}


def recommendations(ctx: EditionContext) -> list[Recommendation]:
    """The recommendations whose condition holds on this edition's own results."""
    cb = load_codebook()
    own, national = sample(ctx)
    base = own if (ctx.edition.is_national or len(own) >= ctx.min_n) else national
    out = []
    shares = c2_1_themes.theme_shares(base).set_index("thema")
    top = [shares.loc[t, "thema_label"]
           for t in shares["aandeel"].drop(cb.theme_none).sort_values(ascending=False).index[:3]]
    out.append(Recommendation(SENTENCES.say("aanbod_titel"),
                              SENTENCES.say("aanbod", landelijk=ctx.edition.is_national, themas=top)))

    groups, _ = appendix_1.national(ctx)
    none_more = groups[(groups["thema"] == cb.theme_none) & (groups["richting"] == MORE)]
    own_none = float(base[cb.theme_none].fillna(0).astype(int).mean())
    national_none = float(national[cb.theme_none].fillna(0).astype(int).mean())
    if ctx.edition.is_national or own_none >= national_none:
        groups_none = [people(r.variabele, r.groep) for r in none_more.itertuples()]
        out.append(Recommendation(SENTENCES.say("geen_behoefte_titel"),
                                  SENTENCES.say("geen_behoefte", groepen=groups_none)))

    own_answering, national_answering = c3_motives.answerers(ctx)
    large_enough = not ctx.edition.is_national and len(own_answering) >= ctx.min_n
    answering = own_answering if large_enough else national_answering
    if "motief_toepasbaar" in motive_order(answering)[:3]:
        out.append(Recommendation(SENTENCES.say("toepasbaar_titel"), SENTENCES.say("toepasbaar")))

    many = list(cb.activity_groups)[1]
    by_prof = c2_1_themes.theme_shares(base, PROF_GROUP).pivot(index="thema", columns="groep", values="aandeel")
    fewer = list(cb.activity_groups)[0]
    chosen = by_prof.drop(index=cb.theme_none)
    if (chosen[many] > chosen[fewer]).all():
        out.append(Recommendation(SENTENCES.say("regelmatig_titel"),
                                  SENTENCES.say("regelmatig", combinatie=_combination(ctx))))

    motives = c3_motives.difference_table(ctx)
    vocational = motives[(motives["uitkomst"] == "motief_beroepsvaardigheden") & (motives["richting"] == MORE)]
    if len(vocational):
        out.append(Recommendation(SENTENCES.say("beroepsgericht_titel"), SENTENCES.say(
            "beroepsgericht", groepen=[people(r.variabele, r.groep) for r in vocational.itertuples()])))
    return out


def conclusions_markdown(ctx: EditionContext, found: list[Conclusion]) -> str:
    return traceable.conclusions_markdown(found)


def sources_table(found: list[Conclusion]) -> pd.DataFrame:
    return traceable.sources_table(found)


def reader_sources(sources: pd.DataFrame) -> pd.DataFrame:
    return traceable.reader_sources(sources)


def recommendations_markdown(ctx: EditionContext) -> str:
    found = recommendations(ctx)
    intro = SENTENCES.say("aanbevelingen_inleiding", instelling="" if ctx.edition.is_national else ctx.title_md)
    return traceable.recommendations_markdown(intro, found)
