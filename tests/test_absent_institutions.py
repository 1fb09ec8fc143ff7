"""Institutions do not take part in every round: an absence is a state of the data, not an error.

The set here adds a newest wave (a copy of the newest rows as a later round)
and takes teachers away so that one institution skipped the newest wave, one
the middle wave and one the oldest. Building every edition names the absent
institution and succeeds; asking for its edition is a clear error; with
`--meting` it gets the edition of the round it took part in; and every
chapter of the editions with a gap in their history runs.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from helpers.data.dataset import absence_notice, absent_institutions
from helpers.data.waves import participation

LATER_WAVE = 1  # years after the newest wave of the small set


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "helpers", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def gaps(small_data, tmp_path_factory):
    """(respondents, institutions, {absent from: institution}, waves): one institution missing per wave."""
    respondents, institutions = small_data
    frame = _read(respondents)
    waves = sorted({int(w) for w in frame["meting"]})
    later = frame.loc[frame["meting"] == str(waves[-1])].copy()
    newest = waves[-1] + LATER_WAVE
    later["meting"] = str(newest)
    later["respondent"] = later["respondent"] + "-later"
    frame = pd.concat([frame, later], ignore_index=True)
    waves.append(newest)
    codes = sorted(_read(institutions)["instelling"])
    absent_from = {"nieuwste": (codes[2], newest), "midden": (codes[0], waves[1]), "oudste": (codes[1], waves[0])}
    for code, wave in absent_from.values():
        frame = frame.loc[~((frame["instelling"] == code) & (frame["meting"] == str(wave)))]
    folder = tmp_path_factory.mktemp("gaps")
    frame.to_csv(folder / "respondenten.csv", index=False)
    return folder / "respondenten.csv", institutions, absent_from, waves


def test_participation_and_notice_come_from_the_rows():
    rows = pd.DataFrame({"instelling": ["A", "A", "B", "B", "C"], "meting": [2017, 2022, 2017, 2020, 2020]})
    taken = participation(rows)
    assert taken == {"A": [2017, 2022], "B": [2017, 2020], "C": [2020]}
    absent = absent_institutions(["A", "B", "C", "D"], taken, 2022)
    assert list(absent) == ["B", "C", "D"]
    assert absent["B"] == "B nam niet deel aan de meting van 2022: geen editie; met `--meting 2020` wel"
    assert absence_notice("D", 2022, []).startswith("D nam aan geen enkele meting")
    # Present only after the reported wave (--meting chose an earlier one): the hint names the later wave.
    assert absence_notice("E", 2017, [2020]).endswith("met `--meting 2020` wel")


def test_validate_tells_the_absence_as_information(gaps):
    respondents, institutions, absent_from, waves = gaps
    result = run("validate", "--data", str(respondents), "--institutions", str(institutions))
    assert result.returncode == 0, result.stderr
    code, newest = absent_from["nieuwste"]
    assert f"Ter informatie: {code} nam niet deel aan de meting van {newest}" in result.stdout
    assert f"`--meting {waves[-2]}`" in result.stdout
    # Absent from an earlier wave only: it has the newest wave's edition, nothing to tell.
    assert absent_from["midden"][0] + " nam" not in result.stdout


@pytest.mark.slow
def test_every_edition_builds_and_the_absent_institution_is_listed(gaps, tmp_path):
    respondents, institutions, absent_from, waves = gaps
    out = tmp_path / "out"
    result = run("build", "--data", str(respondents), "--institutions", str(institutions), "--out", str(out),
                 "--no-progress")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    code, newest = absent_from["nieuwste"]
    line = f"{code} nam niet deel aan de meting van {newest}: geen editie; met `--meting {waves[-2]}` wel"
    assert line in result.stdout
    manifest = json.loads((out / "build-manifest.json").read_text(encoding="utf-8"))
    assert manifest["niet_gebouwd"] == [{"editie": code, "reden": "niet_deelgenomen_aan_meting", "toelichting": line}]
    built = {e["editie"] for e in manifest["edities"] if e["gelukt"]}
    present = set(_read(institutions)["instelling"]) - {code}
    assert built == present | {"landelijk"}, "every institution with teachers in the newest wave has its edition"
    assert not (out / "editions" / code).exists() and not (out / "failed").exists()
    # The editions with a gap in their history (middle and oldest wave) say what their own teachers were.
    for gap in ("midden", "oudste"):
        institution, wave = absent_from[gap]
        own = pd.read_csv(out / "editions" / institution / "tables" / "b1-eigen-deelname.csv")
        assert own.loc[own["meting"] == wave, "n"].fillna(0).eq(0).all()
        assert (own.loc[own["meting"] == newest, "n"] > 0).all()


@pytest.mark.slow
def test_the_absent_institutions_edition_is_an_error_and_its_last_round_builds(gaps, tmp_path):
    respondents, institutions, absent_from, waves = gaps
    code, newest = absent_from["nieuwste"]
    out = tmp_path / "out"
    asked = run("build", "--data", str(respondents), "--institutions", str(institutions), "--out", str(out),
                "--edition", code, "--no-progress")
    assert asked.returncode == 2
    assert "Traceback" not in asked.stderr
    assert f"{code} nam niet deel aan de meting van {newest}" in asked.stderr
    assert "Er is niets gebouwd." in asked.stderr
    assert not out.exists(), "a refused edition wrote output"

    earlier = run("build", "--data", str(respondents), "--institutions", str(institutions), "--out", str(out),
                  "--edition", code, "--meting", str(waves[-2]), "--no-progress")
    assert earlier.returncode == 0, earlier.stderr
    manifest = json.loads((out / "editions" / code / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["meting"] == waves[-2]
    intro = pd.read_csv(out / "editions" / code / "tables" / "b1-eigen-deelname.csv")
    assert int(intro["meting"].max()) == waves[-2], "the edition reports on the round the institution took part in"
