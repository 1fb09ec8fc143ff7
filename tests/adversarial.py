"""Adversarial exports: valid under the data contract, shaped unlike the shipped data.

Each function takes the small generated data set (`small_data` in conftest:
I01 and I02 roc, I03 aoc, I04 vakschool) and writes a changed copy into a
folder, returning the paths of its respondents and institutions files. The
shapes are the ones disclosure control must survive:

- `types_of_few_institutions`: seven institutions, three roc, one aoc (a type
  with one institution), three vakschool; the aoc is withheld nationally and
  with it the roc (the type of the fewest institutions after it). The small
  data set itself has a type with two institutions (roc).
- `small_groups_everywhere`: inside I01 a group of fewer than ten teachers in
  every breakdown, and a group of ten in `domein` of which only nine have a
  score on one scale; no teams at all; a scale not asked in the newest wave
  (`NOT_ASKED`, asked before); a tiny institution (`TINY`, six teachers in
  the newest wave).
- `few_others_in_an_early_wave`: only I01 and I02 took part in the earliest
  wave, so I01's edition withholds the national comparison with that wave
  (too few other institutions in both), and only `FEW_SCORES_N` of I01's
  teachers of that wave have a score on `FEW_SCORES_SCALE`, so I01's own row
  of that scale and comparison is withheld as too small. The themes are asked
  in every wave (`themes_in_every_wave`), so Katern B's theme comparison with
  the earliest wave is withheld too, and the one with the middle wave shown.
- `few_others_in_the_newest_wave`: only I01 and I02 took part in the newest
  wave, the one Katern A and C report: I01's national benchmark beside its
  own figures is I02's (nearly), so it is withheld (`FEW_OTHERS`), and so is
  Katern A's comparison with the teachers of all other institutions.

`small_groups_everywhere` also leaves, nationally, `FEW_FORMS_N` teachers
with the form `FEW_FORM` in the wave before the newest (`few_of_a_form`), so
Katern B's means per form withhold it there and its test must leave it out.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

NOT_ASKED = "met_data"  # a practice scale: Katern A, B and the praatplaat show it
TINY = "I04"
SMALL_GROUPS = "I01"
SHRUNK_DOMAIN, SHRUNK_SCALE = "ict_creatief", "over_informatie"  # ten teachers, nine with a score on the scale
SINGLE_TYPE = "I03"  # the one aoc
FEW_OTHERS = "I01"  # with I02 alone in the earliest wave
FEW_SCORES_SCALE, FEW_SCORES_N = "geletterd_instrumenteel", 5  # I01's scores on it in the earliest wave
FEW_FORM, FEW_FORMS_N = "alleen_lang", 9  # nationally, in the wave before the newest


def _read(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _newest(frame: pd.DataFrame) -> str:
    return str(max(int(w) for w in frame["meting"]))


def _write(frame: pd.DataFrame, places: pd.DataFrame, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / "respondenten.csv", index=False)
    places.to_csv(folder / "instellingen.csv", index=False)
    return folder / "respondenten.csv", folder / "instellingen.csv"


def _split(frame: pd.DataFrame, code: str, parts: list[str]) -> pd.DataFrame:
    """The respondents of institution `code` dealt in turn over `code` and `parts`, in every wave."""
    frame = frame.copy()
    for _, rows in frame.loc[frame["instelling"] == code].groupby("meting"):
        codes = [code, *parts]
        frame.loc[rows.index, "instelling"] = [codes[i % len(codes)] for i in range(len(rows))]
    return frame


def types_of_few_institutions(small_data, folder: Path) -> tuple[Path, Path]:
    """Three roc, one aoc, three vakschool (I01 split into a roc and two vakscholen, I02 into two roc)."""
    frame, places = _read(small_data[0]), _read(small_data[1])
    frame = _split(frame, "I01", ["I05", "I06"])
    frame = _split(frame, "I02", ["I07"])
    added = pd.DataFrame([
        {"instelling": "I05", "naam": "Vakcollege Zeevaart Oosthaven", "type": "vakschool"},
        {"instelling": "I06", "naam": "Vakcollege Bouw Westermeer", "type": "vakschool"},
        {"instelling": "I07", "naam": "ROC Heidemond", "type": "roc"},
    ])
    return _write(frame, pd.concat([places, added], ignore_index=True), folder)


def small_groups_everywhere(small_data, folder: Path) -> tuple[Path, Path]:
    """Small groups in every breakdown of I01, no teams, a scale not asked in the newest wave, a tiny I04."""
    frame, places = _read(small_data[0]), _read(small_data[1])
    newest = _newest(frame)
    frame["team"] = ""
    items = [c for c in frame.columns if c.startswith(f"{NOT_ASKED}_")]
    frame.loc[frame["meting"] == newest, items] = ""
    mine = frame.loc[(frame["meting"] == newest) & (frame["instelling"] == SMALL_GROUPS)]
    # One group of fewer than ten in each breakdown that has none yet (functie, ervaring, domein and
    # bevoegdheid have one in the small data set already).
    young = mine.index[mine["leeftijd"] == "lt30"]
    frame.loc[young[9:], "leeftijd"] = "30-39"
    avo = mine.index[mine["vak"] == "avo"]
    frame.loc[avo[9:], "vak"] = "beroeps"
    # A domain of ten complete teachers, one without a score on one scale: its table withholds it there.
    domain = mine.index[(mine["domein"] == SHRUNK_DOMAIN) & (mine["volledig"] == "true")]
    assert len(domain) >= 10, "the small data set changed: no domain of ten complete teachers"
    frame.loc[domain[10:], "domein"] = "overig"
    frame.loc[domain[:1], f"{SHRUNK_SCALE}_1"] = ""
    # A tiny institution: six teachers in the newest wave.
    tiny = frame.index[(frame["meting"] == newest) & (frame["instelling"] == TINY)]
    frame = frame.drop(tiny[6:])
    return _write(few_of_a_form(frame), places, folder)


def few_of_a_form(frame: pd.DataFrame) -> pd.DataFrame:
    """Nationally only `FEW_FORMS_N` teachers with the form `FEW_FORM` in the wave before the newest.

    The others of that form also took a short activity: they move to 'korte én langere activiteiten'.
    """
    from helpers.data.codebook import load_codebook

    cb = load_codebook()
    short = [c for c, d in cb.activity_duration.items() if d == "kort"]
    long = [c for c, d in cb.activity_duration.items() if d == "lang"]
    before = str(sorted({int(w) for w in frame["meting"]})[-2])
    took = frame[list(cb.activities)] == "1"
    only_long = (frame["meting"] == before) & ~took[short].any(axis=1) & took[long].any(axis=1)
    assert FEW_FORM == "alleen_lang" and only_long.sum() > FEW_FORMS_N, "the small data set changed"
    frame = frame.copy()
    frame.loc[frame.index[only_long][FEW_FORMS_N:], short[0]] = "1"
    return frame


def few_others_in_an_early_wave(small_data, folder: Path) -> tuple[Path, Path]:
    """I03 and I04 left out of the earliest wave; in it only five I01 teachers with a score on one scale."""
    frame, places = _read(small_data[0]), _read(small_data[1])
    earliest = str(min(int(w) for w in frame["meting"]))
    frame = frame.loc[~((frame["meting"] == earliest) & frame["instelling"].isin(["I03", "I04"]))].copy()
    mine = frame.index[(frame["meting"] == earliest) & (frame["instelling"] == FEW_OTHERS)]
    frame.loc[mine[FEW_SCORES_N:], f"{FEW_SCORES_SCALE}_1"] = ""
    return _write(themes_in_every_wave(frame), places, folder)


def few_others_in_the_newest_wave(small_data, folder: Path) -> tuple[Path, Path]:
    """I03 and I04 left out of the newest wave: beside I01 only I02 took part in the wave every chapter reports."""
    frame, places = _read(small_data[0]), _read(small_data[1])
    newest = _newest(frame)
    frame = frame.loc[~((frame["meting"] == newest) & frame["instelling"].isin(["I03", "I04"]))].copy()
    return _write(frame, places, folder)


def themes_in_every_wave(frame: pd.DataFrame, seed: int = 3) -> pd.DataFrame:
    """The themes asked of the completers of every wave (the small data set asks them in the newest only)."""
    from helpers.data.codebook import load_codebook

    cb = load_codebook()
    frame = frame.copy()
    rng = np.random.default_rng(seed)
    earlier = frame["meting"] != _newest(frame)
    answered = earlier & frame["volledig"].str.lower().isin(["true", "1"])
    picks = rng.random((int(answered.sum()), len(cb.substantive_themes))) < 0.4
    picks[rng.random(len(picks)) < 0.1] = False  # about one in ten chooses no theme
    frame.loc[answered, cb.substantive_themes] = np.where(picks, "1", "0")
    frame.loc[answered, cb.theme_none] = np.where(picks.any(axis=1), "0", "1")
    frame.loc[earlier & ~answered, cb.theme_columns] = ""
    return frame


def prepared(paths: tuple[Path, Path], folder: Path) -> Path:
    """An export checked and kept as the build keeps it, for chapter functions called without a build."""
    from helpers.data import dataset
    from helpers.data.validation import load_survey

    dataset.save(load_survey(*paths), folder)
    return folder
