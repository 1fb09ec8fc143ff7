"""Katern C §2.1: which themes teachers want to develop in, and how many.

National edition: one view per breakdown (all teachers, experience, function,
subject type, professionalisation). Institution edition: the institution
beside the national benchmark, and its own breakdowns where every group shown
has at least `min_n` respondents.
"""
from __future__ import annotations

import pandas as pd

from .. import dutch
from ..codebook import load_codebook
from ..derive import PROF_GROUP, label
from ..disclosure import SUPPRESSED, shown, suppress_breakdown, suppress_small_groups
from ..editions import EditionContext
from ..figures import horizontal_bars
from ..stats.themes import (
    COUNT_BANDS,
    katern_c_sample,
    ranked_themes,
    theme_count_distribution,
    theme_shares,
    theme_summary,
)

BREAKDOWNS = ["ervaring", "functie", "vak", PROF_GROUP]
NATIONAL_LABEL = "Landelijk"


def _theme_order(shares: pd.DataFrame) -> list[str]:
    """Themes by national share (most chosen first), `geen` last, as in figure 2.1."""
    ranked = ranked_themes(shares[shares["groep"] == shares["groep"].iloc[0]])
    none = shares.loc[~shares["thema"].isin(ranked["thema"]), "thema_label"].unique().tolist()
    return ranked["thema_label"].tolist() + none


def _bars_alt(table: pd.DataFrame, category: str, what: str) -> str:
    """Dutch alt text naming the highest and lowest value of a one-group bar chart."""
    visible = table.dropna(subset=["aandeel"])
    if visible.empty:
        return f"Staafdiagram van {what}: geen gegevens te tonen."
    top = visible.loc[visible["aandeel"].astype(float).idxmax()]
    low = visible.loc[visible["aandeel"].astype(float).idxmin()]
    return (f"Staafdiagram van {what}. Hoogste: {top[category]} ({dutch.percent(top['aandeel'])}); "
            f"laagste: {low[category]} ({dutch.percent(low['aandeel'])}).")


def _grouped_alt(table: pd.DataFrame, by_label: str, what: str) -> str:
    groups = ", ".join(f"{g} (n = {dutch.integer(n)})" for g, n in
                       table.drop_duplicates("groep_label")[["groep_label", "n"]].dropna().itertuples(index=False))
    return f"Staafdiagram van {what}, uitgesplitst naar {by_label.lower()}: {groups}."


def sample(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own, national) Katern C samples of the edition."""
    return katern_c_sample(ctx.own), katern_c_sample(ctx.national)


def theme_table(ctx: EditionContext) -> pd.DataFrame:
    """Long table behind figure 2.1 in this edition, after disclosure control.

    Column `weergave` names the view (breakdown) a row belongs to.
    """
    own, national = sample(ctx)
    parts = []
    if ctx.edition.is_national:
        parts.append(theme_shares(own).assign(weergave="totaal"))
        for by in BREAKDOWNS:
            parts.append(suppress_breakdown(theme_shares(own, by), ctx.min_n).assign(weergave=by))
    else:
        own_part = theme_shares(own).assign(groep="instelling", groep_label=ctx.edition.title)
        parts.append(suppress_small_groups(own_part, ctx.min_n).assign(weergave="vergelijking"))
        parts.append(theme_shares(national).assign(groep="landelijk", groep_label=NATIONAL_LABEL,
                                                   weergave="vergelijking"))
        if len(own) >= ctx.min_n:
            for by in BREAKDOWNS:
                parts.append(suppress_breakdown(theme_shares(own, by), ctx.min_n).assign(weergave=by))
    table = pd.concat(parts, ignore_index=True)
    table[SUPPRESSED] = table[SUPPRESSED].fillna(False).astype(bool)
    return table[["weergave", "groep", "groep_label", "thema", "thema_label", "n", "aantal", "aandeel", SUPPRESSED]]


def distribution_table(ctx: EditionContext) -> pd.DataFrame:
    """Long table of the number of themes chosen, per view, after disclosure control."""
    own, national = sample(ctx)
    parts = []
    if ctx.edition.is_national:
        parts.append(theme_count_distribution(own).assign(weergave="totaal"))
        for by in BREAKDOWNS:
            parts.append(suppress_breakdown(theme_count_distribution(own, by), ctx.min_n).assign(weergave=by))
    else:
        own_part = theme_count_distribution(own).assign(groep="instelling", groep_label=ctx.edition.title)
        parts.append(suppress_small_groups(own_part, ctx.min_n).assign(weergave="vergelijking"))
        parts.append(theme_count_distribution(national).assign(groep="landelijk", groep_label=NATIONAL_LABEL,
                                                               weergave="vergelijking"))
        if len(own) >= ctx.min_n:
            for by in BREAKDOWNS:
                parts.append(suppress_breakdown(theme_count_distribution(own, by), ctx.min_n).assign(weergave=by))
    table = pd.concat(parts, ignore_index=True)
    table[SUPPRESSED] = table[SUPPRESSED].fillna(False).astype(bool)
    return table[["weergave", "groep", "groep_label", "band", "band_label", "n", "aantal", "aandeel", SUPPRESSED]]


def _view_title(view: str, ctx: EditionContext) -> str:
    if view == "totaal":
        return "Alle docenten"
    if view == "vergelijking":
        return f"{ctx.edition.title} naast landelijk"
    return label(view)


def theme_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    """One figure per view of figure 2.1: {view title: (figure, alt text)}."""
    order = _theme_order(table[table["weergave"] == table["weergave"].iloc[0]])
    views = {}
    for view, part in table.groupby("weergave", sort=False):
        title = _view_title(view, ctx)
        visible = shown(part)
        if view == "totaal":
            fig = horizontal_bars(visible, "thema_label", "aandeel", "Gekozen thema's", category_order=order)
            alt = _bars_alt(visible, "thema_label", "het percentage docenten dat elk thema kiest")
        else:
            hues = list(dict.fromkeys(visible["groep_label"]))
            fig = horizontal_bars(visible, "thema_label", "aandeel", f"Gekozen thema's naar {title.lower()}"
                                  if view not in ("vergelijking",) else f"Gekozen thema's: {title}",
                                  hue="groep_label", hue_order=hues, category_order=order,
                                  annotate=len(hues) <= 2)
            alt = _grouped_alt(visible, title, "het percentage docenten dat elk thema kiest")
        views[title] = (fig, alt)
    return views


def distribution_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    """One figure per view of the number of themes chosen."""
    order = list(COUNT_BANDS.values())
    views = {}
    for view, part in table.groupby("weergave", sort=False):
        title = _view_title(view, ctx)
        visible = shown(part)
        if view == "totaal":
            fig = horizontal_bars(visible, "band_label", "aandeel", "Aantal gekozen thema's", category_order=order)
            alt = _bars_alt(visible, "band_label", "het aantal gekozen thema's")
        else:
            hues = list(dict.fromkeys(visible["groep_label"]))
            fig = horizontal_bars(visible, "band_label", "aandeel", f"Aantal gekozen thema's: {title.lower()}"
                                  if view != "vergelijking" else f"Aantal gekozen thema's: {title}",
                                  hue="groep_label", hue_order=hues, category_order=order,
                                  annotate=len(hues) <= 2)
            alt = _grouped_alt(visible, title, "het aantal gekozen thema's")
        views[title] = (fig, alt)
    return views


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
    }
    by_prof = theme_shares(own, PROF_GROUP)
    wide = by_prof.pivot(index="thema", columns="groep", values="aandeel")
    substantive = result["ranked"]["thema"].tolist()
    groups = list(load_codebook().activity_groups)  # [fewer, many]
    result["many_more_often"] = int((wide.loc[substantive, groups[1]] > wide.loc[substantive, groups[0]]).sum())
    result["n_themes"] = len(substantive)
    prof_sizes = by_prof.drop_duplicates("groep").set_index("groep")["n"]
    result["prof_groups_large_enough"] = bool((prof_sizes >= ctx.min_n).all())
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
        return (f"Bij {ctx.edition.title} vulden minder dan {dutch.integer(ctx.min_n)} docenten de vragenlijst "
                f"helemaal in. Om hen niet herkenbaar te maken, toont dit hoofdstuk voor deze instelling alleen "
                f"de landelijke cijfers ({n_nat} docenten).")
    return (f"De cijfers in dit hoofdstuk gaan over de {dutch.integer(facts['own']['n'])} docenten van "
            f"{ctx.edition.title} die de vragenlijst helemaal invulden, naast de {n_nat} docenten landelijk.")


def themes_paragraph(ctx: EditionContext, facts: dict) -> str:
    ranked = facts["ranked"] if facts["enough"] else facts["national_ranked"]
    national = facts["national_ranked"].set_index("thema")["aandeel"]
    first, second = ranked.iloc[0], ranked.iloc[1]
    last, second_last = ranked.iloc[-1], ranked.iloc[-2]
    who = "Landelijk" if ctx.edition.is_national or not facts["enough"] else f"Bij {ctx.edition.title}"

    def share(row):
        text = dutch.percent(row["aandeel"])
        if who != "Landelijk":
            text += f"; landelijk {dutch.percent(national[row['thema']])}"
        return text

    return (
        f"{who} kiezen docenten het vaakst voor {_quoted(first['thema_label'])} ({share(first)}) en "
        f"{_quoted(second['thema_label'])} ({share(second)}). Het minst gekozen zijn "
        f"{_quoted(second_last['thema_label'])} ({share(second_last)}) en "
        f"{_quoted(last['thema_label'])} ({share(last)})."
    )


def figure_note(ctx: EditionContext) -> str:
    note = ("Met de keuzelijst boven de figuur wissel je tussen de weergaven. Een groep met minder dan "
            f"{dutch.integer(ctx.min_n)} docenten wordt niet getoond")
    return note + ("; soms wordt daarom ook een tweede kleine groep weggelaten, zodat de ontbrekende groep niet "
                   "uit de andere terug te rekenen is.")


def count_paragraph(ctx: EditionContext, facts: dict) -> str:
    s = facts["own"] if facts["enough"] else facts["national"]
    nat = facts["national"]
    who = "Landelijk" if ctx.edition.is_national or not facts["enough"] else f"Bij {ctx.edition.title}"
    text = (
        f"{who} koos {dutch.percent(s['minstens_een'])} van de docenten ten minste één thema en "
        f"{dutch.percent(s['vier_of_meer'])} vier of meer thema's; {dutch.percent(s['geen'])} gaf aan zich op "
        f"geen enkel thema rond onderwijs en ict te willen ontwikkelen. Wie wel een keuze maakte, koos gemiddeld "
        f"{dutch.decimal(s['gemiddeld_aantal'])} thema's."
    )
    if who != "Landelijk":
        text += (f" Landelijk zijn die aandelen {dutch.percent(nat['minstens_een'])}, "
                 f"{dutch.percent(nat['vier_of_meer'])} en {dutch.percent(nat['geen'])}.")
    return text


def professionalisation_paragraph(ctx: EditionContext, facts: dict) -> str:
    if not (facts["enough"] and facts["prof_groups_large_enough"]):
        return (f"Voor {ctx.edition.title} is een van beide groepen kleiner dan {dutch.integer(ctx.min_n)} docenten; "
                "de vergelijking naar professionalisering staat daarom alleen in de landelijke editie.")
    k, total = facts["many_more_often"], facts["n_themes"]
    scope = f"bij alle {total} thema's" if k == total else f"bij {k} van de {total} thema's"
    who = "" if ctx.edition.is_national else f" van {ctx.edition.title}"
    return (
        f"Docenten{who} die in de afgelopen drie jaar aan {load_codebook().many_activities_threshold} of meer "
        "professionaliseringsactiviteiten "
        f"deelnamen, kiezen {scope} vaker voor dat thema dan docenten met minder activiteiten. "
        "Kies in de figuur hierboven de weergave ‘Professionalisering afgelopen drie jaar’ om dat te zien."
    )
