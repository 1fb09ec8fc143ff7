"""Offline-interactive views: ipywidgets that keep working in the static book.

The book is read without a kernel and without internet. A widget made here
therefore holds everything it shows in its own state (figures as SVG data
URIs, tables as HTML), and its only interaction -- choosing which view is
shown -- is wired with `ipywidgets.jslink`, which runs in the browser. When a
notebook is executed with papermill (nbclient, `store_widget_state` on), the
widget state lands in the notebook metadata; myst-nb writes it into the page
and the locally shipped `@jupyter-widgets/html-manager` bundle renders it
(see `helpers.pipeline.assets`).

    switcher({"Alle scholen": fig_a, "Per sector": fig_b}, "Weergave")

Figures are shown as `<img alt="...">` inside an `ipywidgets.HTML`, because
`ipywidgets.Image` has no alt text (ipywidgets 8.1): a screen reader gets the
Dutch description, and the image needs no further download.

Figures are SVG with their texts as SVG text (`svg.fonttype: none`): the
browser sets the letters, so matplotlib neither rasterises glyphs nor
compresses pixels -- a figure is drawn in about a third of the time of a PNG
-- and it stays sharp when zoomed or printed. An SVG inside `<img>` runs no
script and loads nothing (the browser's rule for images). Hatched bars (and
their legend swatches) are the exception inside the SVG: they are drawn as
pixels, at the resolution of the former PNG figures, because an SVG hatch is
a pattern fill, which Chromium prints into the report PDF some thirty times
slower and bulkier than a picture. Their texts stay text.
"""
from __future__ import annotations

import base64
import html
import io
import re
import struct
from collections.abc import Mapping

import ipywidgets as W

#: Pixels per inch at which a figure is shown (its `<img>` size; also the
#: resolution of anything rasterised inside an SVG): a 6.4 x 4.8 inch figure is
#: shown at 512 x 384 pixels.
DEFAULT_DPI = 80
#: Matplotlib's SVG settings for the book: texts as text, and element ids from a
#: fixed salt, so that the same figure gives the same bytes.
SVG_RC = {"svg.fonttype": "none", "svg.hashsalt": "monitorbook"}
_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\swidth="([0-9.]+)pt"[^>]*?\sheight="([0-9.]+)pt"')

#: CSS classes that the browser tests (tests/browser.py) look for.
SWITCHER_CLASS = "mb-switcher"
CONTROL_CLASS = "mb-switcher-control"
STACK_CLASS = "mb-switcher-stack"
FIGURE_CLASS = "mb-figure"

#: Attribute of a matplotlib Figure holding its own Dutch alt text: what it shows and its numbers. The drawing
#: helpers of `helpers.book.figures` set it from the data they plot; `default_alt` prefers it.
ALT_TEXT_ATTRIBUTE = "monitorbook_alt_text"

#: With this many views or fewer (and short labels) the selector is a row of
#: toggle buttons; beyond that a dropdown.
MAX_TOGGLE_BUTTONS = 4
MAX_TOGGLE_LABEL_CHARS = 60


def figure_png(fig, dpi: int = DEFAULT_DPI) -> bytes:
    """A matplotlib figure as PNG bytes; the same figure gives the same bytes."""
    buffer = io.BytesIO()
    # No "Software" chunk: the bytes then depend on the drawing only.
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def figure_svg(fig, dpi: int = DEFAULT_DPI) -> bytes:
    """A matplotlib figure as SVG bytes, texts as text; the same figure gives the same bytes."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context(SVG_RC):
        # No date: the bytes then depend on the drawing only.
        fig.savefig(buffer, format="svg", dpi=dpi, metadata={"Date": None})
    return buffer.getvalue()


def _rasterize_hatches(fig) -> None:
    """Have the hatched patches (bars, legend swatches) drawn as pixels inside the SVG."""
    from matplotlib.patches import Patch

    legends = [*fig.legends, *(ax.get_legend() for ax in fig.get_axes())]
    artists = [patch for ax in fig.get_axes() for patch in ax.patches]
    artists += [handle for legend in legends if legend is not None for handle in legend.legend_handles]
    for artist in artists:
        if isinstance(artist, Patch) and artist.get_hatch():  # a legend also holds lines and markers
            artist.set_rasterized(True)


def figure_image(fig, dpi: int = DEFAULT_DPI) -> bytes:
    """The figure as the book shows it: SVG, its hatched bars as pixels (see the module's docstring).

    Should a pattern fill remain (a hatched artist that is no patch), the figure is a PNG instead.
    """
    _rasterize_hatches(fig)
    image = figure_svg(fig, dpi=dpi)
    if b"<pattern" in image:
        return figure_png(fig, dpi=dpi)
    return image


def _image_type_and_size(image: bytes, dpi: int) -> tuple[str, int, int]:
    """(MIME type, width, height in pixels) of PNG or SVG bytes; an SVG is shown at `dpi`."""
    if image[:8] == b"\x89PNG\r\n\x1a\n" and image[12:16] == b"IHDR":
        width, height = struct.unpack(">II", image[16:24])
        return "image/png", width, height
    size = _SVG_SIZE.search(image[:2000])
    if size is not None:
        points = dpi / 72.0
        return "image/svg+xml", round(float(size.group(1)) * points), round(float(size.group(2)) * points)
    raise ValueError("geen PNG- of SVG-afbeelding")


def image_tag(image: bytes, alt: str, dpi: int = DEFAULT_DPI) -> str:
    """An `<img>` with the PNG or SVG inline as data URI and the alt text (escaped)."""
    if not alt or not alt.strip():
        raise ValueError("een figuur heeft een alt-tekst nodig (beschrijving voor schermlezers)")
    mime, width, height = _image_type_and_size(image, dpi)
    data = base64.b64encode(image).decode("ascii")
    return (
        f'<img class="{FIGURE_CLASS}" src="data:{mime};base64,{data}" '
        f'alt="{html.escape(alt.strip(), quote=True)}" width="{width}" height="{height}" '
        'style="max-width:100%;height:auto">'
    )


def _close(fig) -> None:
    # A pyplot figure that stays open is shown a second time by the inline
    # backend at the end of the cell.
    try:
        import matplotlib.pyplot as plt

        plt.close(fig)
    except Exception:  # pragma: no cover - figure not managed by pyplot
        pass


def figure_view(fig, alt: str, *, dpi: int = DEFAULT_DPI, close: bool = True) -> W.HTML:
    """A matplotlib figure as a self-contained widget (SVG or PNG, with alt text).

    The figure is closed afterwards (`close=False` keeps it open), so that the
    notebook does not also show it as an ordinary output.
    """
    tag = image_tag(figure_image(fig, dpi=dpi), alt, dpi=dpi)
    if close:
        _close(fig)
    return W.HTML(value=tag)


def html_view(content: str) -> W.HTML:
    """An HTML fragment (for example a table) as a widget."""
    return W.HTML(value=content)


def _is_figure(obj) -> bool:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover
        return False
    return isinstance(obj, Figure)


def default_alt(fig, label: str | None = None) -> str:
    """The figure's own alt text (see `ALT_TEXT_ATTRIBUTE`), else one from the view's label and the figure's titles."""
    own = getattr(fig, ALT_TEXT_ATTRIBUTE, None)
    if own and str(own).strip():
        return str(own).strip()
    titles = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        titles.append(suptitle.get_text().strip())
    for ax in fig.get_axes():
        title = ax.get_title().strip()
        if title and title not in titles:
            titles.append(title)
    titles = [title for title in titles if title != label]
    if not label:
        return "Figuur: " + ("; ".join(titles) if titles else "zonder titel")
    alt = f"Figuur: {label}"
    if titles:
        alt += " — " + "; ".join(titles)
    return alt


def as_view(label: str, view, *, dpi: int = DEFAULT_DPI, close: bool = True) -> W.Widget:
    """Turn one view of a switcher into a widget.

    Accepted: a matplotlib Figure (its own alt text, see `default_alt`),
    a `(Figure, alt)` pair, a `helpers.book.figures.Drawing`, PNG or SVG
    bytes or a `(bytes, alt)` pair, an HTML string, an object with
    `_repr_html_` (e.g. a pandas DataFrame) or a ready widget.
    """
    if isinstance(view, W.Widget):
        return view
    book_image = getattr(view, "book_image", None)
    if callable(book_image):  # a figure drawn once for many editions (helpers.book.figures.Drawing)
        image, alt = book_image()
        return W.HTML(value=image_tag(image, alt, dpi=dpi))
    if isinstance(view, tuple) and len(view) == 2 and isinstance(view[0], (bytes, bytearray)):
        return W.HTML(value=image_tag(bytes(view[0]), view[1], dpi=dpi))
    if isinstance(view, (bytes, bytearray)):
        return W.HTML(value=image_tag(bytes(view), f"Figuur: {label}", dpi=dpi))
    if isinstance(view, tuple) and len(view) == 2 and _is_figure(view[0]) and isinstance(view[1], str):
        return figure_view(view[0], view[1], dpi=dpi, close=close)
    if _is_figure(view):
        return figure_view(view, default_alt(view, label), dpi=dpi, close=close)
    if isinstance(view, str):
        return html_view(view)
    if hasattr(view, "_repr_html_"):
        return html_view(view._repr_html_())
    raise TypeError(
        f"weergave {label!r}: verwacht een matplotlib-figuur, (figuur, alt-tekst), (PNG of SVG, alt-tekst), HTML-tekst "
        f"of een widget, niet {type(view).__name__}"
    )


def switcher(
    views: Mapping[str, object],
    description: str,
    *,
    control: str = "auto",
    dpi: int = DEFAULT_DPI,
    close: bool = True,
) -> W.VBox:
    """Several pre-rendered views with a selector; switching runs in the browser.

    `views` maps the label shown in the selector to a view (see `as_view`);
    the first view is shown first. `description` labels the selector.
    `control` is "buttons" (ToggleButtons), "dropdown" or "auto" (buttons for
    up to four short labels). The selector's `index` is linked to the
    `selected_index` of an `ipywidgets.Stack` with `jslink`, so the embedded
    page needs no kernel. Returns a VBox [selector, stack].
    """
    labels = [str(label) for label in views]
    if not labels:
        raise ValueError("switcher heeft minstens één weergave nodig")
    if len(set(labels)) != len(labels):
        raise ValueError(f"dubbele labels in switcher: {labels}")
    if control == "auto":
        short = sum(len(label) for label in labels) <= MAX_TOGGLE_LABEL_CHARS
        control = "buttons" if len(labels) <= MAX_TOGGLE_BUTTONS and short else "dropdown"
    if control == "buttons":
        selector = W.ToggleButtons(
            options=labels, index=0, description=description, style={"description_width": "initial"}
        )
    elif control == "dropdown":
        selector = W.Dropdown(
            options=labels, index=0, description=description, style={"description_width": "initial"}
        )
    else:
        raise ValueError(f"control moet 'auto', 'buttons' of 'dropdown' zijn, niet {control!r}")

    children = [as_view(label, view, dpi=dpi, close=close) for label, view in zip(labels, views.values())]
    stack = W.Stack(children=children, selected_index=0, titles=tuple(labels))
    link = W.jslink((selector, "index"), (stack, "selected_index"))

    selector.add_class(CONTROL_CLASS)
    stack.add_class(STACK_CLASS)
    box = W.VBox([selector, stack])
    box.add_class(SWITCHER_CLASS)
    # Keep the link alive with the widget (it is part of the embedded state).
    box.switcher_link = link
    return box
