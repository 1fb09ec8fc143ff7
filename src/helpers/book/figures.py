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
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display in papermill kernels or CI

from dataclasses import dataclass  # noqa: E402

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from helpers.book import dutch  # noqa: E402
from helpers.book.disclosure import share_text  # noqa: E402
from helpers.book.widgets import ALT_TEXT_ATTRIBUTE, default_alt, figure_image  # noqa: E402
from helpers.data.codebook import load_codebook  # noqa: E402
from helpers.pipeline.memo import shared  # noqa: E402

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FIGURE_WIDTH = 8.0  # inches; at DPI below a figure stays well under 100 kB
DPI = 96
#: Per group (in palette order) a marker shape and a hatch pattern: groups differ by more than colour.
#: Hatches of lines only: a dotted hatch is thousands of tiny circles in an SVG, slow to print.
MARKERS = ["o", "s", "D", "^", "v", "P", "X", "*"]
HATCHES = ["", "///", "\\\\\\", "xxx", "---", "|||", "+++", "/-"]
#: Edge of every bar and dot: dark, so each mark stands out from the white background (WCAG 1.4.11).
EDGE_COLOUR = "#333333"
#: An alt text lists every value up to this many; beyond that, per group its highest and lowest.
MAX_LISTED_VALUES = 24


def apply_style() -> None:
    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=PALETTE,
        rc={
            "axes.formatter.use_locale": False,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "axes.titleweight": "bold",
            "axes.titlesize": 12,
            # A fixed title position: nothing is drawn above the axes, and finding that out costs a layout per figure.
            "axes.titley": 1.0,
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


def _grouped_canvas(table: pd.DataFrame, category: str, hue: str | None, hue_order: list[str] | None,
                    category_order: list[str] | None):
    """(figure, axes, categories, groups) for a chart with a row per category and a mark per group."""
    apply_style()
    order = category_order or list(dict.fromkeys(table[category]))
    levels = (hue_order or list(dict.fromkeys(table[hue]))) if hue else [None]
    height = max(3.0, 0.32 * len(order) * max(1, len(levels)) ** 0.8 + 1.2)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height))
    return fig, ax, order, levels


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
    """Horizontal bar chart of shares (0-1) per category, optionally split by `hue`."""
    fig, ax, order, levels = _grouped_canvas(table, category, hue, hue_order, category_order)
    data = table.assign(**{value: table[value].astype(float)})
    keys = [(row[category], row[hue] if hue else None) for _, row in data.iterrows()]
    values = dict(zip(keys, data[value]))
    # A small group's bounded share reads "< 5%" / "> 95%", as in its table (helpers.book.disclosure).
    texts = dict(zip(keys, (share_text(row, value) for _, row in data.iterrows())))
    # Plain matplotlib bars in the seaborn theme, grouped as sns.barplot(hue=...) does, at a fraction of its cost.
    bar_height = 0.8 / len(levels)
    top = 0.0
    for j, level in enumerate(levels):
        widths = np.array([values.get((c, level), np.nan) for c in order], dtype=float)
        positions = np.arange(len(order)) - 0.4 + bar_height * (j + 0.5)
        bars = ax.barh(positions, np.nan_to_num(widths), height=bar_height, color=PALETTE[j % len(PALETTE)],
                       hatch=HATCHES[j % len(HATCHES)] if hue else None, edgecolor=EDGE_COLOUR, linewidth=0.6,
                       label=level if hue else None)
        if annotate:
            ax.bar_label(bars, labels=[texts.get((c, level), "") for c in order], padding=2, fontsize=8)
        if np.isfinite(widths).any():
            top = max(top, float(np.nanmax(widths)))
    ax.set_yticks(range(len(order)), [_wrap(str(o)) for o in order])
    ax.set_ylim(len(order) - 0.5, -0.5)  # first category on top
    ax.yaxis.grid(False)
    ax.xaxis.set_major_formatter(_percent_axis)
    ax.set_xlim(0, min(1.0, (top or 1.0) * 1.18 + 0.02))
    ax.set_xlabel("Percentage docenten")
    describe(fig, "Staafdiagram", title, "percentage docenten",
             [(str(c), str(level) if hue else None, values.get((c, level), np.nan), texts.get((c, level), ""))
              for c in order for level in levels])
    return _finish(fig, ax, title, len(levels) if hue else 0)


def _finish(fig: plt.Figure, ax: plt.Axes, title: str, legend_columns: int) -> plt.Figure:
    """Legend (if any) below the axis, never over the data: one row of groups, as many rows as needed; margins."""
    ax.set_ylabel("")
    if legend_columns:
        fig.legend(*ax.get_legend_handles_labels(), loc="lower left", ncols=min(legend_columns, 3), frameon=False,
                   fontsize=9)
    sns.despine(ax=ax, left=True, bottom=True)
    _fit_margins(fig, ax, title)
    return fig


EDGE = 6.0  # points of white space around the drawing


def _fit_margins(fig: plt.Figure, ax: plt.Axes, title: str) -> None:
    """Place the axes so the category labels, axis labels, legend and title just fit.

    What `tight_layout` gives for these one-axes charts, measuring only the
    texts that decide a margin instead of laying out every text of the
    figure once more before it is drawn. A title wider than the figure is
    wrapped; the figure grows by the height of the legend.
    """
    renderer = fig.canvas.get_renderer()
    points = 72.0 / fig.dpi  # pixels to points
    rc = plt.rcParams
    width = fig.get_size_inches()[0] * 72.0
    label_width = max((t.get_window_extent(renderer).width for t in ax.get_yticklabels()), default=0.0) * points
    left = label_width + rc["ytick.major.size"] + rc["ytick.major.pad"] + EDGE

    title_props = matplotlib.font_manager.FontProperties(size=rc["axes.titlesize"], weight=rc["axes.titleweight"])
    title_width = renderer.get_text_width_height_descent(title, title_props, ismath=False)[0] * points
    room = width - left - EDGE
    if title_width > room:
        title = _wrap(title, max(20, int(len(title) * room / title_width)))
    title_text = ax.set_title(title, loc="left")
    top = title_text.get_window_extent(renderer).height * points + rc["axes.titlepad"] + EDGE

    tick_height = renderer.get_text_width_height_descent(
        "100%", matplotlib.font_manager.FontProperties(size=rc["xtick.labelsize"]), ismath=False)[1] * points
    xlabel_height = ax.xaxis.label.get_window_extent(renderer).height * points
    bottom = tick_height + rc["xtick.major.size"] + rc["xtick.major.pad"] + xlabel_height + rc["axes.labelpad"] + EDGE
    legend_height = 0.0
    for legend in list(fig.legends):
        # A legend wider than the room right of the category labels is drawn again in fewer columns (more rows).
        columns = getattr(legend, "_ncols", 1)
        while columns > 1 and legend.get_window_extent(renderer).width * points > width - left - EDGE:
            columns -= 1
            size = legend.get_texts()[0].get_fontsize() if legend.get_texts() else 9
            legend.remove()
            legend = fig.legend(*ax.get_legend_handles_labels(), loc="lower left", ncols=columns, frameon=False,
                                fontsize=size)
    for legend in fig.legends:
        legend_height = legend.get_window_extent(renderer).height * points + 0.5 * EDGE
        fig.set_size_inches(fig.get_size_inches()[0], fig.get_size_inches()[1] + legend_height / 72.0)
    height = fig.get_size_inches()[1] * 72.0
    for legend in fig.legends:
        legend.set_bbox_to_anchor((left / width, 0.5 * EDGE / height), transform=fig.transFigure)
    right = EDGE + 0.5 * tick_height  # half of the last x tick label reaches past the axes
    fig.subplots_adjust(left=left / width, right=1 - right / width,
                        bottom=(bottom + legend_height) / height, top=1 - top / height)


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
) -> plt.Figure:
    """Mean scale scores as dots with their 95% interval (`gemiddelde`, `ci_laag`, `ci_hoog`), per category and group."""
    fig, ax, entries = _interval_dots(table, category, "gemiddelde", hue, hue_order, category_order)
    scale = scale or load_codebook().score_range
    ax.set_xlim(scale[0] - 0.1, scale[1] + 0.1)
    ax.set_xticks(np.arange(scale[0], scale[1] + 0.5, 1.0))
    ax.xaxis.set_major_formatter(_score_axis)
    _finish_intervals(fig, ax, title, axis_label, hue)
    describe(fig, "Stippendiagram", title, ax.get_xlabel(),
             [(c, g, v, dutch.decimal(v, 1)) for c, g, v in entries])
    return fig


def _dots(ax: plt.Axes, x, y, error, j: int, label) -> None:
    """Dots of group `j` with their intervals: the group's colour, marker shape and a dark edge."""
    colour = PALETTE[j % len(PALETTE)]
    ax.errorbar(x, y, xerr=error, fmt=MARKERS[j % len(MARKERS)], color=colour, ecolor=line_colour(colour),
                markeredgecolor=EDGE_COLOUR, markeredgewidth=0.7, markersize=6, capsize=2, linewidth=1.2,
                label=label)


def _interval_dots(table: pd.DataFrame, category: str, value: str, hue: str | None, hue_order: list[str] | None,
                   category_order: list[str] | None) -> tuple[plt.Figure, plt.Axes, list[tuple[str, str | None, float]]]:
    """A figure with per category (top to bottom) and group a dot at `value` and its interval (`ci_laag`, `ci_hoog`).

    Also returns what it drew, category by category: (category, group or None, value).
    """
    fig, ax, order, levels = _grouped_canvas(table, category, hue, hue_order, category_order)
    rows = {(r[0], r[1] if hue else None): r[-3:] for r in
            table[[category] + ([hue] if hue else []) + [value, "ci_laag", "ci_hoog"]].itertuples(index=False)}
    step = 0.8 / len(levels)
    drawn = []
    for j, level in enumerate(levels):
        found = [(i, *map(float, rows[(c, level)])) for i, c in enumerate(order) if (c, level) in rows]
        found = [f for f in found if np.isfinite(f[1])]
        if not found:
            continue
        drawn += [(f[0], j, str(order[f[0]]), str(level) if hue else None, f[1]) for f in found]
        y = np.array([f[0] for f in found]) - 0.4 + step * (j + 0.5)
        mean = np.array([f[1] for f in found])
        low, high = np.array([f[2] for f in found]), np.array([f[3] for f in found])
        error = np.vstack([mean - np.where(np.isfinite(low), low, mean), np.where(np.isfinite(high), high, mean) - mean])
        _dots(ax, mean, y, error, j, level if hue else None)
    ax.set_yticks(range(len(order)), [_wrap(str(o)) for o in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.yaxis.grid(False)
    return fig, ax, [d[2:] for d in sorted(drawn, key=lambda d: d[:2])]


def _score_label() -> str:
    low, high = load_codebook().score_range
    return f"Gemiddelde score ({low}–{high}) met 95%-betrouwbaarheidsinterval"


def _finish_intervals(fig: plt.Figure, ax: plt.Axes, title: str, axis_label: str | None, hue: str | None) -> None:
    ax.set_xlabel(axis_label or _score_label())
    _finish(fig, ax, title, len(ax.get_legend_handles_labels()[1]) if hue else 0)


def _signed(value: float, digits: int = 2) -> str:
    """+0,25 / -0,10 / 0,00: a difference or coefficient as printed in a figure."""
    value = round(float(value), digits) + 0.0  # no "-0,00"
    return ("+" if value > 0 else "") + dutch.decimal(value, digits)


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
    fig, ax, entries = _interval_dots(table, category, "beta", hue, hue_order, category_order)
    ends = pd.concat([table["ci_laag"], table["ci_hoog"], table["beta"]]).astype(float).abs()
    reach = float(np.nanmax(ends)) if np.isfinite(ends).any() else 0.5
    limit = max(0.2, np.ceil(reach * 10) / 10 + 0.05)
    ax.axvline(0, color="#555555", linewidth=0.8, zorder=0)
    ax.set_xlim(-limit, limit)
    ax.xaxis.set_major_formatter(_decimal_axis(1))
    _finish_intervals(fig, ax, title, axis_label, hue)
    describe(fig, "Stippendiagram", title, axis_label, [(c, g, v, _signed(v)) for c, g, v in entries])
    return fig


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
    height = max(3.0, 0.26 * len(data) + 1.4)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height))
    for j, level in enumerate(levels):
        rows = data if level is None else data.loc[data[hue] == level]
        if rows.empty:
            continue
        mean = rows["gemiddelde"].to_numpy(dtype=float)
        low, high = rows["ci_laag"].to_numpy(dtype=float), rows["ci_hoog"].to_numpy(dtype=float)
        error = np.vstack([mean - np.where(np.isfinite(low), low, mean), np.where(np.isfinite(high), high, mean) - mean])
        _dots(ax, mean, rows.index.to_numpy(), error, j, level)
    has_reference = reference is not None and np.isfinite(reference)
    if has_reference:
        ax.axvline(reference, color="#555555", linewidth=0.9, linestyle="--", zorder=0, label=reference_label)
    ax.set_yticks(range(len(data)), [str(v) for v in data[label]], fontsize=8)
    ax.set_ylim(len(data) - 0.5, -0.5)
    ax.yaxis.grid(False)
    values = pd.concat([data["ci_laag"], data["ci_hoog"], data["gemiddelde"]]).astype(float)
    values = values[np.isfinite(values)]
    scale = scale or load_codebook().score_range
    low = max(scale[0], np.floor(values.min() * 2) / 2) if len(values) else scale[0]
    high = min(scale[1], np.ceil(values.max() * 2) / 2) if len(values) else scale[1]
    if high - low < 1:
        low, high = max(scale[0], low - 0.5), min(scale[1], high + 0.5)
    ax.set_xlim(low - 0.05, high + 0.05)
    ax.set_xticks(np.arange(low, high + 0.25, 0.5))
    ax.xaxis.set_major_formatter(_decimal_axis(1))
    _finish_intervals(fig, ax, title, axis_label, hue or reference_label)
    # The row label already names a unit's group when the groups are the labels (hue == label).
    groups = data[hue].astype(str) if hue and hue != label else pd.Series([None] * len(data))
    note = (f"Stippellijn: {reference_label or 'referentie'} {dutch.decimal(reference, 1)}." if has_reference
            else None)
    describe(fig, "Stippendiagram", title, ax.get_xlabel(),
             [(str(c), g, float(v), dutch.decimal(v, 1))
              for c, g, v in zip(data[label], groups, data["gemiddelde"].astype(float))], note)
    return fig


def stacked_shares(
    table: pd.DataFrame,
    category: str,
    parts: dict[str, str],
    title: str,
    category_order: list[str] | None = None,
    colours: list[str] | None = None,
    axis_label: str = "Percentage docenten",
) -> plt.Figure:
    """Per category one bar of 100%, split into `parts` ({column with a share: Dutch label}), left to right."""
    apply_style()
    order = category_order or list(dict.fromkeys(table[category]))
    height = max(3.0, 0.42 * len(order) + 1.2)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height))
    data = table.set_index(category)
    rows = {c: data.loc[c] for c in order if c in data.index}
    colours = colours or PALETTE
    left = np.zeros(len(order))
    entries = []
    for j, (column, text) in enumerate(parts.items()):
        widths = np.array([float(data.at[c, column]) if c in data.index else np.nan for c in order])
        texts = [share_text(rows[c], column) if c in rows else "" for c in order]
        entries += [(str(c), str(text), w, t) for c, w, t in zip(order, widths, texts)]
        widths = np.nan_to_num(widths)
        bars = ax.barh(range(len(order)), widths, left=left, height=0.7, color=colours[j % len(colours)], label=text,
                       hatch=HATCHES[j % len(HATCHES)], edgecolor=EDGE_COLOUR, linewidth=0.6)
        # On a white box: readable on the fill and its hatch alike.
        ax.bar_label(bars, labels=[t if w >= 0.06 else "" for t, w in zip(texts, widths)], label_type="center",
                     fontsize=8, color="black",
                     bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})
        left += widths
    ax.set_yticks(range(len(order)), [_wrap(str(o)) for o in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.yaxis.grid(False)
    ax.xaxis.set_major_formatter(_percent_axis)
    ax.set_xlim(0, 1)
    ax.set_xlabel(axis_label)
    entries.sort(key=lambda e: order.index(e[0]) if e[0] in order else len(order))
    describe(fig, "Gestapeld staafdiagram", title, axis_label, entries)
    return _finish(fig, ax, title, len(parts))


def difference_heatmap(matrix: pd.DataFrame, title: str, limit: float = 1.0) -> plt.Figure:
    """Rows (e.g. scales) × columns (groups): each cell a difference in scale points from a benchmark.

    Blue is above, orange below the benchmark (a colour-blind-safe diverging
    map), the value is printed in each cell, an empty cell is a withheld or
    missing group.
    """
    apply_style()
    rows, columns = list(matrix.index), list(matrix.columns)
    height = max(3.0, 0.34 * len(rows) + 1.6)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height))
    values = matrix.to_numpy(dtype=float)
    cmap = sns.diverging_palette(40, 240, s=80, l=55, as_cmap=True)  # orange (below) to blue (above)
    norm = matplotlib.colors.Normalize(vmin=-limit, vmax=limit)
    ax.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto")
    entries = []
    for i in range(len(rows)):
        for j in range(len(columns)):
            value = values[i, j]
            if np.isfinite(value):
                text = _signed(value)
                entries.append((str(rows[i]), str(columns[j]), float(value), text))
                ax.text(j, i, text, ha="center", va="center", fontsize=7, color=text_colour(cmap(norm(value))))
    ax.set_yticks(range(len(rows)), [_wrap(str(r)) for r in rows])
    ax.set_xticks(range(len(columns)), [_wrap(str(c), 22) for c in columns], rotation=35, ha="right",
                  rotation_mode="anchor", fontsize=8)
    ax.grid(False)
    sns.despine(ax=ax, left=True, bottom=True)
    _fit_margins(fig, ax, title)
    # The group labels are turned: the bottom margin is their height, not that of a number.
    renderer = fig.canvas.get_renderer()
    label_height = max((t.get_window_extent(renderer).height for t in ax.get_xticklabels()), default=0.0)
    height = fig.get_size_inches()[1] * fig.dpi
    fig.subplots_adjust(bottom=(label_height + 2 * EDGE) / height)
    describe(fig, "Heatmap", title, "verschil in schaalpunten; blauw is hoger, oranje lager", entries)
    return fig


# -- figures drawn once for many editions -----------------------------------------------------
@dataclass(frozen=True, eq=False)
class Drawing:
    """A figure not drawn yet: this module's function `draw` with `args` and `kwargs`.

    A view of `Publisher.views`/`figure` may be a Drawing instead of a Figure.
    The book then shows `book_image()`, which is kept with the build's shared
    results (`helpers.pipeline.memo`, keyed on the drawing's name and the
    content of its arguments): a national figure that every institution
    edition repeats is drawn and encoded once per build, and is the same bytes
    in each. Exporting it as files (`monitorbook figuur`) draws the figure itself.
    """
    draw: str
    args: tuple
    kwargs: dict

    def figure(self) -> plt.Figure:
        return _DRAWERS[self.draw](*self.args, **self.kwargs)

    def book_image(self) -> tuple[bytes, str]:
        """(the image as the book shows it, its alt text)."""
        return _book_image(self.draw, self.args, self.kwargs)


def drawn(draw, *args, **kwargs) -> Drawing:
    """`draw(*args, **kwargs)` as a `Drawing`; `draw` is one of this module's figure functions."""
    name = getattr(draw, "__name__", None)
    if name not in _DRAWERS or globals().get(name) is not draw:
        raise ValueError(f"{draw!r} is geen figuurfunctie van helpers.book.figures")
    return Drawing(draw.__name__, args, kwargs)


@shared
def _book_image(draw: str, args: tuple, kwargs: dict) -> tuple[bytes, str]:
    fig = Drawing(draw, args, kwargs).figure()
    try:
        return figure_image(fig), default_alt(fig)
    finally:
        plt.close(fig)


_DRAWERS = {f.__name__: f for f in (horizontal_bars, mean_intervals, coefficient_intervals, ranked_intervals,
                                    stacked_shares, difference_heatmap)}
