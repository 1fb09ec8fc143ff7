from helpers.core import dutch


def test_integer_uses_dot_as_thousands_separator():
    assert dutch.integer(5467) == "5.467"
    assert dutch.integer(6133) == "6.133"
    assert dutch.integer(12) == "12"


def test_percent_rounds_and_has_no_space():
    assert dutch.percent(0.4812) == "48%"
    assert dutch.percent(0.091) == "9%"
    assert dutch.percent(0.2649, 1) == "26,5%"


def test_decimal_uses_comma():
    assert dutch.decimal(2.875) == "2,9"
    assert dutch.decimal(1234.5, 1) == "1.234,5"


def test_missing_percent_is_a_dash():
    assert dutch.percent(float("nan")) == "–"


def test_join_lists_words_the_dutch_way():
    from helpers.core.dutch import join

    assert join([]) == "" and join(["a"]) == "a" and join(["a", "b"]) == "a en b"
    assert join(["a", "b", "c"]) == "a, b en c"


def test_a_sentence_cites_means_with_one_decimal_changes_with_two_and_years_without_a_dot():
    assert dutch.mean(2.875) == "2,9" and dutch.mean(3.0) == "3,0"
    assert dutch.two_decimals(0.254) == "0,25" and dutch.two_decimals(-0.1) == "-0,10"
    assert dutch.year(2022.0) == "2022"  # not '2.022', as dutch.integer would write it
