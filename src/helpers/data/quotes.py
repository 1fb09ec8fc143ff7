"""Example quotes for the motive chapter (Katern C §3), from a reviewed file only.

The rule
--------
Every quote the book shows comes from the reviewed quotes file
``data/citaten.csv`` and only from rows a reviewer approved
(``goedgekeurd`` = true). Quotes are **never** taken from the respondents'
answers to the open question (``motief_tekst``): those answers are
confidential and may identify a teacher to colleagues, so no code path reads
them for display. A quote is shown only where the group whose answers the
chapter describes is at or above the privacy threshold (:func:`quotes_allowed`).

The quotes shipped with the project are fictional, written for this project
(column ``bron``: "fictief (synthetische gegevens)"); they are neither copied
from the monitor's publications nor from the synthetic answers. Each quote
continues the question's stem "Voor mij is het belangrijk dat…", so it usually
starts with a lower-case word. Rows that were not approved say why in
``opmerking`` (e.g. "noemt een collega bij naam") and stay in the file as the
review log; they are never returned.

Columns: ``citaat_id`` (unique, e.g. Q001), ``motief`` (a motive code from the
codebook), ``citaat`` (non-empty), ``goedgekeurd`` (true/false, 1/0),
``beoordeeld_door`` (a role), ``opmerking`` (required when not approved),
``bron``.

A file that breaks these rules raises
:class:`helpers.data.validation.InvalidInput` listing every problem at once, in the
same plain-Dutch form as the survey input.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers.data.codebook import PROJECT_ROOT, Codebook, load_codebook
from helpers.data.readers import UnreadableFile, read_table
from helpers.data.validation import (
    FALSE_VALUES,
    FIRST_DATA_ROW,
    MAX_EXAMPLES,
    TRUE_VALUES,
    InputProblem,
    InvalidInput,
    _show_values,
)

DEFAULT_QUOTES = PROJECT_ROOT / "data" / "citaten.csv"

ID = "citaat_id"
MOTIVE = "motief"
QUOTE = "citaat"
APPROVED = "goedgekeurd"
REVIEWER = "beoordeeld_door"
NOTE = "opmerking"
SOURCE = "bron"
COLUMNS = (ID, MOTIVE, QUOTE, APPROVED, REVIEWER, NOTE, SOURCE)
NULLABLE = {NOTE}


def quotes_schema(codebook: Codebook | None = None) -> pa.DataFrameSchema:
    """pandera schema of the raw (all-string) quotes file."""
    cb = codebook or load_codebook()
    motives = list(cb.motives)
    checks = {
        ID: [pa.Check(_not_blank, name="not_blank")],
        MOTIVE: [pa.Check(lambda s: s.isin(motives), name="motive")],
        QUOTE: [pa.Check(_not_blank, name="not_blank")],
        APPROVED: [pa.Check(_is_boolean, name="boolean")],
        REVIEWER: [pa.Check(_not_blank, name="not_blank")],
        NOTE: [],
        SOURCE: [pa.Check(_not_blank, name="not_blank")],
    }
    columns = {
        col: pa.Column(None, checks=checks[col], nullable=col in NULLABLE, unique=col == ID)
        for col in COLUMNS
    }
    return pa.DataFrameSchema(columns, strict=True, name="citaten")


def _not_blank(s: pd.Series) -> pd.Series:
    return s.str.strip() != ""


def _is_boolean(s: pd.Series) -> pd.Series:
    return s.str.strip().str.lower().isin(TRUE_VALUES + FALSE_VALUES)


def _approved_flags(s: pd.Series) -> pd.Series:
    return s.fillna("").str.strip().str.lower().isin(TRUE_VALUES)


def load_quotes(path: str | Path = DEFAULT_QUOTES, codebook: Codebook | None = None) -> pd.DataFrame:
    """Read and validate the reviewed quotes file.

    Returns one row per quote, columns as in :data:`COLUMNS`, ``goedgekeurd``
    as bool, sorted by ``citaat_id``. Raises :class:`InvalidInput` with every
    problem of the file.
    """
    cb = codebook or load_codebook()
    path = Path(path)
    name = path.name
    try:
        raw = read_table(path)
    except UnreadableFile as exc:
        message = exc.message + (f" (gezocht op {path})" if not path.exists() else "")
        raise InvalidInput([InputProblem(name, None, message, [], 0, None)]) from None

    problems: list[InputProblem] = []
    try:
        quotes_schema(cb).validate(raw, lazy=True)
    except SchemaErrors as exc:
        problems += _translate(exc.failure_cases, name, cb)
    problems += _unexplained_rejections(raw, name)
    if problems:
        raise InvalidInput(problems)

    out = raw[list(COLUMNS)].copy()
    for col in COLUMNS:
        out[col] = out[col].str.strip()
    out[APPROVED] = _approved_flags(raw[APPROVED])
    return out.sort_values(ID, kind="stable").reset_index(drop=True)


def _translate(cases: pd.DataFrame, file: str, cb: Codebook) -> list[InputProblem]:
    """pandera failure cases → one InputProblem per column and check."""
    problems = []
    frame_level = cases["schema_context"] == "DataFrameSchema"
    for _, case in cases[frame_level].iterrows():
        column, check = str(case["failure_case"]), str(case["check"])
        if check == "column_in_dataframe":
            problems.append(InputProblem(
                file, column, "verplichte kolom ontbreekt", [], 0, None,
                f"Het citatenbestand heeft de kolommen {', '.join(COLUMNS)}.",
            ))
        elif check == "column_in_schema":
            problems.append(InputProblem(
                file, column, "onbekende kolom", [column], 0, None,
                f"Toegestaan: {', '.join(COLUMNS)}.",
            ))
        else:
            problems.append(InputProblem(file, column or None, f"voldoet niet aan de controle '{check}'", [column], 0, None))
    column_cases = cases[~frame_level]
    for (column, check), group in column_cases.groupby(["column", "check"], sort=False):
        rows = sorted(set(pd.to_numeric(group["index"], errors="coerce").dropna().astype(int)))
        values = [str(v) for v in pd.unique(group["failure_case"].astype(object)) if not pd.isna(v)]
        problems.append(_column_problem(file, str(column), str(check), values, rows, cb))
    order = {c: i for i, c in enumerate(COLUMNS)}
    return sorted(problems, key=lambda p: (p.count > 0, order.get(p.column, len(order))))


def _column_problem(file, column, check, values, rows, cb: Codebook) -> InputProblem:
    count = len(rows)
    example = rows[0] + FIRST_DATA_ROW if rows else None
    shown = _show_values(values)
    plural = len(values) > 1
    if check in ("not_nullable", "not_blank"):
        what = "een citaat" if column == QUOTE else "een waarde"
        return InputProblem(file, column, "lege cel", [], count, example, f"Elke rij moet {what} hebben.")
    if check == "field_uniqueness":
        word = "dubbele codes" if plural else "dubbele code"
        return InputProblem(
            file, column, f"{word} {shown}", values[:MAX_EXAMPLES], count, example,
            "Elk citaat moet een eigen code hebben.",
        )
    if check == "motive":
        word = "onbekende motieven" if plural else "onbekend motief"
        return InputProblem(
            file, column, f"{word} {shown}", values[:MAX_EXAMPLES], count, example,
            f"Toegestaan: de motiefcodes uit het codeboek ({', '.join(cb.motives)}).",
        )
    if check == "boolean":
        word = "ongeldige waarden" if plural else "ongeldige waarde"
        return InputProblem(
            file, column, f"{word} {shown}", values[:MAX_EXAMPLES], count, example,
            "Toegestaan: true, false, 1 of 0.",
        )
    word = "ongeldige waarden" if plural else "ongeldige waarde"
    return InputProblem(file, column, f"{word} {shown}", values[:MAX_EXAMPLES], count, example)


def _unexplained_rejections(raw: pd.DataFrame, file: str) -> list[InputProblem]:
    """A quote that was not approved must say why (the review log)."""
    if not {APPROVED, NOTE} <= set(raw.columns):
        return []
    flag = raw[APPROVED].fillna("").str.strip().str.lower()
    rejected = flag.isin(FALSE_VALUES)
    silent = rejected & (raw[NOTE].fillna("").str.strip() == "")
    if not silent.any():
        return []
    rows = silent[silent].index
    ids = raw.loc[silent, ID].astype(str).tolist() if ID in raw.columns else []
    return [InputProblem(
        file, NOTE, "lege cel bij een afgekeurd citaat" + (f" ({_show_values(ids)})" if ids else ""),
        ids[:MAX_EXAMPLES], int(silent.sum()), int(rows[0]) + FIRST_DATA_ROW,
        "Leg bij elk afgekeurd citaat uit waarom het niet getoond mag worden.",
    )]


def approved_quotes(quotes: pd.DataFrame, motive: str, k: int = 2) -> list[str]:
    """Up to `k` approved quotes of one motive: the first `k` by ``citaat_id``.

    Only rows with ``goedgekeurd`` = true are considered; the choice is
    deterministic, so every build shows the same quotes.
    """
    if k <= 0:
        return []
    ok = quotes[APPROVED].astype("boolean").fillna(False).astype(bool) & (quotes[MOTIVE] == motive)
    return quotes.loc[ok].sort_values(ID, kind="stable")[QUOTE].head(k).tolist()


def quotes_allowed(n_answering: int, min_n: int) -> bool:
    """Whether quotes may be shown for a group of `n_answering` answerers.

    Quotes are shown only where the group that answered the open question is
    at or above the privacy threshold `min_n`.
    """
    return int(n_answering) >= int(min_n)
