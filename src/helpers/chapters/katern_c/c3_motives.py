"""Katern C chapter 3: what motivates teachers to take part in professionalisation.

Shares are among the teachers who answered the open question (coded into
nine categories). Example quotes come only from the reviewed quotes file
(`helpers.data.quotes`), never from the answers themselves, and only where the
answering group is at or above the privacy threshold.
"""
from __future__ import annotations

import pandas as pd

from helpers.book.disclosure import bound_shares
from helpers.book.edition import EditionContext, kept
from helpers.book.escaping import markdown_text
from helpers.book.sentences import sentence_file
from helpers.chapters.common import (
    bar_views,
    differences_shown,
    edition_table,
    largest_differences,
    national_benchmark_withheld,
    reported_wave,
    sample,
    tested_rows,
)
from helpers.data.codebook import load_codebook
from helpers.data.derive import MEERWAARDE_GROUP, PROF_GROUP, TYPOLOGY_MET
from helpers.data.quotes import approved_quotes, load_quotes, quotes_allowed
from helpers.stats.association import ALPHA, associations, deviating_groups
from helpers.stats.motives import answered, motive_frequencies, motive_order

BREAKDOWNS = ["functie", "vak", PROF_GROUP, TYPOLOGY_MET, MEERWAARDE_GROUP]
SENTENCES = sentence_file("katern_c/c3_motieven")


def _frequencies(df: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    return motive_frequencies(df, by).rename(columns={"n_antwoorders": "n"})


def answerers(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(own, national) teachers in the Katern C sample who answered the motive question."""
    own, national = sample(ctx)
    return answered(own), answered(national)


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def motive_table(ctx: EditionContext) -> pd.DataFrame:
    """Share of answerers naming each motive category, per view."""
    _, national = answerers(ctx)
    return edition_table(ctx, _frequencies, ["motief", "motief_label"], BREAKDOWNS, data=national)


def motive_views(ctx: EditionContext, table: pd.DataFrame) -> dict:
    _, national = answerers(ctx)
    cb = load_codebook()
    order = [cb.motives[m] for m in motive_order(national)]
    return bar_views(ctx, table, "motief_label", order, "Genoemde motieven")


def frequency_paragraph(ctx: EditionContext) -> str:
    own, national = answerers(ctx)
    cb = load_codebook()
    _, all_national = sample(ctx)
    order = motive_order(national)
    shares = _frequencies(national).set_index("motief")["aandeel"]
    if national_benchmark_withheld(ctx, reported_wave(ctx)):  # the national figures are not beside this institution
        if len(own) < ctx.min_n:
            return SENTENCES.say("frequentie_alleen_eigen_te_weinig", instelling=ctx.title_md, drempel=ctx.min_n)
        return SENTENCES.say("frequentie_alleen_eigen", instelling=ctx.title_md, antwoorders=len(own),
                             eerste=cb.motives[motive_order(own)[0]])

    def motive(code: str) -> dict:
        return {"naam": cb.motives[code], "aandeel": shares[code]}

    text = SENTENCES.say("frequentie_landelijk", antwoorders=len(national), docenten=len(all_national),
                         eerste=motive(order[0]), tweede=motive(order[1]), laatste=motive(order[-1]))
    if not ctx.edition.is_national:
        if len(own) >= ctx.min_n:
            text += " " + SENTENCES.say("frequentie_eigen", instelling=ctx.title_md, antwoorders=len(own),
                                        eerste=cb.motives[motive_order(own)[0]])
        else:
            text += " " + SENTENCES.say("frequentie_eigen_te_weinig", instelling=ctx.title_md, drempel=ctx.min_n)
    return text


def quotes_section(ctx: EditionContext) -> str:
    """Per motive (most named first), its share and up to two reviewed example quotes."""
    own, national = answerers(ctx)
    cb = load_codebook()
    shares = _frequencies(national).set_index("motief")["aandeel"]
    group = own if not ctx.edition.is_national else national
    show_quotes = quotes_allowed(len(group), ctx.min_n)
    quotes = load_quotes() if show_quotes else None
    lines = []
    for motive in motive_order(national):
        line = "- " + SENTENCES.say("motief_regel", motief=cb.motives[motive], aandeel=shares[motive])
        if show_quotes:
            examples = [f"“…{markdown_text(q)}”" for q in approved_quotes(quotes, motive, k=2)]
            if examples:
                line += ": " + " ".join(examples)
        lines.append(line)
    if show_quotes:
        intro = SENTENCES.say("citaten_inleiding")
    else:
        intro = SENTENCES.say("citaten_inleiding_zonder_citaten", drempel=ctx.min_n)
    return intro + "\n\n" + "\n".join(lines)


def difference_table(ctx: EditionContext) -> pd.DataFrame:
    """Groups naming a motive significantly more or less often (chi-square, adjusted residuals, Holm)."""
    own, _ = answerers(ctx)
    groups = deviating_groups(tested_rows(ctx, own, BREAKDOWNS), list(load_codebook().motives), BREAKDOWNS)
    return bound_shares(groups, "n_groep", ["aandeel_groep"], [])


def difference_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    own, _ = answerers(ctx)
    institution = "" if ctx.edition.is_national else ctx.title_md
    if table.empty:
        return SENTENCES.say("geen_verschillen", instelling=institution)
    largest = largest_differences(table, "noemen", "uitkomst_label", "aandeel_totaal", len(own),
                                  " " + SENTENCES.say("grootste_verschillen_achtervoegsel"))
    text = SENTENCES.say("verschillen", instelling=institution, grootste=largest)
    tests = associations(tested_rows(ctx, own, [TYPOLOGY_MET]), list(load_codebook().motives),
                         [TYPOLOGY_MET])
    tests = tests.dropna(subset=["p_holm"])
    if len(tests):
        significant = int((tests["p_holm"] <= ALPHA).sum())
        text += " " + SENTENCES.say("typologie_toetsen", significant=significant, getoetst=len(tests))
    return text


def differences_for_reader(table: pd.DataFrame) -> pd.DataFrame:
    return differences_shown(table, "Motief")
