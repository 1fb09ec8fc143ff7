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
from helpers.book.sentences import sentence_file
from helpers.chapters.common import NATIONAL_VIEW_PREFIX, activity_count_labels, bar_views, edition_withheld
from helpers.chapters.katern_a.common import (
    breakdowns,
    composition_table,
    mean_views,
    sample,
    scale_table,
    share_table,
    shown_groups,
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
SENTENCES = sentence_file("katern_a/a10_professionalisering")


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
        return SENTENCES.say("deelname_te_weinig_docenten", instelling=ctx.title_md, drempel=ctx.min_n)
    cb = load_codebook()
    none = _row_of(counts, group, "categorie", NO_ACTIVITY)
    national_none = _row_of(counts, "landelijk", "categorie", NO_ACTIVITY)
    rows = shown(activities.loc[(activities["weergave"].isin(["totaal", "vergelijking"]))
                                & (activities["groep"] == group)]).dropna(subset=["aandeel"])
    top = low = None
    if len(rows):
        rows = rows.sort_values("aandeel", ascending=False, kind="stable")
        top, low = ({"naam": row["activiteit_label"], "aandeel": share_text(row)}
                    for row in (rows.iloc[0], rows.iloc[-1]))
    mine = own if not ctx.edition.is_national else national
    fewer, many = _groups()
    many_share = None
    if many not in edition_withheld(ctx, PROF_GROUP) and fewer not in edition_withheld(ctx, PROF_GROUP):
        many_share = group_percent(float((mine[PROF_GROUP] == many).mean()), len(mine))
    return SENTENCES.say(
        "deelname", instelling="" if ctx.edition.is_national else ctx.title_md,
        deelname=None if none is None else complement_text(none),
        deelname_landelijk=None if national_none is None else complement_text(national_none),
        meest=top, minst=low, gemiddeld=float(mine[PROF_COUNT].astype(float).mean()), soorten=len(cb.activities),
        veel=many_share, grens=cb.many_activities_threshold)


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
    text = "" if own else SENTENCES.say("verschillen_landelijke_cijfers", instelling=ctx.title_md) + " "
    whose = ctx.title_md if own and not ctx.edition.is_national else ""
    if differences.empty:
        return text + SENTENCES.say("verschillen_niet_te_tonen", instelling=whose)
    notable = differences.loc[differences["opvallend"]]
    groups = {"veel": cb.activity_groups[many], "weinig": cb.activity_groups[fewer]}
    if notable.empty:
        return text + SENTENCES.say("verschillen_geen_opvallend", instelling=whose, getoetst=len(differences), **groups)
    higher = notable.loc[notable["g_veel"] > 0].sort_values("g_veel", ascending=False, kind="stable")
    largest = [SENTENCES.say("schaal_met_effect", schaal=r.schaal_label, g=r.g_veel, effect=r.effect)
               for r in higher.head(3).itertuples()]
    practice = set(sid for sid, s in cb.scales.items() if s.domain in practice_domains(cb))
    return text + SENTENCES.say("verschillen_opvallend", instelling=whose, getoetst=len(differences),
                                hoger=len(higher), lager=int((notable["g_veel"] < 0).sum()), grootste=largest,
                                handelen=int(higher["schaal"].isin(practice).sum()), **groups)


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
