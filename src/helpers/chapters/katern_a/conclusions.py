"""Katern A: conclusions and recommendations, generated from the tables of the earlier chapters.

Every number in a conclusion is cited from a table an earlier Katern A
chapter published (see `helpers.chapters.conclusions`); the chapter
publishes the sources, and a test checks each number against its CSV.
Recommendations hold no numbers; each applies only when its condition holds
on the edition's own results.
"""
from __future__ import annotations

import math

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import shown
from helpers.book.edition import EditionContext
from helpers.book.sentences import sentence_file
from helpers.chapters.conclusions import Conclusion, Recommendation, cite, shown_rows
from helpers.chapters.katern_a import domains, overview, professionalisation, regression, variation
from helpers.chapters.katern_a.common import sample
from helpers.data.codebook import load_codebook

OVERVIEW_TABLE = "a-overzicht"
PROFILE_TABLE = "a-profiel-verschillen"
MEERWAARDE = "visie_meerwaarde"
COMPETENCE_FORMAT = "bekwaam5"  # the answer format of self-rated competence (codebook `antwoordformaten`)
HIGH = "aandeel_hoog"
SENTENCES = sentence_file("katern_a/a13_conclusies")


def _who(ctx: EditionContext, table: pd.DataFrame) -> tuple[dict, str]:
    """Row selector for the edition's own figures (the national ones if the institution's are withheld), and the
    institution they describe ('' for national figures)."""
    if ctx.edition.is_national:
        return {"weergave": "totaal"}, ""
    own = shown(table.loc[(table["weergave"] == "vergelijking") & (table["groep"] == "instelling")])
    if own["gemiddelde"].notna().any():
        return {"weergave": "vergelijking", "groep": "instelling"}, ctx.title_md
    return {"weergave": "vergelijking", "groep": "landelijk"}, ""


def _rows(table: pd.DataFrame, where: dict) -> pd.DataFrame:
    return shown_rows(table, where, "gemiddelde")


def _own_scales(ctx: EditionContext) -> tuple[pd.DataFrame, dict, str, pd.DataFrame, dict]:
    """(overview table, row selector, institution ('' : national), the selected shown rows,
    {scale: 'competentie'|'praktijk'})."""
    cb = load_codebook()
    table = overview.overview_table(ctx)
    where, institution = _who(ctx, table)
    kind = {sid: cb.domains[s.domain]["soort"] for sid, s in cb.scales.items()}
    return table, where, institution, _rows(table, where), kind


def conclusions(ctx: EditionContext) -> list[Conclusion]:
    cb = load_codebook()
    table, where, institution, rows, kind = _own_scales(ctx)
    found = []

    if MEERWAARDE in set(rows["schaal"]):
        share = cite(table, OVERVIEW_TABLE, {**where, "schaal": MEERWAARDE}, HIGH)
        found.append(Conclusion(SENTENCES.say("meerwaarde", instelling=institution, aandeel=share.shown), [share]))

    rated = {sid for sid, scale in cb.scales.items() if scale.answer_format == COMPETENCE_FORMAT}
    competence = rows.loc[rows["schaal"].isin(rated)].sort_values("gemiddelde", ascending=False)
    if len(competence) >= 2:
        top, low = competence.iloc[0], competence.iloc[-1]
        s1 = cite(table, OVERVIEW_TABLE, {**where, "schaal": top["schaal"]}, "gemiddelde", dutch.mean)
        s2 = cite(table, OVERVIEW_TABLE, {**where, "schaal": low["schaal"]}, "gemiddelde", dutch.mean)
        found.append(Conclusion(SENTENCES.say("sterkst_en_minst_bekwaam", sterkst=top["schaal_label"],
                                              gemiddelde_sterkst=s1.shown, minst=low["schaal_label"],
                                              gemiddelde_minst=s2.shown), [s1, s2]))

    practice = rows.loc[rows["schaal"].map(kind) == "praktijk"].sort_values("gemiddelde")
    if len(practice) >= 3:
        least = practice.iloc[:3]
        sources = [cite(table, OVERVIEW_TABLE, {**where, "schaal": r["schaal"]}, "gemiddelde", dutch.mean)
                   for _, r in least.iterrows()]
        scales = [{"naam": r["schaal_label"], "gemiddelde": s.shown} for (_, r), s in zip(least.iterrows(), sources)]
        found.append(Conclusion(SENTENCES.say("minst_benut", schalen=scales), sources))

    found += _practice_and_professionalisation(ctx)

    strongest = _largest_difference(ctx)
    if strongest is not None:
        found.append(strongest)

    if not ctx.edition.is_national:
        found += _profile(ctx)
    return found


def _practice_and_professionalisation(ctx: EditionContext) -> list[Conclusion]:
    """Professionalisation, competences and practice, and where the differences lie (chapters 9-11)."""
    found = []
    counts = professionalisation.count_table(ctx)
    own = {"weergave": "totaal", "groep": "totaal"} if ctx.edition.is_national else \
        {"weergave": "vergelijking", "groep": "instelling"}
    for where, institution in ((own, "" if ctx.edition.is_national else ctx.title_md),
                               ({"weergave": "vergelijking", "groep": "landelijk"}, "")):
        try:
            none = cite(counts, professionalisation.TABLE_COUNT, {**where, "categorie": "0"})
        except LookupError:
            continue
        if not math.isnan(none.value):  # a withheld share is blank: then the national one
            found.append(Conclusion(SENTENCES.say("geen_professionalisering", instelling=institution,
                                                  aandeel=none.shown), [none]))
            break

    _, fits = regression.models(ctx)
    parts, sources = [], []
    for row in fits.itertuples():
        r2 = cite(fits, regression.TABLE_MODELS, {"uitkomst": row.uitkomst}, "r2")
        if math.isnan(r2.value):  # too few complete cases for a model
            continue
        parts.append({"aandeel": r2.shown, "handelen": row.uitkomst_label, "eigen": row.bron == regression.OWN})
        sources.append(r2)
    if parts:
        found.append(Conclusion(SENTENCES.say("competenties_en_handelen",
                                              instelling="" if ctx.edition.is_national else ctx.title_md,
                                              modellen=parts), sources))

    shares = variation.shares_table(ctx)
    practice = shares.loc[shares["soort"] == "praktijk"].dropna(subset=["aandeel_instelling"])
    if len(practice):
        row = practice.iloc[0]
        between = cite(shares, variation.TABLE_SHARES, {"domein": row["domein"]}, "aandeel_instelling")
        within = cite(shares, variation.TABLE_SHARES, {"domein": row["domein"]}, "aandeel_binnen")
        found.append(Conclusion(SENTENCES.say("binnen_en_tussen_instellingen",
                                              binnen_groter=within.value > between.value, tussen=between.shown,
                                              binnen=within.shown, domein=row["domein_label"]),
                                [between, within]))
    return found


def _largest_difference(ctx: EditionContext) -> Conclusion | None:
    """The notable group difference with the largest effect, over every domain chapter."""
    cb = load_codebook()
    best = None
    for domain in cb.domains:
        differences = domains.differences_table(ctx, domain)
        notable = differences.loc[differences["opvallend"]]
        if len(notable):
            row = notable.sort_values("np2", ascending=False).iloc[0]
            if best is None or row["np2"] > best[1]["np2"]:
                best = (domain, row)
    if best is None:
        return None
    domain, row = best
    table = domains.differences_table(ctx, domain)
    effect = cite(table, domains.table_id(domain, "verschillen"),
                  {"schaal": row["schaal"], "variabele": row["variabele"]}, "np2", dutch.two_decimals)
    return Conclusion(SENTENCES.say("grootste_verschil", instelling="" if ctx.edition.is_national else ctx.title_md,
                                    kenmerk=row["variabele_label"], schaal=row["schaal_label"],
                                    effectgrootte=effect.shown, effect=row["effect"]), [effect])


def _profile(ctx: EditionContext) -> list[Conclusion]:
    own, _ = sample(ctx)
    if len(own) < ctx.min_n:
        return []
    table = overview.benchmark_table(ctx)
    if overview.benchmark_withheld(table):  # too few other institutions: nothing to compare with
        return []
    notable = overview.compared(table).loc[lambda t: t["opvallend"]]
    found = []
    for sign in (1, -1):
        part = notable.loc[notable["hedges_g"] * sign > 0].sort_values("hedges_g", ascending=sign < 0)
        if part.empty:
            continue
        row = part.iloc[0]
        s1 = cite(table, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde", dutch.mean)
        s2 = cite(table, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde_referentie", dutch.mean)
        found.append(Conclusion(SENTENCES.say("afwijking_van_andere_instellingen", instelling=ctx.title_md,
                                              hoger=sign > 0, schaal=row["schaal_label"], eigen=s1.shown,
                                              anderen=s2.shown), [s1, s2]))
    if not found:
        found.append(Conclusion(SENTENCES.say("geen_afwijking_van_andere_instellingen", instelling=ctx.title_md),
                                question="eigen"))
    return found


# -- recommendations -------------------------------------------------------------------------------------
def recommendations(ctx: EditionContext) -> list[Recommendation]:
    cb = load_codebook()
    _, _, _, rows, kind = _own_scales(ctx)
    practice = rows.loc[rows["schaal"].map(kind) == "praktijk"].sort_values("gemiddelde")
    least = set(practice["schaal"].iloc[:4])
    out = []
    if least & {"met_zelfregie", "met_bpv"}:
        out.append(Recommendation(SENTENCES.say("verbreden_titel"), SENTENCES.say("verbreden")))
    if any(s in least for s in rows.loc[rows["domein"] == "over", "schaal"]):
        out.append(Recommendation(SENTENCES.say("digitale_geletterdheid_titel"),
                                  SENTENCES.say("digitale_geletterdheid")))
    differences = [domains.differences_table(ctx, d) for d in cb.domains]
    notable = pd.concat(differences, ignore_index=True) if differences else pd.DataFrame()
    if len(notable) and notable["opvallend"].any():
        out.append(Recommendation(SENTENCES.say("verschillen_tussen_docenten_titel"),
                                  SENTENCES.say("verschillen_tussen_docenten")))
    return out


def recommendations_intro(ctx: EditionContext) -> str:
    return SENTENCES.say("aanbevelingen_inleiding", instelling="" if ctx.edition.is_national else ctx.title_md)
