"""Katern A chapter 1: the research model, the teachers it is about, and how to read the chapters."""
from __future__ import annotations

import pandas as pd
import pingouin as pg

from helpers.book.edition import EditionContext
from helpers.book.sentences import sentence_file
from helpers.chapters.common import (few_institutions_note, group_decision, institutions_per_type, type_decision,
                                     type_word)
from helpers.chapters.katern_a.common import BAND_LABELS, reported_wave, sample
from helpers.data.codebook import load_codebook
from helpers.data.derive import MEERWAARDE_VEEL_MIN, MEERWAARDE_WEINIG_MAX
from helpers.stats.pvalues import reported_p
from helpers.stats.association import ALPHA
from helpers.stats.scales import (CONFIDENCE, COHENS_H_THRESHOLDS, HEDGES_G_THRESHOLDS, NP2_THRESHOLDS,
                                  effect_size_label, is_notable)
from helpers.stats.typology import domain_scales, practice_score

P_COLUMN = "p_val"  # pingouin 0.7's name of the p-value column

SENTENCES = sentence_file("katern_a/a1_inleiding")


def notable_rule() -> str:
    """The book's one rule for a notable difference (`helpers.stats.scales.is_notable`), as the reader reads it."""
    return SENTENCES.say("opvallend", alfa=ALPHA, eta_klein=NP2_THRESHOLDS[0], g_klein=HEDGES_G_THRESHOLDS[0],
                         h_klein=COHENS_H_THRESHOLDS[0])


def model_paragraph() -> str:
    """The research model as the codebook holds it: domains, their kind and their scales."""
    cb = load_codebook()
    competence = [d for d, spec in cb.domains.items() if spec["soort"] == "competentie"]
    practice = [d for d, spec in cb.domains.items() if spec["soort"] == "praktijk"]
    count = {d: sum(s.domain == d for s in cb.scales.values()) for d in cb.domains}

    def listed(domains: list[str]) -> list[str]:
        return [SENTENCES.say("domein_met_schalen", domein=cb.domains[d]["label"], schalen=count[d]) for d in domains]

    return SENTENCES.say("model", schalen=len(cb.scales), domeinen=len(cb.domains), competentie=listed(competence),
                         praktijk=listed(practice))


def type_counts(ctx: EditionContext, rows: pd.DataFrame) -> list[str]:
    """The institutions of `rows` by type, e.g. ['roc: 24', 'ander type: 8']; [] if no type may be named.

    A count beside the type's short name, so no type needs a Dutch plural.

    Only the types :func:`type_decision` shows are named: a type of too few
    institutions would point to them, so it is counted with the other such
    types, as in every table of the edition.
    """
    counts = institutions_per_type(rows)
    decision = type_decision(ctx, counts)
    if not decision.shown:
        return []
    parts = [SENTENCES.say("instellingstype_aantal", type=type_word(ctx.type_labels.get(t, t)), instellingen=counts[t])
             for t in decision.shown]
    other = sum(counts[t] for t in decision.withheld)
    if other:
        parts.append(SENTENCES.say("ander_instellingstype_aantal", instellingen=other))
    return parts


def sample_paragraph(ctx: EditionContext) -> str:
    own, national = sample(ctx)
    wave = reported_wave(ctx)
    text = SENTENCES.say("steekproef", meting=wave, docenten=len(national),
                         instellingen=national["instelling"].nunique(), instellingstypen=type_counts(ctx, national),
                         volledig=int(national["volledig"].astype(bool).sum()))
    if not ctx.edition.is_national:
        # Fewer teachers than the threshold are not counted exactly.
        text += " " + SENTENCES.say("steekproef_instelling", instelling=ctx.title_md,
                                    deelnemers=len(own) if len(own) >= ctx.min_n else None, drempel=ctx.min_n,
                                    zelfde_type_noot=ctx.same_type_note(wave),
                                    weinig_instellingen_noot=few_institutions_note(ctx, wave))
    return text


def completion_table(ctx: EditionContext) -> pd.DataFrame:
    """Completers and early stoppers compared on each practice domain (national, Welch's t-test, Hedges' g, Holm).

    The two groups of a domain are a national breakdown (:func:`group_decision`): a domain is compared only
    where both are shown, so no mean or test rests on a group below the threshold.
    """
    _, national = sample(ctx)
    cb = load_codebook()
    done = national["volledig"].astype(bool)
    rows = []
    for domain, spec in cb.domains.items():
        if spec["soort"] != "praktijk":
            continue
        score = practice_score(national, domain_scales(domain, cb), cb)
        a, b = score[done].dropna(), score[~done].dropna()
        decision = group_decision(ctx, "volledig", {"true": len(a), "false": len(b)}, national=True)
        if len(a) < 2 or len(b) < 2 or len(decision.shown) < 2:
            continue
        test = pg.ttest(a, b, correction=True)
        rows.append(dict(domein=domain, domein_label=spec["label"], n_volledig=len(a), n_gestopt=len(b),
                         gemiddelde_volledig=float(a.mean()), gemiddelde_gestopt=float(b.mean()),
                         t=float(test["T"].iloc[0]), p=reported_p(float(test[P_COLUMN].iloc[0])),
                         hedges_g=float(pg.compute_effsize(a, b, eftype="hedges"))))
    table = pd.DataFrame(rows, columns=["domein", "domein_label", "n_volledig", "n_gestopt", "gemiddelde_volledig",
                                        "gemiddelde_gestopt", "t", "p", "hedges_g"])
    table["p_holm"] = pg.multicomp(table["p"].to_numpy(), method="holm")[1] if len(table) else []
    table["effect"] = [effect_size_label(g, "hedges_g") for g in table["hedges_g"]]
    table["opvallend"] = [is_notable(p, g, "hedges_g") for p, g in zip(table["p_holm"], table["hedges_g"])]
    return table


def completion_paragraph(table: pd.DataFrame) -> str:
    if table.empty:
        return SENTENCES.say("afmaken_niet_na_te_gaan")
    domains = [SENTENCES.say("domein_vergeleken", domein=r.domein_label, afgemaakt=r.gemiddelde_volledig,
                             gestopt=r.gemiddelde_gestopt, effect=r.effect) for r in table.itertuples()]
    higher = table.loc[table["opvallend"] & (table["hedges_g"] > 0), "domein_label"].tolist()
    return SENTENCES.say("afmaken", domeinen=domains, hoger=higher)


def reading_guide() -> str:
    """How the chapters report a scale and when they call a difference notable (the rule, stated once)."""
    levels = [text.split(" (")[0].lower() for text in BAND_LABELS.values()]
    low, high = load_codebook().score_range
    guide = SENTENCES.say("leeswijzer", laagste=low, hoogste=high, betrouwbaarheid=CONFIDENCE, niveaus=levels,
                          laag_tot=MEERWAARDE_WEINIG_MAX, hoog_vanaf=MEERWAARDE_VEEL_MIN)
    return f"{guide}\n\n{notable_rule()}"
