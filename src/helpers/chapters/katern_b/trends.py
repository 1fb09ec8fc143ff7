"""Katern B chapters 2 and 3: how the scales of competence and of practice moved between the waves.

For every earlier wave the comparison with the reported wave, on the
institutions present in both (so that a newly joined institution is no
trend), plainly and with the earlier wave re-weighted to the reported wave's
composition (:mod:`helpers.stats.trends`). A scale a wave did not ask reads
"niet gemeten in <wave>". An institution that took part in two waves or more
(with at least `min_n` teachers each) also sees its own teachers per wave,
beside the national trend; its rows with fewer than `min_n` scores are
withheld.
"""
from __future__ import annotations

import functools

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import (
    FEW_INSTITUTIONS,
    PRIMARY,
    REASON,
    SUPPRESSED,
    mark_not_asked,
    shown,
    suppress_small_groups,
    withhold_rows,
)
from helpers.book.edition import EditionContext, kept
from helpers.book.escaping import html_text, markdown_text
from helpers.book.figures import drawn, mean_intervals
from helpers.book.medium import print_only, web_only
from helpers.book.sentences import sentence_file
from helpers.chapters.katern_b.common import (
    NATIONAL_GROUP,
    OWN_GROUP,
    few_others_sentence,
    has_own_trend,
    national_trends,
    national_waves,
    own_trends,
    own_waves,
    wave_list,
    withheld_comparisons,
)
from helpers.data.codebook import load_codebook
from helpers.stats.competence import competence_scales
from helpers.stats.scales import practice_domains
from helpers.stats import trends
from helpers.stats.trends import REWEIGHTED

VALUE_COLUMNS = ("gemiddelde", "sd", "ci_laag", "ci_hoog")
DIFFERENCE_VALUES = ("gemiddelde_eerder", "gemiddelde_later", "verschil", "hedges_g", "p", "p_holm",
                     "gemiddelde_eerder_herwogen", "verschil_herwogen", "hedges_g_herwogen", "p_herwogen",
                     "p_holm_herwogen", "n_eerder_effectief")
DIFFERENCE_SIZES = ("n_eerder", "n_later")
SENTENCES = sentence_file("katern_b/gedeeld")


def chapter_scales(kind: str) -> list[str]:
    """'competenties': every competence scale; 'handelen': every practice scale (codebook order)."""
    cb = load_codebook()
    if kind == "competenties":
        return competence_scales()
    practice = practice_domains(cb)
    return [sid for sid, s in cb.scales.items() if s.domain in practice]


# -- tables ------------------------------------------------------------------------------
def _not_asked(table: pd.DataFrame, values, sizes) -> pd.DataFrame:
    """`table` with its rows of a scale a wave did not ask marked so: no number, no verdict, not withheld."""
    return mark_not_asked(table, ~table["gemeten"].astype(bool).to_numpy(), values, sizes)


def trend_table(ctx: EditionContext, scales: list[str]) -> pd.DataFrame:
    """Means per comparison, wave and basis, nationally (groep 'landelijk').

    The institution's own means come beside them where it has them.
    """
    national, _ = national_trends(ctx, scales)
    national = national.assign(groep=NATIONAL_GROUP, groep_label="Landelijk (vergelijkbare instellingen)",
                               **{SUPPRESSED: False, REASON: ""})
    national = _not_asked(national, VALUE_COLUMNS, ("n",))
    national = withhold_rows(national, withheld_comparisons(ctx, national, "gemeten"), FEW_INSTITUTIONS,
                             VALUE_COLUMNS, ("n",))
    parts = [national]
    own = own_trends(ctx, scales)
    if own is not None:
        mine = own[0].assign(groep=OWN_GROUP, groep_label=ctx.edition.title).reset_index(drop=True)
        mine = mine.assign(n=mine["n"].astype("Int64"))
        measured = mine["gemeten"].astype(bool)
        protected = suppress_small_groups(mine.loc[measured], ctx.min_n, value_columns=VALUE_COLUMNS)
        unmeasured = _not_asked(mine.loc[~measured].assign(**{SUPPRESSED: False, REASON: ""}), VALUE_COLUMNS, ("n",))
        parts.append(pd.concat([protected, unmeasured]).sort_index())
    table = pd.concat(parts, ignore_index=True)
    return table[["groep", "groep_label", *[c for c in table.columns if c not in ("groep", "groep_label")]]]


def withheld_national_differences(ctx: EditionContext, differences: pd.DataFrame) -> pd.Series:
    """The measured national rows of `differences` this edition withholds: comparisons of too few other institutions."""
    return withheld_comparisons(ctx, differences, "gemeten")


def withheld_own_differences(ctx: EditionContext, differences: pd.DataFrame) -> pd.Series:
    """The measured rows of the institution's own `differences` it withholds: fewer than `min_n` scores in a wave."""
    measured = differences["gemeten"].astype(bool)
    return measured & ((differences["n_eerder"].fillna(0) < ctx.min_n) | (differences["n_later"].fillna(0) < ctx.min_n))


def _shown_differences(ctx: EditionContext, differences: pd.DataFrame, withheld: pd.Series, group: str,
                       reason: str) -> pd.DataFrame:
    """`differences` of `group` as the edition shows them.

    The rows to withhold are decided first; Holm (each basis its own family)
    then runs over the rows shown only (:func:`helpers.stats.trends.trend_verdicts`),
    so a withheld test never makes a shown one stricter; then the withheld
    rows are blanked and flagged, and the unmeasured ones marked not asked.
    """
    table = trends.trend_verdicts(differences, tested=~withheld.to_numpy(dtype=bool))
    table = _not_asked(table.assign(groep=group, **{SUPPRESSED: False, REASON: ""}), DIFFERENCE_VALUES,
                       DIFFERENCE_SIZES)
    return withhold_rows(table, withheld.to_numpy(dtype=bool), reason, DIFFERENCE_VALUES, DIFFERENCE_SIZES)


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def difference_table(ctx: EditionContext, scales: list[str]) -> pd.DataFrame:
    """Per comparison and scale the difference between the waves, with its test and effect size.

    The national rows and the institution's own rows are two Holm families
    (per basis), each holding exactly the tests the edition shows.
    """
    _, national = national_trends(ctx, scales)
    table = _shown_differences(ctx, national, withheld_national_differences(ctx, national), NATIONAL_GROUP,
                               FEW_INSTITUTIONS)
    own = own_trends(ctx, scales)
    if own is not None:
        mine = own[1]
        table = pd.concat([table, _shown_differences(ctx, mine, withheld_own_differences(ctx, mine), OWN_GROUP,
                                                     PRIMARY)], ignore_index=True)
    table[SUPPRESSED] = table[SUPPRESSED].astype("boolean").fillna(False).astype(bool)
    table["niet_gemeten_in"] = table["niet_gemeten_in"].map(lambda w: wave_list(list(w)) if len(w) else "")
    return table[["groep", *[c for c in table.columns if c != "groep"]]]


def widest_comparison(differences: pd.DataFrame, group: str) -> pd.DataFrame:
    """The shown, measured rows of `group` in its widest comparison: its earliest wave against the reported wave.

    Empty when the group has no comparison (one wave) or every row of it is withheld.
    """
    rows = differences.loc[(differences["groep"] == group) & differences["gemeten"].astype(bool)
                           & ~differences[SUPPRESSED].astype(bool)]
    return rows.loc[rows["meting_eerder"] == rows["meting_eerder"].min()]


# -- figures -----------------------------------------------------------------------------
def _wave_views(ctx: EditionContext, table: pd.DataFrame, title: str) -> dict:
    """A view per comparison; an institution's own comparisons first: they are what its edition (and its printed
    report, which shows the first view) is about."""
    views, own = {}, {}
    order = list(dict.fromkeys(table["schaal_label"]))
    for (group, comparison, basis), part in table.groupby(["groep", "vergelijking", "basis"], sort=False):
        if group == OWN_GROUP and basis == REWEIGHTED:
            continue
        visible = shown(part).loc[part["gemeten"].astype(bool)].dropna(subset=["gemiddelde"])
        if visible.empty:
            continue
        visible = visible.assign(meting_label=visible["meting"].astype(int).astype(str))
        hues = sorted(visible["meting_label"].unique())
        who = ctx.edition.title if group == OWN_GROUP else "Landelijk"
        how = SENTENCES.say("vergelijkingsbasis", eigen=group == OWN_GROUP, herwogen=basis == REWEIGHTED)
        name = f"{who}: {comparison.replace('-', '–')} ({how})"
        # The basis (plain or re-weighted) is in the title: the views of one comparison differ only by it.
        # A national view is the same in every edition: drawn once per build.
        draw = mean_intervals if group == OWN_GROUP else functools.partial(drawn, mean_intervals)
        (own if group == OWN_GROUP else views)[name] = draw(
            visible, "schaal_label", f"{title}, {comparison.replace('-', '–')} ({how})", hue="meting_label",
            hue_order=hues, category_order=order)
    return {**own, **views}


def show_trends(ctx: EditionContext, table_id: str, table: pd.DataFrame, title: str) -> None:
    ctx.publish.views(table_id, table, _wave_views(ctx, table, title), description="Vergelijking")


#: Marks a verdict that re-weighting changes; explained under the table.
SAMPLE_EFFECT_MARK = "*"


def show_differences(ctx: EditionContext, table_id: str, table: pd.DataFrame) -> None:
    """The national differences as a reader reads them: one row per scale and comparison.

    Narrow enough for the page: a row without numbers says why in its first
    number's cell, and a verdict that re-weighting changes is marked and
    explained under the table, not in a column of remarks of its own.
    """
    rows = []
    for r in table.loc[table["groep"] == NATIONAL_GROUP].itertuples():
        row = {"Schaal": r.schaal_label, "Metingen": r.vergelijking.replace("-", "–")}
        if not r.gemeten or getattr(r, SUPPRESSED):
            # Shown where a national comparison is withheld in an institution edition.
            why = f"niet gemeten in {r.niet_gemeten_in}" if not r.gemeten else SENTENCES.say("cel_te_weinig_andere")
            rows.append(row | {"Verschil": why, "Hedges' g": "", "Opvallend": "", "Herwogen": ""})
            continue
        verdict = "ja" if r.opvallend else "nee"
        rows.append(row | {
            "Verschil": _signed(r.verschil), "Hedges' g": _signed(r.hedges_g),
            "Opvallend": verdict + (SAMPLE_EFFECT_MARK if r.steekproefeffect else ""),
            "Herwogen": _signed(r.verschil_herwogen),
        })
    ctx.publish.table(table_id, table, pd.DataFrame(rows).map(lambda v: html_text(str(v))) if rows else None)
    sample_effect = any(r["Opvallend"].endswith(SAMPLE_EFFECT_MARK) for r in rows)
    ctx.publish.text(SENTENCES.say("verschillen_noot", steekproefeffect=sample_effect, teken=SAMPLE_EFFECT_MARK)
                     if rows else "")


def _signed(value) -> str:
    if value is None or pd.isna(value):
        return ""
    text = dutch.decimal(float(value), 2)
    return text if float(value) < 0 else f"+{text}"


# -- prose -------------------------------------------------------------------------------
def _scale_names(rows: pd.DataFrame) -> list[str]:
    """The scales of `rows`, each once, escaped, with a lower-case first letter: the template quotes and lists them."""
    return [markdown_text(dutch.lower_first(label)) for label in dict.fromkeys(rows["schaal_label"])]


def summary_paragraph(ctx: EditionContext, differences: pd.DataFrame, what: str) -> str:
    """Per comparison: how many scales moved notably up or down, which, and whether a change of sample explains it."""
    national = differences.loc[differences["groep"] == NATIONAL_GROUP]
    if national.empty:
        return SENTENCES.say("geen_ontwikkeling", metingen=national_waves(ctx))
    parts = []
    for comparison, rows in national.groupby("vergelijking", sort=False):
        earlier, later = int(rows["meting_eerder"].iloc[0]), int(rows["meting_later"].iloc[0])
        if rows[SUPPRESSED].any():
            parts.append(few_others_sentence(ctx, earlier, later))
            continue
        measured = rows.loc[rows["gemeten"].astype(bool)]
        up = measured.loc[measured["opvallend"] & (measured["verschil"] > 0)]
        down = measured.loc[measured["opvallend"] & (measured["verschil"] < 0)]
        notable = measured.loc[measured["opvallend"]]
        largest = None
        if len(notable):
            top = notable.reindex(notable["hedges_g"].abs().sort_values(ascending=False).index).iloc[0]
            # "the largest" only among several, by the measure the sentence names
            largest = {"naam": markdown_text(dutch.lower_first(top["schaal_label"])), "eerder": top["gemiddelde_eerder"],
                       "later": top["gemiddelde_later"], "g": top["hedges_g"], "van_meerdere": len(notable) > 1}
        missing = rows.loc[~rows["gemeten"].astype(bool)]
        parts.append(SENTENCES.say(
            "vergelijking_samenvatting", eerder=earlier, later=later,
            instellingen=int(measured["n_instellingen"].max()) if len(measured) else 0,
            schalen=len(measured), wat=what, hoger=_scale_names(up), lager=_scale_names(down), grootste=largest,
            steekproefeffect=_scale_names(measured.loc[measured["steekproefeffect"].astype(bool)]),
            # the earlier wave, the later or both: the waves as the table names them
            niet_gemeten=[{"metingen": waves, "schalen": _scale_names(scales)}
                          for waves, scales in missing.groupby("niet_gemeten_in", sort=False)]))
    return "\n\n".join(parts)


def own_paragraph(ctx: EditionContext, differences: pd.DataFrame) -> str:
    """For an institution: whether its own trend can be shown, and which of its scales moved notably."""
    if ctx.edition.is_national:
        return ""
    if not has_own_trend(ctx):
        mine = own_waves(ctx)
        took_part = sorted(int(w) for w in ctx.own["meting"].unique())
        return SENTENCES.say("geen_eigen_ontwikkeling", instelling=ctx.title_md, deelgenomen=took_part,
                             drempel=ctx.min_n, genoeg_docenten=mine if mine and mine != took_part else [])
    mine = shown(differences.loc[differences["groep"] == OWN_GROUP])
    mine = mine.loc[mine["gemeten"].astype(bool)]
    up = mine.loc[mine["opvallend"].astype(bool) & (mine["verschil"] > 0)]
    down = mine.loc[mine["opvallend"].astype(bool) & (mine["verschil"] < 0)]
    return (SENTENCES.say("eigen_ontwikkeling", instelling=ctx.title_md, metingen=own_waves(ctx)) + " "
            + web_only(SENTENCES.say("eigen_ontwikkeling_online") + " ")
            + print_only(SENTENCES.say("eigen_ontwikkeling_gedrukt") + " ")
            + SENTENCES.say("eigen_verschillen", hoger=_scale_names(up), lager=_scale_names(down)))
