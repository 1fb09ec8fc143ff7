"""Katern C Bijlage 1: per theme, the groups that choose it significantly more or less often.

Generated from the chi-square tests in `helpers.stats.appendix`; never typed.
An institution edition shows the national appendix and, where the institution
is large enough, its own, with every group below the threshold left out.
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import bound_shares
from helpers.book.edition import EditionContext
from helpers.chapters.common import sample, tested_rows
from helpers.stats.appendix import bijlage1, bijlage1_groups
from helpers.stats.association import ALPHA, BACKGROUND, Z


def _table(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    groups = bijlage1_groups(df)
    # The per-theme text is written from the exact shares (bounded there in a small group); the table is bounded.
    return bound_shares(groups, "n_groep", ["aandeel_groep"], []), bijlage1(df, groups=groups)


def national(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(groups, one row per theme) for all teachers nationally, groups below the threshold left out."""
    return _table(tested_rows(ctx, sample(ctx)[1], BACKGROUND, national=True))


def own(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The same for the institution's own teachers, or None if too few."""
    rows, _ = sample(ctx)
    if ctx.edition.is_national or len(rows) < ctx.min_n:
        return None
    return _table(tested_rows(ctx, rows, BACKGROUND))


def for_reader(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Thema": table["thema_label"],
        "Alle docenten": table["aandeel"].map(dutch.percent),
        "Kiezen het vaker": table["vaker"],
        "Kiezen het minder vaak": table["minder_vaak"],
    })


def method_paragraph(ctx: EditionContext) -> str:
    _, national_rows = sample(ctx)
    return (
        f"Voor elk thema en elk achtergrondkenmerk is met een chi-kwadraattoets nagegaan of de keuze voor het thema "
        f"samenhangt met het kenmerk (landelijk n = {dutch.integer(len(national_rows))}). Is die samenhang "
        f"significant (p ≤ {dutch.decimal(ALPHA, 2)}), dan staat een groep in de tabel als haar gecorrigeerde "
        f"gestandaardiseerde residu groter is dan {dutch.decimal(Z, 2)} in absolute waarde: de groep kiest het thema "
        "dan duidelijk vaker of minder vaak dan verwacht. In het tabelbestand staan ook de p-waarden na Holm-correctie "
        "voor het aantal toetsen en de effectgrootte van elke toets (Cramér's V)."
    )


def own_paragraph(ctx: EditionContext) -> str:
    if ctx.edition.is_national:
        return ""
    if own(ctx) is None:
        return (f"Bij {ctx.title_md} vulden minder dan {dutch.integer(ctx.min_n)} docenten de vragenlijst helemaal "
                "in; een eigen overzicht is daarom niet te maken.")
    return (f"Hieronder hetzelfde overzicht voor de docenten van {ctx.title_md}. Groepen met minder dan "
            f"{dutch.integer(ctx.min_n)} docenten zijn niet getoetst en niet getoond. Bij een kleinere groep docenten "
            "worden verschillen minder snel significant.")
