"""Any round: a later wave with a new theme, and an export with only the 2020 and 2024 waves, build end to end.

Nothing in the book may assume the 2022 round: the reported wave is the newest
in the data (or the one chosen with --meting), the themes are those the wave
asked, and Katern B runs up to the reported wave.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.data.codebook import load_codebook
from helpers.data.validation import InvalidInput, load_survey
from helpers.pipeline.build import build

CB = load_codebook()
NEW_THEME = "thema_genai"


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _as_later_round(frame: pd.DataFrame, wave: str, seed: int) -> pd.DataFrame:
    """The rows of the newest wave again, as a later round that also asked the new theme."""
    newest = frame.loc[frame["meting"] == str(max(int(w) for w in frame["meting"]))].copy()
    newest["meting"] = wave
    newest["respondent"] = newest["respondent"] + f"-{wave}"
    rng = np.random.default_rng(seed)
    answered = newest["volledig"].str.lower().isin(["true", "1"]).to_numpy()
    chose_none = (newest[CB.theme_none] == "1").to_numpy()
    picks = np.where(rng.random(len(newest)) < 0.4, "1", "0")
    newest[NEW_THEME] = np.where(answered, np.where(chose_none, "0", picks), "")
    return newest


@pytest.fixture(scope="module")
def later_round(small_data, tmp_path_factory):
    """The small data set plus a 2024 wave (with thema_genai); also the same set with only 2020 and 2024."""
    respondents, institutions = small_data
    frame = _read(respondents)
    later = _as_later_round(frame, "2024", seed=1)
    everything = pd.concat([frame.assign(**{NEW_THEME: ""}), later], ignore_index=True)
    folder = tmp_path_factory.mktemp("later")
    full = folder / "vier-metingen.csv"
    everything.to_csv(full, index=False)
    two = folder / "2020-2024.csv"
    everything.loc[everything["meting"].isin(["2020", "2024"])].to_csv(two, index=False)
    return full, two, institutions


def _tables(out, edition="landelijk") -> dict[str, pd.DataFrame]:
    folder = out / "editions" / edition / "tables"
    return {p.stem: pd.read_csv(p) for p in sorted(folder.glob("*.csv"))}


@pytest.fixture(scope="module")
def built_later(later_round, tmp_path_factory):
    """Every edition of the four-wave set."""
    full, _, institutions = later_round
    out = tmp_path_factory.mktemp("build-later")
    results = build(full, institutions, out=out, jobs=2, show_progress=False)
    assert all(r.ok for r in results), {r.edition: r.error for r in results if not r.ok}
    codes = set(pd.read_csv(institutions, dtype=str)["instelling"])
    assert {r.edition for r in results} == {"landelijk", *codes}
    return out


def test_the_newest_wave_is_reported_and_its_new_theme_shown(built_later, later_round):
    tables = _tables(built_later)
    themes = tables["c2-1-themas"]
    assert NEW_THEME in set(themes["thema"]), "the theme the 2024 round added is in Katern C's figure"
    label = themes.loc[themes["thema"] == NEW_THEME, "thema_label"].iloc[0]
    assert label == CB.themes[NEW_THEME]
    # Katern C counts the completers of 2024, Katern A every 2024 teacher
    survey = load_survey(later_round[0], later_round[2])
    rows_2024 = survey.respondents.loc[survey.respondents["meting"] == 2024]
    total = themes.loc[(themes["groep"] == "totaal") & (themes["thema"] == NEW_THEME), "n"].iloc[0]
    assert total == int(rows_2024["volledig"].sum())
    assert 2024 in set(tables["a-bijlage-schalen"]["meting"])


def test_katern_b_runs_up_to_the_newest_wave(built_later):
    tables = _tables(built_later)
    differences = tables["b2-verschillen"]
    national = differences.loc[differences["groep"] == "landelijk"]
    assert set(national["meting_later"]) == {2024}
    assert set(national["meting_eerder"]) == {2017, 2020, 2022}
    waves = tables["b1-metingen"]
    assert set(waves["meting"].dropna().astype(int)) == {2017, 2020, 2022, 2024}


def test_the_new_theme_is_in_every_edition(built_later, later_round):
    for code in pd.read_csv(later_round[2], dtype=str)["instelling"]:
        own = _tables(built_later, code)["c2-1-themas"]
        assert NEW_THEME in set(own["thema"]), code


def test_katern_b_shows_the_trend_of_the_themes_asked_in_both_waves(built_later):
    themes = _tables(built_later)["b4-themas"]
    latest = themes.loc[themes["vergelijking"] == "2022-2024"].set_index("thema")
    asked_both = [t for t in CB.themes if t != NEW_THEME]
    assert latest.loc[asked_both, "gevraagd"].all()
    assert latest.loc[asked_both, "aandeel_later"].between(0, 1).all()
    assert not latest.loc[NEW_THEME, "gevraagd"] and int(float(latest.loc[NEW_THEME, "niet_gevraagd_in"])) == 2022
    assert pd.isna(latest.loc[NEW_THEME, "aandeel_eerder"]), "a theme not yet asked is no share of zero"
    earlier = themes.loc[themes["vergelijking"] == "2017-2024"]
    assert not earlier["gevraagd"].any(), "the 2017 wave asked no themes"


def test_choosing_an_earlier_wave_reports_on_it(later_round, built, tmp_path):
    """--meting 2022 on the four-wave set gives the 2022 book: the same Katern C figures, no 2024 theme."""
    full, _, institutions = later_round
    results = build(full, institutions, out=tmp_path, editions=["landelijk"], jobs=1, show_progress=False, wave=2022)
    assert results[0].ok, results[0].error
    chosen = (tmp_path / "editions" / "landelijk" / "tables" / "c2-1-themas.csv").read_bytes()
    original = (built / "editions" / "landelijk" / "tables" / "c2-1-themas.csv").read_bytes()
    assert chosen == original
    assert NEW_THEME.encode() not in chosen


def test_a_wave_not_in_the_data_is_refused(later_round):
    full, _, institutions = later_round
    with pytest.raises(InvalidInput) as err:
        load_survey(full, institutions, wave=2023)
    assert "2023" in err.value.report() and "2017, 2020, 2022, 2024" in err.value.report()


@pytest.mark.slow
def test_only_the_2020_and_2024_waves_build(later_round, tmp_path):
    _, two, institutions = later_round
    results = build(two, institutions, out=tmp_path, editions=["landelijk"], jobs=1, show_progress=False)
    assert results[0].ok, results[0].error
    tables = _tables(tmp_path)
    assert set(tables["a-bijlage-schalen"]["meting"]) == {2020, 2024}
    national = tables["b3-verschillen"].query("groep == 'landelijk'")
    assert set(national["vergelijking"]) == {"2020-2024"}
    assert NEW_THEME in set(tables["c2-1-themas"]["thema"])
