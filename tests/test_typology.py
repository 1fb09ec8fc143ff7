"""Koplopers / peloton / achterblijvers (stats/typology.py, derive.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.data.codebook import load_codebook
from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS
from helpers.data.derive import TYPOLOGY_MET, TYPOLOGY_OVER, add_derived, label, value_labels
from helpers.stats.typology import (
    ACHTERBLIJVERS,
    KOPLOPERS,
    PELOTON,
    TYPE_LABELS,
    add_typologies,
    classify,
    domain_scales,
    fit_typologies,
    fit_typology,
    group_sizes,
    practice_score,
)
from helpers.chapters.katern_c.c2_2_differences import typology_method
from helpers.data.validation import load_survey

CB = load_codebook()
COLUMNS = {"met": TYPOLOGY_MET, "over": TYPOLOGY_OVER}


@pytest.fixture(scope="module")
def survey():
    return load_survey(SHIPPED_RESPONDENTS, SHIPPED_INSTITUTIONS)


@pytest.fixture(scope="module")
def models(survey):
    return fit_typologies(survey.respondents)


@pytest.fixture(scope="module")
def derived(survey, models):
    return add_typologies(add_derived(survey.respondents, CB, survey.institutions), models)


def toy(scores: list[float | None], domain: str = "met", wave: int = 2022) -> pd.DataFrame:
    """Respondents whose every practice item of `domain` equals their score (None = not answered)."""
    items = [c for sid in domain_scales(domain) for c in CB.scales[sid].items]
    rows = [{"meting": wave, **{c: s for c in items}} for s in scores]
    df = pd.DataFrame(rows)
    for c in items:
        df[c] = df[c].astype("Float64")
    return df


# -- method on hand-made data ------------------------------------------------------------
def test_cut_offs_are_the_20th_and_80th_percentile_and_ties_join_the_outer_group():
    df = toy([1, 2, 2, 3, 3, 3, 3, 4, 4, 5])
    model = fit_typology(df, "met")
    assert (model.lower, model.upper) == (2.0, 4.0)
    types = classify(df, model).astype(object).tolist()
    assert types == [ACHTERBLIJVERS] * 3 + [PELOTON] * 4 + [KOPLOPERS] * 3


def test_missing_practice_data_gives_missing_type():
    df = toy([1, 2, 3, 4, 5])
    df.loc[2, CB.scales["met_bpv"].items[0]] = pd.NA  # one item missing: no scale score, no practice score
    model = fit_typology(df, "met")
    types = classify(df, model)
    assert types.isna().tolist() == [False, False, True, False, False]
    assert np.isnan(practice_score(df, model.scales).iloc[2])


def test_only_the_reference_wave_is_used_for_fitting():
    national = pd.concat([toy([1, 2, 3, 4, 5]), toy([5, 5, 5, 5, 5], wave=2020)], ignore_index=True)
    assert fit_typology(national, "met") == fit_typology(toy([1, 2, 3, 4, 5]), "met")


def test_no_practice_columns_gives_no_model_and_missing_types():
    df = pd.DataFrame({"meting": [2022, 2022]})
    assert fit_typologies(df) == {"met": None, "over": None}
    assert classify(df, None).isna().all()


# -- shipped data -----------------------------------------------------------------------
def test_fit_is_deterministic(survey, models):
    again = fit_typologies(survey.respondents.sample(frac=1.0, random_state=7))  # row order does not matter
    assert again == models
    for domain in COLUMNS:
        assert classify(survey.respondents, models[domain]).equals(classify(survey.respondents, again[domain]))


@pytest.mark.parametrize("domain", list(COLUMNS))
def test_national_cut_offs_classify_an_institution_as_nationally(survey, models, derived, domain):
    column = COLUMNS[domain]
    own = survey.respondents[survey.respondents["instelling"] == "I07"]
    assert classify(own, models[domain]).equals(derived.loc[own.index, column])
    edition = add_typologies(add_derived(own, CB, survey.institutions), models)
    assert edition[column].equals(derived.loc[own.index, column])
    # refitting on the institution would move the cut-offs: that is why the national model is passed
    assert fit_typology(own, domain) != models[domain]


@pytest.mark.parametrize("domain", list(COLUMNS))
def test_group_sizes_sum_to_the_classified_and_peloton_is_the_large_middle(derived, domain):
    column = COLUMNS[domain]
    d22 = derived[derived["meting"] == 2022]
    sizes = group_sizes(d22, column).set_index("groep")
    assert list(sizes.index) == list(TYPE_LABELS)
    assert sizes["n"].sum() == d22[column].notna().sum()
    assert sizes["aandeel"].sum() == pytest.approx(1.0)
    assert sizes.loc[PELOTON, "aandeel"] > 0.5
    for outer in (KOPLOPERS, ACHTERBLIJVERS):
        assert 0.18 <= sizes.loc[outer, "aandeel"] <= 0.25


@pytest.mark.parametrize("domain", list(COLUMNS))
def test_koplopers_have_better_developed_competences(derived, domain):
    d22 = derived[derived["meting"] == 2022]
    scales = [sid for sid, s in CB.scales.items() if s.domain in ("vaardig", "geletterd")]
    competence = pd.concat([d22[CB.scales[s].items].astype(float).mean(axis=1) for s in scales], axis=1).mean(axis=1)
    means = competence.groupby(d22[COLUMNS[domain]], observed=True).mean()
    assert means[KOPLOPERS] > means[PELOTON] > means[ACHTERBLIJVERS]
    for sid in [s for s in scales if s.startswith("vaardig")]:
        scale = d22[CB.scales[sid].items].astype(float).mean(axis=1).groupby(d22[COLUMNS[domain]], observed=True).mean()
        assert scale[KOPLOPERS] > scale[ACHTERBLIJVERS], sid


def test_missing_practice_scales_leave_the_type_missing(derived):
    d2017 = derived[derived["meting"] == 2017]
    assert d2017[TYPOLOGY_MET].isna().all()  # 2017 lacks met_data, met_online, met_zelfregie
    stopped = derived[CB.scales["over_informatie"].items].isna().any(axis=1)
    assert stopped.any() and derived.loc[stopped, TYPOLOGY_OVER].isna().all()


def test_describe_names_method_and_cut_offs_in_dutch(models):
    text = typology_method(models["met"])
    assert "20e" in text and "80e percentiel" in text and "2022" in text
    assert f"{models['met'].upper:.2f}".replace(".", ",") in text
    assert "Koplopers" in text and "peloton" in text


def test_labels_of_the_typology_columns():
    assert value_labels(TYPOLOGY_MET) == {"koplopers": "Koplopers", "peloton": "Peloton",
                                          "achterblijvers": "Achterblijvers"}
    assert label(TYPOLOGY_OVER) == "Typologie lesgeven over ict"
