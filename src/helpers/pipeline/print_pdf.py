"""Printing an edition with the local Chromium: the report PDF and the praatplaat PDF.

The report (`rapport-<edition>.pdf`) is the whole edition as one document, in
the order of its table of contents: a cover (book title, edition title, the
wave the book reports on), a table of contents with page numbers, then every
page's article -- not the navigation -- each starting on a new sheet, with page
numbers in the footer. It is made from the compiled HTML only, so it shows
nothing the pages do not:

* hidden code cells (`hide-input`, `hide-cell`) stay hidden;
* a widget is printed as its default view, taken from the widget state
  embedded in its page (a switcher: its first view), followed by the names of
  its other views, "Andere weergaven (zie de online editie): ...";
* a link to another page of the book becomes a link inside the PDF; a link to
  a page outside it (index, search) becomes plain text;
* what only the web can do is left out and what the report says instead is
  shown (`helpers.book.medium`);
* every figure (SVG) is printed at a size where its smallest text is at least
  `MIN_TEXT_PT` on A4: as wide as it needs, on a landscape sheet if the
  portrait one is too narrow, and a figure taller than a sheet in parts, cut
  between its rows of text (`print_figure`);
* the praatplaat has a landscape sheet of its own (a CSS named page).

The articles are combined into one print HTML with its own style sheet and
printed without JavaScript, once. Chromium has no CSS `target-counter()`, so
every page number in the table of contents is printed as a placeholder of
`NUMBER_DIGITS` zeros, in a box of a fixed width; the PDF's named
destinations of its links then tell where each page starts, and each
placeholder's glyphs are replaced by those of its number, right-aligned in the
same places (`_fill_numbers`: the digits of the body font all have the same
advance). Nothing else moves. Only when that cannot be done -- a digit the
document's font subset lacks, a report of 1000 pages or more -- is the report
printed a second time with its numbers written in.

The praatplaat (`praatplaat-<edition>.pdf`) is the page `notebooks/praatplaat`,
if the edition has it, printed as it is on A4 landscape after its own widget
manager has drawn its widgets, with a footer that says on which data it was
built (synthetic or real, from the build's data set) and when.

Chromium runs headless and offline: a page may load file: and data: URLs
only, every other request is aborted and fails the print, and no host name
resolves. The same edition gives the same PDF bytes on the same day (the
cover and the praatplaat print the build date, `build_date`): Chromium's time
of printing is replaced by a fixed date of the same length.
"""
from __future__ import annotations

import atexit
import datetime
import html
import os
import io
import json
import posixpath
import re
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pandas as pd
from bs4 import BeautifulSoup

from helpers.core import dutch
from helpers.book.edition import BOOK_TITLE
from helpers.book.medium import PRINT_ONLY_CLASS, WEB_ONLY_CLASS
from helpers.book.widgets import SWITCHER_CLASS
from helpers.data import dataset
from helpers.data.waves import newest_wave
from helpers.pipeline import faults

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Second line of defence besides page routing: no host but loopback
    # resolves, so nothing can leave the machine even if a request escaped
    # the route (it then shows up as a failed request).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
]

REPORT_FILE = "rapport-{edition}.pdf"
PRAATPLAAT_FILE = "praatplaat-{edition}.pdf"
PRAATPLAAT_PAGE = "notebooks/praatplaat"
OTHER_VIEWS = "Andere weergaven (zie de online editie)"

WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>', re.S)
WIDGET_VIEW_TYPE = "application/vnd.jupyter.widget-view+json"
_MODEL_REF = "IPY_MODEL_"
_HTML_MODELS = {"HTMLModel", "HTMLMathModel"}
_TEXT_MODELS = {"LabelModel"}
_BOX_MODELS = {"VBoxModel", "HBoxModel", "BoxModel", "GridBoxModel"}
_SELECTED_CHILD_MODELS = {"StackModel", "TabModel", "AccordionModel"}
#: Selectors have nothing to print: a switcher lists its other views instead.
_CONTROL_MODELS = {"DropdownModel", "ToggleButtonsModel", "SelectModel", "RadioButtonsModel", "SelectionSliderModel"}
_NOT_SHOWN_MODELS = {"LinkModel", "DirectionalLinkModel"}

#: Chromium stamps the time of printing into the PDF; the same edition must give the same bytes.
FIXED_PDF_DATE = b"19800101000000"  # the zip entries' timestamp (helpers.pipeline.deliver)
_PDF_DATE = re.compile(rb"(/(?:CreationDate|ModDate) ?\(D:)(\d{14})")
#: The tagged PDF names table cells after Chromium's DOM node counter, which also counts the nodes of SVG
#: figures as their images are decoded -- whenever that happens. Renumbered in order of appearance.
_NODE_ID = re.compile(rb"\(node(\d+)\)")

#: A4 with room for the footer; figures keep within one sheet (or are cut into parts that do).
REPORT_MARGIN = {"top": "18mm", "bottom": "20mm", "left": "14mm", "right": "14mm"}
LANDSCAPE_MARGIN = {"top": "10mm", "bottom": "10mm", "left": "10mm", "right": "10mm"}
MM = 72 / 25.4  # points per millimetre
#: Where a figure may go on a sheet of the report, in points: (width, height) of the text area, less room for
#: a heading or a line of text beside the figure on its sheet.
PORTRAIT_AREA = ((210 - 28) * MM, (297 - 38 - 14) * MM)
LANDSCAPE_AREA = ((297 - 28) * MM, (210 - 38 - 14) * MM)
#: No text in the report is smaller than this (points on A4); figures print at least this size, a little above it.
MIN_TEXT_PT = 7.0
FIGURE_TEXT_PT = 7.1
#: A figure is shown on screen at this share of its own size (96 CSS pixels per inch, drawn at 80 dots per inch):
#: the report prints it no smaller.
SCREEN_SCALE = 80 / 96
PAGE_RULE = re.compile(r"@page\b[^{]*\{[^}]*\}")
PRINT_CSS = """
@page { size: A4 portrait; }
@page landscape { size: A4 landscape; }
.landscape { page: landscape; }
.page.landscape { break-before: page; }
.page.landscape h1 { font-size: 14pt; margin-bottom: 1mm; }
.page.landscape h1 + p { font-size: 8.5pt; line-height: 1.3; margin: 0 0 2mm; }
.page.landscape .pp-kop { margin-bottom: 1.5mm; }
.page.landscape .pp-kop .pp-print { display: none; }
.page.landscape .pp-tegels { gap: 2mm; }
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 9.5pt; line-height: 1.45;
       color: #111; }
body { margin: 0; }
a { color: inherit; text-decoration: none; }
.cover { height: 250mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }
.cover .book { font-size: 24pt; font-weight: bold; line-height: 1.2; margin: 0 0 12mm; }
.cover .edition { font-size: 18pt; margin: 0 0 6mm; }
.cover .wave { font-size: 13pt; margin: 0 0 3mm; }
.cover .data { font-size: 10pt; color: #444; margin: 0; }
.toc { break-after: page; }
.toc h1 { margin-top: 0; }
.toc .part { font-weight: bold; margin: 4mm 0 1mm; }
.toc a { display: flex; align-items: baseline; margin: 0.6mm 0; }
.toc a.level-1 { padding-left: 6mm; }
.toc .title { flex: 0 1 auto; }
.toc .dots { flex: 1 1 6mm; border-bottom: 0.6pt dotted #999; margin: 0 2mm; }
.toc .number { flex: 0 0 9mm; text-align: right; }
.page { break-before: page; }
h1 { font-size: 17pt; line-height: 1.25; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm; }
h1, h2, h3, h4 { break-after: avoid; }
p, li { orphans: 3; widows: 3; }
img { max-width: 100%; max-height: 225mm; width: auto; height: auto; break-inside: avoid; }
.print-figure { break-inside: avoid; margin: 1mm 0 2mm; }
.print-figure img { max-width: none; max-height: none; display: block; }
.print-figure-part { overflow: hidden; break-inside: avoid; }
.print-figure-part + .print-figure-part { margin-top: 3mm; }
.print-figure.landscape { break-before: page; break-after: page; }
table { border-collapse: collapse; font-size: 7.5pt; line-height: 1.3; margin: 2mm 0 4mm; width: 100%;
        max-width: 100%; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border-bottom: 0.4pt solid #bbb; padding: 0.6mm 1.2mm; vertical-align: top; overflow-wrap: break-word;
         hyphens: auto; }
th { text-align: left; border-bottom: 0.8pt solid #555; }
.admonition, .topic { border-left: 1mm solid #bbb; padding: 1mm 3mm; margin: 3mm 0; }
.admonition-title { font-weight: bold; }
.print-other-views { font-size: 8pt; font-style: italic; color: #444; margin: 1mm 0 4mm; }
.print-widget { break-inside: auto; }
"""
FOOTER = ('<div style="font-family: \'DejaVu Sans\', sans-serif; font-size: 7.5pt; color: #555; width: 100%; '
          'margin: 0 14mm; display: flex; justify-content: space-between;"><span>{title}</span>'
          '<span>pagina <span class="pageNumber"></span> van <span class="totalPages"></span></span></div>')
#: Hidden code stays hidden on the praatplaat too (the theme opens hidden cells when printing).
HIDDEN_CODE_CSS = "details.hide, .cell_input { display: none !important; }"
WIDGETS_TIMEOUT_MS = 30_000


class PrintError(RuntimeError):
    """An edition could not be printed."""


class ChromiumMissing(PrintError):
    """The browser that prints the PDFs is not installed."""


@dataclass(frozen=True)
class Cover:
    """What the report's cover says."""

    book_title: str
    edition_title: str
    wave: int | None  # the wave the book reports on
    synthetic: bool  # built on the synthetic data shipped with the book
    built: datetime.date | None = None  # the day of the build
    data_hash: str = ""  # of the data set built on (helpers.data.dataset)

    @property
    def data_note(self) -> str:
        """On which data the edition was built, in one line (plain text)."""
        if self.synthetic:
            return "Gebouwd op de synthetische gegevens die met het boek worden meegeleverd (geen echte docenten)"
        note = "Gebouwd op de aangeleverde gegevens van de monitor"
        return f"{note} (kenmerk {self.data_hash[:12]})" if self.data_hash else note

    @property
    def built_note(self) -> str:
        return f"gemaakt op {dutch.date(self.built)}" if self.built else ""


@dataclass(frozen=True)
class TocEntry:
    page: str  # e.g. "notebooks/katern_a/a1_inleiding"
    level: int  # 0: a chapter, 1: a section page under it
    part: str | None = None  # the caption of the part this entry opens


@dataclass(frozen=True)
class PrintedPdf:
    file: str
    pages: int
    bytes: int

    def record(self) -> dict:
        return {"bestand": self.file, "paginas": self.pages, "bytes": self.bytes}


def build_date() -> datetime.date:
    """The day of the build: `SOURCE_DATE_EPOCH` if set (the convention of reproducible builds), else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) if epoch
              else datetime.datetime.now(datetime.timezone.utc))
    return moment.date()


def edition_cover(edition_title: str, data_dir: Path) -> Cover:
    """The cover of an edition built on the prepared data in `data_dir` (see helpers.data.dataset), today."""
    data_dir = Path(data_dir)
    waves = pd.read_parquet(data_dir / dataset.RESPONDENTS_FILE, columns=["meting"])
    info = json.loads((data_dir / dataset.INFO_FILE).read_text(encoding="utf-8"))
    return Cover(BOOK_TITLE, edition_title, newest_wave(waves), bool(info.get("meegeleverde_gegevens")),
                 build_date(), str(info.get("data_hash", "")))


def toc_entries(toc: dict) -> list[TocEntry]:
    """The pages of a Jupyter Book `_toc.yml` (as a dict), in reading order."""
    entries = [TocEntry(toc["root"], 0)]

    def walk(items, level, part):
        for item in items:
            entries.append(TocEntry(item["file"], level, part))
            part = None
            walk(item.get("sections", []), level + 1, None)

    for part in toc.get("parts", []):
        walk(part.get("chapters", []), 0, part.get("caption"))
    walk(toc.get("chapters", []), 0, None)
    return entries


# --- the report's HTML -----------------------------------------------------------------------------------------


def _models(page_html: str) -> dict[str, dict]:
    models = {}
    for match in WIDGET_STATE.finditer(page_html):
        models.update(json.loads(match.group(1)).get("state", {}))
    return models


def _ref(value: str) -> str:
    return value[len(_MODEL_REF):] if value.startswith(_MODEL_REF) else value


def render_widget(model_id: str, models: dict[str, dict], where: str) -> str:
    """The default view of an embedded widget as static HTML (see the module's docstring)."""
    model = models.get(model_id)
    if model is None:
        raise PrintError(f"{where}: widget {model_id} staat niet in de widget-state van de pagina")
    name, state = model.get("model_name"), model.get("state", {})
    children = [_ref(c) for c in state.get("children", [])]
    if name in _HTML_MODELS:
        return state.get("value", "")
    if name in _TEXT_MODELS:
        return f"<p>{html.escape(state.get('value', ''))}</p>"
    if name in _BOX_MODELS and SWITCHER_CLASS in state.get("_dom_classes", []):
        return _render_switcher(children, models, where)
    if name in _BOX_MODELS:
        return "".join(render_widget(c, models, where) for c in children)
    if name in _SELECTED_CHILD_MODELS:
        index = state.get("selected_index")
        return render_widget(children[index], models, where) if children and index is not None else ""
    if name in _CONTROL_MODELS | _NOT_SHOWN_MODELS:
        return ""
    raise PrintError(f"{where}: widget {name} kan niet gedrukt worden (alleen HTML, boxen, stapels en keuzelijsten)")


def _render_switcher(children: list[str], models: dict[str, dict], where: str) -> str:
    """A switcher (helpers.book.widgets.switcher): its selected view, then its other views by name."""
    names = {c: models.get(c, {}).get("model_name") for c in children}
    controls = [c for c in children if names[c] in _CONTROL_MODELS]
    stacks = [c for c in children if names[c] in _SELECTED_CHILD_MODELS]
    if len(controls) != 1 or len(stacks) != 1:
        raise PrintError(f"{where}: een keuzewidget zonder precies één keuzelijst en één stapel")
    stack = models[stacks[0]]["state"]
    labels = models[controls[0]]["state"].get("_options_labels") or list(stack.get("titles") or [])
    selected = stack.get("selected_index")
    shown = render_widget(stacks[0], models, where)
    others = [label for i, label in enumerate(labels) if i != selected]
    listed = (f'<p class="print-other-views">{OTHER_VIEWS}: {html.escape(dutch.join(others))}.</p>'
              if others else "")
    return f'<div class="print-widget">{shown}{listed}</div>'


# --- figures at a size for paper ----------------------------------------------------------------------------------

_SVG_URI = "data:image/svg+xml;base64,"
_SVG_BOX = re.compile(rb'<svg\b[^>]*?\swidth="([0-9.]+)pt"[^>]*?\sheight="([0-9.]+)pt"')
_SVG_TEXT = re.compile(rb"<text\b([^>]*)>([^<]*)<")
_SVG_FONT = re.compile(rb"font(?:-size)?:\s*(?:[a-z-]+\s+)*([0-9.]+)px")
_SVG_Y = re.compile(rb'\sy="(-?[0-9.]+)"')
_SVG_ROTATED = re.compile(rb"rotate\((-?[0-9.]+)")
#: Height above and below a text's baseline, and the width of a character, in font sizes (a generous guess).
_ASCENT, _DESCENT, _CHAR_WIDTH = 1.0, 0.35, 0.62


@dataclass(frozen=True)
class FigureLayout:
    """How a figure is printed: its scale (printed points per point of the SVG), on which sheet, in which parts."""

    width: float  # of the SVG, points
    height: float
    scale: float
    landscape: bool
    parts: tuple[tuple[float, float], ...]  # (top, bottom) of each part, in points of the SVG
    smallest: float | None  # its smallest text, points of the SVG

    @property
    def smallest_printed(self) -> float | None:
        return None if self.smallest is None else self.smallest * self.scale


def _svg_texts(svg: bytes) -> list[tuple[float, float, float]]:
    """(font size, top, bottom) of every text of a matplotlib SVG (texts as text), in points of the SVG."""
    found = []
    for attributes, content in _SVG_TEXT.findall(svg):
        size, y = _SVG_FONT.search(attributes), _SVG_Y.search(attributes)
        if size is None or y is None or not content.strip():
            continue
        size, y = float(size.group(1)), float(y.group(1))
        rotated = _SVG_ROTATED.search(attributes)
        if rotated is not None and abs(float(rotated.group(1))) % 180 > 45:  # upright text runs up from y
            found.append((size, y - len(content.strip()) * _CHAR_WIDTH * size, y + _DESCENT * size))
        else:
            found.append((size, y - _ASCENT * size, y + _DESCENT * size))
    return found


def _cuts(height: float, texts: list[tuple[float, float, float]], longest: float) -> tuple[tuple[float, float], ...]:
    """Parts of at most `longest` points, cut halfway between two rows of text (a figure's rows have labels)."""
    spans = sorted((top, bottom) for _, top, bottom in texts)
    gaps, reach = [], None
    for top, bottom in spans:
        if reach is not None and top > reach:
            gaps.append((reach + top) / 2)
        reach = bottom if reach is None else max(reach, bottom)
    parts, top = [], 0.0
    while height - top > longest:
        fitting = [gap for gap in gaps if top + longest / 3 < gap <= top + longest]
        cut = max(fitting) if fitting else top + longest
        parts.append((top, cut))
        top = cut
    parts.append((top, height))
    return tuple(parts)


def figure_layout(svg: bytes) -> FigureLayout | None:
    """How a figure (SVG bytes) is printed so that its smallest text is at least `MIN_TEXT_PT`; None: not an SVG
    with a size in points (printed as it is)."""
    box = _SVG_BOX.search(svg[:4000])
    if box is None:
        return None
    width, height = float(box.group(1)), float(box.group(2))
    texts = _svg_texts(svg)
    smallest = min((size for size, _, _ in texts), default=None)
    wanted = max(SCREEN_SCALE, FIGURE_TEXT_PT / smallest) if smallest else SCREEN_SCALE
    for landscape, (area_width, area_height) in ((False, PORTRAIT_AREA), (True, LANDSCAPE_AREA)):
        scale = min(wanted, area_width / width)
        if smallest is None or smallest * scale >= MIN_TEXT_PT:
            return FigureLayout(width, height, scale, landscape, _cuts(height, texts, area_height / scale), smallest)
    raise PrintError(f"een figuur van {width:.0f} pt breed met tekst van {smallest:g} pt past niet leesbaar op A4 "
                     f"(ook liggend niet): teken haar smaller of met grotere tekst")


def print_figure(image, soup: BeautifulSoup, where: str):
    """The element that prints figure `image` (an <img> of an SVG): see `figure_layout`."""
    import base64

    try:
        svg = base64.b64decode(image["src"][len(_SVG_URI):])
    except ValueError as error:
        raise PrintError(f"{where}: een figuur is geen geldige SVG ({error})") from error
    layout = figure_layout(svg)
    if layout is None:
        return image
    scale = layout.scale
    figure = soup.new_tag("div", attrs={"class": "print-figure" + (" landscape" if layout.landscape else "")})
    for number, (top, bottom) in enumerate(layout.parts):
        part = soup.new_tag("div", attrs={"class": "print-figure-part",
                                          "style": f"width: {layout.width * scale:.2f}pt; "
                                                   f"height: {(bottom - top) * scale:.2f}pt"})
        shown = soup.new_tag("img", attrs={"src": image["src"], "alt": image.get("alt", "") if number == 0 else "",
                                           "style": f"width: {layout.width * scale:.2f}pt; "
                                                    f"height: {layout.height * scale:.2f}pt; "
                                                    f"margin-top: {-top * scale:.2f}pt"})
        part.append(shown)
        figure.append(part)
    return figure


def _article(page_html: str, where: str) -> str:
    start = page_html.find('<article class="bd-article"')
    end = page_html.find("</article>", start)
    if start < 0 or end < 0:
        raise PrintError(f"{where}: geen artikel (<article class=\"bd-article\">) in de pagina")
    return page_html[start:end + len("</article>")]


def _page_html(html_dir: Path, page: str, anchors: dict[str, str]) -> tuple[str, str]:
    """(title, printable HTML) of one page: its article with ids and links made unique in the report."""
    path = html_dir / f"{page}.html"
    if not path.is_file():
        raise PrintError(f"{page}.html ontbreekt in {html_dir}")
    raw = path.read_text(encoding="utf-8")
    models = _models(raw)
    soup = BeautifulSoup(_article(raw, page), "html.parser")
    article = soup.article
    for hidden in article.select("details.hide, .cell_input, a.headerlink, #searchbox"):
        hidden.decompose()
    for script in article.find_all("script"):
        if script.get("type") == WIDGET_VIEW_TYPE:
            model_id = json.loads(script.string or "{}").get("model_id", "")
            script.replace_with(BeautifulSoup(render_widget(model_id, models, page), "html.parser"))
        else:
            script.decompose()
    for web in article.select(f".{WEB_ONLY_CLASS}"):
        web.decompose()
    for printed in article.select(f".{PRINT_ONLY_CLASS}"):
        del printed["hidden"]
    for image in article.find_all("img"):
        if image.get("src", "").startswith(_SVG_URI):
            image.replace_with(print_figure(image, soup, page))
    for style in article.find_all("style"):
        # The report sets its own pages: a page's @page rule (the praatplaat's landscape sheet) would turn them all.
        style.string = PAGE_RULE.sub("", style.string or "")
    prefix = anchors[page]
    for tag in article.find_all(id=True):
        tag["id"] = f"{prefix}-{tag['id']}"
    for link in article.find_all("a", href=True):
        target = _internal_target(link["href"], page, anchors)
        if target is None:
            continue
        if target:
            link["href"] = target
        else:
            link.unwrap()  # a page outside the book: plain text
    for image in article.find_all(["img", "source"]):
        for attribute in ("src", "srcset"):
            value = image.get(attribute)
            if value and not urlsplit(value).scheme:
                image[attribute] = (path.parent / unquote(urlsplit(value).path)).resolve().as_uri()
    heading = article.find("h1")
    title = " ".join(heading.get_text(" ", strip=True).split()) if heading else page
    return title, article.decode_contents()


def _internal_target(href: str, page: str, anchors: dict[str, str]) -> str | None:
    """Where a link points in the report: '#...' inside it, '' outside the book, None: leave as is."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None  # an external link stays a link; it is not fetched when printing
    if not parts.path:
        return f"#{anchors[page]}-{parts.fragment}" if parts.fragment else f"#{anchors[page]}"
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    target = target[:-len(".html")] if target.endswith(".html") else target
    if target not in anchors:
        return ""
    return f"#{anchors[target]}-{parts.fragment}" if parts.fragment else f"#{anchors[target]}"


@dataclass(frozen=True)
class ReportPages:
    """The report's pages, each as (entry, title, printable HTML), and the anchor of each page."""

    pages: list[tuple[TocEntry, str, str]]
    anchors: dict[str, str]


def report_pages(html_dir: Path, entries: list[TocEntry]) -> ReportPages:
    anchors = {entry.page: f"p{i}" for i, entry in enumerate(entries)}
    return ReportPages([(entry, *_page_html(Path(html_dir), entry.page, anchors)) for entry in entries], anchors)


def _page_class(entry: TocEntry) -> str:
    """The praatplaat is drawn for a landscape sheet: in the report it has one of its own."""
    return "page landscape" if entry.page == PRAATPLAAT_PAGE else "page"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


#: Digits of a page number in the table of contents as first printed (`PLACEHOLDER`, filled in by `_fill_numbers`).
NUMBER_DIGITS = 3
PLACEHOLDER = "0" * NUMBER_DIGITS


def report_html(report: ReportPages, cover: Cover, page_numbers: dict[str, int] | None = None) -> str:
    """The report as one print HTML. Without page numbers the table of contents has placeholders of the same
    width (`PLACEHOLDER`)."""
    pages, anchors = report.pages, report.anchors
    toc = []
    for entry, title, _ in pages:
        if entry.part:
            toc.append(f'<p class="part">{html.escape(entry.part)}</p>')
        number = page_numbers[anchors[entry.page]] if page_numbers is not None else PLACEHOLDER
        toc.append(f'<a class="level-{min(entry.level, 1)}" href="#{anchors[entry.page]}">'
                   f'<span class="title">{html.escape(title)}</span><span class="dots"></span>'
                   f'<span class="number">{number}</span></a>')
    cover_lines = [f'<p class="book">{html.escape(cover.book_title)}</p>',
                   f'<p class="edition">{html.escape(cover.edition_title)}</p>']
    if cover.wave is not None:
        cover_lines.append(f'<p class="wave">Meting {cover.wave}</p>')
    cover_lines.append(f'<p class="data">{html.escape(cover.data_note)}.</p>')
    if cover.built:
        cover_lines.append(f'<p class="data">{html.escape(_capital(cover.built_note))}.</p>')
    body = "\n".join([
        f'<section class="cover">{"".join(cover_lines)}</section>',
        f'<nav class="toc"><h1>Inhoud</h1>{"".join(toc)}</nav>',
        *(f'<section class="{_page_class(entry)}" id="{anchors[entry.page]}">{content}</section>'
          for entry, _, content in pages),
    ])
    document = (f'<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">'
                f'<title>{html.escape(cover.book_title)} — {html.escape(cover.edition_title)}</title>'
                f'<style>{PRINT_CSS}</style></head><body>{body}</body></html>')
    return document


# --- Chromium --------------------------------------------------------------------------------------------------


def chromium_available() -> bool:
    return CHROMIUM.exists()


def require_chromium() -> None:
    if not chromium_available():
        raise ChromiumMissing(f"Chromium ontbreekt ({CHROMIUM}); de build drukt er de PDF's van elke editie mee. "
                              "Installeer het met: apt-get install -y chromium (of: make book). Er is niets gebouwd.")


def _launch(playwright, **launch_options):
    """Debian's Chromium, headless, without network extras."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True,
                                      **launch_options)


@contextmanager
def launch_chromium(**launch_options):
    """Debian's Chromium through Playwright, headless, without network extras (also for the browser tests)."""
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        browser = _launch(playwright, **launch_options)
        try:
            yield browser
        finally:
            browser.close()


# A build worker prints one edition after another; launching Chromium for each costs about 0.4 s. In a worker
# (`keep_browser`, the local build's process pool) each thread keeps its Chromium between editions. Every report
# and praatplaat still gets a fresh browser context (`offline_page`): nothing of another edition's pages is kept.
_KEEP_BROWSER = False
_KEPT = threading.local()


def keep_browser() -> None:
    """Keep Chromium running between editions in this process (a build worker's initializer)."""
    global _KEEP_BROWSER
    _KEEP_BROWSER = True


def _stop_kept(kept) -> None:
    try:
        if getattr(kept, "browser", None) is not None and kept.browser.is_connected():
            kept.browser.close()
        kept.playwright.stop()
    except Exception:  # pragma: no cover - the process is ending; the driver closes its browser on its own
        pass


def _kept_browser():
    """This thread's Chromium, launched on first use and again if it went away."""
    browser = getattr(_KEPT, "browser", None)
    if browser is not None and browser.is_connected():
        return browser
    if getattr(_KEPT, "playwright", None) is None:
        from playwright.sync_api import sync_playwright

        require_chromium()
        _KEPT.playwright = sync_playwright().start()
        atexit.register(_stop_kept, _KEPT)
    try:
        _KEPT.browser = _launch(_KEPT.playwright)
    except Exception:
        _stop_kept(_KEPT)  # the driver itself went away: start afresh at the next edition
        _KEPT.playwright = _KEPT.browser = None
        raise
    return _KEPT.browser


@contextmanager
def edition_browser():
    """Chromium to print an edition with: the worker's kept one (see `keep_browser`), else one for this edition."""
    if _KEEP_BROWSER:
        yield _kept_browser()
    else:
        with launch_chromium() as browser:
            yield browser


@contextmanager
def offline_page(browser, javascript: bool):
    """A page that may load file: and data: URLs only; yields (page, blocked requests)."""
    context = browser.new_context(java_script_enabled=javascript, service_workers="block", locale="nl-NL")
    blocked: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort("blockedbyclient")

    context.route("**/*", route)
    try:
        yield context.new_page(), blocked
    finally:
        context.close()


def _check_offline(blocked: list[str], what: str) -> None:
    if blocked:
        raise PrintError(f"{what} wilde iets van buiten het boek laden (geblokkeerd): " + ", ".join(sorted(set(blocked))))


def deterministic_pdf(pdf: bytes) -> bytes:
    """The PDF with a fixed creation and modification date and its structure's node ids numbered
    in order of appearance (each of the same length: the offsets stay valid)."""
    numbers: dict[bytes, int] = {}

    def renumber(match: re.Match) -> bytes:
        digits = match.group(1)
        number = numbers.setdefault(digits, len(numbers) + 1)
        if len(str(number)) > len(digits):
            return match.group(0)
        return b"(node" + str(number).zfill(len(digits)).encode() + b")"

    return _NODE_ID.sub(renumber, _PDF_DATE.sub(lambda m: m.group(1) + FIXED_PDF_DATE, pdf))


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _destination_pages(pdf: bytes) -> dict[str, int]:
    """Named destination -> page number (1-based) in a PDF printed by Chromium."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


_FONT_SWITCH = re.compile(rb"/([^\s/]+) [\d.]+ Tf")
_GLYPH = rb"<([0-9A-Fa-f]{4})> Tj"
_GLYPH_RUN = re.compile(_GLYPH + (rb"(\s+-?[\d.]+ -?[\d.]+ Td\s*)" + _GLYPH) * (NUMBER_DIGITS - 1))
_CMAP_CHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_CMAP_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _glyphs(font) -> dict[str, str]:
    """Character -> glyph (4 hex digits) of a font that Chromium embedded, from its ToUnicode map."""
    glyphs: dict[str, str] = {}
    to_unicode = font.get_object().get("/ToUnicode")
    if to_unicode is None:
        return glyphs
    cmap = to_unicode.get_object().get_data()
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for glyph, code in _CMAP_CHAR.findall(block):
            glyphs.setdefault(bytes.fromhex(code.decode()).decode("utf-16-be"), glyph.decode().upper())
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for first, last, code in _CMAP_RANGE.findall(block):
            start = int(code, 16)
            for offset in range(int(last, 16) - int(first, 16) + 1):
                glyphs.setdefault(chr(start + offset), f"{int(first, 16) + offset:04X}")
    return glyphs


def _fill_numbers(pdf: bytes, numbers: list[int]) -> bytes | None:
    """The report with its contents' placeholders (`PLACEHOLDER`, in order) replaced by `numbers`; None if that
    cannot be done exactly (then the report is printed again with its numbers in place).

    The contents are on the pages after the cover and before the first page they list. A placeholder is
    printed as `NUMBER_DIGITS` zero glyphs, each placed by its own `Td`; a number takes their places from the
    right (its leading places are left empty), so it is right-aligned where the placeholder was.
    """
    from pypdf import PdfReader
    from pypdf.generic import IndirectObject

    if not numbers or max(numbers) >= 10 ** NUMBER_DIGITS:
        return None
    reader = PdfReader(io.BytesIO(pdf))
    todo = list(numbers)
    for index in range(1, min(numbers) - 1):  # the contents' pages
        page = reader.pages[index]
        reference = page.get("/Contents")
        if not isinstance(reference, IndirectObject):
            return None  # Chromium writes one content stream per page
        contents = reference.get_object()
        fonts = {str(name).lstrip("/"): _glyphs(font) for name, font in (page["/Resources"].get("/Font") or {}).items()}
        data = contents.get_data()
        switches = [(m.start(), m.group(1).decode()) for m in _FONT_SWITCH.finditer(data)]
        parts, last = [], 0
        for run in _GLYPH_RUN.finditer(data):
            font = next((name for at, name in reversed(switches) if at < run.start()), None)
            glyphs = fonts.get(font, {})
            zero = glyphs.get("0")
            drawn = [run.group(i) for i in range(1, 2 * NUMBER_DIGITS, 2)]
            if zero is None or any(g.decode().upper() != zero for g in drawn):
                continue
            if not todo:
                return None  # more placeholders than entries: something else looks like one
            digits = str(todo.pop(0)).rjust(NUMBER_DIGITS)
            if any(d != " " and d not in glyphs for d in digits):
                return None  # a digit the embedded font lacks
            replaced = b""
            for place, digit in enumerate(digits):
                if place:
                    replaced += run.group(2 * place)  # the move to this place
                if digit != " ":
                    replaced += f"<{glyphs[digit]}> Tj".encode()
            parts += [data[last:run.start()], replaced]
            last = run.end()
        if parts:
            pdf = _replace_stream(pdf, reference.idnum, b"".join(parts) + data[last:])
            if pdf is None:
                return None
    return None if todo else pdf


def _replace_stream(pdf: bytes, number: int, data: bytes) -> bytes | None:
    """`pdf` with the content of stream object `number` replaced by `data` (compressed), its cross-reference table
    and `startxref` moved with it: the bytes of every other object stay as Chromium wrote them. None if the
    PDF is not laid out as Chromium writes one (one classic cross-reference table, a direct /Length)."""
    import zlib

    found = list(re.finditer(rb"(?:^|\n)(%d 0 obj\s*<<\s*/Filter /FlateDecode\s*/Length )(\d+)(>>\s*stream\r?\n)"
                             % number, pdf))
    tables = list(re.finditer(rb"\nxref\n0 (\d+)\n", pdf))
    start = re.search(rb"\nstartxref\n(\d+)\n%%EOF\s*$", pdf)
    if len(found) != 1 or len(tables) != 1 or start is None:
        return None
    head = found[0]
    begin, length = head.end(), int(head.group(2))
    if not pdf.startswith(b"\nendstream", begin + length) and not pdf.startswith(b"endstream", begin + length):
        return None
    packed = zlib.compress(data)
    new = pdf[:head.start(2)] + str(len(packed)).encode() + pdf[head.end(2):begin] + packed + pdf[begin + length:]
    shift, where = len(new) - len(pdf), head.start(1)
    table = tables[0]
    entries_at = table.end() + shift
    count = int(table.group(1))
    entries = bytearray(new[entries_at:entries_at + 20 * count])
    for i in range(count):
        offset, rest = int(entries[20 * i:20 * i + 10]), entries[20 * i + 10:20 * i + 20]
        if rest[7:8] == b"n" and offset > where:
            entries[20 * i:20 * i + 10] = b"%010d" % (offset + shift)
    new = new[:entries_at] + bytes(entries) + new[entries_at + 20 * count:]
    xref = int(start.group(1)) + shift
    tail = re.search(rb"\nstartxref\n(\d+)\n%%EOF\s*$", new)
    return new[:tail.start(1)] + str(xref).encode() + new[tail.end(1):]


def print_report(browser, html_dir: Path, entries: list[TocEntry], cover: Cover, target: Path,
                 work_dir: Path) -> PrintedPdf:
    """Print the whole edition as `target` (see the module's docstring)."""
    footer = FOOTER.format(title=html.escape(f"{cover.book_title} — {cover.edition_title}"))
    options = dict(format="A4", margin=REPORT_MARGIN, print_background=True, display_header_footer=True,
                   header_template="<span></span>", footer_template=footer, outline=True, tagged=True,
                   prefer_css_page_size=True)
    with tempfile.TemporaryDirectory(dir=work_dir) as tmp, offline_page(browser, javascript=False) as (page, blocked):
        source = Path(tmp) / "rapport.html"
        report = report_pages(html_dir, entries)
        anchors = report.anchors
        numbers: dict[str, int] | None = None
        for _ in range(3):  # printed once; when the numbers cannot be filled in, a second print normally agrees
            source.write_text(report_html(report, cover, numbers), encoding="utf-8")
            page.goto(source.as_uri(), wait_until="load")
            pdf = page.pdf(**options)
            _check_offline(blocked, "Het rapport")
            found = _destination_pages(pdf)
            missing = [a for a in anchors.values() if a not in found]
            if missing:
                raise PrintError(f"Het rapport mist het begin van {len(missing)} pagina('s) in de PDF: {missing[:5]}")
            printed = {a: found[a] for a in anchors.values()}
            if printed == numbers:
                break
            if numbers is None:
                filled = _fill_numbers(pdf, [printed[a] for a in anchors.values()])
                if filled is not None:
                    pdf = filled
                    break
            numbers = printed
        else:
            raise PrintError("De paginanummers in de inhoudsopgave van het rapport blijven verschuiven")
    pdf = deterministic_pdf(pdf)
    target.write_bytes(pdf)
    return PrintedPdf(target.name, _page_count(pdf), len(pdf))


PRAATPLAAT_FOOTER = ('<div style="font-family: \'DejaVu Sans\', sans-serif; font-size: 7.5pt; color: #444; '
                     'width: 100%; margin: 0 10mm;">{note}</div>')


def print_praatplaat(browser, page_path: Path, target: Path, cover: Cover | None = None) -> PrintedPdf:
    """Print one page of the book as it is, with its widgets drawn, on A4 landscape; with a `cover`, its data
    note and build date in the footer."""
    with offline_page(browser, javascript=True) as (page, blocked):
        page.goto(page_path.resolve().as_uri(), wait_until="load")
        views = page.locator(f'script[type="{WIDGET_VIEW_TYPE}"]').count()
        page.wait_for_function("(n) => document.querySelectorAll('.widget-subarea').length >= n",
                               arg=views, timeout=WIDGETS_TIMEOUT_MS)
        page.wait_for_function("() => [...document.images].every((i) => i.complete)", timeout=WIDGETS_TIMEOUT_MS)
        page.add_style_tag(content=HIDDEN_CODE_CSS)
        footer = {}
        if cover is not None:
            note = " · ".join(part for part in (cover.data_note, cover.built_note) if part)
            footer = dict(display_header_footer=True, header_template="<span></span>",
                          footer_template=PRAATPLAAT_FOOTER.format(note=html.escape(note)))
        pdf = page.pdf(format="A4", landscape=True, margin=LANDSCAPE_MARGIN, print_background=True, **footer)
        _check_offline(blocked, "De praatplaat")
    pdf = deterministic_pdf(pdf)
    target.write_bytes(pdf)
    return PrintedPdf(target.name, _page_count(pdf), len(pdf))


def print_edition(html_dir: Path, target_dir: Path, edition_id: str, toc: dict, cover: Cover,
                  work_dir: Path) -> tuple[dict[str, dict], float]:
    """Print the report and, if the edition has the page, the praatplaat into `target_dir`.

    Returns (what the edition's manifest records: per PDF its file, pages and
    bytes; the seconds printing took).
    """
    html_dir, target_dir = Path(html_dir), Path(target_dir)
    start = time.perf_counter()
    printed = {}
    with edition_browser() as browser:
        faults.reach("printing", edition_id)
        printed["rapport"] = print_report(browser, html_dir, toc_entries(toc), cover,
                                          target_dir / REPORT_FILE.format(edition=edition_id), work_dir)
        praatplaat = html_dir / f"{PRAATPLAAT_PAGE}.html"
        if praatplaat.is_file():
            printed["praatplaat"] = print_praatplaat(
                browser, praatplaat, target_dir / PRAATPLAAT_FILE.format(edition=edition_id), cover)
    records = {name: pdf.record() for name, pdf in printed.items()}
    return records, time.perf_counter() - start
