"""Katern C §2.2: which teachers want to develop in which themes.

Differences by background (summarised; in full in Bijlage 1), by teaching
experience (figure 2.2), by the koplopers / peloton / achterblijvers
typology, and by competences, the added value of ict above all (figure 2.3).
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import group_percent
from helpers.book.edition import EditionContext
from helpers.book.sentences import sentence_file
from helpers.chapters.common import bar_views, edition_table, largest_differences, sample, shows, tested_rows
from helpers.chapters.katern_c.c2_1_themes import theme_order
from helpers.data.codebook import load_codebook
from helpers.data.derive import MEERWAARDE_GROUP, TYPOLOGY_MET, TYPOLOGY_OVER, value_labels
from helpers.stats.appendix import bijlage1_groups
from helpers.stats.association import BACKGROUND
from helpers.stats.competence import theme_count_correlations
from helpers.stats.themes import COUNT_BANDS, theme_count_distribution, theme_shares
from helpers.stats.typology import DOMAIN_TEXT, TypologyModel, group_sizes

BREAKDOWNS = ["ervaring", TYPOLOGY_MET, TYPOLOGY_OVER, MEERWAARDE_GROUP]
# The experience groups the prose cites, by the name the template gives them.
EXPERIENCE_BANDS = {
    "starters": ["lt1"],
    "een_tot_vijf_jaar": ["1-3", "4-5"],
    "meer_dan_twintig_jaar": ["gt20"],
}
SENTENCES = sentence_file("katern_c/c2_2_verschillen")


def theme_table(ctx: EditionContext) -> pd.DataFrame:
    """Themes per experience, typology and meerwaarde group (figures 2.2 and 2.3)."""
    table = edition_table(ctx, theme_shares, ["thema", "thema_label"], BREAKDOWNS, national_fallback=True)
    return table[table["weergave"] != "vergelijking"].reset_index(drop=True)


def theme_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    return bar_views(ctx, table, "thema_label", theme_order(ctx), "Gekozen thema's")


def count_table(ctx: EditionContext) -> pd.DataFrame:
    table = edition_table(ctx, theme_count_distribution, ["band", "band_label"], BREAKDOWNS, national_fallback=True,
                          whole="band")
    return table[table["weergave"] != "vergelijking"].reset_index(drop=True)


def count_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    return bar_views(ctx, table, "band_label", list(COUNT_BANDS.values()), "Aantal gekozen thema's")


def _own(ctx: EditionContext) -> tuple[pd.DataFrame, str]:
    """The sample the prose describes (own if large enough, else national) and its institution ('' if national)."""
    own, national = sample(ctx)
    if ctx.edition.is_national or len(own) < ctx.min_n:
        return national, ""
    return own, ctx.title_md


def _band_share(ctx: EditionContext, df: pd.DataFrame, band: str, by: str, codes: list[str]) -> tuple[float, int] | None:
    """The share of the groups `codes` of `by` in `df` choosing `band` themes, with their size; None unless all shown.

    A sentence cites only groups the tables show (:func:`shows`): one withheld
    group among them would follow from their sum minus the groups shown.
    """
    national_fallback = not ctx.edition.is_national and len(sample(ctx)[0]) < ctx.min_n  # `df` is national (`_own`)
    if not shows(ctx, by, df, codes, national=national_fallback):
        return None
    rows = df.loc[df[by].astype(str).isin(codes)]
    dist = theme_count_distribution(rows).set_index("band")
    return float(dist.loc[band, "aandeel"]), len(rows)


def background_paragraph(ctx: EditionContext) -> str:
    own, institution = _own(ctx)
    groups = bijlage1_groups(tested_rows(ctx, own, BACKGROUND))
    if groups.empty:
        return SENTENCES.say("achtergrond_geen_verschillen", instelling=institution)
    return SENTENCES.say("achtergrond", instelling=institution, combinaties=len(groups),
                         grootste=largest_differences(groups, "kiezen", "thema_label", "aandeel_thema", len(own)))


def experience_paragraph(ctx: EditionContext) -> str:
    own, institution = _own(ctx)
    bands = []
    for name, codes in EXPERIENCE_BANDS.items():
        four = _band_share(ctx, own, "4+", "ervaring", codes)
        none = _band_share(ctx, own, "geen", "ervaring", codes)
        if four is None:
            continue
        bands.append({"ervaring": name, "vier_of_meer": group_percent(*four), "geen": group_percent(*none)})
    if not bands:
        return SENTENCES.say("ervaring_te_klein")
    most_experienced = None
    if _band_share(ctx, own, "4+", "ervaring", ["gt20"]) is not None:
        most = own.loc[own["ervaring"].astype(str) == "gt20"]
        most_experienced = {
            "hooguit_drie": group_percent(float((most["thema_aantal"].fillna(0) <= 3).mean()), len(most)),
            "zestig_plus": group_percent(float((most["leeftijd"].astype(str) == "60plus").mean()), len(most)),
            "zestig_plus_allen": group_percent(float((own["leeftijd"].astype(str) == "60plus").mean()), len(own)),
        }
    return SENTENCES.say("ervaring", instelling=institution, groepen=bands, meest_ervaren=most_experienced)


def typology_method(model: TypologyModel) -> str:
    """How the typology of `model` is formed, its cut-offs included, for the reader."""
    cb = load_codebook()
    low, high = cb.score_range
    return SENTENCES.say("typologie_methode", domein=DOMAIN_TEXT[model.domain],
                         schalen=[cb.scales[s].label for s in model.scales], meting=model.wave, n=model.n_fit,
                         onderste={"percentiel": 100 * model.lower_quantile, "score": model.lower},
                         bovenste={"percentiel": 100 * model.upper_quantile, "score": model.upper},
                         laagste=low, hoogste=high)


def typology_paragraph(ctx: EditionContext) -> str:
    own, institution = _own(ctx)
    model = ctx.typology.get("met")
    sizes = group_sizes(sample(ctx)[1], TYPOLOGY_MET).set_index("groep")["n"]
    leaders = _band_share(ctx, own, "4+", TYPOLOGY_MET, ["koplopers"])
    laggards = _band_share(ctx, own, "geen", TYPOLOGY_MET, ["achterblijvers"])
    shown = bool(leaders and laggards)  # a comparison cites both groups or neither
    return SENTENCES.say("typologie", methode=typology_method(model) if model is not None else "",
                         domein=DOMAIN_TEXT["met"], koplopers=sizes["koplopers"], peloton=sizes["peloton"],
                         achterblijvers=sizes["achterblijvers"], instelling=institution,
                         koplopers_vier_of_meer=group_percent(*leaders) if shown else "",
                         achterblijvers_geen=group_percent(*laggards) if shown else "")


def competence_paragraph(ctx: EditionContext) -> str:
    own, institution = _own(ctx)
    correlations = theme_count_correlations(own)
    if correlations.empty:
        return SENTENCES.say("competenties_te_weinig_gegevens")
    positive = correlations[(correlations["rho"] > 0) & (correlations["p_holm"] <= 0.05)]
    strongest = correlations.iloc[0]
    labels = value_labels(MEERWAARDE_GROUP)
    much = _band_share(ctx, own, "4+", MEERWAARDE_GROUP, ["veel"])
    little = _band_share(ctx, own, "4+", MEERWAARDE_GROUP, ["weinig_geen"])
    _, national = sample(ctx)
    shares = national[MEERWAARDE_GROUP].astype(str).value_counts(normalize=True)
    shown = bool(much and little)  # a comparison cites both groups or neither

    def group(code: str, share: tuple[float, int]) -> dict:
        return {"naam": labels[code], "landelijk": shares.get(code, 0), "vier_of_meer": group_percent(*share)}

    return SENTENCES.say("competenties", instelling=institution, samenhangend=len(positive),
                         schalen=len(correlations),
                         sterkste={"naam": strongest["schaal_label"], "rho": strongest["rho"]},
                         veel=group("veel", much) if shown else None,
                         weinig=group("weinig_geen", little) if shown else None)


def correlation_table(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(table for the CSV, reader's version) of the competence correlations."""
    own, _ = _own(ctx)
    table = theme_count_correlations(own)
    shown = pd.DataFrame({
        "Competentie": table["schaal_label"],
        "Spearmans rho": table["rho"].map(lambda r: dutch.decimal(r, 2)),
        "p (Holm)": table["p_holm"].map(lambda p: "< 0,001" if p < 0.001 else dutch.decimal(p, 3)),
        "n": table["n"].map(dutch.integer),
    })
    return table, shown
