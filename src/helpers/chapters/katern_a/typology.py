"""Katern A chapter 8: koplopers, peloton and achterblijvers.

For lesgeven met ict and lesgeven over ict the book sorts teachers into three
types on fixed national cut-offs (:mod:`helpers.stats.typology`). The chapter
shows how large each type is (nationally; in an institution edition the
institution beside its benchmarks), the competence profile of each type (the
mean of every competence scale per type) and which of those differences are
notable (Welch's ANOVA by type, Holm over the chapter, the one notable rule).

An institution's types are groups of its teachers: they are shown only where
disclosure control allows (:func:`helpers.chapters.common.group_decision`),
the same groups in every table of the edition, and tested only as shown. Profiles and tests use the institution's own
teachers if it has at least `min_n` respondents, else the national ones.
"""
from __future__ import annotations

import pandas as pd

from helpers.book.disclosure import share_text, shown
from helpers.book.edition import EditionContext, kept
from helpers.book.sentences import sentence_file
from helpers.chapters.common import NATIONAL_VIEW_PREFIX, bar_views, sentence
from helpers.chapters.katern_a.common import (
    composition_table,
    mean_views,
    sample,
    scale_table,
    shown_groups,
    who,
)
from helpers.chapters.katern_a.domains import differences_shown
from helpers.data.derive import TYPOLOGY_COLUMNS, label
from helpers.stats.competence import competence_scales
from helpers.stats.composition import distribution_of
from helpers.stats.scales import SCALE_MAX, SCALE_MIN, group_differences
from helpers.stats.typology import ACHTERBLIJVERS, DOMAIN_TEXT, KOPLOPERS, PELOTON, TYPE_LABELS

TABLE_SHARES = "a8-typen"
TABLE_PROFILE = "a8-profiel"
TABLE_DIFFERENCES = "a8-verschillen"
SENTENCES = sentence_file("katern_a/a8_typologie")


def typologies(ctx: EditionContext) -> dict[str, str]:
    """{practice domain: typology column} of the typologies these data allow (a national model was fitted)."""
    return {domain: column for domain, column in TYPOLOGY_COLUMNS.items() if ctx.typology.get(domain) is not None}


def _own_data(ctx: EditionContext) -> tuple[pd.DataFrame, bool]:
    """(teachers the profiles and tests describe, whether they are the edition's own)."""
    own, national = sample(ctx)
    if ctx.edition.is_national or len(own) >= ctx.min_n:
        return own, True
    return national, False


# -- method ------------------------------------------------------------------------------
def method_paragraph(ctx: EditionContext) -> str:
    """How the types are formed, with the cut-offs of every typology (Dutch, computed)."""
    models = {domain: ctx.typology[domain] for domain in typologies(ctx)}
    if not models:
        return SENTENCES.say("geen_indeling")
    first = next(iter(models.values()))
    cut_offs = [{"domein": DOMAIN_TEXT[d], "onder": m.lower, "boven": m.upper} for d, m in models.items()]
    return SENTENCES.say(
        "indeling", domeinen=cut_offs, bovenste_kwantiel=first.upper_quantile, onderste_kwantiel=first.lower_quantile, meting=first.wave,
        schaal_min=SCALE_MIN, schaal_max=SCALE_MAX)


# -- how large is each type --------------------------------------------------------------
def shares_table(ctx: EditionContext) -> pd.DataFrame:
    """Share of each type among the teachers with a type, per typology (one view each), after disclosure control."""
    parts = []
    for domain, column in typologies(ctx).items():
        part = composition_table(ctx, distribution_of(column), view=column)
        parts.append(part.assign(domein=domain, domein_label=label(column)))
    if not parts:
        return pd.DataFrame(columns=["weergave", "domein", "domein_label", "groep", "groep_label", "variabele",
                                     "categorie", "categorie_label", "n", "aantal", "aandeel"])
    table = pd.concat(parts, ignore_index=True)
    first = ["weergave", "domein", "domein_label"]
    return table[first + [c for c in table.columns if c not in first]]


def share_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    """One bar chart per typology: {view title: figure}; a typology with nothing to show is left out."""
    views = {}
    order = list(TYPE_LABELS.values())
    for column, part in table.groupby("weergave", sort=False):
        inner = part.assign(weergave="totaal" if ctx.edition.is_national else "vergelijking")
        name = sentence(DOMAIN_TEXT[part["domein"].iloc[0]])
        title = f"Typen docenten in {DOMAIN_TEXT[part['domein'].iloc[0]]}"
        for view in bar_views(ctx, inner, "categorie_label", order, title).values():
            views[name] = view
    return views


def show_shares(ctx: EditionContext, table: pd.DataFrame) -> None:
    views = share_views(ctx, table)
    ctx.publish.views(TABLE_SHARES, table, views, description="Handelen")


def _share(table: pd.DataFrame, column: str, group: str, kind: str) -> str | None:
    """The share of a type in `group` as the reader sees it (bounded in a small group), or None if withheld."""
    rows = shown(table.loc[(table["weergave"] == column) & (table["groep"] == group)
                           & (table["categorie"] == kind)]).dropna(subset=["aandeel"])
    return None if rows.empty else share_text(rows.iloc[0])


def shares_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    """The size of the types: nationally, or the institution beside the national figures."""
    if table.empty:
        return SENTENCES.say("geen_typen")
    own_group = "totaal" if ctx.edition.is_national else "instelling"
    sentences = []
    for domain, column in typologies(ctx).items():
        rows = table.loc[(table["weergave"] == column) & (table["groep"] == own_group)]
        n = rows["n"].dropna()
        if n.empty:
            sentences.append(SENTENCES.say("te_weinig_voor_typen", instelling=ctx.title_md, domein=DOMAIN_TEXT[domain]))
            continue
        kinds = [{"soort": kind, "naam": TYPE_LABELS[kind], "aandeel": _share(table, column, own_group, kind),
                  "landelijk": _share(table, column, "landelijk", kind)}
                 for kind in (KOPLOPERS, PELOTON, ACHTERBLIJVERS)]
        sentences.append(SENTENCES.say("typen_grootte", wie=sentence(who(ctx)), docenten=int(n.iloc[0]),
                                       domein=DOMAIN_TEXT[domain], typen=kinds))
    return " ".join(sentences)


# -- competence profile of each type -----------------------------------------------------
@kept  # its tests take their groups from it
def profile_table(ctx: EditionContext) -> pd.DataFrame:
    """Every competence scale per type (own teachers, or nationally if the institution is too small)."""
    return scale_table(ctx, competence_scales(), by=list(typologies(ctx).values()), national_fallback=True)


def _profile_views(table: pd.DataFrame) -> list[str]:
    return [v for v in dict.fromkeys(table["weergave"])
            if v.removeprefix(NATIONAL_VIEW_PREFIX) in TYPOLOGY_COLUMNS.values()]


def show_profile(ctx: EditionContext, table: pd.DataFrame) -> None:
    part = table.loc[table["weergave"].isin(_profile_views(table))]
    views = mean_views(ctx, part, "Competenties per type")
    ctx.publish.views(TABLE_PROFILE, table, views, description="Typologie")


def differences_table(ctx: EditionContext) -> pd.DataFrame:
    """Welch's ANOVA of every competence scale by every typology, on the groups the profile table shows."""
    df, _ = _own_data(ctx)
    columns = list(typologies(ctx).values())
    return group_differences(df, competence_scales(), columns, groups=shown_groups(profile_table(ctx)))


def _means(table: pd.DataFrame, view: str, kind: str) -> pd.Series:
    rows = shown(table.loc[(table["weergave"] == view) & (table["groep"] == kind)]).dropna(subset=["gemiddelde"])
    return rows.set_index("schaal")["gemiddelde"].astype(float)


def profile_paragraph(ctx: EditionContext, profile: pd.DataFrame, differences: pd.DataFrame) -> str:
    """Koplopers against achterblijvers scale by scale, and the notable differences (Dutch, computed)."""
    _, own = _own_data(ctx)
    comparisons = []
    for domain, column in typologies(ctx).items():
        view = column if own else NATIONAL_VIEW_PREFIX + column
        high, low = _means(profile, view, KOPLOPERS), _means(profile, view, ACHTERBLIJVERS)
        both = high.index.intersection(low.index)
        comparisons.append({"domein": DOMAIN_TEXT[domain], "schalen": len(both),
                            "hoger": int((high[both] > low[both]).sum())})
    text = SENTENCES.say("profiel", instelling=ctx.title_md, eigen=own, wie=who(ctx, own), vergelijkingen=comparisons)
    notable = differences.loc[differences["opvallend"]] if len(differences) else differences
    largest = None
    if len(notable):
        top = notable.sort_values("np2", ascending=False, kind="stable").iloc[0]
        view = top["variabele"] if own else NATIONAL_VIEW_PREFIX + top["variabele"]
        largest = {"schaal": top["schaal_label"], "effect": top["effect"],
                   "domein": DOMAIN_TEXT[next(d for d, c in TYPOLOGY_COLUMNS.items() if c == top["variabele"])],
                   "koplopers": _means(profile, view, KOPLOPERS).get(top["schaal"]),
                   "achterblijvers": _means(profile, view, ACHTERBLIJVERS).get(top["schaal"])}
    tests = SENTENCES.say("profiel_toetsen", getoetst=len(differences), opvallend=len(notable), grootste=largest)
    return " ".join(part for part in (text, tests) if part)


def show_differences(ctx: EditionContext, differences: pd.DataFrame) -> None:
    if differences["opvallend"].any():
        ctx.publish.table(TABLE_DIFFERENCES, differences, differences_shown(differences))
    else:
        ctx.publish.record(TABLE_DIFFERENCES, differences)
