"""The book's sentences read as a careful editor would leave them (rules in `prose_rules`).

The rules are tried on sentences that break them and on their corrections
(so a rule that never fires fails here), then on every page of the national
and an institution edition.
"""
from __future__ import annotations

import pytest

import prose_rules as rules
from helpers.core import dutch
from helpers.core.edition_manifest import chapters_for


@pytest.mark.parametrize("rule, wrong, right", [
    (rules.comparison_order, "Vrouwen scoren hoger (3,43 tegen 3,80) op gamen.",
     "Vrouwen scoren hoger (3,80 tegen 3,43) op gamen."),
    (rules.comparison_order, "Docenten van het eigen team doen minder vaak mee (54% tegen 48%).",
     "Docenten van het eigen team doen minder vaak mee (48% tegen 54%)."),
    (rules.respectively_equal, "Landelijk deed in 2017, 2020 en 2022 respectievelijk 87%, 87% en 87% mee.",
     "Landelijk deed in 2017, 2020 en 2022 respectievelijk 87%, 85% en 86% mee."),
    (rules.starts_with_digit, "2 teams staan er niet bij.", "Er staan 2 teams niet bij."),
    (rules.repeated_word, "Dat geldt voor de de docenten.", "Dat geldt voor de docenten."),
    (rules.repeated_word, "Korte en langere activiteiten samen gaan met de beste resultaten samen.",
     "Competenties en handelen gaan samen: de competenties verklaren samen 22% van de verschillen."),
    (rules.times_count, "Er deden 24 × regionaal opleidingencentrum mee.", "Er deden (roc: 24, aoc: 3) mee."),
    (rules.largest_unmeasured, "Het grootste verschil zit bij gamen (3,1 in 2020, 3,5 in 2022).",
     "Het grootste verschil (naar Hedges' g) zit bij gamen (3,1 in 2020, 3,5 in 2022)."),
])
def test_each_rule_finds_its_error_and_passes_the_correction(rule, wrong, right):
    assert rule(wrong), f"{rule.__name__} missed: {wrong}"
    assert rule(right) is None, f"{rule.__name__} objects to: {right}"


def test_a_key_figure_in_large_type_is_not_a_sentence_starting_with_a_digit(tmp_path):
    page = tmp_path / "praatplaat.html"
    page.write_text('<article><ul><li><span class="pp-cijfer">87%</span> van de docenten deed mee.</li>'
                    '<li>2 teams staan er niet bij.</li></ul></article>', encoding="utf-8")
    found = rules.problems(page)
    assert len(found) == 1 and "2 teams" in found[0], found


def test_respectively_says_equal_values_once():
    assert dutch.respectively(["87%", "87%", "87%"]) == "telkens 87%"
    assert dutch.respectively(["87%", "85%"]) == "respectievelijk 87% en 85%"
    assert dutch.respectively(["87%"]) == "87%"


def test_every_page_reads_as_edited(built, institution):
    found = []
    for edition in ("landelijk", institution):
        html = built / "editions" / edition / "html"
        pages = [html / "index.html", *(html / f"{chapter}.html" for chapter in chapters_for(edition))]
        for page in pages:
            found += [f"{edition}/{page.stem}: {problem}" for problem in rules.problems(page)]
    assert not found, "sentences a careful editor would rewrite:\n" + "\n".join(found)
