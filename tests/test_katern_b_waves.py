"""Katern B over all waves: per scale one figure, a dot per wave that asked it, "niet gemeten" in place of one that did
not, and a bracket for exactly the changes the wave-pair table calls notable.

The chapters run in this process as the build runs them (`tests/figure_layout.py`), on the small generated data
set (it lacks some scales in its first wave) and on a copy that also left one scale out of a middle wave, in the
national edition and an institution's; every figure is also measured for overlaps and groups that look alike.
"""
from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import adversarial  # noqa: E402
from figure_layout import book_legend_problems, chapter_figures, layout_problems  # noqa: E402
from helpers.book import figures  # noqa: E402
from helpers.data.codebook import load_codebook  # noqa: E402

CB = load_codebook()
CHAPTERS = {"b2": "notebooks/katern_b/b2_competenties", "b3": "notebooks/katern_b/b3_lesgeven"}
MIDDLE_GAP = "visie_meerwaarde"  # left out of the middle wave in `gap_set`
BRACKET = re.compile(r"^(?:(?P<group>.+): )?(?P<later>\d+) opvallend (?P<way>hoger|lager) dan (?P<earlier>\d+)")


@pytest.fixture(scope="module")
def small_set(small_data, tmp_path_factory):
    return adversarial.prepared(small_data, tmp_path_factory.mktemp("small") / "prepared")


@pytest.fixture(scope="module")
def gap_set(small_data, tmp_path_factory):
    """The small set with one scale, asked in every wave there, not asked in the middle wave."""
    folder = tmp_path_factory.mktemp("gap")
    frame, places = adversarial._read(small_data[0]), adversarial._read(small_data[1])
    waves = sorted({int(w) for w in frame["meting"]})
    assert len(waves) >= 3, "the small data set changed: fewer than three waves"
    items = CB.scales[MIDDLE_GAP].items
    frame.loc[frame["meting"] == str(waves[1]), items] = ""
    return adversarial.prepared(adversarial._write(frame, places, folder / "export"), folder / "prepared")


def _figure_facts(fig) -> dict:
    """What a reader sees in a figure over the waves: dots per legend group, 'niet gemeten' waves, brackets."""
    ax = fig.axes[0]
    legend = fig.legends[0] if fig.legends else None
    labels = [" ".join(t.get_text().split()) for t in legend.get_texts()] if legend else []
    dots = {container.get_label(): sorted(round(float(v)) for v in container.lines[0].get_xdata())
            for container in ax.containers}
    not_asked = sorted(round(t.get_position()[0]) for t in ax.texts
                       if " ".join(t.get_text().split()) == figures.NOT_ASKED_LABEL)
    brackets = []
    for t in ax.texts:
        match = BRACKET.match(t.get_text())
        if match:
            brackets.append((match["group"], int(match["earlier"]), int(match["later"]), match["way"]))
    return {"dots": dots, "not_asked": not_asked, "brackets": sorted(brackets, key=str), "labels": labels,
            "layout": layout_problems(fig) + book_legend_problems(fig)}


def _run(edition: str, prepared, tables):
    seen: dict[str, list[dict]] = {"b2": [], "b3": []}

    def visit(chapter, table_id, label, fig):
        if table_id.endswith("-metingen"):
            seen[table_id.split("-")[0]].append({"scale": label, **_figure_facts(fig)})

    chapter_figures(edition, prepared, tables, visit, chapters=list(CHAPTERS.values()))
    return seen


def _title(edition: str, prepared) -> str:
    from helpers.book.edition import open_edition

    return open_edition(edition, prepared, None, None, None).edition.title


def _check_edition(edition: str, prepared, tables) -> dict:
    institution_title = _title(edition, prepared)
    seen = _run(edition, prepared, tables)
    for key, found in seen.items():
        series = pd.read_csv(tables / f"{key}-metingen.csv")
        differences = pd.read_csv(tables / f"{key}-verschillen.csv")
        national = series.loc[series["groep"] == "landelijk"]
        labels = list(dict.fromkeys(national["schaal_label"]))
        assert [f["scale"] for f in found] == labels, f"{edition} {key}: not one figure per scale"
        for figure in found:
            assert not figure["layout"], (edition, figure["scale"], figure["layout"])
            rows = national.loc[national["schaal_label"] == figure["scale"]]
            asked = sorted(int(w) for w in rows.loc[rows["gemeten"].astype(bool), "meting"])
            unasked = sorted(int(w) for w in rows.loc[~rows["gemeten"].astype(bool), "meting"])
            assert figure["not_asked"] == unasked, (edition, figure["scale"])
            national_label = "Landelijk" if "Landelijk" in figure["dots"] else None
            if not rows["onderdrukt"].astype(bool).any():
                assert figure["dots"][national_label] == asked, (edition, figure["scale"], "one dot per asked wave")
            else:
                assert national_label is None, (edition, figure["scale"], "a withheld national series is drawn")
            shown = differences.loc[(differences["schaal_label"] == figure["scale"])
                                    & ~differences["onderdrukt"].astype(bool)
                                    & differences["gemeten"].astype(bool)
                                    & differences["opvallend"].fillna(False).astype(bool)]
            if national_label is None:
                shown = shown.loc[shown["groep"] != "landelijk"]
            several = len(figure["dots"]) > 1
            names = {"landelijk": "Landelijk", "instelling": institution_title}
            expected = sorted(((names[r.groep] if several else None), int(r.meting_eerder), int(r.meting_later),
                               "hoger" if r.verschil > 0 else "lager") for r in shown.itertuples())
            assert figure["brackets"] == sorted(expected, key=str), (edition, figure["scale"])
        own = series.loc[series["groep"] == "instelling"]
        if len(own):
            assert (own.loc[~own["onderdrukt"].astype(bool), "n"].dropna() >= 10).all()
    return seen


def test_every_scale_has_its_figure_over_the_waves_nationally(small_set, tmp_path):
    seen = _check_edition("landelijk", small_set, tmp_path / "tabellen")
    everything = [f for found in seen.values() for f in found]
    assert any(f["not_asked"] for f in everything), "the small set lacks some scales in its first wave"
    assert any(f["brackets"] for f in everything), "no notable change marked anywhere: nothing was tested"


def test_the_institutions_own_series_stands_beside_the_national(small_set, institution, tmp_path):
    title = _title(institution, small_set)
    seen = _check_edition(institution, small_set, tmp_path / "tabellen")
    own = [f for found in seen.values() for f in found if title in f["dots"]]
    assert own, f"{institution}: no figure shows the institution's own teachers"
    assert all("Landelijk" in f["dots"] for f in own)
    assert any(f"{title} (eigen docenten)" in f["labels"] for f in own), "the legend names the own teachers"


def test_a_scale_left_out_of_a_middle_wave_reads_niet_gemeten_there(gap_set, tmp_path):
    seen = _check_edition("landelijk", gap_set, tmp_path / "tabellen")
    label = CB.scales[MIDDLE_GAP].label
    figure = next(f for found in seen.values() for f in found if f["scale"] == label)
    waves = sorted({w for found in seen.values() for f in found for ws in f["dots"].values() for w in ws})
    assert figure["not_asked"] == [waves[1]]
    assert list(figure["dots"].values())[0] == [waves[0], waves[-1]]


def test_a_withheld_national_series_is_not_drawn_beside_the_institution(small_data, tmp_path):
    prepared = adversarial.prepared(adversarial.few_others_in_an_early_wave(small_data, tmp_path / "export"),
                                    tmp_path / "prepared")
    seen = _check_edition(adversarial.FEW_OTHERS, prepared, tmp_path / "tabellen")
    series = pd.read_csv(tmp_path / "tabellen" / "b2-metingen.csv")
    withheld = series.loc[(series["groep"] == "landelijk") & series["onderdrukt"].astype(bool)]
    assert len(withheld), "the earliest wave has one other institution: its national series must be withheld"
    assert withheld["gemiddelde"].isna().all() and withheld["n"].isna().all()
    assert seen["b2"]


# -- the tables beside the figures fit the page -----------------------------------------------------
KATERN_B = ("b1_inleiding", "b2_competenties", "b3_lesgeven", "b4_professionalisering", "b5_opbrengst",
            "b6_conclusies")
TABLE_WIDTHS = """() => [...document.querySelectorAll('table.tabel')].map(t => {
    const box = t.closest('.cell_output, .output') || t.parentElement;
    return [t.getBoundingClientRect().width, box.getBoundingClientRect().width,
            [...t.querySelectorAll('th')].map(h => h.textContent.trim()).join(' | ')];
})"""


def test_every_katern_b_table_fits_the_page_at_1280_px(built, institution):
    """No column of a Katern B table is cut off in a 1280 px window ("Opmerking" was, in the wave-pair tables)."""
    from browser import chromium_available, launch_browser, serve_directory

    if not chromium_available():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): `make test` installs it with apt-get")
    too_wide, measured = [], 0
    with launch_browser() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for edition in ("landelijk", institution):
            with serve_directory(built / "editions" / edition / "html") as base_url:
                for chapter in KATERN_B:
                    page.goto(f"{base_url}/notebooks/katern_b/{chapter}.html")
                    for width, room, headers in page.evaluate(TABLE_WIDTHS):
                        measured += 1
                        if width > room + 1:
                            too_wide.append(f"{edition} {chapter}: {width:.0f} px in {room:.0f} px ({headers})")
    assert measured >= 10, f"only {measured} tables measured"
    assert not too_wide, "\n".join(too_wide)
