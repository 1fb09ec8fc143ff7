"""Measuring a drawn figure: texts over texts or legend swatches, legends over the plot, groups that look alike.

`layout_problems(fig)` draws the figure once with matplotlib's Agg renderer,
records every text the renderer actually draws (a tick label outside the view
is never drawn, so it is never measured), and measures with
`get_window_extent`:

- two drawn texts whose boxes overlap;
- a legend swatch (the drawing area of a legend handle) over a drawn text;
- a legend over an axes (the plot), or a legend, a text or an axes partly
  outside the figure (cut off);
- a legend that is not above the plot, where the eye starts;
- two legend entries of one legend that look the same: the same colour with
  the same marker (and hatch, line style).

`chapter_figures(edition, data_dir, ...)` runs every chapter notebook of an
edition in this process, as the build runs them (its code cells, the
parameters cell replaced), and yields every figure the chapters show, through
`helpers.book.publish.figure_hook`.
"""
from __future__ import annotations

import contextlib
import json
import re
from xml.etree import ElementTree
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.legend import Legend  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.collections import Collection  # noqa: E402
from matplotlib.offsetbox import DrawingArea, TextArea  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from helpers.book.widgets import figure_image as _BOOK_IMAGE  # noqa: E402

#: Pixels two boxes may share before they count as overlapping (anti-aliasing, a text's empty descent).
TOLERANCE = 1.0


def _overlap(a, b, tolerance: float = TOLERANCE) -> bool:
    width = min(a.x1, b.x1) - max(a.x0, b.x0)
    height = min(a.y1, b.y1) - max(a.y0, b.y0)
    return width > tolerance and height > tolerance


def _inside(inner, outer, tolerance: float = TOLERANCE) -> bool:
    return (inner.x0 >= outer.x0 - tolerance and inner.y0 >= outer.y0 - tolerance
            and inner.x1 <= outer.x1 + tolerance and inner.y1 <= outer.y1 + tolerance)


def _drawn_texts(fig) -> tuple[list[Text], object]:
    """(every text artist the renderer drew, with a non-blank string; the renderer).

    A text of several lines reaches the renderer line by line, without naming
    itself: the text being drawn is followed through `Text.draw`.
    """
    renderer = fig.canvas.get_renderer()
    drawn: dict[int, Text] = {}
    current: list[Text] = []
    original_text_draw, original_draw_text = Text.draw, renderer.draw_text

    def text_draw(self, *args, **kwargs):
        current.append(self)
        try:
            return original_text_draw(self, *args, **kwargs)
        finally:
            current.pop()

    def draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        text = mtext if mtext is not None else (current[-1] if current else None)
        if text is not None and str(s).strip():
            drawn.setdefault(id(text), text)
        return original_draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    Text.draw, renderer.draw_text = text_draw, draw_text
    try:
        fig.draw(renderer)
    finally:
        Text.draw = original_text_draw
        del renderer.draw_text
    return list(drawn.values()), renderer


def _legends(fig) -> list[Legend]:
    legends = list(fig.legends)
    legends += [ax.get_legend() for ax in fig.get_axes() if ax.get_legend() is not None]
    return [legend for legend in legends if legend.get_visible()]


def _entries(legend: Legend) -> list[tuple[DrawingArea, Text]]:
    """(swatch, label) of every legend entry: the drawing area of its handle and its text."""
    box = getattr(legend, "_legend_handle_box", None)
    if box is None:
        return []
    out = []
    for column in box.get_children():
        for item in column.get_children():
            parts = item.get_children()
            swatch = next((p for p in parts if isinstance(p, DrawingArea)), None)
            label = next((p for p in parts if isinstance(p, TextArea)), None)
            if swatch is not None and label is not None:
                out.append((swatch, label._text))
    return out


def _colour(value) -> tuple:
    try:
        rgba = matplotlib.colors.to_rgba(value)
    except (ValueError, TypeError):
        return ("?",)
    return tuple(round(c, 2) for c in rgba[:3]) if rgba[3] > 0 else ("none",)


def _look(swatch: DrawingArea) -> tuple:
    """What tells a legend entry apart from another: the colours, markers, hatches and line styles drawn in it."""
    look = []
    for artist in swatch.get_children():
        if not artist.get_visible():
            continue
        if isinstance(artist, Line2D):
            marker = artist.get_marker()
            marker = "" if marker in (None, "None", "none", "", " ") else str(marker)
            if marker:
                look.append(("marker", marker, _colour(artist.get_markerfacecolor())))
            if artist.get_linestyle() not in ("None", "none", " ", ""):
                look.append(("line", _colour(artist.get_color()), artist.get_linestyle()))
        elif isinstance(artist, Patch):
            if artist.get_fill() and artist.get_facecolor()[3] > 0:
                look.append(("fill", _colour(artist.get_facecolor()), artist.get_hatch() or ""))
            else:  # an outline or the lines of a hatch: their colour and their shape
                look.append(("outline", _colour(artist.get_edgecolor()), str(artist.get_linestyle()),
                             artist.get_path().vertices.shape[0]))
        elif isinstance(artist, Collection):
            colours = artist.get_edgecolor() if len(artist.get_edgecolor()) else artist.get_facecolor()
            look.append(("lines", tuple(_colour(c) for c in np.atleast_2d(colours)[:1])))
    return tuple(sorted(look, key=repr))


def _name(text: Text) -> str:
    return " ".join(text.get_text().split())[:40]


def layout_problems(fig) -> list[str]:
    """What a reader cannot read in `fig`, in words; [] when nothing overlaps, nothing is cut off, no groups alike."""
    texts, renderer = _drawn_texts(fig)
    page = fig.bbox
    problems = []
    boxes = [(t, t.get_window_extent(renderer)) for t in texts]
    for i, (a, box_a) in enumerate(boxes):
        if not _inside(box_a, page):
            problems.append(f"tekst buiten de figuur: '{_name(a)}'")
        for b, box_b in boxes[i + 1:]:
            if _overlap(box_a, box_b):
                problems.append(f"tekst over tekst: '{_name(a)}' / '{_name(b)}'")
    axes = [ax for ax in fig.get_axes() if ax.get_visible() and ax.axison]
    for ax in axes:
        if not _inside(ax.get_window_extent(renderer), page):
            problems.append("een assenstelsel valt buiten de figuur")
    for legend in _legends(fig):
        legend_box = legend.get_window_extent(renderer)
        if not _inside(legend_box, page):
            problems.append("legenda valt (deels) buiten de figuur")
        for ax in axes:
            plot = ax.get_window_extent(renderer)
            if _overlap(legend_box, plot):
                problems.append("legenda over de grafiek")
        plots = [ax.get_window_extent(renderer) for ax in axes if ax.get_label() != "<colorbar>"]
        if plots and legend_box.y0 < max(p.y1 for p in plots) - TOLERANCE:
            problems.append("legenda staat niet boven de grafiek")
        looks: dict[tuple, str] = {}
        for swatch, label in _entries(legend):
            swatch_box = swatch.get_window_extent(renderer)
            for text, box in boxes:
                if _overlap(swatch_box, box):
                    problems.append(f"legendasymbool over tekst: '{_name(text)}'")
            look = _look(swatch)
            if look in looks:
                problems.append(f"twee groepen zien er hetzelfde uit: '{looks[look]}' en '{_name(label)}'")
            looks.setdefault(look, _name(label))
    return problems


# -- the legend as the book shows it ----------------------------------------------------------------
_SVG = "{http://www.w3.org/2000/svg}"
_TRANSFORM = re.compile(r"(matrix|translate|scale)\(([^)]*)\)")


def _svg_transform(text: str | None) -> np.ndarray:
    """The 3 x 3 matrix of an SVG `transform` attribute (matrix, translate and scale only)."""
    matrix = np.eye(3)
    for name, args in _TRANSFORM.findall(text or ""):
        values = [float(v) for v in re.split(r"[ ,]+", args.strip()) if v]
        if name == "translate":
            step = np.array([[1, 0, values[0]], [0, 1, values[1] if len(values) > 1 else 0], [0, 0, 1]])
        elif name == "scale":
            step = np.diag([values[0], values[1] if len(values) > 1 else values[0], 1])
        else:
            a, b, c, d, e, f = values
            step = np.array([[a, c, e], [b, d, f], [0, 0, 1]])
        matrix = matrix @ step
    return matrix


def book_legend_problems(fig) -> list[str]:
    """Legend swatches drawn as pixels in the book's SVG (`widgets.figure_image`) that cover a legend label.

    The book shows a figure as SVG with its hatched patches as pixels; a
    swatch drawn as pixels lands where the SVG puts it, which need not be where
    matplotlib measured it. Measured here in the SVG itself (points, y down):
    each picture in a legend against each label's box (its position in the
    SVG, its size measured in its font).
    """
    image = _BOOK_IMAGE(fig)  # the book's own encoding, even while `chapter_figures` stubs it out
    if not image.lstrip().startswith(b"<?xml"):
        return []
    root = ElementTree.fromstring(image)
    renderer = fig.canvas.get_renderer()
    to_points = 72.0 / fig.dpi
    problems = []
    for group in root.iter(f"{_SVG}g"):
        if not group.get("id", "").startswith("legend_"):
            continue
        pictures, labels = [], []
        for element in group.iter():
            if element.tag == f"{_SVG}image":
                x, y = float(element.get("x", 0)), float(element.get("y", 0))
                w, h = float(element.get("width", 0)), float(element.get("height", 0))
                corners = _svg_transform(element.get("transform")) @ np.array(
                    [[x, x + w, x, x + w], [y, y, y + h, y + h], [1, 1, 1, 1]])
                pictures.append(Bbox.from_extents(corners[0].min(), corners[1].min(),
                                                  corners[0].max(), corners[1].max()))
            elif element.tag == f"{_SVG}text" and (element.text or "").strip():
                style = dict(part.split(":", 1) for part in element.get("style", "").split(";") if ":" in part)
                size = float(style.get(" font-size", style.get("font-size", "10px")).strip().rstrip("px"))
                props = matplotlib.font_manager.FontProperties(size=size)
                width = renderer.get_text_width_height_descent(element.text, props, ismath=False)[0] * to_points
                x, y = float(element.get("x", 0)), float(element.get("y", 0))
                labels.append((element.text, Bbox.from_extents(x, y - 0.75 * size, x + width, y + 0.2 * size)))
        for picture in pictures:
            for text, box in labels:
                if _overlap(picture, box, 0.5):
                    problems.append(f"legendasymbool over tekst in het boek: '{' '.join(text.split())[:40]}'")
    return problems


# -- every figure of an edition, drawn in this process ------------------------------------------
def _code_cells(notebook: Path) -> list[tuple[list[str], str]]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    out = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        out.append((cell.get("metadata", {}).get("tags", []), source))
    return out


def chapter_figures(edition: str, data_dir: Path, tables_dir: Path, visit, chapters: list[str] | None = None,
                    root: Path | None = None) -> int:
    """Call `visit(chapter, figure id, view label, figure)` for every figure the chapters of `edition` show.

    In reading order, while the figure is drawn and open (the chapter closes
    it after). Every chapter runs in this process with the build's parameters
    (no cache). Returns the number of figures visited.
    """
    from helpers.book import publish
    from helpers.data.codebook import PROJECT_ROOT
    from helpers.core.edition_manifest import chapters_for

    root = root or PROJECT_ROOT
    chapters = chapters if chapters is not None else chapters_for(edition, root)
    parameters = {"edition": edition, "data_dir": str(data_dir), "tables_dir": str(tables_dir), "min_n": None,
                  "cache_dir": None}
    count = 0
    chapter = None

    def hook(table_id, label, figure):
        nonlocal count
        count += 1
        visit(chapter, table_id, label, figure)

    previous = publish.figure_hook
    publish.figure_hook = hook
    try:
        with _quiet_display(publish):
            for chapter in chapters:
                namespace = {"__name__": "__chapter__"}
                for tags, source in _code_cells(root / f"{chapter}.ipynb"):
                    if "parameters" in tags:
                        namespace.update(parameters)
                        continue
                    exec(compile(source, f"{chapter}.ipynb", "exec"), namespace)  # noqa: S102
                plt.close("all")
    finally:
        publish.figure_hook = previous
    return count


@contextlib.contextmanager
def _quiet_display(publish):
    """The chapters' `display` does nothing: only the figures are wanted, not their encoding into the page."""
    from helpers.book import widgets

    saved = publish.display, widgets.switcher, widgets.figure_image, widgets.image_tag
    publish.display = lambda *args, **kwargs: None
    widgets.switcher = lambda views, *args, **kwargs: [plt.close(v) for v in views.values()
                                                       if isinstance(v, matplotlib.figure.Figure)]
    widgets.figure_image = lambda fig, *args, **kwargs: b""
    widgets.image_tag = lambda *args, **kwargs: ""
    try:
        yield
    finally:
        publish.display, widgets.switcher, widgets.figure_image, widgets.image_tag = saved
