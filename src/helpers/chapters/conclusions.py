"""Conclusions whose every number names its source: the published table, the row and the column.

A chapter of conclusions builds `Conclusion`s from the tables earlier
chapters published, citing each number with `cite`; `sources_table` is the
table the chapter publishes beside them, and a test checks every number
against the CSV of the table it names. Used by every Katern.
"""
from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from helpers.core import dutch
from helpers.book.disclosure import bound_of, complement_text, shown
from helpers.book.sentences import sentence_file

SENTENCES = sentence_file("gedeeld")


@dataclass
class Source:
    table: str
    where: dict
    column: str
    value: float
    shown: str


@dataclass
class Conclusion:
    text: str
    sources: list[Source] = field(default_factory=list)
    question: str = ""  # the research question it answers; '' : the question of the tables it cites


@dataclass
class Recommendation:
    title: str
    text: str


def rows_where(table: pd.DataFrame, where: dict) -> pd.DataFrame:
    """The rows of `table` whose columns equal every value in `where` ({column: value})."""
    for key, value in where.items():
        table = table[table[key] == value]
    return table


def shown_rows(table: pd.DataFrame, where: dict, column: str) -> pd.DataFrame:
    """The rows `where` selects that disclosure control shows, with a value in `column`."""
    return shown(rows_where(table, where)).dropna(subset=[column])


def cite(table: pd.DataFrame, table_id: str, where: dict, column: str = "aandeel",
         shown: Callable[[float], str] = dutch.percent, complement: bool = False) -> Source:
    """The value in `column` of the one row of `table` that `where` selects, as the reader sees it.

    A small group's bounded share is shown as its bound ('< 5%'), as in the
    table. With `complement` the text is one minus the share (the value stays
    the share, as in the table), and a bound flips ('< 5%' becomes '> 95%').
    A withheld cell reads '–'.
    """
    rows = rows_where(table, where)
    if len(rows) != 1:
        raise LookupError(f"{table_id}: {len(rows)} rijen voor {where}")
    row = rows.iloc[0]
    cell = row[column]
    value = float("nan") if pd.isna(cell) else float(cell)  # a withheld cell is blank (NA) in the table
    text = "–" if math.isnan(value) else shown(1 - value if complement else value)
    bound = bound_of(row, column) if shown is dutch.percent or complement else ""
    if bound:
        text = complement_text(row, column) if complement else bound
    return Source(table_id, where, column, value, text)


def sources_table(found: list[Conclusion]) -> pd.DataFrame:
    """One row per number in a conclusion: where it comes from and how it is shown."""
    rows = []
    for number, conclusion in enumerate(found, start=1):
        for source in conclusion.sources:
            rows.append(dict(conclusie=number, tekst=conclusion.text, tabel=source.table,
                             selectie=json.dumps(source.where, ensure_ascii=False, sort_keys=True),
                             kolom=source.column, waarde=round(source.value, 6), weergave=source.shown))
    return pd.DataFrame(rows, columns=["conclusie", "tekst", "tabel", "selectie", "kolom", "waarde", "weergave"])


def measure(column: str) -> str:
    """What a cited column measures, as a reader of a sources table reads it (a column not named reads as its name)."""
    return SENTENCES.say("maat", kolom=column)


def reader_sources(sources: pd.DataFrame) -> pd.DataFrame:
    """The sources table as the page shows it: per number the conclusion it is in, the number as the text has it,
    what it measures and the table (its CSV among the edition's tables) it comes from."""
    return pd.DataFrame({
        "Conclusie": sources["conclusie"],
        "Getal in de tekst": sources["weergave"],
        "Maat": sources["kolom"].map(measure),
        "Tabel": sources["tabel"] + ".csv",
    })


def conclusions_markdown(found: list[Conclusion]) -> str:
    """Numbered, so the sources table can say which conclusion a number is in; each names its research question.

    The questions are numbered as in the introduction (`helpers.chapters.research_questions`): an institution
    edition's extra question comes last, so the others keep their numbers in every edition.
    """
    from helpers.chapters.research_questions import numbers, question_of

    numbered = numbers(national=False)

    def answers(conclusion: Conclusion) -> str:
        key = question_of(conclusion)
        return " " + SENTENCES.say("onderzoeksvraag", nummer=numbered[key]) if key in numbered else ""

    return "\n".join(f"{number}. {c.text}{answers(c)}" for number, c in enumerate(found, start=1))


def recommendations_markdown(intro: str, found: list[Recommendation]) -> str:
    return intro + "\n\n" + "\n".join(f"{i}. **{r.title}.** {r.text}" for i, r in enumerate(found, start=1))
