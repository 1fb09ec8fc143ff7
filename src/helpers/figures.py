"""Figures: one seaborn style, a colour-blind-safe palette, Dutch labels and numbers.

Functions here draw and return a matplotlib Figure; they never save or show
it (that is `publish`'s job), so the same figure can go into a widget view.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display in papermill kernels or CI

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from . import dutch  # noqa: E402

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FIGURE_WIDTH = 8.0  # inches; at DPI below a figure stays well under 100 kB
DPI = 96


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
            "axes.labelsize": 10,
            "svg.hashsalt": "monitorbook",  # deterministic output
        },
    )


_percent_axis = FuncFormatter(lambda value, _pos: dutch.percent(value))


def _wrap(text: str, width: int = 38) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


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
    apply_style()
    order = category_order or list(dict.fromkeys(table[category]))
    levels = (hue_order or list(dict.fromkeys(table[hue]))) if hue else [None]
    height = max(3.0, 0.32 * len(order) * max(1, len(levels)) ** 0.8 + 1.2)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height))
    data = table.assign(**{value: table[value].astype(float)})
    values = {
        (row[0], row[1] if hue else None): row[-1]
        for row in data[[category] + ([hue] if hue else []) + [value]].itertuples(index=False)
    }
    # Plain matplotlib bars in the seaborn theme, grouped as sns.barplot(hue=...) does, at a fraction of its cost.
    bar_height = 0.8 / len(levels)
    top = 0.0
    for j, level in enumerate(levels):
        widths = np.array([values.get((c, level), np.nan) for c in order], dtype=float)
        positions = np.arange(len(order)) - 0.4 + bar_height * (j + 0.5)
        bars = ax.barh(positions, np.nan_to_num(widths), height=bar_height, color=PALETTE[j % len(PALETTE)],
                       label=level if hue else None)
        if annotate:
            ax.bar_label(bars, labels=[dutch.percent(w) if w == w else "" for w in widths], padding=2, fontsize=8)
        if np.isfinite(widths).any():
            top = max(top, float(np.nanmax(widths)))
    ax.set_yticks(range(len(order)), [_wrap(str(o)) for o in order])
    ax.set_ylim(len(order) - 0.5, -0.5)  # first category on top
    ax.yaxis.grid(False)
    ax.xaxis.set_major_formatter(_percent_axis)
    ax.set_xlim(0, min(1.0, (top or 1.0) * 1.18 + 0.02))
    ax.set_xlabel("Percentage docenten")
    ax.set_ylabel("")
    ax.set_title(title, loc="left")
    if hue:
        ax.legend(title="", loc="lower right", frameon=True, fontsize=9)
    sns.despine(ax=ax, left=True, bottom=True)
    fig.tight_layout()
    # The layout is final: without a layout engine, saving draws the figure once instead of twice.
    fig.set_layout_engine(None)
    return fig
