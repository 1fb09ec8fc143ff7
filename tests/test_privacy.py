"""Privacy, proven over every edition of a build of the small data set.

For each of the 33 editions (national and every institution): no other
institution's name or code, no respondent id, no open answer, no group below
the threshold in any table; no hidden group that follows by subtraction from
a shown total; the groups a breakdown hides are hidden in every table of the
edition; every withheld row is in the manifest with its reason; the team
selector offers only teams the tables show.
"""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.book.disclosure import ABOVE, ATTRIBUTE_N, BELOW, BOUNDED, REASON_TEXT, SHARE_CEILING, SHARE_FLOOR
from helpers.data.quotes import load_quotes
from helpers.pipeline.build import build

pytestmark = pytest.mark.slow
MIN_N = 10
DATA_URI = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+")
# Columns that hold the size of a shown group, in any table.
SIZE_COLUMNS = ("n", "n_groep", "n_antwoorders")


@pytest.fixture(scope="module")
def every_edition(small_data, built, tmp_path_factory) -> Path:
    """All editions, built on top of the session build (its cache and its two editions are reused)."""
    out = tmp_path_factory.mktemp("all")
    shutil.rmtree(out)
    shutil.copytree(built, out)
    results = build(*small_data, out=out, jobs=2, show_progress=False)
    failures = {r.edition: r.error for r in results if not r.ok}
    assert not failures, f"editions failed: {failures}"
    return out


@pytest.fixture(scope="module")
def institutions(small_data) -> pd.DataFrame:
    return pd.read_csv(small_data[1], dtype=str)


def editions_of(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "editions").iterdir() if p.is_dir())


def tables(out: Path, edition: str) -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p, keep_default_na=False, na_values=[""])
            for p in sorted((out / "editions" / edition / "tables").glob("*.csv"))}


def test_every_edition_was_built(every_edition, institutions):
    assert editions_of(every_edition) == sorted(["landelijk", *institutions["instelling"]])


def test_no_other_institution_no_respondent_and_no_open_answer_in_any_edition(every_edition, small_data,
                                                                             institutions):
    respondents = pd.read_csv(small_data[0], dtype=str, keep_default_na=False)
    ids = set(respondents["respondent"])
    approved = set(load_quotes().query("goedgekeurd")["citaat"])
    answers = {a.strip() for a in respondents["motief_tekst"] if len(a.strip()) >= 25} - approved
    for edition in editions_of(every_edition):
        root = every_edition / "editions" / edition
        text = DATA_URI.sub("", "\n".join(p.read_text(encoding="utf-8", errors="ignore") for p in root.rglob("*")
                                          if p.suffix in {".html", ".csv", ".json", ".js", ".txt"}))
        if edition != "landelijk":
            for row in institutions[institutions["instelling"] != edition].itertuples():
                assert row.naam not in text, f"{row.naam} in edition {edition}"
                assert not re.search(rf"\b{row.instelling}\b", text), f"code {row.instelling} in edition {edition}"
        assert not [i for i in re.findall(r"\b[A-Z]\d{4,6}\b", text) if i in ids], f"respondent id in {edition}"
        assert not [a for a in answers if a in text], f"an unreviewed open answer in {edition}"


def test_no_group_below_the_threshold_in_any_table(every_edition):
    for edition in editions_of(every_edition):
        for name, table in tables(every_edition, edition).items():
            for column in SIZE_COLUMNS:
                if column in table:
                    sizes = pd.to_numeric(table[column], errors="coerce")
                    small = sizes[(sizes > 0) & (sizes < MIN_N)]
                    assert small.empty, f"{edition}/{name}: groups of {sorted(set(small))} shown"


def _breakdowns(table: pd.DataFrame):
    """(view, key, total n of the institution, shown sizes) per breakdown of an institution table.

    A breakdown table (views per background variable) has the institution's n
    per theme/motive/band in the view `vergelijking`, and the groups' n in the
    other views. A composition table (c1) has per variable the institution's
    n and the count of each category (`aantal`).
    """
    if "categorie" in table.columns:
        own = table[table["groep"] == "instelling"]
        for view, rows in own.groupby("weergave"):
            shown_rows = rows.loc[~rows["onderdrukt"]]
            if shown_rows["aantal"].isna().any():  # counts blanked with bounded shares: nothing to subtract
                continue
            if rows["n"].notna().any():
                yield view, "", int(rows["n"].max()), shown_rows["aantal"]
        return
    category = next(c for c in ("thema", "motief", "band", "schaal", "activiteit") if c in table.columns)
    whole = table[table["groep"] == "instelling"]
    for view, part in table[~table["weergave"].isin(["vergelijking", "totaal"])].groupby("weergave"):
        if str(view).startswith("landelijk:"):
            continue
        for key, rows in part.groupby(category):
            total = whole.loc[whole[category] == key, "n"]
            if len(total) and pd.notna(total.iloc[0]):
                yield view, key, int(total.iloc[0]), rows.loc[~rows["onderdrukt"], "n"]


def test_no_type_of_institution_of_too_few_institutions_is_shown_in_any_edition(every_edition, small_data):
    """Nationally a type of institution is a group of institutions: one of fewer than three shows their figures.

    The small data set has fewer than three institutions of every type, so
    no edition may show a type of institution as a group of teachers, in any
    table: not in the national breakdowns, not in the national appendix of an
    institution edition.
    """
    respondents = pd.read_csv(small_data[0], dtype=str, usecols=["meting", "instelling"])
    places = pd.read_csv(small_data[1], dtype=str)
    newest = respondents.loc[respondents["meting"] == max(respondents["meting"], key=int)]
    per_type = places.loc[places["instelling"].isin(newest["instelling"])].groupby("type")["instelling"].nunique()
    few = set(per_type[per_type < 3].index)
    assert few, "the test needs a type of fewer than three institutions"
    checked = 0
    for edition in editions_of(every_edition):
        for name, table in tables(every_edition, edition).items():
            view = next((c for c in ("weergave", "variabele") if c in table.columns), None)
            group = next((c for c in ("categorie", "groep") if c in table.columns), None)
            if view is None or group is None:
                continue
            rows = table.loc[(table[view] == "instellingstype") & table[group].isin(few)]
            checked += len(rows)
            numbers = [c for c in rows.columns if pd.api.types.is_numeric_dtype(rows[c])
                       and not pd.api.types.is_bool_dtype(rows[c])]
            if group == "categorie":  # a composition: `n` is the whole the categories are part of
                numbers = [c for c in numbers if c != "n"]
            values = rows[numbers]
            shown = rows.loc[values.notna().any(axis=1)]
            assert shown.empty, f"{edition}/{name} shows types of too few institutions:\n{shown.head()}"
    assert checked, "no table had a row of such a type: the test proves nothing"


def test_no_hidden_group_follows_from_a_total_minus_the_groups_shown(every_edition):
    checked = 0
    for edition in editions_of(every_edition):
        if edition == "landelijk":
            continue
        for name, table in tables(every_edition, edition).items():
            if not {"weergave", "groep", "n", "onderdrukt"} <= set(table.columns):
                continue
            for view, key, total, shown_sizes in _breakdowns(table):
                remainder = total - shown_sizes.sum()
                assert remainder == 0 or remainder >= MIN_N, (
                    f"{edition}/{name} view {view} {key}: {remainder} people follow by subtraction")
                checked += 1
        for name, key in (("teams-themas", "thema"), ("teams-schalen", "schaal")):
            teams = tables(every_edition, edition).get(name)
            if teams is None:
                continue
            whole = teams[teams["groep"] == "instelling"]
            for value, rows in teams[teams["groep"] != "instelling"].groupby(key):
                total = whole.loc[whole[key] == value, "n"]
                if len(total) and pd.notna(total.iloc[0]):
                    remainder = int(total.iloc[0]) - rows.loc[~rows["onderdrukt"], "n"].sum()
                    assert remainder == 0 or remainder >= MIN_N, f"{edition}/{name}: a hidden team follows by subtraction"
                    checked += 1
    assert checked > 100


def test_a_group_hidden_in_one_table_is_hidden_in_every_table_of_the_edition(every_edition):
    for edition in editions_of(every_edition):
        if edition == "landelijk":
            continue
        edition_tables = tables(every_edition, edition)
        hidden: dict[str, set] = {}  # breakdown -> groups hidden in the table of the whole sample
        themes = edition_tables["c2-1-themas"]
        for view, part in themes[~themes["weergave"].isin(["vergelijking"])].groupby("weergave"):
            hidden[view] = set(part.loc[part["onderdrukt"], "groep"])
        for name, table in edition_tables.items():
            if {"weergave", "groep", "onderdrukt"} <= set(table.columns):
                for view, part in table.groupby("weergave"):
                    if view in hidden:
                        shown_groups = set(part.loc[~part["onderdrukt"] & (part["n"].fillna(0) > 0), "groep"])
                        assert not hidden[view] & shown_groups, f"{edition}/{name} shows {hidden[view] & shown_groups}"
            if {"variabele", "groep"} <= set(table.columns) and not name.endswith("-landelijk"):
                # tests of the institution's own groups (the national appendix is about national groups)
                for variable, group in table[["variabele", "groep"]].itertuples(index=False):
                    assert group not in hidden.get(variable, set()), f"{edition}/{name} tests hidden {group}"


# The shares of teachers in a table and the size of the group each is a share of.
SHARES_OF = {"n": ("aandeel", "aandeel_laag", "aandeel_midden", "aandeel_hoog"), "n_groep": ("aandeel_groep",)}


def test_no_share_of_a_small_group_tells_every_members_answer(every_edition):
    """CBS practice: in a group of fewer than ATTRIBUTE_N no table shows a share below 5% or above 95%.

    Every institution, team and breakdown table of every edition is checked on its groups under
    ATTRIBUTE_N; a bounded cell names its bound in the column `begrensd`.
    """
    checked = bounded_cells = 0
    for edition in editions_of(every_edition):
        for name, table in tables(every_edition, edition).items():
            for size, shares in SHARES_OF.items():
                if size not in table:
                    continue
                n = pd.to_numeric(table[size], errors="coerce")
                small = table[(n > 0) & (n < ATTRIBUTE_N)]
                for column in (c for c in shares if c in table):
                    values = pd.to_numeric(small[column], errors="coerce").dropna()
                    extreme = values[(values < SHARE_FLOOR) | (values > SHARE_CEILING)]
                    assert extreme.empty, f"{edition}/{name}: {column} = {sorted(set(extreme))} in a group under " \
                                          f"{ATTRIBUTE_N}"
                    checked += len(values)
                    if BOUNDED in table:
                        notes = small[BOUNDED].astype("string").fillna("")
                        bounded = small.loc[notes.str.contains("<|>", regex=True), column]
                        assert bounded.notna().all(), f"{edition}/{name}: a bounded cell without its bound"
                        bounded_cells += len(bounded)
    assert checked > 1000
    assert bounded_cells > 0, "no small group in the test data reaches a bound: the rule is not exercised"


def _page_text(page: Path) -> str:
    """A page's text as a reader meets it: without images, style sheets and style attributes."""
    text = DATA_URI.sub("", page.read_text(encoding="utf-8"))
    text = re.sub(r"<style.*?</style>", "", text, flags=re.S)
    return re.sub(r'style=\\*"[^"\\]*\\*"', "", text)


def test_pages_show_a_small_groups_share_by_its_bound(every_edition):
    """The text readers see (prose, figure labels, alt texts) bounds the shares too.

    A team page shows only the team and its institution, so no share on it is 0% or 100%; and an
    edition whose tables bound a cell shows that bound on its pages.
    """
    hits, unseen = {}, []
    for edition in editions_of(every_edition):
        if edition == "landelijk":
            continue
        pages = {p: _page_text(p) for p in (every_edition / "editions" / edition / "html").rglob("*.html")}
        for page, text in pages.items():
            if page.name == "teams.html":
                found = re.findall(r"(?<![\d,.])(?:0|100)%", text)
                if found:
                    hits[f"{edition}/{page.name}"] = found
        bounds = {b for table in tables(every_edition, edition).values() if BOUNDED in table
                  for note in table[BOUNDED].dropna().astype(str) for b in (BELOW, ABOVE) if b in note}
        everything = html.unescape("\n".join(pages.values()).replace("\\u003c", "<").replace("\\u003e", ">"))
        unseen += [f"{edition}: {b}" for b in bounds if b not in everything]
    assert not hits, hits
    assert not unseen, f"bounded in the tables, never shown on a page: {unseen}"


def test_every_withheld_row_is_in_the_manifest_with_its_reason(every_edition):
    for edition in editions_of(every_edition):
        manifest = json.loads((every_edition / "editions" / edition / "manifest.json").read_text(encoding="utf-8"))
        records = manifest["onderdrukt_per_cel"]
        assert len(records) == manifest["onderdrukte_cellen_totaal"] == sum(manifest["onderdrukte_cellen"].values())
        assert all(r["reden"] in REASON_TEXT and r["tabel"] in manifest["onderdrukte_cellen"] for r in records)


def test_the_praatplaat_of_every_edition_cites_only_shown_cells_of_its_own_tables(every_edition):
    """Each edition opens with a praatplaat whose every number is a cell the edition itself shows."""
    for edition in editions_of(every_edition):
        root = every_edition / "editions" / edition
        assert (root / "html" / "notebooks" / "praatplaat.html").exists(), edition
        edition_tables = tables(every_edition, edition)
        sources = edition_tables["praatplaat-bronnen"]
        assert len(sources), edition
        for row in sources.itertuples():
            table = edition_tables[row.tabel]  # a table of this edition, published by its chapter
            for key, value in json.loads(row.selectie).items():
                table = table[table[key].astype(str).str.removesuffix(".0") == str(value)]
            assert len(table) == 1, f"{edition}: {row.tabel} {row.selectie}"
            assert pd.notna(table[row.kolom].iloc[0]), f"{edition}: a withheld cell on the praatplaat"
            if "onderdrukt" in table:
                assert not table["onderdrukt"].iloc[0], f"{edition}: a withheld row on the praatplaat"


def test_the_team_selector_offers_only_teams_the_tables_show(every_edition):
    offered_any = False
    for edition in editions_of(every_edition):
        root = every_edition / "editions" / edition
        page = root / "html" / "notebooks" / "teams.html"
        assert page.exists() == (edition != "landelijk")
        if edition == "landelijk":
            continue
        themes = tables(every_edition, edition)["teams-themas"]
        shown = set(themes.loc[~themes["onderdrukt"] & (themes["groep"] != "instelling"), "groep"])
        hidden = set(themes.loc[themes["onderdrukt"], "groep"])
        html = page.read_text(encoding="utf-8")
        offered = set(re.findall(r"Team ([\w\-]+)", html))
        assert offered <= shown, f"{edition}: hidden teams offered: {offered - shown}"
        assert not any(re.search(rf"\bTeam {re.escape(t)}\b", html) for t in hidden)
        offered_any |= bool(offered)
    assert offered_any, "no edition offers any team"
