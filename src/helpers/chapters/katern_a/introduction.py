"""Katern A chapter 1: the research model, the teachers it is about, and how to read the chapters."""
from __future__ import annotations

import pandas as pd
import pingouin as pg

from helpers.core import dutch
from helpers.book.edition import EditionContext
from helpers.chapters.common import (few_institutions_note, group_decision, institutions_per_type, type_decision,
                                     type_word)
from helpers.chapters.katern_a.common import BAND_LABELS, reported_wave, sample
from helpers.data.codebook import load_codebook
from helpers.data.derive import MEERWAARDE_VEEL_MIN, MEERWAARDE_WEINIG_MAX
from helpers.stats.pvalues import reported_p
from helpers.stats.association import ALPHA
from helpers.stats.scales import (COHENS_H_THRESHOLDS, HEDGES_G_THRESHOLDS, NP2_THRESHOLDS, effect_size_label,
                                  is_notable)
from helpers.stats.typology import domain_scales, practice_score

P_COLUMN = "p_val"  # pingouin 0.7's name of the p-value column

#: The book's one rule for a notable difference (`helpers.stats.scales.is_notable`), as the reader reads it.
NOTABLE_RULE = (
    f"Een verschil heet in dit boek opvallend als het na Holm-correctie voor het aantal toetsen "
    f"significant is (p < {dutch.decimal(ALPHA, 2)}) én het effect minstens klein is: een partiële "
    f"eta-kwadraat van ten minste {dutch.decimal(NP2_THRESHOLDS[0], 2)} bij een vergelijking van "
    f"alle groepen van een kenmerk, of een Hedges' g van ten minste {dutch.decimal(HEDGES_G_THRESHOLDS[0], 1)} "
    f"(positief of negatief) bij een vergelijking van twee groepen, of een Cohen's h van ten minste "
    f"{dutch.decimal(COHENS_H_THRESHOLDS[0], 1)} bij twee aandelen. Een significant maar verwaarloosbaar "
    f"verschil heet niet opvallend."
)


def model_paragraph() -> str:
    """The research model as the codebook holds it: domains, their kind and their scales."""
    cb = load_codebook()
    competence = [d for d, spec in cb.domains.items() if spec["soort"] == "competentie"]
    practice = [d for d, spec in cb.domains.items() if spec["soort"] == "praktijk"]
    count = {d: sum(s.domain == d for s in cb.scales.values()) for d in cb.domains}
    return (
        f"De monitor meet met {dutch.integer(len(cb.scales))} schalen, verdeeld over "
        f"{dutch.integer(len(cb.domains))} domeinen. Daarvan gaan er {dutch.integer(len(competence))} over wat "
        f"docenten vinden en kunnen: "
        + dutch.join([f"{cb.domains[d]['label'].lower()} ({dutch.count_word(count[d], 'schaal', 'schalen')})"
                        for d in competence])
        + f". De andere {dutch.integer(len(practice))} gaan over wat docenten in hun lessen doen: "
        + dutch.join([f"{cb.domains[d]['label'].lower()} ({dutch.count_word(count[d], 'schaal', 'schalen')})"
                        for d in practice])
        + ". De hoofdstukken hierna volgen die domeinen een voor een."
    )


def _count(n: int, min_n: int) -> str:
    return dutch.integer(n) if n >= min_n else f"minder dan {dutch.integer(min_n)}"


def type_counts_text(ctx: EditionContext, rows: pd.DataFrame) -> str:
    """The institutions of `rows` by type, e.g. 'roc: 24 en ander type: 8'; '' if no type may be named.

    A count beside the type's short name, so no type needs a Dutch plural.

    Only the types :func:`type_decision` shows are named: a type of too few
    institutions would point to them, so it is counted with the other such
    types, as in every table of the edition.
    """
    counts = institutions_per_type(rows)
    decision = type_decision(ctx, counts)
    if not decision.shown:
        return ""
    parts = [f"{type_word(ctx.type_labels.get(t, t))}: {dutch.integer(counts[t])}" for t in decision.shown]
    other = sum(counts[t] for t in decision.withheld)
    if other:
        parts.append(f"ander type: {dutch.integer(other)}")
    return dutch.join(parts)


def sample_paragraph(ctx: EditionContext) -> str:
    own, national = sample(ctx)
    wave = reported_wave(ctx)
    kinds = type_counts_text(ctx, national)
    completed = int(national["volledig"].astype(bool).sum())
    text = (
        f"Dit katern beschrijft de meting van {wave}: {dutch.integer(len(national))} docenten van "
        f"{dutch.integer(national['instelling'].nunique())} mbo-instellingen{f' ({kinds})' if kinds else ''} gaven "
        "bruikbare antwoorden. "
        f"Van hen vulden er {dutch.integer(completed)} de vragenlijst helemaal in; wie eerder stopte, telt mee bij de "
        "vragen die hij wel beantwoordde."
    )
    if not ctx.edition.is_national:
        text += (f" Van {ctx.title_md} deden {_count(len(own), ctx.min_n)} docenten mee. "
                 + ctx.same_type_note(wave))
        note = few_institutions_note(ctx, wave)
        text += f" {note}" if note else ""
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
        return "In deze meting is niet na te gaan of wie de vragenlijst afmaakte anders lesgeeft dan wie eerder stopte."
    parts = [f"{r.domein_label.lower()} gemiddeld {dutch.decimal(r.gemiddelde_volledig, 1)} tegen "
             f"{dutch.decimal(r.gemiddelde_gestopt, 1)} ({r.effect} effect)" for r in table.itertuples()]
    text = ("Wie de vragenlijst afmaakte, is vergeleken met wie eerder stopte maar de vragen over de lespraktijk nog "
            "wel beantwoordde: " + "; ".join(parts) + ". ")
    higher = table.loc[table["opvallend"] & (table["hedges_g"] > 0), "domein_label"].str.lower().tolist()
    if higher:
        return text + (f"Wie doorzette, scoort opvallend hoger op {dutch.join(higher)}; bij de vragen aan het eind "
                       "van de vragenlijst is het beeld daardoor mogelijk wat gunstiger dan onder alle docenten.")
    return text + "Die verschillen zijn niet opvallend: wie eerder stopte, vertekent het beeld nauwelijks."


def reading_guide() -> str:
    """How the chapters report a scale and when they call a difference notable (the rule, stated once)."""
    labels = [text.split(" (")[0].lower() for text in BAND_LABELS.values()]
    low, high = load_codebook().score_range
    return (
        f"Elke schaal loopt van {low} tot {high}. De hoofdstukken tonen per schaal het gemiddelde met een "
        "95%-betrouwbaarheidsinterval: de marge waarbinnen het gemiddelde van alle docenten die de ondervraagden "
        "vertegenwoordigen, waarschijnlijk ligt. Daarnaast staat hoe de docenten verdeeld zijn over drie "
        f"niveaus: {labels[0]} (een gemiddelde van hoogstens {dutch.decimal(MEERWAARDE_WEINIG_MAX, 1)}), "
        f"{labels[1]} en {labels[2]} (minstens {dutch.decimal(MEERWAARDE_VEEL_MIN, 1)}).\n\n"
        f"{NOTABLE_RULE}"
    )
