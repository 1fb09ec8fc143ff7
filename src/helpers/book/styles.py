"""The inline styles of the pages' own blocks, written into the page that shows the block and no other.

Kept apart from the chapters (which hold words, in their sentence templates)
and from `_static` (which Jupyter Book adds to every page).
"""
from __future__ import annotations

#: The research model on the start page: boxes with arrows between them (`helpers.chapters.research_questions`).
RESEARCH_MODEL = (".mb-model{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;margin:.5rem 0 1rem;"
                  "break-inside:avoid}"  # printed on one page, never a box cut in two
                  ".mb-model-blok{flex:1 1 14rem;border:1px solid #c5d1da;border-top:.3rem solid #0b5c8e;"
                  "border-radius:.3rem;padding:.4rem .7rem;font-size:.9rem}"
                  ".mb-model-kop{font-weight:700;color:#0b5c8e;margin:0 0 .3rem}"
                  ".mb-model-blok ul{margin:0;padding-left:1.1rem}.mb-model-pijl{font-size:1.6rem;color:#0b5c8e}")

#: The cells of a table of the book (`helpers.book.html.reader_table`): words from the left, numbers from the right,
#: room between two columns (`COLUMN_GAP`, before every column but the first), a number never broken over two lines.
TEXT_CELL = "text-align:left"
NUMBER_CELL = "text-align:right"
COLUMN_GAP = ";padding-left:0.5em"
NUMBER_NO_BREAK = ";white-space:nowrap"

#: The grey track of a percentage bar in the team tables (`helpers.chapters.teams`).
TEAM_BAR_TRACK = "display:inline-block;width:6em;background:#eee;vertical-align:middle"


def team_bar_fill(width_percent: float, colour: str) -> str:
    """The coloured part of a team table's percentage bar, `width_percent` of the track."""
    return f"display:block;width:{width_percent:.1f}%;height:0.8em;background:{colour}"


#: The team tables' style (`helpers.chapters.teams`), written into the teams page: every column apart from its
#: neighbour (a team's name and its n would otherwise read as one: "Team groen-124"), numbers right-aligned under
#: each other, and every table from the left edge, as the page's text (the theme centres a table narrower than
#: the page, so the tables of one team's view started at different places).
TEAM_TABLES = (".mb-teams-overzicht,.mb-team-themas,.mb-team-competenties,.mb-team-schalen{margin:0 0 1rem 0}"
               ".mb-teams-overzicht :is(th,td),.mb-team-themas :is(th,td),.mb-team-competenties :is(th,td),"
               ".mb-team-schalen :is(th,td){padding:.2rem 1rem .2rem 0;vertical-align:top;text-align:left}"
               ".mb-teams-overzicht :is(th,td):nth-child(2),.mb-team-competenties :is(th,td):nth-child(n+2),"
               ".mb-team-schalen td:nth-child(n+2),.mb-team-schalen thead th:nth-child(n+2){text-align:right}")

#: The praatplaat's own style (`helpers.chapters.praatplaat`). It is written into that page only, so the
#: A4-landscape print rules and the hidden navigation apply to the praatplaat and to no other page of the book.
_PRAATPLAAT = """
.mb-praatplaat { --pp-accent: #0b5c8e; --pp-balk: BAR_COLOUR; color: #1b1b1b;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.mb-praatplaat .pp-kop { margin: 0 0 .8rem; }
.mb-praatplaat .pp-print { display: none; }
.mb-praatplaat .pp-editie { font-size: 1.35rem; font-weight: 700; margin: 0; }
.mb-praatplaat .pp-ondertitel { margin: .1rem 0 0; color: #444; }
.mb-praatplaat .pp-tegels { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr));
  gap: .8rem; align-items: start; }
.mb-praatplaat .pp-tegel { border: 1px solid #c5d1da; border-top: .3rem solid var(--pp-accent); border-radius: .3rem;
  padding: .55rem .75rem .6rem; background: #fff; break-inside: avoid; }
.mb-praatplaat .pp-tegel h2 { font-size: 1rem; margin: 0 0 .4rem; color: var(--pp-accent); border: 0; }
.mb-praatplaat .pp-regels { list-style: none; margin: 0; padding: 0; }
.mb-praatplaat .pp-regels li { margin: 0 0 .35rem; line-height: 1.3; }
.mb-praatplaat .pp-cijfer { font-size: 1.6rem; font-weight: 700; color: var(--pp-accent); margin-right: .3rem;
  white-space: nowrap; }
.mb-praatplaat .pp-noot { font-size: .8rem; color: #4a4a4a; margin: .3rem 0 0; }
.mb-praatplaat .pp-balken { list-style: none; margin: .3rem 0 0; padding: 0; }
.mb-praatplaat .pp-balken li { display: grid; grid-template-columns: minmax(0, 1fr) 2.6rem minmax(0, auto);
  gap: 0 .4rem; align-items: center; margin: 0 0 .3rem; font-size: .86rem; line-height: 1.2; }
.mb-praatplaat .pp-thema { grid-column: 1 / -1; }
.mb-praatplaat .pp-spoor { display: block; height: .7rem; background: #e4e4e4; }
.mb-praatplaat .pp-spoor span { display: block; height: 100%; background: var(--pp-balk); }
.mb-praatplaat .pp-waarde { font-weight: 700; text-align: right; }
.mb-praatplaat .pp-naast { color: #4a4a4a; white-space: nowrap; }
.mb-praatplaat .pp-vragen { grid-column: 1 / -1; border-top-color: #8a4b00; }
.mb-praatplaat .pp-vragen h2 { color: #8a4b00; }
.mb-praatplaat .pp-vragen ol { margin: 0 0 .2rem; padding-left: 1.3rem; display: grid;
  grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: .3rem 1.6rem; }
.mb-praatplaat .pp-vragen .pp-cijfer { font-size: 1.15rem; color: #8a4b00; }
.mb-praatplaat .pp-voetnoot { font-size: .78rem; color: #4a4a4a; margin: .6rem 0 0; }
@media print {
  @page { size: A4 landscape; margin: 10mm; }
  .bd-header, .bd-header-article, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-footer, .bd-footer-article,
  .bd-footer-content, .prev-next-area, .header-article, .skip-link, #jb-print-docs-body,
  section#praatplaat > h1, section#praatplaat > p { display: none !important; }
  .bd-main .bd-content .bd-article-container, .bd-page-width, .bd-container, .bd-container__inner, .bd-main,
  .bd-article { max-width: none !important; width: auto !important; margin: 0 !important; padding: 0 !important; }
  .bd-article, .bd-article section, .mb-praatplaat, .cell, .cell_output, .output { margin: 0 !important;
    padding-bottom: 0 !important; }
  .mb-praatplaat .pp-print { display: inline; font-size: 14pt; font-weight: 700; }
  .mb-praatplaat { font-size: 8.4pt; }
  .mb-praatplaat .pp-kop { margin-bottom: 2mm; display: flex; gap: 3mm; align-items: baseline; }
  .mb-praatplaat .pp-editie { font-size: 12pt; }
  .mb-praatplaat .pp-ondertitel { margin: 0; }
  .mb-praatplaat .pp-tegels { grid-template-columns: repeat(3, 1fr); gap: 2.5mm; }
  .mb-praatplaat .pp-tegel { padding: 1.5mm 2.5mm; }
  .mb-praatplaat .pp-tegel h2 { font-size: 9.5pt; margin-bottom: 1mm; }
  .mb-praatplaat .pp-cijfer { font-size: 13pt; }
  .mb-praatplaat .pp-regels li { margin-bottom: .6mm; line-height: 1.25; }
  .mb-praatplaat .pp-noot { font-size: 7.4pt; margin-top: .8mm; }
  .mb-praatplaat .pp-balken li { font-size: 7.6pt; grid-template-columns: minmax(0, 1fr) 14mm 7mm minmax(0, auto);
    gap: 1.2mm; margin-bottom: .5mm; }
  .mb-praatplaat .pp-thema { grid-column: auto; }
  .mb-praatplaat .pp-vragen ol { margin-bottom: .8mm; }
  .mb-praatplaat .pp-spoor { height: 2.2mm; }
  .mb-praatplaat .pp-vragen ol { grid-template-columns: repeat(3, 1fr); gap: 0 5mm; }
  .mb-praatplaat .pp-vragen .pp-cijfer { font-size: 11pt; }
  .mb-praatplaat .pp-voetnoot { margin-top: 1.5mm; font-size: 7.4pt; }
}
"""


def praatplaat(bar_colour: str) -> str:
    """The praatplaat's style, its bars in `bar_colour`."""
    return _PRAATPLAAT.replace("BAR_COLOUR", bar_colour)
