"""HTML elements of the pages' own blocks (the research model, the team tables, the praatplaat) and of its tables.

The chapters pass words, classes and already escaped content; the tags are
written here, so a chapter module holds its words (in its sentence template)
and no markup. Attribute names are Python names: `class_` is `class`,
`aria_hidden` is `aria-hidden`.
"""
from __future__ import annotations

import re

import pandas as pd

from helpers.book import styles
from helpers.book.escaping import html_text

#: A number as the book writes it in a table cell: 5.467, 0,037, < 0,001, 48%, > 95%, -0,25, +1,2, 2017–2022.
NUMBER_CELL = re.compile(r"^(?:(?:[<>≤≥]\s?)?[-−+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?\s?%?|\d{4}[–-]\d{4})$")
#: What an empty number cell shows.
EMPTY_CELLS = {"", "–", "-", "nan", "NaN", "None", "<NA>"}


def element(tag: str, content: str = "", /, **attributes) -> str:
    """`<tag name="value">content</tag>`; `content` as given (escaped by the caller), attribute values escaped."""
    written = "".join(f' {name.rstrip("_").replace("_", "-")}="{html_text(value)}"'
                      for name, value in attributes.items())
    return f"<{tag}{written}>{content}</{tag}>"


def _number_columns(rows: list[list[str]], columns: int) -> list[bool]:
    """Per column: most of its filled cells are numbers (a column of numbers may note 'niet gemeten' in a row)."""
    found = []
    for j in range(columns):
        filled = [row[j].strip() for row in rows if j < len(row) and row[j].strip() not in EMPTY_CELLS]
        found.append(bool(filled) and 2 * sum(bool(NUMBER_CELL.match(t)) for t in filled) >= len(filled))
    return found


def reader_table(frame: pd.DataFrame) -> str:
    """A table as the book shows it: the cells as pandas writes them, numbers right-aligned under their
    heading, words left-aligned under theirs, and room between two columns (pandas right-aligns
    every heading and no cell, so that words stood under the far end of their heading and "133" ran into
    "0,037")."""
    from bs4 import BeautifulSoup  # here: only a chapter that shows a table pays for it

    soup = BeautifulSoup(frame.to_html(index=False, border=0, classes="tabel", escape=True), "html.parser")
    body = [[cell.get_text() for cell in row.find_all("td", recursive=False)] for row in soup.tbody.find_all("tr")]
    numeric = _number_columns(body, len(frame.columns))
    for row in soup.find_all("tr"):
        row.attrs.pop("style", None)
        for j, (cell, number) in enumerate(zip(row.find_all(["th", "td"], recursive=False), numeric)):
            whole = cell.name == "td" and NUMBER_CELL.match(cell.get_text().strip())  # a note may wrap, a number not
            cell["style"] = ((styles.NUMBER_CELL if number else styles.TEXT_CELL) + (styles.COLUMN_GAP if j else "")
                             + (styles.NUMBER_NO_BREAK if whole else ""))
    return str(soup)
