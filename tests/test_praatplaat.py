"""The praatplaat on the shipped data (national, I07, I04, I11) and a tiny institution: the chapters' numbers only."""
from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.core import dutch
from helpers.book.disclosure import ABOVE, BELOW, BOUNDED, bound_of
from helpers.book.edition import open_edition
from helpers.chapters import praatplaat
from helpers.chapters.katern_a import introduction as katern_a_introduction
from helpers.chapters.katern_a import overview, professionalisation
from helpers.chapters.katern_a.common import sample as katern_a_sample
from helpers.chapters.katern_b import introduction as katern_b_introduction
from helpers.chapters.katern_b import trends
from helpers.chapters.katern_c import c2_1_themes
from helpers.data import dataset
from helpers.data.codebook import load_codebook
from helpers.data.derive import PROF_COUNT
from helpers.data.validation import load_survey

CB = load_codebook()
TINY = "I99"  # four teachers: below the privacy threshold
# A number as the page shows it: 6.133, 2,1, 48%, a year.
NUMBER = re.compile(r"\d+(?:\.\d{3})*(?:,\d+)?%?")


def chapter_tables(ctx) -> dict:
    """Every table the praatplaat cites, made the way its chapter makes it (full breakdowns included)."""
    return {
        "a10-aantal": professionalisation.count_table(ctx),
        "a-overzicht": overview.overview_table(ctx),
        "a-profiel-verschillen": overview.benchmark_table(ctx),
        "c2-1-themas": c2_1_themes.theme_table(ctx),
        "b1-metingen": katern_b_introduction.waves_table(ctx),
        "b2-verschillen": trends.difference_table(ctx, trends.chapter_scales("competenties")),
        "b3-verschillen": trends.difference_table(ctx, trends.chapter_scales("handelen")),
    }


@pytest.fixture(scope="module")
def with_tiny(small_data, tmp_path_factory) -> Path:
    """The small data set with one more institution of four teachers (copied from the largest)."""
    directory = tmp_path_factory.mktemp("tiny-data")
    respondents = pd.read_csv(small_data[0], dtype=str, keep_default_na=False)
    latest = respondents["meting"].astype(int).max()
    donors = respondents[(respondents["instelling"] == "I01") & (respondents["meting"].astype(int) == latest)
                         & (respondents["volledig"] == "true")].head(4).copy()
    donors["respondent"] = [f"T{i:05d}" for i in range(len(donors))]
    donors["instelling"], donors["team"] = TINY, "klein-1"
    pd.concat([respondents, donors]).to_csv(directory / "respondenten.csv", index=False)
    institutions = pd.read_csv(small_data[1], dtype=str)
    extra = pd.DataFrame([{"instelling": TINY, "naam": "Vakschool Kleinwerk", "type": "vakschool"}])
    pd.concat([institutions, extra]).to_csv(directory / "instellingen.csv", index=False)
    folder = directory / "prepared"
    dataset.save(load_survey(directory / "respondenten.csv", directory / "instellingen.csv"), folder)
    return folder


@pytest.fixture(scope="module")
def plates(shipped) -> dict:
    """{edition: (context, praatplaat)} on the shipped data."""
    out = {}
    for edition in ("landelijk", "I07", "I04", "I11"):
        ctx = open_edition(edition, shipped, None, None, None)
        out[edition] = (ctx, praatplaat.make(ctx))
    return out


def _select(table: pd.DataFrame, where: dict) -> pd.DataFrame:
    for key, value in where.items():
        table = table[table[key] == value]
    return table


def _shown(row: pd.Series, column: str, shown: str, operation: str) -> bool:
    """Whether `shown` is how the page writes the cell of `column` in `row` (after its operation).

    A small group's bounded share reads as its bound ('< 5%'); the complement of a bound is the other bound.
    """
    value = float(row[column])
    bound = bound_of(row, column)
    if bound:
        return shown == ({BELOW: ABOVE, ABOVE: BELOW}[bound] if operation == praatplaat.COMPLEMENT else bound)
    if operation == praatplaat.COMPLEMENT:
        value = 1 - value
    if column in ("aandeel",):
        return shown == dutch.percent(value)
    if column.startswith("meting"):
        return shown == str(int(value))
    if column.startswith("n"):
        return shown == dutch.integer(value)
    return shown in (dutch.decimal(value, 1), dutch.decimal(value, 2))


@pytest.mark.parametrize("edition", ["landelijk", "I07", "I04"])
def test_every_number_is_the_number_of_its_chapter_table(plates, edition):
    ctx, plate = plates[edition]
    sources = praatplaat.sources_table(plate)
    assert len(sources) >= 12
    tables = chapter_tables(ctx)
    for row in sources.itertuples():
        rows = _select(tables[row.tabel], json.loads(row.selectie))
        assert len(rows) == 1, (edition, row.tabel, row.selectie)
        value = float(rows[row.kolom].iloc[0])
        assert value == pytest.approx(row.waarde, abs=1e-6), (edition, row.tekst)
        assert _shown(rows.iloc[0], row.kolom, row.weergave, row.bewerking), (edition, row.tekst, row.weergave)
        assert row.weergave in row.tekst, (edition, row.tekst)
        if "onderdrukt" in rows:
            assert not bool(rows["onderdrukt"].iloc[0]), f"{edition}: a withheld cell is cited ({row.tekst})"


def test_teacher_count_and_professionalised_share_equal_the_chapters_and_the_data(plates):
    ctx, plate = plates["I07"]
    own, _ = katern_a_sample(ctx)
    count = plate.tile("deelnemers").lines[0]
    assert count.figure == dutch.integer(len(own))
    assert f"deden {count.figure} docenten mee" in katern_a_introduction.sample_paragraph(ctx)  # chapter A1
    share = plate.tile("professionalisering").lines[0]
    assert share.figure == dutch.percent((own[PROF_COUNT] > 0).mean())
    counts = professionalisation.count_table(ctx)
    paragraph = professionalisation.participation_paragraph(ctx, professionalisation.activities_table(ctx), counts)
    assert f"nam {share.figure} van de docenten" in paragraph  # chapter A10 says the same
    national = plate.tile("professionalisering").lines[1]
    assert national.text.startswith("Zelfde type instelling") and "landelijk" in national.text


def test_the_national_edition_has_no_benchmark_but_its_strongest_and_weakest_scales(plates):
    ctx, plate = plates["landelijk"]
    keys = [t.key for t in plate.tiles]
    assert "benchmark" not in keys
    assert keys[0] == "deelnemers" and keys[-1] == "gespreksvragen"
    scales = plate.tile("schalen")
    rows = overview.overview_table(ctx)
    own = rows[(rows["weergave"] == "totaal") & rows["schaal"].isin(
        [s for s, spec in CB.scales.items() if spec.answer_format == "bekwaam5"])]
    top, low = own.loc[own["gemiddelde"].idxmax()], own.loc[own["gemiddelde"].idxmin()]
    assert scales.lines[0].figure == dutch.decimal(top["gemiddelde"], 1)
    assert dutch.lower_first(top["schaal_label"]) in scales.lines[0].text
    assert dutch.lower_first(low["schaal_label"]) in scales.lines[1].text
    participants = plate.tile("deelnemers").lines[0]
    assert participants.figure == dutch.integer(len(katern_a_sample(ctx)[1]))
    assert f"van {ctx.national['instelling'].nunique()} mbo-instellingen" in participants.text


def test_strong_points_are_the_chapters_notable_differences(plates):
    ctx, plate = plates["I04"]
    benchmarks = overview.benchmark_table(ctx)
    strong = benchmarks[benchmarks["opvallend"] & (benchmarks["hedges_g"] > 0)]
    assert len(strong), "the shipped vakschool I04 has strong points"
    tile = plate.tile("benchmark")
    assert tile.lines[0].figure == dutch.integer(len(strong))
    clearest = strong.loc[strong["hedges_g"].idxmax(), "schaal_label"]
    assert dutch.lower_first(clearest) in tile.lines[0].text
    assert dutch.lower_first(clearest) in overview.strengths_paragraph(ctx, benchmarks)  # chapter A12 names it too
    _, i07 = plates["I07"]
    assert i07.tile("benchmark").lines[0].figure == "0", "I07 differs notably on no scale"


def test_a_trend_only_where_there_is_one(plates):
    _, once = plates["I11"]  # took part in the latest wave only
    assert once.tile("ontwikkeling") is None
    assert not [s for s in praatplaat.sources_table(once)["tabel"] if s.startswith("b")]
    ctx, twice = plates["I07"]
    tile = twice.tile("ontwikkeling")
    years = sorted(int(w) for w in ctx.own["meting"].unique())
    assert f"in {years[-1]} opvallend hoger dan in {years[0]}" in tile.lines[0].text
    sources = praatplaat.sources_table(twice)
    assert set(sources.loc[sources["tegel"] == "ontwikkeling", "selectie"].map(
        lambda s: json.loads(s)["groep"])) == {"instelling"}, "an institution's trend is its own"


@pytest.mark.parametrize("edition", ["landelijk", "I07", "I04"])
def test_two_or_three_questions_each_opened_by_its_number(plates, edition):
    _, plate = plates[edition]
    asked = plate.tile("gespreksvragen").lines
    assert 2 <= len(asked) <= 3
    for question in asked:
        assert question.text.rstrip().endswith("?")
        assert question.numbers and question.figure == question.numbers[0].shown
        assert set(NUMBER.findall(question.text)) <= {n.shown for n in question.numbers}


def test_on_small_institutions_every_number_is_a_shown_cell(with_tiny):
    """Where a chapter withholds a category (e.g. fewer than ten teachers without any activity), the page cites
    nothing from that row."""
    for edition in ["landelijk", *pd.read_parquet(with_tiny / dataset.RESPONDENTS_FILE)["instelling"].unique()]:
        ctx = open_edition(str(edition), with_tiny, None, None, None)
        tables = chapter_tables(ctx)
        for row in praatplaat.sources_table(praatplaat.make(ctx)).itertuples():
            cell = _select(tables[row.tabel], json.loads(row.selectie))
            assert len(cell) == 1 and pd.notna(cell[row.kolom].iloc[0]), (edition, row.tekst)
            if "onderdrukt" in cell:
                assert not cell["onderdrukt"].iloc[0], (edition, row.tabel, row.selectie)


def test_a_tiny_institution_gets_national_figures_said_to_be_national(with_tiny):
    ctx = open_edition(TINY, with_tiny, None, None, None)
    plate = praatplaat.make(ctx)
    keys = [t.key for t in plate.tiles]
    assert "benchmark" not in keys and "ontwikkeling" not in keys
    assert plate.tile("deelnemers").lines[0].figure == f"< {ctx.min_n}"
    sources = praatplaat.sources_table(plate)
    groups = {json.loads(s).get("groep") for s in sources["selectie"]}
    assert "instelling" not in groups and groups <= {"landelijk", "zelfde_type"}
    for tile in plate.tiles:
        for line in tile.lines:
            if line.numbers and tile.key != "deelnemers":
                said = f"{line.text} {tile.note}".lower()
                assert "landelijk" in said or line.text.startswith("deed er geen"), line.text


def test_an_edition_without_benchmarks_shows_none(shipped):
    """An institution edition whose manifest lists no benchmarks shows only its own figures."""
    ctx = open_edition("I07", shipped, None, None, None)
    ctx.edition = dataclasses.replace(ctx.edition, benchmarks=())
    plate = praatplaat.make(ctx)
    groups = {json.loads(s).get("groep") for s in praatplaat.sources_table(plate)["selectie"]}
    assert groups - {None} == {"instelling"}  # None: the table against all other institutions has no groups
    assert "landelijk" not in praatplaat.page_html(plate).lower()


def test_names_from_data_are_text_on_the_page(plates):
    _, plate = plates["I07"]
    hostile = dataclasses.replace(plate, title='<script>alert("x")</script> & Co')
    page = praatplaat.page_html(hostile)
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in page


def test_the_print_rules_stay_on_this_page(plates):
    """The A4-landscape rules sit in the page's own style, inside print media; every heading and bar is labelled."""
    _, plate = plates["I07"]
    page = praatplaat.page_html(plate)
    style = page[page.index("<style>"):page.index("</style>")]
    assert "@media print" in style and "size: A4 landscape" in style.split("@media print", 1)[1]
    assert "@page" not in style.split("@media print", 1)[0]
    assert page.count("<h2") == len(plate.tiles)
    assert page.count('aria-hidden="true"') == len(plate.tile("themas").bars)


# -- in a built edition ----------------------------------------------------------------------------------
def page_text(path: Path) -> str:
    """A page's text as a reader sees it: no scripts, styles or tags, entities decoded, spaces collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


@pytest.mark.slow
def test_in_the_build_every_number_equals_the_csv_of_its_chapter(built, institution):
    for edition in ("landelijk", institution):
        root = built / "editions" / edition
        page = page_text(root / "html" / "notebooks" / "praatplaat.html")
        sources = pd.read_csv(root / "tables" / "praatplaat-bronnen.csv", keep_default_na=False, na_values=[""])
        assert len(sources) >= 10
        for row in sources.itertuples():
            table = pd.read_csv(root / "tables" / f"{row.tabel}.csv")
            for key, value in json.loads(row.selectie).items():
                table = table[table[key].astype(str).str.removesuffix(".0") == str(value)]
            assert len(table) == 1, (edition, row.tabel, row.selectie)
            value = float(table[row.kolom].iloc[0])
            assert value == pytest.approx(row.waarde, abs=1e-6), (edition, row.tekst)
            assert _shown(table.iloc[0], row.kolom, row.weergave, row.bewerking), (edition, row.tekst)
            assert re.sub(r"\s+", " ", row.tekst) in page, (edition, row.tekst)
        # The teacher count and the share that professionalised, as chapter A10's table and page give them.
        counts = pd.read_csv(root / "tables" / "a10-aantal.csv")
        group = "totaal" if edition == "landelijk" else "instelling"
        own = counts[(counts["groep"] == group) & (counts["categorie"].astype(str) == "0")].iloc[0]
        assert f"{dutch.integer(own['n'])} docenten" in page
        professionalised = dutch.percent(1 - own["aandeel"])
        assert f"{professionalised} van de docenten" in page
        chapter = page_text(root / "html" / "notebooks" / "katern_a" / "a10_professionalisering.html")
        assert f"{professionalised} van de docenten" in chapter


@pytest.mark.slow
def test_the_page_prints_on_one_a4_landscape_sheet_and_its_print_rules_stay_on_it(built, institution):
    from browser import chromium_available, launch_browser, open_page

    if not chromium_available():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): `make test` installs it with apt-get")
    for edition in ("landelijk", institution):
        html_dir = built / "editions" / edition / "html"
        with_rules = [p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")
                      if "size: A4 landscape" in p.read_text(encoding="utf-8")]
        assert with_rules == ["notebooks/praatplaat.html"], with_rules
        with launch_browser() as browser, open_page(browser, None) as (page, monitor):
            page.goto((html_dir / "notebooks" / "praatplaat.html").as_uri(), wait_until="load")
            pdf = page.pdf(format="A4", landscape=True, print_background=True,
                           margin={side: "10mm" for side in ("top", "bottom", "left", "right")})
            monitor.assert_clean()
        sheets = len(re.findall(rb"/Type\s*/Page\b", pdf))  # Chromium writes one page object per sheet
        assert sheets == 1, f"{edition}: the praatplaat needs {sheets} sheets"


def test_a_small_groups_bounded_share_is_cited_as_its_bound():
    """In a group under the attribute threshold a share of (almost) none reads '< 5%', its complement '> 95%'."""
    from helpers.chapters.conclusions import cite

    counts = pd.DataFrame([{"groep": "instelling", "categorie": "0", "n": 30, "aandeel": 0.05, BOUNDED: BELOW}])
    where = {"groep": "instelling", "categorie": "0"}
    assert cite(counts, "a10-aantal", where).shown == BELOW
    assert praatplaat._number(counts, "a10-aantal", where, "aandeel").shown == BELOW
    assert cite(counts, "a10-aantal", where, complement=True).shown == ABOVE
    assert praatplaat._number(counts, "a10-aantal", where, "aandeel", operation=praatplaat.COMPLEMENT).shown == ABOVE
    unbounded = counts.assign(aandeel=0.13, **{BOUNDED: ""})
    assert cite(unbounded, "a10-aantal", where, complement=True).shown == "87%"
    assert cite(counts, "a10-aantal", where, "aandeel", dutch.decimal).shown == "0,1"  # not shown as a share: no bound
    assert _shown(counts.iloc[0], "aandeel", ABOVE, praatplaat.COMPLEMENT)
