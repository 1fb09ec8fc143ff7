"""Katern B chapters 4 and 5: professionalisation over the waves, and what it goes with.

Chapter 4: how the teachers of each wave divide over the four forms of
professionalisation (none, only short, only long, short and long: codebook
``activiteiten.duur`` and ``vormen``), the share per activity, and how much
teachers within one institution differ in how much they professionalise
(variance of the number of activities at institution, team and teacher
level). Chapter 5: per wave the competences and practice of each form, the
two-way test wave × form with the gap between professionalisers and the rest,
the change without professionalisation, and whether short and long together
goes with the best results (:mod:`helpers.stats.professionalisation_effect`).

The statistics of chapter 5 are national (they need every wave's teachers);
an institution edition adds its own division over the forms per wave, each
wave a breakdown under disclosure control.
"""
from __future__ import annotations

import functools

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import (
    BOUNDED,
    EDITION_WIDE,
    FEW_INSTITUTIONS,
    PRIMARY,
    REASON,
    SUPPRESSED,
    bound_of,
    mark_not_asked,
    shown,
    suppress_breakdown,
    withhold_groups,
    withhold_rows,
    without_verdict,
)
from helpers.book.edition import EditionContext, kept
from helpers.book.escaping import html_text, markdown_text
from helpers.book.figures import drawn, horizontal_bars, mean_intervals, stacked_shares
from helpers.book.sentences import sentence_file
from helpers.chapters.common import activity_count_labels, flagged, group_decision, variance_caveat, variance_share
from helpers.chapters.katern_b.common import (
    NATIONAL_GROUP,
    OWN_GROUP,
    few_others_sentence,
    national_waves,
    own_waves,
    wave_list,
    withheld_comparisons,
)
from helpers.data.codebook import load_codebook
from helpers.data.waves import THEME_PREFIX, asked_waves, scale_waves, theme_labels, waves
from helpers.core.memo import shared
from helpers.stats import professionalisation_effect as effect
from helpers.stats import trends
from helpers.stats.competence import competence_scales
from helpers.stats.association import ALPHA
from helpers.stats.scales import HEDGES_G_THRESHOLDS, _t_interval, practice_domains
from helpers.stats.typology import practice_score

TABLE_FORMS = "b4-vormen"
TABLE_ACTIVITIES = "b4-activiteiten"
TABLE_SPREAD = "b4-spreiding"
TABLE_MEANS = "b5-gemiddelden"
TABLE_GAP = "b5-kloof"
TABLE_WITHOUT = "b5-zonder-professionalisering"
TABLE_BEST = "b5-beste-vorm"

# The two chapters this module serves, each with its own sentences.
CHAPTER_4 = sentence_file("katern_b/b4_professionalisering")
CHAPTER_5 = sentence_file("katern_b/b5_opbrengst")


def outcome_scales() -> list[str]:
    """Competences and practice: every scale of the research model but the vision scales (codebook order)."""
    cb = load_codebook()
    practice = practice_domains(cb)
    return [sid for sid in competence_scales() if cb.scales[sid].domain != "visie"] + \
        [sid for sid, s in cb.scales.items() if s.domain in practice]


def _columns(scales) -> list[str]:
    cb = load_codebook()
    return ["meting", "instelling", "team", *cb.activities, *dict.fromkeys(c for sid in scales
                                                                          for c in cb.scales[sid].items)]


def _national(ctx: EditionContext, scales) -> pd.DataFrame:
    return ctx.national[[c for c in _columns(scales) if c in ctx.national.columns]]


# -- chapter 4 -----------------------------------------------------------------------------
@shared
def _national_forms(frame: pd.DataFrame) -> pd.DataFrame:
    return effect.form_shares(frame)


def forms_table(ctx: EditionContext) -> pd.DataFrame:
    """Division over the forms per wave: nationally, and the institution's own waves with enough teachers.

    Each wave's forms are one national breakdown of that wave's teachers (in
    every edition), decided by :func:`~helpers.chapters.common.group_decision`
    as the means per form are (:func:`form_decisions`): a small form is
    withheld, and with it the smallest other form where the wave's shown total
    would give it away.
    """
    parts = []
    for _, part in _national_forms(_national(ctx, [])).groupby("meting", sort=True):
        decision = group_decision(ctx, effect.FORM_COLUMN, dict(zip(part["vorm"], part["aantal"])), national=True)
        parts.append(withhold_groups(part.assign(groep=NATIONAL_GROUP), decision, group_column="vorm",
                                     n_column="aantal", value_columns=("aandeel",), whole="vorm"))
    if not ctx.edition.is_national:
        mine = effect.form_shares(ctx.own.loc[ctx.own["meting"].isin(own_waves(ctx))])
        for _, part in mine.groupby("meting", sort=True):
            parts.append(suppress_breakdown(part.assign(groep=OWN_GROUP), ctx.min_n, group_column="vorm",
                                            n_column="aantal", value_columns=("aandeel",), total=int(part["n"].iloc[0]),
                                            whole="vorm"))
    table = flagged(pd.concat(parts, ignore_index=True))
    return table[["groep", "meting", "vorm", "vorm_label", "n", "aantal", "aandeel", SUPPRESSED, REASON, BOUNDED]]


def show_forms(ctx: EditionContext, table: pd.DataFrame) -> None:
    labels = load_codebook().professionalisation_forms
    views = {}
    for group, part in table.groupby("groep", sort=False):
        visible = shown(part).assign(aandeel=lambda t: t["aandeel"].astype(float))
        wide = visible.pivot_table(index="meting", columns="vorm", values="aandeel", aggfunc="first")
        if wide.empty:
            continue
        wide = wide.reindex(columns=list(labels)).reset_index()
        wide["meting_label"] = wide["meting"].astype(int).astype(str)
        # A small wave's bounded shares keep their bound in the wide frame ("<vorm> < 5%"), for labels and alt text.
        bounds = {m: "; ".join(f"{r['vorm']} {bound_of(r)}" for _, r in g.iterrows() if bound_of(r))
                  for m, g in visible.groupby("meting")}
        wide[BOUNDED] = wide["meting"].map(bounds).fillna("")
        who = "Landelijk" if group == NATIONAL_GROUP else ctx.edition.title
        # The national view is the same in every edition: drawn once per build.
        draw = stacked_shares if group != NATIONAL_GROUP else functools.partial(drawn, stacked_shares)
        views[who] = draw(wide, "meting_label", {code: labels[code] for code in labels},
                          f"Vorm van professionalisering per meting: {who}")
    ctx.publish.views(TABLE_FORMS, table, views, description="Wie")


def forms_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    national = shown(table.loc[table["groep"] == NATIONAL_GROUP])
    cb = load_codebook()
    # A form the group decision withholds in a wave is not cited for that wave (nor its complement).
    none = national.loc[national["vorm"] == effect.NONE].dropna(subset=["aandeel"])
    both = national.loc[national["vorm"] == effect.SHORT_AND_LONG].dropna(subset=["aandeel"])

    def activities(duration: str) -> list[str]:
        return [html_text(dutch.lower_first(cb.activities[c])) for c, d in cb.activity_duration.items()
                if d == duration]

    return CHAPTER_4.say(
        "vormen", kort=activities(effect.SHORT), lang=activities(effect.LONG),
        metingen_wel=[int(w) for w in none["meting"]], aandelen_wel=[1 - float(v) for v in none["aandeel"]],
        metingen_beide=[int(w) for w in both["meting"]], aandelen_beide=[float(v) for v in both["aandeel"]],
        vorm_ingehouden=bool(table.loc[table["groep"] == NATIONAL_GROUP, SUPPRESSED].astype(bool).any()))


@shared
def _national_activities(frame: pd.DataFrame) -> pd.DataFrame:
    return effect.activity_shares_by_wave(frame)


def activities_table(ctx: EditionContext) -> pd.DataFrame:
    return _national_activities(_national(ctx, []))


def show_activities(ctx: EditionContext, table: pd.DataFrame) -> None:
    rows = table.assign(meting_label=table["meting"].astype(int).astype(str))
    hues = sorted(rows["meting_label"].unique())
    order = list(dict.fromkeys(rows["activiteit_label"]))
    fig = drawn(horizontal_bars, rows, "activiteit_label", "aandeel", CHAPTER_4.say("titel_deelname"),
                hue="meting_label", hue_order=hues, category_order=order)  # national: drawn once per build
    ctx.publish.figure(TABLE_ACTIVITIES, table, fig)


@shared
def _spread(frame: pd.DataFrame) -> dict:
    return effect.professionalisation_spread(frame)


def spread_table(ctx: EditionContext) -> pd.DataFrame:
    frame = _national(ctx, [])
    return pd.DataFrame([_spread(frame)])


def spread_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    row = table.iloc[0]
    if pd.isna(row.get("aandeel_docent")):
        return CHAPTER_4.say("spreiding_niet_te_schatten", reden=row["reden"])
    within = float(row["aandeel_team"]) + float(row["aandeel_docent"])
    return CHAPTER_4.say(
        "spreiding", meting=int(row["meting"]), tussen_instellingen=variance_share(row["aandeel_instelling"]),
        tussen_teams=variance_share(row["aandeel_team"]), tussen_docenten=variance_share(row["aandeel_docent"]),
        binnen_instellingen=variance_share(within),
        voorbehoud=variance_caveat({"tussen instellingen": float(row["aandeel_instelling"]),
                                    "tussen teams": float(row["aandeel_team"])}))


# -- chapter 5 -----------------------------------------------------------------------------
@shared
def _national_means(frame: pd.DataFrame, scales: tuple[str, ...]) -> pd.DataFrame:
    return effect.form_means(frame, list(scales))


@shared
def _national_effects(frame: pd.DataFrame, scales: tuple[str, ...], forms: dict) -> tuple:
    scales = list(scales)
    return (effect.wave_by_form(frame, scales, shown=forms),
            effect.change_without_professionalisation(frame, scales), effect.best_form(frame, scales, shown=forms))


MEAN_VALUES = ("gemiddelde", "sd", "ci_laag", "ci_hoog")


def form_decisions(ctx: EditionContext, means: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """(the means per wave × form under disclosure control, {(scale, wave): the group decision of its forms}).

    Per scale and wave the forms are one national breakdown (in every
    edition), decided by :func:`~helpers.chapters.common.group_decision`: the
    table shows those forms, and the tests of chapter 5 use only those.
    """
    parts, decisions = [], {}
    for (wave, scale), part in means.groupby(["meting", "schaal"], sort=False):
        decision = group_decision(ctx, effect.FORM_COLUMN, dict(zip(part["groep"], part["n"])), national=True)
        parts.append(withhold_groups(part, decision, value_columns=MEAN_VALUES))
        decisions[(str(scale), int(wave))] = decision
    if not parts:
        return means.assign(**{SUPPRESSED: False, REASON: ""}), decisions
    return flagged(pd.concat(parts).loc[means.index]).drop(columns=BOUNDED), decisions


CHANGE_VALUES = ("gemiddelde_eerder", "gemiddelde_later", "verschil", "hedges_g", "p", "p_holm")


def _shown_change(ctx: EditionContext, change: pd.DataFrame, forms: dict) -> pd.DataFrame:
    """The change without and with professionalisation, withheld where the one group decision says so.

    Per scale and wave, 'geen' and 'wel' are a breakdown of the same
    teachers as the forms (:func:`form_decisions`): a group is withheld if it
    is small, if the other one is (the wave's total is shown in chapters 2
    and 3), or if a form it is made of is withheld in the means per form
    (`hidden`), so that no table gives a withheld form away by subtraction.
    A row is withheld when its group is withheld in either of its waves; Holm
    then runs over the rows shown only.
    """
    reasons = pd.Series("", index=change.index, dtype=object)
    for scale, rows in change.groupby("schaal", sort=False):
        for wave_column, n_column in (("meting_eerder", "n_eerder"), ("meting_later", "n_later")):
            wave = rows[wave_column].dropna()
            of_forms = forms.get((str(scale), int(wave.iloc[0]))) if len(wave) else None
            hidden = {}
            if of_forms is not None and effect.NONE in of_forms.withheld:
                hidden[effect.NONE] = EDITION_WIDE
            if of_forms is not None and any(form != effect.NONE for form in of_forms.withheld):
                hidden[effect.PROFESSIONALISED] = EDITION_WIDE
            sizes = dict(zip(rows["groep"], pd.to_numeric(rows[n_column], errors="coerce").fillna(0).astype(int)))
            decision = group_decision(ctx, effect.FORM_COLUMN, sizes, national=True, hidden=hidden)
            for index, group in rows["groep"].items():
                if group in decision.withheld and not reasons[index]:
                    reasons[index] = decision.withheld[group]
    withheld = (reasons != "").to_numpy(dtype=bool)
    change = effect.change_verdicts(change, tested=~withheld)
    for reason in dict.fromkeys(reasons[reasons != ""]):
        change = withhold_rows(change, (reasons == reason).to_numpy(dtype=bool), reason, CHANGE_VALUES,
                               ("n_eerder", "n_later"))
    return change if SUPPRESSED in change else change.assign(**{SUPPRESSED: False, REASON: ""})


def _small_rows(table: pd.DataFrame, min_n: int, sizes: tuple[str, ...]) -> pd.Series:
    """The rows in which one of the groups has fewer than `min_n` scores: withheld in every edition."""
    small = pd.Series(False, index=table.index)
    for column in sizes:
        n = pd.to_numeric(table[column], errors="coerce")
        small |= (n > 0) & (n < min_n)
    return small


def _withhold_small(table: pd.DataFrame, min_n: int, sizes: tuple[str, ...], values: tuple[str, ...],
                    verdicts=None) -> pd.DataFrame:
    """Withhold a row in which one of the groups has fewer than `min_n` scores (in every edition): no numbers, no verdict.

    `verdicts(table, tested)`: for a table with p_holm, recomputes its Holm
    family and verdicts over the rows shown, before the others are blanked.
    """
    small = _small_rows(table, min_n, sizes).to_numpy(dtype=bool)
    if verdicts is not None:
        table = verdicts(table, tested=~small)
    return withhold_rows(table, small, PRIMARY, values, sizes)


@kept  # cited again by a later chapter, the conclusions or the praatplaat
def effect_tables(ctx: EditionContext) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(means per wave × form, wave × form tests, change without professionalisation, best form): national.

    A form the group decision withholds in a wave (:func:`form_decisions`) keeps its row, without numbers, and
    takes no part in the tests of that scale (wave × form, best form); the Holm family of the change and
    best-form tables holds only the rows shown."""
    scales = outcome_scales()
    frame = _national(ctx, scales)
    means, decisions = form_decisions(ctx, _national_means(frame, tuple(scales)))
    gaps, change, best = _national_effects(frame, tuple(scales), {key: d.shown for key, d in decisions.items()})
    # Holm over the rows shown: a withheld row's test does not make the shown ones stricter.
    change = _shown_change(ctx, change, decisions)
    best = _withhold_small(best, ctx.min_n, ("n_combinatie", "n_vorm"),
                           ("gemiddelde_combinatie", "gemiddelde_vorm", "verschil", "hedges_g", "p", "p_holm"),
                           verdicts=effect.best_verdicts)
    # A test that could not be run (a scale measured in one wave only) has no verdict either.
    gaps = without_verdict(gaps, gaps["np2"].isna())
    change, best = (without_verdict(t, t["hedges_g"].isna()) for t in (change, best))
    return means, gaps, change, best


def _per_wave_views(table: pd.DataFrame, category: str, hue: str, title: str, same_teachers: bool = False) -> dict:
    """One figure of means with intervals per wave, newest first: {wave: figure (with its Dutch alt text)}.

    National figures, the same in every edition: drawn once per build (`drawn`). `same_teachers`: the `hue`
    groups are measures of the same teachers (see `figures.figure_facts`)."""
    views = {}
    for wave, part in table.groupby("meting", sort=True):
        visible = shown(part).dropna(subset=["gemiddelde"])
        if visible.empty:
            continue
        views[str(int(wave))] = drawn(mean_intervals, visible, category, f"{title}, {int(wave)}", hue=hue,
                                      hue_order=list(dict.fromkeys(visible[hue])),
                                      category_order=list(dict.fromkeys(visible[category])),
                                      same_teachers=same_teachers)
    return dict(reversed(list(views.items())))


def show_means(ctx: EditionContext, table: pd.DataFrame) -> None:
    views = _per_wave_views(table, "schaal_label", "groep_label", CHAPTER_5.say("titel_per_vorm"))
    ctx.publish.views(TABLE_MEANS, table, views, description="Meting")


def _names(rows: pd.DataFrame, column: str = "schaal_label") -> list[str]:
    """The labels of `rows`, each once, escaped, with a lower-case first letter: the template quotes and lists them."""
    return [markdown_text(dutch.lower_first(label)) for label in dict.fromkeys(rows[column])]


def gap_rows(gaps: pd.DataFrame) -> pd.DataFrame:
    """One row per scale: the interaction term with the gap and its verdict."""
    return gaps.loc[gaps["term"] == effect.INTERACTION_TERM]


def gap_paragraph(ctx: EditionContext, gaps: pd.DataFrame) -> str:
    rows = gap_rows(gaps)
    tested = rows.dropna(subset=["kloof"])
    if tested.empty:
        return CHAPTER_5.say("kloof_een_meting", metingen=national_waves(ctx))
    grown = tested.loc[tested["kloof"] == effect.GROWN]
    shrunk = tested.loc[tested["kloof"] == effect.SHRUNK]
    largest = None
    if len(grown):
        top = grown.loc[grown["kloof_g"].abs().idxmax()]
        largest = {"naam": markdown_text(dutch.lower_first(top["schaal_label"])), "eerder": top["kloof_eerder"],
                   "meting_eerder": int(top["meting_eerder"]), "later": top["kloof_later"],
                   "meting_later": int(top["meting_later"]), "g": top["kloof_g"]}
    return CHAPTER_5.say("kloof", hoger=len(tested.loc[tested["kloof_later"] > 0]), getoetst=len(tested),
                         gegroeid=_names(grown), grootste=largest, kleiner=_names(shrunk),
                         overig=len(tested) - len(grown) - len(shrunk))


def gap_explanation() -> str:
    """What chapter 5 calls the gap and when it grew (`professionalisation_effect.wave_by_form`), for the reader."""
    return CHAPTER_5.say("kloof_uitleg", alfa=ALPHA, kleine_g=HEDGES_G_THRESHOLDS[0])


def show_gaps(ctx: EditionContext, gaps: pd.DataFrame) -> None:
    rows = []
    for r in gap_rows(gaps).itertuples():
        rows.append({
            "Schaal": r.schaal_label,
            "Metingen": "" if pd.isna(r.meting_eerder) else f"{int(r.meting_eerder)}–{int(r.meting_later)}",
            "Kloof eerder": "" if pd.isna(r.kloof_eerder) else dutch.decimal(r.kloof_eerder, 2),
            "Kloof later": "" if pd.isna(r.kloof_later) else dutch.decimal(r.kloof_later, 2),
            "Groei (g)": "" if pd.isna(r.kloof_g) else dutch.decimal(r.kloof_g, 2),
            "Interactie (η²ₚ)": "" if pd.isna(r.np2) else dutch.decimal(r.np2, 3),
            # A tested scale whose gap has no number: the teachers without professionalisation are withheld.
            "Oordeel": r.kloof if isinstance(r.kloof, str) else (r.reden or CHAPTER_5.say("kloof_niet_te_bepalen")),
        })
    ctx.publish.table(TABLE_GAP, gaps, pd.DataFrame(rows).map(lambda v: html_text(str(v))))


def without_paragraph(ctx: EditionContext, change: pd.DataFrame) -> str:
    none = change.loc[(change["groep"] == effect.NONE) & change["opvallend"].fillna(False).astype(bool)]
    some = change.loc[(change["groep"] == effect.PROFESSIONALISED)]
    fell = none.loc[none["richting"] == effect.FELL]
    if change.dropna(subset=["p"]).empty:
        if change[SUPPRESSED].astype(bool).any():
            return CHAPTER_5.say("zonder_groepen_te_klein")
        return CHAPTER_5.say("zonder_een_meting")
    if fell.empty:
        return CHAPTER_5.say("zonder_niet_lager")
    scales = []
    for r in fell.itertuples():
        other = some.loc[some["schaal"] == r.schaal].iloc[0]
        scales.append({"naam": markdown_text(dutch.lower_first(r.schaal_label)), "eerder": r.gemiddelde_eerder,
                       "meting_eerder": int(r.meting_eerder), "later": r.gemiddelde_later,
                       "meting_later": int(r.meting_later),
                       # the other group may be withheld
                       "wel": None if pd.isna(other["gemiddelde_eerder"]) else
                       {"eerder": other["gemiddelde_eerder"], "later": other["gemiddelde_later"]}})
    return CHAPTER_5.say("zonder_lager", schalen=scales)


def show_without(ctx: EditionContext, change: pd.DataFrame) -> None:
    ctx.publish.record(TABLE_WITHOUT, change)


def best_summary(best: pd.DataFrame) -> dict:
    """How many scales have 'korte én langere activiteiten' highest and notably above both single forms."""
    per_scale = best.dropna(subset=["schaal"]).drop_duplicates("schaal")
    return dict(n_schalen=len(per_scale), n_hoogst=int((per_scale["hoogste_vorm"] == effect.SHORT_AND_LONG).sum()),
                n_best=int(per_scale["combinatie_best"].fillna(False).astype(bool).sum()))


def best_paragraph(ctx: EditionContext, best: pd.DataFrame) -> str:
    s = best_summary(best)
    if s["n_schalen"] == 0:
        return CHAPTER_5.say("beste_vorm_niet_te_vergelijken")
    return CHAPTER_5.say("beste_vorm", meting=int(best["meting"].dropna().iloc[0]),
                         vorm=dutch.lower_first(load_codebook().professionalisation_forms[effect.SHORT_AND_LONG]),
                         hoogst=s["n_hoogst"], schalen=s["n_schalen"], opvallend_best=s["n_best"],
                         meerderheid=s["n_best"] * 2 > s["n_schalen"])


def show_best(ctx: EditionContext, best: pd.DataFrame) -> None:
    ctx.publish.record(TABLE_BEST, best)


# -- themes over the waves ------------------------------------------------------------------
TABLE_THEMES = "b4-themas"
THEME_VALUES = ("aandeel_eerder", "aandeel_later", "verschil", "cohens_h", "p", "p_holm")


@shared
def _national_themes(frame: pd.DataFrame) -> pd.DataFrame:
    return trends.theme_trends(frame)


def themes_table(ctx: EditionContext) -> pd.DataFrame:
    """Share choosing each theme, every earlier wave against the reported one, on comparable institutions.

    National rows, in every edition. An institution edition withholds a
    comparison on which too few other institutions took part in both waves,
    as chapters 2 and 3 do (:func:`~helpers.chapters.katern_b.common.withheld_comparisons`);
    Holm then runs over the rows shown only.
    """
    columns = ["meting", "instelling", "volledig", *[c for c in ctx.national.columns if c.startswith(THEME_PREFIX)]]
    table = _national_themes(ctx.national[[c for c in columns if c in ctx.national.columns]])
    table["niet_gevraagd_in"] = table["niet_gevraagd_in"].map(lambda w: wave_list(list(w)) if len(w) else "")
    withheld = withheld_comparisons(ctx, table, "gevraagd").to_numpy(dtype=bool)
    table = trends.theme_verdicts(table, tested=~withheld).assign(**{SUPPRESSED: False, REASON: ""})
    table = mark_not_asked(table, ~table["gevraagd"].astype(bool).to_numpy(), THEME_VALUES, ("n_eerder", "n_later"))
    return withhold_rows(table, withheld, FEW_INSTITUTIONS, THEME_VALUES, ("n_eerder", "n_later"))


def _theme_waves(ctx: EditionContext) -> list[int]:
    cb = load_codebook()
    completers = ctx.national.loc[ctx.national["volledig"].fillna(False).astype(bool)]
    return asked_waves(completers, list(theme_labels(completers, cb)))


def themes_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    asked = table.loc[table["gevraagd"].astype(bool)]
    if asked.empty:
        return CHAPTER_4.say("themas_niet_te_vergelijken", metingen=_theme_waves(ctx))
    parts = []
    for comparison, rows in asked.groupby("vergelijking", sort=False):
        earlier, later = int(rows["meting_eerder"].iloc[0]), int(rows["meting_later"].iloc[0])
        if rows[SUPPRESSED].any():
            parts.append(few_others_sentence(ctx, earlier, later))
            continue
        up = rows.loc[rows["opvallend"].astype(bool) & (rows["verschil"] > 0)]
        down = rows.loc[rows["opvallend"].astype(bool) & (rows["verschil"] < 0)]
        new = table.loc[(table["vergelijking"] == comparison) & ~table["gevraagd"].astype(bool)]
        parts.append(CHAPTER_4.say("themas_vergelijking", eerder=earlier, later=later,
                                   vaker=_names(up, "thema_label"), minder_vaak=_names(down, "thema_label"),
                                   niet_gevraagd=_names(new, "thema_label")))
    return " ".join(parts)


def show_themes(ctx: EditionContext, table: pd.DataFrame) -> None:
    views = {}
    for comparison, rows in shown(table.loc[table["gevraagd"].astype(bool)]).groupby("vergelijking", sort=False):
        earlier, later = int(rows["meting_eerder"].iloc[0]), int(rows["meting_later"].iloc[0])
        long = pd.concat([
            rows.assign(meting_label=str(earlier), aandeel=rows["aandeel_eerder"]),
            rows.assign(meting_label=str(later), aandeel=rows["aandeel_later"]),
        ], ignore_index=True)
        order = rows.sort_values("aandeel_later", ascending=False)["thema_label"].tolist()
        views[f"{earlier}–{later}"] = horizontal_bars(
            long, "thema_label", "aandeel", f"Gekozen thema's, {earlier}–{later}", hue="meting_label",
            hue_order=[str(earlier), str(later)], category_order=order)
    ctx.publish.views(TABLE_THEMES, table, views, description="Vergelijking")


# -- by number of activities ----------------------------------------------------------------
TABLE_COUNT = "b5-aantal-activiteiten"
COUNT_GROUP = "aantal_activiteiten"  # the breakdown: teachers by the number of activity kinds they took part in
COUNT_COLUMNS = ["meting", "aantal_activiteiten", "aantal_label", "domein", "domein_label", "n", "gemiddelde", "sd",
                 "ci_laag", "ci_hoog"]


@shared
def _count_means(frame: pd.DataFrame) -> pd.DataFrame:
    """Mean of each domain score per wave × number of activity kinds; a domain's score uses the scales every
    wave of the data asked, so that waves stay comparable."""
    cb = load_codebook()
    count = frame[list(cb.activities)].astype("Float64").sum(axis=1, min_count=1)
    labels = activity_count_labels(cb)
    rows = []
    for domain, spec in cb.domains.items():
        scales = [sid for sid, s in cb.scales.items() if s.domain == domain
                  and set(scale_waves(frame, sid, cb)) == set(waves(frame))]
        if not scales:
            continue
        score = practice_score(frame, scales, cb)
        for wave in waves(frame):
            in_wave = frame["meting"] == wave
            for k, text in labels.items():
                values = score[in_wave & (count == int(k))].dropna().to_numpy(dtype=float)
                mean, sd, low, high = _t_interval(values)
                rows.append(dict(meting=wave, aantal_activiteiten=int(k), aantal_label=text, domein=domain,
                                 domein_label=spec["label"], n=len(values), gemiddelde=mean, sd=sd, ci_laag=low,
                                 ci_hoog=high))
    return pd.DataFrame(rows, columns=COUNT_COLUMNS)


def count_table(ctx: EditionContext) -> pd.DataFrame:
    """Domain scores per wave and number of activities: national, in every edition.

    Per wave and domain the numbers of activities are one breakdown of the
    teachers with a score, decided by
    :func:`~helpers.chapters.common.group_decision` (a small group, and the
    smallest other one where the shown total would give it away).
    """
    scales = list(load_codebook().scales)
    parts = []
    for _, part in _count_means(_national(ctx, scales)).groupby(["meting", "domein"], sort=False):
        sizes = dict(zip(part["aantal_activiteiten"], part["n"]))
        decision = group_decision(ctx, COUNT_GROUP, sizes, national=True)
        parts.append(withhold_groups(part, decision, group_column="aantal_activiteiten", value_columns=MEAN_VALUES))
    if not parts:
        return pd.DataFrame(columns=[*COUNT_COLUMNS, SUPPRESSED, REASON])
    return flagged(pd.concat(parts)).drop(columns=BOUNDED)


def show_count(ctx: EditionContext, table: pd.DataFrame) -> None:
    views = _per_wave_views(table, "aantal_label", "domein_label", CHAPTER_5.say("titel_aantal_activiteiten"),
                            same_teachers=True)
    ctx.publish.views(TABLE_COUNT, table, views, description="Meting")


def count_paragraph(ctx: EditionContext, table: pd.DataFrame) -> str:
    visible = shown(table).dropna(subset=["gemiddelde"])
    if visible.empty:
        return ""
    wave = int(visible["meting"].max())
    latest = visible.loc[visible["meting"] == wave]
    rising = []
    for label, rows in latest.groupby("domein_label", sort=False):
        rows = rows.sort_values("aantal_activiteiten")
        if len(rows) >= 2 and rows["gemiddelde"].iloc[-1] > rows["gemiddelde"].iloc[0]:
            rising.append(label)
    return CHAPTER_5.say("aantal_activiteiten", meting=wave,
                         hoger=[markdown_text(dutch.lower_first(r)) for r in rising])
