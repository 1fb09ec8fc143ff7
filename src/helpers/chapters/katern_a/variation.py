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

from helpers.core import dutch
from helpers.book.disclosure import REASON, SUPPRESSED, shown, suppress_small_groups
from helpers.book.edition import MIN_OTHER_INSTITUTIONS, EditionContext
from helpers.book.figures import drawn, ranked_intervals, stacked_shares
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


def _range(values: pd.Series, noun: str) -> str:
    """'307 docenten' or '295 tot 307 docenten'."""
    low, high = int(values.min()), int(values.max())
    return f"{dutch.integer(high)} {noun}" if low == high else f"{dutch.integer(low)} tot {dutch.integer(high)} {noun}"


def show_shares(ctx: EditionContext, table: pd.DataFrame) -> None:
    rows = table.dropna(subset=["aandeel_instelling"])
    if rows.empty:
        ctx.publish.record(TABLE_SHARES, table)
        return
    # National, the same in every edition: drawn once per build.
    fig = drawn(stacked_shares, rows, "domein_label", LEVELS, "Waar zitten de verschillen tussen docenten?",
                category_order=rows["domein_label"].tolist(), axis_label="Percentage van de verschillen (variantie)")
    ctx.publish.figure(TABLE_SHARES, table, fig)


def shares_paragraph(table: pd.DataFrame) -> str:
    """Whether the differences within institutions are larger than between them, as the data say (Dutch)."""
    rows = table.dropna(subset=["aandeel_instelling"])
    if rows.empty:
        reasons = table["reden"].dropna().unique().tolist()
        return ("Met deze gegevens is niet te bepalen hoe de verschillen over instellingen, teams en docenten "
                "verdeeld zijn" + (f" ({'; '.join(r.lower() for r in reasons)})." if reasons else "."))
    total = len(rows)
    count = "beide" if total == 2 else f"alle {dutch.integer(total)}"
    within = rows.loc[rows["aandeel_binnen"] > rows["aandeel_instelling"]]
    most = rows.loc[rows["aandeel_instelling"].idxmax()]
    text = (f"Per domein tellen de docenten mee die alle vragen van dat domein beantwoordden: "
            f"{_range(rows['n'], 'docenten')} in {_range(rows['n_instellingen'], 'instellingen')} en "
            f"{_range(rows['n_teams'], 'teams')}. ")
    if len(within) == total:
        text += (f"In {count} domeinen liggen de verschillen tussen docenten vooral binnen instellingen: tussen "
                 f"instellingen ligt hooguit {variance_share(most['aandeel_instelling'])} van de verschillen "
                 f"(bij {most['domein_label'].lower()}), binnen instellingen steeds minstens "
                 f"{variance_share(rows['aandeel_binnen'].min())}. ")
    elif within.empty:
        text += (f"In geen van de {dutch.integer(total)} domeinen zijn de verschillen binnen instellingen groter dan "
                 "die tussen instellingen. ")
    else:
        other = rows.loc[~rows.index.isin(within.index), "domein_label"].str.lower().tolist()
        text += (f"In {dutch.integer(len(within))} van de {dutch.integer(total)} domeinen liggen de verschillen "
                 f"vooral binnen instellingen; bij {dutch.join(other)} is het andersom. ")
    teams = int((rows["aandeel_team"] > rows["aandeel_instelling"]).sum())
    if teams == total:
        text += (f"Ook alleen al de verschillen tussen teams van dezelfde instelling zijn in {count} domeinen groter "
                 "dan die tussen instellingen. ")
    elif teams:
        text += (f"De verschillen tussen teams van dezelfde instelling zijn in {dutch.integer(teams)} van de "
                 f"{dutch.integer(total)} domeinen groter dan die tussen instellingen. ")
    else:
        text += ("De verschillen tussen teams van dezelfde instelling zijn in geen enkel domein groter dan die tussen "
                 "instellingen. ")
    teachers = rows["aandeel_docent"]
    text += (f"Het grootste deel ligt tussen docenten van hetzelfde team: {variance_share(teachers.min())} tot "
             f"{variance_share(teachers.max())}. ")
    if len(within) == total:
        return text + ("Dat bevestigt de bevinding van de oorspronkelijke publicatie van Katern A: de verschillen "
                       "binnen instellingen zijn groter dan die tussen instellingen.")
    return text + ("Dat wijkt af van de bevinding van de oorspronkelijke publicatie van Katern A, namelijk dat de "
                   "verschillen binnen instellingen groter zijn dan die tussen instellingen.")


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


def _institutions(n: int) -> str:
    return "geen enkele instelling" if n == 0 else dutch.count_word(n, "instelling", "instellingen")


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
    domain = load_codebook().domains[INSTITUTION_DOMAIN]["label"].lower()
    if table is None:
        return (f"In de landelijke editie staat hier ook hoe de gemiddelden van de instellingen op {domain} "
                "uiteenlopen, zonder namen. Die figuur gaat over andere instellingen en ontbreekt daarom in deze editie.")
    rows = shown(table).dropna(subset=["gemiddelde"])
    if rows.empty:
        return f"Geen enkele instelling heeft genoeg docenten met een score op {domain} om te tonen."
    mean = _national_mean(ctx)
    above = int((rows["ci_laag"] > mean).sum())
    below = int((rows["ci_hoog"] < mean).sum())
    withheld = int(table[SUPPRESSED].sum())
    text = (f"De figuur zet de {dutch.integer(len(rows))} instellingen met minstens {dutch.integer(ctx.min_n)} "
            f"docenten met een score op {domain} naast elkaar, zonder namen, alleen met hun type. Hun gemiddelden lopen uiteen "
            f"van {dutch.decimal(rows['gemiddelde'].min(), 1)} tot {dutch.decimal(rows['gemiddelde'].max(), 1)}; "
            f"alle docenten samen scoren gemiddeld {dutch.decimal(mean, 1)}. ")
    if (rows["type"] == OTHER_TYPE).any():
        text += (f"Een type met minder dan {dutch.integer(MIN_OTHER_INSTITUTIONS)} instellingen, in de meting of in "
                 f"de figuur, heet ‘{OTHER_TYPE_LABEL}’, en zo nodig ook het type met de minste instellingen daarna, "
                 "zodat het type geen instelling aanwijst. ")
    if above == below == 0:
        text += ("Bij geen enkele instelling ligt het hele interval boven of onder dat gemiddelde: de verschillen "
                 "tussen de instellingen zijn klein vergeleken met de onzekerheid van hun gemiddelden.")
    else:
        rest = len(rows) - above - below
        text += (f"Bij {_institutions(above)} ligt het hele interval boven dat gemiddelde, bij {_institutions(below)} "
                 "eronder" + (f"; bij {_institutions(rest)} is het verschil met het gemiddelde niet met zekerheid te "
                              "zeggen." if rest else "."))
    if withheld:
        text += (f" {dutch.integer(withheld)} {'instelling heeft' if withheld == 1 else 'instellingen hebben'} te "
                 f"weinig docenten met een score en {'ontbreekt' if withheld == 1 else 'ontbreken'} in de figuur.")
    return text
