"""Shared building blocks of the Katern A chapters: the sample, scale tables per view, their figures.

Katern A describes every teacher of the reported wave who answered, also
those who stopped before the end (a scale they did not reach is missing for
them). The reported wave is the latest wave in the data. A scale is shown as
its mean on 1-5 with a 95% interval and as the share of teachers in three
bands; nationally for all teachers and per breakdown, in an institution
edition the institution beside its benchmarks, then its own breakdowns where
the groups are large enough. Disclosure control is applied here, once, per
scale (every scale has its own number of respondents).
"""
from __future__ import annotations

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import (
    BOUNDED,
    REASON,
    SUPPRESSED,
    mark_not_asked,
    shown,
    suppress_small_groups,
)
from helpers.book.edition import EditionContext, kept
from helpers.book.sentences import sentence_file
from helpers.book.figures import mean_intervals, stacked_shares
from helpers.chapters.common import (
    NATIONAL_LABEL,
    NATIONAL_VIEW_PREFIX,
    SAME_TYPE_LABEL,
    edition_withheld,
    flagged,
    katern_a_sample,
    protect_breakdown,
    view_title,
    withhold_national_benchmark,
)
from helpers.data.codebook import load_codebook
from helpers.data.derive import INSTITUTION_TYPE, MEERWAARDE_VEEL_MIN, MEERWAARDE_WEINIG_MAX, PROF_GROUP
from helpers.data.waves import scale_asked
from helpers.stats.scales import BANDS, HIGH, LOW, MIDDLE, SCALE_MAX, SCALE_MIN, scale_summary
from helpers.stats.themes import ALL_GROUP, ALL_LABEL

#: Breakdowns of every scale, in the order of the selector.
BREAKDOWNS = ["functie", "ervaring", "leeftijd", "vak", "domein", "bevoegdheid", INSTITUTION_TYPE, PROF_GROUP]
#: Columns blanked when a group is withheld.
VALUE_COLUMNS = ("gemiddelde", "sd", "ci_laag", "ci_hoog", *(f"aandeel_{band}" for band in BANDS))
#: The three bands of a scale score (`helpers.stats.scales.BANDS`) as the reader sees them.
BAND_LABELS = {
    LOW: f"Laag ({SCALE_MIN}–{dutch.decimal(MEERWAARDE_WEINIG_MAX)})",
    MIDDLE: f"Midden (tussen {dutch.decimal(MEERWAARDE_WEINIG_MAX)} en {dutch.decimal(MEERWAARDE_VEEL_MIN)})",
    HIGH: f"Hoog ({dutch.decimal(MEERWAARDE_VEEL_MIN)}–{SCALE_MAX})",
}
BAND_COLUMNS = {f"aandeel_{band}": text for band, text in BAND_LABELS.items()}
SENTENCES = sentence_file("katern_a/gedeeld")


def reported_wave(ctx: EditionContext) -> int:
    """The wave Katern A reports on: the latest in the data."""
    return int(ctx.national["meting"].max())


def sample(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own, national) Katern A samples: every respondent of the reported wave."""
    return katern_a_sample(ctx)


def not_asked(ctx: EditionContext, scales) -> list[str]:
    """The scales of `scales` the reported wave did not ask (decided on the national data, so alike in every edition)."""
    national = sample(ctx)[1]
    return [sid for sid in scales if not scale_asked(national, sid)]


def not_asked_note(ctx: EditionContext, scales: list[str]) -> str:
    """A sentence naming the scales the reported wave did not ask (they are left out, not shown as zero); or ''."""
    national = sample(ctx)[1]
    missing = not_asked(ctx, scales)
    if not missing or national.empty:
        return ""
    cb = load_codebook()
    names = [SENTENCES.say("genoemde_schaal", naam=cb.scales[sid].label) for sid in missing]
    return SENTENCES.say("niet_gevraagd", meting=reported_wave(ctx), schalen=names)


def who(ctx: EditionContext, own: bool = True) -> str:
    """Whose figures a sentence gives: 'landelijk', or 'bij <institution>' (escaped for the prose)."""
    return "landelijk" if ctx.edition.is_national or not own else f"bij {ctx.title_md}"


def breakdowns(ctx: EditionContext) -> list[str]:
    """Breakdowns that can differ within this edition (an institution has one type)."""
    return BREAKDOWNS if ctx.edition.is_national else [b for b in BREAKDOWNS if b != INSTITUTION_TYPE]


def domain_scales(domain: str) -> list[str]:
    cb = load_codebook()
    return [sid for sid, scale in cb.scales.items() if scale.domain == domain]


def _per_scale_breakdown(ctx: EditionContext, table: pd.DataFrame, totals: dict[str, int], by: str,
                         national: bool = False) -> pd.DataFrame:
    """Disclosure control of one breakdown, scale by scale: each scale's groups add up to its own total.

    `national`: a national breakdown shown in an institution edition, guarded
    like the national edition's own (no edition-wide groups, no total).
    """
    parts = [protect_breakdown(ctx, part, by, total=None if national else totals.get(scale), national=national,
                               value_columns=VALUE_COLUMNS)
             for scale, part in table.groupby("schaal", sort=False)]
    return pd.concat(parts, ignore_index=True)


@kept  # the domain chapters and the overview would otherwise compute it piece by piece
def _every_scale_table(ctx: EditionContext) -> pd.DataFrame:
    """This edition's table of every scale over the default breakdowns."""
    return edition_scale_table(ctx, list(load_codebook().scales))


def scale_table(ctx: EditionContext, scales: list[str], by: list[str] | None = None,
                national_fallback: bool = False) -> pd.DataFrame:
    """:func:`edition_scale_table`; with the default breakdowns, the rows of `scales` in the table of every scale.

    Each scale's rows are computed on their own (the threshold, the totals and
    the groups hidden edition-wide are per scale or per edition), so the rows
    of a few scales are those of the table of every scale, in the same order.
    """
    every = list(load_codebook().scales)
    wanted = list(scales)
    if by is not None or national_fallback or [s for s in every if s in wanted] != wanted:
        return edition_scale_table(ctx, wanted, by, national_fallback)
    table = _every_scale_table(ctx)
    return table.loc[table["schaal"].isin(wanted)].reset_index(drop=True)


def edition_scale_table(ctx: EditionContext, scales: list[str], by: list[str] | None = None,
                        national_fallback: bool = False) -> pd.DataFrame:
    """Long table of `scale_summary` per view of this edition, after disclosure control.

    National: all teachers (view `totaal`), then each breakdown. Institution:
    the institution beside the same-type and national benchmarks (view
    `vergelijking`), then its own breakdowns if it has at least `min_n`
    respondents, else (with `national_fallback`) the national breakdowns as
    views named `landelijk:<breakdown>`. `by` are the breakdowns (default:
    :func:`breakdowns`). Column `weergave` names the view of each row.
    """
    by = breakdowns(ctx) if by is None else list(by)
    own, national = sample(ctx)
    parts = []
    for group, text, rows, view in _populations(ctx):
        if group == ALL_GROUP:
            parts.append(scale_summary(rows, scales).assign(weergave=view))
        else:
            part = scale_summary(rows, scales).assign(groep=group, groep_label=text)
            parts.append(suppress_small_groups(part, ctx.min_n, value_columns=VALUE_COLUMNS).assign(weergave=view))
    totals = dict(zip(parts[0]["schaal"], parts[0]["n"].astype("Int64").fillna(0).astype(int)))
    if ctx.edition.is_national or len(own) >= ctx.min_n:
        for variable in by:
            part = scale_summary(own, scales, variable)
            parts.append(_per_scale_breakdown(ctx, part, totals, variable).assign(weergave=variable))
    elif national_fallback:
        for variable in by:
            part = scale_summary(national, scales, variable)
            parts.append(_per_scale_breakdown(ctx, part, totals, variable, national=True)
                         .assign(weergave=NATIONAL_VIEW_PREFIX + variable))
    table = flagged(pd.concat(parts, ignore_index=True))
    table = withhold_national_benchmark(ctx, table, reported_wave(ctx), VALUE_COLUMNS)
    # A scale the wave did not ask has no number anywhere: not asked, not withheld (in every edition alike).
    table = mark_not_asked(table, table["schaal"].isin(not_asked(ctx, scales)), VALUE_COLUMNS)
    return table[["weergave", "groep", "groep_label", "schaal", "schaal_label", "domein", "n", *VALUE_COLUMNS,
                  SUPPRESSED, REASON, BOUNDED]]


def shown_groups(table: pd.DataFrame) -> dict[tuple[str, str], tuple[str, ...]]:
    """{(scale, breakdown): groups shown} of a scale table: the groups every test of that scale and breakdown uses.

    A view of national rows (`landelijk:<breakdown>`) counts as its
    breakdown. A test takes its groups from here, so it never uses a group
    its table withholds, nor one the table has no number for.
    """
    rows = shown(table.loc[~table["weergave"].isin(["totaal", "vergelijking"])])
    rows = rows.loc[rows["n"].fillna(0) > 0]
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for (view, scale), part in rows.groupby(["weergave", "schaal"], sort=False):
        out[(scale, str(view).removeprefix(NATIONAL_VIEW_PREFIX))] = tuple(part["groep"].astype(str))
    return out


def mean_views(ctx: EditionContext, table: pd.DataFrame, title: str) -> dict:
    """One figure of scale means per view of `table`: {view title: figure (with its Dutch alt text)}."""
    views = {}
    order = list(dict.fromkeys(table["schaal_label"]))
    for view, part in table.groupby("weergave", sort=False):
        visible = shown(part).dropna(subset=["gemiddelde"])
        if visible.empty:  # every group withheld, or the scales were not asked: nothing to offer
            continue
        name = view_title(view, ctx)
        if view == "totaal":
            fig = mean_intervals(visible, "schaal_label", title, category_order=order)
        else:
            hues = list(dict.fromkeys(visible["groep_label"]))
            heading = f"{title}: {name}" if view == "vergelijking" else f"{title}: {name[0].lower()}{name[1:]}"
            fig = mean_intervals(visible, "schaal_label", heading, hue="groep_label", hue_order=hues,
                                 category_order=order)
        views[name] = fig
    return views


def band_view(ctx: EditionContext, table: pd.DataFrame, title: str):
    """The figure of the bands of the edition's own teachers per scale, or None if withheld."""
    view = "totaal" if ctx.edition.is_national else "vergelijking"
    rows = shown(table.loc[(table["weergave"] == view)
                           & (table["groep"].isin(["totaal", "instelling"]))]).dropna(subset=["gemiddelde"])
    if rows.empty:
        return None
    return stacked_shares(rows, "schaal_label", BAND_COLUMNS, title,
                          category_order=list(dict.fromkeys(rows["schaal_label"])))


def _populations(ctx: EditionContext) -> list[tuple[str, str, pd.DataFrame, str]]:
    """(group, label, rows, view) of the first view: all teachers, or the institution beside its benchmarks."""
    own, national = sample(ctx)
    if ctx.edition.is_national:
        return [(ALL_GROUP, ALL_LABEL, national, "totaal")]
    out = [("instelling", ctx.edition.title, own, "vergelijking")]
    same = ctx.same_type(reported_wave(ctx))
    if same is not None:
        out.append(("zelfde_type", SAME_TYPE_LABEL, same, "vergelijking"))
    if ctx.national_benchmark:
        out.append(("landelijk", NATIONAL_LABEL, national, "vergelijking"))
    return out


def share_table(ctx: EditionContext, statistic, columns: list[str], by: list[str]) -> pd.DataFrame:
    """Long table of `statistic(df, by)` (columns groep, groep_label, *columns, n, aantal, aandeel) per view.

    The Katern A counterpart of :func:`helpers.chapters.common.edition_table`
    for shares of teachers giving an answer (several answers possible): the
    groups of a breakdown are protected, the answer counts are not.
    National: all teachers (view `totaal`), then each breakdown. Institution:
    the institution beside its benchmarks (view `vergelijking`), then its own
    breakdowns if it has at least `min_n` respondents, with the groups hidden
    edition-wide (:func:`common.edition_withheld`).
    """
    own, _ = sample(ctx)
    parts = []
    for group, text, rows, view in _populations(ctx):
        if group == ALL_GROUP:
            parts.append(statistic(rows).assign(weergave=view))
        else:
            part = statistic(rows).assign(groep=group, groep_label=text)
            parts.append(suppress_small_groups(part, ctx.min_n).assign(weergave=view))
    if ctx.edition.is_national or len(own) >= ctx.min_n:
        for variable in by:
            parts.append(protect_breakdown(ctx, statistic(own, variable), variable, total=len(own))
                         .assign(weergave=variable))
    table = flagged(pd.concat(parts, ignore_index=True))
    table = withhold_national_benchmark(ctx, table, reported_wave(ctx), ("aantal", "aandeel"))
    return table[["weergave", "groep", "groep_label", *columns, "n", "aantal", "aandeel", SUPPRESSED, REASON,
                  BOUNDED]]


def composition_table(ctx: EditionContext, statistic, view: str | None = None,
                      hidden: dict | None = None) -> pd.DataFrame:
    """How the edition's teachers divide over the categories of `statistic`, after disclosure control.

    `statistic(df)` gives one row per category with the columns of
    :func:`helpers.stats.composition.distribution_of` (n: teachers with a
    category, aantal, aandeel). A category is a group of teachers, so it is
    protected like the groups of a breakdown (as in Katern C's composition
    table): the categories are the groups of the breakdown in the column
    `variabele`, so :func:`common.group_decision` decides which are shown:
    nationally, or in the benchmark rows of an institution edition, as
    national rows; for the institution, with its total, what it withholds
    edition-wide and the categories in `hidden` (those that make up a group
    withheld in another breakdown). A population below `min_n` is withheld
    whole. Views: `totaal` (national) or `vergelijking` (institution), or `view`.
    """
    parts = []
    for group, text, rows, first_view in _populations(ctx):
        part = statistic(rows).assign(groep=group, groep_label=text)
        n = int(part["n"].max()) if len(part) else 0
        if n < ctx.min_n:
            part = suppress_small_groups(part, ctx.min_n, value_columns=("aantal", "aandeel"), whole="categorie")
        else:
            own = group == "instelling"
            part = protect_breakdown(ctx, part, str(part["variabele"].iloc[0]), total=n, national=not own,
                                     group_column="categorie", n_column="aantal", value_columns=("aandeel",),
                                     whole="categorie", hidden=hidden if own else None)
        parts.append(part.assign(weergave=first_view))
    table = flagged(pd.concat(parts, ignore_index=True))
    table = withhold_national_benchmark(ctx, table, reported_wave(ctx), ("aantal", "aandeel"))
    table["weergave"] = view or table["weergave"]
    return table[["weergave", "groep", "groep_label", "variabele", "categorie", "categorie_label", "n", "aantal",
                  "aandeel", SUPPRESSED, REASON, BOUNDED]]
