"""Katern B chapter 1: which waves, which teachers and institutions, and what each wave asked.

Every number comes from the data: the waves present, the teachers and
institutions per wave (by institution type), how many institutions took part
more than once, and per scale the waves that asked it. An institution edition
adds its own number of teachers per wave (below the privacy threshold: "minder
dan <min_n>").
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import FEW_INSTITUTIONS, PRIMARY, REASON, SUPPRESSED
from helpers.book.edition import EditionContext
from helpers.book.escaping import html_text
from helpers.book.sentences import sentence_file
from helpers.chapters.common import type_decision
from helpers.chapters.katern_b.common import national_waves, own_waves, reported_wave, too_few_others
from helpers.data.codebook import load_codebook
from helpers.data.derive import INSTITUTION_TYPE
from helpers.data.waves import scale_waves
from helpers.stats.trends import waves_overview

TABLE_WAVES = "b1-metingen"
TABLE_SCALES = "b1-schalen-per-meting"
TABLE_OWN = "b1-eigen-deelname"
SENTENCES = sentence_file("katern_b/b1_inleiding")


def _institutions(ctx: EditionContext) -> pd.DataFrame:
    """(instelling, type) of every institution in the data, from the derived type column."""
    first = ctx.national.dropna(subset=["instelling"]).drop_duplicates("instelling")
    return pd.DataFrame({"instelling": first["instelling"].astype(str),
                         "type": first[INSTITUTION_TYPE]})


OTHER_TYPE = "ander_type"  # the institutions of the types not named, counted together


def _types_named(ctx: EditionContext, table: pd.DataFrame) -> pd.DataFrame:
    """The institutions per type of each wave, with the types :func:`type_decision` withholds counted together.

    A type of too few institutions is not named, in a wave nor over all waves:
    its count is blank and goes into `n_instellingen_ander_type`.
    """
    columns = {c.removeprefix("n_instellingen_"): c for c in table.columns if c.startswith("n_instellingen_")}
    table = table.copy()
    other = []
    for i, row in table.iterrows():
        counts = {t: int(row[c]) for t, c in columns.items() if pd.notna(row[c]) and int(row[c]) > 0}
        withheld = type_decision(ctx, counts).withheld
        other.append(sum(counts[t] for t in withheld))
        for t in withheld:
            table.loc[i, columns[t]] = pd.NA
    for column in columns.values():
        table[column] = table[column].astype("Int64")
    table[f"n_instellingen_{OTHER_TYPE}"] = pd.array(other, dtype="Int64")
    return table


def waves_table(ctx: EditionContext) -> pd.DataFrame:
    """Teachers and institutions per wave, institutions per type. No teachers per type: with one
    institution of a type in a wave, that number would be that institution's own; and no type of too
    few institutions by name (:func:`_types_named`)."""
    table = waves_overview(ctx.national, _institutions(ctx))
    table = table.drop(columns=[c for c in table.columns if c.startswith("n_respondenten_")])
    table = _types_named(ctx, table)
    # Beside the institution's own count, a wave's total must not give away one or two other institutions.
    few = table["meting"].map(lambda w: pd.notna(w) and too_few_others(ctx, [int(w)]))
    table["n_respondenten"] = table["n_respondenten"].astype("Int64").mask(few)
    table[SUPPRESSED] = few.astype(bool)
    table[REASON] = np.where(few, FEW_INSTITUTIONS, "")
    return table


def show_waves(ctx: EditionContext, table: pd.DataFrame) -> None:
    types = ctx.type_labels
    rows = []
    for r in table.to_dict("records"):
        row = {"Meting": "Alle metingen" if pd.isna(r["meting"]) else str(int(r["meting"])),
               "Docenten": "" if pd.isna(r["n_respondenten"]) else dutch.integer(r["n_respondenten"]),
               "Instellingen": dutch.integer(r["n_instellingen"])}
        for code, label in [*types.items(), (OTHER_TYPE, "ander type")]:
            if table.get(f"n_instellingen_{code}", pd.Series(dtype="Int64")).fillna(0).any():
                count = r[f"n_instellingen_{code}"]
                row[f"Instellingen: {label}"] = "" if pd.isna(count) else dutch.integer(count)
        rows.append(row)
    # One column per wave and a row per count: as narrow as the page whatever the number of types.
    shown = pd.DataFrame(rows).set_index("Meting").T.rename_axis(index="Aantal", columns=None).reset_index()
    ctx.publish.table(TABLE_WAVES, table, shown.map(lambda v: html_text(str(v))))


def waves_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    present = national_waves(ctx)
    if not present:
        return SENTENCES.say("geen_gegevens")
    per_wave = table.loc[table["meting"].notna()]
    overall = table.loc[table["meting"].isna()].iloc[0]
    counts = [{"meting": int(r.meting), "docenten": None if pd.isna(r.n_respondenten) else int(r.n_respondenten),
               "instellingen": int(r.n_instellingen)} for r in per_wave.itertuples()]
    if len(present) == 1:
        return SENTENCES.say("een_meting", meting=present[0], per_meting=counts)
    more_than_once = sum(int(overall[c]) for c in table.columns
                         if c.startswith("instellingen_in_") and int(c.split("_")[2]) >= 2)
    return SENTENCES.say("metingen", per_meting=counts, instellingen=int(overall["n_instellingen"]),
                         vaker_mee=more_than_once, laatste=reported_wave(ctx))


def scales_table(ctx: EditionContext) -> pd.DataFrame:
    """Per scale and wave whether the wave asked it (an answer on one of its items)."""
    cb = load_codebook()
    present = national_waves(ctx)
    rows = []
    for sid, scale in cb.scales.items():
        asked = set(scale_waves(ctx.national, sid, cb))
        for wave in present:
            rows.append(dict(schaal=sid, schaal_label=scale.label, domein=scale.domain,
                             domein_label=cb.domains[scale.domain]["label"], meting=wave, gemeten=wave in asked))
    return pd.DataFrame(rows, columns=["schaal", "schaal_label", "domein", "domein_label", "meting", "gemeten"])


def show_scales(ctx: EditionContext, table: pd.DataFrame) -> None:
    matrix = table.pivot_table(index=["domein_label", "schaal_label"], columns="meting", values="gemeten",
                               aggfunc="first", sort=False)
    shown = pd.DataFrame({"Domein": [d for d, _ in matrix.index], "Schaal": [s for _, s in matrix.index]})
    for wave in matrix.columns:
        shown[str(int(wave))] = ["gemeten" if v else "niet gemeten" for v in matrix[wave]]
    ctx.publish.table(TABLE_SCALES, table, shown.map(lambda v: html_text(str(v))))


def scales_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    missing = table.loc[~table["gemeten"]]
    absent = [{"meting": int(wave), "schalen": [html_text(dutch.lower_first(label)) for label in rows["schaal_label"]]}
              for wave, rows in missing.groupby("meting")]
    return SENTENCES.say("schalen_per_meting", ontbrekend=absent)


def own_table(ctx: EditionContext) -> pd.DataFrame | None:
    """The institution's own teachers per wave (fewer than `min_n`: withheld)."""
    if ctx.edition.is_national:
        return None
    counts = ctx.own["meting"].value_counts()
    rows = []
    for wave in national_waves(ctx):
        n = int(counts.get(wave, 0))
        hidden = 0 < n < ctx.min_n
        rows.append({"meting": wave, "n": None if hidden else n, SUPPRESSED: hidden, REASON: PRIMARY if hidden else ""})
    return pd.DataFrame(rows, columns=["meting", "n", SUPPRESSED, REASON])


def show_own(ctx: EditionContext, table: pd.DataFrame | None) -> None:
    if table is None:
        return
    shown = pd.DataFrame({
        "Meting": table["meting"].astype(str),
        "Docenten van de instelling": [f"minder dan {dutch.integer(ctx.min_n)}" if h else dutch.integer(n)
                                       for n, h in zip(table["n"], table[SUPPRESSED])],
    })
    ctx.publish.table(TABLE_OWN, table, shown.map(lambda v: html_text(str(v))))


def own_paragraph(ctx: EditionContext) -> str:
    if ctx.edition.is_national:
        return ""
    mine = own_waves(ctx)
    if len(mine) >= 2:
        return SENTENCES.say("eigen_ontwikkeling", instelling=ctx.title_md, metingen=mine)
    return SENTENCES.say("geen_eigen_ontwikkeling", instelling=ctx.title_md, drempel=ctx.min_n)
