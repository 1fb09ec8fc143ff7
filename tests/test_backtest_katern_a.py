"""Back-test of the published Katern A findings on the shipped (synthetic) data.

Published findings: ../shared/reference/monitor-facts.md ("Findings to reproduce",
Katern A, and the 2022 figures cited from Katern A). Each test takes the numbers
the way a reader of the book gets them: the shipped CSVs validated with
``load_survey``, derived variables and the national typology added as
``helpers.book.edition._prepared`` does, the rows of the latest wave in the
data, and the book's own statistics (``helpers.stats.scales``,
``helpers.stats.composition``). A group difference counts as reproduced when
it has the published direction and the book calls it notable
(its column ``opvallend``, the rule of ``is_notable``: p_holm < .05 and at
least a small effect), because the publication reports each of them as a
difference that stands out. Generator-level checks of the same
targets live in tests/test_synthetic.py; these tests do not repeat them but
check what the book would print.

Every test collects all its discrepancies before failing, so one failure
message lists every scale or group that does not reproduce the finding.
"""
from __future__ import annotations

import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

from helpers.data.codebook import load_codebook
from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS
from helpers.data.derive import (
    INSTITUTION_TYPE,
    MEERWAARDE_GROUP,
    PROF_COUNT,
    PROF_GROUP,
    TYPOLOGY_COLUMNS,
    add_derived,
)
from helpers.data.validation import load_survey
from helpers.stats.association import ALPHA
from helpers.stats.competence import competence_scales
from helpers.stats.composition import distribution_of
from helpers.stats.scales import (
    group_differences,
    pairwise_differences,
    practice_regression,
    scale_summary,
    variance_shares,
)
from helpers.stats.typology import (
    ACHTERBLIJVERS,
    DOMAIN_TEXT,
    KOPLOPERS,
    PELOTON,
    add_typologies,
    domain_scales,
    fit_typologies,
    practice_score,
)

CB = load_codebook()
MET, OVER = domain_scales("met", CB), domain_scales("over", CB)
PRACTICE = MET + OVER  # the nine practice scales of the research model
COMPETENCE = competence_scales()
# "Feel more competent" is self-rated competence: the scales answered on the
# 'ervaren bekwaamheid' format (eigen ict-geletterdheid and vaardigheid in
# lesgeven met ict). Visie and innoveren are agreement scales, not competence.
SELF_RATED_COMPETENCE = [sid for sid in COMPETENCE if CB.scales[sid].answer_format == "bekwaam5"]
# The breakdowns a Katern A chapter tests together (Holm over the chapter's
# scales x these breakdowns): every background variable of the codebook, the
# type of institution and the professionalisation group.
BREAKDOWNS = ["functie", "ervaring", "leeftijd", "vak", "domein", "bevoegdheid", INSTITUTION_TYPE, PROF_GROUP]

# -- published figures [PUB] -------------------------------------------------------------
PROF_ANY = 87  # [PUB] Katern A (cited in C): 87% professionalised in onderwijs met ict 2019-2022
MEERWAARDE = {"veel": 79, "enige": 19, "weinig_geen": 2}  # [PUB] 79% and 2%; 19% in between [INF, the rest]
TOLERANCE_POINTS = 2  # published percentage +- 2 points
# [PUB] Katern A: too little attention for students' ict-geletterdheid, ict for zelfregie and ict in the bpv.
# ict-geletterdheid of students is the whole domain 'lesgeven over ict': its three scales are the three parts of
# digital literacy the monitor asks about (instrumental skills, information skills, responsible use of social
# media and internet); the publication names no single one, so each of them must be among the least practised.
LEAST_PRACTISED = {  # test id -> (what Katern A publishes, the book's scales)
    "zelfregie": ("teachers use too little ict to support students' zelfregie", ["met_zelfregie"]),
    "bpv": ("teachers use too little ict in preparing and guiding the bpv", ["met_bpv"]),
    "ict-geletterdheid": ("teachers pay too little attention to students' ict-geletterdheid", OVER),
}
DOMAINS_ABOVE = ["ict_creatief", "economie"]  # [PUB] creatieve industrie / ict and zakelijke dienstverlening
DOMAINS_BELOW = ["entree"]  # [PUB] entree lags behind
# Cohen's (1988) lower bound of a small R^2 in multiple regression (f^2 = .02), the regression's
# counterpart of the book's "at least a small effect".
R2_SMALL = 0.02
# Cohen's (1988) lower bound of a small correlation: the correlation's counterpart of "at least a small effect".
R_SMALL = 0.1
# The four competence domains of the research model (Visie, Eigen ict-geletterdheid, Vaardigheid in lesgeven met
# ict, Leren en innoveren met ict), each scored as the mean of its scales.
COMPETENCE_DOMAINS = [d for d, spec in CB.domains.items() if spec["soort"] == "competentie"]


# -- the data as the book prepares them --------------------------------------------------
@pytest.fixture(scope="module")
def rows() -> pd.DataFrame:
    """Respondents of the latest wave, with derived variables and the national typology."""
    survey = load_survey(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS)
    typology = fit_typologies(survey.respondents, codebook=CB)
    derived = add_typologies(add_derived(survey.respondents, CB, survey.institutions), typology, CB)
    wave = int(derived["meting"].max())
    return derived.loc[derived["meting"] == wave]


@pytest.fixture(scope="module")
def wave(rows) -> int:
    return int(rows["meting"].iloc[0])


@pytest.fixture(scope="module")
def pairs(rows):
    """`pairs(scale, by)`: the book's Games-Howell table, each computed once."""
    made: dict[tuple[str, str], pd.DataFrame] = {}

    def get(scale: str, by: str) -> pd.DataFrame:
        if (scale, by) not in made:
            made[scale, by] = pairwise_differences(rows, scale, by, CB)
        return made[scale, by]
    return get


@pytest.fixture(scope="module")
def practice_summary(rows) -> pd.DataFrame:
    return scale_summary(rows, PRACTICE, codebook=CB).set_index("schaal")


@pytest.fixture(scope="module")
def met_by_domain(rows) -> pd.DataFrame:
    return scale_summary(rows, MET, by="domein", codebook=CB).set_index(["groep", "schaal"])


@pytest.fixture(scope="module")
def met_chapter_differences(rows) -> pd.DataFrame:
    """Welch tests of the lesgeven-met-ict chapter: its scales x the Katern A breakdowns, Holm over them all."""
    return group_differences(rows, MET, BREAKDOWNS, CB).set_index(["schaal", "variabele"])


@pytest.fixture(scope="module")
def variance(rows) -> dict[str, dict]:
    return {domain: variance_shares(rows, domain_scales(domain, CB), CB) for domain in ("met", "over")}


@pytest.fixture(scope="module")
def regressions(rows) -> dict[str, tuple[pd.DataFrame, dict]]:
    return {domain: practice_regression(rows, domain, CB) for domain in ("met", "over")}


@pytest.fixture(scope="module")
def domain_correlations(rows) -> pd.DataFrame:
    """Pearson r of every competence domain score with every practice domain score, complete cases per pair,
    Holm over all these tests (the family of the finding 'competences relate to practice')."""
    found = []
    for practice in ("met", "over"):
        y = practice_score(rows, domain_scales(practice, CB), CB)
        for competence in COMPETENCE_DOMAINS:
            x = practice_score(rows, [sid for sid in COMPETENCE if CB.scales[sid].domain == competence], CB)
            both = x.notna() & y.notna()
            r, p = stats.pearsonr(x[both], y[both])
            found.append(dict(praktijk=practice, competentie=competence, n=int(both.sum()), r=float(r), p=float(p)))
    table = pd.DataFrame(found)
    table["p_holm"] = pg.multicomp(table["p"].to_numpy(), method="holm")[1]
    return table


# -- helpers -------------------------------------------------------------------------------
def _label(sid: str) -> str:
    return f"'{CB.scales[sid].label}'"


def _pair(table: pd.DataFrame, a: str, b: str) -> dict:
    """The pair a-b of a pairwise table, oriented as a minus b, whichever order the book lists it in."""
    hit = table[(table["groep_a"] == a) & (table["groep_b"] == b)]
    sign = 1
    if hit.empty:
        hit, sign = table[(table["groep_a"] == b) & (table["groep_b"] == a)], -1
    assert len(hit) == 1, f"The book's pairwise table has no comparison of {a} with {b}"
    row = hit.iloc[0]
    mean_a, mean_b = (row["gemiddelde_a"], row["gemiddelde_b"])[::sign]
    label_a, label_b = (row["groep_a_label"], row["groep_b_label"])[::sign]
    return dict(mean_a=float(mean_a), mean_b=float(mean_b), label_a=label_a, label_b=label_b,
                g=sign * float(row["hedges_g"]), p_holm=float(row["p_holm"]), notable=bool(row["opvallend"]))


def _higher(pairs, scale: str, by: str, high: str, low: str, what: str) -> list[str]:
    """Problems (plain sentences) if group `high` is not notably above group `low` on `scale`."""
    pair = _pair(pairs(scale, by), high, low)
    numbers = (f"'{pair['label_a']}' {pair['mean_a']:.2f} against '{pair['label_b']}' {pair['mean_b']:.2f}, "
               f"Hedges' g = {pair['g']:.2f}, "
               f"p_holm = {pair['p_holm']:.2g}")
    if pair["mean_a"] <= pair["mean_b"]:
        return [f"{what}: on {_label(scale)} the book finds the opposite direction ({numbers})."]
    if not pair["notable"]:
        return [f"{what}: on {_label(scale)} the direction holds but the book does not call it notable ({numbers})."]
    return []


def _report(problems: list[str]) -> str:
    return "\n".join(problems)


# -- 1. professionalisation ----------------------------------------------------------------
def test_1_share_that_professionalised(rows, wave):
    share = 100 * float((rows[PROF_COUNT] >= 1).mean())
    assert abs(share - PROF_ANY) <= TOLERANCE_POINTS, (
        f"Katern A publishes that {PROF_ANY}% of teachers took part in at least one professionalisation activity; "
        f"the book computes {share:.1f}% for {wave} (n = {len(rows)}).")


# -- 2. meerwaarde van ict -----------------------------------------------------------------
def test_2_meerwaarde_groups(rows, wave):
    table = distribution_of(MEERWAARDE_GROUP)(rows).set_index("categorie")
    got = {code: 100 * float(table.loc[code, "aandeel"]) for code in MEERWAARDE}
    problems = [
        f"Katern A publishes {published}% for '{table.loc[code, 'categorie_label']}'; the book computes "
        f"{got[code]:.1f}% for {wave}."
        for code, published in MEERWAARDE.items() if abs(got[code] - published) > TOLERANCE_POINTS
    ]
    assert not problems, _report(problems)


# -- 3. the least practised practices ------------------------------------------------------
@pytest.mark.parametrize("practice", list(LEAST_PRACTISED))
def test_3_named_practices_are_among_the_least_practised(practice_summary, practice):
    """Among the least practised: the whole 95% interval below the median of the practice scales that the
    publication does not name. (Five of nine scales are named, so "below the median of all nine" cannot hold for
    all five; what Katern A says is that these get less attention than the other practices.)"""
    published, scales = LEAST_PRACTISED[practice]
    named = {sid for _, named_scales in LEAST_PRACTISED.values() for sid in named_scales}
    means = practice_summary["gemiddelde"].sort_values()
    others = means.drop(list(named))
    median = float(others.median())
    problems = []
    for sid in scales:
        row = practice_summary.loc[sid]
        rank = list(means.index).index(sid) + 1
        if not row["ci_hoog"] < median:
            problems.append(
                f"Katern A publishes that {published}; on {_label(sid)} the book "
                f"computes a mean of {row['gemiddelde']:.2f} (95% interval {row['ci_laag']:.2f}-{row['ci_hoog']:.2f}), "
                f"rank {rank} of {len(means)} from the least practised, not below the median of the "
                f"{len(others)} practice scales Katern A does not name ({median:.2f}).")
    assert not problems, _report(problems)


# -- 4. variance within and between institutions ------------------------------------------
@pytest.mark.parametrize("domain", ["met", "over"])
def test_4_more_variance_within_institutions_than_between(variance, domain):
    shares = variance[domain]
    assert shares["reden"] is None, f"The book cannot split the variance of {domain}: {shares['reden']}"
    numbers = (f"institution {100 * shares['aandeel_instelling']:.1f}%, team {100 * shares['aandeel_team']:.1f}%, "
               f"teacher {100 * shares['aandeel_docent']:.1f}%")
    within = shares["aandeel_team"] + shares["aandeel_docent"]
    assert shares["aandeel_instelling"] < within and shares["aandeel_instelling"] < shares["aandeel_team"], (
        f"Katern A publishes that differences within institutions (teams, programmes) are larger than between "
        f"institutions; for {DOMAIN_TEXT[domain]} the book splits the variance as {numbers}.")


# -- 5. domains ----------------------------------------------------------------------------
def test_5_domains_above_and_below_the_national_mean(practice_summary, met_by_domain, met_chapter_differences):
    problems = []
    for sid in MET:
        national = float(practice_summary.loc[sid, "gemiddelde"])
        for domain in DOMAINS_ABOVE + DOMAINS_BELOW:
            row = met_by_domain.loc[(domain, sid)]
            above = domain in DOMAINS_ABOVE
            clear = row["ci_laag"] > national if above else row["ci_hoog"] < national
            if not clear:
                problems.append(
                    f"Katern A publishes that {row['groep_label']} {'stands out positively' if above else 'lags behind'}; "
                    f"on {_label(sid)} the book computes {row['gemiddelde']:.2f} (95% interval "
                    f"{row['ci_laag']:.2f}-{row['ci_hoog']:.2f}) against a national mean of {national:.2f}.")
        test = met_chapter_differences.loc[(sid, "domein")]
        if not test["opvallend"]:
            problems.append(
                f"Katern A publishes that domains differ; on {_label(sid)} the book does not call the difference by "
                f"domain notable (partial eta squared {test['np2']:.3f}, p_holm = {test['p_holm']:.2g}).")
    assert not problems, _report(problems)


# -- 6. vakscholen -------------------------------------------------------------------------
def test_6_vakscholen_above_roc_and_aoc(pairs):
    what = "Katern A publishes that teachers at vakscholen stand out positively in lesgeven met ict"
    problems = [problem for sid in MET for other in ("roc", "aoc")
                for problem in _higher(pairs, sid, INSTITUTION_TYPE, "vakschool", other, what)]
    assert not problems, _report(problems)


# -- 7. avo and beroepsgerichte teachers ---------------------------------------------------
def test_7_avo_and_beroeps_teachers(pairs):
    problems = []
    for sid in SELF_RATED_COMPETENCE:
        problems += _higher(pairs, sid, "vak", "avo", "beroeps", "Katern A publishes that avo teachers feel more competent")
    problems += _higher(pairs, "over_informatie", "vak", "avo", "beroeps",
                        "Katern A publishes that avo teachers pay more attention to information skills")
    problems += _higher(pairs, "over_instrumenteel", "vak", "beroeps", "avo",
                        "Katern A publishes that beroepsgerichte teachers pay more attention to instrumental skills")
    problems += _higher(pairs, "met_bpv", "vak", "beroeps", "avo",
                        "Katern A publishes that beroepsgerichte teachers use ict more in the beroepspraktijk")
    assert not problems, _report(problems)


# -- 8. starting teachers ------------------------------------------------------------------
def test_8_starting_teachers_use_ict_less(pairs):
    """Starters (< 1 year) against every more experienced group, on every lesgeven-met-ict scale.

    'Experienced' is every other experience group: the publication draws no other line, and Katern C
    likewise sets the starters against each other group.
    """
    starters, experienced = "lt1", [code for code in CB.value_labels("ervaring") if code != "lt1"]
    what = "Katern A publishes that starting teachers use ict less than experienced teachers"
    problems = [problem for sid in MET for group in experienced
                for problem in _higher(pairs, sid, "ervaring", group, starters, what)]
    assert not problems, (
        f"{len(problems)} of {len(MET) * len(experienced)} comparisons of starters with an experience group "
        f"do not reproduce the finding:\n" + _report(problems))


# -- 9. competences and practice -----------------------------------------------------------
@pytest.mark.parametrize("domain", ["met", "over"])
def test_9_competences_relate_to_practice(regressions, domain_correlations, domain):
    """The book's regression of the practice domain on the competence scales explains at least a small,
    significant share of the variance, and every competence domain correlates positively and notably with
    the practice domain (r >= .1 and p_holm < .05).

    The twelve competence scales are highly correlated, so single standardised betas in the joint regression
    say little; the publication reports the relation of competences with practice, which the domain scores
    carry.
    """
    _, fit = regressions[domain]
    what = f"Katern A publishes that competences relate to {DOMAIN_TEXT[domain]}"
    problems = []
    f_value = (fit["r2"] / fit["k"]) / ((1 - fit["r2"]) / (fit["n"] - fit["k"] - 1))
    p_model = float(stats.f.sf(f_value, fit["k"], fit["n"] - fit["k"] - 1))
    if not (fit["r2"] >= R2_SMALL and p_model < ALPHA):
        problems.append(
            f"{what}; the book's regression on the {fit['k']} competence scales explains R^2 = {fit['r2']:.3f} "
            f"(n = {fit['n']}, p = {p_model:.2g}), not a significant share of at least a small effect ({R2_SMALL}).")
    for row in domain_correlations[domain_correlations["praktijk"] == domain].itertuples():
        if not (row.r >= R_SMALL and row.p_holm < ALPHA):
            problems.append(
                f"{what}; the score on '{CB.domains[row.competentie]['label']}' correlates r = {row.r:.3f} with it "
                f"(n = {row.n}, p_holm = {row.p_holm:.2g}), not positively with at least a small effect "
                f"(r >= {R_SMALL}, p_holm < {ALPHA}).")
    assert not problems, _report(problems)


# -- 10. koplopers -------------------------------------------------------------------------
@pytest.mark.parametrize("domain", ["met", "over"])
def test_10_koplopers_have_the_stronger_competence_profile(pairs, domain):
    what = (f"Katern A publishes that koplopers in {DOMAIN_TEXT[domain]} have better developed competences than "
            f"the peloton and the achterblijvers")
    problems = [problem for sid in COMPETENCE for other in (PELOTON, ACHTERBLIJVERS)
                for problem in _higher(pairs, sid, TYPOLOGY_COLUMNS[domain], KOPLOPERS, other, what)]
    assert not problems, _report(problems)

