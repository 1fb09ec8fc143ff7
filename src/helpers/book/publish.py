"""What a chapter notebook shows: figures, switchable views, tables, prose.

Every figure or table shown is published together with its table: the
numbers behind it are written to `<tables_dir>/<table_id>.csv` from the same
data frame that drew it, so the CSV and the picture cannot disagree.
"""
from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display

from helpers.book.escaping import spreadsheet_safe

TABLE_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


TINY = 1e-4  # below this a float is written in full precision (pandas writes it in scientific notation)


class Publisher:
    """Shows figures and tables in a notebook and writes their CSVs."""

    def __init__(self, tables_dir: str | Path | None):
        self.tables_dir = Path(tables_dir) if tables_dir else None
        self.written: list[str] = []

    def _write_table(self, table_id: str, table: pd.DataFrame) -> None:
        if not TABLE_ID.match(table_id):
            raise ValueError(f"Tabel-id '{table_id}' mag alleen kleine letters, cijfers, - en _ bevatten")
        if table_id in self.written:
            raise ValueError(f"Tabel-id '{table_id}' is in dit hoofdstuk al gebruikt")
        self.written.append(table_id)
        if self.tables_dir is None:
            return
        self.tables_dir.mkdir(parents=True, exist_ok=True)
        rounded = spreadsheet_safe(table)  # a value typed as "=..." must never become a formula in Excel
        for column in rounded.columns:
            if pd.api.types.is_float_dtype(rounded[column]):
                # Six decimals, but a tiny value (a p of 1e-9) keeps every digit: rounding it would write 0.0.
                tiny = rounded[column].abs() < TINY
                rounded[column] = rounded[column].round(6).where(~tiny, rounded[column])
        rounded.to_csv(self.tables_dir / f"{table_id}.csv", index=False, lineterminator="\n")

    def switch(
        self,
        table_id: str,
        table: pd.DataFrame,
        views: dict[str, tuple],
        description: str,
    ) -> None:
        """Show pre-rendered figures behind a selector that works without a kernel."""
        from helpers.book.widgets import switcher

        self._write_table(table_id, table)
        display(switcher(views, description))

    def views(self, table_id: str, table: pd.DataFrame, views: dict[str, object], description: str) -> None:
        """Figures of `table` as the reader best gets them: a selector for several, one image, or (none) the table only.

        A view is a figure (its own alt text, see `helpers.book.figures`) or a (figure, alt text) pair.
        """
        if len(views) > 1:
            self.switch(table_id, table, views, description)
        elif views:
            view, = views.values()
            self.figure(table_id, table, *(view if isinstance(view, tuple) else (view,)))
        else:
            self.record(table_id, table)

    def figure(self, table_id: str, table: pd.DataFrame, figure, alt: str | None = None) -> None:
        """Show one figure (an image with its Dutch alt text, no selector) and write its table.

        Without `alt`, the figure's own alt text (what it shows and its numbers, see `helpers.book.figures`).
        """
        from .widgets import default_alt, figure_png, png_img_tag

        self._write_table(table_id, table)
        display(HTML(png_img_tag(figure_png(figure), alt or default_alt(figure))))
        plt.close(figure)

    def html(self, table_id: str, table: pd.DataFrame, fragment: str) -> None:
        """Show an HTML fragment made from `table` (every value from data escaped by its maker); write the table."""
        self._write_table(table_id, table)
        display(HTML(fragment))

    def record(self, table_id: str, table: pd.DataFrame) -> None:
        """Write the table behind something shown in another way (e.g. inside a view)."""
        self._write_table(table_id, table)

    def table(self, table_id: str, table: pd.DataFrame, shown: pd.DataFrame | None = None) -> None:
        """Show a table (optionally a reader-friendly version of it); write the full table."""
        self._write_table(table_id, table)
        display(HTML((shown if shown is not None else table).to_html(index=False, border=0, classes="tabel",
                                                                      escape=True)))

    @staticmethod
    def text(markdown: str) -> None:
        """Prose whose numbers were computed in the cell that produces it.

        A value from data inside it must already be escaped with `escaping.markdown_text`.
        """
        display(Markdown(markdown))
