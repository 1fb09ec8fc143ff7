"""What a chapter notebook shows: figures, switchable views, tables, prose.

Every figure or table shown is published together with its table: the
numbers behind it are written to `<tables_dir>/<table_id>.csv` from the same
data frame that drew it, so the CSV and the picture cannot disagree.

Every figure is numbered per chapter, in the order the chapter shows them,
and titled with what it shows: "Figuur A6.2 — <title>" over "(n = 6.133,
meting <jaar>)", its n and wave read from its own rows
(`helpers.book.figures.figure_facts`; the wave of the edition's data when
the rows name none). A selector of views is one figure: each view carries the
same number.

Every figure is shown with a small folded note naming its id and the command
that makes it as files (`monitorbook figuur <id>`, see
`helpers.pipeline.figure`). That command runs the figure's chapter with
`export_figure` set, and the Publisher then also saves that one figure as PNG
and SVG: the figure a reader sees, not a second drawing of it.
"""
from __future__ import annotations

import dataclasses
import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML, Markdown, display

from helpers.book.escaping import spreadsheet_safe
from helpers.book.medium import WEB_ONLY_CLASS
from helpers.book.sentences import sentence_file
from helpers.core.edition_manifest import NATIONAL

SENTENCES = sentence_file("boek")

TABLE_ID = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
TINY = 1e-4  # below this a float is written in full precision (pandas writes it in scientific notation)

#: CSS class of the note under every figure (the tests find figure ids by it).
FIGURE_NOTE_CLASS = "mb-figuur-id"
#: Resolution of a figure saved as a file: sharper than the pictures embedded in the pages.
EXPORT_DPI = 200


class FigureExportError(ValueError):
    """The figure asked for cannot be saved (e.g. no such view); the message is for the reader (Dutch)."""


@dataclass(frozen=True)
class FigureExport:
    table_id: str
    folder: Path
    view: str | None = None  # a switcher's view label; None: the view shown first


_wanted: FigureExport | None = None  # set by `export_figure`

#: Called as `figure_hook(table_id, view_label, figure)` for every figure a chapter shows, before it is encoded
#: and closed (a `Drawing` is drawn for it): the tests measure the book's figures as drawn (tests/figure_layout.py).
#: None in the book: no figure is drawn for it.
figure_hook = None


def _inspect(table_id: str, views: dict) -> None:
    """Hand every figure among `views` ({label: view}) to `figure_hook`, if one is set."""
    if figure_hook is None:
        return
    for label, view in views.items():
        figure = _as_figure(view)
        if figure is not None:
            figure_hook(table_id, label, figure)
            if _is_drawing(view):  # drawn for the hook only
                plt.close(figure)


def export_figure(table_id: str, folder: str | Path, view: str | None = None) -> None:
    """Also save figure `table_id` (for a switcher: the view labelled `view`) as PNG and SVG in `folder`."""
    global _wanted
    _wanted = FigureExport(table_id, Path(folder), view)


def figure_command(table_id: str, edition: str = NATIONAL, shipped_data: bool = True) -> str:
    """The command that writes this figure as files (PNG, SVG and its CSV)."""
    command = f"monitorbook figuur {table_id}"
    if edition != NATIONAL:
        command += f" --editie {edition}"
    if not shipped_data:
        command += " --data <respondentenbestand> --institutions <instellingenbestand>"
    return command


@functools.lru_cache(maxsize=1)
def _figure_chapters() -> dict[str, str]:
    """{figure id: chapter notebook} of `figuren.yml`."""
    import yaml

    from helpers.data.codebook import PROJECT_ROOT

    path = PROJECT_ROOT / "figuren.yml"
    declared = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    return {str(figure): str(chapter) for chapter, ids in (declared or {}).items() for figure in ids or []}


def figure_chapters() -> dict[str, str]:
    """{figure id: the chapter notebook that shows it}, as `figuren.yml` declares them."""
    return dict(_figure_chapters())


CHAPTER_NUMBER = re.compile(r"^([a-z])(\d+(?:_\d+)*)_")


def chapter_number(chapter: str) -> str | None:
    """'A6' for notebooks/katern_a/a6_lesgeven_met, 'C2.1' for .../c2_1_themas; None for a page without a number."""
    match = CHAPTER_NUMBER.match(Path(chapter).name)
    return f"{match[1].upper()}{match[2].replace('_', '.')}" if match else None


@functools.lru_cache(maxsize=None)
def chapter_title(chapter: str, root: Path | None = None) -> str:
    """'A12 Alle schalen in één overzicht': the chapter's number and the heading of its notebook."""
    import json

    from helpers.data.codebook import PROJECT_ROOT

    notebook = json.loads(((root or PROJECT_ROOT) / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    heading = next((line[2:].strip() for cell in notebook["cells"] if cell["cell_type"] == "markdown"
                    for line in "".join(cell["source"]).splitlines() if line.startswith("# ")), Path(chapter).name)
    number = chapter_number(chapter)
    return f"{number} {heading}" if number else heading


def _is_drawing(view) -> bool:
    from helpers.book.figures import Drawing

    return isinstance(view, Drawing)


def _as_figure(view):
    """The matplotlib figure of a view: a figure, a (figure, alt text) pair or a `Drawing` (drawn now); else None."""
    from matplotlib.figure import Figure

    if _is_drawing(view):
        return view.figure()
    if isinstance(view, tuple) and view and isinstance(view[0], Figure):
        return view[0]
    return view if isinstance(view, Figure) else None


def _is_figure_view(view) -> bool:
    """Whether a view is a figure, without drawing a `Drawing` to find out."""
    return _is_drawing(view) or _as_figure(view) is not None


def _save_figure(figure, folder: Path, table_id: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    figure.savefig(folder / f"{table_id}.png", format="png", dpi=EXPORT_DPI, metadata={"Software": None})
    # A fixed salt and no date: the same figure gives the same SVG bytes.
    with plt.rc_context({"svg.hashsalt": table_id}):
        figure.savefig(folder / f"{table_id}.svg", format="svg", metadata={"Date": None})


class Publisher:
    """Shows figures and tables in a notebook and writes their CSVs."""

    def __init__(self, tables_dir: str | Path | None, edition: str = NATIONAL, shipped_data: bool = True,
                 wave: int | None = None):
        self.tables_dir = Path(tables_dir) if tables_dir else None
        self.written: list[str] = []
        self.edition = edition
        self.shipped_data = shipped_data
        #: The wave a figure shows when its own rows name none (the chapter's reported wave, from the data).
        self.wave = wave
        self.figures = 0  # figures numbered so far in this chapter
        #: (breakdown, group, reason) of every row withheld in the tables this chapter wrote (`withheld_note`).
        self.withheld: list[tuple[str, str, str]] = []

    def _number(self, table_id: str) -> str | None:
        """The next figure's number in this chapter ('A6.2'), or None if its chapter has no number."""
        code = chapter_number(_figure_chapters().get(table_id, ""))
        if code is None:
            return None
        self.figures += 1
        return f"{code}.{self.figures}"

    def _numbered(self, view, number: str | None):
        """The view under its number and what it shows (see the module's docstring); other views as they are."""
        from helpers.book.figures import numbered

        waves = [int(self.wave)] if self.wave is not None else []
        if _is_drawing(view):
            return dataclasses.replace(view, number=number, waves=tuple(waves))
        figure = _as_figure(view)
        if figure is not None:
            numbered(figure, number, waves)
        return view

    def _numbered_views(self, table_id: str, views: dict) -> dict:
        if not any(_is_figure_view(view) for view in views.values()):
            return views
        number = self._number(table_id)
        return {label: self._numbered(view, number) for label, view in views.items()}

    def _figure_note(self, table_id: str) -> HTML:
        """A folded note under a figure: its id and the command that makes it as files (on the web only)."""
        command = html.escape(figure_command(table_id, self.edition, self.shipped_data))
        return HTML(f'<details class="{FIGURE_NOTE_CLASS} {WEB_ONLY_CLASS}" style="font-size:80%">'
                    f"<summary>Figuur-id: <code>{html.escape(table_id)}</code></summary>"
                    f"Zelf maken: <code>{command}</code></details>")

    @staticmethod
    def _export(table_id: str, views: dict) -> None:
        """Save the figure asked for with `export_figure`, if it is this one (before it is closed)."""
        wanted = _wanted
        if wanted is None or wanted.table_id != table_id:
            return
        labels = [label for label in views if label is not None]
        label = wanted.view if wanted.view is not None else next(iter(views))
        if label not in views:
            if not labels:
                raise FigureExportError(f"Figuur '{table_id}' heeft geen weergaven om uit te kiezen; "
                                        "laat --weergave weg.")
            raise FigureExportError(f"Figuur '{table_id}' heeft geen weergave '{label}'. Kies uit: "
                                    + "; ".join(f"'{name}'" for name in labels))
        figure = _as_figure(views[label])
        if figure is None:
            raise FigureExportError(f"Weergave '{label}' van '{table_id}' is geen figuur.")
        _save_figure(figure, wanted.folder, table_id)
        if _is_drawing(views[label]):  # drawn for the export only
            plt.close(figure)

    def _write_table(self, table_id: str, table: pd.DataFrame) -> None:
        if not TABLE_ID.match(table_id):
            raise ValueError(f"Tabel-id '{table_id}' mag alleen kleine letters, cijfers, - en _ bevatten")
        if table_id in self.written:
            raise ValueError(f"Tabel-id '{table_id}' is in dit hoofdstuk al gebruikt")
        self.written.append(table_id)
        from helpers.book.disclosure import withheld_groups

        self.withheld += [found for found in withheld_groups(table) if found not in self.withheld]
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
        views = self._numbered_views(table_id, views)
        self._export(table_id, views)
        _inspect(table_id, views)
        figures = any(_is_figure_view(view) for view in views.values())
        display(switcher(views, description))
        if figures:  # a selector of tables is no figure
            display(self._figure_note(table_id))

    def views(self, table_id: str, table: pd.DataFrame, views: dict[str, object], description: str) -> None:
        """Figures of `table` as the reader best gets them: a selector for several, one image, or (none) the table only.

        A view is a figure (its own alt text, see `helpers.book.figures`), a `Drawing` of one, or a (figure, alt text)
        pair.
        """
        if len(views) > 1:
            self.switch(table_id, table, views, description)
        elif views:
            (label, view), = views.items()
            figure, alt = view if isinstance(view, tuple) else (view, None)
            self.figure(table_id, table, figure, alt, label=label)
        else:
            self.record(table_id, table)

    def figure(self, table_id: str, table: pd.DataFrame, figure, alt: str | None = None,
               label: str | None = None) -> None:
        """Show one figure (an image with its Dutch alt text, no selector) and write its table.

        Without `alt`, the figure's own alt text (what it shows and its numbers, see `helpers.book.figures`).
        `label`: the figure's view label, when it is the only view of a would-be selector.
        `figure` may be a `helpers.book.figures.Drawing`.
        """
        from .widgets import default_alt, figure_image, image_tag

        self._write_table(table_id, table)
        figure = self._numbered_views(table_id, {label: figure})[label]
        self._export(table_id, {label: figure})
        _inspect(table_id, {label: figure})
        if _is_drawing(figure):
            image, own_alt = figure.book_image()
        else:
            image, own_alt = figure_image(figure), default_alt(figure)
            plt.close(figure)
        display(HTML(image_tag(image, alt or own_alt)))
        display(self._figure_note(table_id))

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
        from helpers.book.html import reader_table

        display(HTML(reader_table(shown if shown is not None else table)))

    def withheld_note(self, anonymous: tuple[str, str] | None = None) -> str:
        """Which groups this page leaves out and why (Markdown; '' when it leaves out none).

        Read from the tables the chapter wrote, so every page says it alike: one line per reason, and under
        each the groups per breakdown, so that a reader sees at a glance why groups are missing. With
        `anonymous` (singular and plural, e.g. ('team', 'teams')) the groups are counted instead of named: a
        team's name is not shown once withheld.
        """
        from helpers.book.disclosure import REASON_TEXT
        from helpers.book.escaping import markdown_text
        from helpers.data.derive import label

        if not self.withheld:
            return ""
        by_reason: dict[str, dict[str, list[str]]] = {}  # reason -> breakdown -> groups, in the order met
        for view, group, reason in self.withheld:
            groups = by_reason.setdefault(reason, {}).setdefault(view, [])
            if group not in groups:
                groups.append(group)
        lines = []
        for reason, views in by_reason.items():
            if anonymous:
                count = len({group for groups in views.values() for group in groups})
                lines.append(SENTENCES.say("weggelaten_aantal", reden=REASON_TEXT.get(reason, reason), aantal=count,
                                           enkelvoud=anonymous[0], meervoud=anonymous[1]))
                continue
            parts = []
            for view, groups in views.items():
                try:
                    breakdown = label(view) if view else ""
                except KeyError:
                    breakdown = ""
                parts.append(SENTENCES.say("weggelaten_groepen", uitsplitsing=markdown_text(breakdown),
                                           groepen=[markdown_text(group) for group in groups]))
            lines.append(SENTENCES.say("weggelaten_reden", reden=REASON_TEXT.get(reason, reason), groepen=parts))
        return SENTENCES.say("weggelaten", redenen=lines)

    @staticmethod
    def text(markdown: str) -> None:
        """Prose whose numbers were computed in the cell that produces it.

        A value from data inside it must already be escaped with `escaping.markdown_text`.
        Empty prose (a paragraph that has nothing to say in this edition) shows nothing: an empty
        Markdown output would be rendered by its plain-text fallback, the object's repr.
        """
        if markdown.strip():
            display(Markdown(markdown))
