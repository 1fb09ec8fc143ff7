"""Figures: one seaborn style, a colour-blind-safe palette, Dutch labels and numbers.

Functions here draw and return a matplotlib Figure; they never save or show
it (that is `publish`'s job), so the same figure can go into a widget view.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # no display in papermill kernels or CI

import matplotlib.pyplot as plt  # noqa: E402
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
    n_hue = len(hue_order or (table[hue].unique() if hue else [None]))
    height = max(3.0, 0.32 * len(order) * max(1, n_hue) ** 0.8 + 1.2)
    fig, ax = plt.subplots(figsize=(FIGURE_WIDTH, height))
    data = table.assign(**{value: table[value].astype(float)})
    sns.barplot(
        data=data, y=category, x=value, hue=hue, order=order, hue_order=hue_order,
        orient="h", ax=ax, errorbar=None, palette=PALETTE[:n_hue] if hue else None,
        color=None if hue else PALETTE[0], saturation=1,
    )
    ax.set_yticks(range(len(order)), [_wrap(o) for o in order])
    ax.xaxis.set_major_formatter(_percent_axis)
    top = float(data[value].max()) if data[value].notna().any() else 1.0
    ax.set_xlim(0, min(1.0, top * 1.18 + 0.02))
    ax.set_xlabel("Percentage docenten")
    ax.set_ylabel("")
    ax.set_title(title, loc="left")
    if annotate:
        for container in ax.containers:
            ax.bar_label(container, labels=[dutch.percent(b.get_width()) if b.get_width() == b.get_width() else ""
                                            for b in container], padding=2, fontsize=8)
    if hue:
        ax.legend(title="", loc="lower right", frameon=True, fontsize=9)
    sns.despine(ax=ax, left=True, bottom=True)
    fig.tight_layout()
    return fig
