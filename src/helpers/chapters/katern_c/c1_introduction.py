"""Katern C chapter 1: the question and the teachers it is about.

Shows the composition of the Katern C sample by background characteristics:
nationally, and for an institution beside its benchmarks. A category with
fewer than `min_n` teachers is a small group too, so in composition tables the
category count is what disclosure control protects.
"""
from __future__ import annotations

import pandas as pd

from helpers.book.disclosure import BOUNDED, REASON, SUPPRESSED
from helpers.book.edition import EditionContext
from helpers.book.sentences import sentence_file
from helpers.chapters.common import (
    bar_views,
    few_institutions_note,
    edition_table,
    protect_breakdown,
    reported_wave,
    sample,
)
from helpers.data.derive import INSTITUTION_TYPE, label
from helpers.stats.composition import distribution_of

VARIABLES = ["functie", "ervaring", "leeftijd", "vak", "domein", INSTITUTION_TYPE]
SENTENCES = sentence_file("katern_c/c1_inleiding")


def composition_table(ctx: EditionContext) -> pd.DataFrame:
    """Composition of the Katern C sample per background variable (one view per variable)."""
    variables = VARIABLES if ctx.edition.is_national else [v for v in VARIABLES if v != INSTITUTION_TYPE]
    parts = []
    for variable in variables:
        table = edition_table(ctx, distribution_of(variable), ["variabele", "categorie", "categorie_label"], [],
                              bound=False)
        protected = []
        for code, group in table.groupby("groep", sort=False):
            if group[SUPPRESSED].astype(bool).all():  # the whole group is below the threshold: withheld, flagged
                protected.append(group)
                continue
            group = group.drop(columns=[SUPPRESSED, REASON, BOUNDED])
            # The institution hides the categories it hides in every other table of the edition.
            whole = group["n"].dropna()  # missing: the group itself is below the threshold
            total = None if whole.empty else int(whole.max())
            protected.append(protect_breakdown(ctx, group, variable, total=total, national=code != "instelling",
                                               group_column="categorie", n_column="aantal", value_columns=("aandeel",),
                                               whole="categorie"))
        parts.append(pd.concat(protected).assign(weergave=variable))
    table = pd.concat(parts, ignore_index=True)
    table[BOUNDED] = table[BOUNDED].fillna("")
    return table


def composition_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    views = {}
    for variable, part in table.groupby("weergave", sort=False):
        order = list(dict.fromkeys(part["categorie_label"]))
        inner = part.assign(weergave="vergelijking" if not ctx.edition.is_national else "totaal")
        for view in bar_views(ctx, inner, "categorie_label", order, label(variable)).values():
            views[label(variable)] = view
    return views


def sample_paragraph(ctx: EditionContext) -> str:
    own, national = sample(ctx)
    wave = reported_wave(ctx)
    wave_rows = ctx.national[ctx.national["meting"] == wave]
    functie = national["functie"].astype(str).value_counts(normalize=True)
    age = (national["leeftijd"].astype(str) == "60plus").mean()
    text = SENTENCES.say("steekproef", meting=wave, ingevuld=len(wave_rows),
                         instellingen=wave_rows["instelling"].nunique(), zo_ver=len(national),
                         docent=functie.get("docent", 0), instructeur=functie.get("instructeur", 0),
                         overig=functie.get("overig", 0), zestig_plus=age)
    if not ctx.edition.is_national:
        if len(own) >= ctx.min_n:
            text += " " + SENTENCES.say("steekproef_eigen", instelling=ctx.title_md, aantal=len(own))
        else:
            text += " " + SENTENCES.say("steekproef_eigen_te_weinig", instelling=ctx.title_md, drempel=ctx.min_n)
        text += " " + ctx.same_type_note(wave)
        note = few_institutions_note(ctx, wave)
        text += f" {note}" if note else ""
    return text


def completion_paragraph(ctx: EditionContext) -> str:
    """How completers differ from those who stopped early (lesgeven met ict)."""
    wave_rows = ctx.national[ctx.national["meting"] == reported_wave(ctx)]
    practice = [c for c in wave_rows.columns if c.startswith("met_") and c[-1].isdigit()]
    means = wave_rows[practice].astype("Float64").mean(axis=1)
    done = means[wave_rows["volledig"].astype(bool)].mean()
    stopped = means[~wave_rows["volledig"].astype(bool)].mean()
    return SENTENCES.say("afmaken", afgemaakt=done, gestopt=stopped)
