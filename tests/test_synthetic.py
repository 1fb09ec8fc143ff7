"""The synthetic data set: determinism, the data contract and every calibration target.

The full set is generated once per module and compared byte for byte with the
shipped files in data/. Targets come from helpers.synthetic.assumptions, where
each carries its source tag; assertion messages name the target.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2_contingency

from helpers.data.codebook import PROJECT_ROOT, load_codebook
from helpers.synthetic import INSTITUTIONS_FILE, RESPONDENTS_FILE, generate, write, assumptions as A
from helpers.synthetic.generate import to_csv_text

CB = load_codebook()
DATA = PROJECT_ROOT / "data"
THEMES = [t for t in A.THEMES_ASKED if t != CB.theme_none]
# The codebook's columns without the themes of a later round (the generator makes the 2017-2022 rounds).
GENERATED_COLUMNS = [c for c in CB.respondent_columns if c not in CB.themes or c in A.THEMES_ASKED]
MOTIVES = list(CB.motives)
WAVE = A.WAVE_MAIN


def _items(scale_ids):
    return [c for sid in scale_ids for c in CB.scales[sid].items]


def _domain_items(*domains):
    return [c for s in CB.scales.values() if s.domain in domains for c in s.items]


def _chi2_p(mask: pd.Series, values: pd.Series) -> float:
    """p of a chi-square test on the 2x2 table group-vs-rest x chosen/not chosen."""
    a, b = values[mask], values[~mask]
    table = [[a.sum(), len(a) - a.sum()], [b.sum(), len(b) - b.sum()]]
    return chi2_contingency(table)[1]


# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def generated():
    start = time.perf_counter()
    resp, inst = generate(seed=2022, scale=1.0)
    return resp, inst, time.perf_counter() - start


@pytest.fixture(scope="module")
def resp(generated):
    return generated[0]


@pytest.fixture(scope="module")
def inst(generated):
    return generated[1]


@pytest.fixture(scope="module")
def d22(resp, inst):
    """2022 rows with derived analysis columns."""
    d = resp[resp["meting"] == WAVE].copy()
    d["type"] = d["instelling"].map(dict(zip(inst["instelling"], inst["type"])))
    d["prof_aantal"] = d[list(CB.activities)].sum(axis=1)
    d["prof3"] = d["prof_aantal"] >= CB.many_activities_threshold
    d["meerwaarde"] = A.meerwaarde_group(d[CB.scales[A.MEERWAARDE_SCALE].items].astype(float).mean(axis=1))
    d["met"] = d[_domain_items("met")].astype(float).mean(axis=1)
    d["over"] = d[_domain_items("over")].astype(float).mean(axis=1)
    d["praktijk"] = d[_domain_items("met", "over")].astype(float).mean(axis=1)
    d["competentie"] = d[_domain_items("geletterd", "vaardig")].astype(float).mean(axis=1)
    return d


@pytest.fixture(scope="module")
def vol(d22):
    """Katern C sample: volledig 2022 rows, with typology and theme counts."""
    v = d22[d22["volledig"]].copy()
    v["typology"] = A.practice_typology(v["met"]).to_numpy()
    v["n_themas"] = v[THEMES].sum(axis=1).astype(int)
    for t in list(A.THEMES_ASKED):
        v[t] = v[t].astype(int)
    return v


@pytest.fixture(scope="module")
def answers(vol):
    a = vol[vol[CB.motive_text].notna()].copy()
    for m in MOTIVES:
        a[m] = a[m].astype(int)
    return a


def _mask(df: pd.DataFrame, group: str) -> pd.Series:
    col, codes = A.THEME_GROUPS[group]
    return df[col].isin(list(codes))


# ---------------------------------------------------------------------------
# determinism, files, speed
# ---------------------------------------------------------------------------
def test_shipped_files_equal_fresh_generation(resp, inst):
    for df, name in ((resp, RESPONDENTS_FILE), (inst, INSTITUTIONS_FILE)):
        shipped = (DATA / name).read_bytes()
        assert to_csv_text(df).encode("utf-8") == shipped, (
            f"data/{name} differs from generate(seed=2022): run `python -m helpers.synthetic --out data --seed 2022`")


def test_same_seed_gives_byte_identical_files(tmp_path: Path):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a, seed=11, scale=0.05)
    write(b, seed=11, scale=0.05)
    for name in (RESPONDENTS_FILE, INSTITUTIONS_FILE):
        assert (a / name).read_bytes() == (b / name).read_bytes(), f"determinism: {name} differs for the same seed"
    write(tmp_path / "c", seed=12, scale=0.05)
    assert (a / RESPONDENTS_FILE).read_bytes() != (tmp_path / "c" / RESPONDENTS_FILE).read_bytes(), \
        "another seed should give other data"


def test_full_generation_is_fast(generated):
    assert generated[2] < 30, f"full generation took {generated[2]:.1f} s (target well under 30 s)"


def test_small_scale_is_fast_and_usable():
    start = time.perf_counter()
    resp, inst = generate(seed=5, scale=0.05)
    took = time.perf_counter() - start
    assert took < 3, f"scale 0.05 took {took:.1f} s (target < 3 s)"
    d = resp[resp["meting"] == WAVE]
    assert 250 <= len(d) <= 350, "scale 0.05 gives about 300 respondents in 2022"
    assert set(inst["instelling"]) == set(d["instelling"]), "every institution in the file has 2022 respondents"
    v = d[d["volledig"]]
    usable = [code for code, g in v.groupby("instelling")
              if len(g) >= 25 and (g["team"].value_counts() >= 10).sum() >= 2]
    assert usable, "at scale 0.05 one institution has >= 25 volledig respondents in >= 2 teams of >= 10"
    assert list(resp.columns) == GENERATED_COLUMNS


# ---------------------------------------------------------------------------
# the data contract
# ---------------------------------------------------------------------------
def test_columns_follow_the_codebook(resp, inst):
    assert list(resp.columns) == GENERATED_COLUMNS, \
        "respondent columns in codebook order (without the themes of a later round)"
    assert list(inst.columns) == list(CB.institution_variables), "institution columns in codebook order"


def test_csv_types():
    head = (DATA / RESPONDENTS_FILE).read_text(encoding="utf-8").splitlines()[:2]
    assert head[0].split(",") == GENERATED_COLUMNS
    raw = pd.read_csv(DATA / RESPONDENTS_FILE, dtype=str, keep_default_na=False)
    assert set(raw["volledig"]) == {"true", "false"}, "volledig written as true/false"
    for col in _domain_items(*CB.domains) + list(CB.activities) + list(A.THEMES_ASKED) + MOTIVES:
        assert set(raw[col]) <= {"", "0", "1", "2", "3", "4", "5"}, f"{col}: integers or empty"


def test_categories_and_ranges(resp):
    for col, labels in CB.category_variables.items():
        assert set(resp[col].dropna()) <= set(labels), f"{col}: codes from the codebook"
        assert resp[col].notna().all(), f"{col} is never empty"
    items = resp[CB.item_columns]
    assert ((items.isna()) | ((items >= 1) & (items <= 5))).all().all(), "items are 1-5 or empty"
    binary = resp[list(CB.activities) + list(A.THEMES_ASKED) + MOTIVES]
    assert ((binary.isna()) | binary.isin([0, 1])).all().all(), "0/1 columns"
    assert resp[list(CB.activities)].notna().all().all(), "activities are always answered"
    assert not resp.duplicated(["meting", "respondent"]).any(), "respondent unique within a wave"
    assert (resp["team"].notna() & (resp["team"] != "")).all()


def test_counts(resp, inst, d22):
    assert sorted(resp["meting"].unique()) == [2017, 2020, 2022], "waves 2017, 2020, 2022"
    assert len(d22) == A.N_RESPONDENTS_2022 == 6133, "6,133 respondents in 2022 [PUB Katern A]"
    assert d22["volledig"].sum() == A.N_VOLLEDIG_2022 == 5467, "5,467 volledig in 2022 [PUB Katern C]"
    assert d22["instelling"].nunique() == len(inst) == 32, "32 institutions in 2022 [PUB]"
    assert inst["type"].value_counts().to_dict() == A.INSTITUTION_TYPE_COUNTS == {"roc": 24, "aoc": 3, "vakschool": 5}, \
        "24 roc / 3 aoc / 5 vakschool [PUB slides]"
    assert inst["instelling"].is_unique and inst["naam"].is_unique
    i17 = set(resp.loc[resp["meting"] == 2017, "instelling"])
    i20 = set(resp.loc[resp["meting"] == 2020, "instelling"])
    assert len(i20) == A.N_INSTITUTIONS_2020 == 10, "10 institutions in 2020 [PUB]"
    assert i17 <= i20 and 0 < len(i17) < len(i20), "2017 is a small subset of the 2020 institutions"
    for wave in (2017, 2020):
        assert (resp["meting"] == wave).sum() < len(d22), f"{wave} has fewer respondents than 2022"


def test_teams_unique_within_institution(resp, d22):
    # a team code belongs to one domain within its institution
    per = d22.groupby(["instelling", "team"])["domein"].nunique()
    assert (per == 1).all(), "team codes are domain based"
    teams22 = set(zip(d22["instelling"], d22["team"]))
    earlier = resp[resp["meting"] < WAVE]
    assert set(zip(earlier["instelling"], earlier["team"])) <= teams22, "earlier waves use the same teams"


def test_panel(resp):
    waves = resp.groupby("respondent")["meting"].nunique()
    assert (waves >= 2).sum() > 500, "a panel: the same respondent in several waves"
    assert (waves == 3).sum() > 50, "some respondents take part in all three waves"
    # a panel member stays at the same institution and keeps stable characteristics
    multi = resp[resp["respondent"].isin(waves[waves >= 2].index)]
    for col in ("instelling", "team", "vak", "functie", "bevoegdheid", "domein"):
        assert (multi.groupby("respondent")[col].nunique() == 1).all(), f"panel members keep {col}"


def test_scales_absent_in_a_wave_are_empty(resp):
    for wave in A.WAVE_SIZES:
        rows = resp[resp["meting"] == wave]
        for sid, s in CB.scales.items():
            if not A.scale_asked(sid, wave):
                assert rows[s.items].isna().all().all(), f"{sid} is empty in {wave}"
            else:
                assert rows[s.items].notna().any().any(), f"{sid} is present in {wave}"


def test_themes_and_motives_only_for_volledig_2022(resp):
    cols = list(A.THEMES_ASKED) + MOTIVES + [CB.motive_text]
    not_c = resp[(resp["meting"] != WAVE) | ~resp["volledig"]]
    assert not_c[cols].isna().all().all(), "themes and motives empty outside volledig 2022 rows"
    v = resp[(resp["meting"] == WAVE) & resp["volledig"]]
    assert v[list(A.THEMES_ASKED)].notna().all().all(), "every volledig 2022 row answered the themes"


def test_thema_geen_exclusive(vol):
    geen = vol[CB.theme_none] == 1
    assert (vol.loc[geen, THEMES].sum(axis=1) == 0).all(), "thema_geen = 1 excludes every other theme"
    assert ((vol["n_themas"] >= 1) | geen).all(), "every volledig respondent chose >= 1 theme or thema_geen"


def test_noncompleters_stop_early(d22):
    non = d22[~d22["volledig"]]
    assert non[_domain_items("over")].isna().all(axis=1).mean() > 0.1, "some non-completers stopped before the over block"
    assert d22.loc[d22["volledig"], _domain_items("over")].notna().all().all()


# ---------------------------------------------------------------------------
# published background figures (2022)
# ---------------------------------------------------------------------------
def test_functie(d22):
    share = d22["functie"].value_counts(normalize=True)
    for code, p in A.FUNCTIE_TARGET.items():
        assert abs(share[code] - p) <= 0.005, f"functie {code}: {share[code]:.3f} vs {p} [PUB slides]"


def test_leeftijd_60plus(d22):
    old = d22["leeftijd"] == "60plus"
    assert abs(old.mean() - A.LEEFTIJD_60PLUS_TARGET) <= 0.005, f"60plus overall {old.mean():.3f} vs 17%"
    got = old[d22["ervaring"] == "gt20"].mean()
    assert abs(got - A.LEEFTIJD_60PLUS_GT20_TARGET) <= 0.005, f"60plus among gt20 {got:.3f} vs 36%"


@pytest.mark.parametrize("rows", ["all", "volledig"])
def test_meerwaarde(d22, rows):
    d = d22 if rows == "all" else d22[d22["volledig"]]
    share = d["meerwaarde"].value_counts(normalize=True)
    for group, p in A.MEERWAARDE_TARGET.items():
        assert abs(share[group] - p) <= 0.01, f"meerwaarde {group} ({rows}): {share[group]:.3f} vs {p} [PUB Katern A]"


def test_professionalisation(d22):
    got = (d22["prof_aantal"] > 0).mean()
    assert abs(got - A.PROF_ANY_TARGET) <= 0.01, f"87% at least one activity [PUB Katern A]: {got:.3f}"


# ---------------------------------------------------------------------------
# Katern C: themes
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("theme", list(A.THEMES_ASKED))
def test_theme_shares(vol, theme):
    got = vol[theme].mean()
    assert abs(got - A.THEME_TARGET[theme]) <= 0.01, f"{theme}: {got:.3f} vs {A.THEME_TARGET[theme]} [PUB Katern C]"


def test_theme_counts(vol):
    any_ = (vol["n_themas"] >= 1).mean()
    many = (vol["n_themas"] >= A.THEMES_MANY).mean()
    assert abs(any_ - A.THEMES_ANY_TARGET) <= 0.01, f"91% >= 1 theme: {any_:.3f}"
    assert abs(many - A.THEMES_FOUR_PLUS_TARGET) <= 0.01, f"26% >= 4 themes: {many:.3f}"
    mean_any = vol.loc[vol["n_themas"] > 0, "n_themas"].mean()
    assert 2.6 <= mean_any <= 3.2, f"about three themes among choosers: {mean_any:.2f}"


def test_theme_counts_by_group(vol):
    def share(group, fn):
        return fn(vol.loc[_mask(vol, group), "n_themas"]).mean()

    assert abs(share("starters", lambda n: n >= 4) - 0.38) <= 0.02, "starters: 38% >= 4 themes [PUB]"
    assert abs(share("starters", lambda n: n == 0) - 0.03) <= 0.015, "starters: 3% none [PUB]"
    assert share("ervaring_1_5", lambda n: n >= 4) > 0.30, "1-5 years: just over 30% >= 4 [PUB]"
    assert share("ervaring_1_5", lambda n: n >= 4) < 0.34, "1-5 years: just over 30% >= 4 [PUB]"
    assert abs(share("ervaring_1_5", lambda n: n == 0) - 0.05) <= 0.015, "1-5 years: about 5% none [PUB]"
    assert abs(share("ervaring_gt20", lambda n: n <= 3) - 0.80) <= 0.02, "gt20: 80% choose <= 3 [PUB]"
    assert share("koplopers", lambda n: n >= 4) > 0.30, "koplopers: more than 30% >= 4 [PUB]"
    assert abs(share("achterblijvers", lambda n: n == 0) - 0.15) <= 0.02, "achterblijvers: about 15% none [PUB]"
    assert share("meerwaarde_weinig", lambda n: n >= 4) <= 0.03, "little/no meerwaarde: only 2% >= 4 [PUB]"


def test_less_interest_with_experience(vol):
    order = list(CB.value_labels("ervaring"))
    mean_n = vol.groupby("ervaring")["n_themas"].mean().reindex(order)
    assert mean_n["gt20"] == mean_n.min(), "the most experienced choose fewest themes [PUB]"
    assert mean_n[["6-10", "11-20", "gt20"]].max() < mean_n[["lt1", "1-3", "4-5"]].min(), \
        "6+ years: less interest than < 6 years [PUB]"


@pytest.mark.parametrize("theme,group,published,direction,calibrated", A.BIJLAGE1,
                         ids=[f"{t}-{g}" for t, g, *_ in A.BIJLAGE1])
def test_bijlage1(vol, theme, group, published, direction, calibrated):
    mask = _mask(vol, group)
    got, rest = vol.loc[mask, theme].mean(), vol.loc[~mask, theme].mean()
    p = _chi2_p(mask, vol[theme])
    label = f"Bijlage 1: {theme} {group} {direction} ({published:.0%} published)"
    assert (got > rest) == (direction == "meer"), f"{label}: {got:.3f} vs rest {rest:.3f}"
    assert p <= A.BIJLAGE1_ALPHA, f"{label}: not significant, p = {p:.4f}"
    tolerance = 0.01 if calibrated else 0.03
    assert abs(got - published) <= tolerance, f"{label}: group share {got:.3f}"


def test_bijlage1_experience_ranges(vol):
    """Rows reported for '1-5 years' as one group hold for the combined group too."""
    m = _mask(vol, "ervaring_1_5")
    for theme in ("thema_activerend", "thema_blended", "thema_vernieuwend", "thema_beroepspraktijk"):
        assert vol.loc[m, theme].mean() > vol.loc[~m, theme].mean() and _chi2_p(m, vol[theme]) <= 0.05, \
            f"Bijlage 1: 1-5 years choose {theme} more often"


@pytest.mark.parametrize("theme", THEMES)
def test_more_activities_every_theme(vol, theme):
    m = vol["prof3"]
    assert vol.loc[m, theme].mean() > vol.loc[~m, theme].mean(), f">= 3 activities choose {theme} more often [PUB]"
    assert _chi2_p(m, vol[theme]) <= 0.05, f">= 3 activities vs {theme}: significant"


def test_geen_group_professionalised_less(vol):
    geen = vol[CB.theme_none] == 1
    assert vol.loc[geen, "prof_aantal"].mean() < vol.loc[~geen, "prof_aantal"].mean() - 0.3, \
        "the geen group professionalised less [PUB]"


# ---------------------------------------------------------------------------
# Katern C: motives
# ---------------------------------------------------------------------------
def test_motive_answers(vol, answers):
    assert len(answers) > 4000, f"more than 4,000 answers to the open question [PUB]: {len(answers)}"
    assert (answers[MOTIVES].sum(axis=1) >= 1).all(), "every answer has >= 1 motive code"
    no_answer = vol[vol[CB.motive_text].isna()]
    assert no_answer[MOTIVES].isna().all().all(), "motive codes empty without an answer"
    assert answers[CB.motive_text].str.len().min() > 5
    assert answers[CB.motive_text].nunique() > 1000, "answers are varied"


def test_motive_texts_match_codes(answers):
    from helpers.synthetic.texts import CLAUSES
    from helpers.synthetic.texts import SHORT

    for _, row in answers.iterrows():
        text = row[CB.motive_text].lower()
        for m in MOTIVES:
            fragments = [f.lower() for f in CLAUSES[m]] + [s.lower().rstrip(".!") for s in SHORT[m]]
            assert any(f in text for f in fragments) == bool(row[m]), f"text and code {m} disagree: {text!r}"


def test_motive_order(answers):
    shares = answers[MOTIVES].mean()
    assert list(shares.sort_values(ascending=False).index) == MOTIVES, \
        f"motive frequency order as published [PUB Katern C]: {shares.round(3).to_dict()}"
    assert (shares.diff().dropna() < 0).all()


def test_motive_group_differences(answers):
    f, v = answers["functie"], answers["vak"]
    bv, rep = "motief_beroepsvaardigheden", "motief_repertoire"
    assert answers.loc[f == "instructeur", bv].mean() > answers.loc[f == "docent", bv].mean() + 0.1, \
        "instructeurs name beroepsvaardigheden more [PUB]"
    assert answers.loc[f == "docent", rep].mean() > answers.loc[f == "instructeur", rep].mean() + 0.1, \
        "docenten name didactisch repertoire more [PUB]"
    assert answers.loc[v == "beroeps", bv].mean() > answers.loc[v == "avo", bv].mean() + 0.1, \
        "beroeps > avo on beroepsvaardigheden [PUB]"
    m = answers["prof3"]
    assert answers.loc[m, "motief_bijblijven"].mean() > answers.loc[~m, "motief_bijblijven"].mean() + 0.03, \
        ">= 3 activities name bij de tijd blijven more [PUB]"
    assert _chi2_p(m, answers["motief_bijblijven"]) <= 0.05
    kritisch = answers.groupby("meerwaarde")["motief_kritisch"].mean()
    assert kritisch["weinig_geen"] > kritisch["enige"] > kritisch["veel"], \
        f"the more meerwaarde, the less kritisch [PUB]: {kritisch.round(3).to_dict()}"


@pytest.mark.parametrize("practice", ["met", "over"])
def test_motives_no_typology_difference(answers, practice):
    typ = A.practice_typology(answers[practice])
    for m in MOTIVES:
        p = chi2_contingency(pd.crosstab(typ, answers[m]))[1]
        assert p > 0.05, f"no difference in {m} between koplopers/peloton/achterblijvers ({practice}) [PUB]: p = {p:.3f}"


# ---------------------------------------------------------------------------
# Katern A directions
# ---------------------------------------------------------------------------
def test_domains_and_vakscholen(d22):
    by_dom = d22.groupby("domein")["praktijk"].mean()
    others = by_dom.drop(["ict_creatief", "economie", "entree"])
    assert by_dom["ict_creatief"] > others.max() and by_dom["economie"] > others.max(), \
        f"ict/creatief and economie stand out positively [PUB]: {by_dom.round(2).to_dict()}"
    assert by_dom["entree"] == by_dom.min(), "entree lags behind [PUB]"
    by_type = d22.groupby("type")["praktijk"].mean()
    assert by_type["vakschool"] > by_type.drop("vakschool").max() + 0.1, "vakschool teachers stand out [PUB]"


def test_avo_and_beroeps(d22):
    avo = d22["vak"] == "avo"
    comp = _domain_items("geletterd", "vaardig")

    def diff(cols):
        x = d22[cols].astype(float).mean(axis=1)
        return x[avo].mean() - x[~avo].mean()

    assert diff(comp) > 0.15, "avo teachers feel more competent [PUB]"
    assert diff(_items(["over_informatie"])) > 0.2, "avo: more attention to informatievaardigheden [PUB]"
    assert diff(_items(["over_instrumenteel"])) < -0.2, "beroeps: more attention to instrumentele vaardigheden [PUB]"
    assert diff(_items(["met_bpv"])) < -0.2, "beroeps: more ict in bpv [PUB]"


def test_starters_use_ict_less(d22):
    by = d22.groupby("ervaring")["met"].mean()
    assert by["lt1"] < by.drop("lt1").min() - 0.1, f"starters use ict less [PUB]: {by.round(2).to_dict()}"


def test_competences_relate_to_practice(d22, vol):
    r = d22[["competentie", "praktijk"]].corr().iloc[0, 1]
    assert r > 0.3, f"competences correlate with practice [PUB]: r = {r:.2f}"
    by = vol.groupby("typology")["competentie"].mean()
    assert by["koplopers"] > by["peloton"] > by["achterblijvers"], "koplopers have better developed competences [PUB]"


def test_within_institution_differences_larger(d22):
    team = d22.groupby(["instelling", "team"])["praktijk"].agg(["mean", "size"]).reset_index()
    inst_mean = d22.groupby("instelling")["praktijk"].mean()
    within = np.average((team["mean"] - team["instelling"].map(inst_mean)) ** 2, weights=team["size"])
    between = inst_mean.var()
    assert within > 2 * between, f"teams differ more within than institutions between [PUB]: {within:.3f} vs {between:.3f}"
    assert A.TEAM_RE_SD > A.INSTITUTION_RE_SD


def test_completers_report_more_ict(d22):
    for block in ("met", "over"):
        by = d22.groupby("volledig")[block].mean()
        assert 0 < by[True] - by[False] < 0.4, f"completers report slightly more teaching {block} ict [PUB fn 3]"


# ---------------------------------------------------------------------------
# Katern B directions (panel)
# ---------------------------------------------------------------------------
def _panel(resp, w1, w2):
    a = resp[resp["meting"] == w1].set_index("respondent")
    b = resp[resp["meting"] == w2].set_index("respondent")
    ids = a.index.intersection(b.index)
    return a.loc[ids], b.loc[ids], b.loc[ids, list(CB.activities)].sum(axis=1)


@pytest.mark.parametrize("waves", [(2017, 2020), (2020, 2022)])
def test_growth_with_professionalisation(resp, waves):
    a, b, n_act = _panel(resp, *waves)
    assert len(a) > 200, f"panel {waves} large enough"
    for name, doms in (("competences", ("geletterd", "vaardig", "innoveren")), ("practice", ("met", "over"))):
        cols = [c for c in _domain_items(*doms) if a[c].notna().any() and b[c].notna().any()]
        growth = b[cols].astype(float).mean(axis=1) - a[cols].astype(float).mean(axis=1)
        ok = growth.notna()
        r = np.corrcoef(n_act[ok], growth[ok])[0, 1]
        assert r > 0.2, f"more professionalisation, more growth in {name} {waves} [PUB Katern B]: r = {r:.2f}"
        many = growth[n_act >= CB.many_activities_threshold].mean()
        none = growth[n_act == 0].mean()
        assert many > none, f"growth in {name}: >= 3 activities {many:.2f} vs none {none:.2f}"


@pytest.mark.parametrize("scale", ["met_zelfregie", "met_data"])
def test_decline_without_professionalisation(resp, scale):
    a, b, n_act = _panel(resp, 2020, 2022)
    growth = b[_items([scale])].astype(float).mean(axis=1) - a[_items([scale])].astype(float).mean(axis=1)
    none = growth[n_act == 0]
    t = none.mean() / (none.std() / np.sqrt(len(none)))
    assert none.mean() < 0 and t < -2, f"without professionalisation {scale} declines 2020-2022 [PUB Katern B]: {none.mean():.2f}"


# ---------------------------------------------------------------------------
# assumptions are consistent with the codebook
# ---------------------------------------------------------------------------
def test_assumption_codes_exist_in_codebook():
    cats = CB.category_variables
    assert set(A.VAK_SHARES) == set(cats["vak"])
    assert set(A.FUNCTIE_TARGET) == set(cats["functie"])
    assert set(A.ERVARING_SHARES) == set(cats["ervaring"]) == set(A.ERVARING_YEARS)
    assert set(A.LEEFTIJD_YEARS) == set(cats["leeftijd"])
    assert all(set(v) <= set(cats["leeftijd"]) for v in A.LEEFTIJD_SHARES_BY_ERVARING.values())
    assert all(set(v) <= set(cats["bevoegdheid"]) for v in A.BEVOEGDHEID_SHARES_BY_VAK.values())
    assert set(A.PRACTICE_DOMAIN) == set(cats["domein"]) == set(A.TEAM_PREFIX)
    assert all(set(v) <= set(cats["domein"]) for v in list(A.DOMAIN_SHARES.values()) + list(A.VAKSCHOOL_DOMAINS.values()))
    assert set(A.THEME_TARGET) == set(list(A.THEMES_ASKED))
    assert list(A.MOTIVE_SHARES) == MOTIVES
    assert len(A.PROF_ACTIVITY_WEIGHTS) == len(CB.activities)
    assert len(A.PROF_COUNT_SHARES) == len(CB.activities) + 1
    assert {t for t, *_ in A.BIJLAGE1} <= set(list(A.THEMES_ASKED))
    assert set(A.ITEM_MEAN_SCALE) <= set(CB.scales)
    for col, _ in A.THEME_GROUPS.values():
        assert col in CB.respondent_variables or col in {"type", "prof3", "typology", "meerwaarde"}
    # the conditional tables reproduce the published marginals
    funct = {f: sum(A.VAK_SHARES[v] * A.FUNCTIE_SHARES_BY_VAK[v][f] for v in A.VAK_SHARES) for f in A.FUNCTIE_TARGET}
    assert all(abs(funct[f] - A.FUNCTIE_TARGET[f]) < 0.002 for f in funct)
    old = sum(A.ERVARING_SHARES[e] * A.LEEFTIJD_SHARES_BY_ERVARING[e]["60plus"] for e in A.ERVARING_SHARES)
    assert abs(old - A.LEEFTIJD_60PLUS_TARGET) < 0.003
    assert abs(sum(A.THEME_COUNT_SHARES) - 1) < 1e-9 and abs(sum(A.PROF_COUNT_SHARES) - 1) < 1e-9
    assert abs(1 - A.PROF_COUNT_SHARES[0] - A.PROF_ANY_TARGET) < 1e-9


def test_meerwaarde_group_rule():
    assert A.meerwaarde_group(3.5) == "veel" and A.meerwaarde_group(2.5) == "weinig_geen"
    assert A.meerwaarde_group(3.0) == "enige" and A.meerwaarde_group(float("nan")) is None


def test_more_institutions_keep_the_calibration_and_the_monitor_number_gives_the_shipped_set(resp, inst):
    """`institutions=N` (the bench-scale data): the monitor's mix repeated, each institution its own size."""
    same_resp, same_inst = generate(seed=2022, institutions=len(inst))
    assert to_csv_text(same_resp) == to_csv_text(resp) and to_csv_text(same_inst) == to_csv_text(inst)

    n = 2 * len(inst)
    more_resp, more = generate(seed=2022, institutions=n)
    assert len(more) == n and more["instelling"].is_unique and more["naam"].is_unique
    assert (more["type"].value_counts() == 2 * inst["type"].value_counts()).all(), "type mix of the monitor"
    for wave, size in resp.groupby("meting").size().items():
        grown = more_resp[more_resp["meting"] == wave]
        assert len(grown) == 2 * size, f"{wave}: respondents grow with the institutions"
        assert grown["instelling"].nunique() == 2 * resp.loc[resp["meting"] == wave, "instelling"].nunique()
    sizes = more_resp[more_resp["meting"] == WAVE].groupby("instelling").size()
    original = resp[resp["meting"] == WAVE].groupby("instelling").size()
    copies = sizes.iloc[len(inst):].set_axis(original.index)
    assert (copies - original).abs().max() <= 1, "a copied institution has the size of its template"
    chosen = more_resp.loc[(more_resp["meting"] == WAVE) & more_resp["volledig"], THEMES].mean()
    assert (chosen - resp.loc[(resp["meting"] == WAVE) & resp["volledig"], THEMES].mean()).abs().max() < 0.01
