"""One decision of the groups an edition shows, on exports unlike the shipped one (`tests/adversarial.py`).

Each test runs the chapters' table functions on an adversarial data set and
checks one rule of issue #24 where it used to break:

- a type of institution of too few institutions is neither tested, nor
  named with its count, nor used as the label of an anonymous institution;
- a test uses exactly the groups its table shows (a domain of ten teachers
  of whom nine have a score on a scale is withheld in that scale's table,
  so the test of that scale leaves it out too);
- a scale the reported wave did not ask is `niet_gevraagd`, not withheld,
  alike in the national and the institution edition;
- a withheld or unmeasured row carries no verdict;
- Katern B: a national theme comparison resting on too few other
  institutions is withheld in an institution edition, as the scale
  comparisons are; the wave × form test and the best-form comparison use
  only the forms the table of means shows, and that table's forms are the
  one decision's.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests

import adversarial
from helpers.book.disclosure import FEW_INSTITUTIONS, NOT_ASKED, REASON, SUPPRESSED, VERDICT_COLUMNS, shown
from helpers.book.edition import MIN_OTHER_INSTITUTIONS, open_edition
from helpers.chapters.common import group_decision, type_word, types_of_few_institutions
from helpers.chapters.katern_a import domains, introduction as a_introduction, professionalisation, typology, variation
from helpers.chapters.katern_a.common import domain_scales
from helpers.chapters.katern_b import introduction as b_introduction, professionalisation as b_professionalisation
from helpers.chapters.katern_b import trends as b_trends
from helpers.data.codebook import load_codebook
from helpers.data.derive import INSTITUTION_TYPE
from helpers.stats import professionalisation_effect as effect
from helpers.stats.scales import GROUP_SEPARATOR

CB = load_codebook()
DOMAINS = list(dict.fromkeys(s.domain for s in CB.scales.values()))


def context(prepared, edition="landelijk"):
    return open_edition(edition, prepared, prepared.parent / f"tables-{edition}", None, None)


# -- the type of institution -------------------------------------------------------------------
def test_types_of_too_few_institutions_are_the_single_aoc_and_the_roc_after_it(types_set):
    assert set(types_of_few_institutions(context(types_set))) == {"aoc", "roc"}


def test_no_test_compares_types_of_institution_the_tables_withhold(types_set):
    """The national edition tested roc against aoc on every scale, enlarging every Holm family."""
    ctx = context(types_set)
    for domain in DOMAINS:
        tests = domains.differences_table(ctx, domain)
        assert not (tests["variabele"] == INSTITUTION_TYPE).any(), f"{domain}: a test of withheld types"


def test_chapter_11_labels_no_institution_by_a_type_of_too_few_institutions(types_set):
    """The single aoc was labelled 'ander type' alone, with its own n and mean."""
    table = variation.institutions_table(context(types_set))
    rows = shown(table)
    withheld = types_of_few_institutions(context(types_set))
    assert not rows["type"].isin(list(withheld)).any()
    per_label = rows["type_label"].value_counts()
    assert (per_label >= MIN_OTHER_INSTITUTIONS).all(), f"a type label points to fewer institutions:\n{per_label}"
    assert (table.loc[table[SUPPRESSED], "type_label"].fillna("") == "").all(), "a type beside a withheld institution"


def test_the_introductions_count_no_type_of_too_few_institutions(types_set):
    ctx = context(types_set)
    text = a_introduction.sample_paragraph(ctx)
    for code in types_of_few_institutions(ctx):
        assert f"{type_word(ctx.type_labels[code])}:" not in text, text
    assert "ander type: " in text
    waves = b_introduction.waves_table(ctx)
    for code in types_of_few_institutions(ctx):
        assert waves[f"n_instellingen_{code}"].isna().all(), f"Katern B counts the institutions of type {code}"
    assert (waves["n_instellingen_ander_type"] >= MIN_OTHER_INSTITUTIONS).all()


# -- a test and its table ----------------------------------------------------------------------
def _shown_groups(table: pd.DataFrame, view: str, scale: str) -> set[str]:
    rows = table.loc[(table["weergave"] == view) & (table["schaal"] == scale) & ~table[SUPPRESSED]
                     & (table["n"].fillna(0) > 0)]
    return set(rows["groep"].astype(str))


def _assert_tests_use_shown_groups(tests: pd.DataFrame, table: pd.DataFrame, where: str, prefix: str = "") -> int:
    for row in tests.itertuples():
        visible = _shown_groups(table, prefix + row.variabele, row.schaal)
        assert row.k_groepen <= len(visible), f"{where} {row.schaal} by {row.variabele}: a withheld group tested"
        assert set(row.groepen.split(GROUP_SEPARATOR)) <= visible, f"{where} {row.schaal} by {row.variabele}"
    return len(tests)


@pytest.mark.parametrize("edition", ["landelijk", adversarial.SMALL_GROUPS, adversarial.TINY])
def test_every_test_uses_only_the_groups_its_table_shows(small_groups_set, edition):
    ctx = context(small_groups_set, edition)
    checked = 0
    for domain in DOMAINS:
        checked += _assert_tests_use_shown_groups(domains.differences_table(ctx, domain),
                                                  domains.scales_table(ctx, domain), f"{edition}/{domain}")
    own = len(ctx.own.loc[ctx.own["meting"] == ctx.national["meting"].max()]) >= ctx.min_n
    prefix = "" if own or ctx.edition.is_national else "landelijk:"
    checked += _assert_tests_use_shown_groups(typology.differences_table(ctx), typology.profile_table(ctx),
                                              f"{edition}/a8", prefix)
    profile = professionalisation.profile_table(ctx)
    for row in professionalisation.differences_table(ctx).itertuples():
        visible = _shown_groups(profile, prefix + "prof_groep", row.schaal)
        assert {row.groep_a, row.groep_b} <= visible, f"{edition}/a10 {row.schaal}: a withheld group tested"
    assert checked or edition == adversarial.TINY


def test_a_domain_withheld_on_one_scale_is_left_out_of_that_scales_test(small_groups_set):
    """Ten teachers in a domain, nine with a score on one scale: the table withholds them there, so does the test."""
    ctx = context(small_groups_set, adversarial.SMALL_GROUPS)
    table = domains.scales_table(ctx, "over")
    visible = _shown_groups(table, "domein", adversarial.SHRUNK_SCALE)
    assert adversarial.SHRUNK_DOMAIN not in visible
    tests = domains.differences_table(ctx, "over")
    row = tests.loc[(tests["schaal"] == adversarial.SHRUNK_SCALE) & (tests["variabele"] == "domein")].iloc[0]
    assert row["k_groepen"] == len(visible)
    assert adversarial.SHRUNK_DOMAIN not in row["groepen"].split(GROUP_SEPARATOR)


# -- not asked, and no verdict without a number -------------------------------------------------
@pytest.mark.parametrize("edition", ["landelijk", adversarial.SMALL_GROUPS])
def test_a_scale_not_asked_is_not_asked_in_every_edition_not_withheld(small_groups_set, edition):
    ctx = context(small_groups_set, edition)
    table = domains.scales_table(ctx, "met")
    rows = table.loc[table["schaal"] == adversarial.NOT_ASKED]
    assert len(rows) and (rows[REASON] == NOT_ASKED).all(), rows[["weergave", "groep", REASON]]
    assert not rows[SUPPRESSED].any() and rows["n"].isna().all() and rows["gemiddelde"].isna().all()
    assert (table.loc[table["schaal"] != adversarial.NOT_ASKED, REASON] != NOT_ASKED).all()
    trends = b_trends.difference_table(ctx, b_trends.chapter_scales("handelen"))
    rows = trends.loc[trends["schaal"] == adversarial.NOT_ASKED]
    assert len(rows) and (rows[REASON] == NOT_ASKED).all() and not rows[SUPPRESSED].any()


def _verdicts_beside_nothing(table: pd.DataFrame) -> pd.DataFrame:
    nothing = pd.Series(False, index=table.index)
    if SUPPRESSED in table:
        nothing |= table[SUPPRESSED].astype(bool)
    if REASON in table:
        nothing |= table[REASON].astype("string").fillna("") == NOT_ASKED
    if "gemeten" in table:
        nothing |= ~table["gemeten"].astype(bool)
    verdicts = [c for c in VERDICT_COLUMNS if c in table]
    values = table.loc[nothing, verdicts].astype(object)
    return values.loc[values.map(lambda v: v is not None and not pd.isna(v) and v != "").any(axis=1)]


@pytest.mark.parametrize("edition", ["landelijk", adversarial.SMALL_GROUPS])
def test_no_verdict_beside_a_number_withheld_or_not_asked(small_groups_set, edition):
    """A withheld or unmeasured row said 'verwaarloosbaar' or 'not notable' beside its blank numbers."""
    ctx = context(small_groups_set, edition)
    tables = {kind: b_trends.difference_table(ctx, b_trends.chapter_scales(kind))
              for kind in ("competenties", "handelen")}
    means, gaps, change, best = b_professionalisation.effect_tables(ctx)
    tables.update(veranderd=change, beste=best, themas=b_professionalisation.themes_table(ctx))
    checked = 0
    for name, table in tables.items():
        wrong = _verdicts_beside_nothing(table)
        assert wrong.empty, f"{edition}/{name}: a verdict beside no number\n{wrong.head()}"
        checked += int(table[SUPPRESSED].astype(bool).sum()) if SUPPRESSED in table else 0
    assert checked, "nothing withheld: the test proves nothing"


# -- Katern B ------------------------------------------------------------------------------------
def test_a_theme_comparison_of_too_few_other_institutions_is_withheld_like_the_scales(few_others_set):
    """I01 and I02 alone took part in the earliest wave: the themes comparison with it showed both institutions
    together beside I01's own page (chapters 2 and 3 withheld the same comparison)."""
    ctx = context(few_others_set, adversarial.FEW_OTHERS)
    themes = b_professionalisation.themes_table(ctx)
    asked = themes.loc[themes["gevraagd"].astype(bool)]
    withheld = asked.loc[asked[SUPPRESSED].astype(bool)]
    assert len(withheld) and (withheld[REASON] == FEW_INSTITUTIONS).all()
    assert withheld[["aandeel_eerder", "aandeel_later", "p", "p_holm", "n_eerder"]].isna().all().all()
    assert withheld["opvallend"].isna().all(), "a verdict beside a withheld comparison"
    scales = b_trends.difference_table(ctx, b_trends.chapter_scales("competenties"))
    national = scales.loc[(scales["groep"] == b_trends.NATIONAL_GROUP) & scales[SUPPRESSED].astype(bool)]
    assert set(withheld["vergelijking"]) == set(national["vergelijking"]), "themes and scales decide alike"
    # Holm over the comparison shown only: the withheld tests make it no stricter.
    rows = asked.loc[~asked[SUPPRESSED].astype(bool)]
    assert len(rows)
    expected = multipletests(rows["p"].astype(float).to_numpy(), method="holm")[1]
    assert np.allclose(rows["p_holm"].astype(float).to_numpy(), expected, rtol=1e-9, atol=0)
    earlier = int(withheld["meting_eerder"].iloc[0])
    text = b_professionalisation.themes_paragraph(ctx, themes)
    assert f"Tussen {earlier} en" not in text and f"vergelijking tussen {earlier}" in text, text
    # The national edition shows every comparison: no institution's own page stands beside it.
    everything = b_professionalisation.themes_table(context(few_others_set))
    assert not everything[SUPPRESSED].astype(bool).any()
    assert everything.loc[everything["vergelijking"].isin(set(withheld["vergelijking"])), "p"].notna().any()


def _forms_shown(means: pd.DataFrame) -> dict:
    rows = means.loc[~means[SUPPRESSED].astype(bool) & (means["n"].fillna(0) > 0)]
    return {key: set(part["groep"]) for key, part in rows.groupby(["schaal", "meting"])}


@pytest.mark.parametrize("edition", ["landelijk", adversarial.SMALL_GROUPS])
def test_the_wave_by_form_test_uses_only_the_forms_its_table_shows(small_groups_set, edition):
    """A form of nine teachers in a wave (and, nationally, the smallest other form with it) is withheld in the
    means per form; the two-way test of wave × form used to include it (4 forms instead of 2)."""
    ctx = context(small_groups_set, edition)
    means, gaps, _, best = b_professionalisation.effect_tables(ctx)
    visible = _forms_shown(means)
    before = int(sorted(means["meting"].unique())[-2])
    assert adversarial.FEW_FORM not in set().union(*[v for (_, w), v in visible.items() if w == before])
    tested = 0
    for row in b_professionalisation.gap_rows(gaps).itertuples():
        waves = sorted(w for (scale, w) in visible if scale == row.schaal)
        in_every = set.intersection(*[visible[(row.schaal, w)] for w in waves])
        if pd.isna(row.F):
            continue
        assert row.k_vormen == len(in_every), f"{row.schaal}: {row.k_vormen} forms tested, shown {in_every}"
        shown_n = means.loc[(means["schaal"] == row.schaal) & means["groep"].isin(in_every) & ~means[SUPPRESSED], "n"]
        assert row.n == int(shown_n.sum()), f"{row.schaal}: {row.n} scores tested, the table shows {shown_n.sum()}"
        assert set(row.vormen.split(GROUP_SEPARATOR)) == in_every, f"{row.schaal}: tests {row.vormen}"
        tested += 1
    assert tested
    no_gap = gaps["kloof_g"].isna()
    assert gaps.loc[no_gap, "kloof"].isna().all(), "a gap verdict without the gap"
    for row in best.dropna(subset=["vorm"]).itertuples():
        forms = visible[(row.schaal, int(row.meting))]
        assert {row.vorm, effect.SHORT_AND_LONG, row.hoogste_vorm} <= forms, f"best form {row.schaal}: {row.vorm}"


@pytest.mark.parametrize("edition", ["landelijk", adversarial.SMALL_GROUPS])
def test_the_means_per_form_withhold_what_the_one_decision_withholds(small_groups_set, edition):
    """Per scale and wave the forms are a breakdown: a withheld form of nine is recoverable from the wave's shown
    total unless another form goes with it (complementary), as in every other breakdown."""
    ctx = context(small_groups_set, edition)
    means = b_professionalisation.effect_tables(ctx)[0]
    raw = effect.form_means(ctx.national, b_professionalisation.outcome_scales())  # every form's size
    complementary = 0
    for (scale, wave), part in raw.groupby(["schaal", "meting"]):
        decision = group_decision(ctx, effect.FORM_COLUMN, dict(zip(part["groep"], part["n"])), national=True)
        table = means.loc[(means["schaal"] == scale) & (means["meting"] == wave)]
        withheld = dict(zip(table.loc[table[SUPPRESSED], "groep"], table.loc[table[SUPPRESSED], REASON]))
        assert withheld == decision.withheld, f"{scale} {wave}"
        complementary += sum(r == "aanvullend" for r in withheld.values())
    assert complementary, "no form withheld with a small one: the test proves nothing"


def test_the_best_form_compares_only_the_forms_shown(small_groups_set):
    ctx = context(small_groups_set)
    newest = int(ctx.national["meting"].max())
    scale = b_professionalisation.outcome_scales()[0]
    every = effect.best_form(ctx.national, [scale])
    assert effect.LONG_ONLY in set(every["vorm"])
    forms = {(scale, newest): (effect.NONE, effect.SHORT_ONLY, effect.SHORT_AND_LONG)}
    fewer = effect.best_form(ctx.national, [scale], shown=forms)
    assert set(fewer["vorm"]) == {effect.NONE, effect.SHORT_ONLY}
    assert fewer["hoogste_vorm"].isin(forms[(scale, newest)]).all()
    assert not fewer["combinatie_best"].any(), "best over a single form the page does not show"


@pytest.mark.parametrize("edition", ["landelijk", adversarial.SMALL_GROUPS])
def test_the_change_without_professionalisation_gives_no_withheld_form_away(small_groups_set, edition):
    """'Geen' against 'wel' per scale: 'wel' pools the forms, and chapters 2 and 3 show each wave's total, so a row
    beside a withheld form gives it away by subtraction (2017: 'wel' shown with 'geen' and 'alleen kort' withheld)."""
    ctx = context(small_groups_set, edition)
    means, _, change, _ = b_professionalisation.effect_tables(ctx)
    visible = _forms_shown(means)
    present = {key: set(part.loc[part["n"].fillna(0) > 0, "groep"]) | set(part.loc[part[SUPPRESSED], "groep"])
               for key, part in means.groupby(["schaal", "meting"])}
    rows = change.loc[~change[SUPPRESSED].astype(bool) & change["n_eerder"].notna()]
    for row in rows.itertuples():
        for wave in (int(row.meting_eerder), int(row.meting_later)):
            members = {effect.NONE} if row.groep == effect.NONE else present[(row.schaal, wave)] - {effect.NONE}
            assert members <= visible.get((row.schaal, wave), set()), \
                f"{row.schaal} {wave}: '{row.groep}' shown beside a withheld form"
    assert change[SUPPRESSED].astype(bool).any(), "nothing withheld: the test proves nothing"
    tested = change.loc[change["p"].notna()]
    if len(tested):
        expected = multipletests(tested["p"].astype(float).to_numpy(), method="holm")[1]
        assert np.allclose(tested["p_holm"].astype(float).to_numpy(), expected, rtol=1e-9, atol=0)


def test_completers_and_early_stoppers_are_compared_only_where_both_are_shown(small_groups_set):
    """The introduction's comparison of completers and early stoppers tested a group of any size."""
    ctx = context(small_groups_set)
    table = a_introduction.completion_table(ctx)
    assert len(table)
    stoppers = int(table["n_gestopt"].min())
    stricter = open_edition("landelijk", small_groups_set, small_groups_set.parent / "tables-strict", stoppers + 1,
                            None)
    for row in a_introduction.completion_table(stricter).itertuples():
        assert min(row.n_volledig, row.n_gestopt) >= stricter.min_n, f"{row.domein}: a group below the threshold"
    assert len(a_introduction.completion_table(stricter)) < len(table)


@pytest.mark.parametrize("edition", ["landelijk", adversarial.SMALL_GROUPS])
def test_the_forms_per_wave_withhold_what_the_one_decision_withholds(small_groups_set, edition):
    """Chapter 4 showed the national forms of every wave whatever their size: nine teachers 'alleen langere
    activiteiten' in the wave before the newest, with their share (7,5%)."""
    ctx = context(small_groups_set, edition)
    table = b_professionalisation.forms_table(ctx)
    national = table.loc[table["groep"] == "landelijk"]
    raw = effect.form_shares(ctx.national)
    before = int(sorted(raw["meting"].unique())[-2])
    row = national.loc[(national["meting"] == before) & (national["vorm"] == adversarial.FEW_FORM)].iloc[0]
    assert row[SUPPRESSED] and pd.isna(row["aandeel"]) and pd.isna(row["aantal"])
    for wave, part in raw.groupby("meting"):
        decision = group_decision(ctx, effect.FORM_COLUMN, dict(zip(part["vorm"], part["aantal"])), national=True)
        rows = national.loc[national["meting"] == wave]
        assert dict(zip(rows.loc[rows[SUPPRESSED], "vorm"], rows.loc[rows[SUPPRESSED], REASON])) == decision.withheld
    shown_rows = national.loc[~national[SUPPRESSED]]
    assert (shown_rows["aantal"] >= ctx.min_n).all(), "a form below the threshold shown"
    text = b_professionalisation.forms_paragraph(ctx, table)
    none = national.loc[(national["meting"] == before) & (national["vorm"] == effect.NONE)].iloc[0]
    assert none[SUPPRESSED], "the form withheld with the small one (complementary)"
    assert "staat er niet bij" in text and f"in {before}" not in text.split("combineerde")[0], text


def test_the_scores_per_number_of_activities_withhold_by_the_one_decision(small_groups_set):
    """The old primary-only rule withheld four teachers with six activity kinds in a wave but showed the ten with
    five beside the wave's shown total, so the four followed by subtraction."""
    ctx = context(small_groups_set)
    table = b_professionalisation.count_table(ctx)
    raw = b_professionalisation._count_means(b_professionalisation._national(ctx, list(CB.scales)))
    complementary = 0
    for (wave, domain), part in raw.groupby(["meting", "domein"]):
        decision = group_decision(ctx, "aantal_activiteiten",
                                  dict(zip(part["aantal_activiteiten"], part["n"])), national=True)
        rows = table.loc[(table["meting"] == wave) & (table["domein"] == domain)]
        withheld = dict(zip(rows.loc[rows[SUPPRESSED], "aantal_activiteiten"], rows.loc[rows[SUPPRESSED], REASON]))
        assert withheld == decision.withheld, f"{wave} {domain}"
        assert rows.loc[rows[SUPPRESSED], ["gemiddelde", "n"]].isna().all().all()
        complementary += sum(r == "aanvullend" for r in withheld.values())
    assert complementary, "no group withheld with a small one: the test proves nothing"


# -- the national benchmark beside an institution -----------------------------------------------
def test_the_benchmarks_of_too_few_other_institutions_are_withheld_in_every_chapter(few_others_newest_set):
    """I01 and I02 alone took part in the newest wave: I01's page showed the national figures (I01 and I02) beside
    its own on every scale and theme, and compared it on 21 scales with 'all other institutions', 95 teachers of
    I02 alone."""
    from helpers.chapters import praatplaat
    from helpers.chapters.katern_a import overview
    from helpers.chapters.katern_c import c2_1_themes, c3_motives, c4_conclusions

    ctx = context(few_others_newest_set, adversarial.FEW_OTHERS)
    tables = {"a-overzicht": overview.overview_table(ctx), "a10-activiteiten": professionalisation.activities_table(ctx),
              "a10-aantal": professionalisation.count_table(ctx), "c2-1-themas": c2_1_themes.theme_table(ctx),
              "c2-1-aantal": c2_1_themes.distribution_table(ctx), "c3-motieven": c3_motives.motive_table(ctx)}
    for name, table in tables.items():
        national = table.loc[(table["weergave"] == "vergelijking") & (table["groep"] == "landelijk")]
        assert len(national), f"{name}: no national benchmark rows (the manifest asks for them)"
        # Every row withheld; a row withheld already (a small category) keeps its own reason.
        assert national[SUPPRESSED].all() and (national[REASON] == FEW_INSTITUTIONS).any(), name
        numbers = [c for c in ("gemiddelde", "aandeel", "aantal", "n") if c in national]
        assert national[numbers].isna().all().all(), f"{name}: a number of the withheld benchmark"
    benchmarks = overview.benchmark_table(ctx)
    assert len(benchmarks) and (benchmarks[REASON] == FEW_INSTITUTIONS).all()
    assert benchmarks[["gemiddelde_referentie", "n_referentie", "hedges_g", "p_holm"]].isna().all().all()
    assert benchmarks["opvallend"].isna().all(), "a verdict beside a withheld comparison"
    text = overview.strengths_paragraph(ctx, benchmarks)
    assert "te weinig instellingen" in text and "Sterke punten" not in text, text
    page = praatplaat.make(ctx)
    assert not any(tile.key == "benchmark" for tile in page.tiles)
    quoted = [c for c in c4_conclusions.conclusions(ctx) if c.text.lower().startswith(("landelijk", "dat zijn ook"))]
    assert not quoted, [c.text for c in quoted]
    facts = c2_1_themes.headline(ctx)
    prose = " ".join([c2_1_themes.sample_sentence(ctx, facts), c2_1_themes.themes_paragraph(ctx, facts),
                      c2_1_themes.count_paragraph(ctx, facts), c3_motives.frequency_paragraph(ctx)])
    assert "landelijk" not in prose.lower(), prose
    # The national edition and an institution with enough others are untouched: nothing withheld for this reason.
    national_table = overview.overview_table(context(few_others_newest_set))
    assert not (national_table[REASON] == FEW_INSTITUTIONS).any()


def test_a_benchmark_of_enough_other_institutions_stays(small_groups_set):
    ctx = context(small_groups_set, adversarial.SMALL_GROUPS)
    from helpers.chapters.katern_a import overview

    table = overview.overview_table(ctx)
    national = table.loc[(table["weergave"] == "vergelijking") & (table["groep"] == "landelijk")]
    assert len(national) and not (national[REASON] == FEW_INSTITUTIONS).any()
    assert overview.benchmark_table(ctx)["gemiddelde_referentie"].notna().all()


def test_the_national_appendix_beside_an_institution_of_too_few_others_lists_no_group(few_others_newest_set):
    """Bijlage 1's national groups (I01 and I02 together) beside I01's own groups gave I02's away; so did the
    conclusion citing the national group that differs most."""
    from helpers.chapters.katern_c import appendix_1, c4_conclusions

    ctx = context(few_others_newest_set, adversarial.FEW_OTHERS)
    groups, table = appendix_1.national(ctx)
    assert groups.empty, "a national group listed beside the institution's own"
    assert table["aandeel"].isna().all() and (table[["vaker", "minder_vaak"]] == "").all().all()
    assert "te weinig instellingen" in appendix_1.own_paragraph(ctx)
    cited = {s.table for c in c4_conclusions.conclusions(ctx) for s in c.sources}
    assert c4_conclusions.APPENDIX_TABLE not in cited
    national_groups, _ = appendix_1.national(context(few_others_newest_set))
    assert len(national_groups), "the national edition keeps its appendix"


def test_key_findings_beside_too_few_other_institutions_cite_no_withheld_comparison(few_others_newest_set):
    """The key findings page failed on the withheld comparison (its verdicts blank) and would have said the
    institution differs on no scale, where no comparison may be made."""
    from helpers.chapters import key_findings

    found = key_findings.findings(context(few_others_newest_set, adversarial.FEW_OTHERS))
    assert found, "the page keeps its key figures"
    assert not any(f.table == "a-profiel-verschillen" for f in found), [f.text for f in found]
    assert not any(s.table == "a-profiel-verschillen" for f in found for s in f.sources)
