import pandas as pd

from helpers.disclosure import SUPPRESSED, count_suppressed, suppress_breakdown, suppress_small_groups


def breakdown(sizes: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"groep": g, "thema": t, "n": n, "aantal": n // 2, "aandeel": 0.5} for g, n in sizes.items() for t in "ab"]
    )


def test_small_group_is_blanked_and_flagged():
    table = suppress_small_groups(breakdown({"x": 9, "y": 40}), min_n=10)
    hidden = table[table["groep"] == "x"]
    assert hidden[SUPPRESSED].all()
    assert hidden[["n", "aantal", "aandeel"]].isna().all().all()
    assert not table.loc[table["groep"] == "y", SUPPRESSED].any()


def test_a_single_hidden_group_takes_the_smallest_other_with_it():
    # With only 'c' hidden, it could be recovered as total minus a and b.
    table = suppress_breakdown(breakdown({"a": 50, "b": 20, "c": 4}), min_n=10)
    hidden = set(table.loc[table[SUPPRESSED], "groep"])
    assert hidden == {"b", "c"}
    assert count_suppressed(table) == 4


def test_two_hidden_groups_need_no_secondary_suppression():
    table = suppress_breakdown(breakdown({"a": 50, "b": 3, "c": 4}), min_n=10)
    assert set(table.loc[table[SUPPRESSED], "groep"]) == {"b", "c"}


def test_nothing_hidden_when_all_groups_are_large():
    table = suppress_breakdown(breakdown({"a": 50, "b": 30}), min_n=10)
    assert count_suppressed(table) == 0
