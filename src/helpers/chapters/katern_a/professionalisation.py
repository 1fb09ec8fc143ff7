"""Katern A chapter 10: professionalisation in onderwijs en ict in the last three years.

Shows the share of teachers that took part in each kind of activity (codebook
`activiteiten`), how the teachers divide over the number of activities, the
share with any activity, and how the professionalisation group (`prof_groep`:
fewer than / at least `grens_veel` activities) relates to competences and
practice: scale means per group, and per scale the difference between the
groups with Hedges' g (Games-Howell, Holm over the chapter, the one notable
rule). Nationally and for an institution beside its benchmarks; every table
with groups passes disclosure control (:mod:`helpers.chapters.katern_a.common`).
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import complement_text, group_percent, share_text, shown
from helpers.book.edition import EditionContext, kept
from helpers.chapters.common import NATIONAL_VIEW_PREFIX, activity_count_labels, bar_views, edition_withheld, sentence
from helpers.chapters.katern_a.common import (
    breakdowns,
    composition_table,
    mean_views,
    sample,
    scale_table,
    share_table,
    shown_groups,
    who,
)
from helpers.data.codebook import load_codebook
from helpers.data.derive import PROF_COUNT, PROF_GROUP
from helpers.stats.competence import competence_scales
from helpers.stats.professionalisation import activity_count_distribution, activity_shares
from helpers.stats.scales import pairwise_family, practice_domains

TABLE_ACTIVITIES = "a10-activiteiten"
TABLE_COUNT = "a10-aantal"
TABLE_PROFILE = "a10-profiel"
TABLE_DIFFERENCES = "a10-verschillen"
NO_ACTIVITY = "0"


def _groups() -> tuple[str, str]:
    """(fewer, many): the codes of the professionalisation groups."""
    fewer, many = list(load_codebook().activity_groups)
    return fewer, many


# -- which activities --------------------------------------------------------------------
def activities_table(ctx: EditionContext) -> pd.DataFrame:
    """Share taking part in each activity per view (breakdowns as in chapters 2-7, without the group it defines)."""
    return share_table(ctx, activity_shares, ["activiteit", "activiteit_label"],
                       [b for b in breakdowns(ctx) if b != PROF_GROUP])


def activity_order(ctx: EditionContext) -> list[str]:
    """Activity labels, most frequent nationally first."""
    shares = activity_shares(sample(ctx)[1])
    return shares.sort_values("aandeel", ascending=False, kind="stable")["activiteit_label"].tolist()


def show_activities(ctx: EditionContext, table: pd.DataFrame) -> None:
    views = bar_views(ctx, table, "activiteit_label", activity_order(ctx), "Deelname aan professionalisering")
    ctx.publish.views(TABLE_ACTIVITIES, table, views, description="Weergave")


# -- how many activities -----------------------------------------------------------------
def count_hidden(ctx: EditionContext) -> dict:
    """{number of activities: reason} withheld for the institution: every number of a withheld prof group.

    The numbers add up to the professionalisation groups, so a group hidden
    edition-wide must not follow from the distribution of the numbers.
    """
    hidden = edition_withheld(ctx, PROF_GROUP)
    fewer, many = _groups()
    threshold = load_codebook().many_activities_threshold
    out = {}
    for k in range(len(load_codebook().activities) + 1):
        group = many if k >= threshold else fewer
        if group in hidden:
            out[str(k)] = hidden[group]
    return out


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def count_table(ctx: EditionContext) -> pd.DataFrame:
    """How the teachers divide over the number of activities: nationally, or the institution beside its benchmarks."""
    labels = activity_count_labels()
    return composition_table(ctx, lambda rows: activity_count_distribution(rows, labels), hidden=count_hidden(ctx))


def show_count(ctx: EditionContext, table: pd.DataFrame) -> None:
    order = list(dict.fromkeys(table["categorie_label"]))
    views = bar_views(ctx, table, "categorie_label", order, "Aantal soorten activiteiten")
    ctx.publish.views(TABLE_COUNT, table, views, description="Weergave")


def _row_of(table: pd.DataFrame, group: str, column: str, value: str) -> pd.Series | None:
    rows = shown(table.loc[(table["groep"] == group) & (table[column] == value)]).dropna(subset=["aandeel"])
    return None if rows.empty else rows.iloc[0]


def participation_paragraph(ctx: EditionContext, activities: pd.DataFrame, counts: pd.DataFrame) -> str:
    """Share with any activity, the most and least frequent activity, the mean number and the share with many."""
    own, national = sample(ctx)
    group = "totaal" if ctx.edition.is_national else "instelling"
    if counts.loc[counts["groep"] == group, "n"].dropna().empty:
        return (f"Van {ctx.title_md} deden minder dan {dutch.integer(ctx.min_n)} docenten mee; hieronder staan "
                "daarom alleen de cijfers van de benchmarks.")
    cb = load_codebook()
    text = ""
    none = _row_of(counts, group, "categorie", NO_ACTIVITY)
    national_none = _row_of(counts, "landelijk", "categorie", NO_ACTIVITY)
    if none is not None:
        text += (f"{sentence(who(ctx))} nam {complement_text(none)} van de docenten in de afgelopen drie jaar deel "
                 "aan minstens één professionaliseringsactiviteit op het gebied van onderwijs en ict")
        text += f" (landelijk {complement_text(national_none)}). " if national_none is not None else ". "
    rows = shown(activities.loc[(activities["weergave"].isin(["totaal", "vergelijking"]))
                                & (activities["groep"] == group)]).dropna(subset=["aandeel"])
    if len(rows):
        rows = rows.sort_values("aandeel", ascending=False, kind="stable")
        top, low = rows.iloc[0], rows.iloc[-1]
        opening = "De meest genoemde activiteit is" if text else f"{sentence(who(ctx))} is de meest genoemde activiteit"
        text += (f"{opening} ‘{dutch.lower_first(top['activiteit_label'])}’ "
                 f"({share_text(top)}), de minst genoemde ‘{dutch.lower_first(low['activiteit_label'])}’ "
                 f"({share_text(low)}). ")
    mine = own if not ctx.edition.is_national else national
    mean = float(mine[PROF_COUNT].astype(float).mean())
    text += (f"Gemiddeld deden de docenten mee aan {dutch.decimal(mean, 1)} van de "
             f"{dutch.integer(len(cb.activities))} soorten activiteiten")
    fewer, many = _groups()
    if many not in edition_withheld(ctx, PROF_GROUP) and fewer not in edition_withheld(ctx, PROF_GROUP):
        share = float((mine[PROF_GROUP] == many).mean())
        text += (f"; {group_percent(share, len(mine))} deed aan {dutch.integer(cb.many_activities_threshold)} of meer soorten "
                 "mee")
    return text + "."


# -- the professionalisation group, competences and practice ----------------------------
def _own_data(ctx: EditionContext) -> tuple[pd.DataFrame, bool]:
    own, national = sample(ctx)
    if ctx.edition.is_national or len(own) >= ctx.min_n:
        return own, True
    return national, False


def _scales() -> list[str]:
    cb = load_codebook()
    practice = set(practice_domains(cb))
    return competence_scales() + [sid for sid, s in cb.scales.items() if s.domain in practice]


@kept  # its tests take their groups from it
def profile_table(ctx: EditionContext) -> pd.DataFrame:
    """Every competence and practice scale per professionalisation group (own teachers, or national)."""
    return scale_table(ctx, _scales(), by=[PROF_GROUP], national_fallback=True)


def show_profile(ctx: EditionContext, table: pd.DataFrame) -> None:
    """Two views: the competence scales and the practice scales, each per professionalisation group."""
    part = table.loc[table["weergave"].isin([PROF_GROUP, NATIONAL_VIEW_PREFIX + PROF_GROUP])]
    competence = set(competence_scales())
    views = {}
    for name, scales in (("Competenties", part["schaal"].isin(competence)),
                         ("Handelen", ~part["schaal"].isin(competence))):
        for fig in mean_views(ctx, part.loc[scales], f"{name} naar professionalisering").values():
            views[name] = fig
    ctx.publish.views(TABLE_PROFILE, table, views, description="Schalen")


def differences_table(ctx: EditionContext) -> pd.DataFrame:
    """Per scale the two professionalisation groups compared (Games-Howell, Hedges' g, Holm over every scale).

    Column g_veel is Hedges' g oriented so that positive means: the group with
    many activities scores higher.
    """
    df, _ = _own_data(ctx)
    table = pairwise_family(df, _scales(), PROF_GROUP, groups=shown_groups(profile_table(ctx)))
    fewer, _ = _groups()
    sign = table["groep_a"].map(lambda code: -1.0 if code == fewer else 1.0).astype(float)
    return table.assign(g_veel=table["hedges_g"].astype(float) * sign)


def differences_paragraph(ctx: EditionContext, differences: pd.DataFrame) -> str:
    """How many scales differ notably between the groups, in which direction, and the largest (Dutch, computed)."""
    _, own = _own_data(ctx)
    cb = load_codebook()
    fewer, many = _groups()
    text = "" if own else (f"Van {ctx.title_md} deden te weinig docenten mee om de groepen binnen de instelling te "
                           "vergelijken; hier staan daarom de landelijke cijfers. ")
    if differences.empty:
        return text + (f"{sentence(who(ctx, own))} zijn de groepen naar professionalisering niet allebei te tonen, "
                       "dus ook niet te vergelijken.")
    notable = differences.loc[differences["opvallend"]]
    higher = notable.loc[notable["g_veel"] > 0].sort_values("g_veel", ascending=False, kind="stable")
    lower = notable.loc[notable["g_veel"] < 0]
    many_people = f"docenten met {cb.activity_groups[many].lower()}"
    tested = dutch.integer(len(differences))
    if notable.empty:
        return text + (f"{sentence(who(ctx, own))} verschillen {many_people} op geen van de {tested} schalen "
                       f"opvallend van docenten met {cb.activity_groups[fewer].lower()}.")
    text += (f"{sentence(who(ctx, own))} scoren {many_people} op {dutch.integer(len(higher))} van de {tested} schalen "
             f"opvallend hoger dan docenten met {cb.activity_groups[fewer].lower()}")
    text += f" en op {dutch.integer(len(lower))} opvallend lager. " if len(lower) else ". "
    if len(higher):
        top = [f"‘{dutch.lower_first(r.schaal_label)}’ (g = {dutch.decimal(r.g_veel, 2)}, {r.effect} effect)"
               for r in higher.head(3).itertuples()]
        text += "Het grootst zijn de verschillen bij " + dutch.join(top) + "."
    practice = set(sid for sid, s in cb.scales.items() if s.domain in practice_domains(cb))
    in_practice = int(higher["schaal"].isin(practice).sum())
    if len(higher) > 1 and in_practice == len(higher):
        text += " Die schalen gaan allemaal over het handelen."
    elif len(higher) > 1 and in_practice == 0:
        text += " Die schalen gaan allemaal over competenties."
    elif len(higher) > 1:
        text += (f" Van die {dutch.integer(len(higher))} schalen {'gaat' if in_practice == 1 else 'gaan'} er "
                 f"{dutch.integer(in_practice)} over het handelen en {dutch.integer(len(higher) - in_practice)} over "
                 "competenties.")
    return text


def differences_shown(differences: pd.DataFrame) -> pd.DataFrame:
    notable = differences.loc[differences["opvallend"]]
    fewer, many = _groups()
    labels = load_codebook().activity_groups

    def mean_of(row, code):
        return row["gemiddelde_a"] if row["groep_a"] == code else row["gemiddelde_b"]

    return pd.DataFrame({
        "Schaal": notable["schaal_label"],
        labels[fewer]: [dutch.decimal(mean_of(r, fewer), 2) for _, r in notable.iterrows()],
        labels[many]: [dutch.decimal(mean_of(r, many), 2) for _, r in notable.iterrows()],
        "Hedges' g": notable["g_veel"].map(lambda g: dutch.decimal(g, 2)),
        "p (Holm)": notable["p_holm"].map(lambda p: "< 0,001" if p < 0.001 else dutch.decimal(p, 3)),
        "Effect": notable["effect"],
    })


def show_differences(ctx: EditionContext, differences: pd.DataFrame) -> None:
    if len(differences) and differences["opvallend"].any():
        ctx.publish.table(TABLE_DIFFERENCES, differences, differences_shown(differences))
    else:
        ctx.publish.record(TABLE_DIFFERENCES, differences)
