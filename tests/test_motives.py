"""Katern C §3: motive frequencies."""
import pandas as pd
import pytest

from helpers.data.codebook import load_codebook
from helpers.data.derive import PROF_GROUP, add_derived
from helpers.data.validation import load_shipped
from helpers.stats.motives import answered, motive_frequencies, motive_order
from helpers.stats.themes import katern_c_sample
from helpers.stats.typology import add_typologies

CB = load_codebook()
# Order of the motive categories in Katern C (monitor-facts.md), most named first.
PUBLISHED_ORDER = [
    "motief_bijblijven",
    "motief_repertoire",
    "motief_toepasbaar",
    "motief_beroepsvaardigheden",
    "motief_geletterdheid_student",
    "motief_eigen_geletterdheid",
    "motief_gepersonaliseerd",
    "motief_facilitering",
    "motief_kritisch",
]


def respondents(answers: list[tuple[str | None, list[str] | None]], functie: list[str] | None = None) -> pd.DataFrame:
    """One row per (text, codes); codes None = not coded (no answer)."""
    rows = []
    for i, (text, codes) in enumerate(answers):
        row = {"respondent": f"r{i}", "functie": functie[i] if functie else "docent", CB.motive_text: text}
        for motive in CB.motives:
            row[motive] = None if codes is None else int(motive in codes)
        rows.append(row)
    df = pd.DataFrame(rows)
    df[CB.motive_text] = df[CB.motive_text].astype("string")
    for motive in CB.motives:
        df[motive] = df[motive].astype("Int8")
    return df


def test_answered_counts_text_or_codes():
    df = respondents([
        ("iets", ["motief_kritisch"]),
        ("iets zonder code", None),  # text, not (yet) coded
        (None, ["motief_bijblijven"]),  # codes without a text
        (None, None),
        ("   ", None),  # blank text is no answer
    ])
    assert answered(df)["respondent"].tolist() == ["r0", "r1", "r2"]


def test_frequencies_are_shares_of_answerers_in_order():
    df = respondents([
        ("a", ["motief_kritisch", "motief_facilitering"]),
        ("b", ["motief_kritisch"]),
        ("c", ["motief_facilitering", "motief_bijblijven"]),
        ("d", ["motief_kritisch"]),
        (None, None),
        (None, None),
    ])
    freq = motive_frequencies(df)
    assert freq.columns.tolist() == [
        "groep", "groep_label", "motief", "motief_label", "n_antwoorders", "aantal", "aandeel",
    ]
    assert freq["motief"].tolist()[:3] == ["motief_kritisch", "motief_facilitering", "motief_bijblijven"]
    assert freq["motief"].tolist() == motive_order(df)
    assert (freq["n_antwoorders"] == 4).all()
    by = freq.set_index("motief")
    assert by.loc["motief_kritisch", "aantal"] == 3
    assert by.loc["motief_kritisch", "aandeel"] == pytest.approx(0.75)
    assert by.loc["motief_bijblijven", "aandeel"] == pytest.approx(0.25)
    assert by.loc["motief_repertoire", "aantal"] == 0
    assert by.loc["motief_kritisch", "motief_label"] == CB.motives["motief_kritisch"]
    # ties (all zero) keep codebook order
    zero = [m for m in motive_order(df) if by.loc[m, "aantal"] == 0]
    assert zero == [m for m in CB.motives if m in zero]


def test_frequencies_by_group_use_codebook_labels_and_overall_order():
    df = respondents(
        [
            ("a", ["motief_repertoire"]),
            ("b", ["motief_repertoire"]),
            ("c", ["motief_beroepsvaardigheden"]),
            (None, None),
        ],
        functie=["docent", "docent", "instructeur", "instructeur"],
    )
    freq = motive_frequencies(df, "functie")
    assert freq["groep"].unique().tolist() == ["docent", "instructeur", "overig"]
    assert freq.drop_duplicates("groep")["groep_label"].tolist() == list(CB.value_labels("functie").values())
    cell = freq.set_index(["groep", "motief"])
    assert cell.loc[("instructeur", "motief_beroepsvaardigheden"), "aandeel"] == pytest.approx(1.0)
    assert cell.loc[("instructeur", "motief_beroepsvaardigheden"), "n_antwoorders"] == 1
    assert cell.loc[("docent", "motief_repertoire"), "aandeel"] == pytest.approx(1.0)
    assert cell.loc[("overig", "motief_repertoire"), "n_antwoorders"] == 0
    assert pd.isna(cell.loc[("overig", "motief_repertoire"), "aandeel"])
    for _, part in freq.groupby("groep", sort=False):
        assert part["motief"].tolist() == motive_order(df)


# -- the shipped data ---------------------------------------------------------------
@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return katern_c_sample(add_typologies(add_derived(load_shipped().respondents)))


def test_shipped_more_than_4000_answerers(sample):
    assert len(answered(sample)) > 4000
    assert motive_frequencies(sample)["n_antwoorders"].iloc[0] == len(answered(sample))


def test_shipped_order_is_the_published_order(sample):
    assert motive_order(sample) == PUBLISHED_ORDER
    assert motive_frequencies(sample)["motief"].tolist() == PUBLISHED_ORDER


def _share(freq: pd.DataFrame, group: str, motive: str) -> float:
    return float(freq.set_index(["groep", "motief"]).loc[(group, motive), "aandeel"])


def test_shipped_instructeurs_name_beroepsvaardigheden_docenten_repertoire(sample):
    freq = motive_frequencies(sample, "functie")
    assert _share(freq, "instructeur", "motief_beroepsvaardigheden") > _share(freq, "docent", "motief_beroepsvaardigheden")
    assert _share(freq, "docent", "motief_repertoire") > _share(freq, "instructeur", "motief_repertoire")


def test_shipped_beroeps_name_beroepsvaardigheden_more_than_avo(sample):
    freq = motive_frequencies(sample, "vak")
    assert _share(freq, "beroeps", "motief_beroepsvaardigheden") > _share(freq, "avo", "motief_beroepsvaardigheden")


def test_shipped_many_activities_name_bijblijven_more(sample):
    freq = motive_frequencies(sample, PROF_GROUP)
    assert _share(freq, "3_of_meer", "motief_bijblijven") > _share(freq, "minder_dan_3", "motief_bijblijven")
