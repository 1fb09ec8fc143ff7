"""Every figure reads: no text over text or over a legend swatch, legends above the plot, every group its own look.

The edition tests run every chapter of the national edition and of one
institution edition of the small generated data set in this process and
measure each figure a chapter shows, as drawn (`tests/figure_layout.py`,
through `helpers.book.publish.figure_hook`): with matplotlib's renderer
(`get_window_extent` of every text drawn, of the legend and its swatches)
and in the SVG the book shows (a legend swatch drawn as pixels lands where
the SVG puts it). The other tests pin down the figure style: nine groups,
bounded shares, heatmaps, legend order, numbering, the same bytes.
"""
from __future__ import annotations

import collections
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from figure_layout import book_legend_problems, chapter_figures, layout_problems  # noqa: E402
from helpers.book import figures, publish  # noqa: E402
from helpers.book.disclosure import BOUNDED  # noqa: E402
from helpers.book.widgets import figure_image  # noqa: E402

DOMAINS = ["Zorg en welzijn", "Techniek en procesindustrie", "Economie en zakelijke dienstverlening",
           "Ict en creatieve industrie", "Groen (voedsel, natuur en leefomgeving)", "Horeca, toerisme en gastvrijheid",
           "Mobiliteit, transport en logistiek", "Entree", "Overig"]
SCALES = ["Ict om te differentiëren", "Data om leren in kaart te brengen", "Online onderwijsactiviteiten"]
BANDS = {"aandeel_laag": "Laag (1–2,5)", "aandeel_midden": "Midden (tussen 2,5 en 3,5)",
         "aandeel_hoog": "Hoog (3,5–5)"}


def _edition_problems(edition: str, prepared, tables) -> tuple[int, dict[str, list[str]]]:
    found: dict[str, list[str]] = {}

    def visit(chapter, table_id, label, fig):
        problems = layout_problems(fig) + book_legend_problems(fig)
        if problems:
            found[f"{table_id} [{label}]" if label else table_id] = problems

    return chapter_figures(edition, prepared, tables, visit), found


@pytest.mark.slow
@pytest.mark.parametrize("which", ["landelijk", "instelling"])
def test_every_figure_of_an_edition_reads(which, prepared, institution, tmp_path):
    edition = "landelijk" if which == "landelijk" else institution
    shown, found = _edition_problems(edition, prepared, tmp_path / "tabellen")
    assert shown >= 100, f"{edition}: only {shown} figures shown"
    kinds = collections.Counter(p.split(":")[0] for problems in found.values() for p in problems)
    detail = "\n".join(f"  {figure}: {'; '.join(problems[:4])}" for figure, problems in list(found.items())[:40])
    assert not found, (f"{edition}: {len(found)} of {shown} figures unreadable ({dict(kinds)}):\n{detail}")


# -- the style, figure by figure ------------------------------------------------------------------
def _means(groups: list[str]) -> pd.DataFrame:
    rows = [(s, g, 3.0 + 0.05 * j + 0.2 * i, 100 + j) for i, s in enumerate(SCALES) for j, g in enumerate(groups)]
    table = pd.DataFrame(rows, columns=["schaal_label", "groep_label", "gemiddelde", "n"])
    return table.assign(ci_laag=table["gemiddelde"] - 0.1, ci_hoog=table["gemiddelde"] + 0.1)


def _legend_labels_in_reading_order(fig) -> list[str]:
    """The legend's labels as a reader reads them: row by row from the top, left to right."""
    renderer = fig.canvas.get_renderer()
    texts = fig.legends[0].get_texts()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    return [text for text, box in sorted(boxes, key=lambda tb: (-round(tb[1].y1), tb[1].x0))]


def test_nine_domains_have_nine_looks_and_the_legend_is_on_top_in_reading_order():
    fig = figures.mean_intervals(_means(DOMAINS), "schaal_label", "Lesgeven met ict: opleidingsdomein",
                                 hue="groep_label", hue_order=DOMAINS)
    looks = {(container.lines[0].get_color(), container.lines[0].get_marker()) for container in fig.axes[0].containers}
    assert len(looks) == len(DOMAINS)
    assert layout_problems(fig) == []
    assert _legend_labels_in_reading_order(fig) == DOMAINS
    renderer = fig.canvas.get_renderer()
    assert fig.legends[0].get_window_extent(renderer).y0 > fig.axes[0].get_window_extent(renderer).y1
    styles = [figures.group_style(j) for j in range(40)]
    assert len({(colour, marker) for colour, marker, _ in styles}) == 40  # beyond nine too
    plt.close("all")


def test_the_bands_legend_reads_low_middle_high_and_no_tick_is_cut_off():
    bands = pd.DataFrame({"schaal": SCALES, "n": [300] * 3, "aandeel_laag": [0.2, 0.5, 0.33],
                          "aandeel_midden": [0.3, 0.3, 0.34], "aandeel_hoog": [0.5, 0.2, 0.33]})
    fig = figures.stacked_shares(bands, "schaal", BANDS, "Lesgeven met ict: verdeling over de niveaus")
    assert _legend_labels_in_reading_order(fig) == list(BANDS.values())
    assert layout_problems(fig) == []  # the "100%" tick included
    plt.close("all")


def test_a_bounded_share_is_drawn_as_a_bound_and_labelled_so():
    table = pd.DataFrame({"thema": ["Data", "Ethiek", "Didactiek"], "n": [30, 30, 30],
                          "aandeel": [0.05, 0.95, 0.4], BOUNDED: ["< 5%", "> 95%", ""]})
    fig = figures.horizontal_bars(table, "thema", "aandeel", "Gekozen thema's")
    ax = fig.axes[0]
    open_bars = [p for p in ax.patches if p.get_facecolor()[:3] == (1.0, 1.0, 1.0) and p.get_linestyle() != "-"]
    spans = sorted((round(p.get_x(), 6), round(p.get_x() + p.get_width(), 6)) for p in open_bars)
    assert spans == [(0.0, 0.05), (0.95, 1.0)]  # below 5%: open to the bound; above 95%: an open end to 100%
    solid = {round(p.get_width(), 6) for p in ax.patches if p not in open_bars}
    assert 0.05 not in solid and 0.95 in solid and 0.4 in solid
    assert {"< 5%", "> 95%", "40%"} <= {t.get_text() for t in ax.texts}
    assert figures.BOUND_LABEL in [t.get_text() for t in fig.legends[0].get_texts()]
    assert layout_problems(fig) == []
    plt.close("all")


def test_a_bounded_part_of_a_stacked_bar_is_drawn_open_and_named():
    bands = pd.DataFrame({"schaal": SCALES[:2], "n": [30, 300], "aandeel_laag": [0.05, 0.4],
                          "aandeel_midden": [0.3, 0.3], "aandeel_hoog": [0.65, 0.3],
                          BOUNDED: ["aandeel_laag < 5%; aandeel_midden afgerond; aandeel_hoog afgerond", ""]})
    fig = figures.stacked_shares(bands, "schaal", BANDS, "Niveaus")
    ax = fig.axes[0]
    open_parts = [p for p in ax.patches if p.get_facecolor()[:3] == (1.0, 1.0, 1.0) and p.get_linestyle() != "-"]
    assert [(round(p.get_x(), 6), round(p.get_width(), 6), round(p.get_y() + p.get_height() / 2)) for p in open_parts] \
        == [(0.0, 0.05, 0)]
    assert "< 5%" in {t.get_text() for t in ax.texts}
    assert figures.BOUND_LABEL in [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert layout_problems(fig) == []
    plt.close("all")


def test_a_heatmap_has_a_colour_key_legible_cells_and_its_scales_under_their_domain():
    rng = np.random.default_rng(3)
    matrix = pd.DataFrame(rng.normal(0, 0.3, (5, len(DOMAINS))), index=[f"Schaal {i}" for i in range(5)],
                          columns=DOMAINS)
    domains = ["Visie op onderwijs"] * 2 + ["Lesgeven met ict"] * 3
    fig = figures.difference_heatmap(matrix, "Alle schalen naar opleidingsdomein", row_groups=domains)
    keys = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    assert len(keys) == 1 and keys[0].get_xticklabels()
    heatmap = fig.axes[0]
    assert min(t.get_fontsize() for t in heatmap.texts) >= figures.VALUE_FONT_SIZE
    assert all(t.get_rotation() in (0, 90) for t in heatmap.get_xticklabels())
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    headings = {t.get_text(): t.get_window_extent(renderer).y0 for t in fig.texts if t.get_text() in domains}
    rows = {t.get_text(): t.get_window_extent(renderer).y0 for t in heatmap.get_yticklabels()}
    assert headings["Visie op onderwijs"] > rows["Schaal 0"] > rows["Schaal 1"] > headings["Lesgeven met ict"] \
        > rows["Schaal 2"]
    assert layout_problems(fig) == []
    plt.close("all")


def test_a_hatched_legend_swatch_stays_beside_its_label_in_the_books_svg():
    groups = ["ROC Lindevaart", "Zelfde type instelling", "Landelijk"]
    rows = [(f"Thema {i}", g, 0.1 + 0.05 * i + 0.1 * j) for i in range(4) for j, g in enumerate(groups)]
    table = pd.DataFrame(rows, columns=["thema", "groep_label", "aandeel"])
    fig = figures.horizontal_bars(table, "thema", "aandeel", "Gekozen thema's", hue="groep_label",
                                  hue_order=groups)
    assert book_legend_problems(fig) == [] and layout_problems(fig) == []
    assert b"<pattern" not in figure_image(fig)
    plt.close("all")


# -- numbers, n and wave ------------------------------------------------------------------------------
def test_figures_are_numbered_per_chapter_with_n_and_wave_from_their_own_rows(tmp_path, monkeypatch):
    caught = []
    monkeypatch.setattr(publish, "figure_hook", lambda table_id, label, fig: caught.append(
        (table_id, label, fig._suptitle.get_text(), fig._mb_subtitle.get_text())))
    monkeypatch.setattr(publish, "display", lambda *args, **kwargs: None)
    publisher = publish.Publisher(tmp_path, wave=2022)
    means = _means(["docent", "instructeur"])
    means["n"] = [4000, 1500, 3990, 1490, 3980, 1480]
    views = {"Functie": figures.mean_intervals(means, "schaal_label", "Lesgeven met ict: functie", hue="groep_label"),
             "Alle docenten": figures.drawn(figures.mean_intervals, means.loc[means["groep_label"] == "docent"],
                                            "schaal_label", "Lesgeven met ict")}
    publisher.views("a-met-schalen", means, views, "Weergave")
    bands = pd.DataFrame({"schaal": SCALES, "n": [5500, 5490, 5480], "meting": [2022] * 3,
                          "aandeel_laag": [0.2] * 3, "aandeel_midden": [0.3] * 3, "aandeel_hoog": [0.5] * 3})
    publisher.figure("a-met-niveaus", bands, figures.stacked_shares(bands, "schaal", BANDS, "Niveaus"))
    assert caught == [
        ("a-met-schalen", "Functie", "Figuur A6.1 — Lesgeven met ict: functie", "(n = 5.500, meting 2022)"),
        ("a-met-schalen", "Alle docenten", "Figuur A6.1 — Lesgeven met ict", "(n = 4.000, meting 2022)"),
        ("a-met-niveaus", None, "Figuur A6.2 — Niveaus", "(n = 5.500, meting 2022)"),
    ]
    comparison = _means(["ROC Lindevaart", "Landelijk"]).assign(groep=["instelling", "landelijk"] * 3)
    facts = figures.figure_facts(comparison, "Vergelijking", "schaal_label", "groep_label")
    assert figures.facts_text(facts, [2022]) == "(meting 2022; n: ROC Lindevaart 100, Landelijk 101)"
    trend = _means(["2017", "2022"]).assign(meting=[2017, 2022] * 3)
    facts = figures.figure_facts(trend, "Trend", "schaal_label", "groep_label")
    assert figures.facts_text(facts, [2022]) == "(n = 100 in 2017 en 101 in 2022)"
    assert publish.chapter_number("notebooks/katern_c/c2_1_themas") == "C2.1"
    plt.close("all")


def test_a_numbered_figure_is_the_same_bytes_each_time():
    def draw():
        fig = figures.horizontal_bars(pd.DataFrame({"thema": ["Data", "Ethiek"], "aandeel": [0.3, 0.6],
                                                    "n": [200, 200]}), "thema", "aandeel", "Thema's")
        return figures.numbered(fig, "C2.1", [2022])

    once = figure_image(draw())
    twice = draw()
    figures.numbered(twice, "C2.1", [2022])  # laid out again: the same figure
    assert figure_image(twice) == once
    assert re.search(rb"Figuur C2\.1", once)
    plt.close("all")
