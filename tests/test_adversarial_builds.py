"""Editions built from adversarial exports (`tests/adversarial.py`), proven over every table and test.

Two exports unlike the shipped one are built, three editions each:

- types of too few institutions (one aoc, three roc, three vakschool): the
  national edition, the single aoc's and a roc's;
- small groups in every breakdown of I01, no teams, a scale not asked in the
  newest wave, a tiny institution: the national edition, I01's and the tiny
  institution's;
- one other institution beside I01 in the newest wave: I01's edition, whose
  national benchmark is withheld in every table that has one.

Over every table of every edition: each test uses exactly the groups its
table shows; no table, test, count or label shows a type of institution of
too few institutions as a group; nothing withheld is cited on the praatplaat
or next to a number in the prose; a scale not asked is `niet_gevraagd` (not
withheld) and listed apart in the manifest; no verdict stands beside a row
without a number; no group below the threshold is shown.
"""
from __future__ import annotations

import html
import json
import re
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

import adversarial
from helpers.book.disclosure import NOT_ASKED, NOT_ASKED_TEXT, REASON_TEXT, VERDICT_COLUMNS, groups_of_few_institutions
from helpers.book.edition import MIN_OTHER_INSTITUTIONS
from helpers.data.derive import INSTITUTION_TYPE
from helpers.pipeline.build import build
from helpers.stats.scales import GROUP_SEPARATOR

pytestmark = pytest.mark.slow
MIN_N = 10
DATA_URI = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+")
# A test table and the table whose groups it tests.
TESTED_IN = {"a8-verschillen": "a8-profiel", "a10-verschillen": "a10-profiel"}
SETS = {
    "types": (adversarial.types_of_few_institutions, ["landelijk", adversarial.SINGLE_TYPE, "I01"]),
    "small": (adversarial.small_groups_everywhere, ["landelijk", adversarial.SMALL_GROUPS, adversarial.TINY]),
    "few-others": (adversarial.few_others_in_the_newest_wave, [adversarial.FEW_OTHERS]),
}


@pytest.fixture(scope="module", params=list(SETS))
def built_set(request, small_data, tmp_path_factory):
    make, editions = SETS[request.param]
    folder = tmp_path_factory.mktemp(request.param)
    respondents, institutions = make(small_data, folder / "export")
    results = build(respondents, institutions, out=folder / "out", editions=editions, jobs=2, show_progress=False)
    failures = {r.edition: r.error for r in results if not r.ok}
    assert not failures, f"editions failed: {failures}"
    return SimpleNamespace(name=request.param, out=folder / "out", respondents=respondents,
                           institutions=institutions, editions=editions)


def tables(out: Path, edition: str) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p, keep_default_na=False, na_values=[""])
            for p in sorted((out / "editions" / edition / "tables").glob("*.csv"))}


def _pages(out: Path, edition: str) -> dict[str, str]:
    """The visible text of every page: no scripts, styles, images or tags."""
    texts = {}
    for page in (out / "editions" / edition / "html").rglob("*.html"):
        text = DATA_URI.sub("", page.read_text(encoding="utf-8"))
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        texts[page.stem] = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    return texts


def _withheld_types(respondents: Path, institutions: Path) -> dict:
    frame = pd.read_csv(respondents, dtype=str, usecols=["meting", "instelling"])
    places = pd.read_csv(institutions, dtype=str)
    newest = frame.loc[frame["meting"] == max(frame["meting"], key=int), "instelling"].unique()
    per_type = places.loc[places["instelling"].isin(newest)].groupby("type")["instelling"].nunique()
    order = ["roc", "aoc", "vakschool"]
    return groups_of_few_institutions({t: int(per_type[t]) for t in order if t in per_type}, MIN_OTHER_INSTITUTIONS)


def _shown(table: pd.DataFrame) -> pd.DataFrame:
    return table.loc[~table["onderdrukt"].astype(bool) & (table["n"].fillna(0) > 0)]


def test_every_test_uses_exactly_the_groups_its_table_shows(built_set):
    out, editions = built_set.out, built_set.editions
    checked = 0
    for edition in editions:
        found = tables(out, edition)
        for name, tests in found.items():
            source = TESTED_IN.get(name) or (name.replace("-verschillen", "-schalen")
                                             if re.fullmatch(r"a-[a-z]+-verschillen", name) else None)
            if source is None or "groepen" not in tests:
                continue
            table = found[source]
            for row in tests.itertuples():
                rows = _shown(table.loc[table["weergave"].isin([row.variabele, f"landelijk:{row.variabele}"])
                                        & (table["schaal"] == row.schaal)])
                testable = set(rows.loc[rows["sd"].fillna(0) > 0, "groep"].astype(str))
                assert set(str(row.groepen).split(GROUP_SEPARATOR)) == testable, \
                    f"{edition}/{name}: {row.schaal} by {row.variabele} tests {row.groepen}, the table shows {testable}"
                checked += 1
        pairs = found.get("a10-verschillen")
        if pairs is not None and len(pairs):
            profile = found["a10-profiel"]
            for row in pairs.itertuples():
                rows = _shown(profile.loc[profile["weergave"].isin(["prof_groep", "landelijk:prof_groep"])
                                          & (profile["schaal"] == row.schaal)])
                assert {row.groep_a, row.groep_b} <= set(rows["groep"]), f"{edition}/a10-verschillen: {row.schaal}"
                checked += 1
        # Katern C's tests of the institution's own groups: only groups its breakdown tables show.
        themes = found["c2-1-themas"]
        shown_groups = {view: set(_shown(part)["groep"].astype(str)) for view, part in themes.groupby("weergave")}
        for name, table in found.items():
            if {"variabele", "groep"} <= set(table.columns) and "weergave" not in table and \
                    not name.endswith("-landelijk") and name != "c1-samenstelling":
                for variable, group in table[["variabele", "groep"]].astype(str).itertuples(index=False):
                    if variable in shown_groups:
                        assert group in shown_groups[variable], f"{edition}/{name} tests {variable} {group}"
                        checked += 1
    assert checked > 100


def test_no_type_of_too_few_institutions_is_shown_counted_or_named(built_set):
    out, editions = built_set.out, built_set.editions
    withheld = _withheld_types(built_set.respondents, built_set.institutions)
    assert withheld, "the set needs a type of too few institutions"
    checked = 0
    for edition in editions:
        for name, table in tables(out, edition).items():
            view = next((c for c in ("weergave", "variabele") if c in table.columns), None)
            group = next((c for c in ("categorie", "groep") if c in table.columns), None)
            if view is not None and group is not None:
                rows = table.loc[table[view].astype(str).str.removeprefix("landelijk:").eq(INSTITUTION_TYPE)
                                 & table[group].isin(list(withheld))]
                numbers = [c for c in rows.columns if pd.api.types.is_numeric_dtype(rows[c])
                           and not pd.api.types.is_bool_dtype(rows[c]) and not (group == "categorie" and c == "n")]
                assert rows[numbers].isna().all().all(), f"{edition}/{name} shows a type of too few institutions"
                checked += len(rows)
            if "groepen" in table and "variabele" in table:  # a test of the types compares shown types only
                for row in table.loc[table["variabele"] == INSTITUTION_TYPE].itertuples():
                    assert not set(str(row.groepen).split(GROUP_SEPARATOR)) & set(withheld), f"{edition}/{name}"
        waves = tables(out, edition)["b1-metingen"]
        for code in withheld:
            if f"n_instellingen_{code}" in waves:
                assert waves[f"n_instellingen_{code}"].isna().all(), f"{edition}/b1-metingen counts {code}"
        intro = _pages(out, edition)["a1_inleiding"]
        for code in withheld:
            assert not re.search(rf"\b{code}: \d", intro), f"{edition}: the introduction counts {code}"
        if edition == "landelijk":
            spread = tables(out, edition)["a11-instellingen"]
            named = spread.loc[~spread["onderdrukt"] & (spread["type"] != "overig"), "type"]
            assert not named.isin(list(withheld)).any(), "chapter 11 names a type of too few institutions"
            per_label = spread.loc[~spread["onderdrukt"], "type_label"].value_counts()
            assert (per_label >= MIN_OTHER_INSTITUTIONS).all() or len(per_label) == 1, per_label
            checked += len(spread)
    assert checked or "landelijk" not in editions  # an institution edition alone has no national type rows


def test_nothing_withheld_is_cited_on_the_praatplaat_or_beside_a_number_in_the_prose(built_set):
    out, editions = built_set.out, built_set.editions
    for edition in editions:
        found = tables(out, edition)
        sources = found["praatplaat-bronnen"]
        for row in sources.itertuples():
            table = found[row.tabel]
            for key, value in json.loads(row.selectie).items():
                table = table[table[key].astype(str).str.removesuffix(".0") == str(value)]
            assert len(table) == 1 and pd.notna(table[row.kolom].iloc[0]), f"{edition}: {row.tabel} {row.selectie}"
            if "onderdrukt" in table:
                assert not table["onderdrukt"].iloc[0], f"{edition}: a withheld row on the praatplaat"
        # A group withheld in every table of the edition is never named beside a number ("entree (2,9)").
        withheld, shown_labels = set(), set()
        for table in found.values():
            if "groep_label" not in table:
                continue
            hidden = table["onderdrukt"].astype(bool) if "onderdrukt" in table else pd.Series(False, index=table.index)
            if "weergave" in table:
                breakdown = ~table["weergave"].isin(["totaal", "vergelijking"])
                withheld |= set(table.loc[hidden & breakdown, "groep_label"].dropna().astype(str))
            shown_labels |= set(table.loc[~hidden, "groep_label"].dropna().astype(str))
        never_shown = {label for label in withheld - shown_labels if len(label) > 3}
        for page, text in _pages(out, edition).items():
            for label in never_shown:
                assert not re.search(rf"{re.escape(label.lower())} \(\d", text.lower()), \
                    f"{edition}/{page} cites the withheld group {label}"


def test_a_scale_not_asked_is_not_asked_in_every_edition_and_the_manifest(built_set):
    out, editions = built_set.out, built_set.editions
    not_asked_set = built_set.name == "small"  # its newest wave did not ask adversarial.NOT_ASKED
    for edition in editions:
        manifest = json.loads((out / "editions" / edition / "manifest.json").read_text(encoding="utf-8"))
        assert all(r["reden"] in REASON_TEXT for r in manifest["onderdrukt_per_cel"])
        records = manifest["niet_gevraagd_per_cel"]
        assert all(r["reden"] == NOT_ASKED and r["uitleg"] == NOT_ASKED_TEXT for r in records)
        rows = 0
        for name, table in tables(out, edition).items():
            if "reden" not in table or "onderdrukt" not in table:
                continue
            not_asked = table["reden"].astype("string").fillna("") == NOT_ASKED
            assert not table.loc[not_asked, "onderdrukt"].astype(bool).any(), f"{edition}/{name}: not asked withheld"
            rows += int(not_asked.sum())
            if not_asked_set and "schaal" in table and ("weergave" in table or name.startswith("teams-")):
                # Katern A and the team page describe the newest wave only
                scale = table.loc[table["schaal"] == adversarial.NOT_ASKED, "reden"]
                assert (scale == NOT_ASKED).all(), f"{edition}/{name}: {adversarial.NOT_ASKED} not marked not asked"
        assert len(records) == rows, f"{edition}: the manifest lists {len(records)} rows not asked, the tables {rows}"
        assert rows or not not_asked_set, f"{edition}: no row not asked"


def test_no_verdict_beside_a_row_without_a_number_and_no_small_group(built_set):
    out, editions = built_set.out, built_set.editions
    checked = 0
    for edition in editions:
        for name, table in tables(out, edition).items():
            nothing = pd.Series(False, index=table.index)
            if "onderdrukt" in table:
                nothing |= table["onderdrukt"].astype(bool)
            if "reden" in table:
                nothing |= table["reden"].astype("string").fillna("") == NOT_ASKED
            if "gemeten" in table:
                nothing |= ~table["gemeten"].astype(bool)
            for size in ("hedges_g", "np2", "cohens_h"):  # a test's verdict needs its effect size
                if size in table:
                    nothing |= table[size].isna()
            for column in (c for c in VERDICT_COLUMNS if c in table):
                values = table.loc[nothing, column]
                assert values.isna().all() | (values.astype(str) == "").all(), \
                    f"{edition}/{name}: {column} beside no number: {sorted(set(values.dropna().astype(str)))}"
                checked += len(values)
            for column in ("n", "n_groep", "n_antwoorders") + (("aantal",) if name == "b4-vormen" else ()):
                if column in table:
                    sizes = pd.to_numeric(table[column], errors="coerce")
                    assert sizes[(sizes > 0) & (sizes < MIN_N)].empty, f"{edition}/{name}: a group under {MIN_N}"
    assert checked


def test_a_benchmark_of_too_few_other_institutions_is_withheld_and_recorded(built_set):
    """Beside I01 only I02 took part in the newest wave: no national figure stands beside I01's own."""
    if built_set.name != "few-others":
        pytest.skip("only one other institution in the newest wave in this set")
    out, edition = built_set.out, adversarial.FEW_OTHERS
    found = tables(out, edition)
    benchmark_tables = 0
    for name, table in found.items():
        if not {"weergave", "groep", "onderdrukt"} <= set(table):
            continue
        rows = table.loc[(table["weergave"] == "vergelijking") & (table["groep"] == "landelijk")]
        if rows.empty:
            continue
        assert rows["onderdrukt"].astype(bool).all(), f"{name}: a national benchmark shown beside I01"
        benchmark_tables += 1
    assert benchmark_tables >= 5, f"only {benchmark_tables} tables with a national benchmark"
    profile = found.get("a-profiel-verschillen")
    assert profile is not None and profile["onderdrukt"].astype(bool).all()
    assert profile["gemiddelde_referentie"].isna().all()
    manifest = json.loads((out / "editions" / edition / "manifest.json").read_text(encoding="utf-8"))
    assert any(r["reden"] == "te_weinig_instellingen" for r in manifest["onderdrukt_per_cel"])
