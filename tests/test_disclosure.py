import pandas as pd

import numpy as np
import pytest

from helpers.book.disclosure import (
    COMPLEMENTARY,
    EDITION_WIDE,
    PRIMARY,
    REASON,
    SUPPRESSED,
    count_suppressed,
    groups_to_hide,
    suppress_breakdown,
    suppress_small_groups,
    suppressed_records,
)


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


def test_two_hidden_groups_that_together_reach_the_threshold_need_no_secondary_suppression():
    table = suppress_breakdown(breakdown({"a": 50, "b": 6, "c": 5}), min_n=10)
    assert set(table.loc[table[SUPPRESSED], "groep"]) == {"b", "c"}


def test_two_hidden_groups_below_the_threshold_together_take_another_with_them():
    # b + c = 7 people: total minus a would show their combined answers.
    table = suppress_breakdown(breakdown({"a": 50, "b": 3, "c": 4, "d": 30}), min_n=10)
    assert set(table.loc[table[SUPPRESSED], "groep"]) == {"b", "c", "d"}
    reasons = table.drop_duplicates("groep").set_index("groep")[REASON]
    assert reasons.to_dict() == {"a": "", "b": PRIMARY, "c": PRIMARY, "d": COMPLEMENTARY}


def test_respondents_outside_every_group_count_towards_the_remainder():
    # 60 teachers, 55 in a team: the 5 without a team would follow from total minus a and b.
    assert groups_to_hide({"a": 30, "b": 25}, min_n=10, total=60) == {"b": COMPLEMENTARY}
    assert groups_to_hide({"a": 30, "b": 25}, min_n=10, total=70) == {}


def test_a_group_hidden_elsewhere_in_the_edition_is_hidden_here_too():
    hide = groups_to_hide({"a": 30, "b": 25, "c": 20}, min_n=10, hidden={"b": PRIMARY})
    assert hide == {"b": EDITION_WIDE}


@pytest.mark.parametrize("seed", range(25))
def test_no_hidden_remainder_is_ever_smaller_than_the_threshold(seed):
    """Whatever the sizes: total minus the shown groups is 0 or at least min_n people."""
    rng = np.random.default_rng(seed)
    sizes = {f"g{i}": int(n) for i, n in enumerate(rng.integers(0, 25, size=rng.integers(2, 9)))}
    outside = int(rng.integers(0, 12))
    total = sum(sizes.values()) + outside
    hide = groups_to_hide(sizes, min_n=10, total=total)
    remainder = total - sum(n for g, n in sizes.items() if g not in hide)
    assert remainder == 0 or remainder >= 10 or all(n == 0 for g, n in sizes.items() if g not in hide)
    assert all(g in hide for g, n in sizes.items() if 0 < n < 10)


def test_every_withheld_row_is_recorded_with_its_table_and_reason():
    table = suppress_breakdown(breakdown({"a": 50, "b": 20, "c": 4}), min_n=10)
    records = suppressed_records("c2-1-themas", table)
    assert len(records) == count_suppressed(table) == 4
    assert {(r["rij"]["groep"], r["reden"]) for r in records} == {("c", PRIMARY), ("b", COMPLEMENTARY)}
    assert all(r["tabel"] == "c2-1-themas" and r["uitleg"] for r in records)


def test_nothing_hidden_when_all_groups_are_large():
    table = suppress_breakdown(breakdown({"a": 50, "b": 30}), min_n=10)
    assert count_suppressed(table) == 0
