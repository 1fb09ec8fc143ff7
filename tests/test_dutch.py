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
