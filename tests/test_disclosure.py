import pandas as pd

import numpy as np
import pytest

from helpers.book.figures import horizontal_bars

from helpers.book.disclosure import (
    BOUNDED,
    SHARE_CEILING,
    SHARE_FLOOR,
    bound_of,
    complement_text,
    group_percent,
    share_text,
    shown,
    COMPLEMENTARY,
    EDITION_WIDE,
    FEW_INSTITUTIONS,
    FEW_INSTITUTIONS_IN_GROUP,
    NOT_ASKED,
    PRIMARY,
    REASON,
    SUPPRESSED,
    count_suppressed,
    decide_groups,
    groups_of_few_institutions,
    groups_to_hide,
    mark_not_asked,
    not_asked_records,
    suppress_breakdown,
    suppress_small_groups,
    suppressed_records,
    withhold_rows,
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


# -- attribute disclosure: shares of small groups (CBS practice) -------------------------------------

def test_a_small_groups_share_of_none_or_all_is_shown_as_a_bound_in_table_text_and_figure():
    table = pd.DataFrame({"groep": ["team_a", "team_a", "groot", "groot"], "thema": ["x", "y", "x", "y"],
                          "n": [20, 20, 200, 200], "aantal": [0, 20, 0, 200], "aandeel": [0.0, 1.0, 0.0, 1.0]})
    out = suppress_breakdown(table, min_n=10)
    small = out.loc[out["groep"] == "team_a"]
    # The CSV holds the bound, never the 0 or 1 that gives every member's answer away, nor the count behind it.
    assert small["aandeel"].tolist() == [SHARE_FLOOR, SHARE_CEILING]
    assert small["aantal"].isna().all()
    assert [share_text(r) for _, r in small.iterrows()] == ["< 5%", "> 95%"]
    # A group of at least ATTRIBUTE_N keeps its exact share.
    large = out.loc[out["groep"] == "groot"]
    assert large["aandeel"].tolist() == [0.0, 1.0] and [share_text(r) for _, r in large.iterrows()] == ["0%", "100%"]
    fig = horizontal_bars(shown(out.loc[out["groep"] == "team_a"]), "thema", "aandeel", "Thema's")
    labels = [t.get_text() for t in fig.axes[0].texts]
    assert "< 5%" in labels and "> 95%" in labels and "0%" not in labels and "100%" not in labels


def test_a_bounded_part_of_a_whole_cannot_be_recovered_by_subtraction():
    # Three bands of one scale in a group of 30: 'laag' is 0; the other two, exact, would give it away.
    table = pd.DataFrame({"groep": ["team"], "n": [30], "gemiddelde": [3.9], "aandeel_laag": [0.0],
                          "aandeel_midden": [11 / 30], "aandeel_hoog": [19 / 30]})
    row = suppress_small_groups(table, 10, value_columns=("gemiddelde", "aandeel_laag", "aandeel_midden",
                                                          "aandeel_hoog")).iloc[0]
    assert bound_of(row, "aandeel_laag") == "< 5%"
    for column in ("aandeel_midden", "aandeel_hoog"):
        assert round(row[column] / 0.05, 9) == round(row[column] / 0.05)  # whole 5% steps
    recovered = 1 - row["aandeel_midden"] - row["aandeel_hoog"]
    assert abs(recovered) > 1e-9 or row["aandeel_midden"] != 11 / 30  # not the exact 0 behind the bound
    assert row["gemiddelde"] == 3.9  # means are not shares: untouched


def test_the_parts_of_a_long_distribution_are_rounded_when_one_is_bounded():
    table = pd.DataFrame({"groep": ["g"] * 3 + ["h"] * 3, "band": ["geen", "1", "2+"] * 2,
                          "n": [40] * 3 + [40] * 3, "aantal": [0, 13, 27, 4, 16, 20],
                          "aandeel": [0, 13 / 40, 27 / 40, 4 / 40, 16 / 40, 20 / 40]})
    out = suppress_breakdown(table, 10, whole="band")
    g, h = out.loc[out["groep"] == "g"], out.loc[out["groep"] == "h"]
    assert g[BOUNDED].tolist() == ["< 5%", "afgerond", "afgerond"]
    assert g["aandeel"].tolist() == [0.05, 0.3, 0.7] and g["aantal"].isna().all()
    assert h[BOUNDED].tolist() == ["", "", ""] and h["aandeel"].tolist() == [0.1, 0.4, 0.5]  # nothing to hide


def test_prose_from_raw_shares_bounds_a_small_group_and_flips_the_complement():
    assert group_percent(0.0, 25) == "< 5%" and group_percent(1.0, 25) == "> 95%"
    assert group_percent(0.0, 60) == "0%" and group_percent(0.5, 25) == "50%"
    row = suppress_small_groups(pd.DataFrame({"n": [12], "aantal": [0], "aandeel": [0.0]}), 10).iloc[0]
    assert complement_text(row) == "> 95%"


# -- groups that are sets of institutions (type of institution, nationally) ------------------------------------
def test_types_of_enough_institutions_are_all_shown():
    assert groups_of_few_institutions({"roc": 24, "aoc": 3, "vakschool": 5}, 3) == {}


def test_a_type_of_one_institution_takes_the_next_smallest_with_it():
    """One vakschool: its group is that school. Hidden alone, total minus roc minus aoc would still give it."""
    assert groups_of_few_institutions({"roc": 24, "aoc": 5, "vakschool": 1}, 3) == {
        "vakschool": FEW_INSTITUTIONS_IN_GROUP, "aoc": COMPLEMENTARY}


def test_two_small_types_that_together_span_enough_institutions_need_no_third():
    assert groups_of_few_institutions({"roc": 24, "aoc": 2, "vakschool": 1}, 3) == {
        "aoc": FEW_INSTITUTIONS_IN_GROUP, "vakschool": FEW_INSTITUTIONS_IN_GROUP}


def test_absent_types_are_neither_shown_nor_hidden():
    assert groups_of_few_institutions({"roc": 24, "aoc": 0, "vakschool": 4}, 3) == {}


def test_a_type_hidden_for_its_institutions_keeps_that_reason_in_every_table():
    """Passed on as an edition-wide hidden group, the reason stays 'too few institutions', not 'edition-wide'."""
    hidden = {"vakschool": FEW_INSTITUTIONS_IN_GROUP, "aoc": COMPLEMENTARY}
    reasons = groups_to_hide({"roc": 900, "aoc": 120, "vakschool": 60}, 10, hidden=hidden)
    assert reasons == {"vakschool": FEW_INSTITUTIONS_IN_GROUP, "aoc": EDITION_WIDE}


def test_a_type_withheld_nationally_is_withheld_beside_any_set_of_institutions():
    """Named beside a few institutions (a figure), a type the national figures withhold stays withheld."""
    hidden = {"aoc": FEW_INSTITUTIONS_IN_GROUP, "roc": COMPLEMENTARY}
    assert groups_of_few_institutions({"roc": 5, "aoc": 1, "vakschool": 3}, 3, hidden=hidden) == hidden
    # Withheld together they must still span three institutions here: the next smallest goes too.
    assert groups_of_few_institutions({"roc": 1, "aoc": 1, "vakschool": 3}, 3, hidden=hidden) == {
        **hidden, "vakschool": COMPLEMENTARY}


# -- one decision per breakdown ---------------------------------------------------------------------------------
def test_a_decision_lists_the_groups_shown_in_order_and_the_reason_of_every_other():
    decision = decide_groups({"a": 50, "b": 20, "c": 4, "d": 0}, 10, hidden={"a": PRIMARY})
    assert decision.withheld == {"a": EDITION_WIDE, "c": PRIMARY}
    assert decision.shown == ("b",) and "b" in decision and "a" not in decision
    decision = decide_groups({"a": 50, "b": 20, "c": 30, "d": 0}, 10)
    assert decision.shown == ("a", "b", "c") and "a" in decision  # a group nobody is in is neither


# -- not asked is not withheld; no verdict without a number ------------------------------------------------
def _tests() -> pd.DataFrame:
    return pd.DataFrame({"schaal": ["x", "y", "z"], "n_eerder": [40, 5, 0], "verschil": [0.3, 0.1, None],
                         "effect": ["klein", "verwaarloosbaar", None], "opvallend": [True, False, False]})


def test_a_withheld_row_loses_its_numbers_and_its_verdict_and_keeps_an_earlier_reason():
    table = withhold_rows(_tests(), [False, True, False], PRIMARY, ("verschil",), ("n_eerder",))
    row = table.iloc[1]
    assert bool(row[SUPPRESSED]) and row[REASON] == PRIMARY
    assert pd.isna(row["verschil"]) and pd.isna(row["n_eerder"]) and pd.isna(row["effect"]) and pd.isna(row["opvallend"])
    assert table.iloc[0]["effect"] == "klein" and bool(table.iloc[0]["opvallend"])
    again = withhold_rows(table, [True, True, False], FEW_INSTITUTIONS, ("verschil",), ("n_eerder",))
    assert again[REASON].tolist() == [FEW_INSTITUTIONS, PRIMARY, ""]


def test_a_row_not_asked_has_no_number_no_verdict_and_is_not_withheld_nor_counted():
    table = mark_not_asked(_tests(), [False, False, True], ("verschil",), ("n_eerder",))
    row = table.iloc[2]
    assert not row[SUPPRESSED] and row[REASON] == NOT_ASKED and pd.isna(row["n_eerder"]) and pd.isna(row["opvallend"])
    assert count_suppressed(table) == 0 and suppressed_records("t", table) == []
    records = not_asked_records("t", table)
    assert [(r["rij"]["schaal"], r["reden"]) for r in records] == [("z", NOT_ASKED)]


def test_a_group_withheld_in_a_table_of_tests_carries_no_verdict():
    table = pd.DataFrame({"groep": ["a", "b"], "n": [40, 4], "aandeel": [0.5, 0.5], "effect": ["klein", "klein"],
                          "opvallend": [True, True]})
    out = suppress_breakdown(table, 10, value_columns=("aandeel",), total=44)
    assert out[SUPPRESSED].tolist() == [True, True]
    assert out["effect"].isna().all() and out["opvallend"].isna().all()
