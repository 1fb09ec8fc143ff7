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


def _ranked(themes: pd.DataFrame, where: dict, none: str) -> pd.DataFrame:
    """Rows of the substantive themes that `where` selects, most chosen first."""
    rows = rows_where(themes, where)
    return rows[rows["thema"] != none].sort_values("aandeel", ascending=False, kind="stable")


def ranked_national(themes: pd.DataFrame, where: dict, none: str) -> list[str]:
    """Substantive themes of the rows selected by `where`, most chosen first."""
    return _ranked(themes, where, none)["thema"].tolist()


def _who(ctx: EditionContext) -> tuple[dict, str, bool]:
    """Row selector and wording for the edition's own figures; False if they are suppressed."""
    own, _ = sample(ctx)
    if ctx.edition.is_national:
        return {"weergave": "totaal"}, "Landelijk", True
    enough = len(own) >= ctx.min_n
    return {"weergave": "vergelijking", "groep": "instelling"}, f"Bij {ctx.title_md}", enough


def conclusions(ctx: EditionContext) -> list[Conclusion]:
    cb = load_codebook()
    where, who, enough = _who(ctx)
    # With too few other institutions the national rows beside the institution are withheld: cite none of them.
    benchmark = not national_benchmark_withheld(ctx, reported_wave(ctx))
    if not enough:
        where, who = {"weergave": "vergelijking", "groep": "landelijk"}, "Landelijk"
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
    result.append(Conclusion(
        f"{who} willen docenten zich vooral ontwikkelen in ‘{first['thema_label'].lower()}’ ({s1.shown}) en "
        f"‘{second['thema_label'].lower()}’ ({s2.shown}); ‘{last['thema_label'].lower()}’ trekt de minste "
        f"belangstelling ({s3.shown}).", [s1, s2, s3]))
    if not ctx.edition.is_national and enough and benchmark:
        benchmark = [cite(themes, THEMES_TABLE, {**national_where, "thema": row["thema"]})
                     for row in (first, second, last)]
        theme_label = dict(zip(themes["thema"], themes["thema_label"]))
        national_top = [theme_label[t].lower() for t in ranked_national(themes, national_where, cb.theme_none)[:2]]
        same = "Dat zijn ook landelijk de twee populairste thema's" if national_top == [
            first["thema_label"].lower(), second["thema_label"].lower()] else (
            f"Landelijk staan ‘{national_top[0]}’ en ‘{national_top[1]}’ bovenaan")
        result.append(Conclusion(
            f"{same}; landelijk kiest {benchmark[0].shown} ‘{first['thema_label'].lower()}’, "
            f"{benchmark[1].shown} ‘{second['thema_label'].lower()}’ en {benchmark[2].shown} "
            f"‘{last['thema_label'].lower()}’.", benchmark))

    four = cite(counts, COUNTS_TABLE, {**where, "band": "4+"})
    none = cite(counts, COUNTS_TABLE, {**where, "band": "geen"})
    result.append(Conclusion(
        f"De belangstelling is breed: {four.shown} kiest vier of meer thema's. Tegelijk wil {none.shown} zich op "
        "geen enkel thema rond onderwijs en ict ontwikkelen.", [four, none]))
    if not ctx.edition.is_national and enough and benchmark:
        n_four = cite(counts, COUNTS_TABLE, {**national_where, "band": "4+"})
        n_none = cite(counts, COUNTS_TABLE, {**national_where, "band": "geen"})
        result.append(Conclusion(
            f"Landelijk zijn die aandelen {n_four.shown} en {n_none.shown}.", [n_four, n_none]))

    _, national_answerers = c3_motives.answerers(ctx)
    top_motive = motive_order(national_answerers)[0]
    m1 = cite(motives, MOTIVES_TABLE, {**national_where, "motief": top_motive})
    if benchmark:
        result.append(Conclusion(
            f"Wat docenten drijft, is vooral ‘{cb.motives[top_motive].lower()}’: landelijk noemt {m1.shown} "
            "van wie de open vraag beantwoordde dit motief.", [m1]))

    groups, _ = appendix_1.national(ctx)
    if len(groups):
        strongest = groups.reindex(groups["residu"].abs().sort_values(ascending=False).index).iloc[0]
        g1 = cite(groups, APPENDIX_TABLE, {"thema": strongest["thema"], "variabele": strongest["variabele"],
                                             "groep": strongest["groep"]}, column="aandeel_groep")
        result.append(Conclusion(
            f"Groepen docenten verschillen duidelijk in wat ze willen leren. Landelijk is het grootste verschil (naar gestandaardiseerd residu) dat "
            f"{people(strongest['variabele'], strongest['groep'])} ‘{strongest['thema_label'].lower()}’ "
            f"{strongest['richting']} kiezen ({g1.shown} tegen {dutch.percent(strongest['aandeel_thema'])} van "
            "alle docenten).",
            [g1, Source(APPENDIX_TABLE, {"thema": strongest["thema"], "variabele": strongest["variabele"],
                                         "groep": strongest["groep"]}, "aandeel_thema",
                        float(strongest["aandeel_thema"]), dutch.percent(strongest["aandeel_thema"]))]))
    return result


# -- recommendations -------------------------------------------------------------------------------------
def _combination_clause(ctx: EditionContext) -> str:
    """What Katern B found about short and long activities together (national), as one sentence."""
    best = katern_b.effect_tables(ctx)[3]
    found = katern_b.best_summary(best)
    if found["n_schalen"] and found["n_best"] * 2 > found["n_schalen"]:
        return ("Combineer korte en langere activiteiten: in Katern B scoren docenten die dat deden op "
                f"{dutch.integer(found['n_best'])} van de {dutch.integer(found['n_schalen'])} schalen opvallend hoger "
                "dan docenten met alleen korte of alleen langere activiteiten.")
    return ("Of een combinatie van korte en langere activiteiten beter werkt dan één van beide, laten de gegevens in "
            "Katern B niet duidelijk zien.")



def recommendations(ctx: EditionContext) -> list[Recommendation]:
    """The recommendations whose condition holds on this edition's own results."""
    cb = load_codebook()
    own, national = sample(ctx)
    base = own if (ctx.edition.is_national or len(own) >= ctx.min_n) else national
    subject = "de instelling" if not ctx.edition.is_national else "instellingen"
    out = []
    shares = c2_1_themes.theme_shares(base).set_index("thema")
    top = [shares.loc[t, "thema_label"].lower()
           for t in shares["aandeel"].drop(cb.theme_none).sort_values(ascending=False).index[:3]]
    out.append(Recommendation(
        "Sluit aan bij wat docenten zelf willen leren",
        f"Laat {subject} het aanbod beginnen bij de thema's met de meeste belangstelling: ‘{top[0]}’, ‘{top[1]}’ "
        f"en ‘{top[2]}’. Vraag teams waar hun eigen prioriteiten liggen; de verschillen binnen een instelling zijn "
        "groot."))

    groups, _ = appendix_1.national(ctx)
    none_more = groups[(groups["thema"] == cb.theme_none) & (groups["richting"] == MORE)]
    own_none = float(base[cb.theme_none].fillna(0).astype(int).mean())
    national_none = float(national[cb.theme_none].fillna(0).astype(int).mean())
    if ctx.edition.is_national or own_none >= national_none:
        who = ", ".join(people(r.variabele, r.groep) for r in none_more.itertuples()) or "een deel van de docenten"
        out.append(Recommendation(
            "Zoek de docenten op die (nog) geen behoefte hebben",
            f"Een deel van de docenten wil zich op geen enkel thema ontwikkelen; landelijk zijn dat vaker {who}. "
            "Ga met hen in gesprek over wat ict voor hun eigen lessen kan betekenen, in plaats van hen een aanbod "
            "toe te schuiven."))

    own_answering, national_answering = c3_motives.answerers(ctx)
    large_enough = not ctx.edition.is_national and len(own_answering) >= ctx.min_n
    answering = own_answering if large_enough else national_answering
    if "motief_toepasbaar" in motive_order(answering)[:3]:
        out.append(Recommendation(
            "Maak professionalisering direct bruikbaar",
            "Docenten willen de volgende dag iets kunnen doen met wat ze leren. Werk met voorbeelden uit de eigen "
            "lespraktijk en laat ruimte om het meteen uit te proberen."))

    many = list(cb.activity_groups)[1]
    by_prof = c2_1_themes.theme_shares(base, PROF_GROUP).pivot(index="thema", columns="groep", values="aandeel")
    fewer = list(cb.activity_groups)[0]
    chosen = by_prof.drop(index=cb.theme_none)
    if (chosen[many] > chosen[fewer]).all():
        out.append(Recommendation(
            "Houd professionalisering regelmatig en breed",
            "Wie de afgelopen jaren veel aan professionalisering deed, wil op elk thema verder. Regelmatige en "
            "gevarieerde professionalisering houdt die belangstelling vast. " + _combination_clause(ctx)))

    motives = c3_motives.difference_table(ctx)
    vocational = motives[(motives["uitkomst"] == "motief_beroepsvaardigheden") & (motives["richting"] == MORE)]
    if len(vocational):
        who = " en ".join(people(r.variabele, r.groep) for r in vocational.itertuples())
        out.append(Recommendation(
            "Bied beroepsgericht aanbod",
            f"Vooral {who} willen dat studenten de ict-vaardigheden van hun toekomstige beroep leren. Betrek het "
            "werkveld bij het aanbod voor deze docenten."))
    return out


def conclusions_markdown(ctx: EditionContext, found: list[Conclusion]) -> str:
    return traceable.conclusions_markdown(found)


def sources_table(found: list[Conclusion]) -> pd.DataFrame:
    return traceable.sources_table(found)


def reader_sources(sources: pd.DataFrame) -> pd.DataFrame:
    return traceable.reader_sources(sources)


def recommendations_markdown(ctx: EditionContext) -> str:
    found = recommendations(ctx)
    intro = ("Uit de resultaten volgen deze aanbevelingen." if ctx.edition.is_national else
             f"Deze aanbevelingen passen bij de resultaten van {ctx.title_md}; aanbevelingen waarvan de "
             "aanleiding hier ontbreekt, zijn weggelaten.")
    return traceable.recommendations_markdown(intro, found)
