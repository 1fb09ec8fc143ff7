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
from helpers.chapters.common import sentence
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
    who,
)
from helpers.data.codebook import load_codebook
from helpers.data.derive import label
from helpers.stats.scales import SCALE_MAX, SCALE_MIN, group_differences

HIGH_BAND = list(BANDS)[-1]


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
    name = domain_label(domain).lower()
    if rows.empty:
        if ctx.edition.is_national:
            return f"In de gegevens van deze meting ontbreken de schalen van {name}."
        return (f"Van {ctx.title_md} beantwoordden minder dan {dutch.integer(ctx.min_n)} docenten deze vragen; "
                "hieronder staan daarom alleen de landelijke cijfers.")
    rows = rows.sort_values("gemiddelde", ascending=False, kind="stable")
    top, low = rows.iloc[0], rows.iloc[-1]
    high = f"aandeel_{HIGH_BAND}"
    text = (f"{sentence(who(ctx))} gaven {dutch.integer(int(rows['n'].max()))} docenten antwoord op de vragen over "
            f"{name}. ")
    if len(rows) == 1:
        return text + (f"Op ‘{top['schaal_label'].lower()}’ scoren zij gemiddeld {dutch.decimal(top['gemiddelde'], 1)} "
                       f"op een schaal van {SCALE_MIN} tot {SCALE_MAX}; {share_text(top, high)} zit in de hoogste band.")
    return text + (
        f"Het hoogst scoren zij op ‘{top['schaal_label'].lower()}’ (gemiddeld {dutch.decimal(top['gemiddelde'], 1)} "
        f"op een schaal van {SCALE_MIN} tot {SCALE_MAX}; {share_text(top, high)} in de hoogste band), het laagst op "
        f"‘{low['schaal_label'].lower()}’ (gemiddeld {dutch.decimal(low['gemiddelde'], 1)}; "
        f"{share_text(low, high)} in de hoogste band).")


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


def _extremes(table: pd.DataFrame, scale: str, by: str) -> tuple[str, str] | None:
    rows = shown(table.loc[(table["weergave"] == by) & (table["schaal"] == scale)]).dropna(subset=["gemiddelde"])
    if len(rows) < 2:
        return None
    rows = rows.sort_values("gemiddelde", ascending=False, kind="stable")
    fmt = lambda r: f"{r['groep_label'].lower()} ({dutch.decimal(r['gemiddelde'], 1)})"  # noqa: E731
    return fmt(rows.iloc[0]), fmt(rows.iloc[-1])


def differences_paragraph(ctx: EditionContext, domain: str, differences: pd.DataFrame,
                          scales: pd.DataFrame) -> str:
    own, _ = sample(ctx)
    if not ctx.edition.is_national and len(own) < ctx.min_n:
        return "Verschillen tussen groepen docenten worden alleen getoond als de instelling groot genoeg is."
    if differences.empty:
        return f"Er zijn {who(ctx)} geen groepen groot genoeg om te vergelijken."
    notable = differences.loc[differences["opvallend"]].sort_values("np2", ascending=False, kind="stable")
    tested = dutch.integer(len(differences))
    if notable.empty:
        return (f"Van de {tested} getoetste verschillen tussen groepen docenten is er {who(ctx)} geen enkel "
                "opvallend: significant én minstens een klein effect.")
    sentences = []
    for row in notable.head(3).itertuples():
        ends = _extremes(scales, row.schaal, row.variabele)
        if ends is None:
            continue
        sentences.append(f"op ‘{row.schaal_label.lower()}’ naar {row.variabele_label.lower()} "
                         f"(hoogst: {ends[0]}; laagst: {ends[1]}; {row.effect} effect)")
    text = (f"Van de {tested} getoetste verschillen tussen groepen docenten {'is' if len(notable) == 1 else 'zijn'} "
            f"er {who(ctx)} {dutch.integer(len(notable))} opvallend: significant én minstens een klein effect.")
    if sentences:
        text += " De grootste verschillen: " + "; ".join(sentences) + "."
    return text


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


def breakdown_names(ctx: EditionContext) -> str:
    """The breakdowns of this edition as a Dutch enumeration."""
    names = [label(b).lower() for b in breakdowns(ctx)]
    return dutch.join(names)
