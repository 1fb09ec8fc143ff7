"""Katern C §2.1: which themes teachers want to develop in, and how many.

National edition: one view per breakdown (all teachers, experience, function,
subject type, professionalisation). Institution edition: the institution
beside the same-type and national benchmarks, and its own breakdowns where
the groups shown have at least `min_n` respondents (see `common`).
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import group_percent, share_text
from helpers.book.edition import EditionContext, kept
from helpers.book.medium import print_only, web_only
from helpers.data.codebook import load_codebook
from helpers.data.derive import PROF_GROUP
from helpers.stats.themes import (
    COUNT_BANDS,
    ranked_themes,
    theme_count_distribution,
    theme_shares,
    theme_summary,
)
from helpers.chapters.common import bar_views, edition_table, national_benchmark_withheld, reported_wave, sample, shows

BREAKDOWNS = ["ervaring", "functie", "vak", PROF_GROUP]


def theme_order(ctx: EditionContext) -> list[str]:
    """Theme labels by national share (most chosen first), `geen` last, as in figure 2.1."""
    _, national = sample(ctx)
    ranked = ranked_themes(theme_shares(national))
    return ranked["thema_label"].tolist() + [load_codebook().themes[load_codebook().theme_none]]


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def theme_table(ctx: EditionContext) -> pd.DataFrame:
    """The table behind figure 2.1: share choosing each theme, per view."""
    return edition_table(ctx, theme_shares, ["thema", "thema_label"], BREAKDOWNS)


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def distribution_table(ctx: EditionContext) -> pd.DataFrame:
    """The table behind the number-of-themes figure, per view."""
    return edition_table(ctx, theme_count_distribution, ["band", "band_label"], BREAKDOWNS, whole="band")


def theme_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    """Figure 2.1 per view, themes ordered by how often they are chosen."""
    return bar_views(ctx, table, "thema_label", theme_order(ctx), "Gekozen thema's")


def distribution_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    """The number of themes chosen, per view."""
    return bar_views(ctx, table, "band_label", list(COUNT_BANDS.values()), "Aantal gekozen thema's")


def headline(ctx: EditionContext) -> dict:
    """Figures quoted in the prose: own and national summaries and the ranked themes."""
    own, national = sample(ctx)
    own_shares = theme_shares(own)
    result = {
        "own": theme_summary(own),
        "national": theme_summary(national),
        "ranked": ranked_themes(own_shares),
        "national_ranked": ranked_themes(theme_shares(national)),
        "enough": len(own) >= ctx.min_n,
        # The national figures beside the institution's, unless too few other institutions took part.
        "benchmark": not national_benchmark_withheld(ctx, reported_wave(ctx)),
    }
    by_prof = theme_shares(own, PROF_GROUP)
    wide = by_prof.pivot(index="thema", columns="groep", values="aandeel")
    substantive = result["ranked"]["thema"].tolist()
    groups = list(load_codebook().activity_groups)  # [fewer, many]
    result["many_more_often"] = int((wide.loc[substantive, groups[1]] > wide.loc[substantive, groups[0]]).sum())
    result["n_themes"] = len(substantive)
    result["prof_groups_large_enough"] = shows(ctx, PROF_GROUP, own, groups)
    return result


# -- prose -------------------------------------------------------------------
def _quoted(label_text: str) -> str:
    return f"‘{label_text[0].lower() + label_text[1:]}’"


def sample_sentence(ctx: EditionContext, facts: dict) -> str:
    n_nat = dutch.integer(facts["national"]["n"])
    if ctx.edition.is_national:
        return (f"De cijfers in dit hoofdstuk gaan over de {n_nat} docenten die de vragenlijst helemaal "
                f"invulden; alleen zij kregen deze vraag.")
    if not facts["enough"]:
        if not facts["benchmark"]:
            return (f"Bij {ctx.title_md} vulden minder dan {dutch.integer(ctx.min_n)} docenten de vragenlijst "
                    "helemaal in, en behalve deze instelling deden te weinig instellingen mee om de landelijke "
                    "cijfers ernaast te tonen: dit hoofdstuk toont voor deze instelling daarom geen cijfers.")
        return (f"Bij {ctx.title_md} vulden minder dan {dutch.integer(ctx.min_n)} docenten de vragenlijst "
                f"helemaal in. Om hen niet herkenbaar te maken, toont dit hoofdstuk voor deze instelling alleen "
                f"de landelijke cijfers ({n_nat} docenten).")
    beside = f", naast de {n_nat} docenten landelijk" if facts["benchmark"] else ""
    return (f"De cijfers in dit hoofdstuk gaan over de {dutch.integer(facts['own']['n'])} docenten van "
            f"{ctx.title_md} die de vragenlijst helemaal invulden{beside}.")


def themes_paragraph(ctx: EditionContext, facts: dict) -> str:
    if not (facts["enough"] or facts["benchmark"]):  # neither the institution's figures nor the national ones
        return ""
    ranked = facts["ranked"] if facts["enough"] else facts["national_ranked"]
    national = facts["national_ranked"].set_index("thema")["aandeel"]
    first, second = ranked.iloc[0], ranked.iloc[1]
    last, second_last = ranked.iloc[-1], ranked.iloc[-2]
    who = "Landelijk" if ctx.edition.is_national or not facts["enough"] else f"Bij {ctx.title_md}"

    def share(row):
        text = share_text(row)
        if who != "Landelijk" and facts["benchmark"]:
            text += f"; landelijk {dutch.percent(national[row['thema']])}"
        return text

    return (
        f"{who} kiezen docenten het vaakst voor {_quoted(first['thema_label'])} ({share(first)}) en "
        f"{_quoted(second['thema_label'])} ({share(second)}). Het minst gekozen zijn "
        f"{_quoted(second_last['thema_label'])} ({share(second_last)}) en "
        f"{_quoted(last['thema_label'])} ({share(last)})."
    )


def figure_note(ctx: EditionContext) -> str:
    note = (web_only("Met de keuzelijst boven de figuur wissel je tussen de weergaven. ")
            + print_only("De online editie toont de figuur ook per groep; onder de figuur staat welke. ")
            + f"Een groep met minder dan {dutch.integer(ctx.min_n)} docenten wordt niet getoond")
    return note + ("; soms wordt daarom ook een tweede kleine groep weggelaten, zodat de ontbrekende groep niet "
                   "uit de andere terug te rekenen is.")


def count_paragraph(ctx: EditionContext, facts: dict) -> str:
    if not (facts["enough"] or facts["benchmark"]):
        return ""
    s = facts["own"] if facts["enough"] else facts["national"]
    nat = facts["national"]
    who = "Landelijk" if ctx.edition.is_national or not facts["enough"] else f"Bij {ctx.title_md}"
    def pct(key: str) -> str:
        return group_percent(s[key], s["n"])

    text = (
        f"{who} koos {pct('minstens_een')} van de docenten ten minste één thema en "
        f"{pct('vier_of_meer')} vier of meer thema's; {pct('geen')} koos geen enkel "
        f"thema rond onderwijs en ict. Wie wel een keuze maakte, koos gemiddeld "
        f"{dutch.decimal(s['gemiddeld_aantal'])} thema's."
    )
    if who != "Landelijk" and facts["benchmark"]:
        text += (f" Landelijk zijn die aandelen {dutch.percent(nat['minstens_een'])}, "
                 f"{dutch.percent(nat['vier_of_meer'])} en {dutch.percent(nat['geen'])}.")
    return text


def professionalisation_paragraph(ctx: EditionContext, facts: dict) -> str:
    if not (facts["enough"] and facts["prof_groups_large_enough"]):
        return (f"Voor {ctx.title_md} is een van beide groepen kleiner dan {dutch.integer(ctx.min_n)} docenten; "
                "de vergelijking naar professionalisering staat daarom alleen in de landelijke editie.")
    k, total = facts["many_more_often"], facts["n_themes"]
    scope = f"bij alle {total} thema's" if k == total else f"bij {k} van de {total} thema's"
    who = "" if ctx.edition.is_national else f" van {ctx.title_md}"
    return (
        f"Docenten{who} die in de afgelopen drie jaar aan {load_codebook().many_activities_threshold} of meer "
        "professionaliseringsactiviteiten "
        f"deelnamen, kiezen {scope} vaker voor dat thema dan docenten met minder activiteiten. "
        + web_only("Kies in de figuur hierboven de weergave ‘Professionalisering afgelopen drie jaar’ om dat te "
                   "zien.")
        + print_only("De online editie laat dat zien in de weergave ‘Professionalisering afgelopen drie jaar’ "
                     "van de figuur hierboven.")
    )
