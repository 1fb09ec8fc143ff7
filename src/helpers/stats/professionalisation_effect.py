"""Katern B: what professionalisation does.

The waves of the monitor are repeated cross-sections, not a panel: nothing
here follows a teacher from one wave to the next or computes individual
growth. "Professionalisers gained more" is read as: the gap between groups of
teachers is larger in a later wave than in an earlier one (the interaction
wave × form of professionalisation).

**Form of professionalisation** (:func:`professionalisation_form`). Each
activity is short or long (codebook ``activiteiten.duur``); a
teacher's form is ``geen`` (no activity), ``alleen_kort`` (only short ones),
``alleen_lang`` (only long ones) or ``kort_en_lang`` (at least one of each),
in the order and with the labels of codebook ``activiteiten.vormen``.

**The gap** (for the reader: `helpers.chapters.katern_b.professionalisation.
gap_explanation`). In one wave, the mean score of all teachers who
professionalised (any form but ``geen``, pooled) minus the mean of the
teachers without professionalisation. Pooled rather than
``kort_en_lang`` alone because the published finding is about "teachers who
professionalise", whatever the form; the forms themselves are compared in
:func:`best_form`.

**The two-way ANOVA** (:func:`wave_by_form`): score ~ meting × vorm with
type II sums of squares (``pingouin.anova``, statsmodels underneath for an
unbalanced design). Type II because (1) the interaction, the test this
chapter is about, is the same under type II and type III: the highest term is
always adjusted for both main effects; (2) for the main effects type II
respects marginality, does not depend on the contrast coding, and weighs the
cells by their size, so the main effect of the wave is the change in the
level of the teachers as they are, adjusted for the form, rather than a
comparison of unweighted cell means in which the small ``geen`` and
``alleen_lang`` cells count as much as the large ``kort_en_lang`` cell; it
is also the more powerful test when the interaction is small. The design is
unbalanced (forms and waves have very different sizes), which type II
handles.

**Whether the gap grew** (for the reader: `helpers.chapters.katern_b.
professionalisation.gap_explanation`): ``gegroeid`` when the interaction is
significant after Holm (p_holm < .05) and the gap grew by at least a small
standardised difference (kloof_g ≥ 0.2, Hedges' thresholds,
:data:`~helpers.stats.scales.HEDGES_G_THRESHOLDS`); ``kleiner geworden`` for
the mirror image; otherwise ``niet gegroeid``. The change of the gap is a
comparison of two differences, so it is judged like every two-group
comparison of the book. The partial eta squared of the omnibus interaction
is reported and judged per term as well (``np2``, ``effect``,
``opvallend``), but it is not the measure of the gap: it spreads the change
of the gap over (waves − 1) × (forms − 1) degrees of freedom and shrinks with
unequal cells, so with the monitor's small ``geen`` group (about one teacher
in eight) it stays below the small threshold of .01 even when the gap grows
from nothing to half a standard deviation (a test shows it); only a gap that
reverses sign would reach it.

**Only the forms a page shows.** The tests take `shown`: per scale and wave
the forms the chapter's table of means shows (the book's one group
decision, :func:`helpers.chapters.common.group_decision`). A form withheld in
a wave is left out of that wave's scores for the scale: out of the test, the
gap and the comparison of the forms, so no result rests on a group the page
does not show. Without `shown`, every form takes part.

A scale not measured in a wave (no respondent of that wave has a score) is
left out for that wave, never counted as 0. With one measured wave the
interaction cannot be tested: the rows say so in ``reden``; nothing raises.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats

from helpers.data.codebook import Codebook, load_codebook
from helpers.data.derive import PROF_COUNT
from helpers.data.waves import waves as _waves
from helpers.stats.association import ALPHA
from helpers.stats.professionalisation import activity_shares
from helpers.stats.pvalues import reported_p
from helpers.stats.scales import (
    GROUP_SEPARATOR,
    HEDGES_G_THRESHOLDS,
    _add_verdict,
    _no_variance,
    _t_interval,
    effect_size_label,
    games_howell,
    outcome_variance_shares,
)
from helpers.stats.typology import practice_score

# -- the forms ---------------------------------------------------------------------------
SHORT, LONG = "kort", "lang"  # the two durations of codebook activiteiten.duur
NONE, SHORT_ONLY, LONG_ONLY, SHORT_AND_LONG = "geen", "alleen_kort", "alleen_lang", "kort_en_lang"
FORM_COLUMN = "vorm"
FORM_LABEL = "Vorm van professionalisering"
PROFESSIONALISED = "wel"  # every form but NONE, pooled
PROFESSIONALISED_LABEL = "Wel professionalisering (korte en/of langere activiteiten)"

GROWN, NOT_GROWN, SHRUNK = "gegroeid", "niet gegroeid", "kleiner geworden"
ROSE, FELL, NO_CHANGE = "gestegen", "gedaald", "geen opvallende verandering"

# Terms of the two-way ANOVA: code -> (pingouin Source, Dutch label).
WAVE_TERM, FORM_TERM, INTERACTION_TERM = "meting", "vorm", "meting_x_vorm"
TERMS = {
    WAVE_TERM: ("meting", "Meting"),
    FORM_TERM: ("vorm", FORM_LABEL),
    INTERACTION_TERM: ("meting * vorm", "Interactie meting × vorm"),
}

ONE_WAVE = "De schaal is in maar één meting gemeten: een verandering tussen metingen is niet te toetsen"
TOO_FEW_FORMS = "Minder dan twee vormen met genoeg docenten in elke meting: de interactie is niet te toetsen"
TOO_FEW_SCORES = "Te weinig scores of geen spreiding: niet te toetsen"
WAVE_NOT_IN_DATA = "Deze meting komt niet voor in de gegevens"


def _codebook(codebook: Codebook | None) -> Codebook:
    return codebook or load_codebook()


def form_labels(codebook: Codebook | None = None) -> dict[str, str]:
    """{form code: Dutch label} in codebook order."""
    return dict(_codebook(codebook).professionalisation_forms)


def professionalisation_form(df: pd.DataFrame, codebook: Codebook | None = None) -> pd.Series:
    """Each respondent's form of professionalisation, a categorical Series named 'vorm'.

    From the 0/1 activity columns and their duration (codebook): no
    activity -> 'geen'; only short ones -> 'alleen_kort'; only long ones ->
    'alleen_lang'; at least one short and one long -> 'kort_en_lang'.
    Categories in codebook order. An empty activity cell counts as not taken
    part; a respondent with every activity cell empty gets a missing form.
    """
    cb = _codebook(codebook)
    columns = list(cb.activities)
    acts = df[columns].astype("Float64")
    took = acts.fillna(0).astype(float) == 1
    short = took[[c for c in columns if cb.activity_duration[c] == SHORT]].any(axis=1)
    long = took[[c for c in columns if cb.activity_duration[c] == LONG]].any(axis=1)
    codes = np.select([short & long, short, long], [SHORT_AND_LONG, SHORT_ONLY, LONG_ONLY], NONE).astype(object)
    codes[acts.isna().all(axis=1).to_numpy()] = None
    return pd.Series(pd.Categorical(codes, categories=list(cb.professionalisation_forms)), index=df.index,
                     name=FORM_COLUMN)


# -- shared helpers ----------------------------------------------------------------------
def _scale_frame(df: pd.DataFrame, sid: str, form: pd.Series, cb: Codebook) -> pd.DataFrame:
    """score, meting, vorm of the respondents with a score on `sid` and a form."""
    frame = pd.DataFrame({"score": practice_score(df, [sid], cb), "meting": df["meting"], FORM_COLUMN: form})
    frame = frame.dropna()
    frame["meting"] = frame["meting"].astype(int)
    return frame


def _shown_only(frame: pd.DataFrame, sid: str, shown) -> pd.DataFrame:
    """The rows of a score frame of `sid` whose form the page shows in their wave (`shown`, see the module)."""
    if shown is None:
        return frame
    allowed = {(int(wave), str(form)) for (scale, wave), forms in shown.items() if scale == sid for form in forms}
    keep = [(int(w), str(f)) in allowed for w, f in zip(frame["meting"], frame[FORM_COLUMN].astype(object))]
    return frame.loc[np.asarray(keep, dtype=bool)]


def _measured_scales(df: pd.DataFrame, scales, cb: Codebook, shown=None):
    """Yield (scale, score frame with meting and vorm, waves in which it was measured) for each measured scale.

    The waves are those with a score; the frame then keeps the forms shown in each wave only (`shown`).
    """
    form = professionalisation_form(df, cb)
    for sid in scales:
        frame = _scale_frame(df, sid, form, cb)
        waves = _waves(frame)  # a score frame holds only scored rows: its waves are those measured
        if waves:
            yield sid, _shown_only(frame, sid, shown), waves


def _scale_info(sid: str, cb: Codebook) -> dict:
    scale = cb.scales[sid]
    return dict(schaal=sid, schaal_label=scale.label, domein=scale.domain)


def _gap(frame: pd.DataFrame, wave: int) -> float:
    """Mean of the professionalised (every form but 'geen') minus mean of 'geen' in one wave."""
    part = frame.loc[frame["meting"] == wave]
    none = part.loc[part[FORM_COLUMN] == NONE, "score"]
    rest = part.loc[part[FORM_COLUMN] != NONE, "score"]
    if none.empty or rest.empty:
        return math.nan
    return float(rest.mean() - none.mean())


def _hedges_correction(dof: int) -> float:
    return 1 - 3 / (4 * dof - 1) if dof > 1 else math.nan


def _gap_change_g(frame: pd.DataFrame, early: int, late: int) -> float:
    """(gap later − gap earlier) / pooled sd of the four cells, with Hedges' small-sample correction."""
    cells = []
    for wave in (early, late):
        part = frame.loc[frame["meting"] == wave]
        cells += [part.loc[part[FORM_COLUMN] == NONE, "score"], part.loc[part[FORM_COLUMN] != NONE, "score"]]
    if any(len(c) < 2 for c in cells):
        return math.nan
    dof = sum(len(c) - 1 for c in cells)
    pooled = math.sqrt(sum((len(c) - 1) * c.var(ddof=1) for c in cells) / dof)
    if pooled == 0:
        return math.nan
    change = _gap(frame, late) - _gap(frame, early)
    return change / pooled * _hedges_correction(dof)


def _verdicts(table: pd.DataFrame, effect_column: str, kind: str, tested=None) -> pd.DataFrame:
    """Add p_holm (Holm over the rows with a p, of `tested` if given), effect and opvallend (the book's one
    implementation)."""
    columns = list(dict.fromkeys([*table.columns, "p_holm", "effect", "opvallend"]))
    return _add_verdict(table, effect_column, kind, columns, tested=tested)


# -- 1. shares of activities and forms per wave -----------------------------------------
FORM_SHARE_COLUMNS = ["meting", "vorm", "vorm_label", "n", "aantal", "aandeel"]


def form_shares(df: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """How the teachers of each wave divide over the four forms.

    Columns: meting, vorm, vorm_label, n (respondents of the wave with a
    form), aantal, aandeel (fraction of n). Every form of the codebook gets a
    row in every wave present, also with aantal 0.
    """
    cb = _codebook(codebook)
    form = professionalisation_form(df, cb)
    rows = []
    for wave in _waves(df):
        in_wave = form[df["meting"] == wave].dropna()
        counts = in_wave.value_counts()
        n = len(in_wave)
        for code, text in cb.professionalisation_forms.items():
            k = int(counts.get(code, 0))
            rows.append(dict(meting=wave, vorm=code, vorm_label=text, n=n, aantal=k, aandeel=k / n if n else math.nan))
    return pd.DataFrame(rows, columns=FORM_SHARE_COLUMNS)


ACTIVITY_SHARE_COLUMNS = ["meting", "activiteit", "activiteit_label", "duur", "n", "aantal", "aandeel"]


def activity_shares_by_wave(df: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Share of the teachers that took part in each activity, per wave (:func:`activity_shares` per wave).

    Columns: meting, activiteit, activiteit_label, duur ('kort' or 'lang'),
    n, aantal, aandeel.
    """
    cb = _codebook(codebook)
    parts = []
    for wave in _waves(df):
        table = activity_shares(df.loc[df["meting"] == wave], codebook=cb)
        parts.append(table.assign(meting=wave, duur=table["activiteit"].map(cb.activity_duration)))
    if not parts:
        return pd.DataFrame(columns=ACTIVITY_SHARE_COLUMNS)
    return pd.concat(parts, ignore_index=True)[ACTIVITY_SHARE_COLUMNS]


# -- 2. means per wave × form × scale ----------------------------------------------------
FORM_MEANS_COLUMNS = ["meting", "groep", "groep_label", "schaal", "schaal_label", "domein", "n", "gemiddelde", "sd",
                      "ci_laag", "ci_hoog"]


def form_means(df: pd.DataFrame, scales, codebook: Codebook | None = None) -> pd.DataFrame:
    """Mean, sd and 95% t-interval of each scale score per wave × form.

    One row per wave in which the scale was measured × form (codebook order)
    × scale (order given); a scale is skipped for a wave in which no
    respondent has a score. A form without respondents in such a wave gets
    n = 0 and missing statistics. Columns: meting, groep (form code),
    groep_label, schaal, schaal_label, domein, n, gemiddelde, sd, ci_laag,
    ci_hoog.
    """
    cb = _codebook(codebook)
    form = professionalisation_form(df, cb)
    rows = []
    for sid in scales:
        frame = _scale_frame(df, sid, form, cb)
        for wave in _waves(frame):
            part = frame.loc[frame["meting"] == wave]
            for code, text in cb.professionalisation_forms.items():
                values = part.loc[part[FORM_COLUMN] == code, "score"].to_numpy(dtype=float)
                mean, sd, low, high = _t_interval(values)
                rows.append(dict(meting=wave, groep=code, groep_label=text, **_scale_info(sid, cb), n=len(values),
                                 gemiddelde=mean, sd=sd, ci_laag=low, ci_hoog=high))
    table = pd.DataFrame(rows, columns=FORM_MEANS_COLUMNS)
    return table.sort_values(["meting"], kind="stable").reset_index(drop=True)


# -- 3. wave × form ----------------------------------------------------------------------
WAVE_BY_FORM_COLUMNS = [
    "schaal", "schaal_label", "domein", "meting_eerder", "meting_later", "k_metingen", "k_vormen", "vormen", "n",
    "term", "term_label", "df1", "df2", "F", "p", "p_holm", "np2", "effect", "opvallend",
    "kloof_eerder", "kloof_later", "kloof_verschil", "kloof_g", "kloof_effect", "kloof", "reden",
]


def _anova_rows(frame: pd.DataFrame, waves: list[int]) -> tuple[list[dict], str | None, list[str], int]:
    """(term rows, reason, forms, n) of score ~ meting × vorm over `waves`; no rows and a reason if untestable.

    Only forms with a score in every wave take part (an empty cell leaves
    the interaction undefined).
    """
    frame = frame.loc[frame["meting"].isin(waves)]
    present = [code for code in frame[FORM_COLUMN].cat.categories
               if all(((frame["meting"] == w) & (frame[FORM_COLUMN] == code)).any() for w in waves)]
    data = frame.loc[frame[FORM_COLUMN].isin(present)]
    if len(present) < 2:
        return [], TOO_FEW_FORMS, present, len(data)
    cells = len(present) * len(waves)
    if len(data) <= cells or data["score"].nunique() < 2:
        return [], TOO_FEW_SCORES, present, len(data)
    data = pd.DataFrame({"score": data["score"].astype(float),
                         "meting": pd.Categorical(data["meting"], categories=waves),
                         FORM_COLUMN: pd.Categorical(data[FORM_COLUMN].astype(object), categories=present)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        aov = pg.anova(data=data, dv="score", between=["meting", FORM_COLUMN], ss_type=2).set_index("Source")
    residual_df = float(aov.loc["Residual", "DF"])
    rows = []
    for code, (source, text) in TERMS.items():
        r = aov.loc[source]
        rows.append(dict(term=code, term_label=text, df1=int(r["DF"]), df2=residual_df, F=float(r["F"]),
                         p=reported_p(float(r["p_unc"])), np2=float(r["np2"])))
    return rows, None, present, len(data)


def wave_by_form(df: pd.DataFrame, scales, codebook: Codebook | None = None, shown=None) -> pd.DataFrame:
    """Two-way ANOVA score ~ meting × vorm per scale, and whether the gap grew.

    Per scale, over the waves in which it was measured (and the forms with
    scores in each of them), three rows: term 'meting', 'vorm' and
    'meting_x_vorm' with df1, df2, F, p, np2 (type II sums of squares, see
    the module docstring), p_holm (Holm over every term row with a p in the
    table), effect (Dutch label of np2) and opvallend
    (:func:`helpers.stats.scales.is_notable`).
    Every row of a scale also carries: meting_eerder / meting_later (earliest
    and latest wave in which the scale was measured), k_metingen, k_vormen
    and vormen (the forms in the test, joined by ``GROUP_SEPARATOR``; of a
    scale not tested, the forms with a score), n (scores in the test), kloof_eerder / kloof_later (the gap,
    see the module docstring, in those waves), kloof_verschil (later −
    earlier), kloof_g (that change standardised on the pooled sd of the four
    cells, Hedges-corrected), kloof_effect (its Dutch label) and kloof
    ('gegroeid', 'niet gegroeid' or 'kleiner geworden', see the module docstring).

    A scale measured in one wave only, or without two forms present in every
    wave, gets one row (term 'meting_x_vorm') with missing statistics, kloof
    missing and the reason in ``reden``. A scale without any score is left out.
    A gap without its number (the form 'geen' not shown in a wave) gets no verdict.
    `shown`: the forms the page shows per scale and wave (see the module).
    """
    cb = _codebook(codebook)
    rows = []
    for sid, frame, waves in _measured_scales(df, scales, cb, shown):
        early, late = waves[0], waves[-1]
        base = dict(**_scale_info(sid, cb), meting_eerder=early, meting_later=late, k_metingen=len(waves),
                    kloof_eerder=_gap(frame, early), kloof_later=_gap(frame, late))
        forms = [c for c in frame[FORM_COLUMN].cat.categories if (frame[FORM_COLUMN] == c).any()]
        terms, reason, forms, n = ([], ONE_WAVE, forms, len(frame)) if len(waves) < 2 else _anova_rows(frame, waves)
        base.update(k_vormen=len(forms), vormen=GROUP_SEPARATOR.join(forms))
        if reason is not None:
            rows.append(dict(base, n=n, term=INTERACTION_TERM, term_label=TERMS[INTERACTION_TERM][1],
                             kloof_verschil=math.nan, kloof_g=math.nan, reden=reason))
            continue
        change = base["kloof_later"] - base["kloof_eerder"]
        g = _gap_change_g(frame, early, late)
        for term in terms:
            rows.append(dict(base, n=n, **term, kloof_verschil=change, kloof_g=g, reden=None))
    table = pd.DataFrame(rows, columns=[c for c in WAVE_BY_FORM_COLUMNS if c not in ("p_holm", "effect", "opvallend")])
    table["df1"] = table["df1"].astype("Int64")
    table = _verdicts(table, "np2", "np2")
    table["kloof_effect"] = pd.Series([effect_size_label(v, "hedges_g") for v in table["kloof_g"]], index=table.index,
                                      dtype=object)
    interaction_p = table.loc[table["term"] == INTERACTION_TERM].set_index("schaal")["p_holm"]
    table["kloof"] = pd.Series([_gap_verdict(interaction_p.get(sid), g, reason)
                                for sid, g, reason in zip(table["schaal"], table["kloof_g"], table["reden"])],
                               index=table.index, dtype=object)
    return table[WAVE_BY_FORM_COLUMNS]


def _gap_verdict(p_holm, g, reason) -> str | None:
    if isinstance(reason, str) or pd.isna(g):  # not testable, or no gap to judge
        return None
    if p_holm is None or pd.isna(p_holm) or pd.isna(g) or float(p_holm) >= ALPHA:
        return NOT_GROWN
    if g >= HEDGES_G_THRESHOLDS[0]:
        return GROWN
    if g <= -HEDGES_G_THRESHOLDS[0]:
        return SHRUNK
    return NOT_GROWN


# -- 4. change without professionalisation -----------------------------------------------
CHANGE_COLUMNS = ["groep", "groep_label", "schaal", "schaal_label", "domein", "meting_eerder", "meting_later",
                  "n_eerder", "gemiddelde_eerder", "n_later", "gemiddelde_later", "verschil", "hedges_g", "p",
                  "p_holm", "effect", "opvallend", "richting", "reden"]


def change_without_professionalisation(df: pd.DataFrame, scales, codebook: Codebook | None = None) -> pd.DataFrame:
    """Change of the mean from the earliest to the latest measured wave, without and with professionalisation.

    Two groups of teachers: 'geen' (form 'geen') and 'wel' (every other
    form, pooled). Per group × scale: the means in the earliest and the
    latest wave in which the scale was measured, verschil (later −
    earlier), hedges_g (same sign), p (Welch's t-test of the two waves'
    teachers: independent samples, the waves are cross-sections), p_holm
    (Holm over the rows with a p; :func:`change_verdicts` corrects over the
    rows a page shows), effect, opvallend (:func:`helpers.stats.scales.is_notable`) and
    richting ('gedaald' / 'gestegen' when opvallend, else 'geen opvallende
    verandering'). A scale measured in one wave only, or a group with fewer
    than two scores in either wave, gets missing statistics and a ``reden``.
    """
    cb = _codebook(codebook)
    groups = {NONE: (cb.professionalisation_forms[NONE], lambda f: f == NONE),
              PROFESSIONALISED: (PROFESSIONALISED_LABEL, lambda f: f != NONE)}
    measured = list(_measured_scales(df, scales, cb))  # one score frame per scale, used by both groups
    rows = []
    for code, (text, member) in groups.items():
        for sid, frame, waves in measured:
            early, late = waves[0], waves[-1]
            part = frame.loc[member(frame[FORM_COLUMN].astype(object))]
            a = part.loc[part["meting"] == early, "score"].to_numpy(dtype=float)
            b = part.loc[part["meting"] == late, "score"].to_numpy(dtype=float)
            row = dict(groep=code, groep_label=text, **_scale_info(sid, cb), meting_eerder=early, meting_later=late,
                       n_eerder=len(a), gemiddelde_eerder=float(a.mean()) if len(a) else math.nan,
                       n_later=len(b), gemiddelde_later=float(b.mean()) if len(b) else math.nan,
                       verschil=math.nan, hedges_g=math.nan, p=math.nan, reden=None)
            if len(waves) < 2:
                row["reden"] = ONE_WAVE
            elif len(a) < 2 or len(b) < 2 or (np.var(a) == 0 and np.var(b) == 0):
                row["reden"] = TOO_FEW_SCORES
            else:
                row.update(verschil=float(b.mean() - a.mean()),
                           hedges_g=float(pg.compute_effsize(b, a, eftype="hedges")),
                           p=reported_p(float(stats.ttest_ind(b, a, equal_var=False).pvalue)))
            rows.append(row)
    return change_verdicts(pd.DataFrame(rows, columns=[c for c in CHANGE_COLUMNS if c not in
                                                       ("p_holm", "effect", "opvallend", "richting")]))


def change_verdicts(table: pd.DataFrame, tested=None) -> pd.DataFrame:
    """p_holm, effect, opvallend and richting of a :func:`change_without_professionalisation` table.

    Holm over the rows of `tested` (a boolean mask of the rows a page shows;
    default every row) that have a p; a row outside it gets no p_holm and is
    not notable. Columns beyond :data:`CHANGE_COLUMNS` are kept after them.
    """
    table = _verdicts(table, "hedges_g", "hedges_g", tested)
    table["richting"] = pd.Series(
        [None if isinstance(r, str) else (FELL if d < 0 else ROSE) if notable else NO_CHANGE
         for d, notable, r in zip(table["verschil"], table["opvallend"], table["reden"])],
        index=table.index, dtype=object)
    return table[[*CHANGE_COLUMNS, *[c for c in table.columns if c not in CHANGE_COLUMNS]]]


# -- 5. the best form --------------------------------------------------------------------
BEST_FORM_COLUMNS = ["meting", "schaal", "schaal_label", "domein", "hoogste_vorm", "hoogste_vorm_label", "vorm",
                     "vorm_label", "n_combinatie", "gemiddelde_combinatie", "n_vorm", "gemiddelde_vorm", "verschil",
                     "hedges_g", "p", "p_holm", "effect", "opvallend", "combinatie_best", "reden"]
SINGLE_FORMS = (SHORT_ONLY, LONG_ONLY)  # the forms with one kind of activity


def best_form(df: pd.DataFrame, scales, wave: int | None = None, codebook: Codebook | None = None,
              shown=None) -> pd.DataFrame:
    """In one wave (default the newest in `df`): which form scores highest, and is 'kort_en_lang' notably above?

    Per scale measured in the wave, one row per other form (codebook order):
    'kort_en_lang' against it with Games-Howell (:func:`helpers.stats.scales.games_howell`
    over every form with at least two scores), Hedges' g (positive:
    combination higher), verschil = gemiddelde_combinatie − gemiddelde_vorm,
    p (Games-Howell), p_holm (Holm over every row of the table; :func:`best_verdicts`
    corrects over the rows a page shows), effect and
    opvallend (:func:`helpers.stats.scales.is_notable`). hoogste_vorm is the form with the highest
    mean; combinatie_best is True when that is 'kort_en_lang' and it is
    notably above each single form ('alleen_kort' and 'alleen_lang'). A scale
    not measured in the wave gives no rows; a wave not in the data, or a
    scale without enough forms to compare, gives one row with a ``reden``.
    `shown`: the forms the page shows per scale and wave (see the module):
    only those are compared, and only those can be the highest.
    """
    cb = _codebook(codebook)
    waves = _waves(df)
    wave = waves[-1] if wave is None and waves else wave
    if wave is None or wave not in waves:
        return pd.DataFrame([dict(meting=wave, reden=WAVE_NOT_IN_DATA)], columns=BEST_FORM_COLUMNS)
    in_wave = df.loc[df["meting"] == wave]
    form = professionalisation_form(in_wave, cb)
    labels = form_labels(cb)
    rows = []
    for sid in scales:
        frame = _scale_frame(in_wave, sid, form, cb)
        if frame.empty:
            continue
        frame = _shown_only(frame, sid, shown)
        if frame.empty:
            rows.append(dict(meting=wave, **_scale_info(sid, cb), reden=TOO_FEW_SCORES))
            continue
        means = frame.groupby(FORM_COLUMN, observed=True)["score"].agg(["mean", "count"])
        top = str(means["mean"].idxmax())
        usable = [c for c in labels if c in means.index and means.loc[c, "count"] >= 2]
        base = dict(meting=wave, **_scale_info(sid, cb), hoogste_vorm=top, hoogste_vorm_label=labels[top])
        if SHORT_AND_LONG not in usable or len(usable) < 2 or frame["score"].nunique() < 2:
            rows.append(dict(base, reden=TOO_FEW_SCORES))
            continue
        data = pd.DataFrame({"score": frame["score"].astype(float),
                             FORM_COLUMN: frame[FORM_COLUMN].astype(object)})
        data = data.loc[data[FORM_COLUMN].isin(usable)]
        result = games_howell(data, "score", FORM_COLUMN)
        for other in usable:
            if other == SHORT_AND_LONG:
                continue
            hit = result[(result["A"] == SHORT_AND_LONG) & (result["B"] == other)]
            sign = 1
            if hit.empty:
                hit, sign = result[(result["A"] == other) & (result["B"] == SHORT_AND_LONG)], -1
            r = hit.iloc[0]
            rows.append(dict(base, vorm=other, vorm_label=labels[other],
                             n_combinatie=int(means.loc[SHORT_AND_LONG, "count"]),
                             gemiddelde_combinatie=float(means.loc[SHORT_AND_LONG, "mean"]),
                             n_vorm=int(means.loc[other, "count"]), gemiddelde_vorm=float(means.loc[other, "mean"]),
                             verschil=float(means.loc[SHORT_AND_LONG, "mean"] - means.loc[other, "mean"]),
                             hedges_g=sign * float(r["hedges"]), p=float(r["pval"]), reden=None))
    return best_verdicts(pd.DataFrame(rows, columns=[c for c in BEST_FORM_COLUMNS
                                                     if c not in ("p_holm", "effect", "opvallend", "combinatie_best")]))


def best_verdicts(table: pd.DataFrame, tested=None) -> pd.DataFrame:
    """p_holm, effect, opvallend and combinatie_best of a :func:`best_form` table.

    Holm over the rows of `tested` (a boolean mask of the rows a page shows;
    default every row) that have a p; a row outside it gets no p_holm and is
    not notable, so 'kort_en_lang' is not called best over a form the page
    does not show. Columns beyond :data:`BEST_FORM_COLUMNS` are kept after them.
    """
    table = _verdicts(table, "hedges_g", "hedges_g", tested)
    best = {}
    for sid, part in table.groupby("schaal", sort=False):
        singles = part.loc[part["vorm"].isin(SINGLE_FORMS)]
        best[sid] = bool(part["hoogste_vorm"].iloc[0] == SHORT_AND_LONG and len(singles) == len(SINGLE_FORMS)
                         and (singles["opvallend"] & (singles["verschil"] > 0)).all())
    table["combinatie_best"] = table["schaal"].map(best).astype(object).where(table["reden"].isna(), None)
    return table[[*BEST_FORM_COLUMNS, *[c for c in table.columns if c not in BEST_FORM_COLUMNS]]]


# -- 6. how much teachers within an institution differ in professionalisation ------------
SPREAD_KEYS = ["meting", "n", "n_instellingen", "n_teams", "var_instelling", "var_team", "var_docent",
               "aandeel_instelling", "aandeel_team", "aandeel_docent", "optimalisatie", "reden"]


def _activity_count(df: pd.DataFrame, cb: Codebook) -> pd.Series:
    """prof_aantal if derived, else the same rule (helpers.data.derive.add_derived): the sum of the activities."""
    if PROF_COUNT in df.columns:
        return df[PROF_COUNT].astype("Float64").astype(float)
    return df[list(cb.activities)].astype("Float64").sum(axis=1, skipna=True).astype(float)


def professionalisation_spread(df: pd.DataFrame, wave: int | None = None,
                               codebook: Codebook | None = None) -> dict:
    """Share of the variance of the number of activities (prof_aantal) at institution, team and teacher level.

    In one wave (default the newest in `df`), with the null mixed model of
    :func:`helpers.stats.scales.variance_shares` (:func:`outcome_variance_shares`).
    Returns a dict: meting plus the keys of variance_shares (n,
    n_instellingen, n_teams, var_instelling, var_team, var_docent,
    aandeel_instelling, aandeel_team, aandeel_docent, optimalisatie, reden).
    A wave not in the data gives missing shares and a reden.
    """
    cb = _codebook(codebook)
    waves = _waves(df)
    wave = waves[-1] if wave is None and waves else wave
    if wave is None or wave not in waves:
        return dict(meting=wave, **_no_variance(0, 0, 0, WAVE_NOT_IN_DATA))
    rows = df.loc[df["meting"] == wave]
    return dict(meting=wave, **outcome_variance_shares(rows, _activity_count(rows, cb)))
