"""Fixtures shared by the end-to-end tests: a small generated data set and one build of it."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers.core import memo
from helpers.data import dataset
from helpers.data.validation import load_survey
from helpers.pipeline.build import build
from helpers.stats.themes import katern_c_sample
from helpers.synthetic import write as write_synthetic


#: Fixtures that build editions: every test that uses one is marked slow, so `make check` (-m "not slow") never
#: builds more than its one edition (tests/test_one_edition.py).
BUILDING_FIXTURES = {"built", "built_later", "hostile"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session", autouse=True)
def build_cache(tmp_path_factory) -> Path:
    """The user's build cache (shared results, `helpers.core.memo.cache_root`) of every build of the session,
    in its own folder, not in the user's home: builds and their subprocesses find it through the environment."""
    folder = tmp_path_factory.mktemp("build-cache")
    previous = os.environ.get(memo.CACHE_ENV)
    os.environ[memo.CACHE_ENV] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop(memo.CACHE_ENV, None)
    else:
        os.environ[memo.CACHE_ENV] = previous


@pytest.fixture(scope="session")
def small_data(tmp_path_factory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("data")
    write_synthetic(directory, seed=7, scale=0.05)
    return directory / "respondenten.csv", directory / "instellingen.csv"


@pytest.fixture(scope="session")
def institution(small_data) -> str:
    """The institution with the most complete 2022 respondents in the small set."""
    survey = load_survey(*small_data)
    sample = katern_c_sample(survey.respondents)
    return str(sample["instelling"].value_counts().index[0])


@pytest.fixture(scope="session")
def built(small_data, institution, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    results = build(*small_data, out=out, editions=["landelijk", institution], jobs=2, show_progress=False)
    failures = {r.edition: r.error for r in results if not r.ok}
    assert not failures, f"editions failed: {failures}"
    return out


# Adversarial exports (tests/adversarial.py), checked and kept, for the chapter functions' tests.
def _adversarial_set(make: str, name: str, small_data, tmp_path_factory):
    """The small set changed by `adversarial.<make>`, checked and kept as the build keeps it."""
    import adversarial

    folder = tmp_path_factory.mktemp(name)
    return adversarial.prepared(getattr(adversarial, make)(small_data, folder / "export"), folder / "prepared")


@pytest.fixture(scope="module")
def types_set(small_data, tmp_path_factory):
    return _adversarial_set("types_of_few_institutions", "types", small_data, tmp_path_factory)


@pytest.fixture(scope="module")
def small_groups_set(small_data, tmp_path_factory):
    return _adversarial_set("small_groups_everywhere", "small-groups", small_data, tmp_path_factory)


@pytest.fixture(scope="module")
def few_others_set(small_data, tmp_path_factory):
    return _adversarial_set("few_others_in_an_early_wave", "few-others", small_data, tmp_path_factory)


@pytest.fixture(scope="module")
def few_others_newest_set(small_data, tmp_path_factory):
    return _adversarial_set("few_others_in_the_newest_wave", "few-others-newest", small_data, tmp_path_factory)


# Checked data kept as the build keeps it, for tests that open editions in-process (one per module, as before).
@pytest.fixture(scope="module")
def prepared(small_data, tmp_path_factory) -> Path:
    """The small synthetic set."""
    folder = tmp_path_factory.mktemp("prepared")
    dataset.save(load_survey(*small_data), folder)
    return folder


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """The shipped synthetic data set."""
    folder = tmp_path_factory.mktemp("shipped")
    dataset.save(load_survey(dataset.SHIPPED_RESPONDENTS, dataset.SHIPPED_INSTITUTIONS), folder)
    return folder
