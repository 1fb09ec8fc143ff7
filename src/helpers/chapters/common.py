"""Shared building blocks of the Katern C chapters.

Every chapter shows a statistic in the same set of views: nationally for all
teachers and per breakdown; in an institution edition the institution beside
the same-type and national benchmarks, then its own breakdowns where the
groups are large enough. Disclosure control is applied here, once.
"""
from __future__ import annotations

import pandas as pd

from .. import dutch
from ..derive import label, value_labels
from ..disclosure import SUPPRESSED, shown, suppress_breakdown, suppress_small_groups
from ..editions import EditionContext
from ..figures import horizontal_bars
from ..stats.themes import KATERN_C_WAVE, katern_c_sample

NATIONAL_LABEL = "Landelijk"
NATIONAL_VIEW_PREFIX = "landelijk:"
SAME_TYPE_LABEL = "Zelfde type instelling"


def sample(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own, national) Katern C samples of the edition."""
    return katern_c_sample(ctx.own), katern_c_sample(ctx.national)


def edition_table(ctx: EditionContext, statistic, columns: list[str], breakdowns: list[str],
                  data: pd.DataFrame | None = None, national_fallback: bool = False) -> pd.DataFrame:
    """Long table of `statistic(df, by)` per view of this edition, after disclosure control.

    National: all teachers (view `totaal`), then each breakdown. Institution:
    the institution beside the same-type and national benchmarks (view
    `vergelijking`), then its own breakdowns if it has at least `min_n`
    respondents, else (with `national_fallback`) the national breakdowns,
    as views named `landelijk:<breakdown>`. `data` narrows every sample
    further (e.g. to those who answered a question). Column `weergave` names
    the view of each row.
    """
    own, national = sample(ctx)
    if data is not None:
        own, national = own.loc[own.index.isin(data.index)], national.loc[national.index.isin(data.index)]
    parts = []
    if ctx.edition.is_national:
        parts.append(statistic(national).assign(weergave="totaal"))
    else:
        own_part = statistic(own).assign(groep="instelling", groep_label=ctx.edition.title)
        parts.append(suppress_small_groups(own_part, ctx.min_n).assign(weergave="vergelijking"))
        same = ctx.same_type(KATERN_C_WAVE)
        if same is not None:
            same = katern_c_sample(same)
            if data is not None:
                same = same.loc[same.index.isin(data.index)]
            same_part = statistic(same).assign(groep="zelfde_type", groep_label=SAME_TYPE_LABEL)
            parts.append(suppress_small_groups(same_part, ctx.min_n).assign(weergave="vergelijking"))
        parts.append(statistic(national).assign(groep="landelijk", groep_label=NATIONAL_LABEL,
                                                weergave="vergelijking"))
    if len(own) >= ctx.min_n:
        for by in breakdowns:
            parts.append(suppress_breakdown(statistic(own, by), ctx.min_n).assign(weergave=by))
    elif national_fallback:
        for by in breakdowns:
            parts.append(suppress_breakdown(statistic(national, by), ctx.min_n)
                         .assign(weergave=NATIONAL_VIEW_PREFIX + by))
    table = pd.concat(parts, ignore_index=True)
    if SUPPRESSED not in table:
        table[SUPPRESSED] = False
    table[SUPPRESSED] = table[SUPPRESSED].astype("boolean").fillna(False).astype(bool)
    return table[["weergave", "groep", "groep_label", *columns, "n", "aantal", "aandeel", SUPPRESSED]]


def bars_alt(table: pd.DataFrame, category: str, what: str) -> str:
    """Dutch alt text naming the highest and lowest value of a one-group bar chart."""
    visible = table.dropna(subset=["aandeel"])
    if visible.empty:
        return f"Staafdiagram van {what}: geen gegevens te tonen."
    top = visible.loc[visible["aandeel"].astype(float).idxmax()]
    low = visible.loc[visible["aandeel"].astype(float).idxmin()]
    return (f"Staafdiagram van {what}. Hoogste: {top[category]} ({dutch.percent(top['aandeel'])}); "
            f"laagste: {low[category]} ({dutch.percent(low['aandeel'])}).")


def grouped_alt(table: pd.DataFrame, by_label: str, what: str) -> str:
    groups = ", ".join(f"{g} (n = {dutch.integer(n)})" for g, n in
                       table.drop_duplicates("groep_label")[["groep_label", "n"]].dropna().itertuples(index=False))
    return f"Staafdiagram van {what}, uitgesplitst naar {by_label.lower()}: {groups}."


def view_title(view: str, ctx: EditionContext) -> str:
    if view == "totaal":
        return "Alle docenten"
    if view == "vergelijking":
        return f"{ctx.edition.title} naast de benchmarks"
    if view.startswith(NATIONAL_VIEW_PREFIX):
        return f"{label(view.removeprefix(NATIONAL_VIEW_PREFIX))} (landelijk)"
    return label(view)


def bar_views(ctx: EditionContext, table: pd.DataFrame, category: str, order: list[str],
              title: str, what: str) -> dict:
    """One bar chart per view of `table`: {view title: (figure, Dutch alt text)}."""
    views = {}
    for view, part in table.groupby("weergave", sort=False):
        name = view_title(view, ctx)
        visible = shown(part)
        if view == "totaal":
            fig = horizontal_bars(visible, category, "aandeel", title, category_order=order)
            alt = bars_alt(visible, category, what)
        else:
            hues = list(dict.fromkeys(visible["groep_label"]))
            heading = f"{title}: {name}" if view == "vergelijking" else f"{title}: {name[0].lower()}{name[1:]}"
            fig = horizontal_bars(visible, category, "aandeel", heading, hue="groep_label", hue_order=hues,
                                  category_order=order, annotate=len(hues) <= 3)
            alt = grouped_alt(visible, name, what)
        views[name] = (fig, alt)
    return views


def without_small_groups(ctx: EditionContext, df: pd.DataFrame, variables: list[str]) -> pd.DataFrame:
    """`df` with every group below `min_n` blanked, per variable.

    A blanked group is left out of every test of that variable (as a missing
    value), so it is neither shown nor allowed to shape a result; tests then
    run once over the whole family, with Holm as usual. This holds in every
    edition: nationally it only bites when a national group is that small.
    """
    out = df.copy()
    for variable in variables:
        sizes = out[variable].astype("string").value_counts()
        small = sizes[sizes < ctx.min_n].index
        out[variable] = out[variable].where(~out[variable].astype("string").isin(small))
    return out


def differences_shown(table: pd.DataFrame, outcome_header: str) -> pd.DataFrame:
    """A reader's version of a `deviating_groups` table: Dutch headers and number formats."""
    return pd.DataFrame({
        outcome_header: table["uitkomst_label"],
        "Kenmerk": table["variabele_label"],
        "Groep": table["groep_label"],
        "Kiest dit": table["richting"],
        "Groep (%)": table["aandeel_groep"].map(dutch.percent),
        "Alle docenten (%)": table["aandeel_totaal"].map(dutch.percent),
        "n groep": table["n_groep"].map(dutch.integer),
        "p (Holm)": table["p_holm"].map(lambda p: "< 0,001" if p < 0.001 else dutch.decimal(p, 3)),
    })


# How a group is named as the subject of a sentence ("instructeurs kiezen …").
_PEOPLE = {
    "functie": {"docent": "wie als docent werkt", "instructeur": "instructeurs",
                "overig": "overig onderwijsgevend personeel"},
    "bevoegdheid": {"geen": "docenten zonder onderwijsbevoegdheid", "pabo": "docenten met een pabo-diploma"},
    "typologie_met": {"koplopers": "koplopers", "peloton": "docenten in het peloton",
                      "achterblijvers": "achterblijvers"},
}
_PEOPLE["typologie_over"] = _PEOPLE["typologie_met"]
_PEOPLE_TEMPLATES = {
    "ervaring": "docenten met {} onderwijservaring",
    "leeftijd": "docenten in de leeftijdsgroep ‘{}’",
    "vak": "docenten van {}",
    "domein": "docenten in het domein {}",
    "bevoegdheid": "docenten met een {}",
    "instellingstype": "docenten van een {}",
    "prof_groep": "docenten met {}",
    "meerwaarde_groep": "docenten die {} zien",
}


def people(variable: str, code: str) -> str:
    """A group as the subject of a Dutch sentence, e.g. 'docenten in het domein entree'."""
    if code in _PEOPLE.get(variable, {}):
        return _PEOPLE[variable][code]
    text = value_labels(variable).get(code, str(code))
    template = _PEOPLE_TEMPLATES.get(variable, "docenten in de groep ‘{}’")
    return template.format(text if variable == "domein" else text.lower())


def sentence(text: str) -> str:
    return text[0].upper() + text[1:] if text else text
