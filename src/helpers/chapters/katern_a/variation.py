"""Katern A chapter 11: differences between and within institutions.

How the differences between teachers divide over three levels -- between
institutions, between teams within an institution, between teachers within a
team -- per practice domain and per competence domain (a null multilevel
model, :func:`helpers.stats.scales.variance_shares`). It is about the national
picture, so it uses the national data of the reported wave in every edition
and names no institution. The national edition also shows how the institution
means on lesgeven met ict spread, anonymously: no names, no codes, each
institution labelled by its type only where the type points to no
institution (:func:`helpers.chapters.common.type_decision`), and only
institutions with at least `min_n` teachers with a score.
"""
from __future__ import annotations

import pandas as pd

from helpers.book.disclosure import REASON, SUPPRESSED, shown, suppress_small_groups
from helpers.book.edition import MIN_OTHER_INSTITUTIONS, EditionContext
from helpers.book.figures import drawn, ranked_intervals, stacked_shares
from helpers.book.sentences import sentence_file
from helpers.chapters.common import institutions_per_type, type_decision, type_word, variance_share
from helpers.chapters.katern_a.common import sample
from helpers.data.codebook import load_codebook
from helpers.data.derive import INSTITUTION_TYPE
from helpers.data.waves import scale_asked
from helpers.core.memo import shared
from helpers.stats.scales import practice_domains, score_means, variance_shares
from helpers.stats.typology import practice_score

TABLE_SHARES = "a11-variantie"
TABLE_INSTITUTIONS = "a11-instellingen"
INSTITUTION_DOMAIN = "met"  # the domain whose institution means the national edition shows
OTHER_TYPE, OTHER_TYPE_LABEL = "overig", "ander type"
LEVELS = {
    "aandeel_instelling": "Tussen instellingen",
    "aandeel_team": "Tussen teams binnen een instelling",
    "aandeel_docent": "Tussen docenten binnen een team",
}
SENTENCES = sentence_file("katern_a/a11_verschillen_instellingen")
SHARE_COLUMNS = ["domein", "domein_label", "soort", "n", "n_instellingen", "n_teams", "var_instelling", "var_team",
                 "var_docent", "aandeel_instelling", "aandeel_team", "aandeel_docent", "aandeel_binnen",
                 "optimalisatie", "reden"]


def domains() -> list[str]:
    """Practice domains first (what teachers do), then the competence domains, each in codebook order."""
    cb = load_codebook()
    practice = practice_domains(cb)
    return practice + [d for d in cb.domains if d not in practice]


def _scales(domain: str, rows: pd.DataFrame) -> list[str]:
    """The domain's scales asked in the wave of `rows`: the score of the domain in that wave."""
    return [sid for sid, s in load_codebook().scales.items() if s.domain == domain and scale_asked(rows, sid)]


@shared
def _variance_rows(frame: pd.DataFrame, scales: dict) -> pd.DataFrame:
    """`variance_shares` of every domain; computed once per build (the same national rows in every edition)."""
    cb = load_codebook()
    rows = []
    for domain, domain_scales in scales.items():
        result = variance_shares(frame, domain_scales, cb) if domain_scales else None
        if result is None:
            continue
        rows.append(dict(domein=domain, domein_label=cb.domains[domain]["label"], soort=cb.domains[domain]["soort"],
                         **result))
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    table["aandeel_binnen"] = table["aandeel_team"] + table["aandeel_docent"]
    return table[SHARE_COLUMNS]


def shares_table(ctx: EditionContext) -> pd.DataFrame:
    """Per domain the share of the variance at institution, team and teacher level (national, reported wave)."""
    _, national = sample(ctx)
    scales = {domain: _scales(domain, national) for domain in domains()}
    items = [item for domain_scales in scales.values() for sid in domain_scales
             for item in load_codebook().scales[sid].items if item in national.columns]
    frame = national[["instelling", *(["team"] if "team" in national.columns else []), *items]]
    return _variance_rows(frame, scales)


def _range(values: pd.Series) -> dict:
    return {"laag": int(values.min()), "hoog": int(values.max())}


def show_shares(ctx: EditionContext, table: pd.DataFrame) -> None:
    rows = table.dropna(subset=["aandeel_instelling"])
    if rows.empty:
        ctx.publish.record(TABLE_SHARES, table)
        return
    # National, the same in every edition: drawn once per build.
    fig = drawn(stacked_shares, rows, "domein_label", LEVELS, SENTENCES.say("figuur_verdeling"),
                category_order=rows["domein_label"].tolist(), axis_label="Percentage van de verschillen (variantie)")
    ctx.publish.figure(TABLE_SHARES, table, fig)


def shares_paragraph(table: pd.DataFrame) -> str:
    """Whether the differences within institutions are larger than between them, as the data say (Dutch)."""
    rows = table.dropna(subset=["aandeel_instelling"])
    if rows.empty:
        return SENTENCES.say("verdeling_onbekend", redenen=table["reden"].dropna().unique().tolist())
    within = rows.loc[rows["aandeel_binnen"] > rows["aandeel_instelling"]]
    most = rows.loc[rows["aandeel_instelling"].idxmax()]
    return SENTENCES.say(
        "verdeling", docenten=_range(rows["n"]), instellingen=_range(rows["n_instellingen"]),
        teams=_range(rows["n_teams"]), domeinen=len(rows), binnen=len(within),
        hoogste_tussen=variance_share(most["aandeel_instelling"]), hoogste_tussen_domein=most["domein_label"],
        laagste_binnen=variance_share(rows["aandeel_binnen"].min()),
        andersom=rows.loc[~rows.index.isin(within.index), "domein_label"].tolist(),
        teams_groter=int((rows["aandeel_team"] > rows["aandeel_instelling"]).sum()),
        docent_laag=variance_share(rows["aandeel_docent"].min()),
        docent_hoog=variance_share(rows["aandeel_docent"].max()))


# -- national edition only: the institution means side by side ---------------------------
def institutions_table(ctx: EditionContext) -> pd.DataFrame | None:
    """Mean and 95% interval of lesgeven met ict per institution, anonymous: rank and type, no name, no code.

    National edition only (None elsewhere). An institution with fewer than
    `min_n` scores is withheld. Shown institutions are ranked by their mean.
    """
    if not ctx.edition.is_national:
        return None
    _, national = sample(ctx)
    scales = _scales(INSTITUTION_DOMAIN, national)
    means = score_means(national, scales, "instelling")
    first = national.dropna(subset=["instelling"]).drop_duplicates("instelling")
    kinds = dict(zip(first["instelling"].astype(str), first[INSTITUTION_TYPE].astype(object)))
    labels = ctx.type_labels
    means["type"] = means["groep"].map(kinds)
    in_figure = national.loc[national["instelling"].astype(str).isin(means.loc[means["n"] >= ctx.min_n, "groep"])]
    # A type is named only where it points to no institution; every other institution is of 'ander type'.
    named = type_decision(ctx, institutions_per_type(in_figure)).shown
    means["type"] = means["type"].where(means["type"].isin(named), OTHER_TYPE)
    means["type_label"] = means["type"].map(lambda t: OTHER_TYPE_LABEL if t == OTHER_TYPE
                                            else type_word(labels.get(t, str(t))))
    protected = suppress_small_groups(means, ctx.min_n, value_columns=("gemiddelde", "sd", "ci_laag", "ci_hoog"))
    visible = protected.loc[~protected[SUPPRESSED]].sort_values("gemiddelde", ascending=False, kind="stable")
    # A withheld institution is not in the figure: no type beside it either (its type is not counted there).
    withheld = protected.loc[protected[SUPPRESSED]].assign(type="", type_label="")
    visible = visible.assign(rang=range(1, len(visible) + 1))
    table = pd.concat([visible, withheld.assign(rang=pd.NA)], ignore_index=True)
    table["rang"] = table["rang"].astype("Int64")
    return table[["rang", "type", "type_label", "n", "gemiddelde", "sd", "ci_laag", "ci_hoog", SUPPRESSED, REASON]]


def _national_mean(ctx: EditionContext) -> float:
    _, national = sample(ctx)
    return float(practice_score(national, _scales(INSTITUTION_DOMAIN, national)).mean())


def show_institutions(ctx: EditionContext, table: pd.DataFrame | None) -> None:
    if table is None:
        return
    rows = shown(table).dropna(subset=["gemiddelde"])
    if rows.empty:
        ctx.publish.record(TABLE_INSTITUTIONS, table)
        return
    domain = load_codebook().domains[INSTITUTION_DOMAIN]["label"]
    kinds = [t for t in [*(type_word(v) for v in ctx.type_labels.values()), OTHER_TYPE_LABEL]
             if t in set(rows["type_label"])]
    fig = ranked_intervals(rows, "type_label", f"{domain}: gemiddelde per instelling", hue="type_label",
                           hue_order=kinds, reference=_national_mean(ctx), reference_label="Alle docenten")
    ctx.publish.figure(TABLE_INSTITUTIONS, table, fig)


def institutions_paragraph(ctx: EditionContext, table: pd.DataFrame | None) -> str:
    """The spread of the institution means (national edition); elsewhere why the figure is left out."""
    domain = load_codebook().domains[INSTITUTION_DOMAIN]["label"]
    if table is None:
        return SENTENCES.say("instellingen_niet_in_deze_editie", domein=domain)
    rows = shown(table).dropna(subset=["gemiddelde"])
    if rows.empty:
        return SENTENCES.say("geen_instelling_te_tonen", domein=domain)
    mean = _national_mean(ctx)
    return SENTENCES.say(
        "instellingen", getoond=len(rows), drempel=ctx.min_n, domein=domain, laagste=rows["gemiddelde"].min(),
        hoogste=rows["gemiddelde"].max(), alle_docenten=mean, ander_type=bool((rows["type"] == OTHER_TYPE).any()),
        min_instellingen_per_type=MIN_OTHER_INSTITUTIONS, ander_type_label=OTHER_TYPE_LABEL,
        boven=int((rows["ci_laag"] > mean).sum()), onder=int((rows["ci_hoog"] < mean).sum()),
        weggelaten=int(table[SUPPRESSED].sum()))
