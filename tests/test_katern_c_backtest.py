"""Back-test of Katern C §2.2 and Bijlage 1 on the shipped (synthetic) data.

Every published Bijlage 1 row (theme, group, share, direction; Katern C,
see ../shared/reference/monitor-facts.md) must come out of the book's own
Bijlage 1 (stats/appendix.py) in the same direction with p ≤ .05, and the
published §2.2 figures on meerwaarde groups and the typology must hold in
direction. The shipped data are synthetic and calibrated to these figures;
the test shows that the book's statistics recover them.
"""
from __future__ import annotations

import pandas as pd
import pytest

from helpers.data.codebook import load_codebook
from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS
from helpers.data.derive import (
    INSTITUTION_TYPE,
    MEERWAARDE_GROUP,
    THEME_COUNT,
    TYPOLOGY_MET,
    TYPOLOGY_OVER,
    add_derived,
    label,
    meerwaarde_group,
    value_labels,
)
from helpers.data.validation import load_survey
from helpers.chapters.katern_c.appendix_1 import NO_DIFFERENCES, bijlage1
from helpers.stats.appendix import bijlage1_groups
from helpers.stats.themes import katern_c_sample
from helpers.stats.typology import add_typologies

CB = load_codebook()
MORE, LESS = "vaker", "minder vaak"
TOLERANCE = 0.03  # published share (or range) of a group, ± 3 points

# Published group names of Bijlage 1 -> (variable, codes); a group spanning several codes is checked per code.
GROUPS = {
    "AVO": ("vak", ["avo"]),
    "beroepsgericht": ("vak", ["beroeps"]),
    "starters": ("ervaring", ["lt1"]),
    "1–3 jaar": ("ervaring", ["1-3"]),
    "4–5 jaar": ("ervaring", ["4-5"]),
    "1–5 jaar": ("ervaring", ["1-3", "4-5"]),
    "11–20 jaar": ("ervaring", ["11-20"]),
    "> 20 jaar": ("ervaring", ["gt20"]),
    "> 10 jaar": ("ervaring", ["11-20", "gt20"]),
    "eerstegraads": ("bevoegdheid", ["eerstegraads"]),
    "pabo": ("bevoegdheid", ["pabo"]),
    "vakscholen": (INSTITUTION_TYPE, ["vakschool"]),
    "instructeurs": ("functie", ["instructeur"]),
    "entree": ("domein", ["entree"]),
}

# Bijlage 1 of Katern C: (theme, published group, published share (low, high), direction).
PUBLISHED = [
    ("thema_activerend", "AVO", (0.54, 0.54), MORE),
    ("thema_activerend", "starters", (0.64, 0.64), MORE),
    ("thema_activerend", "1–5 jaar", (0.52, 0.54), MORE),
    ("thema_activerend", "> 20 jaar", (0.45, 0.45), LESS),
    ("thema_activerend", "eerstegraads", (0.40, 0.40), LESS),  # column placement uncertain in the source
    ("thema_activerend", "vakscholen", (0.39, 0.39), LESS),  # column placement uncertain in the source
    ("thema_activerend", "instructeurs", (0.36, 0.36), LESS),
    ("thema_differentieren", "1–3 jaar", (0.55, 0.55), MORE),
    ("thema_differentieren", "4–5 jaar", (0.52, 0.52), MORE),
    ("thema_differentieren", "AVO", (0.50, 0.50), MORE),
    ("thema_differentieren", "beroepsgericht", (0.43, 0.43), LESS),
    ("thema_differentieren", "> 20 jaar", (0.39, 0.39), LESS),
    ("thema_differentieren", "instructeurs", (0.32, 0.32), LESS),
    ("thema_blended", "1–5 jaar", (0.38, 0.39), MORE),
    ("thema_blended", "> 20 jaar", (0.27, 0.27), LESS),
    ("thema_blended", "instructeurs", (0.22, 0.22), LESS),
    ("thema_eigenaarschap", "instructeurs", (0.21, 0.21), LESS),
    ("thema_beroepspraktijk", "starters", (0.44, 0.44), MORE),
    ("thema_beroepspraktijk", "1–5 jaar", (0.35, 0.35), MORE),
    ("thema_beroepspraktijk", "beroepsgericht", (0.36, 0.36), MORE),
    ("thema_beroepspraktijk", "11–20 jaar", (0.26, 0.26), LESS),
    ("thema_beroepspraktijk", "> 20 jaar", (0.24, 0.24), LESS),
    ("thema_beroepspraktijk", "AVO", (0.14, 0.14), LESS),
    ("thema_vernieuwend", "starters", (0.36, 0.36), MORE),
    ("thema_vernieuwend", "1–5 jaar", (0.27, 0.28), MORE),
    ("thema_vernieuwend", "beroepsgericht", (0.29, 0.29), MORE),
    ("thema_vernieuwend", "> 20 jaar", (0.18, 0.18), LESS),
    ("thema_vernieuwend", "pabo", (0.14, 0.14), LESS),
    ("thema_vernieuwend", "AVO", (0.16, 0.16), LESS),
    ("thema_geletterdheid", "entree", (0.50, 0.50), MORE),
    ("thema_geletterdheid", "4–5 jaar", (0.30, 0.30), MORE),
    ("thema_geletterdheid", "AVO", (0.28, 0.28), MORE),
    ("thema_geletterdheid", "> 10 jaar", (0.18, 0.20), LESS),
    ("thema_geletterdheid", "beroepsgericht", (0.18, 0.18), LESS),
    ("thema_data", "> 20 jaar", (0.10, 0.10), LESS),
    ("thema_data", "instructeurs", (0.08, 0.08), LESS),
    ("thema_data", "pabo", (0.04, 0.04), LESS),
    ("thema_ethiek", "instructeurs", (0.08, 0.08), LESS),
    ("thema_geen", "instructeurs", (0.14, 0.14), MORE),
    ("thema_geen", "> 20 jaar", (0.14, 0.14), MORE),
    ("thema_geen", "vakscholen", (0.12, 0.12), MORE),
]


def _case_id(row) -> str:
    return f"{row[0]}|{row[1]}"


@pytest.fixture(scope="module")
def sample():
    survey = load_survey(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS)
    return katern_c_sample(add_typologies(add_derived(survey.respondents, CB, survey.institutions)))


@pytest.fixture(scope="module")
def groups(sample):
    return bijlage1_groups(sample)


@pytest.fixture(scope="module")
def table(sample, groups):
    return bijlage1(sample, groups=groups)


def test_katern_c_sample_size(sample):
    assert len(sample) == 5467


@pytest.mark.parametrize("row", PUBLISHED, ids=_case_id)
def test_published_bijlage1_row_is_in_the_books_bijlage1(groups, table, row):
    theme, name, (low, high), direction = row
    variable, codes = GROUPS[name]
    for code in codes:
        hit = groups[(groups["thema"] == theme) & (groups["variabele"] == variable) & (groups["groep"] == code)]
        assert len(hit) == 1, f"{theme}: {name} ({code}) ontbreekt in Bijlage 1"
        hit = hit.iloc[0]
        assert hit["richting"] == direction
        assert hit["p"] <= 0.05
        assert low - TOLERANCE <= hit["aandeel_groep"] <= high + TOLERANCE, (
            f"{theme}: {name} ({code}) {hit['aandeel_groep']:.3f} vs published {low:.2f}–{high:.2f}")
        column = "vaker" if direction == MORE else "minder_vaak"
        text = table.set_index("thema").loc[theme, column]
        assert f"{label(variable)}: {value_labels(variable)[code]} (" in text


def test_bijlage1_has_one_row_per_theme_in_published_order(table):
    assert list(table["thema"]) == [
        "thema_activerend", "thema_differentieren", "thema_blended", "thema_eigenaarschap",
        "thema_beroepspraktijk", "thema_vernieuwend", "thema_geletterdheid",
        # data and ethiek are both published as 14%; on the shipped data ethiek is a hair higher
        "thema_ethiek", "thema_data", "thema_geen",
    ]
    assert (table["n"] == 5467).all()
    published = {"thema_activerend": 0.48, "thema_differentieren": 0.46, "thema_blended": 0.34,
                 "thema_eigenaarschap": 0.31, "thema_beroepspraktijk": 0.29, "thema_vernieuwend": 0.24,
                 "thema_geletterdheid": 0.22, "thema_data": 0.14, "thema_ethiek": 0.14, "thema_geen": 0.09}
    for theme, share in table.set_index("thema")["aandeel"].items():
        assert abs(share - published[theme]) <= 0.005, theme
    assert not table[["vaker", "minder_vaak"]].isin([""]).any().any()
    assert set(table.columns) >= {"thema", "thema_label", "aandeel", "vaker", "minder_vaak"}


def test_bijlage1_groups_are_significant_and_consistent(groups):
    assert (groups["p"] <= 0.05).all()
    assert (groups["residu"].abs() >= 1.96).all()
    assert ((groups["residu"] > 0) == (groups["richting"] == MORE)).all()
    assert ((groups["aandeel_groep"] > groups["aandeel_thema"]) == (groups["richting"] == MORE)).all()
    assert (groups["p_holm"] >= groups["p"]).all()
    assert groups.notna().all().all()


def test_no_difference_text_for_a_theme_without_deviating_groups(sample):
    none = bijlage1(sample, variables=["functie"], alpha=1e-300)
    assert (none["vaker"] == NO_DIFFERENCES).all() and (none["minder_vaak"] == NO_DIFFERENCES).all()


# -- §2.2: meerwaarde groups and typology --------------------------------------------------
def test_meerwaarde_groups_79_19_2(sample):
    share = sample[MEERWAARDE_GROUP].value_counts(normalize=True)
    for code, published in {"veel": 0.79, "enige": 0.19, "weinig_geen": 0.02}.items():
        assert abs(share[code] - published) <= 0.01, f"{code}: {share[code]:.3f}"


def test_little_or_no_meerwaarde_rarely_chooses_four_or_more(sample):
    weinig = sample[sample[MEERWAARDE_GROUP] == "weinig_geen"]
    assert (weinig[THEME_COUNT] >= 4).mean() <= 0.05


def test_typology_koplopers_many_themes_achterblijvers_none(sample):
    met = sample.groupby(TYPOLOGY_MET, observed=True)
    four_plus = met[THEME_COUNT].apply(lambda s: (s >= 4).mean())
    none = met[CB.theme_none].apply(lambda s: s.astype(float).mean())
    assert four_plus["koplopers"] > 0.30, "koplopers: more than 30% choose four or more"
    assert abs(none["achterblijvers"] - 0.15) <= 0.03, "achterblijvers: about 15% choose none"
    assert four_plus["koplopers"] > four_plus["achterblijvers"]
    assert none["achterblijvers"] > none["peloton"] > none["koplopers"]
    # lesgeven over ict: same directions
    over = sample.groupby(TYPOLOGY_OVER, observed=True)
    assert over[THEME_COUNT].apply(lambda s: (s >= 4).mean()).pipe(lambda s: s["koplopers"] > s["achterblijvers"])
    assert over[CB.theme_none].apply(lambda s: s.astype(float).mean()).pipe(
        lambda s: s["achterblijvers"] > s["koplopers"])


# -- derived variables on hand-made rows -----------------------------------------------------
def test_meerwaarde_rule_boundaries_and_missing():
    assert [meerwaarde_group(x) for x in (5.0, 3.5, 3.25, 2.75, 2.5, 1.0)] == [
        "veel", "veel", "enige", "enige", "weinig_geen", "weinig_geen"]
    assert meerwaarde_group(float("nan")) is None
    items = CB.scales["visie_meerwaarde"].items
    rows = pd.DataFrame([[4, 4, 3, 3], [2, 3, 3, 2], [5, 5, 5, None]], columns=items).astype("Int8")
    for activity in CB.activities:
        rows[activity] = 0
    for theme in CB.theme_columns:
        rows[theme] = pd.NA
    got = add_derived(rows)[MEERWAARDE_GROUP]
    assert got.iloc[0] == "veel" and got.iloc[1] == "weinig_geen" and pd.isna(got.iloc[2])
    assert value_labels(MEERWAARDE_GROUP) == {"veel": "(Veel) meerwaarde", "enige": "Enige meerwaarde",
                                              "weinig_geen": "Weinig of geen meerwaarde"}


def test_institution_type_is_joined_from_the_institutions_table():
    rows = pd.DataFrame({"instelling": ["A", "B", "C"]})
    for activity in CB.activities:
        rows[activity] = 0
    for theme in CB.theme_columns:
        rows[theme] = pd.NA
    institutions = pd.DataFrame({"instelling": ["A", "B"], "naam": ["a", "b"], "type": ["vakschool", "roc"]})
    got = add_derived(rows, institutions=institutions)[INSTITUTION_TYPE]
    assert got.iloc[0] == "vakschool" and got.iloc[1] == "roc" and pd.isna(got.iloc[2])
    assert add_derived(rows)[INSTITUTION_TYPE].isna().all()  # without the table: missing, not an error
    assert value_labels(INSTITUTION_TYPE)["vakschool"] == "Vakinstelling"
    assert label(INSTITUTION_TYPE) == "Type instelling"
