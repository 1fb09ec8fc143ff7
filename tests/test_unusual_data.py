"""Exports that are unusual but valid under the data contract build every edition.

The book is checked against data sets it has never seen. Each set here keeps
to the contract (`../shared/reference/data-contract.md`) and departs from the
shipped data in a way a real round can:

- one wave only: no earlier wave to compare with (Katern B says so);
- no vakschool: a type of institution the contract knows is not in the data;
- no team anywhere: the column is empty ("may be empty");
- no teacher in one domain (entree) and none with one qualification (pabo);
- a scale not asked in the reported wave (its items empty), though asked before.

The national edition and one institution edition are built for each; every
chapter must run, and what cannot be shown is said, not drawn as a zero.
"""
from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from helpers.core import dutch
from helpers.data.codebook import load_codebook
from helpers.data.validation import load_survey
from helpers.pipeline.build import build
from helpers.stats.themes import katern_c_sample

pytestmark = pytest.mark.slow
CB = load_codebook()
NOT_ASKED = "met_data"  # a practice scale, shown in Katern A (a6), B (b3) and the praatplaat


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _newest(frame: pd.DataFrame) -> str:
    return str(max(int(w) for w in frame["meting"]))


def _largest_institution(respondents, institutions) -> str:
    sample = katern_c_sample(load_survey(respondents, institutions).respondents)
    return str(sample["instelling"].value_counts().index[0])


def _build(respondents, institutions, out) -> str:
    """Build the national edition and the largest institution's; return that institution's code."""
    institution = _largest_institution(respondents, institutions)
    results = build(respondents, institutions, out=out, editions=["landelijk", institution], jobs=2,
                    show_progress=False)
    failures = {r.edition: r.error for r in results if not r.ok}
    assert not failures, f"editions failed: {failures}"
    return institution


def _table(out, edition: str, table_id: str) -> pd.DataFrame:
    return pd.read_csv(out / "editions" / edition / "tables" / f"{table_id}.csv")


def _page_text(out, edition: str, page: str) -> str:
    """The visible text of a built page: no scripts (widget state), no tags, whitespace folded."""
    path = next((out / "editions" / edition / "html").rglob(f"{page}.html"))
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


@pytest.fixture(scope="module")
def one_wave_without_vakschool_teams_entree_or_pabo(small_data, tmp_path_factory):
    respondents, institutions = small_data
    frame, places = _read(respondents), _read(institutions)
    frame = frame.loc[frame["meting"] == _newest(frame)].copy()
    vakscholen = set(places.loc[places["type"] == "vakschool", "instelling"])
    places = places.loc[places["type"] != "vakschool"]
    frame = frame.loc[~frame["instelling"].isin(vakscholen)].copy()
    frame["team"] = ""
    frame.loc[frame["domein"] == "entree", "domein"] = "overig"
    frame.loc[frame["bevoegdheid"] == "pabo", "bevoegdheid"] = "geen"
    folder = tmp_path_factory.mktemp("unusual")
    frame.to_csv(folder / "respondenten.csv", index=False)
    places.to_csv(folder / "instellingen.csv", index=False)
    return folder / "respondenten.csv", folder / "instellingen.csv"


@pytest.fixture(scope="module")
def scale_not_asked_in_the_reported_wave(small_data, tmp_path_factory):
    respondents, institutions = small_data
    frame = _read(respondents)
    items = [c for c in frame.columns if c.startswith(f"{NOT_ASKED}_")]
    frame.loc[frame["meting"] == _newest(frame), items] = ""
    folder = tmp_path_factory.mktemp("not-asked")
    frame.to_csv(folder / "respondenten.csv", index=False)
    return folder / "respondenten.csv", institutions, int(_newest(frame))


def test_one_wave_without_vakschool_teams_entree_or_pabo_builds(one_wave_without_vakschool_teams_entree_or_pabo,
                                                                  tmp_path):
    respondents, institutions = one_wave_without_vakschool_teams_entree_or_pabo
    institution = _build(respondents, institutions, tmp_path)
    wave = int(_newest(_read(respondents)))
    for edition in ("landelijk", institution):
        trend = _page_text(tmp_path, edition, "b2_competenties")
        assert f"alleen meting {wave}" in trend and "niet te laten zien" in trend, trend[:600]
        # a group nobody belongs to has no mean: never drawn or listed as a score of zero
        for table_id in ("a-overzicht", "a-met-schalen"):
            table = _table(tmp_path, edition, table_id)
            empty = table.loc[table["n"].fillna(0) == 0]
            assert empty["gemiddelde"].isna().all(), (table_id, empty[["groep", "schaal", "gemiddelde"]].head())
    teams = _page_text(tmp_path, institution, "teams")
    assert "staat geen team in de gegevens" in teams and "0 teams" not in teams, teams[:800]


def test_a_scale_not_asked_in_the_reported_wave_reads_not_asked(scale_not_asked_in_the_reported_wave, tmp_path):
    respondents, institutions, wave = scale_not_asked_in_the_reported_wave
    institution = _build(respondents, institutions, tmp_path)
    label = dutch.lower_first(CB.scales[NOT_ASKED].label)
    for edition in ("landelijk", institution):
        practice = _page_text(tmp_path, edition, "a6_lesgeven_met")
        assert f"In de meting van {wave} is niet gevraagd naar ‘{label}’" in practice, practice[:800]
        assert f"niet gevraagd naar ‘{label}’" in _page_text(tmp_path, edition, "a12_overzicht")
        scales = _table(tmp_path, edition, "a-met-schalen")
        assert scales.loc[scales["schaal"] == NOT_ASKED, "gemiddelde"].isna().all(), "not asked is not a score"
    trend = _table(tmp_path, "landelijk", "b3-verschillen")
    rows = trend.loc[(trend["schaal"] == NOT_ASKED) & (trend["groep"] == "landelijk")]
    assert len(rows) and not rows["gemeten"].astype(bool).any()
    text = _page_text(tmp_path, "landelijk", "b3_lesgeven")
    assert f"Niet gemeten in {wave}: ‘{label}’" in text, "the summary names the wave that did not ask it"
