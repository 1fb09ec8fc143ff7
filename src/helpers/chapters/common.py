"""Shared building blocks of the chapters, and the one decision of which groups an edition shows.

Every chapter shows a statistic in the same set of views: nationally for all
teachers and per breakdown; in an institution edition the institution beside
the same-type and national benchmarks, then its own breakdowns where the
groups are large enough. Disclosure control is applied here, once:
:func:`group_decision` decides, per edition and breakdown, which groups a
table shows and why the others are withheld, and every table, test, figure
and sentence of every chapter takes its groups from it
(:func:`protect_breakdown` for tables, :func:`tested_rows` for tests).
:func:`type_decision` does the same for the types of institution named
beside institutions (counts of types, labels of anonymous institutions).
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import (
    BOUNDED,
    FEW_INSTITUTIONS,
    REASON,
    SUPPRESSED,
    GroupDecision,
    breakdown_sizes_of,
    decide_groups,
    group_percent,
    groups_of_few_institutions,
    share_text,
    shown,
    suppress_small_groups,
    withhold_groups,
    withhold_rows,
)
from helpers.book.edition import MIN_OTHER_INSTITUTIONS, EditionContext
from helpers.book.figures import horizontal_bars
from helpers.book.sentences import sentence_file
from helpers.data.codebook import Codebook, load_codebook
from helpers.data.derive import INSTITUTION_TYPE, label, value_labels
from helpers.stats.themes import katern_c_sample, katern_c_wave

NATIONAL_LABEL = "Landelijk"
NATIONAL_VIEW_PREFIX = "landelijk:"
SAME_TYPE_LABEL = "Zelfde type instelling"
SENTENCES = sentence_file("gedeeld")


def sample(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own, national) Katern C samples of the edition."""
    wave = reported_wave(ctx)
    ctx.publish.wave = wave  # the wave of the chapter's figures
    return ctx.once("katern_c_sample", lambda: (katern_c_sample(ctx.own, wave), katern_c_sample(ctx.national, wave)))


def reported_wave(ctx: EditionContext) -> int:
    """The wave Katern C reports on, decided on the national data."""
    return ctx.once("katern_c_wave", lambda: katern_c_wave(ctx.national))


def katern_a_sample(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own, national) Katern A samples: every respondent of the newest wave, also those who stopped early."""
    def make():
        wave = int(ctx.national["meting"].max())
        return ctx.own.loc[ctx.own["meting"] == wave], ctx.national.loc[ctx.national["meting"] == wave]
    return ctx.once("katern_a_sample", make)



def activity_count_labels(codebook: Codebook | None = None) -> dict[str, str]:
    """{code: Dutch label} of the number of professionalisation activities: '0' … the number of activity kinds."""
    cb = codebook or load_codebook()
    return {str(k): "Geen activiteit" if k == 0 else dutch.count_word(k, "activiteit", "activiteiten")
            for k in range(len(cb.activities) + 1)}


def edition_withheld(ctx: EditionContext, by: str) -> dict:
    """{group: reason} of `by` that every table and test of this edition withholds, whatever its own counts.

    In an institution edition: the groups withheld in the breakdown of the
    institution's whole Katern C sample (its total the sample's size), and
    then of its whole Katern A sample (the newest wave, also those who stopped
    early), so that no table of either Katern can be held against another.
    Nationally: the types of institution of too few institutions
    (:func:`national_withheld`); the other national groups are guarded by the
    threshold in each table.
    """
    if ctx.edition.is_national:
        return national_withheld(ctx, by)

    def decide():
        katern_c = sample(ctx)[0]
        reasons = decide_groups(breakdown_sizes(katern_c, by), ctx.min_n, total=len(katern_c)).withheld
        katern_a = katern_a_sample(ctx)[0]
        return decide_groups(breakdown_sizes(katern_a, by), ctx.min_n, total=len(katern_a), hidden=reasons).withheld
    return ctx.once(f"edition_withheld:{by}", decide)


def national_withheld(ctx: EditionContext, by: str) -> dict:
    """{group: reason} of `by` that national rows withhold besides their own small groups, in any edition.

    Those are the types of institution of too few institutions: nationally a
    type is a group of institutions, and a group of one or two would show
    their own figures.
    """
    return types_of_few_institutions(ctx) if by == INSTITUTION_TYPE else {}


def group_decision(ctx: EditionContext, by: str, sizes: dict, total: int | None = None,
                   national: bool = False, hidden: dict | None = None) -> GroupDecision:
    """The one decision of which groups of `by` a table, its test, figure and sentences show in this edition.

    `sizes`: the teachers per group in the rows the table or test is about
    (a sample, or the scores on one scale), in the breakdown's order.
    `total`: in an institution edition, the shown number the groups are part
    of (default their sum), so a withheld group cannot follow by subtraction;
    the national edition has none (:func:`_total`). `national`: the rows are
    national rows in an institution edition (its national appendix or
    fallback). `hidden`: groups withheld because they make up a withheld
    group of another breakdown (the numbers of activities of a withheld
    professionalisation group). Withheld: a group below the threshold
    (*primair*), the smallest other groups where the remainder would be small
    (*aanvullend*), what the edition withholds everywhere
    (:func:`edition_withheld`) and the types of too few institutions
    (:func:`national_withheld`).
    """
    as_national = national or ctx.edition.is_national
    withheld = dict(national_withheld(ctx, by) if as_national else edition_withheld(ctx, by))
    for group, reason in (hidden or {}).items():
        withheld.setdefault(group, reason)
    return decide_groups(sizes, ctx.min_n, total=_total(ctx, total), hidden=withheld)


def protect_breakdown(ctx: EditionContext, table: pd.DataFrame, by: str, total: int | None = None,
                      national: bool = False, group_column: str = "groep", n_column: str = "n",
                      value_columns: tuple[str, ...] = ("aantal", "aandeel"), whole: str | None = None,
                      bound: bool = True, hidden: dict | None = None) -> pd.DataFrame:
    """A breakdown table of `by` with the groups :func:`group_decision` withholds blanked and flagged.

    The sizes are the table's own (`n_column` per group); see
    :func:`helpers.book.disclosure.withhold_groups` for the other arguments.
    """
    decision = group_decision(ctx, by, breakdown_sizes_of(table, group_column, n_column), total, national, hidden)
    return withhold_groups(table, decision, group_column, n_column, value_columns, whole, bound)


def tested_rows(ctx: EditionContext, df: pd.DataFrame, variables: list[str], national: bool = False) -> pd.DataFrame:
    """`df` with every group :func:`group_decision` withholds blanked, per variable, so no test uses it.

    A blanked group is left out of every test of that variable (as a missing
    value): it is neither shown nor allowed to shape a result, and tests run
    once over the whole family, with Holm as usual. The sizes are those of
    `df`, the rows the test and its table are about; `national` as in
    :func:`group_decision`.
    """
    out = df.copy()
    for variable in variables:
        decision = group_decision(ctx, variable, breakdown_sizes(out, variable), total=None if national else len(out),
                                  national=national)
        out[variable] = out[variable].where(out[variable].astype("string").isin(list(decision.shown)))
    return out


def shows(ctx: EditionContext, by: str, rows: pd.DataFrame, codes, national: bool = False) -> bool:
    """Whether :func:`group_decision` shows every group in `codes` of `by` among `rows` (a sentence may cite them)."""
    total = None if national else len(rows)
    decision = group_decision(ctx, by, breakdown_sizes(rows, by), total=total, national=national)
    return all(str(code) in decision.shown for code in codes)


def too_few_others(ctx: EditionContext, waves_compared) -> bool:
    """In an institution edition: fewer than MIN_OTHER_INSTITUTIONS *other* institutions took part in every one of
    `waves_compared`. A national figure over them, beside the institution's own, would give away the others'.

    The one few-institutions rule of every national figure shown beside an
    institution's own: Katern B's comparisons over the waves, and the national
    benchmark of one wave (:func:`national_benchmark_withheld`)."""
    if ctx.edition.is_national:
        return False
    waves = sorted({int(w) for w in waves_compared})

    def count():  # asked for every row of every trend table: counted once per set of waves
        rows = ctx.national.loc[ctx.national["meting"].isin(waves), ["meting", "instelling"]]
        per_wave = rows.drop_duplicates().groupby("instelling")["meting"].nunique()
        return int(((per_wave == len(waves)) & (per_wave.index != ctx.edition.id)).sum())
    return ctx.once(f"other_institutions:{waves}", count) < MIN_OTHER_INSTITUTIONS


def national_benchmark_withheld(ctx: EditionContext, wave: int) -> bool:
    """Whether this institution edition withholds its national benchmark of `wave` (:func:`too_few_others`).

    With one or two other institutions in the wave, the national figures
    beside the institution's own are (nearly) theirs: the benchmark rows, the
    institution's tests against the other teachers and every sentence citing
    them are withheld, for reason *te_weinig_instellingen*.
    """
    return ctx.national_benchmark and too_few_others(ctx, [wave])


#: The rows of a table with the national benchmark beside the institution (view `vergelijking`).
BENCHMARK_VIEW, NATIONAL_GROUP = "vergelijking", "landelijk"


def withhold_national_benchmark(ctx: EditionContext, table: pd.DataFrame, wave: int, value_columns,
                                size_columns=("n",)) -> pd.DataFrame:
    """`table` with its national benchmark rows withheld where :func:`national_benchmark_withheld` says so."""
    if not national_benchmark_withheld(ctx, wave) or "weergave" not in table:
        return table
    rows = ((table["weergave"] == BENCHMARK_VIEW) & (table["groep"] == NATIONAL_GROUP)).to_numpy(dtype=bool)
    out = withhold_rows(table, rows, FEW_INSTITUTIONS, [c for c in value_columns if c in table],
                        [c for c in size_columns if c in table])
    if BOUNDED in out:
        out[BOUNDED] = out[BOUNDED].where(~rows, "")
    return out


def few_institutions_note(ctx: EditionContext, wave: int) -> str:
    """Why the national benchmark of `wave` is not beside the institution's figures ('' when it is)."""
    if not national_benchmark_withheld(ctx, wave):
        return ""
    return SENTENCES.say("landelijk_niet_ernaast", meting=wave, instelling=ctx.title_md)


def types_of_few_institutions(ctx: EditionContext) -> dict:
    """{type: reason}: types of institution the national figures do not show as a group, in any edition.

    A type of fewer institutions than a same-type benchmark needs
    (`MIN_OTHER_INSTITUTIONS`, counted in the reported wave) would show those
    institutions' own figures; see `groups_of_few_institutions`.
    """
    def decide():
        rows = ctx.national.loc[ctx.national["meting"] == reported_wave(ctx)]
        return groups_of_few_institutions(institutions_per_type(rows), MIN_OTHER_INSTITUTIONS)
    return ctx.once("types_of_few_institutions", decide)  # asked per table and per scale


#: A variance share under this rounds to 0,0%: the mixed model cannot tell that level's differences from none.
VARIANCE_BOUNDARY = 0.0005


def variance_share(share: float) -> str:
    """A share of the variance as a reader reads it: one decimal below ten percent (whole percents would read as
    nothing), 'vrijwel 0%' at the boundary (see :func:`variance_caveat`), 'ruim 99%' rather than a rounded 100%."""
    if share < VARIANCE_BOUNDARY:
        return "vrijwel 0%"
    if share > 0.995:  # would round to 100% beside a level that holds some of the variance
        return "ruim 99%"
    return dutch.percent(share, 1 if share < 0.095 else 0)


def variance_caveat(levels: dict[str, float]) -> str:
    """The caveat beside variance shares of which some lie at the boundary of zero; '' when none does.

    `levels`: {'tussen instellingen': share, ...}. An estimate at zero says the
    model cannot tell the differences at that level from chance, not that the
    institutions (or teams) are all alike.
    """
    at_zero = [level for level, share in levels.items() if share < VARIANCE_BOUNDARY]
    if not at_zero:
        return ""
    return SENTENCES.say("variantie_voorbehoud", niveaus=at_zero)


def institutions_per_type(rows: pd.DataFrame) -> dict[str, int]:
    """{type: number of institutions} among `rows`, in codebook order (types without an institution left out)."""
    rows = rows.dropna(subset=[INSTITUTION_TYPE]).drop_duplicates("instelling")
    per_type = rows[INSTITUTION_TYPE].astype("string").value_counts()
    order = [str(code) for code in value_labels(INSTITUTION_TYPE)]
    order += sorted(t for t in per_type.index if t not in order)
    return {t: int(per_type[t]) for t in order if per_type.get(t, 0)}


def type_word(label: str) -> str:
    """'Regionaal opleidingencentrum (roc)' -> 'roc'; a label without an abbreviation in lower case."""
    if label.endswith(")") and "(" in label:
        return label[label.rindex("(") + 1:-1]
    return label.lower()


def type_decision(ctx: EditionContext, institutions: dict[str, int]) -> GroupDecision:
    """Which types of institution may be named beside these institutions (counts of institutions per type).

    `institutions`: {type: number of institutions} of the institutions named
    (a wave's, or those in a figure). A type is named only if the national
    figures show it as a group (:func:`types_of_few_institutions`) and it has
    at least `MIN_OTHER_INSTITUTIONS` institutions here; the withheld types
    together span at least as many, or all of them are withheld. A withheld
    type is never named, nor counted on its own: say 'ander type'.
    """
    withheld = groups_of_few_institutions(institutions, MIN_OTHER_INSTITUTIONS, hidden=types_of_few_institutions(ctx))
    return GroupDecision(tuple(t for t, k in institutions.items() if k > 0 and t not in withheld), withheld)


def _total(ctx: EditionContext, n: int | None) -> int | None:
    """The total a breakdown's hidden groups could be subtracted from.

    In an institution edition the respondents without a value (no team, no
    typology score) count as part of the hidden remainder. Nationally the
    threshold guards groups, not the few unclassified among thousands of
    teachers at 32 institutions, so the published national figures stand.
    """
    return None if ctx.edition.is_national or n is None or pd.isna(n) else int(n)


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
            parts.append(protect_breakdown(ctx, statistic(own, by), by, total=own_total, whole=whole, bound=bound)
                         .assign(weergave=by))
    elif national_fallback:
        for by in breakdowns:
            parts.append(protect_breakdown(ctx, statistic(national, by), by, national=True, whole=whole, bound=bound)
                         .assign(weergave=NATIONAL_VIEW_PREFIX + by))
    table = flagged(pd.concat(parts, ignore_index=True))
    table = withhold_national_benchmark(ctx, table, reported_wave(ctx), ("aantal", "aandeel"))
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


def people(variable: str, code: str) -> str:
    """A group as the subject of a Dutch sentence, e.g. 'docenten in het domein entree'."""
    return SENTENCES.say("groep_als_onderwerp", variabele=variable, code=code,
                         label=value_labels(variable).get(code, str(code)))


def largest_differences(table: pd.DataFrame, verb: str, label_column: str, overall_column: str, everyone: int,
                        overall_of: str = "") -> str:
    """'De grootste verschillen: …': the three groups of a chi-square table (`helpers.stats.association.
    deviating_groups`) with the largest adjusted residual, each with its share against that of all `everyone`."""
    top = table.reindex(table["residu"].abs().sort_values(ascending=False).index).head(3)
    differences = [dict(groep=people(r["variabele"], r["groep"]), uitkomst=r[label_column], richting=r["richting"],
                        aandeel=share_text(r, "aandeel_groep", "n_groep"),
                        totaal=group_percent(r[overall_column], everyone))
                   for _, r in top.iterrows()]
    return SENTENCES.say("grootste_verschillen", werkwoord=verb, verschillen=differences, achtervoegsel=overall_of)


def sentence(text: str) -> str:
    return text[0].upper() + text[1:] if text else text
