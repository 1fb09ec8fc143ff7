import pandas as pd
import pytest

from helpers.data.codebook import load_codebook
from helpers.data.derive import PROF_GROUP, add_derived
from helpers.stats.themes import katern_c_sample, theme_count_distribution, theme_shares, theme_summary

CB = load_codebook()


def respondents(choices: list[list[str]], activities: list[int] | None = None) -> pd.DataFrame:
    """One 2022 volledig respondent per list of chosen themes."""
    rows = []
    for i, chosen in enumerate(choices):
        row = {"respondent": f"r{i}", "meting": 2022, "volledig": True, "ervaring": "lt1", "functie": "docent"}
        for theme in CB.theme_columns:
            row[theme] = int(theme in chosen)
        for k, activity in enumerate(CB.activities):
            row[activity] = int(k < (activities[i] if activities else 0))
        rows.append(row)
    return add_derived(pd.DataFrame(rows))


def test_shares_count_each_theme_over_all_respondents():
    df = respondents([["thema_activerend"], ["thema_activerend", "thema_data"], ["thema_geen"], ["thema_data"]])
    shares = theme_shares(df).set_index("thema")["aandeel"]
    assert shares["thema_activerend"] == pytest.approx(0.5)
    assert shares["thema_data"] == pytest.approx(0.5)
    assert shares["thema_geen"] == pytest.approx(0.25)
    assert shares["thema_ethiek"] == 0


def test_summary_gives_any_four_none_and_mean_among_choosers():
    four = ["thema_activerend", "thema_data", "thema_ethiek", "thema_blended"]
    df = respondents([four, ["thema_data"], ["thema_geen"], ["thema_data", "thema_ethiek"]])
    s = theme_summary(df)
    assert s["minstens_een"] == pytest.approx(0.75)
    assert s["vier_of_meer"] == pytest.approx(0.25)
    assert s["geen"] == pytest.approx(0.25)
    assert s["gemiddeld_aantal"] == pytest.approx((4 + 1 + 2) / 3)


def test_one_definition_of_no_theme_where_ticking_none_and_ticking_nothing_differ():
    """'Geen thema' in §2.1, in the distribution and in the conclusions: no theme chosen, ticked 'geen' or not."""
    df = respondents([["thema_data"], ["thema_geen"], [], ["thema_activerend", "thema_data"]])
    s = theme_summary(df)
    bands = theme_count_distribution(df).set_index("band")["aandeel"]
    assert s["geen"] == pytest.approx(0.5) == pytest.approx(bands["geen"])
    assert s["minstens_een"] == pytest.approx(1 - s["geen"])
    # the answer option itself is still the share that ticked it
    assert theme_shares(df).set_index("thema").loc["thema_geen", "aandeel"] == pytest.approx(0.25)


def test_distribution_bands_sum_to_one_per_group():
    df = respondents([["thema_geen"], ["thema_data"], ["thema_data", "thema_ethiek"]] * 3, activities=[0, 3, 5] * 3)
    dist = theme_count_distribution(df, PROF_GROUP)
    assert dist.groupby("groep")["aandeel"].sum().round(6).eq(1).all()
    assert dist.set_index(["groep", "band"]).loc[("minder_dan_3", "geen"), "aantal"] == 3


def test_katern_c_sample_keeps_only_complete_2022_rows():
    df = pd.DataFrame({"meting": [2020, 2022, 2022], "volledig": [True, False, True]})
    assert katern_c_sample(df).index.tolist() == [2]
