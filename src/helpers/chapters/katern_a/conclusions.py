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
from helpers.chapters.conclusions import Conclusion, Recommendation, cite, shown_rows
from helpers.chapters.katern_a import domains, overview, professionalisation, regression, variation
from helpers.chapters.katern_a.common import sample
from helpers.data.codebook import load_codebook

OVERVIEW_TABLE = "a-overzicht"
PROFILE_TABLE = "a-profiel-verschillen"
MEERWAARDE = "visie_meerwaarde"
COMPETENCE_FORMAT = "bekwaam5"  # the answer format of self-rated competence (codebook `antwoordformaten`)
HIGH = "aandeel_hoog"


def _who(ctx: EditionContext, table: pd.DataFrame) -> tuple[dict, str]:
    """Row selector and wording for the edition's own figures (the national ones if the institution's are withheld)."""
    if ctx.edition.is_national:
        return {"weergave": "totaal"}, "Landelijk"
    own = shown(table.loc[(table["weergave"] == "vergelijking") & (table["groep"] == "instelling")])
    if own["gemiddelde"].notna().any():
        return {"weergave": "vergelijking", "groep": "instelling"}, f"Bij {ctx.title_md}"
    return {"weergave": "vergelijking", "groep": "landelijk"}, "Landelijk"


def _rows(table: pd.DataFrame, where: dict) -> pd.DataFrame:
    return shown_rows(table, where, "gemiddelde")


def _own_scales(ctx: EditionContext) -> tuple[pd.DataFrame, dict, str, pd.DataFrame, dict]:
    """(overview table, row selector, wording, the selected shown rows, {scale: 'competentie'|'praktijk'})."""
    cb = load_codebook()
    table = overview.overview_table(ctx)
    where, who = _who(ctx, table)
    kind = {sid: cb.domains[s.domain]["soort"] for sid, s in cb.scales.items()}
    return table, where, who, _rows(table, where), kind


def conclusions(ctx: EditionContext) -> list[Conclusion]:
    cb = load_codebook()
    table, where, who, rows, kind = _own_scales(ctx)
    found = []

    if MEERWAARDE in set(rows["schaal"]):
        share = cite(table, OVERVIEW_TABLE, {**where, "schaal": MEERWAARDE}, HIGH)
        found.append(Conclusion(
            f"{who} ziet {share.shown} van de docenten veel meerwaarde in ict voor het onderwijs: zij staan op die "
            "schaal in de hoogste band.", [share]))

    rated = {sid for sid, scale in cb.scales.items() if scale.answer_format == COMPETENCE_FORMAT}
    competence = rows.loc[rows["schaal"].isin(rated)].sort_values("gemiddelde", ascending=False)
    if len(competence) >= 2:
        top, low = competence.iloc[0], competence.iloc[-1]
        s1 = cite(table, OVERVIEW_TABLE, {**where, "schaal": top["schaal"]}, "gemiddelde", dutch.mean)
        s2 = cite(table, OVERVIEW_TABLE, {**where, "schaal": low["schaal"]}, "gemiddelde", dutch.mean)
        found.append(Conclusion(
            f"Docenten voelen zich het sterkst in ‘{top['schaal_label'].lower()}’ (gemiddeld {s1.shown}) en het "
            f"minst in ‘{low['schaal_label'].lower()}’ ({s2.shown}).", [s1, s2]))

    practice = rows.loc[rows["schaal"].map(kind) == "praktijk"].sort_values("gemiddelde")
    if len(practice) >= 3:
        least = practice.iloc[:3]
        sources = [cite(table, OVERVIEW_TABLE, {**where, "schaal": r["schaal"]}, "gemiddelde", dutch.mean)
                   for _, r in least.iterrows()]
        names = [f"‘{r['schaal_label'].lower()}’ ({s.shown})" for (_, r), s in zip(least.iterrows(), sources)]
        found.append(Conclusion(
            "Niet alle mogelijkheden van ict worden benut. Het minst komen in de lessen voor: "
            f"{names[0]}, {names[1]} en {names[2]}.", sources))

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
    for where, who in ((own, "Landelijk" if ctx.edition.is_national else f"Bij {ctx.title_md}"),
                       ({"weergave": "vergelijking", "groep": "landelijk"}, "Landelijk")):
        try:
            none = cite(counts, professionalisation.TABLE_COUNT, {**where, "categorie": "0"})
        except LookupError:
            continue
        if not math.isnan(none.value):  # a withheld share is blank: then the national one
            found.append(Conclusion(
                f"{who} deed maar {none.shown} van de docenten de afgelopen drie jaar geen enkele "
                "professionaliseringsactiviteit op het gebied van onderwijs en ict.", [none]))
            break

    _, fits = regression.models(ctx)
    parts, sources = [], []
    for row in fits.itertuples():
        r2 = cite(fits, regression.TABLE_MODELS, {"uitkomst": row.uitkomst}, "r2")
        if math.isnan(r2.value):  # too few complete cases for a model
            continue
        whose = "" if ctx.edition.is_national else (
            f" bij {ctx.title_md}" if row.bron == "instelling" else " landelijk")
        parts.append(f"{r2.shown} van de verschillen in {row.uitkomst_label.lower()}{whose}")
        sources.append(r2)
    if parts:
        found.append(Conclusion(
            "Competenties en handelen gaan samen: de competenties verklaren samen " + " en ".join(parts) + ".",
            sources))

    shares = variation.shares_table(ctx)
    practice = shares.loc[shares["soort"] == "praktijk"].dropna(subset=["aandeel_instelling"])
    if len(practice):
        row = practice.iloc[0]
        between = cite(shares, variation.TABLE_SHARES, {"domein": row["domein"]}, "aandeel_instelling")
        within = cite(shares, variation.TABLE_SHARES, {"domein": row["domein"]}, "aandeel_binnen")
        larger = "groter" if within.value > between.value else "kleiner"
        found.append(Conclusion(
            f"De verschillen binnen instellingen zijn {larger} dan die tussen instellingen: landelijk ligt "
            f"{between.shown} van de verschillen in {row['domein_label'].lower()} tussen instellingen en "
            f"{within.shown} binnen instellingen, tussen teams en docenten.", [between, within]))
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
    where = "" if ctx.edition.is_national else f" binnen {ctx.title_md}"
    return Conclusion(
        f"Groepen docenten{where} verschillen het meest naar {row['variabele_label'].lower()}, op "
        f"‘{row['schaal_label'].lower()}’ (partiële η² {effect.shown}, een {row['effect']} effect).", [effect])


def _profile(ctx: EditionContext) -> list[Conclusion]:
    own, _ = sample(ctx)
    if len(own) < ctx.min_n:
        return []
    table = overview.benchmark_table(ctx)
    if overview.benchmark_withheld(table):  # too few other institutions: nothing to compare with
        return []
    notable = overview.compared(table).loc[lambda t: t["opvallend"]]
    found = []
    for sign, word in ((1, "hoger"), (-1, "lager")):
        part = notable.loc[notable["hedges_g"] * sign > 0].sort_values("hedges_g", ascending=sign < 0)
        if part.empty:
            continue
        row = part.iloc[0]
        s1 = cite(table, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde", dutch.mean)
        s2 = cite(table, PROFILE_TABLE, {"schaal": row["schaal"]}, "gemiddelde_referentie", dutch.mean)
        found.append(Conclusion(
            f"Vergeleken met de docenten van alle andere instellingen scoort {ctx.title_md} het duidelijkst {word} "
            f"op ‘{row['schaal_label'].lower()}’ ({s1.shown} tegen {s2.shown}).", [s1, s2]))
    if not found:
        found.append(Conclusion(
            f"Op geen enkele schaal wijkt {ctx.title_md} opvallend af van de docenten van alle andere instellingen.",
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
        out.append(Recommendation(
            "Verbreed het gebruik van ict",
            "Ict ondersteunt de lessen vooral waar het al gewoon is. Zoek samen met teams naar toepassingen die nog "
            "weinig voorkomen, zoals ict die studenten helpt hun eigen leren te sturen en ict bij de begeleiding "
            "van stage en beroepspraktijkvorming."))
    if any(s in least for s in rows.loc[rows["domein"] == "over", "schaal"]):
        out.append(Recommendation(
            "Maak digitale geletterdheid van studenten een opdracht van elk team",
            "Studenten leren niet vanzelf informatie op waarde te schatten en verstandig met internet en sociale "
            "media om te gaan. Spreek per opleiding af wie daar aandacht aan besteedt en wanneer."))
    differences = [domains.differences_table(ctx, d) for d in cb.domains]
    notable = pd.concat(differences, ignore_index=True) if differences else pd.DataFrame()
    if len(notable) and notable["opvallend"].any():
        out.append(Recommendation(
            "Begin bij de verschillen tussen docenten",
            "Docenten verschillen onderling meer dan één aanbod voor iedereen kan bedienen. Stem professionalisering "
            "af op groepen en teams, en laat docenten die verder zijn hun collega's meenemen."))
    return out


def recommendations_intro(ctx: EditionContext) -> str:
    if ctx.edition.is_national:
        return "Uit de resultaten volgen deze aanbevelingen."
    return (f"Deze aanbevelingen passen bij de resultaten van {ctx.title_md}; aanbevelingen waarvan de aanleiding "
            "hier ontbreekt, zijn weggelaten.")
