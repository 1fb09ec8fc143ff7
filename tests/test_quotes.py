"""The reviewed quotes file and the rules for showing quotes (Katern C §3)."""
import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from helpers.data.codebook import PROJECT_ROOT, load_codebook
from helpers.data.quotes import (
    COLUMNS,
    DEFAULT_QUOTES,
    approved_quotes,
    load_quotes,
    quotes_allowed,
)
from helpers.data.validation import InvalidInput

CB = load_codebook()
SEED = PROJECT_ROOT.parent / "shared" / "seeds" / "000_747f5c0e122bcd16.txt"
RESPONDENTS = PROJECT_ROOT / "data" / "respondenten.csv"


@pytest.fixture(scope="module")
def quotes() -> pd.DataFrame:
    return load_quotes()


def raw_rows() -> list[dict[str, str]]:
    with open(DEFAULT_QUOTES, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write(tmp_path: Path, rows: list[dict[str, str]], columns=COLUMNS, name="citaten.csv") -> Path:
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


def refused(path: Path) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        load_quotes(path)
    return info.value


# -- the shipped file ------------------------------------------------------------
def test_shipped_file_validates_and_is_complete(quotes):
    assert list(quotes.columns) == list(COLUMNS)
    assert quotes["goedgekeurd"].dtype == bool
    approved = quotes[quotes["goedgekeurd"]]
    per_motive = approved["motief"].value_counts()
    for motive in CB.motives:
        assert per_motive.get(motive, 0) >= 3, motive
    rejected = quotes[~quotes["goedgekeurd"]]
    assert len(rejected) >= 4
    assert rejected["opmerking"].str.strip().str.len().gt(0).all()
    assert quotes["bron"].eq("fictief (synthetische gegevens)").all()
    assert quotes["citaat_id"].str.fullmatch(r"Q\d{3}").all()


def test_quotes_are_one_or_two_sentences(quotes):
    for text in quotes["citaat"]:
        sentences = [s for s in re.split(r"[.!?]+\s*", text) if s.strip()]
        assert 1 <= len(sentences) <= 2, text


# -- bad input -------------------------------------------------------------------
def test_unknown_motive_is_refused(tmp_path):
    rows = raw_rows()
    rows[2]["motief"] = "motief_onbekend"
    err = refused(write(tmp_path, rows))
    [p] = err.problems
    assert (p.file, p.column, p.values, p.example_row) == ("citaten.csv", "motief", ["motief_onbekend"], 4)
    report = err.report()
    assert "citaten.csv, kolom 'motief'" in report and "'motief_onbekend'" in report
    assert "motief_bijblijven" in report  # says what is allowed


def test_missing_column_is_refused(tmp_path):
    columns = [c for c in COLUMNS if c != "goedgekeurd"]
    err = refused(write(tmp_path, raw_rows(), columns=columns))
    [p] = err.problems
    assert (p.file, p.column, p.problem) == ("citaten.csv", "goedgekeurd", "verplichte kolom ontbreekt")
    assert "kolom 'goedgekeurd'" in err.report()


def test_duplicate_ids_are_refused(tmp_path):
    rows = raw_rows()
    rows[5]["citaat_id"] = rows[4]["citaat_id"]
    err = refused(write(tmp_path, rows))
    [p] = err.problems
    assert (p.column, p.values, p.count) == ("citaat_id", [rows[4]["citaat_id"]], 2)
    assert f"'{rows[4]['citaat_id']}'" in err.report()


@pytest.mark.parametrize("empty", ["", "   "])
def test_empty_quote_is_refused(tmp_path, empty):
    rows = raw_rows()
    rows[0]["citaat"] = empty
    err = refused(write(tmp_path, rows))
    [p] = err.problems
    assert (p.file, p.column, p.problem, p.count, p.example_row) == ("citaten.csv", "citaat", "lege cel", 1, 2)
    assert "citaten.csv, kolom 'citaat': lege cel (1 rij: rij 2)" in err.report()


def test_non_boolean_approval_is_refused(tmp_path):
    rows = raw_rows()
    rows[1]["goedgekeurd"] = "ja"
    rows[3]["goedgekeurd"] = "misschien"
    err = refused(write(tmp_path, rows))
    [p] = err.problems
    assert p.column == "goedgekeurd" and p.values == ["ja", "misschien"] and p.count == 2
    assert "'ja', 'misschien'" in err.report() and "true, false, 1 of 0" in err.report()


def test_rejection_without_reason_is_refused(tmp_path):
    rows = raw_rows()
    victim = next(r for r in rows if r["goedgekeurd"] == "false")
    victim["opmerking"] = ""
    err = refused(write(tmp_path, rows))
    [p] = err.problems
    assert p.column == "opmerking" and victim["citaat_id"] in p.problem


def test_every_problem_is_reported_at_once(tmp_path):
    rows = raw_rows()
    rows[0]["motief"] = "motief_x"
    rows[1]["goedgekeurd"] = "ja"
    rows[2]["citaat"] = ""
    rows[3]["citaat_id"] = rows[4]["citaat_id"]
    err = refused(write(tmp_path, rows))
    assert {p.column for p in err.problems} == {"motief", "goedgekeurd", "citaat", "citaat_id"}
    assert err.report().startswith("De invoer bevat 4 problemen")


def test_missing_file_is_refused(tmp_path):
    err = refused(tmp_path / "bestaat-niet.csv")
    assert err.problems[0].file == "bestaat-niet.csv"


# -- choosing quotes ----------------------------------------------------------------
def test_only_approved_quotes_first_k_by_id(quotes):
    for motive in CB.motives:
        mine = quotes[quotes["motief"] == motive].sort_values("citaat_id")
        expected = mine.loc[mine["goedgekeurd"], "citaat"].tolist()
        assert approved_quotes(quotes, motive, k=2) == expected[:2]
        assert approved_quotes(quotes, motive, k=100) == expected
    assert approved_quotes(quotes, "motief_bijblijven", k=0) == []


def test_choice_does_not_depend_on_row_order(quotes):
    shuffled = quotes.sample(frac=1, random_state=3)
    for motive in CB.motives:
        assert approved_quotes(shuffled, motive, k=3) == approved_quotes(quotes, motive, k=3)


def test_rejected_text_is_never_returned(quotes):
    rejected = quotes.loc[~quotes["goedgekeurd"], "citaat"].tolist()
    assert rejected
    returned = [q for m in CB.motives for k in (1, 2, 3, 100) for q in approved_quotes(quotes, m, k)]
    for text in rejected:
        assert all(text not in q and q not in text for q in returned)


def test_rejected_quote_is_not_returned_even_if_first(quotes):
    first = quotes.copy()
    first.loc[first["citaat_id"] == "Q001", "goedgekeurd"] = False
    assert quotes.loc[quotes["citaat_id"] == "Q001", "citaat"].item() not in approved_quotes(
        first, "motief_bijblijven", k=100
    )


def test_quotes_allowed_at_or_above_threshold():
    assert not quotes_allowed(9, 10)
    assert quotes_allowed(10, 10)
    assert quotes_allowed(4210, 10)
    assert not quotes_allowed(0, 1)


# -- where the quotes do not come from ------------------------------------------------
def test_quotes_are_not_taken_from_the_answers(quotes):
    answers = pd.read_csv(RESPONDENTS, usecols=["motief_tekst"], dtype=str)["motief_tekst"]
    answers = set(answers.dropna().str.strip().str.lower()) - {""}
    assert answers
    for text in quotes["citaat"].str.lower():
        assert text not in answers
        assert not any(a in text or text in a for a in answers), text


def _words(text: str) -> list[str]:
    return re.findall(r"[\wÀ-ÿ'’-]+", text.lower())


def test_quotes_share_no_six_word_run_with_the_seed(quotes):
    if not SEED.exists():
        pytest.skip(f"{SEED} ontbreekt")
    seed = _words(SEED.read_text(encoding="utf-8"))
    runs = {tuple(seed[i : i + 6]) for i in range(len(seed) - 5)}
    for text in quotes["citaat"]:
        w = _words(text)
        shared = [w[i : i + 6] for i in range(len(w) - 5) if tuple(w[i : i + 6]) in runs]
        assert not shared, (text, shared)
