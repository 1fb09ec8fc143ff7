"""Institution editions as delivered: isolation of failures, a tiny institution, zips, no leaks."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import helpers.pipeline.render as render_module
from helpers.pipeline.build import build
from helpers.synthetic import write as write_synthetic

pytestmark = pytest.mark.slow
TINY = "I99"  # an institution with 4 respondents, below the privacy threshold
HEALTHY = "I01"  # the largest institution of the small data set
BROKEN = "I02"  # made to fail while compiling
MIN_N = 10
DATA_URI = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+")


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("data")
    write_synthetic(directory, seed=7, scale=0.05)
    respondents = pd.read_csv(directory / "respondenten.csv", dtype=str, keep_default_na=False)
    donors = respondents[(respondents["instelling"] == HEALTHY) & (respondents["meting"] == "2022")
                         & (respondents["volledig"] == "true")].head(4).copy()
    donors["respondent"] = [f"T{i:05d}" for i in range(len(donors))]
    donors["instelling"], donors["team"] = TINY, "klein-1"
    pd.concat([respondents, donors]).to_csv(directory / "respondenten.csv", index=False)
    institutions = pd.read_csv(directory / "instellingen.csv", dtype=str)
    tiny = pd.DataFrame([{"instelling": TINY, "naam": "Vakschool Kleinwerk", "type": "vakschool"}])
    pd.concat([institutions, tiny]).to_csv(directory / "instellingen.csv", index=False)
    return directory / "respondenten.csv", directory / "instellingen.csv"


@pytest.fixture(scope="module")
def out(data, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    original = render_module.compile_book

    def compile_or_fail(book_dir: Path):
        if f"/{BROKEN}/" in str(book_dir):
            raise RuntimeError("opzettelijke fout voor de test")
        return original(book_dir)

    # jobs=1 runs in this process, and an edition's build imports the renderer when it runs: the patch applies.
    render_module.compile_book = compile_or_fail
    try:
        results = build(*data, out=out, editions=[TINY, BROKEN, HEALTHY], jobs=1, show_progress=False)
    finally:
        render_module.compile_book = original
    assert {r.edition: r.ok for r in results} == {TINY: True, BROKEN: False, HEALTHY: True}
    return out


def test_a_failing_edition_does_not_stop_the_others_and_is_kept_for_diagnosis(out):
    assert not (out / "editions" / BROKEN).exists() and not (out / "editions" / f"{BROKEN}.zip").exists()
    failed = out / "failed" / BROKEN
    assert "opzettelijke fout" in (failed / "fout.txt").read_text()
    assert (failed / "executed" / "notebooks" / "katern_c" / "c2_1_themas.ipynb").exists()
    manifest = json.loads((out / "build-manifest.json").read_text())
    assert [e["editie"] for e in manifest["edities"] if not e["gelukt"]] == [BROKEN]
    for edition in (TINY, HEALTHY):
        assert (out / "editions" / edition / "html" / "index.html").exists()


def test_an_institution_below_the_threshold_gets_an_edition_that_explains(out):
    root = out / "editions" / TINY
    index = (root / "html" / "notebooks" / "index.html").read_text(encoding="utf-8")
    assert f"minder dan {MIN_N}" in index
    themes = pd.read_csv(root / "tables" / "c2-1-themas.csv")
    own = themes[themes["groep"] == "instelling"]
    assert len(own) and own["onderdrukt"].all() and own["aandeel"].isna().all()
    assert set(themes["weergave"]) == {"vergelijking"}, "no breakdowns inside a tiny institution"


def test_every_blank_cell_of_a_tiny_institution_is_flagged_and_listed(out):
    """A tiny institution's own rows are withheld everywhere: flagged, with a reason, and in the manifest."""
    root = out / "editions" / TINY
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    listed = {(r["tabel"], json.dumps(r["rij"], sort_keys=True)) for r in manifest["onderdrukt_per_cel"]}
    checked = 0
    for csv in sorted((root / "tables").glob("*.csv")):
        table = pd.read_csv(csv, keep_default_na=False, na_values=[""])
        if not {"groep", "onderdrukt"} <= set(table.columns):
            continue
        own = table[table["groep"] == "instelling"]
        assert own["onderdrukt"].all(), f"{csv.stem}: a row of the tiny institution is not flagged"
        assert own["reden"].notna().all(), f"{csv.stem}: a withheld row without a reason"
        checked += len(own)
        assert manifest["onderdrukte_cellen"].get(csv.stem, 0) >= len(own), csv.stem
    assert checked > 50 and listed


def _edition_text(root: Path) -> str:
    texts = [p.read_text(encoding="utf-8", errors="ignore") for p in root.rglob("*")
             if p.suffix in {".html", ".csv", ".json"}]
    return DATA_URI.sub("", "\n".join(texts))


@pytest.mark.parametrize("edition", [TINY, HEALTHY])
def test_no_other_institution_no_respondent_and_no_small_group_in_an_edition(out, data, edition):
    root = out / "editions" / edition
    text = _edition_text(root)
    institutions = pd.read_csv(data[1], dtype=str)
    for row in institutions[institutions["instelling"] != edition].itertuples():
        assert row.naam not in text, f"{row.naam} in edition {edition}"
        assert not re.search(rf"\b{row.instelling}\b", text), f"code {row.instelling} in edition {edition}"
    ids = set(pd.read_csv(data[0], usecols=["respondent"], dtype=str)["respondent"])
    assert not [i for i in re.findall(r"\b[RT]\d{5}\b", text) if i in ids]
    for csv in (root / "tables").glob("*.csv"):
        table = pd.read_csv(csv)
        for column in ("n", "n_groep"):
            if column in table:
                sizes = pd.to_numeric(table[column], errors="coerce")
                small = sizes[(sizes > 0) & (sizes < MIN_N)]
                assert small.empty, f"{edition}/{csv.name}: groups of {sorted(set(small))} shown"


def test_unpacked_zip_works_offline_from_the_file_system(out, tmp_path):
    from browser import chromium_available, exercise_widgets, launch_browser, open_page

    if not chromium_available():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): `make test` installs it with apt-get")
    with zipfile.ZipFile(out / "editions" / f"{HEALTHY}.zip") as archive:
        archive.extractall(tmp_path)
    page_path = tmp_path / HEALTHY / "html" / "notebooks" / "katern_c" / "c2_1_themas.html"
    with launch_browser() as browser:
        with open_page(browser, None) as (page, monitor):
            report = exercise_widgets(page, page_path.as_uri())
        monitor.assert_clean()
    assert len(report.switchers) == 2
