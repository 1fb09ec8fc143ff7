"""Fast tests: every figure says in Dutch what it shows and its numbers, and needs no colour to be read."""
from __future__ import annotations

import base64
import html
import re

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers.book import figures  # noqa: E402
from helpers.book.widgets import default_alt, switcher  # noqa: E402

SCALES = ["Visie op ict", "Meerwaarde van ict"]
FUNCTIONS = ["docent", "instructeur", "overig"]


def means(groups=FUNCTIONS) -> pd.DataFrame:
    rows = [(s, g, 3.0 + 0.1 * i + 0.4 * j) for i, s in enumerate(SCALES) for j, g in enumerate(groups)]
    table = pd.DataFrame(rows, columns=["schaal_label", "groep_label", "gemiddelde"])
    return table.assign(ci_laag=table["gemiddelde"] - 0.1, ci_hoog=table["gemiddelde"] + 0.1)


def test_mean_figure_alt_text_names_what_it_shows_and_every_mean():
    fig = figures.mean_intervals(means(), "schaal_label", "Visie op onderwijs: functie", hue="groep_label")
    alt = default_alt(fig, "Functie")
    assert alt.startswith("Stippendiagram ‘Visie op onderwijs: functie’: gemiddelde score (1–5)")
    assert "Visie op ict: docent 3,0, instructeur 3,4, overig 3,8; Meerwaarde van ict: docent 3,1," in alt


def test_bar_figure_alt_text_lists_the_percentages_as_drawn_and_skips_a_withheld_group():
    table = pd.DataFrame({"thema": ["Didactiek", "Data", "Ethiek"], "aandeel": [0.48, np.nan, 0.052]})
    fig = figures.horizontal_bars(table, "thema", "aandeel", "Gekozen thema's")
    assert default_alt(fig) == "Staafdiagram ‘Gekozen thema's’: percentage docenten. Didactiek: 48%; Ethiek: 5%."


def test_long_alt_text_gives_per_group_the_highest_and_lowest():
    rows = [(f"Thema {chr(65 + i)}", g, (i + 1) / 20 + j / 100) for i in range(12) for j, g in enumerate(FUNCTIONS)]
    table = pd.DataFrame(rows, columns=["thema", "groep_label", "aandeel"])
    alt = default_alt(figures.horizontal_bars(table, "thema", "aandeel", "Gekozen thema's: functie",
                                              hue="groep_label"))
    assert "36 waarden; per groep de hoogste en laagste." in alt
    assert "docent: hoogst Thema L (60%), laagst Thema A (5%)" in alt
    assert "overig: hoogst Thema L (62%), laagst Thema A (7%)" in alt


def test_heatmap_stacked_ranked_and_coefficient_figures_describe_their_numbers():
    matrix = pd.DataFrame([[0.25, -0.1], [0.0, 0.4]], index=SCALES, columns=["docent", "instructeur"])
    alt = default_alt(figures.difference_heatmap(matrix, "Alle schalen naar functie"))
    assert alt.startswith("Heatmap ‘Alle schalen naar functie’")
    assert "Visie op ict: docent +0,25, instructeur -0,10; Meerwaarde van ict: docent 0,00, instructeur +0,40." in alt

    bands = pd.DataFrame({"schaal": SCALES, "laag": [0.2, 0.1], "hoog": [0.8, 0.9]})
    alt = default_alt(figures.stacked_shares(bands, "schaal", {"laag": "Laag", "hoog": "Hoog"}, "Niveaus"))
    assert "Visie op ict: Laag 20%, Hoog 80%; Meerwaarde van ict: Laag 10%, Hoog 90%." in alt

    units = pd.DataFrame({"type_label": ["roc", "aoc", "roc"], "gemiddelde": [3.2, 3.6, 2.9]})
    units = units.assign(ci_laag=units["gemiddelde"] - 0.2, ci_hoog=units["gemiddelde"] + 0.2)
    alt = default_alt(figures.ranked_intervals(units, "type_label", "Per instelling", hue="type_label",
                                               reference=3.1, reference_label="Alle docenten"))
    assert "aoc: 3,6; roc: 3,2; roc: 2,9. Stippellijn: Alle docenten 3,1." in alt

    betas = means(["Lesgeven met ict"]).rename(columns={"gemiddelde": "beta", "groep_label": "model"})
    betas[["beta", "ci_laag", "ci_hoog"]] -= 3
    alt = default_alt(figures.coefficient_intervals(betas, "schaal_label", "Competenties", hue="model"))
    assert "Visie op ict: Lesgeven met ict 0,00; Meerwaarde van ict: Lesgeven met ict +0,10." in alt


def test_names_in_alt_text_stay_as_typed_and_are_escaped_in_the_image_tag():
    table = pd.DataFrame({"groep": ['ROC "De <Kempen>"'], "aandeel": [0.5]})
    fig = figures.horizontal_bars(table, "groep", "aandeel", "Samenstelling")
    box = switcher({"A": fig, "B": "<p>b</p>"}, "Kies")
    tag = box.children[1].children[0].value
    assert 'ROC &quot;De &lt;Kempen&gt;&quot;: 50%' in tag


def test_groups_differ_by_marker_shape_not_only_by_colour():
    fig = figures.mean_intervals(means(), "schaal_label", "Visie", hue="groep_label")
    markers = [container.lines[0].get_marker() for container in fig.axes[0].containers]  # one per group
    assert len(markers) == len(set(markers)) == len(FUNCTIONS), markers
    # The legend draws each group's errorbar container, marker included.
    assert [text.get_text() for text in fig.legends[0].get_texts()] == FUNCTIONS


def test_bar_groups_and_stacked_parts_differ_by_hatch_not_only_by_colour():
    rows = [(s, g, 0.2 + 0.1 * j) for s in SCALES for j, g in enumerate(FUNCTIONS)]
    table = pd.DataFrame(rows, columns=["thema", "groep_label", "aandeel"])
    fig = figures.horizontal_bars(table, "thema", "aandeel", "Thema's", hue="groep_label")
    hatches = {patch.get_hatch() or "" for patch in fig.axes[0].patches}
    assert len(hatches) == len(FUNCTIONS)
    bands = pd.DataFrame({"schaal": SCALES, "laag": [0.2, 0.1], "midden": [0.3, 0.3], "hoog": [0.5, 0.6]})
    fig = figures.stacked_shares(bands, "schaal", {"laag": "Laag", "midden": "Midden", "hoog": "Hoog"}, "Niveaus")
    assert len({patch.get_hatch() or "" for patch in fig.axes[0].patches}) == 3


@pytest.mark.parametrize("fill", [*figures.PALETTE, "#ffffff", "#777777"])
def test_printed_values_contrast_with_their_fill(fill):
    assert figures.contrast_ratio(figures.text_colour(fill), fill) >= 4.5


def test_heatmap_values_are_readable_on_every_cell():
    matrix = pd.DataFrame([[-1.0, -0.5, 0.0, 0.5, 1.0]], index=["Schaal"], columns=list("abcde"))
    fig = figures.difference_heatmap(matrix, "Verschil")
    image = fig.axes[0].images[0]
    for text in fig.axes[0].texts:
        x, y = text.get_position()
        fill = image.cmap(image.norm(matrix.iloc[int(y), int(x)]))
        assert figures.contrast_ratio(text.get_color(), fill) >= 4.5, (text.get_text(), text.get_color())


def test_interval_lines_stand_out_from_the_white_background():
    for colour in figures.PALETTE:
        assert figures.contrast_ratio(figures.line_colour(colour), "white") >= 3.0


def test_alt_text_numbers_are_dutch():
    fig = figures.mean_intervals(means(), "schaal_label", "Visie", hue="groep_label")
    numbers = re.findall(r"\d+[.,]\d+", default_alt(fig))
    assert numbers and all("," in n for n in numbers)


def test_a_drawing_shows_the_very_image_of_its_figure_and_is_drawn_once_per_content(tmp_path, monkeypatch):
    # A national figure repeated in every institution edition is drawn once per build (the shared results folder).
    from helpers.book.widgets import figure_image
    from helpers.core import memo

    monkeypatch.setattr(memo, "_memory", {})
    memo.use(tmp_path)
    try:
        calls = []
        monkeypatch.setitem(figures._DRAWERS, "mean_intervals",
                            lambda *a, **k: calls.append(1) or figures.mean_intervals(*a, **k))
        drawing = figures.drawn(figures.mean_intervals, means(), "schaal_label", "Gemiddelden", hue="groep_label")
        image, alt = drawing.book_image()
        direct = figures.mean_intervals(means(), "schaal_label", "Gemiddelden", hue="groep_label")
        assert (image, alt) == (figure_image(direct), default_alt(direct))
        monkeypatch.setattr(memo, "_memory", {})  # as another edition's kernel: only the folder is shared
        again = figures.drawn(figures.mean_intervals, means(), "schaal_label", "Gemiddelden", hue="groep_label")
        assert again.book_image() == (image, alt) and len(calls) == 1
        other = figures.drawn(figures.mean_intervals, means(FUNCTIONS[:2]), "schaal_label", "Gemiddelden",
                              hue="groep_label")
        assert other.book_image()[0] != image and len(calls) == 2
        box = switcher({"Landelijk": drawing, "Instelling": direct}, "Wie")
        shown = box.children[1].children[0].value
        assert base64.b64encode(image).decode() in shown and html.escape(alt, quote=True) in shown
        assert isinstance(drawing.figure(), matplotlib.figure.Figure)
    finally:
        memo.use(None)
        matplotlib.pyplot.close("all")


def test_only_this_modules_figure_functions_can_be_drawings():
    with pytest.raises(ValueError):
        figures.drawn(lambda table: None, means())
