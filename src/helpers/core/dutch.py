"""Dutch number formatting for prose, labels and tables: 5.467; 48%; 2,9."""
from __future__ import annotations

import math


def integer(value: float) -> str:
    """5467 -> '5.467' (thousands separated by a dot)."""
    return f"{round(value):,}".replace(",", ".")


def decimal(value: float, digits: int = 1) -> str:
    """2.88 -> '2,9' (decimal comma, thousands dot)."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")


def mean(value: float) -> str:
    """A mean score as a sentence cites it, with one decimal: 2.88 -> '2,9'."""
    return decimal(value, 1)


def two_decimals(value: float) -> str:
    """A mean compared between waves, a gap or an effect size, with two decimals: 0.254 -> '0,25'."""
    return decimal(value, 2)


def year(value: float) -> str:
    """A wave as a sentence cites it: a float year such as 2.0e3 -> '2000'; no thousands dot in a year."""
    return str(int(value))


def percent(share: float, digits: int = 0) -> str:
    """0.4812 -> '48%'. `share` is a fraction between 0 and 1."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{decimal(100 * share, digits)}%"


def count_word(n: int, singular: str, plural: str) -> str:
    """'1 thema' / '3 thema's', with the number in Dutch format."""
    return f"{integer(n)} {singular if n == 1 else plural}"


def join(words: list[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    words = [str(w) for w in words]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " en " + words[-1]


def lower_first(text: str) -> str:
    """'Begeleiding door iCoach' -> 'begeleiding door iCoach': only the first letter, names keep their capitals;
    a word in capitals stays one ('AI in het onderwijs', 'VR-brillen')."""
    if text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """'groep kleiner dan de drempel' -> 'Groep kleiner dan de drempel': the start of a sentence or list item."""
    return text[:1].upper() + text[1:]


def respectively(values: list[str]) -> str:
    """Values that belong to a list named before them: 'respectievelijk 87%, 85% en 86%', or 'telkens 87%'.

    Equal values are said once: 'respectievelijk 87%, 87% en 87%' makes a reader look for a difference.
    """
    values = [str(v) for v in values]
    if len(set(values)) == 1:
        return f"telkens {values[0]}" if len(values) > 1 else values[0]
    return f"respectievelijk {join(values)}"


MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def date(day) -> str:
    """A date as Dutch prose writes it: day, month in words, year ('6 december' and the year)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
