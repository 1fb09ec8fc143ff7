"""Katern A chapters 2-7: one domain of the research model, scale by scale.

Each chapter shows the scales of one domain (visie, geletterd, vaardig,
innoveren, met, over): the mean score with its 95% interval and the share of
teachers per band, switchable by breakdown; then which groups of teachers
differ notably (Welch's ANOVA with partial eta squared, Holm over the whole
chapter; notable = significant and at least a small effect).
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import share_text, shown
from helpers.book.edition import EditionContext, kept
from helpers.book.sentences import sentence_file
from helpers.chapters.katern_a.common import (
    BANDS,
    band_view,
    breakdowns,
    domain_scales,
    mean_views,
    not_asked_note,
    sample,
    scale_table,
    shown_groups,
)
from helpers.data.codebook import load_codebook
from helpers.stats.scales import SCALE_MAX, SCALE_MIN, group_differences

HIGH_BAND = list(BANDS)[-1]
SENTENCES = sentence_file("katern_a/gedeeld")  # the six domain chapters share these sentences


def domain_label(domain: str) -> str:
    return load_codebook().domains[domain]["label"]


def table_id(domain: str, what: str) -> str:
    return f"a-{domain}-{what}"


def scales_table(ctx: EditionContext, domain: str) -> pd.DataFrame:
    return scale_table(ctx, domain_scales(domain))


def _own_view(ctx: EditionContext, table: pd.DataFrame) -> pd.DataFrame:
    """Rows of the edition's own teachers (all teachers nationally), withheld rows left out."""
    view = "totaal" if ctx.edition.is_national else "vergelijking"
    rows = table.loc[(table["weergave"] == view) & table["groep"].isin(["totaal", "instelling"])]
    return shown(rows).dropna(subset=["gemiddelde"])


def summary_paragraph(ctx: EditionContext, domain: str, table: pd.DataFrame) -> str:
    """The highest and lowest scale of the domain, the share in the highest band, and what was not asked."""
    text = _summary(ctx, domain, table)
    note = not_asked_note(ctx, domain_scales(domain))
    return f"{text} {note}" if note else text


def _summary(ctx: EditionContext, domain: str, table: pd.DataFrame) -> str:
    rows = _own_view(ctx, table)
    if rows.empty:
        if ctx.edition.is_national:
            return SENTENCES.say("domein_ontbreekt", domein=domain_label(domain))
        return SENTENCES.say("domein_te_weinig_docenten", instelling=ctx.title_md, drempel=ctx.min_n)
    rows = rows.sort_values("gemiddelde", ascending=False, kind="stable")

    def scale(row: pd.Series) -> dict:
        return {"naam": row["schaal_label"], "gemiddelde": row["gemiddelde"],
                "hoogste_band": share_text(row, f"aandeel_{HIGH_BAND}")}

    return SENTENCES.say("domein_samenvatting", instelling="" if ctx.edition.is_national else ctx.title_md,
                         domein=domain_label(domain), docenten=int(rows["n"].max()), schalen=len(rows),
                         hoogste=scale(rows.iloc[0]), laagste=scale(rows.iloc[-1]), schaal_van=SCALE_MIN,
                         schaal_tot=SCALE_MAX)


def show_scales(ctx: EditionContext, domain: str, table: pd.DataFrame) -> None:
    """The means per view behind a selector, then the bands of the edition's own teachers."""
    name = domain_label(domain)
    views = mean_views(ctx, table, name)
    ctx.publish.views(table_id(domain, "schalen"), table, views, description="Weergave")
    bands = band_view(ctx, table, f"{name}: verdeling over de niveaus")
    if bands is not None:
        ctx.publish.figure(table_id(domain, "niveaus"), _own_view(ctx, table), bands)


@kept  # the conclusions chapter asks again for every domain's tests
def differences_table(ctx: EditionContext, domain: str) -> pd.DataFrame:
    """Welch's ANOVA per scale and breakdown in the edition's own sample (empty below the threshold).

    Each test uses exactly the groups the domain's table shows for that scale and breakdown.
    """
    own, _ = sample(ctx)
    variables = breakdowns(ctx)
    if len(own) < ctx.min_n:
        return group_differences(own.iloc[:0], domain_scales(domain), variables)
    return group_differences(own, domain_scales(domain), variables, groups=shown_groups(scales_table(ctx, domain)))


def _extremes(table: pd.DataFrame, scale: str, by: str) -> tuple[dict, dict] | None:
    """The highest and the lowest group shown of one scale and breakdown ({groep, gemiddelde}), or None."""
    rows = shown(table.loc[(table["weergave"] == by) & (table["schaal"] == scale)]).dropna(subset=["gemiddelde"])
    if len(rows) < 2:
        return None
    rows = rows.sort_values("gemiddelde", ascending=False, kind="stable")
    return tuple({"groep": r["groep_label"], "gemiddelde": r["gemiddelde"]} for r in (rows.iloc[0], rows.iloc[-1]))


def differences_paragraph(ctx: EditionContext, domain: str, differences: pd.DataFrame,
                          scales: pd.DataFrame) -> str:
    own, _ = sample(ctx)
    if not ctx.edition.is_national and len(own) < ctx.min_n:
        return SENTENCES.say("groepsverschillen_instelling_te_klein")
    institution = "" if ctx.edition.is_national else ctx.title_md
    if differences.empty:
        return SENTENCES.say("groepsverschillen_geen_groepen", instelling=institution)
    notable = differences.loc[differences["opvallend"]].sort_values("np2", ascending=False, kind="stable")
    largest = []
    for row in notable.head(3).itertuples():
        ends = _extremes(scales, row.schaal, row.variabele)
        if ends is not None:
            largest.append(SENTENCES.say("groepsverschil", schaal=row.schaal_label, kenmerk=row.variabele_label,
                                         hoogst=ends[0], laagst=ends[1], effect=row.effect))
    return SENTENCES.say("groepsverschillen", instelling=institution, getoetst=len(differences),
                         opvallend=len(notable), grootste=largest)


def differences_shown(table: pd.DataFrame) -> pd.DataFrame:
    """A reader's version of the notable differences."""
    notable = table.loc[table["opvallend"]].sort_values(["schaal", "np2"], ascending=[True, False], kind="stable")
    return pd.DataFrame({
        "Schaal": notable["schaal_label"],
        "Kenmerk": notable["variabele_label"],
        "n": notable["n"].map(dutch.integer),
        "p (Holm)": notable["p_holm"].map(lambda p: "< 0,001" if p < 0.001 else dutch.decimal(p, 3)),
        "η²": notable["np2"].map(lambda v: dutch.decimal(v, 3)),
        "Effect": notable["effect"],
    })


def show_differences(ctx: EditionContext, domain: str, differences: pd.DataFrame) -> None:
    if differences["opvallend"].any():
        ctx.publish.table(table_id(domain, "verschillen"), differences, differences_shown(differences))
    else:
        ctx.publish.record(table_id(domain, "verschillen"), differences)
