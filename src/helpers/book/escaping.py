"""Values from data into text: each escaped for where it lands.

Institution names and codes, team names and reviewed quotes are typed by
people; the book must show them as typed and never let them act as markup,
code or a formula. Every place that puts a data value into text goes
through one of these:

- `html_text`: inside HTML (tables and fragments built by hand, alt text,
  attribute values);
- `markdown_text`: inside the Markdown of the prose (MyST: emphasis, links,
  roles, math, raw HTML and smart quotes all stay literal);
- `spreadsheet_safe`: the cells of a table CSV, so a spreadsheet never reads
  a value as a formula;
- the book's site title, escaped once in every page's template context by
  this module's Sphinx extension (`setup`), because the theme prints it
  unescaped in the sidebar and the search page.

Figures need nothing here: `helpers.book.figures` switches off matplotlib's
mathtext, so `$` in a label stays a dollar sign.
"""
from __future__ import annotations

import html
import re
import string

import pandas as pd

# CommonMark lets any ASCII punctuation be escaped with a backslash; escaping
# all of it is simpler and safer than knowing which characters MyST's
# extensions (dollarmath, roles, substitutions, linkify, smart quotes) read.
_MARKDOWN_SPECIAL = re.compile("([" + re.escape(string.punctuation) + "])")
# Line breaks, tabs and other control characters would end a paragraph or a
# table row; in a name they are only a typing slip.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")

#: A cell that starts with one of these is read as a formula by Excel,
#: LibreOffice and Google Sheets (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Put before such a cell: a spreadsheet then shows the text as typed.
FORMULA_GUARD = "'"


def _plain(value) -> str:
    return _CONTROL.sub(" ", str(value))


def html_text(value) -> str:
    """`value` as HTML text or attribute value: `<`, `>`, `&`, `"` and `'` escaped."""
    return html.escape(_plain(value), quote=True)


def markdown_text(value) -> str:
    """`value` as literal text inside the book's Markdown prose."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", _plain(value))


def spreadsheet_cell(value):
    """A CSV cell that a spreadsheet shows as typed; anything but formula-like text is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return FORMULA_GUARD + value
    return value


def spreadsheet_safe(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with every formula-like text cell guarded; numeric columns are left exactly as they are."""
    safe = table.copy()
    for column in safe.columns:
        if pd.api.types.is_numeric_dtype(safe[column]) or pd.api.types.is_bool_dtype(safe[column]):
            continue
        safe[column] = safe[column].map(spreadsheet_cell, na_action="ignore")
    return safe


# -- the site title in every page (Sphinx extension) ----------------------------------------
def _escape_site_title(app, pagename, templatename, context, doctree) -> None:
    from markupsafe import Markup

    # Markup: templates that escape it themselves (`docstitle|e`) leave it as it is, so it is escaped once everywhere.
    if context.get("docstitle"):
        context["docstitle"] = Markup(html_text(app.config.html_title))


def setup(app):
    """Sphinx extension: the book title (which holds the institution's name) is text, never markup."""
    app.connect("html-page-context", _escape_site_title)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
