"""Shared building blocks of the Katern C chapters.

Every chapter shows a statistic in the same set of views: nationally for all
teachers and per breakdown; in an institution edition the institution beside
the same-type and national benchmarks, then its own breakdowns where the
groups are large enough. Disclosure control is applied here, once.
"""
from __future__ import annotations

import pandas as pd

from helpers.book import dutch
from helpers.book.disclosure import (
    BOUNDED,
    REASON,
    SUPPRESSED,
    groups_of_few_institutions,
    groups_to_hide,
    share_text,
    shown,
    suppress_breakdown,
    suppress_small_groups,
)
from helpers.book.edition import MIN_OTHER_INSTITUTIONS, EditionContext
from helpers.book.figures import horizontal_bars
from helpers.data.derive import INSTITUTION_TYPE, label, value_labels
from helpers.stats.themes import katern_c_sample, katern_c_wave

NATIONAL_LABEL = "Landelijk"
NATIONAL_VIEW_PREFIX = "landelijk:"
SAME_TYPE_LABEL = "Zelfde type instelling"


def sample(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own, national) Katern C samples of the edition."""
    wave = reported_wave(ctx)
    ctx.publish.wave = wave  # the wave of the chapter's figures
    return ctx.once("katern_c_sample", lambda: (katern_c_sample(ctx.own, wave), katern_c_sample(ctx.national, wave)))


def reported_wave(ctx: EditionContext) -> int:
    """The wave Katern C reports on, decided on the national data."""
    return ctx.once("katern_c_wave", lambda: katern_c_wave(ctx.national))


def edition_hidden(ctx: EditionContext, by: str) -> dict:
    """{group: reason} of `by` hidden in every table of this edition.

    Decided once, on the breakdown of the edition's whole Katern C sample by
    `by` (the shown total is that sample's size), so every table and every
    test of the edition leaves out the same groups, whichever chapter runs it.
    """
    def decide():
        own = sample(ctx)[0]
        reasons = groups_to_hide(breakdown_sizes(own, by), ctx.min_n, total=_total(ctx, len(own)))
        if ctx.edition.is_national:
            for group, reason in national_hidden(ctx, by).items():
                reasons.setdefault(group, reason)
        return reasons
    return ctx.once(f"hidden:{by}", decide)


def national_hidden(ctx: EditionContext, by: str) -> dict:
    """{group: reason} of `by` that national rows hide besides their own small groups, in any edition.

    Those are the types of institution of too few institutions: nationally a
    type is a group of institutions, and a group of one or two would show
    their own figures.
    """
    return types_of_few_institutions(ctx) if by == INSTITUTION_TYPE else {}


def types_of_few_institutions(ctx: EditionContext) -> dict:
    """{type: reason}: types of institution the national edition does not show as a group of teachers.

    A type of fewer institutions than a same-type benchmark needs
    (`MIN_OTHER_INSTITUTIONS`, counted in the reported wave) would show those
    institutions' own figures; see `groups_of_few_institutions`.
    """
    def decide():
        rows = ctx.national.loc[ctx.national["meting"] == reported_wave(ctx)].dropna(subset=[INSTITUTION_TYPE])
        per_type = rows.groupby(INSTITUTION_TYPE, observed=True)["instelling"].nunique()
        order = {str(code): i for i, code in enumerate(value_labels(INSTITUTION_TYPE))}
        counts = {str(t): int(k) for t, k in sorted(per_type.items(), key=lambda tk: order.get(str(tk[0]), len(order)))}
        return groups_of_few_institutions(counts, MIN_OTHER_INSTITUTIONS)
    return ctx.once("types_of_few_institutions", decide)  # asked per table and per scale


def _total(ctx: EditionContext, n: int) -> int | None:
    """The total a breakdown's hidden groups could be subtracted from.

    In an institution edition the respondents without a value (no team, no
    typology score) count as part of the hidden remainder. Nationally the
    threshold guards groups, not the few unclassified among thousands of
    teachers at 32 institutions, so the published national figures stand.
    """
    return None if ctx.edition.is_national else int(n)


def breakdown_sizes(df: pd.DataFrame, by: str) -> dict[str, int]:
    """Respondents per code of `by`: codebook codes first (in codebook order), then any others sorted."""
    counts = df[by].astype("string").value_counts(sort=False)
    try:
        order = [str(code) for code in value_labels(by)]
    except KeyError:  # no codebook labels, e.g. team
        order = []
    order += sorted(c for c in counts.index if c not in order)
    return {c: int(counts.get(c, 0)) for c in order}


def edition_table(ctx: EditionContext, statistic, columns: list[str], breakdowns: list[str],
                  data: pd.DataFrame | None = None, national_fallback: bool = False,
                  whole: str | None = None, bound: bool = True) -> pd.DataFrame:
    """Long table of `statistic(df, by)` per view of this edition, after disclosure control.

    National: all teachers (view `totaal`), then each breakdown. Institution:
    the institution beside the same-type and national benchmarks (view
    `vergelijking`), then its own breakdowns if it has at least `min_n`
    respondents, else (with `national_fallback`) the national breakdowns,
    as views named `landelijk:<breakdown>`. `data` narrows every sample
    further (e.g. to those who answered a question). Column `weergave` names
    the view of each row. `whole`: the column whose rows of a group are parts
    of one whole; `bound=False` leaves the bounding of small groups' shares to
    the caller's own pass (see `disclosure.bound_shares`).
    """
    own, national = sample(ctx)
    if data is not None:
        own, national = own.loc[own.index.isin(data.index)], national.loc[national.index.isin(data.index)]
    parts = []
    if ctx.edition.is_national:
        parts.append(statistic(national).assign(weergave="totaal"))
    else:
        own_part = statistic(own).assign(groep="instelling", groep_label=ctx.edition.title)
        parts.append(suppress_small_groups(own_part, ctx.min_n, whole=whole, bound=bound)
                     .assign(weergave="vergelijking"))
        same = ctx.same_type(reported_wave(ctx))
        if same is not None:
            same = katern_c_sample(same, reported_wave(ctx))
            if data is not None:
                same = same.loc[same.index.isin(data.index)]
            same_part = statistic(same).assign(groep="zelfde_type", groep_label=SAME_TYPE_LABEL)
            parts.append(suppress_small_groups(same_part, ctx.min_n, whole=whole, bound=bound)
                         .assign(weergave="vergelijking"))
        if ctx.national_benchmark:
            parts.append(statistic(national).assign(groep="landelijk", groep_label=NATIONAL_LABEL,
                                                    weergave="vergelijking"))
    own_total = None if ctx.edition.is_national else _total(ctx, own_part["n"].max())
    if len(own) >= ctx.min_n:
        for by in breakdowns:
            parts.append(suppress_breakdown(statistic(own, by), ctx.min_n, total=own_total,
                                            hidden=edition_hidden(ctx, by), whole=whole,
                                            bound=bound).assign(weergave=by))
    elif national_fallback:
        for by in breakdowns:
            parts.append(suppress_breakdown(statistic(national, by), ctx.min_n, whole=whole, bound=bound)
                         .assign(weergave=NATIONAL_VIEW_PREFIX + by))
    table = flagged(pd.concat(parts, ignore_index=True))
    return table[["weergave", "groep", "groep_label", *columns, "n", "aantal", "aandeel", SUPPRESSED, REASON,
                  BOUNDED]]


def flagged(table: pd.DataFrame) -> pd.DataFrame:
    """Every row flagged (withheld or not) with a reason column, whatever the parts of the table carried."""
    if SUPPRESSED not in table:
        table[SUPPRESSED] = False
    table[SUPPRESSED] = table[SUPPRESSED].astype("boolean").fillna(False).astype(bool)
    table[REASON] = table[REASON].fillna("") if REASON in table else ""
    table[BOUNDED] = table[BOUNDED].fillna("") if BOUNDED in table else ""
    return table


def view_title(view: str, ctx: EditionContext) -> str:
    if view == "totaal":
        return "Alle docenten"
    if view == "vergelijking":
        return f"{ctx.edition.title} naast de benchmarks"
    if view.startswith(NATIONAL_VIEW_PREFIX):
        return f"{label(view.removeprefix(NATIONAL_VIEW_PREFIX))} (landelijk)"
    return label(view)


def bar_views(ctx: EditionContext, table: pd.DataFrame, category: str, order: list[str], title: str) -> dict:
    """One bar chart per view of `table`: {view title: figure (with its Dutch alt text)}.

    A view whose groups are all withheld is left out of the selector.
    """
    views = {}
    for view, part in table.groupby("weergave", sort=False):
        name = view_title(view, ctx)
        visible = shown(part)
        if visible.empty:  # every group of this breakdown is withheld: nothing to offer
            continue
        if view == "totaal":
            fig = horizontal_bars(visible, category, "aandeel", title, category_order=order)
        else:
            hues = list(dict.fromkeys(visible["groep_label"]))
            heading = f"{title}: {name}" if view == "vergelijking" else f"{title}: {name[0].lower()}{name[1:]}"
            fig = horizontal_bars(visible, category, "aandeel", heading, hue="groep_label", hue_order=hues,
                                  category_order=order, annotate=len(hues) <= 3)
        views[name] = fig
    return views


def without_small_groups(ctx: EditionContext, df: pd.DataFrame, variables: list[str],
                         edition_wide: bool = True) -> pd.DataFrame:
    """`df` with every group that disclosure control hides blanked, per variable.

    A blanked group is left out of every test of that variable (as a missing
    value), so it is neither shown nor allowed to shape a result; tests then
    run once over the whole family, with Holm as usual. This holds in every
    edition: nationally it only bites when a national group is that small.
    With `edition_wide` (for the edition's own respondents), the groups the
    edition hides in its tables are blanked too, so a test never shows a
    group a table withholds. The national rows of an institution edition
    pass `edition_wide=False`; they still leave out the types of too few
    institutions (:func:`national_hidden`).
    """
    out = df.copy()
    for variable in variables:
        hidden = edition_hidden(ctx, variable) if edition_wide else national_hidden(ctx, variable)
        total = _total(ctx, len(out)) if edition_wide else None
        hide = groups_to_hide(breakdown_sizes(out, variable), ctx.min_n, total=total, hidden=hidden)
        out[variable] = out[variable].where(~out[variable].astype("string").isin(list(hide)))
    return out


def differences_shown(table: pd.DataFrame, outcome_header: str) -> pd.DataFrame:
    """A reader's version of a `deviating_groups` table: Dutch headers and number formats."""
    return pd.DataFrame({
        outcome_header: table["uitkomst_label"],
        "Kenmerk": table["variabele_label"],
        "Groep": table["groep_label"],
        "Kiest dit": table["richting"],
        "Groep (%)": [share_text(r, "aandeel_groep", "n_groep") for _, r in table.iterrows()],
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
