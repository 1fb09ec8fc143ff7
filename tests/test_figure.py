"""`monitorbook figuur`: one figure of the book as PNG, SVG and CSV, as a student makes it."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.book.publish import FIGURE_NOTE_CLASS
from helpers.data.dataset import SHIPPED_INSTITUTIONS, SHIPPED_RESPONDENTS
from helpers.pipeline.figure import figure_index

SWITCHER = "a-visie-schalen"  # a figure with a selector (a view per breakdown), in every edition
INSTITUTION_ONLY = "a-profiel"  # shown only in an institution's edition


def figuur(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", "figuur", *args], capture_output=True, text=True,
                          cwd=cwd)


def files(folder: Path, figure_id: str) -> dict[str, bytes]:
    return {suffix: (folder / f"{figure_id}{suffix}").read_bytes() for suffix in (".png", ".svg", ".csv")}


@pytest.fixture(scope="module")
def shipped_figure(tmp_path_factory) -> Path:
    """The switcher figure from the shipped data, into the default folder under the current directory."""
    here = tmp_path_factory.mktemp("student")
    result = figuur(SWITCHER, cwd=here)
    assert result.returncode == 0, result.stderr
    return here / "figuren"


@pytest.mark.slow  # runs a chapter of the shipped data in a kernel
def test_the_figure_is_written_as_png_svg_and_csv_into_figuren(shipped_figure: Path):
    made = files(shipped_figure, SWITCHER)
    assert made[".png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in made[".svg"][:1000] and made[".svg"].rstrip().endswith(b"</svg>")
    table = pd.read_csv(shipped_figure / f"{SWITCHER}.csv")
    assert {"weergave", "schaal", "gemiddelde"} <= set(table.columns) and len(table) > 10
    assert sorted(p.name for p in shipped_figure.iterdir()) == sorted(f"{SWITCHER}{s}" for s in (".csv", ".png", ".svg"))


@pytest.mark.slow  # runs a chapter of the shipped data in a kernel
def test_a_copy_of_the_shipped_data_given_with_data_gives_the_same_files(shipped_figure: Path, tmp_path: Path):
    data = tmp_path / "kopie"
    data.mkdir()
    respondents = shutil.copy(SHIPPED_RESPONDENTS, data / "export.csv")
    institutions = shutil.copy(SHIPPED_INSTITUTIONS, data / "instellingen.csv")
    result = figuur(SWITCHER, "--data", str(respondents), "--institutions", str(institutions), "--out", "uit",
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert files(tmp_path / "uit", SWITCHER) == files(shipped_figure, SWITCHER)


@pytest.mark.slow  # runs a chapter of the shipped data in a kernel
def test_another_view_of_a_switcher_is_another_picture_of_the_same_table(shipped_figure: Path, tmp_path: Path):
    result = figuur(SWITCHER, "--weergave", "Functie", "--out", "uit", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    other, default = files(tmp_path / "uit", SWITCHER), files(shipped_figure, SWITCHER)
    assert other[".csv"] == default[".csv"]
    assert other[".png"] != default[".png"] and b"functie" in other[".svg"].lower()


@pytest.mark.slow  # runs a chapter of the shipped data in a kernel
def test_an_unknown_view_is_refused_with_the_views_there_are(tmp_path: Path):
    result = figuur(SWITCHER, "--weergave", "Schoenmaat", cwd=tmp_path)
    assert result.returncode == 2
    assert "Schoenmaat" in result.stderr and "'Functie'" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "figuren").exists()


def test_an_unknown_id_is_refused_with_the_ids_that_look_like_it(tmp_path: Path):
    result = figuur("a2-visie", cwd=tmp_path)
    assert result.returncode == 2
    assert "Onbekende figuur-id 'a2-visie'" in result.stderr
    assert "a-visie-schalen" in result.stderr and "--lijst" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "figuren").exists()


def test_the_list_names_every_figure_with_its_chapter(tmp_path: Path):
    result = figuur("--lijst", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    index = figure_index()
    assert len(index) > 20
    for figure in index.values():
        line, = [row for row in result.stdout.splitlines() if row.split()[:1] == [figure.id]]
        assert f"{figure.chapter}.ipynb" in line


def test_the_list_piped_into_a_reader_that_stops_early_ends_quietly(tmp_path: Path):
    """`monitorbook figuur --lijst | head -1`: the reader closes the pipe; no traceback, exit status 0."""
    process = subprocess.Popen([sys.executable, "-m", "helpers", "figuur", "--lijst"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.close()  # before the list is written: every write meets a closed pipe
    stderr = process.stderr.read().decode()
    assert process.wait() == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr


@pytest.mark.slow  # runs a chapter of the shipped data in a kernel
def test_a_figure_the_edition_does_not_show_is_refused_and_nothing_is_written(tmp_path: Path):
    result = figuur(INSTITUTION_ONLY, cwd=tmp_path)
    assert result.returncode == 2
    assert INSTITUTION_ONLY in result.stderr and "--editie" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "figuren").exists()


def test_bad_data_is_refused_as_by_the_build(tmp_path: Path):
    respondents = pd.read_csv(SHIPPED_RESPONDENTS, dtype=str, keep_default_na=False)
    respondents.loc[respondents.index[:2], "ervaring"] = "veel"
    bad = tmp_path / "fout.csv"
    respondents.to_csv(bad, index=False)
    result = figuur(SWITCHER, "--data", str(bad), cwd=tmp_path)
    assert result.returncode == 2
    assert "ervaring" in result.stderr and "veel" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "figuren").exists()


# -- against the book: the small data set's build (tests/conftest.py) ----------------------------

@pytest.mark.slow
@pytest.mark.parametrize("edition", ["landelijk", "institution"])
def test_the_csv_is_the_books_csv(small_data, built, institution, edition, tmp_path: Path):
    """`--data` and `--editie` as a student gives them; the CSV is byte for byte the edition's table."""
    edition, figure_id = (institution, INSTITUTION_ONLY) if edition == "institution" else (edition, SWITCHER)
    data = tmp_path / "data"
    data.mkdir()
    respondents, institutions = (shutil.copy(p, data / p.name) for p in small_data)
    result = figuur(figure_id, "--data", str(respondents), "--institutions", str(institutions), "--editie", edition,
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    book = built / "editions" / edition / "tables" / f"{figure_id}.csv"
    assert (tmp_path / "figuren" / f"{figure_id}.csv").read_bytes() == book.read_bytes()


@pytest.mark.slow
def test_every_figure_in_the_book_names_its_id_and_the_command(built, institution):
    note = re.compile(rf'<details class="{FIGURE_NOTE_CLASS}[^"]*"[^>]*><summary>Figuur-id: <code>([^<]+)</code>'
                      r"</summary>Zelf maken: <code>([^<]+)</code>")
    listed = set(figure_index())
    for edition in ("landelijk", institution):
        pages = (built / "editions" / edition / "html" / "notebooks").rglob("*.html")
        notes = [m for page in pages for m in note.findall(page.read_text(encoding="utf-8"))]
        assert len(notes) > 20
        for figure_id, command in notes:
            assert figure_id in listed
            assert (built / "editions" / edition / "tables" / f"{figure_id}.csv").exists()
            expected = f"monitorbook figuur {figure_id}"
            if edition != "landelijk":
                expected += f" --editie {edition}"
            assert command.startswith(expected)
            assert "--data &lt;respondentenbestand&gt;" in command  # the small data set is not the shipped data


@pytest.mark.slow
def test_every_listed_figure_is_a_table_of_the_book(built, institution):
    """No stale id in figuren.yml: each is written by the build (a figure, or its table where the data draws none)."""
    tables = {p.stem for edition in ("landelijk", institution)
              for p in (built / "editions" / edition / "tables").glob("*.csv")}
    assert set(figure_index()) <= tables, sorted(set(figure_index()) - tables)
