"""Reading survey exports and validating the whole input (helpers.data.readers, helpers.data.validation)."""
from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pyreadstat
import pytest

from helpers.data.codebook import load_codebook
from helpers.data.readers import EmptyFile, UnreadableFile, read_table
from helpers.data.validation import InputProblem, InvalidInput, Survey, load_survey
from helpers.synthetic import assumptions as A

CB = load_codebook()
WAVES = (2017, 2020, 2022)
INSTITUTIONS = ("inst_a", "inst_b")


# -- building small valid inputs from the codebook ------------------------------------
def valid_respondents(n: int = 9, waves=WAVES, seed: int = 1) -> pd.DataFrame:
    """`n` valid respondents spread over `waves`; numbers as nullable Int64."""
    rng = np.random.default_rng(seed)
    meting = np.array([waves[i % len(waves)] for i in range(n)])
    d: dict[str, object] = {
        "respondent": [f"r{i:04d}" for i in range(n)],
        "meting": pd.array(meting, dtype="Int64"),
        "instelling": [INSTITUTIONS[i % len(INSTITUTIONS)] for i in range(n)],
        "team": [None if i % 3 == 0 else f"team{i % 2}" for i in range(n)],
        "volledig": [i % 4 != 3 for i in range(n)],
    }
    for col, codes in CB.category_variables.items():
        codes = list(codes)
        d[col] = [codes[i % len(codes)] for i in range(n)]
    for col in CB.activities:
        d[col] = pd.array(rng.integers(0, 2, n), dtype="Int64")

    def only_in(values, wave_list, also=None):
        keep = np.isin(meting, list(wave_list))
        if also is not None:
            keep &= also
        return pd.Series(values, dtype="Int64").where(keep, pd.NA).array

    for scale in CB.scales.values():
        for item in scale.items:
            d[item] = only_in(rng.integers(1, 6, n), [w for w in set(meting) if A.scale_asked(scale.id, w)])
    volledig = np.array(d["volledig"])
    for col in CB.theme_columns:
        d[col] = only_in(rng.integers(0, 2, n), [A.WAVE_MAIN], volledig)
    d[CB.theme_none] = only_in(np.zeros(n, dtype=int), [A.WAVE_MAIN], volledig)
    d[CB.motive_text] = [
        "Bij blijven." if (m == A.WAVE_MAIN and i % 2 == 0) else None for i, m in enumerate(meting)
    ]
    for col in CB.motives:
        has_text = np.array([t is not None for t in d[CB.motive_text]])
        d[col] = only_in(rng.integers(0, 2, n), [A.WAVE_MAIN], has_text)
    frame = pd.DataFrame(d)
    return frame[[c for c in CB.respondent_columns if c in frame.columns]]


def valid_institutions() -> pd.DataFrame:
    types = list(CB.value_labels("type"))
    return pd.DataFrame(
        {
            "instelling": list(INSTITUTIONS),
            "naam": [f"Fictief College {i}" for i in range(len(INSTITUTIONS))],
            "type": [types[i % len(types)] for i in range(len(INSTITUTIONS))],
        }
    )


def write(frame: pd.DataFrame, path):
    """Write a frame as CSV, Parquet or SPSS according to the suffix."""
    suffix = path.suffix
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif suffix == ".sav":
        sav = pd.DataFrame(index=frame.index)
        for col in frame.columns:
            s = frame[col]
            if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
                sav[col] = s.astype("Float64").astype("float64")
            else:
                sav[col] = s.astype(object).where(s.notna(), "").astype(str)
        pyreadstat.write_sav(sav, path)
    else:
        raise ValueError(suffix)
    return path


@pytest.fixture
def institutions_csv(tmp_path):
    return write(valid_institutions(), tmp_path / "instellingen.csv")


def refuse(resp_path, inst_path) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        load_survey(resp_path, inst_path)
    return info.value


def raw_csv(tmp_path, frame: pd.DataFrame, name="respondenten.csv"):
    """Write a frame of raw strings (bad values allowed) as CSV."""
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


# -- valid input -----------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".sav"])
def test_valid_file_loads_with_analysis_dtypes(tmp_path, institutions_csv, suffix):
    source = valid_respondents()
    path = write(source, tmp_path / f"respondenten{suffix}")
    survey = load_survey(path, institutions_csv)

    assert isinstance(survey, Survey)
    r = survey.respondents
    assert list(r.columns) == CB.respondent_columns
    assert len(r) == len(source)
    for col, codes in CB.category_variables.items():
        assert isinstance(r[col].dtype, pd.CategoricalDtype), col
        assert list(r[col].cat.categories) == list(codes)
    assert r["meting"].dtype == "int64"
    assert r["volledig"].dtype == bool
    for col in list(CB.activities) + CB.item_columns + CB.theme_columns + list(CB.motives):
        assert r[col].dtype == "Int8", col
    for col in ("respondent", "instelling", "team", CB.motive_text):
        assert r[col].dtype == "string", col
    assert r["team"].isna().sum() == source["team"].isna().sum() > 0
    assert r["meting"].tolist() == source["meting"].astype(int).tolist()
    assert r["volledig"].tolist() == source["volledig"].tolist()
    item = CB.item_columns[0]
    assert r[item].astype("Int64").equals(source[item].astype("Int64"))

    inst = survey.institutions
    assert list(inst.columns) == list(CB.institution_variables)
    assert isinstance(inst["type"].dtype, pd.CategoricalDtype)
    assert len(survey.data_hash) == 64
    assert survey.data_hash == load_survey(path, institutions_csv).data_hash
    assert set(survey.sources) == {"respondenten", "instellingen"}


def test_data_hash_changes_with_content(tmp_path, institutions_csv):
    a = write(valid_respondents(), tmp_path / "a.csv")
    b = write(valid_respondents(seed=2), tmp_path / "b.csv")
    assert load_survey(a, institutions_csv).data_hash != load_survey(b, institutions_csv).data_hash


def test_wave_without_a_scale_gets_the_columns_as_missing(tmp_path, institutions_csv):
    frame = valid_respondents(waves=(2017,))
    absent = [
        c
        for s in CB.scales.values()
        if not A.scale_asked(s.id, 2017)
        for c in s.items
    ] + CB.theme_columns + list(CB.motives) + ["team", CB.motive_text]
    assert absent
    frame = frame.drop(columns=absent)
    r = load_survey(write(frame, tmp_path / "r.csv"), institutions_csv).respondents
    assert list(r.columns) == CB.respondent_columns
    for col in absent:
        assert r[col].isna().all(), col
    assert r[absent[0]].dtype == "Int8"


def test_excel_csv_with_bom_and_crlf_loads(tmp_path, institutions_csv):
    path = tmp_path / "respondenten.csv"
    valid_respondents().to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\r\n")
    r = load_survey(path, institutions_csv).respondents
    assert r["respondent"].iloc[0] == "r0000"


def test_volledig_accepts_the_usual_spellings(tmp_path, institutions_csv):
    frame = valid_respondents(n=6).astype({"volledig": object})
    frame["volledig"] = ["true", "False", "1", "0", "True", "FALSE"]
    r = load_survey(raw_csv(tmp_path, frame), institutions_csv).respondents
    assert r["volledig"].tolist() == [True, False, True, False, True, False]


def test_spaces_around_values_and_names_and_the_case_of_a_code_are_not_part_of_the_value(tmp_path,
                                                                                          institutions_csv):
    """A messy but valid export: ' Docent ', 'Team A ' beside 'Team A', ' functie' as header, 'ROC'."""
    clean = valid_respondents(n=8)
    frame = as_raw(clean)
    frame["functie"] = [f"  {v.capitalize()} " for v in frame["functie"]]
    frame["team"] = [None if v is None else (f"{v} " if i % 2 else v) for i, v in enumerate(frame["team"])]
    frame["ervaring"] = [f" {v}" for v in frame["ervaring"]]
    frame.loc[1, "visie_meerwaarde_1"] = " "  # spaces only: an empty answer
    frame = frame.rename(columns={"functie": " functie"})
    places = valid_institutions()
    places["type"] = places["type"].str.upper()  # institution codes stay as typed: see test_hostile_values.py
    survey = load_survey(raw_csv(tmp_path, frame), raw_csv(tmp_path, places, "instellingen.csv"))
    got = survey.respondents
    assert got["functie"].astype(str).tolist() == clean["functie"].tolist()
    assert got["ervaring"].astype(str).tolist() == clean["ervaring"].tolist()
    assert got["team"].dropna().nunique() == clean["team"].dropna().nunique(), "'team1 ' and 'team1' are one team"
    assert pd.isna(got.loc[1, "visie_meerwaarde_1"])
    assert survey.institutions["type"].astype(str).tolist() == valid_institutions()["type"].tolist()


def test_a_column_name_twice_once_with_spaces_is_refused(tmp_path, institutions_csv):
    frame = as_raw(valid_respondents(n=4))
    frame["team "] = frame["team"]
    err = refuse(raw_csv(tmp_path, frame), institutions_csv)
    assert "'team'" in err.report() and "meer dan eens" in err.report()


def test_a_wave_may_add_a_theme(tmp_path, institutions_csv):
    frame = valid_respondents(waves=(2022,)).drop(columns="thema_genai")
    frame["thema_duurzaamheid"] = pd.array([1, 0] * (len(frame) // 2) + [pd.NA] * (len(frame) % 2), dtype="Int64")
    r = load_survey(write(frame, tmp_path / "r.parquet"), institutions_csv).respondents
    assert "thema_duurzaamheid" in r.columns and r["thema_duurzaamheid"].dtype == "Int8"
    themes = [c for c in r.columns if c.startswith("thema_")]
    assert themes.index("thema_duurzaamheid") == len(CB.theme_columns)  # right after the codebook's themes


def test_a_file_without_a_theme_the_codebook_knows_is_valid(tmp_path, institutions_csv):
    # thema_genai is declared for a later round: an export of an earlier round has no such column
    frame = valid_respondents().drop(columns="thema_genai")
    r = load_survey(write(frame, tmp_path / "r.csv"), institutions_csv).respondents
    assert r["thema_genai"].isna().all()


def test_panel_id_across_waves_is_accepted(tmp_path, institutions_csv):
    frame = valid_respondents(n=6)
    frame.loc[frame["meting"] == 2020, "respondent"] = frame.loc[frame["meting"] == 2017, "respondent"].values
    r = load_survey(write(frame, tmp_path / "r.csv"), institutions_csv).respondents
    assert r["respondent"].duplicated().any()


# -- each kind of bad input -------------------------------------------------------------
def as_raw(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.notna(), None).copy()


def problem_for(err: InvalidInput, column) -> InputProblem:
    hits = [p for p in err.problems if p.column == column]
    assert hits, err.report()
    return hits[0]


def test_unknown_column(tmp_path, institutions_csv):
    frame = valid_respondents()
    frame["Functie_oud"] = "x"
    err = refuse(write(frame, tmp_path / "respondenten.csv"), institutions_csv)
    assert len(err.problems) == 1
    line = err.report().splitlines()[1]
    assert "respondenten.csv" in line and "'Functie_oud'" in line and "onbekende kolom" in line


def test_unknown_column_suggests_the_intended_name(tmp_path, institutions_csv):
    frame = valid_respondents().rename(columns={"leeftijd": "Leeftijd"})
    err = refuse(write(frame, tmp_path / "respondenten.csv"), institutions_csv)
    assert "Bedoelt u 'leeftijd'?" in problem_for(err, "Leeftijd").line()
    assert problem_for(err, "leeftijd").problem == "verplichte kolom ontbreekt"


@pytest.mark.parametrize("column", ["functie", "meting", "prof_congres", "visie_meerwaarde_1"])
def test_missing_required_column(tmp_path, institutions_csv, column):
    frame = valid_respondents().drop(columns=column)
    err = refuse(write(frame, tmp_path / "respondenten.csv"), institutions_csv)
    p = problem_for(err, column)
    assert p.problem == "verplichte kolom ontbreekt"
    assert f"respondenten.csv, kolom '{column}': verplichte kolom ontbreekt" in err.report()


@pytest.mark.parametrize(
    "column, value",
    [
        ("functie", "leraar"),
        ("ervaring", "2-3"),
        ("domein", "Zorg"),
        ("meting", "twintig"),
        ("meting", "2022.5"),
        ("meting", "1999"),
        ("volledig", "ja"),
        ("prof_studiedag", "2"),
        ("visie_meerwaarde_2", "7"),
        ("visie_meerwaarde_2", "0"),
        ("thema_blended", "ja"),
        ("motief_kritisch", "-1"),
    ],
)
def test_value_outside_category_or_range(tmp_path, institutions_csv, column, value):
    frame = as_raw(valid_respondents(waves=(2022,)))
    frame.loc[[2, 4], column] = value
    err = refuse(raw_csv(tmp_path, frame), institutions_csv)
    p = problem_for(err, column)
    assert p.values == [value] and p.count == 2 and p.example_row == 4
    line = p.line()
    assert line.startswith(f"respondenten.csv, kolom '{column}': ")
    assert f"'{value}'" in line and "(2 rijen, bv. rij 4)" in line


def test_unknown_category_lists_the_allowed_codes(tmp_path, institutions_csv):
    frame = as_raw(valid_respondents())
    frame.loc[3, "functie"] = "leraar"
    err = refuse(raw_csv(tmp_path, frame), institutions_csv)
    assert err.report().splitlines()[1] == (
        "1. respondenten.csv, kolom 'functie': onbekende waarde 'leraar' (1 rij: rij 5). "
        "Toegestaan: " + ", ".join(CB.category_variables["functie"]) + "."
    )


def test_empty_required_cell(tmp_path, institutions_csv):
    frame = as_raw(valid_respondents())
    frame.loc[0, "vak"] = None
    err = refuse(raw_csv(tmp_path, frame), institutions_csv)
    p = problem_for(err, "vak")
    assert p.problem == "lege cel" and p.example_row == 2


def test_spss_codes_are_not_replaced_by_labels(tmp_path, institutions_csv):
    frame = valid_respondents()
    frame["functie"] = [1.0] * len(frame)  # SPSS numeric code with a value label
    path = tmp_path / "respondenten.sav"
    write(frame, path)
    err = refuse(path, institutions_csv)
    assert problem_for(err, "functie").values == ["1"]


def test_duplicate_respondent_within_a_wave(tmp_path, institutions_csv):
    frame = valid_respondents(n=9)
    same_wave = frame.index[frame["meting"] == 2020]
    frame.loc[same_wave[1], "respondent"] = frame.loc[same_wave[0], "respondent"]
    err = refuse(write(frame, tmp_path / "respondenten.csv"), institutions_csv)
    p = problem_for(err, "respondent")
    dup = frame.loc[same_wave[0], "respondent"]
    assert p.values == [dup] and p.count == 2 and p.example_row == same_wave[1] + 2
    assert f"'{dup}' (meting 2020)" in p.line()


def test_instelling_missing_from_institutions_table(tmp_path, institutions_csv):
    frame = valid_respondents()
    frame.loc[[1, 5], "instelling"] = "inst_onbekend"
    err = refuse(write(frame, tmp_path / "respondenten.csv"), institutions_csv)
    p = problem_for(err, "instelling")
    assert p.values == ["inst_onbekend"] and p.count == 2
    assert "instellingen.csv" in p.line() and "onbekende instelling 'inst_onbekend'" in p.line()


def test_thema_geen_together_with_another_theme(tmp_path, institutions_csv):
    frame = valid_respondents(waves=(2022,))
    frame["volledig"] = True
    for c in CB.substantive_themes:
        frame[c] = pd.array([0] * len(frame), dtype="Int64")
    frame[CB.theme_none] = pd.array([0] * len(frame), dtype="Int64")
    frame.loc[3, CB.theme_none] = 1
    frame.loc[3, "thema_data"] = 1
    err = refuse(write(frame, tmp_path / "respondenten.csv"), institutions_csv)
    p = problem_for(err, CB.theme_none)
    assert p.count == 1 and p.example_row == 5 and "thema_data" in p.line()


def test_thema_geen_alone_is_fine(tmp_path, institutions_csv):
    frame = valid_respondents(waves=(2022,))
    for c in CB.theme_columns:
        frame[c] = pd.array([0] * len(frame), dtype="Int64")
    frame.loc[0, CB.theme_none] = 1
    load_survey(write(frame, tmp_path / "r.csv"), institutions_csv)


def test_extra_theme_must_be_binary(tmp_path, institutions_csv):
    frame = as_raw(valid_respondents(waves=(2022,)))
    frame["thema_genai"] = "ja"
    err = refuse(raw_csv(tmp_path, frame), institutions_csv)
    assert problem_for(err, "thema_genai").values == ["ja"]


# -- empty and unreadable files ------------------------------------------------------------
def test_empty_file_zero_bytes(tmp_path, institutions_csv):
    path = tmp_path / "respondenten.csv"
    path.write_bytes(b"")
    err = refuse(path, institutions_csv)
    assert err.problems[0].column is None
    assert "respondenten.csv: het bestand is leeg" in err.report()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_empty_file_header_only(tmp_path, institutions_csv, suffix):
    path = write(valid_respondents().iloc[0:0], tmp_path / f"respondenten{suffix}")
    err = refuse(path, institutions_csv)
    assert f"respondenten{suffix}: " in err.report() and "geen gegevens" in err.report()
    with pytest.raises(EmptyFile):
        read_table(path)


def test_missing_path(tmp_path, institutions_csv):
    err = refuse(tmp_path / "bestaat_niet.csv", institutions_csv)
    assert "bestaat_niet.csv: het bestand bestaat niet" in err.report()


@pytest.mark.parametrize("name", ["respondenten.csv", "respondenten.parquet", "respondenten.sav"])
def test_binary_garbage(tmp_path, institutions_csv, name):
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * 20)
    err = refuse(path, institutions_csv)
    assert err.problems[0].file == name and err.problems[0].column is None
    with pytest.raises(UnreadableFile):
        read_table(path)


def test_text_file_named_sav(tmp_path, institutions_csv):
    path = tmp_path / "respondenten.sav"
    path.write_text("respondent,meting\nr1,2022\n")
    err = refuse(path, institutions_csv)
    assert "geen leesbaar SPSS-bestand" in err.report()


@pytest.mark.parametrize(
    "content, says",
    [
        ("respondent;meting\nr1;2022\n", "puntkomma's"),
        ("respondent,meting\nr1,2022\nr2,2022,x\n", "rij 3 heeft 3 velden"),
        ("respondent,meting,respondent\nr1,2022,r1\n", "dezelfde kolomnaam meer dan eens: 'respondent'"),
    ],
)
def test_malformed_csv(tmp_path, institutions_csv, content, says):
    path = tmp_path / "respondenten.csv"
    path.write_text(content, encoding="utf-8")
    err = refuse(path, institutions_csv)
    assert len(err.problems) == 1 and says in err.report()


def test_csv_not_utf8(tmp_path, institutions_csv):
    path = tmp_path / "respondenten.csv"
    path.write_bytes("respondent,team\nr1,Zorg & Welzijn \u00e9\u00e9n\n".encode("cp1252"))
    err = refuse(path, institutions_csv)
    assert "UTF-8" in err.report()


def test_unknown_extension(tmp_path, institutions_csv):
    path = tmp_path / "respondenten.xlsx"
    path.write_bytes(b"PK\x03\x04")
    err = refuse(path, institutions_csv)
    assert "onbekend bestandstype '.xlsx'" in err.report()


def test_unreadable_file_still_validates_the_other(tmp_path):
    resp = as_raw(valid_respondents())
    resp.loc[1, "leeftijd"] = "oud"
    inst = tmp_path / "instellingen.parquet"
    inst.write_bytes(b"not a parquet file at all")
    err = refuse(raw_csv(tmp_path, resp), inst)
    files = {(p.file, p.column) for p in err.problems}
    assert ("respondenten.csv", "leeftijd") in files and ("instellingen.parquet", None) in files


# -- institutions table ---------------------------------------------------------------------
def test_institutions_problems(tmp_path):
    inst = valid_institutions()
    inst = pd.concat([inst, inst.iloc[[0]]], ignore_index=True)
    inst.loc[1, "type"] = "hogeschool"
    inst = inst.drop(columns="naam")
    inst["adres"] = "Straat 1"
    resp = write(valid_respondents(), tmp_path / "respondenten.csv")
    err = refuse(resp, write(inst, tmp_path / "instellingen.csv"))
    text = err.report()
    assert "instellingen.csv, kolom 'adres': onbekende kolom" in text
    assert "instellingen.csv, kolom 'naam': verplichte kolom ontbreekt" in text
    assert "instellingen.csv, kolom 'type': onbekende waarde 'hogeschool'" in text
    assert "instellingen.csv, kolom 'instelling': dubbele code 'inst_a' (2 rijen" in text


# -- the report ------------------------------------------------------------------------------
def test_all_problems_reported_at_once_without_traceback(tmp_path):
    frame = as_raw(valid_respondents(n=12))
    frame.loc[[2, 5, 7], "functie"] = "leraar"
    frame.loc[4, "geletterd_informatie_2"] = "9"
    frame.loc[6, "instelling"] = "inst_x"
    frame.loc[8, "respondent"] = frame.loc[5, "respondent"]
    frame.loc[8, "meting"] = frame.loc[5, "meting"]
    frame["onzin"] = "1"
    frame = frame.drop(columns="vak")
    inst_path = tmp_path / "instellingen.csv"
    inst_path.write_text("instelling,naam\n")
    err = refuse(raw_csv(tmp_path, frame), inst_path)
    cols = {(p.file, p.column) for p in err.problems}
    assert {
        ("respondenten.csv", "onzin"),
        ("respondenten.csv", "vak"),
        ("respondenten.csv", "functie"),
        ("respondenten.csv", "geletterd_informatie_2"),
        ("respondenten.csv", "respondent"),
        ("instellingen.csv", None),
    } <= cols
    text = err.report()
    assert text.startswith(f"De invoer bevat {len(err.problems)} problemen; er is niets gebouwd.")
    assert "(3 rijen, bv. rij 4)" in text
    for marker in ("Traceback", 'File "', "Error", "Exception", "pandera", "SchemaError"):
        assert marker not in text
    assert str(err) == text


def test_validation_of_a_full_size_file_is_fast(tmp_path, institutions_csv):
    n = 10_000
    frame = valid_respondents(n=n)
    frame.loc[::7, "functie"] = "leraar"  # failures make pandera do more work
    path = write(frame, tmp_path / "respondenten.csv")
    start = time.perf_counter()
    err = refuse(path, institutions_csv)
    elapsed = time.perf_counter() - start
    assert problem_for(err, "functie").count == len(range(0, n, 7))
    assert elapsed < 5, f"validation took {elapsed:.1f} s"
