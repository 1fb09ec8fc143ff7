"""Katern B chapters 2 and 3: every scale over all the waves that asked it, in one figure per scale.

Nationally on the comparable institutions over those waves: only the
institutions that took part in every wave that asked the scale
(:func:`helpers.stats.trends.wave_means`), so no point moves because an
institution joined. The brackets mark exactly the changes the wave-pair table
of the chapter calls notable (:func:`helpers.chapters.katern_b.trends.difference_table`,
Holm over the tests it shows), each on the institutions of its own two waves;
a wave that did not ask the scale reads "niet gemeten" in its place. An
institution that took part in two waves or more with enough teachers sees
its own teachers per wave beside the national; the national series is
withheld where too few other institutions took part in all its waves, the
institution's own points where fewer than `min_n` teachers scored.
"""
from __future__ import annotations

import functools

import pandas as pd

from helpers.book.disclosure import (
    FEW_INSTITUTIONS,
    REASON,
    SUPPRESSED,
    mark_not_asked,
    shown,
    suppress_small_groups,
    withhold_rows,
)
from helpers.book.edition import EditionContext
from helpers.book.figures import drawn, wave_series
from helpers.book.sentences import sentence_file
from helpers.chapters.katern_b.common import (
    NATIONAL_GROUP,
    OWN_GROUP,
    _items,
    has_own_trend,
    national_waves,
    own_waves,
    too_few_others,
)
from helpers.core.memo import shared
from helpers.stats import trends

VALUES = ("gemiddelde", "sd", "ci_laag", "ci_hoog")
NATIONAL_LABEL = "Landelijk"
SENTENCES = sentence_file("katern_b/gedeeld")


@shared
def _national_means(frame: pd.DataFrame, scales: tuple[str, ...]) -> pd.DataFrame:
    return trends.wave_means(frame, list(scales))


def _asked_waves(rows: pd.DataFrame) -> list[int]:
    return [int(w) for w in rows.loc[rows["gemeten"].astype(bool), "meting"]]


def series_table(ctx: EditionContext, scales: list[str]) -> pd.DataFrame:
    """Per scale and wave the national mean (groep 'landelijk'), and the institution's own where it has them.

    National rows of a scale whose waves too few other institutions took
    part in are withheld in an institution edition; own rows with fewer than
    `min_n` scores are withheld; a wave that did not ask the scale keeps its
    row, gemeten False, without numbers.
    """
    columns = ["meting", "instelling", *dict.fromkeys(c for sid in scales for c in _items(sid))]
    national = _national_means(ctx.national[[c for c in columns if c in ctx.national.columns]], tuple(scales))
    national = national.assign(groep=NATIONAL_GROUP, groep_label=NATIONAL_LABEL, **{SUPPRESSED: False, REASON: ""})
    hidden = national["schaal"].map(
        {sid: too_few_others(ctx, _asked_waves(rows)) for sid, rows in national.groupby("schaal")})
    national = withhold_rows(national, hidden & national["gemeten"], FEW_INSTITUTIONS, VALUES, ("n",))
    parts = [national]
    if has_own_trend(ctx):
        own = ctx.own.loc[ctx.own["meting"].isin(own_waves(ctx))]
        mine = trends.wave_means(own, scales).assign(groep=OWN_GROUP, groep_label=ctx.edition.title)
        asked = set(zip(national.loc[national["gemeten"], "schaal"], national.loc[national["gemeten"], "meting"]))
        mine = mine.loc[[key in asked for key in zip(mine["schaal"], mine["meting"])]]  # the waves it took part in
        parts.append(suppress_small_groups(mine.assign(**{SUPPRESSED: False, REASON: ""}), ctx.min_n,
                                           value_columns=VALUES))
    table = pd.concat(parts, ignore_index=True)
    table[SUPPRESSED] = table[SUPPRESSED].astype("boolean").fillna(False).astype(bool)
    # Not asked is no withheld cell: marked as such, as in the wave-pair tables (the manifest lists it apart).
    table = mark_not_asked(table, ~table["gemeten"].to_numpy(dtype=bool), VALUES, ("n",))
    front = ["groep", "groep_label", "schaal", "schaal_label", "meting"]
    return table[[*front, *[c for c in table.columns if c not in front]]]


def notable_changes(differences: pd.DataFrame) -> pd.DataFrame:
    """The rows of the wave-pair table (plain basis) that it calls notable and shows: what the brackets mark."""
    rows = shown(differences)
    return rows.loc[rows["gemeten"].astype(bool) & rows["opvallend"].astype("boolean").fillna(False).astype(bool)]


def _names(ctx: EditionContext) -> dict:
    return {NATIONAL_GROUP: NATIONAL_LABEL, OWN_GROUP: ctx.edition.title}


def _legend_labels(ctx: EditionContext, rows: pd.DataFrame) -> dict:
    """{groep: its label in the legend}: the national series says on how many institutions it stands."""
    national = rows.loc[rows["groep"] == NATIONAL_GROUP]
    asked = _asked_waves(national)
    count = int(national["n_instellingen"].max()) if len(national) else 0
    return {NATIONAL_GROUP: SENTENCES.say("legenda_landelijk", instellingen=count, metingen=asked) if len(asked) > 1
            else NATIONAL_LABEL,
            OWN_GROUP: f"{ctx.edition.title} (eigen docenten)"}


def scale_views(ctx: EditionContext, table: pd.DataFrame, differences: pd.DataFrame) -> dict:
    """{scale label: its figure over the waves}, scales in the table's order."""
    if len(national_waves(ctx)) < 2:  # one wave: nothing to follow over the waves (the prose says so)
        return {}
    marks = notable_changes(differences)
    views = {}
    for sid, rows in table.groupby("schaal", sort=False):
        label = rows["schaal_label"].iloc[0]
        visible = shown(rows).loc[lambda r: ~r["gemeten"].astype(bool) | r["gemiddelde"].notna()]
        if visible["gemiddelde"].isna().all():  # every series withheld: the prose says why, no empty figure
            continue
        levels = list(dict.fromkeys(visible.loc[visible["gemiddelde"].notna(), "groep_label"]))  # series drawn
        legend = {label_of: _legend_labels(ctx, rows)[group]
                  for group, label_of in zip(visible["groep"], visible["groep_label"])}
        mine = marks.loc[marks["schaal"] == sid].assign(groep_label=lambda m: m["groep"].map(_names(ctx)))
        mine = mine.loc[mine["groep_label"].isin(levels),
                        ["groep_label", "meting_eerder", "meting_later", "verschil", "hedges_g"]]
        mine = mine.reset_index(drop=True)
        part = visible[["groep", "groep_label", "meting", "gemeten", "gemiddelde", "ci_laag", "ci_hoog", "n"]]
        part = part.reset_index(drop=True)
        # The national figure is the same in every edition that shows no own points: drawn once per build.
        draw = functools.partial(drawn, wave_series) if (part["groep"] == NATIONAL_GROUP).all() else wave_series
        views[label] = draw(part, f"{label} over de metingen", mine, hue_order=levels, legend_labels=legend)
    return views


def show_series(ctx: EditionContext, table_id: str, table: pd.DataFrame, differences: pd.DataFrame) -> None:
    ctx.publish.views(table_id, table, scale_views(ctx, table, differences), description="Schaal")


def series_paragraph(ctx: EditionContext, table: pd.DataFrame, differences: pd.DataFrame) -> str:
    """What the figure over the waves shows, with the numbers of this edition's data."""
    waves = national_waves(ctx)
    if len(waves) < 2:
        return ""
    national = table.loc[table["groep"] == NATIONAL_GROUP]
    per_scale = national.groupby("schaal", sort=False).agg(gevraagd=("metingen_gevraagd", "first"),
                                                           instellingen=("n_instellingen", "first"))
    everywhere = per_scale.loc[per_scale["gevraagd"] == len(waves), "instellingen"]
    marked = len(notable_changes(differences.loc[differences["groep"] == NATIONAL_GROUP]))
    withheld = national.loc[national[SUPPRESSED].astype(bool), "schaal_label"].drop_duplicates()
    return SENTENCES.say("reeksen_uitleg", metingen=waves,
                         instellingen_elke_meting=int(everywhere.max()) if len(everywhere) else None,
                         opvallend=marked, ingehouden_schalen=len(withheld), instelling=ctx.title_md,
                         eigen_metingen=own_waves(ctx) if has_own_trend(ctx) else [])
