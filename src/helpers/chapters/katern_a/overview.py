"""Katern A: every scale in one overview -- the institution's profile and the groups at a glance.

In an institution edition the chapter opens with the institution's profile on
all scales beside its benchmarks, and names its strong points and points of
attention: the scales on which it differs notably from the teachers of all
other institutions (Welch's t-test, Hedges' g, Holm over the scales). Every
edition then shows one heatmap per breakdown: how much each group's mean
differs from that of all the edition's teachers, scale by scale. The
heatmaps are drawn from the disclosure-controlled scale table, so a withheld
group is an empty column.
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import FEW_INSTITUTIONS, REASON, SUPPRESSED, shown, withhold_rows
from helpers.book.edition import EditionContext, kept
from helpers.book.figures import difference_heatmap, mean_intervals
from helpers.book.sentences import sentence_file
from helpers.chapters.common import too_few_others, view_title
from helpers.chapters.katern_a.common import not_asked_note, reported_wave, sample, scale_table
from helpers.data.codebook import load_codebook
from helpers.stats.scales import benchmark_differences

TOTAL_GROUPS = ("totaal", "instelling")
SENTENCES = sentence_file("katern_a/a12_overzicht")


def all_scales() -> list[str]:
    return list(load_codebook().scales)


def overview_table(ctx: EditionContext) -> pd.DataFrame:
    return ctx.once("katern_a_overview", lambda: scale_table(ctx, all_scales()))


# -- the institution's profile ---------------------------------------------------------------------
def profile_view(ctx: EditionContext, table: pd.DataFrame):
    """The figure of the institution beside its benchmarks on every scale, or None (national, or withheld)."""
    if ctx.edition.is_national:
        return None
    rows = shown(table.loc[table["weergave"] == "vergelijking"]).dropna(subset=["gemiddelde"])
    if not (rows["groep"] == "instelling").any():
        return None
    hues = list(dict.fromkeys(rows["groep_label"]))
    return mean_intervals(rows, "schaal_label", SENTENCES.say("profiel_titel", instelling=ctx.edition.title),
                          hue="groep_label", hue_order=hues, category_order=list(dict.fromkeys(rows["schaal_label"])))


#: The numbers of the benchmark table: blank, with its verdicts, where the comparison is withheld.
BENCHMARK_VALUES = ("gemiddelde", "gemiddelde_referentie", "verschil", "hedges_g", "p", "p_holm")


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def benchmark_table(ctx: EditionContext) -> pd.DataFrame:
    """The institution against the teachers of all other institutions, scale by scale (empty nationally).

    With too few other institutions in the reported wave
    (:func:`~helpers.chapters.common.too_few_others`) the other teachers are
    one or two institutions: every row is withheld, numbers and verdicts, for
    reason *te_weinig_instellingen*. Cite the rows shown only (:func:`compared`).
    """
    own, national = sample(ctx)
    if ctx.edition.is_national or len(own) < ctx.min_n:
        return benchmark_differences(own.iloc[:0], national.iloc[:0], []).assign(**{SUPPRESSED: False, REASON: ""})
    others = national.loc[national["instelling"] != ctx.edition.id]
    table = benchmark_differences(own, others, all_scales()).assign(**{SUPPRESSED: False, REASON: ""})
    if too_few_others(ctx, [reported_wave(ctx)]):
        table = withhold_rows(table, [True] * len(table), FEW_INSTITUTIONS, BENCHMARK_VALUES, ("n", "n_referentie"))
    return table


def compared(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a benchmark table that are shown, with a plain true/false `opvallend`: what a sentence may cite."""
    rows = shown(table)
    return rows.assign(opvallend=rows["opvallend"].fillna(False).astype(bool))


def benchmark_withheld(table: pd.DataFrame) -> bool:
    """Whether the benchmark table has rows and every one is withheld (too few other institutions)."""
    return len(table) > 0 and bool(table[SUPPRESSED].astype(bool).all())


def _scale_list(rows: pd.DataFrame) -> list[str]:
    return [SENTENCES.say("schaal_vergeleken", schaal=r.schaal_label, instelling=r.gemiddelde,
                          anderen=r.gemiddelde_referentie) for r in rows.itertuples()]


def strengths_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    """Sterke punten en aandachtspunten: the notable differences from the other institutions (Dutch, computed)."""
    own, _ = sample(ctx)
    if ctx.edition.is_national:
        return ""
    if len(own) < ctx.min_n:
        return SENTENCES.say("profiel_te_weinig_docenten", instelling=ctx.title_md, drempel=ctx.min_n)
    if benchmark_withheld(table):
        return SENTENCES.say("profiel_te_weinig_instellingen", instelling=ctx.title_md, meting=reported_wave(ctx))
    table = compared(table)
    notable = table.loc[table["opvallend"]].sort_values("hedges_g", ascending=False, kind="stable")
    strong, attention = notable.loc[notable["hedges_g"] > 0], notable.loc[notable["hedges_g"] < 0].iloc[::-1]
    return SENTENCES.say("profiel", instelling=ctx.title_md, schalen=len(table), sterk=_scale_list(strong),
                         aandacht=_scale_list(attention))


def benchmark_shown(table: pd.DataFrame) -> pd.DataFrame:
    table = compared(table)
    notable = table.loc[table["opvallend"]].sort_values("hedges_g", ascending=False, kind="stable")
    return pd.DataFrame({
        "Schaal": notable["schaal_label"],
        "Instelling": notable["gemiddelde"].map(lambda v: dutch.decimal(v, 2)),
        "Andere instellingen": notable["gemiddelde_referentie"].map(lambda v: dutch.decimal(v, 2)),
        "Hedges' g": notable["hedges_g"].map(lambda v: dutch.decimal(v, 2)),
        "p (Holm)": notable["p_holm"].map(lambda p: "< 0,001" if p < 0.001 else dutch.decimal(p, 3)),
        "Effect": notable["effect"],
    })


def show_profile(ctx: EditionContext, table: pd.DataFrame, benchmarks: pd.DataFrame) -> None:
    view = profile_view(ctx, table)
    if view is not None:
        rows = table.loc[table["weergave"] == "vergelijking"]
        ctx.publish.figure("a-profiel", rows, view)
    if compared(benchmarks)["opvallend"].any():
        ctx.publish.table("a-profiel-verschillen", benchmarks, benchmark_shown(benchmarks))
    elif not ctx.edition.is_national:
        ctx.publish.record("a-profiel-verschillen", benchmarks)


# -- heatmaps per breakdown ------------------------------------------------------------------------
def difference_matrix(table: pd.DataFrame, view: str) -> pd.DataFrame:
    """Scales × groups of one view: group mean minus the mean of all the edition's teachers (shown rows only)."""
    total = table.loc[table["groep"].isin(TOTAL_GROUPS) & table["weergave"].isin(["totaal", "vergelijking"])]
    reference = shown(total).set_index("schaal")["gemiddelde"].astype(float)
    rows = shown(table.loc[table["weergave"] == view]).dropna(subset=["gemiddelde"])
    matrix = rows.pivot_table(index="schaal", columns="groep_label", values="gemiddelde", sort=False, aggfunc="first")
    labels = table.drop_duplicates("schaal").set_index("schaal")["schaal_label"]
    order = [s for s in labels.index if s in matrix.index]
    groups = list(dict.fromkeys(rows["groep_label"]))
    matrix = matrix.loc[order, groups].astype(float).sub(reference.reindex(order), axis=0)
    matrix.index = labels.loc[order]
    return matrix


def _domains_of(table: pd.DataFrame, scale_labels) -> list[str]:
    """The domain (its Dutch label) of each scale, by label: the heatmap shows a domain's scales together."""
    domains = load_codebook().domains
    by_label = table.drop_duplicates("schaal_label").set_index("schaal_label")["domein"]
    return [domains[by_label[label]]["label"] for label in scale_labels]


def heatmap_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    """One heatmap per breakdown with at least two groups shown: {view title: figure (with its Dutch alt text)}."""
    institution = "" if ctx.edition.is_national else ctx.edition.title
    views = {}
    for view in dict.fromkeys(table["weergave"]):
        if view in ("totaal", "vergelijking"):
            continue
        matrix = difference_matrix(table, view)
        if matrix.shape[1] < 2:
            continue
        name = view_title(view, ctx)
        rows = shown(table.loc[table["weergave"] == view]).dropna(subset=["gemiddelde"])
        views[name] = difference_heatmap(matrix, SENTENCES.say("heatmap_titel", uitsplitsing=name,
                                                               instelling=institution),
                                         row_groups=_domains_of(table, matrix.index), source=rows)
    return views


def heatmap_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    text = _heatmap_text(ctx, table)
    note = not_asked_note(ctx, all_scales())
    return f"{text} {note}" if note else text


def _heatmap_text(ctx: EditionContext, table: pd.DataFrame) -> str:
    largest = []
    for view in dict.fromkeys(table["weergave"]):
        if view in ("totaal", "vergelijking"):
            continue
        stacked = difference_matrix(table, view).stack().dropna()
        if len(stacked):
            largest.append((abs(stacked).max(), view_title(view, ctx)))
    if not largest:
        return SENTENCES.say("heatmap_geen_groepen")
    largest.sort(reverse=True)
    return SENTENCES.say("heatmap_uitleg", instelling="" if ctx.edition.is_national else ctx.title_md,
                         uitsplitsing=largest[0][1], grootste=largest[0][0])


def show_heatmaps(ctx: EditionContext, table: pd.DataFrame) -> None:
    views = heatmap_views(ctx, table)
    ctx.publish.views("a-overzicht", table, views, description="Uitsplitsing")
