"""Figures: one seaborn style, a colour-blind-safe palette, Dutch labels and numbers.

Functions here draw and return a matplotlib Figure; they never save or show
it (that is `publish`'s job), so the same figure can go into a widget view.

A figure that many editions show alike (a national figure beside each
institution's own) can be asked for as `drawn(function, ...)`: a `Drawing`,
whose image is drawn once per content for every edition of a build.

Every figure is readable without its colours and without seeing it:

- groups differ by more than colour: a marker shape per group for dots, a
  hatch pattern per group or part for bars, printed values on bars and heatmap
  cells; marks have a dark edge (contrast with the white background) and
  printed values are black or white, whichever contrasts more with their fill;
- each figure carries its Dutch alt text (`widgets.ALT_TEXT_ATTRIBUTE`): what
  it shows (its kind, title and measure) and its numbers as drawn -- every
  value when there are few, else per group the highest and lowest. It is
  made from the very data the figure plots, so a withheld group is in neither.
  `widgets.default_alt` uses it.

Every figure has one layout, whatever its data (tests/test_figure_layout.py
measures every figure of two editions):

- from the top down: the title (wrapped to the figure's width), the legend,
  the plot. The legend reads row by row in the order of the groups, as many
  columns as fit; it never overlaps the plot or a label. A figure is as tall
  as its rows need, so a reader sees the legend with the first rows;
- each of up to nine groups (the opleidingsdomeinen) has its own colour,
  marker and hatch (`group_style`); beyond nine, its own pair of colour and
  marker;
- a legend swatch's hatch is drawn as lines (`_HatchedSwatch`): the book's
  SVG draws hatched patches as pixels, and a swatch drawn as pixels lands
  elsewhere than measured;
- texts are measured in the font the reader's browser sets them in (`FONTS`);
- a small group's bounded share ("< 5%", `disclosure.bound_shares`) is drawn
  as a bound: an open, dashed bar where its true value may lie;
- a heatmap has a colour key, cell values of at least `VALUE_FONT_SIZE`
  points, column labels that never overlap and its rows under their group;
- `numbered` titles a figure "Figuur A6.2 — <title>" over "(n = 6.133,
  meting <jaar>)": the Publisher gives the number, n and the waves come from
  the figure's own rows (`figure_facts`).
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display in papermill kernels or CI

from dataclasses import dataclass  # noqa: E402

import matplotlib.hatch  # noqa: E402
import matplotlib.lines  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402
import matplotlib.transforms  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.legend import Legend  # noqa: E402
from matplotlib.legend_handler import HandlerPatch  # noqa: E402
from matplotlib.patches import Patch, PathPatch, Rectangle  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from helpers.core import dutch  # noqa: E402
from helpers.book.disclosure import ABOVE, BELOW, SHARE_CEILING, SHARE_FLOOR, bound_of, share_text  # noqa: E402
from helpers.book.widgets import ALT_TEXT_ATTRIBUTE, default_alt, figure_image  # noqa: E402
from helpers.data.codebook import load_codebook  # noqa: E402
from helpers.core.memo import shared  # noqa: E402

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency; their grey as a ninth colour,
# so the nine opleidingsdomeinen each have their own.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000", "#999999"]
FIGURE_WIDTH = 8.0  # inches; at DPI below a figure stays well under 100 kB
DPI = 96
#: Per group (in palette order) a marker shape and a hatch pattern: groups differ by more than colour.
#: Hatches of lines only: a dotted hatch is thousands of tiny circles in an SVG, slow to print.
MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*", "h"]
HATCHES = ["", "///", "\\\\\\", "xxx", "---", "|||", "+++", "/-", "\\|"]
#: Edge of every bar and dot: dark, so each mark stands out from the white background (WCAG 1.4.11).
EDGE_COLOUR = "#333333"
#: An alt text lists every value up to this many; beyond that, per group its highest and lowest.
MAX_LISTED_VALUES = 24
#: Fonts, first choice first. Texts of the book's figures are SVG text, set by the reader's browser: measured here
#: in the font the browser sets them in (Liberation Sans has Arial's widths), so nothing measured grows there.
FONTS = ["Liberation Sans", "Arial", "Helvetica", "DejaVu Sans", "Bitstream Vera Sans", "sans-serif"]
LEGEND_FONT_SIZE = 9
LEGEND_MAX_COLUMNS = 5
LEGEND_COLUMN_SPACING = 1.6  # in font sizes
LEGEND_TEXT_PAD = 0.6  # between a swatch and its label, in font sizes
LEGEND_WRAP = 44  # characters of a legend label per line
#: Printed values on bars and in heatmap cells: never smaller than this (points).
VALUE_FONT_SIZE = 8
#: How a bounded share (a small group's "< 5%" or "> 95%", `helpers.book.disclosure.bound_shares`) is drawn: an open
#: bar with a dashed edge where the true value may lie, named in the legend.
BOUND_LABEL = "Open deel: begrensd aandeel (< 5% of > 95%)"


def apply_style() -> None:
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=PALETTE,
        rc={
            "axes.formatter.use_locale": False,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "font.family": "sans-serif",
            "font.sans-serif": FONTS,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            "figure.titleweight": "bold",
            "figure.titlesize": 12,
            "axes.labelsize": 10,
            "svg.hashsalt": "monitorbook",  # deterministic output
            # Labels hold names typed by people: "$" is a dollar sign, never the start of mathtext.
            "text.parse_math": False,
        },
    )


_percent_axis = FuncFormatter(lambda value, _pos: dutch.percent(value))


def _wrap(text: str, width: int = 38) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _plain_title(title: str) -> str:
    return " ".join(str(title).split())


def group_style(j: int) -> tuple[str, str, str]:
    """(colour, marker, hatch) of the `j`-th group: each of up to 81 groups has its own colour and marker pair."""
    colours = len(PALETTE)
    return PALETTE[j % colours], MARKERS[(j + j // colours) % len(MARKERS)], HATCHES[(j + j // colours) % len(HATCHES)]


def _luminance(colour) -> float:
    """Relative luminance (WCAG 2.1) of a matplotlib colour."""
    channels = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                for c in matplotlib.colors.to_rgb(colour)]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast_ratio(a, b) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(fill) -> str:
    """Black or white, whichever contrasts more with `fill` (a value printed on a coloured cell)."""
    return "black" if contrast_ratio(fill, "black") >= contrast_ratio(fill, "white") else "white"


def line_colour(colour, minimum: float = 3.0) -> tuple:
    """`colour` darkened until it has `minimum` contrast with white: an interval line in a group's hue."""
    rgb = np.array(matplotlib.colors.to_rgb(colour))
    for step in np.linspace(0, 1, 21):
        darker = tuple(rgb * (1 - step))
        if contrast_ratio(darker, "white") >= minimum:
            return darker
    return (0.0, 0.0, 0.0)


def _shown_list(entries: list[tuple[str, str | None, float, str]]) -> str:
    """The numbers of a figure in words: every value when few, else per group (or overall) the highest and lowest.

    `entries`: (category, group or None, value, value as shown), in drawing order; missing values left out.
    """
    entries = [e for e in entries if e[2] == e[2]]
    if not entries:
        return "Geen gegevens te tonen."
    groups = list(dict.fromkeys(e[1] for e in entries))
    grouped = groups != [None]
    if len(entries) <= MAX_LISTED_VALUES:
        if not grouped:
            return "; ".join(f"{c}: {s}" for c, _g, _v, s in entries) + "."
        by_category: dict[str, list[str]] = {}
        for c, g, _v, s in entries:
            by_category.setdefault(c, []).append(f"{g} {s}")
        return "; ".join(f"{c}: {', '.join(parts)}" for c, parts in by_category.items()) + "."
    if not grouped:
        ranked = sorted(entries, key=lambda e: e[2], reverse=True)
        top, bottom = ranked[:3], ranked[-3:]
        return (f"{dutch.integer(len(entries))} waarden. Hoogst: " + ", ".join(f"{c} ({s})" for c, _g, _v, s in top)
                + "; laagst: " + ", ".join(f"{c} ({s})" for c, _g, _v, s in reversed(bottom)) + ".")
    parts = []
    for group in groups:
        rows = [e for e in entries if e[1] == group]
        high, low = max(rows, key=lambda e: e[2]), min(rows, key=lambda e: e[2])
        parts.append(f"{group}: hoogst {high[0]} ({high[3]}), laagst {low[0]} ({low[3]})")
    return f"{dutch.integer(len(entries))} waarden; per groep de hoogste en laagste. " + "; ".join(parts) + "."


def describe(fig: plt.Figure, kind: str, title: str, measure: str,
             entries: list[tuple[str, str | None, float, str]], note: str | None = None) -> None:
    """Attach the figure's Dutch alt text: its kind, title and measure, then its numbers (see `_shown_list`)."""
    text = f"{kind} ‘{_plain_title(title)}’: {dutch.lower_first(measure)}. {_shown_list(entries)}"
    if note:
        text += f" {note}"
    setattr(fig, ALT_TEXT_ATTRIBUTE, text)


# -- rows of categories, a mark per group -------------------------------------------------------
#: Inches per bar of a group (printed values need the height of their text), per dot, and between categories.
BAR_ROW = 0.17
DOT_ROW = 0.15
CATEGORY_GAP = 0.2


def _grouped_canvas(table: pd.DataFrame, category: str, hue: str | None, hue_order: list[str] | None,
                    category_order: list[str] | None, row: float):
    """(figure, axes, categories, groups, share of a category's band the marks fill): a row per category.

    A category's band is as high as its marks need (`row` inches each) and a
    gap, and at least two lines of its label; a figure is as tall as its bands.
    """
    apply_style()
    order = category_order or list(dict.fromkeys(table[category]))
    levels = (hue_order or list(dict.fromkeys(table[hue]))) if hue else [None]
    band = max(0.4, row * len(levels) + CATEGORY_GAP)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, band * len(order) + 1.0))
    return fig, ax, order, levels, min(0.8, row * len(levels) / band)


def _category_axis(ax: plt.Axes, order: list, grouped: bool) -> None:
    """Category labels top to bottom; with several groups a thin line between categories, so each reads as one."""
    ax.set_yticks(range(len(order)), [_wrap(str(o)) for o in order])
    ax.set_ylim(len(order) - 0.5, -0.5)  # first category on top
    ax.yaxis.grid(False)
    if grouped and len(order) > 1:
        ax.hlines(np.arange(len(order) - 1) + 0.5, 0, 1, transform=ax.get_yaxis_transform(), colors="#dddddd",
                  linewidth=0.8, zorder=0)


def _open_bar(ax: plt.Axes, y, left, width, height, colour, hatch: str | None = None):
    """The open part of a bounded share: white, with a dashed edge in the group's colour (darkened)."""
    return ax.barh(y, width, left=left, height=height, color="white", edgecolor=line_colour(colour, 4.5),
                   linewidth=1.1, linestyle=(0, (2.5, 1.5)), hatch=hatch)


def _bound_handle() -> Patch:
    return Patch(facecolor="white", edgecolor=EDGE_COLOUR, linewidth=1.1, linestyle=(0, (2.5, 1.5)))


def horizontal_bars(
    table: pd.DataFrame,
    category: str,
    value: str,
    title: str,
    hue: str | None = None,
    hue_order: list[str] | None = None,
    category_order: list[str] | None = None,
    annotate: bool = True,
) -> plt.Figure:
    """Horizontal bar chart of shares (0-1) per category, optionally split by `hue`.

    A small group's bounded share (`helpers.book.disclosure.bound_shares`) is
    drawn as a bound: "< 5%" an open bar up to 5%, "> 95%" a bar to 95% with
    an open end to 100%, labelled as in its table; the legend says so.
    """
    fig, ax, order, levels, fill = _grouped_canvas(table, category, hue, hue_order, category_order,
                                                   BAR_ROW if annotate else BAR_ROW * 0.8)
    data = table.assign(**{value: table[value].astype(float)})
    keys = [(row[category], row[hue] if hue else None) for _, row in data.iterrows()]
    values = dict(zip(keys, data[value]))
    # A small group's bounded share reads "< 5%" / "> 95%", as in its table (helpers.book.disclosure).
    texts = dict(zip(keys, (share_text(row, value) for _, row in data.iterrows())))
    bounds = dict(zip(keys, (bound_of(row, value) for _, row in data.iterrows())))
    # Plain matplotlib bars in the seaborn theme, grouped as sns.barplot(hue=...) does, at a fraction of its cost.
    bar_height = fill / len(levels)
    top, bounded = 0.0, False
    entries = []
    for j, level in enumerate(levels):
        colour, _marker, hatch = group_style(j)
        hatch = hatch if hue else None
        widths = np.array([values.get((c, level), np.nan) for c in order], dtype=float)
        kinds = [bounds.get((c, level), "") for c in order]
        positions = np.arange(len(order)) - fill / 2 + bar_height * (j + 0.5)
        solid = np.where([k == BELOW for k in kinds], 0.0, np.nan_to_num(widths))
        bars = ax.barh(positions, solid, height=bar_height, color=colour, hatch=hatch, edgecolor=EDGE_COLOUR,
                       linewidth=0.6, label=level if hue else None)
        entries.append((bars, str(level)))
        for i, kind in enumerate(kinds):
            if kind == BELOW:
                _open_bar(ax, positions[i], 0.0, SHARE_FLOOR, bar_height, colour, hatch)
            elif kind == ABOVE:
                _open_bar(ax, positions[i], SHARE_CEILING, 1.0 - SHARE_CEILING, bar_height, colour, hatch)
            bounded = bounded or bool(kind)
        ends = np.where([k == ABOVE for k in kinds], 1.0, np.nan_to_num(widths))
        for y, end, c, kind in zip(positions, ends, order, kinds):
            label = texts.get((c, level), "")
            if label and (annotate or kind):  # a bound is always named
                ax.annotate(label, (end, y), xytext=(2, 0), textcoords="offset points", va="center",
                            fontsize=VALUE_FONT_SIZE)
        if np.isfinite(widths).any():
            top = max(top, float(np.nanmax(np.where([k == ABOVE for k in kinds], 1.0, widths))))
    _category_axis(ax, order, hue is not None)
    _share_axis(ax, top or 1.0, annotate or bounded)
    ax.set_xlabel("Percentage docenten")
    setattr(fig, FACTS_ATTRIBUTE, figure_facts(table, title, category, hue, levels if hue else None))
    describe(fig, "Staafdiagram", title, "percentage docenten",
             [(str(c), str(level) if hue else None, values.get((c, level), np.nan), texts.get((c, level), ""))
              for c in order for level in levels])
    if not hue:
        entries = []
    if bounded:
        entries.append((_bound_handle(), BOUND_LABEL))
    return _finish(fig, ax, title, entries)


def _share_axis(ax: plt.Axes, top: float, annotate: bool) -> None:
    """An axis of shares up to a little past the longest bar (room for its printed value), never past 100%."""
    end = top * 1.18 + 0.02 if annotate else top * 1.05 + 0.01
    ax.set_xlim(0, end)
    ticks = matplotlib.ticker.MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(0, min(end, 1.0))
    ax.set_xticks([t for t in ticks if 0 <= t <= min(end, 1.0) + 1e-9])
    ax.xaxis.set_major_formatter(_percent_axis)


def _finish(fig: plt.Figure, ax: plt.Axes, title: str, entries: list[tuple[object, str]] | None = None) -> plt.Figure:
    """Title, then the legend (`entries`: (handle, label) in reading order) above the plot, never over it."""
    ax.set_ylabel("")
    sns.despine(ax=ax, left=True, bottom=True)
    _fit_margins(fig, ax, title, entries or [])
    return fig


EDGE = 6.0  # points of white space around the drawing
GAP = 6.0  # points between title, legend and plot
SUBTITLE_SIZE = 9.5
SUBTITLE_GAP = 2.0  # points between title and subtitle


class _HatchedSwatch(HandlerPatch):
    """A legend swatch whose hatch is drawn as lines, not as a pattern fill.

    A pattern fill is what the book's SVGs draw as pixels (`widgets._rasterize_hatches`), and matplotlib places a
    rasterised legend swatch at the wrong spot in an SVG saved at another resolution than the figure's: it then
    covers its neighbour's label. Lines are drawn where they are measured.
    """

    def create_artists(self, legend, orig_handle, xdescent, ydescent, width, height, fontsize, trans):
        source = orig_handle.patches[0] if isinstance(orig_handle, BarContainer) else orig_handle
        swatch = Rectangle((-xdescent, -ydescent), width, height, facecolor=source.get_facecolor(),
                           edgecolor=source.get_edgecolor(), linewidth=source.get_linewidth(),
                           linestyle=source.get_linestyle(), transform=trans)
        artists = [swatch]
        pattern = source.get_hatch()
        if pattern:
            # The hatch as the bars have it: its unit tile is an inch (72 points), here in the swatch's points.
            lines = matplotlib.hatch.get_path(pattern)
            tile = matplotlib.transforms.Affine2D().scale(72.0).translate(-xdescent, -ydescent)
            hatch = PathPatch(lines.transformed(tile), facecolor="none", edgecolor=source.get_hatchcolor()
                              if hasattr(source, "get_hatchcolor") else EDGE_COLOUR,
                              linewidth=plt.rcParams["hatch.linewidth"], transform=trans)
            hatch.set_clip_path(swatch)
            artists.append(hatch)
        return artists


_SWATCHES = {BarContainer: _HatchedSwatch(), Patch: _HatchedSwatch()}


def _legend(fig: plt.Figure, entries: list[tuple[object, str]], columns: int) -> Legend:
    """A legend of `entries` read row by row, left to right (matplotlib fills a legend column by column)."""
    rows = -(-len(entries) // columns)
    ordered = [entries[r * columns + c] for c in range(columns) for r in range(rows) if r * columns + c < len(entries)]
    return fig.legend([e[0] for e in ordered], [_wrap(e[1], LEGEND_WRAP) for e in ordered], loc="upper left",
                      ncols=columns, frameon=False, fontsize=LEGEND_FONT_SIZE, handler_map=_SWATCHES,
                      columnspacing=LEGEND_COLUMN_SPACING, handletextpad=LEGEND_TEXT_PAD, borderaxespad=0,
                      borderpad=0)


def _legend_width(widths: list[float], columns: int) -> float:
    """Points a legend of entries `widths` wide (handle and text) takes in `columns` columns, read row by row."""
    size = LEGEND_FONT_SIZE
    column_widths = [max(widths[c::columns]) for c in range(columns)]
    return sum(column_widths) + (columns - 1) * LEGEND_COLUMN_SPACING * size


def _fitted_legend(fig: plt.Figure, entries: list[tuple[object, str]], room: float, renderer) -> Legend:
    """The legend of `entries` in as many columns as fit `room` points (then rows as even as can be).

    The columns are reckoned from the measured labels; the legend is built once (and again only if the
    reckoning was short, which the measurement of the built legend would show).
    """
    points = 72.0 / fig.dpi
    props = matplotlib.font_manager.FontProperties(size=LEGEND_FONT_SIZE)
    handle = (plt.rcParams["legend.handlelength"] + LEGEND_TEXT_PAD) * LEGEND_FONT_SIZE
    widths = [handle + max(renderer.get_text_width_height_descent(line, props, ismath=False)[0] * points
                           for line in _wrap(label, LEGEND_WRAP).split("\n")) for _, label in entries]
    columns = min(len(entries), LEGEND_MAX_COLUMNS)
    while columns > 1 and _legend_width(widths, columns) > room:
        columns -= 1
    rows = -(-len(entries) // columns)
    columns = -(-len(entries) // rows)  # 4 entries that fit 3 columns read better as 2 x 2
    legend = _legend(fig, entries, columns)
    while columns > 1 and legend.get_window_extent(renderer).width * points > room:
        legend.remove()
        columns -= 1
        legend = _legend(fig, entries, columns)
    return legend


def _tick_text_width(ax: plt.Axes, value: float, renderer) -> float:
    """Width in pixels of the x tick label of `value` as the axis prints it."""
    text = ax.xaxis.get_major_formatter()(value, 0)
    props = matplotlib.font_manager.FontProperties(size=plt.rcParams["xtick.labelsize"])
    return renderer.get_text_width_height_descent(text, props, ismath=False)[0]


def _heading(fig: plt.Figure, title: str, subtitle: str | None, room: float, renderer) -> tuple[list, float]:
    """The figure's title (bold) and subtitle, each wrapped to `room` points: (their texts, their height in points).

    Placed at the top left by `_place_heading` once the figure's height is known.
    """
    points = 72.0 / fig.dpi
    rc = plt.rcParams
    old = getattr(fig, "_mb_subtitle", None)
    if old is not None:
        old.remove()
        fig._mb_subtitle = None
    texts = []
    for text, size, weight in ((title, rc["figure.titlesize"], rc["figure.titleweight"]),
                               (subtitle, SUBTITLE_SIZE, "normal")):
        if not text:
            continue
        props = matplotlib.font_manager.FontProperties(size=size, weight=weight)
        width = renderer.get_text_width_height_descent(text, props, ismath=False)[0] * points
        if width > room:
            text = _wrap(text, max(20, int(len(text) * room / width * 0.97)))
        if not texts:
            texts.append(fig.suptitle(text, x=0, y=1, ha="left", va="top"))
        else:
            fig._mb_subtitle = fig.text(0, 1, text, ha="left", va="top", fontsize=size, color="#333333")
            texts.append(fig._mb_subtitle)
    heights = [t.get_window_extent(renderer).height * points for t in texts]
    return texts, sum(heights) + SUBTITLE_GAP * (len(texts) - 1)


def _place_heading(fig: plt.Figure, texts: list, renderer) -> None:
    """The title and subtitle from the top left edge down (the figure has its final size)."""
    points = 72.0 / fig.dpi
    width, height = fig.get_size_inches() * 72.0
    y = EDGE
    for text in texts:
        text.set_position((EDGE / width, 1 - y / height))
        y += text.get_window_extent(renderer).height * points + SUBTITLE_GAP


def _relayable(fig: plt.Figure, place) -> None:
    """Remember how to place the figure's heading: `numbered` places a longer one.

    `place(title, subtitle)` lays out what depends on the heading, from the
    figure's size before its first layout (kept here) and what was measured
    once; placing again gives the same figure as placing once.
    """
    if not hasattr(fig, "_mb_base_size"):
        fig._mb_base_size = tuple(fig.get_size_inches())
    fig._mb_layout = place


def _fit_margins(fig: plt.Figure, ax: plt.Axes, title: str, entries: list[tuple[object, str]] | None = None,
                 extra_top: float = 0.0) -> Legend | None:
    """Lay out a one-axes chart: title, legend and plot from the top down, every label just fitting.

    What `tight_layout` gives for these charts, measuring only the texts that
    decide a margin instead of laying out every text of the figure once more.
    The title starts at the figure's left edge and is wrapped to its width;
    the legend (if any) sits under the title, where the eye starts, as wide
    as the figure; the figure grows by their height, so the plot keeps its own.
    `extra_top`: points to keep free between the legend and the plot.
    """
    renderer = fig.canvas.get_renderer()
    points = 72.0 / fig.dpi  # pixels to points
    rc = plt.rcParams
    width = fig.get_size_inches()[0] * 72.0
    label_width = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels()), default=0.0) * points
    left = label_width + rc["ytick.major.size"] + rc["ytick.major.pad"] + EDGE
    # The groups, then on a line of its own what an open bar means.
    groups = [e for e in entries or [] if e[1] != BOUND_LABEL]
    notes = [e for e in entries or [] if e[1] == BOUND_LABEL]
    legends = [_fitted_legend(fig, part, width - 2 * EDGE, renderer) for part in (groups, notes) if part]
    heights = [legend.get_window_extent(renderer).height * points + GAP / 2 for legend in legends]
    legend_height = sum(heights) + GAP / 2 if legends else 0.0
    tick_height = renderer.get_text_width_height_descent(
        "100%", matplotlib.font_manager.FontProperties(size=rc["xtick.labelsize"]), ismath=False)[1] * points
    xlabel_height = ax.xaxis.label.get_window_extent(renderer).height * points if ax.get_xlabel() else 0.0
    bottom = tick_height + rc["xtick.major.size"] + rc["xtick.major.pad"] + xlabel_height + rc["axes.labelpad"] + EDGE
    # Half of the last x tick label may reach past the axes.
    low, high = sorted(ax.get_xlim())
    ticks = [t for t in ax.get_xticks() if low - 1e-9 <= t <= high + 1e-9]
    right = EDGE + (0.5 * _tick_text_width(ax, ticks[-1], renderer) * points if ticks else 0.0)

    def place(heading: str, subtitle: str | None) -> None:
        fig.set_size_inches(fig._mb_base_size)
        texts, title_height = _heading(fig, heading, subtitle, width - 2 * EDGE, renderer)
        above = title_height + GAP + legend_height + extra_top  # the figure grows by what sits above the plot
        fig.set_size_inches(width / 72.0, fig._mb_base_size[1] + above / 72.0)
        height = fig.get_size_inches()[1] * 72.0
        _place_heading(fig, texts, renderer)
        y = EDGE + title_height + GAP
        for legend, legend_height_ in zip(legends, heights):
            legend.set_bbox_to_anchor((EDGE / width, 1 - y / height), transform=fig.transFigure)
            y += legend_height_
        fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=bottom / height,
                            top=1 - (EDGE + above) / height)

    _relayable(fig, place)
    place(title, None)
    return legends[0] if legends else None


# -- what a figure shows: its number, its n and its wave ----------------------------------------------
#: Attribute of a Figure with what its caption says besides its number: title, n and waves, from its own data.
FACTS_ATTRIBUTE = "monitorbook_facts"
#: Values of `groep` that are populations side by side (an institution beside its benchmarks), not parts of one.
COMPARED_GROUPS = ("instelling", "zelfde_type", "landelijk")


def _n_per(rows: pd.DataFrame, by: str, order: list) -> list[tuple[str, int]]:
    largest = rows.groupby(by, sort=False)["_n"].max()
    return [(str(key), int(largest[key])) for key in order if key in largest.index]


def figure_facts(table: pd.DataFrame, title: str, category: str | None = None, hue: str | None = None,
                 hue_order: list | None = None, units: bool = False, same_teachers: bool = False) -> dict:
    """What a figure of `table` shows besides its numbers: its title, its teachers (n) and its waves.

    From the figure's own rows, never typed. n is read from the column `n`
    (teachers per row): the largest n of a figure of one population (each row
    a scale or answer of the same teachers); per group for populations side by
    side (an institution beside its benchmarks, `COMPARED_GROUPS`) and for
    several waves; the sum over the groups of a breakdown (its groups are
    parts of one whole), or over the rows when each row is a unit (`units`).
    `same_teachers`: the groups are measures of the same teachers, not parts
    of them (n: the largest sum over the categories). Waves from `meting`.
    """
    facts: dict = {"title": _plain_title(title)}
    if "meting" in table:
        facts["waves"] = sorted({int(w) for w in pd.to_numeric(table["meting"], errors="coerce").dropna()})
    if "n" not in table:
        return facts
    rows = table.assign(_n=pd.to_numeric(table["n"], errors="coerce")).dropna(subset=["_n"])
    if rows.empty:
        return facts
    waves = facts.get("waves", [])
    order = hue_order or (list(dict.fromkeys(rows[hue])) if hue else [])
    if units:
        facts["n"] = int(rows["_n"].sum())
    elif len(waves) > 1:
        facts["n_per_wave"] = _n_per(rows.assign(_wave=pd.to_numeric(rows["meting"]).astype(int)), "_wave", waves)
    elif hue and "groep" in rows and rows["groep"].isin(COMPARED_GROUPS).any():
        facts["n_per_group"] = _n_per(rows, hue, order)
    elif hue and same_teachers and category:
        facts["n"] = int(rows.groupby(hue, sort=False)["_n"].sum().max())
    elif hue and category:
        facts["n"] = int(rows.groupby(category, sort=False)["_n"].sum().max())
    else:
        facts["n"] = int(rows["_n"].max())
    return facts


def facts_text(facts: dict, waves: list[int] | None = None) -> str:
    """'(n = 6.133, meting <jaar>)' from a figure's facts; `waves`: the edition's wave when the data name none."""
    shown = facts.get("waves") or list(waves or [])
    parts = []
    if "n" in facts:
        parts.append(f"n = {dutch.integer(facts['n'])}")
    if "n_per_wave" in facts:
        parts.append("n = " + dutch.join([f"{dutch.integer(n)} in {wave}" for wave, n in facts["n_per_wave"]]))
        shown = []  # the waves are named with their n
    if "n_per_group_wave" in facts:  # several populations over the waves: each its own n per wave
        parts.append("n: " + "; ".join(f"{group} " + dutch.join([f"{dutch.integer(n)} in {wave}" for wave, n in per])
                                       for group, per in facts["n_per_group_wave"]))
        shown = []
    if shown:
        parts.append(("meting " if len(shown) == 1 else "metingen ") + dutch.join([str(w) for w in shown]))
    if "n_per_group" in facts:
        parts.append("n: " + ", ".join(f"{group} {dutch.integer(n)}" for group, n in facts["n_per_group"]))

    several = "n_per_group" in facts or "n_per_group_wave" in facts
    return f"({'; '.join(parts) if several else ', '.join(parts)})" if parts else ""


def numbered(fig: plt.Figure, number: str | None, waves: list[int] | None = None) -> plt.Figure:
    """The figure under its number and what it shows: 'Figuur A6.2 — <title>' over '(n = 6.133, meting <jaar>)'.

    `waves`: the wave of the edition's data when the figure's own rows name
    none. Lays the figure out again (see `_relayable`); a figure of another
    maker is left as it is.
    """
    layout = getattr(fig, "_mb_layout", None)
    facts = getattr(fig, FACTS_ATTRIBUTE, None)
    if layout is None or facts is None:
        return fig
    heading = f"Figuur {number} — {facts['title']}" if number else facts["title"]
    layout(heading, facts_text(facts, waves) or None)
    return fig


_score_axis = FuncFormatter(lambda value, _pos: dutch.decimal(value, 0) if float(value).is_integer() else "")


def mean_intervals(
    table: pd.DataFrame,
    category: str,
    title: str,
    hue: str | None = None,
    hue_order: list[str] | None = None,
    category_order: list[str] | None = None,
    scale: tuple[float, float] | None = None,
    axis_label: str | None = None,
    same_teachers: bool = False,
) -> plt.Figure:
    """Mean scale scores as dots with their 95% interval (`gemiddelde`, `ci_laag`, `ci_hoog`), per category and group.

    `same_teachers`: the groups (`hue`) are measures of the same teachers, not groups of teachers (for n, see
    `figure_facts`).
    """
    scale = scale or load_codebook().score_range

    def score_axis(ax: plt.Axes) -> None:
        ax.set_xlim(scale[0] - 0.1, scale[1] + 0.1)
        ax.set_xticks(np.arange(scale[0], scale[1] + 0.5, 1.0))
        ax.xaxis.set_major_formatter(_score_axis)

    return _interval_figure(table, category, "gemiddelde", title, hue, hue_order, category_order, axis_label,
                            score_axis, lambda v: dutch.decimal(v, 1), same_teachers=same_teachers)


def _interval_figure(table: pd.DataFrame, category: str, value: str, title: str, hue: str | None,
                     hue_order: list[str] | None, category_order: list[str] | None, axis_label: str | None,
                     value_axis, shown, same_teachers: bool = False) -> plt.Figure:
    """Dots at `value` with their intervals (:func:`_interval_dots`) on the axis `value_axis(ax)` sets up, with
    the figure's facts and alt text (each value as `shown(value)` writes it)."""
    fig, ax, entries, handles = _interval_dots(table, category, value, hue, hue_order, category_order)
    setattr(fig, FACTS_ATTRIBUTE, figure_facts(table, title, category, hue, hue_order, same_teachers=same_teachers))
    value_axis(ax)
    _finish_intervals(fig, ax, title, axis_label, handles)
    describe(fig, "Stippendiagram", title, ax.get_xlabel(), [(c, g, v, shown(v)) for c, g, v in entries])
    return fig


def _dots(ax: plt.Axes, x, y, low, high, j: int, label):
    """Dots of group `j` at `x` with their intervals from `low` to `high` (a missing end: no whisker that side):
    the group's colour, marker shape and a dark edge."""
    error = np.vstack([x - np.where(np.isfinite(low), low, x), np.where(np.isfinite(high), high, x) - x])
    colour, marker, _hatch = group_style(j)
    return ax.errorbar(x, y, xerr=error, fmt=marker, color=colour, ecolor=line_colour(colour),
                       markeredgecolor=EDGE_COLOUR, markeredgewidth=0.7, markersize=6, capsize=2, linewidth=1.2,
                       label=label)


def _interval_dots(table: pd.DataFrame, category: str, value: str, hue: str | None, hue_order: list[str] | None,
                   category_order: list[str] | None):
    """A figure with per category (top to bottom) and group a dot at `value` and its interval (`ci_laag`, `ci_hoog`).

    Returns (figure, axes, what it drew category by category as (category,
    group or None, value), legend entries (dots, group) of the groups drawn).
    """
    fig, ax, order, levels, fill = _grouped_canvas(table, category, hue, hue_order, category_order, DOT_ROW)
    rows = {(r[0], r[1] if hue else None): r[-3:] for r in
            table[[category] + ([hue] if hue else []) + [value, "ci_laag", "ci_hoog"]].itertuples(index=False)}
    step = fill / len(levels)
    drawn, handles = [], []
    for j, level in enumerate(levels):
        found = [(i, *map(float, rows[(c, level)])) for i, c in enumerate(order) if (c, level) in rows]
        found = [f for f in found if np.isfinite(f[1])]
        if not found:
            continue
        drawn += [(f[0], j, str(order[f[0]]), str(level) if hue else None, f[1]) for f in found]
        y = np.array([f[0] for f in found]) - fill / 2 + step * (j + 0.5)
        mean = np.array([f[1] for f in found])
        low, high = np.array([f[2] for f in found]), np.array([f[3] for f in found])
        handles.append((_dots(ax, mean, y, low, high, j, level if hue else None), str(level)))
    _category_axis(ax, order, hue is not None)
    return fig, ax, [d[2:] for d in sorted(drawn, key=lambda d: d[:2])], handles if hue else []


def _score_label() -> str:
    low, high = load_codebook().score_range
    return f"Gemiddelde score ({low}–{high}) met 95%-betrouwbaarheidsinterval"


def _finish_intervals(fig: plt.Figure, ax: plt.Axes, title: str, axis_label: str | None,
                      entries: list[tuple[object, str]]) -> None:
    ax.set_xlabel(axis_label or _score_label())
    _finish(fig, ax, title, entries)


def _signed(value: float, digits: int = 2) -> str:
    """+0,25 / -0,10 / 0,00: a difference or coefficient as printed in a figure."""
    value = round(float(value), digits) + 0.0  # no "-0,00"
    return ("+" if value > 0 else "") + dutch.decimal(value, digits)


def _score_range(values, scale: tuple[float, float]) -> tuple[float, float]:
    """The part of the score scale a figure shows: the values (and their intervals) rounded out to half points,
    at least one point wide, never beyond the scale."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    low = max(scale[0], np.floor(values.min() * 2) / 2) if len(values) else scale[0]
    high = min(scale[1], np.ceil(values.max() * 2) / 2) if len(values) else scale[1]
    if high - low < 1:
        low, high = max(scale[0], low - 0.5), min(scale[1], high + 0.5)
    return low, high


def _decimal_axis(digits: int) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: dutch.decimal(round(value, digits) + 0.0, digits))


def coefficient_intervals(
    table: pd.DataFrame,
    category: str,
    title: str,
    hue: str | None = None,
    hue_order: list[str] | None = None,
    category_order: list[str] | None = None,
    axis_label: str = "Gestandaardiseerde bèta met 95%-betrouwbaarheidsinterval",
) -> plt.Figure:
    """Standardised coefficients (`beta`, `ci_laag`, `ci_hoog`) as dots with their interval, around a line at 0.

    The style of :func:`mean_intervals`; the axis is symmetric around 0 and
    wide enough for every interval.
    """
    ends = pd.concat([table["ci_laag"], table["ci_hoog"], table["beta"]]).astype(float).abs()
    reach = float(np.nanmax(ends)) if np.isfinite(ends).any() else 0.5
    limit = max(0.2, np.ceil(reach * 10) / 10 + 0.05)

    def around_zero(ax: plt.Axes) -> None:
        ax.axvline(0, color="#555555", linewidth=0.8, zorder=0)
        ax.set_xlim(-limit, limit)
        ax.xaxis.set_major_formatter(_decimal_axis(1))

    return _interval_figure(table, category, "beta", title, hue, hue_order, category_order, axis_label, around_zero,
                            _signed)


def ranked_intervals(
    table: pd.DataFrame,
    label: str,
    title: str,
    hue: str | None = None,
    hue_order: list[str] | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    scale: tuple[float, float] | None = None,
    axis_label: str | None = None,
) -> plt.Figure:
    """One row per unit, highest `gemiddelde` on top: a dot with its 95% interval, coloured by `hue`.

    The rows are labelled with the text in column `label` (it need not be
    unique: units stay anonymous). `reference`: a dashed vertical line, e.g.
    the mean of all teachers. The axis covers the intervals in steps of a
    half, within `scale`.
    """
    apply_style()
    data = table.sort_values("gemiddelde", ascending=False, kind="stable").reset_index(drop=True)
    levels = (hue_order or list(dict.fromkeys(data[hue]))) if hue else [None]
    height = max(2.5, 0.22 * len(data) + 1.0)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height))
    setattr(fig, FACTS_ATTRIBUTE, figure_facts(table, title, units=True))
    handles = []
    for j, level in enumerate(levels):
        rows = data if level is None else data.loc[data[hue] == level]
        if rows.empty:
            continue
        mean = rows["gemiddelde"].to_numpy(dtype=float)
        low, high = rows["ci_laag"].to_numpy(dtype=float), rows["ci_hoog"].to_numpy(dtype=float)
        dots = _dots(ax, mean, rows.index.to_numpy(), low, high, j, level)
        if hue:
            handles.append((dots, str(level)))
    has_reference = reference is not None and np.isfinite(reference)
    if has_reference:
        line = ax.axvline(reference, color="#555555", linewidth=0.9, linestyle="--", zorder=0, label=reference_label)
        if reference_label:
            handles.append((line, reference_label))
    ax.set_yticks(range(len(data)), [str(v) for v in data[label]], fontsize=8)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.yaxis.grid(False)
    values = pd.concat([data["ci_laag"], data["ci_hoog"], data["gemiddelde"]]).astype(float)
    scale = scale or load_codebook().score_range
    low, high = _score_range(values, scale)
    ax.set_xlim(low - 0.05, high + 0.05)
    ax.set_xticks(np.arange(low, high + 0.25, 0.5))
    ax.xaxis.set_major_formatter(_decimal_axis(1))
    _finish_intervals(fig, ax, title, axis_label, handles)
    # The row label already names a unit's group when the groups are the labels (hue == label).
    groups = data[hue].astype(str) if hue and hue != label else pd.Series([None] * len(data))
    note = (f"Stippellijn: {reference_label or 'referentie'} {dutch.decimal(reference, 1)}." if has_reference
            else None)
    describe(fig, "Stippendiagram", title, ax.get_xlabel(),
             [(str(c), g, float(v), dutch.decimal(v, 1))
              for c, g, v in zip(data[label], groups, data["gemiddelde"].astype(float))], note)
    return fig


#: A printed value fits inside its part of a stacked bar from this share on; a narrower part's value is printed
#: beside the bar, above it.
INSIDE_SHARE = 0.07


def stacked_shares(
    table: pd.DataFrame,
    category: str,
    parts: dict[str, str],
    title: str,
    category_order: list[str] | None = None,
    colours: list[str] | None = None,
    axis_label: str = "Percentage docenten",
) -> plt.Figure:
    """Per category one bar of 100%, split into `parts` ({column with a share: Dutch label}), left to right.

    A bounded part of a small group ("< 5%", `helpers.book.disclosure`) is
    drawn open, with a dashed edge: its true size is not shown.
    """
    apply_style()
    order = category_order or list(dict.fromkeys(table[category]))
    band = 0.5
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, max(1.5, band * len(order)) + 1.0))
    data = table.set_index(category)
    rows = {c: data.loc[c] for c in order if c in data.index}
    colours = colours or PALETTE
    left = np.zeros(len(order))
    entries, handles, bounded = [], [], False
    above: dict[int, float] = {}  # per bar, where its last value printed above it ends
    for j, (column, text) in enumerate(parts.items()):
        colour, _marker, hatch = colours[j % len(colours)], None, group_style(j)[2]
        widths = np.array([float(data.at[c, column]) if c in data.index else np.nan for c in order])
        texts = [share_text(rows[c], column) if c in rows else "" for c in order]
        kinds = [bound_of(rows[c], column) if c in rows else "" for c in order]
        entries += [(str(c), str(text), w, t) for c, w, t in zip(order, widths, texts)]
        widths = np.nan_to_num(widths)
        bars = ax.barh(range(len(order)), widths, left=left, height=0.6, color=colour, label=text,
                       hatch=hatch, edgecolor=EDGE_COLOUR, linewidth=0.6)
        handles.append((bars, str(text)))
        for i, kind in enumerate(kinds):
            if kind:  # the bound drawn open over its part
                _open_bar(ax, i, left[i], widths[i], 0.6, colour, hatch)
                bounded = True
        for i, (label, width) in enumerate(zip(texts, widths)):
            if not label or width <= 0:
                continue
            middle = left[i] + width / 2
            if width >= INSIDE_SHARE:
                # On a white box: readable on the fill and its hatch alike.
                ax.text(middle, i, label, ha="center", va="center", fontsize=VALUE_FONT_SIZE, color="black",
                        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})
            else:  # too narrow: above the bar, after any value printed there before
                x = max(middle, above.get(i, -1.0) + 0.045)
                ax.text(x, i - 0.31, label, ha="center", va="bottom", fontsize=VALUE_FONT_SIZE, color="black")
                above[i] = x
        left += widths
    _category_axis(ax, order, False)
    ax.xaxis.set_major_formatter(_percent_axis)
    ax.set_xlim(0, 1)
    ax.set_xlabel(axis_label)
    entries.sort(key=lambda e: order.index(e[0]) if e[0] in order else len(order))
    describe(fig, "Gestapeld staafdiagram", title, axis_label, entries)
    setattr(fig, FACTS_ATTRIBUTE, figure_facts(table, title, category))
    if bounded:
        handles.append((_bound_handle(), BOUND_LABEL))
    return _finish(fig, ax, title, handles)


#: Inches per heatmap row; a domain heading takes one row too. The figure is made this much taller than its rows.
HEATMAP_ROW = 0.3
HEATMAP_MARGIN = 0.6


def difference_heatmap(matrix: pd.DataFrame, title: str, limit: float = 0.5,
                       row_groups: list[str] | None = None,
                       key_label: str = "Verschil in schaalpunten",
                       source: pd.DataFrame | None = None) -> plt.Figure:
    """Rows (e.g. scales) × columns (groups): each cell a difference in scale points from a benchmark.

    Blue is above, orange below the benchmark (a colour-blind-safe diverging
    map, explained by the colour key above the columns; from `limit` scale
    points on, a medium difference, the colour is full), the value is printed
    in each cell, an empty cell is a withheld or missing group. `row_groups`
    names each row's group (e.g. a scale's domain): rows of one group are
    drawn together under its name. `source`: the rows (scale, group, n) the
    cells were computed from, for the figure's n (`figure_facts`).
    """
    apply_style()
    rows, columns = list(matrix.index), list(matrix.columns)
    values = matrix.to_numpy(dtype=float)
    # Rows top to bottom, a heading row before every group of rows.
    position, headings = [], []
    for i in range(len(rows)):
        group = row_groups[i] if row_groups is not None else None
        if group is not None and (i == 0 or row_groups[i - 1] != group):
            headings.append((len(position) + len(headings), str(group)))
        position.append(len(position) + len(headings))
    lines = len(position) + len(headings)
    grid = np.full((lines, len(columns)), np.nan)
    grid[position, :] = values
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, HEATMAP_ROW * lines + HEATMAP_MARGIN))
    cmap = sns.diverging_palette(40, 240, s=80, l=55, as_cmap=True)  # orange (below) to blue (above)
    norm = matplotlib.colors.Normalize(vmin=-limit, vmax=limit)
    ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
    entries = []
    for i, y in enumerate(position):
        for j in range(len(columns)):
            value = values[i, j]
            if np.isfinite(value):
                text = _signed(value)
                entries.append((str(rows[i]), str(columns[j]), float(value), text))
                ax.text(j, y, text, ha="center", va="center", fontsize=VALUE_FONT_SIZE + 0.5,
                        color=text_colour(cmap(norm(value))))
    ax.set_yticks(position, [_wrap(str(r), 40) for r in rows], fontsize=9)
    ax.set_ylim(lines - 0.5, -0.5)
    ax.set_xlim(-0.5, len(columns) - 0.5)
    ax.grid(False)
    ax.tick_params(axis="both", length=0)
    ax.xaxis.tick_top()
    sns.despine(ax=ax, left=True, bottom=True)
    # White lines between the cells: each value reads as its own.
    ax.hlines(np.arange(lines - 1) + 0.5, -0.5, len(columns) - 0.5, colors="white", linewidth=1.5)
    ax.vlines(np.arange(len(columns) - 1) + 0.5, -0.5, lines - 0.5, colors="white", linewidth=1.5)
    heading_texts = [fig.text(0, 0, text, ha="left", va="center", fontsize=9, fontweight="bold")
                     for _, text in headings]
    _heatmap_layout(fig, ax, title, columns, cmap, norm, limit, key_label, headings, heading_texts)
    describe(fig, "Heatmap", title, "verschil in schaalpunten; blauw is hoger, oranje lager", entries)
    facts = figure_facts(source, title, "schaal", "groep_label") if source is not None else None
    setattr(fig, FACTS_ATTRIBUTE, facts or {"title": _plain_title(title)})
    return fig


def _column_labels(ax: plt.Axes, columns: list, cell: float, renderer, points: float) -> float:
    """Group labels over the columns, wrapped to a column's width; upright if a word is wider than a column.

    Returns their height in points.
    """
    size = 8.5
    props = matplotlib.font_manager.FontProperties(size=size)

    def width(text: str) -> float:
        return renderer.get_text_width_height_descent(text, props, ismath=False)[0] * points

    room = cell - 12  # a gap between neighbouring labels
    upright = max((width(w) for c in columns for w in str(c).split()), default=0.0) > room
    texts = []
    for column in map(str, columns):
        if upright:
            texts.append(_wrap(column, 24))
            continue
        chars = max(len(column), 1)
        text = column
        while chars > 1 and max(width(line) for line in text.split("\n")) > room:
            chars -= 1
            text = _wrap(column, chars)
        texts.append(text)
    ax.set_xticks(range(len(columns)), texts, fontsize=size, rotation=90 if upright else 0, ha="center",
                  va="bottom")
    labels = [tick.label2 for tick in ax.xaxis.get_major_ticks()[:len(columns)]]  # the labels over the columns
    return max((t.get_window_extent(renderer).height for t in labels), default=0.0) * points


def _heatmap_layout(fig, ax, title, columns, cmap, norm, limit, key_label, headings, heading_texts) -> None:
    """Title, colour key, group labels and cells from the top down; domain headings at the left edge."""
    renderer = fig.canvas.get_renderer()
    points = 72.0 / fig.dpi
    width = fig.get_size_inches()[0] * 72.0
    label_width = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels()), default=0.0) * points
    heading_width = max((t.get_window_extent(renderer).width for t in heading_texts), default=0.0) * points
    left = max(label_width + 4 + EDGE, heading_width + EDGE + 2, width * 0.3)
    right = EDGE
    cell = (width - left - right) / max(1, len(columns))
    column_height = _column_labels(ax, columns, cell, renderer, points)
    # The key: a bar of the colours with its scale, and what it means; placed under the heading.
    key = fig.add_axes((0, 0, 1, 1), label="<colorbar>")
    bar = fig.colorbar(matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap), cax=key, orientation="horizontal",
                       extend="both", extendfrac=0.06)
    bar.outline.set_edgecolor(EDGE_COLOUR)
    bar.outline.set_linewidth(0.6)
    steps = np.linspace(-limit, limit, 5)
    bar.set_ticks(steps, labels=[_signed(v, 1 if float(v * 10).is_integer() else 2) if v else "0" for v in steps])
    key.tick_params(labelsize=8, length=2, pad=1)
    caption = fig.text(0, 0, f"{key_label}: oranje is lager, blauw is hoger", ha="left", va="bottom", fontsize=8.5)
    key_width = min(220.0, width - left - right)
    key_height, key_ticks, key_text_height = 10.0, 14.0, 14.0
    axes_height = (fig.get_size_inches()[1] - HEATMAP_MARGIN) * 72.0  # the rows, as sized when the figure was made

    def place(heading: str, subtitle: str | None) -> None:
        fig.set_size_inches(fig._mb_base_size)
        texts, title_height = _heading(fig, heading, subtitle, width - 2 * EDGE, renderer)
        top = EDGE + title_height + GAP + key_text_height + key_height + key_ticks + GAP + column_height + 4
        height = axes_height + top + EDGE
        fig.set_size_inches(width / 72.0, height / 72.0)
        _place_heading(fig, texts, renderer)
        fig.subplots_adjust(left=left / width, right=1 - right / width, bottom=EDGE / height, top=1 - top / height)
        key_top = EDGE + title_height + GAP + key_text_height
        key.set_position((left / width, 1 - (key_top + key_height) / height, key_width / width, key_height / height))
        caption.set_position((left / width, 1 - (key_top - 2) / height))
        for (line, _text), label in zip(headings, heading_texts):
            y = ax.transData.transform((0, line))[1] / fig.bbox.height
            label.set_position((EDGE / width, y))

    _relayable(fig, place)
    place(title, None)


# -- one scale over the waves ---------------------------------------------------------------------
#: What a wave that did not ask the scale shows in its place.
NOT_ASKED_LABEL = "niet gemeten"
MARK_LABEL = "Boog: opvallend verschil tussen twee metingen (zie de tabel)"
WAVE_PLOT_HEIGHT = 2.4  # inches of the data part of the plot
MARK_ROW = 0.3  # inches per bracket of a notable change, stacked above the data
WAVE_OFFSET = 0.12  # in years, between the dots of two groups in one wave


def _bracket_rows(marks: pd.DataFrame) -> list[tuple]:
    """The notable changes in drawing order, shortest span lowest: (group, earlier, later, difference, g)."""
    rows = [(str(r.groep_label), int(r.meting_eerder), int(r.meting_later), float(r.verschil), float(r.hedges_g))
            for r in marks.itertuples()]
    return sorted(rows, key=lambda r: (r[2] - r[1], r[1]))


def _keep_inside(fig: plt.Figure, ax: plt.Axes, labels: list[tuple]) -> None:
    """A bracket's label that would reach past the plot is aligned with the bracket's end on that side instead."""
    renderer = fig.canvas.get_renderer()
    plot = ax.get_window_extent(renderer)
    for text, a, b in labels:
        box = text.get_window_extent(renderer)
        if box.x1 > plot.x1:
            text.set_x(b)
            text.set_horizontalalignment("right")
        elif box.x0 < plot.x0:
            text.set_x(a)
            text.set_horizontalalignment("left")


def wave_series(
    table: pd.DataFrame,
    title: str,
    marks: pd.DataFrame | None = None,
    hue_order: list[str] | None = None,
    legend_labels: dict[str, str] | None = None,
    scale: tuple[float, float] | None = None,
) -> plt.Figure:
    """One scale over the waves: per group a dot with its 95% interval in every wave, a bracket per notable change.

    `table`: rows `groep_label`, `meting`, `gemeten`, `gemiddelde`, `ci_laag`,
    `ci_hoog`, `n` (a group's missing wave has no row or no number). Every
    wave in `meting` is on the axis at its year; a wave in which no group's
    row is `gemeten` reads "niet gemeten" in its place. Dots of one group are
    joined across neighbouring waves that asked the scale. `marks`: the
    notable changes (`groep_label`, `meting_eerder`, `meting_later`,
    `verschil`, `hedges_g`), each a bracket over the two waves, in its
    group's colour, labelled with its direction and g. `legend_labels`: a
    longer name of a group for the legend (the brackets and n use the short one).
    """
    apply_style()
    data = table.assign(meting=pd.to_numeric(table["meting"]).astype(int))
    waves = sorted(data["meting"].unique())
    asked = sorted(data.loc[data["gemeten"].astype(bool), "meting"].unique())
    levels = hue_order or list(dict.fromkeys(data["groep_label"]))
    brackets = _bracket_rows(marks) if marks is not None and len(marks) else []
    bottom_margin = 0.75
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, WAVE_PLOT_HEIGHT + MARK_ROW * len(brackets) + bottom_margin))
    values = data.loc[data["gemiddelde"].notna(), ["gemiddelde", "ci_laag", "ci_hoog"]].astype(float).to_numpy()
    scale = scale or load_codebook().score_range
    low, high = _score_range(values, scale)
    row = (high - low) * MARK_ROW / WAVE_PLOT_HEIGHT  # a bracket's row in score points
    span = max(waves[-1] - waves[0], 1)
    offsets = {level: WAVE_OFFSET * span / 5 * (j - (len(levels) - 1) / 2) for j, level in enumerate(levels)}
    handles, entries = [], []
    for j, level in enumerate(levels):
        rows = data.loc[(data["groep_label"] == level) & data["gemeten"].astype(bool)
                        & data["gemiddelde"].notna()].sort_values("meting")
        if rows.empty:
            continue
        colour, marker, _hatch = group_style(j)
        x = rows["meting"].to_numpy(dtype=float) + offsets[level]
        mean = rows["gemiddelde"].to_numpy(dtype=float)
        lo, hi = rows["ci_laag"].to_numpy(dtype=float), rows["ci_hoog"].to_numpy(dtype=float)
        error = np.vstack([mean - np.where(np.isfinite(lo), lo, mean), np.where(np.isfinite(hi), hi, mean) - mean])
        for a, b, ya, yb in zip(x[:-1], x[1:], mean[:-1], mean[1:]):
            # Joined only where no wave in between left the scale out: a gap is not a straight line.
            if not any(a < w + offsets[level] < b for w in waves if w not in asked):
                ax.plot([a, b], [ya, yb], color=line_colour(colour), linewidth=1.0, zorder=1)
        dots = ax.errorbar(x, mean, yerr=error, fmt=marker, color=colour, ecolor=line_colour(colour),
                           markeredgecolor=EDGE_COLOUR, markeredgewidth=0.7, markersize=6, capsize=2,
                           linewidth=1.2, zorder=3, label=level)
        handles.append((dots, str((legend_labels or {}).get(level, level))))
        entries += [(str(w), str(level), float(v), dutch.decimal(v, 2)) for w, v in zip(rows["meting"], mean)]
    for wave in waves:
        if wave not in asked:
            ax.axvspan(wave - 0.3 * span / 5, wave + 0.3 * span / 5, color="#eeeeee", zorder=0)
            ax.text(wave, (low + high) / 2, NOT_ASKED_LABEL.replace(" ", "\n"), ha="center", va="center",
                    fontsize=9, style="italic", color="#444444")
    named = len(levels) > 1
    labels = []
    for i, (group, earlier, later, difference, g) in enumerate(brackets):
        j = levels.index(group) if group in levels else 0
        colour = line_colour(group_style(j)[0], 4.5)
        y = high + row * (i + 0.3)
        a, b = earlier + offsets.get(group, 0.0), later + offsets.get(group, 0.0)
        ax.plot([a, a, b, b], [y - row * 0.25, y, y, y - row * 0.25], color=colour, linewidth=1.1, zorder=2)
        word = "hoger" if difference > 0 else "lager"
        text = f"{group + ': ' if named else ''}{later} opvallend {word} dan {earlier} (g = {_signed(g)})"
        labels.append((ax.text((a + b) / 2, y + row * 0.06, text, ha="center", va="bottom", fontsize=8.5,
                               color=colour), a, b))
    ax.set_ylim(low - 0.05, high + row * len(brackets) + 0.05 * (not brackets))
    ax.set_yticks(np.arange(low, high + 0.25, 0.5))
    ax.yaxis.set_major_formatter(_decimal_axis(1))
    ax.set_xlim(waves[0] - 0.7 * span / 5 - 0.5, waves[-1] + 0.7 * span / 5 + 0.5)
    ax.set_xticks(waves, [str(w) for w in waves])
    ax.xaxis.grid(False)
    ax.set_xlabel(f"Meting. Stip: gemiddelde score ({scale[0]}–{scale[1]}) met 95%-betrouwbaarheidsinterval")
    if brackets:
        handles.append((matplotlib.lines.Line2D([], [], color="#555555", linewidth=1.1), MARK_LABEL))
    facts = {"title": _plain_title(title), "waves": [int(w) for w in asked]}
    sized = data.loc[data["gemeten"].astype(bool)].assign(_n=pd.to_numeric(data["n"], errors="coerce"))
    sized = sized.dropna(subset=["_n"])
    per_group = [(str(level), [(int(w), int(n)) for w, n in zip(part["meting"], part["_n"])])
                 for level in levels for part in [sized.loc[sized["groep_label"] == level].sort_values("meting")]
                 if len(part)]
    if len(per_group) == 1:
        facts["n_per_wave"] = per_group[0][1]
    elif per_group:
        facts["n_per_group_wave"] = per_group
    setattr(fig, FACTS_ATTRIBUTE, facts)
    _finish(fig, ax, title, handles)
    _keep_inside(fig, ax, labels)
    missing = [str(w) for w in waves if w not in asked]
    note = " ".join([f"Niet gemeten in {dutch.join(missing)}." if missing else "",
                     *[f"{g + ': ' if named else ''}{b} opvallend {'hoger' if d > 0 else 'lager'} dan {a} "
                       f"(g = {_signed(h)})." for g, a, b, d, h in brackets]]).strip()
    describe(fig, "Stippendiagram", title, "gemiddelde score per meting", entries, note or None)
    return fig


# -- figures drawn once for many editions -----------------------------------------------------
@dataclass(frozen=True, eq=False)
class Drawing:
    """A figure not drawn yet: this module's function `draw` with `args` and `kwargs`.

    A view of `Publisher.views`/`figure` may be a Drawing instead of a Figure.
    The book then shows `book_image()`, which is kept with the build's shared
    results (`helpers.core.memo`, keyed on the drawing's name and the
    content of its arguments): a national figure that every institution
    edition repeats is drawn and encoded once per build, and is the same bytes
    in each. Exporting it as files (`monitorbook figuur`) draws the figure itself.
    `number` and `waves`: as for `numbered`, given by the Publisher.
    """
    draw: str
    args: tuple
    kwargs: dict
    number: str | None = None
    waves: tuple | None = None

    def figure(self) -> plt.Figure:
        fig = _DRAWERS[self.draw](*self.args, **self.kwargs)
        if self.number is not None or self.waves is not None:
            numbered(fig, self.number, list(self.waves or ()))
        return fig

    def book_image(self) -> tuple[bytes, str]:
        """(the image as the book shows it, its alt text)."""
        return _book_image(self.draw, self.args, self.kwargs, self.number, self.waves)


def drawn(draw, *args, **kwargs) -> Drawing:
    """`draw(*args, **kwargs)` as a `Drawing`; `draw` is one of this module's figure functions."""
    name = getattr(draw, "__name__", None)
    if name not in _DRAWERS or globals().get(name) is not draw:
        raise ValueError(f"{draw!r} is geen figuurfunctie van helpers.book.figures")
    return Drawing(draw.__name__, args, kwargs)


@shared
def _book_image(draw: str, args: tuple, kwargs: dict, number: str | None = None,
                waves: tuple | None = None) -> tuple[bytes, str]:
    fig = Drawing(draw, args, kwargs, number, waves).figure()
    try:
        return figure_image(fig), default_alt(fig)
    finally:
        plt.close(fig)


_DRAWERS = {f.__name__: f for f in (horizontal_bars, mean_intervals, coefficient_intervals, ranked_intervals,
                                    stacked_shares, difference_heatmap, wave_series)}
